"""Draw the figures of docs/filters.md.

Usage::

    python examples/plot_filters.py [--out DIR]

Writes one PNG per figure into ``DIR`` (default ``docs/img`` in the repository).
Needs sigconv with the ``plot`` extra (matplotlib); the data sets come with
statsmodels.  Deterministic: every random number comes from a fixed seed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from _figures import GREY, draw_all, save
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure
from statsmodels.datasets import co2, nile, sunspots

import sigconv
from sigconv import Kernel, kernels

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def load_nile():
    """Annual flow of the Nile at Aswan, 1871-1970 (10^8 m^3)."""
    df = nile.load_pandas().data
    return pd.Series(df["volume"].to_numpy(), index=df["year"].astype(int), name="volume")


def load_sunspots():
    """Yearly sunspot numbers, 1700-2008."""
    df = sunspots.load_pandas().data
    return pd.Series(df["SUNACTIVITY"].to_numpy(), index=df["YEAR"].astype(int),
                     name="sunspots")


def load_co2():
    """Mauna Loa CO2 (ppm), weekly readings averaged by month, gaps interpolated."""
    return co2.load_pandas().data["co2"].resample("MS").mean().interpolate()


def stem(ax, k):
    """Stem plot of a kernel's weights against its lags."""
    markers, stems, _ = ax.stem(k.lags, k.weights, basefmt=" ")
    markers.set_markersize(3)
    stems.set_linewidth(1)
    ax.axhline(0, color=GREY, lw=0.6)


# ---------------------------------------------------------------------------
# 1. Moving averages as convolution
# ---------------------------------------------------------------------------

def fig_kernels(out):
    smoothers = [
        kernels.box(9), kernels.triangular(9), kernels.henderson(13), kernels.spencer15(),
        kernels.savgol(15, 3), kernels.gaussian(2.0), kernels.exponential(0.3, 12),
        kernels.centered_ma(12),
    ]
    fig = Figure(figsize=(8, 3.4), layout="constrained")
    axes = fig.subplots(2, 4, sharex=True, sharey=True)
    for ax, k in zip(axes.flat, smoothers):
        stem(ax, k)
        ax.set_title(k.name, fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("lag j")
    for ax in axes[:, 0]:
        ax.set_ylabel("weight")
    axes[0, 0].set_xlim(-8.5, 11.5)
    fig.suptitle("Smoothing kernels: weight j multiplies x[t - j]", fontsize=9)
    save(fig, out, "kernels.png")


def fig_smoothers(out):
    x = load_nile()
    centred = {
        "moving_average(x, 9, center=True)": sigconv.moving_average(x, 9, center=True),
        'convolve(x, henderson(13), "same")': sigconv.convolve(
            x, kernels.henderson(13), "same", boundary="reflect"),
        "savgol_smooth(x, 15, 3)": sigconv.savgol_smooth(x, 15, 3),
    }
    causal = {
        "moving_average(x, 9)": sigconv.moving_average(x, 9),
        "ema(x, span=9)": sigconv.ema(x, span=9),
    }
    fig = Figure(figsize=(8, 3), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, curves, title in ((axes[0], centred, "Centred (two-sided) smoothers"),
                              (axes[1], causal, "Causal (one-sided) smoothers")):
        ax.plot(x.index, x, color=GREY, lw=0.8, label="Nile flow")
        for label, y in curves.items():
            ax.plot(y.index, y, label=label)
        ax.set_title(title)
        ax.set_xlabel("year")
        ax.legend(loc="lower left", frameon=False)
    axes[0].set_ylabel("volume (10$^8$ m$^3$)")
    axes[0].set_ylim(150, 1450)  # room for the legends below the data
    save(fig, out, "smoothers.png")


def fig_decompose(out):
    x = load_co2()
    result = sigconv.decompose(x)  # period 12 from the monthly index
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1.4, 1, 1.4])
    ax1.plot(x.index, x, color=GREY, lw=0.8, label="observed")
    ax1.plot(result.trend.index, result.trend, color="C0", label="trend")
    ax1.set_title("Trend: centered_ma(12)")
    ax1.set_ylabel("CO$_2$ (ppm)")
    ax1.legend(loc="upper left", frameon=False)
    by_month = result.seasonal.groupby(result.seasonal.index.month).first()
    ax2.bar(by_month.index, by_month, color="C1")
    ax2.set_xticks(by_month.index, list("JFMAMJJASOND"))
    ax2.axhline(0, color=GREY, lw=0.6)
    ax2.set_title("Seasonal (one value per month)")
    ax2.set_ylabel("ppm")
    ax3.plot(result.resid.index, result.resid, color="C2", lw=0.7)
    ax3.axhline(0, color=GREY, lw=0.6)
    ax3.set_title("Residual")
    ax3.set_ylabel("ppm")
    for ax in (ax1, ax3):
        ax.xaxis.set_major_locator(YearLocator(10))
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    save(fig, out, "decompose.png")


