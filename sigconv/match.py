"""Template matching: normalised cross-correlation, distance profiles, matches, lags.

Sliding a template along a series and scoring every window is a correlation
with the template (a convolution with it flipped).  The score here is the
Pearson correlation of the template with each window (``ncc``), or the
z-normalised Euclidean distance ``sqrt(2 m (1 - ncc))`` of the matrix-profile
literature.
"""
from __future__ import annotations

import os
import threading
import warnings

import numpy as np

from . import _validate as V
from .engine import _core, choose_method, convolve_values

METHODS = ("auto", "direct", "fft", "overlap_add")
SCORES = ("ncc", "distance")
LAG_METHODS = ("ncc", "phat")
# Windows; below, one thread is faster: waking numba's thread pool right after
# scipy.fft's own threads costs more than the second core saves.
_PARALLEL_FROM = 250_000
# Windows from which the chunks of an overlap-save profile go to one thread per
# core: their hand-off costs less than numba's thread pool (measured here).
_THREADS_FROM = 50_000
_WORKERS = os.cpu_count() or 1


def _template_input(template, name="template"):
    """A validated template, z-normalised: zero mean, unit (population) std."""
    values = np.asarray(template)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be real numbers; got dtype {values.dtype}")
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {values.shape}")
    if values.size < 2:
        raise ValueError(f"{name} must have at least 2 samples; got {values.size}")
    values = values.astype(np.float64)
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains NaN or inf")
    if np.ptp(values) == 0:
        raise ValueError(f"{name} is constant: its correlation with any window is undefined")
    centred = values - values.mean()
    centred -= centred.mean()   # twice: the first mean's round-off scales with the offset
    return centred / np.sqrt(np.mean(centred * centred))


def _series(x, m, nan, axis, name="x"):
    """Validated series (n_series, n), NaN filled, and the windows holding NaN."""
    V.check_option(nan, "nan", ("raise", "ignore"))
    data = V.series_input(x, name, axis=axis, dtype=np.float64)
    if data.n_samples < m:
        raise ValueError(f"the template ({m} samples) must not be longer than {name} "
                         f"({data.n_samples} samples)")
    values = data.values
    bad = None
    if V.nonfinite_policy(values, nan, name, remedies=("ignore",)):
        bad = ~np.isfinite(values)
        values = np.where(bad, 0.0, values)
    return data, values, bad


def _missing_windows(bad, m):
    """Which length-m windows hold a missing sample (None if none can)."""
    if bad is None:
        return None
    counts = np.cumsum(np.pad(bad, ((0, 0), (1, 0))), axis=1)
    return counts[:, m:] - counts[:, :-m] > 0


def _flags(missing):
    """The missing-window flags a kernel takes (an empty array: none)."""
    return np.zeros((0, 0), dtype=bool) if missing is None else missing


def _profile(x, template, method, nan, axis, score):
    V.check_option(method, "method", METHODS)
    V.check_option(score, "score", SCORES)
    tz = _template_input(template)
    m = tz.size
    data, values, bad = _series(x, m, nan, axis)
    missing = _missing_windows(bad, m)
    level = values.mean(axis=1)
    if method == "auto" and choose_method(values.shape[1], m, values.shape[0],
                                          mode="valid") != "direct":
        result = _overlap_save_profiles(values, level, tz, missing, score)
    else:
        result = _engine_profiles(values, level, tz, missing, score, method)
    return data.wrap(result, index=_window_index(data, result.shape[1]))


def _engine_profiles(values, level, tz, missing, score, method):
    """Profiles from the engine's sliding dot products, scored in place (see
    ``_core.match.profile``).

    The dot products are taken about each series' mean ``level``: that changes
    nothing for a zero-mean template but keeps the round-off from scaling with
    a large offset.  A transform over all n samples adds round-off growing with
    the samples' rms distance from the level times ``sqrt(n / m)`` (the
    ``spread``); the direct method's depends only on each window's own.
    """
    m = tz.size
    if method == "auto":
        method = "direct"      # what choose_method picked
    centred = values - level[:, None]
    dots, _ = convolve_values(centred, tz[::-1][None, :], 0, "valid", method=method)
    spread = (np.zeros(values.shape[0]) if method == "direct"
              else np.sqrt(np.einsum("ij,ij->i", centred, centred) / m))
    kernels = _core("match")
    run = kernels.profile if dots.size >= _PARALLEL_FROM else kernels.profile_serial
    run(values, tz, level, spread, _flags(missing), score == "distance", dots)
    return dots


