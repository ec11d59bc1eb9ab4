"""The ``.sigconv`` accessor: sigconv's functions as methods of Series and DataFrames.

``import sigconv`` registers it (when pandas is imported, before or after
sigconv), so that

>>> import numpy as np
>>> import pandas as pd
>>> import sigconv
>>> s = pd.Series([1.0, 2.0, 6.0, 2.0, 1.0], name="flow")
>>> s.sigconv.smooth("ma:3")
0    1.333333
1    3.000000
2    3.333333
3    3.000000
4    1.333333
Name: flow, dtype: float64

Every method is one call of the public function it is named after (the
series goes in as ``x`` or ``y``; the other arguments have the function's
names and defaults, and any further keyword reaches it), so the result is
exactly that function's: same values, index, name and columns.  The
accessor's own defaults are few: ``convolve`` and ``smooth`` return outputs
aligned with the series (``mode="same"``), ``smooth`` extends the series by
reflection (``boundary="reflect"``, as :func:`sigconv.gaussian_smooth`), and
a kernel may be a text spec (``"gaussian:3"``, ``"ma:12"``: see
:meth:`sigconv.Kernel.from_spec`).

On a DataFrame every method treats each column as a series: filters return
a DataFrame like the input, fits a panel result with one row per column in
its ``params`` table (:class:`sigconv.ARPanelResult`,
:class:`sigconv.ARIMAPanelResult`), ``find_matches`` one table of every
column's matches and ``lag`` one delay per column.

Groups and panels
-----------------
After ``groupby`` each group is a Series, so the accessor works inside
``apply``::

    df.groupby("id")["y"].apply(lambda s: s.sigconv.smooth("gaussian:2"))
    df.groupby("id")["y"].apply(lambda s: s.sigconv.fit_ar(2).params)

That calls sigconv once per group.  For many series of equal length the
fast path is one call on the wide frame (a column per series): the fits
then run in parallel in numba, and ``params`` is the table of every series::

    wide = df.pivot(index="date", columns="id", values="y")
    sigconv.fit_ar(wide, 2).params                      # or wide.sigconv.fit_ar(2)
    sigconv.ARIMA((1, 1, 1)).fit(wide).params           # or wide.sigconv.arima((1, 1, 1))
    sigconv.convolve(wide, kernels.gaussian(2), "same")  # or wide.sigconv.smooth("gaussian:2")
"""
from __future__ import annotations

import pandas as pd

from . import _validate as V
from . import ar as _ar
from . import arima as _arima
from . import engine, match, smooth
from .kernels import Kernel

__all__ = ["DataFrameAccessor", "SeriesAccessor"]


def _kernel(kernel):
    """A text spec as its Kernel; anything else as given."""
    return Kernel.from_spec(kernel) if isinstance(kernel, str) else kernel


