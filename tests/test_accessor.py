"""The ``.sigconv`` pandas accessor (``sigconv/pandas.py``) and ``Kernel.from_spec``.

Every accessor method is one call of a public function, so each check runs
the method and that function on the same input and asserts identical
results: values, index (with its frequency), name and columns.  Where the
accessor adds something of its own (a text kernel spec, per-column loops for
``find_matches`` and ``lag``), the reference is an independent computation:
scipy or pandas, or the public function applied column by column.  The
arithmetic itself is tested against scipy, pandas and statsmodels in the
modules' own test files.
"""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import ndimage

import sigconv
from sigconv import Kernel, kernels

REPO = Path(__file__).resolve().parents[1]
N = 72


def months(n=N):
    return pd.date_range("2018-01-01", periods=n, freq="MS", name="month")


def series(n=N, seed=0, dtype=np.float64, name="sales"):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 10 + 0.05 * t + np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.3, n).cumsum() * 0.2
    return pd.Series(values.astype(dtype), index=months(n), name=name)


def frame(n=N, dtype=np.float64):
    columns = pd.Index(["north", "south", "east"], name="store")
    return pd.DataFrame({c: series(n, seed=i + 1, dtype=dtype).to_numpy()
                         for i, c in enumerate(columns)}, index=months(n), columns=columns)


def assert_same(result, expected):
    """Identical pandas objects: values bit for bit, dtype, index (freq too), names."""
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(result, expected, check_exact=True, check_freq=True)
    else:
        pd.testing.assert_frame_equal(result, expected, check_exact=True, check_freq=True)


TEMPLATE = np.sin(np.linspace(0, 2 * np.pi, 12))

# (id, accessor call, the public function's call): outputs the same length as x.
SAME_LENGTH = [
    ("convolve-same", lambda a: a.convolve([0.25, 0.5, 0.25]),
     lambda x: sigconv.convolve(x, [0.25, 0.5, 0.25], "same")),
    ("convolve-causal-spec", lambda a: a.convolve("ema:0.3,6", mode="causal"),
     lambda x: sigconv.convolve(x, kernels.exponential(0.3, 6), "causal")),
    ("convolve-kwargs", lambda a: a.convolve(kernels.box(5), boundary="constant", cval=np.nan,
                                             nan="ignore", method="fft"),
     lambda x: sigconv.convolve(x, kernels.box(5), "same", boundary="constant", cval=np.nan,
                                nan="ignore", method="fft")),
    ("smooth-spec", lambda a: a.smooth("gaussian:2"),
     lambda x: sigconv.gaussian_smooth(x, 2.0)),
    ("smooth-kernel", lambda a: a.smooth(kernels.henderson(13)),
     lambda x: sigconv.convolve(x, kernels.henderson(13), "same", boundary="reflect")),
    ("smooth-weights", lambda a: a.smooth(np.array([1.0, 2.0, 1.0]) / 4, boundary="nearest"),
     lambda x: sigconv.convolve(x, np.array([1.0, 2.0, 1.0]) / 4, "same",
                                boundary="nearest")),
    ("ema-alpha", lambda a: a.ema(0.3), lambda x: sigconv.ema(x, 0.3)),
    ("ema-span", lambda a: a.ema(span=6, adjust=False),
     lambda x: sigconv.ema(x, span=6, adjust=False)),
]
SAME_IDS = [c[0] for c in SAME_LENGTH]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_IDS)
def test_series_filters_are_the_public_functions(case, dtype):
    _, method, function = case
    s = series(dtype=dtype)
    before = s.copy()
    result = method(s.sigconv)
    assert_same(result, function(s))
    pd.testing.assert_index_equal(result.index, s.index)
    assert result.index.freq == s.index.freq
    assert result.name == "sales"
    assert result.dtype == dtype
    assert_same(s, before)          # the input is not touched


@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_IDS)
def test_frame_filters_are_the_public_functions_per_column(case):
    _, method, function = case
    df = frame()
    result = method(df.sigconv)
    assert_same(result, function(df))
    per_column = pd.DataFrame({c: function(df[c]) for c in df.columns}, columns=df.columns)
    assert_same(result, per_column)


