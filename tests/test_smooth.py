"""``sigconv.smooth`` against pandas, scipy, statsmodels, closed forms and slow loops.

Every numerical check compares with an independent reference on the same input,
to a relative tolerance of 1e-10 of the data's scale (1e-5 for float32), with
NaN positions equal exactly:

- ``moving_average``: ``pandas.Series.rolling(...).mean()`` (``win_type=`` for
  scipy window names), a slow loop for explicit weights, ``nan="propagate"``
  and infinite samples (missing, as in pandas, unless ``nan="propagate"``);
- ``ema``: ``pandas.Series.ewm(...).mean()``, the ``HoltWinters`` recursion and
  statsmodels' ``SimpleExpSmoothing`` level;
- ``gaussian_smooth``: ``scipy.ndimage.gaussian_filter1d``;
- ``savgol_smooth``: ``scipy.signal.savgol_filter(mode="interp")`` and a slow
  per-output polynomial fit (scipy loses accuracy for wide, high-order fits);
- ``decompose``: ``statsmodels.tsa.seasonal.seasonal_decompose``.

Real series come from ``statsmodels.datasets`` (bundled, no network), loaded
once per module.
"""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.polynomial import Polynomial
from scipy.ndimage import gaussian_filter1d
from scipy.signal import savgol_filter
from statsmodels.tsa.holtwinters import SimpleExpSmoothing
from statsmodels.tsa.seasonal import seasonal_decompose

from sigconv.smooth import (
    DecomposeResult,
    decompose,
    ema,
    gaussian_smooth,
    moving_average,
    savgol_smooth,
)
from tests.naive import naive_rolling_mean

RTOL = 1e-10
RTOL32 = 1e-5
FEW = settings(max_examples=40, deadline=None, database=None)

DATASETS = ("sunspots", "nile", "co2", "elnino", "realgdp", "infl")


# ---------------------------------------------------------------------------
# Data and helpers
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def raw():
    """The real series, as float64 arrays (co2 keeps its own NaN)."""
    data = sm.datasets
    macro = data.macrodata.load_pandas().data
    elnino = data.elnino.load_pandas().data
    return {
        "sunspots": data.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(dtype=float),
        "nile": data.nile.load_pandas().data["volume"].to_numpy(dtype=float),
        "co2": data.co2.load_pandas().data["co2"].to_numpy(dtype=float),
        # The wide table (one row per year, one column per month) as one monthly series.
        "elnino": elnino.iloc[:, 1:].to_numpy(dtype=float).ravel(),
        "realgdp": macro["realgdp"].to_numpy(dtype=float),
        "infl": macro["infl"].to_numpy(dtype=float),
    }


@pytest.fixture(scope="module")
def macro_frame():
    macro = sm.datasets.macrodata.load_pandas().data
    index = pd.period_range("1959Q1", periods=len(macro), freq="Q").to_timestamp()
    frame = macro[["realgdp", "realcons", "unemp", "infl"]].set_axis(index)
    frame.columns.name = "variable"
    return frame


@pytest.fixture(scope="module")
def co2_series():
    """co2 (weekly, W-SAT) with its NaN interpolated, as decompose needs."""
    return sm.datasets.co2.load_pandas().data["co2"].interpolate()


def with_missing(x, seed=0):
    """``x`` with NaN at the start, in the middle (one sample and a run), at the end
    and scattered (5%)."""
    x = np.array(x, dtype=np.float64)
    n = len(x)
    rng = np.random.default_rng(seed)
    x[rng.random(n) < 0.05] = np.nan
    x[:2] = np.nan
    x[n // 2] = np.nan
    x[n // 3:n // 3 + 7] = np.nan
    x[-1] = np.nan
    return x


def assert_close(actual, expected, *, rtol=RTOL, scale=None):
    """Same shape, NaN (and inf) at the same places, equal elsewhere within ``rtol``
    relative to ``scale`` (default the largest finite expected magnitude)."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected),
                                  err_msg="NaN positions differ")
    np.testing.assert_array_equal(np.isinf(actual) * np.sign(actual),
                                  np.isinf(expected) * np.sign(expected),
                                  err_msg="inf positions differ")
    if scale is None:
        finite = np.abs(expected[np.isfinite(expected)])
        scale = finite.max(initial=0.0)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale + 1e-300)


def resolve(value, window):
    return window if value == "window" else value


def pandas_rolling(x, window, *, center=False, min_periods=None, win_type=None):
    s = pd.Series(np.asarray(x, dtype=np.float64))
    return s.rolling(window, center=center, min_periods=min_periods,
                     win_type=win_type).mean().to_numpy()


def naive_weighted_mean(x, weights, min_periods, center=False, propagate=False):
    """The weighted mean of the observed (finite) samples of each window, weights in
    time order (oldest first); NaN with fewer than ``max(min_periods, 1)`` observed,
    with no observed weight, or (``propagate``) with a NaN in the window."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    n, window = len(x), len(w)
    lead = (window - 1) // 2 if center else 0
    out = np.full(n, np.nan)
    for t in range(n):
        first = t + lead - window + 1
        num = den = 0.0
        count = 0
        poisoned = False
        for j in range(window):
            i = first + j
            if not 0 <= i < n:
                continue
            if np.isnan(x[i]):
                poisoned = True
            elif np.isfinite(x[i]):
                num += w[j] * x[i]
                den += w[j]
                count += 1
        if count >= max(min_periods, 1) and den != 0 and not (propagate and poisoned):
            out[t] = num / den
    return out


def naive_savgol(x, window, polyorder, deriv=0, delta=1.0):
    """Each output from its own least-squares polynomial (numpy's scaled-domain fit)
    through the centred window, or the first/last window at the edges."""
    x = np.asarray(x, dtype=np.float64)
    n, half = len(x), window // 2
    out = np.empty(n)
    for t in range(n):
        lo = min(max(t - half, 0), n - window)
        positions = np.arange(lo, lo + window) * delta
        fit = Polynomial.fit(positions, x[lo:lo + window], polyorder)
        out[t] = fit.deriv(deriv)(t * delta) if deriv else fit(t * delta)
    return out


def assert_unchanged(before, after):
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before)
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before)
    else:
        np.testing.assert_array_equal(after, before)


