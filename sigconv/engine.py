"""The convolution engine: convolve, correlate, method choice, boundaries, streaming.

Every mode reduces to one operation: a *valid correlation* of the series,
extended on the left and right according to ``mode`` and ``boundary``, with
the time-reversed kernel.  The direct method never builds the extended series
(it reads the interior in place and only copies the two edges); the FFT
methods convolve the series itself when the extension is zero.
"""
from __future__ import annotations

import importlib

import numpy as np

from . import _fft
from . import _validate as V

MODES = ("full", "valid", "same", "causal")
BOUNDARIES = ("constant", "reflect", "mirror", "nearest", "wrap")
METHODS = ("auto", "direct", "fft", "overlap_add")

# Cost model of `choose_method`, fitted to timings on the 2-core development
# machine (benchmarks/bench_engine.py, docs/benchmarks.md).
_DIRECT_MACS_PER_S = {4: 8.8e10, 8: 4.4e10}     # by item size: float32, float64
_FFT_S_PER_POINT_LOG = 1.0e-9                   # whole-series FFT, per N log2 N
_OA_S_PER_POINT_LOG = 0.4e-9                    # overlap-add, per block N log2 N
_OA_S_PER_SAMPLE = 2.5e-9                       # overlap-add blocking and summing
_FFT_CALL_S = 3e-5                              # fixed cost of an FFT-based call
# Below this many multiply-adds (about 0.2 ms on one core) the direct kernel
# runs on one thread: waking a second thread costs more than it saves, and
# when another process holds the other core a parallel region can stall for
# a scheduler time slice (milliseconds) waiting for its second thread.
SERIAL_BELOW_MACS = 4_000_000


def choose_method(n, k, n_series=1, *, dtype=np.float64, dilation=1, mode="full"):
    """The method ``method="auto"`` picks, from a cost model measured on this machine.

    Parameters
    ----------
    n : int >= 1
        Samples per series.
    k : int >= 1
        Kernel taps.
    n_series : int >= 1
        Series convolved in one call.
    dtype : dtype
        Data type of the computation; complex data always uses an FFT method.
    dilation : int >= 1
        Spacing of the taps (the kernel spans ``(k - 1) * dilation + 1`` samples).
    mode : {"full", "valid", "same", "causal"}
        Sets the number of outputs.

    Returns
    -------
    str
        ``"direct"``, ``"fft"`` or ``"overlap_add"``.

    Notes
    -----
    Direct costs ``n_out * k`` multiply-adds at the rate the direct kernel
    reaches here (about 44 G/s in float64 on 2 threads); the FFT costs
    ``N log2 N`` for a transform of the whole padded length; overlap-add
    costs ``N log2 N / (N - span + 1)`` per sample for its best block size
    ``N`` plus a per-sample cost of blocking.  The cheapest estimate wins.

    Examples
    --------
    >>> from sigconv import choose_method
    >>> choose_method(1_000_000, 31)
    'direct'
    >>> choose_method(1_000_000, 4095)
    'overlap_add'
    """
    V.check_option(mode, "mode", MODES)
    return _choose(V.check_int(n, "n"), V.check_int(k, "k"), V.check_int(n_series, "n_series"),
                   np.dtype(dtype), V.check_int(dilation, "dilation"), mode)


def _choose(n, k, n_series, dtype, dilation, mode):
    span = (k - 1) * dilation + 1
    n_in = n + span - 1
    costs = {}
    if dtype.kind != "c":
        n_out = n_in if mode == "full" else max(n - span + 1, 1) if mode == "valid" else n
        costs["direct"] = n_series * n_out * k / _DIRECT_MACS_PER_S.get(dtype.itemsize, 4.4e10)
        if costs["direct"] < _FFT_CALL_S:  # no FFT call is this cheap
            return "direct"
    size = _fft.next_fast_len(n_in)
    costs["fft"] = _FFT_CALL_S + n_series * _FFT_S_PER_POINT_LOG * size * np.log2(size)
    block = _fft.block_length(span, n)
    per_sample = _OA_S_PER_POINT_LOG * block * np.log2(block) / (block - span + 1)
    costs["overlap_add"] = _FFT_CALL_S + n_series * n_in * (per_sample + _OA_S_PER_SAMPLE)
    return min(costs, key=costs.get)