class _Accessor:
    """The methods whose public function takes a Series and a DataFrame alike."""

    def __init__(self, obj):
        self._obj = obj

    def convolve(self, kernel, mode="same", **kwargs):
        """Convolve with ``kernel``: :func:`sigconv.convolve` with ``mode="same"``.

        Parameters
        ----------
        kernel : Kernel, array_like or str
            Weights, a :class:`~sigconv.Kernel` or a spec such as ``"ma:3"``
            (:meth:`~sigconv.Kernel.from_spec`).
        mode : {"same", "causal", "full", "valid"}
            ``"same"`` and ``"causal"`` keep the index; see :func:`sigconv.convolve`.
        **kwargs
            ``boundary``, ``cval``, ``method``, ``nan``, ... of :func:`sigconv.convolve`.

        Returns
        -------
        Series or DataFrame

        Examples
        --------
        >>> import pandas as pd
        >>> import sigconv
        >>> s = pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd"), name="x")
        >>> s.sigconv.convolve([1.0, 1.0, 1.0], boundary="nearest")
        a     4.0
        b     6.0
        c     9.0
        d    11.0
        Name: x, dtype: float64
        """
        return engine.convolve(self._obj, _kernel(kernel), mode, **kwargs)

    def smooth(self, kernel, *, boundary="reflect", **kwargs):
        """Smooth with a kernel: ``convolve(x, kernel, "same", boundary="reflect")``.

        Parameters
        ----------
        kernel : str, Kernel or array_like
            A spec such as ``"gaussian:3"``, ``"ma:12"``, ``"henderson:13"``
            (:meth:`~sigconv.Kernel.from_spec` lists them), a
            :class:`~sigconv.Kernel` or weights (centred).
        boundary : str
            How the ends are extended (see :func:`sigconv.convolve`); the
            default is that of :func:`sigconv.gaussian_smooth`.
        **kwargs
            ``cval``, ``method``, ``nan``, ... of :func:`sigconv.convolve`.

        Returns
        -------
        Series or DataFrame
            Same index, name and columns.

        Examples
        --------
        >>> import pandas as pd
        >>> import sigconv
        >>> s = pd.Series([0.0, 0.0, 1.0, 0.0, 0.0], name="spike")
        >>> s.sigconv.smooth("gaussian:1").round(4).tolist()
        [0.0584, 0.2421, 0.3989, 0.2421, 0.0584]
        """
        return engine.convolve(self._obj, _kernel(kernel), "same", boundary=boundary, **kwargs)

    def ema(self, alpha=None, **kwargs):
        """Exponential moving average: :func:`sigconv.ema` (``ewm(...).mean()``).

        Parameters
        ----------
        alpha : float, 0 < alpha <= 1, optional
            Or one of ``span``, ``halflife``, ``com`` as a keyword.
        **kwargs
            ``span``, ``halflife``, ``com``, ``adjust``, ``ignore_na``,
            ``min_periods`` of :func:`sigconv.ema`.

        Returns
        -------
        Series or DataFrame

        Examples
        --------
        >>> import pandas as pd
        >>> import sigconv
        >>> pd.Series([1.0, 2.0, 3.0]).sigconv.ema(0.5, adjust=False).tolist()
        [1.0, 1.5, 2.25]
        """
        return smooth.ema(self._obj, alpha, **kwargs)

    def decompose(self, period=None, model="additive", **kwargs):
        """Classical seasonal decomposition: :func:`sigconv.decompose`.

        Parameters
        ----------
        period : int >= 1, optional
            Samples per cycle; default from the index's frequency.
        model : {"additive", "multiplicative"}
        **kwargs
            ``filt``, ``two_sided``, ``extrapolate_trend`` of :func:`sigconv.decompose`.

        Returns
        -------
        DecomposeResult
            ``.trend``, ``.seasonal``, ``.resid`` like the input.

        Examples
        --------
        >>> import sigconv
        >>> from sigconv import datasets
        >>> parts = datasets.airpassengers().sigconv.decompose(model="multiplicative")
        >>> parts.period, round(float(parts.seasonal["1960-07-01"]), 3)
        (12, 1.227)
        """
        return smooth.decompose(self._obj, period, model, **kwargs)

    def fit_ar(self, order=None, **kwargs):
        """Fit an autoregressive model: :func:`sigconv.fit_ar`.

        Parameters
        ----------
        order : int >= 0, optional
            Default: chosen by ``ic``.
        **kwargs
            ``max_order``, ``method``, ``ic``, ``demean``, ``trend``, ``nan``
            of :func:`sigconv.fit_ar`.

        Returns
        -------
        ARResult or ARPanelResult
            A DataFrame gives a panel: ``.params`` has one row per column.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> noise = np.random.default_rng(0).normal(size=(2000, 2))
        >>> df = pd.DataFrame(sigconv.recursive_filter(noise, [0.6], axis=0), columns=["a", "b"])
        >>> df.sigconv.fit_ar(1).params[["ar.L1", "sigma2"]].round(2)
           ar.L1  sigma2
        a   0.62    1.00
        b   0.58    0.99
        """
        return _ar.fit_ar(self._obj, order, **kwargs)

    def arima(self, order=(0, 0, 0), seasonal_order=(0, 0, 0, 0), **kwargs):
        """Fit a (seasonal) ARIMA model: :func:`sigconv.arima.arima`.

        Parameters
        ----------
        order : tuple (p, d, q)
        seasonal_order : tuple (P, D, Q, s)
        **kwargs
            ``trend``, ``method``, ``exog``, ``maxiter`` of :class:`sigconv.ARIMA`.

        Returns
        -------
        ARIMAResult or ARIMAPanelResult
            Forecasts continue a DatetimeIndex at its frequency.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> from sigconv import datasets
        >>> y = np.log(datasets.airpassengers())
        >>> fit = y.sigconv.arima((0, 1, 1), (0, 1, 1, 12))
        >>> fit.forecast(2)[["mean", "lower_95", "upper_95"]].round(3)
                     mean  lower_95  upper_95
        1961-01-01  6.110     6.038     6.182
        1961-02-01  6.054     5.970     6.138
        """
        return _arima.arima(self._obj, order, seasonal_order, **kwargs)

    def ncc(self, template, **kwargs):
        """Pearson correlation of ``template`` with every window: :func:`sigconv.ncc`.

        Parameters
        ----------
        template : array_like, shape (m,)
        **kwargs
            ``method``, ``nan`` of :func:`sigconv.ncc`.

        Returns
        -------
        Series or DataFrame, length n - m + 1
            Labelled by each window's first index label.

        Examples
        --------
        >>> import pandas as pd
        >>> import sigconv
        >>> s = pd.Series([0.0, 1.0, 0.0, 1.0, 3.0], index=list("abcde"))
        >>> s.sigconv.ncc([0.0, 1.0, 0.0]).round(3)
        a    1.000
        b   -1.000
        c   -0.189
        dtype: float64
        """
        return match.ncc(self._obj, template, **kwargs)

    def plot_kernel_response(self, kernel, **kwargs):
        """The kernel's gain over the spectra of the series, before and after:
        :func:`sigconv.plot.kernel_response` (needs matplotlib).

        Parameters
        ----------
        kernel : Kernel, array_like or str
            As in :meth:`smooth`.
        **kwargs
            ``n``, ``fs``, ``boundary``, ``ax`` of :func:`sigconv.plot.kernel_response`.

        Returns
        -------
        matplotlib Axes

        Examples
        --------
        >>> import sigconv
        >>> from sigconv import datasets
        >>> ax = datasets.airpassengers().sigconv.plot_kernel_response("ma:12", fs=12)
        >>> ax.get_title()
        'Frequency response of box(12)'
        """
        from .plot import kernel_response

        return kernel_response(_kernel(kernel), self._obj, **kwargs)


