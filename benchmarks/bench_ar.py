#!/usr/bin/env python
"""Benchmark of sigconv's AR fits against statsmodels.

Compares, on the same numpy float64 arrays (a simulated stationary AR(2),
``x_t = 0.5 x_{t-1} - 0.3 x_{t-2} + e_t``):

- Yule-Walker: ``sigconv.fit_ar(x, p)`` vs
  ``statsmodels.regression.linear_model.yule_walker(x, p, method="mle")``;
- Burg: ``fit_ar(x, p, method="burg")`` vs ``linear_model.burg(x, p)``;
- OLS: ``fit_ar(x, p, method="ols")`` vs
  ``statsmodels.tsa.ar_model.AutoReg(x, lags=p, trend="c").fit()``;

for p = 10 and 50 on n = 1e5 and 1e6 samples; order selection
``fit_ar(x, max_order=50, method="ols")`` vs ``ar_select_order(x, 50,
trend="c", ic="aic")`` on n = 1e5 and 1e6 (a statsmodels call slower than
30 s is made once, not repeated); and a panel of 1000 series x 1000 samples
(a 2-D array, time down the rows): ``fit_ar(X, 5)`` and ``fit_ar(X, 5,
method="ols")`` vs a Python loop over the columns calling ``yule_walker`` /
``AutoReg(...).fit()`` (a loop that would take longer than 10 s is timed on
the first 100 columns and scaled linearly, flagged ``est.``).

Every case checks in the same run that the coefficients agree (largest
absolute difference <= 1e-8) and reports the difference.  ``ratio = sigconv
time / statsmodels time``; goals: ratio <= 0.1 (>= 10x faster) for every
single-series workload, ratio <= 0.02 (>= 50x) for the panel.  Also
measured: fit_ar's first calls (numba cache load) against steady state and,
with ``--compile``, numba compile time in fresh processes with an empty
cache.

Usage, from the repository root (run it on an idle machine)::

    python benchmarks/bench_ar.py --out /tmp/bench_ar.md
    python benchmarks/bench_ar.py --quick          # smoke test, about a minute

On a shared machine, ``--wait-idle 60 --retry-busy 1`` waits for an idle
machine before each case and measures a case again when other processes
used over 10% of the CPU meanwhile (each case reports that share).

The Markdown report goes to stdout (and to ``--out``); progress to stderr.
"""
import os
import sys

# _timing pins BLAS pools to one thread (as bench_engine) and puts the
# repository root on sys.path.  Must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (
    BLAS_ENV,
    BUSY_LIMIT,
    FULL_MIN_REPEATS,
    SAMPLE_MIN_S,
    Contender,
    add_load_options,
    blas_lines,
    compile_times,
    cpu_busy,
    cpu_snapshot,
    finish_report,
    fint,
    first_calls,
    first_second_steady,
    fms,
    git_head,
    log,
    machine_lines,
    md_table,
    numba_cache_files,
    others_share,
    perf,
    run_interleaved,
    set_repeats,
    wait_idle,
)

# isort: split
import argparse
import gc
import platform
import shlex
import warnings

import numba
import numpy as np
import pandas as pd
import scipy
import scipy.signal
import statsmodels
from statsmodels.regression.linear_model import burg, yule_walker
from statsmodels.tsa.ar_model import AutoReg, ar_select_order

# ---------------------------------------------------------------- settings
GOAL_SINGLE = 0.1          # sigconv / statsmodels, one series
GOAL_PANEL = 0.02          # sigconv / statsmodels loop, the panel
TOL = 1e-8                 # largest absolute coefficient difference accepted
PHI = (0.5, -0.3)          # the simulated AR(2)
BURN = 1000                # discarded start of each simulated path
SINGLE_CALL_S = 30.0       # a statsmodels call slower than this is made once (--quick: 1 s)
LOOP_LIMIT_S = 10.0        # a panel loop slower than this is timed on a subset ...
LOOP_SUBSET = 100          # ... of this many columns and scaled linearly
PANEL_ORDER = 5
SELECT_MAX = 50

METHOD_LABEL = {"yule_walker": "Yule-Walker", "burg": "Burg", "ols": "OLS"}
PEER_LABEL = {
    "yule_walker": '`yule_walker(x, p, method="mle")`',
    "burg": "`burg(x, p)`",
    "ols": '`AutoReg(x, lags=p, trend="c").fit()`',
}


