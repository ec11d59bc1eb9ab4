"""Tightly converged statsmodels ARIMA fits: the reference for ``sigconv.arima``.

statsmodels' ``ARIMA.fit`` is not used as it stands, for two reasons:

- its default initialisation of a differenced model is an *approximate* diffuse
  prior (a large initial variance, like R's ``kappa = 1e6``), which shifts the
  log-likelihood by ~3e-3 and the estimates by ~1e-5 on the airline model;
- its default optimiser (L-BFGS, ``maxiter=50``) stops early.

So :func:`exact_model` switches the state space model to the *exact* diffuse
initialisation, and :func:`reference_fit` maximises its log-likelihood with
scipy: BFGS from statsmodels' start values, then Nelder-Mead polishing
(``xatol=1e-10, fatol=1e-12``), restarted until it no longer improves.  The
parameters are optimised in statsmodels' unconstrained space (stationary AR,
invertible MA, positive variance).

With the exact diffuse initialisation, statsmodels' log-likelihood is the exact
Gaussian log-likelihood of the differenced series minus ``0.5 log(2 pi)`` for
each of the ``d + D s`` observations spent on the diffuse states; the
reference adds that constant back (:data:`LOG_2PI_HALF`).  On the airline
model this gives ``ma.L1 = -0.401823, ma.S.L12 = -0.556937, sigma2 =
0.0013481, llf = 244.696487`` (R's ``arima``: -0.40183, -0.55695, 244.6995, the
difference being R's approximate prior).
"""
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize, signal
from statsmodels.tsa.arima.model import ARIMA

LOG_2PI_HALF = 0.5 * np.log(2 * np.pi)

# Box & Jenkins' monthly airline passengers (thousands), 1949-01 to 1960-12:
# R's ``AirPassengers``.
AIRPASSENGERS = (
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
    115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
    204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
)


def airpassengers():
    """AirPassengers as a float Series on a month-start DatetimeIndex."""
    index = pd.date_range("1949-01-01", periods=len(AIRPASSENGERS), freq="MS")
    return pd.Series(np.array(AIRPASSENGERS, dtype=float), index=index, name="passengers")


def simulate_arima(ar, ma, n, seed, d=0, sigma=1.0, burn=200, size=None):
    """ARMA(p, q) by scipy's ``lfilter`` on Gaussian noise after a burn-in, then
    integrated ``d`` times (cumulative sums).  ``size`` adds leading dimensions
    (independent paths, time on the last axis)."""
    shape = (() if size is None else tuple(np.atleast_1d(size))) + (n + burn,)
    noise = np.random.default_rng(seed).normal(scale=sigma, size=shape)
    x = signal.lfilter(np.r_[1.0, ma], np.r_[1.0, -np.asarray(ar, dtype=float)], noise)
    x = x[..., burn:]
    for _ in range(d):
        x = np.cumsum(x, axis=-1)
    return x


def exact_model(y, order, seasonal_order=(0, 0, 0, 0), trend=None, exog=None):
    """statsmodels' ARIMA with the exact diffuse initialisation and no burn-in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ARIMA(y, order=order, seasonal_order=seasonal_order, trend=trend, exog=exog)
    model.use_exact_diffuse = True
    model.loglikelihood_burn = 0
    model.initialize_default()
    return model


def n_diffuse(order, seasonal_order):
    """Observations spent on the diffuse states: d + D s."""
    return order[1] + seasonal_order[1] * seasonal_order[3]


class Reference(NamedTuple):
    params: np.ndarray        # statsmodels' order (trend, exog, ar, seasonal ar, ma, ..., sigma2)
    names: list               # statsmodels' parameter names
    llf: float                # exact log-likelihood of the differenced series
    mean: np.ndarray          # forecast mean, shape (h,)
    se: np.ndarray            # forecast standard error, shape (h,)


def evaluate(model, params, order, seasonal_order, h=0, exog_future=None):
    """llf (with the diffuse constant added back) and an ``h``-step forecast of
    the exact-diffuse ``model`` at ``params``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.filter(np.asarray(params, dtype=float))
        llf = result.llf + LOG_2PI_HALF * n_diffuse(order, seasonal_order)
        if not h:
            return llf, np.empty(0), np.empty(0)
        forecast = result.get_forecast(h, exog=exog_future)
        return llf, np.asarray(forecast.predicted_mean), np.asarray(forecast.se_mean)


def reference_fit(y, order, seasonal_order=(0, 0, 0, 0), trend=None, exog=None, h=0,
                  exog_future=None):
    """Maximum likelihood (exact diffuse) by statsmodels' Kalman filter and scipy.

    ``y`` may hold NaN (missing observations).  Returns a :class:`Reference`.
    Takes ~0.05-1.5 s per model; callers cache the result per case.
    """
    model = exact_model(y, order, seasonal_order, trend, exog)

    def objective(u):
        value = -model.loglike(model.transform_params(u))
        return value if np.isfinite(value) else 1e300

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = model.untransform_params(model.start_params)
        best = optimize.minimize(objective, start, method="BFGS",
                                 options={"gtol": 1e-8, "maxiter": 2000})
        for _ in range(5):
            polish = optimize.minimize(objective, best.x, method="Nelder-Mead",
                                       options={"xatol": 1e-10, "fatol": 1e-12,
                                                "maxiter": 50_000, "maxfev": 50_000})
            improved = best.fun - polish.fun
            if polish.fun <= best.fun:
                best = polish
            if improved < 1e-10:
                break
        params = model.transform_params(best.x)
    llf, mean, se = evaluate(model, params, order, seasonal_order, h, exog_future)
    return Reference(np.asarray(params), list(model.param_names), llf, mean, se)


