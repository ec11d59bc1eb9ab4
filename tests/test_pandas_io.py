"""pandas in, pandas out; arrays in, arrays out; the caller's data is never touched.

Every check compares the wrapped result with the same function applied to
plain numpy arrays (per column for a DataFrame), so these tests are about the
wrapping (index, name, columns, dtype), not the arithmetic, which
``test_engine_reference.py`` checks against scipy and numpy.

Functions under test: ``convolve`` and ``correlate`` in the four modes,
``recursive_filter`` and ``StreamFilter.process``.
"""
import numpy as np
import pandas as pd
import pytest

import sigconv
from sigconv import Kernel, StreamFilter

KERNEL = np.array([0.5, -1.0, 2.0, 0.25])      # asymmetric, even length: origin 1
COEFS = np.array([0.5, -0.25])
N = 24


def apply(case, x, **options):
    """Run one entry point on ``x``; ``case`` is (function, mode)."""
    function, mode = case
    if function == "convolve":
        return sigconv.convolve(x, KERNEL, mode, method=options.pop("method", "direct"),
                                **options)
    if function == "correlate":
        return sigconv.correlate(x, KERNEL, mode, method=options.pop("method", "direct"),
                                 **options)
    if function == "recursive_filter":
        return sigconv.recursive_filter(x, COEFS, **options)
    assert function == "stream"
    return StreamFilter(KERNEL, method=options.pop("method", "direct")).process(x, **options)


# The calls whose output is as long as the input.
SAME_LENGTH = [
    ("convolve", "same"),
    ("convolve", "causal"),
    ("correlate", "same"),
    ("correlate", "causal"),
    ("recursive_filter", None),
    ("stream", None),
]
SAME_LENGTH_IDS = [f"{f}-{m}" if m else f for f, m in SAME_LENGTH]


def values(seed=0, n=N, columns=None):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n if columns is None else (n, columns))


def dates(n=N):
    return pd.date_range("2024-01-01", periods=n, freq="D", name="date")


def series(name="flow", n=N, seed=0):
    return pd.Series(values(seed, n), index=dates(n), name=name)


def frame(n=N, seed=1):
    columns = pd.Index(["north", "south", "east"], name="station")
    return pd.DataFrame(values(seed, n, 3), index=dates(n), columns=columns)


def per_column(case, df, **options):
    """The reference for a DataFrame: each column through the numpy path."""
    return np.column_stack([apply(case, df.iloc[:, i].to_numpy(copy=True), **options)
                            for i in range(df.shape[1])])


# ---------------------------------------------------------------------------
# Same-length outputs keep the index, the name and the columns
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_LENGTH_IDS)
def test_series_keeps_index_and_name(case):
    s = series()
    result = apply(case, s)
    expected = pd.Series(apply(case, s.to_numpy(copy=True)), index=s.index, name=s.name)
    pd.testing.assert_series_equal(result, expected, check_exact=True)
    assert result.index.freq == s.index.freq


@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_LENGTH_IDS)
def test_frame_keeps_index_and_columns(case):
    df = frame()
    result = apply(case, df)
    expected = pd.DataFrame(per_column(case, df), index=df.index, columns=df.columns)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


@pytest.mark.parametrize("name", ["flow", None, 0, ("flow", 2)])
def test_any_series_name_is_kept(name):
    s = series(name=name)
    assert sigconv.convolve(s, KERNEL, "same").name == name
    assert sigconv.recursive_filter(s, COEFS).name == name


@pytest.mark.parametrize("columns", [
    pd.MultiIndex.from_tuples([("flow", "north"), ("flow", "south"), ("level", "north")]),
    pd.Index(["a", "a", "b"]),                   # duplicated labels
    pd.RangeIndex(3),
], ids=["multiindex", "duplicated", "range"])
@pytest.mark.parametrize("case", [("convolve", "same"), ("recursive_filter", None)],
                         ids=["convolve", "recursive_filter"])
def test_frame_column_labels_of_any_kind_are_kept(case, columns):
    df = pd.DataFrame(values(2, N, 3), index=dates(), columns=columns)
    result = apply(case, df)
    expected = pd.DataFrame(per_column(case, df), index=df.index, columns=columns)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


