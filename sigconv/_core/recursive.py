"""Recursive (all-pole IIR) filters."""
import numba as nb
import numpy as np


@nb.njit(cache=True, parallel=True)
def all_pole(x, coefs, init, out):
    """``out[r, t] = x[r, t] + sum_i coefs[r, i] * out[r, t - 1 - i]``.

    ``init[r, i]`` is the value ``i + 1`` steps before the start (most recent
    first, as R's ``filter(method="recursive", init=)``).  ``coefs`` and
    ``init`` have one row shared by every series, or one row per series.
    Parallel over series; each series is a sequential recursion.
    """
    n_series, n = x.shape
    p = coefs.shape[1]
    for r in nb.prange(n_series):
        c = coefs[0] if coefs.shape[0] == 1 else coefs[r]
        z = init[0] if init.shape[0] == 1 else init[r]
        xr = x[r]
        y = out[r]
        for t in range(min(p, n)):
            acc = xr[t]
            for i in range(p):
                acc += c[i] * (y[t - 1 - i] if i < t else z[i - t])
            y[t] = acc
        for t in range(p, n):
            acc = xr[t]
            for i in range(p):
                acc += c[i] * y[t - 1 - i]
            y[t] = acc


@nb.njit(cache=True)
def _ewm_row(xr, y, decay, adjust, ignore_na, gap_weight, min_periods):
    n = xr.size
    a = 1.0 if adjust else 1.0 - decay
    t = 0
    while t < n and not np.isfinite(xr[t]):   # before the first observation
        y[t] = np.nan
        t += 1
    if t == n:
        return
    s, w = np.float64(xr[t]), 1.0
    n_obs = 1
    y[t] = s if n_obs >= min_periods else np.nan
    t += 1
    while t < n:
        # A run of observations: nothing but the two recursions on the
        # loop-carried chain (the division only feeds the output).
        while t < n:
            v = np.float64(xr[t])
            if not np.isfinite(v):  # NaN and +-inf are missing, as in pandas
                break
            s = decay * s + a * v
            w = decay * w + a
            n_obs += 1
            y[t] = s / w if n_obs >= min_periods else np.nan
            t += 1
        if t == n:
            break
        last = s / w                             # a gap repeats the last mean
        while t < n and not np.isfinite(xr[t]):
            if not ignore_na:
                s *= decay
                w *= decay
            y[t] = last if n_obs >= min_periods else np.nan
            t += 1
        if t == n:
            break
        v = np.float64(xr[t])                    # the observation after the gap
        a_gap = 1.0 - decay * w if gap_weight else a
        s = decay * s + a_gap * v
        w = decay * w + a_gap
        if not adjust:  # pandas restarts the weights at 1 after each observation
            s, w = s / w, 1.0
        n_obs += 1
        y[t] = s / w if n_obs >= min_periods else np.nan
        t += 1


@nb.njit(cache=True, parallel=True)
def ewm_mean(x, decay, adjust, ignore_na, gap_weight, min_periods, out):
    """Exponentially weighted mean, as ``pandas.Series.ewm(...).mean()``, parallel
    over series.

    The weighted sum ``S`` and the total weight ``W`` are two first-order
    recursions: at an observation ``S = decay S + a x``, ``W = decay W + a``
    (``a`` is 1 with ``adjust``, else ``1 - decay``); at a missing sample
    both only decay (or, with ``ignore_na``, stay).  The first observation
    starts them at ``S = x, W = 1``.  The mean is ``S / W``; during a gap the
    last mean is repeated, as pandas does.  NaN and +-inf are missing.
    ``gap_weight`` copies pandas' rule for ``adjust=False`` with ``com == 1``:
    the observation after a gap of ``g`` samples gets weight
    ``1 - decay^(g + 1)`` instead of ``1 - decay``.
    """
    for r in nb.prange(x.shape[0]):
        _ewm_row(x[r], out[r], decay, adjust, ignore_na, gap_weight, min_periods)


@nb.njit(cache=True)
def ewm_mean_serial(x, decay, adjust, ignore_na, gap_weight, min_periods, out):
    """:func:`ewm_mean` on one thread, for one series or small work."""
    for r in range(x.shape[0]):
        _ewm_row(x[r], out[r], decay, adjust, ignore_na, gap_weight, min_periods)
