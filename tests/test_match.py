"""``sigconv.match``: ``ncc`` and ``distance_profile`` against a per-window numpy
reference (``tests/naive.py``) and ``stumpy.mass`` on random data, and against an
extended-precision reference (``np.longdouble``, exact fractions) on the hard cases:
a large offset, a 1e7-sample series, constant and near-constant windows.  ``lag``
recovers known integer and sub-sample delays, with the sign conventions of
``scipy.signal.correlate`` and statsmodels' ``ccf``.  ``find_matches`` finds planted
occurrences and nothing else, and is the greedy rule of ``naive_greedy_matches``;
``match_many`` and batches equal separate calls; ``StreamMatcher`` over any
chunking equals ``find_matches``; bad input is refused before any numba kernel runs.
"""
import functools
import warnings

import numpy as np
import pandas as pd
import pytest
import stumpy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage, signal
from statsmodels.tsa import stattools

import sigconv
from sigconv import match
from tests.naive import exact_ncc, naive_distance, naive_greedy_matches, naive_ncc

TOL = 1e-8          # the accuracy the acceptance criteria ask of every score
METHODS = ["direct", "fft", "overlap_add", "auto"]
FEW = settings(max_examples=25, deadline=None, database=None)


@functools.cache
def _rng_series(kind, n, seed=0):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    return z.cumsum() if kind == "walk" else z


