"""Autoregressive models as convolutions.

An AR(p) model ``x_t - mu = sum_j phi_j (x_{t-j} - mu) + e_t`` is two kernels:
the causal whitening kernel ``phi(B) = 1 - phi_1 B - ... - phi_p B^p`` turns
the series into its innovations ``e``, and its inverse, the psi-weights,
turns white noise back into the series.  Fits use the Levinson-Durbin
recursion on autocovariances (Yule-Walker), Burg's recursion, least squares
on lagged cross products, or the exact Gaussian likelihood.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import _validate as V
from . import engine, kernels
from .acf import _recursion, lag_sums
from .kernels import Kernel

__all__ = ["ARPanelResult", "ARResult", "fit_ar"]

METHODS = ("yule_walker", "burg", "ols", "mle")
CRITERIA = ("aic", "bic", "hqic")


def _penalty(ic, n):
    """Per-parameter penalty of an information criterion on ``n`` observations."""
    return {"aic": 2.0, "bic": np.log(n), "hqic": 2.0 * np.log(np.log(n))}[ic]


def fit_ar(x, order=None, *, max_order=None, method="yule_walker", ic="aic", demean=True,
           trend="c", nan="raise", axis=0):
    """Fit an autoregressive model AR(p), choosing p by an information criterion if asked.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, n_series), Series or DataFrame
        The series.  A DataFrame (or 2-D array, one series per column) fits
        every series and returns an :class:`ARPanelResult`.
    order : int >= 0, optional
        The order p.  Default: the order up to ``max_order`` that minimises
        ``ic``.
    max_order : int >= 0, optional
        Largest order tried; default ``min(n - 1, floor(10 log10 n))`` as in
        R's ``ar()`` (less if the method needs more samples).
    method : {"yule_walker", "burg", "ols", "mle"}
        ``"yule_walker"``
            the Levinson-Durbin recursion on the sample autocovariances
            (divided by n, as R's ``ar.yw`` and statsmodels'
            ``yule_walker(method="mle")``); always stationary.
        ``"burg"``
            Burg's recursion (statsmodels' ``burg``, R's ``ar.burg``).
        ``"ols"``
            conditional least squares on samples p..n-1 with the constant
            of ``trend`` (statsmodels' ``AutoReg``).
        ``"mle"``
            the exact Gaussian likelihood, stationary by construction
            (statsmodels' ``ARIMA(p, 0, 0)``).
    ic : {"aic", "bic", "hqic"}
        Criterion for choosing the order.
    demean : bool
        Yule-Walker and Burg: subtract the sample mean first.
    trend : {"c", "n"}
        OLS and MLE: estimate a constant (``"c"``) or none (``"n"``).
    nan : {"raise", "drop"}
        ``"drop"`` removes leading and trailing NaN; NaN inside the series
        is an error for every method.
    axis : int
        Time axis of a 2-D array: 0 (default) fits every column, as for a
        DataFrame; -1 fits every row.

    Returns
    -------
    ARResult or ARPanelResult

    Raises
    ------
    ValueError
        Fewer than ``order + 2`` samples, a constant series, NaN or inf,
        unknown options.

    Notes
    -----
    Order selection costs one fit.  Yule-Walker and Burg produce every order
    in one recursion and, as R's ``ar()``, score order k by ``n log(v_k) +
    penalty (k + demean)``, with ``v_k = v_0 prod_{j<=k} (1 - pacf_j^2)`` the
    recursion's prediction variance (``penalty`` is 2, ``log n`` or ``2 log
    log n``).  OLS forms the lagged cross products once, fits every order on
    the same samples ``max_order..n-1`` and scores ``nobs log(ssr_k / nobs) +
    penalty (k + const)``, as statsmodels' ``ar_select_order``; MLE selects by
    the OLS criterion and then maximises the likelihood.  The chosen order is
    refitted on the whole series.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=5000), [0.5, -0.3])
    >>> result = sigconv.fit_ar(x, 2)
    >>> result.coef.round(2)
    array([ 0.5 , -0.29])
    >>> sigconv.fit_ar(x, method="burg").order
    2
    """
    V.check_option(method, "method", METHODS)
    V.check_option(ic, "ic", CRITERIA)
    V.check_option(trend, "trend", ("c", "n"))
    V.check_option(nan, "nan", ("raise", "drop"))
    V.check_flag(demean, "demean")
    data = V.series_input(x, "x", axis=axis, dtype=np.float64, min_length=1)
    if data.kind == "numpy" and len(data.batch_shape) > 1:
        raise ValueError("x must be 1-D or 2-D (time down the rows, one series per column)")
    options = {"order": order, "max_order": max_order, "method": method, "ic": ic,
               "demean": demean, "trend": trend}
    if nan == "drop" and data.n_series > 1 and not np.isfinite(data.values).all():
        return _fit_columns(data, options)   # each series trimmed to its own span
    values = _drop_nan(data, nan)
    n = values.shape[1]
    if order is not None:
        order = V.check_int(order, "order", minimum=0)
    if max_order is not None:
        max_order = V.check_int(max_order, "max_order", minimum=0)
    constant = demean if method in ("yule_walker", "burg") else trend == "c"
    needed = (order if order is not None else 0) + 2
    if n < needed:
        raise ValueError(f"x must have at least order + 2 = {needed} samples to fit AR({order}); "
                         f"got {n}")
    _check_not_constant(values, data)
    if method in ("ols", "mle") and order is not None and n - order < order + 1 + constant:
        raise ValueError(
            f"x must have at least {2 * order + 1 + int(constant)} samples for a "
            f"least-squares AR({order}) fit: its n - order observations must outnumber its "
            f"{order + int(constant)} coefficients; got {n}")
    criteria = recursion = None
    if order is None:
        top = _max_order(n, max_order, method, constant)
        order, criteria, recursion = _select(values, top, method, ic, constant)
    if recursion is not None:  # the search already ran every order's recursion
        means, coefs, sigma2 = _at_orders(recursion, order)
    else:
        means, coefs, sigma2 = _FITTERS[method](values, order, constant)
    orders = np.broadcast_to(order, values.shape[0])

    def result(s):
        return ARResult(values[s], means[s], coefs[s], sigma2[s], orders[s], method,
                        None if criteria is None else criteria[s], ic, data, s)

    if data.kind == "frame" or (data.kind == "numpy" and data.batch_shape):
        return ARPanelResult(result, means, coefs, sigma2, orders, data)
    return result(0)


def _fit_columns(data, options):
    """A panel whose series have missing values at different ends: fit each alone."""
    import pandas as pd

    for row in data.values:  # every column checked before any is fitted
        _finite_span(np.isfinite(row))
    results = []
    for s in range(data.n_series):
        column = pd.Series(data.values[s], index=data.index, name=(
            data.columns[s] if data.kind == "frame" else None))
        results.append(fit_ar(column if data.kind == "frame" else data.values[s], nan="drop",
                              **options))
    orders = np.array([r.order for r in results])
    return ARPanelResult(results.__getitem__, np.array([r.mean for r in results]),
                         [r.coef for r in results], np.array([r.sigma2 for r in results]),
                         orders, data)


def _finite_span(present):
    """``(first, last)`` positions of the present samples, which must be contiguous."""
    where = np.flatnonzero(present)
    if where.size == 0 or not present[where[0]:where[-1] + 1].all():
        raise ValueError("x has NaN or inf inside the series; nan='drop' removes only "
                         "leading and trailing missing values (fill the gaps first)")
    return where[0], where[-1]


def _drop_nan(data, nan):
    values = data.values
    finite = np.isfinite(values)
    if finite.all():
        return values
    if nan == "drop":
        first, last = _finite_span(finite.all(axis=0))
        data.index = None if data.index is None else data.index[first:last + 1]
        return np.ascontiguousarray(values[:, first:last + 1])
    raise ValueError("x contains NaN or inf; pass nan='drop' to remove leading and trailing "
                     "missing values, or fill them")


def _check_not_constant(values, data):
    constant = np.ptp(values, axis=1) == 0
    if constant.any():
        which = "" if values.shape[0] == 1 else f" (series {int(np.flatnonzero(constant)[0])})"
        raise ValueError(f"x is constant{which}: its autocovariance is zero, so the AR "
                         "coefficients are undefined")


def _max_order(n, max_order, method, constant):
    """R's default ``min(n - 1, 10 log10 n)``, within what the method can fit."""
    # Least squares on n - top samples needs more of them than coefficients.
    limit = (n - 1 - int(constant)) // 2 if method in ("ols", "mle") else n - 2
    if max_order is None:
        return min(int(min(n - 1, np.floor(10 * np.log10(n)))), limit)
    if max_order > limit:
        raise ValueError(f"max_order must be at most {limit} for method={method!r} on {n} "
                         f"samples; got {max_order}")
    return max_order