def test_frame_with_a_kernel_per_column():
    df = frame()
    kernels = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0], [-1.0, 0.5, 0.25]])
    result = sigconv.convolve(df, kernels, "same", method="direct")
    expected = np.column_stack([
        sigconv.convolve(df.iloc[:, i].to_numpy(copy=True), kernels[i], "same",
                         method="direct")
        for i in range(3)])
    pd.testing.assert_frame_equal(
        result, pd.DataFrame(expected, index=df.index, columns=df.columns), check_exact=True)


def test_non_datetime_index_is_kept():
    s = pd.Series(values(3, 6), index=pd.Index(list("uvwxyz"), name="letter"), name="v")
    result = sigconv.convolve(s, [1.0, 1.0, 1.0], "same")
    pd.testing.assert_index_equal(result.index, s.index)


# ---------------------------------------------------------------------------
# StreamFilter: each chunk keeps its own index
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("make", [series, frame], ids=["series", "frame"])
def test_stream_chunks_keep_their_index_and_join_to_the_causal_convolution(make):
    x = make()
    stream = StreamFilter(KERNEL, method="direct")
    bounds = [(0, 5), (5, 6), (6, 17), (17, N)]
    parts = [stream.process(x.iloc[a:b]) for a, b in bounds]
    for part, (a, b) in zip(parts, bounds, strict=True):
        pd.testing.assert_index_equal(part.index, x.index[a:b])
    whole = pd.concat(parts)
    expected = sigconv.convolve(x, KERNEL, "causal", method="direct")
    if isinstance(x, pd.Series):
        pd.testing.assert_series_equal(whole, expected, check_exact=True, check_freq=False)
    else:
        pd.testing.assert_frame_equal(whole, expected, check_exact=True, check_freq=False)


def test_stream_empty_chunk_keeps_index_and_name():
    stream = StreamFilter(KERNEL)
    s = series()
    stream.process(s.iloc[:4])
    empty = stream.process(s.iloc[4:4])
    assert isinstance(empty, pd.Series)
    assert len(empty) == 0 and empty.name == "flow"
    pd.testing.assert_index_equal(empty.index, s.index[4:4])


# ---------------------------------------------------------------------------
# full and valid: a RangeIndex of input positions
# ---------------------------------------------------------------------------
#
# A full or valid output is not aligned with the input, so it is labelled by
# the input position its kernel origin sits on.  A plain kernel of k taps has
# its origin at (k - 1) // 2, hence
#     full:  first label -((k - 1) // 2)     (n + k - 1 labels)
#     valid: first label k - 1 - (k - 1) // 2 (n - k + 1 labels)

