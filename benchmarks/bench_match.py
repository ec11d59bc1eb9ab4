#!/usr/bin/env python
"""Benchmark of sigconv's template matching against stumpy and scipy.

Three parts, each contender timed interleaved with its peers in one run, on
random walks (``np.cumsum`` of standard normal draws, float64; the templates
are independent random walks):

- one distance profile, the z-normalised Euclidean distance of a template of
  length m to every window of a series of length n:
  ``sigconv.match.distance_profile(x, t)`` vs ``stumpy.mass(t, x)`` vs a plain
  scipy implementation written here (``scipy.signal.oaconvolve`` of the series
  with the reversed z-normalised template for the dot products, ``np.cumsum``
  of x and x**2 for the window means and standard deviations, then
  ``sqrt(2 m (1 - dot / (m std)))``), for m = 100, 1,000, 10,000 and
  n = 1e5, 1e6, 1e7.  Also timed: the floor, three real FFTs of length
  ``next_fast_len(n)`` (``scipy.fft.rfft`` of x and of the template,
  ``irfft``; two workers, one per core).  stumpy.mass costs O(n m) (its
  rolling standard deviation): where a call is predicted (from the same m at
  a shorter n) to take over 10 s it is timed on a prefix of the series (the
  same walk) and scaled linearly in n (``est.``; its accuracy is then checked
  on that prefix).
- many templates: ``sigconv.match.match_many(x, templates,
  score="distance")`` with 50 templates of length 1,000 against 50 separate
  calls of each peer (a stumpy loop that would take over 2 s is timed on its
  first templates and scaled), on n = 1e5 and 1e6; for orientation, also each
  peer with the series' window statistics computed once for all templates.
- cold start: fresh Python processes (numba cache warmed by one run first)
  timing ``import sigconv.match`` and a first ``distance_profile`` on n = 1e5,
  m = 100 (goal < 1 s), and ``import stumpy`` and a first ``stumpy.mass``;
  and, in two fresh processes sharing a new, empty ``NUMBA_CACHE_DIR``, the
  numba compile time and the cache-load time.

Accuracy: every output is compared with an exact reference on ~200 random
windows (and the windows where any contender finds its best match): the
distance computed window by window in ``np.longdouble`` (two-pass mean and
standard deviation, then ``sqrt(sum((w_z - t_z)**2))``).  The report gives
the largest absolute error in distance of each contender.

Goals: sigconv >= 1.2x faster than the scipy implementation at every (m, n)
while exact (max abs. error <= 1e-8 in distance); >= 20x faster than
stumpy.mass for m >= 1000; match_many >= 3x faster than 50 scipy calls; in
a fresh process, import numpy + import sigconv.match + the first
distance_profile < 1 s (the process's wall time is reported beside it).

Usage, from the repository root (on an idle machine)::

    python benchmarks/bench_match.py --out /tmp/bench_match.md
    python benchmarks/bench_match.py --quick          # smoke test
    python benchmarks/bench_match.py --peers-only     # without sigconv.match

On a shared machine, ``--wait-idle 60 --retry-busy 1`` waits for an idle
machine before each point and measures a point again when other processes
used over 10% of the CPU meanwhile.

At n = 1e7 every call allocates hundreds of MB of fresh memory (glibc maps
arrays over 32 MiB anew each time) and the page faults on it cost from
nothing to most of a second per call in this VM, erratically.
``--malloc-retain`` re-runs the script with glibc told to keep freed memory
(``MALLOC_MMAP_MAX_=0`` ...), which measures the arithmetic without that
cost; the default run is what a user's process gets.

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
    REPO,
    SAMPLE_MIN_S,
    add_load_options,
    compile_times,
    cpu_busy,
    finish_report,
    fint,
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
import statistics
import subprocess
import traceback

import numba
import numpy as np
import scipy
import scipy.fft
import scipy.signal
import stumpy
import stumpy.core
from _timing import blas_lines, cpu_snapshot, git_head, others_share, wait_idle

# ---------------------------------------------------------------- settings
SEED = 20240611
TEMPLATE_LENGTHS = (100, 1_000, 10_000)        # --quick: 100, 1,000
SERIES_LENGTHS = (100_000, 1_000_000, 10_000_000)  # --quick: 1e4, 1e5
MANY_LENGTHS = (100_000, 1_000_000)            # --quick: 1e5
MANY_TEMPLATES = 50
MANY_M = 1_000
REF_WINDOWS = 200          # windows checked against the exact reference, per profile
MANY_REF_WINDOWS = 20      # ... per template in the many-templates part
EXACT_TOL = 1e-8           # "exact": largest absolute error in distance
GOAL_SCIPY = 1.2           # scipy implementation time / sigconv time, every point
GOAL_STUMPY = 20.0         # stumpy.mass time / sigconv time, m >= GOAL_STUMPY_M
GOAL_STUMPY_M = 1_000
GOAL_MANY = 3.0            # 50 scipy calls / match_many
GOAL_COLD_S = 1.0          # import sigconv.match + first distance_profile, fresh process
STUMPY_LIMIT_S = 10.0      # a stumpy call predicted slower than this runs on a prefix
LOOP_TARGET_S = 2.0        # a stumpy loop slower than this is timed on fewer templates
COLD_N, COLD_M = 100_000, 100
FFT_WORKERS = os.cpu_count() or 1   # as sigconv._fft._WORKERS
# --malloc-retain: glibc serves every allocation from its heap and never gives
# freed memory back, so no call pays page faults on fresh memory.
MALLOC_RETAIN = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(2**36),
                 "MALLOC_TOP_PAD_": str(2**28)}


# ---------------------------------------------------------------- data
def random_walk(rng, n):
    return np.cumsum(rng.standard_normal(n))


def templates(rng, k, m):
    """(k, m) C-ordered array of independent random walks."""
    return np.ascontiguousarray(np.cumsum(rng.standard_normal((k, m)), axis=1))


# ---------------------------------------------------------------- peers
def scipy_distance_profile(x, t):
    """The plain scipy implementation: FFT dot products, cumulative-sum window
    statistics, ``sqrt(2 m (1 - dot / (m std)))``."""
    m = t.shape[0]
    tz = (t - t.mean()) / t.std()
    dot = scipy.signal.oaconvolve(x, tz[::-1], mode="valid")
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))
    mean = (s1[m:] - s1[:-m]) / m
    var = (s2[m:] - s2[:-m]) / m - mean * mean
    std = np.sqrt(np.maximum(var, 0.0))
    return np.sqrt(np.maximum(2.0 * m * (1.0 - dot / (m * std)), 0.0))


def scipy_window_std(x, m):
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))
    mean = (s1[m:] - s1[:-m]) / m
    return np.sqrt(np.maximum((s2[m:] - s2[:-m]) / m - mean * mean, 0.0))


def scipy_many_shared(x, T):
    """The scipy implementation with the window statistics computed once."""
    m = T.shape[1]
    std = scipy_window_std(x, m)
    out = np.empty((T.shape[0], x.shape[0] - m + 1))
    for i, t in enumerate(T):
        tz = (t - t.mean()) / t.std()
        dot = scipy.signal.oaconvolve(x, tz[::-1], mode="valid")
        out[i] = np.sqrt(np.maximum(2.0 * m * (1.0 - dot / (m * std)), 0.0))
    return out


def stumpy_many_shared(x, T):
    """stumpy.mass per template with M_T, Σ_T and T_subseq_isconstant computed once."""
    m = T.shape[1]
    M_T, S_T = stumpy.core.compute_mean_std(x, m)
    isconst = stumpy.core.rolling_isconstant(x, m)
    return [stumpy.mass(t, x, M_T=M_T, Σ_T=S_T, T_subseq_isconstant=isconst) for t in T]


def fft_floor(x, t):
    """Three real FFTs of length next_fast_len(n): rfft of x and of t, irfft."""
    N = scipy.fft.next_fast_len(x.shape[0], real=True)
    X = scipy.fft.rfft(x, N, workers=FFT_WORKERS)
    scipy.fft.rfft(t, N, workers=FFT_WORKERS)
    return scipy.fft.irfft(X, N, workers=FFT_WORKERS)


# ---------------------------------------------------------------- accuracy
def exact_distances(x, t, idx):
    """z-normalised Euclidean distance of t to the windows starting at idx,
    window by window in np.longdouble (two-pass mean and std)."""
    m = t.shape[0]
    tl = t.astype(np.longdouble)
    tz = tl - tl.mean()
    tz /= np.sqrt(np.mean(tz * tz))
    out = np.empty(len(idx), dtype=np.longdouble)
    for lo in range(0, len(idx), 50):
        ii = idx[lo:lo + 50]
        W = x[ii[:, None] + np.arange(m)].astype(np.longdouble)
        W -= W.mean(axis=1, keepdims=True)
        W /= np.sqrt(np.mean(W * W, axis=1, keepdims=True))
        out[lo:lo + 50] = np.sqrt(np.sum((W - tz) ** 2, axis=1))
    return out


def sample_windows(rng, n_windows, k, extra=()):
    idx = rng.choice(n_windows, size=min(k, n_windows), replace=False)
    extra = [int(i) for i in extra if 0 <= int(i) < n_windows]
    return np.unique(np.concatenate([idx, np.array(extra, dtype=np.int64)]))


def as_profiles(out, shape):
    """A contender's output as a float64 array of ``shape`` ((n_windows,) or
    (k, n_windows)); accepts result objects with a ``distance`` / ``score``
    field or ``to_numpy()``, and the transposed layout."""
    if isinstance(out, list):
        out = np.stack([as_profiles(o, shape[1:]) for o in out])
    for attr in ("distance", "distances", "score", "scores", "values"):
        if not isinstance(out, np.ndarray) and hasattr(out, attr):
            out = getattr(out, attr)
            break
    if hasattr(out, "to_numpy"):
        out = out.to_numpy()
    a = np.asarray(out, dtype=np.float64)
    if a.shape != shape and a.ndim == 2 and a.T.shape == shape:
        a = a.T
    if a.shape != shape:
        raise ValueError(f"output has shape {a.shape}, expected {shape}")
    return a


def max_abs_err(prof, ref, idx):
    d = np.abs(prof[idx].astype(np.longdouble) - ref)
    return float(np.max(d)) if np.all(np.isfinite(d)) else float("inf")


# ---------------------------------------------------------------- measuring
def measure(specs, repeats, errors):
    """Warm up every (name, fn, scale, est) of one point, then time them
    interleaved.  Returns the contenders, the warm-up outputs and the other
    processes' CPU share meanwhile."""
    snap0 = cpu_snapshot()
    cons, outs, _ = warm_up_and_time(specs, repeats, errors)
    return {"cons": cons, "outs": outs,
            "other": others_share(snap0, cpu_snapshot())}


