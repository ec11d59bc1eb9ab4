"""Fitted ARIMA models: statistics, kernels, forecasts and panels of fits."""
from __future__ import annotations

import math

import numpy as np

from . import _validate as V
from ._arima_spec import ARIMAKernels, _exog_input, _layout, _regressors
from .ar import _future_index
from .engine import _core
from .kernels import Kernel

_LOG_2PI = math.log(2 * math.pi)


class ConvergenceWarning(UserWarning):
    """The optimiser stopped before converging; the estimates may be poor.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import sigconv
    >>> from sigconv.arima import ConvergenceWarning
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     result = sigconv.ARIMA((2, 0, 2)).fit(x, maxiter=1)
    >>> [w.category is ConvergenceWarning for w in caught], result.converged
    ([True], False)
    """


def _polynomials(spec, arma):
    return _core("arima").expand(np.ascontiguousarray(arma, dtype=float), spec.arma)


def _ml_profile(data, spec, ar, ma, delta):
    """``(llf, sigma2, coef)`` of the exact likelihood on a data layout."""
    n, c = data.shape
    dim = delta.size + max(ar.size, ma.size + 1)
    coef = np.empty(c - 1)
    llf, sigma2 = _core("arima").ml_fit(data, ar, ma, delta, coef, np.empty((n, c)),
                                        np.empty(n), np.empty((dim, c)), np.empty((dim, dim)))
    return llf, sigma2, coef


def _filter_known(u, spec, ar, ma):
    """Filter ``u = y - x' beta`` with the regression known.

    Returns the one-step prediction errors of ``u`` (NaN where missing or
    where the initial values are not yet determined), their variances in
    units of sigma2, and the predicted state (mean, covariance in units of
    sigma2) of time n in the undifferenced state space ``(u_{t-1}, ..,
    u_{t-r}, h_t)``.
    """
    arima = _core("arima")
    delta = spec.delta
    r = delta.size
    n = u.size
    m = max(ar.size, ma.size + 1)
    if np.isfinite(u).all():   # the differenced series, with the last r levels known exactly
        w = np.ascontiguousarray(np.convolve(u, spec.difference.weights, mode="valid")[:, None])
        inn, f = np.empty_like(w), np.empty(w.shape[0])
        state, cov = np.empty((m, 1)), np.empty((m, m))
        arima.ml_fit(w, ar, ma, delta[:0], np.empty(0), inn, f, state, cov)
        resid = np.concatenate([np.full(r, np.nan), inn[:, 0]])
        variance = np.concatenate([np.full(r, np.nan), f])
        mean = np.concatenate([u[::-1][:r], state[:, 0]])
        full_cov = np.zeros((r + m, r + m))
        full_cov[r:, r:] = cov
        return resid, variance, mean, full_cov
    data = np.zeros((n, 1 + r))
    data[:, 0] = u
    inn, f = np.empty_like(data), np.empty(n)
    state, cov = np.empty((r + m, 1 + r)), np.empty((r + m, r + m))
    arima.ml_fit(data, ar, ma, delta, np.empty(r), inn, f, state, cov)
    if r == 0:
        return inn[:, 0], f, state[:, 0].copy(), cov
    # The initial values: estimated from the observations before t for the
    # one-step errors, from all of them for the final state (de Jong).
    observed = np.isfinite(f)
    scaled = np.where(observed[:, None], inn / np.where(observed, f, 1.0)[:, None], 0.0)
    inn0 = np.where(observed[:, None], inn, 0.0)
    grams = np.cumsum(scaled[:, :, None] * inn0[:, None, :], axis=0)
    resid = np.full(n, np.nan)
    variance = np.full(n, np.nan)
    seen = np.cumsum(observed)
    for t in np.flatnonzero(observed & (seen > r)):
        gram = grams[t - 1]
        if np.linalg.cond(gram[1:, 1:]) < 1e12:   # else the past does not fix them yet
            s_inv = np.linalg.inv(gram[1:, 1:])
            resid[t] = inn[t, 0] - inn[t, 1:] @ s_inv @ gram[1:, 0]
            variance[t] = f[t] + inn[t, 1:] @ s_inv @ inn[t, 1:]
    gram = grams[-1]
    s_inv = np.linalg.inv(gram[1:, 1:])
    estimate = s_inv @ gram[1:, 0]
    mean = state[:, 0] - state[:, 1:] @ estimate
    return resid, variance, mean, cov + state[:, 1:] @ s_inv @ state[:, 1:].T