def _overlap_save_profiles(values, level, tz, missing, score):
    """Profiles with the dot products by overlap-save (blocks of 4 to 16
    template lengths, only valid outputs computed), each chunk scored while it
    is in cache (``_core.match.chunk_profile``)."""
    from ._fft import OverlapSave, scratch

    m = tz.size
    out = np.empty((values.shape[0], values.shape[1] - m + 1))
    kernel = _core("match").chunk_profile
    threads = _WORKERS if out.size >= _THREADS_FROM else 1
    plans = [OverlapSave(row, [tz], float(level[r]), min_chunks=threads)
             for r, row in enumerate(values)]

    def run(task):
        r, k = task
        start, (stop,), sumsq = plans[r].chunk(k, [out[r]])
        flags = np.zeros(0, dtype=bool) if missing is None else missing[r, start:stop]
        mean, var = scratch("mean", plans[r].windows), scratch("var", plans[r].windows)
        profile = out[r, start:stop]
        kernel(values[r, start:], tz, mean, var, level[r], np.sqrt(sumsq / m), flags,
               score == "distance", profile)

    _run_chunks(run, [(r, k) for r, plan in enumerate(plans) for k in range(plan.n_chunks)],
                threads)
    return out


def _window_index(data, n_out):
    """Windows are labelled by the index of their first sample."""
    return None if data.index is None else data.index[:n_out]


def ncc(x, template, *, method="auto", nan="raise", axis=-1):
    """Pearson correlation of ``template`` with every window of ``x``.

    ``ncc[i] = sum_j (x[i + j] - mean_i)(t[j] - mean_t) / (m std_i std_t)``
    for the ``n - m + 1`` windows ``x[i:i + m]`` (population standard
    deviations): 1 for a window that is an affine copy of the template
    (positive gain), -1 for a negated one.

    Parameters
    ----------
    x : array_like, shape (n,) or (n_series, n), Series or DataFrame
        The series; a 2-D array holds one series per row (``axis=-1``), a
        DataFrame one per column.  Every series is scored, in parallel.
    template : array_like, shape (m,)
        At least 2 finite samples, not all equal, m <= n.
    method : {"auto", "direct", "fft", "overlap_add"}
        How the sliding dot products are computed (see
        :func:`sigconv.choose_method`); the window statistics are O(n).
    nan : {"raise", "ignore"}
        ``"ignore"`` scores the windows free of NaN and gives NaN for the
        others.
    axis : int
        Time axis of an N-D array.

    Returns
    -------
    ndarray or Series or DataFrame, length n - m + 1
        Labelled by the index of each window's first sample for pandas input.
        NaN where the window is constant (zero variance: the correlation is
        undefined) or holds a NaN.

    Notes
    -----
    The template is z-normalised, so the numerator is the plain correlation
    of the series (less its overall mean, which the zero-mean template
    ignores, so that a large offset costs no precision) with the template.
    The window means and standard deviations come from compensated running
    sums about a local reference that is recomputed directly whenever
    cancellation would cost more than a few digits: exact to round-off on a
    series riding on a large offset, on long series and on near-constant
    windows, where cumulative-sum formulas (and ``stumpy.mass``) lose
    precision.  A window of equal values (counted exactly) has standard
    deviation 0.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.match import ncc
    >>> x = np.array([0.0, 1.0, 0.0, 1.0, 3.0, 1.0, 2.0, 2.0])
    >>> ncc(x, [0.0, 1.0, 0.0]).round(3)
    array([ 1.   , -1.   , -0.189,  1.   , -0.866,  0.5  ])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.ncc(x, template, method=method, nan=nan, axis=axis)
    return _profile(x, template, method, nan, axis, "ncc")


def distance_profile(x, template, *, method="auto", nan="raise", axis=-1):
    """z-normalised Euclidean distance of ``template`` to every window of ``x``.

    ``sqrt(2 m (1 - ncc))``: the Euclidean distance between the z-normalised
    template and the z-normalised window, as ``stumpy.mass``.  Takes the
    arguments of :func:`ncc`.  A constant window gives NaN (``stumpy.mass``
    gives ``sqrt(m)`` there).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.match import distance_profile
    >>> x = np.array([0.0, 1.0, 0.0, 1.0, 3.0, 1.0, 2.0, 2.0])
    >>> distance_profile(x, [0.0, 1.0, 0.0]).round(3)
    array([0.   , 3.464, 2.671, 0.   , 3.346, 1.732])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.distance_profile(x, template, method=method, nan=nan, axis=axis)
    return _profile(x, template, method, nan, axis, "distance")


