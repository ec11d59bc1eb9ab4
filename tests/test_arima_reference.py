"""``sigconv.arima`` against tightly converged statsmodels fits and R.

The reference (``tests/arima_reference.py``) is statsmodels' ARIMA state space
model with the *exact* diffuse initialisation, maximised with scipy to
``fatol=1e-12``: statsmodels' own ``fit`` uses an approximate diffuse prior and
stops early.  Its log-likelihood plus ``0.5 log(2 pi) (d + D s)`` is the exact
log-likelihood of the differenced series, which is what ``ARIMAResult.llf`` is.

For every case (real series from ``statsmodels.datasets``, bundled, and seeded
simulations), with ``method="ml"``:

- parameters by position (statsmodels calls the trend ``t`` ``x1``), to 1e-4:
  absolute for AR/MA coefficients, relative for trend, regression and sigma2;
- log-likelihood to 1e-4, and never below the reference's by more than 1e-6;
- the forecast (12 steps; 24 for the airline model): mean to 1e-4 standard
  errors, standard error to 1e-4 relative, intervals ``mean +- z se``;
- at sigconv's own parameters, statsmodels' llf and forecast to ~1e-9 (the
  likelihood and predictor, separately from the optimiser);

``method="css-ml"`` reaches the ML optimum, and ``method="css"`` matches R's
conditional sum of squares, written out from its definition and minimised with
scipy.  Also R's numbers for the airline model, and 95% interval coverage on
1,000 simulated ARIMA(1,1,1) paths.
"""
import warnings
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from sigconv import datasets
from sigconv.arima import ARIMA, ARIMAResult, arima
from tests.arima_reference import (
    AIRPASSENGERS,
    airpassengers,
    css_fit,
    evaluate,
    exact_model,
    n_diffuse,
    reference_fit,
    simulate_arima,
)


class Case(NamedTuple):
    y: object                         # ndarray or Series
    order: tuple
    seasonal_order: tuple = (0, 0, 0, 0)
    trend: str = None
    exog: object = None               # DataFrame or None
    exog_future: object = None
    h: int = 12


def with_nans(x, positions):
    x = np.array(x, dtype=float)
    x[list(positions)] = np.nan
    return x


