"""Sliding-window statistics in O(n), whatever the window length."""
import numba as nb
import numpy as np

# Each block of outputs restarts its running sum from a direct sum of its
# first window, so round-off cannot build up along a long series, and blocks
# run in parallel (a single long series uses every core).
_MIN_BLOCK = 16384


@nb.njit(cache=True)
def _count(t, n, window, lead):
    """Samples of window ``t`` inside the row."""
    return min(t + lead, n - 1) - max(t + lead - window + 1, 0) + 1


@nb.njit(cache=True)
def _interior(start, stop, n, window, lead):
    """Outputs [a, b) of the block after its first have both window ends in the row."""
    a = min(max(start + 1, window - lead), stop)
    return a, max(min(stop, n - lead), a)


@nb.njit(cache=True)
def _finite_block(x, window, lead, min_periods, out, start, stop):
    """Rolling mean of an all-finite row, outputs [start, stop)."""
    n = x.size
    s = 0.0
    for i in range(max(start + lead - window + 1, 0), min(start + lead + 1, n)):
        s += np.float64(x[i])
    a, b = _interior(start, stop, n, window, lead)
    for t in range(start, stop):
        if t == a:  # the branch-free middle
            for u in range(a, b):
                s += np.float64(x[u + lead]) - np.float64(x[u + lead - window])
                out[u] = s / window
        if a <= t < b:
            continue
        hi = t + lead
        if t > start and hi < n:
            s += np.float64(x[hi])
        if t > start and hi - window >= 0:
            s -= np.float64(x[hi - window])
        count = _count(t, n, window, lead)
        out[t] = s / count if count >= min_periods and count > 0 else np.nan


@nb.njit(cache=True)
def _observed(v):
    """``(v, 1)`` for a finite sample, ``(0, 0)`` for NaN or +-inf: no branch."""
    ok = np.isfinite(v)
    return (v if ok else 0.0), np.int64(ok)


@nb.njit(cache=True)
def _ignore_block(x, window, lead, min_periods, out, start, stop):
    """Rolling mean over the finite samples (NaN and +-inf missing), outputs [start, stop)."""
    n = x.size
    s = 0.0
    c = 0
    for i in range(max(start + lead - window + 1, 0), min(start + lead + 1, n)):
        v, ok = _observed(np.float64(x[i]))
        s += v
        c += ok
    least = max(min_periods, 1)
    a, b = _interior(start, stop, n, window, lead)
    for t in range(start, stop):
        if t == a:
            for u in range(a, b):
                v_in, ok_in = _observed(np.float64(x[u + lead]))
                v_out, ok_out = _observed(np.float64(x[u + lead - window]))
                s += v_in - v_out
                c += ok_in - ok_out
                out[u] = s / c if c >= least else np.nan
        if a <= t < b:
            continue
        hi = t + lead
        if t > start and hi < n:
            v, ok = _observed(np.float64(x[hi]))
            s += v
            c += ok
        if t > start and hi - window >= 0:
            v, ok = _observed(np.float64(x[hi - window]))
            s -= v
            c -= ok
        out[t] = s / c if c >= least else np.nan


@nb.njit(cache=True)
def _propagate_block(x, window, lead, min_periods, out, start, stop):
    """Rolling mean in which NaN and +-inf are values: a window holding NaN has
    mean NaN, one holding +inf has mean +inf (NaN if -inf too)."""
    n = x.size
    s = 0.0
    n_finite = n_nan = n_pos = n_neg = 0
    for t in range(start, stop):
        hi = t + lead
        lo = hi - window + 1
        for i in range(max(lo, 0) if t == start else hi, min(hi, n - 1) + 1):
            v = np.float64(x[i])
            if np.isnan(v):
                n_nan += 1
            elif v == np.inf:
                n_pos += 1
            elif v == -np.inf:
                n_neg += 1
            else:
                s += v
                n_finite += 1
        if t > start and lo > 0:
            v = np.float64(x[lo - 1])
            if np.isnan(v):
                n_nan -= 1
            elif v == np.inf:
                n_pos -= 1
            elif v == -np.inf:
                n_neg -= 1
            else:
                s -= v
                n_finite -= 1
        count = n_finite + n_nan + n_pos + n_neg
        if count < min_periods or count == 0 or n_nan or (n_pos and n_neg):
            out[t] = np.nan
        elif n_pos or n_neg:
            out[t] = np.inf if n_pos else -np.inf
        else:
            out[t] = s / n_finite


