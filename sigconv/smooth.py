"""Smoothers: moving averages, exponential smoothing, Gaussian and Savitzky-Golay
filters, classical decomposition.

Each smoother is a kernel from :mod:`sigconv.kernels` applied by the engine,
except where a recursion is cheaper than the kernel it equals: the rolling
mean (a running sum, O(n) for any window) and the exponential moving average
(a first-order recursive filter).
"""
from __future__ import annotations

import numpy as np

from . import _validate as V
from . import engine, kernels

__all__ = ["DecomposeResult", "decompose", "ema", "gaussian_smooth", "moving_average",
           "savgol_smooth"]

_ROLLING_NAN = ("ignore", "propagate", "raise")
# Fewer samples than this (about a millisecond of work) run on one thread:
# waking a second one costs more than it saves, and stalls for a scheduler
# time slice when another process holds the other core.
_PARALLEL_FROM = 1_000_000


def moving_average(x, window, weights=None, *, center=False, nan="ignore", min_periods=None,
                   axis=-1, dtype=None):
    """Rolling mean over the last ``window`` samples (or a centred window), as pandas.

    Equals ``pandas.Series.rolling(window, min_periods=min_periods,
    center=center).mean()`` (and, with ``weights``, ``rolling(...,
    win_type=...).mean()``), for every series in ``x``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        The series; time on ``axis``, one series per DataFrame column.
    window : int >= 1
        Samples per window.  It may exceed the series (then only
        ``min_periods`` decides which outputs exist).
    weights : array_like of shape (window,), str or tuple, optional
        A weighted moving average: weights in time order (oldest first), or
        the name of a ``scipy.signal`` window (``"hann"``, ``"triang"``,
        ``("gaussian", std)``...), as pandas' ``win_type``.  Each output is
        the weighted mean of the observed samples in its window.
    center : bool
        False: the window ends at the current sample.  True: it holds
        ``window // 2`` samples before the current one and
        ``(window - 1) // 2`` after.
    nan : {"ignore", "propagate", "raise"}
        ``"ignore"``
            NaN and +-inf are missing: the mean is over the observed
            (finite) samples, as pandas.
        ``"propagate"``
            they are values: a window holding NaN has mean NaN, one holding
            +inf has mean +inf (NaN if -inf too).
        ``"raise"``
            raise ValueError on NaN or inf.
    min_periods : int, 0 <= min_periods <= window, optional
        Fewest observed samples for an output; fewer give NaN.  Default
        ``window`` (pandas' default for an integer window).  Samples beyond
        the ends of the series are never observed.
    axis : int
        Time axis of an array ``x``.
    dtype : dtype, optional
        float32 or float64 output; default the input's precision.  Sums run
        in float64.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``, same length and index.

    Raises
    ------
    ValueError
        ``window`` not a positive integer, ``min_periods`` outside
        ``[0, window]``, ``weights`` of the wrong length, an unknown ``nan``.

    See Also
    --------
    sigconv.kernels.box, sigconv.kernels.weighted, sigconv.kernels.window,
    pandas.Series.rolling

    Notes
    -----
    Without weights: a running sum updated by one sample entering and one
    leaving, O(n) whatever the window.  The sum restarts every few thousand
    outputs from a direct sum of its window, so round-off never accumulates
    along the series, and blocks run in parallel.  With weights: the
    direct convolutions of the observed samples and of their weights, whose
    ratio is the weighted mean.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.smooth import moving_average
    >>> moving_average(np.array([1.0, 2.0, np.nan, 4.0, 5.0]), 2, min_periods=1)
    array([1. , 1.5, 2. , 4. , 4.5])
    >>> moving_average(np.arange(5.0), 3, center=True)
    array([nan,  1.,  2.,  3., nan])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.moving_average(x, window, weights, center=center, nan=nan,
                                     min_periods=min_periods, axis=axis, dtype=dtype)
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    window = V.check_int(window, "window")
    min_periods = window if min_periods is None else V.check_int(min_periods, "min_periods",
                                                                minimum=0)
    if min_periods > window:
        raise ValueError(f"min_periods must be at most window ({window}); got {min_periods}")
    V.check_flag(center, "center")
    V.check_option(nan, "nan", _ROLLING_NAN)
    values = data.values
    if data.dtype.kind == "c":
        raise TypeError("moving_average needs a real series; got complex data")
    # A sum is NaN or inf if any term is (or if it overflows: then the row
    # merely takes the slower path), and needs no temporary array.
    with np.errstate(invalid="ignore", over="ignore"):
        finite = np.isfinite(values.sum(axis=1, dtype=np.float64))
    if nan == "raise" and not finite.all():
        V.nonfinite_policy(values, "raise")
    lead = (window - 1) // 2 if center else 0
    if weights is None:
        out = np.empty_like(values)
        sliding = engine._core("sliding")
        run = sliding.rolling_mean if values.size >= _PARALLEL_FROM else \
            sliding.rolling_mean_serial
        run(values, window, lead, min_periods, nan == "propagate", finite, out)
        return data.wrap(out)
    kernel = _window_kernel(weights, window, center)
    y = _weighted_mean(values, kernel, window, lead, min_periods, nan == "propagate")
    return data.wrap(y)


def _window_kernel(weights, window, center):
    """The weights (time order) as a kernel; not normalised, as only ratios matter."""
    if isinstance(weights, (str, tuple)):
        w = kernels._window_weights(weights, window, "weights")
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != (window,):
            raise ValueError(f"weights must hold window={window} weights; got shape {w.shape}")
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError("weights must be finite and non-negative for a weighted mean")
    # Kernel weight j multiplies x[t - (j - origin)]: newest first.
    return kernels.Kernel(w[::-1], origin=(window - 1) // 2 if center else 0)


def _weighted_mean(values, kernel, window, lead, min_periods, propagate):
    """pandas' weighted rolling mean: the sum of weight times sample over the
    sum of the weights, both over the observed samples of the window, and at
    least ``min_periods`` of them; samples beyond the ends are missing."""
    weights, origin = V.kernel_input(kernel, "weights", dtype=values.dtype)
    observed = np.isfinite(values)
    # Direct sums: pandas' weighted rolling is O(n window) too, and a window
    # holding only a tiny weight must stay exact.
    total, _ = engine.convolve_values(np.where(observed, values, 0), weights, origin, "same",
                                      method="direct")
    present, _ = engine.convolve_values(observed.astype(values.dtype), weights, origin, "same",
                                        method="direct")
    with np.errstate(divide="ignore", invalid="ignore"):
        y = total / present
    y[present == 0] = np.nan
    if propagate:  # non-finite samples are values, as in moving_average's running sum
        positive = _window_counts(values == np.inf, window, lead) > 0
        negative = _window_counts(values == -np.inf, window, lead) > 0
        y[positive] = np.inf
        y[negative] = -np.inf
        y[(positive & negative) | (_window_counts(np.isnan(values), window, lead) > 0)] = np.nan
        counts = _window_counts(np.ones(values.shape, dtype=bool), window, lead)
    else:
        counts = _window_counts(observed, window, lead)
    y[counts < max(min_periods, 1)] = np.nan
    return y


def _window_counts(flags, window, lead):
    """How many ``flags`` are set in each window ``[t + lead - window + 1, t + lead]``."""
    m, n = flags.shape
    cumulative = np.zeros((m, n + 1), dtype=np.int64)
    np.cumsum(flags, axis=1, out=cumulative[:, 1:])
    hi = np.minimum(np.arange(n) + lead + 1, n)
    lo = np.clip(np.arange(n) + lead + 1 - window, 0, n)
    return cumulative[:, hi] - cumulative[:, lo]


def ema(x, alpha=None, *, span=None, halflife=None, com=None, adjust=True, ignore_na=False,
        min_periods=0, axis=-1, dtype=None):
    """Exponential moving average, as ``pandas.Series.ewm(...).mean()``.

    Give exactly one of ``alpha``, ``span``, ``halflife`` and ``com``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        The series; time on ``axis``.
    alpha : float, 0 < alpha <= 1
        Smoothing factor: the weight of the newest sample.
    span : float >= 1
        ``alpha = 2 / (span + 1)``.
    halflife : float > 0
        ``alpha = 1 - exp(-log(2) / halflife)``.
    com : float >= 0
        Centre of mass, ``alpha = 1 / (1 + com)``.
    adjust : bool
        True: ``y[t] = sum_j (1-alpha)^j x[t-j] / sum_j (1-alpha)^j`` over the
        samples so far.  False: the recursion ``y[t] = (1-alpha) y[t-1] +
        alpha x[t]`` from ``y[0] = x[0]`` (R's ``HoltWinters(beta=FALSE,
        gamma=FALSE)`` level).
    ignore_na : bool
        False: weights follow absolute positions, so a NaN gap still decays
        the older samples.  True: NaN samples are skipped as if absent.
    min_periods : int >= 0
        Fewest observations before outputs start (earlier ones are NaN).
    axis : int
        Time axis of an array ``x``.
    dtype : dtype, optional
        float32 or float64 output; default the input's precision.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``.  NaN and +-inf are missing (as in pandas): such a sample
        repeats the previous mean.

    Raises
    ------
    ValueError
        None or several of alpha/span/halflife/com, or one out of range.

    See Also
    --------
    sigconv.kernels.exponential, pandas.Series.ewm

    Notes
    -----
    Computed as a ratio of two first-order recursive (IIR) filters in numba,
    the weighted sum and the total weight, O(n) per series and parallel over
    series.

    With ``adjust=False`` and ``ignore_na=False`` the first observation after
    a gap of ``g`` missing samples gets weight ``alpha`` against ``(1 -
    alpha)^(g + 1)`` for the previous mean.  pandas (1.x to 3.x) does this
    except at exactly ``com == 1`` (``alpha = 0.5``, ``span = 3``,
    ``halflife = 1``), where it gives the observation ``1 - (1 -
    alpha)^(g + 1)``; ``ema`` follows pandas in both cases.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.smooth import ema
    >>> ema(np.array([1.0, 2.0, 3.0]), alpha=0.5)
    array([1.        , 1.66666667, 2.42857143])
    >>> ema(np.array([1.0, 2.0, 3.0]), alpha=0.5, adjust=False)
    array([1.  , 1.5 , 2.25])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.ema(x, alpha, span=span, halflife=halflife, com=com, adjust=adjust,
                          ignore_na=ignore_na, min_periods=min_periods, axis=axis, dtype=dtype)
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    if data.dtype.kind == "c":
        raise TypeError("ema needs a real series; got complex data")
    com = _center_of_mass(alpha, span, halflife, com)
    min_periods = V.check_int(min_periods, "min_periods", minimum=0)
    adjust = V.check_flag(adjust, "adjust")
    ignore_na = V.check_flag(ignore_na, "ignore_na")
    alpha = 1.0 / (1.0 + com)  # as pandas: every parameter goes through com
    out = np.empty_like(data.values)
    # pandas treats com == 1 (alpha = 1/2) with adjust=False as a special case
    # after gaps (see Notes); follow it so that results agree everywhere.
    gap_weight = not adjust and not ignore_na and com == 1
    recursive = engine._core("recursive")
    # Series are independent recursions: threads help only with several.
    run = recursive.ewm_mean if data.n_series > 1 and out.size >= _PARALLEL_FROM else \
        recursive.ewm_mean_serial
    run(data.values, 1.0 - alpha, bool(adjust), bool(ignore_na), gap_weight,
        max(min_periods, 1), out)
    return data.wrap(out)