def convolve(x, kernel, mode="full", *, boundary="constant", cval=0.0, method="auto", axis=-1,
             nan="propagate", min_weight=None, dilation=1, dtype=None):
    """Convolve every series in ``x`` with ``kernel``.

    ``y[t] = sum_j kernel[j] * x[t - (j - origin) * dilation]``.

    Parameters
    ----------
    x : array_like, shape (..., n), pandas Series or DataFrame
        The series; time runs along ``axis`` and every other axis is a batch
        of series.  A DataFrame is one series per column.
    kernel : array_like, shape (k,) or (n_series, k), or Kernel
        One kernel for every series, or one row per series.  A plain array's
        origin (lag 0) is its centre ``(k - 1) // 2``, as in
        ``scipy.signal.convolve(mode="same")``; a :class:`Kernel` brings its own.
    mode : {"full", "valid", "same", "causal"}
        ``"full"``
            every overlap, ``n + span - 1`` outputs (zeros outside the series).
        ``"valid"``
            only complete windows, ``n - span + 1`` outputs; needs
            ``span <= n``.
        ``"same"``
            ``n`` outputs aligned by the kernel's origin: a centred kernel
            gives a centred filter.
        ``"causal"``
            ``n`` outputs, ``y[t] = sum_j kernel[j] x[t - j]`` (the origin is
            taken as 0).
        ``span = (k - 1) * dilation + 1``.
    boundary : {"constant", "reflect", "mirror", "nearest", "wrap"}
        How ``same`` and ``causal`` extend the series, named as in
        ``scipy.ndimage``:
        ``"constant"``
            ``cval`` beyond both ends (``k k k | a b c d | k k k``).
        ``"reflect"``
            ``d c b a | a b c d | d c b a`` (the edge sample repeats).
        ``"mirror"``
            ``d c b | a b c d | c b a`` (the edge sample does not repeat).
        ``"nearest"``
            ``a a a | a b c d | d d d``.
        ``"wrap"``
            ``b c d | a b c d | a b c`` (circular convolution).
    cval : float
        Value beyond the ends for ``boundary="constant"``.  ``cval=np.nan``
        with ``nan="ignore"`` treats the outside as missing, as pandas'
        rolling windows do at the edges.
    method : {"auto", "direct", "fft", "overlap_add"}
        ``"direct"``
            time-domain sums in numba, parallel over series and blocks.
        ``"fft"``
            the convolution theorem with one FFT of the whole padded length.
        ``"overlap_add"``
            FFTs of blocks, for long series with short to medium kernels.
        ``"auto"``
            the cheapest by :func:`choose_method`'s cost model.
    axis : int
        The time axis of an array ``x``.
    nan : {"propagate", "raise", "ignore"}
        Non-finite samples (NaN, +-inf):
        ``"propagate"``
            only outputs whose window covers one are affected, and they get
            exactly the direct sum's value (NaN, or +-inf) with every method:
            the FFT methods recompute those outputs directly.
        ``"raise"``
            raise ValueError if ``x`` holds any.
        ``"ignore"``
            normalised convolution: missing samples are skipped and the
            present weights rescaled to the kernel's total absolute weight,
            ``y = sum_present w x * sum|w| / sum_present |w|``.  With a box
            kernel this is pandas' ``rolling(...).mean()``.
    min_weight : float in [0, 1], optional
        With ``nan="ignore"``: the fraction of the kernel's total absolute
        weight that must be present, else the output is NaN.  Default: any
        weight at all.
    dilation : int >= 1
        Spacing between taps, as in dilated temporal convolutions.
    dtype : dtype, optional
        Computation and output type.  Default: float32 or complex64 input stays
        in single precision; everything else is float64 (or complex128).

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``.  ``same`` and ``causal`` keep a pandas index; ``full`` and
        ``valid`` label each output by the input position its kernel origin
        sits on (``-origin`` for the first ``full`` output).

    Raises
    ------
    ValueError
        Empty or too-short series, a kernel that does not fit, an unknown
        option, non-finite samples with ``nan="raise"``, ``min_weight``
        without ``nan="ignore"``.
    TypeError
        Non-numeric data (a non-numeric DataFrame column is named).

    See Also
    --------
    correlate, choose_method, StreamFilter, scipy.signal.convolve,
    scipy.ndimage.convolve1d

    Notes
    -----
    The direct kernel sums each output's taps in order, four taps per pass
    over a block of 1024 outputs, with fused multiply-adds: O(n k).  The FFT
    costs O(N log N) for N = n + span - 1; overlap-add O(n log B) for blocks
    of B samples.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> sigconv.convolve([1.0, 2.0, 3.0], [1.0, 1.0])
    array([1., 3., 5., 3.])
    >>> sigconv.convolve([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0], "same", boundary="nearest")
    array([ 4.,  6.,  9., 11.])
    >>> sigconv.convolve([1.0, np.nan, 3.0, 4.0], np.ones(3) / 3, "same",
    ...                  cval=np.nan, nan="ignore")
    array([1. , 2. , 3.5, 3.5])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.convolve(x, kernel, mode, boundary=boundary, cval=cval, method=method,
                               axis=axis, nan=nan, min_weight=min_weight, dilation=dilation,
                               dtype=dtype)
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    weights, origin = V.kernel_input(kernel, "kernel", n_series=data.n_series, dtype=data.dtype)
    return _convolve(data, weights, origin, mode, boundary, cval, method, nan, min_weight,
                     dilation)


def correlate(x, template, mode="full", *, boundary="constant", cval=0.0, method="auto",
              axis=-1, nan="propagate", min_weight=None, dilation=1, dtype=None):
    """Cross-correlate every series in ``x`` with ``template``.

    ``y[t] = sum_j template[j] * x[t + (j - origin) * dilation]``, which is
    ``convolve(x, template[::-1])``.  With a plain array the outputs equal
    ``scipy.signal.correlate`` in ``full``, ``valid`` and ``same`` mode;
    ``causal`` ends the template at the current sample
    (``y[t] = sum_j template[j] x[t - (k - 1) + j]``).  A :class:`Kernel`
    template is correlated about its origin (``convolve(x, template.flip())``).

    Parameters are those of :func:`convolve`, with ``template`` for ``kernel``
    (conjugated if complex, as in scipy).

    Examples
    --------
    >>> import sigconv
    >>> sigconv.correlate([0.0, 1.0, 2.0, 3.0], [1.0, 1.0], "valid")
    array([1., 3., 5.])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.correlate(x, template, mode, boundary=boundary, cval=cval, method=method,
                                axis=axis, nan=nan, min_weight=min_weight, dilation=dilation,
                                dtype=dtype)
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    if hasattr(template, "flip") and hasattr(template, "origin"):
        weights, origin = V.kernel_input(template.flip(), "template", n_series=data.n_series,
                                         dtype=data.dtype)
    else:
        weights, _ = V.kernel_input(template, "template", n_series=data.n_series,
                                    dtype=data.dtype)
        weights = np.ascontiguousarray(np.conj(weights[:, ::-1]))
        origin = (weights.shape[1] - 1) // 2
    return _convolve(data, weights, origin, mode, boundary, cval, method, nan, min_weight,
                     dilation)


