"""Forecast the yearly sunspot numbers with a temporal convolutional network, against AR.

Usage::

    python examples/forecast_conv.py [--out DIR] [--search]

Part 1 (acceptance): a single linear causal ``Conv1d(1, 1, 3, bias=False)``
trained with Adam on a simulated AR(3) series; ``kernel_as_ar`` reads its
kernel as AR coefficients, printed beside ``fit_ar(method="ols")``'s.

Part 2: the sunspot numbers 1700-2008 (statsmodels), split into the first 80%
for training and the last 20% (62 years) for testing.  The AR model chosen by
``sigconv.fit_ar`` (Yule-Walker, order by AIC) on the training years and a
``ConvForecaster`` (configuration ``CONFIG``) both forecast the whole test span
from its start; the script prints both RMSEs, their ratio, and the spread over
seeds 0-9.  ``--search`` reruns the search that chose ``CONFIG``: every
candidate forecasts 49 years (the last 20% of the training years' length)
from three origins inside the training years (after 1847, 1872 and 1897),
with three or five seeds, scored by its RMSE relative to the AR model fitted
on the same years, in two rounds (``SEARCH``; about 10 minutes); the test
years are never looked at.

Writes ``DIR/nn_ar_kernel.png`` and ``DIR/nn_sunspots.png`` (default
``docs/img``).  Needs matplotlib and statsmodels.  Deterministic.
"""
from __future__ import annotations

import argparse
import itertools
import time
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from _figures import DEFAULT_OUT, GREY, STYLE, save
from statsmodels.datasets import sunspots

import sigconv
from sigconv.nn import Adam, Conv1d, mse
from sigconv.nn.forecaster import ConvForecaster, kernel_as_ar

AR_COEF = (0.6, -0.4, 0.2)
AR_N = 5000
TEST_FRACTION = 0.2
CONFIG = {"lags": 40, "horizon": 30, "channels": (16, 16, 16), "kernel_size": 3,
          "strategy": "recursive", "lr": 1e-3, "batch_size": 64, "epochs": 300,
          "patience": 20, "validation_fraction": 0.2}      # chosen by --search
SEEDS = range(10)
# --search: round 1 over a coarse grid; round 2 varies lags, horizon and patience around
# round 1's best.  Every other option as in CONFIG; (grid, seeds) per round.
SEARCH = [
    ({"lags": (12, 20, 30), "channels": ((16, 16), (16, 16, 16), (32, 32)),
      "strategy, horizon": (("recursive", 10), ("recursive", 20), ("direct", 10)),
      "lr": (1e-3, 3e-3), "patience": (30,)}, range(3)),
    ({"lags": (30, 40), "horizon": (20, 30), "patience": (20, 40)}, range(5)),
]


# ------------------------------------------------------------------ part 1: AR from a kernel
@cache
def ar_recovery():
    """A causal linear conv trained on AR(3) data: (true, OLS, conv coefficients, seconds)."""
    rng = np.random.default_rng(7)
    y = sigconv.recursive_filter(rng.normal(size=AR_N + 200), list(AR_COEF))[200:]
    ols = sigconv.fit_ar(y, len(AR_COEF), method="ols").coef
    start = time.perf_counter()
    p = len(AR_COEF)
    z = (y - y.mean()) / y.std()
    conv = Conv1d(1, 1, p, bias=False, seed=0)
    optimiser = Adam(conv, lr=0.05)
    x, target = z[None, None, :-1], z[None, None, p:]
    grad = np.zeros_like(x)
    for _ in range(400):         # full-batch steps; out[t] predicts z[t + 1]
        optimiser.zero_grad()
        _, g = mse(conv(x)[..., p - 1:], target)   # the first p - 1 outputs see padding
        grad[..., p - 1:] = g
        conv.backward(grad)
        optimiser.step()
    return np.array(AR_COEF), ols, kernel_as_ar(conv), time.perf_counter() - start


def report_recovery():
    true, ols, conv, seconds = ar_recovery()
    print(f"AR({true.size}) recovered by a linear causal Conv1d(1, 1, {true.size}, bias=False), "
          f"{AR_N} samples, 400 full-batch Adam steps (lr 0.05, {seconds:.1f} s):")
    table = pd.DataFrame({"true": true, "fit_ar ols": ols, "conv kernel": conv,
                          "|conv - ols|": np.abs(conv - ols)},
                         index=[f"phi_{j}" for j in range(1, true.size + 1)])
    print(table.to_string(formatters={"|conv - ols|": lambda v: f"{v:13.1e}"},
                          float_format=lambda v: f"{v:9.4f}"))
    print(f"max |conv - ols| = {np.abs(conv - ols).max():.1e} (acceptance: <= 0.02)\n")