# ---------------------------------------------------------------------------
# moving_average without weights: pandas' rolling mean
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("min_periods", [None, 0, 1, "window"])
@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
@pytest.mark.parametrize("window", [1, 2, 5, 12, "longer"])
@pytest.mark.parametrize("dataset", DATASETS)
def test_moving_average_is_pandas_rolling_mean_on_real_data(raw, dataset, window, center,
                                                            min_periods):
    x = with_missing(raw[dataset], seed=len(raw[dataset]))
    window = len(x) + 3 if window == "longer" else window
    min_periods = resolve(min_periods, window)
    original = x.copy()
    y = moving_average(x, window, center=center, min_periods=min_periods)
    assert y.dtype == np.float64
    assert_close(y, pandas_rolling(x, window, center=center, min_periods=min_periods))
    np.testing.assert_array_equal(x, original)


@pytest.mark.parametrize("dataset", DATASETS)
def test_moving_average_without_missing_values(raw, dataset):
    """The all-finite fast path, co2 with its NaN interpolated."""
    x = pd.Series(raw[dataset]).interpolate().bfill().to_numpy()
    for window, center in [(1, False), (4, True), (7, False), (52, True)]:
        assert_close(moving_average(x, window, center=center),
                     pandas_rolling(x, window, center=center))


def test_moving_average_nan_runs_longer_than_the_window(raw):
    x = np.array(raw["nile"])
    x[:15] = np.nan            # leading run
    x[40:60] = np.nan          # a middle run longer than the window
    x[-12:] = np.nan           # trailing run
    for window, mp in [(5, 1), (5, 0), (6, 3), (9, 9)]:
        for center in (False, True):
            assert_close(moving_average(x, window, center=center, min_periods=mp),
                         pandas_rolling(x, window, center=center, min_periods=mp))


def test_moving_average_all_missing_is_all_nan():
    x = np.full(6, np.nan)
    for window, mp in [(1, 0), (3, 0), (3, 1), (10, 0)]:
        y = moving_average(x, window, min_periods=mp)
        assert_close(y, pandas_rolling(x, window, min_periods=mp))
        assert np.isnan(y).all()


@FEW
@given(n=st.integers(1, 60), window=st.integers(1, 20), mp_fraction=st.floats(0, 1),
       center=st.booleans(), missing=st.sampled_from([0.0, 0.1, 0.5, 0.9]),
       seed=st.integers(0, 2**32 - 1))
