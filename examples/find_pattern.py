"""Find a recurring shape in a series: the solar cycles in the yearly sunspot numbers.

Usage::

    python examples/find_pattern.py [--out DIR]

The template is one solar cycle, 1954 to 1964 (cycle 19, from one minimum to the
next), slid along the yearly sunspot numbers of 1700-2008.  The script prints the
cycles ``find_matches`` finds and how far each lies from a minimum of the series;
checks ``distance_profile`` against ``sqrt(2 m (1 - ncc))`` and a long-double
reference; scores templates of 5 to 23 years at once with ``match_many``;
estimates the delay between a signal and a delayed, filtered, noisy copy with
``lag`` (``method="ncc"`` and ``"phat"``); and feeds the sunspots to a
``StreamMatcher`` a year at a time and in random chunks.  It draws
``DIR/match_sunspots.png``, ``match_distance.png``, ``match_many.png``,
``match_lag.png`` and ``match_stream.png`` (default ``docs/img`` in the
repository).  Needs matplotlib and statsmodels (for the data).  Deterministic:
the signals of the ``lag`` section and the random chunks are drawn from seeded
generators.
"""
from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pandas as pd
from _figures import GREY, draw_all, save
from matplotlib.figure import Figure
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal
from statsmodels.datasets import sunspots

import sigconv
from sigconv import kernels
from sigconv.match import StreamMatcher, distance_profile, find_matches, lag, match_many, ncc

TEMPLATE_YEARS = (1954, 1964)   # cycle 19, minimum to minimum
THRESHOLD = 0.8
MANY = {"rise (1954-58)": (1954, 1958), "cycle 19 (1954-64)": (1954, 1964),
        "cycle 4 (1784-98)": (1784, 1798), "cycles 19-20 (1954-76)": (1954, 1976)}
LAG_N, LAG_PAD, DELAY, ECHO_AFTER, ECHO_GAIN = 4000, 300, 17.4, 8.0, 0.7
N_TRIALS = 100


@cache
def load():
    """Yearly sunspot numbers, 1700-2008, indexed by the year (an integer)."""
    df = sunspots.load_pandas().data
    return pd.Series(df["SUNACTIVITY"].to_numpy(), index=df["YEAR"].astype(int),
                     name="sunspots")


def template():
    return load().loc[TEMPLATE_YEARS[0]:TEMPLATE_YEARS[1]]


@cache
def matches():
    return find_matches(load(), template(), threshold=THRESHOLD)


def minima():
    """The cycle minima: years with the lowest value within 5 years either side (the
    first of a tie), where a whole template still fits in the series."""
    x = load()
    v, years = x.to_numpy(), x.index.to_numpy()
    found = []
    for i in range(v.size):
        if v[i] == v[max(i - 5, 0):i + 6].min() and not (found and years[i] - found[-1] <= 5):
            found.append(int(years[i]))
    last_start = years[-len(template())]
    return np.array([y for y in found if y <= last_start])


def long_double_reference(x, t):
    """ncc and the z-normalised distance, window by window in extended precision
    (two-pass means and standard deviations)."""
    w = sliding_window_view(np.asarray(x, dtype=np.longdouble), len(t))
    t = np.asarray(t, dtype=np.longdouble)
    wz = (w - w.mean(axis=1, keepdims=True)) / w.std(axis=1, keepdims=True)
    tz = (t - t.mean()) / t.std()
    correlation = wz @ tz / len(t)
    distance = np.sqrt(((wz - tz) ** 2).sum(axis=1))
    return correlation.astype(np.float64), distance.astype(np.float64)


# ---------------------------------------------------------------------------
# lag: two signals with a known delay
# ---------------------------------------------------------------------------

def delayed(x, d):
    """``x`` delayed by ``d`` samples (fractional), as a phase ramp: circular, so the
    callers drop ``LAG_PAD`` samples at each end."""
    f = np.fft.rfftfreq(x.size)
    return np.fft.irfft(np.fft.rfft(x) * np.exp(-2j * np.pi * f * d), x.size)