def _select(values, top, method, ic, constant):
    """The order minimising ``ic`` (per series), the criterion of every order, and
    for Yule-Walker and Burg the recursion that produced every order's fit."""
    n = values.shape[1]
    k = np.arange(top + 1) + int(constant)
    recursion = None
    if method in ("yule_walker", "burg"):
        recursion = _recursive_fit(values, top, constant, method)
        criteria = n * np.log(recursion[3]) + _penalty(ic, n) * k
    else:
        ssr, nobs = _ols_all_orders(values, top, constant)
        criteria = nobs * np.log(ssr / nobs) + _penalty(ic, nobs) * k
    orders = np.argmin(criteria, axis=1)
    if np.unique(orders).size > 1:
        return orders, criteria, recursion
    return int(orders[0]), criteria, recursion


def _at_orders(recursion, order):
    """``(means, coefs, sigma2)`` at ``order`` (one, or one per series) from a
    :func:`_recursive_fit` of every order."""
    means, coefs, sigma2, _ = recursion
    if np.ndim(order) == 0:
        return means, coefs[:, order - 1, :order].copy() if order else \
            np.empty((len(means), 0)), sigma2[:, order]
    return (means, [coefs[s, p - 1, :p].copy() if p else np.empty(0)
                    for s, p in enumerate(order)],
            sigma2[np.arange(len(order)), order])


