#!/usr/bin/env python
"""Benchmark of sigconv's ARIMA fits against statsmodels and statsforecast.

Two workloads, each timed with all its contenders interleaved in one run:

- the Box-Jenkins airline model, ``log(AirPassengers)`` (144 monthly values,
  from ``sigconv.datasets.airpassengers()`` or, until sigconv ships it, the
  comma-separated file given by ``--ap-file``), order (0, 1, 1), seasonal
  order (0, 1, 1, 12), the same float64 numpy array for every library:
  ``statsmodels.tsa.arima.model.ARIMA(y, ...).fit()``,
  ``statsforecast.models.ARIMA(order=(0, 1, 1), season_length=12,
  seasonal_order=(0, 1, 1)).fit(y)`` (its default ``method="CSS-ML"``) and
  ``sigconv.arima.ARIMA(..., method="ml").fit(y)`` and the default
  ``method="css-ml"``.  The report lists each library's estimates (ma.L1,
  ma.S.L12, sigma2, log-likelihood) and, to read them all on one scale, the
  profile log-likelihood of each one's coefficients under statsmodels' exact
  likelihood (sigma2 concentrated out).  Two untimed statsforecast fits
  explain its default's estimates: ``method="CSS"``, and the default with
  each likelihood evaluation given fresh copies of the Kalman state arrays
  that its ``arima_like`` overwrites in place (statsforecast 2.1.1).
- a panel of 200 simulated ARIMA(2, 1, 1) series of 300 samples (the
  cumulative sum of an ARMA(2, 1) path with phi = (0.5, -0.3), theta = 0.4),
  fitted with order (2, 1, 1): ``StatsForecast(models=[ARIMA(order=(2, 1,
  1))], freq=1, n_jobs=2).fit(df)`` (and ``n_jobs=1``) on the long
  (unique_id, ds, y) frame; a Python loop of statsmodels' ``ARIMA(y_i,
  order=(2, 1, 1)).fit()`` (timed on the first 20 series and scaled when the
  whole loop would take over 10 s); and ``sigconv.arima.ARIMA(order=(2, 1,
  1)).fit(Y)`` on the (200, 300) array, one series per row.  The estimates
  are compared with statsmodels' series by series.

Reported: the median time per fit, the peers' time divided by sigconv's, the
first calls in this process (numba cache load) and, in two fresh processes
sharing a new, empty numba cache, the compile time and the cache-load time.

Usage, from the repository root, in a virtual environment that has the peers
(statsforecast pins pandas < 3, so keep it apart from the development one)::

    python benchmarks/bench_arima.py --out /tmp/bench_arima.md
    python benchmarks/bench_arima.py --quick          # smoke test
    python benchmarks/bench_arima.py --peers-only     # without sigconv.arima

On a shared machine, ``--wait-idle 60 --retry-busy 1`` waits for an idle
machine before each workload and measures it again when other processes used
over 10% of the CPU meanwhile.

The Markdown report goes to stdout (and to ``--out``); progress to stderr.
"""
import os
import sys

# _timing pins BLAS pools to one thread (as bench_ar) and puts the repository
# root on sys.path.  Must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (
    BLAS_ENV,
    BUSY_LIMIT,
    FULL_MIN_REPEATS,
    SAMPLE_MIN_S,
    add_load_options,
    compile_times,
    cpu_busy,
    finish_report,
    first_second_steady,
    fms,
    log,
    machine_lines,
    md_table,
    numba_cache_files,
    perf,
    set_repeats,
    warm_up_and_time,
)

# isort: split
import argparse
import gc
import json
import platform
import shlex
import traceback
import warnings

import numba
import numpy as np
import pandas as pd
import scipy
import scipy.signal
import statsmodels
from _timing import blas_lines, cpu_snapshot, git_head, others_share, wait_idle
from statsmodels.tsa.arima.model import ARIMA as SMARIMA

try:
    import statsforecast
    from statsforecast import StatsForecast
    from statsforecast.models import ARIMA as SFARIMA
except ImportError as exc:     # pragma: no cover - depends on the environment
    sys.exit(f"bench_arima.py needs statsforecast ({exc}); install it in a separate "
             "virtual environment (it pins pandas < 3), with sigconv installed there "
             "too, e.g. pip install statsforecast statsmodels && pip install -e .")

