"""Fit Box and Jenkins' airline model to the log AirPassengers and forecast two years.

Usage::

    python examples/forecast_airline.py [--out DIR]

The model is ARIMA(0,1,1)(0,1,1)[12] on the logarithm of the monthly airline
passengers, 1949-1960.  The script prints the model as composed kernels and
rebuilds the CSS residuals from them with ``convolve`` and
``recursive_filter``; prints the maximum likelihood estimates beside
statsmodels' (with the exact diffuse initialisation, evaluated at sigconv's
estimates as well as fitted) and R's; prints a 24-month forecast back on the
passenger scale; and draws ``DIR/arima_airline_forecast.png``,
``DIR/arima_kernels.png`` and ``DIR/arima_diagnostics.png`` (default
``docs/img`` in the repository).  Needs matplotlib and statsmodels; the data
ship with sigconv.  Deterministic: nothing is random.
"""
from __future__ import annotations

import math
import warnings
from functools import cache

import numpy as np
import pandas as pd
from _figures import GREY, draw_all, save
from matplotlib.figure import Figure
from statsmodels.tsa.arima.model import ARIMA as StatsmodelsARIMA

import sigconv
from sigconv import Kernel, datasets, kernels
from sigconv.arima import ARIMA

ORDER = (0, 1, 1)
SEASONAL_ORDER = (0, 1, 1, 12)
HORIZON = 24
N_DIFFUSE = ORDER[1] + SEASONAL_ORDER[1] * SEASONAL_ORDER[3]   # d + D s = 13
# R 4.2.2: arima(log(AirPassengers), c(0, 1, 1), seasonal = c(0, 1, 1), method = "ML")
# and method = "CSS".  R's diffuse prior is approximate (kappa = 1e6).
R_ML = {"ma.L1": -0.40182678, "ma.S.L12": -0.55694664, "sigma2": 0.0013480345,
        "llf": 244.6995306}
R_ML_BSE = {"ma.L1": 0.0896440, "ma.S.L12": 0.0730995}
R_CSS = {"ma.L1": -0.37716244, "ma.S.L12": -0.57237906, "sigma2": 0.0013887499,
         "llf": 245.0665614}


def load():
    """log AirPassengers, 1949-01 to 1960-12, on a month-start DatetimeIndex."""
    return np.log(datasets.airpassengers()).rename("log_passengers")


@cache
def fit(method):
    return ARIMA(ORDER, SEASONAL_ORDER, method=method).fit(load())


