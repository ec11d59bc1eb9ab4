"""Plots of results (matplotlib, an optional dependency: ``pip install sigconv[plot]``)."""
from __future__ import annotations

import math
import numbers
import re

import numpy as np

from . import _validate as V


def _matplotlib():
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:   # pragma: no cover - depends on the environment
        raise ImportError('plotting needs matplotlib: pip install "sigconv[plot]"') from err
    return plt


def residual_diagnostics(std_resid, index=None, lags=24, fig=None, title=None):
    """Four panels for standardized residuals, as statsmodels' ``plot_diagnostics``:
    the residuals in time, their histogram with a kernel density and the
    N(0, 1) density, a normal Q-Q plot, and the correlogram with +-1.96/sqrt(n)
    bands.

    Parameters
    ----------
    std_resid : array_like, shape (n,)
        Standardized residuals; NaN values are left out.
    index : pandas Index, optional
        Time labels for the first panel.
    lags : int >= 1
    fig : matplotlib Figure, optional
        Drawn into as given; default a new pyplot figure, laid out tightly.
    title : str, optional

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.plot import residual_diagnostics
    >>> z = np.random.default_rng(0).normal(size=200)
    >>> fig = residual_diagnostics(z, lags=12, title="white noise")
    >>> [ax.get_title() for ax in fig.axes]
    ['Standardized residuals', 'Histogram plus estimated density', 'Normal Q-Q', 'Correlogram']
    >>> len(fig.axes[3].collections[0].get_segments())      # one stem per lag
    12
    """
    from scipy import stats

    from .acf import acf

    plt = _matplotlib()
    resid = np.asarray(std_resid, dtype=float)
    keep = np.isfinite(resid)
    values = resid[keep]
    created = fig is None
    fig = plt.figure(figsize=(10, 7)) if created else fig
    axes = fig.subplots(2, 2)
    x = np.asarray(index)[keep] if index is not None else np.flatnonzero(keep)
    axes[0, 0].plot(x, values, lw=0.8)
    axes[0, 0].axhline(0, color="grey", lw=0.8)
    axes[0, 0].set_title("Standardized residuals")
    axes[0, 1].hist(values, bins="auto", density=True, alpha=0.5, label="Hist")
    grid = np.linspace(min(values.min(), -3), max(values.max(), 3), 200)
    if values.size > 1 and np.ptp(values) > 0:
        axes[0, 1].plot(grid, stats.gaussian_kde(values)(grid), label="KDE")
    axes[0, 1].plot(grid, stats.norm.pdf(grid), label="N(0,1)")
    axes[0, 1].legend()
    axes[0, 1].set_title("Histogram plus estimated density")
    (osm, osr), (slope, intercept, _) = stats.probplot(values, dist="norm")
    axes[1, 0].plot(osm, osr, ".", ms=4)
    axes[1, 0].plot(osm, slope * osm + intercept, color="C1")
    axes[1, 0].set_title("Normal Q-Q")
    lags = int(min(lags, values.size - 1))
    rho = np.asarray(acf(values, nlags=lags))
    axes[1, 1].vlines(np.arange(1, lags + 1), 0, rho[1:])
    axes[1, 1].axhline(0, color="grey", lw=0.8)
    band = 1.96 / np.sqrt(values.size)
    axes[1, 1].axhspan(-band, band, alpha=0.2)
    axes[1, 1].set_title("Correlogram")
    if title:
        fig.suptitle(title)
    if created:   # a figure the caller passed keeps its own layout engine
        fig.tight_layout()
    return fig


