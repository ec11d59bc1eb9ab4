"""sigconv's filters, smoothers and matchers on ``dask.array``: lazy, chunk by chunk,
equal to the in-memory results.

``sigconv.convolve(darr, kernel)`` (and ``correlate``, ``recursive_filter``,
the smoothers of :mod:`sigconv.smooth` and :func:`sigconv.match.ncc`) comes
here when ``darr`` is a ``dask.array.Array``; the functions below take the
in-memory functions' arguments and return a lazy ``dask.array`` shaped as the
in-memory result (``find_matches`` returns its table, computed).  Time runs
along ``axis``, which may be split into chunks of any size; every other axis
is a batch of series and may be chunked too.

Two ways to cut a series into chunks and get the whole-series answer:

Halos (local operations)
    An output whose value depends on the inputs ``t - L .. t + R`` (a kernel's
    span, a rolling window, a template) is computed from its chunk extended
    by ``L`` samples of the previous chunks and ``R`` of the next ones
    (``dask.array.map_overlap`` with an asymmetric depth and
    ``boundary="none"``).  The in-memory function runs on each extended chunk
    and only the chunk's own outputs are kept, so interior outputs see their
    true neighbours and outputs at the ends of the series see the in-memory
    function's own edge handling.  Boundary extensions that reach further
    into the series (``reflect``, ``mirror``, ``wrap``) are built first, as
    the in-memory engine builds them, and concatenated to the series.  Chunks
    shorter than the halo are merged with their neighbours first (the output
    chunks follow).  Cost: the work of the in-memory call plus ``L + R``
    samples per chunk.

A scan over chunk boundaries (recursive filters)
    ``recursive_filter`` and ``ema`` have infinite memory: each output
    depends on every earlier sample.  Their state at a chunk boundary is
    small (``p`` past outputs of an order-``p`` filter; the weighted sum and
    total weight of the EMA) and depends linearly on the state entering the
    chunk: ``state_out = A @ state_in + zero_state_response``.  So every
    chunk first computes, in parallel, its response to a zero incoming state
    and the matrix ``A`` (the companion matrix to the power of the chunk
    length, or the EMA's decay over the chunk); a sequential pass over the
    chunks combines these small states (``O(p^2)`` per chunk); then every
    chunk, in parallel again, is filtered from its true incoming state by the
    in-memory recursion.  Nothing is rechunked into one piece.  The combined
    state differs from a sequential recursion only by round-off, which a
    stable filter damps: results agree to about 1e-14 relative.  An unstable
    filter (poles outside the unit circle) grows without bound, and so does
    ``A``'s round-off: there the chunked and in-memory results agree only
    as long as neither overflows, to a relative precision that degrades
    with the growth.  ``ema(adjust=False, ignore_na=False)`` after a gap
    divides its state by a weight that depends on the gap's length; it is not
    linear in the incoming state, so its chunks run one after the other
    (still chunk by chunk, in constant memory).

Errors that depend only on the arguments and the array's shape are raised
at the call, before anything is computed: every function first runs its
in-memory counterpart on a tiny sample with the same options, so messages
are the same.  ``nan="raise"`` can only look at the values when they are
computed: it raises then, naming the first non-finite sample's position.
"""
from __future__ import annotations

import math
import numbers

import dask
import dask.array as da
import numpy as np

from .. import _validate as V
from .. import engine, kernels, match, smooth

__all__ = ["convolve", "correlate", "distance_profile", "ema", "find_matches",
           "gaussian_smooth", "moving_average", "ncc", "recursive_filter", "savgol_smooth"]


# ---------------------------------------------------------------------------
# Shared plumbing


def _time_last(x, axis, name="x"):
    """``x`` as a dask array with time on the last axis, and the time axis' position."""
    if not isinstance(x, da.Array):
        raise TypeError(f"{name} must be a dask.array.Array here; got {type(x).__name__} "
                        "(for a dask DataFrame use .to_dask_array(lengths=True))")
    if x.dtype.kind not in "biufc":
        raise TypeError(f"{name} must hold numbers (bool, int, float or complex); "
                        f"got dtype {x.dtype}")
    if x.ndim == 0:
        raise ValueError(f"{name} must be at least 1-D; got a scalar")
    V._check_axis(axis, x.ndim, name)
    if any(math.isnan(size) for size in x.shape):
        raise ValueError(f"{name} has unknown chunk sizes; call {name}.compute_chunk_sizes() "
                         "first")
    if x.shape[axis] == 0 or x.size == 0:
        raise ValueError(f"{name} must have at least 1 sample along the time axis; got "
                         f"shape {x.shape}")
    ax = axis % x.ndim
    return da.moveaxis(x, ax, -1), ax