def _recursive_fit(values, order, constant, method):
    """Yule-Walker (Levinson on autocovariances) or Burg fits of every order up to
    ``order``: (means, coefs, sigma2 of each order, recursion variances)."""
    means = values.mean(axis=1) if constant else np.zeros(values.shape[0])
    z = values - means[:, None]
    if method == "yule_walker":
        r = lag_sums(z, order) / z.shape[1]
        coefs, variances, _, _ = _recursion("levinson", r, order)
        # statsmodels' sigma2 = r0 - sum r_k phi_k: the recursion's variance
        sigma2 = variances
    else:
        coefs, variances, _, power = _recursion("burg", z, order)
        sigma2 = power
    return means, coefs, sigma2, variances


def _fit_recursive(method):
    def fit(values, order, constant):
        return _at_orders(_recursive_fit(values, int(np.max(order)), constant, method), order)
    return fit


# The normal equations square the condition number of the lagged design, and
# subtracting to get the residual sum of squares loses digits when the fit is
# nearly exact.  Past these limits a series is refitted from its design matrix
# (QR), which costs O(n p^2) instead of O(p^3).
_MAX_CONDITION = 1e8
_MIN_RESIDUAL_SHARE = 1e-4


def _ols_all_orders(values, top, constant):
    """Residual sums of squares of OLS fits of orders 0..top on samples top..n-1."""
    m, n = values.shape
    gram, sums, _ = _lagged_cross_products(values, top, top, constant)
    nobs = n - top
    ssr = np.empty((m, top + 1))
    trusted = np.ones(m, dtype=bool)
    for p in range(top + 1):
        _, ssr[:, p], ok = _ols_normal(gram, sums, p, nobs, constant)
        trusted &= ok
    for s in np.flatnonzero(~trusted):
        ssr[s] = [_design_fit(values[s], p, top, constant)[1] for p in range(top + 1)]
    return np.maximum(ssr, 0.0), nobs