# ------------------------------------------------------------------ part 2: sunspots
def load_sunspots():
    """Yearly sunspot numbers, 1700-2008, indexed by the year (an integer)."""
    df = sunspots.load_pandas().data
    return pd.Series(df["SUNACTIVITY"].to_numpy(), index=df["YEAR"].astype(int),
                     name="sunspots")


def split(x, fraction=TEST_FRACTION):
    n_test = round(fraction * len(x))
    return x.iloc[:-n_test], x.iloc[-n_test:]


def rmse(forecast, truth):
    return float(np.sqrt(np.mean((np.asarray(forecast) - np.asarray(truth)) ** 2)))


@cache
def sunspot_forecasts():
    x = load_sunspots()
    train, test = split(x)
    ar = sigconv.fit_ar(train)
    ar_forecast = ar.forecast(len(test))["mean"]
    fits = {}
    for seed in SEEDS:
        start = time.perf_counter()
        model = ConvForecaster(**CONFIG, seed=seed).fit(train)
        forecast = model.predict(len(test))
        fits[seed] = (model, forecast, time.perf_counter() - start)
    return x, train, test, ar, ar_forecast, fits


def report_sunspots():
    _, train, test, ar, ar_forecast, fits = sunspot_forecasts()
    ar_rmse = rmse(ar_forecast, test)
    print(f"Sunspots: train {train.index[0]}-{train.index[-1]} ({len(train)} years), test "
          f"{test.index[0]}-{test.index[-1]} ({len(test)} years), every model forecasting "
          f"1-{len(test)} years ahead from {train.index[-1]}")
    print("ConvForecaster(" + ", ".join(f"{k}={v!r}" for k, v in CONFIG.items()) + ")\n")
    model, forecast, seconds = fits[0]
    rows = [(f"AR({ar.order}) Yule-Walker, order by AIC (fit_ar)", ar_rmse, ""),
            ("ConvForecaster, seed 0", rmse(forecast, test),
             f"best epoch {model.best_epoch}, {seconds:.1f} s"),
            ("mean of the training years", rmse(np.full(len(test), train.mean()), test), "")]
    print(f"  {'model':<44s} {'RMSE':>6s} {'/ AR':>6s}")
    for name, value, note in rows:
        print(f"  {name:<44s} {value:6.2f} {value / ar_rmse:6.3f}  {note}")
    scores = np.array([rmse(f, test) for _, f, _ in fits.values()])
    print(f"\nConvForecaster over seeds {SEEDS[0]}-{SEEDS[-1]}: RMSE " + ", ".join(
        f"{s:.1f}" for s in scores))
    print(f"  ratio to AR: median {np.median(scores) / ar_rmse:.3f}, best "
          f"{scores.min() / ar_rmse:.3f}, worst {scores.max() / ar_rmse:.3f}; "
          f"{int((scores <= 1.1 * ar_rmse).sum())} of {scores.size} within 1.1; "
          f"mean of the {scores.size} forecasts: "
          f"{rmse(np.mean([f for _, f, _ in fits.values()], axis=0), test) / ar_rmse:.3f}")
    print(f"  fit time: {np.median([s for _, _, s in fits.values()]):.1f} s median, best "
          f"epochs {sorted(m.best_epoch for m, _, _ in fits.values())}\n")


