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
    new_weight = 1.0 if adjust else 1.0 - decay
    s = w = 0.0
    last = np.nan
    n_obs = 0
    for t in range(xr.size):
        v = np.float64(xr[t])
        if np.isfinite(v):  # NaN and +-inf are missing, as in pandas
            if n_obs == 0:
                s, w = v, 1.0
            else:
                a = 1.0 - decay * w if gap_weight else new_weight
                s = decay * s + a * v
                w = decay * w + a
            n_obs += 1
            last = s / w
            if not adjust and w != 1.0:
                # pandas restarts the weights at 1 after each observation,
                # which matters after a gap.
                s, w = last, 1.0
        elif n_obs and not ignore_na:
            s *= decay
            w *= decay
        y[t] = last if n_obs >= min_periods else np.nan


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