# ---------------------------------------------------------------------------
# 2. The convolution theorem and frequency filtering
# ---------------------------------------------------------------------------

def fig_convolution_theorem(out):
    rng = np.random.default_rng(3)
    t = np.arange(300)
    slow, fast = 1 / 60, 1 / 5
    x = (np.sin(2 * np.pi * slow * t) + 0.6 * np.sin(2 * np.pi * fast * t)
         + rng.normal(0.0, 0.3, t.size))
    k = kernels.gaussian(2.0)
    y = sigconv.convolve(x, k, "full")  # n + len(k) - 1 samples: no wrap-around
    n = y.size
    f = np.fft.rfftfreq(n)
    spectrum_x = np.fft.rfft(x, n)
    response = np.fft.rfft(k.weights, n)
    spectrum_y = np.fft.rfft(y)
    error = np.abs(spectrum_y - response * spectrum_x).max()

    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1.3, 1, 1.3])
    ax1.plot(t, x, color=GREY, lw=0.6, label="x: two sines + noise")
    ax1.plot(np.arange(n) - k.origin, y, color="C0", label="y = x * gaussian(2)")
    ax1.set_xlim(0, 150)
    ax1.set_ylim(-2.6, 3.2)
    ax1.set_title("In time: a weighted average")
    ax1.set_xlabel("t")
    ax1.legend(frameon=False, loc="upper left", ncols=2)

    ax2.plot(f, np.abs(response), color="C1")
    for freq in (slow, fast):
        gain = np.abs(np.fft.rfft(k.weights, 4096))[round(freq * 4096)]
        ax2.plot(freq, gain, "o", color="k", ms=3)
        ax2.annotate(f"{gain:.2f} at f = 1/{1 / freq:.0f}", xy=(freq, gain),
                     xytext=(freq + 0.05, gain + 0.12), fontsize=7,
                     arrowprops={"arrowstyle": "->", "lw": 0.6})
    ax2.set_title("Gain |H(f)| of gaussian(2)")
    ax2.set_xlabel("frequency (cycles per sample)")
    ax2.set_ylim(0, 1.15)

    ax3.semilogy(f, np.abs(spectrum_x), color=GREY, lw=0.7, label="|X(f)|")
    ax3.semilogy(f, np.abs(spectrum_y), color="C0", lw=0.9, label="|Y(f)|, the FFT of y")
    ax3.semilogy(f[::5], np.abs(response * spectrum_x)[::5], "o", ms=2.5, mfc="none",
                 color="k", label=f"|H(f) X(f)|, max difference {error:.0e}")
    ax3.set_ylim(1e-4, 1e5)
    ax3.set_title("In frequency: Y = H X")
    ax3.set_xlabel("frequency (cycles per sample)")
    ax3.legend(frameon=False, loc="upper right")
    save(fig, out, "convolution_theorem.png")


def fig_frequency_response(out):
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    for k in (kernels.box(7), kernels.gaussian(2.0), kernels.henderson(13),
              kernels.lowpass(0.1, 31)):
        f, gain, _ = sigconv.frequency_response(k, n=1024)
        ax1.plot(f, gain, label=k.name)
    ax1.set_title("Gain of four smoothers")
    ax1.set_xlabel("frequency (cycles per sample)")
    ax1.set_ylabel("gain |H(f)|")
    ax1.legend(frameon=False)

    box12 = kernels.box(12)
    pair = Kernel([0.5, 0.5], origin=1, name="2-term mean")
    composed = box12 @ pair  # == kernels.centered_ma(12)
    for k, label, style in ((box12, "box(12)", "--"), (pair, "2-term mean", ":"),
                            (composed, "box(12) @ 2-term mean", "-")):
        f, gain, _ = sigconv.frequency_response(k, n=1024)
        ax2.plot(f, gain, style, label=label)
    f, product, _ = sigconv.frequency_response(box12, n=1024)
    product = product * sigconv.frequency_response(pair, n=1024).gain
    ax2.plot(f[::32], product[::32], "o", ms=3, mfc="none", color="k", label="product of gains")
    for j in range(1, 7):
        ax2.axvline(j / 12, color=GREY, lw=0.5, ls=":")
    ax2.set_title("Composition multiplies responses (2x12 MA)")
    ax2.set_xlabel("frequency (cycles per month); dotted: j/12")
    ax2.legend(frameon=False, loc="upper right")
    save(fig, out, "frequency_response.png")


