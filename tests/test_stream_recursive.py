"""StreamFilter (chunked == whole) and recursive_filter against scipy.signal.lfilter,
statsmodels' recursive_filter and ``tests/naive.py``."""
import itertools

import numpy as np
import pandas as pd
import pytest
import scipy.signal as ss
from hypothesis import example, given, settings
from hypothesis import strategies as st
from statsmodels.tsa.filters.filtertools import recursive_filter as sm_recursive_filter

from sigconv import Kernel, StreamFilter, convolve, recursive_filter
from tests.naive import naive_convolve, naive_recursive

METHODS = ("direct", "fft", "overlap_add", "auto")
SOME = settings(max_examples=30, deadline=None, database=None)


def assert_close(actual, expected, rtol, scale):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale + 1e-300)


def split(x, cuts):
    """Chunks of ``x`` along the last axis between sorted ``cuts`` (repeats give
    empty chunks)."""
    edges = [0, *sorted(cuts), x.shape[-1]]
    return [x[..., a:b] for a, b in itertools.pairwise(edges)]


# ---------------------------------------------------------------------------
# StreamFilter: chunked == whole


@st.composite
def stream_case(draw, max_n=80):
    n = draw(st.integers(1, max_n))
    cuts = draw(st.lists(st.integers(0, n), max_size=12))
    k = draw(st.integers(1, 30))
    dilation = draw(st.integers(1, 3))
    cval = draw(st.sampled_from([0.0, 1.5, np.nan]))
    seed = draw(st.integers(0, 2**32 - 1))
    return n, cuts, k, dilation, cval, seed


@pytest.mark.parametrize("method", METHODS)
@SOME
@given(case=stream_case())
@example(case=(1, [], 2, 2, np.nan, 0))          # one sample, dilated, NaN history
@example(case=(6, [0, 2, 2, 3, 6], 4, 1, 0.0, 1))  # empty and size-1 chunks
def test_chunked_equals_whole(method, case):
    n, cuts, k, dilation, cval, seed = case
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(n), rng.standard_normal(k)
    stream = StreamFilter(w, dilation=dilation, cval=cval, method=method)
    chunks = [stream.process(c) for c in split(x, cuts)]
    assert all(len(out) == len(c) for out, c in zip(chunks, split(x, cuts)))
    y = np.concatenate(chunks)
    whole = convolve(x, w, "causal", cval=cval, dilation=dilation, method="direct")
    scale = np.abs(w).sum() * max(np.abs(x).max(), 1.5)
    assert_close(y, whole, 1e-12, scale)
    assert_close(y, naive_convolve(x, w, "causal", "constant", cval, dilation=dilation),
                 1e-12, scale)
    assert stream.state.shape == (1, (k - 1) * dilation)


@pytest.mark.parametrize("method", METHODS)
@SOME
@given(case=stream_case(max_n=60))
@example(case=(1, [], 2, 2, np.nan, 0))          # one sample, dilated, NaN history
@example(case=(6, [0, 2, 2, 3, 6], 4, 1, 0.0, 1))  # empty and size-1 chunks
def test_batch_chunks_equal_whole(method, case):
    n, cuts, k, dilation, cval, seed = case
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((3, n)), rng.standard_normal(k)
    stream = StreamFilter(w, dilation=dilation, cval=cval, method=method)
    y = np.concatenate([stream.process(c) for c in split(x, cuts)], axis=-1)
    whole = convolve(x, w, "causal", cval=cval, dilation=dilation, method="direct")
    assert y.shape == (3, n)
    assert_close(y, whole, 1e-12, np.abs(w).sum() * max(np.abs(x).max(), 1.5))


@pytest.mark.parametrize("method", METHODS)
def test_float32_chunks(method):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(500).astype(np.float32)
    w = rng.standard_normal(40)
    stream = StreamFilter(w, method=method)
    y = np.concatenate([stream.process(c) for c in split(x, [0, 1, 1, 7, 200, 213, 499])])
    assert y.dtype == np.float32
    expected = np.convolve(x.astype(np.float64), w.astype(np.float32).astype(np.float64))[:500]
    assert_close(y, expected, 1e-4, np.abs(w).sum() * np.abs(x).max())


