"""Compile every numba kernel of :mod:`sigconv._core` into numba's cache.

``sigconv warmup`` (:func:`warmup`) calls the public functions once each on
tiny float64 and float32 inputs, so that every ``@njit`` kernel compiles for
the argument types the library passes it and numba writes the machine code
to its cache.  A container image or a read-only install built this way
starts without compiling (point ``NUMBA_CACHE_DIR`` at the same writable
directory when building and when running, if the package's own directory is
not writable).

Kernels that run threaded above a size (``parallel=True`` twins of serial
kernels) are reached by lowering the size thresholds for one pass, so the
inputs stay tiny.  The learned-convolution kernels
(:mod:`sigconv._core.conv1d`) are included when :mod:`sigconv.nn` imports.
"""
from __future__ import annotations

import contextlib
import importlib
import pkgutil
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

DTYPES = (np.float64, np.float32)
NN_MODULE = "conv1d"          # kernels of sigconv.nn, warmed when sigconv.nn imports
N = 96                        # samples of the tiny series (ARIMA's seasonal fit needs > 4 s)
SEASON = 12


@dataclass
class WarmupReport:
    """What :func:`warmup` did.

    Attributes
    ----------
    kernels : list of str
        Every numba kernel found, as ``module.function``.
    ready : list of str
        Those with machine code for at least one signature afterwards.
    signatures : int
        Signatures compiled or loaded, over every kernel.
    compiled, loaded : int
        Of those, how many were compiled now and how many were loaded from
        the cache (numba's own counters).
    seconds : float
        Wall time of the calls.
    cache_dir : str or None
        Where numba keeps the cache (None when no kernel is cached).
    uncached : list of str
        Kernels with machine code but no index file in the cache directory
        (numba could not write there: compiled again in the next process).
    failed : list of (str, str)
        ``(call, error)`` for each call that raised.
    skipped : list of str
        Kernel modules left out, with the reason.
    """

    kernels: list = field(default_factory=list)
    ready: list = field(default_factory=list)
    signatures: int = 0
    compiled: int = 0
    loaded: int = 0
    seconds: float = 0.0
    cache_dir: str | None = None
    uncached: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    @property
    def missing(self):
        """Kernels still without machine code."""
        ready = set(self.ready)
        return [name for name in self.kernels if name not in ready]


def kernel_modules(include_nn=True):
    """The modules of :mod:`sigconv._core`, and the reasons any were left out.

    ``conv1d`` (the kernels of :mod:`sigconv.nn`) is included only when
    ``include_nn`` and :mod:`sigconv.nn` imports.
    """
    import sigconv._core

    modules, skipped = [], []
    for info in sorted(pkgutil.iter_modules(sigconv._core.__path__), key=lambda i: i.name):
        if info.name == NN_MODULE:
            if not include_nn:
                skipped.append(f"{NN_MODULE} (left out)")
                continue
            try:
                importlib.import_module("sigconv.nn")
            except Exception as exc:  # noqa: BLE001 - a package being written may fail anyhow
                skipped.append(f"{NN_MODULE} (sigconv.nn does not import: "
                               f"{type(exc).__name__}: {exc})")
                continue
        modules.append(importlib.import_module(f"sigconv._core.{info.name}"))
    return modules, skipped


def kernels(modules):
    """``{"module.function": dispatcher}`` for the kernels defined in ``modules``
    (a kernel imported from another module counts once, where it is defined)."""
    from numba.core.dispatcher import Dispatcher

    found = {}
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, Dispatcher) and value.py_func.__module__ == module.__name__:
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = value
    return found


@contextlib.contextmanager
def _threaded_everywhere():
    """Every size threshold for threads at 0, so tiny inputs take the parallel kernels."""
    from . import engine, match, smooth

    saved = [(engine, "SERIAL_BELOW_MACS"), (smooth, "_PARALLEL_FROM"),
             (match, "_PARALLEL_FROM")]
    saved = [(module, name, getattr(module, name)) for module, name in saved
             if hasattr(module, name)]
    try:
        for module, name, _ in saved:
            setattr(module, name, 0)
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