def first_label(mode, k):
    return -((k - 1) // 2) if mode == "full" else k - 1 - (k - 1) // 2


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("mode", ["full", "valid"])
@pytest.mark.parametrize("function", ["convolve", "correlate"])
def test_full_and_valid_series_get_a_range_index_of_input_positions(function, mode, k):
    s = series()
    kernel = np.arange(1.0, k + 1.0)
    call = getattr(sigconv, function)
    result = call(s, kernel, mode, method="direct")
    reference = call(s.to_numpy(copy=True), kernel, mode, method="direct")
    assert isinstance(result.index, pd.RangeIndex)
    start = first_label(mode, k)
    expected = pd.Series(reference, index=pd.RangeIndex(start, start + len(reference)),
                         name="flow")
    pd.testing.assert_series_equal(result, expected, check_exact=True)
    assert len(result) == (N + k - 1 if mode == "full" else N - k + 1)


@pytest.mark.parametrize("mode", ["full", "valid"])
@pytest.mark.parametrize("function", ["convolve", "correlate"])
def test_full_and_valid_frame_get_a_range_index_and_keep_columns(function, mode):
    df = frame()
    call = getattr(sigconv, function)
    result = call(df, KERNEL, mode, method="direct")
    reference = np.column_stack([call(df.iloc[:, i].to_numpy(copy=True), KERNEL, mode,
                                      method="direct") for i in range(3)])
    assert isinstance(result.index, pd.RangeIndex)
    start = first_label(mode, len(KERNEL))
    expected = pd.DataFrame(reference, index=pd.RangeIndex(start, start + len(reference)),
                            columns=df.columns)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("mode", ["full", "valid"])
def test_labels_are_input_positions_of_the_kernel_origin(mode, k):
    # A unit weight at the origin (lag 0) is the identity: the output labelled
    # t must be x[t] wherever t is an input position.
    s = series()
    kernel = np.zeros(k)
    kernel[(k - 1) // 2] = 1.0
    result = sigconv.convolve(s, kernel, mode, method="direct")
    assert isinstance(result.index, pd.RangeIndex)
    inside = result.index[(result.index >= 0) & (result.index < N)]
    np.testing.assert_array_equal(result.loc[inside].to_numpy(), s.to_numpy()[inside])
    np.testing.assert_array_equal(result.drop(inside).to_numpy(), 0.0)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_correlate_full_labels_are_input_positions_of_the_template_centre(k):
    s = series()
    template = np.zeros(k)
    template[(k - 1) // 2] = 1.0
    result = sigconv.correlate(s, template, "full", method="direct")
    assert isinstance(result.index, pd.RangeIndex)
    np.testing.assert_array_equal(result.loc[0:N - 1].to_numpy(), s.to_numpy())


@pytest.mark.parametrize("origin", [0, 1, 2, 3])
def test_kernel_object_full_labels_start_at_minus_its_origin(origin):
    s = series()
    weights = np.zeros(4)
    weights[origin] = 1.0
    result = sigconv.convolve(s, Kernel(weights, origin=origin), "full", method="direct")
    assert isinstance(result.index, pd.RangeIndex)
    assert result.index[0] == -origin
    np.testing.assert_array_equal(result.loc[0:N - 1].to_numpy(), s.to_numpy())


# ---------------------------------------------------------------------------
# Integer and boolean data become float64
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_LENGTH_IDS)
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, bool])
def test_integer_and_bool_series_give_float64(case, dtype):
    raw = np.random.default_rng(4).integers(0, 5, N).astype(dtype)
    s = pd.Series(raw, index=dates(), name="count")
    result = apply(case, s)
    assert result.dtype == np.float64
    expected = pd.Series(apply(case, raw.astype(np.float64)), index=s.index, name="count")
    pd.testing.assert_series_equal(result, expected, check_exact=True)


@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_LENGTH_IDS)
def test_integer_frame_and_array_give_float64(case):
    raw = np.random.default_rng(5).integers(-3, 4, (N, 2))
    df = pd.DataFrame(raw, index=dates(), columns=["a", "b"])
    result = apply(case, df)
    assert list(result.dtypes) == [np.float64, np.float64]
    pd.testing.assert_frame_equal(
        result, pd.DataFrame(per_column(case, df.astype(float)), index=df.index,
                             columns=df.columns), check_exact=True)
    array_result = apply(case, raw[:, 0])
    assert array_result.dtype == np.float64
    np.testing.assert_array_equal(array_result, apply(case, raw[:, 0].astype(float)))


def test_frame_mixing_int_float_and_bool_columns():
    df = pd.DataFrame({"count": np.arange(N), "level": values(6),
                       "flag": np.arange(N) % 3 == 0}, index=dates())
    result = sigconv.convolve(df, KERNEL, "same", method="direct")
    expected = pd.DataFrame(per_column(("convolve", "same"), df.astype(float)),
                            index=df.index, columns=df.columns)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


def test_frame_mixing_bool_and_float_columns():
    df = pd.DataFrame({"flag": [True, False, True, True], "level": [1.0, 2.0, 3.0, 4.0]})
    result = sigconv.convolve(df, [1.0, 1.0], "same", method="direct")
    expected = pd.DataFrame({"flag": [1.0, 1.0, 1.0, 2.0], "level": [1.0, 3.0, 5.0, 7.0]})
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


@pytest.mark.parametrize("dtype, raw", [
    ("Int64", [1, None, 3, 4, 5]),
    ("Float64", [1.0, None, 3.0, 4.0, 5.0]),
    ("boolean", [True, None, True, False, True]),
])
def test_nullable_series_with_missing_values(dtype, raw):
    # pandas' missing value arrives as NaN and follows the nan= policy.
    s = pd.Series(raw, dtype=dtype, name="m")
    floats = np.array([np.nan if v is None else float(v) for v in raw])
    result = sigconv.convolve(s, [1.0, 1.0], "same", method="direct", nan="ignore")
    expected = sigconv.convolve(floats, [1.0, 1.0], "same", method="direct", nan="ignore")
    pd.testing.assert_series_equal(result, pd.Series(expected, name="m"), check_exact=True)