def _ols_normal(gram, sums, p, nobs, constant):
    """Least squares of lag 0 on lags 1..p (and a constant) for every series at once,
    from the cross products.

    Returns ``(beta (m, p + constant), ssr (m,), trusted (m,))``: ``beta`` is
    ``[const, phi_1..phi_p]`` (or ``[phi_1..phi_p]``), and ``trusted`` is False
    where the system is too ill-conditioned or the fit too exact for the
    normal equations.
    """
    lags = slice(1, p + 1)
    m = gram.shape[0]
    if constant:
        xtx = np.empty((m, p + 1, p + 1))
        xtx[:, 0, 0] = nobs
        xtx[:, 0, 1:] = xtx[:, 1:, 0] = sums[:, lags]
        xtx[:, 1:, 1:] = gram[:, lags, lags]
        xty = np.concatenate([sums[:, :1], gram[:, 0, lags]], axis=1)
    else:
        xtx = np.ascontiguousarray(gram[:, lags, lags])
        xty = gram[:, 0, lags]
    total = gram[:, 0, 0]
    if xty.shape[1] == 0:
        return np.empty((m, 0)), total.copy(), np.ones(m, dtype=bool)
    eigen = np.linalg.eigvalsh(xtx)
    with np.errstate(divide="ignore", invalid="ignore"):
        trusted = (eigen[:, 0] > 0) & (eigen[:, -1] <= _MAX_CONDITION * eigen[:, 0])
    beta = np.full(xty.shape, np.nan)
    beta[trusted] = np.linalg.solve(xtx[trusted], xty[trusted][..., None])[..., 0]
    ssr = total - np.einsum("ij,ij->i", xty, beta)
    trusted &= ssr >= _MIN_RESIDUAL_SHARE * total
    return beta, ssr, trusted


def _design_fit(x, p, start, constant):
    """OLS of ``x[t]`` on its lags 1..p (and a constant) over t = start..n-1 by a
    QR-based least squares on the design matrix: ``(beta, ssr)``."""
    n = x.size
    columns = ([np.ones(n - start)] if constant else []) + \
        [x[start - j:n - j] for j in range(1, p + 1)]
    target = x[start:]
    if not columns:
        return np.empty(0), float(target @ target)
    design = np.column_stack(columns)
    beta = np.linalg.lstsq(design, target, rcond=None)[0]
    resid = target - design @ beta
    return beta, float(resid @ resid)


def _lagged_cross_products(values, max_lag, start, constant):
    """Cross products of each row with its lags over samples start..n-1; with a
    constant the rows are centred first, which keeps the sums well conditioned."""
    m = values.shape[0]
    center = values.mean(axis=1) if constant else np.zeros(m)
    z = np.ascontiguousarray(values - center[:, None])
    gram = np.empty((m, max_lag + 1, max_lag + 1))
    sums = np.empty((m, max_lag + 1))
    core = engine._core("lagged")
    run = core.lag_gram if z.size * (max_lag + 1) >= engine.SERIAL_BELOW_MACS else \
        core.lag_gram_serial
    run(z, max_lag, start, gram, sums)
    return gram, sums, center


def _fit_ols(values, order, constant):
    m, n = values.shape
    orders = np.broadcast_to(order, m)
    means, sigma2 = np.zeros(m), np.empty(m)
    coefs = np.empty((m, int(orders[0]))) if np.ndim(order) == 0 else [None] * m
    for p in np.unique(orders):
        p = int(p)
        rows = np.flatnonzero(orders == p)
        gram, sums, center = _lagged_cross_products(values[rows], p, p, constant)
        beta, ssr, trusted = _ols_normal(gram, sums, p, n - p, constant)
        for i in np.flatnonzero(~trusted):
            # On the raw series: centring a series of huge values would round
            # away the small innovations the fit is about.
            beta[i], ssr[i] = _design_fit(values[rows[i]], p, p, constant)
            center[i] = 0.0
        phi = beta[:, 1:] if constant else beta
        if constant:
            # The constant c of the centred data: mean = center + c / (1 - sum phi).
            means[rows] = center + beta[:, 0] / (1.0 - phi.sum(axis=1))
        for i, s in enumerate(rows):
            coefs[s] = phi[i]
        sigma2[rows] = np.maximum(ssr, 0.0) / (n - p)
    return means, coefs, sigma2


def _fit_mle(values, order, constant):
    from ._ar_exact import fit_exact

    m = values.shape[0]
    orders = np.broadcast_to(order, m)
    means, coefs, sigma2 = np.empty(m), [], np.empty(m)
    for s in range(m):
        means[s], phi, sigma2[s] = fit_exact(values[s], int(orders[s]), constant)
        coefs.append(phi)
    return means, coefs, sigma2


_FITTERS = {"yule_walker": _fit_recursive("yule_walker"), "burg": _fit_recursive("burg"),
            "ols": _fit_ols, "mle": _fit_mle}