def _quiet(call, *args, **kwargs):
    """Call, turning any warning into an error: constant windows give NaN silently."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call(*args, **kwargs)


def assert_distance_close(got, ref_ncc, m, tol):
    """``got`` is ``sqrt(2 m (1 - ref_ncc))``: NaN at the same windows, never negative,
    the implied correlation ``1 - d^2 / (2 m)`` within ``tol`` of ``ref_ncc``, and the
    distance within ``tol`` absolute or relative, whichever is larger, where it is well
    conditioned (d > 1e-3).

    A correlation error e moves the distance by ``m e / d``: ~7e-8 at d = 14 for m = 100
    and e = 1e-8 (hence relative for large d), and ``sqrt(2 m e)`` at d = 0, where the
    square root turns a rounding of 1e-16 into 1e-7 (hence the implied correlation)."""
    got = np.asarray(got, dtype=np.float64)
    ref_ncc = np.asarray(ref_ncc, dtype=np.float64)
    ref = naive_distance(ref_ncc, m)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    ok = ~np.isnan(ref)
    assert np.all(got[ok] >= 0)
    np.testing.assert_allclose(1 - got[ok] ** 2 / (2 * m), np.fmin(ref_ncc[ok], 1.0),
                               rtol=0, atol=tol)
    sharp = ok & (ref > 1e-3)
    np.testing.assert_allclose(got[sharp], ref[sharp], rtol=tol, atol=tol)


def test_exported_at_top_level():
    for name in ("ncc", "distance_profile", "find_matches", "match_many", "lag",
                 "StreamMatcher"):
        assert getattr(sigconv, name) is getattr(match, name)
        assert name in sigconv.__all__


def test_hand_example():
    # x[0:3] = [0, 1, 0] is the template, x[1:4] = [1, 0, 1] its negative, x[3:6] = [1, 3, 1]
    # an affine copy; x[2:5] = [0, 1, 3]: centred [-4/3, -1/3, 5/3] against [-1/3, 2/3, -1/3].
    x = np.array([0.0, 1.0, 0.0, 1.0, 3.0, 1.0, 2.0, 2.0])
    t = [0.0, 1.0, 0.0]
    got = sigconv.ncc(x, t)
    w = np.array([-4.0, -1.0, 5.0]) / 3
    c = np.array([-1.0, 2.0, -1.0]) / 3
    assert got[2] == pytest.approx(w @ c / np.sqrt((w @ w) * (c @ c)), abs=1e-15)
    np.testing.assert_allclose(got[[0, 1, 3]], [1.0, -1.0, 1.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(got, naive_ncc(x, t), rtol=0, atol=1e-15)
    np.testing.assert_allclose(sigconv.distance_profile(x, t)[[0, 1, 3]], [0, np.sqrt(12), 0],
                               rtol=0, atol=1e-7)


# ---------------------------------------------------------------------------
# 1. random data: the per-window reference and stumpy.mass

# (n, m): every window of n ~ 1e4 .. 1e5 samples, m from 2 to 1000.
SIZES = [(100_000, 2), (100_000, 3), (50_000, 16), (20_000, 100), (10_000, 1000)]


@functools.cache
def _random_case(kind, n, m):
    x = _rng_series(kind, n)
    t = np.random.default_rng(m).normal(size=m)
    return x, t, naive_ncc(x, t)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("n", "m"), SIZES, ids=[f"n{n}-m{m}" for n, m in SIZES])
@pytest.mark.parametrize("kind", ["white", "walk"])
def test_ncc_and_distance_match_the_per_window_reference(kind, n, m, method):
    x, t, ref = _random_case(kind, n, m)
    got = sigconv.ncc(x, t, method=method)
    assert isinstance(got, np.ndarray) and got.shape == (n - m + 1,)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, ref, rtol=0, atol=TOL)
    assert np.all(np.abs(got) <= 1)
    assert_distance_close(sigconv.distance_profile(x, t, method=method), ref, m, TOL)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("n", "m"), SIZES[1:], ids=[f"n{n}-m{m}" for n, m in SIZES[1:]])
@pytest.mark.parametrize("kind", ["white", "walk"])
def test_distance_profile_matches_stumpy_mass(kind, n, m, method):
    x, t, _ = _random_case(kind, n, m)
    got = sigconv.distance_profile(x, t, method=method)
    np.testing.assert_allclose(got, stumpy.mass(t, x), rtol=0, atol=TOL)


def test_stumpy_refuses_m_2_so_m_2_is_checked_against_numpy_only():
    x, t, _ = _random_case("walk", 100_000, 2)
    with pytest.raises(ValueError, match="greater than or equal to three"):
        stumpy.mass(t, x)
    # m = 2: every window is an affine copy of +-t, so the exact scores are +-1.
    np.testing.assert_allclose(np.abs(sigconv.ncc(x, t)), 1.0, rtol=0, atol=TOL)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_scores_are_float64_whatever_the_input_dtype(dtype):
    # Like acf: the scores are computed and returned in float64 (float32 input is
    # upcast, not rounded).
    x = (_rng_series("walk", 5000) * 100).astype(dtype)
    t = (100 * np.sin(np.arange(40) / 3.0)).astype(dtype)
    got = sigconv.ncc(x, t)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, naive_ncc(x.astype(np.float64), t.astype(np.float64)),
                               rtol=0, atol=TOL)
    assert sigconv.distance_profile(x, t).dtype == np.float64


@FEW
@given(n=st.integers(2, 400), m_frac=st.floats(0, 1), seed=st.integers(0, 2**32 - 1),
       walk=st.booleans())
def test_every_method_gives_the_same_scores(n, m_frac, seed, walk):
    m = 2 + int(m_frac * (n - 2))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x = x.cumsum() if walk else x
    t = rng.normal(size=m)
    ref = naive_ncc(x, t)
    for method in METHODS:
        np.testing.assert_allclose(sigconv.ncc(x, t, method=method), ref, rtol=0, atol=TOL)


@FEW
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3),
       sign=st.sampled_from([-1.0, 1.0]), shift=st.floats(-100, 100),
       t_scale=st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3), t_shift=st.floats(-1e3, 1e3))
def test_ncc_is_affine_invariant(seed, scale, sign, shift, t_scale, t_shift):
    # ncc(a x + b, c t + d) = sign(a c) ncc(x, t); the shift is at most 100 of the
    # series' own scale, so its rounding (1e-14 relative) stays far below the tolerance.
    rng = np.random.default_rng(seed)
    x = rng.normal(size=300).cumsum()
    t = rng.normal(size=25)
    base = sigconv.ncc(x, t)
    moved = sigconv.ncc(sign * scale * x + shift * scale * x.std(), t_scale * t + t_shift)
    np.testing.assert_allclose(moved, np.sign(sign * t_scale) * base, rtol=0, atol=1e-9)


def test_a_template_as_long_as_the_series_gives_one_score():
    x = _rng_series("walk", 50)
    t = np.sin(np.arange(50) / 5.0)
    got = sigconv.ncc(x, t)
    assert got.shape == (1,)
    assert got[0] == pytest.approx(naive_ncc(x, t)[0], abs=1e-15)
    table = sigconv.find_matches(x, x, threshold=0.5)
    assert table[["start", "end"]].to_numpy().tolist() == [[0, 50]]


def test_a_window_equal_to_the_template_scores_one_and_distance_zero():
    x = _rng_series("walk", 10_000)
    for start, m in ((0, 50), (4321, 100), (10_000 - 1000, 1000)):
        t = x[start:start + m].copy()
        for method in METHODS:
            c = sigconv.ncc(x, t, method=method)
            d = sigconv.distance_profile(x, t, method=method)
            assert c[start] == pytest.approx(1.0, abs=1e-12)
            assert 0 <= d[start] < 1e-5            # clipped at 0, never NaN
            assert np.nanargmax(c) == start and np.nanargmin(d) == start


# ---------------------------------------------------------------------------
# 1b. hard cases, against extended precision

@functools.cache
def _offset_case(m, template):
    # A series of small variations on a large offset: 1e8 + N(0, 1).
    x = 1e8 + np.random.default_rng(11).normal(size=10_000)
    t = (x[2000:2000 + m].copy() if template == "from-x"
         else np.random.default_rng(m).normal(size=m))
    return x, t, naive_ncc(x, t, dtype=np.longdouble)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("template", ["independent", "from-x"])
@pytest.mark.parametrize("m", [16, 100, 1000])
def test_ncc_on_a_large_offset_is_exact(m, template, method):
    x, t, ref = _offset_case(m, template)
    got = sigconv.ncc(x, t, method=method)
    np.testing.assert_allclose(got, ref, rtol=0, atol=TOL)
    assert_distance_close(sigconv.distance_profile(x, t, method=method), ref, m, TOL)


@pytest.mark.parametrize("offset", [1e9, 1e10])
def test_ncc_with_a_template_on_a_larger_offset_is_exact(offset):
    # The acceptance case above (1e8) passes with a margin of only 1.3x for a template
    # cut from the series; one or two decades more offset exceed the tolerance.  The
    # correlation does not depend on the template's offset: t - offset is exact here.
    x = offset + np.random.default_rng(0).normal(size=10_000)
    t = x[2000:2100].copy()
    ref = naive_ncc(x, t, dtype=np.longdouble)
    np.testing.assert_allclose(sigconv.ncc(x, t - offset), ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(sigconv.ncc(x, t), ref, rtol=0, atol=TOL)


@pytest.mark.parametrize("template", ["independent", "from-x"])
@pytest.mark.parametrize("m", [16, 100, 1000])
def test_stumpy_mass_loses_precision_on_a_large_offset(m, template):
    # A documented observation, not a property of sigconv: stumpy.mass's sliding dot
    # products and means carry the offset, so the cancellation costs it digits.  On
    # this data (stumpy 1.14.1) its implied correlation is off by ~1e-8 with an
    # independent template and by O(1) (distances off by 10 .. 100) with a template
    # cut from x, which also sits on the offset; sigconv stays within 1e-8.
    x, t, ref = _offset_case(m, template)
    ref = ref.astype(np.float64)
    ours = np.max(np.abs(sigconv.ncc(x, t) - ref))
    theirs = np.max(np.abs(1 - stumpy.mass(t, x) ** 2 / (2 * m) - ref))
    assert ours <= TOL
    assert theirs > ours
    assert theirs > 1e-9


@pytest.fixture(scope="module")
def long_walk():
    # 80 MB, freed with the module (a cache would hold it for the whole session)
    return np.random.default_rng(7).normal(size=10_000_000).cumsum()


@pytest.mark.parametrize("method", ["auto", "fft", "direct"])
def test_ncc_on_a_long_series_matches_the_reference_on_sampled_windows(long_walk, method):
    # n = 1e7 random walk (values up to ~1e4, window stds ~1 .. 30): cumulative-sum
    # statistics would lose about 1e-6 here.  ~1000 windows checked, first and last too.
    x = long_walk
    m = 100
    t = np.random.default_rng(3).normal(size=m)
    got = sigconv.ncc(x, t, method=method)
    assert got.shape == (x.size - m + 1,)
    starts = np.unique(np.r_[0, np.random.default_rng(4).integers(0, got.size, 1000),
                             got.size - 1])
    ref = naive_ncc(x, t, dtype=np.longdouble, starts=starts)
    np.testing.assert_allclose(got[starts], ref, rtol=0, atol=TOL)


@pytest.mark.parametrize("m", [2000, 30_000])
def test_overlap_save_on_a_long_series_matches_the_reference(long_walk, m):
    # method="auto" picks overlap-save here: many chunks, scored on several threads.
    x = long_walk
    t = np.random.default_rng(5).normal(size=m).cumsum()
    got = sigconv.ncc(x, t)
    starts = np.unique(np.r_[0, np.random.default_rng(6).integers(0, got.size, 300),
                             got.size - 1])
    ref = naive_ncc(x, t, dtype=np.longdouble, starts=starts)
    np.testing.assert_allclose(got[starts], ref, rtol=0, atol=TOL)


@pytest.mark.parametrize("chunk", [1, 700, 5000, 1 << 16])
@pytest.mark.parametrize("lengths", [(64,), (3, 64), (500, 7, 500, 1200)])
def test_overlap_save_chunks_equal_numpy_correlate(chunk, lengths):
    from sigconv._fft import OverlapSave

    rng = np.random.default_rng(len(lengths) + chunk)
    x = rng.normal(size=20_011).cumsum()
    templates = [rng.normal(size=m) for m in lengths]
    plan = OverlapSave(x, templates, 3.0, chunk=chunk)
    outs = [np.full(x.size - m + 1, np.nan) for m in lengths]
    starts = [plan.chunk(k, outs)[0] for k in range(plan.n_chunks)]
    assert starts == sorted(starts) and starts[0] == 0
    for out, t in zip(outs, templates):
        np.testing.assert_allclose(out, np.correlate(x - 3.0, t, mode="valid"), rtol=0,
                                   atol=1e-9 * np.abs(x - 3.0).max() * np.abs(t).sum())


def test_match_many_on_a_long_series_with_gaps_equals_separate_calls():
    # Several chunks, windows with NaN across chunk edges, three template lengths.
    rng = np.random.default_rng(8)
    x = rng.normal(size=700_000).cumsum() + 1e6
    x[[65_000, 65_537, 131_000, 400_000, 699_999]] = np.nan
    templates = [rng.normal(size=m).cumsum() for m in (1000, 50, 3000, 1000)]
    got = sigconv.match_many(x, templates, nan="ignore")
    starts = np.unique(np.r_[rng.integers(0, x.size - 3000, 200), 64_990, 130_990])
    for profile, t in zip(got, templates):
        np.testing.assert_array_equal(np.isnan(profile), _windows_with_nan(x, t.size))
        np.testing.assert_allclose(profile, sigconv.ncc(x, t, method="fft", nan="ignore"),
                                   rtol=0, atol=1e-10)
        np.testing.assert_allclose(profile[starts], naive_ncc(x, t, starts=starts),
                                   rtol=0, atol=TOL)


def test_overlap_save_threads_work_in_a_forked_child():
    # The chunk threads of the parent do not exist in a fork: the child must not
    # wait on them.
    import multiprocessing

    x = np.random.default_rng(2).normal(size=300_000).cumsum()
    t = x[1000:3000].copy()
    before = sigconv.ncc(x, t)           # the parent's pool is started
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(sigconv.ncc, (x, t)).get(timeout=60)
    np.testing.assert_array_equal(got, before)


def _near_constant_series(level=1.0):
    """Stretches exactly constant at ``level`` alternating with near-constant ones,
    ``level`` + 1e-9 ``level`` N(0, 1)."""
    rng = np.random.default_rng(21)
    seg = 2500
    return np.concatenate([np.full(seg, level), level * (1 + 1e-9 * rng.normal(size=seg)),
                           np.full(seg, level), level * (1 + 1e-9 * rng.normal(size=seg))])


def _near_constant_among_other_levels():
    """The same stretches next to ordinary noise and a distant level, so the series'
    overall mean (170) is far from the near-constant windows' level."""
    rng = np.random.default_rng(21)
    seg = 2500
    return np.concatenate([
        np.full(seg, 1.0),
        1.0 + 1e-9 * rng.normal(size=seg),
        np.full(seg, 1.0),
        5.0 + rng.normal(size=seg),
        1e3 + 1e-6 * rng.normal(size=seg),
        np.full(seg, 1e3),
        1.0 + 1e-9 * rng.normal(size=seg),
    ])