@pd.api.extensions.register_series_accessor("sigconv")
class SeriesAccessor(_Accessor):
    """``Series.sigconv``: sigconv's functions with the Series as the data.

    Registered by ``import sigconv``; see the module docstring for the
    accessor's defaults.

    Examples
    --------
    >>> import pandas as pd
    >>> import sigconv
    >>> s = pd.Series([1.0, 2.0, 6.0, 2.0, 1.0], name="flow")
    >>> type(s.sigconv).__name__
    'SeriesAccessor'
    >>> smoothed = s.sigconv.smooth("ma:3")
    >>> smoothed.equals(sigconv.convolve(s, sigconv.Kernel.from_spec("ma:3"), mode="same",
    ...                                  boundary="reflect"))
    True
    >>> smoothed.name
    'flow'
    """

    def find_matches(self, template, k=None, threshold=None, exclusion=None, **kwargs):
        """The best non-overlapping matches of ``template``: :func:`sigconv.find_matches`.

        Parameters
        ----------
        template : array_like, shape (m,)
        k, threshold, exclusion
            As in :func:`sigconv.find_matches`.
        **kwargs
            ``method``, ``nan``.

        Returns
        -------
        DataFrame
            ``start``, ``end``, ``score`` (and ``time``, the index label at
            ``start``, unless the index is a RangeIndex), best first.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> x = pd.Series(np.zeros(200), index=pd.date_range("2024-01-01", periods=200))
        >>> x.iloc[50:60] += np.hanning(10)
        >>> x.iloc[120:130] += 2 * np.hanning(10)
        >>> x.sigconv.find_matches(np.hanning(10), k=2)
           start  end  score       time
        0     50   60    1.0 2024-02-20
        1    120  130    1.0 2024-04-30
        """
        return match.find_matches(self._obj, template, k, threshold, exclusion, **kwargs)

    def lag(self, other, max_lag=None, **kwargs):
        """The delay of ``other`` behind this series, in samples: :func:`sigconv.lag`.

        ``s.sigconv.lag(other)`` is ``sigconv.lag(s, other)``: positive when
        ``other`` is a delayed copy of ``s``.  Positions are compared, not
        index labels.

        Parameters
        ----------
        other : Series or array_like
        max_lag : int >= 1, optional
        **kwargs
            ``method`` of :func:`sigconv.lag`.

        Returns
        -------
        float

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> x = pd.Series(np.random.default_rng(0).normal(size=500))
        >>> round(x.sigconv.lag(x.shift(7).fillna(0.0)), 2)
        7.0
        """
        return match.lag(self._obj, other, max_lag, **kwargs)