def kernel_response(kernel, x=None, *, n=512, fs=1.0, boundary="reflect", ax=None):
    """A kernel's gain against frequency, over the spectra of series it filters.

    The gain ``|H(f)|`` (:func:`sigconv.frequency_response`) says which
    frequencies the kernel keeps (1), damps (< 1) or removes (0).  With
    ``x``, each series' periodogram is drawn under it (thin), with the
    periodogram of ``convolve(x, kernel, "same", boundary=boundary)`` (thick,
    same colour): what smoothing the series leaves.  Both spectra are scaled
    by the series' own peak, so they share the gain's axis.

    Parameters
    ----------
    kernel : Kernel or array_like, shape (k,)
        The kernel; a plain array's origin is its centre.
    x : array_like, shape (..., n), Series or DataFrame, optional
        Finite series (one per DataFrame column).
    n : int >= 1
        Number of frequencies of the gain curve.
    fs : float > 0
        Sampling frequency: the frequency axis runs from 0 to ``fs / 2``.
    boundary : str
        How the series are extended when filtered (see :func:`sigconv.convolve`).
    ax : matplotlib Axes, optional
        Drawn into; default a new figure's.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import kernels
    >>> from sigconv.plot import kernel_response
    >>> x = np.sin(0.05 * np.arange(400)) + np.random.default_rng(0).normal(0, 0.3, 400)
    >>> ax = kernel_response(kernels.gaussian(3.0), x)
    >>> ax.get_xlabel()
    'frequency (cycles per sample)'
    >>> [line.get_label() for line in ax.get_lines()]
    ['gain of gaussian(3)', 'x', 'x, filtered']
    """
    from .engine import convolve
    from .kernels import Kernel
    from .spectral import frequency_response, periodogram

    if not isinstance(kernel, Kernel):
        kernel = Kernel(kernel)
    frequency, gain, _ = frequency_response(kernel, n, fs)
    if ax is None:
        ax = _matplotlib().figure(figsize=(8, 4.5)).add_subplot()
    label = kernel.name or "the kernel"
    ax.plot(frequency, gain, color="black", lw=2, label=f"gain of {label}", zorder=3)
    if x is not None:
        before = periodogram(x, fs)
        after = periodogram(convolve(x, kernel, "same", boundary=boundary), fs)
        power_before, power_after = (np.asarray(p.power, dtype=float) for p in (before, after))
        if hasattr(before.power, "columns"):   # frequency down the rows
            power_before, power_after = power_before.T, power_after.T
            names = [str(c) for c in before.power.columns]
        else:
            power_before = power_before.reshape(-1, power_before.shape[-1])
            power_after = power_after.reshape(-1, power_after.shape[-1])
            single = getattr(before.power, "name", None)
            names = [str(single) if single is not None else "x"] if len(power_before) == 1 \
                else [f"x[{i}]" for i in range(len(power_before))]
        for i, (raw, smoothed, name) in enumerate(zip(power_before, power_after, names)):
            peak = raw.max() if raw.max() > 0 else 1.0
            color = f"C{i % 10}"
            ax.plot(before.frequency, raw / peak, color=color, lw=0.7, alpha=0.5, label=name)
            ax.plot(after.frequency, smoothed / peak, color=color, lw=1.5,
                    label=f"{name}, filtered")
    unit = "cycles per sample" if fs == 1 else f"cycles per unit time, fs = {fs:g}"
    ax.set_xlabel(f"frequency ({unit})")
    ax.set_ylabel("gain" if x is None else "gain; power / the series' peak power")
    ax.set_xlim(0, fs / 2)
    ax.set_title(f"Frequency response of {label}")
    ax.legend()
    return ax


# ---------------------------------------------------------------------------- shared helpers
def _axes(ax, figsize):
    """``ax`` checked, or a new figure's Axes."""
    if ax is None:
        return _matplotlib().figure(figsize=figsize, layout="constrained").add_subplot()
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax


def _series(x, name):
    """``(index, values, label)`` of one real series: a 1-D array, a Series or a
    one-column DataFrame.  ``index`` is None for arrays; values are float64."""
    pd = V._pandas()
    if pd is not None and isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise ValueError(f"{name} must be one series; got a DataFrame with {x.shape[1]} "
                             "columns (select one)")
        x = x.iloc[:, 0]
    if pd is None or not isinstance(x, pd.Series):
        arr = np.asarray(x)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one series, 1-D; got shape {arr.shape}")
        x = arr
    if getattr(getattr(x, "dtype", None), "kind", None) == "c":
        raise TypeError(f"{name} must hold real numbers; got dtype {x.dtype}")
    data = V.series_input(x, name, dtype=np.float64)
    return data.index, data.values[0], data.name


def _positions(index, n):
    """What matplotlib draws a series against: positions, numbers or timestamps."""
    if index is None:
        return np.arange(n)
    pd = V._pandas()
    if isinstance(index, pd.PeriodIndex):   # matplotlib knows timestamps, not periods
        index = index.to_timestamp()
    return index.to_numpy()


