"""The guided tour behind ``sigconv demo``.

Seven steps, each a few lines of sigconv on data that ships with sigconv or
statsmodels (no downloads), each checked against an independent reference:
filtering first, then correlation, then models.

1. smoothing a real series (the Nile) - pandas' rolling mean, scipy's Gaussian filter;
2. the convolution theorem - the product of the spectra, and the direct sum;
3. finding a pattern (a solar cycle) - numpy's correlation coefficients;
4. identifying a snippet of a synthetic song, played noisy and 1.5% fast;
5. an AR model of the sunspots - statsmodels' ``AutoReg``;
6. a learned convolution that recovers AR coefficients - ``fit_ar``'s least squares;
7. the airline ARIMA(0,1,1)(0,1,1)[12] - statsmodels' ``ARIMA``.

On an empty numba cache the kernels compile on first use (about a minute of
CPU, half of it the ARIMA likelihood and optimiser, a quarter the learned
convolution); two more processes compile those into the cache while the
first steps run, so that a first run on a fresh two-core machine stays
under a minute.

:func:`run` returns the steps; :func:`write_report` writes them as an HTML page
with one picture per step (the ``plot`` extra).  Both are what the command
line calls; nothing here is public API.
"""
from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPORT = "index.html"


@dataclass
class Step:
    """One step of the tour: what it shows, what it printed, how it was checked."""

    title: str
    text: str
    lines: list = field(default_factory=list)
    checks: list = field(default_factory=list)     # (what, |difference|, tolerance)
    figure: object = None                           # a matplotlib Figure, or None
    seconds: float = 0.0

    def check(self, what, difference, tolerance):
        self.checks.append((what, float(difference), float(tolerance)))

    @property
    def passed(self):
        return all(diff <= tol for _, diff, tol in self.checks)


