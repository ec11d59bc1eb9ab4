"""ConvForecaster and kernel_as_ar: AR recovery, the sunspots benchmark, pandas in and out,
save/load, and the errors."""
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

import sigconv
from sigconv.nn.forecaster import ConvForecaster, kernel_as_ar
from sigconv.nn.layers import Conv1d
from sigconv.nn.losses import mse
from sigconv.nn.optim import Adam

# The sunspots configuration of examples/forecast_conv.py and docs/nn.md (chosen there on
# validation splits of the training years only).
SUNSPOTS_CONFIG = {"lags": 40, "horizon": 30, "channels": (16, 16, 16), "lr": 1e-3,
                   "epochs": 300, "patience": 20, "seed": 0}
SMALL = {"channels": (4, 4), "epochs": 15, "lr": 1e-2, "seed": 0}


def ar_series(coef, n, seed):
    rng = np.random.default_rng(seed)
    return sigconv.recursive_filter(rng.normal(size=n + 200), coef)[200:]


@pytest.fixture(scope="module")
def wave():
    t = np.arange(160)
    rng = np.random.default_rng(1)
    return np.sin(2 * np.pi * t / 16) + 0.05 * rng.normal(size=t.size)


@pytest.fixture(scope="module")
def fitted(wave):
    return ConvForecaster(16, 4, **SMALL).fit(wave)


# ---------------------------------------------------------------------- kernel_as_ar
def train_linear_ar_conv(y, p, steps=400, lr=0.05, seed=0):
    """A causal Conv1d(1, 1, p, bias=False) trained by full-batch Adam so that its output at
    t predicts the standardised y[t + 1]."""
    z = (y - y.mean()) / y.std()
    conv = Conv1d(1, 1, p, bias=False, seed=seed)
    optimiser = Adam(conv, lr=lr)
    x = z[None, None, :-1]
    target = z[None, None, p:]
    grad = np.zeros_like(x)
    for _ in range(steps):
        optimiser.zero_grad()
        out = conv(x)
        _, g = mse(out[..., p - 1:], target)   # outputs before p - 1 see zero padding
        grad[..., p - 1:] = g
        conv.backward(grad)
        optimiser.step()
    return conv


def test_linear_conv_recovers_ar_coefficients():
    """Acceptance: Adam on a single linear causal conv finds the OLS AR coefficients."""
    coef = [0.6, -0.4, 0.2]
    y = ar_series(coef, 5000, seed=7)
    conv = train_linear_ar_conv(y, 3)
    phi = kernel_as_ar(conv)
    ols = sigconv.fit_ar(y, 3, method="ols").coef
    np.testing.assert_allclose(phi, ols, atol=0.02)
    np.testing.assert_allclose(phi, coef, atol=0.05)


def test_kernel_as_ar_flips_the_kernel():
    conv = Conv1d(1, 1, 4, bias=False, seed=0)
    phi = kernel_as_ar(conv)
    np.testing.assert_array_equal(phi, conv.weight[0, 0, ::-1])
    assert phi.dtype == np.float64
    # The layer's output is the AR prediction from the newest p values.
    x = np.random.default_rng(0).normal(size=50)
    out = conv(x[None, None, :])[0, 0]
    manual = [phi @ x[t::-1][:4] for t in range(3, 50)]
    np.testing.assert_allclose(out[3:], manual, rtol=1e-12, atol=1e-12)


def test_kernel_as_ar_float32_layer():
    conv = Conv1d(1, 1, 2, bias=False, seed=0, dtype=np.float32)
    assert kernel_as_ar(conv).dtype == np.float64


@pytest.mark.parametrize("layer, match", [
    (Conv1d(1, 1, 3, bias=True, seed=0), "a bias"),
    (Conv1d(2, 1, 3, bias=False, seed=0), "2 input and 1 output channels"),
    (Conv1d(1, 3, 3, bias=False, seed=0), "1 input and 3 output channels"),
    (Conv1d(1, 1, 3, dilation=2, bias=False, seed=0), "dilation 2"),
    (Conv1d(1, 1, 3, causal=False, bias=False, seed=0), "causal=False"),
])
def test_kernel_as_ar_rejects_other_layers(layer, match):
    with pytest.raises(ValueError, match=match):
        kernel_as_ar(layer)


def test_kernel_as_ar_rejects_non_conv():
    with pytest.raises(TypeError, match="layer must be a sigconv.nn.Conv1d; got ndarray"):
        kernel_as_ar(np.ones((1, 1, 3)))