def statsmodels_exact():
    """statsmodels' ARIMA with the exact diffuse initialisation and no burn-in: its
    log-likelihood plus 0.5 log(2 pi) (d + D s) is the exact likelihood of the
    differenced series."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = StatsmodelsARIMA(load().to_numpy(), order=ORDER, seasonal_order=SEASONAL_ORDER)
    model.use_exact_diffuse = True
    model.loglikelihood_burn = 0
    model.initialize_default()
    return model


def cell(value, se=None, digits=6):
    """A value and its standard error in brackets, 23 characters."""
    bracket = "" if se is None else f"({se:.4g})"
    return f"{value:<11.{digits}g} {bracket:<11s}"


def nonzero(k, digits=4):
    return ", ".join(f"{lag}: {w:+.{digits}f}" for lag, w in zip(k.lags, k.weights, strict=True)
                     if w != 0)


# ---------------------------------------------------------------------------
# The printed report
# ---------------------------------------------------------------------------

def report_kernels():
    y = load()
    result = fit("ml")
    k = result.kernels
    theta, big_theta = result.params["ma.L1"], result.params["ma.S.L12"]
    print(f"log AirPassengers, {y.index[0]:%Y-%m} to {y.index[-1]:%Y-%m} ({len(y)} months)\n")
    print("The airline model (1 - B)(1 - B^12) y[t] = (1 + theta B)(1 + Theta B^12) e[t] as "
          "kernels\n(maximum likelihood fit; lag: weight, zero weights left out):")
    composed = kernels.difference(1) @ kernels.seasonal_difference(12, 1)
    print(f"  difference      (1 - B)(1 - B^12), {len(k.difference)} taps: "
          f"{nonzero(k.difference, 0)}")
    print(f"                  == difference(1) @ seasonal_difference(12): "
          f"{composed == k.difference}")
    print(f"  ar              phi(B) Phi(B^12): {nonzero(k.ar, 0)} (no AR terms)")
    print(f"  generalized_ar  ar @ difference, {len(k.generalized_ar)} taps: "
          f"{nonzero(k.generalized_ar, 0)}")
    ma = Kernel([1.0, theta], origin=0) @ Kernel(np.r_[1.0, np.zeros(11), big_theta], origin=0)
    print(f"  ma              theta(B) Theta(B^12), {len(k.ma)} taps: {nonzero(k.ma)}")
    print(f"                  == [1, theta] @ [1, 0 x 11, Theta]: {ma == k.ma} "
          f"(lag 13: theta Theta = {theta * big_theta:+.4f})")
    psi = (kernels.inverse(k.generalized_ar, 48) @ k.ma).weights[:48]
    print("  psi-weights     ma / generalized_ar: inverse(generalized_ar, 48) @ ma == "
          f"psi_weights(48) to {np.abs(psi - result.psi_weights(48)).max():.0e}")
    print(f"                  psi_1..11 = 1 + theta = {psi[1]:.4f}, psi_12 = {psi[12]:.4f}, "
          f"psi_13..23 = {psi[13]:.4f}, psi_24 = {psi[24]:.4f}\n")

    css = fit("css")
    kc = css.kernels
    w = sigconv.convolve(y, kc.generalized_ar, mode="valid")      # labelled by position 13..
    e = sigconv.recursive_filter(w, -kc.ma.weights[1:])          # 1 / ma(B) from zero
    resid = css.resid.dropna()
    gap = np.abs(e.to_numpy() - resid.to_numpy()).max()
    print("CSS residuals rebuilt from the kernels of the CSS fit:")
    print('  w = convolve(y, generalized_ar, mode="valid")   '
          f"{len(w)} values, from {y.index[w.index[0]]:%Y-%m}")
    print("  e = recursive_filter(w, -ma.weights[1:])        "
          "e[t] = w[t] - theta e[t-1] - ... - theta Theta e[t-13]")
    print(f"  result.resid: {css.resid.isna().sum()} leading NaN, then {len(resid)} values; "
          f"max |e - resid| = {gap:.1e}\n")


def report_estimates():
    ml, css = fit("ml"), fit("css")
    model = statsmodels_exact()
    at_ours = model.loglike(ml.params.to_numpy())
    constant = 0.5 * math.log(2 * math.pi) * N_DIFFUSE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = model.fit()
        filtered = model.filter(ml.params.to_numpy())
        sm_forecast = filtered.get_forecast(HORIZON)
    theirs_llf = theirs.llf + constant

    names = list(ml.params.index)
    print("Maximum likelihood: sigconv, statsmodels (exact diffuse) and R "
          "(standard errors in brackets)")
    print(f"  {'':<9s} {'sigconv':<23s} {'statsmodels fit':<23s} R arima")
    for i, name in enumerate(names):
        cells = [(ml.params[name], ml.bse[name]), (theirs.params[i], theirs.bse[i]),
                 (R_ML[name], R_ML_BSE.get(name))]
        print((f"  {name:<9s} " + " ".join(cell(v, s) for v, s in cells)).rstrip())
    llfs = (ml.llf, theirs_llf, R_ML["llf"])
    print((f"  {'llf':<9s} " + " ".join(cell(v, digits=10) for v in llfs)).rstrip())
    print(f"  AIC {ml.aic:.4f}, AICc {ml.aicc:.4f}, BIC {ml.bic:.4f} "
          f"({ml.nobs} observations after differencing)")
    print(f"  statsmodels' fit (L-BFGS, 50 iterations at most) stops {ml.llf - theirs_llf:.1e} "
          "below the optimum.")
    print("  sigconv's standard errors: observed information (numerical Hessian), as R; "
          "statsmodels'\n  default is the outer product of gradients (OPG).")
    print("  statsmodels' llf above is its fit's plus 0.5 log(2 pi) (d + D s); "
          "R's prior is approximate\n  (kappa = 1e6), hence 244.6995 against the exact "
          f"{ml.llf:.4f}.\n")
    print("statsmodels' exact-diffuse log-likelihood at sigconv's estimates:")
    print(f"  mod.loglike(params) + 0.5 log(2 pi) x {N_DIFFUSE} = {at_ours:.6f} + "
          f"{constant:.6f} = {at_ours + constant:.6f}")
    print(f"  sigconv llf = {ml.llf:.6f} (difference {ml.llf - at_ours - constant:.1e})")
    ours = ml.forecast(HORIZON)
    print(f"  {HORIZON}-month forecast against statsmodels' at the same parameters: mean to "
          f"{np.abs(ours['mean'].to_numpy() - sm_forecast.predicted_mean).max():.0e}, "
          f"se to {np.abs(ours['se'].to_numpy() - sm_forecast.se_mean).max():.0e}\n")

    print("Conditional sum of squares (method=\"css\") against R's arima(method=\"CSS\"):")
    print(f"  {'':<9s} {'sigconv':>14s} {'R':>14s}")
    for name in names + ["llf"]:
        ours_value = css.llf if name == "llf" else css.params[name]
        print(f"  {name:<9s} {ours_value:>14.10g} {R_CSS[name]:>14.10g}")
    print()


def report_forecast():
    result = fit("ml")
    forecast = result.forecast(HORIZON, level=(80, 95))
    psi = result.psi_weights(HORIZON)
    se_psi = np.sqrt(result.sigma2 * np.cumsum(psi ** 2))
    print(f"{HORIZON}-month forecast (thousands of passengers: exp of the forecast of the "
          "log, the median;\nse on the log scale, about the relative error):")
    table = pd.DataFrame({"median": np.exp(forecast["mean"]), "se_log": forecast["se"]})
    for level in (95, 80):
        table[f"lower_{level}"] = np.exp(forecast[f"lower_{level}"])
    for level in (80, 95):
        table[f"upper_{level}"] = np.exp(forecast[f"upper_{level}"])
    table.index = table.index.strftime("%Y-%m")
    print(table.rename_axis("month").to_string(
        formatters={"se_log": "{:.4f}".format},
        float_format=lambda v: f"{v:7.1f}"))
    print(f"se_h against sigma sqrt(sum_{{j<h}} psi_j^2): max relative difference "
          f"{np.abs(se_psi / forecast['se'].to_numpy() - 1).max():.1e}\n(the exact filter "
          "adds the error of the final state, nearly zero after 131 months)")


def report(out):
    """Print the tables.  (draw_all hands every step the output directory; this one
    writes nothing there.)"""
    report_kernels()
    report_estimates()
    report_forecast()
    print()


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

def stem(ax, lags, values, color="C0"):
    markers, stems, _ = ax.stem(lags, values, basefmt=" ")
    markers.set_markersize(3)
    markers.set_color(color)
    stems.set_linewidth(1)
    stems.set_color(color)
    ax.axhline(0, color=GREY, lw=0.6)


def fig_forecast(out):
    y = load()
    result = fit("ml")
    forecast = result.forecast(HORIZON, level=(80, 95))
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[2.2, 1])
    recent = np.exp(y.loc["1956":])
    ax1.plot(recent.index, recent, color="k", lw=0.9, label="observed")
    months = forecast.index
    ax1.fill_between(months, np.exp(forecast["lower_95"]), np.exp(forecast["upper_95"]),
                     color="C0", alpha=0.2, lw=0, label="95% interval")
    ax1.fill_between(months, np.exp(forecast["lower_80"]), np.exp(forecast["upper_80"]),
                     color="C0", alpha=0.35, lw=0, label="80% interval")
    ax1.plot(months, np.exp(forecast["mean"]), "o-", color="C0", ms=2.5,
             label="forecast: exp of the ARIMA(0,1,1)(0,1,1)[12] forecast of the log")
    ax1.set_title(f"Airline passengers since 1956 and a {HORIZON}-month forecast")
    ax1.set_xlabel("month")
    ax1.set_ylabel("passengers (thousands)")
    ax1.legend(frameon=False, loc="upper left")

    h = np.arange(1, HORIZON + 1)
    psi = result.psi_weights(HORIZON)
    ax2.plot(h, forecast["se"], "o-", ms=2.5, label="se_h of forecast()")
    ax2.plot(h, np.sqrt(result.sigma2 * np.cumsum(psi ** 2)), "x", color="C3", ms=4,
             label=r"$\sigma\,\sqrt{\sum_{j<h}\psi_j^2}$")
    ax2.axhline(math.sqrt(result.sigma2), color=GREY, lw=0.8, ls=":",
                label=r"$\sigma$ (one step ahead)")
    ax2.set_title("Forecast standard error (log scale)")
    ax2.set_xlabel("horizon h (months)")
    ax2.set_ylim(0, None)
    ax2.legend(frameon=False, loc="upper left")
    save(fig, out, "arima_airline_forecast.png")


def fig_kernels(out):
    result = fit("ml")
    k = result.kernels
    n_psi = 49
    psi = result.psi_weights(n_psi)
    fig = Figure(figsize=(8, 2.8), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1, 1, 1.5])
    stem(ax1, k.generalized_ar.lags, k.generalized_ar.weights)
    ax1.set_title("generalized_ar: (1 - B)(1 - B^12)")
    ax1.set_xlabel("lag j (months)")
    ax1.set_ylabel("weight")
    stem(ax2, k.ma.lags, k.ma.weights, color="C2")
    ax2.set_title(r"ma: $\theta(B)\,\Theta(B^{12})$")
    ax2.set_xlabel("lag j (months)")
    ax2.annotate(r"$\theta\Theta$", xy=(13, k.ma.weights[13]), xytext=(9.5, 0.55),
                 arrowprops={"arrowstyle": "->", "lw": 0.8})
    for ax in (ax1, ax2):
        ax.set_xticks([0, 1, 12, 13], labels=["0", "1", "12", "13"])
        for label, align in zip(ax.get_xticklabels(), ("right", "left", "right", "left"),
                                strict=True):
            label.set_horizontalalignment(align)
        ax.set_ylim(-1.2, 1.2)
    stem(ax3, np.arange(n_psi), psi, color="C1")
    ax3.set_title("psi-weights: ma / generalized_ar")
    ax3.set_xlabel("lag j (months)")
    ax3.set_xticks(np.arange(0, n_psi, 12))
    save(fig, out, "arima_kernels.png")


def fig_diagnostics(out):
    fig = fit("ml").plot_diagnostics(lags=36, fig=Figure(figsize=(8, 5.6)))
    save(fig, out, "arima_diagnostics.png")


FIGURES = (fig_forecast, fig_kernels, fig_diagnostics)


def main(argv=None):
    draw_all((report, *FIGURES), __doc__, argv)


if __name__ == "__main__":
    main()
