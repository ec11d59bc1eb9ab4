"""``fit_ar`` and ``ARResult`` against statsmodels (``yule_walker``, ``burg``, ``AutoReg``,
``ar_select_order``, ``ARIMA``), R's ``ar()`` order selection, closed forms, and
simulation: interval coverage, coefficient recovery, white residuals; pandas
wrapping, panels, and bad input raised before any numba kernel runs.
"""
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, signal, stats
from scipy.linalg import toeplitz
from statsmodels.regression.linear_model import burg, yule_walker
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.tsa import stattools
from statsmodels.tsa.ar_model import AutoReg, ar_select_order
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.arima_process import ArmaProcess, arma2ma

import sigconv
from sigconv import ARPanelResult, ARResult, Kernel

FEW = settings(max_examples=20, deadline=None, database=None)

# Stationary coefficient sets (checked in test_simulation_coefficients_are_stationary).
PHI2 = np.array([0.6, -0.3])
PHI5 = np.array([0.82, -0.4472, -0.0104, 0.428, -0.3])   # pacf 0.5, -0.4, 0.3, 0.2, -0.3
PHI12 = np.array([0.4, 0.1, -0.24, 0.14, -0.08, -0.03, 0.13, -0.08, 0.09, 0.02, -0.2, 0.5])


def simulate_ar(phi, n, seed, mean=0.0, burn=500):
    """AR(p) by the recursive filter on unit Gaussian noise, after a burn-in."""
    noise = np.random.default_rng(seed).normal(size=n + burn)
    return sigconv.recursive_filter(noise, phi)[burn:] + mean


def _load():
    macro = sm.datasets.macrodata.load_pandas().data
    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    return {
        # name: (series, order)
        "sunspots": (sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(), 9),
        "nile": (sm.datasets.nile.load_pandas().data["volume"].to_numpy(), 2),
        "infl": (macro["infl"].to_numpy(), 3),
        "gdp": (np.diff(np.log(macro["realgdp"].to_numpy())) * 400, 2),
        "co2": (co2.to_numpy(), 3),
        "ar2": (simulate_ar(PHI2, 400, seed=1), 2),
        "ar5": (simulate_ar(PHI5, 500, seed=2, mean=3.0), 5),
        "ar12": (simulate_ar(PHI12, 600, seed=3, mean=-1.0), 12),
    }


DATA = _load()
NAMES = list(DATA)
REAL = ["sunspots", "nile", "infl", "gdp", "co2"]
CO2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()


def close(actual, expected, rtol, scale=1.0):
    """``|actual - expected| <= rtol * (|expected| + scale)``: relative, with an
    absolute floor on the series' scale for values near zero."""
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=rtol, atol=rtol * scale)


# ---------------------------------------------------------------------------
# Yule-Walker and Burg