# ---------------------------------------------------------------------------
# Single precision stays single precision; dtype= overrides
# ---------------------------------------------------------------------------

FLOAT32_CASES = [
    pytest.param(case, method, id=f"{case_id}-{method}")
    for case, case_id in zip(SAME_LENGTH + [("convolve", "full"), ("correlate", "valid")],
                             SAME_LENGTH_IDS + ["convolve-full", "correlate-valid"], strict=True)
    for method in (["direct"] if case[0] == "recursive_filter"      # it has one method
                   else ["direct", "fft", "overlap_add"])
]


@pytest.mark.parametrize("case, method", FLOAT32_CASES)
def test_float32_in_float32_out(case, method):
    x = values(7).astype(np.float32)
    options = {} if case[0] == "recursive_filter" else {"method": method}
    result = apply(case, x, **options)
    assert result.dtype == np.float32
    reference = apply(case, x.astype(np.float64), **options)
    np.testing.assert_allclose(result, reference, rtol=1e-4, atol=1e-4)


def test_float32_pandas_in_float32_pandas_out():
    s = series().astype(np.float32)
    assert sigconv.convolve(s, KERNEL, "same").dtype == np.float32
    assert sigconv.recursive_filter(s, COEFS).dtype == np.float32
    assert StreamFilter(KERNEL).process(s).dtype == np.float32
    df = frame().astype(np.float32)
    assert set(sigconv.correlate(df, KERNEL, "causal").dtypes) == {np.dtype(np.float32)}


@pytest.mark.parametrize("case", SAME_LENGTH[:5] + [("convolve", "full")],
                         ids=SAME_LENGTH_IDS[:5] + ["convolve-full"])
def test_dtype_float64_overrides_float32_input(case):
    x = values(8).astype(np.float32)
    result = apply(case, x, dtype=np.float64)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, apply(case, x.astype(np.float64)))


def test_float32_with_nan_ignore_stays_float32():
    x = values(9).astype(np.float32)
    x[[0, 7, -1]] = np.nan
    for method in ("direct", "fft"):
        result = sigconv.convolve(x, KERNEL, "same", nan="ignore", method=method)
        assert result.dtype == np.float32


# ---------------------------------------------------------------------------
# The caller's data is never mutated, never aliased
# ---------------------------------------------------------------------------