def _convolve(data, weights, origin, mode, boundary, cval, method, nan, min_weight, dilation):
    y, label_start = convolve_values(data.values, weights, origin, mode, boundary=boundary,
                                     cval=cval, method=method, nan=nan, min_weight=min_weight,
                                     dilation=dilation)
    return data.wrap(y, label_start)


def convolve_values(x, weights, origin, mode="same", *, boundary="constant", cval=0.0,
                    method="auto", nan="propagate", min_weight=None, dilation=1):
    """:func:`convolve` on validated arrays, for the modules built on the engine.

    ``x`` is (n_series, n) from ``_validate.series_input``, ``weights`` (1 or
    n_series, k) from ``_validate.kernel_input``.  Options are checked here.
    Returns ``(y, label_start)``: the (n_series, n_out) result and, for
    ``full`` and ``valid``, the input position of the first output's origin
    (None when the output is aligned with the input).

    Parameters
    ----------
    x : ndarray, shape (n_series, n)
        Contiguous float array, as ``series_input(...).values``.
    weights : ndarray, shape (1, k) or (n_series, k)
        One kernel for every series, or one per series.
    origin : int
        Index of lag 0 in the weights.
    mode, boundary, cval, method, nan, min_weight, dilation
        As in :func:`convolve`.

    Returns
    -------
    y : ndarray, shape (n_series, n_out)
    label_start : int or None

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.engine import convolve_values
    >>> x = np.arange(6.0)[None, :]
    >>> y, label_start = convolve_values(x, np.array([[1.0, 2.0, 1.0]]), 1, "full")
    >>> np.allclose(y[0], np.convolve(x[0], [1.0, 2.0, 1.0])), label_start
    (True, -1)
    >>> convolve_values(x, np.array([[1.0, 2.0, 1.0]]), 1)[1] is None
    True
    """
    V.check_option(mode, "mode", MODES)
    V.check_option(boundary, "boundary", BOUNDARIES)
    V.check_option(method, "method", METHODS)
    V.check_option(nan, "nan", V.NAN_POLICIES)
    dilation = V.check_int(dilation, "dilation")
    min_weight = V.check_fraction(min_weight, "min_weight")
    if min_weight is not None and nan != "ignore":
        raise ValueError("min_weight applies only with nan='ignore'; got nan=" + repr(nan))
    if not isinstance(cval, (int, float, complex, np.number)) or isinstance(cval, bool):
        raise TypeError(f"cval must be a number; got {cval!r}")
    k = weights.shape[1]
    span = (k - 1) * dilation + 1
    n = x.shape[1]
    if mode == "valid" and span > n:
        raise ValueError(
            f"mode='valid' needs the kernel to fit in the series: the kernel spans {span} "
            f"samples (k={k}, dilation={dilation}) but x has {n}; use mode='full' or 'same'"
        )
    if weights.dtype.kind == "c" and x.dtype.kind != "c":
        x = x.astype(weights.dtype)
    has_missing = nan != "propagate" and V.nonfinite_policy(x, nan)

    origin = 0 if mode == "causal" else origin
    if mode == "full":  # zeros beyond both ends, whatever the boundary
        left_n = right_n = span - 1
        boundary, cval = "constant", 0.0
    elif mode == "valid":
        left_n = right_n = 0
    else:  # same and causal: lag 0 of output t sits on sample t
        left_n, right_n = (k - 1 - origin) * dilation, origin * dilation
    left, right = _edges(x, left_n, right_n, boundary, cval)
    if method == "auto":
        method = _choose(n, k, x.shape[0], x.dtype, dilation, mode)
    flipped = np.ascontiguousarray(weights[:, ::-1])
    if nan == "ignore" and (has_missing or not (np.isfinite(cval) or left_n + right_n == 0)):
        y = _normalized(x, left, right, flipped, dilation, method, min_weight)
    else:
        y = _correlate(x, left, right, flipped, dilation, method)
    aligned = mode in ("same", "causal")
    return y, None if aligned else (k - 1 - origin) * dilation - left_n


