"""sigconv.arima: estimates against R, the kernels, the two likelihood paths, bad input.

statsmodels comparisons over many specifications live in test_arima_reference.py.
R numbers: R 4.2.2, ``arima()`` on its ``AirPassengers``, ``Nile`` and ``lh``.
"""
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.signal import lfilter

import sigconv
from sigconv import datasets
from sigconv.arima import ARIMA, ARIMAKernels, ConvergenceWarning, arima

NILE = np.array([
    1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935, 1110, 994, 1020, 960,
    1180, 799, 958, 1140, 1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774, 840, 874, 694,
    940, 833, 701, 916, 692, 1020, 1050, 969, 831, 726, 456, 824, 702, 1120, 1100, 832, 764,
    821, 768, 845, 864, 862, 698, 845, 744, 796, 1040, 759, 781, 865, 845, 944, 984, 897, 822,
    1010, 771, 676, 649, 846, 812, 742, 801, 1040, 860, 874, 848, 890, 744, 749, 838, 1050,
    918, 986, 797, 923, 975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 740],
    dtype=float)
LH = np.array([
    2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2, 1.9, 1.7, 2.2, 1.8, 3.2, 3.2, 2.7, 2.2, 2.2,
    1.9, 1.9, 1.8, 2.7, 3, 2.3, 2, 2, 2.9, 2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4,
    2.1, 3.3, 3.5, 3.5, 3.1, 2.6, 2.1, 3.4, 3, 2.9])


@pytest.fixture(scope="module")
def log_air():
    return np.log(datasets.airpassengers())


@pytest.fixture(scope="module")
def airline(log_air):
    return ARIMA((0, 1, 1), (0, 1, 1, 12), method="ml").fit(log_air)


def _arma_path(n, ar, ma, seed, burn=200):
    e = np.random.default_rng(seed).normal(size=n + burn)
    return lfilter(np.r_[1.0, ma], np.r_[1.0, -np.asarray(ar, float)], e)[burn:]


