"""Standard errors of ARIMA estimates from the numerical Hessian of the log-likelihood."""
from __future__ import annotations

import math

import numpy as np

from ._arima_results import _LOG_2PI, _ml_profile, _polynomials
from ._arima_spec import _layout
from .engine import _core


def _loglik(result, theta):
    """The log-likelihood at ``theta = (beta, arma, sigma2)``, nothing concentrated
    but the diffuse initial values."""
    spec, est = result._spec, result._est
    k = est.beta.size
    beta, arma, sigma2 = theta[:k], theta[k:-1], theta[-1]
    if not sigma2 > 0:
        return -math.inf
    ar, ma = _polynomials(spec, arma)
    u = result._y - result._regressors @ beta
    data, levels = _layout(u, np.empty((u.size, 0)), spec)
    if result.method == "css":
        coef = np.empty(0)
        rss_mean, n_used = _core("arima").css_fit(data, ar, ma, coef)
        return -0.5 * n_used * (_LOG_2PI + math.log(sigma2) + rss_mean / sigma2)
    llf, s2, _ = _ml_profile(data, spec, ar, ma, spec.delta if levels else spec.delta[:0])
    n = est.nobs
    return llf + 0.5 * n * (math.log(s2) + 1.0 - math.log(sigma2) - s2 / sigma2)


def _steps(result, theta):
    k = result._est.beta.size
    steps = 1e-4 * np.maximum(np.abs(theta), 1.0)
    if k:   # regression coefficients: relative to the scale of the differenced regressor
        diff = result._spec.difference.weights
        for j in range(k):
            x = np.convolve(result._regressors[:, j], diff, mode="valid")
            scale = math.sqrt(result.sigma2) / max(np.sqrt(np.mean(x * x)), 1e-300)
            steps[j] = 1e-4 * max(abs(theta[j]), scale)
    steps[-1] = 1e-4 * theta[-1]
    return steps


def standard_errors(result):
    """sqrt of the diagonal of the inverse observed information; NaN where the
    Hessian is not negative definite."""
    theta = result._param_values.astype(float)
    h = _steps(result, theta)
    k = theta.size
    f0 = _loglik(result, theta)
    hess = np.empty((k, k))

    def at(*moves):
        x = theta.copy()
        for i, sign in moves:
            x[i] += sign * h[i]
        return _loglik(result, x)

    for i in range(k):
        hess[i, i] = (at((i, 1)) - 2 * f0 + at((i, -1))) / (h[i] * h[i])
        for j in range(i):
            hess[i, j] = hess[j, i] = (at((i, 1), (j, 1)) - at((i, 1), (j, -1))
                                       - at((i, -1), (j, 1)) + at((i, -1), (j, -1))) / (
                4 * h[i] * h[j])
    try:
        cov = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        return np.full(k, np.nan)
    diag = np.diag(cov)
    return np.where(diag > 0, np.sqrt(np.abs(diag)), np.nan)