def _cases():
    macro = sm.datasets.macrodata.load_pandas().data
    nile = sm.datasets.nile.load_pandas().data["volume"].to_numpy(dtype=float)
    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    elnino = sm.datasets.elnino.load_pandas().data.iloc[:, 1:].to_numpy(dtype=float).ravel()
    # quarterly growth (annualised %) of consumption and disposable income
    growth = 400 * np.log(macro[["realcons", "realdpi"]]).diff().iloc[1:].reset_index(drop=True)
    # levels in the thousands: SARIMA(0,1,1)(0,1,1,12) increments, integrated at lag 1
    # then at lag 12
    ma = np.polymul([1, -0.4], np.r_[1, np.zeros(11), -0.6])[1:]
    w = simulate_arima([], ma, 144, seed=8, sigma=15)
    seasonal = np.cumsum(w)
    for i in range(12, seasonal.size):
        seasonal[i] += seasonal[i - 12]
    t = np.arange(1, 201)
    return {
        # 0. Box & Jenkins' airline model on log AirPassengers (24-month forecast)
        "airline": Case(np.log(airpassengers()), (0, 1, 1), (0, 1, 1, 12), h=24),
        # 1. ARMA(1,1) with a constant on the Nile's annual flow
        "nile": Case(nile, (1, 0, 1), trend="c"),
        # 2. AR(3) with a constant on yearly sunspots
        "sunspots": Case(sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(),
                         (3, 0, 0), trend="c"),
        # 3. ARIMA(2,1,2), simulated
        "arima212": Case(simulate_arima([0.5, -0.3], [0.4, 0.2], 300, seed=3, d=1),
                         (2, 1, 2)),
        # 4. ARIMA(0,1,1) with drift on 100 log real GDP (quarterly)
        "realgdp_drift": Case(100 * np.log(macro["realgdp"].to_numpy()), (0, 1, 1),
                              trend="t"),
        # 5. SARIMA(1,0,0)(2,1,0,12) on Mauna Loa CO2, 1982-2001 (monthly means)
        "co2": Case(co2.iloc[-240:], (1, 0, 0), (2, 1, 0, 12)),
        # 6. regression with ARMA(1,1) errors: consumption growth on income growth,
        #    the last 12 quarters held out and forecast from their income growth
        "realcons_exog": Case(growth["realcons"].iloc[:190], (1, 0, 1), trend="c",
                              exog=growth[["realdpi"]].iloc[:190],
                              exog_future=growth[["realdpi"]].iloc[190:]),
        # 7. missing values: the Nile with 5 gaps (two adjacent), and a simulated
        #    ARIMA(1,1,1) with 5 gaps, the last observation among them
        "nile_nan": Case(with_nans(nile, [9, 30, 31, 62, 87]), (1, 0, 1), trend="c"),
        "arima111_nan": Case(with_nans(simulate_arima([0.5], [0.3], 200, seed=11, d=1) + 10,
                                       [20, 75, 76, 140, 199]), (1, 1, 1)),
        # 8. large levels (4000-5100), seasonally and regularly differenced
        "seasonal_5000": Case(seasonal + 5000, (0, 1, 1), (0, 1, 1, 12)),
        # 9. near unit root: AR(1) with phi = 0.995 (estimate 0.987), constant
        "near_unit_root": Case(simulate_arima([0.995], [], 300, seed=1, burn=1000) + 10,
                               (1, 0, 0), trend="c"),
        # SST of the Nino 3 region, 1950-2010 monthly, seasonal AR with a constant
        "elnino": Case(elnino, (1, 0, 0), (1, 0, 0, 12), trend="c"),
        # a linear trend and AR(1) errors: trend "ct" (time t = 1, ..., n, as statsmodels)
        "trend_ct": Case(5 + 0.05 * t + simulate_arima([0.6], [], 200, seed=5), (1, 0, 0),
                         trend="ct"),
    }


CASES = _cases()
NAMES = list(CASES)
NAN_CASES = ["nile_nan", "arima111_nan"]


@cache
def reference(name):
    case = CASES[name]
    exog = None if case.exog is None else case.exog.to_numpy()
    future = None if case.exog_future is None else case.exog_future.to_numpy()
    return reference_fit(np.asarray(case.y, dtype=float), case.order, case.seasonal_order,
                         case.trend, exog, h=case.h, exog_future=future)


@cache
def fit(name, method="ml"):
    case = CASES[name]
    model = ARIMA(order=case.order, seasonal_order=case.seasonal_order, trend=case.trend,
                  method=method, exog=case.exog)
    return model.fit(case.y)


def trend_terms(case):
    trend = case.trend
    if trend is None:
        trend = "c" if n_diffuse(case.order, case.seasonal_order) == 0 else "n"
    return {"n": [], "c": ["const"], "t": ["drift"], "ct": ["const", "drift"]}[trend]


def expected_names(case):
    """sigconv's names: statsmodels', with the time trend called ``drift``."""
    names = trend_terms(case) + ([] if case.exog is None else list(case.exog.columns))
    p, _, q = case.order
    P, _, Q, s = case.seasonal_order
    names += [f"ar.L{i}" for i in range(1, p + 1)]
    names += [f"ar.S.L{s * i}" for i in range(1, P + 1)]
    names += [f"ma.L{i}" for i in range(1, q + 1)]
    names += [f"ma.S.L{s * i}" for i in range(1, Q + 1)]
    return names + ["sigma2"]


