"""Template-matching scores from sliding dot products and window statistics."""
import numba as nb
import numpy as np

# A dot product whose round-off could reach 1e-10 of the score is recomputed
# about the window's own mean: its round-off is ~eps times the samples'
# distance from the level they were taken about, against a scale of std.
_ILL = 1e6
_BLOCK = 16384


@nb.njit(cache=True)
def _score_block(x, t, mean, std, dots, level, spread, missing, distance, out, start, stop):
    m = t.size
    for i in range(start, stop):
        s = std[i]
        if s == 0.0 or (missing.size and missing[i]):
            out[i] = np.nan
            continue
        dot = dots[i]
        if spread + abs(mean[i] - level) > _ILL * s:
            mu = mean[i]
            dot = 0.0
            for j in range(m):
                dot += (x[i + j] - mu) * t[j]
        r = dot / (m * s)
        r = min(max(r, -1.0), 1.0)
        out[i] = np.sqrt(max(2.0 * m * (1.0 - r), 0.0)) if distance else r


@nb.njit(cache=True)
def _score_job(x, t, mean, std, dots, level, spread, missing, distance, out, job, n_blocks):
    r = job // n_blocks
    start = (job % n_blocks) * _BLOCK
    stop = min(start + _BLOCK, out.shape[1])
    miss = missing[r] if missing.shape[0] else missing[0, :0]
    _score_block(x[r], t, mean[r], std[r], dots[r], level[r], spread[r], miss, distance,
                 out[r], start, stop)


@nb.njit(cache=True, parallel=True)
def scores(x, t, mean, std, dots, level, spread, missing, distance, out):
    """``out[r, i]``: the correlation ``dots / (m std)`` clipped to [-1, 1] (or the
    distance ``sqrt(2 m (1 - ncc))``), NaN for a constant window or one
    flagged in ``missing`` (an empty array: none).

    ``dots[r, i]`` were taken about ``level[r]``, with round-off scale
    ``spread[r]`` beyond each window's own distance from it; a window whose
    round-off could show is recomputed directly about its mean.  Parallel
    over rows and blocks of windows.
    """
    n_blocks = (out.shape[1] + _BLOCK - 1) // _BLOCK
    for job in nb.prange(out.shape[0] * n_blocks):
        _score_job(x, t, mean, std, dots, level, spread, missing, distance, out, job, n_blocks)


@nb.njit(cache=True)
def scores_serial(x, t, mean, std, dots, level, spread, missing, distance, out):
    """:func:`scores` on one thread, for small work (waking the thread pool
    between scipy.fft's own threads costs more than it saves)."""
    n_blocks = (out.shape[1] + _BLOCK - 1) // _BLOCK
    for job in range(out.shape[0] * n_blocks):
        _score_job(x, t, mean, std, dots, level, spread, missing, distance, out, job, n_blocks)
