"""Acceptance suite of the engine: every mode x boundary x method x dtype against
scipy.signal, scipy.ndimage, numpy and the slow loops in ``tests/naive.py``.

Tolerances are relative (1e-10 in float64, 1e-4 in float32) with an absolute
floor of ``rtol * sum|w| * max|x|``, the size of the terms being summed, so
that outputs near zero by cancellation do not make the checks flaky.
"""
import numpy as np
import pandas as pd
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss
from hypothesis import given, settings
from hypothesis import strategies as st

import sigconv
from sigconv import Kernel, convolve, correlate
from tests.naive import BOUNDARIES, naive_convolve

METHODS = ("direct", "fft", "overlap_add", "auto")
DTYPES = (np.float32, np.float64)
RTOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10,
        np.dtype(np.complex64): 1e-4, np.dtype(np.complex128): 1e-10}
CVALS = (0.0, 1.5, -2.25)   # exact in float32

FEW = settings(max_examples=25, deadline=None, database=None)
SOME = settings(max_examples=50, deadline=None, database=None)


def data(seed, shape, dtype=np.float64):
    rng = np.random.default_rng(seed)
    out = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        out = out + 1j * rng.standard_normal(shape)
    return out.astype(dtype)


def assert_matches(actual, expected, w, x, dtype, cval=0.0):
    """``actual`` has ``dtype`` and equals ``expected`` to the dtype's tolerance."""
    dtype = np.dtype(dtype)
    assert actual.dtype == dtype
    rtol = RTOL[dtype]
    x = np.asarray(x)
    finite = x[np.isfinite(x)]
    peak = max(np.abs(finite).max(initial=0.0), abs(cval))
    scale = np.abs(np.asarray(w)).sum(axis=-1).max() * peak
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale + 1e-300)


def as64(a):
    """The float64 (or complex128) values of ``a``: references see exactly what the
    engine saw, single-precision rounding included."""
    a = np.asarray(a)
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def ndimage_origin(k, origin):
    """``scipy.ndimage.convolve1d``'s ``origin`` for a kernel of ``k`` taps whose
    lag 0 is at index ``origin``."""
    return origin - k // 2


def dilate(w, d):
    out = np.zeros((len(w) - 1) * d + 1, dtype=w.dtype)
    out[::d] = w
    return out