def test_moving_average_random_data(n, window, mp_fraction, center, missing, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * 100 + 7
    x[rng.random(n) < missing] = np.nan
    mp = round(mp_fraction * window)
    y = moving_average(x, window, center=center, min_periods=mp)
    assert_close(y, pandas_rolling(x, window, center=center, min_periods=mp))
    assert_close(y, naive_rolling_mean(x, window, mp, center))


@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
def test_moving_average_two_dimensional_along_either_axis(raw, center):
    columns = [with_missing(raw[name][:100], seed=i) for i, name in enumerate(DATASETS)]
    table = np.column_stack(columns)                    # (time, series)
    expected = pd.DataFrame(table).rolling(6, center=center, min_periods=2).mean().to_numpy()
    assert_close(moving_average(table, 6, center=center, min_periods=2, axis=0), expected)
    assert_close(moving_average(table.T, 6, center=center, min_periods=2, axis=-1),
                 expected.T)
    assert_close(moving_average(table.T, 6, center=center, min_periods=2), expected.T)
    # A 3-D batch: time in the middle.
    cube = np.stack([table, table[::-1]])
    y = moving_average(cube, 6, center=center, min_periods=2, axis=1)
    assert y.shape == cube.shape
    assert_close(y[0], expected)


def test_moving_average_series_keeps_index_and_name(raw):
    index = pd.date_range("1700", periods=len(raw["sunspots"]), freq="YS", name="year")
    s = pd.Series(with_missing(raw["sunspots"]), index=index, name="SUNACTIVITY")
    before = s.copy()
    y = moving_average(s, 11, center=True, min_periods=5)
    assert isinstance(y, pd.Series)
    assert y.index.equals(index) and y.index.name == "year" and y.name == "SUNACTIVITY"
    expected = s.rolling(11, center=True, min_periods=5).mean()
    assert_close(y.to_numpy(), expected.to_numpy())
    assert_unchanged(before, s)


def test_moving_average_frame_keeps_columns_and_index(macro_frame):
    frame = macro_frame.copy()
    frame.iloc[[0, 50, 51, 52, -1], [0, 2]] = np.nan
    before = frame.copy()
    y = moving_average(frame, 4, min_periods=2)
    assert isinstance(y, pd.DataFrame)
    assert y.columns.equals(frame.columns) and y.columns.name == "variable"
    assert y.index.equals(frame.index)
    assert_close(y.to_numpy(), frame.rolling(4, min_periods=2).mean().to_numpy())
    assert_unchanged(before, frame)


@pytest.mark.parametrize("weights", [None, "triang"])
def test_moving_average_float32_stays_float32(raw, weights):
    x = with_missing(raw["co2"]).astype(np.float32)
    x64 = x.astype(np.float64)
    y = moving_average(x, 9, weights, center=True, min_periods=3)
    assert y.dtype == np.float32
    expected = pandas_rolling(x64, 9, center=True, min_periods=3,
                              win_type=None if weights is None else weights)
    assert_close(y, expected, rtol=RTOL32)
    frame = pd.DataFrame({"a": x, "b": x[::-1].copy()})
    out = moving_average(frame, 9, weights, min_periods=3)
    assert (out.dtypes == np.float32).all()
    expected = frame.astype(np.float64).rolling(9, min_periods=3, win_type=weights).mean()
    assert_close(out.to_numpy(), expected.to_numpy(), rtol=RTOL32)


@pytest.mark.parametrize("window", [2, 365, 5000, 50_000])
@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
def test_moving_average_long_series_does_not_drift(window, center):
    """A random walk around 1e6: the running sum must not accumulate round-off."""
    rng = np.random.default_rng(window)
    x = 1e6 + np.cumsum(rng.standard_normal(200_000))
    expected = pandas_rolling(x, window, center=center)
    y = moving_average(x, window, center=center)
    assert_close(y, expected, scale=1.0)             # relative to each value (all ~1e6)
    np.testing.assert_allclose(y, expected, rtol=RTOL)
    x[100_000:100_010] = np.nan                      # the NaN-aware path too
    expected = pandas_rolling(x, window, center=center, min_periods=1)
    np.testing.assert_allclose(moving_average(x, window, center=center, min_periods=1),
                               expected, rtol=RTOL)


# ---------------------------------------------------------------------------
# moving_average with weights
# ---------------------------------------------------------------------------

def weighted_cases():
    for win_type in ("triang", "hann", "blackman"):
        for window in (1, 3, 4, 7, 12, "longer"):
            if win_type == "hann" and window == 1:
                continue                                   # hann(1) == [1]: nothing new
            for min_periods in (None, 1, "window"):
                for center in (False, True):
                    # The isolated sample below (or, for a trailing window longer
                    # than the series, the first sample) is a window's only
                    # observation at its oldest or newest end, where blackman's
                    # weight is -1e-17: the sign must not flip.
                    yield pytest.param(win_type, window, min_periods, center,
                                       id=f"{win_type}-{window}-mp{min_periods}-c{center:d}")


@pytest.mark.parametrize("win_type,window,min_periods,center", list(weighted_cases()))
@pytest.mark.parametrize("dataset", ["nile", "sunspots"])
def test_moving_average_named_window_is_pandas_win_type(raw, dataset, win_type, window,
                                                        min_periods, center):
    x = with_missing(raw[dataset], seed=3)
    if window != "longer":
        isolated = 2 * len(x) // 3          # one observation between two long NaN runs
        x[isolated - window - 1:isolated] = np.nan
        x[isolated + 1:isolated + window + 2] = np.nan
    window = len(x) + 3 if window == "longer" else window
    min_periods = resolve(min_periods, window)
    y = moving_average(x, window, win_type, center=center, min_periods=min_periods)
    expected = pandas_rolling(x, window, center=center, min_periods=min_periods,
                              win_type=win_type)
    assert_close(y, expected)


def test_moving_average_blackman_edge_weight_sign_minimal():
    x = np.array([2.0, np.nan, np.nan, 5.0])
    y = moving_average(x, 3, "blackman", min_periods=1)
    expected = pandas_rolling(x, 3, min_periods=1, win_type="blackman")   # [2, 2, 2, 5]
    assert_close(y, expected)


def test_moving_average_named_window_on_a_frame(macro_frame):
    frame = macro_frame.copy()
    frame.iloc[[3, 4, 90], [1, 3]] = np.nan
    y = moving_average(frame, 5, "hann", center=True, min_periods=3)
    assert y.columns.equals(frame.columns) and y.index.equals(frame.index)
    expected = frame.rolling(5, win_type="hann", center=True, min_periods=3).mean()
    assert_close(y.to_numpy(), expected.to_numpy())


def test_moving_average_hann_of_two_taps_is_all_nan():
    """hann(2) is all zeros: no weighted mean exists, and pandas returns all NaN too."""
    x = np.arange(10.0)
    assert np.isnan(moving_average(x, 2, "hann", min_periods=1)).all()
    assert np.isnan(pandas_rolling(x, 2, min_periods=1, win_type="hann")).all()


EXPLICIT_WEIGHTS = {"one": [2.0], "ramp": [1, 2, 3], "zero-inside": [3, 0, 1, 1],
                    "zero-ends": [0, 1, 0], "five": [0.5, 0.1, 0.1, 0.1, 0.2],
                    "twelve": np.arange(1.0, 13.0)}


@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
@pytest.mark.parametrize("weights,min_periods", [
    pytest.param(w, mp, id=f"{name}-mp{mp}") for name, w in EXPLICIT_WEIGHTS.items()
    for mp in (None, 0, 1, 2) if mp is None or mp <= len(w)])
def test_moving_average_explicit_weights_against_loop(raw, weights, center, min_periods):
    window = len(weights)
    x = with_missing(raw["nile"], seed=window)
    original = list(weights)
    y = moving_average(x, window, weights, center=center, min_periods=min_periods)
    mp = window if min_periods is None else min_periods
    assert_close(y, naive_weighted_mean(x, weights, mp, center))
    assert list(weights) == original


def test_moving_average_explicit_weights_equal_box_and_pandas(raw):
    """Equal weights are the plain rolling mean; the weights' scale does not matter."""
    x = with_missing(raw["sunspots"])
    for center in (False, True):
        expected = pandas_rolling(x, 6, center=center, min_periods=2)
        assert_close(moving_average(x, 6, np.full(6, 3.0), center=center, min_periods=2),
                     expected)
        assert_close(moving_average(x, 6, np.ones(6), center=center, min_periods=2),
                     moving_average(x, 6, center=center, min_periods=2))


def test_moving_average_weights_are_oldest_first():
    x = np.array([1.0, 10.0, 100.0])
    # trailing window of 2 at t=1: 1 * x[0] + 3 * x[1], over 4
    assert moving_average(x, 2, [1, 3])[1] == pytest.approx((1 + 30) / 4, rel=1e-15)
    assert moving_average(x, 2, [1, 3])[2] == pytest.approx((10 + 300) / 4, rel=1e-15)


# ---------------------------------------------------------------------------
# moving_average: nan= policies and infinities
# ---------------------------------------------------------------------------

def propagate_reference(x, window, center, min_periods):
    """pandas' rolling apply: NaN if the window holds NaN, else the mean."""
    s = pd.Series(x)
    return s.rolling(window, center=center, min_periods=min_periods).apply(
        lambda v: np.nan if np.isnan(v).any() else v.mean(), raw=True).to_numpy()


@pytest.mark.parametrize("min_periods", [None, 0, 1, "window"])
@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
@pytest.mark.parametrize("window", [1, 2, 5, 12])
def test_moving_average_nan_propagate(raw, window, center, min_periods):
    x = with_missing(raw["sunspots"], seed=window)
    mp = resolve(min_periods, window)
    y = moving_average(x, window, center=center, min_periods=mp, nan="propagate")
    assert_close(y, propagate_reference(x, window, center, mp))
    assert_close(y, naive_rolling_mean(x, window, window if mp is None else mp, center,
                                  propagate=True))


@pytest.mark.parametrize("weights", ["triang", [1, 2, 3, 4, 5]])
@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
@pytest.mark.parametrize("min_periods", [1, 5])
def test_moving_average_weighted_nan_propagate(raw, weights, center, min_periods):
    x = with_missing(raw["nile"], seed=11)
    explicit = (np.array([1, 2, 3, 2, 1]) / 3     # scipy.signal.windows.triang(5)
                if isinstance(weights, str) else np.asarray(weights, float))
    y = moving_average(x, 5, weights, center=center, min_periods=min_periods,
                       nan="propagate")
    assert_close(y, naive_weighted_mean(x, explicit, min_periods, center, propagate=True))


@pytest.mark.parametrize("weights", [None, "triang", [1.0, 2.0, 3.0]])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_moving_average_nan_raise(weights, bad):
    x = np.arange(12.0)
    x[7] = bad
    with pytest.raises(ValueError, match="NaN or inf"):
        moving_average(x, 3, weights, nan="raise")
    # Finite input passes through nan="raise" unchanged.
    clean = np.arange(12.0)
    assert_close(moving_average(clean, 3, weights, nan="raise"),
                 moving_average(clean, 3, weights))


@pytest.mark.parametrize("nan", ["ignore", "propagate"])
@pytest.mark.parametrize("center", [False, True], ids=["trailing", "centred"])
@pytest.mark.parametrize("min_periods", [1, 3, 4])
@pytest.mark.parametrize("weights", [None, [1.0, 2.0, 2.0, 1.0]], ids=["plain", "weighted"])
def test_moving_average_infinities(nan, center, min_periods, weights):
    """nan="ignore": +-inf is missing, as pandas (the reference).  nan="propagate":
    a window holding +inf has mean +inf, NaN with -inf too (the slow loop)."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal(40)
    x[[0, 9, 30]] = np.inf
    x[[20, 21, 39]] = np.nan
    x[10] = -np.inf                   # -inf next to +inf: their windows are NaN
    x[25] = -np.inf
    y = moving_average(x, 4, weights, center=center, min_periods=min_periods, nan=nan)
    if nan == "ignore":
        if weights is None:
            expected = pandas_rolling(x, 4, center=center, min_periods=min_periods)
        else:
            expected = naive_weighted_mean(x, weights, min_periods, center)
        assert np.isfinite(y[~np.isnan(y)]).all()
    else:
        plain = naive_rolling_mean(x, 4, min_periods, center, propagate=True)
        expected = plain if weights is None else np.where(
            np.isfinite(plain), y, plain)       # weighted means checked elsewhere
        assert np.isposinf(y).any() and np.isneginf(y).any()
    assert_close(y, expected)


def test_moving_average_inf_windows():
    x = np.array([1.0, np.inf, 2.0, 4.0])
    np.testing.assert_array_equal(moving_average(x, 2, nan="propagate"),
                                  [np.nan, np.inf, np.inf, 3.0])
    np.testing.assert_array_equal(moving_average(x, 2, min_periods=1), [1.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(moving_average(x, 2, [1.0, 1.0], min_periods=1),
                                  [1.0, 1.0, 2.0, 3.0])


# ---------------------------------------------------------------------------
# ema: pandas' ewm mean
# ---------------------------------------------------------------------------

DECAYS = [{"alpha": 0.3}, {"alpha": 1.0}, {"span": 1}, {"span": 7.5}, {"halflife": 2.5},
          {"com": 0}, {"com": 4}]
DECAY_IDS = ["-".join(f"{k}{v}" for k, v in d.items()) for d in DECAYS]


@pytest.mark.parametrize("min_periods", [0, 5])
@pytest.mark.parametrize("ignore_na", [False, True], ids=["keep_na", "ignore_na"])
@pytest.mark.parametrize("adjust", [True, False], ids=["adjust", "recursive"])
@pytest.mark.parametrize("decay", DECAYS, ids=DECAY_IDS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_ema_is_pandas_ewm_mean_on_real_data(raw, dataset, decay, adjust, ignore_na,
                                             min_periods):
    x = with_missing(raw[dataset], seed=len(raw[dataset]) + 1)
    original = x.copy()
    y = ema(x, **decay, adjust=adjust, ignore_na=ignore_na, min_periods=min_periods)
    expected = pd.Series(x).ewm(**decay, adjust=adjust, ignore_na=ignore_na,
                                min_periods=min_periods).mean().to_numpy()
    assert y.dtype == np.float64
    assert_close(y, expected)
    np.testing.assert_array_equal(x, original)


@pytest.mark.parametrize("ignore_na", [False, True], ids=["keep_na", "ignore_na"])
@pytest.mark.parametrize("adjust", [True, False], ids=["adjust", "recursive"])
@pytest.mark.parametrize("alpha", [1e-3, 0.01, 0.3, 0.9])
def test_ema_long_gaps_and_leading_nan(alpha, adjust, ignore_na):
    """2000-sample NaN runs: (1 - alpha)^2000 may underflow (alpha 0.9) or nearly
    (alpha 0.3); the mean after the gap must still be pandas'."""
    rng = np.random.default_rng(17)
    x = np.concatenate([np.full(2000, np.nan), rng.standard_normal(100) + 5,
                        np.full(2000, np.nan), rng.standard_normal(50) - 3,
                        np.full(300, np.nan)])
    for min_periods in (0, 3):
        y = ema(x, alpha=alpha, adjust=adjust, ignore_na=ignore_na, min_periods=min_periods)
        expected = pd.Series(x).ewm(alpha=alpha, adjust=adjust, ignore_na=ignore_na,
                                    min_periods=min_periods).mean().to_numpy()
        assert_close(y, expected)
        assert np.isnan(y[:2000]).all() and np.isfinite(y[2000 + min_periods:]).all()


@FEW
@given(n=st.integers(1, 80), alpha=st.floats(0.001, 1.0), adjust=st.booleans(),
       ignore_na=st.booleans(), min_periods=st.integers(0, 10),
       missing=st.sampled_from([0.0, 0.2, 0.8]), seed=st.integers(0, 2**32 - 1))
def test_ema_random_data(n, alpha, adjust, ignore_na, min_periods, missing, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * 50 + 10
    x[rng.random(n) < missing] = np.nan
    y = ema(x, alpha, adjust=adjust, ignore_na=ignore_na, min_periods=min_periods)
    expected = pd.Series(x).ewm(alpha=alpha, adjust=adjust, ignore_na=ignore_na,
                                min_periods=min_periods).mean().to_numpy()
    assert_close(y, expected)


@pytest.mark.parametrize("decay", [{"span": 4}, {"halflife": 1.5}],
                         ids=["span4", "halflife1.5"])
def test_ema_frame_and_two_dimensional(macro_frame, decay):
    frame = macro_frame.copy()
    frame.iloc[[0, 1, 40, 41, 42, -1], [0, 3]] = np.nan
    before = frame.copy()
    y = ema(frame, **decay, ignore_na=True, min_periods=2)
    assert isinstance(y, pd.DataFrame)
    assert y.columns.equals(frame.columns) and y.index.equals(frame.index)
    expected = frame.ewm(**decay, ignore_na=True, min_periods=2).mean().to_numpy()
    assert_close(y.to_numpy(), expected)
    values = frame.to_numpy()
    assert_close(ema(values, **decay, ignore_na=True, min_periods=2, axis=0), expected)
    assert_close(ema(values.T, **decay, ignore_na=True, min_periods=2), expected.T)
    assert_unchanged(before, frame)


def test_ema_series_keeps_index_and_name_and_float32(raw):
    index = pd.RangeIndex(1871, 1971, name="year")
    s = pd.Series(with_missing(raw["nile"]), index=index, name="volume")
    y = ema(s, com=3)
    assert isinstance(y, pd.Series) and y.index.equals(index) and y.name == "volume"
    assert_close(y.to_numpy(), s.ewm(com=3).mean().to_numpy())
    x32 = s.to_numpy().astype(np.float32)
    y32 = ema(x32, com=3)
    assert y32.dtype == np.float32
    assert_close(y32, pd.Series(x32.astype(np.float64)).ewm(com=3).mean().to_numpy(),
                 rtol=RTOL32)


def holt_winters_level(x, alpha):
    """R's HoltWinters(beta=FALSE, gamma=FALSE) level: l[0] = x[0],
    l[t] = alpha x[t] + (1 - alpha) l[t-1]."""
    level = np.empty(len(x))
    level[0] = x[0]
    for t in range(1, len(x)):
        level[t] = alpha * x[t] + (1 - alpha) * level[t - 1]
    return level


@pytest.mark.parametrize("alpha", [0.05, 0.2, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("dataset", ["nile", "sunspots", "realgdp"])
def test_ema_recursive_is_holt_winters_level(raw, dataset, alpha):
    x = raw[dataset]
    y = ema(x, alpha=alpha, adjust=False)
    assert_close(y, holt_winters_level(x, alpha))
    fit = SimpleExpSmoothing(x, initialization_method="known", initial_level=x[0]).fit(
        smoothing_level=alpha, optimized=False)
    # statsmodels' level after observing x[t] is the recursion; its fitted values
    # are the one-step forecasts, the level one step late.
    assert_close(y, fit.level)
    assert_close(y[:-1], fit.fittedvalues[1:])


@pytest.mark.parametrize("decay", [{"alpha": 0.5}, {"span": 3}, {"halflife": 1},
                                   {"alpha": 0.4999}, {"com": 1.0001}])
@pytest.mark.parametrize("ignore_na", [False, True])
def test_ema_after_gaps_at_com_one_is_pandas(decay, ignore_na):
    """pandas weighs the observation after a gap differently at exactly com == 1
    with adjust=False; ema follows it there and next to it."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=3000)
    x[rng.random(3000) < 0.3] = np.nan
    x[100:160] = np.nan
    y = ema(x, adjust=False, ignore_na=ignore_na, **decay)
    assert_close(y, pd.Series(x).ewm(adjust=False, ignore_na=ignore_na, **decay).mean())


def test_ema_inf_is_missing_as_in_pandas():
    x = np.array([1.0, 2.0, np.inf, 3.0, np.nan, -np.inf, 4.0])
    for adjust in (True, False):
        for ignore_na in (True, False):
            y = ema(x, alpha=0.5, adjust=adjust, ignore_na=ignore_na)
            assert np.isfinite(y).all()
            assert_close(y, pd.Series(x).ewm(alpha=0.5, adjust=adjust,
                                             ignore_na=ignore_na).mean())


# ---------------------------------------------------------------------------
# gaussian_smooth: scipy.ndimage.gaussian_filter1d
# ---------------------------------------------------------------------------

BOUNDARIES = ("reflect", "mirror", "nearest", "wrap", "constant")


@pytest.mark.parametrize("truncate", [4.0, 2.5])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 3.7, 20.0])
@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_gaussian_smooth_is_ndimage(raw, boundary, sigma, truncate):
    x = raw["sunspots"]
    y = gaussian_smooth(x, sigma, truncate=truncate, boundary=boundary)
    assert_close(y, gaussian_filter1d(x, sigma, mode=boundary, truncate=truncate))
    short = x[:7]                  # the kernel is longer than the series for big sigma
    assert_close(gaussian_smooth(short, sigma, truncate=truncate, boundary=boundary),
                 gaussian_filter1d(short, sigma, mode=boundary, truncate=truncate))


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_gaussian_smooth_two_dimensional_cval_and_wrapping(macro_frame, boundary):
    values = macro_frame.to_numpy()
    expected = gaussian_filter1d(values, 2.2, axis=0, mode=boundary, cval=1.5)
    assert_close(gaussian_smooth(values, 2.2, boundary=boundary, cval=1.5, axis=0), expected)
    assert_close(gaussian_smooth(values.T, 2.2, boundary=boundary, cval=1.5), expected.T)
    y = gaussian_smooth(macro_frame, 2.2, boundary=boundary, cval=1.5)
    assert y.columns.equals(macro_frame.columns) and y.index.equals(macro_frame.index)
    assert_close(y.to_numpy(), expected)
    s = macro_frame["infl"]
    ys = gaussian_smooth(s, 2.2, boundary=boundary)
    assert ys.name == "infl" and ys.index.equals(s.index)
    assert_close(ys.to_numpy(), gaussian_filter1d(s.to_numpy(), 2.2, mode=boundary))


def test_gaussian_smooth_float32(raw):
    x = raw["nile"].astype(np.float32)
    y = gaussian_smooth(x, 3.0)
    assert y.dtype == np.float32
    assert_close(y, gaussian_filter1d(x.astype(np.float64), 3.0), rtol=RTOL32)


# ---------------------------------------------------------------------------
# savgol_smooth: scipy.signal.savgol_filter(mode="interp")
# ---------------------------------------------------------------------------

# scipy's own error grows with window and order (2e-10 of the data scale at
# window 31, order 6), so the scipy comparison stops at order 5; wider and
# higher-order fits are checked against the slow polynomial fit below.
SAVGOL_SCIPY = [(1, 0), (3, 0), (3, 1), (3, 2), (5, 2), (5, 3), (5, 4), (7, 2), (7, 3),
                (11, 4), (11, 5), (21, 2), (21, 5), (31, 3), (31, 5)]


@pytest.mark.parametrize("delta", [1.0, 0.25])
@pytest.mark.parametrize("deriv", [0, 1, 2])
@pytest.mark.parametrize("window,polyorder", SAVGOL_SCIPY)
@pytest.mark.parametrize("dataset", ["nile", "co2"])
def test_savgol_smooth_is_scipy_interp(raw, dataset, window, polyorder, deriv, delta,
                                       co2_series):
    x = co2_series.to_numpy()[:300] if dataset == "co2" else raw[dataset]
    y = savgol_smooth(x, window, polyorder, deriv, delta)
    expected = savgol_filter(x, window, polyorder, deriv, delta, mode="interp")
    assert_close(y, expected, scale=np.abs(x).max() / delta ** deriv)


@pytest.mark.parametrize("window,polyorder,deriv", [(5, 2, 0), (9, 3, 1), (21, 6, 0),
                                                    (31, 6, 0), (31, 6, 2), (51, 4, 1),
                                                    (101, 6, 0), (101, 6, 3)])
def test_savgol_smooth_against_polynomial_fits(raw, window, polyorder, deriv):
    """Independent of scipy, accurate for wide windows too."""
    x = raw["sunspots"][:150]
    delta = 0.5
    y = savgol_smooth(x, window, polyorder, deriv, delta)
    assert_close(y, naive_savgol(x, window, polyorder, deriv, delta),
                 scale=np.abs(x).max() / delta ** deriv)


def test_savgol_smooth_window_equal_to_length_and_two_dimensional(macro_frame):
    values = macro_frame.to_numpy()
    scale = np.abs(values).max()
    expected = savgol_filter(values, 9, 3, axis=0)
    assert_close(savgol_smooth(values, 9, 3, axis=0), expected, scale=scale)
    assert_close(savgol_smooth(values.T, 9, 3, axis=-1), expected.T, scale=scale)
    expected = savgol_filter(values, 7, 2, deriv=1, axis=0)
    assert_close(savgol_smooth(values.T, 7, 2, 1), expected.T, scale=scale)
    y = savgol_smooth(macro_frame, 9, 3)
    assert y.columns.equals(macro_frame.columns) and y.index.equals(macro_frame.index)
    assert_close(y.to_numpy(), savgol_filter(values, 9, 3, axis=0), scale=scale)
    short = values[:9, 0]
    assert_close(savgol_smooth(short, 9, 3), savgol_filter(short, 9, 3), scale=scale)
    y32 = savgol_smooth(short.astype(np.float32), 9, 3)
    assert y32.dtype == np.float32
    assert_close(y32, savgol_filter(short, 9, 3), rtol=RTOL32, scale=scale)


def test_savgol_smooth_window_errors():
    x = np.arange(10.0)
    with pytest.raises(ValueError, match="window must be at most the series length"):
        savgol_smooth(x, 11, 2)
    with pytest.raises(ValueError, match="window.*odd"):
        savgol_smooth(x, 6, 2)
    with pytest.raises(ValueError, match="polyorder must be less than window"):
        savgol_smooth(x, 5, 5)


# ---------------------------------------------------------------------------
# decompose: statsmodels' seasonal_decompose
# ---------------------------------------------------------------------------

COMPONENTS = ("observed", "trend", "seasonal", "resid")


def assert_decomposition(result, expected, model):
    """Every component equal (NaN positions exactly); the additive components to
    1e-10 of the data's scale, the multiplicative factors to 1e-10 of their own."""
    assert isinstance(result, DecomposeResult)
    data_scale = np.nanmax(np.abs(np.asarray(expected.observed, dtype=float)))
    for name in COMPONENTS:
        actual = getattr(result, name)
        reference = getattr(expected, name)
        if isinstance(reference, pd.Series):
            assert isinstance(actual, pd.Series) and actual.index.equals(reference.index)
        reference = np.asarray(reference, dtype=float)
        if model == "multiplicative" and name in ("seasonal", "resid"):
            scale = np.nanmax(np.abs(reference))
        else:
            scale = data_scale
        assert_close(np.asarray(actual, dtype=float), reference, scale=scale)


@pytest.fixture(scope="module")
def seasonal_series(raw, co2_series):
    return {
        "co2-52": co2_series.iloc[:600],
        "co2-53": co2_series.iloc[:601],
        "sunspots-11": pd.Series(raw["sunspots"] + 1.0),       # +1: positive for "mult"
        "sunspots-10": pd.Series(raw["sunspots"] + 1.0),
        "realgdp-4": pd.Series(raw["realgdp"]),
        "unemp-5": sm.datasets.macrodata.load_pandas().data["unemp"],
        "elnino-12": pd.Series(raw["elnino"]),
    }


@pytest.mark.parametrize("two_sided", [True, False], ids=["centred", "causal"])
@pytest.mark.parametrize("extrapolate_trend", [0, 3, "period"])
@pytest.mark.parametrize("model", ["additive", "multiplicative"])
@pytest.mark.parametrize("case", ["co2-52", "co2-53", "sunspots-11", "sunspots-10",
                                  "realgdp-4", "unemp-5", "elnino-12"])
def test_decompose_is_seasonal_decompose(seasonal_series, case, model, extrapolate_trend,
                                         two_sided):
    x = seasonal_series[case]
    period = int(case.rsplit("-", 1)[1])
    before = x.copy()
    result = decompose(x, period, model, two_sided=two_sided,
                       extrapolate_trend=extrapolate_trend)
    expected = seasonal_decompose(x, model=model, period=period, two_sided=two_sided,
                                  extrapolate_trend=extrapolate_trend)
    assert_decomposition(result, expected, model)
    assert result.period == period and result.model == model
    assert_unchanged(before, x)


@pytest.mark.parametrize("extrapolate_trend", [0, 2])
@pytest.mark.parametrize("two_sided", [True, False], ids=["centred", "causal"])
@pytest.mark.parametrize("model", ["additive", "multiplicative"])
@pytest.mark.parametrize("filt", [np.array([1, 2, 3, 2, 1]) / 9, np.full(4, 0.25),
                                  np.array([0.5, 0.3, 0.2]), np.array([0.1, 0.2, 0.3, 0.4])],
                         ids=["odd-symmetric", "even-box", "odd-skewed", "even-skewed"])
def test_decompose_custom_filter(seasonal_series, filt, model, two_sided, extrapolate_trend):
    x = seasonal_series["sunspots-11"]
    result = decompose(x, 11, model, filt=filt, two_sided=two_sided,
                       extrapolate_trend=extrapolate_trend)
    expected = seasonal_decompose(x, model=model, period=11, filt=filt, two_sided=two_sided,
                                  extrapolate_trend=extrapolate_trend)
    assert_decomposition(result, expected, model)


def monthly_series(n=72, seed=0):
    index = pd.date_range("2000-01-01", periods=n, freq="MS", name="month")
    rng = np.random.default_rng(seed)
    values = 50 + 0.1 * np.arange(n) + np.tile(np.arange(12.0), n // 12 + 1)[:n]
    return pd.Series(values + rng.standard_normal(n), index=index, name="sales")


def test_decompose_infers_the_period_from_the_index(co2_series):
    s = monthly_series()
    result = decompose(s)
    assert result.period == 12
    assert_decomposition(result, seasonal_decompose(s), "additive")
    result = decompose(co2_series.iloc[:400])                   # weekly: 52
    assert result.period == 52
    assert_decomposition(result, seasonal_decompose(co2_series.iloc[:400]), "additive")
    quarterly = pd.Series(np.arange(1.0, 21.0),
                          index=pd.period_range("2000Q1", periods=20, freq="Q"))
    assert decompose(quarterly).period == 4
    no_freq = s.set_axis(pd.DatetimeIndex(list(s.index)))        # freq inferred from dates
    assert decompose(no_freq).period == 12


@pytest.mark.parametrize("x", [np.arange(48.0), pd.Series(np.arange(48.0)),
                               pd.Series(np.arange(48.0),
                                         index=pd.DatetimeIndex(["2000-01-01"] * 48))],
                         ids=["numpy", "range-index", "no-frequency"])
def test_decompose_without_a_period_to_infer(x):
    with pytest.raises(ValueError, match="period"):
        decompose(x)


def test_decompose_to_frame_of_a_series():
    s = monthly_series()
    result = decompose(s, model="multiplicative", extrapolate_trend="period")
    frame = result.to_frame()
    assert list(frame.columns) == list(COMPONENTS)
    assert frame.index.equals(s.index)
    for name in COMPONENTS:
        np.testing.assert_array_equal(frame[name].to_numpy(), getattr(result, name).to_numpy())
    assert list(decompose(s.to_numpy(), 12).to_frame().columns) == list(COMPONENTS)


def test_decompose_frame_gives_component_column_levels():
    s = monthly_series()
    frame = pd.DataFrame({"a": s, "b": 2 * s + monthly_series(seed=1)})
    before = frame.copy()
    result = decompose(frame, extrapolate_trend=2)
    for column in frame:
        expected = seasonal_decompose(frame[column], extrapolate_trend=2)
        for name in COMPONENTS:
            part = getattr(result, name)
            assert isinstance(part, pd.DataFrame) and part.columns.equals(frame.columns)
            assert_close(part[column].to_numpy(), getattr(expected, name).to_numpy(),
                         scale=np.abs(frame.to_numpy()).max())
    table = result.to_frame()
    assert isinstance(table.columns, pd.MultiIndex)
    assert list(table.columns) == [(name, column) for name in COMPONENTS for column in "ab"]
    assert table.index.equals(frame.index)
    np.testing.assert_array_equal(table[("trend", "b")].to_numpy(),
                                  result.trend["b"].to_numpy())
    assert_unchanged(before, frame)


def test_decompose_two_dimensional_array(raw):
    x = np.column_stack([raw["realgdp"], raw["infl"]])
    result = decompose(x, 4, axis=0)
    assert result.trend.shape == x.shape
    for j in range(2):
        expected = seasonal_decompose(x[:, j], period=4)
        for name in COMPONENTS:
            assert_close(getattr(result, name)[:, j], getattr(expected, name),
                         scale=np.abs(x[:, j]).max())
    table = result.to_frame()
    assert list(table.columns[:2]) == [("observed", 0), ("observed", 1)]


def test_decompose_errors(co2_series):
    s = monthly_series()
    with pytest.raises(ValueError, match="NaN"):
        decompose(s.where(s.index.month != 5))
    with pytest.raises(ValueError, match="NaN"):
        decompose(sm.datasets.co2.load_pandas().data["co2"], 52)   # raw co2 has gaps
    with pytest.raises(ValueError, match="2 complete cycles.*period=12"):
        decompose(s.iloc[:23])
    decompose(s.iloc[:24])                                          # exactly two: fine
    with pytest.raises(ValueError, match="multiplicative.*positive"):
        decompose(s - 60, model="multiplicative")
    with pytest.raises(ValueError, match="multiplicative.*positive"):
        decompose(s.where(s.index != s.index[5], 0.0), model="multiplicative")
    with pytest.raises(ValueError, match="model must be one of"):
        decompose(s, model="mult")
    with pytest.raises(ValueError, match="period"):
        decompose(s, period=0)
    with pytest.raises(ValueError, match="extrapolate_trend"):
        decompose(s, extrapolate_trend=-1)
    with pytest.raises(ValueError, match="extrapolate_trend"):
        decompose(s, extrapolate_trend="cycle")
    with pytest.raises(ValueError, match="filt"):
        decompose(s, filt=np.ones(80) / 80)


# ---------------------------------------------------------------------------
# Bad input: clear errors naming the parameter; inputs never mutated
# ---------------------------------------------------------------------------

X = np.arange(30.0)

BAD_CALLS = [
    ("window-0", lambda: moving_average(X, 0), ValueError, "window must be .* >= 1; got 0"),
    ("window-neg", lambda: moving_average(X, -1), ValueError, "window .*got -1"),
    ("window-float", lambda: moving_average(X, 2.5), ValueError, "window .*got 2.5"),
    ("min_periods>window", lambda: moving_average(X, 3, min_periods=4), ValueError,
     "min_periods must be at most window"),
    ("min_periods-neg", lambda: moving_average(X, 3, min_periods=-1), ValueError,
     "min_periods"),
    ("nan-option", lambda: moving_average(X, 3, nan="skip"), ValueError,
     "nan must be one of 'ignore', 'propagate', 'raise'; got 'skip'"),
    ("weights-length", lambda: moving_average(X, 3, [1.0, 2.0]), ValueError,
     "weights must hold window=3"),
    ("weights-negative", lambda: moving_average(X, 3, [1.0, -2.0, 3.0]), ValueError,
     "weights must be finite and non-negative"),
    ("center-type", lambda: moving_average(X, 3, center="yes"), TypeError, "center"),
    ("ema-two", lambda: ema(X, alpha=0.5, span=3), ValueError,
     "exactly one of alpha, span, halflife and com; got alpha, span"),
    ("ema-three", lambda: ema(X, 0.5, com=1, halflife=2), ValueError,
     "exactly one .*got alpha, halflife, com"),
    ("ema-none", lambda: ema(X), ValueError, "exactly one .*got none"),
    ("alpha-0", lambda: ema(X, alpha=0), ValueError, r"alpha must be a number in \(0, 1\]"),
    ("alpha-1.5", lambda: ema(X, alpha=1.5), ValueError, "alpha .*got 1.5"),
    ("span-0.5", lambda: ema(X, span=0.5), ValueError, "span .*got 0.5"),
    ("halflife-0", lambda: ema(X, halflife=0), ValueError, "halflife .*got 0"),
    ("com-neg", lambda: ema(X, com=-1), ValueError, "com .*got -1"),
    ("ema-min_periods", lambda: ema(X, alpha=0.5, min_periods=-1), ValueError,
     "min_periods"),
    ("ema-adjust", lambda: ema(X, alpha=0.5, adjust="no"), TypeError, "adjust"),
    ("sigma-0", lambda: gaussian_smooth(X, 0), ValueError, "sigma .*got 0"),
    ("sigma-neg", lambda: gaussian_smooth(X, -2.0), ValueError, "sigma .*got -2"),
    ("truncate-0", lambda: gaussian_smooth(X, 1.0, truncate=0), ValueError, "truncate"),
    ("boundary", lambda: gaussian_smooth(X, 1.0, boundary="periodic"), ValueError,
     "boundary must be one of"),
    ("gaussian-nan-option", lambda: gaussian_smooth(X, 1.0, nan="skip"), ValueError,
     "nan must be one of"),
    ("savgol-polyorder", lambda: savgol_smooth(X, 5, -1), ValueError, "polyorder"),
    ("savgol-deriv", lambda: savgol_smooth(X, 5, 2, deriv=-1), ValueError, "deriv"),
    ("savgol-delta", lambda: savgol_smooth(X, 5, 2, delta=0), ValueError, "delta"),
    ("savgol-window-0", lambda: savgol_smooth(X, 0, 0), ValueError, "window"),
]


@pytest.mark.parametrize("call,error,match", [c[1:] for c in BAD_CALLS],
                         ids=[c[0] for c in BAD_CALLS])
def test_bad_input_is_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_unknown_window_name_names_weights():
    with pytest.raises(ValueError, match="weights"):
        moving_average(X, 3, "nosuch")


NON_NUMERIC = [
    ("moving_average", lambda df: moving_average(df, 3)),
    ("weighted", lambda df: moving_average(df, 3, "triang")),
    ("ema", lambda df: ema(df, alpha=0.5)),
    ("gaussian_smooth", lambda df: gaussian_smooth(df, 1.0)),
    ("savgol_smooth", lambda df: savgol_smooth(df, 3, 1)),
    ("decompose", lambda df: decompose(df, 4)),
]


@pytest.mark.parametrize("call", [c[1] for c in NON_NUMERIC], ids=[c[0] for c in NON_NUMERIC])
def test_non_numeric_frame_column_is_a_type_error(call):
    frame = pd.DataFrame({"level": np.arange(1.0, 21.0), "label": list("ab") * 10})
    with pytest.raises(TypeError, match="column 'label' is not numeric"):
        call(frame)


CALLS = [
    ("moving_average", lambda x: moving_average(x, 4, min_periods=1)),
    ("moving_average-propagate", lambda x: moving_average(x, 4, center=True, nan="propagate")),
    ("weighted", lambda x: moving_average(x, 5, "hann", min_periods=2)),
    ("weighted-explicit", lambda x: moving_average(x, 3, [1.0, 2.0, 3.0], min_periods=1)),
    ("ema", lambda x: ema(x, span=5)),
    ("ema-recursive", lambda x: ema(x, alpha=0.3, adjust=False, ignore_na=True)),
    ("gaussian_smooth", lambda x: gaussian_smooth(x, 2.0, boundary="wrap")),
    ("gaussian_smooth-ignore", lambda x: gaussian_smooth(x, 2.0, nan="ignore")),
    ("savgol_smooth", lambda x: savgol_smooth(x, 5, 2)),
    ("decompose", lambda x: decompose(x.fillna(1.0) if hasattr(x, "fillna")
                                      else np.nan_to_num(x, nan=1.0), 4,
                                      extrapolate_trend="period").to_frame()),
]


def mutation_inputs():
    x = with_missing(np.linspace(1.0, 5.0, 40) + np.sin(np.arange(40)))
    index = pd.date_range("2001-01-01", periods=40, freq="QS")
    yield "numpy", x
    yield "numpy-2d", np.column_stack([x, x[::-1]])
    yield "numpy-f32", x.astype(np.float32)
    yield "numpy-int", np.arange(1, 41)
    yield "series", pd.Series(x, index=index, name="s")
    yield "frame", pd.DataFrame({"a": x, "b": x[::-1].copy()}, index=index)
    yield "frame-f32", pd.DataFrame({"a": x, "b": x[::-1].copy()}, index=index,
                                    dtype=np.float32)


@pytest.mark.parametrize("call", [c[1] for c in CALLS], ids=[c[0] for c in CALLS])
@pytest.mark.parametrize("name,x", list(mutation_inputs()),
                         ids=[m[0] for m in mutation_inputs()])
def test_input_is_never_mutated(call, name, x):
    if name == "numpy-2d":
        x = x.T                                # (series, time): the default axis
    before = x.copy()
    call(x)
    assert_unchanged(before, x)
    call(x)                                    # and a second call sees the same data
    assert_unchanged(before, x)
