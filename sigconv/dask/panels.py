"""AR and ARIMA fits of many series at once: a panel in a ``dask.dataframe``.

:func:`fit_many` fits one model to every series of a panel, each series on
its own, and returns one row per series: the parameters named as the
in-memory results name them (``const``, ``ar.L1``, ..., ``sigma2``), the
log-likelihood and information criteria, the number of observations, a
``status`` and forecasts.  On a Dask DataFrame the work is Dask's own: a
shuffle puts every series in one partition, then ``map_partitions`` fits the
series of each partition; the result is a lazy Dask DataFrame.  A series that
cannot be fitted (too short, constant, NaN) reports its error in its row and
never fails the job.

:func:`compute_partitions` computes such a result on a ``distributed``
cluster partition by partition, so that when workers die or the scheduler
goes away the error says which partitions were lost (:class:`PartitionError`).
"""
from __future__ import annotations

import itertools
import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from .. import _validate as V

__all__ = ["PartitionError", "compute_partitions", "fit_many"]

MODELS = ("ar", "arima")
# Keyword options passed through to the in-memory fits.
AR_OPTIONS = ("method", "ic", "demean", "trend", "nan", "max_order")
ARIMA_OPTIONS = ("trend", "method", "maxiter")
# Columns that keep the rows' time order through the shuffle when no time
# column is given: (partition number, row within the partition).
_ORDER = ("_sigconv_partition", "_sigconv_row")
_SERIES = "_sigconv_series"
_VALUE = "_sigconv_value"


class PartitionError(RuntimeError):
    """Some partitions of a Dask computation failed (workers died, the scheduler
    went away, or a task raised).

    Attributes
    ----------
    failed : list of int
        The positions of the partitions that failed, in increasing order.
    errors : dict
        Partition -> the exception its future raised.
    results : dict
        Partition -> the pandas result of each partition that finished, so
        that only the failed ones need computing again.

    Examples
    --------
    >>> from sigconv.dask.panels import PartitionError
    >>> error = PartitionError("partition 1 of 2 failed", {1: OSError("lost")}, {0: None})
    >>> error.failed, sorted(error.results)
    ([1], [0])
    """

    def __init__(self, message, errors, results):
        super().__init__(message)
        self.errors = dict(errors)
        self.failed = sorted(self.errors)
        self.results = dict(results)


@dataclass(frozen=True)
class _Plan:
    """A validated model specification and the output columns (picklable: it
    travels to the workers)."""

    model: str
    order: object
    seasonal_order: tuple
    options: tuple            # (name, value) pairs
    constant: bool            # AR: whether a constant (mean) is estimated
    h: int
    levels: tuple
    params: tuple
    forecasts: tuple

    @property
    def criteria(self):
        return ("llf", "aic", "aicc", "bic", "hqic")

    @property
    def dtypes(self):
        """Output columns -> dtype, in order."""
        dtypes = {name: "float64" for name in self.params + self.criteria}
        dtypes["nobs"] = "Int64"
        if self.model == "ar":
            dtypes["order"] = "Int64"
        else:
            dtypes["converged"] = "boolean"
        dtypes.update({name: "float64" for name in self.forecasts})
        dtypes["status"] = str
        dtypes["error"] = str
        return dtypes