# ---------------------------------------------------------------------------
# full / valid against scipy.signal and numpy


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", ["full", "valid"])
@SOME
@given(n=st.integers(1, 60), k=st.integers(1, 25), seed=st.integers(0, 2**32 - 1))
def test_full_valid_match_scipy_signal(mode, method, dtype, n, k, seed):
    if mode == "valid" and k > n:
        n, k = k, n
    x, w = data(seed, n, dtype), data(seed + 1, k, dtype)
    y = convolve(x, w, mode, method=method)
    expected = ss.convolve(as64(x), as64(w), mode, method="direct")
    assert_matches(y, expected, w, x, dtype)
    assert_matches(y, naive_convolve(as64(x), as64(w), mode), w, x, dtype)
    if mode == "full":
        assert_matches(y, np.convolve(as64(x), as64(w)), w, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@SOME
@given(n=st.integers(1, 60), k=st.integers(1, 25), seed=st.integers(0, 2**32 - 1))
def test_correlate_matches_scipy_signal(mode, method, dtype, n, k, seed):
    if mode == "valid" and k > n:
        n, k = k, n
    x, t = data(seed, n, dtype), data(seed + 1, k, dtype)
    y = correlate(x, t, mode, method=method)
    assert_matches(y, ss.correlate(as64(x), as64(t), mode, method="direct"), t, x, dtype)


# ---------------------------------------------------------------------------
# same / causal against scipy.ndimage, per boundary


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("mode", ["same", "causal"])
@FEW
@given(n=st.integers(1, 40), k=st.integers(1, 50), cval=st.sampled_from(CVALS),
       seed=st.integers(0, 2**32 - 1))
def test_same_and_causal_match_ndimage(mode, boundary, method, dtype, n, k, cval, seed):
    """``same`` centres a plain-array kernel; ``causal`` puts lag 0 at the first
    tap.  Kernels longer than the series included."""
    x, w = data(seed, n, dtype), data(seed + 1, k, dtype)
    y = convolve(x, w, mode, boundary=boundary, cval=cval, method=method)
    origin = (k - 1) // 2 if mode == "same" else 0
    expected = ndi.convolve1d(as64(x), as64(w), mode=boundary, cval=cval,
                              origin=ndimage_origin(k, origin))
    assert_matches(y, expected, w, x, dtype, cval)
    assert_matches(y, naive_convolve(as64(x), as64(w), mode, boundary, cval),
                   w, x, dtype, cval)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("method", METHODS)
@FEW
@given(n=st.integers(1, 50), k=st.integers(1, 30), seed=st.integers(0, 2**32 - 1))
def test_same_and_causal_defaults_match_scipy_signal(method, dtype, n, k, seed):
    x, w = data(seed, n, dtype), data(seed + 1, k, dtype)
    full = ss.convolve(as64(x), as64(w), "full", method="direct")
    assert_matches(convolve(x, w, "same", method=method),
                   ss.convolve(as64(x), as64(w), "same", method="direct"), w, x, dtype)
    assert_matches(convolve(x, w, "causal", method=method), full[:n], w, x, dtype)


@pytest.mark.parametrize("method", METHODS)
@FEW
@given(n=st.integers(1, 30), k=st.integers(40, 300), mode=st.sampled_from(["full", "same"]),
       boundary=st.sampled_from(BOUNDARIES), seed=st.integers(0, 2**32 - 1))
def test_long_kernel_on_short_series(method, n, k, mode, boundary, seed):
    x, w = data(seed, n), data(seed + 1, k)
    y = convolve(x, w, mode, boundary=boundary, cval=0.5, method=method)
    if mode == "full":
        expected = np.convolve(x, w)
    else:
        expected = ndi.convolve1d(x, w, mode=boundary, cval=0.5, origin=0 if k % 2 else -1)
    assert_matches(y, expected, w, x, np.float64, 0.5)


# ---------------------------------------------------------------------------
# engine invariants


@FEW
@given(n=st.integers(1, 80), k=st.integers(1, 30), dilation=st.integers(1, 4),
       mode=st.sampled_from(["full", "valid", "same", "causal"]),
       boundary=st.sampled_from(BOUNDARIES), cval=st.sampled_from(CVALS),
       dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**32 - 1))
def test_direct_fft_overlap_add_agree(n, k, dilation, mode, boundary, cval, dtype, seed):
    span = (k - 1) * dilation + 1
    if mode == "valid" and span > n:
        n = span + n % 7
    x, w = data(seed, n, dtype), data(seed + 1, k, dtype)
    results = {m: convolve(x, w, mode, boundary=boundary, cval=cval, method=m,
                           dilation=dilation) for m in METHODS}
    for m in METHODS:
        assert_matches(results[m], results["direct"], w, x, dtype, cval)
    ref = naive_convolve(as64(x), as64(w), mode, boundary, cval, dilation=dilation)
    assert_matches(results["direct"], ref, w, x, dtype, cval)


@pytest.mark.parametrize("method", METHODS)
@SOME
@given(n=st.integers(1, 60), k=st.integers(1, 30), dilation=st.integers(1, 3),
       dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**32 - 1))
def test_correlate_is_convolve_with_reversed_template(method, n, k, dilation, dtype, seed):
    x, t = data(seed, n, dtype), data(seed + 1, k, dtype)
    y = correlate(x, t, "full", method=method, dilation=dilation)
    assert_matches(y, convolve(x, t[::-1], "full", method=method, dilation=dilation),
                   t, x, dtype)
    expected = ss.correlate(as64(x), dilate(as64(t), dilation), "full", method="direct")
    assert_matches(y, expected, t, x, dtype)