@pytest.mark.parametrize("name", NAMES)
def test_yule_walker_matches_statsmodels_mle(name):
    # sigconv's Yule-Walker uses the biased autocovariance (divided by n, not n - k),
    # as R's ar.yw and statsmodels' yule_walker(method="mle"); sigma2 is the
    # Levinson prediction variance r0 - sum r_k phi_k (no n / (n - p - 1) factor).
    x, p = DATA[name]
    rho, sigma = yule_walker(x, p, method="mle", result_object=False)
    result = sigconv.fit_ar(x, p, method="yule_walker")
    assert isinstance(result, ARResult)
    assert result.order == p and result.method == "yule_walker"
    close(result.coef, rho, 1e-10)
    close(result.sigma2, sigma**2, 1e-10, scale=0)
    assert result.mean == pytest.approx(x.mean(), rel=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_burg_matches_statsmodels(name):
    x, p = DATA[name]
    coef, sigma2 = burg(x, p)
    result = sigconv.fit_ar(x, p, method="burg")
    close(result.coef, coef, 1e-10)
    close(result.sigma2, sigma2, 1e-10, scale=0)
    assert result.mean == pytest.approx(x.mean(), rel=1e-14)


@pytest.mark.parametrize("method", ["yule_walker", "burg"])
@pytest.mark.parametrize("name", ["nile", "infl", "ar5"])
def test_recursive_fits_without_demeaning(name, method):
    x, p = DATA[name]
    result = sigconv.fit_ar(x, p, method=method, demean=False)
    if method == "yule_walker":
        coef, sigma = yule_walker(x, p, method="mle", demean=False, result_object=False)
        sigma2 = sigma**2
    else:
        coef, sigma2 = burg(x, p, demean=False)
    close(result.coef, coef, 1e-10)
    close(result.sigma2, sigma2, 1e-10, scale=0)
    assert result.mean == 0.0


# ---------------------------------------------------------------------------
# OLS: statsmodels' AutoReg


@pytest.mark.parametrize("name", NAMES)
def test_ols_matches_autoreg_with_constant(name):
    x, p = DATA[name]
    scale = np.abs(x).max()
    reference = AutoReg(x, lags=p, trend="c").fit()
    result = sigconv.fit_ar(x, p, method="ols")
    close(result.coef, reference.params[1:], 1e-8)
    close(result.intercept, reference.params[0], 1e-8, scale=scale)
    close(result.sigma2, reference.sigma2, 1e-8, scale=0)
    # mean = c / (1 - sum phi)
    close(result.mean, reference.params[0] / (1 - reference.params[1:].sum()), 1e-8, scale)
    residuals = result.residuals
    assert np.isnan(residuals[:p]).all()
    close(residuals[p:], reference.resid, 1e-8, scale=scale)
    fitted = result.fittedvalues
    assert np.isnan(fitted[:p]).all()
    close(fitted[p:], reference.fittedvalues, 1e-8, scale=scale)
    forecast = result.forecast(12)
    close(forecast["mean"], reference.forecast(12), 1e-8, scale=scale)
    # the interval: AutoReg's prediction standard error and normal intervals
    prediction = reference.get_prediction(start=x.size, end=x.size + 11)
    close(forecast["se"], prediction.se_mean, 1e-8, scale=0)
    for level in (80, 95):
        bounds = prediction.conf_int(alpha=1 - level / 100)
        close(forecast[f"lower_{level}"], bounds[:, 0], 1e-8, scale=scale)
        close(forecast[f"upper_{level}"], bounds[:, 1], 1e-8, scale=scale)


@pytest.mark.parametrize("name", NAMES)
def test_ols_matches_autoreg_without_constant(name):
    x, p = DATA[name]
    scale = np.abs(x).max()
    reference = AutoReg(x, lags=p, trend="n").fit()
    result = sigconv.fit_ar(x, p, method="ols", trend="n")
    assert result.mean == 0.0 and result.intercept == 0.0
    close(result.coef, reference.params, 1e-8)
    close(result.sigma2, reference.sigma2, 1e-8, scale=0)
    close(result.residuals[p:], reference.resid, 1e-8, scale=scale)
    close(result.fittedvalues[p:], reference.fittedvalues, 1e-8, scale=scale)
    close(result.forecast(7)["mean"], reference.forecast(7), 1e-8, scale=scale)


# ---------------------------------------------------------------------------
# MLE: statsmodels' ARIMA(p, 0, 0), the exact Gaussian likelihood

# ARIMA's default fit (lbfgs, maxiter=50) stops early: sigconv's optimum is a
# little higher, and const / sigma2 differ by up to 4e-3 relative.  A tightly
# converged ARIMA fit agrees with sigconv to ~1e-5.
def tight():
    # a new dict each time: ARIMA.fit writes into method_kwargs
    return {"method_kwargs": {"maxiter": 2000, "pgtol": 1e-8, "factr": 100.0}}


MLE_CASES = {"sunspots": 4, "nile": 2, "infl": 3, "gdp": 2, "co2": 3, "ar2": 2, "ar5": 5,
             "ar12": 12}


@cache
def arima_fit(name, p, trend="c", converged=False):
    x = DATA[name][0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ARIMA(x, order=(p, 0, 0), trend=trend).fit(**(tight() if converged else {}))


@pytest.mark.parametrize("name", list(MLE_CASES))
def test_mle_matches_arima(name):
    x, p = DATA[name][0], MLE_CASES[name]
    reference = arima_fit(name, p)
    result = sigconv.fit_ar(x, p, method="mle")
    assert list(result.params.index) == list(reference.model.param_names)
    np.testing.assert_allclose(result.coef, reference.params[1:-1], rtol=0, atol=1e-4)
    assert result.llf == pytest.approx(reference.llf, rel=1e-4)
    assert result.llf >= reference.llf - 1e-6 * abs(reference.llf)


@pytest.mark.parametrize(("name", "trend"), [("sunspots", "c"), ("nile", "c"), ("infl", "c"),
                                             ("ar5", "c"), ("infl", "n"), ("gdp", "n")])
def test_mle_matches_converged_arima(name, trend):
    x, p = DATA[name][0], MLE_CASES[name]
    reference = arima_fit(name, p, trend, converged=True)
    result = sigconv.fit_ar(x, p, method="mle", trend=trend)
    params = result.params if trend == "c" else result.params.drop("const")
    if trend == "n":
        assert result.mean == 0.0
    np.testing.assert_allclose(params.to_numpy(), reference.params, rtol=1e-4, atol=1e-4)
    assert result.llf >= reference.llf - 1e-6 * abs(reference.llf)


@pytest.mark.parametrize("method", ["yule_walker", "burg", "ols", "mle"])
@pytest.mark.parametrize("name", NAMES)
def test_llf_is_arima_exact_likelihood(name, method):
    # ARResult.llf is the exact Gaussian likelihood at the result's own parameters:
    # statsmodels' Kalman filter evaluates the same (stationary initialisation).
    x, p = DATA[name]
    result = sigconv.fit_ar(x, p, method=method)
    # (every fit here is stationary, OLS included, so the likelihood is defined)
    assert ArmaProcess(np.r_[1, -result.coef]).isstationary
    model = ARIMA(x, order=(p, 0, 0), trend="c")
    assert result.llf == pytest.approx(model.loglike(result.params.to_numpy()), rel=1e-8)


@pytest.mark.parametrize("name", ["nile", "infl", "ar2"])
def test_llf_is_the_multivariate_normal_density(name):
    # Brute force: x ~ N(mean, sigma2 * Toeplitz(acov of the unit-variance AR)).
    x, p = DATA[name]
    result = sigconv.fit_ar(x, p, method="mle")
    acov = ArmaProcess(np.r_[1, -result.coef]).acovf(x.size) * result.sigma2
    expected = stats.multivariate_normal(np.full(x.size, result.mean), toeplitz(acov)).logpdf(x)
    assert result.llf == pytest.approx(expected, rel=1e-9)


def test_mle_forecast_matches_arima_at_the_same_parameters():
    x, p = DATA["sunspots"][0], 4
    result = sigconv.fit_ar(x, p, method="mle")
    reference = ARIMA(x, order=(p, 0, 0), trend="c").smooth(result.params.to_numpy())
    assert reference.llf == pytest.approx(result.llf, rel=1e-10)
    forecast, expected = result.forecast(15), reference.get_forecast(15)
    close(forecast["mean"], expected.predicted_mean, 1e-10, scale=np.abs(x).max())
    close(forecast["se"], expected.se_mean, 1e-10, scale=0)


# ---------------------------------------------------------------------------
# Order selection


def _selected(sel):
    return 0 if sel.ar_lags is None else max(sel.ar_lags)


@pytest.mark.parametrize("trend", ["c", "n"])
@pytest.mark.parametrize("ic", ["aic", "bic", "hqic"])
@pytest.mark.parametrize("name", ["sunspots", "nile", "infl", "gdp", "ar5"])
def test_ols_selection_matches_ar_select_order(name, ic, trend):
    x = DATA[name][0]
    top = 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sel = ar_select_order(x, top, ic=ic, trend=trend)
    result = sigconv.fit_ar(x, method="ols", max_order=top, ic=ic, trend=trend)
    assert result.order == _selected(sel)
    # The criteria of every order, on the common sample x[top:], differ from
    # statsmodels' by one constant (sigconv drops the log(2 pi) + 1 terms).
    theirs = getattr(sel, ic)
    expected = np.array([float(np.ravel(theirs[0 if k == 0 else tuple(range(1, k + 1))])[0])
                         for k in range(top + 1)])
    assert result.ic.name == ic and list(result.ic.index) == list(range(top + 1))
    offset = result.ic.to_numpy() - expected
    np.testing.assert_allclose(offset, offset[0], rtol=0, atol=1e-9 * np.abs(expected).max())
    # The chosen order is refitted on the whole series (AutoReg's hold_back = p).
    reference = AutoReg(x, lags=result.order, trend=trend).fit()
    close(result.coef, reference.params[1:] if trend == "c" else reference.params, 1e-8)


@pytest.mark.parametrize("ic", ["aic", "bic"])
@pytest.mark.parametrize("name", ["nile", "infl"])
def test_mle_selects_by_the_ols_criterion(name, ic):
    x = DATA[name][0]
    ols = sigconv.fit_ar(x, method="ols", max_order=8, ic=ic)
    mle = sigconv.fit_ar(x, method="mle", max_order=8, ic=ic)
    assert mle.order == ols.order
    np.testing.assert_allclose(mle.ic, ols.ic, rtol=1e-12)
    np.testing.assert_allclose(mle.coef, sigconv.fit_ar(x, mle.order, method="mle").coef)


def prediction_variances(x, top, method, demean):
    """v_0..v_top of R's ar(): the recursion's prediction variance of each order,
    ``c0 prod_{j<=k} (1 - pacf_j^2)``, from statsmodels' Levinson-Durbin on the
    biased autocovariance (Yule-Walker) or its Burg reflection coefficients."""
    acov = stattools.acovf(x, demean=demean, fft=False)
    if method == "yule_walker":
        sigma = stattools.levinson_durbin(acov, top, isacov=True).sigma
        return np.r_[acov[0], sigma[1:]]   # statsmodels leaves sigma[0] = 0
    pacf = stattools.pacf_burg(x, top, demean=demean).pacf   # pacf[0] = 1
    return acov[0] * np.cumprod(np.r_[1.0, 1 - pacf[1:] ** 2])


@pytest.mark.parametrize("demean", [True, False])
@pytest.mark.parametrize("ic", ["aic", "bic", "hqic"])
@pytest.mark.parametrize("method", ["yule_walker", "burg"])
@pytest.mark.parametrize("name", ["sunspots", "nile", "infl", "ar5"])
def test_recursive_selection_uses_R_formula(name, method, ic, demean):
    # IC_k = n log(v_k) + penalty (k + demean), penalty 2, log n or 2 log log n.
    x = DATA[name][0]
    n = x.size
    top = int(min(n - 1, np.floor(10 * np.log10(n))))   # R's default order.max
    result = sigconv.fit_ar(x, method=method, ic=ic, demean=demean)
    v = prediction_variances(x, top, method, demean)
    penalty = {"aic": 2.0, "bic": np.log(n), "hqic": 2 * np.log(np.log(n))}[ic]
    expected = n * np.log(v) + penalty * (np.arange(top + 1) + demean)
    assert len(result.ic) == top + 1
    close(result.ic, expected, 1e-10, scale=0)
    assert result.order == int(np.argmin(expected))
    if result.order:
        if method == "yule_walker":
            coef = yule_walker(x, result.order, method="mle", demean=demean,
                               result_object=False)[0]
        else:
            coef = burg(x, result.order, demean=demean)[0]
        close(result.coef, coef, 1e-10)


# R 4.2.2, ar.yw(x) / ar.burg(x) / ar.yw(x, demean=FALSE) with default order.max:
# $order, $ar and $aic (the criterion minus its minimum).
R_AR = {
    ("nile", "yule_walker", True): (2, [0.408111072295334, 0.181171005437572], [
        27.8938962696, 1.3373690892, 0.0, 0.7625608972, 2.7587469764, 4.3350264234,
        5.8347155309, 7.4700434907, 6.7808662183, 6.5659870739, 8.1480343951, 6.4537079372,
        7.6912985655, 9.2696547729, 10.9925281086, 12.9036439993, 14.3710125252,
        16.3418220769, 17.0096584345, 17.4676297188, 19.1157429076]),
    ("nile", "burg", True): (2, [0.404658338722907, 0.198468934844263], [
        29.4397097304, 2.0186694385, 0.0, 0.5564372725, 2.5327329418, 3.7806928417,
        5.0390849723, 6.9146456916, 4.9385623350, 5.0148794415, 6.4747926702, 1.9067005979,
        2.9878110862, 4.6895384870, 6.3305152418, 8.3304622502, 9.4193087011,
        11.4151353202, 11.6070661711, 11.2953637069, 13.0510660374]),
    ("nile", "yule_walker", False): (2, [0.752338584792176, 0.227436513059449], [
        297.5941512789, 3.3113231018, 0.0, 0.2598864602, 1.7944081162, 3.4683851064,
        5.4523472016, 7.3909523160, 9.3723610696, 8.2804337187, 10.2780233937,
        8.7108916737, 10.6429391066, 12.5028389359, 14.3387247962, 16.2084648507,
        17.7807613677, 18.9399747677, 19.0517694220, 20.1610467357, 22.1543495050]),
    ("sunspots", "yule_walker", True): (9, [
        1.14691121065271, -0.377015086619626, -0.16738576477974, 0.13891020384078,
        -0.105358668630757, 0.0347150840148876, 0.0341267579578974, -0.0774493973175286,
        0.246047156730119], [
        581.1208563077, 237.9770460019, 50.7661243292, 46.0599335952, 47.3488506784,
        49.3397394775, 42.1564643971, 30.3334511676, 17.2967993610, 0.0, 1.9689435734,
        3.9634215759, 5.9281875213, 7.9198675382, 8.9236441737, 9.2820390121, 9.6979210582,
        5.0637157184, 5.1902771057, 6.7305813527, 8.7299196738, 8.1000507610,
        10.0827498008, 9.8142590872, 11.0639613536]),
    ("sunspots", "burg", True): (9, [
        1.16389358883252, -0.396958566899618, -0.165628082955275, 0.149460941312653,
        -0.0974674593082815, 0.0128591909077295, 0.0482264559712875, -0.085457596357578,
        0.252406217889934], [
        599.9158690560, 251.4021535090, 53.5433473519, 50.2590501497, 51.3222465081,
        53.3211282821, 46.4047508679, 32.0288882674, 18.3411132078, 0.0, 1.9983540471,
        3.9868655219, 5.9866656310, 7.9863676754, 8.9219567853, 9.3527483578, 9.3028818482,
        2.4343383576, 1.8659796540, 2.6434798145, 4.6413168913, 1.4508665576, 3.4492137616,
        0.5087458193, 1.8249679076]),
}


@pytest.mark.parametrize("case", list(R_AR), ids=["-".join(map(str, c)) for c in R_AR])
def test_recursive_selection_matches_R_ar(case):
    name, method, demean = case
    order, coef, aic = R_AR[case]
    result = sigconv.fit_ar(DATA[name][0], method=method, demean=demean)
    assert result.order == order
    np.testing.assert_allclose(result.coef, coef, rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.ic - result.ic.min(), aic, rtol=0, atol=1e-8)


@pytest.mark.parametrize("n", [12, 30, 100, 309, 1000])
@pytest.mark.parametrize("method", ["yule_walker", "burg", "ols"])
def test_default_max_order(method, n):
    x = simulate_ar(PHI2, n, seed=n)
    result = sigconv.fit_ar(x, method=method)
    default = int(min(n - 1, np.floor(10 * np.log10(n))))   # R's order.max
    if method == "ols":
        # least squares on the common sample x[top:] needs more samples than
        # parameters: never more than R's default, exactly it for n >= 50
        assert len(result.ic) - 1 <= default
        if n >= 50:
            assert len(result.ic) - 1 == default
    else:
        assert len(result.ic) - 1 == default
    assert sigconv.fit_ar(x, method=method, max_order=5).ic.index.tolist() == list(range(6))
    assert sigconv.fit_ar(x, 2, method=method).ic is None


# ---------------------------------------------------------------------------
# Forecast interval coverage (vectorised: one recursive_filter, one panel fit)


def test_forecast_intervals_cover_95_percent_of_simulated_futures():
    paths, n, h = 2000, 300, 10
    noise = np.random.default_rng(20240611).normal(size=(paths, 200 + n + h))
    x = sigconv.recursive_filter(noise, PHI2, axis=-1)[:, 200:]
    panel = sigconv.fit_ar(x[:, :n].T, 2)          # time down the rows: 2000 fits
    assert isinstance(panel, ARPanelResult) and len(panel) == paths
    forecasts = [panel.results[i].forecast(h) for i in range(paths)]
    lower = np.array([f["lower_95"].to_numpy() for f in forecasts])
    upper = np.array([f["upper_95"].to_numpy() for f in forecasts])
    future = x[:, n:]
    covered = ((lower <= future) & (future <= upper)).mean(axis=0)
    assert 0.935 <= covered[0] <= 0.965
    assert 0.935 <= covered[h - 1] <= 0.965
    # the standard error follows the psi-weights of the model
    first = forecasts[0]
    psi = arma2ma(np.r_[1, -panel.results[0].coef], [1], h)
    close(first["se"], np.sqrt(panel.results[0].sigma2 * np.cumsum(psi**2)), 1e-12, scale=0)


# ---------------------------------------------------------------------------
# Simulation: reproducible, recovers the model, white true residuals


@cache
def true_model():
    """A stationary AR(2) with complex roots: the MLE fit to the sunspots."""
    return sigconv.fit_ar(DATA["sunspots"][0], 2, method="mle")


def asymptotic_se(model, n):
    """sqrt(diag(sigma2 Gamma_p^-1) / n), Gamma_p from the model's autocovariances."""
    acov = ArmaProcess(np.r_[1, -model.coef]).acovf(model.order) * model.sigma2
    cov = model.sigma2 * np.linalg.inv(toeplitz(acov)) / n
    return np.sqrt(np.diag(cov))


def test_simulation_coefficients_are_stationary():
    for phi in (PHI2, PHI5, PHI12, true_model().coef):
        assert ArmaProcess(np.r_[1, -phi]).isstationary


def test_simulate_is_reproducible():
    model = true_model()
    a = model.simulate(300, seed=42)
    assert a.shape == (300,) and a.dtype == np.float64
    np.testing.assert_array_equal(a, model.simulate(300, seed=42))
    assert not np.array_equal(a, model.simulate(300, seed=43))
    np.testing.assert_array_equal(model.simulate(300, seed=42, burn=50),
                                  model.simulate(300, seed=42, burn=50))


@pytest.mark.parametrize("method", ["yule_walker", "burg", "ols", "mle"])
def test_fit_recovers_simulated_coefficients(method):
    model, n = true_model(), 5000
    x = model.simulate(n, seed=7)
    result = sigconv.fit_ar(x, 2, method=method)
    se = asymptotic_se(model, n)
    assert np.all(np.abs(result.coef - model.coef) < 3 * se)
    se_mean = np.sqrt(model.sigma2 / n) / abs(1 - model.coef.sum())
    assert abs(result.mean - model.mean) < 3 * se_mean
    assert abs(result.sigma2 - model.sigma2) < 3 * np.sqrt(2 / n) * model.sigma2


def test_true_residuals_are_white_and_estimates_spread_as_asymptotics():
    model, n, runs = true_model(), 300, 200
    paths = np.array([model.simulate(n, seed=s) for s in range(runs)])
    # residuals of the TRUE model: its whitening kernel applied causally
    true_residuals = signal.lfilter(model.whitening_kernel.weights, [1.0],
                                    paths - model.mean, axis=1)[:, model.order:]
    p_true = np.array([acorr_ljungbox(e, lags=[10])["lb_pvalue"].iloc[0]
                       for e in true_residuals])
    assert np.mean(p_true > 0.01) >= 0.95
    # and the fitted models' residuals (Ljung-Box with 2 fitted parameters)
    panel = sigconv.fit_ar(paths.T, 2)
    fitted = np.array([panel.results[i].residuals[2:] for i in range(runs)])
    p_fit = np.array([acorr_ljungbox(e, lags=[10], model_df=2)["lb_pvalue"].iloc[0]
                      for e in fitted])
    assert np.mean(p_fit > 0.01) >= 0.95
    # the spread of the 200 estimates is the asymptotic standard error
    coefs = panel.params[["ar.L1", "ar.L2"]].to_numpy()
    ratio = coefs.std(axis=0) / asymptotic_se(model, n)
    assert np.all((0.8 < ratio) & (ratio < 1.25))
    # a long path has the model's variance and autocorrelations
    long = model.simulate(200_000, seed=1)
    gamma0 = model.sigma2 * np.sum(arma2ma(np.r_[1, -model.coef], [1], 2000) ** 2)
    assert long.var() == pytest.approx(gamma0, rel=0.05)
    np.testing.assert_allclose(sigconv.acf(long, 5), model.acf(5), atol=0.02)


# ---------------------------------------------------------------------------
# pandas: indexes, panels


def test_monthly_series_forecasts_the_next_months():
    result = sigconv.fit_ar(CO2, 3)
    forecast = result.forecast(4)
    assert isinstance(forecast, pd.DataFrame)
    assert list(forecast.columns) == ["mean", "se", "lower_80", "upper_80", "lower_95",
                                      "upper_95"]
    expected = pd.date_range(CO2.index[-1] + pd.offsets.MonthBegin(1), periods=4, freq="MS")
    pd.testing.assert_index_equal(forecast.index, expected)
    for series in (result.residuals, result.fittedvalues):
        assert isinstance(series, pd.Series)
        pd.testing.assert_index_equal(series.index, CO2.index)
        assert series.name == "co2"
    np.testing.assert_allclose(result.residuals.to_numpy()[3:],
                               sigconv.fit_ar(CO2.to_numpy(), 3).residuals[3:])
    assert result.params.name == "co2"


def test_datetime_index_without_freq_is_inferred():
    index = pd.DatetimeIndex(list(pd.date_range("2000-01-31", periods=120, freq="ME")))
    assert index.freq is None
    x = pd.Series(DATA["ar2"][0][:120], index=index)
    forecast = sigconv.fit_ar(x, 2).forecast(3)
    assert list(forecast.index) == list(pd.date_range("2010-01-31", periods=3, freq="ME"))


@pytest.mark.parametrize("index", [
    pd.date_range("2000-01-01", periods=120, freq="MS", name="month"),
    pd.period_range("2000Q1", periods=120, freq="Q", name="quarter"),
    pd.Index(np.arange(1800, 1920), name="year"),
    pd.RangeIndex(5, 125, name="t"),
])
def test_forecast_index_keeps_the_name(index):
    x = pd.Series(DATA["ar2"][0][:120], index=index)
    forecast = sigconv.fit_ar(x, 2).forecast(3)
    assert forecast.index.name == index.name
    assert type(forecast.index) is type(index)
    assert forecast.index[0] > index[-1]


@pytest.mark.parametrize(("start", "step"), [(0, 1), (1700, 1), (10, 5)])
def test_range_index_continues(start, step):
    x = DATA["sunspots"][0]
    series = pd.Series(x, index=pd.RangeIndex(start, start + step * x.size, step))
    result = sigconv.fit_ar(series, 2)
    end = start + step * x.size
    pd.testing.assert_index_equal(result.forecast(3).index, pd.RangeIndex(end, end + 3 * step,
                                                                           step))
    pd.testing.assert_index_equal(result.residuals.index, series.index)


def test_numpy_input_gives_arrays_and_a_range_index_from_n():
    x = DATA["nile"][0]
    result = sigconv.fit_ar(x, 2)
    pd.testing.assert_index_equal(result.forecast(5).index, pd.RangeIndex(100, 105))
    assert isinstance(result.residuals, np.ndarray) and result.residuals.shape == x.shape
    assert isinstance(result.fittedvalues, np.ndarray)


def test_fit_does_not_mutate_the_input():
    x = DATA["infl"][0].copy()
    before = x.copy()
    for method in ("yule_walker", "burg", "ols", "mle"):
        sigconv.fit_ar(x, 3, method=method)
    np.testing.assert_array_equal(x, before)


def _frame():
    macro = sm.datasets.macrodata.load_pandas().data
    index = pd.period_range("1959Q2", periods=202, freq="Q")
    growth = np.diff(np.log(macro[["realgdp", "realcons"]].to_numpy()), axis=0) * 400
    levels = macro[["infl", "unemp"]].to_numpy()[1:]
    return pd.DataFrame({"infl": levels[:, 0], "unemp": levels[:, 1], "gdp": growth[:, 0],
                         "cons": growth[:, 1]}, index=index)


@pytest.mark.parametrize("method", ["yule_walker", "burg", "ols", "mle"])
@pytest.mark.parametrize("order", [2, None])
def test_panel_equals_fitting_each_column(method, order):
    frame = _frame()
    kwargs = {"method": method} if order is not None else {"method": method, "max_order": 8}
    panel = sigconv.fit_ar(frame, order, **kwargs)
    assert isinstance(panel, ARPanelResult)
    assert list(panel.params.index) == list(frame.columns)
    assert len(panel) == 4 and set(panel.results) == set(frame.columns)
    top = int(panel.orders.max())
    assert list(panel.params.columns) == (["const"] + [f"ar.L{j}" for j in range(1, top + 1)]
                                          + ["sigma2"])
    for column in frame:
        alone = sigconv.fit_ar(frame[column], order, **kwargs)
        assert panel.orders[column] == alone.order
        assert isinstance(panel[column], ARResult)
        row = panel.params.loc[column]
        np.testing.assert_allclose(row[alone.params.index].to_numpy(), alone.params.to_numpy(),
                                   rtol=1e-9 if method == "mle" else 1e-12)
        assert row.drop(alone.params.index).isna().all()   # NaN beyond its order
        pd.testing.assert_index_equal(panel[column].residuals.index, frame.index)
    if order is None and method != "mle":
        assert panel.orders.nunique() > 1     # orders differ per column


def test_panel_from_a_2d_array_has_positional_labels():
    x = np.column_stack([DATA["ar2"][0], DATA["ar5"][0][:400]])
    panel = sigconv.fit_ar(x, 2, method="burg")
    assert list(panel.results) == [0, 1]
    for j in range(2):
        np.testing.assert_allclose(panel[j].coef, sigconv.fit_ar(x[:, j], 2, method="burg").coef,
                                   rtol=1e-12)
    assert isinstance(panel[0].residuals, np.ndarray)


def test_axis_minus_one_fits_every_row():
    x = np.column_stack([DATA["ar2"][0], DATA["ar5"][0][:400], DATA["ar12"][0][:400]])
    by_column = sigconv.fit_ar(x, method="burg")
    by_row = sigconv.fit_ar(x.T, method="burg", axis=-1)
    pd.testing.assert_frame_equal(by_row.params, by_column.params)
    assert isinstance(by_row[1].residuals, np.ndarray) and by_row[1].residuals.shape == (400,)


# the se of an exact fit is NaN (bug B4, test_exact_ols_fit_has_a_non_negative_variance)
@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
@pytest.mark.parametrize("trend", ["c", "n"])
@pytest.mark.parametrize("p", [3, 4])
def test_collinear_lags_predict_like_autoreg(p, trend):
    # A pure sinusoid satisfies x_t = 2 cos(w) x_{t-1} - x_{t-2} (+ const): with more
    # lags the regressors are collinear and the coefficients are not unique, but every
    # least-squares solution predicts the same values.
    x = np.cos(0.3 * np.arange(100)) + 1.0
    result = sigconv.fit_ar(x, p, method="ols", trend=trend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = AutoReg(x, lags=p, trend=trend).fit()
    np.testing.assert_allclose(result.fittedvalues[p:], reference.fittedvalues, atol=1e-9)
    np.testing.assert_allclose(result.forecast(10)["mean"], reference.forecast(10), atol=1e-9)


def test_exact_ols_fit_has_a_non_negative_variance():
    x = np.cos(0.3 * np.arange(100)) + 1.0      # exactly AR(2) with a constant
    result = sigconv.fit_ar(x, 2, method="ols")
    assert result.sigma2 >= 0
    assert np.isfinite(result.forecast(3)["se"]).all()


def test_panel_with_ragged_missing_values_equals_fitting_each_column():
    frame = _frame()
    frame.iloc[:5, 0] = np.nan                  # infl starts later
    panel = sigconv.fit_ar(frame, 2, nan="drop")
    for column in frame:
        alone = sigconv.fit_ar(frame[column], 2, nan="drop")
        np.testing.assert_allclose(panel.params.loc[column, alone.params.index],
                                   alone.params, rtol=1e-12)


@pytest.mark.parametrize("kind", ["numpy", "series", "frame"])
@pytest.mark.parametrize("method", ["yule_walker", "burg", "ols", "mle"])
def test_nan_drop_trims_leading_and_trailing_missing_values(method, kind):
    x = DATA["infl"][0]
    padded = np.r_[np.nan, np.nan, x, np.nan]
    if kind != "numpy":
        index = pd.period_range("1958Q4", periods=padded.size, freq="Q")
        padded = pd.Series(padded, index=index)
    if kind == "frame":
        frame = pd.DataFrame({"infl": padded, "twice": 2 * padded})
        panel = sigconv.fit_ar(frame, 3, method=method, nan="drop")
        result = panel["infl"]
        twice = sigconv.fit_ar(2 * x, 3, method=method)
        np.testing.assert_allclose(panel["twice"].params, twice.params, rtol=1e-7)
    else:
        result = sigconv.fit_ar(padded, 3, method=method, nan="drop")
    trimmed = sigconv.fit_ar(x, 3, method=method)
    np.testing.assert_allclose(result.params.to_numpy(), trimmed.params.to_numpy(), rtol=1e-12)
    assert result.llf == pytest.approx(trimmed.llf, rel=1e-12)
    if kind != "numpy":
        pd.testing.assert_index_equal(result.residuals.index, padded.index[2:-1])
        assert result.forecast(1).index[0] == padded.index[-2] + 1
    else:
        assert result.residuals.shape == x.shape


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_other_dtypes_fit_in_float64(dtype):
    x = DATA["nile"][0].astype(dtype)
    result = sigconv.fit_ar(x, 2, method="burg")
    reference = sigconv.fit_ar(x.astype(np.float64), 2, method="burg")
    assert result.coef.dtype == np.float64
    np.testing.assert_array_equal(result.coef, reference.coef)
    assert result.forecast(2)["mean"].dtype == np.float64


# ---------------------------------------------------------------------------
# The rest of ARResult


@pytest.mark.parametrize("name", ["sunspots", "ar5", "ar12"])
def test_whitening_kernel_and_impulse_response(name):
    x, p = DATA[name]
    result = sigconv.fit_ar(x, p)
    kernel = result.whitening_kernel
    assert isinstance(kernel, Kernel)
    assert kernel.origin == 0 and list(kernel.lags) == list(range(p + 1))    # causal
    np.testing.assert_array_equal(kernel.weights, np.r_[1.0, -result.coef])
    # applied causally it gives the residuals
    e = signal.lfilter(kernel.weights, [1.0], x - result.mean)
    close(result.residuals[p:], e[p:], 1e-12, scale=np.abs(x).max())
    psi = result.impulse_response(60)
    np.testing.assert_allclose(psi, arma2ma(np.r_[1, -result.coef], [1], 60), rtol=0,
                               atol=1e-12)
    # psi is the inverse of the whitening kernel: (phi * psi)[:60] is a unit impulse
    np.testing.assert_allclose(np.convolve(kernel.weights, psi)[:60], np.eye(60)[0], atol=1e-12)


@pytest.mark.parametrize("method", ["yule_walker", "burg", "ols", "mle"])
@pytest.mark.parametrize("name", ["sunspots", "nile", "ar5", "ar12"])
def test_model_acf_matches_arma_process(name, method):
    x, p = DATA[name]
    result = sigconv.fit_ar(x, min(p, 5) if method == "mle" else p, method=method)
    expected = ArmaProcess(np.r_[1, -result.coef]).acf(41)
    np.testing.assert_allclose(result.acf(40), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.acf(3), expected[:4], rtol=0, atol=1e-12)


def test_model_acf_of_yule_walker_reproduces_the_sample_acf():
    # Yule-Walker fits the first p sample autocorrelations exactly.
    x, p = DATA["ar12"]
    result = sigconv.fit_ar(x, p)
    np.testing.assert_allclose(result.acf(p), sigconv.acf(x, p), atol=1e-12)


def test_order_zero_is_white_noise():
    x = DATA["nile"][0]
    result = sigconv.fit_ar(x, 0)
    assert result.coef.shape == (0,)
    assert result.mean == pytest.approx(x.mean())
    assert result.sigma2 == pytest.approx(x.var())
    np.testing.assert_array_equal(result.acf(3), [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(result.impulse_response(3), [1.0, 0.0, 0.0])
    assert list(result.params.index) == ["const", "sigma2"]
    forecast = result.forecast(3)
    np.testing.assert_allclose(forecast["mean"], x.mean())
    np.testing.assert_allclose(forecast["se"], np.sqrt(x.var()))
    close(result.llf, stats.norm(x.mean(), np.sqrt(x.var())).logpdf(x).sum(), 1e-10)


@pytest.mark.parametrize("fs", [1.0, 12.0])
def test_spectral_density_closed_form_and_integral(fs):
    x, p = DATA["ar2"]
    result = sigconv.fit_ar(x, p)
    phi1, phi2 = result.coef
    freqs = np.linspace(0, fs / 2, 101)
    w = 2 * np.pi * freqs / fs
    # |1 - phi1 e^{-iw} - phi2 e^{-2iw}|^2 written out
    gain = 1 + phi1**2 + phi2**2 - 2 * phi1 * (1 - phi2) * np.cos(w) - 2 * phi2 * np.cos(2 * w)
    expected = 2 * result.sigma2 / (fs * gain)
    close(result.spectral_density(freqs, fs=fs), expected, 1e-12, scale=0)
    # the one-sided density integrates to the variance gamma_0 over [0, fs / 2]
    gamma0 = ArmaProcess(np.r_[1, -result.coef]).acovf(1)[0] * result.sigma2
    area = integrate.quad(lambda f: result.spectral_density(np.array([f]), fs=fs)[0],
                          0, fs / 2, epsabs=0, epsrel=1e-10)[0]
    assert area == pytest.approx(gamma0, rel=1e-8)
    default = result.spectral_density(fs=fs)
    assert default.shape == (512,)
    close(default[[0, -1]], result.spectral_density(np.array([0, fs / 2]), fs=fs), 1e-14, 0)


def test_params_intercept_summary_and_repr():
    x, p = DATA["ar5"]
    result = sigconv.fit_ar(x, p, method="burg")
    params = result.params
    assert list(params.index) == ["const", "ar.L1", "ar.L2", "ar.L3", "ar.L4", "ar.L5", "sigma2"]
    assert params["const"] == result.mean and params["sigma2"] == result.sigma2
    np.testing.assert_array_equal(params.filter(like="ar.L"), result.coef)
    assert result.intercept == pytest.approx(result.mean * (1 - result.coef.sum()))
    text = result.summary()
    assert isinstance(text, str) and "AR(5)" in text and "burg" in text
    assert "order chosen" not in text
    chosen = sigconv.fit_ar(x, method="burg", ic="bic")
    assert "AR(" in chosen.summary() and "bic" in chosen.summary()
    assert repr(result).startswith("ARResult(order=5, method='burg'")


@FEW
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(30, 200), p=st.integers(1, 4),
       scale=st.floats(0.01, 100), shift=st.floats(-100, 100),
       method=st.sampled_from(["yule_walker", "burg", "ols"]))
def test_fits_are_affine_equivariant(seed, n, p, scale, shift, method):
    x = simulate_ar([0.5, -0.2], n, seed)
    a = sigconv.fit_ar(x, p, method=method)
    b = sigconv.fit_ar(scale * x + shift, p, method=method)
    np.testing.assert_allclose(b.coef, a.coef, rtol=1e-7, atol=1e-8)
    assert b.sigma2 == pytest.approx(scale**2 * a.sigma2, rel=1e-7)
    assert b.mean == pytest.approx(scale * a.mean + shift, rel=1e-7, abs=1e-7 * scale)


@FEW
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(10, 200), p=st.integers(1, 6),
       method=st.sampled_from(["yule_walker", "burg"]))
def test_recursive_fits_are_time_reversible(seed, n, p, method):
    # Autocovariances (Yule-Walker) and forward+backward errors (Burg) do not
    # change when time runs backwards.
    x = simulate_ar([0.5, -0.2], n, seed)
    p = min(p, n - 2)
    a = sigconv.fit_ar(x, p, method=method)
    b = sigconv.fit_ar(x[::-1], p, method=method)
    np.testing.assert_allclose(b.coef, a.coef, rtol=1e-9, atol=1e-10)
    assert b.sigma2 == pytest.approx(a.sigma2, rel=1e-9)


# ---------------------------------------------------------------------------
# Bad input, raised before any numba kernel runs

X = np.sin(np.arange(40.0)) + 2.0 + 0.1 * np.cos(np.arange(40.0) ** 2)


def _with_nan(where, x=X):
    x = x.copy()
    x[{"start": 0, "middle": 17, "end": -1}[where]] = np.nan
    return x


FITTED = sigconv.fit_ar(X, 2)   # fitted here, where kernels may run
WRAPS = {"numpy": np.asarray, "series": pd.Series,
         "frame": lambda v: pd.DataFrame({"a": X, "b": v})}

BAD = [
    ("short", lambda: sigconv.fit_ar(X[:3], 2), ValueError,
     r"x must have at least order \+ 2 = 4 samples to fit AR\(2\); got 3"),
    ("short-ar0", lambda: sigconv.fit_ar(X[:1], 0), ValueError,
     r"x must have at least order \+ 2 = 2 samples"),
    ("empty", lambda: sigconv.fit_ar(np.array([]), 0), ValueError,
     r"x must have at least 1 sample"),
    *[(f"order-{o!r}", lambda o=o: sigconv.fit_ar(X, o), ValueError,
       r"order must be an integer >= 0") for o in (-1, 2.5, True, "2")],
    ("max_order-negative", lambda: sigconv.fit_ar(X, max_order=-1), ValueError,
     r"max_order must be an integer >= 0; got -1"),
    ("max_order-ols-too-large", lambda: sigconv.fit_ar(X, method="ols", max_order=30),
     ValueError, r"max_order must be at most 19 for method='ols' on 40 samples; got 30"),
    ("ols-short", lambda: sigconv.fit_ar(X[:7], 3, method="ols"), ValueError,
     (r"x must have at least 8 samples for a least-squares AR\(3\) fit: its n - order "
      r"observations must outnumber its 4 coefficients; got 7")),
    ("mle-short", lambda: sigconv.fit_ar(X[:7], 3, method="mle"), ValueError,
     r"x must have at least 8 samples for a least-squares AR\(3\) fit"),
    ("axis-out-of-bounds", lambda: sigconv.fit_ar(np.c_[X, X[::-1]], 2, axis=2), ValueError,
     r"axis 2 is out of bounds for x with 2 dimensions"),
    ("axis-type", lambda: sigconv.fit_ar(np.c_[X, X[::-1]], 2, axis="0"), TypeError,
     r"axis must be an integer; got '0'"),
    ("method", lambda: sigconv.fit_ar(X, 2, method="yw"), ValueError,
     r"method must be one of 'yule_walker', 'burg', 'ols', 'mle'; got 'yw'"),
    ("ic", lambda: sigconv.fit_ar(X, ic="aicc"), ValueError,
     r"ic must be one of 'aic', 'bic', 'hqic'; got 'aicc'"),
    ("trend", lambda: sigconv.fit_ar(X, 2, method="ols", trend="ct"), ValueError,
     r"trend must be one of 'c', 'n'; got 'ct'"),
    ("nan-option", lambda: sigconv.fit_ar(X, 2, nan="omit"), ValueError,
     r"nan must be one of 'raise', 'drop'; got 'omit'"),
    ("demean", lambda: sigconv.fit_ar(X, 2, demean=1), TypeError,
     r"demean must be True or False; got 1"),
    *[(f"constant-{method}", lambda method=method: sigconv.fit_ar(np.full(40, 3.0), 2,
                                                                   method=method),
       ValueError, r"x is constant: its autocovariance is zero")
      for method in ("yule_walker", "burg", "ols", "mle")],
    ("constant-column", lambda: sigconv.fit_ar(np.c_[X, np.ones(40)], 2), ValueError,
     r"x is constant \(series 1\)"),
    ("3d", lambda: sigconv.fit_ar(X.reshape(2, 4, 5), 1), ValueError,
     r"x must be 1-D or 2-D \(time down the rows, one series per column\)"),
    ("text", lambda: sigconv.fit_ar(["a", "b", "c"], 0), TypeError, r"x must hold numbers"),
    *[(f"nan-raise-{kind}-{where}", lambda wrap=wrap, where=where: sigconv.fit_ar(
        wrap(_with_nan(where)), 2), ValueError,
       r"x contains NaN or inf; pass nan='drop' to remove leading and trailing")
      for kind, wrap in WRAPS.items() for where in ("start", "middle", "end")],
    ("inf-raise", lambda: sigconv.fit_ar(np.r_[X, np.inf], 2), ValueError,
     r"x contains NaN or inf"),
    *[(f"nan-drop-inside-{kind}", lambda wrap=wrap: sigconv.fit_ar(
        wrap(_with_nan("middle")), 2, nan="drop"), ValueError,
       r"x has NaN or inf inside the series; nan='drop' removes only leading and trailing")
      for kind, wrap in WRAPS.items()],
    ("nan-drop-all", lambda: sigconv.fit_ar(np.full(10, np.nan), 1, nan="drop"), ValueError,
     r"x has NaN or inf"),
    ("forecast-h", lambda: FITTED.forecast(0), ValueError, r"h must be an integer >= 1; got 0"),
    ("forecast-level", lambda: FITTED.forecast(3, level=120), ValueError,
     r"level must be a number in \(0, 100\); got 120"),
    ("simulate-n", lambda: FITTED.simulate(0), ValueError, r"n must be an integer >= 1; got 0"),
    ("simulate-burn", lambda: FITTED.simulate(10, burn=-1), ValueError,
     r"burn must be an integer >= 0; got -1"),
    ("model-acf-nlags", lambda: FITTED.acf(-1), ValueError,
     r"nlags must be an integer >= 0; got -1"),
    ("spectral-fs", lambda: FITTED.spectral_density(fs=0), ValueError,
     r"fs must be a number in \(0, inf\); got 0"),
]


@pytest.mark.usefixtures("no_kernels")
class TestBadInput:
    @pytest.mark.parametrize(("call", "error", "pattern"), [case[1:] for case in BAD],
                             ids=[case[0] for case in BAD])
    def test_bad_input(self, call, error, pattern):
        with pytest.raises(error, match=pattern) as info:
            call()
        assert "numba" not in str(info.value).lower()

    def test_case_ids_are_unique(self):
        ids = [case[0] for case in BAD]
        assert len(ids) == len(set(ids))

    @pytest.mark.parametrize("method", ["yule_walker", "burg", "ols"])
    def test_guard_intercepts_valid_fits(self, no_kernels, method):
        # A valid fit reaches a kernel, so the cases above prove the errors come first.
        assert {"sigconv._core.levinson.levinson", "sigconv._core.levinson.burg",
                "sigconv._core.lagged.lag_gram"} <= set(no_kernels)
        with pytest.raises(AssertionError, match="numba kernel .* ran on invalid input"):
            sigconv.fit_ar(X, 2, method=method)