def _center_of_mass(alpha, span, halflife, com):
    given = {k: v for k, v in (("alpha", alpha), ("span", span), ("halflife", halflife),
                               ("com", com)) if v is not None}
    if len(given) != 1:
        raise ValueError("give exactly one of alpha, span, halflife and com; got "
                         + (", ".join(given) if given else "none"))
    (name, value), = given.items()
    if name == "alpha":
        alpha = V.check_real(value, "alpha", 0, 1, closed="high")
        return (1.0 - alpha) / alpha
    if name == "span":
        return (V.check_real(value, "span", 1, closed="low") - 1) / 2
    if name == "halflife":
        decay = 1 - np.exp(np.log(0.5) / V.check_real(value, "halflife", 0))
        return 1 / decay - 1
    return V.check_real(value, "com", 0, closed="low")


def gaussian_smooth(x, sigma, *, truncate=4.0, boundary="reflect", cval=0.0, nan="propagate",
                    axis=-1, dtype=None):
    """Gaussian smoothing: ``convolve(x, kernels.gaussian(sigma, truncate), "same")``.

    Equals ``scipy.ndimage.gaussian_filter1d(x, sigma, mode=boundary,
    truncate=truncate)``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        The series.
    sigma : float > 0
        Standard deviation of the kernel, in samples.
    truncate : float > 0
        The kernel reaches ``int(truncate * sigma + 0.5)`` samples each way.
    boundary, cval, nan, axis, dtype
        As in :func:`sigconv.convolve`; the default boundary is ndimage's.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.smooth import gaussian_smooth
    >>> gaussian_smooth(np.array([0.0, 0.0, 1.0, 0.0, 0.0]), 1.0).round(4)
    array([0.0584, 0.2421, 0.3989, 0.2421, 0.0584])
    """
    # A dask array goes on to the engine's Dask implementation.
    return engine.convolve(x, kernels.gaussian(sigma, truncate), "same", boundary=boundary,
                           cval=cval, nan=nan, axis=axis, dtype=dtype)