@nb.njit(cache=True)
def _rolling_job(x, window, lead, min_periods, propagate, finite, out, job, n_blocks, block):
    r = job // n_blocks
    start = (job % n_blocks) * block
    stop = min(start + block, x.shape[1])
    if finite[r]:
        _finite_block(x[r], window, lead, min_periods, out[r], start, stop)
    elif propagate:
        _propagate_block(x[r], window, lead, min_periods, out[r], start, stop)
    else:
        _ignore_block(x[r], window, lead, min_periods, out[r], start, stop)


@nb.njit(cache=True)
def _blocking(n, window):
    block = max(_MIN_BLOCK, 4 * window)
    return (n + block - 1) // block, block


@nb.njit(cache=True, parallel=True)
def rolling_mean(x, window, lead, min_periods, propagate, finite, out):
    """``out[r, t]`` = mean of ``x[r, t + lead - window + 1 : t + lead + 1]`` (clipped
    to the row), NaN where fewer than ``min_periods`` samples are observed.

    ``finite[r]`` says row ``r`` holds no NaN or inf (the fast path).  Sums
    run in float64 whatever the dtype.  Parallel over rows and blocks.
    """
    n_blocks, block = _blocking(x.shape[1], window)
    for job in nb.prange(x.shape[0] * n_blocks):
        _rolling_job(x, window, lead, min_periods, propagate, finite, out, job, n_blocks, block)


@nb.njit(cache=True)
def rolling_mean_serial(x, window, lead, min_periods, propagate, finite, out):
    """:func:`rolling_mean` on one thread, for small work."""
    n_blocks, block = _blocking(x.shape[1], window)
    for job in range(x.shape[0] * n_blocks):
        _rolling_job(x, window, lead, min_periods, propagate, finite, out, job, n_blocks, block)


@nb.njit(cache=True)
def _direct_window(x, i, m):
    """A reference ``c`` (the mean of ``x[i:i + m]``, rounded) and the sums of
    ``x - c`` and ``(x - c)^2`` over the window, computed directly: the
    differences are exact near ``c``, so the sums are too, to round-off."""
    s = 0.0
    for j in range(m):
        s += x[i + j]
    c = s / m
    s1 = 0.0
    s2 = 0.0
    for j in range(m):
        d = x[i + j] - c
        s1 += d
        s2 += d * d
    return c, s1, s2


@nb.njit(cache=True)
def _two_sum(a, b):
    """``a + b`` rounded and its exact rounding error (Knuth): branch-free, so
    the running sums do not stall on mispredicted magnitude tests."""
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


@nb.njit(cache=True)
def _stats_block(x, m, mean, var, start, stop):
    """Window means and (population) variances for window starts [start, stop).

    Running sums of ``x - c`` and ``(x - c)^2`` about a reference ``c`` (the
    mean of the last window computed directly), compensated (each addition's
    exact error summed apart, as Neumaier).  A window whose centred sum of
    squares has lost more than six digits to cancellation or is small against
    the products summed since the last reference (whose round-off is not
    compensated), and every 4096th window, is computed directly and becomes
    the new reference.  A window whose values are all equal (counted exactly)
    has variance 0.  No division or square root per window: they would
    bound the loop's speed.
    """
    inv_m = 1.0 / m
    c, s1, s2 = _direct_window(x, start, m)
    e1, e2, drift = 0.0, 0.0, 0.0
    equal = 0
    for j in range(start + 1, start + m):
        equal += x[j] == x[j - 1]
    last = start
    mean[start] = c + s1 * inv_m
    var[start] = 0.0 if equal == m - 1 else max(s2 - s1 * s1 * inv_m, 0.0) * inv_m
    for i in range(start + 1, stop):
        equal += (x[i + m - 1] == x[i + m - 2]) - (x[i] == x[i - 1])
        y_in = x[i + m - 1] - c
        y_out = x[i - 1] - c
        d1 = y_in - y_out
        s1, err = _two_sum(s1, d1)
        e1 += err
        d2 = (y_in - y_out) * (y_in + y_out)
        s2, err = _two_sum(s2, d2)
        e2 += err
        if equal == m - 1:
            mean[i] = x[i]
            var[i] = 0.0
            continue
        sum1 = s1 + e1
        sum2 = s2 + e2
        centred = sum2 - sum1 * sum1 * inv_m
        drift += abs(d2)
        # The products' round-off, about eps * drift, must stay 1e-11 of the result.
        if not (centred > 1e-6 * sum2 and drift < 1e5 * centred) or i - last >= 4096:
            c, s1, s2 = _direct_window(x, i, m)
            e1, e2, drift = 0.0, 0.0, 0.0
            sum1, centred = s1, max(s2 - s1 * s1 * inv_m, 0.0)
            last = i
        mean[i] = c + sum1 * inv_m
        var[i] = centred * inv_m
