"""The one place that checks and converts input.

Public functions call these helpers first, in the order array, sizes, option
strings, NaN policy, so errors are raised (and worded) the same way
everywhere, before any numba code runs.  ``SeriesInput`` records how the
caller's data was wrapped (numpy shape and axis, or pandas index, name and
columns) so that the result can be wrapped back the same way.
"""
from __future__ import annotations

import math
import numbers
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

NAN_POLICIES = ("propagate", "raise", "ignore")
_FAST_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def _pandas():
    """pandas if the caller has imported it (a pandas object implies it has).

    Checking ``sys.modules`` keeps ``import sigconv`` free of pandas' import time.
    """
    return sys.modules.get("pandas")


def is_dask(x):
    """Whether ``x`` is a Dask collection (a ``dask.array``...), without importing dask.

    The public functions hand such input to :mod:`sigconv.dask.arrays`.
    """
    return type(x).__module__.startswith("dask.")


def check_option(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise a ValueError listing them."""
    if not isinstance(value, str) or value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {valid}; got {value!r}")
    return value


def check_int(value, name, minimum=1):
    """Return ``value`` as int if it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_flag(value, name):
    """Return ``value`` as bool if it is True or False (numpy bools too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_fraction(value, name):
    """Return ``value`` as float if it lies in [0, 1]; None passes through."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number in [0, 1] or None; got {value!r}")
    return float(value)


def check_real(value, name, low=-math.inf, high=math.inf, *, closed=""):
    """Return ``value`` as float if it lies between ``low`` and ``high``.

    The interval is open unless ``closed`` names its closed ends: ``"low"``,
    ``"high"`` or ``"both"``.
    """
    low_ok = (lambda v: v >= low) if closed in ("low", "both") else (lambda v: v > low)
    high_ok = (lambda v: v <= high) if closed in ("high", "both") else (lambda v: v < high)
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not (low_ok(value) and high_ok(value))):
        interval = ("[" if closed in ("low", "both") else "(") + f"{low:g}, {high:g}" + (
            "]" if closed in ("high", "both") else ")")
        raise ValueError(f"{name} must be a number in {interval}; got {value!r}")
    return float(value)


