"""Levinson-Durbin and Burg recursions: AR coefficients of every order at once."""
import numba as nb
import numpy as np


@nb.njit(cache=True)
def _step_up(coefs, k, kappa):
    """Order-k coefficients from order k - 1 and the k-th reflection coefficient."""
    for j in range(1, k):
        coefs[k - 1, j - 1] = coefs[k - 2, j - 1] - kappa * coefs[k - 2, k - j - 1]
    coefs[k - 1, k - 1] = kappa


@nb.njit(cache=True)
def _levinson_row(r, coefs, variances, reflection):
    """Solve the Yule-Walker equations of orders 1..p from autocovariances ``r``.

    ``coefs[k - 1, :k]`` are the order-k coefficients (``x_t = sum phi_j
    x_{t-j} + e_t``), ``variances[k]`` the order-k prediction variance
    (``variances[0] = r[0]``) and ``reflection[k - 1]`` the k-th partial
    autocorrelation.  O(p^2).
    """
    p = coefs.shape[0]
    v = r[0]
    variances[0] = v
    for k in range(1, p + 1):
        acc = r[k]
        for j in range(1, k):
            acc -= coefs[k - 2, j - 1] * r[k - j]
        kappa = acc / v if v != 0 else 0.0
        _step_up(coefs, k, kappa)
        v *= 1.0 - kappa * kappa
        variances[k] = v
        reflection[k - 1] = kappa


@nb.njit(cache=True)
def levinson(r, coefs, variances, reflection):
    """:func:`_levinson_row` for every row of ``r`` (n_series, p + 1); O(p^2) each,
    too little work to be worth a second thread."""
    for s in range(r.shape[0]):
        _levinson_row(r[s], coefs[s], variances[s], reflection[s])


@nb.njit(cache=True)
def _burg_row(x, c, coefs, variances, reflection, power):
    """Burg's recursion for the (demeaned) series ``x`` from its lag sums
    ``c[k] = sum_t x[t] x[t + k]``, k = 0..p, in O(p^2) after them (Vos 2013,
    "A fast implementation of Burg's method").

    At each order the reflection coefficient minimises the summed forward and
    backward squared prediction errors, as in the textbook recursion, but the
    error sums are updated from ``c`` and the ends of ``x`` instead of by
    passes over the error series.  Outputs as :func:`_levinson_row`;
    ``variances[k]`` is ``mean(x^2) prod (1 - kappa_j^2)`` (R's ``ar.burg``)
    and ``power[k]`` the mean of the order-k forward and backward squared
    errors (statsmodels' ``burg`` sigma2).
    """
    n = x.size
    p = coefs.shape[0]
    v = c[0] / n
    variances[0] = v
    power[0] = v
    if p == 0:
        return
    a = np.zeros(p + 2)   # prediction-error filter [1, a_1, ..., a_k]
    a[0] = 1.0
    g = np.zeros(p + 2)
    r = np.zeros(p + 1)
    update = np.zeros(p + 2)
    d = np.zeros(p + 2)
    g[0] = 2.0 * c[0] - x[0] * x[0] - x[n - 1] * x[n - 1]
    g[1] = 2.0 * c[1]
    r[0] = 2.0 * c[1]
    for k in range(p):
        num = 0.0
        den = 0.0
        for i in range(k + 2):
            num += a[i] * g[k + 1 - i]
            den += a[i] * g[i]
        kappa = num / den if den != 0 else 0.0   # the reflection coefficient
        for i in range(k + 2):
            update[i] = a[i] - kappa * a[k + 1 - i]
        for i in range(k + 2):
            a[i] = update[i]
        order = k + 1
        for j in range(order):
            coefs[k, j] = -a[j + 1]
        reflection[k] = kappa
        v *= 1.0 - kappa * kappa
        variances[order] = v
        power[order] = (1.0 - kappa * kappa) * den / (2.0 * (n - order))
        if order == p:
            break
        for i in range(order - 1, -1, -1):
            r[i + 1] = r[i] - x[i] * x[order] - x[n - 1 - i] * x[n - 1 - order]
        r[0] = 2.0 * c[order + 1]
        s1 = 0.0
        s2 = 0.0
        for col in range(order + 1):
            s1 += x[order - col] * a[col]
            s2 += x[n - 1 - order + col] * a[col]
        for row in range(order + 1):
            d[row] = -x[order - row] * s1 - x[n - 1 - order + row] * s2
        for i in range(order + 1):
            update[i] = g[i] - kappa * g[order - i] + d[i]
        last = 0.0
        for i in range(order + 1):
            last += r[i] * a[i]
        for i in range(order + 1):
            g[i] = update[i]
        g[order + 1] = last


@nb.njit(cache=True)
def _burg_passes_row(x, coefs, variances, reflection, power):
    """Burg's textbook recursion: two passes over the forward and backward error
    series per order, O(n p); exact where :func:`_burg_row` loses digits.

    Outputs as :func:`_levinson_row`; ``variances[k]`` is the order-k
    prediction variance by the recursion, ``mean(x^2) prod (1 - kappa_j^2)``
    (R's ``ar.burg``), and ``power[k]`` the mean of the order-k forward and
    backward squared errors (statsmodels' ``burg`` sigma2).
    """
    n = x.size
    p = coefs.shape[0]
    forward = x.astype(np.float64).copy()
    backward = forward.copy()
    v = 0.0
    for t in range(n):
        v += forward[t] * forward[t]
    v /= n
    variances[0] = v
    power[0] = v
    for k in range(1, p + 1):
        num = 0.0
        den = 0.0
        for t in range(k, n):
            f = forward[t]
            b = backward[t - 1]
            num += f * b
            den += f * f + b * b
        kappa = 2.0 * num / den if den != 0 else 0.0
        # Update the errors in place, newest first so backward[t - 1] is still old.
        for t in range(n - 1, k - 1, -1):
            f = forward[t]
            b = backward[t - 1]
            forward[t] = f - kappa * b
            backward[t] = b - kappa * f
        _step_up(coefs, k, kappa)
        v *= 1.0 - kappa * kappa
        variances[k] = v
        reflection[k - 1] = kappa
        power[k] = (1.0 - kappa * kappa) * den / (2.0 * (n - k))


@nb.njit(cache=True)
def burg(x, c, coefs, variances, reflection, power):
    """:func:`_burg_row` for every row of ``x`` (n_series, n) with lag sums ``c``;
    O(p^2) each once the lag sums are known."""
    for s in range(x.shape[0]):
        _burg_row(x[s], c[s], coefs[s], variances[s], reflection[s], power[s])


@nb.njit(cache=True, parallel=True)
def burg_passes(x, coefs, variances, reflection, power):
    """:func:`_burg_passes_row` for every row of ``x`` (n_series, n), in parallel."""
    for s in nb.prange(x.shape[0]):
        _burg_passes_row(x[s], coefs[s], variances[s], reflection[s], power[s])
