"""Draw the figures of docs/ar.md (except the forecast: examples/forecast_sunspots.py).

Usage::

    python examples/plot_ar.py [--out DIR]

Writes one PNG per figure into ``DIR`` (default ``docs/img`` in the repository).
Needs sigconv with the ``plot`` extra (matplotlib); the data sets come with
statsmodels.  Deterministic: nothing is random.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from _figures import GREY, draw_all, save
from matplotlib.figure import Figure
from statsmodels.datasets import macrodata, sunspots

import sigconv
from sigconv import kernels

METHODS = ("yule_walker", "burg", "ols", "mle")


def load_sunspots():
    """Yearly sunspot numbers, 1700-2008, indexed by the year (an integer)."""
    df = sunspots.load_pandas().data
    return pd.Series(df["SUNACTIVITY"].to_numpy(), index=df["YEAR"].astype(int),
                     name="sunspots")


def load_macro():
    """US inflation, unemployment and real interest rate (%), quarterly 1959Q1-2009Q3."""
    df = macrodata.load_pandas().data
    index = pd.period_range("1959Q1", periods=len(df), freq="Q")
    return pd.DataFrame(df[["infl", "unemp", "realint"]].to_numpy(), index=index,
                        columns=["infl", "unemp", "realint"])


def stem(ax, lags, values, color="C0", label=None):
    markers, stems, _ = ax.stem(lags, values, basefmt=" ", label=label)
    markers.set_markersize(3)
    markers.set_color(color)
    stems.set_linewidth(1)
    stems.set_color(color)
    ax.axhline(0, color=GREY, lw=0.6)


def band(ax, n, lags):
    """The +-1.96 / sqrt(n) band of a white-noise autocorrelation."""
    ax.fill_between(lags, -1.96 / np.sqrt(n), 1.96 / np.sqrt(n), color=GREY, alpha=0.25, lw=0,
                    label=r"$\pm 1.96/\sqrt{n}$")


# ---------------------------------------------------------------------------
# 1. An AR model is two kernels
# ---------------------------------------------------------------------------

def fig_kernels(out):
    x = load_sunspots()
    result = sigconv.fit_ar(x)
    k = result.whitening_kernel
    psi = result.impulse_response(61)
    fig = Figure(figsize=(8, 2.8), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[0.8, 1.5, 1])
    stem(ax1, k.lags, k.weights)
    ax1.set_title(f"Whitening kernel phi(B), AR({result.order})")
    ax1.set_xlabel("lag j")
    ax1.set_ylabel("weight")
    stem(ax2, np.arange(psi.size), psi, color="C1")
    ax2.set_title("Its inverse: psi-weights, inverse(phi, 61)")
    ax2.set_xlabel("lag j (years)")
    f, gain, _ = sigconv.frequency_response(k, n=1024)
    ax3.semilogy(f, gain, color="C0", label="|phi|: whitening kernel")
    ax3.semilogy(f, 1 / gain, color="C1", label="1/|phi|: psi-weights")
    notch = f[np.argmin(gain)]
    ax3.axvline(notch, color=GREY, lw=0.6, ls=":")
    ax3.annotate(f"1/{1 / notch:.1f} years", xy=(notch, gain.min()),
                 xytext=(notch + 0.06, gain.min()), va="center",
                 arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax3.set_xlim(0, 0.5)
    ax3.set_title("Gains")
    ax3.set_xlabel("frequency (cycles per year)")
    ax3.legend(frameon=False, loc="upper right")
    save(fig, out, "ar_kernels.png")


def fig_whitening(out):
    x = load_sunspots()
    result = sigconv.fit_ar(x)
    e = result.residuals.dropna()
    fig = Figure(figsize=(8, 2.8), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1.2, 1, 1])
    ax1.plot(x.index, x - result.mean, color=GREY, lw=0.7, label="x - mean")
    ax1.plot(e.index, e, color="C0", lw=0.8, label="residuals = phi(B)(x - mean)")
    ax1.set_title("Sunspots and their innovations")
    ax1.set_xlabel("year")
    ax1.legend(frameon=False, loc="upper left")
    ax1.set_ylim(-90, 200)

    lags = np.arange(41)
    band(ax2, len(e), lags)
    ax2.plot(lags, sigconv.acf(x, 40), "o-", ms=2.5, lw=0.8, color=GREY, label="acf(x)")
    ax2.plot(lags, sigconv.acf(e, 40), "o-", ms=2.5, lw=0.8, color="C0",
             label="acf(residuals)")
    ax2.set_title("Autocorrelation")
    ax2.set_xlabel("lag (years)")
    ax2.legend(frameon=False, loc="upper right")

    # Periodograms averaged over 5 neighbouring frequencies (a Daniell estimate).
    box = kernels.box(5)
    f, power = sigconv.periodogram(x)
    power = sigconv.convolve(power, box, "same", boundary="reflect")
    fe, power_e = sigconv.periodogram(e)
    power_e = sigconv.convolve(power_e, box, "same", boundary="reflect")
    ax3.semilogy(f[1:], power.iloc[1:], color=GREY, lw=0.8, label="periodogram(x)")
    ax3.semilogy(fe[1:], power_e.iloc[1:], color="C0", lw=0.8, label="periodogram(residuals)")
    ax3.semilogy(f[1:], result.spectral_density(f[1:]), color="k", lw=1,
                 label="AR(9) spectral density")
    ax3.axhline(2 * result.sigma2, color="C3", ls="--", lw=0.8, label="2 sigma2")
    ax3.set_xlim(0, 0.5)
    ax3.set_ylim(1, 3e5)
    ax3.set_title("Spectra (periodograms smoothed)")
    ax3.set_xlabel("frequency (cycles per year)")
    ax3.legend(frameon=False, loc="upper right", fontsize=6.5)
    save(fig, out, "ar_whitening.png")


# ---------------------------------------------------------------------------
# 3. Fitting methods and order selection
# ---------------------------------------------------------------------------

def fig_methods(out):
    x = load_sunspots()
    fits = {m: sigconv.fit_ar(x, method=m) for m in METHODS}
    fig = Figure(figsize=(8, 2.8), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    offsets = np.linspace(-0.24, 0.24, len(METHODS))
    for (method, fit), dx in zip(fits.items(), offsets, strict=True):
        ax1.plot(np.arange(1, fit.order + 1) + dx, fit.coef, "o", ms=3.5, label=method)
    ax1.axhline(0, color=GREY, lw=0.6)
    ax1.set_title("AR(9) coefficients by method")
    ax1.set_xlabel("lag j")
    ax1.set_ylabel("phi_j")
    ax1.set_xticks(np.arange(1, 10))
    ax1.legend(frameon=False, loc="upper right")
    for method in METHODS[:3]:
        for ic, style in (("aic", "o-"), ("bic", "s--")):
            crit = sigconv.fit_ar(x, method=method, ic=ic).ic
            color = f"C{METHODS.index(method)}"
            ax2.plot(crit.index, crit - crit.min(), style, ms=2.5, lw=0.8, color=color,
                     mfc="none" if ic == "bic" else color, label=f"{method}, {ic}")
    ax2.set_yscale("symlog", linthresh=10)
    ax2.set_ylim(0, 3000)
    ax2.set_title("Criterion minus its minimum (orders 0..24)")
    ax2.set_xlabel("order k")
    ax2.legend(frameon=False, loc="upper right", ncols=2)
    save(fig, out, "ar_methods.png")


# ---------------------------------------------------------------------------
# 4. acf, pacf and ccf
# ---------------------------------------------------------------------------

def fig_correlation(out):
    x = load_sunspots()
    n = len(x)
    fig = Figure(figsize=(8, 2.8), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    lags = np.arange(1, 25)
    band(ax1, n, np.arange(0, 25))
    stem(ax1, lags - 0.15, sigconv.acf(x, 24).iloc[1:], color=GREY, label="acf(x)")
    stem(ax1, lags + 0.15, sigconv.pacf(x, 24).iloc[1:], color="C0", label="pacf(x)")
    ax1.set_title("acf and pacf of the sunspot numbers")
    ax1.set_xlabel("lag (years)")
    ax1.legend(frameon=False, loc="upper right")

    result = sigconv.fit_ar(x)
    e = result.residuals.dropna()
    xs = x.loc[e.index]
    c = sigconv.ccf(xs, e, 20)
    band(ax2, len(e), c.index)
    stem(ax2, c.index, c, color="C0", label="ccf(x, residuals)")
    h = np.arange(21)
    theory = result.impulse_response(h.size) * np.sqrt(result.sigma2) / xs.std(ddof=0)
    ax2.plot(h, theory, "x", color="C3", ms=4, label="psi_k sigma / sd(x)")
    ax2.set_title("ccf(x, e): lag k estimates corr(x[t+k], e[t])")
    ax2.set_xlabel("lag k (years)")
    ax2.legend(frameon=False, loc="upper left")
    save(fig, out, "ar_correlation.png")


# ---------------------------------------------------------------------------
# 5. Panels
# ---------------------------------------------------------------------------

def fig_panel(out):
    panel = load_macro()
    result = sigconv.fit_ar(panel)
    fig = Figure(figsize=(8, 2.8), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.3, 1])
    dates = panel.index.to_timestamp()
    for i, column in enumerate(panel):
        ax1.plot(dates, panel[column], color=f"C{i}", lw=0.8, label=column)
        fit = result[column]
        psi = fit.impulse_response(25)
        ax2.plot(np.arange(psi.size), psi, "o-", ms=2.5, lw=0.9, color=f"C{i}",
                 label=f"{column}: AR({fit.order})")
    ax1.axhline(0, color=GREY, lw=0.6)
    ax1.set_title("US macro series, quarterly (%)")
    ax1.set_xlabel("quarter")
    ax1.legend(frameon=False, loc="lower left", ncols=3)
    ax2.axhline(0, color=GREY, lw=0.6)
    ax2.set_title("psi-weights of each series' model")
    ax2.set_xlabel("lag (quarters)")
    ax2.legend(frameon=False, loc="upper right")
    save(fig, out, "ar_panel.png")


FIGURES = (fig_kernels, fig_whitening, fig_methods, fig_correlation, fig_panel)


def main(argv=None):
    draw_all(FIGURES, __doc__, argv)


if __name__ == "__main__":
    main()
