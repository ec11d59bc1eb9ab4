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