def _time_kind(index):
    """"time", "number" or "other": which indexes can share an x axis."""
    if index is None:
        return "number"
    pd = V._pandas()
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        return "time"
    if pd.api.types.is_numeric_dtype(index) and not pd.api.types.is_bool_dtype(index):
        return "number"
    return "other"


def _time_label(index):
    if index is not None and index.name is not None:
        return str(index.name)
    return "time" if _time_kind(index) == "time" else "t"


def _format_time_axis(ax, index):
    """Concise dates on a time axis; whole numbers, without an offset, on a numeric one
    (years 1949..1960 read as years, not as ``+1.95e3``)."""
    from matplotlib import dates, ticker

    kind = _time_kind(index)
    if kind == "time":
        locator = ax.xaxis.get_major_locator()
        if isinstance(locator, dates.AutoDateLocator):
            ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    elif kind == "number":
        if index is None or V._pandas().api.types.is_integer_dtype(index):
            ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        if isinstance(ax.xaxis.get_major_formatter(), ticker.ScalarFormatter):
            ax.ticklabel_format(axis="x", useOffset=False)


def _integer_ticks(ax, lags):
    from matplotlib import ticker

    if len(lags) and len(lags) <= 25:     # every lag labelled while they fit
        ax.set_xticks(lags)
    else:
        ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))


# ---------------------------------------------------------------------------- kernels
def kernel_weights(kernel, *, ax=None):
    """A stem plot of a kernel's weights against their lags.

    Applied by :func:`sigconv.convolve`, the weight at lag ``j`` multiplies
    ``x[t - j]``: positive lags reach into the past, negative ones into the
    future (a centred kernel has both, a causal one only lags >= 0).

    Parameters
    ----------
    kernel : Kernel or array_like, shape (k,)
        Finite real weights; a plain array's origin (lag 0) is its centre,
        ``(k - 1) // 2``.
    ax : matplotlib Axes, optional
        Drawn into; default a new figure's.

    Returns
    -------
    matplotlib Axes
        With one stem per weight at lag ``index - origin``, labelled with the
        kernel's name, number of taps and sum (its gain at frequency 0).

    Raises
    ------
    TypeError
        ``kernel`` holds no real numbers; ``ax`` is not an Axes.
    ValueError
        ``kernel`` is not 1-D, is empty or holds NaN or inf.

    See Also
    --------
    kernel_response : the same kernel's gain against frequency.

    Examples
    --------
    >>> from sigconv import kernels
    >>> from sigconv.plot import kernel_weights
    >>> ax = kernel_weights(kernels.gaussian(2.0))
    >>> ax.get_title(), ax.get_xlabel()
    ('Weights of gaussian(2)', 'lag j (weight multiplies x[t - j])')
    >>> [int(t) for t in ax.get_xticks()][:3]
    [-8, -7, -6]
    """
    from .kernels import Kernel

    if not isinstance(kernel, Kernel):
        weights = np.asarray(kernel)
        if weights.dtype.kind not in "biuf":
            raise TypeError("kernel must be a Kernel or an array of real weights; got dtype "
                            f"{weights.dtype}")
        if weights.ndim != 1 or weights.size == 0:
            raise ValueError(f"kernel must be 1-D with at least one weight; got shape "
                             f"{weights.shape}")
        if not np.isfinite(weights).all():
            raise ValueError("kernel weights must be finite; got NaN or inf")
        kernel = Kernel(weights)
    ax = _axes(ax, (7, 4))
    lags, weights = kernel.lags, kernel.weights
    name = kernel.name or "the kernel"
    markerline, _, baseline = ax.stem(
        lags, weights, linefmt="C0-", markerfmt="C0o", basefmt="C7-",
        label=f"{name}: {len(kernel)} weights, sum {weights.sum():.4g}")
    markerline.set_markersize(6 if len(kernel) <= 40 else 3)
    baseline.set_linewidth(0.8)
    _integer_ticks(ax, lags)
    ax.set_xlabel("lag j (weight multiplies x[t - j])")
    ax.set_ylabel("weight")
    ax.set_title(f"Weights of {name}")
    ax.legend()
    return ax


