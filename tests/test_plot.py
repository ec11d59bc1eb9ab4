"""sigconv.plot: what is drawn is the input (line data, stems, bars, shaded bands,
markers), the pictures are labelled, the caller's Axes is used, pandas indexes are
the x axis, nothing calls show(), and bad input is refused naming the parameter.

kernel_response is tested through the pandas accessor (test_accessor.py)."""
import numpy as np
import pandas as pd
import pytest

from sigconv import ARIMA, Kernel, datasets, find_matches, fit_ar, kernels, ncc, plot
from sigconv.nn import Conv1d, ConvForecaster, kernel_as_ar

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import dates
from matplotlib.figure import Figure


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    """Every test fails if a plot function calls show(); figures are closed after."""
    def show(*args, **kwargs):
        raise AssertionError("a plot function called show()")

    monkeypatch.setattr(plt, "show", show)
    monkeypatch.setattr(Figure, "show", show)
    yield
    plt.close("all")


def given_axes():
    return Figure().add_subplot()


def labels_of(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def line(ax, label):
    (found,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return found


def band(collection):
    """{x: (lowest, highest)} of a fill_between polygon."""
    vertices = np.concatenate([p.vertices for p in collection.get_paths()])
    return {x: (vertices[vertices[:, 0] == x, 1].min(), vertices[vertices[:, 0] == x, 1].max())
            for x in np.unique(vertices[:, 0])}


def assert_band(collection, x, lower, upper):
    drawn = band(collection)
    np.testing.assert_allclose(sorted(drawn), np.sort(np.asarray(x, dtype=float)))
    for where, low, high in zip(np.asarray(x, dtype=float), lower, upper):
        np.testing.assert_allclose(drawn[where], (low, high), rtol=1e-12, atol=1e-12)


def monthly(n=60, name="sales"):
    t = np.arange(n)
    values = 10 + np.sin(2 * np.pi * t / 12) + 0.1 * t
    return pd.Series(values, index=pd.date_range("2001-01", periods=n, freq="MS"), name=name)


# ---------------------------------------------------------------------------- kernel_weights
def test_kernel_weights_stems_are_the_weights_at_their_lags():
    kernel = Kernel([1.0, 2.0, 3.0, 4.0], origin=1, name="ramp")
    ax = plot.kernel_weights(kernel)
    markers, stems, _ = ax.containers[0]
    np.testing.assert_array_equal(markers.get_xdata(), [-1, 0, 1, 2])
    np.testing.assert_array_equal(markers.get_ydata(), kernel.weights)
    for segment, lag, weight in zip(stems.get_segments(), kernel.lags, kernel.weights):
        np.testing.assert_array_equal(segment, [[lag, 0], [lag, weight]])
    assert ax.get_title() == "Weights of ramp"
    assert ax.get_xlabel() == "lag j (weight multiplies x[t - j])"
    assert ax.get_ylabel() == "weight"
    assert labels_of(ax) == ["ramp: 4 weights, sum 10"]
    np.testing.assert_array_equal(ax.get_xticks(), [-1, 0, 1, 2])


def test_kernel_weights_of_an_array_are_centred():
    ax = plot.kernel_weights(np.array([0.25, 0.5, 0.25]))
    markers = ax.containers[0][0]
    np.testing.assert_array_equal(markers.get_xdata(), [-1, 0, 1])
    np.testing.assert_array_equal(markers.get_ydata(), [0.25, 0.5, 0.25])
    assert ax.get_title() == "Weights of the kernel"


def test_kernel_weights_long_kernel_has_integer_lag_ticks():
    kernel = kernels.gaussian(20.0)
    ax = plot.kernel_weights(kernel)
    ax.figure.canvas.draw()
    ticks = ax.get_xticks()
    assert len(ticks) < 20
    np.testing.assert_array_equal(ticks, np.round(ticks))
    np.testing.assert_array_equal(ax.containers[0][0].get_ydata(), kernel.weights)


def test_kernel_weights_draws_into_the_given_axes():
    ax = given_axes()
    assert plot.kernel_weights(kernels.box(5), ax=ax) is ax
    assert len(ax.containers) == 1


@pytest.mark.parametrize("kernel, error, message", [
    (["a", "b"], TypeError, "kernel must be a Kernel or an array of real weights"),
    (np.ones((2, 2)), ValueError, r"kernel must be 1-D .* got shape \(2, 2\)"),
    ([], ValueError, "kernel must be 1-D with at least one weight"),
    ([1.0, np.nan], ValueError, "kernel weights must be finite"),
])
def test_kernel_weights_refuses_bad_kernels(kernel, error, message):
    with pytest.raises(error, match=message):
        plot.kernel_weights(kernel)


def test_kernel_weights_refuses_what_is_not_axes():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes; got Figure"):
        plot.kernel_weights(kernels.box(3), ax=Figure())


# ---------------------------------------------------------------------------- smoothed
def test_smoothed_draws_the_series_and_versions_against_the_dates():
    y = monthly()
    short = y.rolling(12).mean().dropna().rename("rolling mean")    # its own, later index
    same_length = y.ewm(span=6).mean().to_numpy()
    ax = plot.smoothed(y, short, same_length)
    raw, first, second = ax.get_lines()
    np.testing.assert_array_equal(raw.get_xdata(), y.index.to_numpy())
    np.testing.assert_array_equal(raw.get_ydata(), y.to_numpy())
    np.testing.assert_array_equal(first.get_xdata(), short.index.to_numpy())
    np.testing.assert_array_equal(first.get_ydata(), short.to_numpy())
    np.testing.assert_array_equal(second.get_xdata(), y.index.to_numpy())
    np.testing.assert_array_equal(second.get_ydata(), same_length)
    assert raw.get_linewidth() < first.get_linewidth()      # the series thin, versions thick
    assert labels_of(ax) == ["sales", "rolling mean", "smoothed"]
    assert ax.get_title() == "sales, smoothed"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("time", "sales")
    assert isinstance(ax.xaxis.get_major_formatter(), dates.ConciseDateFormatter)


def test_smoothed_keeps_a_year_index_and_numbers_unnamed_versions():
    years = pd.Index(np.arange(1950, 1990), name="year")
    y = pd.Series(np.random.default_rng(0).normal(size=40).cumsum(), index=years, name="level")
    a, b = y.rolling(3).mean(), y.rolling(7).mean()        # same name as y: unnamed
    ax = plot.smoothed(y, a, b, title="Level")
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), years.to_numpy())
    assert labels_of(ax) == ["level", "smoothed 1", "smoothed 2"]
    assert (ax.get_title(), ax.get_xlabel()) == ("Level", "year")
    ax.figure.canvas.draw()
    ticks = ax.get_xticks()
    np.testing.assert_array_equal(ticks, np.round(ticks))
    assert ax.xaxis.get_major_formatter().get_offset() == ""    # years, not +1.95e3