def _check_chunking(xt, ax, span, name="x"):
    """Refuse an array whose time axis is a single short chunk while another axis is
    chunked: time most likely runs along that other axis (``axis=`` forgotten)."""
    if len(xt.chunks[-1]) > 1 or xt.ndim == 1:
        return
    chunked = [i for i, c in enumerate(xt.chunks[:-1]) if len(c) > 1]
    if chunked and xt.shape[-1] < span:
        other = chunked[0] + (chunked[0] >= ax)    # its position in the caller's array
        raise ValueError(
            f"{name} is chunked along axis {other} ({len(xt.chunks[chunked[0]])} chunks) but "
            f"time runs along axis={ax}, which has only {xt.shape[-1]} samples, fewer than "
            f"the {span} the filter spans: pass axis={other} if time runs along axis "
            f"{other}, or rechunk {name} to one chunk along axis {other} "
            f"({name}.rechunk({{{other}: -1}})) to filter along axis {ax} anyway")


def _merged(chunks, minimum):
    """Chunk sizes merged with their neighbours until each holds ``minimum`` samples
    (one chunk if the whole axis is shorter)."""
    minimum = max(minimum, 1)
    out, pending = [], 0
    for size in chunks:
        pending += size
        if pending >= minimum:
            out.append(pending)
            pending = 0
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return tuple(out)


def _batch_rows(xt, block_id):
    """Flat series numbers (C order over the batch axes) of the block ``block_id``."""
    batch = xt.shape[:-1]
    if not batch:
        return np.zeros(1, dtype=np.int64)
    ranges = []
    for axis, i in enumerate(block_id[:-1]):
        start = sum(xt.chunks[axis][:i])
        ranges.append(np.arange(start, start + xt.chunks[axis][i]))
    grid = np.meshgrid(*ranges, indexing="ij")
    return np.ravel_multi_index(grid, batch).ravel()


def _local(xt, left, right, run, dtype, minimum=1):
    """``z[..., u]`` = the output at ``u`` of ``run`` applied to ``u``'s chunk extended by
    ``left`` samples before and ``right`` after (fewer at the array's ends).

    ``run(block, start, rows)`` gets the extended block, the position of its
    first sample and the flat series numbers of its rows, and returns an
    array of the block's shape; the chunk's own part is kept.
    """
    last = xt.ndim - 1
    chunks = _merged(xt.chunks[-1], max(left, right, minimum))
    if chunks != xt.chunks[-1]:
        xt = xt.rechunk({last: chunks})
    offsets = np.concatenate([[0], np.cumsum(chunks)])

    def apply(block, block_id=None):
        i = block_id[-1]
        start, stop = int(offsets[i]), int(offsets[i + 1])
        first = max(0, start - left) if len(chunks) > 1 else 0
        y = run(block, first, _batch_rows(xt, block_id))
        return y[..., start - first:stop - first]

    meta = np.empty((0,) * xt.ndim, dtype=dtype)
    if len(chunks) == 1:
        return xt.map_blocks(apply, dtype=dtype, meta=meta)
    return da.map_overlap(apply, xt, depth={last: (left, right)}, boundary="none",
                          trim=False, chunks=xt.chunks, dtype=dtype, meta=meta,
                          allow_rechunk=False)


def _flat(block):
    return block.reshape(-1, block.shape[-1])


def _raise_nonfinite(values, first, lo, hi, name="x", remedies=("propagate", "ignore")):
    """``nan="raise"`` on a block: ``values`` (rows, L) starts at position ``first`` of
    an array whose samples ``lo:hi`` are the series (the rest is boundary padding)."""
    a, b = max(lo - first, 0), max(min(hi - first, values.shape[1]), 0)
    bad = ~np.isfinite(values[:, a:b])
    if bad.any():
        pos = first + a + np.argwhere(bad)[:, 1].min() - lo
        hint = " or ".join(f"nan={r!r}" for r in remedies)
        raise ValueError(f"{name} contains NaN or inf (first at time position {pos}); pass "
                         f"{hint} to allow missing values")


def _probe_rows(*arrays):
    """Series a validation sample needs: one, or one per row of 2-D per-series arguments."""
    rows = 1
    for a in arrays:
        w = np.asarray(getattr(a, "weights", a)) if a is not None else None
        if w is not None and w.ndim == 2 and w.shape[0] > 1:
            rows = w.shape[0]
    return rows


def _sample(xt, rows, length):
    """A small array of zeros of ``xt``'s dtype: ``rows`` series, ``length`` samples."""
    return np.zeros((rows, min(length, xt.shape[-1])), dtype=xt.dtype)


def _back(y, ax):
    return da.moveaxis(y, -1, ax)


# ---------------------------------------------------------------------------
# Convolution