class ARResult:
    """A fitted AR(p) model ``x_t - mean = sum_j coef[j-1] (x_{t-j} - mean) + e_t``.

    Attributes
    ----------
    coef : ndarray, shape (p,)
        phi_1..phi_p.
    mean : float
        The process mean (0 without ``demean`` / with ``trend="n"``).
    sigma2 : float
        Innovation variance.
    order : int
    method : str
    ic : pandas.Series or None
        The criterion of every order tried, when the order was selected.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
    >>> result = sigconv.fit_ar(x, 1)                 # an AR(1) with phi = 0.6
    >>> result.order, result.method, round(float(result.coef[0]), 3)
    (1, 'yule_walker', 0.577)
    >>> round(result.sigma2, 3)
    1.027
    """

    def __init__(self, values, mean, coef, sigma2, order, method, criteria, ic_name, data,
                 column):
        self._values = values
        self.mean = float(mean)
        self.coef = np.asarray(coef, dtype=float)
        self.sigma2 = float(sigma2)
        self.order = int(order)
        self.method = method
        self._criteria = criteria
        self._ic_name = ic_name
        self._index = data.index
        self._name = (data.columns[column] if data.kind == "frame" else data.name)
        self._pandas = data.kind in ("series", "frame")

    def __repr__(self):
        coef = np.array2string(self.coef, precision=4, separator=", ")
        return (f"ARResult(order={self.order}, method={self.method!r}, coef={coef}, "
                f"mean={self.mean:.6g}, sigma2={self.sigma2:.6g})")

    @property
    def ic(self):
        """The information criterion of every order tried (a Series indexed by
        order, named after the criterion), or None when the order was given.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, max_order=3)
        >>> result.ic.round(2)
        order
        0    217.32
        1     17.16
        2     19.16
        3     20.54
        Name: aic, dtype: float64
        >>> result.order, sigconv.fit_ar(x, 1).ic is None
        (1, True)
        """
        if self._criteria is None:
            return None
        import pandas as pd

        return pd.Series(self._criteria, index=pd.RangeIndex(len(self._criteria), name="order"),
                         name=self._ic_name)

    @property
    def params(self):
        """statsmodels-style parameters: ``const`` (the mean), ``ar.L1``.., ``sigma2``.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> sigconv.fit_ar(x, 1).params.round(3)
        const    -0.066
        ar.L1     0.577
        sigma2    1.027
        dtype: float64
        """
        import pandas as pd

        names = ["const"] + [f"ar.L{j + 1}" for j in range(self.order)] + ["sigma2"]
        return pd.Series(np.concatenate([[self.mean], self.coef, [self.sigma2]]), index=names,
                         name=self._name)

    @property
    def llf(self):
        """The exact Gaussian log-likelihood of the series at the fitted parameters.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> round(sigconv.fit_ar(x, 1).llf, 2)
        -716.22
        >>> sigconv.fit_ar(x, 1, method="mle").llf >= sigconv.fit_ar(x, 1).llf  # the maximum
        True
        """
        from ._ar_exact import loglike

        return float(loglike(self._values, self.mean, self.coef, self.sigma2))

    @property
    def intercept(self):
        """The regression constant ``mean * (1 - sum coef)`` (statsmodels AutoReg's ``const``).

        Examples
        --------
        >>> import sigconv
        >>> result = sigconv.fit_ar([1.0, 3.0, 2.0, 4.0, 3.0, 5.0, 4.0, 6.0], 1)
        >>> bool(abs(result.intercept - result.mean * (1 - result.coef[0])) < 1e-12)
        True
        """
        return self.mean * (1.0 - self.coef.sum())

    @property
    def whitening_kernel(self):
        """The causal kernel ``[1, -phi_1, ..., -phi_p]`` that turns the series into
        its innovations.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> kernel = sigconv.fit_ar(x, 1).whitening_kernel
        >>> kernel.origin, np.round(kernel.weights, 4)
        (0, array([ 1.    , -0.5767]))
        """
        return Kernel(np.concatenate([[1.0], -self.coef]), origin=0,
                      name=f"phi(B), AR({self.order})")

    def impulse_response(self, n):
        """The first ``n`` psi-weights: the inverse of the whitening kernel.

        Parameters
        ----------
        n : int >= 1

        Returns
        -------
        ndarray, shape (n,)
            ``psi_0 = 1, psi_1, ...``: the response of the series to one
            innovation.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, 1)
        >>> psi = result.impulse_response(4)
        >>> np.round(psi, 4)
        array([1.    , 0.5767, 0.3326, 0.1918])
        >>> np.allclose(psi, result.coef[0] ** np.arange(4))      # AR(1): phi ** j
        True
        """
        return kernels.inverse(self.whitening_kernel, n).weights

    def _wrap(self, y):
        if not self._pandas:
            return y
        import pandas as pd

        return pd.Series(y, index=self._index, name=self._name)

    @property
    def residuals(self):
        """The whitened series ``phi(B)(x - mean)`` (NaN for the first p samples,
        which lack a full window).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, 1)
        >>> e = result.residuals
        >>> bool(np.isnan(e[0])), round(float(np.nanvar(e)), 2)     # about sigma2
        (True, 1.03)
        >>> np.allclose(e[1:], (x[1:] - result.mean) - result.coef[0] * (x[:-1] - result.mean))
        True
        """
        z = self._values - self.mean
        e = engine.convolve(z, self.whitening_kernel, mode="causal", method="direct")
        e[:self.order] = np.nan
        return self._wrap(e)

    @property
    def fittedvalues(self):
        """One-step predictions ``x - residuals``.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, 1)
        >>> fitted = result.fittedvalues
        >>> np.allclose(fitted[1:], result.mean + result.coef[0] * (x[:-1] - result.mean))
        True
        """
        e = np.asarray(self.residuals, dtype=float)
        return self._wrap(self._values - e)

    def forecast(self, h, level=(80, 95)):
        """Forecasts of the next ``h`` values with normal prediction intervals.

        The standard error of step j is ``sqrt(sigma2 sum_{i<j} psi_i^2)``.

        Parameters
        ----------
        h : int >= 1
            Steps ahead.
        level : float or sequence of floats in (0, 100)
            Coverage of the prediction intervals, in percent.

        Returns
        -------
        DataFrame
            ``mean``, ``se`` and ``lower_L`` / ``upper_L`` for each level
            ``L``, indexed by the following periods (the series' index
            continued).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> sigconv.fit_ar(x, 1).forecast(3).round(3)
              mean     se  lower_80  upper_80  lower_95  upper_95
        500 -0.278  1.013    -1.576     1.021    -2.264     1.708
        501 -0.188  1.170    -1.687     1.311    -2.481     2.104
        502 -0.136  1.217    -1.696     1.424    -2.522     2.249
        """
        import pandas as pd
        from scipy.stats import norm

        h = V.check_int(h, "h")
        levels = (level,) if np.ndim(level) == 0 else tuple(level)
        for lv in levels:
            V.check_real(lv, "level", 0, 100)
        p = self.order
        history = list(self._values[len(self._values) - p:] - self.mean) if p else []
        mean = np.empty(h)
        for j in range(h):
            value = float(np.dot(self.coef, history[::-1][:p])) if p else 0.0
            history.append(value)
            mean[j] = value + self.mean
        psi = self.impulse_response(h)
        se = np.sqrt(self.sigma2 * np.cumsum(psi ** 2))
        table = {"mean": mean, "se": se}
        for lv in levels:
            q = norm.ppf(0.5 + lv / 200)
            table[f"lower_{lv:g}"] = mean - q * se
            table[f"upper_{lv:g}"] = mean + q * se
        return pd.DataFrame(table, index=_future_index(self._index, len(self._values), h))

    def simulate(self, n, seed=None, burn=None):
        """A path of ``n`` samples from the fitted model: Gaussian noise through the
        recursive filter, after ``burn`` discarded samples (default: until the
        psi-weights have decayed below 1e-10, at least 100).

        Parameters
        ----------
        n : int >= 1
        seed : int, numpy.random.Generator or None
        burn : int >= 0, optional

        Returns
        -------
        ndarray, shape (n,)

        Raises
        ------
        ValueError
            The model is not stationary.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, 1)
        >>> path = result.simulate(20_000, seed=1)
        >>> round(float(sigconv.fit_ar(path, 1).coef[0]), 1)       # recovers phi
        0.6
        >>> np.array_equal(path, result.simulate(20_000, seed=1))
        True
        """
        n = V.check_int(n, "n")
        self._require_stationary("simulate")
        if burn is None:
            burn = _burn_in(self)
        burn = V.check_int(burn, "burn", minimum=0)
        rng = np.random.default_rng(seed)
        noise = rng.normal(0.0, np.sqrt(self.sigma2), n + burn)
        path = (engine.recursive_filter(noise, self.coef) if self.order else noise)[burn:]
        return path + self.mean

    @property
    def is_stationary(self):
        """Whether the roots of the whitening kernel lie outside the unit circle (every
        partial autocorrelation of the model inside (-1, 1)).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> sigconv.fit_ar(x, 1).is_stationary
        True
        >>> growth = sigconv.fit_ar(1.1 ** np.arange(30), 1, method="ols")   # explosive
        >>> round(float(growth.coef[0]), 4), growth.is_stationary
        (1.1, False)
        """
        from ._ar_exact import _reflection

        with np.errstate(divide="ignore", invalid="ignore"):
            reflection = _reflection(self.coef)
        return bool(np.all(np.abs(reflection) < 1))

    def _require_stationary(self, what):
        if not self.is_stationary:
            raise ValueError(f"{what} needs a stationary model; these coefficients are not "
                             "(fit with method='yule_walker', 'burg' or 'mle', or difference "
                             "the series)")

    def acf(self, nlags=10):
        """The model's theoretical autocorrelations, lags 0..nlags.

        Parameters
        ----------
        nlags : int >= 0

        Returns
        -------
        ndarray, shape (nlags + 1,)

        Raises
        ------
        ValueError
            The model is not stationary.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, 1)
        >>> rho = result.acf(3)
        >>> np.round(rho, 4)
        array([1.    , 0.5767, 0.3326, 0.1918])
        >>> np.allclose(rho, result.coef[0] ** np.arange(4))     # AR(1): phi ** k
        True
        """
        nlags = V.check_int(nlags, "nlags", minimum=0)
        self._require_stationary("acf")
        return _model_acf(self.coef, nlags)

    def spectral_density(self, freqs=None, fs=1.0):
        """One-sided spectral density ``2 sigma2 / (fs |phi(exp(-2 pi i f / fs))|^2)``,
        the expectation of :func:`sigconv.periodogram` (``scaling="density"``)
        away from 0 and fs/2.

        Parameters
        ----------
        freqs : array_like, optional
            Frequencies, in the units of ``fs``; default 512 from 0 to fs/2.
        fs : float > 0
            Sampling frequency.

        Returns
        -------
        ndarray
            The density at ``freqs``.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> result = sigconv.fit_ar(x, 1)
        >>> density = result.spectral_density([0.0, 0.25, 0.5])
        >>> np.round(density, 4)
        array([11.4587,  1.5409,  0.826 ])
        >>> phi = result.coef[0]
        >>> np.allclose(density[[0, 2]], 2 * result.sigma2 / np.array([1 - phi, 1 + phi]) ** 2)
        True
        """
        fs = V.check_real(fs, "fs", 0)
        freqs = np.linspace(0, fs / 2, 512) if freqs is None else np.asarray(freqs, float)
        w = 2 * np.pi * freqs / fs
        lags = np.arange(1, self.order + 1)
        phi = 1 - np.exp(-1j * np.outer(w, lags)) @ self.coef
        return 2 * self.sigma2 / (fs * np.abs(phi) ** 2)

    def summary(self):
        """A text summary: order, method, coefficients, mean and sigma2.

        Returns
        -------
        str

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
        >>> print(sigconv.fit_ar(x, max_order=3).summary())
        AR(1) fitted by yule_walker, 500 observations
             const  -0.0659248
             ar.L1   0.576686
            sigma2   1.02667
          order chosen by aic among 0..3
        """
        lines = [f"AR({self.order}) fitted by {self.method}, {len(self._values)} observations"]
        lines += [f"  {name:>8s}  {value: .6g}" for name, value in self.params.items()]
        if self._criteria is not None:
            lines.append(f"  order chosen by {self._ic_name} among 0..{len(self._criteria) - 1}")
        return "\n".join(lines)