def check_params(params, expected, case, tol=1e-4):
    """By position: relative for the trend and regression coefficients and sigma2
    (their scale is the data's), absolute for the AR/MA coefficients."""
    params, expected = np.asarray(params, dtype=float), np.asarray(expected, dtype=float)
    assert params.shape == expected.shape
    regression = len(trend_terms(case)) + (0 if case.exog is None else case.exog.shape[1])
    relative = np.zeros(params.size, dtype=bool)
    relative[:regression] = relative[-1] = True
    np.testing.assert_allclose(params[relative], expected[relative], rtol=tol, atol=0)
    np.testing.assert_allclose(params[~relative], expected[~relative], rtol=0, atol=tol)


def future_index(y, h):
    if isinstance(y, pd.Series) and isinstance(y.index, pd.DatetimeIndex):
        return pd.date_range(y.index[-1], periods=h + 1, freq=y.index.freq)[1:]
    start = len(y) if not isinstance(y, pd.Series) else y.index[-1] + 1
    return pd.RangeIndex(start, start + h)


def check_forecast(forecast, mean, se, tol=1e-4):
    """The mean to ``tol`` standard errors, the standard error to ``tol`` relative,
    the intervals ``mean +- z se`` to 1e-10."""
    assert isinstance(forecast, pd.DataFrame)
    assert list(forecast.columns) == ["mean", "se", "lower_80", "upper_80", "lower_95",
                                      "upper_95"]
    table = {column: forecast[column].to_numpy() for column in forecast.columns}
    error = np.abs(table["mean"] - mean) / np.asarray(se)
    assert error.max() <= tol, f"forecast mean off by {error.max():.3g} standard errors"
    np.testing.assert_allclose(table["se"], se, rtol=tol)
    scale = np.abs(table["mean"]) + table["se"]
    for level in (80, 95):
        half = stats.norm.ppf(0.5 + level / 200) * table["se"]
        assert np.abs(table[f"lower_{level}"] - (table["mean"] - half)).max() <= 1e-10 * scale.max()
        assert np.abs(table[f"upper_{level}"] - (table["mean"] + half)).max() <= 1e-10 * scale.max()


# ---------------------------------------------------------------------------
# The reference itself (statsmodels only)

AIRLINE_EXACT = {"params": [-0.401823, -0.556937, 0.0013481], "llf": 244.696487}
# R: arima(log(AirPassengers), c(0, 1, 1), seasonal = c(0, 1, 1)); R's diffuse
# prior is approximate (kappa = 1e6), which moves the estimates by ~1e-5 and the
# log-likelihood by 3e-3.
AIRLINE_R = {"params": [-0.40183, -0.55695], "llf": 244.6995}


def test_reference_reaches_the_exact_airline_optimum():
    ref = reference("airline")
    assert ref.names == ["ma.L1", "ma.S.L12", "sigma2"]
    np.testing.assert_allclose(ref.params[:2], AIRLINE_EXACT["params"][:2], rtol=0, atol=1e-6)
    assert ref.params[2] == pytest.approx(AIRLINE_EXACT["params"][2], rel=1e-4)
    assert ref.llf == pytest.approx(AIRLINE_EXACT["llf"], abs=1e-6)
    np.testing.assert_allclose(ref.params[:2], AIRLINE_R["params"], rtol=0, atol=2e-5)