class TestAirline:
    def test_exact_ml_estimates(self, airline):
        # The exact maximum (Nelder-Mead to 1e-10 on statsmodels' likelihood of the
        # differenced series): -0.401823, -0.556937, 0.0013481, llf 244.696487.
        np.testing.assert_allclose(airline.params.to_numpy(),
                                   [-0.4018231, -0.5569365, 0.00134810], rtol=2e-5, atol=1e-6)
        assert airline.llf == pytest.approx(244.696487, abs=1e-5)
        assert list(airline.params.index) == ["ma.L1", "ma.S.L12", "sigma2"]
        assert airline.converged and airline.nobs == 131

    def test_information_criteria(self, airline):
        k = 3
        assert airline.aic == pytest.approx(-2 * airline.llf + 2 * k)
        assert airline.bic == pytest.approx(-2 * airline.llf + k * math.log(131))
        assert airline.aicc == pytest.approx(airline.aic + 2 * k * (k + 1) / (131 - k - 1))

    def test_standard_errors_match_r(self, airline):
        # R: sqrt(diag(fit$var.coef)), the observed information at R's (approximate
        # diffuse) optimum.
        np.testing.assert_allclose(airline.bse.to_numpy()[:2], [0.089644050, 0.073099479],
                                   rtol=2e-3)
        # statsmodels' numerical Hessian (cov_type="approx") at the same parameters.
        from statsmodels.tsa.arima.model import ARIMA as SMARIMA

        y = np.log(datasets.airpassengers()).to_numpy()
        model = SMARIMA(y, order=(0, 1, 1), seasonal_order=(0, 1, 1, 12))
        model.use_exact_diffuse = True
        model.loglikelihood_burn = 0
        model.initialize_default()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = model.smooth(airline.params.to_numpy(), cov_type="approx").bse
        np.testing.assert_allclose(airline.bse.to_numpy(), reference, rtol=1e-4)

    def test_forecast_matches_r(self, airline):
        # predict(fit, n.ahead=3) in R; R's estimates differ from the exact ones
        # by 1e-6, so its forecasts agree to about that.
        fc = airline.forecast(3)
        np.testing.assert_allclose(fc["mean"], [6.110185711, 6.053775299, 6.171715027],
                                   atol=2e-5)
        np.testing.assert_allclose(fc["se"], [0.03671561774, 0.04278292510, 0.04809075560],
                                   rtol=2e-4)
        assert list(fc.columns) == ["mean", "se", "lower_80", "upper_80", "lower_95",
                                    "upper_95"]
        assert fc.index[0] == pd.Timestamp("1961-01-01") and fc.index.freqstr == "MS"
        z = (fc["upper_95"] - fc["mean"]) / fc["se"]
        np.testing.assert_allclose(z, 1.959963985, rtol=1e-9)

    def test_css_matches_r(self, log_air):
        fit = ARIMA((0, 1, 1), (0, 1, 1, 12), method="css").fit(log_air)
        np.testing.assert_allclose(fit.params.to_numpy(),
                                   [-0.3771624391, -0.5723790627, 0.001388749903], rtol=1e-6)
        assert fit.llf == pytest.approx(245.0665614, abs=1e-6)
        np.testing.assert_allclose(
            fit.resid.to_numpy()[13:20],
            [0.039164025418, 0.015131884658, -0.014788415189, -0.018516817115,
             0.059164487894, 0.062229258342, 0.023470538861], atol=1e-8)
        assert np.isnan(fit.resid.to_numpy()[:13]).all()
        assert math.isnan(fit.aic)   # R: CSS has no AIC

    def test_css_ml_reaches_the_ml_optimum(self, log_air, airline):
        fit = arima(log_air, (0, 1, 1), (0, 1, 1, 12))
        assert fit.method == "css-ml"
        np.testing.assert_allclose(fit.params, airline.params, rtol=1e-5, atol=1e-7)

    def test_kernels_are_the_composed_polynomials(self, airline):
        k = airline.kernels
        assert isinstance(k, ARIMAKernels)
        theta, big_theta = airline.params["ma.L1"], airline.params["ma.S.L12"]
        ma = np.zeros(14)
        ma[[0, 1, 12, 13]] = [1, theta, big_theta, theta * big_theta]
        np.testing.assert_allclose(k.ma.weights, ma, atol=1e-15)
        diff = np.zeros(14)
        diff[[0, 1, 12, 13]] = [1, -1, -1, 1]
        np.testing.assert_array_equal(k.difference.weights, diff)
        np.testing.assert_array_equal(k.generalized_ar.weights, diff)
        assert k.ar.weights.tolist() == [1.0]
        assert all(kern.origin == 0 for kern in k)

    def test_psi_weights(self, airline):
        # psi(B) = ma(B) / ((1 - B)(1 - B^12)): power-series division by scipy.
        k = airline.kernels
        impulse = np.zeros(40)
        impulse[0] = 1
        expected = lfilter(k.ma.weights, k.generalized_ar.weights, impulse)
        np.testing.assert_allclose(airline.psi_weights(40), expected, atol=1e-13)


class TestKernelsReproduceCSS:
    @pytest.mark.parametrize("order, seasonal, trend", [
        ((0, 1, 1), (0, 1, 1, 12), "n"),
        ((2, 1, 0), (1, 1, 0, 12), "n"),
        ((1, 1, 1), (1, 1, 1, 12), "n"),
        ((1, 0, 2), (0, 0, 0, 0), "c"),
        ((1, 1, 0), (0, 0, 1, 4), "t"),
    ])
    def test_valid_convolution_then_all_pole(self, log_air, order, seasonal, trend):
        y = np.asarray(log_air)
        fit = ARIMA(order, seasonal, trend=trend, method="css").fit(y)
        k = fit.kernels
        time = np.arange(1.0, y.size + 1)
        u = y - fit.params.get("const", 0.0) - fit.params.get("drift", 0.0) * time
        ar_side = sigconv.convolve(u, k.generalized_ar, mode="valid")
        resid = sigconv.recursive_filter(ar_side, -k.ma.weights[1:]) \
            if len(k.ma) > 1 else ar_side
        start = len(k.generalized_ar) - 1
        np.testing.assert_allclose(resid, fit.resid[start:], atol=1e-10, rtol=0)