def test_smooth_spec_against_scipy_and_pandas():
    s = series()
    np.testing.assert_allclose(s.sigconv.smooth("gaussian:2").to_numpy(),
                               ndimage.gaussian_filter1d(s.to_numpy(), 2.0, mode="reflect"),
                               rtol=1e-13)
    rolling = s.rolling(5, center=True, min_periods=1).mean()
    pd.testing.assert_series_equal(
        s.sigconv.smooth("ma:5", boundary="constant", cval=np.nan, nan="ignore"), rolling,
        check_exact=False, rtol=1e-13)


def test_convolve_full_mode_labels_positions():
    s = series()
    result = s.sigconv.convolve([1.0, 1.0, 1.0], mode="full")
    assert_same(result, sigconv.convolve(s, [1.0, 1.0, 1.0], "full"))
    assert list(result.index[:2]) == [-1, 0]


@pytest.mark.parametrize("make", [series, frame], ids=["series", "frame"])
def test_ncc_labels_windows_by_their_first_label(make):
    x = make()
    result = x.sigconv.ncc(TEMPLATE)
    assert_same(result, sigconv.ncc(x, TEMPLATE))
    pd.testing.assert_index_equal(result.index, x.index[:N - TEMPLATE.size + 1])
    assert result.index.freq == x.index.freq


@pytest.mark.parametrize("make", [series, frame], ids=["series", "frame"])
def test_decompose(make):
    x = make()
    result = x.sigconv.decompose()            # the period from the monthly index
    expected = sigconv.decompose(x, 12)
    assert result.period == 12
    for part in ("observed", "trend", "seasonal", "resid"):
        assert_same(getattr(result, part), getattr(expected, part))
    assert_same(result.to_frame(), expected.to_frame())
    multiplicative = x.sigconv.decompose(12, "multiplicative", extrapolate_trend="period")
    assert_same(multiplicative.trend,
                sigconv.decompose(x, 12, "multiplicative", extrapolate_trend="period").trend)


def test_fit_ar_series():
    s = series()
    result = s.sigconv.fit_ar(2, method="burg")
    expected = sigconv.fit_ar(s, 2, method="burg")
    assert_same(result.params, expected.params)
    assert result.params.name == "sales"
    assert_same(result.residuals, expected.residuals)
    forecast = result.forecast(6)
    assert_same(forecast, expected.forecast(6))
    assert forecast.index.freqstr == "MS"
    assert forecast.index[0] == s.index[-1] + pd.offsets.MonthBegin()
    assert s.sigconv.fit_ar(max_order=4).order == sigconv.fit_ar(s, max_order=4).order


def test_fit_ar_frame_is_the_panel_table():
    df = frame()
    panel = df.sigconv.fit_ar(2, method="ols")
    assert isinstance(panel, sigconv.ARPanelResult)
    assert_same(panel.params, sigconv.fit_ar(df, 2, method="ols").params)
    assert list(panel.params.index) == list(df.columns)
    for column in df.columns:
        np.testing.assert_allclose(panel.params.loc[column].to_numpy(),
                                   sigconv.fit_ar(df[column], 2, method="ols").params.to_numpy(),
                                   rtol=1e-12)
    assert panel["south"].forecast(3).index.freqstr == "MS"


def test_arima_series_and_frame():
    s = series()
    result = s.sigconv.arima((1, 1, 0), method="css")
    expected = sigconv.arima.arima(s, (1, 1, 0), method="css")
    assert_same(result.params, expected.params)
    assert result.params.name == "sales"
    forecast = result.forecast(4)
    assert_same(forecast, expected.forecast(4))
    assert forecast.index.freqstr == "MS"
    assert forecast.index[0] == pd.Timestamp("2024-01-01")
    df = frame()
    panel = df.sigconv.arima((1, 0, 0), trend="c")
    assert isinstance(panel, sigconv.ARIMAPanelResult)
    assert_same(panel.params, sigconv.ARIMA((1, 0, 0), trend="c").fit(df).params)
    assert_same(panel.forecast(2), sigconv.arima.arima(df, (1, 0, 0), trend="c").forecast(2))