def test_correlate_causal_ends_template_at_current_sample():
    x, t = data(0, 40), data(1, 6)
    for method in METHODS:
        y = correlate(x, t, "causal", method=method)
        expected = [sum(t[j] * x[i - 5 + j] for j in range(6) if i - 5 + j >= 0)
                    for i in range(40)]
        assert_matches(y, expected, t, x, np.float64)


# ---------------------------------------------------------------------------
# batches and N-D input


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("per_series", [False, True], ids=["shared", "per_series"])
def test_batch_matches_loop_of_np_convolve(per_series, method, dtype):
    x = data(2, (5, 70), dtype)
    w = data(3, (5, 9) if per_series else 9, dtype)
    rows = w if per_series else [w] * 5
    for mode in ("full", "valid", "same", "causal"):
        y = convolve(x, w, mode, method=method)
        full = np.array([np.convolve(as64(xi), as64(wi)) for xi, wi in zip(x, rows)])
        expected = {"full": full, "valid": full[:, 8:70], "same": full[:, 4:74],
                    "causal": full[:, :70]}[mode]
        assert y.shape == expected.shape
        assert_matches(y, expected, w, x, dtype)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_nd_input_along_axis_matches_loop(method, axis):
    shape = [3, 4, 5]
    shape[axis] = 50
    x = data(4, tuple(shape))
    w = data(5, 7)
    y = convolve(x, w, "full", method=method, axis=axis)
    moved = np.moveaxis(x, axis, -1)
    expected = np.apply_along_axis(np.convolve, -1, moved, w)
    assert_matches(y, np.moveaxis(expected, -1, axis), w, x, np.float64)
    y_same = convolve(x, w, "same", boundary="reflect", method=method, axis=axis)
    expected = np.apply_along_axis(ndi.convolve1d, -1, moved, w, mode="reflect")
    assert_matches(y_same, np.moveaxis(expected, -1, axis), w, x, np.float64)


@pytest.mark.parametrize("method", METHODS)
def test_nd_input_with_a_kernel_per_series(method):
    x = data(6, (3, 4, 40))
    w = data(7, (3, 4, 5))
    y = convolve(x, w, "full", method=method)
    expected = np.array([[np.convolve(x[i, j], w[i, j]) for j in range(4)] for i in range(3)])
    assert_matches(y, expected, w, x, np.float64)


# ---------------------------------------------------------------------------
# dilation and Kernel origins


@pytest.mark.parametrize("method", METHODS)
@FEW
@given(n=st.integers(1, 60), k=st.integers(1, 8), dilation=st.integers(1, 5),
       boundary=st.sampled_from(BOUNDARIES), dtype=st.sampled_from(DTYPES),
       seed=st.integers(0, 2**32 - 1))
def test_dilation_matches_zero_inserted_kernel(method, n, k, dilation, boundary, dtype, seed):
    x, w = data(seed, n, dtype), data(seed + 1, k, dtype)
    wd = dilate(as64(w), dilation)
    span = len(wd)
    full = convolve(x, w, "full", method=method, dilation=dilation)
    assert_matches(full, ss.convolve(as64(x), wd, "full", method="direct"), w, x, dtype)
    if span <= n:
        valid = convolve(x, w, "valid", method=method, dilation=dilation)
        assert_matches(valid, ss.convolve(as64(x), wd, "valid", method="direct"), w, x, dtype)
    # same: lag 0 of the dilated kernel sits at origin * dilation
    origin = (k - 1) // 2
    same = convolve(x, w, "same", boundary=boundary, cval=1.5, method=method,
                    dilation=dilation)
    expected = ndi.convolve1d(as64(x), wd, mode=boundary, cval=1.5,
                              origin=ndimage_origin(span, origin * dilation))
    assert_matches(same, expected, w, x, dtype, 1.5)
    equivalent = convolve(x, Kernel(wd, origin=origin * dilation), "same", boundary=boundary,
                          cval=1.5, method="direct", dtype=dtype)
    assert_matches(same, as64(equivalent), w, x, dtype, 1.5)
    assert_matches(same, naive_convolve(as64(x), as64(w), "same", boundary, 1.5,
                                        dilation=dilation), w, x, dtype, 1.5)
    causal = convolve(x, w, "causal", boundary=boundary, cval=1.5, method=method,
                      dilation=dilation)
    expected = ndi.convolve1d(as64(x), wd, mode=boundary, cval=1.5,
                              origin=ndimage_origin(span, 0))
    assert_matches(causal, expected, w, x, dtype, 1.5)


