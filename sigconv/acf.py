"""Auto- and cross-correlation functions, computed as correlations through the engine.

The sample autocovariance at lag k is the correlation of the demeaned series
with itself, ``sum_t z[t + k] z[t] / n``: one ``correlate(z, z, "full")``
(an FFT for long series) gives every lag.
"""
from __future__ import annotations

import numpy as np

from . import _validate as V
from . import engine

__all__ = ["acf", "acovf", "ccf", "pacf"]

PACF_METHODS = {
    "ywadjusted": ("levinson", True), "yw": ("levinson", True), "ywa": ("levinson", True),
    "ywunbiased": ("levinson", True), "yw_adjusted": ("levinson", True),
    "ldadjusted": ("levinson", True), "ld": ("levinson", True), "lda": ("levinson", True),
    "ld_adjusted": ("levinson", True),
    "ywmle": ("levinson", False), "ywm": ("levinson", False), "yw_mle": ("levinson", False),
    "ldbiased": ("levinson", False), "ldb": ("levinson", False), "ld_biased": ("levinson", False),
    "burg": ("burg", False),
    "ols": ("ols", False), "ols-inefficient": ("ols-inefficient", False),
    "ols-adjusted": ("ols", True),
}


def _series(x, name="x"):
    data = V.series_input(x, name, dtype=np.float64, min_length=2)
    if data.n_series != 1:
        raise ValueError(f"{name} must be a single series (1-D or a Series); got "
                         f"{data.n_series} series")
    if not np.isfinite(data.values).all():
        raise ValueError(f"{name} contains NaN or inf; drop or fill missing values first")
    return data


def _default_nlags(n, cap):
    return max(min(int(10 * np.log10(n)), cap), 1)


def _check_nlags(nlags, n, cap, default_cap=None):
    if nlags is None:
        return _default_nlags(n, cap if default_cap is None else default_cap)
    nlags = V.check_int(nlags, "nlags", minimum=0)
    if nlags > cap:
        raise ValueError(f"nlags must be at most {cap} for a series of {n} samples; got {nlags}")
    return nlags


def _lag_products(z, nlags):
    """``sum_t z[t + k] z[t]`` for k = 0..nlags, each row of ``z`` (m, n) as given.

    The valid correlation of the zero-padded row with the row itself: the
    engine sums directly when few lags are wanted (O(n nlags)) and uses an
    FFT when many are.
    """
    m, n = z.shape
    padded = np.zeros((m, n + nlags))
    padded[:, :n] = z
    # Convolving with the reversed rows is correlating with the rows, and the
    # engine's own reversal then hands the kernel the rows with no copy.
    products, _ = engine.convolve_values(padded, z[:, ::-1], 0, "valid")
    return products


def lag_sums(z, nlags):
    """``sum_t z[t + k] z[t]`` for k = 0..nlags, O(n nlags) per series, in numba
    (the lags are the vector lanes; no padded copy, unlike :func:`_lag_products`).

    Parameters
    ----------
    z : ndarray, shape (m, n)
        One series per row (not demeaned here).
    nlags : int >= 0

    Returns
    -------
    ndarray, shape (m, nlags + 1)

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> from sigconv.acf import lag_sums
    >>> lag_sums(np.array([[1.0, 2.0, 3.0, 4.0]]), 2)       # 1+4+9+16, 2+6+12, 3+8
    array([[30., 20., 11.]])
    >>> x = np.random.default_rng(0).normal(size=50)
    >>> np.allclose(lag_sums((x - x.mean())[None, :], 3)[0] / 50, sigconv.acovf(x, 3))
    True
    """
    core = engine._core("lagged")
    out = np.empty((z.shape[0], nlags + 1))
    run = core.lag_products if z.size * (nlags + 1) >= engine.SERIAL_BELOW_MACS else \
        core.lag_products_serial
    run(np.ascontiguousarray(z), out)
    return out


# Burg's fast recursion is used where the series' power is at most this many
# times its prediction-error power.  Measured against the passes on 1e5
# samples, order 30: gain 1.3 (AR(2)) 2e-15, 5 (AR(1), 0.9) 2e-13, 17 (AR(1),
# 0.97) 1e-12, 265 (a near unit root) 1e-10.
_BURG_FAST_MAX_GAIN = 10.0

def _autocovariances(values, nlags, adjusted):
    """Rows of ``values`` (m, n) demeaned and correlated with themselves: lags 0..nlags."""
    n = values.shape[1]
    cov = _lag_products(values - values.mean(axis=1, keepdims=True), nlags)
    return cov / (n - np.arange(nlags + 1)) if adjusted else cov / n


