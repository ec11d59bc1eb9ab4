#!/usr/bin/env python
"""A quick look at sigconv against its peers: one small workload from each benchmark.

One workload of each benchmark in this directory, at a size that takes
milliseconds, each timed with its peer interleaved (the same warm-up and
timing loop as the full benchmarks, fewer samples):

- ``convolve(x, w)`` vs ``scipy.signal.convolve(x, w)`` (bench_engine.py),
  n = 1e5, k = 31, ``mode="full"``;
- ``moving_average(s, 10)`` vs ``s.rolling(10).mean()`` and
  ``ema(s, alpha=0.1)`` vs ``s.ewm(alpha=0.1).mean()`` (bench_smooth.py),
  a Series of 1e5 samples;
- ``distance_profile(x, t)`` vs the plain scipy implementation of
  bench_match.py (``oaconvolve`` dot products, cumulative-sum window
  statistics), n = 1e5, m = 100;
- ``fit_ar(x, 10)`` vs statsmodels' ``yule_walker(x, 10, method="mle")``
  (bench_ar.py), n = 1e5;
- the airline model ``ARIMA((0, 1, 1), (0, 1, 1, 12), method="ml")`` on
  ``log(AirPassengers)`` vs ``statsmodels.tsa.arima.model.ARIMA``
  (bench_arima.py).

Each row checks that the two outputs agree (largest difference relative to
the peer's largest value; the ARIMA row compares the MA coefficients).  The
timings are indicative only: small inputs, few samples, no idle check.  The
full benchmarks measure at scale, on an idle machine.

Usage, from the repository root (or ``sigconv bench --quick``)::

    python benchmarks/bench_quick.py            # about 10 s

The Markdown table goes to stdout; progress to stderr.
"""
import os
import sys

# _timing pins the peers' BLAS pools to one thread and puts the repository root
# on sys.path.  Must precede importing numpy.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (
    MIN_REPEATS,
    Contender,
    first_calls,
    fms,
    log,
    max_rel_err,
    md_table,
    perf,
    run_interleaved,
)

# isort: split
import argparse
import platform
import warnings

import numba
import numpy as np
import pandas as pd

SEED = 20240611
N = 100_000


def scipy_distance_profile(x, t):
    """The plain scipy implementation of bench_match.py."""
    import scipy.signal

    m = t.shape[0]
    tz = (t - t.mean()) / t.std()
    dot = scipy.signal.oaconvolve(x, tz[::-1], mode="valid")
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))
    mean = (s1[m:] - s1[:-m]) / m
    var = (s2[m:] - s2[:-m]) / m - mean * mean
    std = np.sqrt(np.maximum(var, 0.0))
    return np.sqrt(np.maximum(2.0 * m * (1.0 - dot / (m * std)), 0.0))


def workloads(rng):
    """``(workload, sigconv call, peer name, peer call, outputs to compare)``; the
    last maps the two calls' outputs to two arrays."""
    import scipy.signal
    from statsmodels.regression.linear_model import yule_walker
    from statsmodels.tsa.arima.model import ARIMA as StatsmodelsARIMA

    import sigconv

    x = rng.standard_normal(N)
    w = rng.standard_normal(31)
    s = pd.Series(x, index=pd.date_range("2020-01-01", periods=N, freq="s"), name="x")
    walk = np.cumsum(rng.standard_normal(N))
    template = np.cumsum(rng.standard_normal(100))
    ar2 = sigconv.recursive_filter(x, [0.5, -0.3])
    air = np.log(np.asarray(sigconv.datasets.airpassengers(), dtype=np.float64))
    same = (lambda a, b: (np.asarray(a), np.asarray(b)))
    return [
        ("convolve, n=1e5, k=31, full", lambda: sigconv.convolve(x, w),
         "scipy.signal.convolve", lambda: scipy.signal.convolve(x, w), same),
        ("moving_average, Series n=1e5, window=10", lambda: sigconv.moving_average(s, 10),
         "pandas rolling(10).mean()", lambda: s.rolling(10).mean(), same),
        ("ema, Series n=1e5, alpha=0.1", lambda: sigconv.ema(s, alpha=0.1),
         "pandas ewm(alpha=0.1).mean()", lambda: s.ewm(alpha=0.1).mean(), same),
        ("distance_profile, n=1e5, m=100",
         lambda: sigconv.distance_profile(walk, template),
         "scipy implementation", lambda: scipy_distance_profile(walk, template), same),
        ("fit_ar Yule-Walker, n=1e5, p=10", lambda: sigconv.fit_ar(ar2, 10),
         "statsmodels yule_walker",
         lambda: yule_walker(ar2, 10, method="mle", result_object=False),
         lambda a, b: (a.coef, np.asarray(b[0]))),
        ("ARIMA airline (0,1,1)(0,1,1,12), n=144",
         lambda: sigconv.ARIMA((0, 1, 1), (0, 1, 1, 12), method="ml").fit(air),
         "statsmodels ARIMA",
         lambda: StatsmodelsARIMA(air, order=(0, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(),
         lambda a, b: (np.asarray(a.params)[:2], np.asarray(b.params)[:2])),
    ]


def measure(workload, sig, peer_name, peer, compare, repeats):
    """One table row: warm up both, compare their outputs, time them interleaved."""
    log(workload)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_sig, out_sig = first_calls(sig)
        t_peer, out_peer = first_calls(peer)
        got, expected = compare(out_sig, out_peer)
        err = max_rel_err(got, expected)
        contenders = [Contender("sigconv", sig, t_sig), Contender(peer_name, peer, t_peer)]
        run_interleaved(contenders, repeats)
    t_sig, t_peer = (c.time for c in contenders)
    return [workload, fms(t_sig), peer_name, fms(t_peer), f"{t_peer / t_sig:.1f}x",
            f"{err:.1g}"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=MIN_REPEATS,
                    help=f"timed samples per contender (default {MIN_REPEATS})")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    args = ap.parse_args(argv)
    started = perf()
    rng = np.random.default_rng(SEED)
    rows = [measure(*work, max(args.repeats, 1)) for work in workloads(rng)]
    elapsed = perf() - started

    import sigconv

    lines = [
        "# sigconv quick benchmark\n",
        (f"- Python {platform.python_version()}, numpy {np.__version__}, pandas "
         f"{pd.__version__}, numba {numba.__version__} ({numba.get_num_threads()} threads), "
         f"sigconv {sigconv.__version__}; {os.cpu_count()} logical cores"),
        (f"- Median of {max(args.repeats, 1)} samples per contender after a warm-up call "
         "(numba compile or cache load not included); small inputs and no idle check, "
         "so indicative only: the full benchmarks (`sigconv bench`) measure at scale."),
        f"- Run time: {elapsed:.1f} s.\n",
        md_table(["workload", "sigconv ms", "peer", "peer ms", "speed-up (peer / sigconv)",
                  "max rel. diff"], rows),
        "",
        ("max rel. diff: largest |sigconv - peer| over the largest |peer| output (ARIMA: "
         "the two MA coefficients)."),
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(report)
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
