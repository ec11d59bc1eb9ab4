"""Timing and reporting helpers shared by the benchmarks in this directory.

Import this module before numpy: it pins the peers' BLAS pools to one thread
(numpy and scipy bundle separate OpenBLAS builds that fight over 2 cores
otherwise) and puts the repository root on ``sys.path``.

- :class:`Contender`, :func:`first_calls`, :func:`run_interleaved`: warm-up,
  then round-robin timing (rotating order) and a median per contender;
- :func:`max_rel_err`: agreement check of two outputs (NaN where both are NaN);
- :func:`fms`, :func:`fint`, :func:`md_table`: Markdown formatting;
- :func:`cpu_busy`, :func:`machine_lines`: the machine part of a report header.
"""
import os
import sys

# Must precede importing numpy.
BLAS_ENV = {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
os.environ.update(BLAS_ENV)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

import datetime
import gc
import math
import platform
import statistics
import subprocess
import time

import numpy as np

perf = time.perf_counter

SAMPLE_MIN_S = 0.02        # a timed sample loops a fast call until it lasts this long
SLOW_BUDGET_S = 4.0        # per contender and point: fewer repeats beyond this ...
MIN_REPEATS = 3            # ... but never fewer than this

log_start = perf()


def log(msg):
    print(f"[{perf() - log_start:7.1f}s] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- timing core
class Contender:
    """One timed callable; ``scale`` extrapolates a shorter input to the full one."""

    def __init__(self, name, fn, t_first, *, scale=1.0, est=False, sub=None):
        self.name, self.fn, self.t_first = name, fn, t_first
        self.scale, self.est, self.sub = scale, est, sub
        self.samples = []
        self.number = 1
        self.reps = 0

    @property
    def time(self):
        return statistics.median(self.samples) * self.scale if self.samples else None


def first_calls(fn):
    """Warm-up: time the first call; for fast calls a second, to size the loops."""
    t0 = perf()
    out = fn()
    t = perf() - t0
    if t < 0.05:
        t0 = perf()
        fn()
        t = min(t, perf() - t0)
    return t, out


def run_interleaved(contenders, repeats):
    """Round-robin over the contenders (rotating the order), median per contender."""
    for c in contenders:
        c.number = max(1, min(100_000, math.ceil(SAMPLE_MIN_S / max(c.t_first, 1e-7))))
        per_sample = c.t_first * c.number
        c.reps = repeats if per_sample * repeats <= SLOW_BUDGET_S else \
            max(MIN_REPEATS, int(SLOW_BUDGET_S // per_sample))
    rounds = max((c.reps for c in contenders), default=0)
    gc.collect()
    gc.disable()
    try:
        for r in range(rounds):
            shift = r % max(len(contenders), 1)
            for c in contenders[shift:] + contenders[:shift]:
                if len(c.samples) >= c.reps:
                    continue
                fn, number = c.fn, c.number
                t0 = perf()
                for _ in range(number):
                    fn()
                c.samples.append((perf() - t0) / number)
    finally:
        gc.enable()


def max_rel_err(out, ref):
    """Largest difference relative to the largest finite ``|ref|``; positions where
    both are NaN agree, NaN in one only gives inf."""
    a = np.asarray(out).reshape(ref.shape)
    ref = np.asarray(ref)
    nan_a, nan_r = np.isnan(a), np.isnan(ref)
    if (nan_a != nan_r).any():
        return math.inf
    if nan_r.any():
        a, ref = a[~nan_r], ref[~nan_r]
    if ref.size == 0:
        return 0.0
    scale = float(np.max(np.abs(ref))) or 1.0
    return float(np.max(np.abs(a - ref))) / scale


# ---------------------------------------------------------------- formatting
def fms(t, est=False):
    if t is None:
        return "-"
    ms = t * 1e3
    s = f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 \
        else f"{ms:.0f}"
    return s + " est." if est else s


def fint(v):
    e = round(math.log10(v))
    return f"1e{e}" if 10 ** e == v else f"{v:,}"


def md_table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- machine
def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gib():
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def cpu_busy(seconds=1.0):
    """Fraction of all cores busy over ``seconds`` (from /proc/stat), or None."""
    def read():
        with open("/proc/stat") as fh:
            v = [int(a) for a in fh.readline().split()[1:]]
        idle = v[3] + (v[4] if len(v) > 4 else 0)
        return sum(v), idle
    try:
        tot0, idle0 = read()
        time.sleep(seconds)
        tot1, idle1 = read()
    except (OSError, ValueError, IndexError):
        return None
    return 1.0 - (idle1 - idle0) / max(tot1 - tot0, 1)


def machine_lines(command, load_start, load_end, busy_start, busy_end):
    """Report header bullets: date, command, CPU, load average and CPU busy at the
    start and end of the run (flagged when the machine was not idle)."""
    R = [f"- Date: {datetime.datetime.now().isoformat(timespec='seconds')}",
         f"- Command: `{command}`",
         (f"- CPU: {cpu_model()}; {os.cpu_count()} logical cores "
          f"({len(os.sched_getaffinity(0))} usable); {mem_total_gib():.0f} GiB RAM; "
          f"{platform.system()} {platform.release()}"),
         f"- Load average (1/5/15 min): start {load_start[0]:.2f}/{load_start[1]:.2f}/"
         f"{load_start[2]:.2f}, end {load_end[0]:.2f}/{load_end[1]:.2f}/{load_end[2]:.2f}"
         + ("  **machine was not idle: treat the timings with caution**"
            if max(load_start[0], load_end[0]) > 0.5 else "")]
    if busy_start is not None and busy_end is not None:
        R.append(f"- CPU busy (all cores, 1 s sample with this benchmark idle): start "
                 f"{100 * busy_start:.0f}%, end {100 * busy_end:.0f}%"
                 + ("  **other processes were using the CPU**"
                    if max(busy_start, busy_end) > 0.1 else ""))
    return R


def finish_report(lines, failures, notes, out, elapsed):
    """End a markdown report: the missed goals and notes; print it, write it to ``out``."""
    if failures:
        lines.append("- missed: " + "; ".join(failures))
    if notes:
        lines.append("\n## Notes\n")
        lines += [f"- {note}" for note in notes]
    lines.append("")
    report = "\n".join(lines)
    print(report)
    if out:
        with open(out, "w") as fh:
            fh.write(report)
        log(f"wrote {out}")
    log(f"done in {elapsed:.0f} s")


def compile_times(code):
    """Two fresh processes sharing a new, empty NUMBA_CACHE_DIR run ``code`` (which
    prints a JSON line last): the first compiles the kernels, the second loads the
    cache the first wrote.  Returns ``[(label, wall seconds, parsed JSON), ...]``."""
    import json
    import subprocess
    import tempfile

    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                else "")
    runs = []
    with tempfile.TemporaryDirectory(prefix="sigconv-bench-numba-") as cache:
        env["NUMBA_CACHE_DIR"] = cache
        for label in ("empty cache (compiles)", "cache just written (loads it)"):
            t0 = perf()
            proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                                  check=True, capture_output=True, text=True)
            wall = perf() - t0
            runs.append((label, wall, json.loads(proc.stdout.strip().splitlines()[-1])))
    return runs


def numba_cache_files(prefixes):
    """numba cache index files of the ``_core`` kernel modules named by
    ``prefixes`` (e.g. ``("sliding.", "direct.")``), where numba looks: under
    NUMBA_CACHE_DIR (or numba's configured cache directory), else next to the
    source."""
    import glob

    import numba

    root = os.environ.get("NUMBA_CACHE_DIR") or numba.config.CACHE_DIR
    if root:
        pattern = os.path.join(root, "**", "*.nbi")
    else:
        pattern = os.path.join(REPO, "sigconv", "_core", "__pycache__", "*.nbi")
    return [f for f in glob.glob(pattern, recursive=True)
            if os.path.basename(f).startswith(tuple(prefixes))]


BUSY_LIMIT = 0.1       # other processes' CPU share above which a timing is suspect
FULL_MIN_REPEATS = 5   # the full run never takes fewer samples than this


def add_load_options(ap, unit):
    """``--wait-idle`` and ``--retry-busy``, for a benchmark measured by ``unit``
    ("case", "workload", "point")."""
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="S",
                    help=f"before each {unit} wait up to S seconds for the machine to be "
                         "idle (< 10%% busy); default 0 (no wait)")
    ap.add_argument("--retry-busy", type=int, default=0, metavar="N",
                    help=f"measure a {unit} again (up to N times) when other processes "
                         f"used over {100 * BUSY_LIMIT:g}%% of the CPU meanwhile; the least "
                         "disturbed attempt is reported; default 0")


def set_repeats(requested, quick):
    """Samples per contender (``--repeats``, default 7, 5 with ``--quick``) and the
    floor slow contenders keep: at least FULL_MIN_REPEATS in a full run
    (``run_interleaved`` reads the module global MIN_REPEATS)."""
    global MIN_REPEATS
    repeats = max(requested or (5 if quick else 7), MIN_REPEATS)
    if not quick:
        MIN_REPEATS = min(max(FULL_MIN_REPEATS, MIN_REPEATS), repeats)
    return repeats, MIN_REPEATS


def first_second_steady(calls):
    """For each ``(label, fn)``: the first call in this process (numba cache load
    or compile), a second call, and the steady state (median of 5 more), as
    formatted milliseconds; a call that raises gets its error's name."""
    import warnings

    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, fn in calls:
            try:
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
            except Exception as exc:  # noqa: BLE001 - reported in the table
                rows.append((label, f"raised {type(exc).__name__}", "-", "-"))
                continue
            rows.append((label, fms(t1 - t0), fms(t2 - t1), fms(statistics.median(steady))))
    return rows


def warm_up_and_time(specs, repeats, errors):
    """Warm up every ``(name, fn, scale, est)`` (its first calls size the timing
    loops), then time them interleaved, warnings silenced.  A contender that
    raises is left out, its traceback appended to ``errors``.  Returns the
    contenders by name, their warm-up outputs and the warnings each raised
    (count, distinct messages)."""
    import traceback
    import warnings

    cons, outs, warns = [], {}, {}
    for name, fn, scale, est in specs:
        log(f"  warm-up: {name}")
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                t, out = first_calls(fn)
        except Exception:  # noqa: BLE001 - any error of a contender is reported, not fatal
            errors.append((name, traceback.format_exc()))
            log(f"  {name} raised; left out")
            continue
        outs[name] = out
        if caught:
            warns[name] = (len(caught), sorted(
                {f"{w.category.__name__}: {str(w.message).strip()[:120]}" for w in caught}))
        cons.append(Contender(name, fn, t, scale=scale, est=est))
    log(f"  timing {len(cons)} contenders interleaved")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_interleaved(cons, repeats)
    return {c.name: c for c in cons}, outs, warns


# ---------------------------------------------------------------- other load
def cpu_snapshot():
    """(wall, busy CPU seconds of the whole machine, CPU seconds of this process)."""
    try:
        with open("/proc/stat") as fh:
            v = [int(a) for a in fh.readline().split()[1:]]
        busy = (sum(v[:8]) - v[3] - (v[4] if len(v) > 4 else 0)) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        busy = float("nan")
    return perf(), busy, time.process_time()


def others_share(start, end):
    """Share of all cores that other processes used between two snapshots."""
    wall = end[0] - start[0]
    other = (end[1] - start[1]) - (end[2] - start[2])
    return max(0.0, other / (wall * os.cpu_count())) if wall > 0 else float("nan")


def wait_idle(limit_s):
    """Wait (up to ``limit_s``) until the machine is idle: < 10% busy over 0.5 s."""
    t0 = perf()
    while perf() - t0 < limit_s:
        busy = cpu_busy(0.5)
        if busy is None or busy < 0.1:
            return perf() - t0
    return perf() - t0


# ---------------------------------------------------------------- provenance
def git_head():
    """Short commit of the repository, with ``+changes`` when sigconv/ is modified."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "sigconv"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"`{head}`" + (" +uncommitted changes in sigconv/" if dirty else "")


def blas_lines():
    """One line per thread pool threadpoolctl sees in this process."""
    import threadpoolctl

    out = []
    for info in threadpoolctl.threadpool_info():
        out.append(f"{info.get('internal_api')} {info.get('version') or ''} "
                   f"({os.path.basename(info.get('filepath', ''))}): "
                   f"{info.get('num_threads')} thread(s)")
    return out
