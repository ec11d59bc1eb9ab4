#!/usr/bin/env python
"""Benchmark of sigconv's convolution engine against numpy, scipy and torch.

Compares ``sigconv.convolve`` (``method="auto"`` and ``"direct"``) with
numpy.convolve, scipy.signal.convolve (auto), scipy.signal.fftconvolve,
scipy.signal.oaconvolve, scipy.ndimage.convolve1d and, when importable,
torch.nn.functional.conv1d (CPU), over single series (n = 1e4, 1e6, 1e7;
k = 3, 31, 255, 4095), a few float32 points, and a batch of 1000 series x
10,000 samples with a shared 64-tap kernel and with one kernel per series.

"full" peers (numpy / scipy.signal) are compared with sigconv ``mode="full"``;
same-length peers (ndimage, torch) with sigconv ``mode="same"``.
``ratio = sigconv auto time / fastest peer time`` for the same output: < 1
means sigconv is faster.  Also measured: the float64/float32 matmul peak
(2000 x 2000, 2 BLAS threads) to put the direct kernel's GFLOP/s in context,
first-call (numba) times, and fresh-process cold start.

Usage, from the repository root (run it on an idle machine)::

    python benchmarks/bench_engine.py --out docs/benchmarks.md
    python benchmarks/bench_engine.py --quick          # smoke test, ~1-2 minutes

The Markdown report goes to stdout (and to ``--out``); progress to stderr.
"""
import os
import sys

# _timing pins the peers' BLAS pools to one thread each (numpy and scipy bundle
# separate OpenBLAS builds that fight over 2 cores otherwise) and puts the
# repository root on sys.path.  Must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (
    BLAS_ENV,
    MIN_REPEATS,
    REPO,
    SAMPLE_MIN_S,
    Contender,
    cpu_busy,
    finish_report,
    fint,
    first_calls,
    fms,
    log,
    machine_lines,
    max_rel_err,
    md_table,
    perf,
    run_interleaved,
)

# isort: split
import argparse
import gc
import platform
import shlex
import statistics
import subprocess
import tempfile

import numba
import numpy as np
import scipy
import scipy.fft
import scipy.ndimage as ndi
import scipy.signal as sps

# ---------------------------------------------------------------- settings
CALL_CAP_S = 1.0           # a direct-sum peer predicted slower than this per call is
#                            timed on a shorter input and extrapolated ("est.")
SUB_TARGET_S = 0.3         # per-call time aimed at for that shorter input
PROBE_N = 100_000          # length used to predict a direct-sum peer's cost
DIRECT_FLOP_BUDGET = 2.5e10  # sigconv method="direct" skipped above this (2 n_out k)
TORCH_IM2COL_BYTES = 1e9   # torch CPU conv1d (im2col) buffer k * n_out * itemsize
TOL = {np.dtype(np.float64): 1e-8, np.dtype(np.float32): 2e-3}

# ---------------------------------------------------------------- timing core
def calibrate(name, make, size, work, *, extrapolate, max_size=None, probe=PROBE_N):
    """Warm up ``make(size)()``; for a direct-sum peer whose full-size call would
    exceed CALL_CAP_S (or max_size), time it on a shorter input instead and scale
    by ``work(size) / work(sub)``.  Returns (Contender or None, output, note)."""
    limit = size if max_size is None else min(size, max_size)
    if limit < size and not extrapolate:
        return None, None, "too large"
    if extrapolate and min(probe, limit) < size:
        probe = min(probe, limit)
        f = make(probe)
        t_p, _ = first_calls(f)
        predicted = t_p * work(size) / work(probe)
        if predicted <= CALL_CAP_S and limit == size:
            f = make(size)
            t, out = first_calls(f)
            return Contender(name, f, t), out, ""
        sub = int(min(limit, probe * max(1.0, SUB_TARGET_S / max(t_p, 1e-9))))
        if sub >= size:                      # the shorter input is the full one
            f = make(size)
            t, out = first_calls(f)
            return Contender(name, f, t), out, ""
        if sub > 1.5 * probe:
            f = make(sub)
            t_p, _ = first_calls(f)
        else:
            sub = probe
        c = Contender(name, f, t_p, scale=work(size) / work(sub), est=True, sub=sub)
        return c, None, f"timed at {sub:.3g} and scaled x{c.scale:.3g}"
    f = make(size)
    t, out = first_calls(f)
    return Contender(name, f, t), out, ""


