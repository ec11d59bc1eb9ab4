#!/usr/bin/env python
"""Benchmark of sigconv.nn training steps against PyTorch (CPU).

Two workloads, each in float32 and float64, the same architecture, weights
(loaded from sigconv's state dict), inputs and optimiser on both sides:

- TCN step: ``TCN([1, 16, 16, 16], kernel_size=5, dilations=[1, 2, 4])``
  (three causal residual blocks of two convolutions, ReLU, dropout 0, a 1x1
  convolution on the first block's skip path) on a batch of 64 windows of
  256 steps; the loss is the mean squared error of the last output channel
  against a target.  A step is ``zero_grad`` + forward + loss + backward +
  ``Adam.step``.  PyTorch: ``torch.nn.Conv1d`` after ``F.pad`` for the
  causal padding, ``F.relu``, ``torch.optim.Adam`` (single-tensor, CPU
  default), autograd.  Also timed: the TCN forward alone (inference).
- Linear convolution: ``Conv1d(1, 1, 32, bias=False)``, causal, on one
  series of 1e5 samples (batch 1) predicting the next value (an AR(32)
  fitted by gradient descent); the same step.

Before timing, one step of each side from the same state is compared: the
largest difference of the loss and of every parameter after the step,
relative to the largest value (``agreement``).

Threads: ``OPENBLAS_NUM_THREADS=1`` (set before numpy is imported),
``torch.set_num_threads(numba.get_num_threads())`` so both use the same
cores.  Timing: warm-up steps first, then the contenders interleaved
(rotating order), median over >= 7 samples of >= 20 ms each.  The first
step in this process (numba cache load, or compilation) is reported apart;
with ``--compile`` also the compile time in fresh processes with an empty
numba cache.  ``ratio = sigconv time / PyTorch time``; goal: ratio <= 1
(no slower than PyTorch) for the training steps.

Usage, from the repository root (on an idle machine)::

    python benchmarks/bench_nn.py --out /tmp/bench_nn.md
    python benchmarks/bench_nn.py --quick          # smoke test

On a shared machine, ``--wait-idle 60 --retry-busy 2`` waits for an idle
machine before each workload and measures it again when other processes
used over 10% of the CPU meanwhile (the least disturbed attempt is kept).
With two cores, another busy process makes every two-thread timing (ours
and PyTorch's) several times slower and erratic.

The Markdown report goes to stdout (and to ``--out``); progress to stderr.
"""
import os
import sys

# _timing pins BLAS pools to one thread and puts the repository root on
# sys.path.  Must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (
    BLAS_ENV,
    BUSY_LIMIT,
    SAMPLE_MIN_S,
    add_load_options,
    compile_times,
    cpu_busy,
    finish_report,
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
import platform
import shlex

import numba
import numpy as np
import torch
import torch.nn.functional as F
from _timing import cpu_snapshot, git_head, others_share, wait_idle

# ---------------------------------------------------------------- settings
SEED = 20240611
TCN_CHANNELS = [1, 16, 16, 16]
TCN_K = 5
TCN_DILATIONS = [1, 2, 4]
BATCH, WINDOW = 64, 256              # --quick: the same (the workload is small)
AR_TAPS = 32
AR_N = 100_000                       # --quick: 1e4
LR = 1e-3
WARM_UP_STEPS = 5
DTYPES = (np.float32, np.float64)

COMPILE_CODE = """
import json, time
t0 = time.perf_counter()
import numpy as np
from sigconv import nn
for dt in (np.float32, np.float64):
    model = nn.TCN([1, 4, 4], 3, seed=0, dtype=dt)
    y = model(np.ones((2, 1, 20)))
    model.backward(np.ones_like(y))
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


# ---------------------------------------------------------------- models
class TorchCausalConv(torch.nn.Conv1d):
    """``torch.nn.Conv1d`` with sigconv's causal zero padding in front."""

    def forward(self, x):
        pad = (self.kernel_size[0] - 1) * self.dilation[0]
        return super().forward(F.pad(x, (pad, 0)))


class TorchBlock(torch.nn.Module):
    """One residual block of ``sigconv.nn.TCN``, with the same parameter names."""

    def __init__(self, c_in, c_out, K, d):
        super().__init__()
        self.block = torch.nn.Sequential(
            TorchCausalConv(c_in, c_out, K, dilation=d), torch.nn.ReLU(), torch.nn.Dropout(0.0),
            TorchCausalConv(c_out, c_out, K, dilation=d), torch.nn.ReLU(), torch.nn.Dropout(0.0))
        self.skip = torch.nn.Conv1d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x):
        return self.block(x) + (x if self.skip is None else self.skip(x))


def torch_dtype(dt):
    return torch.float32 if dt == np.float32 else torch.float64