# ---------------------------------------------------------------------------- smoothing
def smoothed(x, *smoothed, labels=None, ax=None, title=None):
    """A series (thin, grey) with its smoothed versions (thick, in colour).

    Parameters
    ----------
    x : array_like, shape (n,), Series or one-column DataFrame
        The series; real numbers, NaN drawn as gaps.  A pandas index is the
        x axis (dates for a DatetimeIndex or PeriodIndex, numbers such as
        years for a numeric one); an array is drawn against 0..n-1.
    *smoothed : array_like, shape (n,), Series or DataFrame
        Smoothed versions of ``x``.  An array must be as long as ``x`` and is
        drawn against ``x``'s index; a Series is drawn against its own index
        (so trimmed outputs line up), which must be of the same kind as
        ``x``'s (dates with dates); each column of a DataFrame is one
        version.
    labels : sequence of str, optional
        One legend label per smoothed version (per column of a DataFrame).
        Default: the Series' or column's name where it differs from ``x``'s,
        else ``"smoothed"`` (numbered when there are several).
    ax : matplotlib Axes, optional
        Drawn into; default a new figure's.
    title : str, optional
        Default ``"<name of x>, smoothed"``.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        Non-numeric or complex data; ``labels`` not a sequence of strings;
        ``ax`` not an Axes.
    ValueError
        A series that is not 1-D (or a DataFrame ``x`` of several columns),
        an array of another length than ``x``, a Series whose index cannot
        share ``x``'s axis, or as many ``labels`` as versions.

    Examples
    --------
    >>> from sigconv import datasets, ema, moving_average
    >>> from sigconv.plot import smoothed
    >>> y = datasets.airpassengers()
    >>> ax = smoothed(y, moving_average(y, 12, center=True), ema(y, span=6),
    ...               labels=["centred 12-month average", "EMA, span 6"])
    >>> [line.get_label() for line in ax.get_lines()]
    ['airpassengers', 'centred 12-month average', 'EMA, span 6']
    >>> ax.get_title(), ax.get_ylabel()
    ('airpassengers, smoothed', 'airpassengers')
    """
    index, values, name = _series(x, "x")
    n = values.size
    versions = _smoothed_versions(smoothed, index, n, name)
    if labels is not None:
        if isinstance(labels, str) or not all(isinstance(s, str) for s in labels):
            raise TypeError("labels must be a sequence of strings, one per smoothed series; "
                            f"got {labels!r}")
        if len(labels) != len(versions):
            raise ValueError(f"labels must have one label per smoothed series ({len(versions)})"
                             f"; got {len(labels)}")
        versions = [(label, where, v) for label, (_, where, v) in zip(labels, versions)]
    ax = _axes(ax, (9, 4.5))
    ax.plot(_positions(index, n), values, color="0.55", lw=0.8,
            label=str(name) if name is not None else "x")
    for i, (label, where, v) in enumerate(versions):
        ax.plot(where, v, color=f"C{i % 10}", lw=2, label=label)
    _format_time_axis(ax, index)
    ax.set_xlabel(_time_label(index))
    ax.set_ylabel(str(name) if name is not None else "value")
    ax.set_title(title if title is not None else
                 f"{name}, smoothed" if name is not None else "Smoothed series")
    ax.legend()
    return ax


def _smoothed_versions(smoothed, index, n, x_name):
    """``[(default label, x positions, values)]`` of the smoothed arguments."""
    pd = V._pandas()
    columns = []          # (parameter name, series or array)
    for i, s in enumerate(smoothed):
        name = f"smoothed[{i}]"
        if pd is not None and isinstance(s, pd.DataFrame):
            columns += [(f"{name} column {c!r}", s[c]) for c in s.columns]
        else:
            columns.append((name, s))
    versions = []
    for name, s in columns:
        own_index, v, own_name = _series(s, name)
        if own_index is None:
            if v.size != n:
                raise ValueError(f"{name} has {v.size} values but x has {n}; an array must "
                                 "be as long as x (pass a Series to place a shorter one)")
            where = _positions(index, n)
        else:
            if _time_kind(own_index) != _time_kind(index):
                raise ValueError(f"{name}'s index ({type(own_index).__name__}) cannot share "
                                 f"the x axis of x's "
                                 f"({type(index).__name__ if index is not None else 'positions'})"
                                 "; pass an array as long as x instead")
            where = _positions(own_index, v.size)
        default = str(own_name) if own_name is not None and own_name != x_name else None
        versions.append((default, where, v))
    unnamed = [i for i, (label, _, _) in enumerate(versions) if label is None]
    for count, i in enumerate(unnamed, 1):
        label = "smoothed" if len(unnamed) == 1 else f"smoothed {count}"
        versions[i] = (label,) + versions[i][1:]
    return versions