# ---------------------------------------------------------------- machine
def matmul_rate(dtype, threads, repeats=7, size=2000):
    """GFLOP/s of an (size x size) @ (size x size) product: (median, best)."""
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).standard_normal((size, size)).astype(dtype)
    with threadpool_limits(threads, user_api="blas"):
        a @ a
        ts = []
        for _ in range(repeats):
            t0 = perf()
            a @ a
            ts.append(perf() - t0)
    flops = 2.0 * size ** 3
    return flops / statistics.median(ts) / 1e9, flops / min(ts) / 1e9


# ---------------------------------------------------------------- peers
def torch_same(torch, F, X, W, origin, per_series):
    """conv1d computing sigconv's mode="same" (zero boundary) of X (m, n) or (n,)."""
    k = W.shape[-1]
    left, right = k - 1 - origin, origin
    flipped = np.ascontiguousarray(W[..., ::-1])
    if X.ndim == 1:
        xt = torch.from_numpy(X.reshape(1, 1, -1))
        wt = torch.from_numpy(flipped.reshape(1, 1, k))
        groups = 1
    elif per_series:
        xt = torch.from_numpy(X.reshape(1, X.shape[0], -1))
        wt = torch.from_numpy(flipped.reshape(X.shape[0], 1, k))
        groups = X.shape[0]
    else:
        xt = torch.from_numpy(X.reshape(X.shape[0], 1, -1))
        wt = torch.from_numpy(flipped.reshape(1, 1, k))
        groups = 1
    if left == right:
        return lambda: F.conv1d(xt, wt, padding=left, groups=groups)
    return lambda: F.conv1d(F.pad(xt, (left, right)), wt, groups=groups)