# ---------------------------------------------------------------- cases
class Case:
    """``kind``: "single" (order p), "select" (orders 0..SELECT_MAX) or "panel"
    (order PANEL_ORDER on ``cols`` series of ``n`` samples)."""

    def __init__(self, kind, method, n, p=None, cols=None):
        self.kind, self.method, self.n, self.p, self.cols = kind, method, n, p, cols

    @property
    def goal(self):
        return GOAL_PANEL if self.kind == "panel" else GOAL_SINGLE

    @property
    def label(self):
        if self.kind == "single":
            return f"{METHOD_LABEL[self.method]} n={fint(self.n)} p={self.p}"
        if self.kind == "select":
            return f"order selection 0..{SELECT_MAX} n={fint(self.n)}"
        return (f"panel {METHOD_LABEL[self.method]} {self.cols:,} series x "
                f"{self.n:,} samples p={self.p}")


def make_cases(quick):
    sizes = (10_000, 100_000) if quick else (100_000, 1_000_000)
    cases = [Case("single", m, n, p) for n in sizes for p in (10, 50)
             for m in ("yule_walker", "burg", "ols")]
    cases += [Case("select", "ols", n, SELECT_MAX) for n in sizes]
    rows, cols = (1000, 100) if quick else (1000, 1000)
    cases += [Case("panel", m, rows, PANEL_ORDER, cols) for m in ("yule_walker", "ols")]
    return cases


def simulate(rng, n, cols=None):
    """A stationary AR(2) path of ``n`` samples (or ``cols`` columns of them, time
    down the rows, C-ordered), float64, after a burn-in of BURN samples."""
    shape = (n + BURN,) if cols is None else (n + BURN, cols)
    e = rng.standard_normal(shape)
    x = scipy.signal.lfilter([1.0], [1.0, -PHI[0], -PHI[1]], e, axis=0)[BURN:]
    return np.ascontiguousarray(x)


# ---------------------------------------------------------------- the contenders
def sm_yule_walker(x, p):
    return yule_walker(x, p, method="mle", result_object=False)


def callables(case, x, sigconv):
    """(sigconv call, statsmodels call, statsmodels call on the first ``k`` columns)."""
    fit_ar, p, m = sigconv.fit_ar, case.p, case.method
    if case.kind == "single":
        sig = {"yule_walker": lambda: fit_ar(x, p),
               "burg": lambda: fit_ar(x, p, method="burg"),
               "ols": lambda: fit_ar(x, p, method="ols")}[m]
        peer = {"yule_walker": lambda: sm_yule_walker(x, p),
                "burg": lambda: burg(x, p),
                "ols": lambda: AutoReg(x, lags=p, trend="c").fit()}[m]
        return sig, peer, None
    if case.kind == "select":
        return (lambda: fit_ar(x, max_order=SELECT_MAX, method="ols"),
                lambda: ar_select_order(x, SELECT_MAX, trend="c", ic="aic"), None)
    if m == "yule_walker":
        def loop(k):
            return [sm_yule_walker(x[:, j], p) for j in range(k)]
        sig = lambda: fit_ar(x, p)
    else:
        def loop(k):
            return [AutoReg(x[:, j], lags=p, trend="c").fit() for j in range(k)]
        sig = lambda: fit_ar(x, p, method="ols")
    return sig, (lambda: loop(case.cols)), loop


# ---------------------------------------------------------------- agreement
def peer_fits(case, out):
    """statsmodels' output as rows of (coef, sigma2, intercept or None)."""
    if case.kind == "panel":
        return [peer_fits(Case("single", case.method, case.n, case.p), o)[0] for o in out]
    if case.method == "yule_walker":
        rho, sigma = out
        return [(np.asarray(rho), sigma ** 2, None)]
    if case.method == "burg":
        ar, sigma2 = out
        return [(np.asarray(ar), sigma2, None)]
    params = np.asarray(out.params)
    return [(params[1:], out.sigma2, params[0])]


def sig_fits(case, out):
    results = list(out.results.values()) if case.kind == "panel" else [out]
    return [(r.coef, r.sigma2, r.intercept if case.method == "ols" else None)
            for r in results]