def fig_fft_filter(out):
    rng = np.random.default_rng(0)
    t = np.arange(400)
    clean = np.where((t >= 100) & (t < 300), 1.0, 0.0)
    x = clean + rng.normal(0.0, 0.1, t.size)
    brick = sigconv.fft_filter(x, lowpass=0.05)
    tapered = sigconv.fft_filter(x, lowpass=0.05, transition=0.08)

    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1, 2])
    # The masks fft_filter applies: the spectrum of a filtered impulse is the mask.
    impulse = np.zeros(400)
    impulse[0] = 1.0
    f = np.fft.rfftfreq(400)
    for kw, label in (({}, "brick wall"), ({"transition": 0.08}, "transition=0.08")):
        mask = np.fft.rfft(sigconv.fft_filter(impulse, lowpass=0.05, **kw)).real
        ax1.plot(f, mask, label=label)
    ax1.set_xlim(0, 0.15)
    ax1.set_title("Mask for lowpass=0.05")
    ax1.set_xlabel("frequency (cycles per sample)")
    ax1.set_ylabel("gain")
    ax1.legend(frameon=False)

    ax2.plot(t, x, color=GREY, lw=0.6, label="pulse + noise")
    ax2.plot(t, brick, label="brick wall: rings (Gibbs)")
    ax2.plot(t, tapered, label="transition=0.08")
    ax2.plot(t, clean, "k:", lw=0.8, label="pulse")
    ax2.set_title("fft_filter on a pulse")
    ax2.set_xlabel("t")
    ax2.legend(frameon=False, loc="upper right", ncols=2)
    ax2.set_ylim(-0.45, 1.75)
    save(fig, out, "fft_filter.png")