def _future_index(index, n, h):
    """The ``h`` periods after a series of ``n`` values on ``index``, named as it:
    a RangeIndex continued, dates or periods at the index's (inferred)
    frequency, numbers (years, say) at their last step; positions otherwise."""
    import pandas as pd

    name = None if index is None else index.name
    if index is None or isinstance(index, pd.RangeIndex):
        start = n if index is None else index[-1] + index.step if len(index) else 0
        return pd.RangeIndex(start, start + h * (1 if index is None else index.step),
                             1 if index is None else index.step, name=name)
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        with warnings.catch_warnings():  # pandas 3: infer_freq will return an offset
            warnings.simplefilter("ignore")
            freq = index.freq or pd.infer_freq(index)
        if freq is not None:
            make = pd.date_range if isinstance(index, pd.DatetimeIndex) else pd.period_range
            return make(index[-1], periods=h + 1, freq=freq, name=name)[1:]
    if pd.api.types.is_numeric_dtype(index) and len(index) > 1:  # e.g. years, int or float
        step = index[-1] - index[-2]
        return pd.Index(index[-1] + step * np.arange(1, h + 1), name=name)
    return pd.RangeIndex(n, n + h, name=name)


def _burn_in(result):
    if result.order == 0:
        return 0
    psi = np.abs(result.impulse_response(10_000))
    small = np.flatnonzero(psi > 1e-10 * psi.max())
    return max(100, int(small[-1]) + 1 if small.size else 100)