def search():
    """The validation search inside the training years (see the module docstring)."""
    train, _ = split(load_sunspots())
    y = train.to_numpy()
    h = round(TEST_FRACTION * len(y))
    ends = [len(y) - h - 50, len(y) - h - 25, len(y) - h]   # 1847, 1872, 1897 for 247 years
    ar_scores = {e: rmse(sigconv.fit_ar(y[:e]).forecast(h)["mean"], y[e:e + h]) for e in ends}
    print(f"Search: forecasting {h} years after {[int(train.index[e - 1]) for e in ends]} "
          f"(AR RMSE {', '.join(f'{v:.1f}' for v in ar_scores.values())})")
    best = {}
    for round_, (grid, seeds) in enumerate(SEARCH, 1):
        rows = []
        for values in itertools.product(*grid.values()):
            options = dict(best)
            for names, value in zip(grid, values):
                options.update(zip(names.split(", "), value) if ", " in names
                               else [(names, value)])
            start = time.perf_counter()
            ratios = [rmse(ConvForecaster(**{**CONFIG, **options}, seed=s).fit(y[:e])
                           .predict(h), y[e:e + h]) / ar_scores[e] for e in ends for s in seeds]
            rows.append({**options, "mean ratio": np.mean(ratios), "median": np.median(ratios),
                         "worst": np.max(ratios), "seconds": time.perf_counter() - start})
        table = pd.DataFrame(rows).sort_values("mean ratio")
        best = {k: v for k, v in rows[table.index[0]].items()
                if k not in ("mean ratio", "median", "worst", "seconds")}
        print(f"Round {round_}, seeds {seeds[0]}-{seeds[-1]}, RMSE / AR RMSE over the "
              f"{len(ends)} origins and seeds (best first):")
        print(table.head(10).to_string(index=False, float_format=lambda v: f"{v:.3f}") + "\n",
              flush=True)
    print("Chosen: " + ", ".join(f"{k}={v!r}" for k, v in best.items()) + "\n")


# ------------------------------------------------------------------ figures
def draw_kernel(out):
    from matplotlib.figure import Figure

    true, ols, conv, _ = ar_recovery()
    fig = Figure(figsize=(4.2, 2.6), layout="constrained")
    ax = fig.subplots()
    j = np.arange(1, true.size + 1)
    width = 0.27
    ax.bar(j - width, true, width, color=GREY, label="true")
    ax.bar(j, ols, width, color="C0", label="fit_ar(method='ols')")
    ax.bar(j + width, conv, width, color="C1", label="kernel_as_ar(conv)")
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xticks(j, [f"$\\phi_{k}$" for k in j])
    ax.set_title(f"AR({true.size}) coefficients from a trained causal conv kernel")
    ax.legend(frameon=False, loc="upper right")
    save(fig, out, "nn_ar_kernel.png")


def draw_sunspots(out):
    from matplotlib.figure import Figure

    x, train, test, ar, ar_forecast, fits = sunspot_forecasts()
    model, forecast, _ = fits[0]
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[2.4, 1])
    recent = x.loc[1900:]
    ax1.plot(recent.index, recent, color="k", lw=0.9, label="observed")
    ax1.axvline(train.index[-1] + 0.5, color=GREY, lw=0.8, ls=":")
    others = np.array([f.to_numpy() for _, f, _ in list(fits.values())[1:]])
    ax1.fill_between(test.index, others.min(axis=0), others.max(axis=0), color="C1",
                     alpha=0.15, lw=0, label=f"ConvForecaster, seeds 1-{len(fits) - 1} (range)")
    ax1.plot(forecast.index, forecast, color="C1",
             label=f"ConvForecaster, seed 0 (RMSE {rmse(forecast, test):.1f})")
    ax1.plot(ar_forecast.index, ar_forecast, color="C0", ls="--",
             label=f"AR({ar.order}), fit_ar (RMSE {rmse(ar_forecast, test):.1f})")
    ax1.set_title(f"Sunspots: {len(test)}-year forecasts from {train.index[-1]}")
    ax1.set_xlabel("year")
    ax1.set_ylabel("sunspot number")
    ax1.set_ylim(-20, 260)
    ax1.legend(frameon=False, loc="upper left", ncols=2)

    history = model.history
    ax2.plot(history.index, history["train"], color="C1", label="training windows")
    ax2.plot(history.index, history["validation"], color="C1", ls="--",
             label=f"validation: {CONFIG['horizon']}-step recursive")
    ax2.axvline(model.best_epoch, color=GREY, lw=0.8, ls=":", label="best epoch (kept)")
    ax2.set_ylim(0, None)
    ax2.set_title("Loss by epoch, seed 0")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("MSE, standardised series")
    ax2.legend(frameon=False, loc="lower left")
    save(fig, out, "nn_sunspots.png")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"directory for the PNGs (default {DEFAULT_OUT})")
    parser.add_argument("--search", action="store_true",
                        help="rerun the hyperparameter search on the training years (slow)")
    args = parser.parse_args(argv)
    report_recovery()
    if args.search:
        search()
    report_sunspots()
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed: no figures (pip install matplotlib)")
        return
    matplotlib.use("Agg")
    args.out.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(STYLE):
        draw_kernel(args.out)
        draw_sunspots(args.out)


if __name__ == "__main__":
    main()