def fit_many(data, model="ar", *, by=None, time=None, value=None, order=None,
             seasonal_order=(0, 0, 0, 0), h=0, level=(80, 95), client=None, **options):
    """Fit an AR or ARIMA model to every series of a panel, each on its own.

    Parameters
    ----------
    data : dask.dataframe.DataFrame or pandas.DataFrame
        The panel, in one of two layouts:

        long (``by`` given)
            one row per observation: a series id column ``by``, a value
            column ``value`` and optionally a time column ``time``.
        wide (``by=None``)
            one column per series (every column numeric), time down the rows
            in the order of the partitions.

        A pandas DataFrame is fitted in this process (or, with ``client``,
        split into partitions and fitted on the cluster).
    model : {"ar", "arima"}
        ``"ar"``
            :func:`sigconv.fit_ar` per series.
        ``"arima"``
            ``sigconv.ARIMA(order, seasonal_order, trend=, method=).fit`` per
            series.
    by : str, optional
        Long layout: the column holding the series ids (or the name of the
        index).  None: wide layout.
    time : str, optional
        Long layout: the column that orders each series' observations
        (numbers or dates; duplicates within a series are an error for that
        series).  Default: the order of the rows (partition by partition).
    value : str, optional
        Long layout: the column holding the observations.  Default: the only
        numeric column other than ``by`` and ``time``.
    order : int >= 0 or tuple (p, d, q)
        AR: the order p, or None to choose it per series by ``ic`` among
        ``0..max_order`` (``max_order`` is then required: it fixes the
        columns before anything is computed).  ARIMA: ``(p, d, q)``,
        required.
    seasonal_order : tuple (P, D, Q, s)
        ARIMA only; ``s`` must be given (a panel has no index frequency to
        take it from).
    h : int >= 0
        Forecast steps: columns ``forecast_1..forecast_h`` (the mean) and
        ``lower_L_j`` / ``upper_L_j`` for each level L.  0: no forecasts.
    level : float or sequence of floats in (0, 100)
        Coverage of the prediction intervals, in percent; ``()`` for none.
    client : distributed.Client, optional
        Compute on this cluster with :func:`compute_partitions` and return a
        pandas DataFrame (a :class:`PartitionError` names the partitions lost
        if the cluster goes away).  Default: return a lazy Dask DataFrame for
        Dask input (``.compute()`` it on any scheduler), pandas for pandas.
    **options
        Passed to the fits.  AR: ``method``, ``ic``, ``demean``, ``trend``,
        ``nan``, ``max_order`` (see :func:`sigconv.fit_ar`).  ARIMA:
        ``trend``, ``method`` (see :class:`sigconv.ARIMA`) and ``maxiter``.

    Returns
    -------
    dask.dataframe.DataFrame or pandas.DataFrame
        One row per series, indexed by series id (the index named ``by``, or
        the columns' name or ``"series"`` for a wide frame), with columns:

        - the parameters, named as ``ARResult.params`` (``const`` - the
          mean -, ``ar.L1``.., ``sigma2``; NaN beyond a series' chosen order)
          or ``ARIMAResult.params`` (``const``/``drift``, ``ar.L1``..,
          ``ar.S.L12``.., ``ma.L1``.., ``ma.S.L12``.., ``sigma2``);
        - ``llf`` (the exact Gaussian log-likelihood; R's conditional one for
          ARIMA ``css``), ``aic``, ``aicc``, ``bic``, ``hqic`` from it, with
          k parameters counting ``sigma2`` (as ``ARIMAResult.aic``; NaN for
          ``css``);
        - ``nobs`` (observations fitted; after differencing for ARIMA);
          ``order`` (AR: the order fitted) or ``converged`` (ARIMA);
        - the forecast columns when ``h > 0``;
        - ``status`` (``"ok"`` or ``"error"``) and ``error`` (the exception,
          ``"ValueError: ..."``, missing when ok).

        Rows come partition by partition, sorted by id within each (pandas
        input: sorted by id; wide pandas: in column order).

    Raises
    ------
    ValueError
        An unknown model or option value, a ``by``, ``time`` or ``value`` that
        is not a column (the message lists the columns), no or several
        candidate value columns, ``order`` missing for ARIMA or ``max_order``
        for AR order selection.
    TypeError
        ``data`` not a DataFrame, a value column that is not numeric, an
        option the model does not take.
    PartitionError
        With ``client``: partitions lost when the cluster goes away.

    See Also
    --------
    sigconv.fit_ar, sigconv.ARIMA : the in-memory fits, one series or a
        DataFrame of equal-length series.
    compute_partitions : compute a Dask result on a cluster, naming lost
        partitions.

    Notes
    -----
    Long layout: one shuffle on ``by`` (Dask's own; every row of a series
    lands in one partition), then one task per partition fits its series one
    after another; the cost is that of the shuffle (a pass over the data)
    plus that of the fits, spread over the workers.  A wide frame is melted to
    the long layout first.  Without ``time`` the rows' order is carried
    through the shuffle by their (partition, row) positions.  The output
    columns are known before anything is computed (the result's ``meta``).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import sigconv
    >>> from sigconv.dask import fit_many
    >>> rng = np.random.default_rng(0)
    >>> panel = pd.DataFrame({
    ...     "store": np.repeat(["a", "b", "c"], 200),
    ...     "sales": np.concatenate([sigconv.recursive_filter(rng.normal(size=200), [phi])
    ...                              for phi in (0.5, -0.3, 0.8)])})
    >>> panel.loc[panel.store == "c", "sales"] = 1.0                # a constant series
    >>> lazy = fit_many(dd.from_pandas(panel, npartitions=2), "ar", by="store", order=1)
    >>> table = lazy.compute(scheduler="synchronous").sort_index()
    >>> table[["const", "ar.L1", "sigma2", "nobs", "status"]].round(3).reset_index()
      store  const  ar.L1  sigma2  nobs status
    0     a  0.030  0.560   0.919   200     ok
    1     b -0.068 -0.313   1.051   200     ok
    2     c    NaN    NaN     NaN  <NA>  error
    >>> table.loc["c", "error"]
    'ValueError: x is constant: its autocovariance is zero, so the AR coefficients are undefined'
    >>> one = sigconv.fit_ar(panel.sales[:200].to_numpy(), 1)     # the same fit in memory
    >>> bool(np.allclose(table.loc["a", "ar.L1"], one.coef[0], rtol=0, atol=1e-12))
    True

    A wide frame (one column per series) and an ARIMA with forecasts:

    >>> wide = pd.DataFrame({"x": panel.sales[:200].to_numpy(),
    ...                      "y": panel.sales[200:400].to_numpy()})
    >>> table = fit_many(wide, "arima", order=(1, 0, 0), h=2, level=80)
    >>> table[["ar.L1", "aic", "converged", "forecast_1", "lower_80_1"]].round(2).reset_index()
      series  ar.L1     aic  converged  forecast_1  lower_80_1
    0      x   0.56  557.07       True        0.09       -1.14
    1      y  -0.31  583.62       True       -0.15       -1.46
    """
    plan = _plan(model, order, seasonal_order, h, level, options)
    kind = _kind(data)
    if kind == "pandas":
        if client is None:
            return _fit_pandas(data, plan, by, time, value)
        import dask.dataframe as dd

        threads = max(sum(client.nthreads().values()), 1)
        data = dd.from_pandas(data, npartitions=min(2 * threads, max(len(data), 1)))
    result = _fit_dask(data, plan, by, time, value)
    return result if client is None else compute_partitions(result, client)