def test_arima_seasonal_order_on_airpassengers():
    y = np.log(sigconv.datasets.airpassengers())
    result = y.sigconv.arima((0, 1, 1), (0, 1, 1, 12), method="css")
    assert_same(result.params, sigconv.arima.arima(y, (0, 1, 1), (0, 1, 1, 12),
                                                   method="css").params)
    assert list(result.params.index) == ["ma.L1", "ma.S.L12", "sigma2"]


def planted(n=300, starts=(40, 150, 230), columns=None, seed=3):
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 0.2, n)
    for start in starts:
        values[start:start + TEMPLATE.size] += 3 * TEMPLATE
    index = pd.date_range("2024-01-01", periods=n, freq="h", name="time")
    return pd.Series(values, index=index, name="signal")


def test_find_matches_series():
    s = planted()
    result = s.sigconv.find_matches(TEMPLATE, k=3)
    expected = sigconv.find_matches(s, TEMPLATE, k=3)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)
    assert sorted(result["start"]) == [40, 150, 230]
    assert list(result["time"]) == list(s.index[result["start"]])
    assert result.attrs == expected.attrs


def test_find_matches_frame_stacks_each_columns_table():
    df = pd.DataFrame({"a": planted(starts=(40, 150)).to_numpy(),
                       "b": planted(starts=(230,), seed=4).to_numpy()},
                      index=planted().index)
    result = df.sigconv.find_matches(TEMPLATE, threshold=0.9)
    expected = pd.concat({c: sigconv.find_matches(df[c], TEMPLATE, threshold=0.9)
                          for c in df.columns}, names=["column", None])
    pd.testing.assert_frame_equal(result, expected, check_exact=True)
    assert sorted(result.loc["a", "start"]) == [40, 150]
    assert list(result.loc["b", "start"]) == [230]
    assert result.attrs["threshold"] == {"a": 0.9, "b": 0.9}


def test_lag_series_and_frame():
    rng = np.random.default_rng(5)
    x = rng.normal(size=400)
    s = pd.Series(x, index=pd.date_range("2024-01-01", periods=400, freq="min"), name="x")
    delayed = pd.Series(np.r_[np.zeros(9), x[:-9]], index=s.index, name="y")
    assert s.sigconv.lag(delayed) == sigconv.lag(s, delayed)
    assert s.sigconv.lag(delayed, max_lag=20, method="phat") == \
        sigconv.lag(s, delayed, 20, method="phat")
    assert abs(s.sigconv.lag(delayed) - 9.0) < 0.01   # refined by a parabola: near 9
    df = pd.DataFrame({"first": x, "second": np.r_[np.zeros(4), x[:-4]]}, index=s.index)
    result = df.sigconv.lag(delayed)
    expected = pd.Series([sigconv.lag(df[c], delayed) for c in df.columns], index=df.columns,
                         name="lag")
    pd.testing.assert_series_equal(result, expected, check_exact=True)
    np.testing.assert_allclose(result.to_numpy(), [9.0, 5.0], atol=0.01)


@pytest.mark.parametrize("make", [series, frame], ids=["series", "frame"])
def test_plot_kernel_response_is_the_plot_function(make):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sigconv.plot import kernel_response

    x = make()
    try:
        ax = x.sigconv.plot_kernel_response("ma:12", fs=12)
        reference = kernel_response(kernels.box(12), x, fs=12)
        assert isinstance(ax, matplotlib.axes.Axes)
        lines, expected = ax.get_lines(), reference.get_lines()
        assert [line.get_label() for line in lines] == [line.get_label() for line in expected]
        for line, other in zip(lines, expected, strict=True):
            np.testing.assert_array_equal(line.get_xydata(), other.get_xydata())
        labels = [line.get_label() for line in lines]
        names = ["sales"] if isinstance(x, pd.Series) else list(x.columns)
        assert labels == ["gain of box(12)"] + [s for n in names for s in (n, f"{n}, filtered")]
        assert ax.get_xlabel() == "frequency (cycles per unit time, fs = 12)"
        assert ax.get_title() == "Frequency response of box(12)"
        # The gain is 0 at 1, 2, ... cycles per year: the box(12) kills the seasonality.
        gain = lines[0].get_ydata()[np.isclose(lines[0].get_xdata(), 1.0)]
        np.testing.assert_allclose(gain, 0.0, atol=1e-12)
    finally:
        plt.close("all")


