"""Bad input raises a clear error before any numba code runs: one test per case.

Every case runs with the numba kernels replaced by functions that fail the
test if called (fixture ``no_kernels``), so the error must come from the
validation in front of them, not from numba's typing or from the kernels
(the last test checks that the guard does catch kernel calls).  Each message
is matched on the parameter it names; option errors must list the valid
choices, and no message may mention numba.
"""
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import sigconv
from sigconv import Kernel, StreamFilter

X = np.arange(10.0)
X3 = np.ones((3, 10))      # three series


pytestmark = pytest.mark.usefixtures("no_kernels")


def choices(name, *values):
    """A pattern for "<name> must be one of 'a', 'b', ...": every choice, in order."""
    return re.escape(name) + r"\b.*" + r".*".join(re.escape(repr(v)) for v in values)


MODES = ("full", "valid", "same", "causal")
BOUNDARIES = ("constant", "reflect", "mirror", "nearest", "wrap")
METHODS = ("auto", "direct", "fft", "overlap_add")
NAN_POLICIES = ("propagate", "raise", "ignore")


def with_bad(value, where, n=10):
    x = np.arange(float(n))
    x[where] = value
    return x


def two_chunks(first, second, **options):
    """Process ``first`` (valid), then ``second``.  The FFT method keeps the
    valid chunk away from numba."""
    stream = StreamFilter([1.0, 2.0], method="fft", **options)
    stream.process(first)
    stream.process(second)


def frame_with(name, column):
    return pd.DataFrame({"level": np.arange(6.0), name: column})