def compute_partitions(frame, client):
    """Compute a Dask DataFrame on a ``distributed`` client, one future per
    partition, and say which partitions failed if any did.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        For example the result of :func:`fit_many`.
    client : distributed.Client

    Returns
    -------
    pandas.DataFrame
        The partitions concatenated in order, as ``frame.compute()``.

    Raises
    ------
    PartitionError
        One or more partitions failed: their futures were cancelled (the
        scheduler went away), lost with their workers (``KilledWorker``) or
        raised.  The message lists the partitions and the first error; the
        exception holds the partitions that finished (``results``).
    TypeError
        ``frame`` is not a Dask DataFrame.

    Notes
    -----
    Each partition's result is gathered as soon as it finishes
    (``distributed.as_completed``), so the partitions done before the cluster
    went away are kept.  A task whose worker dies is retried elsewhere by the
    scheduler (``distributed.scheduler.allowed-failures`` times) before it
    counts as failed.

    Examples
    --------
    Without a cluster (a doctest starts none), the ``client`` can be any
    object with ``compute`` returning futures, here a stand-in:

    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> from sigconv.dask.panels import compute_partitions
    >>> frame = dd.from_pandas(pd.DataFrame({"x": range(6)}), npartitions=3)
    >>> class Local:                                    # distributed.Client's interface
    ...     def compute(self, parts):
    ...         from concurrent.futures import Future
    ...         futures = []
    ...         for part in parts:
    ...             future = Future()
    ...             future.set_result(part.compute(scheduler="synchronous"))
    ...             futures.append(future)
    ...         return futures
    >>> compute_partitions(frame, Local())["x"].tolist()
    [0, 1, 2, 3, 4, 5]

    With a real cluster::

        from distributed import Client, LocalCluster
        with Client(LocalCluster(n_workers=2)) as client:
            table = compute_partitions(fit_many(ddf, by="id", order=2), client)
    """
    import pandas as pd

    if _kind(frame) != "dask":
        raise TypeError(f"frame must be a dask DataFrame; got {type(frame).__name__}")
    parts = frame.to_delayed()
    futures = client.compute(parts)
    position = {id(future): i for i, future in enumerate(futures)}
    results, errors = {}, {}
    for future in _as_completed(futures, client):
        i = position[id(future)]
        try:
            results[i] = future.result()
        except Exception as exc:  # noqa: BLE001 - every failure is reported by partition
            errors[i] = exc
    if errors:
        failed = sorted(errors)
        first = errors[failed[0]]
        shown = ", ".join(map(str, failed[:20])) + (", ..." if len(failed) > 20 else "")
        raise PartitionError(
            f"{len(failed)} of {len(futures)} partitions failed: {shown} (partition "
            f"{failed[0]}: {type(first).__name__}: {first}); workers died, the scheduler went "
            f"away or a task raised.  The {len(results)} finished partitions are in this "
            "error's .results", errors, results) from first
    if not futures:
        return frame._meta
    return pd.concat([results[i] for i in range(len(futures))])