def lowpass_pair(seed):
    """White noise, and a copy delayed by DELAY, smoothed by a Gaussian kernel
    (sigma 2 samples, zero phase) and buried in as much white noise (0 dB)."""
    rng = np.random.default_rng(seed)
    source = rng.normal(size=LAG_N + 2 * LAG_PAD)
    copy = sigconv.convolve(delayed(source, DELAY), kernels.gaussian(2.0), mode="same",
                            boundary="reflect")[LAG_PAD:-LAG_PAD]
    return source[LAG_PAD:-LAG_PAD], copy + rng.normal(0, copy.std(), LAG_N)


def echo_pair(seed):
    """A red (AR(1), phi 0.95) signal, and a copy delayed by DELAY plus an echo
    ECHO_AFTER samples later at ECHO_GAIN, in white noise of 0.3 its std."""
    rng = np.random.default_rng(seed)
    source = sigconv.recursive_filter(rng.normal(size=LAG_N + 2 * LAG_PAD), [0.95])
    copy = delayed(source, DELAY) + ECHO_GAIN * delayed(source, DELAY + ECHO_AFTER)
    copy = copy[LAG_PAD:-LAG_PAD]
    return source[LAG_PAD:-LAG_PAD], copy + rng.normal(0, 0.3 * copy.std(), LAG_N)


PAIRS = {"low-passed copy in noise": lowpass_pair, "copy with an echo": echo_pair}


def cross_correlations(x, y):
    """Both scores of every lag k (y[t] ~ x[t - k]), each scaled to a peak of 1:
    scipy.signal.correlate(y, x) and its phase-only (PHAT) version."""
    xc, yc = x - x.mean(), y - y.mean()
    lags = signal.correlation_lags(y.size, x.size)
    plain = signal.correlate(yc, xc)
    size = 2 * max(x.size, y.size)
    cross = np.fft.rfft(yc, size) * np.conj(np.fft.rfft(xc, size))
    phat = np.fft.irfft(cross / np.abs(cross), size)[lags % size]
    return lags, plain / plain.max(), phat / phat.max()


@cache
def lag_trials():
    """lag() of both methods on N_TRIALS draws of each pair: errors from DELAY."""
    return {name: {method: np.array([lag(*make(seed), max_lag=100, method=method)
                                     for seed in range(N_TRIALS)]) - DELAY
                   for method in ("ncc", "phat")}
            for name, make in PAIRS.items()}


# ---------------------------------------------------------------------------
# StreamMatcher: the sunspots, a year at a time and in random chunks
# ---------------------------------------------------------------------------

def chunkings():
    n = len(load())
    cuts = np.sort(np.random.default_rng(0).choice(np.arange(1, n), 19, replace=False))
    return {"a year at a time": np.arange(1, n), "20 random chunks": cuts}


@cache
def stream(name):
    """Every match the stream emits, with ``seen``: the samples received by then."""
    values = load().to_numpy()
    cuts = chunkings()[name]
    matcher = StreamMatcher(template(), threshold=THRESHOLD)
    tables = []
    for chunk, seen in zip(np.split(values, cuts), np.r_[cuts, values.size], strict=True):
        tables.append(matcher.process(chunk).assign(seen=seen))
    tables.append(matcher.flush().assign(seen=values.size))
    return pd.concat(tables, ignore_index=True)


# ---------------------------------------------------------------------------
# The printed report
# ---------------------------------------------------------------------------

def report_matches():
    x, t, found = load(), template(), matches()
    m = len(t)
    profile = ncc(x, t)
    with warnings.catch_warnings():   # the default leaves no match here: we show why
        warnings.simplefilter("ignore", UserWarning)
        default = find_matches(x, t)
    print(f"Yearly sunspot numbers, {x.index[0]}-{x.index[-1]} ({len(x)} years); template: "
          f"cycle 19, {TEMPLATE_YEARS[0]}-{TEMPLATE_YEARS[1]} ({m} years)\n")
    print(f"ncc profile: {profile.notna().sum()} windows, median {profile.median():.3f}; "
          "the default threshold,\nmedian + 6 x 1.4826 x MAD, is "
          f"{default.attrs['threshold']:.2f} > 1: {len(default)} matches (the scores of a "
          "periodic series\nare not a noise background with a few outliers).")
    years = x.index[found["start"]].to_numpy()
    lows = minima()
    offsets = np.array([years[np.argmin(np.abs(years - y))] - y for y in lows])
    print(f"find_matches(x, template, threshold={THRESHOLD}): {len(found)} matches "
          f"(exclusion {m // 2} years), scores {found['score'].min():.3f} to "
          f"{found['score'].max():.3f}.")
    print(f"The series has {len(lows)} cycle minima (lowest value within 5 years) where a "
          f"whole template fits:\nevery one has a match starting {offsets.min():+d} to "
          f"{offsets.max():+d} years from it ({np.mean(offsets == 0):.0%} in the same year, "
          f"{np.mean(np.abs(offsets) <= 1):.0%} within a year).")
    print("Matches by start year (score):")
    in_order = found.sort_values("start")
    cells = [f"{x.index[s]} ({v:.2f})" for s, v in zip(in_order["start"], in_order["score"],
                                                       strict=True)]
    for i in range(0, len(cells), 7):
        print("  " + "  ".join(cells[i:i + 7]))
    print()