def with_retries(label, make_specs, check, repeats, args, notes, errors):
    """``measure`` (after waiting for an idle machine), again up to --retry-busy
    times when other processes used the CPU; ``check(res)`` adds the accuracy.
    The least disturbed attempt is returned."""
    best = None
    for attempt in range(1 + args.retry_busy):
        if args.wait_idle > 0:
            waited = wait_idle(args.wait_idle)
            if waited > 1:
                log(f"waited {waited:.0f} s for an idle machine")
        log(label + (f" (again: other processes used {100 * best['other']:.0f}% of the CPU)"
                     if attempt else ""))
        attempt_errors = []
        res = measure(make_specs(), repeats, attempt_errors)
        res["errors"] = attempt_errors
        if best is None or res["other"] < best["other"]:
            best = res
        else:
            res["outs"].clear()
        if best["other"] <= BUSY_LIMIT:
            break
        gc.collect()
    best["attempts"] = attempt + 1
    errors += [(f"{label}: {name}", tb) for name, tb in best["errors"]]
    if best["other"] > BUSY_LIMIT:
        notes.append(f"{label}: other processes used {100 * best['other']:.0f}% of the CPU "
                     "while it ran: its timings are suspect")
    best["err"] = {}
    try:
        check(best)
    except Exception:  # noqa: BLE001 - reported with its traceback
        errors.append((f"{label}: accuracy check", traceback.format_exc()))
    best["outs"].clear()
    gc.collect()
    return best