# ---------------------------------------------------------------- settings
AP_FILE = "/tmp/ap.txt"        # fallback for the AirPassengers values
AIRLINE_ORDER = (0, 1, 1)
AIRLINE_SEASONAL = (0, 1, 1, 12)
PANEL_ORDER = (2, 1, 1)
PHI = (0.5, -0.3)              # the simulated panel: ARMA(2, 1) ...
THETA = 0.4                    # ... x_t = phi1 x_(t-1) + phi2 x_(t-2) + e_t + theta e_(t-1)
PANEL_SERIES = 200             # series in the panel (--quick: 50)
PANEL_LENGTH = 300             # samples per series, after differencing is undone
BURN = 200                     # discarded start of each ARMA path
SEED = 20240611
LOOP_LIMIT_S = 10.0            # a statsmodels panel loop slower than this is timed ...
LOOP_SUBSET = 20               # ... on this many series and scaled linearly
LLF_TOL = 1e-3                 # a log-likelihood shortfall above this: "not at the optimum"
PANEL_NAMES = ["ar.L1", "ar.L2", "ma.L1"]
AIRLINE_NAMES = ["ma.L1", "ma.S.L12"]
SF_NAMES = {"ar1": "ar.L1", "ar2": "ar.L2", "ma1": "ma.L1", "sma1": "ma.S.L12"}


# ---------------------------------------------------------------- data
def airline_data(ap_file):
    """log(AirPassengers) as a float64 array, and where it came from."""
    try:
        from sigconv.datasets import airpassengers
        series = airpassengers()
        source = "`sigconv.datasets.airpassengers()`"
    except Exception:  # noqa: BLE001 - not shipped yet, or sigconv broken: use the file
        if not ap_file or not os.path.exists(ap_file):
            sys.exit("sigconv.datasets.airpassengers is not importable and no "
                     f"AirPassengers file was found ({ap_file!r}); pass --ap-file")
        series = np.loadtxt(ap_file, delimiter=",")
        source = f"`{ap_file}` (sigconv.datasets.airpassengers not importable)"
    y = np.log(np.asarray(series, dtype=np.float64))
    if y.shape != (144,):
        sys.exit(f"AirPassengers: expected 144 values, got shape {y.shape}")
    return np.ascontiguousarray(y), source


def simulate_panel(rng, n_series, length):
    """(n_series, length) C-ordered array: cumulative sums of ARMA(2, 1) paths."""
    e = rng.standard_normal((n_series, length + BURN))
    x = scipy.signal.lfilter([1.0, THETA], [1.0, -PHI[0], -PHI[1]], e, axis=1)[:, BURN:]
    return np.ascontiguousarray(np.cumsum(x, axis=1))


def long_frame(Y):
    """statsforecast's long format: unique_id, ds (integer time), y."""
    n_series, length = Y.shape
    return pd.DataFrame({"unique_id": np.repeat(np.arange(n_series), length),
                         "ds": np.tile(np.arange(1, length + 1), n_series),
                         "y": Y.ravel()})


# ---------------------------------------------------------------- estimates
def sm_estimates(res):
    return {name: float(res.params[i]) for i, name in enumerate(res.model.param_names)} | {
        "llf": float(res.llf)}


def sf_estimates(model):
    """statsforecast's fitted model dict, in statsmodels' parameter names."""
    m = model.model_
    est = {SF_NAMES.get(k, k): float(v) for k, v in m["coef"].items()}
    est["sigma2"] = float(m["sigma2"])
    est["llf"] = float(m["loglik"])
    return est


def sig_estimates(res):
    params = res.params
    est = {str(k): float(v) for k, v in params.items()}
    est["llf"] = float(res.llf)
    return est


def panel_table(params):
    """sigconv's panel params as a (series x parameter) DataFrame, whichever the
    orientation it comes in."""
    df = pd.DataFrame(params)
    if "ar.L1" not in df.columns and "ar.L1" in df.index:
        df = df.T
    return df


def sm_loglike(y, order, seasonal, est, names):
    """statsmodels' exact log-likelihood at someone's coefficients, with sigma2
    concentrated out (its maximum over sigma2, so that the libraries' sigma2
    conventions do not count), or NaN when a coefficient is missing."""
    try:
        params = np.array([est[n] for n in names], dtype=float)
    except KeyError:
        return float("nan")
    model = SMARIMA(y, order=order, seasonal_order=seasonal, concentrate_scale=True)
    return float(model.loglike(params))


