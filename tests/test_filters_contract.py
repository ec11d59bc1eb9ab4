"""One contract for every filter: pandas in means pandas out with the index kept,
batches equal series one by one along either axis, float32 stays float32,
and the caller's data is never mutated."""
import numpy as np
import pandas as pd
import pytest

import sigconv

RNG = np.random.default_rng(7)
N = 64
INDEX = pd.date_range("2001-01-01", periods=N, freq="MS")

FILTERS = {
    "moving_average": lambda x, **kw: sigconv.moving_average(x, 5, min_periods=2, **kw),
    "moving_average-centered": lambda x, **kw: sigconv.moving_average(x, 4, center=True, **kw),
    "moving_average-weighted": lambda x, **kw: sigconv.moving_average(x, 5, "hann", **kw),
    "ema": lambda x, **kw: sigconv.ema(x, 0.3, **kw),
    "ema-not-adjusted": lambda x, **kw: sigconv.ema(x, span=4, adjust=False, **kw),
    "gaussian_smooth": lambda x, **kw: sigconv.gaussian_smooth(x, 2.0, **kw),
    "savgol_smooth": lambda x, **kw: sigconv.savgol_smooth(x, 7, 2, **kw),
    "fft_filter": lambda x, **kw: sigconv.fft_filter(x, lowpass=0.2, transition=0.05, **kw),
    "diffuse": lambda x, **kw: sigconv.diffuse(x, 10, 0.3, **kw),
    "stochastic_convolve": lambda x, **kw: sigconv.stochastic_convolve(
        x, [1.0, 2.0, 1.0], n_samples=50, seed=3, **kw).estimate,
    "decompose-trend": lambda x, **kw: sigconv.decompose(x, 12, **kw).trend,
    "decompose-seasonal": lambda x, **kw: sigconv.decompose(x, 12, **kw).seasonal,
}
NO_DTYPE = {"decompose-trend", "decompose-seasonal"}   # always float64, as statsmodels
# Each series of a batch draws its own random numbers, so it does not equal
# the same series filtered alone.
INDEPENDENT_DRAWS = {"stochastic_convolve"}


def series(seed=0):
    rng = np.random.default_rng(seed)
    return 10 + np.sin(np.arange(N) / 3) + rng.normal(size=N)


@pytest.mark.parametrize("name", FILTERS)
def test_series_in_series_out(name):
    x = pd.Series(series(), index=INDEX, name="level")
    before = x.copy()
    y = FILTERS[name](x)
    assert isinstance(y, pd.Series)
    assert y.index.equals(INDEX) and y.name == "level"
    np.testing.assert_array_equal(y.to_numpy(), FILTERS[name](x.to_numpy()))
    pd.testing.assert_series_equal(x, before)


@pytest.mark.parametrize("name", FILTERS)
def test_frame_in_frame_out(name):
    frame = pd.DataFrame({"a": series(1), "b": series(2), "c": series(3)}, index=INDEX)
    before = frame.copy()
    y = FILTERS[name](frame)
    assert isinstance(y, pd.DataFrame)
    assert y.index.equals(INDEX) and list(y.columns) == ["a", "b", "c"]
    for col in [] if name in INDEPENDENT_DRAWS else frame:
        np.testing.assert_allclose(y[col].to_numpy(), FILTERS[name](frame[col].to_numpy()),
                                   rtol=1e-13, atol=1e-13)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", FILTERS)
def test_batches_along_either_axis(name):
    rows = np.stack([series(s) for s in range(3)])
    before = rows.copy()
    along_last = FILTERS[name](rows)
    along_first = FILTERS[name](rows.T.copy(), axis=0)
    assert along_last.shape == rows.shape
    np.testing.assert_allclose(along_first.T, along_last, rtol=1e-13, atol=1e-13)
    for r in [] if name in INDEPENDENT_DRAWS else range(3):
        np.testing.assert_allclose(along_last[r], FILTERS[name](rows[r]), rtol=1e-13,
                                   atol=1e-13)
    np.testing.assert_array_equal(rows, before)


@pytest.mark.parametrize("name", sorted(set(FILTERS) - NO_DTYPE))
def test_float32_stays_float32(name):
    x = series().astype(np.float32)
    y = FILTERS[name](x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, FILTERS[name](x.astype(np.float64)), rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("name", sorted(set(FILTERS) - NO_DTYPE))
def test_dtype_argument(name):
    y = FILTERS[name](series(), dtype=np.float32)
    assert y.dtype == np.float32


def test_integer_input_is_float64():
    x = np.arange(30)
    assert sigconv.moving_average(x, 3).dtype == np.float64
    assert sigconv.ema(x, 0.5).dtype == np.float64
