"""sigconv on dask arrays (sigconv.dask.arrays) equals the in-memory functions, for
random chunkings including chunks smaller than the kernel, batch axes first or
last, every mode, boundary and NaN policy; bad input fails at the call."""
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import sigconv
from sigconv import match, smooth

SOME = settings(max_examples=30, deadline=None, database=None)
FEW = settings(max_examples=15, deadline=None, database=None)


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def same(lazy, expected, rtol=1e-12, atol=0.0):
    """``lazy`` is a dask array whose computed value equals ``expected``: same
    shape, dtype, NaN positions, values to ``rtol`` of the result's scale."""
    assert isinstance(lazy, da.Array)
    actual = lazy.compute()
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(actual[~finite], expected[~finite])
    scale = np.max(np.abs(expected[finite]), initial=1.0)
    np.testing.assert_allclose(actual[finite], expected[finite], rtol=rtol,
                               atol=max(rtol * scale, atol))


@st.composite
def chunking(draw, n):
    """Chunk sizes adding up to ``n``: tiny (1-3 samples), random cuts, or one chunk."""
    kind = draw(st.sampled_from(["tiny", "cuts", "one"]))
    if kind == "one":
        return (n,)
    if kind == "tiny":
        sizes, left = [], n
        while left:
            sizes.append(min(left, draw(st.integers(1, 3))))
            left -= sizes[-1]
        return tuple(sizes)
    cuts = sorted(set(draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=6))) - {n})
    return tuple(b - a for a, b in itertools.pairwise([0, *cuts, n]))