class _Estimates:
    """Everything computed from the parameters of one series, once."""

    def __init__(self, fit, spec, y, regressors):
        arima = _core("arima")
        self.ar, self.ma = _polynomials(spec, fit.arma)
        k = regressors.shape[1]
        data, levels = _layout(y, regressors, spec)
        r = spec.delta.size
        self.n_obs = int(np.isfinite(y).sum())
        if fit.method == "css":
            coef = np.empty(k)
            sigma2, _ = arima.css_fit(data, self.ar, self.ma, coef)
            n_eff = self.n_obs - r
            # R's arima: -n.used/2 (log(2 pi sigma2) + 1), sigma2 over the n_used residuals
            llf = -0.5 * n_eff * (_LOG_2PI + math.log(sigma2) + 1.0)
            self.beta = coef
        else:
            llf, sigma2, coef = _ml_profile(data, spec, self.ar, self.ma,
                                            spec.delta if levels else spec.delta[:0])
            self.beta = coef[r:] if levels else coef
        self.llf, self.sigma2 = float(llf), float(sigma2)
        self.nobs = self.n_obs - r
        u = y - regressors @ self.beta
        resid, self.variance, self.state, self.cov = _filter_known(u, spec, self.ar, self.ma)
        if fit.method == "css":
            diff = np.convolve(u, spec.difference.weights, mode="valid")[:, None]
            e = np.empty_like(diff)
            arima.css_residuals(np.ascontiguousarray(diff), self.ar, self.ma, e)
            resid = np.concatenate([np.full(r, np.nan), e[:, 0]])
            resid[:r + self.ar.size] = np.nan
            self.variance = np.where(np.isnan(resid), np.nan, 1.0)
        self.resid = resid