# ---------------------------------------------------------------------------
# groupby: per group through the accessor, and the wide-frame fast path

def long_frame(n=48):
    parts = []
    for i, key in enumerate(["a", "b", "c"]):
        s = series(n, seed=10 + i)
        parts.append(pd.DataFrame({"id": key, "y": s.to_numpy()}, index=s.index))
    return pd.concat(parts)


def test_groupby_apply_smooth_keeps_group_and_time_labels():
    df = long_frame()
    result = df.groupby("id")["y"].apply(lambda s: s.sigconv.smooth("gaussian:2"))
    expected = pd.concat({key: sigconv.gaussian_smooth(group, 2.0)
                          for key, group in df.groupby("id")["y"]}, names=["id", "month"])
    pd.testing.assert_series_equal(result, expected, check_exact=True)
    assert result.name == "y"


def test_groupby_transform_keeps_the_original_index():
    df = long_frame()
    result = df.groupby("id")["y"].transform(lambda s: s.sigconv.ema(span=4))
    pd.testing.assert_index_equal(result.index, df.index)
    for key in ("a", "b", "c"):
        rows = (df["id"] == key).to_numpy()
        np.testing.assert_array_equal(result[rows].to_numpy(),
                                      sigconv.ema(df.loc[rows, "y"], span=4).to_numpy())


def test_groupby_fits_equal_the_wide_frame_fast_path():
    df = long_frame()
    by_group = df.groupby("id")["y"].apply(lambda s: s.sigconv.fit_ar(2).params).unstack()
    wide = df.reset_index().pivot(index="month", columns="id", values="y")
    fast = wide.sigconv.fit_ar(2).params
    assert_same(fast, sigconv.fit_ar(wide, 2).params)
    np.testing.assert_allclose(by_group.loc[fast.index, fast.columns].to_numpy(),
                               fast.to_numpy(), rtol=1e-12)
    arima_by_group = df.groupby("id")["y"].apply(
        lambda s: s.sigconv.arima((1, 0, 0), method="css").params).unstack()
    arima_fast = wide.sigconv.arima((1, 0, 0), method="css").params
    np.testing.assert_allclose(arima_by_group.loc[arima_fast.index, arima_fast.columns],
                               arima_fast.to_numpy(), rtol=1e-10)


def test_groupby_forecasts_continue_each_groups_dates():
    df = long_frame()
    tables = df.groupby("id")["y"].apply(lambda s: s.sigconv.fit_ar(1).forecast(2))
    assert list(tables.index.get_level_values(1).unique()) == [pd.Timestamp("2022-01-01"),
                                                               pd.Timestamp("2022-02-01")]


# ---------------------------------------------------------------------------
# bad input: the public functions' errors, naming the column or the choices

@pytest.mark.parametrize("call", [
    lambda a: a.smooth("ma:3"),
    lambda a: a.ema(0.5),
    lambda a: a.fit_ar(1),
    lambda a: a.arima((1, 0, 0)),
    lambda a: a.ncc(TEMPLATE),
    lambda a: a.find_matches(TEMPLATE, k=1),
    lambda a: a.lag(np.arange(N, dtype=float)),
], ids=["smooth", "ema", "fit_ar", "arima", "ncc", "find_matches", "lag"])
def test_non_numeric_column_is_named(call):
    df = frame().assign(label="shop")
    with pytest.raises(TypeError, match=r"column 'label' is not numeric \(dtype "):
        call(df.sigconv)


def test_non_numeric_series():
    with pytest.raises(TypeError, match=r"x must be numeric; got a Series of dtype"):
        pd.Series(list("abc")).sigconv.smooth("ma:3")


def test_unknown_spec_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"^kernel name must be one of 'box', 'ma', "
                                         r"'triangular', 'gaussian', .*'lowpass'; got 'gauss'"):
        series().sigconv.smooth("gauss:3")