def _figure(width=8.0, height=4.0):
    """A new matplotlib Figure, or None without matplotlib (no pyplot: no GUI)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure(figsize=(width, height), layout="constrained")


def _max_abs(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))


# ------------------------------------------------------------------------- steps
def smoothing():
    import pandas as pd
    from scipy.ndimage import gaussian_filter1d
    from statsmodels.datasets import nile

    import sigconv

    data = nile.load_pandas().data
    flow = pd.Series(data["volume"].to_numpy(dtype=float),
                     index=pd.Index(data["year"].to_numpy().astype(int), name="year"),
                     name="Nile flow")
    mean5 = sigconv.moving_average(flow, 5, center=True, min_periods=1).rename("5-year mean")
    gauss = sigconv.gaussian_smooth(flow, 2.0, truncate=3.0, boundary="nearest").rename(
        "Gaussian, sigma = 2 years")
    step = Step("Smoothing a real series",
                "The annual flow of the Nile at Aswan (1871-1970), smoothed by two kernels: "
                "a centred 5-year mean and a Gaussian with sigma = 2 years.  The drop after "
                "the Aswan dam works of 1898 stands out once the year-to-year noise is gone.")
    table = pd.concat([flow, mean5, gauss], axis=1).iloc[::20]
    step.lines += table.to_string(float_format=lambda v: f"{v:.1f}").splitlines()
    step.check("5-year mean vs pandas rolling(5, center=True, min_periods=1).mean()",
               _max_abs(mean5, flow.rolling(5, center=True, min_periods=1).mean()), 1e-9)
    step.check("Gaussian vs scipy.ndimage.gaussian_filter1d(mode='nearest')",
               _max_abs(gauss, gaussian_filter1d(flow.to_numpy(), 2.0, mode="nearest",
                                                 truncate=3.0)), 1e-9)
    fig = _figure()
    if fig is not None:
        from . import plot

        ax = plot.smoothed(flow, mean5, gauss, ax=fig.add_subplot(),
                           title="Nile at Aswan: annual flow and two smoothings")
        ax.set_ylabel("flow ($10^8$ m$^3$ per year)")
        step.figure = fig
    return step


def convolution_theorem():
    import sigconv
    from sigconv import kernels

    rng = np.random.default_rng(0)
    n = 1 << 19
    noise = rng.normal(size=n)
    timings = []          # (taps, direct ms, FFT ms, auto's choice)
    for sigma in (5.0, 40.0, 1000.0):
        k = kernels.gaussian(sigma)
        row = [k.weights.size]
        for method in ("direct", "fft"):
            sigconv.convolve(noise[:4096], k, "same", method=method)     # compiled already
            start = time.perf_counter()
            sigconv.convolve(noise, k, "same", method=method)
            row.append((time.perf_counter() - start) * 1e3)
        timings.append(row + [sigconv.choose_method(n, k.weights.size)])
    # A slow and a fast cycle in noise; the kernel keeps the first, removes the second.
    t = np.arange(4000)
    x = np.sin(2 * np.pi * 0.01 * t) + 0.5 * np.sin(2 * np.pi * 0.12 * t) + 0.5 * noise[:t.size]
    kernel = kernels.gaussian(4.0)
    direct = sigconv.convolve(x, kernel, "full", method="direct")
    spectral = sigconv.convolve(x, kernel, "full", method="fft")
    size = x.size + kernel.weights.size - 1
    product = np.fft.rfft(x, size) * np.fft.rfft(kernel.weights, size)
    step = Step("The convolution theorem",
                "Convolving is multiplying spectra: the DFT of x * k is the DFT of x times "
                "the DFT of k.  So a kernel is a filter with a gain per frequency, and a long "
                "kernel is cheaper through the FFT.  The picture shows a slow cycle (0.01 "
                "cycles per sample) and a fast one (0.12) in noise: a Gaussian kernel with "
                "sigma = 4 samples keeps the first and removes the second.")
    step.lines.append(f"white noise, {n:,} samples; time to convolve (ms):")
    step.lines.append(f"{'taps':>8s} {'direct':>9s} {'FFT':>9s}   method='auto' picks")
    step.lines += [f"{taps:8d} {t_direct:9.1f} {t_fft:9.1f}   {auto}"
                   for taps, t_direct, t_fft, auto in timings]
    scale = np.max(np.abs(product))
    step.check("DFT(x * k) vs DFT(x) DFT(k), relative to the peak",
               np.max(np.abs(np.fft.rfft(direct) - product)) / scale, 1e-12)
    step.check("FFT method vs direct sum, relative to the peak",
               _max_abs(spectral, direct) / np.max(np.abs(direct)), 1e-12)
    fig = _figure()
    if fig is not None:
        from . import plot

        ax = plot.kernel_response(kernel, x, ax=fig.add_subplot())
        ax.set_title("Convolution theorem: filtering multiplies the spectrum by the "
                     "kernel's gain")
        step.figure = fig
    return step


def _sunspots():
    import pandas as pd
    from statsmodels.datasets import sunspots

    data = sunspots.load_pandas().data
    return pd.Series(data["SUNACTIVITY"].to_numpy(dtype=float),
                     index=pd.Index(data["YEAR"].to_numpy().astype(int), name="year"),
                     name="sunspots")


def autoregression():
    from statsmodels.tsa.ar_model import AutoReg

    import sigconv

    y = _sunspots()
    chosen = sigconv.fit_ar(y, method="ols", ic="aic")
    reference = AutoReg(y.to_numpy(), chosen.order, trend="c").fit()
    forecast = chosen.forecast(20)
    step = Step("An AR model of the sunspots",
                f"Yearly sunspot numbers (1700-2008): AR(p) by least squares with p chosen "
                f"by AIC (p = {chosen.order}), and a 20-year forecast with 80% and 95% "
                "intervals.  An AR model is a convolution of the past with the "
                "coefficients; its forecasts run that convolution forward.")
    step.lines += [f"order by AIC: {chosen.order}",
                   "coefficients: " + " ".join(f"{c:+.3f}" for c in chosen.coef),
                   (f"forecast for {forecast.index[0]}: {forecast['mean'].iloc[0]:.1f} "
                   f"(95%: {forecast['lower_95'].iloc[0]:.1f} to "
                   f"{forecast['upper_95'].iloc[0]:.1f})")]
    step.check("AR coefficients vs statsmodels AutoReg(trend='c')",
               _max_abs(chosen.coef, reference.params[1:]), 1e-8)
    step.check("one-step forecast vs AutoReg",
               abs(forecast["mean"].iloc[0] - reference.forecast(1)[0]), 1e-6)
    fig = _figure()
    if fig is not None:
        from . import plot

        plot.forecast(y, forecast, last=120, ax=fig.add_subplot(),
                      title=f"Sunspots: AR({chosen.order}) forecast with intervals")
        step.figure = fig
    return step


def airline():
    import warnings

    from statsmodels.tsa.arima.model import ARIMA as Reference

    from . import datasets
    from .arima import ARIMA

    y = np.log(datasets.airpassengers()).rename("log passengers")
    fit = ARIMA((0, 1, 1), (0, 1, 1, 12)).fit(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Reference(y.to_numpy(), order=(0, 1, 1), seasonal_order=(0, 1, 1, 12))
        model.use_exact_diffuse = True       # the exact likelihood, as ours and R's
        model.loglikelihood_burn = 0
        model.initialize_default()
        reference = model.fit()
    forecast = fit.forecast(24)
    passengers = np.exp(forecast[[c for c in forecast.columns if c != "se"]])
    step = Step("The airline model: ARIMA(0,1,1)(0,1,1)[12]",
                "Box and Jenkins' monthly airline passengers (1949-1960), in logs.  The "
                "differences (1 - B)(1 - B^12) and the moving-average polynomials are "
                "kernels; the model is their composition, fitted by exact maximum "
                "likelihood (a Kalman filter).  Forecasts are for the next two years, "
                "back on the passengers' scale.")
    params = fit.params
    step.lines += [f"{name:10s} {value:+.5f}" for name, value in params.items()]
    step.lines += [f"log-likelihood {fit.llf:.4f}"]
    ours = np.array([params["ma.L1"], params["ma.S.L12"]])
    step.check("MA coefficients vs statsmodels ARIMA (exact diffuse)",
               _max_abs(ours, reference.params[:2]), 1e-3)
    # statsmodels leaves out the 0.5 log(2 pi) of each of the d + D s = 13 diffuse states.
    step.check("log-likelihood vs statsmodels, + 6.5 log(2 pi)",
               abs(fit.llf - (reference.llf + 6.5 * np.log(2 * np.pi))), 1e-2)
    fig = _figure()
    if fig is not None:
        from . import plot

        ax = plot.forecast(np.exp(y).rename("passengers"), passengers, last=72,
                           ax=fig.add_subplot(),
                           title="Airline passengers: ARIMA(0,1,1)(0,1,1)[12] forecast")
        ax.set_ylabel("passengers (thousands per month)")
        ax.set_xlabel("month")
        step.figure = fig
    return step


def pattern():
    from numpy.lib.stride_tricks import sliding_window_view

    import sigconv

    y = _sunspots()
    template = y.loc[1954:1964].to_numpy()
    scores = sigconv.ncc(y, template)
    matches = sigconv.find_matches(y, template, threshold=0.8)
    windows = sliding_window_view(y.to_numpy(), template.size)
    reference = np.array([np.corrcoef(w, template)[0, 1] for w in windows])
    step = Step("Finding a pattern",
                "One solar cycle (1954-1964, minimum to minimum) slid along the sunspot "
                "record: z-normalised cross-correlation scores every start, and the best "
                "non-overlapping windows scoring at least 0.8 are the other cycles.")
    step.lines += [f"{len(matches)} cycles found, starting in "
                   + ", ".join(str(t) for t in sorted(matches["time"]))]
    step.check("NCC vs numpy.corrcoef of each window",
               _max_abs(np.asarray(scores), reference), 1e-10)
    fig = _figure()
    if fig is not None:
        from . import plot

        ax = plot.match_scores(scores, matches, ax=fig.add_subplot(),
                               title="Sunspots: correlation with the 1954-1964 cycle")
        ax.set_xlabel("start year of the window")
        step.figure = fig
    return step


def song_snippet():
    from .audio import SongLibrary, distort, synth

    sr = 8000
    pieces = synth.songs(6, duration=20.0, sr=sr, seed=11)
    names = [f"song {i + 1}" for i in range(len(pieces))]
    library = SongLibrary()
    for name, piece in zip(names[:5], pieces[:5]):
        library.add(piece, sr, song=name)
    rng = np.random.default_rng(0)
    start = 7.25
    snippet = pieces[2][int(start * sr):int((start + 5.0) * sr)]
    snippet, rate = distort.speed(snippet, sr, factor=1.015)
    snippet, rate = distort.white_noise(snippet, rate, snr_db=0.0, rng=rng)
    found = library.identify(snippet, rate)
    stranger = library.identify(pieces[5][int(4 * sr):int(9 * sr)], sr)
    step = Step("Identifying a song snippet",
                "Five synthetic songs (20 s each) are indexed by the onset envelopes of "
                "their band energies.  A 5-second snippet of song 3 from 7.25 s, played "
                "1.5% fast with white noise as loud as the music (0 dB SNR), is found by "
                "cross-correlating envelopes; a snippet of a sixth song, not in the "
                "library, gets no match.")
    step.lines += [
        (f"noisy, fast snippet -> {found.song} at {found.offset_s:.3f} s "
        f"(speed {found.speed:.3f}, score {found.score:.2f}, confidence {found.confidence:.2f})"),
        f"song not in the library -> {_found_text(stranger)}",
    ]
    step.check("song found (0 = right)", 0.0 if found.song == names[2] else 1.0, 0.0)
    step.check("offset error in seconds", abs(found.offset_s - start), 0.05)
    step.check("unknown song gives no match (0 = right)",
               0.0 if stranger.song is None else 1.0, 0.0)
    return step


def _found_text(match):
    return "no match" if match.song is None else f"{match.song} at {match.offset_s:.3f} s"


def _train_causal_conv(z, p, steps):
    """A causal ``Conv1d(1, 1, p)`` trained by full-batch Adam so that its output at
    ``t`` predicts ``z[t + 1]``: ``(layer, final loss)``."""
    from .nn import Adam, Conv1d, mse

    conv = Conv1d(1, 1, p, bias=False, seed=0)
    optimiser = Adam(conv, lr=0.05)
    x, target = z[None, None, :-1], z[None, None, p:]
    grad = np.zeros_like(x)
    loss = np.nan
    for _ in range(steps):
        optimiser.zero_grad()
        loss, g = mse(conv(x)[..., p - 1:], target)   # earlier outputs see zero padding
        grad[..., p - 1:] = g
        conv.backward(grad)
        optimiser.step()
    return conv, loss


def learned_kernel():
    import sigconv

    from .nn import kernel_as_ar

    coef = np.array([0.6, -0.4, 0.2])
    rng = np.random.default_rng(1)
    y = np.asarray(sigconv.recursive_filter(rng.normal(size=3200), coef))[200:]
    z = (y - y.mean()) / y.std()
    p = coef.size
    conv, loss = _train_causal_conv(z, p, steps=300)
    learned = kernel_as_ar(conv)
    ols = sigconv.fit_ar(y, p, method="ols")
    step = Step("A learned convolution",
                "A causal convolution with 3 taps, trained by gradient descent (Adam, "
                "sigconv's own numba forward and backward passes) to predict the next value "
                "of an AR(3) series, learns the AR coefficients: the flipped kernel is "
                "phi_1..phi_3.")
    step.lines += ["true      " + " ".join(f"{c:+.3f}" for c in coef),
                   "learned   " + " ".join(f"{c:+.3f}" for c in learned),
                   "fit_ar    " + " ".join(f"{c:+.3f}" for c in ols.coef),
                   f"final loss {float(loss):.4f} (noise variance / series variance)"]
    step.check("learned kernel vs least-squares AR fit", _max_abs(learned, ols.coef), 0.02)
    fig = _figure()
    if fig is not None:
        from . import plot

        plot.learned_kernel(learned, ols, ax=fig.add_subplot(),
                            labels=("learned Conv1d kernel", "fit_ar (least squares)"))
        step.figure = fig
    return step


STEPS = (smoothing, convolution_theorem, pattern, song_snippet, autoregression,
         learned_kernel, airline)


def _compile_airline():
    """Fit the airline model once: compiles the ARIMA kernels into numba's cache."""
    from . import datasets
    from .arima import ARIMA

    ARIMA((0, 1, 1), (0, 1, 1, 12)).fit(np.log(datasets.airpassengers()))