def tcn_pair(dt, rng):
    """sigconv TCN and the PyTorch twin with the same weights, plus a batch."""
    from sigconv import nn

    ours = nn.TCN(TCN_CHANNELS, TCN_K, TCN_DILATIONS, seed=SEED, dtype=dt)
    theirs = torch.nn.Sequential(*[TorchBlock(a, b, TCN_K, d) for a, b, d in zip(
        TCN_CHANNELS[:-1], TCN_CHANNELS[1:], TCN_DILATIONS)]).to(torch_dtype(dt))
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = rng.normal(size=(BATCH, TCN_CHANNELS[0], WINDOW)).astype(dt)
    target = rng.normal(size=(BATCH, WINDOW)).astype(dt)
    return ours, theirs, x, target


def ar_pair(dt, rng, n):
    """Conv1d(1, 1, AR_TAPS) on one simulated AR(2) series, and its PyTorch twin."""
    from sigconv import nn

    e = rng.normal(size=n + 1 + 500)
    y = np.zeros_like(e)
    for t in range(2, y.size):        # AR(2), 0.6, -0.3 (a plain loop: not timed)
        y[t] = 0.6 * y[t - 1] - 0.3 * y[t - 2] + e[t]
    y = y[500:].astype(dt)
    ours = nn.Conv1d(1, 1, AR_TAPS, bias=False, seed=SEED, dtype=dt)
    theirs = TorchCausalConv(1, 1, AR_TAPS, bias=False).to(torch_dtype(dt))
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = np.ascontiguousarray(y[None, None, :-1])
    target = np.ascontiguousarray(y[1:])
    return ours, theirs, x, target


# ---------------------------------------------------------------- steps
def sigconv_step(model, x, target, last_channel):
    """zero_grad + forward + mse + backward + Adam step; returns (step, state)."""
    from sigconv import nn

    opt = nn.Adam(model, lr=LR)

    def step():
        opt.zero_grad()
        out = model(x)
        pred = out[:, -1, :] if last_channel else out[0, 0]
        value, grad = nn.mse(pred, target)
        full = np.zeros_like(out)
        if last_channel:
            full[:, -1, :] = grad
        else:
            full[0, 0] = grad
        model.backward(full)
        opt.step()
        return value

    return step


def torch_step(model, x, target, last_channel):
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    tx, tt = torch.from_numpy(x), torch.from_numpy(target)

    def step():
        opt.zero_grad()
        out = model(tx)
        pred = out[:, -1, :] if last_channel else out[0, 0]
        loss = F.mse_loss(pred, tt)
        loss.backward()
        opt.step()
        return float(loss.detach())

    return step


def sigconv_forward(model, x):
    model.eval()
    return lambda: model(x)


def torch_forward(model, x):
    model.eval()
    tx = torch.from_numpy(x)

    def forward():
        with torch.no_grad():
            return model(tx)

    return forward


def agreement(ours, theirs, s_step, t_step):
    """One step on each side from the same state: largest relative difference of
    the loss and of the updated parameters."""
    v_s, v_t = s_step(), t_step()
    err = abs(v_s - v_t) / max(abs(v_t), 1e-300)
    ref = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    for name, value in ours.state_dict().items():
        scale = max(float(np.max(np.abs(ref[name]))), 1e-300)
        err = max(err, float(np.max(np.abs(value - ref[name]))) / scale)
    return err


# ---------------------------------------------------------------- measuring
def measure(label, dt, make, repeats, errors):
    """Build fresh models, check agreement, warm up, time interleaved."""
    rng = np.random.default_rng(SEED)
    ours, theirs, x, target, kind = make(dt, rng)
    snap0 = cpu_snapshot()
    if kind == "forward":
        s_fn, t_fn = sigconv_forward(ours, x), torch_forward(theirs, x)
        t0 = perf()
        y_s = s_fn()
        first = perf() - t0
        y_t = t_fn().numpy()
        agree = float(np.max(np.abs(y_s - y_t)) / np.max(np.abs(y_t)))
    else:
        last = kind == "tcn"
        s_fn, t_fn = sigconv_step(ours, x, target, last), torch_step(theirs, x, target, last)
        t0 = perf()
        agree = agreement(ours, theirs, s_fn, t_fn)
        first = perf() - t0
    for _ in range(WARM_UP_STEPS):
        s_fn()
        t_fn()
    cons, _, _ = warm_up_and_time([("sigconv", s_fn, 1.0, False), ("PyTorch", t_fn, 1.0, False)],
                                  repeats, errors)
    other = others_share(snap0, cpu_snapshot())
    return {"label": label, "dtype": np.dtype(dt).name, "sigconv": cons.get("sigconv"),
            "torch": cons.get("PyTorch"), "agree": agree, "first": first, "other": other}


def make_tcn_step(dt, rng):
    return (*tcn_pair(dt, rng), "tcn")


def make_tcn_forward(dt, rng):
    return (*tcn_pair(dt, rng), "forward")