def savgol_smooth(x, window, polyorder, deriv=0, delta=1.0, *, axis=-1, dtype=None):
    """Savitzky-Golay filter, as ``scipy.signal.savgol_filter(..., mode="interp")``.

    Each output is the value (or ``deriv``-th derivative) at the window's
    centre of the least-squares polynomial of degree ``polyorder`` through
    ``window`` samples.  The first and last ``window // 2`` outputs come from
    the polynomial fitted to the first and last ``window`` samples.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        The series, at least ``window`` samples.
    window : odd int >= 1
        Samples per fit.
    polyorder : int, 0 <= polyorder < window
        Degree of the polynomial.
    deriv : int >= 0
        Derivative order (0 smooths).
    delta : float > 0
        Sample spacing, scaling derivatives.
    axis : int
        Time axis of an array ``x``.
    dtype : dtype, optional
        float32 or float64; default the input's precision.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``.

    See Also
    --------
    sigconv.kernels.savgol, scipy.signal.savgol_filter

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.smooth import savgol_smooth
    >>> savgol_smooth(np.arange(6.0) ** 2, 5, 2).round(12)   # quadratics pass unchanged
    array([-0.,  1.,  4.,  9., 16., 25.])
    """
    if V.is_dask(x):
        from .dask import arrays

        return arrays.savgol_smooth(x, window, polyorder, deriv, delta, axis=axis, dtype=dtype)
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    kernel = kernels.savgol(window, polyorder, deriv, delta)
    if data.dtype.kind == "c":
        raise TypeError("savgol_smooth needs a real series; got complex data")
    n = data.n_samples
    if window > n:
        raise ValueError(f"window must be at most the series length ({n}) for the edge "
                         f"fits; got {window}")
    values = data.values
    weights, origin = V.kernel_input(kernel, "kernel", dtype=values.dtype)
    y = np.empty_like(values)
    half = window // 2
    y[:, half:n - half], _ = engine.convolve_values(values, weights, origin, "valid")
    if half:
        left, right = _savgol_edges(window, polyorder, deriv, delta)
        y[:, :half] = values[:, :window] @ left.T.astype(values.dtype)
        y[:, n - half:] = values[:, n - window:] @ right.T.astype(values.dtype)
    return data.wrap(y)