def _as_completed(futures, client):
    """Futures in the order they finish: ``distributed.as_completed`` for its
    futures, ``concurrent.futures`` for others (the doctest's stand-in)."""
    try:
        from distributed import Future, as_completed

        if futures and isinstance(futures[0], Future):
            # the client's loop: it need not be the default client
            return as_completed(futures, loop=client.loop)
    except ImportError:
        pass
    import concurrent.futures

    return concurrent.futures.as_completed(futures)


# ---------------------------------------------------------------- validation
def _kind(data):
    if type(data).__module__.startswith("dask.") and hasattr(data, "map_partitions") and \
            hasattr(data, "columns"):
        return "dask"
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return "pandas"
    raise TypeError("data must be a dask or pandas DataFrame (long: a series id column; wide: "
                    f"one column per series); got {type(data).__name__}")


def _plan(model, order, seasonal_order, h, level, options):
    V.check_option(model, "model", MODELS)
    h = V.check_int(h, "h", minimum=0)
    levels = () if level is None else (level,) if np.ndim(level) == 0 else tuple(level)
    levels = tuple(V.check_real(lv, "level", 0, 100) for lv in levels)
    allowed = AR_OPTIONS if model == "ar" else ARIMA_OPTIONS
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(f"fit_many(model={model!r}) got unknown option(s) {unknown}; it takes "
                        f"{', '.join(allowed)}")
    forecasts = tuple(f"forecast_{j}" for j in range(1, h + 1)) + tuple(
        f"{side}_{lv:g}_{j}" for lv in levels for side in ("lower", "upper")
        for j in range(1, h + 1))
    if model == "ar":
        params, constant = _ar_columns(order, options)
        seasonal_order = ()
    else:
        order, seasonal_order, params = _arima_columns(order, seasonal_order, options)
        constant = False
    return _Plan(model, order, tuple(seasonal_order), tuple(sorted(options.items())), constant,
                 h, levels, tuple(params), forecasts)


def _ar_columns(order, options):
    from ..ar import CRITERIA, METHODS

    method = V.check_option(options.get("method", "yule_walker"), "method", METHODS)
    V.check_option(options.get("ic", "aic"), "ic", CRITERIA)
    trend = V.check_option(options.get("trend", "c"), "trend", ("c", "n"))
    V.check_option(options.get("nan", "raise"), "nan", ("raise", "drop"))
    demean = V.check_flag(options.get("demean", True), "demean")
    if order is None:
        if options.get("max_order") is None:
            raise ValueError("order=None chooses each series' order: give max_order too, so "
                             "that the columns ar.L1..ar.L<max_order> are known before the "
                             "fits run")
        top = V.check_int(options["max_order"], "max_order", minimum=0)
    else:
        top = V.check_int(order, "order", minimum=0)
    constant = demean if method in ("yule_walker", "burg") else trend == "c"
    return ["const"] + [f"ar.L{j}" for j in range(1, top + 1)] + ["sigma2"], constant


def _arima_columns(order, seasonal_order, options):
    from .._arima_spec import METHODS, _check_orders

    if order is None:
        raise ValueError("model='arima' needs order=(p, d, q)")
    if np.ndim(seasonal_order) == 1 and len(seasonal_order) in (3, 4) and (
            len(seasonal_order) == 3 or seasonal_order[3] is None) and any(seasonal_order[:3]):
        raise ValueError("seasonal_order must give the season length s, (P, D, Q, s): a panel "
                         f"has no index frequency to take it from; got {seasonal_order!r}")
    if len(seasonal_order) == 3:
        seasonal_order = (*seasonal_order, 0)
    if "maxiter" in options:
        V.check_int(options["maxiter"], "maxiter")
    method = options.get("method", "css-ml")
    V.check_option(method, "method", METHODS)
    spec = _check_orders(order, seasonal_order, options.get("trend"), method, None)
    return (tuple(order), tuple(seasonal_order),
            spec.trend_names + spec.arma_names() + ["sigma2"])