@pytest.mark.parametrize("method", METHODS)
@SOME
@given(n=st.integers(1, 50), k=st.integers(1, 12), data_origin=st.integers(0, 11),
       boundary=st.sampled_from(BOUNDARIES), seed=st.integers(0, 2**32 - 1))
def test_kernel_origin_shifts_same_output(method, n, k, data_origin, boundary, seed):
    origin = data_origin % k
    x, w = data(seed, n), data(seed + 1, k)
    kernel = Kernel(w, origin=origin)
    full = np.convolve(x, w)
    same = convolve(x, kernel, "same", method=method)
    assert_matches(same, full[origin:origin + n], w, x, np.float64)
    # full and valid do not depend on the origin
    assert_matches(convolve(x, kernel, "full", method=method), full, w, x, np.float64)
    expected = ndi.convolve1d(x, w, mode=boundary, cval=-2.25,
                              origin=ndimage_origin(k, origin))
    y = convolve(x, kernel, "same", boundary=boundary, cval=-2.25, method=method)
    assert_matches(y, expected, w, x, np.float64, -2.25)
    assert_matches(y, naive_convolve(x, w, "same", boundary, -2.25, origin=origin),
                   w, x, np.float64, -2.25)


def test_kernel_correlation_is_about_its_origin():
    x, w = data(8, 30), data(9, 5)
    kernel = Kernel(w, origin=1)
    for method in METHODS:
        y = correlate(x, kernel, "same", method=method)
        # y[t] = sum_j w[j] x[t + j - origin]
        expected = [sum(w[j] * x[t + j - 1] for j in range(5) if 0 <= t + j - 1 < 30)
                    for t in range(30)]
        assert_matches(y, expected, w, x, np.float64)


def test_pandas_full_output_labels_start_at_minus_origin():
    s = pd.Series(data(10, 20), index=pd.date_range("2020", periods=20, freq="D"), name="v")
    w = data(11, 5)
    full = convolve(s, Kernel(w, origin=3), "full")
    assert list(full.index) == list(range(-3, 21))
    assert_matches(full.to_numpy(), np.convolve(s.to_numpy(), w), w, s, np.float64)
    same = convolve(s, w, "same")
    assert same.index.equals(s.index) and same.name == "v"
    frame = pd.DataFrame({"a": data(12, 20), "b": data(13, 20)}, index=s.index)
    out = convolve(frame, w, "same", boundary="wrap")
    assert list(out.columns) == ["a", "b"] and out.index.equals(frame.index)
    for col in "ab":
        assert_matches(out[col].to_numpy(), ndi.convolve1d(frame[col].to_numpy(), w,
                                                           mode="wrap"), w, frame, np.float64)


# ---------------------------------------------------------------------------
# complex data


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("method", METHODS)
@FEW
@given(n=st.integers(1, 60), k=st.integers(1, 20), seed=st.integers(0, 2**32 - 1))
def test_complex_matches_numpy(method, dtype, n, k, seed):
    x, w = data(seed, n, dtype), data(seed + 1, k, dtype)
    y = convolve(x, w, "full", method=method)
    assert_matches(y, np.convolve(as64(x), as64(w)), w, x, dtype)
    c = correlate(x, w, "full", method=method)
    assert_matches(c, np.correlate(as64(x), as64(w), "full") if n >= k
                   else ss.correlate(as64(x), as64(w), "full", method="direct"), w, x, dtype)
    real_kernel = data(seed + 2, k).astype(np.float32 if dtype == np.complex64 else np.float64)
    y = convolve(x, real_kernel, "same", boundary="reflect", method=method)
    assert_matches(y, naive_convolve(as64(x), as64(real_kernel), "same", "reflect"),
                   real_kernel, x, dtype)