def convolve(x, kernel, mode="full", *, boundary="constant", cval=0.0, method="auto",
             axis=-1, nan="propagate", min_weight=None, dilation=1, dtype=None):
    """:func:`sigconv.convolve` of a ``dask.array``, lazily, chunk by chunk.

    Parameters and results are those of :func:`sigconv.convolve`; time runs
    along ``axis``, which may be split into chunks of any size (chunks
    shorter than the kernel are merged with their neighbours).

    Returns
    -------
    dask.array.Array
        Lazy; ``.compute()`` equals the in-memory result (to round-off).

    Raises
    ------
    ValueError
        As :func:`sigconv.convolve`, at the call; ``nan="raise"`` when the
        values are computed.  A time axis shorter than the kernel in one chunk
        while another axis is chunked (time probably runs along that axis).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> import sigconv
    >>> x = np.arange(10.0)
    >>> y = sigconv.convolve(da.from_array(x, chunks=3), [1.0, 2.0, 1.0], "same",
    ...                      boundary="reflect")
    >>> type(y).__name__
    'Array'
    >>> np.allclose(y.compute(), sigconv.convolve(x, [1.0, 2.0, 1.0], "same",
    ...                                           boundary="reflect"))
    True
    """
    return _convolve(x, kernel, mode, boundary, cval, method, axis, nan, min_weight,
                     dilation, dtype, False)


def correlate(x, template, mode="full", *, boundary="constant", cval=0.0, method="auto",
              axis=-1, nan="propagate", min_weight=None, dilation=1, dtype=None):
    """:func:`sigconv.correlate` of a ``dask.array``, lazily, chunk by chunk.

    As :func:`convolve` with :func:`sigconv.correlate`'s meaning.

    Examples
    --------
    >>> import dask.array as da
    >>> import sigconv
    >>> x = da.from_array([0.0, 1.0, 2.0, 3.0], chunks=2)
    >>> sigconv.correlate(x, [1.0, 1.0], "valid").compute()
    array([1., 3., 5.])
    """
    return _convolve(x, template, mode, boundary, cval, method, axis, nan, min_weight,
                     dilation, dtype, True)


def _convolve(x, kernel, mode, boundary, cval, method, axis, nan, min_weight, dilation, dtype,
              is_correlation):
    xt, ax = _time_last(x, axis)
    n = xt.shape[-1]
    n_series = math.prod(xt.shape[:-1])
    # The in-memory call on a small sample: the same checks and messages, and the
    # output dtype.
    fn = engine.correlate if is_correlation else engine.convolve
    rows = _probe_rows(kernel)
    shape = np.shape(getattr(kernel, "weights", kernel))
    # Long enough for every check ("valid" needs the kernel to fit: then the whole length).
    length = ((shape[-1] if shape else 1) - 1) * (
        dilation if isinstance(dilation, numbers.Integral) else 1) + 2
    probe = fn(_sample(xt, rows, length), kernel, mode, boundary=boundary, cval=cval,
               method=method, nan=nan, min_weight=min_weight, dilation=dilation, dtype=dtype)
    out_dtype = probe.dtype
    compute = V.compute_dtype(xt.dtype if dtype is None else dtype)
    name = "template" if is_correlation else "kernel"
    if is_correlation and hasattr(kernel, "flip") and hasattr(kernel, "origin"):
        weights, origin = V.kernel_input(kernel.flip(), name, n_series=n_series, dtype=compute)
    else:
        weights, origin = V.kernel_input(kernel, name, n_series=n_series, dtype=compute)
        if is_correlation:
            weights = np.ascontiguousarray(np.conj(weights[:, ::-1]))
            origin = (weights.shape[1] - 1) // 2
    k = weights.shape[1]
    span = (k - 1) * dilation + 1
    _check_chunking(xt, ax, span)
    xc = xt.astype(out_dtype)

    # Every mode is a "same" convolution (about ``at``) of the series extended by
    # ``pads``, sliced: the in-memory engine's extension, made lazily.
    if mode == "full":
        pads, at, ext_boundary, ext_cval = (span - 1, span - 1), 0, "constant", 0.0
        first, n_out = span - 1, n + span - 1
    elif mode == "valid":
        pads, at, ext_boundary, ext_cval = (0, 0), 0, "constant", 0.0
        first, n_out = span - 1, n - span + 1
    else:
        at = 0 if mode == "causal" else origin
        pads = ((k - 1 - at) * dilation, at * dilation)
        ext_boundary, ext_cval = boundary, cval
        first, n_out = pads[0], n
    pieces = [p for p in (_pad(xc, pads[0], "left", ext_boundary, ext_cval), xc,
                          _pad(xc, pads[1], "right", ext_boundary, ext_cval)) if p is not None]
    extended = da.concatenate(pieces, axis=-1) if len(pieces) > 1 else xc
    left, right = (k - 1 - at) * dilation, at * dilation
    shared = weights.shape[0] == 1

    def run(block, start, rows):
        values = _flat(block)
        if nan == "raise":
            _raise_nonfinite(values, start, pads[0], pads[0] + n)
        w = weights if shared else weights[rows]
        y, _ = engine.convolve_values(values, w, at, "same", boundary="constant", cval=0.0,
                                      method=method, nan="propagate" if nan == "raise" else nan,
                                      min_weight=min_weight, dilation=dilation)
        return y.reshape(block.shape[:-1] + (y.shape[-1],))

    z = _local(extended, left, right, run, out_dtype)
    return _back(z[..., first:first + n_out], ax)


