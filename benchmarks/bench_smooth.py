#!/usr/bin/env python
"""Benchmark of sigconv's rolling and exponential means against pandas.

Compares ``sigconv.smooth.moving_average(x, window)`` with
``x.rolling(window).mean()`` (windows 10 and 1000; one ``center=True`` case)
and ``sigconv.smooth.ema(x, alpha=0.1)`` with ``x.ewm(alpha=0.1).mean()``
(``adjust=True`` and one ``adjust=False`` case), on float64 Series of n = 1e6
and 1e7 samples and on a DataFrame of 10,000 rows (time) x 1000 columns (one
series per column), with and without 1% NaN (a separate code path).

Both functions get the same pandas object and return one of the same type,
so both times include getting the data out of pandas and wrapping the result
back.  For n = 1e7 and the DataFrame, sigconv is also timed on the bare
ndarray (``sigconv numpy in``; for the DataFrame a (1000, 10,000) C-ordered
array, one series per row, sigconv's native layout).  ``ratio = sigconv time
/ pandas time`` for the same pandas input; the goal is ratio <= 0.5 (at least
2x faster).  Also measured: first-call (numba cache load) against
steady-state times and, with ``--compile``, numba compile time in fresh
processes with an empty cache.

Usage, from the repository root (run it on an idle machine)::

    python benchmarks/bench_smooth.py --out /tmp/bench_smooth.md
    python benchmarks/bench_smooth.py --quick          # smoke test, < 30 s

The Markdown report goes to stdout (and to ``--out``); progress to stderr.
"""
import os
import sys

# _timing pins BLAS pools to one thread (as bench_engine) and puts the
# repository root on sys.path.  Must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (
    BLAS_ENV,
    MIN_REPEATS,
    SAMPLE_MIN_S,
    Contender,
    compile_times,
    cpu_busy,
    finish_report,
    fint,
    first_calls,
    fms,
    log,
    machine_lines,
    max_rel_err,
    md_table,
    numba_cache_files,
    perf,
    run_interleaved,
)

# isort: split
import argparse
import gc
import platform
import shlex
import statistics

import numba
import numpy as np
import pandas as pd

# ---------------------------------------------------------------- settings
GOAL = 0.5                 # sigconv time / pandas time
ALPHA = 0.1                # ema smoothing factor
NAN_FRACTION = 0.01        # share of NaN samples in the NaN cases
TOL = 1e-8                 # largest relative difference from pandas accepted silently


# ---------------------------------------------------------------- cases
class Case:
    """One comparison: ``func`` ("ma" or "ema") on a Series of ``size`` samples or a
    DataFrame of ``size = (rows, columns)``."""

    def __init__(self, func, size, *, window=None, center=False, adjust=True, nan=False,
                 numpy_in=False):
        self.func, self.size, self.window, self.center = func, size, window, center
        self.adjust, self.nan, self.numpy_in = adjust, nan, numpy_in

    @property
    def frame(self):
        return isinstance(self.size, tuple)

    @property
    def input_label(self):
        return "DataFrame" if self.frame else "Series"

    @property
    def size_label(self):
        if self.frame:
            rows, cols = self.size
            return f"{rows:,} x {cols:,}"
        return fint(self.size)

    @property
    def params(self):
        if self.func == "ma":
            return f"window={self.window}" + (", center=True" if self.center else "")
        return f"alpha={ALPHA}" + ("" if self.adjust else ", adjust=False")

    @property
    def label(self):
        return (f"{'moving_average' if self.func == 'ma' else 'ema'} {self.input_label} "
                f"{self.size_label} {self.params}" + (" NaN" if self.nan else ""))