def test_smoothed_arrays_are_drawn_against_positions():
    x = np.array([1.0, 3.0, 2.0, np.nan, 5.0])
    ax = plot.smoothed(x, np.convolve(np.nan_to_num(x), np.ones(3) / 3, "same"),
                       labels=["box"])
    raw, box = ax.get_lines()
    np.testing.assert_array_equal(raw.get_xdata(), np.arange(5))
    np.testing.assert_array_equal(raw.get_ydata(), x)
    np.testing.assert_array_equal(box.get_xdata(), np.arange(5))
    assert labels_of(ax) == ["x", "box"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Smoothed series", "t", "value")


def test_smoothed_dataframe_columns_are_versions():
    y = monthly()
    frame = pd.DataFrame({"ma3": y.rolling(3).mean(), "ma6": y.rolling(6).mean()})
    ax = plot.smoothed(y, frame)
    assert labels_of(ax) == ["sales", "ma3", "ma6"]
    np.testing.assert_array_equal(ax.get_lines()[2].get_ydata(), frame["ma6"].to_numpy())
    ax = plot.smoothed(y, frame, labels=["three", "six"])
    assert labels_of(ax) == ["sales", "three", "six"]


def test_smoothed_draws_into_the_given_axes():
    ax = given_axes()
    assert plot.smoothed(np.arange(5.0), np.arange(5.0), ax=ax) is ax
    assert len(ax.get_lines()) == 2


@pytest.mark.parametrize("call, error, message", [
    (lambda: plot.smoothed(["a", "b"]), TypeError, "x must hold numbers"),
    (lambda: plot.smoothed(pd.Series(["a", "b"])), TypeError, "x must be numeric"),
    (lambda: plot.smoothed(np.ones(3) + 1j), TypeError, "x must hold real numbers"),
    (lambda: plot.smoothed(np.ones((2, 3))), ValueError, r"x must be one series, 1-D"),
    (lambda: plot.smoothed(pd.DataFrame({"a": [1.0], "b": [2.0]})), ValueError,
     "x must be one series; got a DataFrame with 2 columns"),
    (lambda: plot.smoothed(np.ones(4), np.ones(3)), ValueError,
     r"smoothed\[0\] has 3 values but x has 4"),
    (lambda: plot.smoothed(np.ones(4), np.ones(4), ["a"]), TypeError, "smoothed\\[1\\] must"),
    (lambda: plot.smoothed(monthly(), pd.Series(np.ones(60))), ValueError,
     r"smoothed\[0\]'s index \(RangeIndex\) cannot share the x axis of x's \(DatetimeIndex\)"),
    (lambda: plot.smoothed(np.ones(4), np.ones(4), labels=["a", "b"]), ValueError,
     r"labels must have one label per smoothed series \(1\); got 2"),
    (lambda: plot.smoothed(np.ones(4), np.ones(4), labels="a"), TypeError,
     "labels must be a sequence of strings"),
    (lambda: plot.smoothed(np.ones(4), ax="axes"), TypeError, "ax must be a matplotlib Axes"),
])
def test_smoothed_refuses_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------------- forecast
def test_forecast_draws_history_mean_and_intervals_on_one_time_axis():
    y = np.log(datasets.airpassengers())
    table = fit_ar(y, 13).forecast(12)
    ax = plot.forecast(y, table, last=36)
    observed, mean = line(ax, "observed"), line(ax, "forecast")
    np.testing.assert_array_equal(observed.get_xdata(), y.index[-36:].to_numpy())
    np.testing.assert_array_equal(observed.get_ydata(), y.to_numpy()[-36:])
    # The forecast starts at the last observation and runs on at the forecast dates.
    joined = y.index[-1:].append(table.index)
    np.testing.assert_array_equal(mean.get_xdata(), joined.to_numpy())
    np.testing.assert_array_equal(mean.get_ydata(), np.r_[y.iloc[-1], table["mean"]])
    assert [c.get_label() for c in ax.collections] == ["95% interval", "80% interval"]
    for collection, level in zip(ax.collections, (95, 80)):
        assert_band(collection, dates.date2num(joined),
                    np.r_[y.iloc[-1], table[f"lower_{level}"]],
                    np.r_[y.iloc[-1], table[f"upper_{level}"]])
    assert labels_of(ax) == ["observed", "forecast", "95% interval", "80% interval"]
    assert ax.get_title() == "Forecast of airpassengers"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("time", "airpassengers")
    assert isinstance(ax.xaxis.get_major_formatter(), dates.ConciseDateFormatter)
    low, high = ax.get_xlim()
    assert low <= dates.date2num(y.index[-36]) and high >= dates.date2num(table.index[-1])


def test_forecast_of_an_arima_table():
    y = monthly(name=None)
    table = ARIMA((1, 1, 0)).fit(y).forecast(6, level=(50, 90))
    ax = plot.forecast(y, table, title="ARIMA")
    assert [c.get_label() for c in ax.collections] == ["90% interval", "50% interval"]
    np.testing.assert_array_equal(line(ax, "forecast").get_ydata()[1:], table["mean"])
    assert (ax.get_title(), ax.get_ylabel()) == ("ARIMA", "value")


def test_forecast_periods_are_drawn_as_their_start_dates():
    index = pd.period_range("2000Q1", periods=24, freq="Q")
    y = pd.Series(np.random.default_rng(2).normal(size=24).cumsum(), index=index, name="gdp")
    table = fit_ar(y, 1).forecast(4)
    ax = plot.forecast(y, table)
    np.testing.assert_array_equal(line(ax, "observed").get_xdata(),
                                  index.to_timestamp().to_numpy())
    joined = index[-1:].append(table.index).to_timestamp()
    np.testing.assert_array_equal(line(ax, "forecast").get_xdata(), joined.to_numpy())
    assert_band(ax.collections[1], dates.date2num(joined), np.r_[y.iloc[-1], table["lower_80"]],
                np.r_[y.iloc[-1], table["upper_80"]])


def test_forecast_array_continues_a_year_index():
    years = pd.Index(np.arange(1950, 1970), name="year")
    y = pd.Series(np.arange(20.0), index=years, name="level")
    ax = plot.forecast(y, np.array([20.0, 21.0, 22.0]))
    mean = line(ax, "forecast")
    np.testing.assert_array_equal(mean.get_xdata(), [1969, 1970, 1971, 1972])
    np.testing.assert_array_equal(mean.get_ydata(), [19.0, 20.0, 21.0, 22.0])
    assert len(ax.collections) == 0
    assert ax.get_xlabel() == "year"


def test_forecast_arrays_are_drawn_at_positions_and_series_at_their_index():
    ax = plot.forecast(np.array([1.0, 2.0, 3.0]), [4.0, 5.0])
    np.testing.assert_array_equal(line(ax, "observed").get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(line(ax, "forecast").get_xdata(), [2, 3, 4])
    assert ax.get_title() == "Forecast"
    point = pd.Series([4.0, 5.0], index=pd.RangeIndex(10, 12))
    ax = plot.forecast(np.array([1.0, 2.0, 3.0]), point)
    np.testing.assert_array_equal(line(ax, "forecast").get_xdata(), [2, 10, 11])


def test_forecast_quantile_table_shades_symmetric_pairs():
    y = monthly()
    index = pd.date_range(y.index[-1], periods=4, freq="MS")[1:]
    quantiles = pd.DataFrame({0.1: [1.0, 2.0, 3.0], 0.25: [2.0, 3.0, 4.0],
                              0.5: [3.0, 4.0, 5.0], 0.75: [4.0, 5.0, 6.0],
                              0.9: [5.0, 6.0, 7.0]}, index=index)
    ax = plot.forecast(y, quantiles)
    median = line(ax, "forecast (median)")
    np.testing.assert_array_equal(median.get_ydata(), np.r_[y.iloc[-1], quantiles[0.5]])
    assert [c.get_label() for c in ax.collections] == ["80% interval", "50% interval"]
    x = dates.date2num(y.index[-1:].append(index))
    assert_band(ax.collections[0], x, np.r_[y.iloc[-1], quantiles[0.1]],
                np.r_[y.iloc[-1], quantiles[0.9]])
    assert_band(ax.collections[1], x, np.r_[y.iloc[-1], quantiles[0.25]],
                np.r_[y.iloc[-1], quantiles[0.75]])
    # Without a median, and with a pair that is not symmetric: no line, plain labels.
    ax = plot.forecast(y, quantiles[[0.1, 0.75]])
    assert [ln.get_label() for ln in ax.get_lines()] == ["observed"]
    assert [c.get_label() for c in ax.collections] == ["0.1 to 0.75 quantiles"]


def test_forecast_of_a_conv_forecaster():
    y = monthly(48)
    model = ConvForecaster(6, 3, channels=(4,), quantiles=(0.1, 0.5, 0.9), strategy="direct",
                           epochs=2, validation_fraction=0, seed=0).fit(y)
    predicted = model.predict(3)
    ax = plot.forecast(y, predicted)
    np.testing.assert_allclose(line(ax, "forecast (median)").get_ydata()[1:], predicted[0.5])
    assert [c.get_label() for c in ax.collections] == ["80% interval"]


def test_forecast_draws_into_the_given_axes():
    ax = given_axes()
    assert plot.forecast(np.arange(5.0), np.arange(2.0), ax=ax) is ax
    assert len(ax.get_lines()) == 2


@pytest.mark.parametrize("forecast, error, message", [
    (pd.DataFrame({"point": [1.0, 2.0]}, index=pd.RangeIndex(5, 7)), ValueError,
     r"forecast must be a forecast table with a 'mean' column .* columns \['point'\]"),
    (pd.DataFrame({"mean": [1.0], "lower_80": [0.0]}, index=pd.RangeIndex(5, 6)), ValueError,
     "forecast has a 'lower_80' column but no 'upper_80'"),
    (pd.DataFrame({"mean": ["a"]}, index=pd.RangeIndex(5, 6)), TypeError,
     "forecast column 'mean' must be numeric"),
    (np.ones((3, 2)), ValueError, "forecast as a 2-D array has no quantile levels"),
    (["a", "b"], TypeError, "forecast must hold numbers"),
    (pd.Series([1.0], index=pd.date_range("2020", periods=1)), ValueError,
     r"forecast's index \(DatetimeIndex\) cannot share the x axis of history's \(positions\)"),
])
def test_forecast_refuses_bad_forecasts(forecast, error, message):
    with pytest.raises(error, match=message):
        plot.forecast(np.arange(5.0), forecast)


def test_forecast_refuses_bad_history_and_options():
    with pytest.raises(TypeError, match="history must hold numbers"):
        plot.forecast(["a", "b"], [1.0])
    with pytest.raises(ValueError, match="last must be an integer >= 1; got 0"):
        plot.forecast(np.arange(5.0), [1.0], last=0)
    with pytest.raises(ValueError, match=r"forecast's index \(RangeIndex\) cannot share"):
        plot.forecast(monthly(), pd.Series([1.0, 2.0]))


# ---------------------------------------------------------------------------- match_scores
def planted(n=1500, starts=(200, 900)):
    shape = np.sin(np.linspace(0, 3 * np.pi, 40))
    x = np.random.default_rng(1).normal(size=n)
    for start in starts:
        x[start:start + 40] += 4 * shape
    return x, shape


def test_match_scores_marks_the_matches_on_the_scores():
    x, shape = planted()
    scores = ncc(x, shape)
    matches = find_matches(x, shape, threshold=0.8)
    ax = plot.match_scores(scores, matches)
    curve = line(ax, "score")
    np.testing.assert_array_equal(curve.get_xdata(), np.arange(scores.size))
    np.testing.assert_array_equal(curve.get_ydata(), scores)
    marked = line(ax, "2 matches")
    np.testing.assert_array_equal(marked.get_xdata(), matches["start"])
    np.testing.assert_allclose(marked.get_ydata(), matches["score"], rtol=1e-12)
    threshold = matches.attrs["threshold"]
    np.testing.assert_array_equal(line(ax, f"threshold {threshold:.3g}").get_ydata(),
                                  [threshold, threshold])
    assert [t.get_text() for t in ax.texts] == ["1", "2"]          # ranks, best first
    assert labels_of(ax) == ["score", "2 matches", f"threshold {threshold:.3g}"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == \
        ("Template match scores", "window start", "score")


def test_match_scores_with_dates_and_only_k():
    x, shape = planted()
    index = pd.date_range("2024-01-01", periods=x.size, freq="h", name="hour")
    series = pd.Series(x, index=index)
    scores = ncc(series, shape)
    matches = find_matches(series, shape, k=3)
    ax = plot.match_scores(scores, matches, title="Heartbeats")
    np.testing.assert_array_equal(line(ax, "score").get_xdata(), scores.index.to_numpy())
    np.testing.assert_array_equal(line(ax, "3 matches").get_xdata(),
                                  index[matches["start"]].to_numpy())
    assert not any(label.startswith("threshold") for label in labels_of(ax))   # NaN: none
    assert (ax.get_title(), ax.get_xlabel()) == ("Heartbeats", "window start (hour)")


def test_match_scores_without_matches_and_given_axes():
    ax = given_axes()
    scores = np.array([0.1, 0.9, np.nan, -0.2])
    assert plot.match_scores(scores, ax=ax) is ax
    (curve,) = ax.get_lines()
    np.testing.assert_array_equal(curve.get_ydata(), scores)
    none = pd.DataFrame({"start": np.array([], dtype=np.int64), "score": np.array([])})
    ax = plot.match_scores(scores, none)
    assert labels_of(ax) == ["score", "0 matches"]


@pytest.mark.parametrize("scores, matches, error, message", [
    (["a", "b"], None, TypeError, "scores must hold numbers"),
    (np.ones((2, 5)), None, ValueError, "scores must be one series, 1-D"),
    (np.ones(5), [1, 2], TypeError, "matches must be the DataFrame of find_matches"),
    (np.ones(5), pd.DataFrame({"begin": [1]}), ValueError,
     r"matches must have a 'start' column .* got columns \['begin'\]"),
    (np.ones(5), pd.DataFrame({"start": [1.5]}), TypeError,
     "matches 'start' must hold integer positions"),
    (np.ones(5), pd.DataFrame({"start": [2, 5]}), ValueError,
     "matches start 5 is outside the 5 scores"),
])
def test_match_scores_refuses_bad_input(scores, matches, error, message):
    with pytest.raises(error, match=message):
        plot.match_scores(scores, matches)


# ---------------------------------------------------------------------------- learned_kernel
def causal_conv(weights):
    conv = Conv1d(1, 1, len(weights), bias=False, seed=0)
    conv.weight[0, 0] = weights
    return conv


def bar_centres(container):
    return [bar.get_x() + bar.get_width() / 2 for bar in container]


def test_learned_kernel_bars_are_the_coefficients_lag_by_lag():
    conv = causal_conv([0.1, -0.3, 0.5])
    fit = fit_ar(fit_ar(np.random.default_rng(0).normal(size=300), 3).simulate(400, seed=1), 3)
    ax = plot.learned_kernel(conv, fit)
    learned, ar = ax.containers
    np.testing.assert_array_equal([b.get_height() for b in learned], kernel_as_ar(conv))
    np.testing.assert_array_equal([b.get_height() for b in ar], fit.coef)
    np.testing.assert_allclose(bar_centres(learned), [0.8, 1.8, 2.8])
    np.testing.assert_allclose(bar_centres(ar), [1.2, 2.2, 3.2])
    assert labels_of(ax) == ["learned convolution", "AR(3), yule_walker"]
    np.testing.assert_array_equal(ax.get_xticks(), [1, 2, 3])
    assert ax.get_title() == "Learned kernel against the AR fit"
    assert ax.get_xlabel() == "lag j"
    assert "AR coefficient" in ax.get_ylabel()


def test_learned_kernel_orders_may_differ():
    ax = plot.learned_kernel([0.5, 0.2, 0.1, -0.1, 0.05], np.array([0.6, 0.1]),
                             labels=["TCN", "Burg"])
    learned, ar = ax.containers
    assert (len(learned), len(ar)) == (5, 2)
    np.testing.assert_array_equal([b.get_height() for b in ar], [0.6, 0.1])
    np.testing.assert_allclose(bar_centres(ar), [1.2, 2.2])
    np.testing.assert_array_equal(ax.get_xticks(), [1, 2, 3, 4, 5])
    assert labels_of(ax) == ["TCN", "Burg"]
    ax = plot.learned_kernel([], [0.6, 0.1])           # an AR(0) on one side
    assert [len(c) for c in ax.containers] == [0, 2]
    assert labels_of(ax) == ["learned convolution", "AR(2)"]


def test_learned_kernel_alone_and_given_axes():
    ax = given_axes()
    assert plot.learned_kernel(causal_conv([0.2, 0.7]), None, ax=ax) is ax
    (learned,) = ax.containers
    np.testing.assert_allclose(bar_centres(learned), [1.0, 2.0])
    np.testing.assert_array_equal([b.get_height() for b in learned], [0.7, 0.2])
    assert ax.get_title() == "Learned kernel as AR coefficients"


@pytest.mark.parametrize("learned, ar, kwargs, error, message", [
    (kernels.box(3), [0.5], {}, TypeError, "learned must be AR coefficients .* got a Kernel"),
    (["a"], [0.5], {}, TypeError, "learned must be AR coefficients"),
    ([0.5], np.ones((2, 2)), {}, ValueError, r"ar coefficients must be 1-D .* shape \(2, 2\)"),
    ([0.5], [np.nan], {}, ValueError, "ar coefficients must be finite"),
    (Conv1d(1, 1, 3, seed=0), [0.5], {}, ValueError, "learned is no AR model: .*a bias"),
    ([], [], {}, ValueError, "learned and ar are both of order 0"),
    ([0.5], [0.5], {"labels": ["one"]}, ValueError,
     r"labels must have one label per model \(2\); got 1"),
    ([0.5], [0.5], {"labels": "ab"}, TypeError, "labels must be a sequence of strings"),
    ([0.5], [0.5], {"ax": 3}, TypeError, "ax must be a matplotlib Axes; got int"),
])
def test_learned_kernel_refuses_bad_input(learned, ar, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot.learned_kernel(learned, ar, **kwargs)


# ---------------------------------------------------------------------------- all of them
@pytest.mark.parametrize("draw", [
    lambda: plot.kernel_weights(kernels.box(3)),
    lambda: plot.smoothed(np.arange(4.0), np.arange(4.0)),
    lambda: plot.forecast(np.arange(4.0), [4.0]),
    lambda: plot.match_scores(np.array([0.1, 0.5])),
    lambda: plot.learned_kernel([0.5], [0.4]),
], ids=["kernel_weights", "smoothed", "forecast", "match_scores", "learned_kernel"])
def test_a_new_figure_is_made_and_rendered_without_show(draw):
    ax = draw()
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None
    ax.figure.canvas.draw()        # renders (Agg) without errors or show()