def _pad(xc, count, side, boundary, cval):
    """The ``count`` samples beyond one end of ``xc`` (time last), as the engine's
    ``_edges`` makes them."""
    if count == 0:
        return None
    n = xc.shape[-1]
    if boundary == "constant":
        return da.full(xc.shape[:-1] + (count,), cval, dtype=xc.dtype,
                       chunks=xc.chunks[:-1] + ((count,),))
    positions = np.arange(-count, 0) if side == "left" else np.arange(n, n + count)
    return xc[..., engine._boundary_index(positions, n, boundary)]


# ---------------------------------------------------------------------------
# Smoothers


def moving_average(x, window, weights=None, *, center=False, nan="ignore", min_periods=None,
                   axis=-1, dtype=None):
    """:func:`sigconv.smooth.moving_average` of a ``dask.array``, lazily.

    Each chunk is extended by the window's reach into its neighbours
    (``window - 1`` samples before, or about half a window each way when
    centred); parameters and results as the in-memory function.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.smooth import moving_average
    >>> x = np.array([1.0, 2.0, np.nan, 4.0, 5.0, 6.0])
    >>> moving_average(da.from_array(x, chunks=2), 3, min_periods=1).compute()
    array([1. , 1.5, 1.5, 3. , 4.5, 5. ])
    """
    xt, ax = _time_last(x, axis)
    probe = smooth.moving_average(_sample(xt, 1, 4), window, weights, center=center, nan=nan,
                                  min_periods=min_periods, dtype=dtype)
    _check_chunking(xt, ax, window)
    lead = (window - 1) // 2 if center else 0

    def run(block, start, rows):
        if nan == "raise":
            _raise_nonfinite(_flat(block), start, 0, xt.shape[-1], remedies=("ignore",
                                                                               "propagate"))
        return smooth.moving_average(block, window, weights, center=center,
                                     nan="ignore" if nan == "raise" else nan,
                                     min_periods=min_periods, dtype=dtype)

    return _back(_local(xt, window - 1 - lead, lead, run, probe.dtype), ax)


def gaussian_smooth(x, sigma, *, truncate=4.0, boundary="reflect", cval=0.0, nan="propagate",
                    axis=-1, dtype=None):
    """:func:`sigconv.smooth.gaussian_smooth` of a ``dask.array``, lazily.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.smooth import gaussian_smooth
    >>> x = np.random.default_rng(0).normal(size=50)
    >>> y = gaussian_smooth(da.from_array(x, chunks=7), 2.0)
    >>> np.allclose(y.compute(), gaussian_smooth(x, 2.0))
    True
    """
    return convolve(x, kernels.gaussian(sigma, truncate), "same", boundary=boundary,
                    cval=cval, nan=nan, axis=axis, dtype=dtype)


def savgol_smooth(x, window, polyorder, deriv=0, delta=1.0, *, axis=-1, dtype=None):
    """:func:`sigconv.smooth.savgol_smooth` of a ``dask.array``, lazily.

    Chunks hold at least ``window`` samples (shorter ones are merged), so the
    polynomial fits at the ends use the same samples as in memory.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.smooth import savgol_smooth
    >>> x = np.arange(12.0) ** 2
    >>> savgol_smooth(da.from_array(x, chunks=4), 5, 2).compute().round(9)
    array([ -0.,   1.,   4.,   9.,  16.,  25.,  36.,  49.,  64.,  81., 100.,
           121.])
    """
    xt, ax = _time_last(x, axis)
    probe = smooth.savgol_smooth(_sample(xt, 1, window + 1)
                                 if isinstance(window, numbers.Integral) else _sample(xt, 1, 3),
                                 window, polyorder, deriv, delta, dtype=dtype)
    _check_chunking(xt, ax, window)
    half = window // 2

    def run(block, start, rows):
        return smooth.savgol_smooth(block, window, polyorder, deriv, delta, dtype=dtype)

    return _back(_local(xt, half, half, run, probe.dtype, minimum=window), ax)


# ---------------------------------------------------------------------------
# Template matching


def ncc(x, template, *, method="auto", nan="raise", axis=-1):
    """:func:`sigconv.match.ncc` of a ``dask.array``, lazily.

    Each chunk is extended by ``m - 1`` samples of the next ones (``m`` the
    template's length), so every window is scored whole.  Results as the
    in-memory function: ``n - m + 1`` scores along the time axis.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.match import ncc
    >>> x = np.array([0.0, 1.0, 0.0, 1.0, 3.0, 1.0, 2.0, 2.0])
    >>> ncc(da.from_array(x, chunks=3), [0.0, 1.0, 0.0]).compute().round(3)
    array([ 1.   , -1.   , -0.189,  1.   , -0.866,  0.5  ])
    """
    return _profile(x, template, method, nan, axis, match.ncc)