# ---------------------------------------------------------------- part 1
def stumpy_plan(n, m, history):
    """Prefix length for stumpy.mass at (n, m): n, or n / 10^j when the call is
    predicted (linearly in n from the last measured n at this m) to take over
    STUMPY_LIMIT_S.  Returns (prefix, predicted seconds at full n or None)."""
    prev = history.get(m)
    if prev is None:
        return n, None
    n_prev, t_prev = prev
    predicted = t_prev * n / n_prev
    prefix = n
    while t_prev * prefix / n_prev > STUMPY_LIMIT_S and prefix // 10 >= 10 * m:
        prefix //= 10
    return prefix, predicted


def profile_point(x, t, match, n_s, rng):
    n, m = x.shape[0], t.shape[0]
    xs = x[:n_s]

    def specs():
        s = []
        if match is not None:
            s.append(("sigconv", lambda: match.distance_profile(x, t), 1.0, False))
        s += [("scipy", lambda: scipy_distance_profile(x, t), 1.0, False),
              ("stumpy", lambda: stumpy.mass(t, xs), n / n_s, n_s < n),
              ("3 FFTs", lambda: fft_floor(x, t), 1.0, False)]
        return s

    def check(res):
        outs = res["outs"]
        profs = {}
        for name in ("sigconv", "scipy", "stumpy"):
            if name in outs:
                nw = (n_s if name == "stumpy" else n) - m + 1
                profs[name] = as_profiles(outs[name], (nw,))
        best = [int(np.argmin(p)) for p in profs.values()]
        idx = sample_windows(rng, n - m + 1, REF_WINDOWS, best)
        ref = exact_distances(x, t, idx)
        for name, p in profs.items():
            if name == "stumpy" and n_s < n:
                idx_s = sample_windows(rng, n_s - m + 1, REF_WINDOWS, [int(np.argmin(p))])
                res["err"][name] = max_abs_err(p, exact_distances(xs, t, idx_s), idx_s)
            else:
                res["err"][name] = max_abs_err(p, ref, idx)
        res["windows"] = len(idx)
    return specs, check


# ---------------------------------------------------------------- part 2
def many_point(x, T, match, k_stumpy, rng):
    n, (k, m) = x.shape[0], T.shape

    def specs():
        s = []
        if match is not None:
            s.append(("sigconv match_many",
                      lambda: match.match_many(x, T, score="distance"), 1.0, False))
        s += [("scipy, 50 calls", lambda: [scipy_distance_profile(x, t) for t in T],
               1.0, False),
              ("scipy, window stats once", lambda: scipy_many_shared(x, T), 1.0, False),
              ("stumpy.mass, 50 calls",
               lambda: [stumpy.mass(t, x) for t in T[:k_stumpy]], k / k_stumpy,
               k_stumpy < k),
              ("stumpy.mass, window stats once", lambda: stumpy_many_shared(x, T),
               1.0, False)]
        return s

    def check(res):
        outs = res["outs"]
        idx = [sample_windows(rng, n - m + 1, MANY_REF_WINDOWS) for _ in range(k)]
        ref = [exact_distances(x, T[i], idx[i]) for i in range(k)]
        for name, out in outs.items():
            kk = k_stumpy if name == "stumpy.mass, 50 calls" else k
            P = as_profiles(out, (kk, n - m + 1))
            res["err"][name] = max(max_abs_err(P[i], ref[i], idx[i]) for i in range(kk))
        if "sigconv match_many" in outs and "scipy, 50 calls" in outs:
            res["vs_scipy"] = float(np.max(np.abs(
                as_profiles(outs["sigconv match_many"], (k, n - m + 1))
                - as_profiles(outs["scipy, 50 calls"], (k, n - m + 1)))))
    return specs, check


