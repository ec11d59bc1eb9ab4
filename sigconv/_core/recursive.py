"""Recursive (all-pole IIR) filters."""
import numba as nb


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