def test_long_stream_with_kernel_object():
    """Kernel origin is irrelevant to a causal stream; multi-block chunks."""
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal(12_000), rng.standard_normal(301)
    stream = StreamFilter(Kernel(w, origin=150), method="auto")
    y = np.concatenate([stream.process(c) for c in split(x, [3000, 3001, 9000])])
    assert_close(y, np.convolve(x, w)[:12_000], 1e-12, np.abs(w).sum() * np.abs(x).max())


def test_series_and_frame_chunks_keep_their_index():
    rng = np.random.default_rng(3)
    idx = pd.date_range("2021-01-01", periods=50, freq="min")
    s = pd.Series(rng.standard_normal(50), index=idx, name="price")
    w = np.array([0.5, 0.3, 0.2])
    stream = StreamFilter(w)
    parts = [stream.process(s.iloc[a:b]) for a, b in [(0, 10), (10, 10), (10, 11), (11, 50)]]
    for part, (a, b) in zip(parts, [(0, 10), (10, 10), (10, 11), (11, 50)]):
        assert isinstance(part, pd.Series) and part.name == "price"
        assert part.index.equals(idx[a:b])
    assert_close(pd.concat(parts).to_numpy(), np.convolve(s.to_numpy(), w)[:50], 1e-12,
                 np.abs(s).max())
    frame = pd.DataFrame({"a": s.to_numpy(), "b": -s.to_numpy()}, index=idx)
    stream = StreamFilter(w)
    out = pd.concat([stream.process(frame.iloc[:17]), stream.process(frame.iloc[17:])])
    assert list(out.columns) == ["a", "b"] and out.index.equals(idx)
    assert_close(out["b"].to_numpy(), -np.convolve(s.to_numpy(), w)[:50], 1e-12,
                 np.abs(s).max())


def test_reset_starts_a_new_series():
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal(30), rng.standard_normal(6)
    stream = StreamFilter(w, cval=0.25)
    assert stream.state is None
    first = np.concatenate([stream.process(x[:13]), stream.process(x[13:])])
    np.testing.assert_array_equal(stream.state, x[None, -5:])
    stream.reset()
    assert stream.state is None
    again = np.concatenate([stream.process(x[:4]), stream.process(x[4:])])
    expected = naive_convolve(x, w, "causal", "constant", 0.25)
    assert_close(first, expected, 1e-12, np.abs(w).sum() * np.abs(x).max())
    assert_close(again, expected, 1e-12, np.abs(w).sum() * np.abs(x).max())
    # after a reset the number of series may change
    stream.reset()
    assert stream.process(np.ones((2, 3))).shape == (2, 3)


def test_stream_errors():
    with pytest.raises(ValueError, match="kernel must be 1-D for StreamFilter"):
        StreamFilter(np.ones((2, 3)))
    with pytest.raises(ValueError, match="method must be one of"):
        StreamFilter(np.ones(3), method="fast")
    with pytest.raises(ValueError, match="dilation must be an integer >= 1"):
        StreamFilter(np.ones(3), dilation=0)
    stream = StreamFilter(np.ones(3))
    stream.process(np.ones((3, 5)))
    with pytest.raises(ValueError, match="chunk must hold 3 series"):
        stream.process(np.ones((2, 5)))


# ---------------------------------------------------------------------------
# recursive_filter


def stable_ar(order, rng, radius=0.95):
    """Coefficients of a stable AR(order): roots inside the unit circle, real or in
    conjugate pairs."""
    roots = []
    while len(roots) < order:
        r = rng.uniform(0.0, radius)
        if order - len(roots) >= 2 and rng.random() < 0.5:
            z = r * np.exp(1j * rng.uniform(0, np.pi))
            roots += [z, np.conj(z)]
        else:
            roots.append(r * rng.choice([-1.0, 1.0]))
    return -np.real(np.poly(roots))[1:]


def lfilter_reference(x, coefs, init=None):
    a = np.r_[1.0, -np.asarray(coefs, dtype=np.float64)]
    if init is None:
        return ss.lfilter([1.0], a, x)
    zi = ss.lfiltic([1.0], a, y=np.asarray(init, dtype=np.float64))
    return ss.lfilter([1.0], a, x, zi=zi)[0]