def distance_profile(x, template, *, method="auto", nan="raise", axis=-1):
    """:func:`sigconv.match.distance_profile` of a ``dask.array``, lazily.

    As :func:`ncc`, with the z-normalised Euclidean distance as the score.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.match import distance_profile
    >>> x = np.array([0.0, 1.0, 0.0, 1.0, 3.0, 1.0, 2.0, 2.0])
    >>> distance_profile(da.from_array(x, chunks=3), [0.0, 1.0, 0.0]).compute().round(3)
    array([0.   , 3.464, 2.671, 0.   , 3.346, 1.732])
    """
    return _profile(x, template, method, nan, axis, match.distance_profile)


def _profile(x, template, method, nan, axis, fn):
    xt, ax = _time_last(x, axis)
    m = np.size(template)
    fn(_sample(xt, 1, m + 1).astype(np.float64), template, method=method, nan=nan)
    _check_chunking(xt, ax, m)
    xc = xt.astype(np.float64)

    def run(block, start, rows):
        values = _flat(block)
        out = np.full(values.shape, np.nan)
        if nan == "raise":
            _raise_nonfinite(values, start, 0, xt.shape[-1], remedies=("ignore",))
        if values.shape[1] >= m:   # shorter: only the array's last, unused positions
            out[:, :values.shape[1] - m + 1] = fn(values, template, method=method, nan=nan)
        return out.reshape(block.shape)

    z = _local(xc, 0, m - 1, run, np.dtype(np.float64))
    return _back(z[..., :xt.shape[-1] - m + 1], ax)


def find_matches(x, template, k=None, threshold=None, exclusion=None, *, method="auto",
                 nan="raise"):
    """:func:`sigconv.match.find_matches` on a ``dask.array`` (one series).

    The scores are computed chunk by chunk (:func:`ncc`); each chunk keeps
    only its candidates, the windows scoring at least ``threshold`` and, with
    ``k``, at most its ``k * (2 * exclusion + 1)`` best.  The in-memory greedy
    selection on their union picks the same matches: every window that
    ranks above the ``k``-th match is either picked or excluded by a pick,
    and each pick excludes at most ``2 * exclusion + 1`` windows, so no
    chunk holds more of them than it keeps.  Memory: the candidates only.

    Parameters
    ----------
    x : dask.array.Array, shape (n,)
    template, k, threshold, exclusion, method, nan
        As :func:`sigconv.match.find_matches`; ``k`` or ``threshold`` is
        required (the default threshold is a median of every score).

    Returns
    -------
    DataFrame
        Computed, as the in-memory function's.

    Raises
    ------
    ValueError
        Neither ``k`` nor ``threshold`` given; ``x`` holds several series.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.match import find_matches
    >>> shape = np.sin(np.linspace(0, 3 * np.pi, 50))
    >>> x = np.random.default_rng(0).normal(size=5000)
    >>> for start in (700, 2100, 4000):
    ...     x[start:start + 50] += 5 * shape
    >>> table = find_matches(da.from_array(x, chunks=1000), shape, k=3)
    >>> table[["start", "end"]].to_numpy().tolist()
    [[2100, 2150], [700, 750], [4000, 4050]]
    """
    if k is not None:
        k = V.check_int(k, "k")
    if threshold is not None:
        threshold = V.check_real(threshold, "threshold", -1.0, 1.0, closed="both")
    m = np.size(template)
    exclusion = match._check_exclusion(exclusion, m)
    if k is None and threshold is None:
        raise ValueError("find_matches on a dask array needs k= or threshold=: the default "
                         "threshold (median + 6 robust standard deviations of every score) "
                         "would hold every score in memory")
    if isinstance(x, da.Array) and math.prod(x.shape[:-1]) != 1:
        raise ValueError("find_matches takes one series; got "
                         f"{math.prod(x.shape[:-1])} (loop over them, or use ncc for the "
                         "profiles)")
    scores = ncc(x, template, method=method, nan=nan).reshape(-1)
    offsets = np.concatenate([[0], np.cumsum(scores.chunks[0])])
    cap = None if k is None else k * (2 * exclusion + 1)
    found = dask.compute(*[dask.delayed(_candidates)(block, int(start), threshold, cap)
                           for block, start in zip(scores.to_delayed().ravel(), offsets)])
    starts = np.concatenate([f[0] for f in found]) if found else np.zeros(0, np.int64)
    values = np.concatenate([f[1] for f in found]) if found else np.zeros(0)
    picked = match._greedy(starts, values, exclusion, k)
    table = match._match_table(starts[picked], values[picked], m)
    table.attrs["threshold"] = np.nan if threshold is None else float(threshold)
    return table