def _savgol_edges(window, polyorder, deriv, delta):
    """Operators (half, window) from the first / last window of samples to the fitted
    polynomial's ``deriv``-th derivative at the first / last ``half`` positions."""
    import math

    half = window // 2
    u = (np.arange(window) - half) / half       # scaled positions keep the fit well posed
    fit = kernels._polyfit_operator(u, polyorder)
    powers = np.arange(polyorder + 1)

    def evaluate(at):
        # d^deriv/du^deriv of u^q at `at`, for every degree q.
        coef = np.array([math.perm(q, deriv) if q >= deriv else 0 for q in powers], float)
        exponent = np.maximum(powers - deriv, 0)
        return coef * at[:, None] ** exponent

    scale = 1.0 / (half * delta) ** deriv
    left = evaluate(u[:half]) @ fit * scale
    right = evaluate(u[window - half:]) @ fit * scale
    return left, right


class DecomposeResult:
    """Classical decomposition ``observed = trend + seasonal + resid`` (or their product).

    Attributes
    ----------
    observed, trend, seasonal, resid : ndarray, Series or DataFrame
        Shaped like the input.  ``trend`` and ``resid`` are NaN where the
        trend filter does not fit (unless extrapolated).
    period : int
        Samples per seasonal cycle.
    model : str
        ``"additive"`` or ``"multiplicative"``.
    trend_kernel : Kernel
        The moving average that estimated the trend.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = np.tile([1.0, 3.0, 2.0, 0.0], 4) + 0.5 * np.arange(16)
    >>> result = sigconv.decompose(x, period=4)
    >>> result.period, result.model, result.trend_kernel.name
    (4, 'additive', 'centered_ma(4)')
    >>> np.round(result.seasonal[:4], 4)
    array([-0.5,  1.5,  0.5, -1.5])
    >>> bool(np.isnan(result.trend[[0, 1, -2, -1]]).all())   # the filter does not fit there
    True
    >>> parts = result.trend + result.seasonal + result.resid
    >>> np.allclose(parts[2:-2], x[2:-2])
    True
    """

    def __init__(self, observed, trend, seasonal, resid, period, model, trend_kernel, frame):
        self.observed = observed
        self.trend = trend
        self.seasonal = seasonal
        self.resid = resid
        self.period = period
        self.model = model
        self.trend_kernel = trend_kernel
        self._frame = frame

    def __repr__(self):
        return (f"DecomposeResult(model={self.model!r}, period={self.period}, "
                f"trend_kernel={self.trend_kernel!r})")

    def to_frame(self):
        """The four components as columns of one DataFrame (a column level per
        component when the input held several series).

        Returns
        -------
        DataFrame
            Columns ``observed``, ``trend``, ``seasonal``, ``resid``, with the
            input's index; for several series, ``(component, series)`` pairs.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> x = pd.Series(np.tile([1.0, 3.0, 2.0, 0.0], 4) + 0.5 * np.arange(16))
        >>> sigconv.decompose(x, period=4).to_frame().iloc[2:5]
           observed  trend  seasonal  resid
        2       3.0    2.5       0.5    0.0
        3       1.5    3.0      -1.5    0.0
        4       3.0    3.5      -0.5    0.0
        >>> frame = sigconv.decompose(pd.DataFrame({"a": x, "b": 2 * x}), period=4).to_frame()
        >>> frame.columns[:3].tolist()
        [('observed', 'a'), ('observed', 'b'), ('trend', 'a')]
        """
        return self._frame()