# ---------------------------------------------------------------- measuring
def cpu_snapshot_with_children():
    """_timing's cpu_snapshot, counting this process's reaped children (statsforecast's
    ``n_jobs=2`` pool workers) as its own CPU time, not as other processes'."""
    wall, busy, own = cpu_snapshot()
    t = os.times()
    return wall, busy, own + t.children_user + t.children_system


def measure_group(specs, repeats, errors):
    """Warm up every contender of one workload, then time them interleaved.
    ``specs``: (name, fn, scale, est).  Returns the contenders, their warm-up
    outputs, the warnings and the other processes' CPU share meanwhile."""
    snap0 = cpu_snapshot_with_children()
    cons, outs, warns = warm_up_and_time(specs, repeats, errors)
    return {"cons": cons, "outs": outs, "warns": warns,
            "other": others_share(snap0, cpu_snapshot_with_children())}


def measure_with_retries(label, make_specs, repeats, args, notes, errors):
    best = None
    for attempt in range(1 + args.retry_busy):
        if args.wait_idle > 0:
            waited = wait_idle(args.wait_idle)
            if waited > 1:
                log(f"waited {waited:.0f} s for an idle machine")
        log(label + (f" (again: other processes used {100 * best['other']:.0f}% of the CPU)"
                     if attempt else ""))
        attempt_errors = []
        res = measure_group(make_specs(), repeats, attempt_errors)
        res["errors"] = attempt_errors
        if best is None or res["other"] < best["other"]:
            best = res
        if best["other"] <= BUSY_LIMIT:
            break
        gc.collect()
    best["attempts"] = attempt + 1
    errors += [(f"{label}: {name}", tb) for name, tb in best["errors"]]
    if best["other"] > BUSY_LIMIT:
        notes.append(f"{label}: other processes used {100 * best['other']:.0f}% of the CPU "
                     "while it ran: its timings are suspect")
    for name, (n, msgs) in best["warns"].items():
        notes.append(f"{label}: {name} raised {n} warning(s) in its warm-up call(s) "
                     f"(silenced while timing): " + "; ".join(msgs))
    return best


# ---------------------------------------------------------------- contenders
def airline_specs(y, SigARIMA):
    o, so = AIRLINE_ORDER, AIRLINE_SEASONAL
    specs = [
        ("statsmodels", lambda: SMARIMA(y, order=o, seasonal_order=so).fit(), 1.0, False),
        ("statsforecast", lambda: SFARIMA(order=o, season_length=so[3],
                                          seasonal_order=so[:3]).fit(y), 1.0, False),
    ]
    if SigARIMA is not None:
        specs += [
            ("sigconv ml", lambda: SigARIMA(order=o, seasonal_order=so,
                                            method="ml").fit(y), 1.0, False),
            ("sigconv css-ml", lambda: SigARIMA(order=o, seasonal_order=so).fit(y),
             1.0, False),
        ]
    return specs


def sm_loop(Y, k):
    return [SMARIMA(Y[i], order=PANEL_ORDER).fit() for i in range(k)]


def sf_panel(df, n_jobs):
    return StatsForecast(models=[SFARIMA(order=PANEL_ORDER)], freq=1, n_jobs=n_jobs).fit(df)