def make_cases(quick):
    if quick:
        small, large, frame = 10_000, 100_000, (1_000, 100)
    else:
        small, large, frame = 1_000_000, 10_000_000, (10_000, 1_000)
    ma = [
        Case("ma", small, window=10),
        Case("ma", small, window=1000),
        Case("ma", small, window=1000, center=True),
        Case("ma", small, window=10, nan=True),
        Case("ma", large, window=10, numpy_in=True),
        Case("ma", large, window=1000, numpy_in=True),
        Case("ma", large, window=10, nan=True, numpy_in=True),
        Case("ma", frame, window=10, numpy_in=True),
        Case("ma", frame, window=1000, numpy_in=True),
        Case("ma", frame, window=10, nan=True, numpy_in=True),
    ]
    ew = [
        Case("ema", small),
        Case("ema", small, adjust=False),
        Case("ema", small, nan=True),
        Case("ema", large, numpy_in=True),
        Case("ema", large, adjust=False, numpy_in=True),
        Case("ema", large, nan=True, numpy_in=True),
        Case("ema", frame, numpy_in=True),
        Case("ema", frame, adjust=False, numpy_in=True),
        Case("ema", frame, nan=True, numpy_in=True),
    ]
    return ma + ew


def make_data(case, rng):
    """(pandas object, ndarray in sigconv's layout with the same values)."""
    if case.frame:
        rows, cols = case.size
        arr = rng.standard_normal((cols, rows))          # one series per row
        if case.nan:
            arr[rng.random(arr.shape) < NAN_FRACTION] = np.nan
        index = pd.date_range("2020-01-01", periods=rows, freq="s")
        obj = pd.DataFrame(arr.T, index=index, columns=[f"s{i}" for i in range(cols)])
    else:
        arr = rng.standard_normal(case.size)
        if case.nan:
            arr[rng.random(arr.shape) < NAN_FRACTION] = np.nan
        index = pd.date_range("2020-01-01", periods=case.size, freq="s")
        obj = pd.Series(arr, index=index, name="x")
    return obj, arr


def callables(case, obj, arr, smooth):
    """(sigconv on obj, pandas on obj, sigconv on arr)."""
    if case.func == "ma":
        w, c = case.window, case.center
        return (lambda: smooth.moving_average(obj, w, center=c),
                lambda: obj.rolling(w, center=c).mean(),
                lambda: smooth.moving_average(arr, w, center=c))
    adj = case.adjust
    return (lambda: smooth.ema(obj, alpha=ALPHA, adjust=adj),
            lambda: obj.ewm(alpha=ALPHA, adjust=adj).mean(),
            lambda: smooth.ema(arr, alpha=ALPHA, adjust=adj))


# ---------------------------------------------------------------- measuring
def measure_case(case, obj, arr, smooth, repeats, notes):
    """Warm up, check sigconv against pandas, time them interleaved."""
    sig, peer, sig_np = callables(case, obj, arr, smooth)
    t_s, out_s = first_calls(sig)
    t_p, out_p = first_calls(peer)
    if type(out_s) is not type(out_p):
        notes.append(f"{case.label}: sigconv returned {type(out_s).__name__}, pandas "
                     f"{type(out_p).__name__}")
    elif not (out_s.index.equals(out_p.index)
              and (not case.frame or out_s.columns.equals(out_p.columns))):
        notes.append(f"{case.label}: sigconv's index or columns differ from pandas'")
    ref = out_p.to_numpy()
    err = max_rel_err(np.asarray(out_s), ref)
    if err > TOL:
        notes.append(f"{case.label}: sigconv differs from pandas by {err:.2g} (relative)")
    contenders = [Contender("sigconv", sig, t_s), Contender("pandas", peer, t_p)]
    if case.numpy_in:
        t_n, out_n = first_calls(sig_np)
        err_n = max_rel_err(out_n.T if case.frame else out_n, ref)
        if err_n > TOL:
            notes.append(f"{case.label}: sigconv numpy in differs from pandas by "
                         f"{err_n:.2g} (relative)")
        err = max(err, err_n)
        contenders.append(Contender("sigconv numpy in", sig_np, t_n))
        del out_n
    del out_s, out_p, ref
    run_interleaved(contenders, repeats)
    res = {c.name: c.time for c in contenders}
    res["err"] = err
    res["ratio"] = res["sigconv"] / res["pandas"]
    if case.numpy_in:
        res["ratio numpy in"] = res["sigconv numpy in"] / res["pandas"]
    return res