# ---------------------------------------------------------------------------- forecasts
def forecast(history, forecast, *, last=None, ax=None, title=None):
    """A series and its forecast: the history, the forecast line and shaded
    prediction intervals.

    The forecast line and the intervals start at the last observation, so
    the picture runs on without a gap.

    Parameters
    ----------
    history : array_like, shape (n,), Series or one-column DataFrame
        The observed series (real numbers; NaN drawn as gaps).
    forecast : DataFrame, Series or array_like, shape (h,)
        One of

        a forecast table
            the DataFrame of :meth:`sigconv.ARResult.forecast` or
            :meth:`sigconv.ARIMAResult.forecast`: ``mean`` and, per level
            ``L``, ``lower_L`` and ``upper_L`` (``se`` and other columns are
            not drawn).  Each level is shaded and labelled ``"L% interval"``.
        a quantile table
            the DataFrame of :meth:`sigconv.nn.ConvForecaster.predict` with
            quantiles: columns are quantile levels in (0, 1).  The 0.5
            column is the line; the outermost pair of levels, then the next,
            are shaded (``"80% interval"`` for 0.1 and 0.9).
        point forecasts
            a Series (drawn against its index) or an array (drawn at the
            periods after ``history``'s index: positions, dates of its
            frequency or numbers of its step).

        A pandas index must be of the same kind as ``history``'s (dates
        with dates, numbers with numbers).
    last : int >= 1, optional
        Draw only the last ``last`` observations (default all).
    ax : matplotlib Axes, optional
        Drawn into; default a new figure's.
    title : str, optional
        Default ``"Forecast of <history's name>"``.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        Non-numeric data; ``ax`` not an Axes.
    ValueError
        A DataFrame that is neither a forecast table (no ``mean`` column)
        nor a quantile table, a ``lower_L`` without its ``upper_L``, a 2-D
        array (its quantile levels are unknown), an index that cannot share
        ``history``'s axis, or ``last`` < 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import datasets, fit_ar
    >>> from sigconv.plot import forecast
    >>> y = np.log(datasets.airpassengers())
    >>> table = fit_ar(y, 13).forecast(24)
    >>> ax = forecast(y, table, last=72)
    >>> [line.get_label() for line in ax.get_lines()]
    ['observed', 'forecast']
    >>> [c.get_label() for c in ax.collections]
    ['95% interval', '80% interval']
    >>> ax.get_title()
    'Forecast of airpassengers'
    """
    index, values, name = _series(history, "history")
    n = values.size
    if last is not None:
        last = V.check_int(last, "last")
    future, center, center_label, intervals = _forecast_parts(forecast, index, n)
    shown = slice(max(n - last, 0) if last is not None else 0, n)
    x_history = _positions(index, n)
    x_future = _positions(future, len(future))
    # Start the forecast at the last observation: one picture, no gap.
    x_joined = np.concatenate([x_history[-1:], x_future])
    anchor = values[-1:]

    ax = _axes(ax, (9, 4.5))
    ax.plot(x_history[shown], values[shown], color="0.25", lw=1.2, label="observed")
    if center is not None:
        ax.plot(x_joined, np.concatenate([anchor, center]), color="C0", lw=2,
                label=center_label)
    for i, (label, lower, upper) in enumerate(intervals):   # widest first, palest
        ax.fill_between(x_joined, np.concatenate([anchor, lower]),
                        np.concatenate([anchor, upper]), color="C0", lw=0,
                        alpha=0.15 + 0.15 * i, label=label)
    _format_time_axis(ax, index)
    ax.set_xlabel(_time_label(index))
    ax.set_ylabel(str(name) if name is not None else "value")
    ax.set_title(title if title is not None else
                 f"Forecast of {name}" if name is not None else "Forecast")
    ax.legend()
    return ax


_LOWER = re.compile(r"lower_(.+)")