# ---------------------------------------------------------------------- sunspots
def load_sunspots():
    sunspots = pytest.importorskip("statsmodels.datasets.sunspots")
    df = sunspots.load_pandas().data
    return pd.Series(df["SUNACTIVITY"].to_numpy(), index=df["YEAR"].astype(int),
                     name="sunspots")


def test_sunspots_rmse_within_ten_percent_of_ar():
    """Acceptance: out-of-sample RMSE over the last 20% at most 1.1 times the AR model's."""
    x = load_sunspots()
    n_test = round(0.2 * len(x))
    train, test = x.iloc[:-n_test], x.iloc[-n_test:]
    ar = sigconv.fit_ar(train).forecast(n_test)["mean"]
    model = ConvForecaster(**SUNSPOTS_CONFIG).fit(train)
    forecast = model.predict(n_test)
    pd.testing.assert_index_equal(forecast.index, test.index.astype(forecast.index.dtype))
    assert forecast.name == "sunspots"

    def rmse(f):
        return float(np.sqrt(np.mean((f.to_numpy() - test.to_numpy()) ** 2)))

    assert rmse(forecast) <= 1.1 * rmse(ar)


# ---------------------------------------------------------------------- fitting and forecasting
def test_forecasts_a_wave(wave):
    model = ConvForecaster(16, 4, channels=(8, 8), epochs=80, lr=1e-2, seed=0).fit(wave)
    truth = np.sin(2 * np.pi * np.arange(160, 168) / 16)
    assert np.abs(model.predict(8) - truth).max() < 0.2


def test_deterministic_for_a_seed(wave, fitted):
    again = ConvForecaster(16, 4, **SMALL).fit(wave)
    np.testing.assert_array_equal(again.predict(6), fitted.predict(6))
    other = ConvForecaster(16, 4, **{**SMALL, "seed": 1}).fit(wave)
    assert not np.array_equal(other.predict(6), fitted.predict(6))


def test_does_not_mutate_input(wave):
    y = wave.copy()
    ConvForecaster(16, 4, **SMALL).fit(y)
    np.testing.assert_array_equal(y, wave)


def test_recursive_forecasts_are_consistent(fitted):
    long = fitted.predict(12)
    assert long.shape == (12,) and long.dtype == np.float64
    np.testing.assert_array_equal(fitted.predict(5), long[:5])
    np.testing.assert_array_equal(fitted.predict(), long[:4])   # default h = horizon


def test_recursive_forecast_matches_manual_recursion(wave, fitted):
    """The forecast feeds each prediction back: rebuild it from the layers by hand."""
    z = list((wave - fitted.mean) / fitted.scale)
    for _ in range(6):
        hidden = fitted.tcn(np.array(z[-16:])[None, None, :])
        z.append(fitted.head(hidden[:, :, -1])[0, 0])
    manual = np.array(z[-6:]) * fitted.scale + fitted.mean
    np.testing.assert_allclose(fitted.predict(6), manual, rtol=1e-12, atol=1e-12)


def test_direct_strategy(wave):
    model = ConvForecaster(16, 4, strategy="direct", **SMALL).fit(wave)
    assert model.head.weight.shape[0] == 4
    block = model.predict(4)
    long = model.predict(10)        # blocks of 4 fed back
    np.testing.assert_array_equal(long[:4], block)
    z = (wave[-16:] - model.mean) / model.scale
    direct = model.head(model.tcn(z[None, None, :])[:, :, -1])[0]
    np.testing.assert_allclose(block, direct * model.scale + model.mean, rtol=1e-12)


def test_early_stopping_keeps_the_best_epoch(wave):
    model = ConvForecaster(16, 4, channels=(4,), epochs=300, patience=3, lr=5e-2,
                           seed=0).fit(wave)
    history = model.history
    assert list(history.columns) == ["train", "validation"]
    assert len(history) < 300
    assert history.index[0] == 1 and history.index.name == "epoch"
    assert model.best_epoch == int(history["validation"].idxmin())
    assert len(history) == model.best_epoch + 3


def test_without_validation_runs_every_epoch(wave):
    model = ConvForecaster(16, 4, validation_fraction=0, **SMALL).fit(wave)
    assert list(model.history.columns) == ["train"]
    assert len(model.history) == SMALL["epochs"] and model.best_epoch == SMALL["epochs"]


def test_float32(wave):
    model = ConvForecaster(16, 4, dtype=np.float32, **SMALL).fit(wave)
    assert model.predict(3).dtype == np.float32
    assert model.tcn.parameters()[0].value.dtype == np.float32


