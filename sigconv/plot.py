"""Plots of results (matplotlib, an optional dependency: ``pip install sigconv[plot]``)."""
from __future__ import annotations

import numpy as np


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
