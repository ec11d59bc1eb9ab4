"""Small real series shipped with sigconv, for examples and tests."""
from __future__ import annotations

from importlib import resources


def airpassengers():
    """Monthly international airline passengers (thousands), January 1949 to
    December 1960: the 144 values of Box & Jenkins' series G (R's
    ``AirPassengers``).

    Returns
    -------
    Series
        Indexed by a monthly DatetimeIndex (month starts), named
        ``"airpassengers"``.

    Examples
    --------
    >>> from sigconv import datasets
    >>> y = datasets.airpassengers()
    >>> len(y), int(y.iloc[0]), int(y.iloc[-1])
    (144, 112, 432)
    >>> y.index.freqstr
    'MS'
    """
    import pandas as pd

    with resources.files("sigconv").joinpath("data/airpassengers.csv").open() as f:
        table = pd.read_csv(f)
    index = pd.date_range(table["month"].iloc[0] + "-01", periods=len(table), freq="MS")
    return pd.Series(table["passengers"].to_numpy(dtype=float), index=index,
                     name="airpassengers")