def report_distance():
    x, t = load(), template()
    m = len(t)
    reference, reference_distance = long_double_reference(x, t)
    profile = ncc(x, t).to_numpy()
    distance = distance_profile(x, t).to_numpy()
    own = x.index.get_loc(TEMPLATE_YEARS[0])
    others = np.arange(distance.size) != own
    print("distance_profile: the z-normalised Euclidean distance sqrt(2 m (1 - ncc))")
    print("  against window-by-window long-double references: ncc to "
          f"{np.abs(profile - reference).max():.1e}, distance to "
          f"{np.abs(distance - reference_distance)[others].max():.1e}")
    print(f"  except at the template's own window: {distance[own]:.1e}, not 0 (the square "
          f"root turns\n  ncc = 1 - {1 - profile[own]:.0e} into that)")
    print(f"  threshold {THRESHOLD} in ncc is distance <= sqrt(2 x {m} x {1 - THRESHOLD:.1f}) = "
          f"{np.sqrt(2 * m * (1 - THRESHOLD)):.3f}; the same windows pass: "
          f"{np.array_equal(profile >= THRESHOLD, distance <= np.sqrt(2 * m * (1 - THRESHOLD)))}")
    scaled = 1e8 + 1e3 * x
    print(f"  ncc(1e8 + 1000 x) against ncc(x): max difference "
          f"{np.abs(ncc(scaled, t).to_numpy() - profile).max():.1e} (gain and offset\n"
          "  do not change a correlation)\n")


def report_many():
    x = load()
    templates = {name: x.loc[a:b].to_numpy() for name, (a, b) in MANY.items()}
    profiles = match_many(x, templates)
    print(f"match_many: {len(templates)} templates in one call, each against the whole "
          f"series (threshold {THRESHOLD}):")
    for name, t in templates.items():
        alone = ncc(x, t).to_numpy()
        found = find_matches(x, t, threshold=THRESHOLD).sort_values("start")
        gap = np.abs(profiles[name].to_numpy() - alone).max()
        print(f"  {name:<23s} m = {len(t):2d}: {len(found):2d} matches; equal to ncc(x, t) to "
              f"{gap:.0e}")
        if len(found) <= 8:
            print("    starting " + " ".join(str(y) for y in x.index[found["start"]]))
    print()


def report_lag():
    print(f"lag(x, y): the delay d of y[t] ~ x[t - d]; true d = {DELAY}, {LAG_N} samples, "
          f"max_lag=100")
    trials = lag_trials()
    for name, make in PAIRS.items():
        x, y = make(0)
        lags, plain, _ = cross_correlations(x, y)
        window = np.abs(lags) <= 100
        peak = lags[window][np.argmax(plain[window])]
        print(f"  {name}: ncc {lag(x, y, max_lag=100):.3f}, phat "
              f"{lag(x, y, max_lag=100, method='phat'):.3f} (peak of scipy.signal.correlate"
              f"(y, x) at lag {peak})")
        for method, errors in trials[name].items():
            print(f"    {method:<4s} over {N_TRIALS} draws: bias {errors.mean():+.3f}, "
                  f"rms error {np.sqrt(np.mean(errors ** 2)):.3f}, largest "
                  f"{np.abs(errors).max():.2f} samples")
    x, y = lowpass_pair(0)
    print(f"  and the sign: lag(y, x) = {lag(y, x, max_lag=100):.3f}\n")