def test_progress_bar(wave, capsys):
    pytest.importorskip("tqdm")
    ConvForecaster(16, 4, progress=True, **SMALL).fit(wave)
    assert "ConvForecaster" in capsys.readouterr().err


def test_receptive_field():
    model = ConvForecaster(30, channels=(8, 8, 8), kernel_size=3)
    assert model.receptive_field == 1 + 2 * 2 * (1 + 2 + 4) == 29
    model = ConvForecaster(30, channels=(8, 8), kernel_size=5, dilations=(1, 3))
    assert model.receptive_field == 1 + 2 * 4 * 4


# ---------------------------------------------------------------------- quantiles
@pytest.fixture(scope="module")
def quantile_model(wave):
    y = pd.Series(wave, index=pd.date_range("2001-01-01", periods=wave.size, freq="D"),
                  name="level")
    return ConvForecaster(16, 4, quantiles=(0.1, 0.5, 0.9), strategy="direct",
                          **{**SMALL, "epochs": 40}).fit(y)


def test_quantile_table(quantile_model):
    table = quantile_model.predict(4)
    assert isinstance(table, pd.DataFrame)
    assert table.columns.tolist() == [0.1, 0.5, 0.9]
    assert table.index[0] == pd.Timestamp("2001-06-10") and table.index.freqstr == "D"
    assert (np.diff(table.to_numpy(), axis=1) >= 0).all()
    assert quantile_model.head.weight.shape[0] == 4 * 3


def test_quantile_numpy_output(wave):
    model = ConvForecaster(16, 3, quantiles=[0.25, 0.75], strategy="direct", **SMALL).fit(wave)
    out = model.predict(2)
    assert isinstance(out, np.ndarray) and out.shape == (2, 2)


def test_quantile_coverage_on_noise():
    """The pinball loss puts the 10% and 90% forecasts near the noise's quantiles."""
    y = np.random.default_rng(3).normal(size=1500)
    model = ConvForecaster(8, 1, channels=(4,), quantiles=(0.1, 0.9), strategy="direct",
                           epochs=60, lr=1e-2, seed=0).fit(y)
    low, high = model.predict(1)[0]
    z = (np.array([low, high]) - y.mean()) / y.std()
    np.testing.assert_allclose(z, [-1.2816, 1.2816], atol=0.35)


# ---------------------------------------------------------------------- pandas
def test_range_index_continued(wave):
    y = pd.Series(wave, index=pd.RangeIndex(100, 100 + 2 * wave.size, 2), name=("a", 1))
    out = ConvForecaster(16, 4, **SMALL).fit(y).predict(3)
    pd.testing.assert_index_equal(out.index, pd.RangeIndex(420, 426, 2))
    assert out.name == ("a", 1)


def test_datetime_index_extended_with_freq(wave):
    y = pd.Series(wave, index=pd.date_range("1990-01", periods=wave.size, freq="MS"),
                  name="monthly")
    out = ConvForecaster(16, 4, **SMALL).fit(y).predict(3)
    expected = pd.date_range("2003-05-01", periods=3, freq="MS")
    pd.testing.assert_index_equal(out.index, expected)
    assert out.index.freq == "MS" and out.name == "monthly"


def test_datetime_index_without_freq_attribute_is_inferred(wave):
    index = pd.DatetimeIndex(pd.date_range("2020-01-01", periods=wave.size, freq="h").to_list())
    assert index.freq is None
    out = ConvForecaster(16, 4, **SMALL).fit(pd.Series(wave, index=index)).predict(2)
    assert out.index[0] == index[-1] + pd.Timedelta(hours=1)


def test_period_and_numeric_index(wave):
    y = pd.Series(wave, index=pd.period_range("1800", periods=wave.size, freq="Y"))
    out = ConvForecaster(16, 4, **SMALL).fit(y).predict(2)
    pd.testing.assert_index_equal(out.index, pd.period_range("1960", periods=2, freq="Y"))
    y = pd.Series(wave, index=np.arange(1700, 1700 + wave.size))
    out = ConvForecaster(16, 4, **SMALL).fit(y).predict(2)
    assert out.index.tolist() == [1860, 1861]


def test_irregular_index_falls_back_to_positions(wave):
    index = pd.Index([f"s{i}" for i in range(wave.size)])
    out = ConvForecaster(16, 4, **SMALL).fit(pd.Series(wave, index=index)).predict(2)
    pd.testing.assert_index_equal(out.index, pd.RangeIndex(160, 162))