def fig_periodogram(out):
    x = load_sunspots()
    f, power = sigconv.periodogram(x)  # fs=1: cycles per year
    peak = power.idxmax()
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.3, 1])
    ax1.plot(x.index, x, lw=0.8)
    ax1.set_title("Yearly sunspot numbers")
    ax1.set_xlabel("year")
    ax2.plot(f, power, lw=0.9)
    ax2.annotate(f"{1 / peak:.1f} years", xy=(peak, power.max()),
                 xytext=(peak + 0.06, 0.9 * power.max()),
                 arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax2.set_xlim(0, 0.5)
    ax2.set_title("periodogram(x)")
    ax2.set_xlabel("frequency (cycles per year)")
    ax2.set_ylabel("power density")
    save(fig, out, "periodogram.png")


# ---------------------------------------------------------------------------
# 3. Diffusion and the stochastic interpretation
# ---------------------------------------------------------------------------

def fig_diffusion(out):
    n, rate = 401, 0.25
    impulse = np.zeros(n)
    impulse[n // 2] = 1.0
    lags = np.arange(n) - n // 2

    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
    for i, steps in enumerate((2, 10, 50)):
        y = sigconv.diffuse(impulse, steps, rate)
        heat = sigconv.heat_kernel(steps, rate)
        ax1.plot(lags, y, "o", ms=2.5, color=f"C{i}", label=f"diffuse, steps={steps}")
        ax1.plot(heat.lags, heat.weights, "-", lw=0.9, color=f"C{i}",
                 label=f"heat_kernel({steps}, {rate}), var {2 * rate * steps:g}")
    ax1.set_xlim(-16, 16)
    ax1.set_title(f"An impulse diffused (rate={rate}) and the Gaussian limit")
    ax1.set_xlabel("lag")
    ax1.legend(frameon=False, fontsize=6.5)

    steps = np.unique(np.geomspace(1, 200, 14).astype(int))
    distance = []
    for s in steps:
        y = sigconv.diffuse(impulse, int(s), rate)
        heat = sigconv.heat_kernel(int(s), rate, truncate=8.0)
        g = np.zeros(n)
        g[n // 2 + heat.lags] = heat.weights
        distance.append(np.abs(y - g).sum())
    ax2.loglog(steps, distance, "o-", ms=3)
    ax2.loglog(steps, 0.12 / steps, "k:", lw=0.8, label="0.12 / steps")
    ax2.set_title("Distance to the heat kernel")
    ax2.set_xlabel("steps")
    ax2.set_ylabel("sum |diffuse - heat_kernel|")
    ax2.legend(frameon=False)
    save(fig, out, "diffusion.png")


def fig_propagator(out):
    gauss = kernels.gaussian(2.0)
    hend = kernels.henderson(13)
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, sharex=True)
    for ax, k, title in ((ax1, gauss, "gaussian(2): already a pmf"),
                         (ax2, hend, "henderson(13): signed")):
        stem(ax, k)
        ax.set_title(title)
        ax.set_xlabel("lag")
    ax1.plot(gauss.lags, sigconv.propagator(gauss).weights, "x", color="C3", ms=4,
             label="propagator(k)")
    ax1.legend(frameon=False, loc="upper left")
    ax1.set_ylabel("weight / probability")
    for temperature in (0.05, 0.1, 1.0):
        p = sigconv.propagator(hend, temperature=temperature)
        ax3.plot(p.lags, p.weights, "o-", ms=3, lw=0.9, label=f"T={temperature:g}")
    ax3.set_title("propagator(henderson(13), T)")
    ax3.set_xlabel("lag")
    ax3.legend(frameon=False, loc="upper left")
    ax3.set_ylim(0, 0.5)
    save(fig, out, "propagator.png")


def fig_stochastic(out):
    x = load_nile()
    p = sigconv.propagator(kernels.henderson(13), temperature=0.1)
    exact = sigconv.convolve(x, p, "same", boundary="reflect")
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1, 1, 0.8])
    ax1.plot(x.index, x, color=GREY, lw=0.6, label="Nile flow")
    for i, n_samples in enumerate((20, 500)):
        est, se = sigconv.stochastic_convolve(x, p, n_samples=n_samples, seed=1,
                                              boundary="reflect")
        if i == 0:
            ax1.fill_between(x.index, est - 2 * se, est + 2 * se, color="C0", alpha=0.3,
                             lw=0, label="estimate ± 2 stderr")
            ax1.plot(est.index, est, color="C0", lw=0.9, label="estimate, n_samples=20")
        error = est - exact
        ax2.fill_between(x.index, -2 * se, 2 * se, color=f"C{i}", alpha=0.25, lw=0)
        ax2.plot(error.index, error, color=f"C{i}", lw=0.8,
                 label=f"n_samples={n_samples}")
    ax1.plot(exact.index, exact, "k", lw=0.9, label="convolve(x, p, \"same\")")
    ax1.set_title("stochastic_convolve, n_samples=20")
    ax1.set_xlabel("year")
    ax1.set_ylim(150, 1450)
    ax1.legend(frameon=False, loc="lower left", fontsize=6.5)
    ax2.axhline(0, color="k", lw=0.6)
    ax2.set_title("estimate − exact, bands ± 2 stderr")
    ax2.set_xlabel("year")
    ax2.legend(frameon=False, loc="lower left", ncols=2)
    ax2.set_ylim(-200, 150)

    counts = np.array([10, 30, 100, 300, 1000, 3000, 10000])
    rms, mean_se = [], []
    for n_samples in counts:
        est, se = sigconv.stochastic_convolve(x, p, n_samples=int(n_samples), seed=2,
                                              boundary="reflect")
        rms.append(np.sqrt(np.mean((est - exact) ** 2)))
        mean_se.append(se.mean())
    ax3.loglog(counts, rms, "o-", ms=3, label="rms error")
    ax3.loglog(counts, mean_se, "s--", ms=3, mfc="none", label="mean stderr")
    ax3.loglog(counts, rms[0] * np.sqrt(counts[0] / counts), "k:", lw=0.8,
               label="1 / sqrt(n_samples)")
    ax3.set_title("Error against exact")
    ax3.set_xlabel("n_samples")
    ax3.legend(frameon=False)
    save(fig, out, "stochastic.png")


FIGURES = (fig_kernels, fig_smoothers, fig_decompose, fig_convolution_theorem,
           fig_frequency_response, fig_fft_filter, fig_periodogram, fig_diffusion, fig_propagator,
           fig_stochastic)


def main(argv=None):
    draw_all(FIGURES, __doc__, argv)


if __name__ == "__main__":
    main()