class ARIMAResult:
    """A fitted (seasonal) ARIMA model.

    Attributes
    ----------
    params : Series
        Trend terms (``const``, ``drift``), exog coefficients, ``ar.L1``..,
        ``ar.S.L12``.., ``ma.L1``.., ``ma.S.L12``.., ``sigma2``, in
        statsmodels' order.
    llf : float
        The log-likelihood: exact (of the differenced series) for ``ml`` and
        ``css-ml``; R's conditional value for ``css``.
    sigma2 : float
        Innovation variance.
    nobs : int
        Observations after differencing (missing values excluded).
    method : str
        The estimation method used (``ml`` where missing values ruled out CSS).
    converged : bool
    message : str
        The optimiser's last word.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
    >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)          # an AR(1) with phi = 0.6
    >>> result.method, result.converged, result.nobs
    ('css-ml', True, 300)
    >>> round(result.llf, 3), round(result.sigma2, 3)
    (-431.078, 1.035)
    """

    def __init__(self, fit, design, y, index, name):
        self._fit = fit
        self._design = design
        self._spec = design.spec
        self._regressors = design.regressors
        self._y = y
        self._index = index
        self._name = name
        self._est = _Estimates(fit, design.spec, y, design.regressors)
        self._bse = None
        self.method = fit.method
        self.converged = fit.converged
        self.message = fit.message
        self.iterations = fit.iterations
        self.sigma2 = self._est.sigma2
        self.llf = self._est.llf
        self.nobs = self._est.nobs

    def __repr__(self):
        return (f"ARIMAResult({self._spec.label()}, method={self.method!r}, "
                f"llf={self.llf:.6g}, sigma2={self.sigma2:.6g})")

    @property
    def _param_names(self):
        return self._design.names + self._spec.arma_names() + ["sigma2"]

    @property
    def _param_values(self):
        return np.concatenate([self._est.beta, self._fit.arma, [self.sigma2]])

    @property
    def params(self):
        """The estimates, named as statsmodels' (a Series; see the class docstring).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> sigconv.ARIMA((1, 0, 0)).fit(x).params.round(3)
        const    -0.088
        ar.L1     0.623
        sigma2    1.035
        dtype: float64
        """
        import pandas as pd

        return pd.Series(self._param_values, index=self._param_names, name=self._name)

    @property
    def bse(self):
        """Standard errors from the observed information (numerical Hessian of the
        log-likelihood; the conditional one for ``css``).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> result.bse.round(3)
        const     0.155
        ar.L1     0.045
        sigma2    0.085
        dtype: float64
        >>> phi = result.params["ar.L1"]                     # asymptotic: sqrt((1 - phi^2) / n)
        >>> round(float(np.sqrt((1 - phi ** 2) / 300)), 3)
        0.045
        """
        import pandas as pd

        if self._bse is None:
            from ._arima_hessian import standard_errors

            self._bse = standard_errors(self)
        return pd.Series(self._bse, index=self._param_names, name=self._name)

    @property
    def _k_params(self):
        return len(self._param_names)

    @property
    def aic(self):
        """``-2 llf + 2 k``, k counting sigma2 (as R and statsmodels); NaN for CSS,
        whose llf is not a likelihood (as R).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> round(result.aic, 3), round(-2 * result.llf + 2 * 3, 3)    # const, ar.L1, sigma2
        (868.156, 868.156)
        >>> sigconv.ARIMA((1, 0, 0), method="css").fit(x).aic
        nan
        """
        if self.method == "css":
            return math.nan
        return -2 * self.llf + 2 * self._k_params

    @property
    def aicc(self):
        """AIC with the small-sample correction ``2 k (k + 1) / (nobs - k - 1)``
        (inf when ``nobs <= k + 1``).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> round(result.aicc, 3), round(result.aic + 2 * 3 * 4 / (300 - 3 - 1), 3)
        (868.238, 868.238)
        """
        k = self._k_params
        return self.aic + 2 * k * (k + 1) / (self.nobs - k - 1) if self.nobs > k + 1 \
            else math.inf

    @property
    def bic(self):
        """``-2 llf + k log(nobs)``, k counting sigma2; NaN for CSS (as :attr:`aic`).

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> round(result.bic, 3), round(-2 * result.llf + 3 * math.log(300), 3)
        (879.268, 879.268)
        """
        if self.method == "css":
            return math.nan
        return -2 * self.llf + self._k_params * math.log(self.nobs)

    def _wrap(self, values):
        if self._index is None:
            return values
        import pandas as pd

        return pd.Series(values, index=self._index, name=self._name)

    @property
    def resid(self):
        """One-step prediction errors (ML) or conditional residuals (CSS); NaN
        where undefined (the first d + sD values, and p + sP more for CSS).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> np.round(result.resid[:3], 4)
        array([ 0.2135, -0.1018,  0.6748])
        >>> css = sigconv.ARIMA((1, 0, 0), method="css").fit(x)
        >>> bool(np.isnan(css.resid[0])), int(np.isnan(result.resid).sum())
        (True, 0)
        """
        return self._wrap(self._est.resid.copy())

    @property
    def standardized_resid(self):
        """``resid`` divided by its own standard deviation: ``sqrt(sigma2 f_t)`` with
        ``f_t`` the Kalman filter's one-step variance (1 for CSS), as statsmodels'
        ``standardized_forecasts_error``.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> z = result.standardized_resid
        >>> round(float(np.std(z)), 1)
        1.0
        >>> np.allclose(z[1:], result.resid[1:] / np.sqrt(result.sigma2))   # f_t = 1 after t = 0
        True
        """
        return self._wrap(self._est.resid / np.sqrt(self.sigma2 * self._est.variance))

    @property
    def fittedvalues(self):
        """One-step predictions ``y - resid``.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 0, 0)).fit(x)
        >>> mean, phi = result.params["const"], result.params["ar.L1"]
        >>> np.allclose(result.fittedvalues[1:], mean + phi * (x[:-1] - mean))
        True
        """
        return self._wrap(self._y - self._est.resid)

    @property
    def kernels(self):
        """The model's lag polynomials as kernels (:class:`ARIMAKernels`).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> kernels = sigconv.ARIMA((1, 1, 0)).fit(np.cumsum(x)).kernels
        >>> np.round(kernels.ar.weights, 4), kernels.difference.weights
        (array([ 1.    , -0.6244]), array([ 1., -1.]))
        >>> np.round(kernels.generalized_ar.weights, 4)                 # ar @ difference
        array([ 1.    , -1.6244,  0.6244])
        """
        ar = Kernel(np.concatenate([[1.0], -self._est.ar]), origin=0, name="ar")
        ma = Kernel(np.concatenate([[1.0], self._est.ma]), origin=0, name="ma")
        diff = self._spec.difference
        generalized = Kernel((ar @ diff).weights, origin=0, name="generalized_ar")
        return ARIMAKernels(ar, diff, generalized, ma)

    def psi_weights(self, n):
        """The first ``n`` weights of ``ma(B) / generalized_ar(B)``: the response of
        the series to one innovation, which sets the forecast errors.

        Parameters
        ----------
        n : int >= 1

        Returns
        -------
        ndarray, shape (n,)
            ``psi_0 = 1, psi_1, ...``.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> result = sigconv.ARIMA((1, 1, 0)).fit(np.cumsum(x))
        >>> psi = result.psi_weights(4)
        >>> np.round(psi, 4)
        array([1.    , 1.6244, 2.0143, 2.2578])
        >>> phi = result.params["ar.L1"]                 # ARIMA(1, 1, 0): sum of phi ** i
        >>> np.allclose(psi, np.cumsum(phi ** np.arange(4)))
        True
        """
        n = V.check_int(n, "n")
        gar = -self.kernels.generalized_ar.weights[1:]
        return _core("kalman").psi_weights(np.ascontiguousarray(gar), self._est.ma, n)

    def forecast(self, h, level=(80, 95), exog=None):
        """Forecasts of the next ``h`` values with normal prediction intervals.

        Parameters
        ----------
        h : int >= 1
        level : float or sequence of floats in (0, 100)
        exog : array_like, shape (h,) or (h, k), optional
            Future regressors; required when the model has exog.

        Returns
        -------
        DataFrame
            ``mean``, ``se``, ``lower_L`` / ``upper_L`` per level, indexed by
            the periods after the series.  The standard errors are exact
            for the fitted parameters (the Kalman filter's state covariance
            propagated h steps); they ignore the estimation error, as
            statsmodels and R do.

        Raises
        ------
        ValueError
            ``exog`` missing for a model with regressors, given for one
            without, or with the wrong number of columns.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> sigconv.ARIMA((1, 0, 0)).fit(x).forecast(3).round(3)
              mean     se  lower_80  upper_80  lower_95  upper_95
        300  0.051  1.017    -1.253     1.354    -1.943     2.044
        301 -0.002  1.198    -1.537     1.534    -2.351     2.347
        302 -0.034  1.262    -1.651     1.583    -2.507     2.439
        """
        import pandas as pd
        from scipy.stats import norm

        h = V.check_int(h, "h")
        levels = (level,) if np.ndim(level) == 0 else tuple(level)
        for lv in levels:
            V.check_real(lv, "level", 0, 100)
        n_exog = self._design.n_exog
        if n_exog and exog is None:
            raise ValueError("exog is required: the model was fitted with regressors; pass "
                             f"their next {h} values")
        if not n_exog and exog is not None:
            raise ValueError("exog was given but the model has no regressors")
        future_exog, _ = _exog_input(exog, h)
        if future_exog is not None and len(future_exog) != n_exog:
            raise ValueError(f"exog must have the {n_exog} columns the model was fitted with; "
                             f"got {len(future_exog)}")
        x_future = _regressors(self._spec, future_exog, h, offset=self._y.size)
        t, z, rr, _ = _core("kalman").state_space(self._est.ar, self._est.ma, self._spec.delta)
        a, p = self._est.state.copy(), self._est.cov.copy()
        mean, var = np.empty(h), np.empty(h)
        for j in range(h):
            mean[j] = z @ a
            var[j] = z @ p @ z
            a = t @ a
            p = t @ p @ t.T + np.outer(rr, rr)
        mean += x_future @ self._est.beta
        se = np.sqrt(np.maximum(var, 0.0) * self.sigma2)
        table = {"mean": mean, "se": se}
        for lv in levels:
            q = norm.ppf(0.5 + lv / 200)
            table[f"lower_{lv:g}"] = mean - q * se
            table[f"upper_{lv:g}"] = mean + q * se
        return pd.DataFrame(table, index=_future_index(self._index, self._y.size, h))

    def summary(self):
        """A text table: the model, fit statistics and coefficients with standard
        errors, z statistics, p-values and 95% intervals.

        Returns
        -------
        str

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> lines = sigconv.ARIMA((1, 0, 0)).fit(x).summary().splitlines()
        >>> print("\\n".join(lines[:2] + lines[3:4]))
        ARIMA(1,0,0) fitted by css-ml, 300 observations after differencing
        log-likelihood -431.0782   AIC 868.1564   AICc 868.2375   BIC 879.2678
                           coef    std err        z   P>|z|      [0.025      0.975]
        >>> [line.split()[0] for line in lines[4:]]         # one row per parameter
        ['const', 'ar.L1', 'sigma2']
        """
        from scipy.stats import norm

        spec = self._spec
        header = (f"{'':>10s} {'coef':>12s} {'std err':>10s} {'z':>8s} {'P>|z|':>7s} "
                  f"{'[0.025':>11s} {'0.975]':>11s}")
        title = (f"{spec.label()} fitted by {self.method}, {self.nobs} observations after "
                 "differencing")
        fit = (f"log-likelihood {self.llf:.4f}   AIC {self.aic:.4f}   AICc {self.aicc:.4f}   "
               f"BIC {self.bic:.4f}")
        lines = [title, fit, f"optimiser: {self.message} ({self.iterations} iterations)",
                 header]
        bse = self.bse
        for name, value in self.params.items():
            se = bse[name]
            z = value / se if se > 0 else math.nan
            p = 2 * norm.sf(abs(z)) if np.isfinite(z) else math.nan
            lines.append(f"{name:>10s} {value:12.6g} {se:10.4g} {z:8.3f} {p:7.3f} "
                         f"{value - 1.959964 * se:11.5g} {value + 1.959964 * se:11.5g}")
        return "\n".join(lines)

    def plot_diagnostics(self, lags=24, fig=None):
        """Residual diagnostics, as statsmodels': standardized residuals, their
        histogram with the normal density, a normal Q-Q plot and the
        correlogram.  Needs matplotlib (``pip install sigconv[plot]``).

        Parameters
        ----------
        lags : int >= 1
            Lags in the correlogram.
        fig : matplotlib Figure, optional
            Drawn into; default a new figure.

        Returns
        -------
        matplotlib Figure

        Examples
        --------
        >>> import numpy as np
        >>> from matplotlib.figure import Figure
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> fig = sigconv.ARIMA((1, 0, 0)).fit(x).plot_diagnostics(lags=10, fig=Figure())
        >>> len(fig.axes)
        4
        """
        from .plot import residual_diagnostics

        return residual_diagnostics(np.asarray(self.standardized_resid, dtype=float),
                                    index=self._index, lags=lags, fig=fig,
                                    title=self._spec.label())