def acovf(x, nlags=None, *, adjusted=False):
    """Sample autocovariance of lags 0..nlags, as ``statsmodels.tsa.stattools.acovf``.

    ``gamma[k] = sum_t (x[t + k] - mean)(x[t] - mean) / d`` with ``d = n``
    (``adjusted=False``) or ``n - k``.  Default ``nlags`` is ``n - 1``.
    Returns an ndarray, or a Series indexed by lag for a Series.

    Examples
    --------
    >>> import sigconv
    >>> sigconv.acovf([1.0, 2.0, 3.0, 4.0], 2)
    array([ 1.25  ,  0.3125, -0.375 ])
    """
    data = _series(x)
    n = data.n_samples
    nlags = n - 1 if nlags is None else _check_nlags(nlags, n, n - 1)
    cov = _autocovariances(data.values, nlags, V.check_flag(adjusted, "adjusted"))[0]
    return _by_lag(data, cov, np.arange(nlags + 1), "acovf")


def acf(x, nlags=None, *, adjusted=False):
    """Sample autocorrelation function, as ``statsmodels.tsa.stattools.acf``.

    Parameters
    ----------
    x : array_like, shape (n,), or Series
        A finite series, at least 2 samples.
    nlags : int >= 0, optional
        Largest lag; default ``min(10 log10(n), n - 1)``.
    adjusted : bool
        Divide the lag-k sum by ``n - k`` instead of ``n``.

    Returns
    -------
    ndarray or Series
        ``rho[0..nlags]``, ``rho[0] = 1``; a Series indexed by lag for a Series.

    Examples
    --------
    >>> import numpy as np, sigconv
    >>> x = np.sin(np.arange(100) * 2 * np.pi / 10)
    >>> sigconv.acf(x, 10).round(2)[[0, 5, 10]]
    array([ 1.  , -0.95,  0.9 ])
    """
    data = _series(x)
    nlags = _check_nlags(nlags, data.n_samples, data.n_samples - 1)
    cov = _autocovariances(data.values, nlags, V.check_flag(adjusted, "adjusted"))[0]
    return _by_lag(data, cov / cov[0], np.arange(nlags + 1), "acf")


def _by_lag(data, values, lags, name):
    if data.kind == "numpy":
        return values
    import pandas as pd

    return pd.Series(values, index=pd.Index(lags, name="lag"), name=name)


