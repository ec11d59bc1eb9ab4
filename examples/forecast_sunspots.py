"""Fit an autoregressive model to the yearly sunspot numbers and forecast ten years.

Usage::

    python examples/forecast_sunspots.py [--out DIR]

Chooses the order by AIC with Yule-Walker (Burg, OLS and exact MLE fits of the
same order shown beside it), checks the Yule-Walker, Burg and OLS fits and the
OLS order against statsmodels, prints a 10-year forecast with 80% and 95%
intervals and, if matplotlib is importable, draws the series, the forecast and
its intervals to ``DIR/ar_forecast.png`` (default ``docs/img`` in the repository).
The data come with statsmodels; nothing is random.
"""
from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _figures import DEFAULT_OUT
from statsmodels.datasets import sunspots
from statsmodels.regression.linear_model import burg, yule_walker
from statsmodels.tsa.ar_model import AutoReg, ar_select_order

import sigconv

HORIZON = 10
METHODS = ("yule_walker", "burg", "ols", "mle")


def load_sunspots():
    """Yearly sunspot numbers, 1700-2008, indexed by the year (an integer)."""
    df = sunspots.load_pandas().data
    return pd.Series(df["SUNACTIVITY"].to_numpy(), index=df["YEAR"].astype(int),
                     name="sunspots")


def fit_all(x):
    """The Yule-Walker fit with the order chosen by AIC, and the other methods at that order."""
    chosen = sigconv.fit_ar(x, method="yule_walker", ic="aic")
    fits = {"yule_walker": chosen}
    for method in METHODS[1:]:
        fits[method] = sigconv.fit_ar(x, chosen.order, method=method)
    return chosen, fits


def cross_check(x, fits):
    """Max abs differences from statsmodels: rows of (method, reference, coef, sigma2), and
    that of AutoReg's constant from the OLS intercept.  (The exact MLE matches
    ``ARIMA(x, order=(p, 0, 0))`` to the optimisers' tolerance; see docs/ar.md.)"""
    p = fits["yule_walker"].order
    v = x.to_numpy()
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # yule_walker's return type
        coef, sigma = yule_walker(v, p, method="mle")
    rows.append(("yule_walker", f'yule_walker(x, {p}, method="mle")', coef, sigma ** 2))
    coef, sigma2 = burg(v, p)
    rows.append(("burg", f"burg(x, {p})", coef, sigma2))
    autoreg = AutoReg(v, p, trend="c").fit()
    rows.append(("ols", f"AutoReg(x, {p}).fit()", autoreg.params[1:], autoreg.sigma2))
    table = [(method, ref, np.abs(fits[method].coef - c).max(), abs(fits[method].sigma2 - s2))
             for method, ref, c, s2 in rows]
    return table, abs(autoreg.params[0] - fits["ols"].intercept)


def ols_orders(x):
    """The OLS order chosen by sigconv and by statsmodels' ar_select_order (AIC)."""
    ours = sigconv.fit_ar(x, method="ols", ic="aic")
    max_order = len(ours.ic) - 1
    selected = ar_select_order(x.to_numpy(), maxlag=max_order, ic="aic", trend="c")
    theirs = len(selected.ar_lags) if selected.ar_lags else 0
    return ours.order, theirs, max_order


