"""Cross products of a series with its own lags: the normal equations of AR least squares."""
import numba as nb
import numpy as np


@nb.njit(cache=True)
def _gram_row(z, max_lag, start, gram, sums):
    """``gram[i, j] = sum_{t=start}^{n-1} z[t - i] z[t - j]`` and ``sums[i] = sum_t
    z[t - i]`` for lags i, j in 0..max_lag.

    The first row is max_lag + 1 dot products, O(n max_lag); every other
    entry follows from its upper-left neighbour by moving the window of t
    one step: O(max_lag^2).
    """
    n = z.size
    for j in range(max_lag + 1):
        acc = 0.0
        for t in range(start, n):
            acc += z[t] * z[t - j]
        gram[0, j] = acc
    total = 0.0
    for t in range(start, n):
        total += z[t]
    sums[0] = total
    for i in range(1, max_lag + 1):
        sums[i] = sums[i - 1] + z[start - i] - z[n - i]
        for j in range(i, max_lag + 1):
            gram[i, j] = (gram[i - 1, j - 1] + z[start - i] * z[start - j]
                          - z[n - i] * z[n - j])
    for i in range(max_lag + 1):
        for j in range(i):
            gram[i, j] = gram[j, i]


@nb.njit(cache=True, parallel=True)
def lag_gram(z, max_lag, start, gram, sums):
    """:func:`_gram_row` for every row of ``z`` (n_series, n), in parallel."""
    for s in nb.prange(z.shape[0]):
        _gram_row(z[s], max_lag, start, gram[s], sums[s])


@nb.njit(cache=True)
def lag_gram_serial(z, max_lag, start, gram, sums):
    """:func:`lag_gram` on one thread, for small work."""
    for s in range(z.shape[0]):
        _gram_row(z[s], max_lag, start, gram[s], sums[s])


@nb.njit(cache=True, fastmath={"contract"})
def _products_row(z, out):
    """``out[j] = sum_{t=j}^{n-1} z[t] z[t - j]`` for every lag j at once.

    The lags are the vector lanes: each pass adds four samples' products to
    every lag, in time order, reading ``z[t - j]`` from a reversed copy so
    that consecutive lags are consecutive in memory.
    """
    n = z.size
    m = out.size
    r = z[::-1].copy()            # z[t - j] = r[n - 1 - t + j]
    acc = np.zeros(m)
    t = 0
    while t < min(m - 1, n):      # the first samples reach back to only some lags
        for j in range(t + 1):
            acc[j] += z[t] * z[t - j]
        t += 1
    while t + 4 <= n:
        a0, a1, a2, a3 = z[t], z[t + 1], z[t + 2], z[t + 3]
        w0 = r[n - 1 - t:]
        w1 = r[n - 2 - t:]
        w2 = r[n - 3 - t:]
        w3 = r[n - 4 - t:]
        for j in range(m):
            acc[j] = (((acc[j] + a0 * w0[j]) + a1 * w1[j]) + a2 * w2[j]) + a3 * w3[j]
        t += 4
    while t < n:
        w0 = r[n - 1 - t:]
        for j in range(m):
            acc[j] += z[t] * w0[j]
        t += 1
    out[:] = acc


@nb.njit(cache=True, parallel=True)
def lag_products(z, out):
    """``out[s, j] = sum_{t=j}^{n-1} z[s, t] z[s, t - j]``: the raw autocovariance
    sums of lags 0..out.shape[1] - 1, O(n nlags) per series, in parallel."""
    for s in nb.prange(z.shape[0]):
        _products_row(z[s], out[s])


@nb.njit(cache=True)
def lag_products_serial(z, out):
    """:func:`lag_products` on one thread, for small work."""
    for s in range(z.shape[0]):
        _products_row(z[s], out[s])