def report_stream():
    reference = matches().sort_values("start").reset_index(drop=True)
    exclusion = len(template()) // 2
    print(f"StreamMatcher(template, threshold={THRESHOLD}) fed the {len(load())} years in "
          "pieces, then flush():")
    for name in chunkings():
        found = stream(name).sort_values("start").reset_index(drop=True)
        same = np.array_equal(found["start"], reference["start"])
        gap = np.abs(found["score"].to_numpy() - reference["score"].to_numpy()).max()
        print(f"  {name}: {len(found)} matches, the same starts as find_matches: {same}, "
              f"scores to {gap:.0e}")
    late = stream("a year at a time").pipe(lambda t: t["seen"] - t["end"])
    counts = ", ".join(f"{n} after {k}" for k, n in late.value_counts().sort_index().items())
    print(f"  a year at a time, the years from a match's last year to its report: {counts}\n"
          f"  (final once every window starting within exclusion = {exclusion} years of it "
          "is scored: 5 years\n  after its end, later when a rival of its cluster starts "
          "after it; the last by flush())")


def report(out):
    """Print the report.  (draw_all hands every step the output directory; this one
    writes nothing there.)"""
    report_matches()
    report_distance()
    report_many()
    report_lag()
    report_stream()
    print()


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

def shade(ax, x, found, alpha=0.3):
    """Shade the matched windows, two tones in turn: consecutive cycles' windows touch."""
    in_order = found.sort_values("start")
    for i, (start, end) in enumerate(zip(in_order["start"], in_order["end"], strict=True)):
        ax.axvspan(x.index[start] - 0.5, x.index[end - 1] + 0.5, color=("C2", "C8")[i % 2],
                   alpha=alpha, lw=0)


def fig_sunspots(out):
    x, t, found = load(), template(), matches()
    profile = ncc(x, t)
    with warnings.catch_warnings():   # the default leaves no match here: we show why
        warnings.simplefilter("ignore", UserWarning)
        default = find_matches(x, t).attrs["threshold"]
    fig = Figure(figsize=(8, 4.6), layout="constrained")
    axes = fig.subplots(2, 2, width_ratios=[3.2, 1])
    ax = axes[0, 0]
    shade(ax, x, found)
    ax.plot(x.index, x, color="k", lw=0.8)
    ax.plot(t.index, t, color="C0", lw=1.6, label="template: cycle 19")
    ax.axvspan(np.nan, np.nan, color="C2", alpha=0.3, lw=0,
               label=f"the {len(found)} windows matched (ncc >= {THRESHOLD})")
    ax.set_title("Yearly sunspot numbers and the windows that match one cycle")
    ax.set_ylabel("sunspot number")
    ax.legend(frameon=False, loc="upper left")
    ax.set_xlim(x.index[0] - 2, x.index[-1] + 2)

    ax = axes[0, 1]
    ax.plot(t.index - t.index[0], t, "o-", color="C0", ms=3)
    ax.set_title(f"Template ({len(t)} years)")
    ax.set_xlabel(f"years after {t.index[0]}")

    ax = axes[1, 0]
    ax.plot(profile.index, profile, color="C0", lw=0.9)
    ax.axhline(THRESHOLD, color="C3", lw=0.8, ls="--", label=f"threshold {THRESHOLD}")
    ax.plot(x.index[found["start"]], found["score"], "v", color="C2", ms=4,
            label="matches (best first, exclusion 5 years)")
    ax.set_title("ncc: the correlation of the template with the window starting each year")
    ax.set_xlabel("first year of the window")
    ax.set_ylabel("ncc")
    ax.set_ylim(-1.05, 1.6)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_xlim(x.index[0] - 2, x.index[-1] + 2)
    ax.legend(frameon=False, loc="upper left", ncols=2)

    ax = axes[1, 1]
    ax.hist(profile.dropna(), bins=np.linspace(-1, 1, 41), orientation="horizontal",
            color=GREY)
    ax.axhline(profile.median(), color="k", lw=0.8, ls=":", label="median")
    ax.axhline(THRESHOLD, color="C3", lw=0.8, ls="--", label=f"threshold {THRESHOLD}")
    ax.set_ylim(-1.05, 1.6)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_title(f"Scores (the default\nthreshold is {default:.2f})")
    ax.set_xlabel("windows")
    ax.legend(frameon=False, loc="upper right", ncols=2, handlelength=1.2, columnspacing=0.8)
    save(fig, out, "match_sunspots.png")