def report(x, chosen, fits):
    p = chosen.order
    print(f"Yearly sunspot numbers, {x.index[0]}-{x.index[-1]} ({len(x)} years)\n")
    print(f"Order chosen by AIC (Yule-Walker, orders 0..{len(chosen.ic) - 1}): {p}")
    ic = chosen.ic - chosen.ic.min()
    print("AIC - min(AIC) by order: "
          + ", ".join(f"{k}: {v:.1f}" for k, v in ic.loc[max(p - 3, 0):p + 3].items()) + "\n")

    params = pd.DataFrame({m: fit.params for m, fit in fits.items()})
    params.loc["intercept"] = [fit.intercept for fit in fits.values()]
    print(f"AR({p}) fits (const is the process mean; intercept = mean (1 - sum coef)):")
    print(params.to_string(float_format=lambda v: f"{v:9.4f}") + "\n")

    table, d_intercept = cross_check(x, fits)
    print("Cross-check against statsmodels (max abs difference):")
    print(f"  {'method':<12s} {'statsmodels':<34s} {'coef':>8s} {'sigma2':>8s}")
    for method, ref, d_coef, d_sigma2 in table:
        print(f"  {method:<12s} {ref:<34s} {d_coef:8.1e} {d_sigma2:8.1e}")
    print(f"  {'ols':<12s} {'AutoReg const vs intercept':<34s} {d_intercept:8.1e}")
    ours, theirs, max_order = ols_orders(x)
    same = "same" if ours == theirs else "DIFFERENT"
    print(f"  OLS order by AIC, orders 0..{max_order}: fit_ar {ours}, "
          f'ar_select_order(x, {max_order}, ic="aic") {theirs} ({same})\n')

    forecast = chosen.forecast(HORIZON, level=(80, 95))
    print(f"{HORIZON}-year forecast, Yule-Walker AR({p}), normal 80% and 95% intervals:")
    columns = ["mean", "se", "lower_95", "lower_80", "upper_80", "upper_95"]
    print(forecast[columns].rename_axis("year").to_string(float_format=lambda v: f"{v:8.1f}"))
    return forecast


def draw(x, fits, forecast, out):
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    style = {"font.size": 8, "axes.titlesize": 9, "legend.fontsize": 7, "xtick.labelsize": 7,
             "ytick.labelsize": 7, "lines.linewidth": 1.2, "axes.spines.top": False,
             "axes.spines.right": False}
    chosen = fits["yule_walker"]
    with rc_context(style):
        fig = Figure(figsize=(8, 3), layout="constrained")
        ax1, ax2 = fig.subplots(1, 2, width_ratios=[2.2, 1])
        recent = x.loc[1940:]
        ax1.plot(recent.index, recent, color="k", lw=0.9, label="observed")
        years = forecast.index
        ax1.fill_between(years, forecast["lower_95"], forecast["upper_95"], color="C0",
                         alpha=0.2, lw=0, label="95% interval")
        ax1.fill_between(years, forecast["lower_80"], forecast["upper_80"], color="C0",
                         alpha=0.35, lw=0, label="80% interval")
        ax1.plot(years, forecast["mean"], "o-", color="C0", ms=2.5,
                 label=f"forecast, Yule-Walker AR({chosen.order})")
        for method, color in (("burg", "C1"), ("ols", "C2")):
            mean = fits[method].forecast(HORIZON)["mean"]
            ax1.plot(mean.index, mean, "--", color=color, lw=0.9, label=f"{method} forecast")
        ax1.axhline(0, color="0.6", lw=0.6)
        ax1.set_title(f"Sunspot numbers and a {HORIZON}-year forecast")
        ax1.set_xlabel("year")
        ax1.set_ylabel("sunspot number")
        ax1.legend(frameon=False, loc="upper left", ncols=2)
        ax1.set_ylim(-60, 260)

        h = np.arange(1, 41)
        se = chosen.forecast(h.size)["se"].to_numpy()
        ax2.plot(h, se, "o-", ms=2.5, label=r"$se_h = \sigma\,\sqrt{\sum_{j<h}\psi_j^2}$")
        ax2.axhline(np.sqrt(chosen.sigma2), color="0.6", lw=0.8, ls=":",
                    label=r"$\sigma$ (one step ahead)")
        ax2.axhline(x.std(ddof=0), color="k", lw=0.8, ls="--", label="sd of the series")
        ax2.set_title("Forecast standard error")
        ax2.set_xlabel("horizon h (years)")
        ax2.set_ylim(0, 48)
        ax2.legend(frameon=False, loc="lower right")
        path = out / "ar_forecast.png"
        fig.savefig(path, dpi=100, metadata={"Software": None})
    print(f"\nwrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"directory for the PNG (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    x = load_sunspots()
    chosen, fits = fit_all(x)
    forecast = report(x, chosen, fits)
    try:
        import matplotlib
    except ImportError:
        print("\nmatplotlib is not installed: no figure (pip install matplotlib)")
        return
    matplotlib.use("Agg")
    args.out.mkdir(parents=True, exist_ok=True)
    draw(x, fits, forecast, args.out)


if __name__ == "__main__":
    main()