def _column_error(name, label, columns):
    return ValueError(f"{name}={label!r} is not a column of data; its columns are "
                      f"{list(columns)}")


def _numeric(dtype):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _long_columns(meta, by, time, value):
    """Validate the long layout's column names on ``meta`` (an empty pandas
    frame); returns the value column."""
    columns = list(meta.columns)
    if by not in columns:
        raise _column_error("by", by, columns + ([meta.index.name] if meta.index.name else []))
    if time is not None:
        if time not in columns:
            raise _column_error("time", time, columns)
        if time == by:
            raise ValueError(f"time and by must be different columns; both are {by!r}")
    if value is None:
        candidates = [c for c in columns if c not in (by, time) and _numeric(meta[c].dtype)]
        if len(candidates) != 1:
            raise ValueError("value: name the column holding the observations; numeric "
                             f"candidates besides by and time: {candidates}")
        value = candidates[0]
    if value not in columns:
        raise _column_error("value", value, columns)
    if value in (by, time):
        raise ValueError(f"value must be a column other than by and time; got {value!r}")
    if not _numeric(meta[value].dtype):
        raise TypeError(f"value column {value!r} must be numeric; its dtype is "
                        f"{meta[value].dtype}")
    return value


def _wide_columns(meta, time, value):
    if time is not None or value is not None:
        raise ValueError("time and value apply to the long layout (give by, the series id "
                         "column); a wide frame has one column per series, time down the rows")
    bad = [c for c in meta.columns if not _numeric(meta[c].dtype)]
    if bad:
        raise TypeError(f"every column of a wide frame (by=None) is a series and must be "
                        f"numeric; not: {bad} (for a long frame give by, the id column)")
    if len(meta.columns) == 0:
        raise ValueError("data has no columns")


def _with_by_column(data, by):
    """``by`` may name the index: make it a column."""
    if isinstance(by, (str, numbers.Number)) and by not in data.columns and \
            data.index.name == by:
        return data.reset_index()
    return data


# ---------------------------------------------------------------- computing
def _fit_pandas(data, plan, by, time, value):
    if by is None:
        _wide_columns(data, time, value)
        ids = list(data.columns)
        rows = [_fit_series(data[c].to_numpy(dtype=np.float64), plan) for c in ids]
        return _table(rows, ids, plan, data.columns.name or "series",
                      data.columns.to_series().dtype)
    data = _with_by_column(data, by)
    value = _long_columns(data.iloc[:0], by, time, value)
    keys = None if time is None else [time]
    return _fit_groups(data, plan, by, keys, time, value, by, data[by].dtype)


def _fit_dask(data, plan, by, time, value):
    meta = data._meta
    if by is None:
        _wide_columns(meta, time, value)
        name = meta.columns.name or "series"
        ordered = data.map_partitions(_add_order, meta=_add_order(meta))
        long = ordered.melt(id_vars=list(_ORDER), var_name=_SERIES, value_name=_VALUE)
        by_column, value, keys, time = _SERIES, _VALUE, list(_ORDER), None
    else:
        data = _with_by_column(data, by)
        value = _long_columns(data._meta, by, time, value)
        columns = [by] + ([] if time is None else [time]) + [value]
        long = data[columns]
        if time is None:
            long = long.map_partitions(_add_order, meta=_add_order(long._meta))
            keys = list(_ORDER)
        else:
            keys = [time]
        by_column, name = by, by
    if long.npartitions > 1:
        long = long.shuffle(on=by_column)
    index_dtype = long._meta[by_column].dtype
    out_meta = _table([], [], plan, name, index_dtype)
    return long.map_partitions(_fit_groups, plan, by_column, keys, time, value, name,
                               index_dtype, meta=out_meta, align_dataframes=False)


def _add_order(frame, partition_info=None):
    number = 0 if partition_info is None else partition_info["number"]
    return frame.assign(**{_ORDER[0]: np.full(len(frame), number, dtype=np.int64),
                           _ORDER[1]: np.arange(len(frame), dtype=np.int64)})