# ---------------------------------------------------------------------------
# Conditional sum of squares, from the definition in R's ``arima(method="CSS")``


def lag_polynomial(coef, seasonal_coef, s, sign):
    """Ascending coefficients of ``(1 + sign sum c_i B^i)(1 + sign sum C_j B^(s j))``:
    sign -1 for AR (``phi(B) Phi(B^s)``), +1 for MA (``theta(B) Theta(B^s)``)."""
    regular = np.r_[1.0, sign * np.asarray(coef, dtype=float)]
    seasonal = np.zeros(s * len(seasonal_coef) + 1)
    seasonal[0] = 1.0
    if len(seasonal_coef):
        seasonal[s::s] = sign * np.asarray(seasonal_coef, dtype=float)
    return np.convolve(regular, seasonal)


def css_regressors(n, trend, exog):
    """Trend columns (statsmodels' ``t = 1, ..., n``) then exog, shape (n, k)."""
    columns = {"n": [], "c": [np.ones(n)], "t": [np.arange(1.0, n + 1)],
               "ct": [np.ones(n), np.arange(1.0, n + 1)]}[trend]
    if exog is not None:
        columns += list(np.asarray(exog, dtype=float).reshape(n, -1).T)
    return np.column_stack(columns) if columns else np.empty((n, 0))


def css_residuals(y, order, seasonal_order, regressors, params):
    """R's ``ARIMA_CSS``: regress out ``x beta``, difference (d times at lag 1, D times at
    lag s), then for t >= ncond = d + D s + p + P s

        e_t = w_t - sum_k phi_k w_{t-k} - sum_k theta_k e_{t-k},

    phi and theta the expanded (multiplied) polynomials, residuals before ncond
    taken as zero.  ``params``: regression, ar, seasonal ar, ma, seasonal ma."""
    p, d, q = order
    P, D, _, s = seasonal_order
    k = regressors.shape[1]
    beta, rest = params[:k], params[k:]
    ar, sar, ma, sma = np.split(rest, np.cumsum([p, P, q]))
    w = np.asarray(y, dtype=float) - regressors @ beta
    for _ in range(d):
        w = np.r_[np.nan, np.diff(w)]
    for _ in range(D):
        w = np.r_[np.full(s, np.nan), w[s:] - w[:-s]]
    phi = -lag_polynomial(ar, sar, s, -1)[1:]
    theta = lag_polynomial(ma, sma, s, +1)[1:]
    ncond = d + D * s + p + P * s
    u = w[ncond:].copy()
    for j, c in enumerate(phi, start=1):
        u -= c * w[ncond - j:w.size - j]
    # e_t + sum theta_k e_{t-k} = u_t, zero residuals before ncond
    return signal.lfilter([1.0], np.r_[1.0, theta], u)


class CSSReference(NamedTuple):
    params: np.ndarray   # as ``Reference.params``: regression, arma, then sigma2 = ssq / nu
    llf: float           # R's value: -n_used / 2 (log(2 pi sigma2) + 1)
    ssq: float


def css_fit(y, order, seasonal_order=(0, 0, 0, 0), trend=None, exog=None, start=None):
    """Minimise R's CSS criterion ``0.5 log(ssq / nu)`` with scipy (BFGS, then
    Nelder-Mead polishing), unconstrained as R's (no stationarity transform).

    ``start`` (regression and ARMA coefficients, no sigma2), e.g. the ML estimates.
    R's ``n.used`` (non-missing observations less d + D s) enters the
    log-likelihood; ``nu`` (the residuals from ``ncond`` on) the variance."""
    y = np.asarray(y, dtype=float)
    if trend is None:
        trend = "c" if n_diffuse(order, seasonal_order) == 0 else "n"
    regressors = css_regressors(y.size, trend, exog)

    def objective(x):
        e = css_residuals(y, order, seasonal_order, regressors, x)
        return 0.5 * np.log(np.mean(e**2))

    best = optimize.minimize(objective, np.asarray(start, dtype=float), method="BFGS",
                             options={"gtol": 1e-9, "maxiter": 5000})
    for _ in range(5):
        polish = optimize.minimize(objective, best.x, method="Nelder-Mead",
                                   options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 50_000,
                                            "maxfev": 50_000})
        improved = best.fun - polish.fun
        if polish.fun <= best.fun:
            best = polish
        if improved < 1e-12:
            break
    e = css_residuals(y, order, seasonal_order, regressors, best.x)
    sigma2 = np.mean(e**2)
    n_used = np.count_nonzero(~np.isnan(y)) - n_diffuse(order, seasonal_order)
    llf = -0.5 * n_used * (np.log(2 * np.pi * sigma2) + 1)
    return CSSReference(np.r_[best.x, sigma2], llf, float(np.sum(e**2)))