@st.composite
def series(draw, min_n=1, max_n=40, nan=False, layout=None):
    """(x, dask x, axis): 1-D, or 2-D with time on axis -1 or 0 (3 series, chunked too)."""
    n = draw(st.integers(min_n, max_n))
    layout = layout or draw(st.sampled_from(["1d", "last", "first"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = {"1d": (n,), "last": (3, n), "first": (n, 3)}[layout]
    x = rng.normal(size=shape) * 3 + 1
    if nan:
        holes = rng.random(shape) < draw(st.sampled_from([0.0, 0.1, 0.4]))
        x[holes] = np.nan
    time_chunks = draw(chunking(n))
    # The batch axis is chunked too, except when time is one chunk: then a short series
    # is refused as "chunked along the wrong axis" (test_wrong_axis_chunking...).
    batch = (3,) if len(time_chunks) == 1 else (2, 1)
    chunks = {"1d": (time_chunks,), "last": (batch, time_chunks),
              "first": (time_chunks, batch[::-1])}[layout]
    axis = 0 if layout == "first" else -1
    return x, da.from_array(x, chunks=chunks), axis


# ---------------------------------------------------------------------------
# Convolution


@pytest.mark.parametrize("mode", ["full", "valid", "same", "causal"])
@SOME
@given(data=st.data())
def test_convolve_and_correlate_equal_in_memory(mode, data):
    x, dx, axis = data.draw(series(nan=data.draw(st.booleans())))
    n = x.shape[axis]
    k = data.draw(st.integers(1, 9))
    dilation = data.draw(st.integers(1, 3))
    if mode == "valid":
        k = min(k, (n - 1) // dilation + 1)
    kernel = np.random.default_rng(k).normal(size=k)
    boundary = data.draw(st.sampled_from(sigconv.engine.BOUNDARIES))
    cval = data.draw(st.sampled_from([0.0, 1.5, np.nan]))
    nan = data.draw(st.sampled_from(["propagate", "ignore"]))
    method = data.draw(st.sampled_from(["auto", "direct", "fft"]))
    min_weight = data.draw(st.sampled_from([None, 0.5])) if nan == "ignore" else None
    options = {"boundary": boundary, "cval": cval, "nan": nan, "method": method, "dilation": dilation,
                   "axis": axis, "min_weight": min_weight}
    same(sigconv.convolve(dx, kernel, mode, **options),
         sigconv.convolve(x, kernel, mode, **options))
    same(sigconv.correlate(dx, kernel, mode, **options),
         sigconv.correlate(x, kernel, mode, **options))


@FEW
@given(data=st.data())
def test_convolve_kernel_per_series_and_dtypes(data):
    x, dx, axis = data.draw(series(layout=data.draw(st.sampled_from(["last", "first"]))))
    kernels = np.random.default_rng(0).normal(size=(3, data.draw(st.integers(1, 6))))
    dtype = data.draw(st.sampled_from([None, np.float32]))
    rtol = 1e-5 if dtype else 1e-12
    same(sigconv.convolve(dx, kernels, "same", boundary="wrap", axis=axis, dtype=dtype),
         sigconv.convolve(x, kernels, "same", boundary="wrap", axis=axis, dtype=dtype), rtol)
    kernel = sigconv.Kernel([1.0, -2.0, 0.5], origin=2)
    same(sigconv.correlate(dx, kernel, "same", boundary="mirror", axis=axis),
         sigconv.correlate(x, kernel, "same", boundary="mirror", axis=axis))


def test_convolve_complex_and_nan_raise():
    x = np.arange(12.0)
    dx = da.from_array(x, chunks=2)
    kernel = np.array([1.0, 1j, 2.0])
    same(sigconv.convolve(dx, kernel, "full"), sigconv.convolve(x, kernel, "full"))
    x[7] = np.nan
    lazy = sigconv.convolve(da.from_array(x, chunks=2), [1.0, 1.0], nan="raise")
    with pytest.raises(ValueError, match="first at time position 7"):
        lazy.compute()


# ---------------------------------------------------------------------------
# Smoothers


@SOME
@given(data=st.data())
def test_moving_average_equals_in_memory(data):
    x, dx, axis = data.draw(series(nan=True))
    window = data.draw(st.integers(1, 12))
    min_periods = data.draw(st.sampled_from([None, 0, 1, window]))
    options = {"center": data.draw(st.booleans()), "min_periods": min_periods, "axis": axis,
                   "nan": data.draw(st.sampled_from(["ignore", "propagate"])),
                   "weights": data.draw(st.sampled_from([None, "hann"]))}
    same(smooth.moving_average(dx, window, **options),
         smooth.moving_average(x, window, **options))


@FEW
@given(data=st.data())
def test_gaussian_and_savgol_equal_in_memory(data):
    x, dx, axis = data.draw(series(min_n=9))
    sigma = data.draw(st.sampled_from([0.5, 1.0, 2.5]))
    boundary = data.draw(st.sampled_from(sigconv.engine.BOUNDARIES))
    same(smooth.gaussian_smooth(dx, sigma, boundary=boundary, axis=axis),
         smooth.gaussian_smooth(x, sigma, boundary=boundary, axis=axis))
    window = data.draw(st.sampled_from([1, 3, 5, 9]))
    polyorder = data.draw(st.integers(0, window - 1))
    deriv = data.draw(st.integers(0, polyorder))
    same(smooth.savgol_smooth(dx, window, polyorder, deriv, axis=axis),
         smooth.savgol_smooth(x, window, polyorder, deriv, axis=axis))


@pytest.mark.parametrize("adjust", [True, False])
@pytest.mark.parametrize("ignore_na", [False, True])
@SOME
@given(data=st.data())
def test_ema_equals_in_memory(adjust, ignore_na, data):
    x, dx, axis = data.draw(series(nan=True))
    alpha = data.draw(st.sampled_from([0.05, 0.3, 0.5, 0.9, 1.0]))   # 0.5: pandas' com == 1
    min_periods = data.draw(st.integers(0, 4))
    options = {"adjust": adjust, "ignore_na": ignore_na, "min_periods": min_periods, "axis": axis}
    same(smooth.ema(dx, alpha, **options), smooth.ema(x, alpha, **options))


def test_ema_float32_and_long_gaps():
    x = np.random.default_rng(1).normal(size=200).astype(np.float32)
    x[:30] = np.nan
    x[50:140] = np.nan
    for adjust, ignore_na in itertools.product([True, False], repeat=2):
        dx = da.from_array(x, chunks=17)
        same(smooth.ema(dx, span=8, adjust=adjust, ignore_na=ignore_na),
             smooth.ema(x, span=8, adjust=adjust, ignore_na=ignore_na), 1e-6)


# ---------------------------------------------------------------------------
# Recursive filters


@st.composite
def stable_coefs(draw):
    """AR coefficients of order 1-4 with every pole inside radius 0.95."""
    p = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    poles = []
    while len(poles) < p:
        r, phase = 0.95 * rng.random(), rng.uniform(0, np.pi)
        if len(poles) + 2 <= p and rng.random() < 0.5:
            poles += [r * np.exp(1j * phase), r * np.exp(-1j * phase)]
        else:
            poles.append(r * rng.choice([-1.0, 1.0]))
    return -np.poly(poles).real[1:]


@SOME
@given(data=st.data(), coefs=stable_coefs())
def test_recursive_filter_equals_in_memory(data, coefs):
    x, dx, axis = data.draw(series(max_n=60))
    init = data.draw(st.sampled_from([None, "random"]))
    if init is not None:
        init = np.random.default_rng(2).normal(size=coefs.size)
    same(sigconv.recursive_filter(dx, coefs, init, axis=axis),
         sigconv.recursive_filter(x, coefs, init, axis=axis))


def test_recursive_filter_per_series_and_nan():
    x = np.random.default_rng(3).normal(size=(3, 50))
    coefs = np.array([[0.5, 0.2], [-0.3, 0.1], [0.9, -0.5]])
    dx = da.from_array(x, chunks=((1, 2), (1, 4, 20, 25)))
    same(sigconv.recursive_filter(dx, coefs, init=np.ones((3, 2))),
         sigconv.recursive_filter(x, coefs, init=np.ones((3, 2))))
    x[1, 30] = np.nan
    dx = da.from_array(x, chunks=((1, 2), (1, 4, 20, 25)))
    same(sigconv.recursive_filter(dx, coefs), sigconv.recursive_filter(x, coefs))
    with pytest.raises(ValueError, match="first at time position 30"):
        sigconv.recursive_filter(dx, coefs, nan="raise").compute()


def test_long_series_in_many_chunks():
    rng = np.random.default_rng(4)
    x = rng.normal(size=20_000)
    dx = da.from_array(x, chunks=1000)
    same(sigconv.recursive_filter(dx, [1.6, -0.8]), sigconv.recursive_filter(x, [1.6, -0.8]))
    same(smooth.ema(dx, alpha=0.001), smooth.ema(x, alpha=0.001))
    kernel = rng.normal(size=301)
    same(sigconv.convolve(dx, kernel, "same", boundary="reflect"),
         sigconv.convolve(x, kernel, "same", boundary="reflect"))


# ---------------------------------------------------------------------------
# Template matching


@SOME
@given(data=st.data())
def test_ncc_and_distance_profile_equal_in_memory(data):
    x, dx, axis = data.draw(series(min_n=6, nan=data.draw(st.booleans())))
    m = data.draw(st.integers(2, 6))
    template = np.random.default_rng(m).normal(size=m)
    # Each chunk centres its windows on its own mean, not the series': a window whose
    # spread is tiny next to that offset (two close samples for m = 2) is scored with
    # the round-off of that cancellation, in memory too.
    same(match.ncc(dx, template, axis=axis, nan="ignore"),
         match.ncc(x, template, axis=axis, nan="ignore"), 1e-9)
    # d = sqrt(2 m (1 - ncc)) turns the scores' round-off near a perfect match into its
    # square root; compared as the score it encodes, 1 - d^2 / (2 m), to the scores' 1e-9.
    same(1 - match.distance_profile(dx, template, axis=axis, nan="ignore") ** 2 / (2 * m),
         1 - match.distance_profile(x, template, axis=axis, nan="ignore") ** 2 / (2 * m), 1e-9)


@SOME
@given(data=st.data())
def test_find_matches_equals_in_memory(data):
    n = data.draw(st.integers(30, 150))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    template = np.sin(np.linspace(0, 2 * np.pi, data.draw(st.integers(3, 10))))
    x = rng.normal(size=n)
    ties = data.draw(st.booleans())
    if ties:   # repeated values make tied scores
        x[rng.random(n) < 0.3] = 0.0
    dx = da.from_array(x, chunks=(data.draw(chunking(n)),))
    k = data.draw(st.sampled_from([None, 1, 2, 5]))
    threshold = data.draw(st.sampled_from([None, -0.5, 0.3, 0.8])) if k else \
        data.draw(st.sampled_from([-0.5, 0.3, 0.8]))
    exclusion = data.draw(st.sampled_from([None, 0, 1, 4]))
    got = match.find_matches(dx, template, k, threshold, exclusion)
    assert isinstance(got, pd.DataFrame)
    # The per-chunk candidates lose nothing: the greedy over every (computed) score
    # picks the same windows, ties included.
    scores = match.ncc(dx, template).compute()
    keep = np.flatnonzero(np.isfinite(scores) if threshold is None else scores >= threshold)
    excl = len(template) // 2 if exclusion is None else exclusion
    picked = keep[match._greedy(keep, scores[keep], excl, k)]
    np.testing.assert_array_equal(got["start"], picked)
    np.testing.assert_array_equal(got["score"], scores[picked])
    if not ties:
        # Scores differ from the in-memory ones by round-off only, which reorders
        # nothing unless two windows score the same.
        want = match.find_matches(x, template, k, threshold, exclusion)
        pd.testing.assert_frame_equal(got, want, rtol=1e-10)
        assert got.attrs["threshold"] == want.attrs["threshold"] or np.isnan(threshold or np.nan)


# ---------------------------------------------------------------------------
# Laziness, dispatch, bad input


def test_results_are_lazy_and_dispatched_from_every_public_function():
    dx = da.from_array(np.random.default_rng(5).normal(size=40), chunks=7)
    lazy = [sigconv.convolve(dx, [1.0, 2.0]), sigconv.correlate(dx, [1.0, 2.0]),
            sigconv.recursive_filter(dx, [0.5]), smooth.moving_average(dx, 3),
            smooth.gaussian_smooth(dx, 1.0), smooth.savgol_smooth(dx, 5, 2),
            smooth.ema(dx, 0.3), match.ncc(dx, [1.0, 0.0, 2.0]),
            match.distance_profile(dx, [1.0, 0.0, 2.0])]
    assert all(isinstance(y, da.Array) for y in lazy)
    from sigconv import dask as sd
    assert sd.convolve is sigconv.dask.arrays.convolve


def test_bad_options_raise_at_the_call_with_the_in_memory_messages():
    dx = da.from_array(np.arange(10.0), chunks=3)
    with pytest.raises(ValueError, match="mode must be one of"):
        sigconv.convolve(dx, [1.0], "sideways")
    with pytest.raises(ValueError, match="mode='valid' needs the kernel to fit"):
        sigconv.convolve(dx, np.ones(11), "valid")
    with pytest.raises(ValueError, match="min_weight applies only"):
        sigconv.convolve(dx, [1.0], min_weight=0.5)
    with pytest.raises(ValueError, match="min_periods must be at most window"):
        smooth.moving_average(dx, 3, min_periods=4)
    with pytest.raises(ValueError, match="window must be at most the series length"):
        smooth.savgol_smooth(dx, 11, 2)
    with pytest.raises(ValueError, match="give exactly one of alpha"):
        smooth.ema(dx)
    with pytest.raises(ValueError, match="init must hold 2 values"):
        sigconv.recursive_filter(dx, [0.5, 0.1], init=[1.0])
    with pytest.raises(ValueError, match="must not be longer"):
        match.ncc(dx, np.arange(11.0))
    with pytest.raises(ValueError, match="needs k= or threshold="):
        match.find_matches(dx, [0.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="find_matches takes one series"):
        match.find_matches(da.ones((2, 10)), [0.0, 1.0, 0.0], k=1)
    with pytest.raises(TypeError, match="must hold numbers"):
        sigconv.convolve(da.from_array(np.array(["a", "b"])), [1.0])
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        sigconv.convolve(da.ones((3, 4)), [1.0], axis=2)


def test_wrong_axis_chunking_is_refused_with_the_remedy():
    # Time runs along axis 0 (chunked); axis=-1 (3 samples, one chunk) was left as default.
    dx = da.ones((1000, 3), chunks=(100, 3))
    with pytest.raises(ValueError, match=r"chunked along axis 0 .* pass axis=0"):
        sigconv.convolve(dx, np.ones(5), "same")
    with pytest.raises(ValueError, match="pass axis=0"):
        smooth.moving_average(dx, 10)
    assert sigconv.convolve(dx, np.ones(5), "same", axis=0).shape == (1000, 3)
    # A panel of series chunked along the batch axis, each longer than the kernel, is fine.
    panel = da.ones((1000, 30), chunks=(100, 30))
    assert smooth.moving_average(panel, 5).shape == (1000, 30)


def test_importing_sigconv_does_not_import_dask():
    import subprocess
    import sys

    code = "import sys, sigconv, numpy; sigconv.convolve(numpy.ones(3), [1.0]); " \
        "print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