def decompose(x, period=None, model="additive", *, filt=None, two_sided=True,
              extrapolate_trend=0, axis=-1):
    """Classical seasonal decomposition by moving averages, as
    ``statsmodels.tsa.seasonal.seasonal_decompose``.

    The trend is the centred moving average of one period
    (:func:`sigconv.kernels.centered_ma`); the seasonal component is the mean
    of the detrended series at each phase of the cycle, centred to sum to
    zero (additive) or average one (multiplicative); the residual is what
    remains.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        Finite series with at least two full cycles.
    period : int >= 1, optional
        Samples per cycle.  Default: from the frequency of a pandas
        DatetimeIndex or PeriodIndex (12 for monthly data...).
    model : {"additive", "multiplicative"}
        ``"additive"``
            ``x = trend + seasonal + resid``.
        ``"multiplicative"``
            ``x = trend * seasonal * resid``; needs ``x > 0``.
    filt : array_like or Kernel, optional
        The trend filter's weights instead of ``centered_ma(period)``.
    two_sided : bool
        True: a centred filter.  False: a causal one (the trend at ``t``
        uses samples up to ``t``).
    extrapolate_trend : int >= 0 or "period"
        If positive, the NaN ends of the trend are extended by a straight
        line fitted to the ``extrapolate_trend + 1`` nearest trend values
        (``"period"`` means ``period - 1``).
    axis : int
        Time axis of an array ``x``.

    Returns
    -------
    DecomposeResult
        ``.observed``, ``.trend``, ``.seasonal``, ``.resid`` like ``x``, and
        ``.to_frame()``.

    Raises
    ------
    ValueError
        Missing values, fewer than ``2 * period`` samples, non-positive
        values with the multiplicative model, no period to be found.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.smooth import decompose
    >>> t = np.arange(48.0)
    >>> result = decompose(0.5 * t + np.tile([1.0, -1.0, 2.0, -2.0], 12), 4)
    >>> result.seasonal[:4]
    array([ 1., -1.,  2., -2.])
    >>> float(np.nanmax(np.abs(result.resid)))  # doctest: +ELLIPSIS
    0.0...
    """
    if period is None:
        period = V.period_from_index(getattr(x, "index", None), "period")
    data = V.series_input(x, "x", axis=axis, dtype=np.float64)
    period = V.check_int(period, "period")
    V.check_option(model, "model", ("additive", "multiplicative"))
    values = data.values
    if data.dtype.kind == "c":
        raise TypeError("decompose needs a real series; got complex data")
    if not np.isfinite(values).all():
        raise ValueError("decompose needs finite values: x contains NaN or inf "
                         "(fill or interpolate missing values first)")
    n = data.n_samples
    if n < 2 * period:
        raise ValueError(f"x must have 2 complete cycles: {2 * period} observations for "
                         f"period={period}; got {n}")
    multiplicative = model == "multiplicative"
    if multiplicative and (values <= 0).any():
        raise ValueError("model='multiplicative' needs positive values; x has zeros or "
                         "negative values")
    trend_kernel = _trend_kernel(filt, period, two_sided)
    if len(trend_kernel) > n:
        raise ValueError(f"filt must not be longer than the series ({n}); "
                         f"got {len(trend_kernel)} weights")
    extra = _extrapolation_points(extrapolate_trend, period)
    trend = _trend(values, trend_kernel)
    if extra:
        trend = _extrapolate(trend, extra + 1)
    detrended = values / trend if multiplicative else values - trend
    phase_means = _phase_means(detrended, period)
    if multiplicative:
        phase_means /= phase_means.mean(axis=1, keepdims=True)
    else:
        phase_means -= phase_means.mean(axis=1, keepdims=True)
    seasonal = np.tile(phase_means, n // period + 1)[:, :n]
    resid = values / seasonal / trend if multiplicative else detrended - seasonal
    parts = {"observed": values.copy(), "trend": trend, "seasonal": seasonal, "resid": resid}
    wrapped = {name: data.wrap(part) for name, part in parts.items()}
    return DecomposeResult(**wrapped, period=period, model=model, trend_kernel=trend_kernel,
                           frame=lambda: _components_frame(data, parts))


def _phase_means(detrended, period):
    """Mean of the defined values at each phase of the cycle, shape (n_series, period)."""
    m, n = detrended.shape
    cycles = -(-n // period)
    padded = np.full((m, cycles * period), np.nan)
    padded[:, :n] = detrended
    by_phase = padded.reshape(m, cycles, period)
    defined = np.isfinite(by_phase)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined, by_phase, 0).sum(axis=1) / defined.sum(axis=1)


def _trend_kernel(filt, period, two_sided):
    if filt is None:
        kernel = kernels.centered_ma(period)
    else:
        weights = getattr(filt, "weights", filt)
        kernel = kernels.Kernel(np.asarray(weights, dtype=float), name="filt")
    if not two_sided:  # causal: weight j on x[t - j]
        return kernels.Kernel(kernel.weights, origin=0, name=kernel.name)
    # statsmodels centres an even-length filter half a sample late.
    return kernels.Kernel(kernel.weights, origin=len(kernel) // 2, name=kernel.name)


def _trend(values, kernel):
    """The filter applied where it fits inside the series, NaN elsewhere."""
    weights, origin = V.kernel_input(kernel, "filt")
    valid, _ = engine.convolve_values(values, weights, origin, "valid")
    head = len(kernel) - 1 - origin
    trend = np.full_like(values, np.nan)
    trend[:, head:head + valid.shape[1]] = valid
    return trend


def _extrapolation_points(extrapolate_trend, period):
    if isinstance(extrapolate_trend, str):
        V.check_option(extrapolate_trend, "extrapolate_trend", ("period",))
        return period - 1
    return V.check_int(extrapolate_trend, "extrapolate_trend", minimum=0)


def _extrapolate(trend, npoints):
    """statsmodels' straight-line extension of the trend's NaN ends: least squares
    on the ``npoints`` first defined values, and on the ``npoints`` before the
    last defined one."""
    trend = trend.copy()
    defined = np.flatnonzero(np.isfinite(trend).all(axis=0))
    front, back = defined[0], defined[-1]
    front_last = min(front + npoints, back)
    back_first = max(front, back - npoints)
    for lo, hi, fill in ((front, front_last, np.arange(0, front)),
                         (back_first, back, np.arange(back + 1, trend.shape[1]))):
        design = np.c_[np.arange(lo, hi), np.ones(hi - lo)]
        slope, intercept = np.linalg.lstsq(design, trend[:, lo:hi].T, rcond=-1)[0]
        trend[:, fill] = slope[:, None] * fill + intercept[:, None]
    return trend


def _components_frame(data, parts):
    import pandas as pd

    names = list(parts)
    if data.kind == "series" or (data.kind == "numpy" and data.n_series == 1):
        index = data.index if data.kind == "series" else None
        return pd.DataFrame({name: parts[name][0] for name in names}, index=index)
    columns = data.columns if data.kind == "frame" else range(data.n_series)
    index = data.index if data.kind == "frame" else None
    frames = {name: pd.DataFrame(parts[name].T, index=index, columns=columns) for name in names}
    return pd.concat(frames, axis=1)