def _boundary_index(i, n, boundary):
    """Map positions outside [0, n) into it, as scipy.ndimage extends a line."""
    if boundary == "nearest":
        return np.clip(i, 0, n - 1)
    if boundary == "wrap":
        return i % n
    if boundary == "reflect":
        i = i % (2 * n)
        return np.where(i >= n, 2 * n - 1 - i, i)
    if n == 1:  # mirror of a single sample
        return np.zeros_like(i)
    i = i % (2 * n - 2)
    return np.where(i >= n, 2 * n - 2 - i, i)


def _edges(x, left_n, right_n, boundary, cval):
    """The samples before and after the series, shapes (m, left_n) and (m, right_n)."""
    m, n = x.shape
    if boundary == "constant":
        fill = np.zeros if cval == 0 else lambda shape, dtype: np.full(shape, cval, dtype)
        return fill((m, left_n), dtype=x.dtype), fill((m, right_n), dtype=x.dtype)
    left = x[:, _boundary_index(np.arange(-left_n, 0), n, boundary)]
    right = x[:, _boundary_index(np.arange(n, n + right_n), n, boundary)]
    return left, right


def _correlate(x, left, right, flipped, dilation, method):
    """Valid correlation of ``[left | x | right]`` with ``flipped`` at ``dilation``.

    NaN and inf are never special-cased by the direct method (the arithmetic
    propagates them); the FFT methods recompute the outputs they touch.
    """
    if method == "direct" and (x.dtype.kind == "c" or flipped.dtype.kind == "c"):
        return _complex_direct(x, left, right, flipped, dilation)
    m, n = x.shape
    n_out = left.shape[1] + n + right.shape[1] - (flipped.shape[1] - 1) * dilation
    dtype = x.dtype if x.dtype == flipped.dtype else np.result_type(x, flipped)
    out = np.empty((m, n_out), dtype=dtype)
    if method == "direct":
        _direct(x, left, right, flipped, dilation, out)
    else:
        _spectral(x, left, right, flipped, dilation, method, out)
    return out


