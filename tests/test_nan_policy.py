"""The ``nan=`` policy with every method: ``ignore`` against pandas' rolling mean
and ``tests/naive.py``, ``propagate`` against the direct sum, ``raise``.
"""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sigconv import Kernel, convolve, correlate
from tests.naive import BOUNDARIES, naive_convolve, naive_normalized, naive_rolling_mean

METHODS = ("direct", "fft", "overlap_add", "auto")
RTOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10}

FEW = settings(max_examples=15, deadline=None, database=None)
SOME = settings(max_examples=30, deadline=None, database=None)


def assert_matches(actual, expected, w, x, dtype=np.float64, cval=0.0):
    """Same dtype, same NaN positions, equal elsewhere to ``rtol`` with an absolute
    floor ``rtol * sum|w| * max|x|``."""
    actual = np.asarray(actual)
    assert actual.dtype == np.dtype(dtype)
    rtol = RTOL[np.dtype(dtype)]
    x = np.asarray(x, dtype=np.float64)
    finite = np.abs(x[np.isfinite(x)])
    peak = max(finite.max(initial=0.0), abs(cval) if np.isfinite(cval) else 0.0)
    scale = np.abs(np.asarray(w, dtype=np.float64)).sum() * peak
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale + 1e-300)


def with_gaps(x, rng, scattered=0.1, run=None):
    """``x`` with NaN at random positions and, optionally, one long run ``(start, length)``."""
    x = np.array(x, dtype=np.float64)
    x[rng.random(len(x)) < scattered] = np.nan
    if run is not None:
        start, length = run
        x[start:start + length] = np.nan
    return x


def nile():
    return sm.datasets.nile.load_pandas().data["volume"].to_numpy()


def sunspots():
    return sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()


# ---------------------------------------------------------------------------
# nan="ignore" with a box kernel is pandas' rolling mean


def box_rolling(x, k, m, center, method):
    """sigconv's spelling of ``rolling(k, min_periods=m, center=center).mean()``."""
    if center:
        return convolve(x, np.ones(k) / k, "same", cval=np.nan, nan="ignore",
                        min_weight=m / k, method=method)
    return convolve(x, np.ones(k) / k, "causal", cval=np.nan, nan="ignore",
                    min_weight=m / k, method=method)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("center", [True, False], ids=["centred", "trailing"])