def _forecast_parts(table, history_index, n):
    """``(index, center, center label, [(label, lower, upper)] widest first)``."""
    pd = V._pandas()
    if pd is not None and isinstance(table, pd.DataFrame):
        future = table.index
        if "mean" in table.columns:
            center, label = _forecast_column(table, "mean"), "forecast"
            intervals = []
            for column in table.columns:
                match = _LOWER.fullmatch(str(column))
                if match is None:
                    continue
                level = match.group(1)
                upper = f"upper_{level}"
                if upper not in table.columns:
                    raise ValueError(f"forecast has a {column!r} column but no {upper!r}")
                try:
                    width = float(level)
                except ValueError:
                    width = -math.inf       # an unnamed level: drawn innermost
                intervals.append((width, f"{level}% interval", _forecast_column(table, column),
                                  _forecast_column(table, upper)))
            intervals = [i[1:] for i in sorted(intervals, key=lambda i: -i[0])]
        elif len(table.columns) and all(isinstance(q, numbers.Real) and not isinstance(q, bool)
                                        and 0 < q < 1 for q in table.columns):
            center, label, intervals = _quantile_parts(table)
        else:
            raise ValueError(
                "forecast must be a forecast table with a 'mean' column (ARResult.forecast, "
                "ARIMAResult.forecast), a quantile table whose columns are levels in (0, 1) "
                "(ConvForecaster.predict), a Series or a 1-D array; got a DataFrame with "
                f"columns {list(table.columns)}")
    elif pd is not None and isinstance(table, pd.Series):
        future, center, _ = _series(table, "forecast")
        label, intervals = "forecast", []
    else:
        arr = np.asarray(table)
        if arr.ndim == 2:
            raise ValueError("forecast as a 2-D array has no quantile levels: pass the "
                             "DataFrame whose columns are the levels (ConvForecaster.predict "
                             f"on a pandas series) or one column; got shape {arr.shape}")
        _, center, _ = _series(table, "forecast")
        from .ar import _future_index

        future = _future_index(history_index, n, center.size)
        label, intervals = "forecast", []
    if _time_kind(future) != _time_kind(history_index):
        where = type(history_index).__name__ if history_index is not None else "positions"
        raise ValueError(f"forecast's index ({type(future).__name__}) cannot share the x axis "
                         f"of history's ({where}); index the forecast by the periods after "
                         "history")
    return future, center, label, intervals


def _forecast_column(table, column):
    try:
        return table[column].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise TypeError(f"forecast column {column!r} must be numeric; got dtype "
                        f"{table[column].dtype}") from None