# ---------------------------------------------------------------- part 3
COLD_CODE = {
    "sigconv": """
import json, time
t0 = time.perf_counter()
import numpy as np
t1 = time.perf_counter()
x = np.cumsum(np.random.default_rng(0).standard_normal(%(n)d))
t = np.cumsum(np.random.default_rng(1).standard_normal(%(m)d))
t2 = time.perf_counter()
import sigconv
from sigconv.match import distance_profile
t3 = time.perf_counter()
distance_profile(x, t)
t4 = time.perf_counter()
distance_profile(x, t)
t5 = time.perf_counter()
print(json.dumps({"numpy": t1 - t0, "import": t3 - t2, "first": t4 - t3, "second": t5 - t4}))
""",
    "stumpy": """
import json, time
t0 = time.perf_counter()
import numpy as np
t1 = time.perf_counter()
x = np.cumsum(np.random.default_rng(0).standard_normal(%(n)d))
t = np.cumsum(np.random.default_rng(1).standard_normal(%(m)d))
t2 = time.perf_counter()
import stumpy
t3 = time.perf_counter()
stumpy.mass(t, x)
t4 = time.perf_counter()
stumpy.mass(t, x)
t5 = time.perf_counter()
print(json.dumps({"numpy": t1 - t0, "import": t3 - t2, "first": t4 - t3, "second": t5 - t4}))
""",
}

COMPILE_CODE = """
import json, time
t0 = time.perf_counter()
import numpy as np
import sigconv
from sigconv.match import distance_profile, match_many
t_import = time.perf_counter() - t0
rng = np.random.default_rng(0)
x = np.cumsum(rng.standard_normal(100_000))
t100 = np.cumsum(rng.standard_normal(100))
t1000 = np.cumsum(rng.standard_normal(1000))
T = np.cumsum(rng.standard_normal((5, 1000)), axis=1)
times = {"import": t_import}
for name, fn in (("m100", lambda: distance_profile(x, t100)),
                 ("m1000", lambda: distance_profile(x, t1000)),
                 ("many", lambda: match_many(x, T, score="distance"))):
    t1 = time.perf_counter(); fn(); t2 = time.perf_counter(); fn(); t3 = time.perf_counter()
    times[name] = [t2 - t1, t3 - t2]
print(json.dumps(times))
"""


def cold_start(names, runs):
    """Fresh processes per library (numba cache warmed by one run each first),
    interleaved; per library the in-process phases (JSON) and the wall time."""
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                else "")

    def run(code):
        t0 = perf()
        proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True,
                              capture_output=True, text=True)
        wall = perf() - t0
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]), wall=wall)

    codes = {name: COLD_CODE[name] % {"n": COLD_N, "m": COLD_M} for name in names}
    for name in names:
        run(codes[name])
    res = {name: [] for name in names}
    for r in range(runs):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            res[name].append(run(codes[name]))
    return res


def in_process_first_calls(match, rng):
    """First, second and steady-state (median of 5) calls in this process."""
    x = random_walk(rng, COLD_N)
    t = random_walk(rng, COLD_M)
    T = templates(rng, 5, MANY_M)
    return first_second_steady((
        (f"distance_profile, n={fint(COLD_N)}, m={COLD_M}",
         lambda: match.distance_profile(x, t)),
        (f"match_many, 5 templates of {MANY_M}, n={fint(COLD_N)}",
         lambda: match.match_many(x, T, score="distance"))))


# ---------------------------------------------------------------- report helpers
def ratio(cons, num, den):
    if num in cons and den in cons:
        return cons[num].time / cons[den].time
    return None


def spread_of(c):
    if c is None or not c.samples:
        return "-"
    return f"{fms(min(c.samples) * c.scale)}-{fms(max(c.samples) * c.scale)}"


def fratio(r, est=False):
    return "-" if r is None else f"{r:.3g}" + (" est." if est else "")


def ferr(e):
    if e is None:
        return "-"
    return "inf/NaN" if not np.isfinite(e) else f"{e:.1e}"