def in_process_first_calls(smooth, rng, n):
    """First call of each kernel in this process (numba cache load or compile), a
    second call, and the steady state (median of 5 more)."""
    s = pd.Series(rng.standard_normal(n))
    cases = [
        (f"moving_average, Series n={fint(n)}, window=10", lambda: smooth.moving_average(s, 10)),
        (f"ema, Series n={fint(n)}, alpha={ALPHA}", lambda: smooth.ema(s, alpha=ALPHA)),
    ]
    rows = []
    for label, fn in cases:
        t0 = perf()
        fn()
        t1 = perf()
        fn()
        t2 = perf()
        steady = []
        for _ in range(5):
            t3 = perf()
            fn()
            steady.append(perf() - t3)
        rows.append((label, fms(t1 - t0), fms(t2 - t1), fms(statistics.median(steady))))
    return rows


COMPILE_CODE = f"""
import json, time
t0 = time.perf_counter()
import numpy as np, pandas as pd
import sigconv.smooth as sm
t_import = time.perf_counter() - t0
s = pd.Series(np.random.default_rng(0).standard_normal(100_000))
times = {{"import": t_import}}
for name, fn in (("moving_average", lambda: sm.moving_average(s, 10)),
                 ("ema", lambda: sm.ema(s, alpha={ALPHA}))):
    t1 = time.perf_counter(); fn(); t2 = time.perf_counter(); fn(); t3 = time.perf_counter()
    times[name] = [t2 - t1, t3 - t2]
print(json.dumps(times))
"""


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: Series of 1e4 and 1e5 samples, DataFrame 1000 x 100; "
                         "no compile-time processes")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed samples per contender (>= 5 advised; slow cases get "
                         f"fewer, at least {MIN_REPEATS}); default 7, --quick 5")
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                    help="measure numba compile time in fresh processes with an empty "
                         "cache (default: on, off with --quick)")
    args = ap.parse_args(argv)
    repeats = max(args.repeats or (5 if args.quick else 7), MIN_REPEATS)
    do_compile = (not args.quick) if args.compile is None else args.compile
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    t_run0 = perf()
    load_start = os.getloadavg()
    busy_start = cpu_busy()

    import sigconv
    from sigconv import smooth

    rng = np.random.default_rng(12345)
    cache_found = len(numba_cache_files(("sliding.", "recursive.")))
    log("first calls (numba cache load or compile)")
    first_n = 100_000 if args.quick else 1_000_000
    first_rows = in_process_first_calls(smooth, rng, first_n)
    numba_threads = numba.get_num_threads()
    numba_layer = numba.threading_layer()

    notes = []
    results = []
    for case in make_cases(args.quick):
        log(case.label)
        obj, arr = make_data(case, rng)
        results.append((case, measure_case(case, obj, arr, smooth, repeats, notes)))
        del obj, arr
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
    R.append("# sigconv smoothing benchmark (moving_average, ema vs pandas)\n")
    R += machine_lines(command, load_start, load_end, busy_start, busy_end)
    R.append(f"- Python {platform.python_version()}, numpy {np.__version__}, pandas "
             f"{pd.__version__}, numba {numba.__version__}")
    cache_dir = os.environ.get("NUMBA_CACHE_DIR") or numba.config.CACHE_DIR
    R.append(f"- sigconv {getattr(sigconv, '__version__', '?')} from "
             f"`{os.path.dirname(sigconv.__file__)}`; numba cache: "
             f"{cache_dir or 'next to the source'}"
             f" ({cache_found} index files of the smoothing kernels found at start)")
    R.append(f"- **Threads: sigconv's numba kernels run on {numba_threads} threads (layer "
             f"{numba_layer}); pandas' rolling and ewm means are single-threaded Cython.** "
             "sigconv's moving_average splits rows and blocks of one long series across "
             "threads; ema is parallel over series only, so a single Series runs on one "
             "thread. " + ", ".join(f"{k}={v}" for k, v in BLAS_ENV.items())
             + " set before importing numpy.")
    R.append("- Inputs: float64 standard normal samples with a 1 s DatetimeIndex; a Series, "
             "or a DataFrame with time down the rows and one series per column, built from "
             "one 2-D array (one float64 block). NaN cases: "
             f"{100 * NAN_FRACTION:g}% of the samples NaN at random positions.")
    R.append("- Fairness: sigconv and pandas get the same Series/DataFrame and both return "
             "a Series/DataFrame with its index, so both times include conversion in and "
             "out. `sigconv numpy in`: sigconv on the bare ndarray (for the DataFrame a "
             "C-ordered array of shape (columns, rows), one series per row) returning an "
             "ndarray, against the same pandas time.")
    R.append(f"- Timing: warm-up call first, then the contenders of a case interleaved "
             f"(rotating order), median of {repeats} samples (slow contenders fewer, at "
             f"least {MIN_REPEATS}); a sample loops a fast call for >= "
             f"{SAMPLE_MIN_S * 1e3:.0f} ms. Differences under ~25% between runs are noise "
             "on this machine.")
    R.append(f"- Run time: {elapsed:.0f} s.\n")

    goal_tally = {"moving_average": [0, 0], "ema": [0, 0]}
    failures = []

    def goal_cell(ratio, key, label):
        ok = ratio <= GOAL
        goal_tally[key][0] += ok
        goal_tally[key][1] += 1
        if not ok:
            failures.append(f"{label}: ratio {ratio:.2f}")
        return "yes" if ok else ("no*" if ratio <= GOAL * 1.25 else "no")

    for func, key, title, peer in (
            ("ma", "moving_average", "Rolling mean: `moving_average(x, window)`",
             "`x.rolling(window).mean()`"),
            ("ema", "ema", f"Exponential mean: `ema(x, alpha={ALPHA})`",
             f"`x.ewm(alpha={ALPHA}).mean()`")):
        R.append(f"## {title} vs {peer}\n")
        body = []
        for case, res in results:
            if case.func != func:
                continue
            body.append([case.input_label, case.size_label, case.params,
                         f"{100 * NAN_FRACTION:g}%" if case.nan else "-",
                         fms(res["sigconv"]), fms(res["pandas"]), f"{res['ratio']:.2f}",
                         goal_cell(res["ratio"], key, case.label),
                         fms(res.get("sigconv numpy in")),
                         f"{res['ratio numpy in']:.2f}" if case.numpy_in else "-",
                         f"{res['err']:.1g}"])
        R.append(md_table(["input", "n / rows x columns", "parameters", "NaN",
                           "sigconv ms", "pandas ms", "ratio",
                           f"goal met? (<= {GOAL:g})", "sigconv numpy in ms",
                           "ratio numpy in", "max rel. diff"], body))
        R.append("")
    R.append(f"ratio = sigconv ms / pandas ms, both on the same pandas input; goal <= {GOAL:g} "
             "(at least 2x faster). `no*`: missed by under 25% (within run-to-run noise). "
             "max rel. diff: largest |sigconv - pandas| over the largest |pandas| output "
             "(NaN positions must agree), for both sigconv inputs.\n")

    R.append("## First call and compile time\n")
    R.append("In this process, before any other smoothing call (numba cache as found: "
             f"{cache_found} index files of the smoothing kernels at start, so the first "
             "call " + ("loads the cache" if cache_found else "compiles") + "):\n")
    R.append(md_table(["case", "first call ms", "second call ms", "steady state ms (median of 5)"],
                      first_rows))
    R.append("")
    if compile_runs:
        R.append("Fresh processes sharing a new `NUMBA_CACHE_DIR` (one run each; Series of "
                 "1e5 samples; wall time includes interpreter start-up and imports):\n")
        R.append(md_table(
            ["process", "wall s", "import ms", "moving_average first / second ms",
             "ema first / second ms"],
            [(label, f"{wall:.2f}", fms(t["import"]),
              f"{fms(t['moving_average'][0])} / {fms(t['moving_average'][1])}",
              f"{fms(t['ema'][0])} / {fms(t['ema'][1])}")
             for label, wall, t in compile_runs]))
        R.append("")
    else:
        R.append("Compile time in fresh processes not measured (`--no-compile` or "
                 "`--quick`).\n")

    R.append("## Summary\n")
    for key, (ok, total) in goal_tally.items():
        if total:
            R.append(f"- {key}: {ok}/{total} goal points met (ratio <= {GOAL:g})")
    finish_report(R, failures, notes, args.out, elapsed)


if __name__ == "__main__":
    main()