def _quantile_parts(table):
    levels = sorted(table.columns)
    column = {q: _forecast_column(table, q) for q in levels}
    center = label = None
    if 0.5 in column:
        center, label = column[0.5], "forecast (median)"
    elif len(levels) % 2:
        middle = levels[len(levels) // 2]
        center, label = column[middle], f"forecast ({middle:g} quantile)"
    intervals = []
    for i in range(len(levels) // 2):      # outermost pair first: widest, palest
        low, high = levels[i], levels[-1 - i]
        text = f"{100 * (high - low):.4g}% interval" if math.isclose(low + high, 1.0) \
            else f"{low:g} to {high:g} quantiles"
        intervals.append((text, column[low], column[high]))
    return center, label, intervals


# ---------------------------------------------------------------------------- matching
def match_scores(scores, matches=None, *, ax=None, title=None):
    """Template-match scores along a series, with the matches found marked.

    Parameters
    ----------
    scores : array_like, shape (n - m + 1,), Series or one-column DataFrame
        One score per window, as :func:`sigconv.ncc` returns (NaN drawn as
        gaps).  A pandas index (each window's first label) is the x axis.
    matches : DataFrame, optional
        The table of :func:`sigconv.find_matches` on the same series: its
        ``start`` column (window positions, 0 <= start < len(scores)) places
        a circle on the score curve, numbered by rank (up to 20 matches).
        ``attrs["threshold"]``, when finite, is drawn as a dashed line.
    ax : matplotlib Axes, optional
        Drawn into; default a new figure's.
    title : str, optional
        Default ``"Template match scores"``.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        Non-numeric scores, ``matches`` not a DataFrame or its ``start`` not
        integers; ``ax`` not an Axes.
    ValueError
        Scores that are not one series; ``matches`` without a ``start``
        column or with a start outside the scores.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import find_matches, ncc
    >>> from sigconv.plot import match_scores
    >>> rng = np.random.default_rng(0)
    >>> shape = np.sin(np.linspace(0, 3 * np.pi, 50))
    >>> x = rng.normal(size=2000)
    >>> for start in (300, 1400):
    ...     x[start:start + 50] += 4 * shape
    >>> ax = match_scores(ncc(x, shape), find_matches(x, shape))
    >>> [line.get_label() for line in ax.get_lines()]
    ['score', '2 matches', 'threshold 0.843']
    >>> ax.get_xlabel(), ax.get_title()
    ('window start', 'Template match scores')
    """
    index, values, _ = _series(scores, "scores")
    n = values.size
    starts = threshold = None
    if matches is not None:
        starts, threshold = _match_starts(matches, n)
    x = _positions(index, n)
    ax = _axes(ax, (10, 4))
    ax.plot(x, values, color="C0", lw=0.8, label="score")
    if starts is not None:
        # On the curve itself, so a marker always sits on its peak.
        marked = ax.plot(x[starts], values[starts], "o", color="C3", mfc="none", ms=9, mew=1.5,
                         label=f"{len(starts)} match" + "es" * (len(starts) != 1))[0]
        if len(starts) <= 20:
            for rank, (where, score) in enumerate(zip(x[starts], values[starts]), 1):
                ax.annotate(str(rank), (where, score), xytext=(0, 9), textcoords="offset points",
                            ha="center", fontsize=8, color=marked.get_color())
    if threshold is not None:
        ax.axhline(threshold, color="C3", ls="--", lw=1, label=f"threshold {threshold:.3g}")
    _format_time_axis(ax, index)
    ax.set_xlabel("window start" + (f" ({index.name})" if index is not None
                                    and index.name is not None else ""))
    ax.set_ylabel("score")
    ax.margins(y=0.12)       # room for the rank numbers above the best scores
    ax.set_title(title if title is not None else "Template match scores")
    # "best" scans every point: slow on long profiles.
    ax.legend(loc="best" if n <= 50_000 else "upper right")
    return ax


def _match_starts(matches, n):
    pd = V._pandas()
    if pd is None or not isinstance(matches, pd.DataFrame):
        raise TypeError("matches must be the DataFrame of find_matches (start, end, score); "
                        f"got {type(matches).__name__}")
    if "start" not in matches.columns:
        raise ValueError("matches must have a 'start' column (find_matches' table); got "
                         f"columns {list(matches.columns)}")
    starts = matches["start"].to_numpy()
    if starts.dtype.kind not in "iu":
        raise TypeError(f"matches 'start' must hold integer positions; got dtype {starts.dtype}")
    outside = (starts < 0) | (starts >= n)
    if outside.any():
        raise ValueError(f"matches start {int(starts[outside][0])} is outside the {n} scores; "
                         "were the matches found on the series these scores come from?")
    threshold = matches.attrs.get("threshold")
    threshold = float(threshold) if isinstance(threshold, numbers.Real) \
        and math.isfinite(threshold) else None
    return starts.astype(np.intp), threshold


# ---------------------------------------------------------------------------- learned kernels
def learned_kernel(learned, ar, *, ax=None, labels=None):
    """A learned convolution's AR coefficients next to a fitted AR model's, lag by lag.

    A causal ``Conv1d(1, 1, p, bias=False)`` trained to predict the next value
    is an AR(p) model (:func:`sigconv.nn.kernel_as_ar`); the grouped bars show
    how far training moved it from (or towards) the AR fit.  The two may have
    different orders: each lag has a bar for each model that reaches it.

    Parameters
    ----------
    learned : Conv1d or array_like, shape (p,)
        The learned model: a :class:`sigconv.nn.Conv1d` (read through
        :func:`~sigconv.nn.kernel_as_ar`) or its coefficients phi_1..phi_p.
    ar : ARResult or array_like, shape (q,), or None
        The AR model: a :class:`sigconv.ARResult` (its ``coef``), or
        coefficients phi_1..phi_q (a Conv1d is read as ``learned`` is).
        None draws ``learned`` alone.
    ax : matplotlib Axes, optional
        Drawn into; default a new figure's.
    labels : sequence of two str, optional
        Legend labels of ``learned`` and ``ar``; default ``"learned
        convolution"`` and ``"AR(q), <method>"`` (``"AR(q)"`` for plain
        coefficients).

    Returns
    -------
    matplotlib Axes
        Bars at lags 1..max(p, q): ``learned`` left of each lag, ``ar`` right.

    Raises
    ------
    TypeError
        Coefficients that are not real numbers, or a :class:`Kernel` (whose
        weights are not AR coefficients); ``labels`` not strings; ``ax`` not
        an Axes.
    ValueError
        Coefficients that are not 1-D or not finite, a Conv1d that is no AR
        model, both models of order 0, or not one label per model.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import fit_ar
    >>> from sigconv.nn import Conv1d
    >>> from sigconv.plot import learned_kernel
    >>> conv = Conv1d(1, 1, 3, bias=False, seed=0)
    >>> conv.weight[0, 0] = [0.1, -0.3, 0.5]           # oldest tap first
    >>> x = fit_ar(np.random.default_rng(0).normal(size=300), 2).simulate(500, seed=1)
    >>> ax = learned_kernel(conv, fit_ar(x, 2))
    >>> [bars.get_label() for bars in ax.containers]
    ['learned convolution', 'AR(2), yule_walker']
    >>> [round(float(bar.get_height()), 2) for bar in ax.containers[0]]
    [0.5, -0.3, 0.1]
    >>> [int(t) for t in ax.get_xticks()]
    [1, 2, 3]
    """
    phi_learned = _ar_coefficients(learned, "learned")
    phi_ar = None if ar is None else _ar_coefficients(ar, "ar")
    models = [phi_learned] + ([] if phi_ar is None else [phi_ar])
    if labels is None:
        labels = ["learned convolution"]
        if phi_ar is not None:
            method = getattr(ar, "method", None)
            labels.append(f"AR({phi_ar.size})" + (f", {method}" if isinstance(method, str)
                                                   else ""))
    else:
        if isinstance(labels, str) or not all(isinstance(s, str) for s in labels):
            raise TypeError(f"labels must be a sequence of strings; got {labels!r}")
        if len(labels) != len(models):
            raise ValueError(f"labels must have one label per model ({len(models)}); got "
                             f"{len(labels)}")
    top = max(phi.size for phi in models)
    if top == 0:
        raise ValueError("learned and ar are both of order 0: there are no coefficients to draw")
    ax = _axes(ax, (8, 4))
    width = 0.8 / len(models)
    for i, (phi, label) in enumerate(zip(models, labels)):
        lags = np.arange(1, phi.size + 1)
        offset = (i - (len(models) - 1) / 2) * width
        ax.bar(lags + offset, phi, width=width, color=f"C{i}", label=label)
    ax.axhline(0, color="0.5", lw=0.8)
    _integer_ticks(ax, np.arange(1, top + 1))
    ax.set_xlabel("lag j")
    ax.set_ylabel(r"AR coefficient $\phi_j$")
    ax.set_title("Learned kernel as AR coefficients" if phi_ar is None
                 else "Learned kernel against the AR fit")
    ax.legend()
    return ax


def _ar_coefficients(model, name):
    """phi_1..phi_p of a Conv1d, an ARResult or an array, as float64."""
    from .kernels import Kernel
    from .nn import Conv1d, kernel_as_ar

    if isinstance(model, Conv1d):
        try:
            return kernel_as_ar(model)
        except ValueError as err:
            raise ValueError(f"{name} is no AR model: {err}") from None
    if isinstance(model, Kernel):
        raise TypeError(f"{name} must be AR coefficients phi_1..phi_p, a Conv1d or an "
                        "ARResult; got a Kernel (for a whitening kernel [1, -phi_1, ...], "
                        "pass -kernel.weights[1:])")
    coef = np.asarray(getattr(model, "coef", model))
    if coef.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be AR coefficients (real numbers), a Conv1d or an "
                        f"ARResult; got {type(model).__name__} of dtype {coef.dtype}")
    if coef.ndim != 1:
        raise ValueError(f"{name} coefficients must be 1-D (phi_1..phi_p); got shape "
                         f"{coef.shape}")
    if not np.isfinite(coef).all():
        raise ValueError(f"{name} coefficients must be finite; got NaN or inf")
    return coef.astype(np.float64)