CASES = [
    # -- empty or too-short series ------------------------------------------
    ("empty-ndarray", lambda: sigconv.convolve(np.array([]), [1.0]),
     ValueError, r"x must have at least 1 sample"),
    ("empty-list", lambda: sigconv.correlate([], [1.0]),
     ValueError, r"x must have at least 1 sample"),
    ("empty-recursive_filter", lambda: sigconv.recursive_filter(np.array([]), [0.5]),
     ValueError, r"x must have at least 1 sample"),
    ("empty-2d-time-axis", lambda: sigconv.convolve(np.empty((3, 0)), [1.0]),
     ValueError, r"x must have at least 1 sample"),
    ("empty-series", lambda: sigconv.convolve(pd.Series([], dtype=float), [1.0]),
     ValueError, r"x must have at least 1 sample"),
    ("empty-frame-rows", lambda: sigconv.recursive_filter(
        pd.DataFrame({"a": []}, dtype=float), [0.5]),
     ValueError, r"x must have at least 1 sample"),
    ("frame-without-columns", lambda: sigconv.convolve(pd.DataFrame(index=range(3)), [1.0]),
     ValueError, r"x must have at least one column"),
    ("no-series", lambda: sigconv.convolve(np.empty((0, 5)), [1.0]),
     ValueError, r"x holds no series"),
    # -- kernel longer than the series in valid mode -------------------------
    ("valid-kernel-longer-than-series", lambda: sigconv.convolve(np.ones(3), np.ones(5), "valid"),
     ValueError, r"mode='valid'.*kernel.*5 samples.*x has 3"),
    ("valid-dilated-kernel-longer-than-series", lambda: sigconv.correlate(
        np.ones(5), np.ones(3), "valid", dilation=3),
     ValueError, r"mode='valid'.*kernel spans 7 samples.*dilation=3"),
    ("valid-frame-too-short", lambda: sigconv.convolve(
        pd.DataFrame({"a": [1.0, 2.0]}), np.ones(3), "valid"),
     ValueError, r"mode='valid'.*x has 2"),
    # -- non-finite samples with nan="raise" ---------------------------------
    *[(f"nan-raise-{label}-{function}",
       (lambda f=function, b=bad, w=where: getattr(sigconv, f)(
           with_bad(b, w), [0.5] if f == "recursive_filter" else [1.0, 2.0], nan="raise")),
       ValueError, rf"x contains NaN or inf \(first at position {where % 10}\).*nan=")
      for label, bad, where in [("nan-start", np.nan, 0), ("nan-middle", np.nan, 4),
                                ("nan-end", np.nan, -1), ("inf", np.inf, 3),
                                ("minus-inf", -np.inf, 7)]
      for function in ("convolve", "correlate", "recursive_filter")],
    ("nan-raise-direct", lambda: sigconv.convolve(with_bad(np.nan, 2), [1.0, 1.0],
                                                  method="direct", nan="raise"),
     ValueError, r"x contains NaN or inf"),
    ("nan-raise-series", lambda: sigconv.convolve(
        pd.Series(with_bad(np.nan, 5)), [1.0, 1.0], "same", nan="raise"),
     ValueError, r"x contains NaN or inf \(first at position 5\)"),
    ("nan-raise-frame", lambda: sigconv.correlate(
        pd.DataFrame({"a": np.arange(10.0), "b": with_bad(-np.inf, 6)}), [1.0, 1.0],
        nan="raise"),
     ValueError, r"x contains NaN or inf \(first at position 6 of series 1\)"),
    # -- wrong dtype ---------------------------------------------------------
    ("strings", lambda: sigconv.convolve(["a", "b", "c"], [1.0]),
     TypeError, r"x must hold numbers.*got dtype <U1"),
    ("object-array", lambda: sigconv.convolve(np.array([1.0, None, 3.0]), [1.0]),
     TypeError, r"x must hold numbers.*got dtype object"),
    ("object-array-of-floats", lambda: sigconv.correlate(np.array([1.0, 2.0], dtype=object),
                                                         [1.0]),
     TypeError, r"x must hold numbers.*object"),
    ("datetime-array", lambda: sigconv.convolve(np.arange(3).astype("M8[D]"), [1.0]),
     TypeError, r"x must hold numbers.*datetime64"),
    ("strings-recursive_filter", lambda: sigconv.recursive_filter(["a", "b"], [0.5]),
     TypeError, r"x must hold numbers"),
    ("complex-recursive_filter", lambda: sigconv.recursive_filter(X + 1j, [0.5]),
     TypeError, r"recursive_filter needs a real series"),
    ("string-kernel", lambda: sigconv.convolve(X, ["a", "b"]),
     TypeError, r"kernel must hold numbers"),
    ("string-template", lambda: sigconv.correlate(X, ["a", "b"]),
     TypeError, r"template must hold numbers"),
    ("string-coefs", lambda: sigconv.recursive_filter(X, ["a"]),
     TypeError, r"coefs must hold numbers"),
    ("string-init", lambda: sigconv.recursive_filter(X, [0.5], init=["a"]),
     TypeError, r"init must hold numbers"),
    ("string-stream-kernel", lambda: StreamFilter(["a", "b"]),
     TypeError, r"kernel must hold numbers"),
    ("string-chunk", lambda: StreamFilter([1.0]).process(["a", "b"]),
     TypeError, r"chunk must hold numbers"),
    ("string-Kernel", lambda: Kernel(["a", "b"]),
     TypeError, r"weights must be real numbers"),
    ("string-series", lambda: sigconv.convolve(pd.Series(["a", "b"]), [1.0]),
     TypeError, r"x must be numeric; got a Series of dtype"),
    ("datetime-series", lambda: sigconv.convolve(
        pd.Series(pd.date_range("2020-01-01", periods=3)), [1.0]),
     TypeError, r"x must be numeric; got a Series of dtype datetime64"),
    ("dtype-string", lambda: sigconv.convolve(X, [1.0], dtype=str),
     TypeError, r"dtype must be a numeric dtype"),
    ("dtype-object", lambda: sigconv.recursive_filter(X, [0.5], dtype=object),
     TypeError, r"dtype must be a numeric dtype"),
    ("cval-string", lambda: sigconv.convolve(X, [1.0, 1.0], "same", cval="0"),
     TypeError, r"cval must be a number"),
    # -- non-numeric pandas columns ------------------------------------------
    ("str-column-convolve", lambda: sigconv.convolve(frame_with("label", list("abcdef")), [1.0]),
     TypeError, r"x column 'label' is not numeric"),
    ("str-column-correlate", lambda: sigconv.correlate(
        frame_with("label", pd.array(list("abcdef"), dtype="string")), [1.0]),
     TypeError, r"x column 'label' is not numeric"),
    ("str-column-recursive_filter", lambda: sigconv.recursive_filter(
        frame_with("label", list("abcdef")), [0.5]),
     TypeError, r"x column 'label' is not numeric"),
    ("str-column-stream", lambda: StreamFilter([1.0]).process(
        frame_with("label", list("abcdef"))),
     TypeError, r"chunk column 'label' is not numeric"),
    ("datetime-column", lambda: sigconv.convolve(
        frame_with("when", pd.date_range("2020-01-01", periods=6)), [1.0]),
     TypeError, r"x column 'when' is not numeric.*datetime64"),
    ("tz-datetime-column", lambda: sigconv.convolve(
        frame_with("when", pd.date_range("2020-01-01", periods=6, tz="UTC")), [1.0]),
     TypeError, r"x column 'when' is not numeric"),
    ("timedelta-column", lambda: sigconv.convolve(
        frame_with("lag", pd.to_timedelta(np.arange(6), unit="s")), [1.0]),
     TypeError, r"x column 'lag' is not numeric"),
    ("category-column", lambda: sigconv.convolve(
        frame_with("grade", pd.Categorical([1, 2] * 3)), [1.0]),
     TypeError, r"x column 'grade' is not numeric"),
    ("integer-column-label", lambda: sigconv.convolve(
        pd.DataFrame({0: np.arange(3.0), 1: list("abc")}), [1.0]),
     TypeError, r"x column 1 is not numeric"),
    # -- unknown option strings ----------------------------------------------
    ("mode", lambda: sigconv.convolve(X, [1.0], "sam"),
     ValueError, choices("mode", *MODES) + r".*got 'sam'"),
    ("mode-not-a-string", lambda: sigconv.correlate(X, [1.0], None),
     ValueError, choices("mode", *MODES) + r".*got None"),
    ("mode-wrong-case", lambda: sigconv.convolve(X, [1.0], "Same"),
     ValueError, choices("mode", *MODES)),
    ("boundary", lambda: sigconv.convolve(X, [1.0], "same", boundary="periodic"),
     ValueError, choices("boundary", *BOUNDARIES) + r".*got 'periodic'"),
    ("boundary-correlate", lambda: sigconv.correlate(X, [1.0], "same", boundary="zero"),
     ValueError, choices("boundary", *BOUNDARIES)),
    ("method", lambda: sigconv.convolve(X, [1.0], method="fast"),
     ValueError, choices("method", *METHODS) + r".*got 'fast'"),
    ("method-correlate", lambda: sigconv.correlate(X, [1.0], method="FFT"),
     ValueError, choices("method", *METHODS)),
    ("method-stream", lambda: StreamFilter([1.0], method="fast"),
     ValueError, choices("method", *METHODS)),
    ("nan", lambda: sigconv.convolve(X, [1.0], nan="skip"),
     ValueError, choices("nan", *NAN_POLICIES) + r".*got 'skip'"),
    ("nan-correlate", lambda: sigconv.correlate(X, [1.0], nan=None),
     ValueError, choices("nan", *NAN_POLICIES)),
    ("nan-recursive_filter", lambda: sigconv.recursive_filter(X, [0.5], nan="ignore"),
     ValueError, choices("nan", "propagate", "raise") + r".*got 'ignore'"),
    ("mode-choose_method", lambda: sigconv.choose_method(10, 3, mode="sam"),
     ValueError, choices("mode", *MODES)),
    # -- 2-D kernel with the wrong number of rows ----------------------------
    ("kernel-rows", lambda: sigconv.convolve(X3, np.ones((2, 3))),
     ValueError, r"kernel with one row per series must have 3 rows; got shape \(2, 3\)"),
    ("template-rows", lambda: sigconv.correlate(X3, np.ones((4, 3))),
     ValueError, r"template with one row per series must have 3 rows"),
    ("coefs-rows", lambda: sigconv.recursive_filter(X3, np.ones((2, 1))),
     ValueError, r"coefs with one row per series must have 3 rows"),
    ("init-rows", lambda: sigconv.recursive_filter(X3, np.ones((3, 2)), init=np.ones((2, 2))),
     ValueError, r"init with one row per series must have 3 rows"),
    ("kernel-rows-frame", lambda: sigconv.convolve(
        pd.DataFrame({"a": X, "b": X}), np.ones((3, 2))),
     ValueError, r"kernel with one row per series must have 2 rows"),
    ("stream-kernel-2d", lambda: StreamFilter(np.ones((2, 3))),
     ValueError, r"kernel.*shape \(2, 3\)"),
    # -- empty kernel ----------------------------------------------------------
    ("empty-kernel", lambda: sigconv.convolve(X, []),
     ValueError, r"kernel must have at least one weight"),
    ("empty-kernel-rows", lambda: sigconv.convolve(X3, np.empty((3, 0))),
     ValueError, r"kernel must have at least one weight"),
    ("empty-template", lambda: sigconv.correlate(X, np.array([])),
     ValueError, r"template must have at least one weight"),
    ("empty-coefs", lambda: sigconv.recursive_filter(X, []),
     ValueError, r"coefs must have at least one weight"),
    ("empty-stream-kernel", lambda: StreamFilter([]),
     ValueError, r"kernel must have at least one weight"),
    ("empty-Kernel", lambda: Kernel([]),
     ValueError, r"weights must be 1-D with at least one weight"),
    # -- NaN or inf in the kernel ----------------------------------------------
    ("nan-in-kernel", lambda: sigconv.convolve(X, np.array([1.0, np.nan, 1.0])),
     ValueError, r"kernel weights must be finite"),
    ("inf-in-kernel-list", lambda: sigconv.convolve(X, [1.0, np.inf]),
     ValueError, r"kernel weights must be finite"),
    ("opposite-infs-in-kernel", lambda: sigconv.convolve(X, np.array([np.inf, -np.inf])),
     ValueError, r"kernel weights must be finite"),
    ("nan-in-float32-kernel", lambda: sigconv.convolve(X, np.array([1.0, np.nan], np.float32)),
     ValueError, r"kernel weights must be finite"),
    ("nan-in-one-kernel-row", lambda: sigconv.convolve(
        X3, np.array([[1.0, 1.0], [1.0, 1.0], [np.nan, 1.0]])),
     ValueError, r"kernel weights must be finite"),
    ("nan-in-template", lambda: sigconv.correlate(X, [np.nan]),
     ValueError, r"template weights must be finite"),
    ("nan-in-coefs", lambda: sigconv.recursive_filter(X, [0.5, np.nan]),
     ValueError, r"coefs weights must be finite"),
    ("nan-in-init", lambda: sigconv.recursive_filter(X, [0.5], init=[np.nan]),
     ValueError, r"init\b.*finite"),
    ("nan-in-stream-kernel", lambda: StreamFilter([1.0, np.nan]),
     ValueError, r"kernel weights must be finite"),
    ("nan-in-Kernel", lambda: Kernel([1.0, np.nan]),
     ValueError, r"weights must be finite"),
    # -- dilation --------------------------------------------------------------
    *[(f"dilation-{label}", (lambda d=value: sigconv.convolve(X, [1.0, 1.0], dilation=d)),
       ValueError, r"dilation must be an integer >= 1; got " + re.escape(repr(value)))
      for label, value in [("zero", 0), ("negative", -2), ("fraction", 1.5), ("float", 2.0),
                           ("bool", True), ("string", "2"), ("none", None)]],
    ("dilation-correlate", lambda: sigconv.correlate(X, [1.0, 1.0], "same", dilation=0),
     ValueError, r"dilation must be an integer >= 1"),
    ("dilation-stream", lambda: StreamFilter([1.0, 1.0], dilation=0),
     ValueError, r"dilation must be an integer >= 1"),
    ("dilation-choose_method", lambda: sigconv.choose_method(10, 3, dilation=0),
     ValueError, r"dilation must be an integer >= 1"),
    # -- min_weight --------------------------------------------------------------
    *[(f"min_weight-{label}", (lambda v=value: sigconv.convolve(
        X, [1.0, 1.0], "same", nan="ignore", min_weight=v)),
       ValueError, r"min_weight must be a number in \[0, 1\]")
      for label, value in [("above-1", 1.5), ("negative", -0.1), ("nan", np.nan),
                           ("string", "half"), ("bool", True)]],
    ("min_weight-without-nan-ignore", lambda: sigconv.convolve(X, [1.0], min_weight=0.5),
     ValueError, r"min_weight applies only with nan='ignore'; got nan='propagate'"),
    ("min_weight-with-nan-raise", lambda: sigconv.correlate(
        X, [1.0], nan="raise", min_weight=0.5),
     ValueError, r"min_weight applies only with nan='ignore'; got nan='raise'"),
    # -- axis ---------------------------------------------------------------------
    ("axis-too-large", lambda: sigconv.convolve(np.ones((2, 5)), [1.0], axis=2),
     ValueError, r"axis 2 is out of bounds for x with 2 dimensions"),
    ("axis-too-negative", lambda: sigconv.correlate(np.ones((2, 5)), [1.0], axis=-3),
     ValueError, r"axis -3 is out of bounds for x with 2 dimensions"),
    ("axis-1d", lambda: sigconv.convolve(X, [1.0], axis=1),
     ValueError, r"axis 1 is out of bounds for x with 1 dimension"),
    ("axis-recursive_filter", lambda: sigconv.recursive_filter(np.ones((2, 5)), [0.5], axis=5),
     ValueError, r"axis 5 is out of bounds"),
    ("axis-not-an-integer-float", lambda: sigconv.convolve(np.ones((2, 5)), [1.0], axis=1.0),
     (TypeError, ValueError), r"\baxis\b"),
    ("axis-not-an-integer-string", lambda: sigconv.convolve(np.ones((2, 5)), [1.0],
                                                             axis="time"),
     (TypeError, ValueError), r"\baxis\b"),
    # -- scalars -------------------------------------------------------------------
    ("scalar-x", lambda: sigconv.convolve(3.0, [1.0]),
     ValueError, r"x must be at least 1-D; got a scalar"),
    ("numpy-scalar-x", lambda: sigconv.correlate(np.float64(3.0), [1.0]),
     ValueError, r"x must be at least 1-D; got a scalar"),
    ("zero-d-array-x", lambda: sigconv.convolve(np.array(3.0), [1.0]),
     ValueError, r"x must be at least 1-D; got a scalar"),
    ("scalar-x-recursive_filter", lambda: sigconv.recursive_filter(3.0, [0.5]),
     ValueError, r"x must be at least 1-D; got a scalar"),
    ("scalar-chunk", lambda: StreamFilter([1.0]).process(3.0),
     ValueError, r"chunk must be at least 1-D; got a scalar"),
    ("scalar-kernel", lambda: sigconv.convolve(X, 2.0),
     ValueError, r"kernel must be 1-D \(k,\) or 2-D \(n_series, k\); got a scalar"),
    ("scalar-coefs", lambda: sigconv.recursive_filter(X, 0.5),
     ValueError, r"coefs must be 1-D"),
    # -- Kernel with a bad origin --------------------------------------------------
    ("Kernel-origin-past-the-end", lambda: Kernel([1.0, 2.0, 3.0], origin=3),
     ValueError, r"origin must be in \[0, 2\] for 3 weights; got 3"),
    ("Kernel-origin-negative", lambda: Kernel([1.0, 2.0, 3.0], origin=-1),
     ValueError, r"origin must be an integer >= 0; got -1"),
    ("Kernel-origin-fraction", lambda: Kernel([1.0, 2.0, 3.0], origin=1.5),
     ValueError, r"origin must be an integer"),
    ("Kernel-origin-string", lambda: Kernel([1.0, 2.0, 3.0], origin="1"),
     ValueError, r"origin must be an integer"),
    ("Kernel-origin-bool", lambda: Kernel([1.0, 2.0, 3.0], origin=True),
     ValueError, r"origin must be an integer"),
    ("Kernel-2d-weights", lambda: Kernel(np.ones((2, 2))),
     ValueError, r"weights must be 1-D.*shape \(2, 2\)"),
    # -- recursive_filter init of the wrong length ---------------------------------
    ("init-too-long", lambda: sigconv.recursive_filter(X, [0.5, 0.25], init=[1.0, 2.0, 3.0]),
     ValueError, r"init must hold 2 values \(one per coefficient\); got 3"),
    ("init-too-short", lambda: sigconv.recursive_filter(X, [0.5, 0.25], init=[1.0]),
     ValueError, r"init must hold 2 values \(one per coefficient\); got 1"),
    ("init-per-series-too-short", lambda: sigconv.recursive_filter(
        X3, [0.5, 0.25], init=np.ones((3, 1))),
     ValueError, r"init must hold 2 values"),
    # -- StreamFilter chunk with a different number of series ----------------------
    ("chunk-more-series", lambda: two_chunks(np.ones((2, 5)), np.ones((3, 5))),
     ValueError, r"chunk must hold 2 series, as the first chunk did; got 3"),
    ("chunk-fewer-series", lambda: two_chunks(np.ones((2, 5)), np.ones(5)),
     ValueError, r"chunk must hold 2 series, as the first chunk did; got 1"),
    ("chunk-frame-columns", lambda: two_chunks(
        pd.DataFrame({"a": X, "b": X}), pd.DataFrame({"a": X, "b": X, "c": X})),
     ValueError, r"chunk must hold 2 series.*got 3"),
    # -- choose_method sizes -------------------------------------------------------
    ("choose_method-n", lambda: sigconv.choose_method(0, 3),
     ValueError, r"\bn must be an integer >= 1; got 0"),
    ("choose_method-k", lambda: sigconv.choose_method(10, 2.5),
     ValueError, r"\bk must be an integer >= 1; got 2.5"),
    ("choose_method-n_series", lambda: sigconv.choose_method(10, 3, 0),
     ValueError, r"n_series must be an integer >= 1; got 0"),
]


