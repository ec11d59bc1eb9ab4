"""The exact Gaussian likelihood of a stationary AR(p) process, and its maximiser."""
from __future__ import annotations

import numpy as np


def _step_up(reflection):
    """Partial autocorrelations -> AR coefficients of every order (Levinson step-up).

    Returns the list of coefficient vectors of orders 0..p.
    """
    orders = [np.empty(0)]
    for k, kappa in enumerate(reflection, start=1):
        prev = orders[-1]
        orders.append(np.concatenate([prev - kappa * prev[::-1], [kappa]]))
    return orders


def _reflection(coef):
    """AR coefficients -> partial autocorrelations (Levinson step-down)."""
    a = np.asarray(coef, dtype=float).copy()
    out = np.empty(a.size)
    for k in range(a.size, 0, -1):
        kappa = a[-1]
        out[k - 1] = kappa
        if k > 1:
            a = (a[:-1] + kappa * a[:-1][::-1]) / (1.0 - kappa * kappa)
    return out


def _concentrated(x, mean, reflection):
    """Exact log-likelihood with sigma2 profiled out, and that sigma2.

    The first p samples are predicted from their own past by the
    lower-order predictors (prediction variances ``v_t``), the rest by the
    order-p one: ``Q = sum e_t^2 / v_t``, ``sigma2 = Q / n``, ``llf = -n/2
    (log(2 pi sigma2) + 1) - sum log v_t / 2`` with ``v_t = 1`` for t >= p.
    """
    n = x.size
    p = reflection.size
    z = x - mean
    orders = _step_up(reflection)
    # Unit-innovation prediction variances of orders 0..p-1: v_p = 1.
    v = np.ones(p + 1)
    for k in range(p, 0, -1):
        v[k - 1] = v[k] / (1.0 - reflection[k - 1] ** 2)
    q = 0.0
    for t in range(min(p, n)):
        e = z[t] - orders[t] @ z[t - 1::-1][:t] if t else z[0]
        q += e * e / v[t]
    phi = orders[p]
    if n > p:
        e = z[p:] - (np.convolve(z, np.concatenate([[0.0], phi]))[p:n] if p else 0.0)
        q += e @ e
    sigma2 = q / n
    logdet = np.log(v[:min(p, n)]).sum()
    return -0.5 * n * (np.log(2 * np.pi * sigma2) + 1.0) - 0.5 * logdet, sigma2


def loglike(x, mean, coef, sigma2):
    """Exact Gaussian log-likelihood of ``x`` under AR(coef) with ``mean`` and ``sigma2``."""
    reflection = _reflection(coef)
    if np.any(np.abs(reflection) >= 1):
        return -np.inf
    llf_hat, sigma2_hat = _concentrated(x, mean, reflection)
    n = x.size
    # llf at sigma2 from the profile at sigma2_hat: the quadratic form is n sigma2_hat.
    return llf_hat + 0.5 * n * (np.log(sigma2_hat / sigma2) + 1.0 - sigma2_hat / sigma2)


def fit_exact(x, p, constant):
    """Maximise the exact likelihood over (mean, coefficients); sigma2 in closed form.

    Coefficients are parameterised by ``tanh`` of unconstrained values as
    partial autocorrelations, so every trial is stationary.  Starts from
    Burg's estimates.  Returns ``(mean, coef, sigma2)``.
    """
    from scipy.optimize import minimize

    from .acf import _recursion

    center = x.mean() if constant else 0.0
    scale = x.std() or 1.0
    if p == 0:
        mean = center
        return mean, np.empty(0), float(np.mean((x - mean) ** 2))
    reflection0 = _recursion("burg", (x - center)[None, :], p)[2][0]
    u0 = np.arctanh(np.clip(reflection0, -0.99, 0.99))

    def unpack(theta):
        mean = center + theta[0] * scale if constant else 0.0
        return mean, np.tanh(theta[int(constant):])

    def objective(theta):
        mean, reflection = unpack(theta)
        return -_concentrated(x, mean, reflection)[0] / x.size

    theta0 = np.concatenate([[0.0], u0]) if constant else u0
    best = minimize(objective, theta0, method="BFGS", options={"gtol": 1e-9, "maxiter": 2000})
    mean, reflection = unpack(best.x)
    sigma2 = _concentrated(x, mean, reflection)[1]
    return mean, _step_up(reflection)[p], sigma2