# ---------------------------------------------------------------------- save and load
@pytest.mark.parametrize("make", ["numpy", "series", "quantiles"])
def test_save_load_round_trip(tmp_path, wave, fitted, quantile_model, make):
    model = {"numpy": fitted, "quantiles": quantile_model}.get(make)
    if model is None:
        y = pd.Series(wave, index=pd.date_range("2001-01-01", periods=wave.size, freq="W-SUN",
                                                tz="Europe/Paris"), name="weekly")
        model = ConvForecaster(16, 4, **SMALL).fit(y)
    path = tmp_path / "model.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as data:    # no pickled objects inside
        meta = json.loads(str(data["meta"]))
        assert meta["params"]["lags"] == 16
    loaded = ConvForecaster.load(path)
    assert repr(loaded) == repr(model)
    a, b = model.predict(4), loaded.predict(4)
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(model.history, loaded.history)
    assert loaded.best_epoch == model.best_epoch


def test_save_keeps_the_path_as_given(tmp_path, fitted):
    fitted.save(tmp_path / "model.bin")
    assert (tmp_path / "model.bin").exists() and not (tmp_path / "model.bin.npz").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["model.bin"]    # no temporary left


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no saved ConvForecaster at"):
        ConvForecaster.load(tmp_path / "nothing.npz")


def test_load_corrupted_files(tmp_path, fitted):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip archive at all")
    with pytest.raises(ValueError, match="not a saved ConvForecaster \\(not an .npz archive\\)"):
        ConvForecaster.load(garbage)

    good = tmp_path / "good.npz"
    fitted.save(good)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:-200])
    with pytest.raises(ValueError, match="not|damaged"):
        ConvForecaster.load(truncated)

    other = tmp_path / "other.npz"
    np.savez(other, a=np.arange(3))
    with pytest.raises(ValueError, match="is not a readable saved ConvForecaster"):
        ConvForecaster.load(other)

    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, meta=np.array([{"format": "x"}], dtype=object))
    with pytest.raises(ValueError, match="is not a readable saved ConvForecaster"):
        ConvForecaster.load(pickled)


def rewrite(source, target, change):
    with np.load(source, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    change(arrays)
    np.savez(target, **arrays)


def test_load_rejects_other_formats_and_damage(tmp_path, fitted):
    good = tmp_path / "good.npz"
    fitted.save(good)

    def meta_with(**changes):
        def change(arrays):
            meta = json.loads(str(arrays["meta"]))
            meta.update(changes)
            arrays["meta"] = np.array(json.dumps(meta))
        return change

    cases = [
        (meta_with(format="sigconv.SongLibrary"), "is not a saved ConvForecaster"),
        (meta_with(version=99), "format version 99"),
        (lambda a: a.pop("weight:head.weight"), "weights do not match"),
        (lambda a: a.update({"weight:head.weight": np.ones((2, 2))}), "weights do not match"),
        (lambda a: a.update({"context": np.ones(3)}), "context"),
        (lambda a: a.pop("context"), "damaged"),
    ]
    for i, (change, match) in enumerate(cases):
        path = tmp_path / f"bad{i}.npz"
        rewrite(good, path, change)
        with pytest.raises(ValueError, match=match):
            ConvForecaster.load(path)
    assert zipfile.is_zipfile(good)


# ---------------------------------------------------------------------- errors
def test_errors_before_fit(tmp_path):
    model = ConvForecaster(4)
    with pytest.raises(ValueError, match=r"not fitted yet: call fit\(y\) before predict"):
        model.predict(3)
    with pytest.raises(ValueError, match=r"not fitted yet: call fit\(y\) before save"):
        model.save(tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()


def test_short_series():
    with pytest.raises(ValueError, match="at least lags \\+ horizon = 14 samples; got 13"):
        ConvForecaster(10, 4).fit(np.arange(13.0))
    with pytest.raises(ValueError, match="too short for validation_fraction=0.2"):
        ConvForecaster(10, 1).fit(np.random.default_rng(0).normal(size=12))
    with pytest.raises(ValueError, match="shorter than horizon=4"):
        ConvForecaster(4, 4, validation_fraction=0.05).fit(np.random.default_rng(0).normal(
            size=40))


@pytest.mark.parametrize("where", [0, 50, 99])
@pytest.mark.parametrize("container", ["numpy", "series"])
def test_nan_in_training_data(where, container, no_kernels):
    y = np.random.default_rng(0).normal(size=100)
    y[where] = np.nan
    if container == "series":
        y = pd.Series(y)
    with pytest.raises(ValueError, match=f"y contains NaN or inf \\(first at position {where}\\)"
                                         "; remove or fill the missing values"):
        ConvForecaster(8, 2).fit(y)


def test_inf_and_constant(no_kernels):
    y = np.ones(50)
    with pytest.raises(ValueError, match="y is constant"):
        ConvForecaster(8, 2).fit(y)
    y[3] = np.inf
    with pytest.raises(ValueError, match="NaN or inf"):
        ConvForecaster(8, 2).fit(y)


def test_bad_series_containers(no_kernels):
    with pytest.raises(ValueError, match="one series .* DataFrame with 2 columns"):
        ConvForecaster(4).fit(pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0)}))
    with pytest.raises(ValueError, match=r"one series .* shape \(2, 20\)"):
        ConvForecaster(4).fit(np.ones((2, 20)))
    with pytest.raises(TypeError, match="y must hold numbers"):
        ConvForecaster(4).fit(np.array(["a"] * 20))