class ARIMAPanelResult:
    """The same ARIMA specification fitted to many series.

    Attributes
    ----------
    params : DataFrame
        One row per series (NaN where the series could not be fitted).
    status : DataFrame
        ``converged``, ``method``, ``llf``, ``iterations`` and ``message`` per
        series; a series that could not be fitted has ``converged=False`` and
        the reason in ``message``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
    >>> panel = sigconv.ARIMA((1, 0, 0)).fit(pd.DataFrame({"a": x[:150], "b": x[150:]}))
    >>> panel
    ARIMAPanelResult(ARIMA(1,0,0), 2 series, 2 converged)
    >>> panel.params.round(3)
       const  ar.L1  sigma2
    a  0.156  0.664   0.911
    b -0.331  0.549   1.130
    >>> bool(panel["b"].llf == panel.status.loc["b", "llf"])
    True
    """

    def __init__(self, fits, design, data):
        import pandas as pd

        self._fits = fits
        self._design = design
        self._spec = design.spec
        self._data = data
        self._labels = list(data.columns) if data.kind == "frame" else list(range(len(fits)))
        self._results = {}
        columns = design.names + design.spec.arma_names() + ["sigma2"]
        table = np.full((len(fits), len(columns)), np.nan)
        llf = np.full(len(fits), np.nan)
        for i, fit in enumerate(fits):
            if fit.error is None:
                result = self._result(i)
                table[i] = result._param_values
                llf[i] = result.llf
        self.params = pd.DataFrame(table, index=self._labels, columns=columns)
        self.status = pd.DataFrame(
            {"converged": [f.converged for f in fits], "method": [f.method for f in fits],
             "llf": llf, "iterations": [f.iterations for f in fits],
             "message": [f.message for f in fits]}, index=self._labels)

    def _result(self, i):
        if i not in self._results:
            fit = self._fits[i]
            if fit.error is not None:
                raise ValueError(f"series {self._labels[i]!r} was not fitted: {fit.error}")
            data = self._data
            name = self._labels[i] if data.kind == "frame" else None
            self._results[i] = ARIMAResult(fit, self._design, data.values[i], data.index, name)
        return self._results[i]

    def __getitem__(self, label):
        return self._result(self._labels.index(label))

    def __len__(self):
        return len(self._labels)

    def __iter__(self):
        return iter(self._labels)

    def __repr__(self):
        ok = int(self.status["converged"].sum())
        return f"ARIMAPanelResult({self._spec.label()}, {len(self)} series, {ok} converged)"

    def forecast(self, h, level=(80, 95), exog=None):
        """Every fitted series' forecast table, stacked: a DataFrame indexed by
        (series, period).

        Parameters
        ----------
        h, level, exog
            As in :meth:`ARIMAResult.forecast`, for every series.

        Returns
        -------
        DataFrame
            The columns of :meth:`ARIMAResult.forecast`; series that could
            not be fitted are left out.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
        >>> panel = sigconv.ARIMA((1, 0, 0)).fit(pd.DataFrame({"a": x[:150], "b": x[150:]}))
        >>> table = panel.forecast(2)
        >>> table.index.names, table.index.tolist()
        (FrozenList(['series', 'period']), [('a', 150), ('a', 151), ('b', 150), ('b', 151)])
        >>> table.loc["b", "mean"].equals(panel["b"].forecast(2)["mean"])
        True
        """
        import pandas as pd

        tables = {label: self[label].forecast(h, level, exog) for i, label in
                  enumerate(self._labels) if self._fits[i].error is None}
        return pd.concat(tables, names=["series", "period"])