@pytest.mark.parametrize("k,m", [(3, 1), (5, 3), (4, 2), (12, 6), (13, 13), (7, 1)])
@pytest.mark.parametrize("dataset", ["nile", "sunspots"])
def test_box_kernel_is_pandas_rolling_mean_on_real_data(dataset, k, m, center, method):
    """Even ``k`` too: pandas centres an even window with its end at
    ``t + (k - 1) // 2``, which is a plain array's default origin."""
    rng = np.random.default_rng(k * 100 + m)
    raw = nile() if dataset == "nile" else sunspots()
    x = with_gaps(raw, rng, scattered=0.08, run=(len(raw) // 3, 2 * k + 3))
    x[:2] = np.nan
    x[-1] = np.nan
    y = box_rolling(x, k, m, center, method)
    expected = pd.Series(x).rolling(k, center=center, min_periods=m).mean().to_numpy()
    assert_matches(y, expected, np.ones(k) / k, x)
    assert np.isnan(y[len(raw) // 3 + k + 1])  # inside the long run: nothing present


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("method", METHODS)
@SOME
@given(n=st.integers(1, 80), k=st.integers(1, 15), m_fraction=st.floats(0, 1),
       center=st.booleans(), scattered=st.sampled_from([0.0, 0.1, 0.4, 0.9]),
       run=st.none() | st.tuples(st.integers(0, 79), st.integers(1, 40)),
       seed=st.integers(0, 2**32 - 1))
@example(n=1, k=11, m_fraction=0.0, center=False, scattered=0.0, run=None, seed=0)
@example(n=15, k=2, m_fraction=0.0, center=False, scattered=0.1, run=None, seed=233)
def test_box_kernel_is_pandas_rolling_mean_on_random_data(dtype, method, n, k, m_fraction,
                                                          center, scattered, run, seed):
    rng = np.random.default_rng(seed)
    x = with_gaps(rng.standard_normal(n) * 10 + 3, rng, scattered, run).astype(dtype)
    m = max(1, round(m_fraction * k))
    y = box_rolling(x, k, m, center, method)
    x64 = x.astype(np.float64)
    expected = pd.Series(x64).rolling(k, center=center, min_periods=m).mean().to_numpy()
    assert_matches(y, expected, np.ones(k) / k, x, dtype)
    assert_matches(y, naive_rolling_mean(x64, k, m, center), np.ones(k) / k, x, dtype)


@pytest.mark.parametrize("method", METHODS)
def test_rolling_mean_of_series_and_frame_keeps_labels(method):
    idx = pd.date_range("1871", periods=100, freq="YS")
    x = with_gaps(nile(), np.random.default_rng(1), 0.1, (40, 15))
    s = pd.Series(x, index=idx, name="volume")
    y = convolve(s, np.ones(5) / 5, "same", cval=np.nan, nan="ignore", min_weight=0.6,
                 method=method)
    assert isinstance(y, pd.Series) and y.index.equals(idx) and y.name == "volume"
    expected = s.rolling(5, center=True, min_periods=3).mean()
    assert_matches(y.to_numpy(), expected.to_numpy(), np.ones(5) / 5, x)
    frame = pd.DataFrame({"a": x, "b": x[::-1].copy()}, index=idx)
    out = convolve(frame, np.ones(4) / 4, "causal", cval=np.nan, nan="ignore", method=method)
    assert list(out.columns) == ["a", "b"] and out.index.equals(idx)
    expected = frame.rolling(4, min_periods=1).mean()
    for col in "ab":
        assert_matches(out[col].to_numpy(), expected[col].to_numpy(), np.ones(4) / 4, x)


# ---------------------------------------------------------------------------
# nan="ignore" with any kernel: normalised convolution


@pytest.mark.parametrize("method", METHODS)
@SOME
@given(n=st.integers(1, 60), k=st.integers(1, 12), dilation=st.integers(1, 3),
       mode=st.sampled_from(["full", "valid", "same", "causal"]),
       boundary=st.sampled_from(BOUNDARIES), cval=st.sampled_from([0.0, 2.5, np.nan]),
       min_weight=st.none() | st.sampled_from([0.0, 0.3, 0.5, 1.0]),
       dtype=st.sampled_from([np.float32, np.float64]),
       seed=st.integers(0, 2**32 - 1))
@example(n=3, k=8, dilation=1, mode="full", boundary="constant", cval=0.0, min_weight=1.0,
         dtype=np.float32, seed=4)
@example(n=4, k=2, dilation=1, mode="full", boundary="constant", cval=0.0, min_weight=None,
         dtype=np.float32, seed=0)
@example(n=3, k=1, dilation=1, mode="full", boundary="constant", cval=0.0, min_weight=None,
         dtype=np.float32, seed=0)
def test_ignore_matches_naive_normalized(method, n, k, dilation, mode, boundary, cval,
                                         min_weight, dtype, seed):
    span = (k - 1) * dilation + 1
    if mode == "valid" and span > n:
        n = span + n % 5
    rng = np.random.default_rng(seed)
    x = with_gaps(rng.standard_normal(n), rng, 0.2, (rng.integers(n), rng.integers(1, 8)))
    x = x.astype(dtype)
    w = rng.uniform(0.1, 1.0, k) * rng.choice([-1.0, 1.0], k)
    w = w.astype(dtype).astype(np.float64)
    y = convolve(x, w, mode, boundary=boundary, cval=cval, nan="ignore",
                 min_weight=min_weight, dilation=dilation, method=method)
    expected = naive_normalized(x.astype(np.float64), w, mode, boundary, cval,
                                dilation=dilation, min_weight=min_weight)
    assert_matches(y, expected, w, x, dtype, cval)


@pytest.mark.parametrize("method", METHODS)
def test_ignore_with_kernel_origin_and_correlate(method):
    rng = np.random.default_rng(3)
    x = with_gaps(rng.standard_normal(50), rng, 0.2, (20, 6))
    w = rng.uniform(0.2, 1.0, 6)
    y = convolve(x, Kernel(w, origin=4), "same", boundary="mirror", nan="ignore",
                 method=method)
    assert_matches(y, naive_normalized(x, w, "same", "mirror", origin=4), w, x)
    c = correlate(x, w, "same", cval=np.nan, nan="ignore", method=method)
    assert_matches(c, naive_normalized(x, w[::-1], "same", "constant", np.nan), w, x)


def test_ignore_without_missing_values_is_plain_convolution():
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal(40), rng.standard_normal(5)
    for method in METHODS:
        y = convolve(x, w, "same", nan="ignore", method=method)
        assert_matches(y, naive_convolve(x, w, "same"), w, x)


# ---------------------------------------------------------------------------
# nan="propagate": NaN stays in the windows that cover it, every method


def covers_nonfinite(x, k, mode, boundary, cval, dilation=1, origin=None):
    """Does output t's window hold a non-finite sample?  An independent count."""
    bad = (~np.isfinite(x)).astype(np.float64)
    bad_cval = 0.0 if np.isfinite(cval) else 1.0
    return naive_convolve(bad, np.ones(k), mode, boundary, bad_cval, origin=origin,
                          dilation=dilation) > 0


@pytest.mark.parametrize("method", METHODS)
@SOME
@given(n=st.integers(1, 80), k=st.integers(1, 12), dilation=st.integers(1, 3),
       mode=st.sampled_from(["full", "valid", "same", "causal"]),
       boundary=st.sampled_from(BOUNDARIES), cval=st.sampled_from([0.0, 1.0, np.nan]),
       value=st.sampled_from([np.nan, np.inf, -np.inf]),
       dtype=st.sampled_from([np.float32, np.float64]),
       n_bad=st.integers(0, 4), seed=st.integers(0, 2**32 - 1))
@example(n=3, k=2, dilation=2, mode="valid", boundary="constant", cval=0.0, value=np.nan,
         dtype=np.float32, n_bad=1, seed=0)
def test_propagate_is_the_direct_sum(method, n, k, dilation, mode, boundary, cval, value,
                                     dtype, n_bad, seed):
    span = (k - 1) * dilation + 1
    if mode == "valid" and span > n:
        n = span + n % 5
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n).astype(dtype)
    x[rng.integers(0, n, n_bad)] = value
    w = (rng.uniform(0.1, 1.0, k) * rng.choice([-1.0, 1.0], k)).astype(dtype)
    kwargs = {"boundary": boundary, "cval": cval, "dilation": dilation}
    y = convolve(x, w, mode, method=method, **kwargs)
    direct = convolve(x, w, mode, method="direct", **kwargs)
    touched = covers_nonfinite(x, k, mode, boundary, cval, dilation)
    assert y.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(~np.isfinite(y), touched)   # no smearing
    np.testing.assert_array_equal(y[touched], direct[touched])  # NaN, or inf of its sign
    rtol = RTOL[np.dtype(dtype)]
    finite = x[np.isfinite(x)]
    scale = np.abs(w.astype(np.float64)).sum() * max(np.abs(finite).max(initial=0.0), 1.0)
    np.testing.assert_allclose(y[~touched], direct[~touched], rtol=rtol, atol=rtol * scale)
    with np.errstate(invalid="ignore"):
        expected = naive_convolve(x.astype(np.float64), w.astype(np.float64), mode, boundary,
                                  cval, dilation=dilation)
    np.testing.assert_allclose(y, expected, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("method", METHODS)
def test_inf_gives_inf_of_the_weights_sign(method):
    x = np.zeros(30)
    x[10] = np.inf
    w = np.array([1.0, -2.0, 3.0])
    y = convolve(x, w, "same", method=method)
    expected = np.zeros(30)
    expected[9:12] = [3 * np.inf, -2 * np.inf, np.inf]
    np.testing.assert_array_equal(y, expected)
    x[20] = x[21] = np.inf
    y = convolve(x, w, "full", method=method)
    np.testing.assert_array_equal(y, convolve(x, w, "full", method="direct"))
    assert np.isnan(y[21]) and np.isnan(y[22])  # +inf and -inf terms meet
    assert y[20] == np.inf and y[23] == np.inf
    assert np.isfinite(y[:10]).all() and np.isfinite(y[13:20]).all()


# ---------------------------------------------------------------------------
# NaN/inf at the start, middle and end; numpy, Series and DataFrame


POSITIONS = {"start": [0], "middle": [17], "end": [39], "start_end": [0, 39],
             "run": list(range(12, 25))}


def wrap(x, container):
    """``x`` as an array, a Series, or the first column of a DataFrame whose second
    column is ``x`` in reverse."""
    if container == "numpy":
        return x
    idx = pd.date_range("2000-01-01", periods=len(x), freq="h")
    if container == "series":
        return pd.Series(x, index=idx, name="x")
    return pd.DataFrame({"x": x, "y": x[::-1].copy()}, index=idx)


def columns(y, x, container):
    """(output, input) pairs, one per series."""
    if container == "numpy":
        return [(np.asarray(y), x)]
    if container == "series":
        return [(y.to_numpy(), x)]
    return [(y["x"].to_numpy(), x), (y["y"].to_numpy(), x[::-1].copy())]


@pytest.mark.parametrize("container", ["numpy", "series", "frame"])
@pytest.mark.parametrize("where", list(POSITIONS))
@pytest.mark.parametrize("value", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("method", METHODS)
def test_nonfinite_positions_and_containers(method, value, where, container):
    rng = np.random.default_rng(5)
    x = rng.standard_normal(40)
    x[POSITIONS[where]] = value
    w = np.array([0.5, 1.0, 2.0, 1.0])
    data = wrap(x, container)
    for mode, boundary in [("same", "reflect"), ("causal", "constant"), ("full", "constant")]:
        y = convolve(data, w, mode, boundary=boundary, method=method)
        if container != "numpy" and mode != "full":
            assert y.index.equals(data.index)
        for col, xi in columns(y, x, container):
            with np.errstate(invalid="ignore"):
                expected = naive_convolve(xi, w, mode, boundary)
            touched = covers_nonfinite(xi, 4, mode, boundary, 0.0)
            np.testing.assert_array_equal(~np.isfinite(col), touched)
            np.testing.assert_allclose(col, expected, rtol=1e-10, atol=1e-10 * 4.5 * 3)
        y = convolve(data, w, mode, boundary=boundary, cval=np.nan, nan="ignore",
                     method=method)
        for col, xi in columns(y, x, container):
            assert_matches(col, naive_normalized(xi, w, mode, boundary, np.nan), w, xi)


@pytest.mark.parametrize("container", ["numpy", "series", "frame"])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", METHODS)
def test_raise_policy(method, value, container):
    x = np.arange(20.0)
    x[7] = value
    with pytest.raises(ValueError, match="NaN"):
        convolve(wrap(x, container), np.ones(3), nan="raise", method=method)
    with pytest.raises(ValueError, match="first at position 7"):
        correlate(wrap(x, container), np.ones(3), "same", nan="raise", method=method)
    x[7] = 1.0
    y = convolve(wrap(x, container), np.ones(3), "same", nan="raise", method=method)
    for col, xi in columns(y, x, container):
        np.testing.assert_allclose(col, np.convolve(xi, np.ones(3), "same"), rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_min_weight_errors(method):
    x = np.arange(10.0)
    for policy in ("propagate", "raise"):
        with pytest.raises(ValueError, match="min_weight applies only with nan='ignore'"):
            convolve(x, np.ones(3), nan=policy, min_weight=0.5, method=method)
    for bad in (-0.1, 1.5, "half"):
        with pytest.raises(ValueError, match=r"min_weight must be a number in \[0, 1\]"):
            convolve(x, np.ones(3), nan="ignore", min_weight=bad, method=method)
    with pytest.raises(ValueError, match="nan must be one of 'propagate', 'raise', 'ignore'"):
        convolve(x, np.ones(3), nan="skip", method=method)