def _complex_direct(x, left, right, flipped, dilation):
    """Complex data by the direct method: four real correlations."""
    parts = [(a.real, a.imag) for a in (x, left, right)]
    re = [np.ascontiguousarray(p[0]) for p in parts]
    im = [np.ascontiguousarray(p[1]) for p in parts]
    w_re = np.ascontiguousarray(flipped.real)
    w_im = np.ascontiguousarray(flipped.imag)

    def corr(data, w):
        return _correlate(data[0], data[1], data[2], w, dilation, "direct")

    real = corr(re, w_re) - corr(im, w_im)
    imag = corr(re, w_im) + corr(im, w_re)
    return real + 1j * imag


def _core(name):
    """A numba kernel module, imported on first use: ``import sigconv`` stays
    free of numba, and later calls skip the import machinery."""
    module = _CORE.get(name)
    if module is None:
        module = _CORE[name] = importlib.import_module(f"{__package__}._core.{name}")
    return module


_CORE = {}


def _direct(x, left, right, flipped, dilation, out):
    direct = _core("direct")
    parallel = x.shape[0] * out.shape[1] * flipped.shape[1] >= SERIAL_BELOW_MACS
    direct.correlate_extended(left, x, right, flipped, out, dilation, parallel)


def _dilate(weights, dilation):
    if dilation == 1:
        return weights
    m, k = weights.shape
    spread = np.zeros((m, (k - 1) * dilation + 1), dtype=weights.dtype)
    spread[:, ::dilation] = weights
    return spread


def _spectral(x, left, right, flipped, dilation, method, out):
    k = flipped.shape[1]
    edge = (k - 1) * dilation
    left_n = left.shape[1]
    kernel = _dilate(np.ascontiguousarray(flipped[:, ::-1]), dilation)
    convolve_full = _fft.overlap_add if method == "overlap_add" else _fft.fft_convolve
    any_bad = not np.isfinite(x).all() or not (np.isfinite(left).all() and np.isfinite(right).all())
    zero_edges = not any_bad and not left.any() and not right.any()
    if zero_edges:
        # [0 | x | 0] needs no copy: its valid part is a slice of x's full convolution.
        full = convolve_full(x, kernel)
        out[:] = full[:, edge - left_n:edge - left_n + out.shape[1]]
        return
    extended = np.concatenate([left, x, right], axis=1)
    if not any_bad:
        out[:] = convolve_full(extended, kernel)[:, edge:extended.shape[1]]
        return
    bad = ~np.isfinite(extended)
    out[:] = convolve_full(np.where(bad, 0, extended), kernel)[:, edge:extended.shape[1]]
    rows, cols = np.nonzero(_windows_touching(bad, k, dilation, out.shape[1]))
    if rows.size:
        _core("direct").correlate_at(extended, flipped, rows, cols, out, dilation)