def with_gaps(a):
    """NaN at the start, in the middle and at the end, along the time axis (0)."""
    a = np.array(a, dtype=float)
    a[[0, len(a) // 2, len(a) - 1]] = np.nan
    return a


INPUTS = {
    "ndarray": lambda: with_gaps(values(10)),
    "ndarray-2d-axis0": lambda: with_gaps(values(11, N, 3)),
    "ndarray-fortran": lambda: np.asfortranarray(with_gaps(values(12, N, 3))),
    "ndarray-float32": lambda: with_gaps(values(13)).astype(np.float32),
    "ndarray-int": lambda: np.arange(N) % 7,
    "series": lambda: pd.Series(with_gaps(values(14)), index=dates(), name="flow"),
    "frame": lambda: pd.DataFrame(with_gaps(values(15, N, 3)), index=dates(),
                                  columns=["a", "b", "c"]),
}

CALLS = {
    "convolve-propagate-direct": lambda x, ax: sigconv.convolve(
        x, KERNEL, "same", method="direct", axis=ax),
    "convolve-ignore-direct": lambda x, ax: sigconv.convolve(
        x, KERNEL, "same", method="direct", nan="ignore", cval=np.nan, axis=ax),
    "convolve-ignore-fft": lambda x, ax: sigconv.convolve(
        x, KERNEL, "causal", method="fft", nan="ignore", min_weight=0.5, axis=ax),
    "convolve-full-ignore-direct": lambda x, ax: sigconv.convolve(
        x, KERNEL, "full", method="direct", nan="ignore", axis=ax),
    "correlate-propagate-fft": lambda x, ax: sigconv.correlate(
        x, KERNEL, "same", boundary="reflect", method="fft", axis=ax),
    "correlate-ignore-overlap_add": lambda x, ax: sigconv.correlate(
        x, KERNEL, "valid", method="overlap_add", nan="ignore", axis=ax),
    "recursive_filter": lambda x, ax: sigconv.recursive_filter(x, COEFS, axis=ax),
    "stream-direct": lambda x, ax: StreamFilter(KERNEL, method="direct").process(
        x if ax == -1 else np.moveaxis(x, ax, -1)),
    "stream-fft": lambda x, ax: StreamFilter(KERNEL, method="fft").process(
        x if ax == -1 else np.moveaxis(x, ax, -1)),
}


def assert_unchanged(x, before):
    if isinstance(x, pd.DataFrame):
        pd.testing.assert_frame_equal(x, before, check_exact=True)
    elif isinstance(x, pd.Series):
        pd.testing.assert_series_equal(x, before, check_exact=True)
    else:
        assert x.dtype == before.dtype
        assert x.flags.c_contiguous == before.flags.c_contiguous
        np.testing.assert_array_equal(x, before)   # NaN positions compared too


@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
@pytest.mark.parametrize("kind", list(INPUTS), ids=list(INPUTS))
def test_input_is_never_mutated(kind, call):
    x = INPUTS[kind]()
    before = x.copy(order="K") if isinstance(x, np.ndarray) else x.copy()
    kernel_before = KERNEL.copy()
    axis = 0 if kind.startswith("ndarray-2d") or kind == "ndarray-fortran" else -1
    result = CALLS[call](x, axis)
    assert_unchanged(x, before)
    np.testing.assert_array_equal(KERNEL, kernel_before)
    # The result is new memory: writing into it leaves the input alone.
    if isinstance(result, np.ndarray):
        result[...] = 12345.0
        assert_unchanged(x, before)


@pytest.mark.parametrize("method", ["direct", "fft"])
def test_stream_state_does_not_alias_the_chunk(method):
    chunk = values(16)
    before = chunk.copy()
    stream = StreamFilter(KERNEL, method=method)
    stream.process(chunk)
    state = stream.state
    chunk[:] = 99.0          # the caller reuses its buffer for the next chunk
    np.testing.assert_array_equal(stream.state, state)
    np.testing.assert_array_equal(state[0], before[-(len(KERNEL) - 1):])


@pytest.mark.parametrize("case", SAME_LENGTH, ids=SAME_LENGTH_IDS)
def test_read_only_input_is_accepted(case):
    # pandas' copy-on-write hands out read-only arrays; so may memory maps.
    x = values(17)
    expected = apply(case, x.copy())
    x.flags.writeable = False
    np.testing.assert_array_equal(apply(case, x), expected)
    assert not x.flags.writeable


# ---------------------------------------------------------------------------
# A non-numeric column is named in the error
# ---------------------------------------------------------------------------

ENTRY_POINTS = {
    "convolve": lambda df: sigconv.convolve(df, KERNEL, "same"),
    "correlate": lambda df: sigconv.correlate(df, KERNEL, "full"),
    "recursive_filter": lambda df: sigconv.recursive_filter(df, COEFS),
    "stream": lambda df: StreamFilter(KERNEL).process(df),
}


@pytest.mark.parametrize("bad", [
    pd.Series(["x", "y"] * (N // 2), dtype=object),
    pd.Series(["x", "y"] * (N // 2), dtype="string"),
    pd.Series(pd.date_range("2020-01-01", periods=N)),
    pd.Series(pd.Categorical([1, 2] * (N // 2))),
], ids=["object", "string", "datetime", "category"])
@pytest.mark.parametrize("entry", list(ENTRY_POINTS), ids=list(ENTRY_POINTS))
def test_non_numeric_column_is_named(entry, bad):
    df = pd.DataFrame({"level": values(18), "station label": bad.to_numpy()
                       if bad.dtype == object else bad.array})
    with pytest.raises(TypeError, match=r"column 'station label'"):
        ENTRY_POINTS[entry](df)