def test_exogenous_not_supported(no_kernels):
    with pytest.raises(ValueError, match="X \\(exogenous regressors\\) is not supported yet"):
        ConvForecaster(4).fit(np.arange(20.0), X=np.arange(20.0))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lags": 0}, ValueError, "lags must be an integer >= 1; got 0"),
    ({"lags": 2.5}, ValueError, "lags must be an integer >= 1; got 2.5"),
    ({"lags": True}, ValueError, "lags must be an integer >= 1; got True"),
    ({"horizon": 0}, ValueError, "horizon must be an integer >= 1; got 0"),
    ({"horizon": -2}, ValueError, "horizon must be an integer >= 1; got -2"),
    ({"strategy": "multi"}, ValueError,
     "strategy must be one of 'recursive', 'direct'; got 'multi'"),
    ({"quantiles": (0.1, 0.9)}, ValueError, "quantiles need strategy='direct'"),
    ({"quantiles": (0.5, 1.0), "strategy": "direct"}, ValueError,
     r"each of quantiles must be a number in \(0, 1\); got 1.0"),
    ({"quantiles": (0.0,), "strategy": "direct"}, ValueError, r"in \(0, 1\); got 0.0"),
    ({"quantiles": (0.9, 0.1), "strategy": "direct"}, ValueError, "strictly increasing"),
    ({"quantiles": (0.5, 0.5), "strategy": "direct"}, ValueError, "strictly increasing"),
    ({"quantiles": (), "strategy": "direct"}, ValueError, "got \\(\\)"),
    ({"quantiles": ("a",), "strategy": "direct"}, ValueError, "each of quantiles"),
    ({"channels": ()}, ValueError, "at least one hidden layer"),
    ({"channels": (8, 0)}, ValueError, "each of channels must be an integer >= 1; got 0"),
    ({"channels": None}, TypeError, "channels must be a sequence"),
    ({"dilations": (1,)}, ValueError, "one entry per entry of channels \\(2\\); got 1"),
    ({"dilations": (1, 0)}, ValueError, "each of dilations must be an integer >= 1"),
    ({"kernel_size": 0}, ValueError, "kernel_size must be an integer >= 1"),
    ({"epochs": 0}, ValueError, "epochs must be an integer >= 1"),
    ({"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
    ({"lr": 0}, ValueError, r"lr must be a number in \(0, inf\)"),
    ({"validation_fraction": 1}, ValueError, r"validation_fraction must be a number in \[0, 1\)"),
    ({"patience": 0}, ValueError, "patience must be an integer >= 1"),
    ({"seed": -1}, ValueError, "seed must be an integer >= 0"),
    ({"progress": "yes"}, TypeError, "progress must be True or False"),
    ({"dtype": np.int64}, TypeError, "dtype must be float32 or float64"),
])
def test_invalid_options(kwargs, error, match):
    kwargs = {"lags": 4, **kwargs}
    with pytest.raises(error, match=match):
        ConvForecaster(**kwargs)


@pytest.mark.parametrize("h", [0, -1, 1.5, "3"])
def test_invalid_h(fitted, h):
    with pytest.raises(ValueError, match=f"h must be an integer >= 1; got {h!r}"):
        fitted.predict(h)


def test_quantile_h_beyond_horizon(quantile_model):
    with pytest.raises(ValueError, match="h must be at most horizon=4 for quantile forecasts"):
        quantile_model.predict(5)