class TestAgainstR:
    def test_arma11_nile_ml(self):
        # arima(Nile, order=c(1,0,1)): no differencing, R's likelihood is exact.
        # R's optimiser stops a little early (reltol 1e-8): sigconv's maximum is at
        # least as high and the estimates agree to R's precision.
        fit = ARIMA((1, 0, 1), method="ml").fit(NILE)
        np.testing.assert_allclose(fit.params.to_numpy(),
                                   [920.703696941, 0.861040113472, -0.517658930676,
                                    19891.6798112], rtol=1e-4)
        assert -637.038784611 - 1e-9 <= fit.llf < -637.038784611 + 1e-6
        np.testing.assert_allclose(fit.bse[["ar.L1", "ma.L1", "const"]],
                                   [0.10667088, 0.19080819, 46.66921394], rtol=5e-3)

    def test_arma11_nile_css(self):
        # The CSS surface is flat in the mean and R's optim stops early; sigconv
        # concentrates the mean out exactly and reaches a lower sum of squares.
        fit = ARIMA((1, 0, 1), method="css").fit(NILE)
        np.testing.assert_allclose(fit.params.to_numpy(),
                                   [889.153903156, 0.886864831708, -0.604888573894,
                                    19576.2487513], rtol=5e-4)
        assert fit.sigma2 <= 19576.2487513
        assert fit.llf >= -635.99746892

    def test_ar3_lh(self):
        fit = ARIMA((3, 0, 0), method="ml").fit(LH)
        np.testing.assert_allclose(fit.params.to_numpy()[:4],
                                   [2.393118777893, 0.6448026629362, -0.0633819558427,
                                    -0.2197983995115], rtol=1e-5, atol=1e-6)
        assert fit.llf == pytest.approx(-27.0924110597, abs=1e-6)


class TestLikelihoodPaths:
    """Complete series are differenced; series with gaps are filtered in levels with
    the initial values integrated out.  On a complete series both must agree."""

    @pytest.mark.parametrize("order, seasonal, trend", [
        ((0, 1, 1), (0, 1, 1, 12), "n"),
        ((1, 1, 1), (0, 0, 0, 0), "t"),
        ((2, 2, 0), (0, 0, 0, 0), "n"),
        ((1, 0, 1), (1, 1, 0, 4), "n"),
    ])
    def test_levels_equal_differences(self, log_air, order, seasonal, trend):
        from sigconv._arima_results import _ml_profile, _polynomials
        from sigconv._arima_spec import _check_orders, _regressors

        y = np.asarray(log_air)
        spec = _check_orders(order, seasonal, trend, "ml", None)
        arma = np.linspace(0.3, -0.2, spec.k_arma)
        ar, ma = _polynomials(spec, arma)
        x = _regressors(spec, None, y.size)
        r = spec.delta.size
        diff = np.column_stack([np.convolve(c, spec.difference.weights, "valid")
                                for c in [y, *x.T]])
        levels = np.zeros((y.size, 1 + r + x.shape[1]))
        levels[:, 0], levels[:, 1 + r:] = y, x
        llf_d, s2_d, beta_d = _ml_profile(np.ascontiguousarray(diff), spec, ar, ma,
                                          spec.delta[:0])
        llf_l, s2_l, coef_l = _ml_profile(levels, spec, ar, ma, spec.delta)
        assert llf_l == pytest.approx(llf_d, abs=1e-8)
        assert s2_l == pytest.approx(s2_d, rel=1e-10)
        np.testing.assert_allclose(coef_l[r:], beta_d, rtol=1e-8)

    def test_gap_forecast_with_and_without_nan_path(self):
        # A single NaN at the very end of a series changes nothing before it: the
        # levels path must forecast as the differenced path does one step later.
        y = np.cumsum(_arma_path(200, [0.5], [0.3], seed=3))
        full = ARIMA((1, 1, 1), method="ml").fit(y)
        gap = y.copy()
        gap[100] = np.nan
        with_gap = ARIMA((1, 1, 1), method="ml").fit(gap)
        assert with_gap.method == "ml"
        assert with_gap.nobs == full.nobs - 1
        assert np.isnan(with_gap.resid[100])
        assert abs(with_gap.params["ar.L1"] - full.params["ar.L1"]) < 0.1

    def test_missing_values_in_stationary_model(self):
        # An AR(1) with a gap: the exact likelihood is that of the observed values,
        # computable in closed form from the AR(1) transition over two steps.
        phi, sigma2, mu = 0.6, 1.0, 0.0
        y = _arma_path(60, [phi], [], seed=5)
        y[30] = np.nan
        fit = ARIMA((1, 0, 0), trend="n", method="ml").fit(y)
        phi, sigma2 = fit.params["ar.L1"], fit.params["sigma2"]
        llf = -0.5 * (math.log(2 * math.pi * sigma2 / (1 - phi ** 2))
                      + y[0] ** 2 * (1 - phi ** 2) / sigma2)
        for t in range(1, 60):
            if t == 30:
                continue
            prev, var = (y[t - 1], sigma2) if t != 31 else (phi * y[29], sigma2 * (1 + phi ** 2))
            llf += -0.5 * (math.log(2 * math.pi * var) + (y[t] - phi * prev) ** 2 / var)
        assert fit.llf == pytest.approx(llf, abs=1e-7)
        del mu