def match_many(x, templates, *, score="ncc", nan="raise"):
    """Score several templates (of any lengths) against one series.

    Equal to ``[ncc(x, t) for t in templates]`` (or :func:`distance_profile`
    with ``score="distance"``), at a fraction of the cost: the series is cut
    into overlapping blocks and transformed once (overlap-save), so each
    template costs one inverse transform of the series, and the window
    statistics are computed once per template length.

    Parameters
    ----------
    x : array_like, shape (n,), or Series
    templates : sequence of array_like, or dict of name -> array_like
    score : {"ncc", "distance"}
    nan : {"raise", "ignore"}

    Returns
    -------
    list (or dict, for a dict of templates) of profiles, as :func:`ncc`.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.match import match_many, ncc
    >>> x = np.random.default_rng(0).normal(size=1000)
    >>> profiles = match_many(x, {"short": x[10:20], "long": x[500:600]})
    >>> [int(np.nanargmax(p)) for p in profiles.values()]
    [10, 500]
    """
    V.check_option(score, "score", SCORES)
    named = isinstance(templates, dict)
    items = list(templates.items()) if named else list(enumerate(templates))
    if not items:
        raise ValueError("templates must hold at least one template")
    zs = [_template_input(t, f"templates[{key!r}]") for key, t in items]
    m_max = max(z.size for z in zs)
    data, values, bad = _series(x, m_max, nan, -1)
    if data.n_series != 1:
        raise ValueError("match_many takes one series; call it per series, or use ncc on a "
                         "2-D array for one template against many series")
    from ._fft import OverlapSave, scratch

    row = values[0]
    level = float(row.mean())
    threads = _WORKERS if row.size * len(zs) >= _THREADS_FROM else 1
    plan = OverlapSave(row, zs, level, min_chunks=threads)
    lengths = [z.size for z in zs]
    profiles = _profile_buffers(row.size, lengths)
    missing = {m: _missing_windows(bad, m) for m in set(lengths)}
    by_length = sorted(range(len(zs)), key=lengths.__getitem__)
    kernels = _core("match")

    def run(k):
        # Templates of one length share the chunk's window statistics.
        start, stops, sumsq = plan.chunk(k, profiles)
        mean, var = scratch("mean", plan.windows), scratch("var", plan.windows)
        stats_of = None
        for j in by_length:
            m, stop, profile = lengths[j], stops[j], profiles[j][start:stops[j]]
            if stop == start:
                continue
            if m != stats_of:
                kernels.chunk_stats(row[start:], m, mean[:stop - start], var[:stop - start])
                stats_of = m
            flags = np.zeros(0, dtype=bool) if missing[m] is None else missing[m][0, start:stop]
            kernels.chunk_scores(row[start:], zs[j], mean, var, level, np.sqrt(sumsq / m),
                                 flags, score == "distance", profile)

    _run_chunks(run, range(plan.n_chunks), threads)
    out = [data.wrap(p[None, :], index=_window_index(data, p.size)) for p in profiles]
    return {key: p for (key, _), p in zip(items, out)} if named else out


def _profile_buffers(n, lengths):
    """One output per template length, as views of one allocation: large
    enough for transparent huge pages, so far fewer page faults than
    separate arrays."""
    sizes = [n - m + 1 for m in lengths]
    flat = np.empty(sum(sizes))
    return np.split(flat, np.cumsum(sizes)[:-1])


_POOL = None


def _forget_pool():
    """A forked child has none of the pool's threads: it starts its own."""
    global _POOL
    _POOL = None


os.register_at_fork(after_in_child=_forget_pool)


def _run_chunks(run, tasks, threads):
    """``run(task)`` for every task, on this thread or on a pool of ``threads``
    (the transforms and kernels release the GIL; the tasks are handed out as
    threads free up, so a core taken by another process slows the call down
    instead of stalling it)."""
    global _POOL
    tasks = list(tasks)
    if threads < 2 or len(tasks) < 2:
        for task in tasks:
            run(task)
        return
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(_WORKERS - 1, thread_name_prefix="sigconv")
    pending = iter(tasks)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                task = next(pending, None)
            if task is None:
                return
            run(task)

    helpers = [_POOL.submit(work) for _ in range(min(threads, _WORKERS) - 1)]
    work()                       # this thread takes chunks too
    for helper in helpers:
        helper.result()


