#!/usr/bin/env python
"""sigconv on Dask: a series larger than memory is worth, and a panel of many series.

Long series.  A float64 series of ``--n`` samples (default 2e8, 1.6 GB) is
written once to an ``.npy`` file in ``--dir`` (a random walk plus noise, with
a template planted ten times).  Each workload then runs in a fresh process,
so that its peak resident memory (``VmHWM``) is its own:

- ``dask smooth``: ``sigconv.gaussian_smooth`` (sigma 50, 401 taps) of a
  ``dask.array`` read chunk by chunk from the file, written chunk by chunk to
  another ``.npy`` file (``dask.array.store``; threaded scheduler, 2 threads);
- ``dask find``: ``sigconv.find_matches(x, template, k=10)`` (template of 1000
  samples) on the same dask array;
- ``memory smooth`` / ``memory find``: the same calls on the whole series
  loaded into memory, for the throughput and memory of the in-memory path.

Chunks are read with ``numpy.fromfile`` into ordinary memory (not a memmap,
whose file pages would count as resident), so the dask path holds a few
chunks at a time.  The dask results are checked against the in-memory ones on
the first and last 2e6 samples and around chunk boundaries (to 1e-12), and
the matches must be the same.

Panel.  ``--series`` (default 10,000) AR(2) series of 200 samples each, as a
long dask DataFrame of 20 partitions, fitted by ``sigconv.dask.fit_many`` on a
``distributed.LocalCluster`` with 2 worker processes of 1 thread (loopback
only); against the in-memory fit of the same series as one wide DataFrame
(``sigconv.fit_ar``, one call) and one ``fit_ar`` call per series.  Peak
memory of the cluster is the sum of its processes' peaks.  Peaks are each
process's ``VmHWM`` (``ru_maxrss`` would carry a parent's peak into its
children).

Usage, from the repository root (idle machine; about 5 minutes at full size)::

    python benchmarks/bench_dask.py --out /tmp/bench_dask.md
    python benchmarks/bench_dask.py --quick        # n = 2e7, 2,000 series

The Markdown report goes to stdout (and to ``--out``); progress to stderr.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# _timing pins BLAS pools to one thread and puts the repository root on sys.path:
# it must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import git_head, log, md_table

# isort: split
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SIGMA = 50.0
TEMPLATE = 1000
PLANTED = 10
K = 10
LENGTH = 200            # samples per panel series
PARTITIONS = 20
MEMORY_GOAL_MB = 1024


def peak_mb():
    """This process's peak resident memory: VmHWM, which starts afresh with each
    program (``ru_maxrss`` would carry the parent's peak over ``fork`` and ``exec``)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------- the data
def template():
    t = np.linspace(0, 1, TEMPLATE)
    return np.sin(2 * np.pi * 3 * t) * np.hanning(TEMPLATE) * 8.0


def planted_starts(n):
    return np.linspace(n // 20, n - n // 20 - TEMPLATE, PLANTED).astype(np.int64)


def write_series(path, n, block=1 << 24):
    """A random walk plus noise with the template planted, written block by block."""
    rng = np.random.default_rng(0)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(n,))
    level = 0.0
    for start in range(0, n, block):
        size = min(block, n - start)
        walk = level + np.cumsum(rng.normal(0, 0.01, size))
        level = walk[-1]
        out[start:start + size] = walk + rng.normal(0, 1, size)
    shape = template()
    for s in planted_starts(n):
        out[s:s + TEMPLATE] += shape
    out.flush()
    del out


def header_bytes(path):
    with open(path, "rb") as f:
        major, _ = np.lib.format.read_magic(f)
        read = (np.lib.format.read_array_header_1_0 if major == 1
                else np.lib.format.read_array_header_2_0)
        read(f)
        return f.tell()


def dask_series(path, chunk):
    """The .npy file as a dask array whose chunks are read with numpy.fromfile."""
    import dask
    import dask.array as da

    n = np.load(path, mmap_mode="r").shape[0]
    offset = header_bytes(path)

    def read(start, size):
        with open(path, "rb") as f:
            f.seek(offset + 8 * start)
            return np.fromfile(f, dtype=np.float64, count=size)

    parts = [da.from_delayed(dask.delayed(read)(s, min(chunk, n - s)), (min(chunk, n - s),),
                             dtype=np.float64) for s in range(0, n, chunk)]
    return da.concatenate(parts)


class NpyWriter:
    """A ``dask.array.store`` target writing each block into an .npy file with
    ordinary writes (no memmap pages held)."""

    def __init__(self, path, n):
        np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(n,)).flush()
        self.path, self.offset = path, header_bytes(path)

    def __setitem__(self, key, block):
        (region,) = key if isinstance(key, tuple) else (key,)
        with open(self.path, "r+b") as f:
            f.seek(self.offset + 8 * region.start)
            f.write(np.ascontiguousarray(block, dtype=np.float64).tobytes())