@pd.api.extensions.register_dataframe_accessor("sigconv")
class DataFrameAccessor(_Accessor):
    """``DataFrame.sigconv``: sigconv's functions applied to every column.

    Examples
    --------
    >>> import pandas as pd
    >>> import sigconv
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 6.0, 2.0, 1.0], "b": [0.0, 3.0, 0.0, 3.0, 0.0]})
    >>> type(df.sigconv).__name__
    'DataFrameAccessor'
    >>> df.sigconv.smooth("ma:3").round(3)
           a    b
    0  1.333  1.0
    1  3.000  1.0
    2  3.333  2.0
    3  3.000  1.0
    4  1.333  1.0
    """

    def _columns(self):
        """The columns as Series, after checking the frame as the functions do (a
        non-numeric column is named in the error)."""
        V.series_input(self._obj, "x")
        return [self._obj.iloc[:, i] for i in range(self._obj.shape[1])]

    def find_matches(self, template, k=None, threshold=None, exclusion=None, **kwargs):
        """Every column's matches of ``template``: :func:`sigconv.find_matches` per column.

        Parameters are those of :meth:`SeriesAccessor.find_matches`.

        Returns
        -------
        DataFrame
            The columns' tables stacked, indexed by (column label, rank of the
            match); ``attrs["threshold"]`` maps each column to its threshold.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> df = pd.DataFrame({"a": np.zeros(100), "b": np.zeros(100)})
        >>> df.iloc[10:20, 0] += np.hanning(10)
        >>> df.iloc[70:80, 1] += np.hanning(10)
        >>> df.sigconv.find_matches(np.hanning(10), k=1)  # doctest: +NORMALIZE_WHITESPACE
                  start  end  score
        column
        a      0     10   20    1.0
        b      0     70   80    1.0
        """
        columns = self._columns()
        tables = [match.find_matches(column, template, k, threshold, exclusion, **kwargs)
                  for column in columns]
        labels = list(self._obj.columns)
        table = pd.concat(tables, keys=labels, names=[self._obj.columns.name or "column", None])
        table.attrs["threshold"] = {label: t.attrs["threshold"]
                                    for label, t in zip(labels, tables)}
        return table

    def lag(self, other, max_lag=None, **kwargs):
        """Each column's delay before ``other``: :func:`sigconv.lag` per column.

        Parameters are those of :meth:`SeriesAccessor.lag`.

        Returns
        -------
        Series
            One delay per column, named ``"lag"``.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> import sigconv
        >>> x = np.random.default_rng(0).normal(size=500)
        >>> df = pd.DataFrame({"early": np.r_[x[3:], np.zeros(3)], "late": x})
        >>> df.sigconv.lag(np.r_[np.zeros(5), x[:-5]]).round(2)
        early    8.0
        late     5.0
        Name: lag, dtype: float64
        """
        delays = [match.lag(column, other, max_lag, **kwargs) for column in self._columns()]
        return pd.Series(delays, index=self._obj.columns, name="lag", dtype=float)