@SOME
@given(order=st.integers(1, 6), n=st.integers(1, 200), with_init=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_recursive_filter_matches_lfilter_and_statsmodels(order, n, with_init, seed):
    rng = np.random.default_rng(seed)
    coefs = stable_ar(order, rng)
    x = rng.standard_normal(n)
    init = rng.standard_normal(order) * 3 if with_init else None
    y = recursive_filter(x, coefs, init=init)
    assert y.dtype == np.float64 and y.shape == (n,)
    expected = lfilter_reference(x, coefs, init)
    scale = np.abs(expected).max()
    assert_close(y, expected, 1e-10, scale)
    assert_close(y, naive_recursive(x, coefs, init), 1e-10, scale)
    if n > order:
        assert_close(y, np.asarray(sm_recursive_filter(x, coefs, init=init)), 1e-10, scale)


@pytest.mark.parametrize("order", range(1, 7))
def test_recursive_filter_float32(order):
    rng = np.random.default_rng(order)
    coefs = stable_ar(order, rng, radius=0.9)
    x = rng.standard_normal(400).astype(np.float32)
    init = rng.standard_normal(order).astype(np.float32)
    y = recursive_filter(x, coefs, init=init)
    assert y.dtype == np.float32
    expected = lfilter_reference(x.astype(np.float64), coefs.astype(np.float32), init)
    assert_close(y, expected, 1e-4, np.abs(expected).max())


def test_recursive_filter_batch_per_series_coefs_and_init():
    rng = np.random.default_rng(5)
    coefs = np.array([stable_ar(3, rng) for _ in range(4)])
    init = rng.standard_normal((4, 3))
    x = rng.standard_normal((4, 150))
    y = recursive_filter(x, coefs, init=init)
    shared = recursive_filter(x, coefs[0], init=init[0])
    for i in range(4):
        expected = lfilter_reference(x[i], coefs[i], init[i])
        assert_close(y[i], expected, 1e-10, np.abs(expected).max())
        expected = lfilter_reference(x[i], coefs[0], init[0])
        assert_close(shared[i], expected, 1e-10, np.abs(expected).max())
    # time on axis 0
    yt = recursive_filter(x.T, coefs, init=init, axis=0)
    np.testing.assert_array_equal(yt, y.T)


def test_recursive_filter_pandas_and_nan():
    rng = np.random.default_rng(6)
    idx = pd.period_range("1990-01", periods=60, freq="M")
    s = pd.Series(rng.standard_normal(60), index=idx, name="demand")
    coefs = np.array([0.5, -0.2])
    y = recursive_filter(s, coefs)
    assert isinstance(y, pd.Series) and y.index.equals(idx) and y.name == "demand"
    expected = np.asarray(sm_recursive_filter(s, coefs))
    assert_close(y.to_numpy(), expected, 1e-10, np.abs(expected).max())
    frame = pd.DataFrame({"a": s, "b": 2 * s})
    out = recursive_filter(frame, coefs)
    assert list(out.columns) == ["a", "b"] and out.index.equals(idx)
    assert_close(out["b"].to_numpy(), 2 * expected, 1e-10, 2 * np.abs(expected).max())
    # a NaN enters every later output, as in lfilter
    x = s.to_numpy().copy()
    x[20] = np.nan
    y = recursive_filter(x, coefs)
    assert np.isfinite(y[:20]).all() and np.isnan(y[20:]).all()
    assert_close(y[:20], lfilter_reference(x, coefs)[:20], 1e-10, np.abs(expected).max())
    with pytest.raises(ValueError, match="NaN"):
        recursive_filter(x, coefs, nan="raise")


def test_recursive_filter_errors():
    x = np.arange(10.0)
    with pytest.raises(ValueError, match="init must hold 2 values"):
        recursive_filter(x, [0.5, 0.1], init=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="needs a real series"):
        recursive_filter(x + 1j, [0.5])
    with pytest.raises(ValueError, match="nan must be one of 'propagate', 'raise'"):
        recursive_filter(x, [0.5], nan="ignore")
    with pytest.raises(ValueError, match="coefs weights must be finite"):
        recursive_filter(x, [np.nan])