def _windows_touching(bad, k, dilation, n_out):
    """``touched[r, i]``: does any tap ``x[r, i + j*dilation]``, j < k, hit ``bad``?

    A cumulative count within each residue class mod ``dilation``, O(n).
    """
    m, n = bad.shape
    rows = -(-n // dilation)
    padded = np.zeros((m, rows * dilation), dtype=np.int64)
    padded[:, :n] = bad
    counts = np.cumsum(padded.reshape(m, rows, dilation), axis=1).reshape(m, -1)[:, :n]
    edge = (k - 1) * dilation
    hi = counts[:, edge:edge + n_out]
    lo = np.zeros_like(hi)
    if n_out > dilation:
        lo[:, dilation:] = counts[:, :n_out - dilation]
    return hi > lo


def _normalized(x, left, right, flipped, dilation, method, min_weight):
    """Normalised convolution: skip non-finite samples, rescale the present weights."""
    present = [np.isfinite(a) for a in (x, left, right)]
    filled = [np.where(p, a, 0) for p, a in zip(present, (x, left, right))]
    numerator = _correlate(*filled, flipped, dilation, method)
    # The present weight is summed in float64 whatever the data's precision:
    # thresholds on it must not flip with single-precision round-off.
    magnitude = np.ascontiguousarray(np.abs(flipped), dtype=np.float64)
    weight = _correlate(*(p.astype(np.float64) for p in present), magnitude, dilation, method)
    total = magnitude.sum(axis=1, keepdims=True)
    fraction = weight / total
    with np.errstate(divide="ignore", invalid="ignore"):
        y = (numerator / fraction).astype(numerator.dtype, copy=False)
    # FFT round-off leaves ~1e-16 where no weight is present: there a fraction
    # of 1e-9 counts as none.  Direct sums are exact zeros.  The same slack
    # forgives round-off at min_weight.
    missing = fraction <= (0.0 if method == "direct" else 1e-9)
    if min_weight is not None:
        missing |= fraction < min_weight - 1e-9
    y[missing] = np.nan
    return y


def recursive_filter(x, coefs, init=None, *, axis=-1, nan="propagate", dtype=None):
    """Recursive (all-pole, autoregressive) filter.

    ``y[t] = x[t] + coefs[0] y[t-1] + ... + coefs[p-1] y[t-p]``: the AR side
    of every model, equal to ``scipy.signal.lfilter([1], [1, -coefs...], x)``,
    statsmodels' ``recursive_filter`` and R's ``filter(method="recursive")``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        Real series, time on ``axis``.
    coefs : array_like, shape (p,) or (n_series, p)
        Feedback coefficients, shared or one row per series.
    init : array_like, shape (p,) or (n_series, p), optional
        The p values of ``y`` before the series, most recent first
        (``init[0]`` is ``y[-1]``).  Default zeros.
    axis : int
        Time axis of an array ``x``.
    nan : {"propagate", "raise"}
        ``"propagate"``: a NaN enters every later output (the filter has
        infinite memory); ``"raise"``: raise ValueError on NaN or inf.
    dtype : dtype, optional
        float32 or float64; default the input's precision.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``, same length and index.

    Notes
    -----
    A direct-form recursion in numba, O(n p) per series, parallel over series.

    Examples
    --------
    >>> import sigconv
    >>> sigconv.recursive_filter([1.0, 0.0, 0.0, 0.0], [0.5])
    array([1.   , 0.5  , 0.25 , 0.125])
    >>> sigconv.recursive_filter([0.0, 0.0], [0.5, 0.25], init=[4.0, 8.0])
    array([4., 3.])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.recursive_filter(x, coefs, init, axis=axis, nan=nan, dtype=dtype)
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    if data.dtype.kind == "c":
        raise TypeError("recursive_filter needs a real series; got complex data")
    coefs, _ = V.kernel_input(coefs, "coefs", n_series=data.n_series, dtype=data.dtype)
    p = coefs.shape[1]
    if init is None:
        start = np.zeros((1, p), dtype=data.dtype)
    else:
        start, _ = V.kernel_input(init, "init", n_series=data.n_series, dtype=data.dtype)
        if start.shape[1] != p:
            raise ValueError(f"init must hold {p} values (one per coefficient); "
                             f"got {start.shape[1]}")
    V.check_option(nan, "nan", ("propagate", "raise"))
    if nan == "raise":
        V.nonfinite_policy(data.values, nan)
    out = np.empty_like(data.values)
    _core("recursive").all_pole(data.values, coefs, start, out)
    return data.wrap(out)


class StreamFilter:
    """Causal convolution of a series that arrives in chunks.

    Chunk after chunk, :meth:`process` returns exactly what
    ``convolve(x, kernel, mode="causal", cval=cval, dilation=dilation)``
    returns for the whole series: the last ``span - 1`` samples are carried
    across chunks, like the state ``zi`` of ``scipy.signal.lfilter``.

    Parameters
    ----------
    kernel : array_like, shape (k,), or Kernel
        Applied causally: ``y[t] = sum_j kernel[j] x[t - j*dilation]``.
    dilation : int >= 1
        Spacing between taps.
    cval : float
        The value assumed before the first sample.
    method : {"auto", "direct", "fft", "overlap_add"}
        As in :func:`convolve`, chosen per chunk.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import StreamFilter, convolve
    >>> x = np.arange(10.0)
    >>> stream = StreamFilter([0.5, 0.5])
    >>> y = np.concatenate([stream.process(x[:3]), stream.process(x[3:])])
    >>> np.array_equal(y, convolve(x, [0.5, 0.5], mode="causal"))
    True
    """

    def __init__(self, kernel, *, dilation=1, cval=0.0, method="auto"):
        if np.ndim(getattr(kernel, "weights", kernel)) != 1:
            raise ValueError("kernel must be 1-D for StreamFilter; got shape "
                             f"{np.shape(getattr(kernel, 'weights', kernel))}")
        weights, _ = V.kernel_input(kernel, "kernel")
        self._flipped = np.ascontiguousarray(weights[:, ::-1])
        self._dilation = V.check_int(dilation, "dilation")
        self._method = V.check_option(method, "method", METHODS)
        self._cval = cval
        self._history = None

    @property
    def state(self):
        """The carried samples, shape (n_series, span - 1), oldest first; None before
        the first chunk.

        Examples
        --------
        >>> from sigconv import StreamFilter
        >>> stream = StreamFilter([1.0, 1.0, 1.0])
        >>> stream.state is None
        True
        >>> _ = stream.process([1.0, 2.0, 3.0])
        >>> stream.state
        array([[2., 3.]])
        """
        return None if self._history is None else self._history.copy()

    def reset(self):
        """Forget the carried samples: the next chunk starts a new series.

        Examples
        --------
        >>> from sigconv import StreamFilter
        >>> stream = StreamFilter([1.0, 1.0])
        >>> stream.process([1.0, 2.0])
        array([1., 3.])
        >>> stream.reset()
        >>> stream.process([5.0])               # no 2.0 carried over
        array([5.])
        """
        self._history = None

    def process(self, chunk):
        """Filter the next chunk; returns as many outputs as the chunk has samples.

        Parameters
        ----------
        chunk : array_like, shape (m,) or (n_series, m), Series or DataFrame
            1-D, an array of series with time on the last axis, a Series or
            a DataFrame, with the same number of series every call.

        Returns
        -------
        ndarray, Series or DataFrame
            Shaped and labelled like ``chunk``.

        Raises
        ------
        ValueError
            ``chunk`` holds another number of series than the first did.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv import StreamFilter, convolve
        >>> x = np.random.default_rng(0).normal(size=20)
        >>> stream = StreamFilter([0.25, 0.5, 0.25])
        >>> y = np.concatenate([stream.process(c) for c in np.array_split(x, 4)])
        >>> np.allclose(y, convolve(x, [0.25, 0.5, 0.25], mode="causal"))
        True
        """
        data = V.series_input(chunk, "chunk", dtype=None if self._history is None
                              else self._history.dtype, min_length=0)
        x = data.values
        k = self._flipped.shape[1]
        edge = (k - 1) * self._dilation
        if self._history is None:
            self._history = np.full((data.n_series, edge), self._cval, dtype=x.dtype)
        elif self._history.shape[0] != data.n_series:
            raise ValueError(f"chunk must hold {self._history.shape[0]} series, as the "
                             f"first chunk did; got {data.n_series}")
        if x.shape[1] == 0:
            return data.wrap(np.empty((data.n_series, 0), dtype=x.dtype))
        method = self._method
        if method == "auto":
            method = _choose(x.shape[1], k, data.n_series, x.dtype, self._dilation, "causal")
        weights = self._flipped.astype(x.dtype, copy=False)
        empty = np.empty((data.n_series, 0), dtype=x.dtype)
        y = _correlate(x, self._history, empty, weights, self._dilation, method)
        if edge:
            self._history = np.concatenate([self._history, x], axis=1)[:, -edge:]
        return data.wrap(y)