def panel_plan(Y, notes):
    """How many series the statsmodels loop is timed on: all, or LOOP_SUBSET when
    the whole loop would take over LOOP_LIMIT_S (from a timed subset)."""
    n = Y.shape[0]
    k = min(LOOP_SUBSET, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sm_loop(Y, 1)
        t0 = perf()
        sm_loop(Y, k)
        t_sub = perf() - t0
    if t_sub * n / k <= LOOP_LIMIT_S:
        return n
    notes.append(f"panel: the statsmodels loop is timed on the first {k} of {n} series and "
                 f"scaled x{n / k:g} (`est.`; {t_sub * n / k:.0f} s predicted for all); its "
                 f"estimates are compared on those {k} series")
    return k


def panel_specs(Y, df, k_sm, SigARIMA):
    n = Y.shape[0]
    specs = [
        ("statsforecast n_jobs=2", lambda: sf_panel(df, 2), 1.0, False),
        ("statsforecast n_jobs=1", lambda: sf_panel(df, 1), 1.0, False),
        ("statsmodels loop", lambda: sm_loop(Y, k_sm), n / k_sm, k_sm < n),
    ]
    if SigARIMA is not None:
        specs.append(("sigconv", lambda: SigARIMA(order=PANEL_ORDER).fit(Y), 1.0, False))
    return specs


# ---------------------------------------------------------------- first calls
COMPILE_CODE = """
import json, time
t0 = time.perf_counter()
import numpy as np
from sigconv.arima import ARIMA
t_import = time.perf_counter() - t0
y = np.log(np.array(%(ap)s, dtype=float))
rng = np.random.default_rng(0)
Y = np.cumsum(rng.standard_normal((20, 300)), axis=1)
times = {"import": t_import}
for name, fn in (
        ("ml", lambda: ARIMA(order=(0, 1, 1), seasonal_order=(0, 1, 1, 12),
                             method="ml").fit(y)),
        ("css-ml", lambda: ARIMA(order=(0, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(y)),
        ("panel", lambda: ARIMA(order=(2, 1, 1)).fit(Y))):
    t1 = time.perf_counter(); fn(); t2 = time.perf_counter(); fn(); t3 = time.perf_counter()
    times[name] = [t2 - t1, t3 - t2]
print(json.dumps(times))
"""


# ---------------------------------------------------------------- statsforecast
def sf_method_default():
    """statsforecast.models.ARIMA's default ``method`` (from its signature)."""
    import inspect
    try:
        return inspect.signature(SFARIMA).parameters["method"].default
    except (KeyError, TypeError, ValueError):
        return "?"


def sf_fit(y, **kw):
    o, so = AIRLINE_ORDER, AIRLINE_SEASONAL
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sf_estimates(SFARIMA(order=o, season_length=so[3], seasonal_order=so[:3],
                                    **kw).fit(y))


def sf_diagnosis(y):
    """Untimed airline fits of statsforecast that explain its default's estimates:
    ``method="CSS"``, and the default again with its likelihood evaluated on copies
    of the Kalman state (``a``, ``P``, ``Pn``), which its C++ ``arima_like``
    otherwise overwrites from one evaluation to the next (None where this
    statsforecast has no such function)."""
    out = {"statsforecast method='CSS' (untimed)": sf_fit(y, method="CSS")}
    try:
        import statsforecast.arima as sfa
        original = sfa.arima_like
    except (ImportError, AttributeError):
        return out

    def on_copies(y_, phi, theta, delta, a, P, Pn, up, use_resid):
        return original(y_, phi, theta, delta, a.copy(), P.copy(), Pn.copy(), up, use_resid)

    sfa.arima_like = on_copies
    try:
        out["statsforecast default, Kalman state copied per evaluation (untimed "
            "diagnosis)"] = sf_fit(y)
    except Exception as exc:  # noqa: BLE001 - a diagnosis only; the report goes on
        log(f"statsforecast diagnosis fit failed: {exc!r}")
    finally:
        sfa.arima_like = original
    return out


# ---------------------------------------------------------------- report
def fnum(v, digits=5):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "-"
    return f"{v:.{digits}g}"


def ratio_cells(cons, name, refs):
    """``this time / reference time`` for each reference contender present."""
    cells = []
    for ref in refs:
        if name in cons and ref in cons:
            cells.append(f"{cons[name].time / cons[ref].time:.3g}")
        else:
            cells.append("-")
    return cells


def airline_section(R, res, y, notes, probe):
    cons, outs = res["cons"], res["outs"]
    refs = [r for r in ("sigconv ml", "sigconv css-ml") if r in cons]
    R.append("## Airline model: log(AirPassengers), (0,1,1)x(0,1,1)12\n")
    calls = {
        "statsmodels": "`statsmodels...ARIMA(y, order=(0,1,1), seasonal_order=(0,1,1,12))"
                       ".fit()`",
        "statsforecast": "`statsforecast.models.ARIMA(order=(0,1,1), season_length=12, "
                         "seasonal_order=(0,1,1)).fit(y)` (method default "
                         f"{sf_method_default()!r})",
        "sigconv ml": '`sigconv.arima.ARIMA(order=(0,1,1), seasonal_order=(0,1,1,12), '
                      'method="ml").fit(y)`',
        "sigconv css-ml": "`sigconv.arima.ARIMA(order=(0,1,1), seasonal_order=(0,1,1,12))"
                          ".fit(y)` (default css-ml)",
    }
    body = []
    for name, call in calls.items():
        if name not in cons:
            body.append([name, call, "-", "-"] + ["-"] * len(refs))
            continue
        c = cons[name]
        body.append([name, call, fms(c.time), len(c.samples)]
                    + ratio_cells(cons, name, refs))
    R.append(md_table(["library", "call", "ms per fit", "samples"]
                      + [f"÷ {r}" for r in refs], body))
    R.append("")
    if refs:
        R.append("`÷ sigconv ...`: this row's median time divided by that sigconv call's "
                 "(peer / sigconv: over 1 means sigconv is faster).\n")

    R.append("### Estimates\n")
    names = AIRLINE_NAMES
    rows = []
    ests = {}
    for name, getter in (("statsmodels", sm_estimates), ("statsforecast", sf_estimates),
                         ("sigconv ml", sig_estimates), ("sigconv css-ml", sig_estimates)):
        if name not in outs:
            continue
        try:
            ests[name] = getter(outs[name])
        except Exception as exc:  # noqa: BLE001 - reported in the notes
            notes.append(f"airline: could not read {name}'s estimates ({exc!r})")
    ests.update(probe)
    if "statsforecast" in ests:
        css = probe["statsforecast method='CSS' (untimed)"]
        d = max(abs(ests["statsforecast"][n] - css[n]) for n in names)
        notes.append(f"statsforecast.models.ARIMA's `method` defaults to "
                     f"{sf_method_default()!r} (CSS for starting values, then maximum "
                     f"likelihood, as R's `arima`). Its airline estimates differ from its "
                     f"`method='CSS'` ones by at most {d:.2g}"
                     + (": the ML step did not move from the CSS start, so its "
                        "coefficients are CSS estimates (sigma2 and llf are then the "
                        "exact likelihood's at them)." if d < 1e-6 else "."))
    profile = {name: sm_loglike(y, AIRLINE_ORDER, AIRLINE_SEASONAL, est, names)
               for name, est in ests.items()}
    ref = profile.get("statsmodels", float("nan"))
    for name, est in ests.items():
        rows.append([name] + [fnum(est.get(n)) for n in names]
                    + [fnum(est.get("sigma2")), fnum(est.get("llf"), 7),
                       fnum(profile[name], 8), fnum(ref - profile[name], 3)])
    R.append(md_table(["library", "ma.L1", "ma.S.L12", "sigma2", "llf (its own)",
                       "profile llf under statsmodels", "shortfall vs statsmodels' fit"],
                      rows))
    R.append("")
    R.append("profile llf under statsmodels: `ARIMA(y, ..., concentrate_scale=True).loglike("
             "[ma.L1, ma.S.L12])`, statsmodels' exact likelihood at that row's coefficients "
             "maximised over sigma2, so every row is read with one likelihood and the "
             "libraries' sigma2 conventions do not count; the shortfall is statsmodels' "
             "row less it (positive: below the statsmodels fit; negative: a higher "
             "likelihood than statsmodels reached). The libraries' own log-likelihoods "
             "differ in how they start the Kalman filter on the 13 differenced-away "
             "states, so compare the own-llf column only within a library. The untimed "
             "rows explain statsforecast's default: its `method='CSS'` fit, and its "
             "default fit again with each likelihood evaluation given a fresh copy of the "
             "Kalman state arrays that its `arima_like` otherwise overwrites in place.\n")


def status_summary(status):
    """Counts of the values of a panel's status table (or array)."""
    if isinstance(status, pd.DataFrame):
        cols = [c for c in ("converged", "method", "message") if c in status.columns]
        parts = []
        for c in cols or list(status.columns[:1]):
            counts = status[c].value_counts()
            parts.append(f"{c} " + ", ".join(f"{v!r} x {n}" for v, n in counts.items()))
        return "; ".join(parts)
    counts = pd.Series(np.asarray(status).ravel()).value_counts()
    return ", ".join(f"{v!r} x {n}" for v, n in counts.items())


def panel_section(R, res, Y, notes):
    cons, outs = res["cons"], res["outs"]
    n_series, length = Y.shape
    R.append(f"## Panel: {n_series} simulated ARIMA(2,1,1) series of {length} samples\n")
    R.append(f"Simulated: the cumulative sum of x_t = {PHI[0]} x_(t-1) {PHI[1]:+} x_(t-2) "
             f"+ e_t + {THETA} e_(t-1), e standard normal, seed {SEED}; one (series, time) "
             "float64 array `Y` (C-ordered, one series per row) for sigconv and the "
             "statsmodels loop, and the same values as a long (unique_id, ds, y) frame for "
             "statsforecast (built outside the timing). Every fit has no constant (d = 1).\n")
    calls = {
        "statsforecast n_jobs=2": "`StatsForecast(models=[ARIMA(order=(2,1,1))], freq=1, "
                                  "n_jobs=2).fit(df)`",
        "statsforecast n_jobs=1": "the same, `n_jobs=1`",
        "statsmodels loop": "`[ARIMA(Y[i], order=(2,1,1)).fit() for i in ...]`",
        "sigconv": "`sigconv.arima.ARIMA(order=(2,1,1)).fit(Y)`",
    }
    body = []
    for name, call in calls.items():
        if name not in cons:
            body.append([name, call, "-", "-", "-", "-"])
            continue
        c = cons[name]
        body.append([name, call, fms(c.time, c.est), fms(c.time / n_series, c.est),
                     len(c.samples)] + ratio_cells(cons, name, ["sigconv"]))
    R.append(md_table(["library", "call", f"ms for {n_series} series", "ms per series",
                       "samples", "÷ sigconv"], body))
    R.append("")
    R.append("`÷ sigconv`: this row's median divided by sigconv's (over 1: sigconv is "
             "faster). `est.`: timed on a subset of the series and scaled linearly.\n")

    # Agreement with statsmodels, series by series.
    if "statsmodels loop" not in outs:
        return
    sm_res = outs["statsmodels loop"]
    k = len(sm_res)
    ref = pd.DataFrame([sm_estimates(r) for r in sm_res])
    tables = {"statsmodels loop": ref}
    if "statsforecast n_jobs=2" in outs:
        fm = outs["statsforecast n_jobs=2"].fitted_
        tables["statsforecast"] = pd.DataFrame([sf_estimates(fm[i, 0])
                                                for i in range(fm.shape[0])])
    if "sigconv" in outs:
        try:
            sig = outs["sigconv"]
            tab = panel_table(sig.params).reset_index(drop=True)
            llf = getattr(sig, "llf", None)
            if llf is not None and "llf" not in tab.columns:
                tab["llf"] = np.asarray(llf, dtype=float).ravel()
            tables["sigconv"] = tab
            status = getattr(sig, "status", None)
            if status is not None:
                notes.append("panel: sigconv's `.status`: " + status_summary(status))
        except Exception as exc:  # noqa: BLE001 - reported in the notes
            notes.append(f"panel: could not read sigconv's panel estimates ({exc!r})")
    ref_profile = [sm_loglike(Y[i], PANEL_ORDER, (0, 0, 0, 0), ref.iloc[i].to_dict(),
                              PANEL_NAMES) for i in range(k)]
    rows = []
    for name, tab in tables.items():
        try:
            coefs = tab[PANEL_NAMES].to_numpy(float)
        except KeyError as exc:
            notes.append(f"panel: {name}'s estimates lack {exc}")
            continue
        means = coefs.mean(axis=0)
        diff = np.abs(coefs[:k] - ref[PANEL_NAMES].to_numpy(float))
        shortfall = np.array([
            ref_profile[i] - sm_loglike(Y[i], PANEL_ORDER, (0, 0, 0, 0),
                                        tab.iloc[i].to_dict(), PANEL_NAMES)
            for i in range(k)]) if name != "statsmodels loop" else np.zeros(k)
        rows.append([name, len(tab)] + [f"{m:.3f}" for m in means]
                    + ([f"{np.max(diff):.2g}", f"{np.median(diff):.2g}",
                        f"{int(np.sum(shortfall > LLF_TOL))} / {k}",
                        f"{np.nanmax(shortfall):.3g}", f"{np.nanmin(shortfall):.3g}"]
                       if name != "statsmodels loop" else ["-"] * 5))
    R.append("### Estimates against statsmodels, series by series\n")
    R.append(md_table(["library", "series", "mean ar.L1", "mean ar.L2", "mean ma.L1",
                       "max abs. coef diff", "median abs. coef diff",
                       f"series > {LLF_TOL:g} below statsmodels", "largest shortfall",
                       "smallest (negative: above statsmodels)"], rows))
    R.append("")
    R.append(f"True values: ar.L1 {PHI[0]}, ar.L2 {PHI[1]}, ma.L1 {THETA}. Differences and "
             f"shortfalls over the {k} series statsmodels fitted; the shortfall is "
             "statsmodels' profile log-likelihood (sigma2 concentrated out) at its own "
             "fit's coefficients less the same at that library's coefficients (positive: "
             "below statsmodels' fit).\n")


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: panel of 50 series, 5 samples, no compile-time "
                         "processes")
    ap.add_argument("--peers-only", action="store_true",
                    help="time statsmodels and statsforecast only (sigconv.arima is not "
                         "imported)")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--ap-file", default=AP_FILE, metavar="FILE",
                    help="comma-separated AirPassengers values, used when "
                         "sigconv.datasets.airpassengers is not importable "
                         f"(default {AP_FILE})")
    ap.add_argument("--series", type=int, default=None,
                    help=f"series in the panel (default {PANEL_SERIES}, --quick 50)")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed samples per contender (slow calls get fewer, but at least "
                         f"{FULL_MIN_REPEATS} in the full run); default 7, --quick 5")
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                    help="measure numba compile time in fresh processes with an empty "
                         "cache (default: on, off with --quick or --peers-only)")
    add_load_options(ap, "workload")
    args = ap.parse_args(argv)
    repeats, min_repeats = set_repeats(args.repeats, args.quick)
    n_series = args.series or (50 if args.quick else PANEL_SERIES)
    do_compile = (not args.quick and not args.peers_only) if args.compile is None \
        else (args.compile and not args.peers_only)
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    t_run0 = perf()
    commit = git_head()
    load_start = os.getloadavg()
    busy_start = cpu_busy()

    notes, errors = [], []
    SigARIMA, sigconv, cache_found, t_import = None, None, 0, None
    if not args.peers_only:
        cache_found = len(numba_cache_files(("arima.", "kalman.")))
        try:
            t0 = perf()
            import sigconv.arima
            t_import = perf() - t0
            SigARIMA = sigconv.arima.ARIMA
        except Exception:  # noqa: BLE001 - reported; the peers are still measured
            errors.append(("import sigconv.arima", traceback.format_exc()))
            log("import sigconv.arima failed: peers only")
    y, ap_source = airline_data(args.ap_file)
    rng = np.random.default_rng(SEED)
    Y = simulate_panel(rng, n_series, PANEL_LENGTH)
    df = long_frame(Y)

    # First calls in this process, before anything else calls sigconv.
    log("first calls")
    o, so = AIRLINE_ORDER, AIRLINE_SEASONAL
    first = [
        ("statsmodels airline", lambda: SMARIMA(y, order=o, seasonal_order=so).fit()),
        ("statsforecast airline", lambda: SFARIMA(order=o, season_length=so[3],
                                                  seasonal_order=so[:3]).fit(y)),
    ]
    if SigARIMA is not None:
        first += [
            ("sigconv airline, ml", lambda: SigARIMA(order=o, seasonal_order=so,
                                                     method="ml").fit(y)),
            ("sigconv airline, css-ml", lambda: SigARIMA(order=o, seasonal_order=so).fit(y)),
            (f"sigconv panel {n_series} x {PANEL_LENGTH}",
             lambda: SigARIMA(order=PANEL_ORDER).fit(Y)),
        ]
    first_rows = first_second_steady(first)
    numba_threads = numba.get_num_threads()
    try:
        numba_layer = numba.threading_layer()
    except ValueError:                  # no parallel region has run yet
        numba_layer = "not started"

    airline = measure_with_retries("airline", lambda: airline_specs(y, SigARIMA), repeats,
                                   args, notes, errors)
    probe = sf_diagnosis(y)
    gc.collect()
    k_sm = panel_plan(Y, notes)
    panel = measure_with_retries(f"panel {n_series} x {PANEL_LENGTH}",
                                 lambda: panel_specs(Y, df, k_sm, SigARIMA), repeats,
                                 args, notes, errors)

    compile_runs = None
    if do_compile and SigARIMA is not None:
        log("numba compile time (2 fresh processes, empty cache)")
        ap_values = json.dumps([float(v) for v in np.exp(y)])
        try:
            compile_runs = compile_times(COMPILE_CODE % {"ap": ap_values})
        except Exception:  # noqa: BLE001 - reported with its traceback
            errors.append(("compile-time processes", traceback.format_exc()))
    load_end = os.getloadavg()
    busy_end = cpu_busy()
    elapsed = perf() - t_run0

    # ------------------------------------------------------------ report
    R = ["# sigconv ARIMA benchmark (vs statsmodels and statsforecast)\n"]
    R += machine_lines(command, load_start, load_end, busy_start, busy_end)
    R.append(f"- Python {platform.python_version()}, numpy {np.__version__}, scipy "
             f"{scipy.__version__}, pandas {pd.__version__}, statsmodels "
             f"{statsmodels.__version__}, statsforecast {statsforecast.__version__}, numba "
             f"{numba.__version__}")
    if args.peers_only:
        R.append("- sigconv: not measured (`--peers-only`)")
    elif SigARIMA is None:
        R.append("- sigconv: `import sigconv.arima` failed (traceback below); peers only")
    else:
        cache_dir = (os.environ.get("NUMBA_CACHE_DIR") or numba.config.CACHE_DIR
                     or "next to source")
        R.append(f"- sigconv {getattr(sigconv, '__version__', '?')} at commit {commit}; from "
                 f"`{os.path.dirname(sigconv.__file__)}`; numba cache: {cache_dir}"
                 f" ({cache_found} index files of the arima/kalman kernels found at start); "
                 f"`import sigconv.arima` (with sigconv, before any other sigconv import) took "
                 f"{fms(t_import)} ms in this process")
    R.append("- **Threads:** " + ", ".join(f"{k}={v}" for k, v in BLAS_ENV.items())
             + " set before importing numpy; thread pools seen by threadpoolctl at the "
             "end of the run: " + "; ".join(blas_lines()) + ". statsmodels and "
             "statsforecast (`n_jobs=1`) fit on one thread; `n_jobs=2` forks 2 worker "
             "processes per `fit` (their start-up is in its time). sigconv: numba kernels "
             f"on {numba_threads} threads (layer {numba_layer}).")
    R.append(f"- Airline data: {ap_source}, log-transformed, a float64 numpy array given "
             "to every library.")
    R.append(f"- Timing: warm-up call first, then all contenders of a workload interleaved "
             f"(rotating order), median of {repeats} samples (slow calls fewer, at least "
             f"{min_repeats}); a sample loops a fast call for >= {SAMPLE_MIN_S * 1e3:.0f} ms. "
             "Warnings are silenced while timing (those of the warm-up calls are listed in "
             "the notes). Differences under ~25% between runs are noise on this machine.")
    attempts = [(lbl, r) for lbl, r in (("airline", airline), ("panel", panel))
                if r["attempts"] > 1]
    R.append(f"- Run time: {elapsed:.0f} s. Other processes' CPU share while timing: "
             f"airline {100 * airline['other']:.0f}%, panel {100 * panel['other']:.0f}%"
             + (" (" + ", ".join(f"{lbl} measured {r['attempts']} times, the least "
                                  "disturbed attempt reported" for lbl, r in attempts) + ")"
                if attempts else "") + ".\n")

    airline_section(R, airline, y, notes, probe)
    panel_section(R, panel, Y, notes)

    R.append("## First call and compile time\n")
    R.append("In this process, first calls in the order listed, after importing statsmodels "
             "and statsforecast" + ("" if SigARIMA is None else
                                    f" (sigconv's numba cache as found: {cache_found} index "
                                    "files at start, so its first call "
                                    + ("loads the cache" if cache_found else "compiles")
                                    + ")") + ":\n")
    R.append(md_table(["call", "first ms", "second ms", "steady state ms (median of 5)"],
                      first_rows))
    R.append("")
    if compile_runs:
        R.append("Fresh processes sharing a new `NUMBA_CACHE_DIR` (one run each; wall time "
                 "includes interpreter start-up and imports; the calls run in this order, "
                 "so later ones reuse kernels the earlier ones compiled or loaded; the panel "
                 "here is 20 random walks x 300):\n")
        R.append(md_table(
            ["process", "wall s", "import sigconv.arima ms", "airline ml first / second ms",
             "airline css-ml first / second ms", "panel (2,1,1) first / second ms"],
            [(label, f"{wall:.2f}", fms(t["import"]),
              f"{fms(t['ml'][0])} / {fms(t['ml'][1])}",
              f"{fms(t['css-ml'][0])} / {fms(t['css-ml'][1])}",
              f"{fms(t['panel'][0])} / {fms(t['panel'][1])}")
             for label, wall, t in compile_runs]))
        R.append("")
    else:
        R.append("Compile time in fresh processes not measured (`--quick`, `--peers-only`, "
                 "`--no-compile`, or sigconv.arima not importable).\n")

    if errors:
        R.append("## Errors\n")
        for name, tb in errors:
            R.append(f"{name}:\n\n```\n{tb.rstrip()}\n```\n")
    finish_report(R, [], notes, args.out, elapsed)


if __name__ == "__main__":
    main()