# ------------------------------------------------------------ workloads (child)
def workload(name, path, out_path, chunk):
    import dask

    import sigconv

    dask.config.set(scheduler="threads", num_workers=2)
    start = time.perf_counter()
    result = {}
    if name == "dask smooth":
        x = dask_series(path, chunk)
        import dask.array as da

        da.store(sigconv.gaussian_smooth(x, SIGMA), NpyWriter(out_path, x.shape[0]), lock=False)
    elif name == "memory smooth":
        x = np.load(path)
        np.save(out_path, sigconv.gaussian_smooth(x, SIGMA))
    elif name == "dask find":
        matches = sigconv.find_matches(dask_series(path, chunk), template(), k=K)
        result["starts"] = sorted(int(s) for s in matches["start"])
        result["scores"] = [float(v) for v in matches.sort_values("start")["score"]]
    elif name == "memory find":
        matches = sigconv.find_matches(np.load(path), template(), k=K)
        result["starts"] = sorted(int(s) for s in matches["start"])
        result["scores"] = [float(v) for v in matches.sort_values("start")["score"]]
    else:
        raise ValueError(name)
    result.update(seconds=time.perf_counter() - start, peak_mb=peak_mb())
    print(json.dumps(result))


def run_child(name, path, out_path, chunk):
    command = [sys.executable, __file__, "--child", name, "--data", str(path),
               "--result", str(out_path), "--chunk", str(chunk)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare_outputs(dask_out, memory_out, n, chunk):
    """Largest |difference| relative to the output's scale, at the ends and around
    chunk boundaries."""
    a, b = np.load(dask_out, mmap_mode="r"), np.load(memory_out, mmap_mode="r")
    edge = min(2_000_000, n)
    pieces = [slice(0, edge), slice(n - edge, n)]
    pieces += [slice(max(s - 1000, 0), min(s + 1000, n)) for s in range(chunk, n, chunk)][:50]
    scale = max(float(np.max(np.abs(b[:edge]))), 1.0)
    return max(float(np.max(np.abs(a[p] - b[p]))) for p in pieces) / scale


# ------------------------------------------------------------------------ panel
def panel(n_series, seed=0):
    import pandas as pd

    rng = np.random.default_rng(seed)
    coef = np.column_stack([rng.uniform(0.2, 0.6, n_series), rng.uniform(-0.4, 0.2, n_series)])
    e = rng.normal(size=(LENGTH + 100, n_series))
    y = np.zeros_like(e)
    for t in range(2, y.shape[0]):
        y[t] = coef[:, 0] * y[t - 1] + coef[:, 1] * y[t - 2] + e[t]
    wide = pd.DataFrame(y[100:], columns=pd.Index([f"s{i:05d}" for i in range(n_series)],
                                                  name="id"))
    long = wide.melt(ignore_index=False, var_name="id", value_name="y")
    long["t"] = np.tile(np.arange(LENGTH), n_series)
    return wide, long.reset_index(drop=True)[["id", "t", "y"]]


def bench_panel(n_series):
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import sigconv
    from sigconv.dask import fit_many

    wide, long = panel(n_series)
    rows = []
    start = time.perf_counter()
    sigconv.fit_ar(wide, 2, method="ols")
    t_wide = time.perf_counter() - start
    rows.append(("in memory, one call on the wide frame", t_wide, peak_mb()))
    start = time.perf_counter()
    singles = {c: sigconv.fit_ar(wide[c].to_numpy(), 2, method="ols").coef for c in wide}
    t_loop = time.perf_counter() - start
    rows.append(("in memory, one fit_ar per series", t_loop, peak_mb()))

    ddf = dd.from_pandas(long, npartitions=PARTITIONS, sort=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("sigconv").fit_ar(np.random.default_rng(0).normal(
            size=50), 2, method="ols"))                     # warm the workers' kernels
        start = time.perf_counter()
        fitted = fit_many(ddf, "ar", by="id", time="t", value="y", order=2, method="ols",
                          client=client)
        t_dask = time.perf_counter() - start
        worker_mb = sum(client.run(peak_mb).values())
        scheduler_mb = client.run_on_scheduler(peak_mb)
    rows.append(("dask LocalCluster, 2 workers (fit_many)", t_dask,
                 worker_mb + scheduler_mb + peak_mb()))
    ours = fitted.loc[wide.columns, ["ar.L1", "ar.L2"]].to_numpy()
    err = float(np.max(np.abs(ours - np.vstack(list(singles.values())))))
    failed = int((fitted["status"] != "ok").sum())
    return rows, err, failed


# ------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=float, default=2e8, help="samples of the long series")
    ap.add_argument("--chunk", type=int, default=1 << 21, help="samples per dask chunk")
    ap.add_argument("--series", type=int, default=10_000, help="series in the panel")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "sigconv_bench",
                    help="folder for the data files (kept between runs)")
    ap.add_argument("--quick", action="store_true", help="n = 2e7 and 2,000 series")
    ap.add_argument("--out", type=Path, help="also write the report here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return workload(args.child, args.data, args.result, args.chunk)

    n = int(2e7 if args.quick else args.n)
    n_series = 2000 if args.quick else args.series
    began = time.perf_counter()
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / f"series_{n}.npy"
    if not path.exists() or np.load(path, mmap_mode="r").shape != (n,):
        log(f"writing {n:,} samples to {path}")
        write_series(path, n)

    results = {}
    for name in ("dask smooth", "memory smooth", "dask find", "memory find"):
        log(f"{name} ...")
        out = args.dir / f"{name.replace(' ', '_')}.npy"
        results[name] = run_child(name, path, out, args.chunk)
        log(f"  {results[name]['seconds']:.1f} s, peak {results[name]['peak_mb']:.0f} MB")
    smooth_err = compare_outputs(args.dir / "dask_smooth.npy", args.dir / "memory_smooth.npy",
                                 n, args.chunk)
    same_matches = results["dask find"]["starts"] == results["memory find"]["starts"]
    score_err = max(abs(a - b) for a, b in zip(results["dask find"]["scores"],
                                               results["memory find"]["scores"]))
    # The noise may move a match a sample or two from where it was planted.
    found = all(min(abs(s - p) for s in results["dask find"]["starts"]) <= 2
                for p in planted_starts(n))

    log(f"panel of {n_series:,} series ...")
    panel_rows, panel_err, failed = bench_panel(n_series)

    gb = n * 8 / 1e9
    lines = ["# sigconv on Dask", "",
             (f"Command: `python benchmarks/bench_dask.py{' --quick' if args.quick else ''}`; "
             f"{platform.machine()}, {os.cpu_count()} cores, git {git_head()}."), "",
             (f"## A {gb:.1f} GB series ({n:,} float64 samples on disk, chunks of "
             f"{args.chunk:,})"), ""]
    rows = []
    for name in ("dask smooth", "memory smooth", "dask find", "memory find"):
        r = results[name]
        rows.append([name, f"{r['seconds']:.1f}", f"{n / r['seconds'] / 1e6:.0f}",
                     f"{r['peak_mb']:.0f}"])
    lines.append(md_table(["workload", "seconds", "Msamples/s", "peak RSS (MB)"], rows))
    lines += ["",
              (f"- dask smoothing vs in-memory: max |difference| / scale = {smooth_err:.1e} "
              "(first and last 2e6 samples, 50 chunk boundaries)"),
              (f"- matches: the same {K} starts in both: {same_matches}; all {PLANTED} planted "
              f"found (within 2 samples): {found}; max score difference {score_err:.1e}"),
              (f"- dask peak memory under {MEMORY_GOAL_MB} MB: smooth "
              f"{results['dask smooth']['peak_mb'] < MEMORY_GOAL_MB}, find "
              f"{results['dask find']['peak_mb'] < MEMORY_GOAL_MB}"), "",
              f"## A panel of {n_series:,} AR(2) series of {LENGTH} samples (OLS fits)", ""]
    lines.append(md_table(["how", "seconds", "series/s", "peak RSS (MB)"],
                          [[how, f"{t:.2f}", f"{n_series / t:,.0f}", f"{mb:.0f}"]
                           for how, t, mb in panel_rows]))
    lines += ["", (f"- fit_many vs in-memory coefficients: max |difference| {panel_err:.1e}; "
                  f"series failed: {failed}"),
              f"- total time of the benchmark {time.perf_counter() - began:.0f} s"]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