def fig_distance(out):
    x, t = load(), template()
    m = len(t)
    distance = distance_profile(x, t)
    found = matches()
    limit = np.sqrt(2 * m * (1 - THRESHOLD))
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
    ax1.plot(distance.index, distance, color="C1", lw=0.9)
    ax1.axhline(limit, color="C3", lw=0.8, ls="--",
                label=rf"$\sqrt{{2m(1-{THRESHOLD})}}$ = {limit:.2f}")
    ax1.axhline(np.sqrt(2 * m), color=GREY, lw=0.8, ls=":",
                label=r"$\sqrt{2m}$: uncorrelated")
    ax1.plot(x.index[found["start"]], distance.iloc[found["start"]], "^", color="C2", ms=4,
             label="matches")
    ax1.set_title(f"distance_profile: z-normalised Euclidean distance (m = {m})")
    ax1.set_xlabel("first year of the window")
    ax1.set_ylim(0, 8.6)
    ax1.legend(frameon=False, loc="upper left", ncols=3)

    def z(v):
        v = np.asarray(v, dtype=float)
        return (v - v.mean()) / v.std()

    years = np.arange(m)
    ax2.plot(years, z(t), "o-", color="C0", ms=3, lw=1.6,
             label=f"template: {t.index[0]}, peak {t.max():.0f}")
    order = found.sort_values("score")
    others = order[order["start"] != x.index.get_loc(TEMPLATE_YEARS[0])]
    picks = {"best other": int(others["start"].iloc[-1]),
             "worst match": int(order["start"].iloc[0]),
             "farthest": int(np.nanargmax(distance.to_numpy()))}
    for (label, start), color in zip(picks.items(), ("C2", "C8", "C3"), strict=True):
        window = x.iloc[start:start + m]
        ax2.plot(years, z(window), "o-", color=color, ms=2.5, lw=0.9,
                 label=f"{label}: {x.index[start]}, peak {window.max():.0f}, "
                       f"d = {distance.iloc[start]:.2f}")
    ax2.set_title("z-normalised windows: shape, not size")
    ax2.set_xlabel("years into the window")
    ax2.legend(frameon=False, loc="upper right", fontsize=6.5)
    ax2.set_ylim(-2.2, 4.2)
    save(fig, out, "match_distance.png")


def fig_many(out):
    x = load()
    templates = {name: x.loc[a:b] for name, (a, b) in MANY.items()}
    profiles = match_many(x, {name: t.to_numpy() for name, t in templates.items()})
    fig = Figure(figsize=(8, 5.2), layout="constrained")
    grid = fig.add_gridspec(len(templates), 2, width_ratios=[1, 3.4])
    for i, (name, t) in enumerate(templates.items()):
        color = f"C{i}"
        ax = fig.add_subplot(grid[i, 0])
        ax.plot(t.index - t.index[0], t, "o-", color=color, ms=2, lw=1)
        ax.set_xlim(-1, 23)
        ax.set_ylim(0, 200)
        ax.set_title(name, loc="left")
        if i < len(templates) - 1:
            ax.tick_params(labelbottom=False)
        ax = fig.add_subplot(grid[i, 1])
        profile = profiles[name]
        found = find_matches(x, t, threshold=THRESHOLD)
        ax.plot(profile.index, profile, color=color, lw=0.9)
        ax.axhline(THRESHOLD, color="C3", lw=0.6, ls="--")
        ax.plot(x.index[found["start"]], found["score"], "v", color="k", ms=3)
        ax.set_ylim(-1.05, 1.2)
        ax.set_xlim(x.index[0] - 2, x.index[-1] + 2)
        ax.set_title(f"m = {len(t)}: {len(found)} matches at ncc >= {THRESHOLD}", loc="left")
        if i < len(templates) - 1:
            ax.tick_params(labelbottom=False)
    fig.axes[-2].set_xlabel("years after the template's first")
    fig.axes[-1].set_xlabel("first year of the window")
    fig.suptitle("match_many: four templates of 5 to 23 years scored in one call", size=9)
    save(fig, out, "match_many.png")


