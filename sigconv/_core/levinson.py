"""Levinson-Durbin and Burg recursions: AR coefficients of every order at once."""
import numba as nb
import numpy as np


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
        for j in range(1, k):
            coefs[k - 1, j - 1] = coefs[k - 2, j - 1] - kappa * coefs[k - 2, k - j - 1]
        coefs[k - 1, k - 1] = kappa
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
def _burg_row(x, coefs, variances, reflection, power):
    """Burg's recursion on the (demeaned) series ``x``: at each order the reflection
    coefficient minimising the summed forward and backward prediction errors.

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
        for j in range(1, k):
            coefs[k - 1, j - 1] = coefs[k - 2, j - 1] - kappa * coefs[k - 2, k - j - 1]
        coefs[k - 1, k - 1] = kappa
        v *= 1.0 - kappa * kappa
        variances[k] = v
        reflection[k - 1] = kappa
        power[k] = (1.0 - kappa * kappa) * den / (2.0 * (n - k))


@nb.njit(cache=True, parallel=True)
def burg(x, coefs, variances, reflection, power):
    """:func:`_burg_row` for every row of ``x`` (n_series, n), in parallel."""
    for s in nb.prange(x.shape[0]):
        _burg_row(x[s], coefs[s], variances[s], reflection[s], power[s])


@nb.njit(cache=True)
def burg_serial(x, coefs, variances, reflection, power):
    """:func:`burg` on one thread, for small work."""
    for s in range(x.shape[0]):
        _burg_row(x[s], coefs[s], variances[s], reflection[s], power[s])