class TestPandasAndPanels:
    def test_season_length_from_index_warns(self, log_air):
        with pytest.warns(UserWarning, match="s=12 from the index frequency") as record:
            fit = ARIMA((0, 1, 1), (0, 1, 1)).fit(log_air)
        assert list(fit.params.index) == ["ma.L1", "ma.S.L12", "sigma2"]
        with pytest.warns(UserWarning, match="s=12") as record2:
            arima(log_air, (0, 1, 1), (0, 1, 1, None))
        # Both warnings point at this file, the caller's line.
        assert record[0].filename == __file__ == record2[0].filename

    def test_standardized_residuals_match_statsmodels(self, log_air):
        from statsmodels.tsa.arima.model import ARIMA as SMARIMA

        y = np.asarray(log_air).copy()
        y[[10, 70]] = np.nan   # a gap among the diffuse start and one later
        for values in (np.asarray(log_air), y):
            with warnings.catch_warnings():
                warnings.simplefilter("error")   # at the optimum: no convergence warning
                fit = ARIMA((0, 1, 1), (0, 1, 1, 12), method="ml").fit(values)
            model = SMARIMA(values, order=(0, 1, 1), seasonal_order=(0, 1, 1, 12))
            model.use_exact_diffuse = True
            model.loglikelihood_burn = 0
            model.initialize_default()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = model.filter(fit.params.to_numpy()).standardized_forecasts_error[0]
            ours = fit.standardized_resid
            defined = ~np.isnan(ours)
            assert defined.sum() >= values.size - 24
            np.testing.assert_allclose(ours[defined], ref[defined], atol=1e-10)

    def test_resid_and_fitted_keep_the_index(self, airline, log_air):
        assert airline.resid.index.equals(log_air.index)
        assert airline.resid.isna().sum() == 13
        np.testing.assert_allclose((airline.fittedvalues + airline.resid)[13:], log_air[13:])

    def test_panel_rows_and_status(self):
        rows = np.stack([np.cumsum(_arma_path(150, [0.5, -0.2], [0.3], seed=s))
                         for s in range(5)])
        rows[3] = 1.0   # a constant series must not fail the batch
        panel = ARIMA((2, 1, 1)).fit(rows)
        assert len(panel) == 5
        assert not panel.status.loc[3, "converged"]
        assert "constant" in panel.status.loc[3, "message"]
        assert panel.params.loc[3].isna().all()
        for s in (0, 1, 2, 4):
            single = ARIMA((2, 1, 1)).fit(rows[s])
            np.testing.assert_allclose(panel.params.loc[s], single.params, rtol=1e-6)
        with pytest.raises(ValueError, match="constant"):
            panel[3]
        assert panel.forecast(4).shape == (16, 6)

    def test_dataframe_columns(self, log_air):
        frame = pd.DataFrame({"a": log_air, "b": log_air * 2})
        panel = ARIMA((0, 1, 1), (0, 1, 1, 12)).fit(frame)
        assert list(panel.params.index) == ["a", "b"]
        fc = panel["b"].forecast(2)
        assert fc.index[0] == pd.Timestamp("1961-01-01")

    def test_exog_forecast_needs_future_exog(self):
        rng = np.random.default_rng(0)
        x = rng.normal(size=120)
        y = 2.0 + 0.5 * x + _arma_path(120, [0.5], [], seed=1)
        fit = ARIMA((1, 0, 0), exog=x).fit(y)
        assert list(fit.params.index) == ["const", "x1", "ar.L1", "sigma2"]
        with pytest.raises(ValueError, match="exog is required"):
            fit.forecast(3)
        fc = fit.forecast(3, exog=np.zeros(3))
        assert fc.shape[0] == 3
        with pytest.raises(ValueError, match="columns"):
            fit.forecast(3, exog=np.zeros((3, 2)))