def lag(x, y, max_lag=None, *, method="ncc"):
    """The delay ``d`` (in samples, fractional) such that ``y[t] ~ x[t - d]``.

    A positive ``d`` means ``y`` lags ``x``: it is a delayed copy.  The
    cross-correlation ``c[k] = sum_t (y[t + k] - mean y)(x[t] - mean x)`` is
    computed for every lag by FFT; its peak within ``|k| <= max_lag`` is
    refined by fitting a parabola through it and its two neighbours.

    This is :func:`scipy.signal.correlate` ``(y, x)`` with the lags of
    :func:`scipy.signal.correlation_lags` ``(len(y), len(x))``, and for
    ``k >= 0`` ``c[k]`` is proportional to statsmodels' ``ccf(y, x)[k]``
    (``corr(y[t + k], x[t])``).

    Parameters
    ----------
    x, y : array_like, shape (n_x,), (n_y,), or Series
        Finite signals, at least 3 samples each.
    max_lag : int >= 1, optional
        Largest |delay| searched; default every lag the signals allow.
    method : {"ncc", "phat"}
        ``"ncc"``
            the plain cross-correlation (the best linear fit of a delayed
            copy in white noise).
        ``"phat"``
            GCC-PHAT: the cross-spectrum divided by its magnitude, which
            keeps only phase and sharpens the peak of filtered or
            reverberant copies.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.match import lag
    >>> x = np.random.default_rng(0).normal(size=2000)
    >>> y = np.r_[np.zeros(25), x[:-25]]          # y[t] = x[t - 25]
    >>> round(lag(x, y), 2)
    25.0
    """
    V.check_option(method, "method", LAG_METHODS)
    a = _signal(x, "x")
    b = _signal(y, "y")
    longest = max(a.size, b.size) - 1
    if max_lag is None:
        max_lag = longest
    max_lag = V.check_int(max_lag, "max_lag")
    if max_lag > longest:
        raise ValueError(f"max_lag must be at most {longest} (the longer signal's length less "
                         f"1); got {max_lag}")
    from scipy import fft

    size = fft.next_fast_len(a.size + b.size - 1, real=True)
    cross = fft.rfft(b - b.mean(), size) * np.conj(fft.rfft(a - a.mean(), size))
    if method == "phat":
        magnitude = np.abs(cross)
        cross = np.divide(cross, magnitude, out=np.zeros_like(cross), where=magnitude > 0)
    c = fft.irfft(cross, size)
    lags = np.arange(-max_lag, max_lag + 1)
    lags = lags[(lags <= b.size - 1) & (lags >= -(a.size - 1))]
    values = c[lags % size]
    best = int(np.argmax(values))
    return float(lags[best] + _parabolic_offset(values, best))


def _parabolic_offset(values, k):
    """Where between samples the peak at ``k`` lies: the vertex of the parabola
    through ``values[k - 1:k + 2]``, relative to ``k`` (0 at an edge or where
    the three points do not curve down)."""
    if 0 < k < values.size - 1:
        left, mid, right = values[k - 1], values[k], values[k + 1]
        curvature = left - 2 * mid + right
        if curvature < 0:
            return 0.5 * (left - right) / curvature
    return 0.0


def _signal(x, name):
    data = V.series_input(x, name, dtype=np.float64)
    if data.n_series != 1:
        raise ValueError(f"{name} must be 1-D; got {data.n_series} series")
    values = data.values[0]
    if values.size < 3:
        raise ValueError(f"{name} must have at least 3 samples; got {values.size}")
    V.nonfinite_policy(data.values, "raise", name, remedies=())
    return values


def _default_threshold(scores):
    """Six robust standard deviations above the median score: background
    windows exceed it with probability ~1e-9 when they are Gaussian."""
    finite = scores[np.isfinite(scores)]
    if finite.size == 0:
        return np.inf
    median = np.median(finite)
    mad = np.median(np.abs(finite - median))
    return float(median + 6 * 1.4826 * mad)


def _greedy(starts, scores, exclusion, k=None):
    """Best-first selection: take the highest score, drop the candidates within
    ``exclusion`` of it, repeat (ties: the earlier start first)."""
    order = np.lexsort((starts, -scores))
    taken = []
    chosen = np.zeros(0, dtype=np.int64)
    for idx in order:
        start = starts[idx]
        if chosen.size and np.min(np.abs(chosen - start)) <= exclusion:
            continue
        taken.append(idx)
        chosen = np.append(chosen, start)
        if k is not None and len(taken) == k:
            break
    return np.asarray(taken, dtype=np.int64)