def _piecewise_constant_series():
    """Levels (decimals, so not binary fractions) held for 20 .. 2500 samples, some on
    a 1e6 offset, with jumps between them."""
    rng = np.random.default_rng(22)
    lengths = rng.integers(20, 2500, size=30)
    levels = np.round(rng.normal(0, 1e3, size=30), 1) + np.where(rng.random(30) < 0.3, 1e6, 0)
    return np.repeat(levels, lengths)


def _constant_windows(x, m):
    w = np.lib.stride_tricks.sliding_window_view(x, m)
    return (w == w[:, :1]).all(axis=1)


CONSTANT_CASES = {
    "near-constant-at-1": lambda: _near_constant_series(1.0),
    "near-constant-at-1e3": lambda: _near_constant_series(1e3),
    "piecewise-constant": _piecewise_constant_series,
    "near-constant-among-other-levels": _near_constant_among_other_levels,
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("m", [16, 100, 1000])
@pytest.mark.parametrize("series", list(CONSTANT_CASES))
def test_constant_windows_are_nan_and_near_constant_ones_exact(series, m, method):
    x = CONSTANT_CASES[series]()
    t = np.random.default_rng(m).normal(size=m)
    ref = naive_ncc(x, t, dtype=np.longdouble)
    constant = _constant_windows(x, m)
    assert constant.any() and (~constant).any()
    got = _quiet(sigconv.ncc, x, t, method=method)
    np.testing.assert_array_equal(np.isnan(got), constant)
    np.testing.assert_allclose(got[~constant], ref[~constant], rtol=0, atol=TOL)
    dist = _quiet(sigconv.distance_profile, x, t, method=method)
    np.testing.assert_array_equal(np.isnan(dist), constant)


@pytest.mark.parametrize("method", METHODS)
def test_a_window_one_ulp_from_constant_is_not_constant(method):
    # 1e3 everywhere but one sample one ulp above: the 100 windows holding it have a
    # std of ~1e-14 (not zero), and a correlation computed here in exact arithmetic.
    x = np.full(600, 1e3)
    x[300] = np.nextafter(1e3, np.inf)
    m = 100
    t = np.random.default_rng(5).normal(size=m)
    got = _quiet(sigconv.ncc, x, t, method=method)
    holding = np.arange(201, 301)
    assert np.isnan(np.delete(got, holding)).all()
    exact = [exact_ncc(x[i:i + m], t) for i in holding]
    np.testing.assert_allclose(got[holding], exact, rtol=0, atol=TOL)


def test_constant_windows_are_nan_where_stumpy_gives_sqrt_m():
    # Documented difference: a constant window's correlation is undefined; stumpy.mass
    # reports sqrt(m) there (its convention), sigconv NaN.  Elsewhere they agree.
    rng = np.random.default_rng(8)
    x = np.r_[rng.normal(size=300), np.full(200, 3.0), rng.normal(size=300)]
    m = 50
    t = rng.normal(size=m)
    constant = _constant_windows(x, m)
    np.testing.assert_array_equal(np.flatnonzero(constant), np.arange(300, 451))
    theirs = stumpy.mass(t, x)
    np.testing.assert_allclose(theirs[constant], np.sqrt(m), rtol=1e-12)
    ours = _quiet(sigconv.distance_profile, x, t)
    assert np.isnan(ours[constant]).all() and np.isfinite(ours[~constant]).all()
    np.testing.assert_allclose(ours[~constant], theirs[~constant], rtol=0, atol=TOL)
    assert np.isnan(_quiet(sigconv.ncc, x, t)[constant]).all()


# ---------------------------------------------------------------------------
# missing values, pandas and batches

X_SHORT = _rng_series("walk", 2000)
T_SHORT = np.sin(np.arange(30) / 4.0) + 0.1 * np.arange(30) / 30


def _with_nan(x, where):
    x = np.array(x, dtype=np.float64)
    x[{"start": 0, "middle": len(x) // 2, "end": -1}[where]] = np.nan
    return x


def _windows_with_nan(x, m):
    return np.isnan(np.lib.stride_tricks.sliding_window_view(x, m)).any(axis=1)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("where", ["start", "middle", "end"])
@pytest.mark.parametrize("container", ["numpy", "series", "frame"])
def test_nan_ignore_gives_nan_only_in_windows_holding_a_nan(container, where, method):
    x = _with_nan(X_SHORT, where)
    m = T_SHORT.size
    expected = naive_ncc(x, T_SHORT)
    holes = _windows_with_nan(x, m)
    arg = {"numpy": x, "series": pd.Series(x), "frame": pd.DataFrame({"a": x, "b": x})}[container]
    got = _quiet(sigconv.ncc, arg, T_SHORT, method=method, nan="ignore")
    values = np.asarray(got, dtype=np.float64).reshape(len(x) - m + 1, -1)
    for col in values.T:
        np.testing.assert_array_equal(np.isnan(col), holes)
        np.testing.assert_allclose(col[~holes], expected[~holes], rtol=0, atol=TOL)
    dist = sigconv.distance_profile(arg, T_SHORT, method=method, nan="ignore")
    assert np.isnan(np.asarray(dist, dtype=np.float64).reshape(len(x) - m + 1, -1)[holes]).all()


def test_series_result_is_labelled_by_window_start():
    m = T_SHORT.size
    n_out = X_SHORT.size - m + 1
    for index in (pd.date_range("2024-01-01", periods=X_SHORT.size, freq="min"),
                  pd.Index(np.arange(X_SHORT.size) * 10 + 7)):
        x = pd.Series(X_SHORT, index=index, name="level")
        for f in (sigconv.ncc, sigconv.distance_profile):
            got = f(x, T_SHORT)
            assert isinstance(got, pd.Series)
            assert got.index.equals(index[:n_out])
            np.testing.assert_allclose(got.to_numpy(), f(X_SHORT, T_SHORT), rtol=0, atol=1e-12)


def test_dataframe_scores_each_column():
    m = T_SHORT.size
    frame = pd.DataFrame({"walk": X_SHORT, "noise": _rng_series("white", 2000),
                          "sine": np.sin(np.arange(2000) / 7.0)},
                         index=pd.date_range("2024-01-01", periods=2000, freq="h"))
    got = sigconv.ncc(frame, T_SHORT)
    assert isinstance(got, pd.DataFrame)
    assert list(got.columns) == list(frame.columns)
    assert got.index.equals(frame.index[:2000 - m + 1])
    for col in frame:
        np.testing.assert_allclose(got[col].to_numpy(), naive_ncc(frame[col].to_numpy(), T_SHORT),
                                   rtol=0, atol=TOL)


@pytest.mark.parametrize("method", METHODS)
def test_many_series_one_template_equals_row_by_row(method):
    rows = np.stack([_rng_series("walk", 5000, seed) for seed in range(6)])
    t = np.random.default_rng(9).normal(size=64)
    before = rows.copy()
    got = sigconv.ncc(rows, t, method=method)
    assert got.shape == (6, 5000 - 64 + 1)
    for r in range(6):
        np.testing.assert_allclose(got[r], sigconv.ncc(rows[r], t, method=method),
                                   rtol=0, atol=1e-10)
        np.testing.assert_allclose(got[r], naive_ncc(rows[r], t), rtol=0, atol=TOL)
    np.testing.assert_allclose(sigconv.ncc(rows.T, t, method=method, axis=0), got.T,
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(sigconv.distance_profile(rows, t, method=method)[3],
                               sigconv.distance_profile(rows[3], t, method=method),
                               rtol=0, atol=1e-10)
    np.testing.assert_array_equal(rows, before)     # the input is never modified


# ---------------------------------------------------------------------------
# 2. lag


def _fractional_shift(s, d):
    """``s`` delayed by ``d`` samples (any real d): a linear phase in the frequency
    domain, exact for a band-limited periodic signal."""
    f = np.fft.rfftfreq(s.size)
    return np.fft.irfft(np.fft.rfft(s) * np.exp(-2j * np.pi * f * d), s.size)


def _low_pass(s, cutoff):
    """Zero-phase low-pass (no delay of its own): gain 1 below 0.8 cutoff, a linear
    taper to 0 at 1.2 cutoff (cycles per sample)."""
    f = np.fft.rfftfreq(s.size)
    gain = np.clip((1.2 * cutoff - f) / (0.4 * cutoff), 0.0, 1.0)
    return np.fft.irfft(np.fft.rfft(s) * gain, s.size)


@functools.cache
def _delayed_pair(d, seed=0, n=2**14, cutoff=0.25, snr_db=10.0):
    """``x`` white noise; ``y`` a copy delayed by ``d``, low-pass filtered and with
    white noise added at ``snr_db``.  Built 512 samples longer on each side and cut,
    so the circular shift never wraps into the kept part."""
    rng = np.random.default_rng(seed)
    pad = 512
    w = rng.normal(size=n + 2 * pad)
    y = _low_pass(_fractional_shift(w, d), cutoff)[pad:pad + n]
    x = w[pad:pad + n]
    y = y + 10 ** (-snr_db / 20) * y.std() * rng.normal(size=n)
    return x, y


@pytest.mark.parametrize("method", ["ncc", "phat"])
@pytest.mark.parametrize("d", [37, -37, 12.3, -12.3, 0.5, 5.75])
def test_lag_recovers_a_known_delay(d, method):
    # A correct estimator (parabolic peak interpolation) is within 0.06 sample of d on
    # this data for both methods over 8 seeds; the tolerance is 0.1.
    x, y = _delayed_pair(d)
    got = sigconv.lag(x, y, max_lag=100, method=method)
    assert isinstance(got, float)
    assert abs(got - d) <= 0.1
    if float(d).is_integer():
        assert round(got) == d
    assert sigconv.lag(x, y, method=method) == pytest.approx(got, abs=1e-9)  # all lags


@pytest.mark.parametrize("method", ["ncc", "phat"])
def test_lag_swapping_the_signals_negates_it(method):
    x, y = _delayed_pair(12.3)
    assert sigconv.lag(y, x, 100, method=method) == pytest.approx(
        -sigconv.lag(x, y, 100, method=method), abs=1e-9)


@pytest.mark.parametrize("d", [37, -37])
def test_lag_sign_is_that_of_scipy_correlate_and_statsmodels_ccf(d):
    x, y = _delayed_pair(d)
    got = sigconv.lag(x, y, max_lag=100)
    # scipy: correlate(y, x)[k] = sum_n y[n + k] x[n], lags from correlation_lags(ny, nx).
    c = signal.correlate(y - y.mean(), x - x.mean(), mode="full")
    lags = signal.correlation_lags(y.size, x.size, mode="full")
    assert lags[np.argmax(c)] == d == round(got)
    # statsmodels: ccf(a, b)[k] = corr(a[t + k], b[t]) for k >= 0, so a delay d > 0
    # of y peaks ccf(y, x) at k = d and a delay d < 0 peaks ccf(x, y) at k = -d.
    forward = stattools.ccf(y, x, adjusted=False, nlags=101)
    backward = stattools.ccf(x, y, adjusted=False, nlags=101)
    if d > 0:
        assert np.argmax(forward) == d and forward.max() > backward.max()
    else:
        assert np.argmax(backward) == -d and backward.max() > forward.max()


def test_lag_of_signals_of_different_lengths_and_of_a_signal_with_itself():
    x, y = _delayed_pair(12.3)
    for method in ("ncc", "phat"):
        # cut either end: y[t] = x[t - d] still holds on the common times
        for a, b in ((x, y[:-3000]), (x[:-3000], y), (x[2000:], y[2000:])):
            assert abs(sigconv.lag(a, b, 100, method=method) - 12.3) <= 0.1
        assert sigconv.lag(x, x, method=method) == pytest.approx(0.0, abs=1e-12)


def test_lag_searches_only_within_max_lag():
    rng = np.random.default_rng(12)
    w = ndimage.gaussian_filter1d(rng.normal(size=5300), 2.0)
    x, y = w[300:], w[:-300]          # y[t] = x[t - 300]
    assert sigconv.lag(x, y) == pytest.approx(300, abs=0.05)
    assert sigconv.lag(x, y, max_lag=300) == pytest.approx(300, abs=0.05)
    assert abs(sigconv.lag(x, y, max_lag=100)) <= 100
    assert sigconv.lag(pd.Series(x), pd.Series(y)) == pytest.approx(300, abs=0.05)


# ---------------------------------------------------------------------------
# 3. find_matches

M_PLANT = 200


@functools.lru_cache(maxsize=1)
def _planted():
    """20 occurrences of a smooth random shape (length 200, unit std) with gains in
    [0.5, 3] and offsets in [-2, 2], in 1e6 samples of Gaussian noise of std 0.5: the
    weakest plant has SNR 0 dB within its span, the strongest 15.6 dB.  Plants are at
    least 2 m apart."""
    rng = np.random.default_rng(2)
    n, m, k = 1_000_000, M_PLANT, 20
    t = ndimage.gaussian_filter1d(rng.normal(size=m + 60), 2.5)[30:30 + m]
    t = (t - t.mean()) / t.std()
    x = 0.5 * rng.normal(size=n)
    slots = rng.choice(n // (4 * m) - 1, size=k, replace=False)
    starts = np.sort(slots * 4 * m + rng.integers(0, 2 * m, size=k))
    for s, gain, offset in zip(starts, rng.uniform(0.5, 3, k), rng.uniform(-2, 2, k)):
        x[s:s + m] += gain * t + offset
    return x, t, starts


@functools.lru_cache(maxsize=1)
def _planted_scores():
    x, t, _ = _planted()
    return sigconv.ncc(x, t)


def _fast_reference_ncc(x, t):
    """Correlation by scipy's FFT and pandas' rolling std: accurate to ~1e-12 on data
    without an offset, which is all the margins below need."""
    m = t.size
    c = (t - t.mean()) / t.std()
    num = signal.correlate(x, c, mode="valid", method="fft")
    std = pd.Series(x).rolling(m).std(ddof=0).to_numpy()[m - 1:]
    return num / (m * std)


def test_planted_data_separates_plants_from_background():
    # The data, checked independently of sigconv: every plant scores >= 0.7, and no
    # window farther than the default exclusion (m // 2) from a plant reaches 0.36.
    x, t, starts = _planted()
    ref = _fast_reference_ncc(x, t)
    np.testing.assert_allclose(_planted_scores(), ref, rtol=0, atol=1e-9)
    assert ref[starts].min() > 0.7
    far = np.ones(ref.size, dtype=bool)
    for s in starts:
        far[max(0, s - M_PLANT // 2):s + M_PLANT // 2 + 1] = False
    assert ref[far].max() < 0.36


def test_find_matches_with_the_default_threshold_finds_every_plant_and_nothing_else():
    x, t, starts = _planted()
    got = sigconv.find_matches(x, t)
    threshold = got.attrs["threshold"]
    assert 0.36 < threshold < 0.7, threshold
    assert set(got.columns) == {"start", "end", "score"}
    assert np.all(got["score"].to_numpy() >= threshold)
    assert np.all(np.diff(got["score"].to_numpy()) <= 0)                 # best first
    np.testing.assert_array_equal(got["end"], got["start"] + M_PLANT)
    found = np.sort(got["start"].to_numpy())
    assert len(found) == len(starts)
    assert np.all(np.abs(found - starts) <= 2), found - starts
    np.testing.assert_allclose(got["score"], _planted_scores()[got["start"]], rtol=0,
                               atol=1e-12)


def test_find_matches_is_the_greedy_rule():
    x, t, _ = _planted()
    scores = _planted_scores()
    for kwargs in ({"k": 5}, {"threshold": 0.9}, {"k": 3, "threshold": 0.9},
                   {"k": 50}, {"threshold": 0.3, "exclusion": 1000},
                   {"threshold": 0.3, "exclusion": 0}):
        got = sigconv.find_matches(x, t, **kwargs)
        exclusion = kwargs.get("exclusion", M_PLANT // 2)
        expected = naive_greedy_matches(scores, k=kwargs.get("k"),
                                        threshold=kwargs.get("threshold", -np.inf),
                                        exclusion=exclusion)
        np.testing.assert_array_equal(got["start"], expected, err_msg=str(kwargs))
        if "threshold" in kwargs:
            assert got.attrs["threshold"] == kwargs["threshold"]
            assert np.all(got["score"] >= kwargs["threshold"])
        else:
            assert np.isnan(got.attrs["threshold"])        # only k limits the matches
        if "k" in kwargs:
            assert len(got) <= kwargs["k"]
    assert len(sigconv.find_matches(x, t, k=5)) == 5


@pytest.mark.parametrize("exclusion", [None, 0, 1, 7, 25, 300])
def test_find_matches_honours_the_exclusion_zone(exclusion):
    # Random data, where windows above the threshold crowd together.
    x = _rng_series("walk", 20_000, seed=3)
    t = np.random.default_rng(13).normal(size=50).cumsum()
    got = sigconv.find_matches(x, t, threshold=0.5, exclusion=exclusion)
    zone = 50 // 2 if exclusion is None else exclusion
    starts = np.sort(got["start"].to_numpy())
    assert len(starts) > 5
    assert np.all(np.diff(starts) > zone)         # no start within `exclusion` of another
    expected = naive_greedy_matches(sigconv.ncc(x, t), threshold=0.5, exclusion=zone)
    np.testing.assert_array_equal(got["start"], expected)


def test_find_matches_time_column_with_a_datetime_index():
    x, t, starts = _planted()
    n = 200_000
    index = pd.date_range("2024-03-01", periods=n, freq="10ms")
    series = pd.Series(x[:n], index=index)
    got = sigconv.find_matches(series, t, threshold=0.6)
    assert set(got.columns) == {"start", "end", "score", "time"}
    assert len(got) == np.sum(starts < n - M_PLANT)
    assert (got["time"] == index[got["start"].to_numpy()]).all()
    plain = sigconv.find_matches(x[:n], t, threshold=0.6)
    assert "time" not in plain.columns
    np.testing.assert_array_equal(plain["start"], got["start"])
    assert "time" not in sigconv.find_matches(pd.Series(x[:n]), t, threshold=0.6).columns


def test_find_matches_with_nothing_above_the_threshold_is_an_empty_table():
    x, t, _ = _planted()
    got = sigconv.find_matches(x[:50_000], t, threshold=1.0)
    assert len(got) == 0 and {"start", "end", "score"} <= set(got.columns)


# ---------------------------------------------------------------------------
# 4. match_many


@functools.lru_cache(maxsize=1)
def _many():
    rng = np.random.default_rng(14)
    x = _rng_series("walk", 20_000, seed=5)
    templates = [rng.normal(size=m).cumsum() for m in (2, 17, 200, 1000)]
    return x, templates


def test_match_many_equals_separate_ncc_calls():
    x, templates = _many()
    got = sigconv.match_many(x, templates)
    assert isinstance(got, list) and len(got) == len(templates)
    for profile, t in zip(got, templates):
        assert profile.shape == (x.size - t.size + 1,)
        np.testing.assert_allclose(profile, sigconv.ncc(x, t), rtol=0, atol=1e-10)
        np.testing.assert_allclose(profile, naive_ncc(x, t), rtol=0, atol=TOL)


def test_match_many_distance_and_dict_of_templates():
    x, templates = _many()
    named = {f"t{t.size}": t for t in templates[::-1]}
    got = sigconv.match_many(x, named, score="distance")
    assert isinstance(got, dict) and list(got) == list(named)
    for key, t in named.items():
        # equal up to 1e-10 in the correlation (the m = 2 distances are mostly ~0,
        # where the square root magnifies a 1e-14 difference to 1e-7)
        assert_distance_close(got[key], 1 - sigconv.distance_profile(x, t) ** 2 / (2 * t.size),
                              t.size, 1e-10)


def test_match_many_on_a_series():
    x, templates = _many()
    series = pd.Series(x, index=pd.date_range("2020-01-01", periods=x.size, freq="D"))
    got = sigconv.match_many(series, templates[1:3])
    for profile, t in zip(got, templates[1:3]):
        assert isinstance(profile, pd.Series)
        assert profile.index.equals(series.index[:x.size - t.size + 1])
        np.testing.assert_allclose(profile.to_numpy(), sigconv.ncc(x, t), rtol=0, atol=1e-10)


def test_match_many_with_missing_values_equals_separate_calls():
    x, templates = _many()
    holed = _with_nan(x, "middle")
    for profile, t in zip(sigconv.match_many(holed, templates, nan="ignore"), templates):
        np.testing.assert_allclose(profile, naive_ncc(holed, t), rtol=0, atol=TOL)
        np.testing.assert_array_equal(np.isnan(profile), _windows_with_nan(holed, t.size))
        np.testing.assert_allclose(profile, sigconv.ncc(holed, t, nan="ignore"), rtol=0,
                                   atol=1e-10)


# ---------------------------------------------------------------------------
# 5. StreamMatcher


@functools.lru_cache(maxsize=1)
def _stream_data():
    rng = np.random.default_rng(15)
    m = 50
    t = np.sin(np.linspace(0, 3 * np.pi, m)) + 0.3 * rng.normal(size=m)
    x = rng.normal(size=3000)
    for s in rng.choice(np.arange(0, 2950, 60), size=10, replace=False):
        x[s:s + m] += rng.uniform(0.5, 3) * t + rng.uniform(-2, 2)
    return x, t


def _streamed(x, t, threshold, exclusion, sizes):
    matcher = sigconv.StreamMatcher(t, threshold, exclusion=exclusion)
    tables, pos, i = [], 0, 0
    while pos < x.size:
        size = int(sizes[i % len(sizes)])
        tables.append(matcher.process(x[pos:pos + size]))
        pos += size
        i += 1
    tables.append(matcher.flush())
    for table in tables:
        assert {"start", "end", "score"} <= set(table.columns)
        assert np.all(np.diff(table["score"].to_numpy()) <= 0)
    return pd.concat(tables, ignore_index=True)


def _assert_same_matches(streamed, whole):
    """Equal as sets of (start, score): starts exactly, scores to 1e-10."""
    a = streamed.sort_values("start")
    b = whole.sort_values("start")
    np.testing.assert_array_equal(a["start"], b["start"])
    np.testing.assert_array_equal(a["end"], b["end"])
    np.testing.assert_allclose(a["score"], b["score"], rtol=0, atol=1e-10)


@pytest.mark.parametrize("exclusion", [None, 0, 10, 80])
@pytest.mark.parametrize("threshold", [0.2, 0.6])
@pytest.mark.parametrize("sizes", [[1, 7, 49, 50, 51, 333], [3000], [10_000], [64], [2, 997]])
def test_stream_matcher_equals_find_matches(sizes, threshold, exclusion):
    x, t = _stream_data()
    whole = sigconv.find_matches(x, t, threshold=threshold, exclusion=exclusion)
    assert len(whole) >= 5
    _assert_same_matches(_streamed(x, t, threshold, exclusion, sizes), whole)


@FEW
@given(cuts=st.lists(st.integers(1, 2999), max_size=15, unique=True),
       threshold=st.sampled_from([0.1, 0.3, 0.6]),
       exclusion=st.sampled_from([None, 0, 5, 25, 120]))
def test_stream_matcher_equals_find_matches_for_any_chunking(cuts, threshold, exclusion):
    # The series cut at up to 15 arbitrary points: chunks of 1 sample up to all of it.
    x, t = _stream_data()
    bounds = np.r_[0, np.sort(cuts), x.size]
    whole = sigconv.find_matches(x, t, threshold=threshold, exclusion=exclusion)
    _assert_same_matches(_streamed(x, t, threshold, exclusion, np.diff(bounds)), whole)


# ---------------------------------------------------------------------------
# 6. bad input, raised before any numba kernel runs

X = np.sin(np.arange(40.0)) + 2.0
Y = np.cos(np.arange(40.0))
T = np.cos(np.arange(8.0) / 2)


def _nan_at(where, value=np.nan):
    x = X.copy()
    x[{"start": 0, "middle": 17, "end": -1}[where]] = value
    return x


def _containers(x):
    return {"numpy": x, "series": pd.Series(x), "frame": pd.DataFrame({"a": x, "b": X})}


BAD = [
    # the template
    ("ncc-template-longer", lambda: sigconv.ncc(X, np.r_[X, 1.0]), ValueError,
     r"template \(41 samples\) must not be longer than x \(40 samples\)"),
    ("distance-template-longer", lambda: sigconv.distance_profile(X[:7], T), ValueError,
     r"template \(8 samples\) must not be longer than x"),
    ("ncc-template-one", lambda: sigconv.ncc(X, [1.0]), ValueError,
     r"template must have at least 2 samples; got 1"),
    ("ncc-template-empty", lambda: sigconv.ncc(X, []), ValueError,
     r"template must have at least 2 samples; got 0"),
    ("ncc-template-constant", lambda: sigconv.ncc(X, np.full(8, 3.0)), ValueError,
     r"template is constant"),
    ("distance-template-constant", lambda: sigconv.distance_profile(X, [2, 2]), ValueError,
     r"template is constant"),
    ("ncc-template-2d", lambda: sigconv.ncc(X, T.reshape(2, 4)), ValueError,
     r"template must be 1-D; got shape \(2, 4\)"),
    ("ncc-template-nan", lambda: sigconv.ncc(X, np.r_[T, np.nan]), ValueError,
     r"template contains NaN or inf"),
    ("ncc-template-text", lambda: sigconv.ncc(X, ["a", "b"]), TypeError,
     r"template must be real numbers"),
    # option strings
    ("ncc-method", lambda: sigconv.ncc(X, T, method="fast"), ValueError,
     r"method must be one of 'auto', 'direct', 'fft', 'overlap_add'; got 'fast'"),
    ("distance-method", lambda: sigconv.distance_profile(X, T, method="mass"), ValueError,
     r"method must be one of .*; got 'mass'"),
    ("ncc-nan-option", lambda: sigconv.ncc(X, T, nan="drop"), ValueError,
     r"nan must be one of 'raise', 'ignore'; got 'drop'"),
    ("match-many-score", lambda: sigconv.match_many(X, [T], score="euclid"), ValueError,
     r"score must be one of 'ncc', 'distance'; got 'euclid'"),
    ("lag-method", lambda: sigconv.lag(X, Y, method="gcc"), ValueError,
     r"method must be one of 'ncc', 'phat'; got 'gcc'"),
    # the series
    ("ncc-x-text", lambda: sigconv.ncc(["a"] * 10, T), TypeError, r"x must hold numbers"),
    ("ncc-x-scalar", lambda: sigconv.ncc(3.0, T), ValueError, r"x must be at least 1-D"),
    *[(f"{f.__name__}-{kind}-nan-{where}",
       lambda f=f, kind=kind, where=where: f(_containers(_nan_at(where))[kind], T),
       ValueError, r"x contains NaN or inf")
      for f in (sigconv.ncc, sigconv.distance_profile)
      for kind in ("numpy", "series", "frame")
      for where in ("start", "middle", "end")],
    ("ncc-x-inf", lambda: sigconv.ncc(_nan_at("middle", np.inf), T), ValueError,
     r"x contains NaN or inf"),
    ("ncc-x-minus-inf", lambda: sigconv.ncc(_nan_at("end", -np.inf), T), ValueError,
     r"x contains NaN or inf"),
    # match_many
    ("match-many-empty", lambda: sigconv.match_many(X, []), ValueError,
     r"templates must hold at least one template"),
    ("match-many-short", lambda: sigconv.match_many(X, [T, [1.0]]), ValueError,
     r"templates\[1\] must have at least 2 samples"),
    ("match-many-constant", lambda: sigconv.match_many(X, {"flat": np.ones(5)}), ValueError,
     r"templates\['flat'\] is constant"),
    ("match-many-longer", lambda: sigconv.match_many(X, [T, np.r_[X, X]]), ValueError,
     r"template \(80 samples\) must not be longer than x"),
    ("match-many-nan", lambda: sigconv.match_many(_nan_at("start"), [T]), ValueError,
     r"x contains NaN or inf"),
    # find_matches
    ("find-matches-k", lambda: sigconv.find_matches(X, T, k=0), ValueError,
     r"k must be an integer >= 1; got 0"),
    ("find-matches-threshold", lambda: sigconv.find_matches(X, T, threshold=1.5), ValueError,
     r"threshold must be a number in \[-1, 1\]; got 1.5"),
    ("find-matches-exclusion", lambda: sigconv.find_matches(X, T, exclusion=-1), ValueError,
     r"exclusion must be an integer >= 0; got -1"),
    ("find-matches-template-longer", lambda: sigconv.find_matches(X[:5], T), ValueError,
     r"template \(8 samples\) must not be longer than x"),
    ("find-matches-template-constant", lambda: sigconv.find_matches(X, np.zeros(4)),
     ValueError, r"template is constant"),
    ("find-matches-nan", lambda: sigconv.find_matches(_nan_at("middle"), T), ValueError,
     r"x contains NaN or inf"),
    ("find-matches-two-series", lambda: sigconv.find_matches(np.c_[X, Y].T, T), ValueError,
     r"find_matches takes one series"),
    # lag
    ("lag-max-lag-beyond", lambda: sigconv.lag(X, Y, max_lag=40), ValueError,
     r"max_lag must be at most 39"),
    ("lag-max-lag-far-beyond", lambda: sigconv.lag(X, Y, max_lag=10**6), ValueError,
     r"max_lag must be at most 39"),
    ("lag-max-lag-zero", lambda: sigconv.lag(X, Y, max_lag=0), ValueError,
     r"max_lag must be an integer >= 1; got 0"),
    ("lag-max-lag-float", lambda: sigconv.lag(X, Y, max_lag=2.5), ValueError,
     r"max_lag must be an integer"),
    ("lag-y-nan", lambda: sigconv.lag(X, _nan_at("end")), ValueError,
     r"y contains NaN or inf"),
    ("lag-x-2d", lambda: sigconv.lag(np.c_[X, Y].T, Y), ValueError, r"x must be 1-D"),
    ("lag-x-short", lambda: sigconv.lag(X[:2], Y), ValueError, r"x must have at least 3"),
    # StreamMatcher
    ("stream-template-constant", lambda: sigconv.StreamMatcher(np.ones(5), 0.5), ValueError,
     r"template is constant"),
    ("stream-template-2d", lambda: sigconv.StreamMatcher(T.reshape(4, 2), 0.5), ValueError,
     r"template must be 1-D"),
    ("stream-threshold", lambda: sigconv.StreamMatcher(T, 2.0), ValueError,
     r"threshold must be a number in \[-1, 1\]; got 2.0"),
    ("stream-exclusion", lambda: sigconv.StreamMatcher(T, 0.5, exclusion=-3), ValueError,
     r"exclusion must be an integer >= 0; got -3"),
    ("stream-chunk-nan", lambda: sigconv.StreamMatcher(T, 0.5).process(_nan_at("middle")),
     ValueError, r"chunk contains NaN or inf"),
    ("stream-chunk-2d", lambda: sigconv.StreamMatcher(T, 0.5).process(np.c_[X, Y]),
     ValueError, r"chunk must be 1-D \(the next samples of one series\); got shape"),
]




@pytest.mark.usefixtures("no_kernels")
class TestBadInput:
    @pytest.mark.parametrize(("call", "error", "pattern"), [
        pytest.param(*case[1:], id=case[0]) for case in BAD])
    def test_bad_input(self, call, error, pattern):
        with pytest.raises(error, match=pattern) as info:
            call()
        assert "numba" not in str(info.value).lower()

    def test_case_ids_are_unique(self):
        ids = [case[0] for case in BAD]
        assert len(ids) == len(set(ids))

    @pytest.mark.parametrize("method", ["direct", "fft", "auto"])
    def test_guard_intercepts_valid_calls(self, no_kernels, method):
        # A valid call reaches a kernel, so the cases above prove the errors come first.
        assert "sigconv._core.match.chunk_profile" in no_kernels
        with pytest.raises(AssertionError, match="numba kernel .* ran on invalid input"):
            sigconv.ncc(X, T, method=method)
        with pytest.raises(AssertionError, match="numba kernel .* ran on invalid input"):
            sigconv.find_matches(X, T)


def test_find_matches_time_column_with_an_integer_index():
    x = np.sin(np.arange(400) / 5.0) + np.random.default_rng(3).normal(size=400) * 0.01
    years = pd.Index(np.arange(1700, 2100), name="year")
    got = sigconv.find_matches(pd.Series(x, index=years), x[:40], threshold=0.9)
    assert (got["time"] == years[got["start"].to_numpy()]).all()


def test_default_threshold_above_every_score_warns():
    # A periodic series: every window looks like the template, none stands out.
    x = np.sin(2 * np.pi * np.arange(2000) / 50)
    with pytest.warns(UserWarning, match="no window stands out"):
        got = sigconv.find_matches(x, x[:50])
    assert got.empty and got.attrs["threshold"] > 1


def test_stream_matcher_ends_at_flush():
    matcher = sigconv.StreamMatcher(np.sin(np.arange(20.0)), threshold=0.9)
    matcher.process(np.random.default_rng(0).normal(size=100))
    matcher.flush()
    with pytest.raises(ValueError, match="flushed"):
        matcher.process(np.zeros(10))


def test_nan_message_names_the_accepted_policy():
    x = np.r_[np.random.default_rng(0).normal(size=50), np.nan]
    with pytest.raises(ValueError, match=r"pass nan='ignore' to allow") as info:
        sigconv.ncc(x, [1.0, 2.0, 0.0])
    assert "propagate" not in str(info.value)