def _candidates(scores, start, threshold, cap):
    """A chunk's candidate windows (positions, scores): those at or above
    ``threshold`` (finite ones without), at most ``cap``, best first."""
    keep = np.isfinite(scores) if threshold is None else scores >= threshold
    positions = np.flatnonzero(keep)
    values = scores[positions]
    if cap is not None and positions.size > cap:
        best = np.lexsort((positions, -values))[:cap]   # the greedy's order
        positions, values = positions[best], values[best]
    return positions.astype(np.int64) + start, values


# ---------------------------------------------------------------------------
# Recursive filters: a scan over chunk boundaries


def _blockwise_scan(xt, dtype, *, begin=None, step=None, finish=None, advance=None,
                    initial=None):
    """The output of a scan along the time axis, built block by block.

    For each row of blocks (one batch block, every time block) either

    - ``begin(block, rows, j)`` runs on every block in parallel and returns a
      small summary; ``step(summaries, rows)`` (sequential, cheap) returns
      the state entering each block; ``finish(block, state, rows)`` filters
      each block from its state, in parallel; or
    - ``advance(block, state, rows)`` returns the block's output and the
      state leaving it, block after block from ``initial(rows)``.
    """
    blocks = xt.to_delayed()
    out = np.empty(blocks.shape, dtype=object)
    for batch_id in np.ndindex(blocks.shape[:-1]):
        row = blocks[batch_id]
        rows = _batch_rows(xt, batch_id + (0,))
        if advance is None:
            summaries = [dask.delayed(begin)(block, rows, j) for j, block in enumerate(row)]
            states = dask.delayed(step)(summaries, rows)
            outputs = [dask.delayed(finish)(block, states[j], rows)
                       for j, block in enumerate(row)]
        else:
            state, outputs = dask.delayed(initial)(rows), []
            for block in row:
                y, state = dask.delayed(advance, nout=2)(block, state, rows)
                outputs.append(y)
        for j, y in enumerate(outputs):
            shape = tuple(xt.chunks[a][i] for a, i in enumerate(batch_id + (j,)))
            out[batch_id + (j,)] = da.from_delayed(y, shape=shape, dtype=dtype)
    return da.block(out.tolist())


def recursive_filter(x, coefs, init=None, *, axis=-1, nan="propagate", dtype=None):
    """:func:`sigconv.recursive_filter` of a ``dask.array``: a scan over chunks.

    Each chunk's zero-state response (its last ``p`` outputs) is computed in
    parallel; a sequential pass carries the ``p`` past outputs across chunk
    boundaries, ``state_out = C^L state_in + zero_state`` (``C`` the
    companion matrix of the coefficients, ``L`` the chunk length); then
    every chunk is filtered from its incoming state in parallel.  See the
    module notes for the numerical limits (unstable filters).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> import sigconv
    >>> x = np.random.default_rng(0).normal(size=100)
    >>> y = sigconv.recursive_filter(da.from_array(x, chunks=7), [0.5, -0.3])
    >>> np.allclose(y.compute(), sigconv.recursive_filter(x, [0.5, -0.3]), rtol=1e-12)
    True
    """
    xt, ax = _time_last(x, axis)
    n_series = math.prod(xt.shape[:-1])
    rows = _probe_rows(coefs, init)
    probe = engine.recursive_filter(_sample(xt, rows, 2), coefs, init, nan=nan, dtype=dtype)
    out_dtype = probe.dtype
    weights, _ = V.kernel_input(coefs, "coefs", n_series=n_series, dtype=np.float64)
    p = weights.shape[1]
    start = (np.zeros((1, p)) if init is None else
             V.kernel_input(init, "init", n_series=n_series, dtype=np.float64)[0])
    companion = np.zeros((weights.shape[0], p, p))
    companion[:, 0, :] = weights
    companion[:, np.arange(1, p), np.arange(p - 1)] = 1.0
    xc = xt.astype(out_dtype)
    offsets = np.concatenate([[0], np.cumsum(xt.chunks[-1])])

    def coefs_of(rows):
        return weights if weights.shape[0] == 1 else weights[rows]

    def begin(block, rows, j):
        values = _flat(block)
        if nan == "raise":
            _raise_nonfinite(values, int(offsets[j]), 0, xt.shape[-1], remedies=("propagate",))
        y = engine.recursive_filter(values, coefs_of(rows).astype(values.dtype))
        tail = np.concatenate([np.zeros((y.shape[0], p), y.dtype), y], axis=1)[:, -p:]
        return tail[:, ::-1].astype(np.float64), values.shape[1]

    def step(summaries, rows):
        state = np.broadcast_to(start if start.shape[0] == 1 else start[rows],
                                (len(rows), p)).astype(np.float64)
        mats = companion if companion.shape[0] == 1 else companion[rows]
        states = []
        for tail, length in summaries:
            states.append(state)
            power = np.linalg.matrix_power(mats, length)
            state = np.einsum("rij,rj->ri", np.broadcast_to(power, (len(rows), p, p)),
                              state) + tail
        return states

    def finish(block, state, rows):
        values = _flat(block)
        y = engine.recursive_filter(values, coefs_of(rows).astype(values.dtype),
                                    init=state.astype(values.dtype))
        return y.reshape(block.shape)

    return _back(_blockwise_scan(xc, out_dtype, begin=begin, step=step, finish=finish), ax)


