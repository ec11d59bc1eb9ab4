"""Template-matching scores from sliding dot products, with the window
statistics computed on the fly (a block at a time, kept in cache)."""
import numba as nb
import numpy as np

from .sliding import _stats_block

# A dot product whose round-off could reach 1e-10 of the score is recomputed
# about the window's own mean: its round-off is ~eps times the samples'
# distance from the level they were taken about, against a scale of std.
_ILL = 1e6
_BLOCK = 16384


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _score_block(x, t, mean, var, level, spread, missing, distance, out):
    """Scores of windows ``0 .. out.size`` of ``x`` (a view from the first),
    over their dot products in ``out``.

    Three passes over the block (in cache): the scores (vectorised: square
    roots and divisions are the costly part), then the rare windows that are
    constant, missing or ill-conditioned, then the distances.
    """
    m = t.size
    for i in range(out.size):
        r = out[i] / (m * np.sqrt(var[i]))
        out[i] = min(max(r, -1.0), 1.0)
    limit = _ILL * _ILL
    for i in range(out.size):
        v = var[i]
        if v == 0.0 or (missing.size and missing[i]):
            out[i] = np.nan
            continue
        far = spread + abs(mean[i] - level)
        if far * far > limit * v:
            mu = mean[i]
            dot = 0.0
            for j in range(m):
                dot += (x[i + j] - mu) * t[j]
            out[i] = min(max(dot / (m * np.sqrt(v)), -1.0), 1.0)
    if distance:
        for i in range(out.size):
            out[i] = np.sqrt(2.0 * m * (1.0 - out[i]))   # r <= 1, so 1 - r >= 0


@nb.njit(cache=True, nogil=True)
def chunk_stats(x, m, mean, var):
    """Mean and variance of windows ``0 .. mean.size`` of ``x`` (see
    ``sliding._stats_block``), into buffers the caller reuses."""
    _stats_block(x, m, mean, var, 0, mean.size)


@nb.njit(cache=True, nogil=True)
def chunk_scores(x, t, mean, var, level, spread, missing, distance, out):
    """:func:`profile` of the windows ``0 .. out.size`` of the view ``x``, with
    their statistics given (shared by the templates of one length)."""
    _score_block(x, t, mean, var, level, spread, missing, distance, out)


@nb.njit(cache=True, nogil=True)
def chunk_profile(x, t, mean, var, level, spread, missing, distance, out):
    """:func:`chunk_stats` then :func:`chunk_scores` (``mean`` and ``var`` are
    scratch buffers of at least ``out.size``)."""
    k = out.size
    _stats_block(x, t.size, mean[:k], var[:k], 0, k)
    _score_block(x, t, mean, var, level, spread, missing, distance, out)


@nb.njit(cache=True, nogil=True)
def _profile_job(x, t, level, spread, missing, distance, out, job, n_blocks):
    r = job // n_blocks
    start = (job % n_blocks) * _BLOCK
    stop = min(start + _BLOCK, out.shape[1])
    miss = missing[r, start:stop] if missing.shape[0] else missing[0, :0]
    mean = np.empty(stop - start)
    var = np.empty(stop - start)
    chunk_profile(x[r, start:], t, mean, var, level[r], spread[r], miss, distance,
                  out[r, start:stop])


@nb.njit(cache=True, parallel=True)
def profile(x, t, level, spread, missing, distance, out):
    """In place, ``out[r, i]`` from the dot product of ``t`` with window
    ``x[r, i:i + m]`` to its correlation ``dot / (m std)`` clipped to [-1, 1]
    (or the distance ``sqrt(2 m (1 - ncc))``); NaN for a constant window or
    one flagged in ``missing`` (an empty array: none).

    The dot products were taken about ``level[r]``, with round-off scale
    ``spread[r]`` beyond each window's own distance from it; a window whose
    round-off could show is recomputed directly about its mean.  Parallel
    over rows and blocks of windows.
    """
    n_blocks = (out.shape[1] + _BLOCK - 1) // _BLOCK
    for job in nb.prange(out.shape[0] * n_blocks):
        _profile_job(x, t, level, spread, missing, distance, out, job, n_blocks)


@nb.njit(cache=True)
def profile_serial(x, t, level, spread, missing, distance, out):
    """:func:`profile` on one thread, for small work (waking the thread pool
    between scipy.fft's own threads costs more than it saves)."""
    n_blocks = (out.shape[1] + _BLOCK - 1) // _BLOCK
    for job in range(out.shape[0] * n_blocks):
        _profile_job(x, t, level, spread, missing, distance, out, job, n_blocks)