@pytest.mark.parametrize("call, error, pattern",
                         [pytest.param(c, e, p, id=i) for i, c, e, p in CASES])
def test_bad_input_raises_before_any_kernel_runs(call, error, pattern):
    # The error comes alone: no numpy RuntimeWarning on the way to it (under
    # ``-W error`` such a warning would replace the message).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=pattern) as raised:
            call()
    assert "numba" not in str(raised.value).lower()


@pytest.mark.parametrize("kernel", [np.array([1e308, 1e308]), [1e308, 1e308],
                                    np.array([3e38, 3e38], dtype=np.float32)],
                         ids=["ndarray", "list", "float32"])
def test_huge_finite_kernel_is_accepted_without_warnings(kernel):
    # Validating the weights must not overflow when their sum exceeds the
    # range (StreamFilter's constructor validates the kernel and computes nothing).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stream = StreamFilter(kernel)
    assert stream.state is None


def test_case_ids_are_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids))


def test_guard_intercepts_every_kernel(no_kernels):
    # Without this the cases above would prove nothing: the guard must have
    # found the kernels, and valid calls that need them must hit it.
    assert {"sigconv._core.recursive.all_pole", "sigconv._core.direct.correlate_at"} \
        <= set(no_kernels)
    assert any(name.startswith("sigconv._core.direct.correlate_") for name in no_kernels)
    calls = [
        lambda: sigconv.convolve(X, [1.0, 2.0], method="direct"),
        lambda: sigconv.correlate(X3, [1.0, 2.0], "same", boundary="wrap", method="direct"),
        lambda: sigconv.convolve(with_bad(np.nan, 3), [1.0, 2.0], method="fft"),
        lambda: sigconv.recursive_filter(X, [0.5]),
        lambda: StreamFilter([1.0, 2.0], method="direct").process(X),
    ]
    for call in calls:
        with pytest.raises(AssertionError, match="numba kernel .* ran on invalid input"):
            call()