# ---------------------------------------------------------------- the calls
def _series(dtype, n=N, seed=0):
    """A tiny AR(1)-like series (not constant, no trend to speak of)."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(n)
    x = np.empty(n)
    x[0] = e[0]
    for t in range(1, n):
        x[t] = 0.6 * x[t - 1] + e[t]
    return (x + 0.5 * np.sin(2 * np.pi * np.arange(n) / SEASON)).astype(dtype)


def _with_nan(x):
    y = x.copy()
    y[len(y) // 3] = np.nan
    return y


def _engine(dtype):
    import sigconv

    x = _series(dtype)
    batch = np.stack([x, x[::-1], 2 * x])
    k = np.array([0.1, 0.2, 0.4, 0.2, 0.1], dtype=dtype)
    for method in ("direct", "fft", "overlap_add"):
        sigconv.convolve(x, k, "full", method=method)
        sigconv.convolve(batch, k, "same", boundary="reflect", method=method)
        sigconv.convolve(batch, np.stack([k, k[::-1], k]), "valid", method=method)
        sigconv.convolve(_with_nan(x), k, "same", nan="ignore", method=method)
        sigconv.convolve(_with_nan(x), k, "same", nan="propagate", method=method)
        sigconv.convolve(x, k, "causal", dilation=2, method=method)
        sigconv.correlate(x, k, "valid", method=method)
    stream = sigconv.StreamFilter(k)
    stream.process(x[:40])
    stream.process(x[40:])
    sigconv.gaussian_smooth(x, 1.5)
    sigconv.savgol_smooth(x, 7, 2)
    sigconv.decompose(x, SEASON)
    sigconv.diffuse(x, 3, 0.2)


def _moving_averages(dtype):
    import sigconv

    x = _series(dtype)
    for data in (x, _with_nan(x), np.stack([x, x[::-1], 2 * x])):
        for nan in ("ignore", "propagate"):
            sigconv.moving_average(data, 5, nan=nan)
            sigconv.moving_average(data, 4, center=True, nan=nan)
        sigconv.moving_average(data, 3, weights=[1.0, 2.0, 1.0])


def _recursive(dtype):
    import sigconv

    x = _series(dtype)
    for data in (x, _with_nan(x), np.stack([x, x[::-1], 2 * x])):
        sigconv.ema(data, alpha=0.3)
        sigconv.ema(data, alpha=0.5, adjust=False)
        sigconv.ema(data, alpha=0.3, ignore_na=True)
        sigconv.recursive_filter(data, [0.5, -0.2])


def _autocorrelation(dtype):
    import sigconv

    x = _series(dtype)
    walk = np.cumsum(x)                  # Burg's recursion redoes it with passes
    batch = np.stack([x, x[::-1], 2 * x], axis=1)        # one series per column
    sigconv.acf(x, 10)
    sigconv.acovf(x, 10)
    sigconv.ccf(x, x[::-1], 10)
    for method in ("ywadjusted", "burg", "ols"):
        sigconv.pacf(x, 10, method=method)
    for method in ("yule_walker", "burg", "ols", "mle"):
        sigconv.fit_ar(x, 2, method=method).forecast(3)
        sigconv.fit_ar(walk, 2, method=method)
        sigconv.fit_ar(x, max_order=4, method=method)
        sigconv.fit_ar(batch, 2, method=method)
    result = sigconv.fit_ar(x, 2)
    result.simulate(20, seed=0)
    result.acf(5)


def _arima(dtype):
    import sigconv

    y = np.cumsum(_series(dtype))
    for method in ("css-ml", "ml", "css"):
        result = sigconv.ARIMA((1, 1, 1), method=method).fit(y)
        result.forecast(3)
        _ = result.bse                      # the numerical Hessian
    sigconv.ARIMA((1, 0, 1), trend="c").fit(_series(dtype)).forecast(2)
    sigconv.ARIMA((0, 1, 1), (0, 1, 1, SEASON)).fit(y).forecast(SEASON)
    sigconv.ARIMA((1, 1, 0)).fit(_with_nan(y)).forecast(2)          # Kalman with gaps
    sigconv.ARIMA((1, 0, 0), exog=np.arange(N, dtype=dtype)).fit(_series(dtype))
    sigconv.ARIMA((1, 1, 1)).fit(np.stack([y, y[::-1], 2 * y])).forecast(2)
    sigconv.ARIMA((2, 0, 1)).fit(_series(dtype)).psi_weights(5)


def _match(dtype):
    import sigconv

    x = _series(dtype, 200)
    t = x[50:66].copy()
    for method in ("direct", "fft", "auto"):
        sigconv.ncc(x, t, method=method)
        sigconv.distance_profile(x, t, method=method)
    sigconv.ncc(_with_nan(x), t, nan="ignore")
    sigconv.ncc(np.stack([x, x[::-1]]), t)
    sigconv.find_matches(x, t, k=2)
    for score in ("ncc", "distance"):
        sigconv.match_many(x, [t, x[10:30].copy()], score=score)
    sigconv.lag(x, np.roll(x, 3), 10)
    matcher = sigconv.StreamMatcher(t, 0.9)
    matcher.process(x[:100])
    matcher.process(x[100:])


def _stochastic(dtype):
    import sigconv

    x = _series(dtype)
    for boundary in ("constant", "reflect"):
        sigconv.stochastic_convolve(x, [0.25, 0.5, 0.25], 8, seed=0, boundary=boundary)


def _audio(dtype):
    from .audio import SongLibrary

    sr = 8000
    song = np.random.default_rng(0).standard_normal(6 * sr).astype(dtype)
    library = SongLibrary().add(song, sr)
    library.identify(song[sr:3 * sr], sr)


def _nn(dtype):
    from sigconv import nn

    for groups, causal in ((1, True), (2, False)):
        layer = nn.Conv1d(2, 4, 3, dilation=2, causal=causal, groups=groups, seed=0,
                          dtype=dtype)
        x = np.random.default_rng(0).standard_normal((2, 2, 40)).astype(dtype)
        y = layer(x)
        layer.backward(np.ones_like(y))


# (what it exercises, the calls as a function of the dtype, the kernel modules it
# is there for: ``--module`` picks the calls by these; a call may compile others)
CALLS = (
    ("convolution engine", _engine, ("direct",)),
    ("moving averages", _moving_averages, ("sliding",)),
    ("exponential means and recursive filters", _recursive, ("recursive",)),
    ("autocorrelation and AR fits", _autocorrelation, ("lagged", "levinson")),
    ("ARIMA fits", _arima, ("arima", "kalman")),
    ("template matching", _match, ("match",)),
    ("stochastic convolution", _stochastic, ("stochastic",)),
    ("audio identification", _audio, ("bands",)),
    ("learned convolutions (sigconv.nn)", _nn, (NN_MODULE,)),
)


def _callers(found):
    """``{kernel: {kernels that call it}}``, from the global names each kernel's
    Python function reads (a kernel called by another is compiled into it)."""
    by_id = {id(dispatcher): name for name, dispatcher in found.items()}
    callers = {name: set() for name in found}
    for name, dispatcher in found.items():
        func = dispatcher.py_func
        for global_name in func.__code__.co_names:
            callee = by_id.get(id(func.__globals__.get(global_name)))
            if callee is not None and callee != name:
                callers[callee].add(name)
    return callers


def _ready(found):
    """Kernels with machine code: their own signatures (compiled, or loaded from
    the cache), or compiled into a kernel that is ready.  A kernel loaded from the
    cache brings the kernels it calls with it, without their dispatchers seeing
    a signature."""
    ready = {name for name, dispatcher in found.items() if dispatcher.signatures}
    callers = _callers(found)
    changed = True
    while changed:
        changed = False
        for name in found:
            if name not in ready and callers[name] & ready:
                ready.add(name)
                changed = True
    return ready


def _uncached(found):
    """Kernels with their own signatures but no numba index file (``.nbi``) in
    their cache directory."""
    return [name for name, dispatcher in found.items()
            if dispatcher.signatures and not has_cache_index(dispatcher)]


def has_cache_index(dispatcher):
    """Whether numba's cache directory holds an index file (``.nbi``) for the
    kernel ``dispatcher``: it was compiled and cached by some process."""
    import glob
    import os

    stem = os.path.splitext(os.path.basename(dispatcher.py_func.__code__.co_filename))[0]
    pattern = f"{stem}.{dispatcher.py_func.__qualname__}-*.nbi"
    path = dispatcher.stats.cache_path
    return bool(path) and bool(glob.glob(os.path.join(glob.escape(path), pattern)))


def _cache_stats(dispatchers):
    """(signatures, compiled, loaded, cache directory) over ``dispatchers``."""
    signatures = compiled = loaded = 0
    cache_dir = None
    for dispatcher in dispatchers:
        signatures += len(dispatcher.signatures)
        stats = dispatcher.stats
        loaded += sum(stats.cache_hits.values())
        compiled += sum(stats.cache_misses.values())
        cache_dir = cache_dir or stats.cache_path
    return signatures, compiled, loaded, cache_dir


def module_names(include_nn=True):
    """Names of the kernel modules :func:`warmup` can select (``sigconv._core.NAME``)."""
    modules, _ = kernel_modules(include_nn)
    return [module.__name__.rsplit(".", 1)[-1] for module in modules]


def warmup(modules=None, *, dtypes=DTYPES, include_nn=True):
    """Compile (or load from the cache) the numba kernels of :mod:`sigconv._core`.

    Parameters
    ----------
    modules : sequence of str, optional
        Kernel modules to warm, by name (``"recursive"`` for
        :mod:`sigconv._core.recursive`; see :func:`module_names`).  Default:
        all of them.  Only their kernels are counted in the report.
    dtypes : sequence of numpy float dtypes
        Input dtypes of the calls; default float64 and float32.
    include_nn : bool
        Also warm the kernels of :mod:`sigconv.nn` when it imports.

    Returns
    -------
    WarmupReport

    Raises
    ------
    ValueError
        An unknown module name (the message lists the valid ones).
    """
    found_modules, skipped = kernel_modules(include_nn)
    available = {module.__name__.rsplit(".", 1)[-1]: module for module in found_modules}
    if modules is None:
        selected = list(available)
    else:
        selected = list(dict.fromkeys(modules))
        unknown = [name for name in selected if name not in available]
        if unknown:
            reason = "".join(f"; {note}" for note in skipped
                             if note.split()[0] in unknown)
            raise ValueError(f"unknown kernel module {unknown[0]!r}{reason}; choose from: "
                             + ", ".join(available))
    found = kernels([available[name] for name in selected])
    report = WarmupReport(kernels=sorted(found), skipped=skipped)
    calls = [(label, call) for label, call, targets in CALLS if set(targets) & set(selected)]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            # First with the size thresholds at 0 (the threaded kernels), then as
            # shipped (the serial ones).
            for threaded in (True, False):
                context = _threaded_everywhere() if threaded else contextlib.nullcontext()
                with context:
                    for label, call in calls:
                        for dtype in dtypes:
                            try:
                                call(np.dtype(dtype).type)
                            except Exception as exc:  # noqa: BLE001 - reported, not fatal
                                what = f"{label}, {np.dtype(dtype).name}"
                                if threaded:
                                    what += ", threaded"
                                report.failed.append((what, f"{type(exc).__name__}: {exc}"))
    report.seconds = time.perf_counter() - started
    report.ready = sorted(_ready(found))
    report.uncached = _uncached(found)
    (report.signatures, report.compiled, report.loaded,
     report.cache_dir) = _cache_stats(found.values())
    return report