def compute_dtype(dtype, name="dtype"):
    """The floating dtype computations run in: float32 and float64 (and complex) stay,
    integers and booleans become float64, float16 becomes float32."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be a numpy dtype such as 'float32' or 'float64'; "
                        f"got {dtype!r}") from None
    if dtype.kind in "biu":
        return np.dtype(np.float64)
    if dtype.kind == "f":
        return np.dtype(np.float32) if dtype.itemsize <= 4 else np.dtype(np.float64)
    if dtype.kind == "c":
        return np.dtype(np.complex64) if dtype.itemsize <= 8 else np.dtype(np.complex128)
    raise TypeError(f"{name} must be a numeric dtype (bool, int, float or complex); got {dtype}")


@dataclass(slots=True)
class SeriesInput:
    """Validated series data: ``values`` has shape (n_series, n_samples), C-contiguous.

    The other fields remember the caller's container so that :meth:`wrap`
    returns the same kind of object.
    """

    values: np.ndarray
    kind: str                      # "numpy", "series" or "frame"
    batch_shape: tuple = ()
    axis: int = -1
    index: Any = None
    name: Any = None
    columns: Any = None

    @property
    def n_samples(self):
        return self.values.shape[1]

    @property
    def n_series(self):
        return self.values.shape[0]

    @property
    def dtype(self):
        return self.values.dtype

    def wrap(self, y, label_start=None, *, index=None):
        """Wrap ``y`` (n_series, n_out), a new array the caller owns, like the input.

        Without ``label_start`` the output is aligned with the input and keeps
        its index; with it, a RangeIndex of input positions starts there.
        ``index`` replaces the pandas index outright (a frequency axis, say).
        """
        n_out = y.shape[1]
        if self.kind == "numpy":
            out = y.reshape(self.batch_shape + (n_out,))
            return np.moveaxis(out, -1, self.axis) if out.ndim > 1 else out
        pd = _pandas()
        if index is None:
            index = self.index if label_start is None else \
                pd.RangeIndex(label_start, label_start + n_out)
        # ``y`` is always a new array, so pandas need not copy it (pandas 3
        # copies by default: ~1 ns per sample).
        if self.kind == "series":
            return pd.Series(y[0], index=index, name=self.name, copy=False)
        return pd.DataFrame(y.T, index=index, columns=self.columns, copy=False)


def _numeric_array(values, name):
    arr = np.asarray(values)
    if arr.dtype.kind not in "biufc":
        raise TypeError(
            f"{name} must hold numbers (bool, int, float or complex); got dtype {arr.dtype}"
        )
    return arr


def _pandas_values(obj, dtypes, dtype):
    """A Series' or DataFrame's values in one floating dtype, pandas' missing
    values (``pd.NA`` in nullable columns) as NaN."""
    common = np.result_type(*(getattr(d, "numpy_dtype", d) for d in dtypes))
    return obj.to_numpy(dtype=compute_dtype(common if dtype is None else dtype),
                        na_value=np.nan)


def _check_axis(axis, ndim, name):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer; got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for {name} with {ndim} dimension"
                         + "s" * (ndim != 1))


def series_input(x, name="x", *, axis=-1, dtype=None, min_length=1):
    """Validate and convert a series argument.

    Accepts a 1-D or N-D array-like (time on ``axis``, the other axes a
    batch), a pandas Series or a DataFrame (each column a series).  Returns a
    :class:`SeriesInput` whose ``values`` is a new or read-only-used array:
    callers never write into it, so the caller's data is never mutated.
    """
    if (type(x) is np.ndarray and x.ndim == 1 and dtype is None and axis in (0, -1)
            and x.dtype in _FAST_DTYPES and x.size >= max(min_length, 1)):
        # The common case, kept lean: calls on short series are overhead-bound.
        return SeriesInput(np.ascontiguousarray(x).reshape(1, -1), "numpy", axis=axis)
    pd = _pandas()
    if pd is not None and isinstance(x, pd.DataFrame):
        for col, col_dtype in x.dtypes.items():
            if not (pd.api.types.is_numeric_dtype(col_dtype)
                    and not pd.api.types.is_datetime64_any_dtype(col_dtype)):
                raise TypeError(
                    f"{name} column {col!r} is not numeric (dtype {col_dtype}); "
                    "select the numeric columns first"
                )
        if x.shape[1] == 0:
            raise ValueError(f"{name} must have at least one column")
        arr = _pandas_values(x, x.dtypes, dtype).T
        data = SeriesInput(None, "frame", index=x.index, columns=x.columns)
    elif pd is not None and isinstance(x, pd.Series):
        if not pd.api.types.is_numeric_dtype(x.dtype) or pd.api.types.is_datetime64_any_dtype(
                x.dtype):
            raise TypeError(f"{name} must be numeric; got a Series of dtype {x.dtype}")
        arr = _pandas_values(x, [x.dtype], dtype)[None, :]
        data = SeriesInput(None, "series", index=x.index, name=x.name)
    else:
        arr = _numeric_array(x, name)
        if arr.ndim == 0:
            raise ValueError(f"{name} must be at least 1-D; got a scalar")
        _check_axis(axis, arr.ndim, name)
        arr = np.moveaxis(arr, axis, -1)
        data = SeriesInput(None, "numpy", batch_shape=arr.shape[:-1], axis=axis)
        arr = arr.reshape(math.prod(arr.shape[:-1]), arr.shape[-1])
    target = compute_dtype(arr.dtype if dtype is None else dtype)
    n = arr.shape[1]
    if n < min_length or arr.shape[0] == 0:
        raise ValueError(
            f"{name} must have at least {min_length} sample{'s' * (min_length > 1)} "
            f"along the time axis; got {n}" if arr.shape[0] else f"{name} holds no series"
        )
    data.values = np.ascontiguousarray(arr, dtype=target)
    return data


def kernel_input(kernel, name="kernel", *, n_series=1, dtype=np.float64):
    """Validate a kernel: a ``Kernel``, a 1-D array (shared by every series) or a
    2-D array with one row per series.

    Returns ``(weights, origin)``: weights shaped (1 or n_series, k) in the
    compute dtype, origin the index of lag 0 (default ``(k - 1) // 2``).
    """
    # Fast path for the common case, kept lean for calls on short series.
    if type(kernel) is np.ndarray and kernel.ndim == 1 and kernel.dtype in _FAST_DTYPES \
            and kernel.size and np.isfinite(kernel).all():
        return kernel.astype(dtype, copy=False).reshape(1, -1), (kernel.size - 1) // 2
    origin = getattr(kernel, "origin", None)
    weights = getattr(kernel, "weights", kernel)
    w = _numeric_array(weights, name)
    if w.ndim == 0:
        raise ValueError(f"{name} must be 1-D (k,) or 2-D (n_series, k); got a scalar")
    if w.ndim > 2:
        w = w.reshape(-1, w.shape[-1])
    if w.ndim == 2 and w.shape[0] not in (1, n_series):
        raise ValueError(
            f"{name} with one row per series must have {n_series} rows; got shape {w.shape}"
        )
    if w.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one weight; got an empty kernel")
    if not np.isfinite(w).all():
        raise ValueError(f"{name} weights must be finite; got NaN or inf")
    w2 = np.atleast_2d(w)
    k = w2.shape[1]
    origin = (k - 1) // 2 if origin is None else origin
    out_dtype = np.result_type(dtype, compute_dtype(w.dtype)) if w.dtype.kind == "c" else dtype
    return np.ascontiguousarray(w2, dtype=out_dtype), int(origin)


def nonfinite_policy(values, nan, name="x", *, remedies=("propagate", "ignore")):
    """Apply the ``nan=`` policy's up-front check; returns whether any sample is non-finite.

    ``"raise"`` raises here on NaN or inf, before any computation, naming the
    ``nan=`` values (``remedies``) the caller accepts instead.
    """
    check_option(nan, "nan", NAN_POLICIES)
    finite = np.isfinite(values)
    if finite.all():
        return False
    if nan == "raise":
        series, pos = np.argwhere(~finite)[0]
        where = f"position {pos}" + (f" of series {series}" if values.shape[0] > 1 else "")
        if remedies:
            options = " or ".join(f"nan={r!r}" for r in remedies)
            hint = f"; pass {options} to allow missing values"
        else:
            hint = "; remove or fill the missing values"
        raise ValueError(f"{name} contains NaN or inf (first at {where}){hint}")
    return True


def period_from_index(index, name):
    """The season length of a pandas index's frequency (monthly 12, quarterly 4, ...)."""
    import warnings

    with warnings.catch_warnings():
        # pandas 3 warns that inferred_freq will become an offset; either works below.
        warnings.simplefilter("ignore")
        freq = getattr(index, "freq", None) or getattr(index, "inferred_freq", None)
    if freq is None:
        raise ValueError(f"{name} is required unless the data is a pandas object with a "
                         "DatetimeIndex or PeriodIndex that has a frequency")
    from statsmodels.tsa.tsatools import freq_to_period

    return freq_to_period(freq)