def agreement(case, out_s, out_p, x):
    """(max |coef diff|, max sigma2 rel. diff, max |intercept diff| or None, extra
    note).  For order selection: chosen orders, the criteria (up to statsmodels'
    constant offset) and the refit of the chosen order (statsmodels'
    ``.model.fit()``, outside the timing)."""
    extra = None
    if case.kind == "select":
        lags = out_p.ar_lags
        order_p = 0 if lags is None else len(lags)
        aic = out_p.aic
        crit_p = np.array([aic[tuple(range(1, k + 1)) if k else 0]
                           for k in range(SELECT_MAX + 1)])
        crit_s = out_s.ic.to_numpy()
        # statsmodels' aic = sigconv's criterion + nobs (log 2 pi + 1) + 2: compare
        # the differences from order 0, relative to their range.
        dp, ds = crit_p - crit_p[0], crit_s - crit_s[0]
        crit_err = float(np.max(np.abs(ds - dp)) / max(np.max(np.abs(dp)), 1.0))
        extra = (f"orders chosen: sigconv {out_s.order}, statsmodels {order_p}; "
                 f"criteria (less order 0) max rel. diff {crit_err:.1g}")
        if out_s.order != order_p or crit_err > TOL:
            extra = "**" + extra + "**"
        out_p = AutoReg(x, lags=order_p, trend="c").fit()
        case = Case("single", "ols", case.n, order_p)
    fp, fs = peer_fits(case, out_p), sig_fits(case, out_s)
    k = len(fp)
    coef = max((float(np.max(np.abs(a[0] - b[0]))) if b[0].size else 0.0)
               for a, b in zip(fs[:k], fp))
    sig2 = max(abs(a[1] - b[1]) / abs(b[1]) for a, b in zip(fs[:k], fp))
    icpt = (max(abs(a[2] - b[2]) for a, b in zip(fs[:k], fp))
            if case.method == "ols" else None)
    if any(a[0].shape != b[0].shape for a, b in zip(fs[:k], fp)):
        coef = float("inf")
    return coef, sig2, icpt, extra


# ---------------------------------------------------------------- measuring
def measure_case(case, x, sigconv, repeats, single_call_s, notes):
    snap0 = cpu_snapshot()
    sig, peer, loop = callables(case, x, sigconv)
    t_s, out_s = first_calls(sig)
    scale, est, checked_cols = 1.0, False, case.cols
    if loop is not None:
        # A panel loop: time a subset first, to decide whether the whole loop is
        # affordable.
        t_sub, _ = first_calls(lambda: loop(LOOP_SUBSET))
        if t_sub * case.cols / LOOP_SUBSET > LOOP_LIMIT_S:
            k = LOOP_SUBSET
            peer = lambda: loop(k)
            scale, est, checked_cols = case.cols / k, True, k
            notes.append(f"{case.label}: the statsmodels loop is timed on the first {k} "
                         f"columns and scaled x{scale:g} (est.); its coefficients are "
                         f"checked on those {k} columns")
    t_p, out_p = first_calls(peer)
    coef, sig2, icpt, extra = agreement(case, out_s, out_p, x)
    if coef > TOL:
        notes.append(f"{case.label}: coefficients differ from statsmodels by {coef:.2g}")
    if sig2 > TOL:
        notes.append(f"{case.label}: sigma2 differs from statsmodels by {sig2:.2g} "
                     "(relative)")
    del out_s, out_p
    con_s = Contender("sigconv", sig, t_s)
    con_p = Contender("statsmodels", peer, t_p, scale=scale, est=est)
    once = t_p > single_call_s
    if once:
        con_p.samples = [t_p]       # the warm-up call is the one timed call
        notes.append(f"{case.label}: statsmodels took {t_p:.1f} s, over "
                     f"{single_call_s:g} s, so it was called once (that call is its time; "
                     "no repeats, not interleaved)")
    run_interleaved([con_s] if once else [con_s, con_p], repeats)
    other = others_share(snap0, cpu_snapshot())
    if other > BUSY_LIMIT:
        notes.append(f"{case.label}: other processes used {100 * other:.0f}% of the CPU "
                     "while this case ran: its timings are suspect")
    return {"other": other, "sigconv": con_s.time, "statsmodels": con_p.time, "est": est,
            "n_s": len(con_s.samples), "n_p": len(con_p.samples),
            "loops_s": con_s.number, "coef": coef, "sig2": sig2, "icpt": icpt,
            "extra": extra, "ratio": con_s.time / con_p.time, "checked": checked_cols}