def _compile_learned_kernel():
    """Train a tiny causal convolution: compiles the Conv1d kernels into the cache."""
    _train_causal_conv(np.random.default_rng(0).normal(size=64), 3, steps=2)


# Kernels only one step uses, with what compiles them: (step, module of sigconv._core,
# two of its kernels, compiling function).  A second process per row compiles them into
# numba's cache while the earlier steps run; since no other step touches these
# kernels, two processes never write the same cache entry.
_BACKGROUND = (
    (airline, "arima", ("fit_one", "ml_fit"), "_compile_airline"),
    (learned_kernel, "conv1d", ("conv1d_forward", "_backward_weight"), "_compile_learned_kernel"),
)


def _cached(module, names):
    """Whether numba's cache holds an index file for each of the named kernels."""
    import importlib

    from ._warmup import has_cache_index

    core = importlib.import_module(f"sigconv._core.{module}")
    return all(has_cache_index(getattr(core, name)) for name in names)


def _start_compiling():
    """``{step: process}`` compiling the kernels of :data:`_BACKGROUND` that the cache
    lacks (a step missing here compiles in this process, as usual)."""
    import subprocess
    import sys

    started = {}
    for step, module, names, function in _BACKGROUND:
        if _cached(module, names):
            continue
        try:
            started[step] = subprocess.Popen(
                [sys.executable, "-c", f"from sigconv.demo import {function}; {function}()"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            pass
    return started


# ------------------------------------------------------------------- run, report
def run(echo=print):
    """Run every step, echoing each as it finishes; return the list of Steps."""
    compiling = _start_compiling()
    steps = []
    try:
        for number, make in enumerate(STEPS, 1):
            start = time.perf_counter()
            if make in compiling:
                compiling.pop(make).wait()
            step = make()
            step.seconds = time.perf_counter() - start
            steps.append(step)
            for line in summary(step, number):
                echo(line)
    finally:
        for process in compiling.values():
            process.kill()
            process.wait()
    return steps


def summary(step, number):
    """The lines printed for one step."""
    lines = [f"{number}. {step.title}  ({step.seconds:.1f} s)"]
    lines += [f"   {line}" for line in step.lines]
    for what, diff, tol in step.checks:
        verdict = "ok" if diff <= tol else "FAILED"
        lines.append(f"   check: {what}: {diff:.2g} (tolerance {tol:g}) {verdict}")
    return lines + [""]


def write_report(steps, out):
    """Write ``out/index.html`` and one PNG per step with a figure; return the page's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sections = []
    for number, step in enumerate(steps, 1):
        picture = ""
        if step.figure is not None:
            name = f"step{number}.png"
            step.figure.savefig(out / name, dpi=110, metadata={"Software": None})
            picture = f'<img src="{name}" alt="{html.escape(step.title)}">'
        rows = "".join(
            f"<tr><td>{html.escape(what)}</td><td>{diff:.2g}</td><td>{tol:g}</td>"
            f"<td class={'ok' if diff <= tol else 'bad'}>{'ok' if diff <= tol else 'FAILED'}"
            "</td></tr>" for what, diff, tol in step.checks)
        sections.append(
            f"<section><h2>{number}. {html.escape(step.title)}</h2>"
            f"<p>{html.escape(step.text)}</p>{picture}"
            f"<pre>{html.escape(chr(10).join(step.lines))}</pre>"
            "<table><tr><th>cross-check</th><th>|difference|</th><th>tolerance</th><th></th>"
            f"</tr>{rows}</table><p class=time>{step.seconds:.1f} s</p></section>")
    total = sum(step.seconds for step in steps)
    page = out / REPORT
    page.write_text(_PAGE.format(sections="\n".join(sections), total=total), encoding="utf-8")
    return page


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sigconv demo</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }}
img {{ max-width: 100%; border: 1px solid #ddd; }}
pre {{ background: #f6f6f6; padding: 0.6em; overflow-x: auto; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; }}
.ok {{ color: #060; }} .bad {{ color: #b00; font-weight: bold; }} .time {{ color: #777; }}
</style></head><body>
<h1>sigconv: a tour in seven convolutions</h1>
<p>Each step runs sigconv on data shipped with sigconv or statsmodels and checks the answer
against an independent implementation.  Total time {total:.1f} s.</p>
{sections}
</body></html>
"""