def fig_lag(out):
    fig = Figure(figsize=(8, 4.6), layout="constrained")
    axes = fig.subplots(2, 2, width_ratios=[1.5, 1])
    trials = lag_trials()
    for row, (name, make) in zip(axes, PAIRS.items(), strict=True):
        x, y = make(0)
        ax = row[0]
        span = slice(1000, 1200)
        t = np.arange(LAG_N)[span]
        ax.plot(t, x[span] / x.std(), color="k", lw=0.8)
        ax.plot(t, y[span] / y.std() - 5, color="C0", lw=0.8)
        for level, label in ((0, "x"), (-5, "y")):
            ax.text(t[-1] + 3, level, label, va="center")
        ax.set_title(f"{name}: y = x delayed {DELAY}" +
                     (", smoothed, + noise" if "low" in name else
                      f" + {ECHO_GAIN} x delayed {DELAY + ECHO_AFTER}, + noise"), loc="left")
        ax.set_yticks([])
        ax = row[1]
        lags, plain, phat = cross_correlations(x, y)
        near = np.abs(lags - DELAY) <= 30
        ax.plot(lags[near], plain[near], "o-", color="C0", ms=2, lw=0.9, label="ncc")
        ax.plot(lags[near], phat[near], "o-", color="C1", ms=2, lw=0.9, label="phat")
        ax.axvline(DELAY, color="k", lw=0.8, ls=":", label=f"true {DELAY}")
        for method, color in (("ncc", "C0"), ("phat", "C1")):
            estimate = lag(x, y, max_lag=100, method=method)
            errors = trials[name][method]
            ax.axvline(estimate, color=color, lw=0.8, ls="--",
                       label=f"{method}: {estimate:.2f} (rms {np.sqrt(np.mean(errors ** 2)):.2f})")
        ax.set_title("cross-correlations, peak scaled to 1")
        ax.legend(frameon=False, loc="upper left", fontsize=6.5)
        ax.set_ylim(-0.35, 1.6)
    axes[1, 0].set_xlabel("sample")
    axes[1, 1].set_xlabel("lag k (y[t] ~ x[t - k])")
    save(fig, out, "match_lag.png")


def fig_stream(out):
    x = load()
    found = stream("a year at a time")
    fig = Figure(figsize=(8, 3.8), layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, height_ratios=[1.6, 1], sharex=True)
    ax1.plot(x.index, x, color="k", lw=0.8)
    in_order = found.sort_values("start")
    for i, (start, end, seen) in enumerate(zip(in_order["start"], in_order["end"],
                                               in_order["seen"], strict=True)):
        level = (-25, -45)[i % 2]
        first, last, now = x.index[start], x.index[end - 1], x.index[seen - 1]
        ax1.plot([first - 0.4, last + 0.4], [level, level], color="C2", lw=3,
                 solid_capstyle="butt", label="window matched" if i == 0 else None)
        ax1.plot([last + 0.4, now], [level, level], color="C3", lw=0.9,
                 label="wait until final" if i == 0 else None)
        ax1.plot(now, level, "|", color="C3", ms=6)
    ax1.set_title("StreamMatcher fed a year at a time: each match of find_matches, reported "
                  "once final")
    ax1.set_ylabel("sunspot number")
    ax1.set_yticks([0, 50, 100, 150])
    ax1.legend(frameon=False, loc="upper left", ncols=2)
    ax1.set_ylim(-60, 215)
    total = len(matches())
    for name, color in zip(chunkings(), ("C0", "C1"), strict=True):
        table = stream(name)
        counts = np.cumsum(np.bincount(table["seen"], minlength=len(x) + 1))[1:]
        ax2.step(x.index, counts, where="post", color=color, lw=1, label=name)
    ax2.axhline(total, color=GREY, lw=0.8, ls=":", label=f"find_matches: {total}")
    ax2.set_ylabel("matches reported")
    ax2.set_ylim(0, total + 9)
    ax2.set_xlabel("year received")
    ax2.legend(frameon=False, loc="upper left", ncols=3)
    ax2.set_xlim(x.index[0] - 2, x.index[-1] + 2)
    save(fig, out, "match_stream.png")


FIGURES = (fig_sunspots, fig_distance, fig_many, fig_lag, fig_stream)


def main(argv=None):
    draw_all((report, *FIGURES), __doc__, argv)


if __name__ == "__main__":
    main()