def _fit_groups(frame, plan, by, keys, time, value, name, index_dtype):
    """Fit every series of one partition (long layout); one row per series, by id."""
    # One stable sort of the partition by (id, time keys), then slices: far
    # cheaper than a pandas groupby and a sort per series.
    frame = frame[frame[by].notna()]
    frame = frame.sort_values([by] + list(keys or ()), kind="stable")
    labels = frame[by].to_numpy()
    values = frame[value].to_numpy(dtype=np.float64)
    times = None if time is None else frame[time].to_numpy()
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]]) if len(labels) else \
        np.zeros(0, dtype=np.int64)
    bounds = np.r_[starts, len(labels)]
    ids, rows = [], []
    for a, b in itertools.pairwise(bounds):
        repeated = None if times is None else np.flatnonzero(times[a + 1:b] == times[a:b - 1])
        if repeated is not None and repeated.size:
            rows.append(_error_row(plan, ValueError(
                f"time {times[a + 1 + repeated[0]]} occurs more than once in this series")))
        else:
            rows.append(_fit_series(values[a:b], plan))
        ids.append(labels[a])
    return _table(rows, ids, plan, name, index_dtype)


def _table(rows, ids, plan, name, index_dtype):
    import pandas as pd

    index = pd.Index(ids, dtype=index_dtype, name=name)
    return pd.DataFrame({c: pd.Series([row.get(c) for row in rows], dtype=dtype, index=index)
                         for c, dtype in plan.dtypes.items()}, index=index)


def _error_row(plan, exc):
    return {"status": "error", "error": f"{type(exc).__name__}: {exc}"}


def _fit_series(values, plan):
    """One series' row: parameters, criteria, forecasts, status."""
    try:
        if plan.model == "ar":
            row, result = _fit_ar(values, plan)
        else:
            row, result = _fit_arima(values, plan)
        if plan.h:
            table = result.forecast(plan.h, plan.levels)
            for j in range(plan.h):
                row[f"forecast_{j + 1}"] = float(table["mean"].iloc[j])
                for lv in plan.levels:
                    row[f"lower_{lv:g}_{j + 1}"] = float(table[f"lower_{lv:g}"].iloc[j])
                    row[f"upper_{lv:g}_{j + 1}"] = float(table[f"upper_{lv:g}"].iloc[j])
    except Exception as exc:  # noqa: BLE001 - one bad series must not fail the panel
        return _error_row(plan, exc)
    row["status"] = "ok"
    return row


def _criteria(llf, k, nobs, available=True):
    if not available:
        return dict.fromkeys(("aic", "aicc", "bic", "hqic"), math.nan)
    aic = -2 * llf + 2 * k
    return {"aic": aic,
            "aicc": aic + 2 * k * (k + 1) / (nobs - k - 1) if nobs > k + 1 else math.inf,
            "bic": -2 * llf + k * math.log(nobs),
            "hqic": -2 * llf + 2 * k * math.log(math.log(nobs)) if nobs > 1 else math.nan}


def _fit_ar(values, plan):
    from ..ar import fit_ar

    result = fit_ar(values, plan.order, **dict(plan.options))
    # the names of ``result.params``, without building a Series per series
    row = {"const": result.mean, "sigma2": result.sigma2}
    row.update(zip((f"ar.L{j}" for j in range(1, result.order + 1)), result.coef.tolist()))
    nobs = result._values.size          # after nan="drop" trimmed the ends
    row.update(llf=result.llf, nobs=nobs, order=result.order)
    row.update(_criteria(row["llf"], result.order + int(plan.constant) + 1, nobs))
    return row, result


def _fit_arima(values, plan):
    from .._arima_results import ConvergenceWarning
    from ..arima import ARIMA

    options = dict(plan.options)
    maxiter = options.pop("maxiter", 500)
    with warnings.catch_warnings():
        # reported in the ``converged`` column instead
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = ARIMA(plan.order, plan.seasonal_order, **options).fit(values, maxiter=maxiter)
    params = result.params
    row = dict(params.items())
    row.update(llf=result.llf, nobs=result.nobs, converged=bool(result.converged))
    # the result's own criteria; hqic, which it lacks, from the same llf and k
    hqic = _criteria(result.llf, len(params), result.nobs, result.method != "css")["hqic"]
    row.update(aic=result.aic, aicc=result.aicc, bic=result.bic, hqic=hqic)
    return row, result