def verdict(r, goal):
    if r is None:
        return "-"
    return "yes" if r >= goal else ("no*" if r >= goal / 1.25 else "no")


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: m in 100, 1,000; n in 1e4, 1e5; many templates on "
                         "n=1e5; 3 cold-start runs; no compile-time processes")
    ap.add_argument("--peers-only", action="store_true",
                    help="time stumpy and scipy only (sigconv.match is not imported)")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed samples per contender (slow calls get fewer, but at least "
                         f"{FULL_MIN_REPEATS} in the full run); default 7, --quick 5")
    ap.add_argument("--cold-runs", type=int, default=None,
                    help="fresh processes per library for the cold start (default 5, "
                         "--quick 3; 0: skip)")
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                    help="measure numba compile time in fresh processes with an empty "
                         "cache (default: on, off with --quick or --peers-only)")
    add_load_options(ap, "point")
    ap.add_argument("--malloc-retain", action="store_true",
                    help="run again with glibc malloc keeping freed memory "
                         f"({', '.join(f'{k}={v}' for k, v in MALLOC_RETAIN.items())}), so "
                         "that large arrays reuse pages already faulted in: measures the "
                         "arithmetic without the per-call page-fault cost (not what users "
                         "get by default)")
    args = ap.parse_args(argv)
    if args.malloc_retain and any(os.environ.get(k) != v for k, v in MALLOC_RETAIN.items()):
        os.execve(sys.executable, [sys.executable] + sys.argv,
                  dict(os.environ, **MALLOC_RETAIN))
    repeats, min_repeats = set_repeats(args.repeats, args.quick)
    ms = TEMPLATE_LENGTHS[:2] if args.quick else TEMPLATE_LENGTHS
    ns = (10_000, 100_000) if args.quick else SERIES_LENGTHS
    many_ns = MANY_LENGTHS[:1] if args.quick else MANY_LENGTHS
    cold_runs = (3 if args.quick else 5) if args.cold_runs is None else args.cold_runs
    do_compile = (not args.quick and not args.peers_only) if args.compile is None \
        else (args.compile and not args.peers_only)
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    t_run0 = perf()
    commit = git_head()
    load_start = os.getloadavg()
    busy_start = cpu_busy()

    notes, errors, failures = [], [], []
    match, sigconv, cache_found, t_import = None, None, 0, None
    if not args.peers_only:
        cache_found = len(numba_cache_files(("match.", "sliding.", "direct.")))
        try:
            t0 = perf()
            import sigconv
            from sigconv import match
            t_import = perf() - t0
        except Exception:  # noqa: BLE001 - reported; the peers are still measured
            match = None
            errors.append(("import sigconv.match", traceback.format_exc()))
            log("import sigconv.match failed: peers only")
    rng = np.random.default_rng(SEED)
    first_rows = []
    if match is not None:
        log("first calls (numba cache load or compile)")
        first_rows = in_process_first_calls(match, rng)
    x_all = random_walk(rng, max(ns + many_ns))

    # ------------------------------------------------------------ part 1
    profile_res = []
    stumpy_hist = {}
    with scipy.fft.set_workers(FFT_WORKERS):
        for n in ns:
            x = x_all[:n]
            for m in ms:
                t = random_walk(rng, m)
                n_s, predicted = stumpy_plan(n, m, stumpy_hist)
                if n_s < n:
                    notes.append(f"m={m:,}, n={fint(n)}: stumpy.mass predicted to take "
                                 f"{predicted:.0f} s per call (over {STUMPY_LIMIT_S:g} s), "
                                 f"so it was timed on the first {fint(n_s)} samples of the "
                                 f"same walk and scaled x{n / n_s:g} (`est.`, not run at "
                                 "full length); its error is measured on that prefix")
                specs, check = profile_point(x, t, match, n_s, rng)
                res = with_retries(f"profile m={m:,}, n={fint(n)}", specs, check, repeats,
                                   args, notes, errors)
                if "stumpy" in res["cons"]:
                    c = res["cons"]["stumpy"]
                    stumpy_hist[m] = (n_s, c.time / c.scale)
                profile_res.append((n, m, n_s, res))

        # -------------------------------------------------------- part 2
        many_res = []
        T = templates(rng, MANY_TEMPLATES, MANY_M)
        for n in many_ns:
            x = x_all[:n]
            t0 = perf()
            stumpy.mass(T[0], x)
            t_one = perf() - t0
            k_st = int(max(1, min(MANY_TEMPLATES, LOOP_TARGET_S // max(t_one, 1e-9))))
            if k_st < MANY_TEMPLATES:
                notes.append(f"many templates, n={fint(n)}: the loop of stumpy.mass calls "
                             f"is timed on the first {k_st} of {MANY_TEMPLATES} templates "
                             f"({t_one:.2f} s per call) and scaled x{MANY_TEMPLATES / k_st:g} "
                             "(`est.`); its error is checked on those templates")
            specs, check = many_point(x, T, match, k_st, rng)
            res = with_retries(f"match_many {MANY_TEMPLATES} x {MANY_M}, n={fint(n)}", specs,
                               check, repeats, args, notes, errors)
            many_res.append((n, k_st, res))
    del x_all, x
    gc.collect()

    numba_threads = numba.get_num_threads()
    try:
        numba_layer = numba.threading_layer()
    except ValueError:                  # no parallel region has run yet
        numba_layer = "not started"

    # ------------------------------------------------------------ part 3
    cold = None
    if cold_runs > 0:
        names = ["stumpy"] if match is None else ["sigconv", "stumpy"]
        log(f"cold start ({cold_runs} fresh processes per library)")
        try:
            cold = cold_start(names, cold_runs)
        except Exception:  # noqa: BLE001 - reported with its traceback
            errors.append(("cold start", traceback.format_exc()))
    compile_runs = None
    if do_compile and match is not None:
        log("numba compile time (2 fresh processes, empty cache)")
        try:
            compile_runs = compile_times(COMPILE_CODE)
        except Exception:  # noqa: BLE001 - reported with its traceback
            errors.append(("compile-time processes", traceback.format_exc()))
    load_end = os.getloadavg()
    busy_end = cpu_busy()
    elapsed = perf() - t_run0

    # ------------------------------------------------------------ report
    R = ["# sigconv template-matching benchmark (vs stumpy.mass and scipy)\n"]
    R += machine_lines(command, load_start, load_end, busy_start, busy_end)
    R.append(f"- Python {platform.python_version()}, numpy {np.__version__}, scipy "
             f"{scipy.__version__}, stumpy {stumpy.__version__}, numba {numba.__version__}")
    if args.peers_only:
        R.append("- sigconv: not measured (`--peers-only`)")
    elif match is None:
        R.append("- sigconv: `import sigconv.match` failed (traceback below); peers only")
    else:
        cache_dir = (os.environ.get("NUMBA_CACHE_DIR") or numba.config.CACHE_DIR
                     or "next to source")
        R.append(f"- sigconv {getattr(sigconv, '__version__', '?')} at commit {commit}; from "
                 f"`{os.path.dirname(sigconv.__file__)}`; numba cache: {cache_dir} "
                 f"({cache_found} index files of the match/sliding/direct kernels found at "
                 f"start); `import sigconv.match` took {fms(t_import)} ms in this process")
    R.append("- **Threads:** " + ", ".join(f"{k}={v}" for k, v in BLAS_ENV.items())
             + " set before importing numpy; thread pools seen by threadpoolctl at the "
             "end of the run: " + "; ".join(blas_lines()) + f". scipy.fft runs under "
             f"`scipy.fft.set_workers({FFT_WORKERS})` for every contender (the scipy "
             "implementation's `oaconvolve`, stumpy's `scipy.signal.convolve`, the FFT "
             "floor; sigconv's overlap-save runs `numpy.fft` on its own threads, one per "
             f"core); numba (sigconv, stumpy) on {numba_threads} threads (layer "
             f"{numba_layer}).")
    if all(os.environ.get(k) == v for k, v in MALLOC_RETAIN.items()):
        R.append("- **Memory:** `--malloc-retain`: glibc malloc keeps freed memory ("
                 + ", ".join(f"{k}={v}" for k, v in MALLOC_RETAIN.items()) + "), so large "
                 "arrays reuse pages already faulted in; these timings leave out the "
                 "per-call page-fault cost that a default process pays")
    else:
        R.append("- **Memory:** default glibc malloc: arrays over 32 MiB are fresh mmaps, so "
                 "each call pays page faults on the memory it allocates (costly and erratic "
                 "in this VM at n = 1e7); `--malloc-retain` measures without them")
    R.append("- Inputs: random walks (`np.cumsum` of standard normal draws), float64, "
             f"seed {SEED}; the series of each n is the first n samples of one walk; "
             "each template an independent walk.")
    R.append(f"- Timing: warm-up call first, then all contenders of a point interleaved "
             f"(rotating order), median of {repeats} samples (slow calls fewer, at least "
             f"{min_repeats}); a sample loops a fast call for >= {SAMPLE_MIN_S * 1e3:.0f} ms. "
             "Differences under ~25% between runs are noise on this machine.")
    others = [r["other"] for *_, r in profile_res] + [r["other"] for *_, r in many_res]
    retried = sum(r["attempts"] > 1 for *_, r in profile_res + many_res)
    R.append(f"- Run time: {elapsed:.0f} s. Other processes' CPU share while timing: "
             f"median {100 * statistics.median(others):.0f}%, max {100 * max(others):.0f}%"
             + (f"; {retried} point(s) measured again (`--retry-busy`), the least disturbed "
                "attempt reported" if retried else "") + ".\n")

    # Part 1 tables.
    tally = {"scipy": [0, 0], "stumpy": [0, 0], "many": [0, 0]}
    R.append("## Distance profile of one template\n")
    R.append("`sigconv.match.distance_profile(x, t)` vs `stumpy.mass(t, x)` vs the scipy "
             "implementation (`oaconvolve` dot products + `cumsum` window statistics); "
             "`3 FFTs` is the floor: `rfft` of x and of t and one `irfft`, length "
             "`next_fast_len(n)`.\n")
    body = []
    for n, m, n_s, res in profile_res:
        cons = res["cons"]
        st_est = n_s < n
        r_sc, r_st = ratio(cons, "scipy", "sigconv"), ratio(cons, "stumpy", "sigconv")
        r_fl = ratio(cons, "sigconv", "3 FFTs")
        err = res["err"]
        exact = err.get("sigconv") is not None and err["sigconv"] <= EXACT_TOL
        goal_sc = "-"
        if r_sc is not None:
            ok = r_sc >= GOAL_SCIPY and exact
            tally["scipy"][0] += ok
            tally["scipy"][1] += 1
            goal_sc = ("yes" if ok else verdict(r_sc, GOAL_SCIPY) if exact
                       else "no (not exact)")
            if not ok:
                failures.append(f"m={m:,}, n={fint(n)}: scipy/sigconv {r_sc:.3g} (goal >= "
                                f"{GOAL_SCIPY:g})" + ("" if exact else ", sigconv error "
                                                      f"{ferr(err.get('sigconv'))}"))
        goal_st = "-"
        if r_st is not None and m >= GOAL_STUMPY_M:
            ok = r_st >= GOAL_STUMPY
            tally["stumpy"][0] += ok
            tally["stumpy"][1] += 1
            goal_st = verdict(r_st, GOAL_STUMPY)
            if not ok:
                failures.append(f"m={m:,}, n={fint(n)}: stumpy/sigconv {r_st:.3g} (goal >= "
                                f"{GOAL_STUMPY:g})")

        t_of = {k: fms(cons[k].time, cons[k].est) if k in cons else "-"
                for k in ("sigconv", "scipy", "stumpy", "3 FFTs")}
        path = "-"
        if match is not None:
            try:
                path = sigconv.choose_method(n, m, 1, mode="valid")
                path = "direct" if path == "direct" else "FFT"
            except Exception:  # noqa: BLE001 - informative only
                path = "?"
        spread = " / ".join(spread_of(cons.get(k)) for k in ("sigconv", "scipy"))
        body.append([f"{m:,}", fint(n), path, t_of["sigconv"], t_of["scipy"], t_of["stumpy"],
                     t_of["3 FFTs"], fratio(r_sc), goal_sc, fratio(r_st, st_est), goal_st,
                     fratio(r_fl), spread,
                     " / ".join(str(len(cons[k].samples)) if k in cons else "-"
                                for k in ("sigconv", "scipy", "stumpy", "3 FFTs")),
                     f"{100 * res['other']:.0f}%"])
    R.append(md_table(["m", "n", "sigconv path", "sigconv ms", "scipy impl. ms", "stumpy.mass ms",
                       "3 FFTs ms", "scipy / sigconv", f"goal >= {GOAL_SCIPY:g} and exact?",
                       "stumpy / sigconv", f"goal >= {GOAL_STUMPY:g} (m >= 1000)?",
                       "sigconv / 3 FFTs", "min-max ms sig / sci",
                       "samples sig / sci / stu / fft", "others' CPU"],
                      body))
    R.append("")
    R.append("Ratios: peer median / sigconv median (over 1: sigconv faster); `sigconv / 3 "
             "FFTs`: sigconv's time in units of the FFT floor (a bound for its FFT path "
             "only). `sigconv path`: what `method=\"auto\"` picks, "
             "`sigconv.choose_method(n, m, mode=\"valid\")`: direct sums, or FFT "
             "(overlap-save). `min-max`: the fastest and slowest timed sample (a wide "
             "spread at large n is mostly page faults on freshly allocated memory: see "
             "`--malloc-retain`). `no*`: missed by under 25% "
             "(within run-to-run noise). `est.`: stumpy timed on a prefix and scaled "
             "linearly in n (see notes). others' CPU: share of all cores used by other "
             "processes while the point ran; over ~10% its timings are suspect.\n")
    R.append("### Accuracy against the exact reference\n")
    body = []
    for n, m, n_s, res in profile_res:
        err = res["err"]
        body.append([f"{m:,}", fint(n), res.get("windows", "-"), ferr(err.get("sigconv")),
                     ferr(err.get("scipy")),
                     ferr(err.get("stumpy")) + (" (prefix)" if n_s < n and "stumpy" in err
                                                else "")])
    R.append(md_table(["m", "n", "windows checked", "sigconv max abs. err",
                       "scipy impl. max abs. err", "stumpy.mass max abs. err"], body))
    R.append("")
    R.append(f"Largest |distance - exact| over ~{REF_WINDOWS} random windows plus each "
             "contender's best-match window; exact: per window in np.longdouble (two-pass "
             f"mean and std). Distances here are O(sqrt(2m)); `exact` means <= {EXACT_TOL:g}. "
             "The scipy implementation's error comes from the window variance as a "
             "difference of cumulative sums of x**2 (catastrophic cancellation on a "
             "random walk's large values) and from the FFT's error relative to the whole "
             "series' norm.\n")

    # Part 2.
    R.append(f"## Many templates: {MANY_TEMPLATES} templates of length {MANY_M:,}\n")
    R.append(f'`sigconv.match.match_many(x, T, score="distance")` with T of shape '
             f"({MANY_TEMPLATES}, {MANY_M}) vs {MANY_TEMPLATES} separate calls of each peer; "
             "for orientation, each peer with the series' window statistics computed once "
             "for all templates (scipy: the cumulative sums; stumpy: `M_T`, `Σ_T` and "
             "`T_subseq_isconstant` passed to `stumpy.mass`).\n")
    body = []
    for n, k_st, res in many_res:
        cons = res["cons"]
        r_many = ratio(cons, "scipy, 50 calls", "sigconv match_many")
        goal = verdict(r_many, GOAL_MANY)
        if r_many is not None:
            ok = r_many >= GOAL_MANY
            tally["many"][0] += ok
            tally["many"][1] += 1
            if not ok:
                failures.append(f"match_many n={fint(n)}: 50 scipy calls / match_many "
                                f"{r_many:.3g} (goal >= {GOAL_MANY:g})")
        for name in ("sigconv match_many", "scipy, 50 calls", "scipy, window stats once",
                     "stumpy.mass, 50 calls", "stumpy.mass, window stats once"):
            c = cons.get(name)
            if c is None:
                body.append([fint(n), name] + ["-"] * 7)
                continue
            r = ratio(cons, name, "sigconv match_many")
            body.append([fint(n), name, fms(c.time, c.est), spread_of(c), len(c.samples),
                         fratio(r, c.est) if name != "sigconv match_many" else "1",
                         goal if name == "scipy, 50 calls" else "",
                         ferr(res["err"].get(name)), f"{100 * res['other']:.0f}%"])
    R.append(md_table(["n", "contender", "ms", "min-max ms", "samples", "÷ match_many",
                       f"goal >= {GOAL_MANY:g}?", "max abs. err", "others' CPU"], body))
    R.append("")
    R.append(f"Error: largest |distance - exact| over {MANY_REF_WINDOWS} random windows per "
             "template (all templates; the stumpy loop: the templates it ran).\n")

    # Part 3.
    R.append("## Cold start and compile time\n")
    if cold:
        R.append(f"Fresh `python -c` processes, n={fint(COLD_N)}, m={COLD_M}, numba cache "
                 f"warmed by one run each first, median of {cold_runs} interleaved runs; the "
                 "phases are timed inside the process (the wall time adds interpreter "
                 "start-up and making the data):\n")
        body = []
        for name, runs in cold.items():
            med = {k: statistics.median(r[k] for r in runs)
                   for k in ("numpy", "import", "first", "second", "wall")}
            total = statistics.median(r["numpy"] + r["import"] + r["first"] for r in runs)
            lib = "sigconv" if name == "sigconv" else "stumpy"
            call = "distance_profile" if name == "sigconv" else "stumpy.mass"
            goal = "-"
            if name == "sigconv":
                goal = "yes" if total < GOAL_COLD_S else "no"
                if total >= GOAL_COLD_S:
                    failures.append(f"cold start {total:.2f} s (goal < {GOAL_COLD_S:g} s)")
            body.append([lib, fms(med["numpy"]),
                         fms(med["import"]) + (" (sigconv + sigconv.match)"
                                               if name == "sigconv" else ""),
                         f"{fms(med['first'])} ({call})", fms(med["second"]),
                         f"{total:.3f}", goal, f"{med['wall']:.3f}",
                         ", ".join(f"{r['numpy'] + r['import'] + r['first']:.2f}"
                                   for r in runs)])
        R.append(md_table(["library", "import numpy ms", "import ms", "first call ms",
                           "second call ms", "numpy + import + first call s",
                           f"goal < {GOAL_COLD_S:g} s?", "process wall s", "all runs s"],
                          body))
        R.append("")
    else:
        R.append("Cold start not measured (`--cold-runs 0`, or it failed: see errors).\n")
    if first_rows:
        R.append(f"In this process (numba cache as found: {cache_found} index files of "
                 "the match/sliding/direct kernels), before any other sigconv.match call:\n")
        R.append(md_table(["call", "first ms", "second ms", "steady state ms (median of 5)"],
                          first_rows))
        R.append("")
    if compile_runs:
        R.append("Fresh processes sharing a new `NUMBA_CACHE_DIR` (one run each; wall time "
                 "includes interpreter start-up and imports; n=1e5; calls in this order, so "
                 "later ones reuse kernels the earlier ones compiled or loaded):\n")
        R.append(md_table(
            ["process", "wall s", "import sigconv.match ms",
             "distance_profile m=100 first / second ms",
             "distance_profile m=1000 first / second ms",
             "match_many 5 x 1000 first / second ms"],
            [(label, f"{wall:.2f}", fms(t["import"]),
              f"{fms(t['m100'][0])} / {fms(t['m100'][1])}",
              f"{fms(t['m1000'][0])} / {fms(t['m1000'][1])}",
              f"{fms(t['many'][0])} / {fms(t['many'][1])}")
             for label, wall, t in compile_runs]))
        R.append("")
    elif match is not None:
        R.append("Compile time in fresh processes not measured (`--quick`, `--no-compile`, "
                 "or it failed).\n")

    if errors:
        R.append("## Errors\n")
        for name, tb in errors:
            R.append(f"{name}:\n\n```\n{tb.rstrip()}\n```\n")
    R.append("## Summary\n")
    if match is None:
        R.append("- sigconv not measured: no goals checked.")
    else:
        R.append(f"- distance profile vs scipy implementation: {tally['scipy'][0]}/"
                 f"{tally['scipy'][1]} points >= {GOAL_SCIPY:g}x faster and exact "
                 f"(<= {EXACT_TOL:g})")
        R.append(f"- distance profile vs stumpy.mass, m >= {GOAL_STUMPY_M:,}: "
                 f"{tally['stumpy'][0]}/{tally['stumpy'][1]} points >= {GOAL_STUMPY:g}x")
        R.append(f"- match_many vs {MANY_TEMPLATES} scipy calls: {tally['many'][0]}/"
                 f"{tally['many'][1]} points >= {GOAL_MANY:g}x")
    errs = {}
    for n, m, n_s, res in profile_res:
        for name, e in res["err"].items():
            errs[name] = max(errs.get(name, 0.0), e)
    R.append("- largest error in distance over all profile points: "
             + ", ".join(f"{name} {ferr(e)}" for name, e in errs.items()))
    finish_report(R, failures, notes, args.out, elapsed)


if __name__ == "__main__":
    main()