def ema(x, alpha=None, *, span=None, halflife=None, com=None, adjust=True, ignore_na=False,
        min_periods=0, axis=-1, dtype=None):
    """:func:`sigconv.smooth.ema` of a ``dask.array``: a scan over chunks.

    The weighted sum ``S`` and total weight ``W`` entering a chunk act
    linearly on it (both decay by the same factor), so chunks compute their
    zero-state sums in parallel, a sequential pass combines them, and chunks
    are then smoothed from their true state in parallel.  With
    ``adjust=False, ignore_na=False`` the state after a gap is rescaled by a
    weight depending on the gap, which is not linear: those chunks run in
    sequence.  Parameters and results as the in-memory function.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sigconv.smooth import ema
    >>> x = np.random.default_rng(0).normal(size=100)
    >>> y = ema(da.from_array(x, chunks=9), span=10)
    >>> np.allclose(y.compute(), ema(x, span=10), rtol=1e-12)
    True
    """
    xt, ax = _time_last(x, axis)
    probe = smooth.ema(_sample(xt, 1, 3), alpha, span=span, halflife=halflife, com=com,
                       adjust=adjust, ignore_na=ignore_na, min_periods=min_periods,
                       dtype=dtype)
    out_dtype = probe.dtype
    com = smooth._center_of_mass(alpha, span, halflife, com)
    decay = 1.0 - 1.0 / (1.0 + com)
    options = {"decay": decay, "adjust": bool(adjust), "ignore_na": bool(ignore_na),
                   "gap_weight": not adjust and not ignore_na and com == 1,
                   "min_periods": max(int(min_periods), 1)}
    xc = xt.astype(np.float64)

    def finish(block, state, rows):
        y, _ = _ema_block(_flat(block), state, **options)
        return y.astype(out_dtype).reshape(block.shape)

    if not adjust and not ignore_na:
        # Not linear in the state: each chunk starts from the previous one's state.
        def advance(block, state, rows):
            y, state = _ema_block(_flat(block), state, **options)
            return y.astype(out_dtype).reshape(block.shape), state

        scan = _blockwise_scan(xc, out_dtype, advance=advance,
                               initial=lambda rows: _ema_start(len(rows)))
        return _back(scan, ax)

    def begin(block, rows, j):
        values = _flat(block)
        m = values.shape[0]
        _, alone = _ema_block(values, _ema_start(m), **options)
        zero = _ema_start(m)
        zero["n"][:] = 1           # started, from S = 0 and W = 0 (or 1 without adjust)
        zero["w"][:] = 0.0 if adjust else 1.0
        _, linear = _ema_block(values, zero, **options)
        observed = np.isfinite(values)
        count = observed.sum(axis=1)
        last_obs = np.where(count > 0, values.shape[1] - 1
                            - np.argmax(observed[:, ::-1], axis=1), -1)
        steps_end = count if ignore_na else np.full(m, values.shape[1])
        steps_last = count if ignore_na else last_obs + 1
        return {"alone": alone, "linear": linear, "count": count,
                    "decay_end": decay ** steps_end.astype(float),
                    "decay_last": decay ** steps_last.astype(float),
                    "ends_missing": ~observed[:, -1]}

    def step(summaries, rows):
        state, states = _ema_start(len(rows)), []
        for summary in summaries:
            states.append(state)
            state = _ema_combine(state, summary, adjust)
        return states

    return _back(_blockwise_scan(xc, out_dtype, begin=begin, step=step, finish=finish), ax)


def _ema_start(m):
    """The state before the first sample: nothing observed."""
    return {"s": np.zeros(m), "w": np.zeros(m), "n": np.zeros(m, dtype=np.int64),
                "last": np.full(m, np.nan), "last_s": np.zeros(m), "last_w": np.zeros(m),
                "gap": np.zeros(m, dtype=bool)}