class TestBadInput:
    @pytest.mark.parametrize("kwargs, match", [
        ({"order": (1, 0)}, "order must be a tuple"),
        ({"order": (1.5, 0, 0)}, "order"),
        ({"order": (-1, 0, 0)}, "order"),
        ({"seasonal_order": (1, 0, 0, 1)}, "season length s must be at least 2"),
        ({"seasonal_order": (1, 0)}, "seasonal_order must be a tuple"),
        ({"method": "mle"}, "method"),
        ({"trend": "x"}, "trend"),
        ({"order": (0, 1, 1), "trend": "c"}, "differencing"),
    ])
    def test_bad_specification(self, kwargs, match, no_kernels):
        with pytest.raises((ValueError, TypeError), match=match):
            ARIMA(**kwargs)

    def test_differenced_series_too_short(self, no_kernels):
        with pytest.raises(ValueError, match="needs at least"):
            ARIMA((0, 2, 1), (0, 2, 1, 12)).fit(np.arange(28.0) ** 1.5)

    def test_series_shorter_than_the_model(self, no_kernels):
        with pytest.raises(ValueError, match="needs at least"):
            ARIMA((3, 0, 2)).fit(np.random.default_rng(0).normal(size=6))

    def test_constant_series(self, no_kernels):
        with pytest.raises(ValueError, match="constant"):
            ARIMA((1, 0, 0)).fit(np.full(50, 3.0))
        with pytest.raises(ValueError, match="constant after differencing"):
            ARIMA((1, 1, 0)).fit(np.arange(50.0))

    def test_exog_wrong_length_or_nan(self, no_kernels):
        y = np.random.default_rng(0).normal(size=50)
        with pytest.raises(ValueError, match="one row per observation"):
            ARIMA((1, 0, 0), exog=np.ones(49)).fit(y)
        bad = np.ones(50)
        bad[3] = np.nan
        with pytest.raises(ValueError, match="exog contains NaN"):
            ARIMA((1, 0, 0), exog=bad).fit(y)

    def test_inf_and_2d_and_strings(self, no_kernels):
        y = np.random.default_rng(0).normal(size=50)
        y[4] = np.inf
        with pytest.raises(ValueError, match="inf"):
            ARIMA((1, 0, 0)).fit(y)
        with pytest.raises(ValueError, match="1-D or 2-D"):
            ARIMA((1, 0, 0)).fit(np.zeros((2, 3, 40)))
        with pytest.raises(TypeError):
            ARIMA((1, 0, 0)).fit(pd.Series(["a"] * 40))

    def test_css_needs_a_complete_series(self, no_kernels):
        y = np.random.default_rng(0).normal(size=60)
        y[7] = np.nan
        with pytest.raises(ValueError, match="method='css' cannot use"):
            ARIMA((1, 0, 0), method="css").fit(y)

    def test_season_without_frequency(self, no_kernels):
        with pytest.raises(ValueError, match="season length"):
            ARIMA((0, 1, 1), (0, 1, 1)).fit(np.random.default_rng(0).normal(size=80))

    def test_failed_convergence_warns(self, log_air):
        with pytest.warns(ConvergenceWarning, match="maxiter=1"):
            fit = ARIMA((2, 1, 1), (0, 1, 1, 12), method="ml").fit(log_air, maxiter=1)
        assert not fit.converged

    def test_forecast_arguments(self, airline):
        with pytest.raises(ValueError, match="h"):
            airline.forecast(0)
        with pytest.raises(ValueError, match="level"):
            airline.forecast(2, level=120)
        with pytest.raises(ValueError, match="no regressors"):
            airline.forecast(2, exog=np.ones(2))

    def test_input_not_mutated(self, log_air):
        y = np.asarray(log_air).copy()
        y[5] = np.nan
        before = y.copy()
        ARIMA((1, 1, 0), method="ml").fit(y)
        np.testing.assert_array_equal(y, before)


def test_no_warnings_on_a_clean_fit(log_air):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ARIMA((1, 1, 1), (0, 1, 1, 12)).fit(log_air)