def single_peers(mode, x, w, torch, F):
    """(name, make(n_sub), extrapolate, max_n) for one series."""
    k = w.size
    if mode == "full":
        return [
            ("numpy.convolve", lambda s: (lambda: np.convolve(x[:s], w)), True, None),
            ("scipy convolve (auto)", lambda s: (lambda: sps.convolve(x[:s], w)), True, None),
            ("fftconvolve", lambda s: (lambda: sps.fftconvolve(x[:s], w)), False, None),
            ("oaconvolve", lambda s: (lambda: sps.oaconvolve(x[:s], w)), False, None),
        ]
    origin = (k - 1) // 2
    nd_origin = 0 if k % 2 else -1          # ndimage's centre for even k is one later
    peers = [("ndimage.convolve1d",
              lambda s: (lambda: ndi.convolve1d(x[:s], w, mode="constant", cval=0.0,
                                                origin=nd_origin)), True, None)]
    if torch is not None:
        max_n = int(TORCH_IM2COL_BYTES // (k * x.itemsize))
        peers.append(("torch conv1d",
                      lambda s: torch_same(torch, F, x[:s], w, origin, False), True, max_n))
    return peers


def batch_peers(mode, X, W, per_series, torch, F):
    """(name, make(m_sub), extrapolate, max_m) for a batch; W is (m, k) or (k,)."""
    n = X.shape[1]
    k = W.shape[-1]
    W2 = W if per_series else W[None, :]

    def rows(s):
        return X[:s], (W2[:s] if per_series else W2)

    def np_loop(s):
        Xs, Ws = rows(s)

        def run():
            out = np.empty((s, n + k - 1), dtype=np.result_type(Xs, Ws))
            for i in range(s):
                out[i] = np.convolve(Xs[i], Ws[i if per_series else 0])
            return out
        return run

    origin = (k - 1) // 2
    nd_origin = 0 if k % 2 else -1

    def nd(s):
        Xs, Ws = rows(s)
        if not per_series:
            return lambda: ndi.convolve1d(Xs, Ws[0], axis=1, mode="constant", cval=0.0,
                                          origin=nd_origin)

        def run():
            out = np.empty_like(Xs)
            for i in range(s):
                ndi.convolve1d(Xs[i], Ws[i], mode="constant", cval=0.0, origin=nd_origin,
                               output=out[i])
            return out
        return run

    if mode == "full":
        peers = []
        if not per_series:   # 2-D convolution with a one-row kernel = row-wise
            peers.append(("scipy convolve (auto, 2-D)",
                          lambda s: (lambda: sps.convolve(X[:s], W2)), True, None))
        peers += [
            ("fftconvolve axes=1",
             lambda s: (lambda: sps.fftconvolve(*rows(s), axes=1)), True, None),
            ("oaconvolve axes=1",
             lambda s: (lambda: sps.oaconvolve(*rows(s), axes=1)), True, None),
            ("numpy.convolve row loop", np_loop, True, None),
        ]
        return peers
    peers = [("ndimage.convolve1d" + (" row loop" if per_series else " axis=1"), nd, True,
              None)]
    if torch is not None:
        label = "torch conv1d" + (" depthwise" if per_series else "")
        peers.append((label, lambda s: torch_same(torch, F, X[:s], W2[:s] if per_series
                                                  else W, origin, per_series), True, None))
    return peers


# ---------------------------------------------------------------- benchmark pieces
def goal_for(n, batch):
    """(limit on ratio, text) for the acceptance goals, or (None, None)."""
    if batch:
        return 0.5, "<= 0.5"
    if n >= 1_000_000:
        return 1.0, "<= 1"
    if n <= 10_000:
        return 1.5, "<= 1.5"
    return None, None


def measure_case(label, sig_auto, sig_direct, auto_method, peers, size, work, flops_full,
                 direct_ok, repeats, tol, notes, probe=PROBE_N):
    """Warm up and time sigconv auto/direct and the peers interleaved; return a result."""
    t_auto, ref = first_calls(sig_auto)
    contenders = [Contender("sigconv auto", sig_auto, t_auto)]
    direct = None
    if auto_method != "direct" and direct_ok:
        t_d, out = first_calls(sig_direct)
        err = max_rel_err(out, ref)
        if err > tol:
            notes.append(f"{label}: sigconv direct differs from auto by {err:.2g} (relative)")
        direct = Contender("sigconv direct", sig_direct, t_d)
        contenders.append(direct)
        del out
    peer_cs = {}
    for name, make, extrapolate, max_size in peers:
        try:
            c, out, note = calibrate(name, make, size, work, extrapolate=extrapolate,
                                     max_size=max_size, probe=probe)
        except Exception as exc:  # a peer that cannot do this case: report, go on
            notes.append(f"{label}: {name} failed: {type(exc).__name__}: {exc}")
            peer_cs[name] = None
            continue
        if note and c is not None:
            notes.append(f"{label}: {name} {note}")
        if out is not None:
            err = max_rel_err(out, ref)
            if err > tol:
                notes.append(f"{label}: {name} differs from sigconv by {err:.2g} (relative)")
            del out
        peer_cs[name] = c
        if c is not None:
            contenders.append(c)
    del ref
    run_interleaved(contenders, repeats)
    t_direct = contenders[0].time if auto_method == "direct" else \
        (direct.time if direct else None)
    res = {"auto": contenders[0].time, "direct": t_direct,
           "gflops": flops_full / t_direct / 1e9 if t_direct else None,
           "peers": {name: (c.time, c.est) if c else (None, False)
                     for name, c in peer_cs.items()},
           "reps": {c.name: c.reps for c in contenders}}
    timed = [(t, name, est) for name, (t, est) in res["peers"].items() if t]
    if timed:
        t_best, name, est = min(timed)
        res["fastest"] = (name + (" (est.)" if est else ""), t_best)
        res["ratio"] = res["auto"] / t_best
    else:
        res["fastest"], res["ratio"] = ("-", None), None
    return res


def in_process_first_calls(sigconv):
    """First call of each compiled specialisation in this process, then a second."""
    rng = np.random.default_rng(1)
    cases = [
        ("float64 direct, n=1e6, k=31 (large: threaded)", np.float64, 1_000_000, 31, "direct"),
        ("float64 direct, n=1e3, k=3 (small: serial)", np.float64, 1000, 3, "direct"),
        ("float32 direct, n=1e6, k=31", np.float32, 1_000_000, 31, "direct"),
        ("float32 direct, n=1e3, k=3", np.float32, 1000, 3, "direct"),
        ("float64, fft (n=1e5, k=31)", np.float64, 100_000, 31, "fft"),
        ("float64, overlap_add (n=1e5, k=31)", np.float64, 100_000, 31, "overlap_add"),
    ]
    rows = []
    for label, dtype, n, k, method in cases:
        x = rng.standard_normal(n).astype(dtype)
        w = rng.standard_normal(k).astype(dtype)
        t0 = perf()
        sigconv.convolve(x, w, method=method)
        t1 = perf()
        sigconv.convolve(x, w, method=method)
        t2 = perf()
        rows.append((label, fms(t1 - t0), fms(t2 - t1)))
    return rows


def cold_start(runs):
    """Fresh-process wall time to a first result (numba cache warmed first)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                else "")
    cmds = [
        ("python -c pass (interpreter only)", "pass"),
        ("import sigconv", "import sigconv"),
        ("sigconv first result",
         "import sigconv, numpy as np; sigconv.convolve(np.random.rand(10000), np.ones(31))"),
        ("scipy first result",
         "import numpy as np, scipy.signal; "
         "scipy.signal.fftconvolve(np.random.rand(10000), np.ones(31))"),
    ]

    def run(code, env_):
        t0 = perf()
        subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env_, check=True)
        return perf() - t0

    sig_code = cmds[2][1]
    run(sig_code, env)                           # warm numba's cache
    times = {label: [] for label, _ in cmds}
    for r in range(runs):
        for label, code in cmds[r % len(cmds):] + cmds[:r % len(cmds)]:
            times[label].append(run(code, env))
    med = {label: statistics.median(ts) for label, ts in times.items()}
    with tempfile.TemporaryDirectory(prefix="sigconv-bench-numba-") as cache:
        env2 = dict(env, NUMBA_CACHE_DIR=cache)
        compile_s = run(sig_code, env2)          # empty cache: compiles
        reload_s = run(sig_code, env2)           # the cache it just wrote
    return cmds, times, med, compile_s, reload_s


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: n in 1e4, 1e5; k in 3, 31, 255; batch 100 x 10,000")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--repeats", type=int, default=7,
                    help="timed samples per contender (>= 5 advised; slow cases get "
                         f"fewer, at least {MIN_REPEATS}); default 7")
    ap.add_argument("--cold-runs", type=int, default=None,
                    help="fresh processes per cold-start command (default 5, --quick 3)")
    ap.add_argument("--peer-fft-workers", type=int, default=os.cpu_count() or 1,
                    help="scipy.fft workers for the scipy.signal FFT peers, as sigconv's "
                         "FFT paths use (default: cpu count)")
    args = ap.parse_args(argv)
    repeats = max(args.repeats, MIN_REPEATS)
    cold_runs = args.cold_runs or (3 if args.quick else 5)
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    t_run0 = perf()
    load_start = os.getloadavg()
    busy_start = cpu_busy()

    t0 = perf()
    import sigconv
    t_import = perf() - t0
    try:
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(2)
        torch_info = f"{torch.__version__} (torch.set_num_threads(2))"
    except Exception as exc:  # optional peer
        torch = F = None
        torch_info = f"not importable ({type(exc).__name__}): torch column skipped"

    if args.quick:
        ns, ks = [10_000, 100_000], [3, 31, 255]
        f32_points = [(100_000, 31), (100_000, 255)]
        batch_shape = (100, 10_000)
    else:
        ns, ks = [10_000, 1_000_000, 10_000_000], [3, 31, 255, 4095]
        f32_points = [(1_000_000, 31), (1_000_000, 255), (10_000_000, 255)]
        batch_shape = (1000, 10_000)
    batch_k = 64

    log("first calls (numba compile or cache load)")
    first_rows = in_process_first_calls(sigconv)
    log("matmul peak")
    mm = {(dt, th): matmul_rate(dt, th) for dt in (np.float64, np.float32) for th in (1, 2)}
    peak = {np.dtype(dt): mm[(dt, 2)][1] for dt in (np.float64, np.float32)}

    rng = np.random.default_rng(12345)
    notes = []
    results = []   # (dtype, n, k, mode, auto_method, res)
    with scipy.fft.set_workers(args.peer_fft_workers):
        points = [(np.float64, n, k) for n in ns for k in ks] + \
                 [(np.float32, n, k) for n, k in f32_points]
        for dtype, n, k in points:
            dt = np.dtype(dtype)
            x = rng.standard_normal(n).astype(dt)
            w = rng.standard_normal(k).astype(dt)
            for mode in ("full", "same"):
                label = f"{dt.name} n={fint(n)} k={k} {mode}"
                log(label)
                n_out = n + k - 1 if mode == "full" else n
                flops = 2.0 * n_out * k
                auto_method = sigconv.choose_method(n, k, dtype=dt, mode=mode)

                def work(s, _mode=mode, _k=k):
                    return (s + _k - 1 if _mode == "full" else s) * _k

                res = measure_case(
                    label,
                    lambda _m=mode: sigconv.convolve(x, w, _m),
                    lambda _m=mode: sigconv.convolve(x, w, _m, method="direct"),
                    auto_method, single_peers(mode, x, w, torch, F), n, work, flops,
                    flops <= DIRECT_FLOP_BUDGET, repeats, TOL[dt], notes)
                results.append((dt, n, k, mode, auto_method, res))
            del x, w
            gc.collect()

        batch_results = []
        m, n = batch_shape
        X = rng.standard_normal(batch_shape)
        w_shared = rng.standard_normal(batch_k)
        W_rows = rng.standard_normal((m, batch_k))
        for per_series, W in ((False, w_shared), (True, W_rows)):
            for mode in ("full", "same"):
                label = f"batch {m}x{n} {'per-series' if per_series else 'shared'} " \
                        f"k={batch_k} {mode}"
                log(label)
                n_out = n + batch_k - 1 if mode == "full" else n
                flops = 2.0 * m * n_out * batch_k
                auto_method = sigconv.choose_method(n, batch_k, m, mode=mode)
                res = measure_case(
                    label,
                    lambda _m=mode, _W=W: sigconv.convolve(X, _W, _m),
                    lambda _m=mode, _W=W: sigconv.convolve(X, _W, _m, method="direct"),
                    auto_method, batch_peers(mode, X, W, per_series, torch, F), m,
                    lambda s: s, flops, flops <= DIRECT_FLOP_BUDGET, repeats,
                    TOL[np.dtype(np.float64)], notes, probe=max(1, m // 10))
                batch_results.append((per_series, mode, auto_method, res))
        del X, W_rows
        gc.collect()

    log("matmul peak (again, end of run)")
    mm_end = {(dt, th): matmul_rate(dt, th) for dt in (np.float64, np.float32) for th in (2,)}
    for dt in (np.float64, np.float32):
        peak[np.dtype(dt)] = max(peak[np.dtype(dt)], mm_end[(dt, 2)][1])
    log(f"cold start ({cold_runs} fresh processes per command)")
    cmds, cold_times, cold_med, compile_s, reload_s = cold_start(cold_runs)
    load_end = os.getloadavg()
    busy_end = cpu_busy()
    elapsed = perf() - t_run0

    # ------------------------------------------------------------ report
    R = []
    R.append("# sigconv engine benchmark\n")
    R += machine_lines(command, load_start, load_end, busy_start, busy_end)
    R.append(f"- Python {platform.python_version()}, numpy {np.__version__}, scipy "
             f"{scipy.__version__}, numba {numba.__version__}, torch {torch_info}")
    R.append(f"- sigconv {getattr(sigconv, '__version__', '?')} from "
             f"`{os.path.dirname(sigconv.__file__)}`; numba threads "
             f"{numba.get_num_threads()} (layer {numba.threading_layer()}); numba cache: "
             f"{os.environ.get('NUMBA_CACHE_DIR') or numba.config.CACHE_DIR or 'next to the source'}")
    R.append("- Threads: " + ", ".join(f"{k}={v}" for k, v in BLAS_ENV.items())
             + " set before importing numpy/scipy (peers' BLAS single-threaded); "
             f"scipy.signal FFT peers run under scipy.fft.set_workers({args.peer_fft_workers})"
             " (sigconv's FFT paths use scipy.fft workers=cpu count); torch.set_num_threads(2);"
             " sigconv's numba kernels use numba's default thread count.")
    R.append(f"- Timing: warm-up call first, then all contenders of a case interleaved "
             f"(rotating order), median of {repeats} samples (slow contenders fewer, at "
             f"least {MIN_REPEATS}); a sample loops a fast call for >= "
             f"{SAMPLE_MIN_S * 1e3:.0f} ms. Differences under ~25% between runs are noise "
             "on this machine.")
    R.append(f"- `est.`: a direct-sum peer predicted to take > {CALL_CAP_S:g} s per call "
             f"(or, for torch, an im2col buffer > {TORCH_IM2COL_BYTES / 1e9:g} GB) was timed on a "
             "shorter input and scaled linearly by n_out*k (see notes); estimates count "
             "when picking the fastest peer. sigconv direct is skipped (`-`) above "
             f"{DIRECT_FLOP_BUDGET:.2g} flop.")
    R.append(f"- Run time: {elapsed:.0f} s.\n")

    R.append("## Machine peak (numpy 2000x2000 matmul)\n")
    R.append(md_table(
        ["dtype", "1 thread GFLOP/s (median / best)", "2 threads GFLOP/s (median / best)",
         "2 threads at end of run", "peak used"],
        [(np.dtype(dt).name, "%.1f / %.1f" % mm[(dt, 1)], "%.1f / %.1f" % mm[(dt, 2)],
          "%.1f / %.1f" % mm_end[(dt, 2)], f"{peak[np.dtype(dt)]:.1f}")
         for dt in (np.float64, np.float32)]))
    R.append("\nPeak used = best 2-thread sample of the two measurements. Direct GFLOP/s "
             "counts 2*n_out*k flop (a multiply and an add per tap) and is given as a % of "
             "the peak of its dtype (over 100% means contention depressed the peak "
             "measurement).\n")

    goal_tally = {"float64": [0, 0], "float32": [0, 0], "batch": [0, 0]}
    failures = []

    def goal_cell(ratio, limit, key, label):
        if ratio is None or limit is None:
            return "n/a"
        ok = ratio <= limit
        goal_tally[key][0] += ok
        goal_tally[key][1] += 1
        if not ok:
            failures.append(f"{label}: ratio {ratio:.2f} (goal {limit:g})")
        return "yes" if ok else ("no*" if ratio <= limit * 1.25 else "no")

    def gf_cell(res, dt):
        if not res["gflops"]:
            return "-"
        return f"{res['gflops']:.1f} ({100 * res['gflops'] / peak[dt]:.0f}%)"

    for mode, title in (("full", "mode=\"full\": numpy / scipy.signal peers"),
                        ("same", "mode=\"same\" (zero boundary): ndimage / torch peers")):
        rows = [r for r in results if r[3] == mode]
        peer_names = list(rows[0][5]["peers"]) if rows else []
        R.append(f"## Single series, {title}\n")
        body = []
        for dt, n, k, _, auto_method, res in rows:
            limit, _ = goal_for(n, False)
            key = dt.name
            body.append([dt.name, fint(n), k, auto_method, fms(res["auto"]),
                         fms(res["direct"]), gf_cell(res, dt)]
                        + [fms(*res["peers"][p]) for p in peer_names]
                        + [res["fastest"][0],
                           f"{res['ratio']:.2f}" if res["ratio"] else "-",
                           goal_cell(res["ratio"], limit, key,
                                     f"{dt.name} n={fint(n)} k={k} {mode}")])
        R.append(md_table(["dtype", "n", "k", "auto picks", "sigconv auto ms",
                           "sigconv direct ms", "direct GFLOP/s"]
                          + [f"{p} ms" for p in peer_names]
                          + ["fastest peer", "ratio", "goal met?"], body))
        R.append("")
    R.append("Goals: n >= 1e6 ratio <= 1 (never slower than the fastest peer); n = 1e4 "
             "ratio <= 1.5; n = 1e5 (--quick only) none. `no*`: missed by under 25% "
             "(within run-to-run noise). float32 rows are judged by the same rule but "
             "tallied apart.\n")

    R.append(f"## Batch: {batch_shape[0]} series x {batch_shape[1]:,} samples, float64, "
             f"k={batch_k}\n")
    for mode in ("full", "same"):
        rows = [r for r in batch_results if r[1] == mode]
        names = []
        for r in rows:
            names += [p for p in r[3]["peers"] if p not in names]
        body = []
        for per_series, _, auto_method, res in rows:
            what = "one kernel per series" if per_series else "shared kernel"
            body.append([what, auto_method, fms(res["auto"]), fms(res["direct"]),
                         gf_cell(res, np.dtype(np.float64))]
                        + [fms(*res["peers"][p]) if p in res["peers"] else "n/a"
                           for p in names]
                        + [res["fastest"][0],
                           f"{res['ratio']:.2f}" if res["ratio"] else "-",
                           goal_cell(res["ratio"], 0.5, "batch",
                                     f"batch {what} {mode}")])
        R.append(f"mode=\"{mode}\":\n")
        R.append(md_table(["kernel", "auto picks", "sigconv auto ms", "sigconv direct ms",
                           "direct GFLOP/s"] + [f"{p} ms" for p in names]
                          + ["fastest peer", "ratio", "goal met? (<= 0.5)"], body))
        R.append("")

    R.append("## Cold start\n")
    R.append(f"Fresh `python -c` processes, wall time including interpreter start-up, median "
             f"of {cold_runs} interleaved runs; numba cache warmed by one run first; "
             "same thread environment as above.\n")
    R.append(md_table(["command", "median s", "all runs s"],
                      [(label, f"{cold_med[label]:.3f}",
                        ", ".join(f"{t:.2f}" for t in cold_times[label]))
                       for label, _ in cmds]))
    sig_first, sp_first = cold_med["sigconv first result"], cold_med["scipy first result"]
    imp = cold_med["import sigconv"]
    cold_ok = sig_first <= sp_first
    R.append(f"\n- sigconv first result {sig_first:.3f} s vs scipy {sp_first:.3f} s: "
             f"{'met' if cold_ok else 'NOT met'} (goal: no slower).")
    R.append(f"- `import sigconv` {imp:.3f} s: {'met' if imp < 0.6 else 'NOT met'} "
             "(goal: < 0.6 s).")
    R.append(f"- With an empty numba cache (`NUMBA_CACHE_DIR` set to a new directory): first "
             f"result {compile_s:.2f} s (compiles), then {reload_s:.2f} s (loads that cache); "
             "one run each.")
    R.append(f"- In this process, `import sigconv` (numpy/scipy already loaded) took "
             f"{t_import * 1e3:.0f} ms; first calls per compiled specialisation (numba "
             "cache as found):\n")
    R.append(md_table(["case", "first call ms", "second call ms"], first_rows))
    R.append("")

    R.append("## Summary\n")
    for key, (ok, total) in goal_tally.items():
        if total:
            R.append(f"- {key}: {ok}/{total} goal points met")
    R.append(f"- cold start: first result {'met' if cold_ok else 'NOT met'}, import "
             f"{'met' if imp < 0.6 else 'NOT met'}")
    finish_report(R, failures, notes, args.out, elapsed)


if __name__ == "__main__":
    main()