@pytest.mark.parametrize("method", METHODS)
def test_complex_kernel_on_real_series(method):
    x, w = data(14, 50), data(15, 7, np.complex128)
    y = convolve(x, w, "full", method=method)
    assert_matches(y, np.convolve(x, w), w, x, np.complex128)


# ---------------------------------------------------------------------------
# long series: multi-block direct and overlap-add


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("k", [255, 1500])
def test_long_series_multi_block(method, k):
    n = 20_000
    x, w = data(16, n), data(17, k)
    full = np.convolve(x, w)
    assert_matches(convolve(x, w, "full", method=method), full, w, x, np.float64)
    assert_matches(convolve(x, w, "valid", method=method), full[k - 1:n], w, x, np.float64)
    same = convolve(x, w, "same", boundary="reflect", method=method)
    expected = ndi.convolve1d(x, w, mode="reflect", origin=0 if k % 2 else -1)
    assert_matches(same, expected, w, x, np.float64)


@pytest.mark.parametrize("method", METHODS)
def test_long_batch_float32(method):
    x, w = data(18, (3, 5000), np.float32), data(19, (3, 301), np.float32)
    y = convolve(x, w, "causal", method=method)
    expected = np.array([np.convolve(as64(a), as64(b))[:5000] for a, b in zip(x, w)])
    assert_matches(y, expected, w, x, np.float32)


# ---------------------------------------------------------------------------
# dtypes and errors, the same for every method


@pytest.mark.parametrize("method", METHODS)
def test_dtype_rules(method):
    x = np.arange(20)
    assert convolve(x, [1, 2, 3], method=method).dtype == np.float64
    assert convolve(x.astype(np.float32), np.ones(3), method=method).dtype == np.float32
    assert convolve(x.astype(np.float16), np.ones(3), method=method).dtype == np.float32
    y = convolve(x, np.ones(3), method=method, dtype=np.float32)
    assert y.dtype == np.float32
    assert_matches(y, np.convolve(x, np.ones(3)), np.ones(3), x, np.float32)


@pytest.mark.parametrize("method", METHODS)
def test_input_not_mutated(method):
    x = data(20, 30)
    x[5] = np.nan
    before = x.copy()
    convolve(x, np.ones(4), "same", method=method, boundary="reflect", nan="ignore")
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("method", METHODS)
def test_error_messages(method):
    x = np.arange(5.0)
    with pytest.raises(ValueError, match="mode='valid' needs the kernel to fit"):
        convolve(x, np.ones(6), "valid", method=method)
    with pytest.raises(ValueError, match="mode must be one of 'full', 'valid'"):
        convolve(x, np.ones(2), "centre", method=method)
    with pytest.raises(ValueError, match="boundary must be one of .*'wrap'; got 'periodic'"):
        convolve(x, np.ones(2), "same", boundary="periodic", method=method)
    with pytest.raises(ValueError, match="dilation must be an integer >= 1; got 0"):
        convolve(x, np.ones(2), dilation=0, method=method)
    with pytest.raises(ValueError, match="kernel must have at least one weight"):
        convolve(x, [], method=method)
    with pytest.raises(ValueError, match="kernel weights must be finite"):
        convolve(x, [1.0, np.nan], method=method)
    with pytest.raises(ValueError, match="one row per series must have 2 rows"):
        convolve(np.ones((2, 5)), np.ones((3, 2)), method=method)
    with pytest.raises(TypeError, match="must hold numbers"):
        convolve(np.array(["a", "b"]), [1.0], method=method)
    with pytest.raises(ValueError, match="method must be one of 'auto', 'direct'"):
        convolve(x, np.ones(2), method="winograd")


def test_choose_method_is_one_of_the_methods():
    assert sigconv.choose_method(1_000_000, 31) in METHODS
    assert sigconv.choose_method(100, 5, dtype=np.complex128) != "direct"