def _model_acf(coef, nlags):
    """Autocorrelations of a stationary AR process: Yule-Walker equations for
    lags 0..p, then the recursion rho_k = sum phi_j rho_{k-j}."""
    p = coef.size
    rho = np.empty(max(nlags, p) + 1)
    rho[0] = 1.0
    if p:
        # rho_k - sum_j phi_j rho_|k-j| = 0 for k = 1..p, unknowns rho_1..rho_p.
        a = np.eye(p)
        b = np.zeros(p)
        for k in range(1, p + 1):
            for j in range(1, p + 1):
                lag = abs(k - j)
                if lag == 0:
                    b[k - 1] += coef[j - 1]
                else:
                    a[k - 1, lag - 1] -= coef[j - 1]
        rho[1:p + 1] = np.linalg.solve(a, b)
    for k in range(p + 1, rho.size):
        rho[k] = coef @ rho[k - 1:k - p - 1 if k - p - 1 >= 0 else None:-1]
    return rho[:nlags + 1]


class ARPanelResult:
    """AR fits of many series: one :class:`ARResult` per series and a coefficient table.

    Attributes
    ----------
    params : DataFrame
        One row per series: ``const`` (the mean), ``ar.L1``.., ``sigma2``
        (NaN beyond a series' order).
    orders : Series
        The order of each series.
    results : dict
        Label (DataFrame column, or position) -> ARResult.  ``panel[label]``
        builds just one.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=500), [0.6])
    >>> panel = sigconv.fit_ar(pd.DataFrame({"a": x[:250], "b": x[250:]}), 1)
    >>> panel
    ARPanelResult(2 series, orders [1])
    >>> panel.params.round(3)
       const  ar.L1  sigma2
    a -0.012  0.640   1.032
    b -0.120  0.491   1.003
    >>> round(float(panel["b"].coef[0]), 3)
    0.491
    """

    def __init__(self, make_result, means, coefs, sigma2, orders, data):
        import pandas as pd

        self._make = make_result
        self._labels = list(data.columns) if data.kind == "frame" else list(range(len(means)))
        self._position = {label: s for s, label in enumerate(self._labels)}
        top = int(orders.max())
        table = np.full((len(means), top + 2), np.nan)
        table[:, 0], table[:, -1] = means, sigma2
        if isinstance(coefs, np.ndarray):   # one order for every series
            table[:, 1:coefs.shape[1] + 1] = coefs
        else:
            for row, coef in zip(table, coefs):
                row[1:coef.size + 1] = coef
        columns = ["const"] + [f"ar.L{j + 1}" for j in range(top)] + ["sigma2"]
        self.params = pd.DataFrame(table, index=self._labels, columns=columns)
        self.orders = pd.Series(np.asarray(orders), index=self._labels, name="order")
        self._results = None

    @property
    def results(self):
        """Every series' :class:`ARResult`, by label (built on first access).

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=(300, 2)), [0.6],
        ...                              axis=0)
        >>> panel = sigconv.fit_ar(x, 1)                  # one series per column
        >>> sorted(panel.results)
        [0, 1]
        >>> [round(float(r.coef[0]), 1) for r in panel.results.values()]
        [0.6, 0.6]
        """
        if self._results is None:
            self._results = {label: self._make(s) for s, label in enumerate(self._labels)}
        return self._results

    def __getitem__(self, label):
        if self._results is not None:
            return self._results[label]
        return self._make(self._position[label])

    def __len__(self):
        return len(self._labels)

    def __iter__(self):
        return iter(self._labels)

    def __repr__(self):
        return f"ARPanelResult({len(self)} series, orders {sorted(set(self.orders))})"
