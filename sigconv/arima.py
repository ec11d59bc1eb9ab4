"""ARIMA and seasonal ARIMA models as composed kernels.

The model for ``y_t`` (with optional regressors ``x_t``) is

    phi(B) Phi(B^s) (1 - B)^d (1 - B^s)^D (y_t - x_t' beta) = theta(B) Theta(B^s) e_t,

a composition of lag-polynomial kernels: the AR side ``phi(B) Phi(B^s)``,
the differencing ``(1 - B)^d (1 - B^s)^D`` and the MA side ``theta(B)
Theta(B^s)``.  Estimation is conditional sum of squares (CSS), the exact
Gaussian likelihood (ML), or CSS followed by ML (R's default), all in numba.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import _validate as V
from ._arima_results import ARIMAPanelResult, ARIMAResult, ConvergenceWarning
from ._arima_spec import (
    METHODS,
    ARIMAKernels,
    _check_orders,
    _Design,
    _exog_input,
    _Fit,
    _layout,
    _problem,
    _regressors,
)
from .engine import _core

__all__ = ["ARIMA", "ARIMAKernels", "ARIMAPanelResult", "ARIMAResult", "ConvergenceWarning",
           "arima"]
_METHOD_CODE = {"css": 0, "ml": 1, "css-ml": 2}
_GTOL = 1e-7
_MESSAGES = {
    0: "converged: the gradient is below tolerance",
    1: "converged: no further decrease is possible",
    2: "did not converge within maxiter={maxiter} iterations",
    3: "the line search failed to decrease the objective (gradient still large)",
    4: "the objective is not finite at the starting values",
}


class ARIMA:
    """A (seasonal) ARIMA model, with optional trend and regressors.

    ``phi(B) Phi(B^s) (1 - B)^d (1 - B^s)^D (y_t - x_t' beta) = theta(B)
    Theta(B^s) e_t``, ``e_t ~ N(0, sigma2)``, where ``x_t`` holds the trend
    terms and ``exog``.

    Parameters
    ----------
    order : tuple (p, d, q) of ints >= 0
        Non-seasonal AR order, differences and MA order.
    seasonal_order : tuple (P, D, Q, s) of ints >= 0
        Seasonal AR order, seasonal differences, seasonal MA order and the
        season length s >= 2 (0 without seasonal terms).  ``(P, D, Q)`` or
        ``s=None`` takes s from the frequency of the series' pandas index
        (monthly 12, quarterly 4, ...) with a warning.
    trend : {"n", "c", "t", "ct"}, optional
        Trend terms, as statsmodels: ``"c"`` a constant (the mean of a
        stationary model), ``"t"`` a linear time trend ``1, 2, ..., n`` (a
        drift when d + D = 1), ``"ct"`` both.  Default ``"c"`` without
        differencing, ``"n"`` with.  Terms that differencing would remove are
        an error.
    method : {"css-ml", "ml", "css"}
        ``"css"``
            conditional sum of squares, as R's ``arima(method="CSS")``.
        ``"ml"``
            the exact Gaussian likelihood, from zero starting values.
        ``"css-ml"``
            CSS estimates as the start of the exact ML fit (R's default).
    exog : array_like, shape (n,) or (n, k), Series or DataFrame, optional
        Regressors: regression with ARIMA errors.

    Notes
    -----
    The exact likelihood comes from a Kalman filter in numba.  Without
    missing values the series is differenced first: the exact likelihood of
    an integrated model with a diffuse prior on the initial values is that of
    the differenced series (the convention of R's ``arima`` and of
    Box-Jenkins), so AIC and BIC compare with R.  With missing values the
    undifferenced state space is filtered, the initial values being
    integrated out by de Jong's augmented filter; both paths give the same
    likelihood.  The regression coefficients and ``sigma2`` are concentrated
    out: the optimiser (BFGS) sees only the ARMA coefficients, mapped to
    stationary AR and invertible MA polynomials through partial
    autocorrelations (Jones 1980), as statsmodels and R do.  Standard errors
    come from the numerical Hessian of the log-likelihood at the estimates
    (the observed information, as R; statsmodels defaults to the outer
    product of gradients).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import datasets
    >>> from sigconv.arima import ARIMA
    >>> y = np.log(datasets.airpassengers())
    >>> result = ARIMA((0, 1, 1), (0, 1, 1, 12), method="ml").fit(y)
    >>> result.params.round(4)
    ma.L1      -0.4018
    ma.S.L12   -0.5569
    sigma2      0.0013
    Name: airpassengers, dtype: float64
    >>> round(result.llf, 3)
    244.696
    """

    def __init__(self, order=(0, 0, 0), seasonal_order=(0, 0, 0, 0), *, trend=None,
                 method="css-ml", exog=None):
        V.check_option(method, "method", METHODS)
        self.order = order
        self.seasonal_order = seasonal_order
        self.trend = trend
        self.method = method
        self.exog = exog
        if np.ndim(seasonal_order) == 1 and (len(seasonal_order) == 3 or (
                len(seasonal_order) == 4 and seasonal_order[3] is None)):
            return   # s comes from the series' index at fit time
        _check_orders(order, seasonal_order, trend, method, None)

    def __repr__(self):
        return (f"ARIMA(order={tuple(self.order)}, seasonal_order={tuple(self.seasonal_order)}, "
                f"trend={self.trend!r}, method={self.method!r})")

    def fit(self, y, *, maxiter=500, axis=-1):
        """Estimate the model.

        Parameters
        ----------
        y : array_like, shape (n,) or (n_series, n), Series or DataFrame
            The series; NaN marks a missing value (``method="ml"`` or
            ``"css-ml"``, which then starts from zeros).  A DataFrame (one
            series per column) or a 2-D array (one series per row, or per
            column with ``axis=0``) fits every series in parallel and
            returns an :class:`ARIMAPanelResult`.
        maxiter : int >= 1
            Most BFGS iterations per stage.
        axis : int
            Time axis of a 2-D array.

        Returns
        -------
        ARIMAResult or ARIMAPanelResult

        Raises
        ------
        ValueError
            A series too short for the model, constant after differencing,
            with inf, or all missing; exog of the wrong length or with NaN.

        Warns
        -----
        ConvergenceWarning
            When the optimiser stops before converging (the message says why).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> type(result).__name__, round(result.llf, 2), round(result.sigma2, 3)
        ('ARIMAResult', -431.08, 1.035)
        >>> y = x.copy()
        >>> y[[10, 50]] = np.nan                           # missing values: exact ML
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(y)
        >>> result.method, result.nobs, round(float(result.params["ar.L1"]), 2)
        ('ml', 298, 0.62)
        >>> sigconv.ARIMA((1, 0, 0)).fit(np.stack([x[:150], x[150:]]))   # one series per row
        ARIMAPanelResult(ARIMA(1,0,0), 2 series, 2 converged)
        """
        return self._fit(y, maxiter, axis)

    def _fit(self, y, maxiter, axis):
        # Called straight from the user's ``fit`` or ``arima`` call: warnings
        # raised here name that caller with stacklevel=3.
        maxiter = V.check_int(maxiter, "maxiter")
        data = V.series_input(y, "y", axis=axis, dtype=np.float64)
        if data.kind == "numpy" and len(data.batch_shape) > 1:
            raise ValueError("y must be 1-D or 2-D (one series per row)")
        spec = _check_orders(self.order, self.seasonal_order, self.trend, self.method,
                             data.index)
        exog, exog_names = _exog_input(self.exog, data.n_samples)
        if np.isinf(data.values).any():
            raise ValueError("y contains inf; only NaN (missing) is allowed")
        regressors = _regressors(spec, exog, data.n_samples)
        design = _Design(spec, regressors, spec.trend_names + exog_names, len(exog_names))
        panel = data.kind == "frame" or (data.kind == "numpy" and data.batch_shape)
        fits = _estimate(data.values, regressors, spec, maxiter, raise_errors=not panel)
        if not panel:
            fit = fits[0]
            if not fit.converged:
                warnings.warn(f"ARIMA fit: {fit.message}; the estimates may be poor (raise "
                              "maxiter, or try another method)", ConvergenceWarning,
                              stacklevel=3)
            return ARIMAResult(fit, design, data.values[0], data.index, data.name)
        return ARIMAPanelResult(fits, design, data)


def arima(y, order=(0, 0, 0), seasonal_order=(0, 0, 0, 0), *, trend=None, method="css-ml",
          exog=None, maxiter=500, axis=-1):
    """Fit an ARIMA model: ``ARIMA(order, seasonal_order, trend, method, exog).fit(y)``.

    See :class:`ARIMA` for the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import datasets
    >>> from sigconv.arima import arima
    >>> y = np.log(datasets.airpassengers())
    >>> fc = arima(y, (0, 1, 1), (0, 1, 1, 12)).forecast(12)
    >>> list(fc.columns)
    ['mean', 'se', 'lower_80', 'upper_80', 'lower_95', 'upper_95']
    >>> str(fc.index[0].date())
    '1961-01-01'
    """
    model = ARIMA(order, seasonal_order, trend=trend, method=method, exog=exog)
    return model._fit(y, maxiter, axis)


def _estimate(values, regressors, spec, maxiter, raise_errors):
    """Fit every row of ``values``; a failing series gets an error, not an exception."""
    core = _core("arima")
    fits = [None] * values.shape[0]
    groups = {}
    for i, y in enumerate(values):
        error = _problem(y, regressors, spec)
        if error is not None:
            if raise_errors:
                raise ValueError(error)
            fits[i] = _Fit(np.full(spec.k_arma, np.nan), spec.method, False, error, 0, error)
            continue
        data, levels = _layout(y, regressors, spec)
        method = "ml" if levels else spec.method
        groups.setdefault((levels, method, data.shape), []).append((i, data))
    for (levels, method, _), members in groups.items():
        rows = [i for i, _ in members]
        data = np.stack([d for _, d in members])
        x = np.zeros((len(rows), spec.k_arma))
        info = np.zeros((len(rows), 3))
        code = _METHOD_CODE[method]
        delta = spec.delta if levels else spec.delta[:0]
        if len(rows) == 1:
            core.fit_one(data[0], spec.arma, delta, code, x[0], _GTOL, maxiter, info[0])
        else:
            core.fit_many(data, spec.arma, delta, code, x, _GTOL, maxiter, info)
        for j, i in enumerate(rows):
            status = int(info[j, 1])
            arma = x[j].copy()
            if method != "css":
                core.constrain(x[j], spec.arma, arma)
            message = _MESSAGES[status].format(maxiter=maxiter)
            fits[i] = _Fit(arma, method, status <= 1, message, int(info[j, 2]))
    return fits