@pytest.mark.parametrize("name", ["airline", "co2", "realgdp_drift"])
def test_reference_is_at_least_statsmodels_own_fit(name):
    # statsmodels' fit (L-BFGS, maxiter=50) on the same exact-diffuse model stops
    # at or below the reference's optimum
    case = CASES[name]
    exog = None if case.exog is None else case.exog.to_numpy()
    model = exact_model(np.asarray(case.y, dtype=float), case.order, case.seasonal_order,
                        case.trend, exog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = model.fit()
    own_llf = own.llf + 0.5 * np.log(2 * np.pi) * n_diffuse(case.order, case.seasonal_order)
    assert reference(name).llf >= own_llf - 1e-9


def test_simulated_cases_are_what_they_say():
    assert 4000 < np.min(CASES["seasonal_5000"].y) < np.max(CASES["seasonal_5000"].y) < 5100
    assert np.isnan(CASES["nile_nan"].y).sum() == 5
    assert np.isnan(CASES["arima111_nan"].y[-1])
    assert reference("near_unit_root").params[1] > 0.98


# ---------------------------------------------------------------------------
# Maximum likelihood against the reference


def test_airline_model():
    ref = reference("airline")
    result = fit("airline")
    assert isinstance(result, ARIMAResult)
    assert list(result.params.index) == ["ma.L1", "ma.S.L12", "sigma2"]
    np.testing.assert_allclose(result.params.iloc[:2], AIRLINE_EXACT["params"][:2], rtol=0,
                               atol=1e-4)
    assert result.params["sigma2"] == pytest.approx(AIRLINE_EXACT["params"][2], rel=1e-4)
    assert result.llf == pytest.approx(AIRLINE_EXACT["llf"], abs=1e-3)
    # R's estimates, within R's approximate-prior error
    np.testing.assert_allclose(result.params.iloc[:2], AIRLINE_R["params"], rtol=0, atol=5e-5)
    assert result.llf == pytest.approx(AIRLINE_R["llf"], abs=5e-3)
    forecast = result.forecast(24)
    pd.testing.assert_index_equal(forecast.index, pd.date_range("1961-01-01", periods=24,
                                                                freq="MS"))
    np.testing.assert_allclose(forecast["mean"], ref.mean, rtol=0, atol=1e-4)
    np.testing.assert_allclose(forecast["se"], ref.se, rtol=0, atol=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_ml_matches_exact_statsmodels(name):
    case, ref = CASES[name], reference(name)
    result = fit(name, "ml")
    assert list(result.params.index) == expected_names(case)
    assert len(ref.names) == len(result.params)
    check_params(result.params, ref.params, case)
    assert result.llf == pytest.approx(ref.llf, abs=1e-4)
    # The reference is converged to fatol 1e-12 (statsmodels' own fit stops
    # early): sigconv's optimum must be at least as high.
    assert result.llf >= ref.llf - 1e-6
    forecast = result.forecast(case.h, exog=case.exog_future)
    pd.testing.assert_index_equal(forecast.index, future_index(case.y, case.h),
                                  check_names=False)
    check_forecast(forecast, ref.mean, ref.se)


@pytest.mark.parametrize("name", NAMES)
def test_llf_and_forecast_are_statsmodels_at_the_same_params(name):
    # statsmodels' exact-diffuse Kalman filter at sigconv's estimates: tests the
    # likelihood and the predictor apart from the optimiser.
    case = CASES[name]
    result = fit(name, "ml")
    exog = None if case.exog is None else case.exog.to_numpy()
    future = None if case.exog_future is None else case.exog_future.to_numpy()
    model = exact_model(np.asarray(case.y, dtype=float), case.order, case.seasonal_order,
                        case.trend, exog)
    llf, mean, se = evaluate(model, result.params.to_numpy(), case.order, case.seasonal_order,
                             case.h, future)
    assert result.llf == pytest.approx(llf, rel=1e-9, abs=1e-9)
    check_forecast(result.forecast(case.h, exog=case.exog_future), mean, se, tol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_css_ml_reaches_the_ml_optimum(name):
    # CSS starting values (zeros with missing values), then ML: the reference's
    # optimum, never a lower one
    result = fit(name, "css-ml")
    assert result.llf >= reference(name).llf - 1e-6


# ---------------------------------------------------------------------------
# Conditional sum of squares against R's definition (tests/arima_reference.py)


@pytest.mark.parametrize("name", [n for n in NAMES if n not in NAN_CASES])
def test_css_matches_R_definition(name):
    case = CASES[name]
    exog = None if case.exog is None else case.exog.to_numpy()
    # started from the ML estimates; R's CSS is unconstrained
    expected = css_fit(np.asarray(case.y, dtype=float), case.order, case.seasonal_order,
                       case.trend, exog, start=reference(name).params[:-1])
    result = fit(name, "css")
    assert list(result.params.index) == expected_names(case)
    check_params(result.params, expected.params, case)
    assert result.llf == pytest.approx(expected.llf, abs=1e-4)


@pytest.mark.parametrize("name", NAN_CASES)
def test_css_refuses_missing_values(name):
    with pytest.raises(ValueError, match="missing values"):
        fit(name, "css")


# ---------------------------------------------------------------------------
# The API around the fit


def test_arima_function_is_the_class():
    case = CASES["realcons_exog"]
    result = arima(case.y, case.order, trend=case.trend, method="ml", exog=case.exog)
    pd.testing.assert_series_equal(result.params, fit("realcons_exog").params)
    assert result.llf == fit("realcons_exog").llf
    seasonal = arima(CASES["airline"].y, (0, 1, 1), seasonal_order=(0, 1, 1, 12), method="ml")
    pd.testing.assert_series_equal(seasonal.params, fit("airline").params)


@pytest.mark.parametrize("name", ["airline", "nile", "nile_nan", "realcons_exog",
                                  "arima111_nan"])
def test_information_criteria(name):
    # R's convention: k counts sigma2; n is the number of differenced observations
    # used (non-missing observations less d + D s).  R's BIC for the airline model
    # is -2 * 244.6995 + 3 log(131).
    case = CASES[name]
    result = fit(name)
    k = len(result.params)
    n = np.count_nonzero(~np.isnan(np.asarray(case.y, dtype=float)))
    n -= n_diffuse(case.order, case.seasonal_order)
    assert result.aic == pytest.approx(-2 * result.llf + 2 * k, rel=1e-12)
    assert result.bic == pytest.approx(-2 * result.llf + np.log(n) * k, rel=1e-12)


def test_forecast_levels():
    result = fit("nile")
    forecast = result.forecast(5, level=(50, 99))
    assert list(forecast.columns) == ["mean", "se", "lower_50", "upper_50", "lower_99",
                                      "upper_99"]
    half = stats.norm.ppf(0.995) * forecast["se"]
    np.testing.assert_allclose(forecast["upper_99"], forecast["mean"] + half, rtol=1e-12)


def test_airpassengers_dataset():
    shipped = datasets.airpassengers()
    np.testing.assert_array_equal(shipped.to_numpy(), AIRPASSENGERS)
    pd.testing.assert_index_equal(shipped.index, airpassengers().index)


# ---------------------------------------------------------------------------
# Interval coverage by simulation


def test_forecast_intervals_cover_95_percent_of_simulated_arima111_futures():
    # 1,000 ARIMA(1,1,1) paths (phi 0.5, theta 0.3), one panel fit of the first 200
    # values (rows are series), the 95% interval against the next 12.  With the true
    # parameters this seed's coverage is 95.1% (h = 1) and 95.9% (h = 12).
    paths, n, h = 1000, 200, 12
    y = simulate_arima([0.5], [0.3], n + h, seed=20240612, d=1, size=paths)
    panel = ARIMA((1, 1, 1), method="ml").fit(y[:, :n])
    assert len(panel) == paths and panel.status["converged"].all()
    single = ARIMA((1, 1, 1), method="ml").fit(y[7, :n])
    np.testing.assert_allclose(panel.params.iloc[7], single.params, rtol=1e-10)
    forecast = panel.forecast(h)
    lower = forecast["lower_95"].to_numpy().reshape(paths, h)
    upper = forecast["upper_95"].to_numpy().reshape(paths, h)
    future = y[:, n:]
    covered = (lower <= future) & (future <= upper)
    for horizon in (1, 12):
        assert abs(covered[:, horizon - 1].mean() - 0.95) <= 0.02