def _match_table(starts, scores, m, index=None):
    import pandas as pd

    table = pd.DataFrame({"start": starts.astype(np.int64), "end": starts.astype(np.int64) + m,
                          "score": scores})
    if index is not None and not isinstance(index, pd.RangeIndex):
        table["time"] = index[starts]
    return table


def _check_exclusion(exclusion, m):
    return m // 2 if exclusion is None else V.check_int(exclusion, "exclusion", minimum=0)


def find_matches(x, template, k=None, threshold=None, exclusion=None, *, method="auto",
                 nan="raise"):
    """The best non-overlapping windows of ``x`` that match ``template``.

    Greedy, as in the matrix-profile literature: take the window with the
    highest :func:`ncc`, drop every window starting within ``exclusion``
    samples of it, repeat, until ``k`` matches are taken or the score falls
    below ``threshold``.

    Parameters
    ----------
    x : array_like, shape (n,), or Series
    template : array_like, shape (m,)
    k : int >= 1, optional
        Most matches returned.
    threshold : float in [-1, 1], optional
        Smallest score returned.  With neither ``k`` nor ``threshold``, six
        robust standard deviations above the median score (median + 6 x
        1.4826 x MAD): matches that stand out from the background.
    exclusion : int >= 0, optional
        Default ``m // 2``.
    method, nan
        As :func:`ncc`.

    Returns
    -------
    DataFrame
        ``start``, ``end`` (exclusive) and ``score`` per match, best first,
        plus ``time`` (the index label at ``start``) when ``x`` is a Series
        with an index other than a RangeIndex; ``attrs["threshold"]`` holds
        the threshold applied (NaN when only ``k`` limits the matches).

    Warns
    -----
    UserWarning
        When the default threshold leaves no match (every score is below
        it, as for a periodic series whose windows all look alike).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.match import find_matches
    >>> rng = np.random.default_rng(0)
    >>> shape = np.sin(np.linspace(0, 3 * np.pi, 50))
    >>> x = rng.normal(size=5000)
    >>> for start in (700, 2100, 4000):
    ...     x[start:start + 50] += 5 * shape
    >>> find_matches(x, shape)[["start", "end"]].to_numpy().tolist()
    [[2100, 2150], [700, 750], [4000, 4050]]
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.find_matches(x, template, k, threshold, exclusion, method=method,
                                   nan=nan)
    if k is not None:
        k = V.check_int(k, "k")
    if threshold is not None:
        threshold = V.check_real(threshold, "threshold", -1.0, 1.0, closed="both")
    m = len(template)
    exclusion = _check_exclusion(exclusion, m)
    data = V.series_input(x, "x", dtype=np.float64)
    if data.n_series != 1:
        raise ValueError("find_matches takes one series; got "
                         f"{data.n_series} (loop over them, or use ncc for the profiles)")
    scores = np.asarray(ncc(x, template, method=method, nan=nan), dtype=float).reshape(-1)
    automatic = threshold is None and k is None
    if automatic:
        threshold = _default_threshold(scores)
    keep = np.isfinite(scores) if threshold is None else scores >= threshold
    starts = np.flatnonzero(keep)
    if automatic and starts.size == 0:
        warnings.warn(f"no window stands out: the default threshold {threshold:.3g} (median "
                      "+ 6 robust standard deviations of the scores) is above every score, "
                      "as for a periodic series; pass threshold= or k=", UserWarning,
                      stacklevel=2)
    picked = _greedy(starts, scores[starts], exclusion, k)
    table = _match_table(starts[picked], scores[starts][picked], m, data.index)
    table.attrs["threshold"] = np.nan if threshold is None else float(threshold)
    return table


class StreamMatcher:
    """Template matching on a series that arrives in chunks.

    ``process(chunk)`` returns the matches that can no longer change (a match
    is final once every window that could compete with it within
    ``exclusion`` has been scored); ``flush()`` returns the rest at the end.
    Together they are :func:`find_matches` ``(x, template,
    threshold=threshold, exclusion=exclusion)`` of the whole series.

    Parameters
    ----------
    template : array_like, shape (m,)
    threshold : float in [-1, 1]
    exclusion : int >= 0, optional
        Default ``m // 2``.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.match import StreamMatcher
    >>> shape = np.sin(np.linspace(0, 3 * np.pi, 50))
    >>> x = np.random.default_rng(0).normal(size=3000)
    >>> x[1000:1050] += 3 * shape
    >>> matcher = StreamMatcher(shape, threshold=0.8)
    >>> found = [matcher.process(chunk) for chunk in np.array_split(x, 7)]
    >>> found.append(matcher.flush())
    >>> [int(s) for table in found for s in table["start"]]
    [1000]
    """

    def __init__(self, template, threshold, exclusion=None):
        self._template = _template_input(template)   # z-normalised: ncc keeps it as is
        m = self._template.size
        self.threshold = V.check_real(threshold, "threshold", -1.0, 1.0, closed="both")
        self.exclusion = _check_exclusion(exclusion, m)
        self._tail = np.empty(0)
        self._consumed = 0          # samples seen
        self._starts = np.empty(0, dtype=np.int64)
        self._scores = np.empty(0)
        self._flushed = False

    def process(self, chunk):
        """Score the windows ``chunk`` completes; return the matches now final.

        Parameters
        ----------
        chunk : array_like, shape (c,)
            The next samples of the series (finite).

        Returns
        -------
        DataFrame
            ``start``, ``end``, ``score`` of the matches that no later sample
            can change, best first, as :func:`find_matches`.

        Raises
        ------
        ValueError
            ``chunk`` is not 1-D, holds NaN or inf, or the matcher was flushed.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.match import StreamMatcher
        >>> shape = np.sin(np.linspace(0, 3 * np.pi, 50))
        >>> x = np.random.default_rng(0).normal(size=600)
        >>> x[100:150] += 3 * shape
        >>> matcher = StreamMatcher(shape, threshold=0.8)
        >>> len(matcher.process(x[:120]))          # the window at 100 is not complete yet
        0
        >>> matcher.process(x[120:300]).round(3)
           start  end  score
        0    100  150  0.906
        """
        values = np.asarray(chunk, dtype=float)
        if values.ndim > 1:
            raise ValueError(f"chunk must be 1-D (the next samples of one series); got shape "
                             f"{values.shape}")
        values = values.reshape(-1)
        if self._flushed:
            raise ValueError("this StreamMatcher was flushed at the end of its series; make "
                             "a new one for another series")
        V.nonfinite_policy(values[None, :], "raise", "chunk", remedies=())
        m = self._template.size
        buffer = np.concatenate([self._tail, values])
        first = self._consumed - self._tail.size      # series position of buffer[0]
        self._consumed += values.size
        if buffer.size >= m:
            scores = np.asarray(ncc(buffer, self._template), dtype=float)
            hits = np.flatnonzero(scores >= self.threshold)
            self._starts = np.concatenate([self._starts, hits + first])
            self._scores = np.concatenate([self._scores, scores[hits]])
            buffer = buffer[buffer.size - m + 1:]
        self._tail = buffer
        scored = self._consumed - m + 1               # window starts scored so far
        return self._emit(lambda last: last + self.exclusion < scored)

    def flush(self):
        """The matches still pending at the end of the series (which it ends).

        Returns
        -------
        DataFrame
            ``start``, ``end``, ``score``, as :meth:`process`.  Later calls
            of :meth:`process` raise ValueError.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.match import StreamMatcher
        >>> shape = np.sin(np.linspace(0, 3 * np.pi, 50))
        >>> x = np.random.default_rng(0).normal(size=600)
        >>> x[540:590] += 3 * shape                # near the end: a later window could win
        >>> matcher = StreamMatcher(shape, threshold=0.8)
        >>> len(matcher.process(x))
        0
        >>> matcher.flush().round(3)
           start  end  score
        0    540  590  0.923
        """
        self._flushed = True
        return self._emit(lambda last: True)

    def _emit(self, is_closed):
        """Select within the clusters of candidates that no future window can join."""
        starts, scores = self._starts, self._scores
        if starts.size == 0:
            return _match_table(starts, scores, self._template.size)
        gaps = np.flatnonzero(np.diff(starts) > self.exclusion)
        ends = np.append(gaps, starts.size - 1)      # last candidate of each cluster
        closed = [e for e in ends if is_closed(starts[e])]
        cut = closed[-1] + 1 if closed else 0
        done_starts, done_scores = starts[:cut], scores[:cut]
        self._starts, self._scores = starts[cut:], scores[cut:]
        picked = _greedy(done_starts, done_scores, self.exclusion)
        picked = picked[np.argsort(-done_scores[picked], kind="stable")]
        return _match_table(done_starts[picked], done_scores[picked], self._template.size)