def pacf(x, nlags=None, method="ywadjusted"):
    """Sample partial autocorrelation function, as ``statsmodels.tsa.stattools.pacf``.

    Parameters
    ----------
    x : array_like, shape (n,), or Series
        A finite series.
    nlags : int >= 0, optional
        Largest lag, below ``n // 2``; default ``min(10 log10(n), n // 2 - 1)``.
    method : str
        ``"ywadjusted"`` (default; also ``"yw"``, ``"ldadjusted"``...)
            the Levinson-Durbin recursion on the autocovariances divided by
            ``n - k``: the last coefficient of each order's Yule-Walker fit.
        ``"ywmle"`` (also ``"ywm"``, ``"ldbiased"``...)
            the same on autocovariances divided by ``n``.
        ``"burg"``
            Burg's reflection coefficients.
        ``"ols"``, ``"ols-inefficient"``, ``"ols-adjusted"``
            the last coefficient of a least-squares AR(k) fit with a constant
            for each k (see statsmodels' ``pacf_ols``).

    Returns
    -------
    ndarray or Series
        ``pacf[0..nlags]`` with ``pacf[0] = 1``.

    Examples
    --------
    >>> import numpy as np, sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=2000), [0.6])
    >>> bool(abs(sigconv.pacf(x, 3)[1] - 0.6) < 0.05)
    True
    """
    data = _series(x)
    n = data.n_samples
    nlags = _check_nlags(nlags, n, max(n // 2 - 1, 0))
    V.check_option(method, "method", tuple(PACF_METHODS))
    kind, adjusted = PACF_METHODS[method]
    out = np.ones(nlags + 1)
    if nlags:
        if kind == "levinson":
            r = _autocovariances(data.values, nlags, adjusted)
            out[1:] = _recursion("levinson", r, nlags)[2][0]
        elif kind == "burg":
            z = data.values - data.values.mean()
            out[1:] = _recursion("burg", z, nlags)[2][0]
        else:
            out[1:] = _pacf_ols(data.values[0], nlags, efficient=kind == "ols",
                                adjusted=adjusted)
    return _by_lag(data, out, np.arange(nlags + 1), "pacf")


def _recursion(name, rows, order):
    """Run the Levinson (``rows`` autocovariances) or Burg (``rows`` series) recursion.

    Returns ``(coefs (m, order, order), variances (m, order + 1), reflection
    (m, order), power)``; ``power`` (Burg's mean squared errors, statsmodels'
    sigma2) is None for Levinson.
    """
    m = rows.shape[0]
    coefs = np.zeros((m, order, order))
    variances = np.empty((m, order + 1))
    reflection = np.empty((m, order))
    rows = np.ascontiguousarray(rows)
    if name == "levinson":
        engine._core("levinson").levinson(rows, coefs, variances, reflection)
        return coefs, variances, reflection, None
    power = np.empty((m, order + 1))
    core = engine._core("levinson")
    core.burg(rows, lag_sums(rows, order), coefs, variances, reflection, power)
    # The fast recursion updates its error sums by differences of lag sums, which
    # cancel when the prediction error is a small part of the series' power:
    # there, redo the series with passes over the errors.
    with np.errstate(divide="ignore", invalid="ignore"):
        hard = ~(variances[:, 0] <= _BURG_FAST_MAX_GAIN * variances[:, -1])
    if hard.any():
        redo = [np.empty((hard.sum(),) + a.shape[1:]) for a in (coefs, variances, reflection,
                                                               power)]
        redo[0][:] = 0.0
        core.burg_passes(np.ascontiguousarray(rows[hard]), *redo)
        for target, values in zip((coefs, variances, reflection, power), redo):
            target[hard] = values
    return coefs, variances, reflection, power


def _pacf_ols(x, nlags, efficient, adjusted):
    """statsmodels' ``pacf_ols``: the last coefficient of a least-squares AR(k) fit.

    Efficient: a constant and k lags on samples k..n-1, for each k.
    Inefficient: the demeaned series on k lags, every k on samples nlags..n-1.
    """
    n = x.size
    out = np.empty(nlags)
    if efficient:
        for k in range(1, nlags + 1):
            design = np.column_stack([np.ones(n - k)] + [x[k - j - 1:n - j - 1] for j in range(k)])
            out[k - 1] = np.linalg.lstsq(design, x[k:], rcond=None)[0][-1]
    else:
        z = x - x.mean()
        lags = np.column_stack([z[nlags - j - 1:n - j - 1] for j in range(nlags)])
        for k in range(1, nlags + 1):
            out[k - 1] = np.linalg.lstsq(lags[:, :k], z[nlags:], rcond=None)[0][-1]
    if adjusted:
        out *= n / (n - np.arange(1, nlags + 1))
    return out


def ccf(x, y, nlags=None, *, adjusted=False):
    """Cross-correlation function of two series, two-sided, R's convention.

    The value at lag ``k`` estimates ``corr(x[t + k], y[t])``: a peak at a
    positive lag means ``x`` lags ``y``.  ``sum_t (x[t + k] - mean x)(y[t] -
    mean y) / d`` over ``std(x) std(y)`` (population standard deviations),
    with ``d = n`` (R's ``ccf``) or ``n - |k|`` (``adjusted=True``).

    statsmodels' ``ccf(x, y, adjusted=...)`` gives only lags ``k >= 0``, in the
    same convention: ``ccf(x, y)[k]`` for ``k >= 0`` is statsmodels'
    ``ccf(x, y)[k]``, and for ``k < 0`` it is statsmodels' ``ccf(y, x)[-k]``.

    Parameters
    ----------
    x, y : array_like, shape (n,), or Series
        Finite series of the same length.
    nlags : int >= 0, optional
        Largest |lag|; default ``min(10 log10(n), n - 1)``.
    adjusted : bool
        Divide by ``n - |k|`` instead of ``n`` (statsmodels' default).

    Returns
    -------
    Series
        Indexed by lag ``-nlags..nlags``.

    Examples
    --------
    >>> import numpy as np, sigconv
    >>> y = np.random.default_rng(1).normal(size=500)
    >>> x = np.roll(y, 3)            # x[t] = y[t - 3]: x lags y by 3
    >>> int(sigconv.ccf(x, y, 5).idxmax())
    3
    """
    import pandas as pd

    dx, dy = _series(x, "x"), _series(y, "y")
    adjusted = V.check_flag(adjusted, "adjusted")
    n = dx.n_samples
    if dy.n_samples != n:
        raise ValueError(f"x and y must have the same length; got {n} and {dy.n_samples}")
    nlags = _check_nlags(nlags, n, n - 1)
    zx = dx.values - dx.values.mean()
    zy = dy.values - dy.values.mean()
    full = engine.correlate(zx, zy, "full")[0]  # sum_t zx[t + k] zy[t] at index n - 1 + k
    lags = np.arange(-nlags, nlags + 1)
    cov = full[n - 1 + lags]
    cov = cov / (n - np.abs(lags)) if adjusted else cov / n
    scale = np.sqrt(np.mean(zx * zx) * np.mean(zy * zy))
    return pd.Series(cov / scale, index=pd.Index(lags, name="lag"), name="ccf")