def test_spec_with_wrong_arguments_shows_the_form():
    with pytest.raises(ValueError, match=r"^kernel spec 'gaussian:1,2,3' does not fit "
                                         r"'gaussian:sigma\[,truncate\]'"):
        series().sigconv.smooth("gaussian:1,2,3")
    with pytest.raises(ValueError, match=r"^kernel spec 'ema:0.3' does not fit 'ema:alpha,n'"):
        frame().sigconv.convolve("ema:0.3")
    with pytest.raises(ValueError, match=r"^sigma must be a number in \(0, inf\); got -1"):
        series().sigconv.smooth("gaussian:-1")


# ---------------------------------------------------------------------------
# Kernel.from_spec

@pytest.mark.parametrize("spec, expected", [
    ("box:5", kernels.box(5)),
    ("ma:12", kernels.box(12)),
    (" ma : 12 ", kernels.box(12)),
    ("triangular:5", kernels.triangular(5)),
    ("gaussian:3", kernels.gaussian(3.0)),
    ("gaussian:1.5,truncate=2", kernels.gaussian(1.5, truncate=2.0)),
    ("exponential:0.3,8", kernels.exponential(0.3, 8)),
    ("ema:0.5,4", kernels.exponential(0.5, 4)),
    ("centered_ma:12", kernels.centered_ma(12)),
    ("henderson:13", kernels.henderson(13)),
    ("spencer15", kernels.spencer15()),
    ("savgol:7,2", kernels.savgol(7, 2)),
    ("savgol:7,3,deriv=1,delta=0.5", kernels.savgol(7, 3, deriv=1, delta=0.5)),
    ("difference", kernels.difference()),
    ("difference:2", kernels.difference(2)),
    ("seasonal_difference:12", kernels.seasonal_difference(12)),
    ("derivative", kernels.derivative()),
    ("laplacian", kernels.laplacian()),
    ("window:hann,9", kernels.window("hann", 9)),
    ("window:'blackman',9", kernels.window("blackman", 9)),
    ("lowpass:0.1,31", kernels.lowpass(0.1, 31)),
    ("lowpass:5,31,window=hann,fs=100", kernels.lowpass(5.0, 31, window="hann", fs=100.0)),
])
def test_from_spec_builds_the_library_kernel(spec, expected):
    kernel = Kernel.from_spec(spec)
    assert kernel == expected
    np.testing.assert_array_equal(kernel.weights, expected.weights)


@pytest.mark.parametrize("spec", [3, None, kernels.box(3)])
def test_from_spec_needs_a_string(spec):
    with pytest.raises(TypeError, match=r"^spec must be a string such as 'gaussian:3'"):
        Kernel.from_spec(spec)


@pytest.mark.parametrize("spec, form", [
    ("box", "box:n"),
    ("gaussian:1,2,3", "gaussian:sigma[,truncate]"),
    ("savgol:5,2,dreiv=1", "savgol:window,polyorder[,deriv][,delta]"),
    ("difference:1,2", "difference[:d]"),
    ("spencer15:3", "spencer15"),
])
def test_from_spec_arguments_that_do_not_fit(spec, form):
    message = f"kernel spec {spec!r} does not fit {form!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Kernel.from_spec(spec)


@pytest.mark.parametrize("spec", ["", ":3", "Gaussian:3", "gauss:3", "bxo"])
def test_from_spec_unknown_names(spec):
    with pytest.raises(ValueError, match=r"^kernel name must be one of 'box', 'ma', .*; got "):
        Kernel.from_spec(spec)


# ---------------------------------------------------------------------------
# registration: on ``import sigconv``, whichever of sigconv and pandas comes first

@pytest.mark.parametrize("first, second", [("sigconv", "pandas"), ("pandas", "sigconv")])
def test_accessor_registered_in_either_import_order(first, second):
    code = textwrap.dedent(f"""
        import sys
        import {first}
        assert ("pandas" in sys.modules) == ({first!r} == "pandas")
        import {second}
        import pandas as pd
        s = pd.Series([1.0, 2.0, 6.0], name="x")
        print(s.sigconv.smooth("ma:3").round(6).tolist(),
              type(pd.DataFrame({{"a": s}}).sigconv).__name__)
    """)
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[1.333333,", "3.0,", "4.666667]", "DataFrameAccessor"]