def _ema_combine(state, summary, adjust):
    """The state leaving a chunk, from the state entering it and the chunk's summary."""
    lin, alone = summary["linear"], summary["alone"]
    started = state["n"] > 0
    d_end, d_last = summary["decay_end"], summary["decay_last"]
    has_obs = summary["count"] > 0
    s = d_end * state["s"] + lin["s"]
    w = d_end * state["w"] + lin["w"] if adjust else lin["w"]
    last_s = d_last * state["s"] + lin["last_s"]
    last_w = d_last * state["w"] + lin["last_w"] if adjust else lin["last_w"]
    with np.errstate(invalid="ignore", divide="ignore"):
        last = np.where(has_obs, last_s / last_w, state["last"])
    out = {"s": s, "w": w, "n": state["n"] + summary["count"], "last": last,
               "last_s": np.where(has_obs, last_s, state["last_s"]),
               "last_w": np.where(has_obs, last_w, state["last_w"]),
               "gap": np.where(has_obs, summary["ends_missing"], state["gap"]) & started}
    return {key: np.where(started, value, alone[key]) for key, value in out.items()}


def _ema_block(values, state, decay, adjust, ignore_na, gap_weight, min_periods):
    """The EMA of a block (rows, L) from ``state``; returns (y, state leaving it).

    The same recursions as the in-memory kernel (``sigconv._core.recursive``),
    runs of observations by ``scipy.signal.lfilter``.
    """
    from scipy.signal import lfilter

    m, n = values.shape
    state = {key: value.copy() for key, value in state.items()}
    y = np.full((m, n), np.nan)
    if n == 0:
        return y, state
    a = 1.0 if adjust else 1.0 - decay
    observed = np.isfinite(values)
    if adjust and not ignore_na:
        # Missing samples only decay both sums: one recursion over the whole block.
        filled = np.where(observed, values, 0.0)
        s = lfilter([1.0], [1.0, -decay], filled, axis=1, zi=(decay * state["s"])[:, None])[0]
        w = lfilter([1.0], [1.0, -decay], observed.astype(float), axis=1,
                    zi=(decay * state["w"])[:, None])[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = s / w
        where = np.where(observed, np.arange(n), -1)
        np.maximum.accumulate(where, axis=1, out=where)
        seen = where >= 0
        at = np.maximum(where, 0)
        last = np.where(seen, np.take_along_axis(mean, at, axis=1), state["last"][:, None])
        last_s = np.where(seen, np.take_along_axis(s, at, axis=1), state["last_s"][:, None])
        last_w = np.where(seen, np.take_along_axis(w, at, axis=1), state["last_w"][:, None])
        count = state["n"][:, None] + np.cumsum(observed, axis=1)
        y = np.where(count >= min_periods, last, np.nan)
        state.update(s=s[:, -1], w=w[:, -1], n=count[:, -1], last=last[:, -1],
                     last_s=last_s[:, -1], last_w=last_w[:, -1],
                     gap=~observed[:, -1] & (count[:, -1] > 0))
        return y, state
    for r in range(m):
        _ema_row(values[r], observed[r], y[r], state, r, decay, a, adjust, ignore_na,
                 gap_weight, min_periods, lfilter)
    return y, state


def _ema_row(v, observed, y, state, r, decay, a, adjust, ignore_na, gap_weight, min_periods,
             lfilter):
    """One row of :func:`_ema_block`, run by run of observations."""
    s, w, count, last = state["s"][r], state["w"][r], state["n"][r], state["last"][r]
    gap = state["gap"][r]
    edges = np.diff(np.concatenate([[0], observed.view(np.int8), [0]]))
    pos = 0
    for p, q in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        if p > pos and count:                  # the missing samples before this run
            y[pos:p] = last if count >= min_periods else np.nan
            if not ignore_na:
                s *= decay ** (p - pos)
                w *= decay ** (p - pos)
            gap = True
        first = v[p]
        if count == 0:
            s, w = first, 1.0
        elif gap:
            a_gap = 1.0 - decay * w if gap_weight else a
            s = decay * s + a_gap * first
            w = decay * w + a_gap
            if not adjust:
                s, w = s / w, 1.0
        else:
            s = decay * s + a * first
            w = decay * w + a
        count += 1
        y[p] = s / w if count >= min_periods else np.nan
        if q - p > 1:
            run_s = lfilter([a], [1.0, -decay], v[p + 1:q], zi=[decay * s])[0]
            run_w = lfilter([a], [1.0, -decay], np.ones(q - p - 1), zi=[decay * w])[0]
            counts = count + np.arange(1, q - p)
            y[p + 1:q] = np.where(counts >= min_periods, run_s / run_w, np.nan)
            s, w, count = run_s[-1], run_w[-1], count + q - p - 1
        last, gap, pos = s / w, False, q
        state["last_s"][r], state["last_w"][r] = s, w
    if pos < v.size and count:                 # missing samples at the end
        y[pos:] = last if count >= min_periods else np.nan
        if not ignore_na:
            s *= decay ** (v.size - pos)
            w *= decay ** (v.size - pos)
        gap = True
    state["s"][r], state["w"][r], state["n"][r], state["last"][r] = s, w, count, last
    state["gap"][r] = gap