FIRST_CALLS = [
    ("Yule-Walker", lambda fit_ar, x, X: fit_ar(x, 10)),
    ("Burg", lambda fit_ar, x, X: fit_ar(x, 10, method="burg")),
    ("OLS", lambda fit_ar, x, X: fit_ar(x, 10, method="ols")),
    ("OLS order selection", lambda fit_ar, x, X: fit_ar(x, max_order=10, method="ols")),
    ("panel Yule-Walker", lambda fit_ar, x, X: fit_ar(X, 5)),
]


def in_process_first_calls(sigconv, rng, n):
    """First call of each method in this process (numba cache load or compile), a
    second call, and the steady state (median of 5 more)."""
    x = simulate(rng, n)
    X = simulate(rng, 1000, 100)
    calls = []
    for label, call in FIRST_CALLS:
        if label.startswith("panel"):
            desc = f"{label}, 100 series x 1000 samples, p=5"
        elif "selection" in label:
            desc = f"{label}, n={fint(n)}, max_order=10"
        else:
            desc = f"{label}, n={fint(n)}, p=10"
        calls.append((desc, lambda call=call: call(sigconv.fit_ar, x, X)))
    return first_second_steady(calls)


COMPILE_CODE = """
import json, time
t0 = time.perf_counter()
import numpy as np
import sigconv
t_import = time.perf_counter() - t0
x = np.random.default_rng(0).standard_normal(100_000)
times = {"import": t_import}
for name, fn in (("yule_walker", lambda: sigconv.fit_ar(x, 10)),
                 ("burg", lambda: sigconv.fit_ar(x, 10, method="burg")),
                 ("ols", lambda: sigconv.fit_ar(x, 10, method="ols"))):
    t1 = time.perf_counter(); fn(); t2 = time.perf_counter(); fn(); t3 = time.perf_counter()
    times[name] = [t2 - t1, t3 - t2]
print(json.dumps(times))
"""


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: n = 1e4 and 1e5, panel 100 series x 1000; "
                         "no compile-time processes")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed samples per contender (>= 5; slow calls get fewer, but "
                         f"at least {FULL_MIN_REPEATS} in the full run); default 7, "
                         "--quick 5")
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                    help="measure numba compile time in fresh processes with an empty "
                         "cache (default: on, off with --quick)")
    add_load_options(ap, "case")
    args = ap.parse_args(argv)
    repeats, min_repeats = set_repeats(args.repeats, args.quick)
    single_call_s = 1.0 if args.quick else SINGLE_CALL_S
    do_compile = (not args.quick) if args.compile is None else args.compile
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    warnings.simplefilter("ignore", FutureWarning)
    t_run0 = perf()
    commit = git_head()
    load_start = os.getloadavg()
    busy_start = cpu_busy()

    import sigconv

    rng = np.random.default_rng(20240611)
    cache_found = len(numba_cache_files(("levinson.", "lagged.", "direct.")))
    log("first calls (numba cache load or compile)")
    first_n = 10_000 if args.quick else 100_000
    first_rows = in_process_first_calls(sigconv, rng, first_n)
    numba_threads = numba.get_num_threads()
    numba_layer = numba.threading_layer()

    notes = []
    results = []
    retried = 0
    for case in make_cases(args.quick):
        x = simulate(rng, case.n, case.cols)
        best = None
        for attempt in range(1 + args.retry_busy):
            if args.wait_idle > 0:
                waited = wait_idle(args.wait_idle)
                if waited > 1:
                    log(f"waited {waited:.0f} s for an idle machine")
            log(case.label + (f" (again: other processes used {100 * best[0]['other']:.0f}% "
                              "of the CPU)" if attempt else ""))
            case_notes = []
            res = measure_case(case, x, sigconv, repeats, single_call_s, case_notes)
            retried += attempt > 0
            if best is None or res["other"] < best[0]["other"]:
                best = (res, case_notes)
            if best[0]["other"] <= BUSY_LIMIT:
                break
        results.append((case, best[0]))
        notes += best[1]
        del x
        gc.collect()

    compile_runs = None
    if do_compile:
        log("numba compile time (2 fresh processes, empty cache)")
        compile_runs = compile_times(COMPILE_CODE)
    load_end = os.getloadavg()
    busy_end = cpu_busy()
    elapsed = perf() - t_run0

    # ------------------------------------------------------------ report
    R = []
    R.append("# sigconv AR benchmark (fit_ar vs statsmodels)\n")
    R += machine_lines(command, load_start, load_end, busy_start, busy_end)
    R.append(f"- Python {platform.python_version()}, numpy {np.__version__}, scipy "
             f"{scipy.__version__}, pandas {pd.__version__}, statsmodels "
             f"{statsmodels.__version__}, numba {numba.__version__}")
    R.append(f"- sigconv {getattr(sigconv, '__version__', '?')} at commit {commit}; from "
             f"`{os.path.dirname(sigconv.__file__)}`; numba cache: "
             f"{os.environ.get('NUMBA_CACHE_DIR') or numba.config.CACHE_DIR or 'next to source'}"
             f" ({cache_found} index files of the AR and direct kernels found at start)")
    R.append("- **Threads:** " + ", ".join(f"{k}={v}" for k, v in BLAS_ENV.items())
             + " set before importing numpy; thread pools seen by threadpoolctl at the "
             "end of the run: " + "; ".join(blas_lines()) + ". statsmodels runs on one "
             f"thread (numpy/BLAS). sigconv: numba kernels on {numba_threads} threads "
             f"(layer {numba_layer}); its AR kernels (Yule-Walker lag products, Burg, OLS "
             "cross products) are parallel over series only, so one series runs on one "
             "thread and only the panel uses both; Levinson is serial.")
    R.append(f"- Inputs: simulated stationary AR(2), x_t = {PHI[0]} x_(t-1) {PHI[1]:+} "
             "x_(t-2) + e_t, e standard normal, float64 numpy arrays (C-ordered), the "
             "same array for both. The panel: one (rows = time, columns = series) array; "
             "statsmodels gets its (strided) columns one at a time.")
    R.append("- Output: sigconv builds `ARResult` objects (and, for the panel, an "
             "`ARPanelResult` with a pandas `params` table); statsmodels' `yule_walker` "
             "and `burg` return bare arrays, `AutoReg.fit()` a results object, "
             "`ar_select_order` the criteria of every order (without fitting the chosen "
             "model; fit_ar also refits it). Both times include that.")
    R.append(f"- Timing: warm-up call first, then sigconv and statsmodels interleaved "
             f"(rotating order), median of {repeats} samples (slow calls fewer, at least "
             f"{min_repeats}); a sample loops a fast call for >= "
             f"{SAMPLE_MIN_S * 1e3:.0f} ms. A statsmodels call over {single_call_s:g} s "
             "is made once. Differences under ~25% between runs are noise on this "
             "machine.")
    R.append(f"- Run time: {elapsed:.0f} s." + (
        f" {retried} case attempt(s) repeated because other processes used over "
        f"{100 * BUSY_LIMIT:g}% of the CPU (`--retry-busy {args.retry_busy}`; the least "
        "disturbed attempt is reported)." if retried else "") + "\n")

    failures = []
    tally = {"single": [0, 0], "panel": [0, 0]}

    def row(case, res):
        key = "panel" if case.kind == "panel" else "single"
        ok = res["ratio"] <= case.goal
        tally[key][0] += ok
        tally[key][1] += 1
        if not ok:
            failures.append(f"{case.label}: ratio {res['ratio']:.3g} "
                            f"(goal <= {case.goal:g})")
        met = "yes" if ok else ("no*" if res["ratio"] <= case.goal * 1.25 else "no")
        coef_cell = f"{res['coef']:.1g}" + ("" if res["coef"] <= TOL else " **> 1e-8**")
        checks = f"sigma2 {res['sig2']:.1g}"
        if res["icpt"] is not None:
            checks += f", intercept {res['icpt']:.1g}"
        if res["extra"]:
            checks += "; " + res["extra"]
        return [fms(res["sigconv"]), fms(res["statsmodels"], res["est"]),
                f"{res['ratio']:.3g}", f"{1 / res['ratio']:.1f}x", met, coef_cell, checks,
                f"{res['n_s']} / {res['n_p']}", f"{100 * res['other']:.0f}%"]

    tail = ["sigconv ms", "statsmodels ms", "ratio", "speed-up", "goal met?",
            "max abs. coef diff", "other diffs", "samples sig / sm", "others' CPU"]
    R.append(f"## One series: fixed order (goal ratio <= {GOAL_SINGLE:g})\n")
    body = []
    for case, res in results:
        if case.kind == "single":
            body.append([METHOD_LABEL[case.method], PEER_LABEL[case.method],
                         fint(case.n), case.p] + row(case, res))
    R.append(md_table(["method", "statsmodels", "n", "p"] + tail, body))
    R.append("")
    R.append(f"## One series: order selection 0..{SELECT_MAX} by AIC (goal ratio <= "
             f"{GOAL_SINGLE:g})\n")
    body = [[fint(case.n)] + row(case, res) for case, res in results
            if case.kind == "select"]
    R.append(f'`fit_ar(x, max_order={SELECT_MAX}, method="ols")` vs '
             f'`ar_select_order(x, {SELECT_MAX}, trend="c", ic="aic")` (statsmodels\' '
             'default ic is "bic", fit_ar\'s "aic": the same criterion is asked of both; '
             "statsmodels computes all three either way). The coefficient check compares "
             "fit_ar's refit of the chosen order with `AutoReg` of that order (outside "
             "the timing).\n")
    R.append(md_table(["n"] + tail, body))
    R.append("")
    R.append(f"## Panel: {PANEL_ORDER} lags on every column (goal ratio <= "
             f"{GOAL_PANEL:g})\n")
    body = []
    for case, res in results:
        if case.kind == "panel":
            peer = ("loop of `yule_walker(X[:, j], 5, method=\"mle\")`"
                    if case.method == "yule_walker" else
                    "loop of `AutoReg(X[:, j], lags=5, trend=\"c\").fit()`")
            if res["est"]:
                peer += f" (first {res['checked']} columns, scaled)"
            call = "`fit_ar(X, 5)`" if case.method == "yule_walker" else \
                '`fit_ar(X, 5, method="ols")`'
            body.append([call, peer, f"{case.n:,} x {case.cols:,}"] + row(case, res))
    R.append(md_table(["sigconv", "statsmodels", "rows x columns"] + tail, body))
    R.append("")
    R.append("ratio = sigconv ms / statsmodels ms (medians); speed-up = 1 / ratio. `no*`: "
             "missed by under 25% (within run-to-run noise). `est.`: extrapolated from a "
             "subset of columns. max abs. coef diff: largest |sigconv - statsmodels| over "
             "the AR coefficients (all series for the panel); other diffs: sigma2 "
             "relative, intercept (OLS: AutoReg's const vs `ARResult.intercept`) "
             "absolute. others' CPU: share of all cores used by other processes while "
             "the case ran (from /proc/stat less this process's CPU time); over ~10% "
             "the case's timings are suspect.\n")

    R.append("## First call and compile time\n")
    R.append("In this process, before any other fit_ar call, after importing statsmodels "
             f"(numba cache as found: {cache_found} index files at start, so the first "
             "call " + ("loads the cache" if cache_found else "compiles") + "). sigconv "
             "imports numba lazily, so the first call also pays `import numba` and numba's "
             "first dispatch:\n")
    R.append(md_table(["case", "first call ms", "second call ms",
                       "steady state ms (median of 5)"], first_rows))
    R.append("")
    if compile_runs:
        R.append("Fresh processes sharing a new `NUMBA_CACHE_DIR` (one run each; n = 1e5, "
                 "p = 10; wall time includes interpreter start-up and imports; the "
                 "methods run in this order, so later ones reuse kernels the earlier "
                 "ones loaded):\n")
        R.append(md_table(
            ["process", "wall s", "import sigconv ms", "Yule-Walker first / second ms",
             "Burg first / second ms", "OLS first / second ms"],
            [(label, f"{wall:.2f}", fms(t["import"]),
              f"{fms(t['yule_walker'][0])} / {fms(t['yule_walker'][1])}",
              f"{fms(t['burg'][0])} / {fms(t['burg'][1])}",
              f"{fms(t['ols'][0])} / {fms(t['ols'][1])}")
             for label, wall, t in compile_runs]))
        R.append("")
    else:
        R.append("Compile time in fresh processes not measured (`--no-compile` or "
                 "`--quick`).\n")

    R.append("## Summary\n")
    R.append(f"- one series: {tally['single'][0]}/{tally['single'][1]} goal points met "
             f"(ratio <= {GOAL_SINGLE:g})")
    R.append(f"- panel: {tally['panel'][0]}/{tally['panel'][1]} goal points met "
             f"(ratio <= {GOAL_PANEL:g})")
    worst = max((res["coef"] for _, res in results), default=0.0)
    R.append(f"- largest coefficient difference from statsmodels over all cases: "
             f"{worst:.2g} (tolerance {TOL:g})")
    finish_report(R, failures, notes, args.out, elapsed)


if __name__ == "__main__":
    main()