def make_ar_step(n):
    def make(dt, rng):
        return (*ar_pair(dt, rng, n), "ar")
    return make


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: the linear convolution on 1e4 samples, 5 repeats")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed samples per contender; default 7, --quick 5")
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                    help="measure numba compile time in fresh processes with an empty cache "
                         "(default: on, off with --quick)")
    add_load_options(ap, "workload")
    args = ap.parse_args(argv)
    repeats, min_repeats = set_repeats(args.repeats, args.quick)
    do_compile = (not args.quick) if args.compile is None else args.compile
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    t_run0 = perf()
    load_start = os.getloadavg()
    busy_start = cpu_busy()

    import sigconv

    threads = numba.get_num_threads()
    torch.set_num_threads(threads)
    cache_found = len(numba_cache_files(("conv1d.",)))
    ar_n = 10_000 if args.quick else AR_N
    workloads = [(f"TCN training step, {BATCH} x {WINDOW}", make_tcn_step),
                 (f"TCN forward (inference), {BATCH} x {WINDOW}", make_tcn_forward),
                 (f"Conv1d(1, 1, {AR_TAPS}) training step, n = {ar_n:,}", make_ar_step(ar_n))]
    results, errors, retried = [], [], 0
    for label, make in workloads:
        for dt in DTYPES:
            best = None
            for attempt in range(1 + args.retry_busy):
                if args.wait_idle > 0:
                    waited = wait_idle(args.wait_idle)
                    if waited > 1:
                        log(f"waited {waited:.0f} s for an idle machine")
                log(f"{label}, {np.dtype(dt).name}" + (" (again)" if attempt else ""))
                res = measure(label, dt, make, repeats, errors)
                retried += attempt > 0
                if best is None or res["other"] < best["other"]:
                    best = res
                if best["other"] <= BUSY_LIMIT:
                    break
            results.append(best)

    compile_runs = None
    if do_compile:
        log("numba compile time (2 fresh processes, empty cache)")
        compile_runs = compile_times(COMPILE_CODE)
    load_end = os.getloadavg()
    busy_end = cpu_busy()
    elapsed = perf() - t_run0

    # ------------------------------------------------------------ report
    R = ["# sigconv.nn benchmark (training steps vs PyTorch CPU)\n"]
    R += machine_lines(command, load_start, load_end, busy_start, busy_end)
    R.append(f"- Python {platform.python_version()}, numpy {np.__version__}, numba "
             f"{numba.__version__} (threading layer {numba.threading_layer()}), torch "
             f"{torch.__version__}")
    R.append(f"- sigconv {sigconv.__version__} at commit {git_head()}; numba cache "
             f"{os.environ.get('NUMBA_CACHE_DIR') or numba.config.CACHE_DIR or 'next to source'}"
             f" ({cache_found} conv1d index files found at start)")
    R.append("- **Threads:** " + ", ".join(f"{k}={v}" for k, v in BLAS_ENV.items())
             + f" set before importing numpy; numba {threads} threads, "
             f"torch.set_num_threads({threads}) (torch reports {torch.get_num_threads()}); "
             f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}.")
    R.append(f"- Timing: {WARM_UP_STEPS} warm-up steps, then both interleaved (rotating "
             f"order), median of {repeats} samples (at least {min_repeats}), a sample loops "
             f"the step for >= {SAMPLE_MIN_S * 1e3:.0f} ms. ratio = sigconv / PyTorch "
             "(< 1: sigconv faster). `agreement`: after one step from the same state, the "
             "largest difference of the loss and of any parameter relative to its largest "
             "value (forward: of the outputs). `other CPU`: share of the machine other "
             "processes used while the workload was measured.")
    R.append(f"- Run time: {elapsed:.0f} s." + (
        f" {retried} workload attempt(s) repeated because other processes used over "
        f"{100 * BUSY_LIMIT:g}% of the CPU." if retried else "") + "\n")
    rows, failures = [], []
    for r in results:
        s, t = r["sigconv"], r["torch"]
        ratio = s.time / t.time if s and t else None
        rows.append((r["label"], r["dtype"], fms(s.time if s else None),
                     fms(t.time if t else None), "-" if ratio is None else f"{ratio:.2f}",
                     f"{r['agree']:.1e}", f"{fms(r['first'])}", f"{100 * r['other']:.0f}%"))
        if ratio is not None and ratio > 1 and "step" in r["label"]:
            failures.append(f"{r['label']} {r['dtype']}: ratio {ratio:.2f} > 1")
    R.append(md_table(["workload", "dtype", "sigconv ms", "PyTorch ms", "ratio", "agreement",
                       "sigconv first call ms", "other CPU"], rows))
    if compile_runs:
        R.append("\nnumba compile (fresh process, empty cache; imports, both dtypes, forward "
                 "and backward of a small TCN): " + "; ".join(
                     f"{label}: {wall:.1f} s wall" for label, wall, _ in compile_runs))
    notes = [f"{name} raised:\n```\n{tb}```" for name, tb in errors]
    finish_report(R, failures, notes, args.out, elapsed)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
