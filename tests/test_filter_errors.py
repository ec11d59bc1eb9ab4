"""Bad input to the kernel library, smoothers, spectral and diffusion functions:
a clear error naming the parameter, raised before any numba code runs
(fixture ``no_kernels`` fails the test if a kernel is called)."""
import numpy as np
import pandas as pd
import pytest

import sigconv
from sigconv import Kernel, kernels

pytestmark = pytest.mark.usefixtures("no_kernels")

X = np.sin(np.arange(40.0)) + 2.0
WITH_NAN = np.where(np.arange(40) == 7, np.nan, X)

CASES = [
    # -- non-positive window or sigma ----------------------------------------
    *[(f"moving_average-window-{w!r}", lambda w=w: sigconv.moving_average(X, w),
       ValueError, r"window must be an integer >= 1")
      for w in (0, -1, 2.5, True, None)],
    ("moving_average-min_periods-above-window",
     lambda: sigconv.moving_average(X, 3, min_periods=4),
     ValueError, r"min_periods must be at most window \(3\); got 4"),
    ("moving_average-min_periods-negative", lambda: sigconv.moving_average(X, 3, min_periods=-1),
     ValueError, r"min_periods must be an integer >= 0"),
    ("moving_average-weights-length", lambda: sigconv.moving_average(X, 3, [1.0, 2.0]),
     ValueError, r"weights must hold window=3 weights; got shape \(2,\)"),
    ("moving_average-weights-negative", lambda: sigconv.moving_average(X, 2, [1.0, -2.0]),
     ValueError, r"weights must be finite and non-negative"),
    ("moving_average-window-name", lambda: sigconv.moving_average(X, 3, "nonsense"),
     ValueError, r"weights must be a window of scipy.signal.get_window"),
    ("moving_average-nan-option", lambda: sigconv.moving_average(X, 3, nan="skip"),
     ValueError, r"nan must be one of 'ignore', 'propagate', 'raise'; got 'skip'"),
    ("moving_average-nan-raise", lambda: sigconv.moving_average(WITH_NAN, 3, nan="raise"),
     ValueError, r"x contains NaN or inf \(first at position 7\)"),
    ("moving_average-center", lambda: sigconv.moving_average(X, 3, center="yes"),
     TypeError, r"center must be True or False"),
    ("moving_average-non-numeric-column", lambda: sigconv.moving_average(
        pd.DataFrame({"a": X, "b": ["x"] * 40}), 3),
     TypeError, r"x column 'b' is not numeric"),
    ("moving_average-empty", lambda: sigconv.moving_average(np.array([]), 3),
     ValueError, r"x must have at least 1 sample"),
    ("gaussian_smooth-sigma-zero", lambda: sigconv.gaussian_smooth(X, 0),
     ValueError, r"sigma must be a number in \(0, inf\); got 0"),
    ("gaussian_smooth-sigma-negative", lambda: sigconv.gaussian_smooth(X, -1.5),
     ValueError, r"sigma must be a number in \(0, inf\)"),
    ("gaussian_smooth-truncate", lambda: sigconv.gaussian_smooth(X, 1.0, truncate=0),
     ValueError, r"truncate must be a number in \(0, inf\)"),
    ("kernels-box-zero", lambda: kernels.box(0), ValueError, r"n must be an integer >= 1"),
    ("kernels-gaussian-sigma", lambda: kernels.gaussian(-2.0),
     ValueError, r"sigma must be a number in \(0, inf\)"),
    ("kernels-triangular", lambda: kernels.triangular(-3),
     ValueError, r"n must be an integer >= 1"),
    # -- alpha, span, halflife, com --------------------------------------------
    ("ema-none", lambda: sigconv.ema(X),
     ValueError, r"give exactly one of alpha, span, halflife and com; got none"),
    ("ema-two", lambda: sigconv.ema(X, 0.5, span=3),
     ValueError, r"give exactly one of alpha, span, halflife and com; got alpha, span"),
    ("ema-three", lambda: sigconv.ema(X, halflife=2, com=1, span=4),
     ValueError, r"got span, halflife, com"),
    *[(f"ema-alpha-{a!r}", lambda a=a: sigconv.ema(X, a),
       ValueError, r"alpha must be a number in \(0, 1\]") for a in (0, -0.1, 1.5, "0.5")],
    ("ema-span", lambda: sigconv.ema(X, span=0.5), ValueError, r"span must be a number in \[1, "),
    ("ema-halflife", lambda: sigconv.ema(X, halflife=0),
     ValueError, r"halflife must be a number in \(0, inf\)"),
    ("ema-com", lambda: sigconv.ema(X, com=-1), ValueError, r"com must be a number in \[0, "),
    ("ema-adjust", lambda: sigconv.ema(X, 0.5, adjust="no"),
     TypeError, r"adjust must be True or False"),
    ("ema-min_periods", lambda: sigconv.ema(X, 0.5, min_periods=-2),
     ValueError, r"min_periods must be an integer >= 0"),
    ("kernels-exponential-alpha", lambda: kernels.exponential(1.2, 5),
     ValueError, r"alpha must be a number in \(0, 1\]"),
    # -- even windows where a centred odd one is required -------------------------
    ("savgol_smooth-even", lambda: sigconv.savgol_smooth(X, 6, 2),
     ValueError, r"window must be odd.*got 6"),
    ("kernels-savgol-even", lambda: kernels.savgol(4, 1), ValueError, r"window must be odd"),
    ("kernels-henderson-even", lambda: kernels.henderson(12), ValueError, r"n must be odd"),
    ("kernels-henderson-short", lambda: kernels.henderson(1),
     ValueError, r"n must be an integer >= 3"),
    ("savgol_smooth-polyorder", lambda: sigconv.savgol_smooth(X, 5, 5),
     ValueError, r"polyorder must be less than window \(5\); got 5"),
    ("savgol_smooth-window-longer-than-x", lambda: sigconv.savgol_smooth(X[:4], 5, 2),
     ValueError, r"window must be at most the series length \(4\)"),
    # -- temperature ----------------------------------------------------------
    *[(f"propagator-temperature-{t!r}", lambda t=t: sigconv.propagator([1.0, -1.0], t),
       ValueError, r"temperature must be a number in \(0, inf\)") for t in (0, -1.0)],
    ("kernels-softmax-temperature", lambda: kernels.softmax([1.0, 2.0], temperature=0.0),
     ValueError, r"temperature must be a number in \(0, inf\)"),
    # -- stochastic convolution ----------------------------------------------------
    ("stochastic-negative-kernel", lambda: sigconv.stochastic_convolve(X, [1.0, -2.0, 1.0]),
     ValueError, r"kernel has negative weights.*propagator\(kernel\)"),
    ("stochastic-negative-Kernel", lambda: sigconv.stochastic_convolve(
        X, kernels.laplacian(), seed=1),
     ValueError, r"negative weights.*propagator"),
    ("stochastic-zero-kernel", lambda: sigconv.stochastic_convolve(X, [0.0, 0.0]),
     ValueError, r"kernel weights are all zero"),
    ("stochastic-n_samples", lambda: sigconv.stochastic_convolve(X, [1.0, 1.0], n_samples=1),
     ValueError, r"n_samples must be an integer >= 2"),
    ("stochastic-boundary", lambda: sigconv.stochastic_convolve(X, [1.0], boundary="edge"),
     ValueError, r"boundary must be one of 'constant', 'reflect'"),
    ("stochastic-nan-raise", lambda: sigconv.stochastic_convolve(WITH_NAN, [1.0], nan="raise"),
     ValueError, r"x contains NaN or inf"),
    # -- diffusion ---------------------------------------------------------------
    *[(f"diffuse-rate-{r!r}", lambda r=r: sigconv.diffuse(X, 3, r),
       ValueError, r"rate must be a number in \(0, 0.5\]") for r in (0, 0.51, -0.1)],
    ("diffuse-steps", lambda: sigconv.diffuse(X, -1, 0.2),
     ValueError, r"steps must be an integer >= 0"),
    ("diffuse-boundary", lambda: sigconv.diffuse(X, 1, 0.2, boundary="constant"),
     ValueError, r"boundary must be one of 'reflect', 'wrap'; got 'constant'"),
    ("diffuse-nan", lambda: sigconv.diffuse(WITH_NAN, 1, 0.2),
     ValueError, r"x contains NaN or inf"),
    ("heat_kernel-t", lambda: sigconv.heat_kernel(0, 0.5),
     ValueError, r"t must be a number in \(0, inf\)"),
    ("propagator-zero", lambda: sigconv.propagator([0.0, 0.0]),
     ValueError, r"kernel weights are all zero"),
    # -- decomposition -------------------------------------------------------------
    ("decompose-nan", lambda: sigconv.decompose(WITH_NAN, 4),
     ValueError, r"decompose needs finite values"),
    ("decompose-short", lambda: sigconv.decompose(X[:7], 4),
     ValueError, r"x must have 2 complete cycles: 8 observations for period=4; got 7"),
    ("decompose-multiplicative", lambda: sigconv.decompose(X - 2.0, 4, "multiplicative"),
     ValueError, r"model='multiplicative' needs positive values"),
    ("decompose-model", lambda: sigconv.decompose(X, 4, "add"),
     ValueError, r"model must be one of 'additive', 'multiplicative'; got 'add'"),
    ("decompose-no-period", lambda: sigconv.decompose(X),
     ValueError, r"period is required"),
    ("decompose-period", lambda: sigconv.decompose(X, 0),
     ValueError, r"period must be an integer >= 1"),
    ("decompose-extrapolate", lambda: sigconv.decompose(X, 4, extrapolate_trend="freq"),
     ValueError, r"extrapolate_trend must be one of 'period'"),
    # -- spectral -----------------------------------------------------------------
    ("fft_filter-no-cutoff", lambda: sigconv.fft_filter(X),
     ValueError, r"give at least one of lowpass, highpass and band"),
    ("fft_filter-lowpass-above-nyquist", lambda: sigconv.fft_filter(X, lowpass=0.6),
     ValueError, r"lowpass must be a number in \(0, 0.5\]; got 0.6"),
    ("fft_filter-highpass-fs", lambda: sigconv.fft_filter(X, highpass=60, fs=100),
     ValueError, r"highpass must be a number in \[0, 50\)"),
    ("fft_filter-band-order", lambda: sigconv.fft_filter(X, band=(0.3, 0.1)),
     ValueError, r"band must have low < high"),
    ("fft_filter-band-shape", lambda: sigconv.fft_filter(X, band=0.2),
     ValueError, r"band must be a pair \(low, high\)"),
    ("fft_filter-transition", lambda: sigconv.fft_filter(X, lowpass=0.2, transition=-0.1),
     ValueError, r"transition must be a number in \[0, inf\)"),
    ("fft_filter-transition-too-wide", lambda: sigconv.fft_filter(X, lowpass=0.05,
                                                                  transition=0.2),
     ValueError, r"transition must fit between 0 and fs/2.*at most 0.1 for the cut-off 0.05"),
    ("fft_filter-nan", lambda: sigconv.fft_filter(WITH_NAN, lowpass=0.2),
     ValueError, r"x contains NaN or inf"),
    ("periodogram-scaling", lambda: sigconv.periodogram(X, scaling="power"),
     ValueError, r"scaling must be one of 'density', 'spectrum'"),
    ("periodogram-detrend", lambda: sigconv.periodogram(X, detrend="quadratic"),
     ValueError, r"detrend must be one of 'constant', 'linear', False"),
    ("frequency_response-n", lambda: sigconv.frequency_response([1.0, 1.0], n=0),
     ValueError, r"n must be an integer >= 1"),
    # -- kernel library --------------------------------------------------------------
    ("kernels-window-name", lambda: kernels.window("bogus", 5),
     ValueError, r"name must be a window of scipy.signal.get_window.*'bogus'"),
    ("kernels-lowpass-cutoff", lambda: kernels.lowpass(0.5, 11),
     ValueError, r"cutoff must be a number in \(0, 0.5\)"),
    ("kernels-inverse-noncausal", lambda: kernels.inverse(Kernel([1.0, 0.5, 0.2]), 5),
     ValueError, r"k must be a causal lag polynomial \(origin 0\); got origin 1"),
    ("kernels-inverse-leading-zero", lambda: kernels.inverse([0.0, 1.0], 5),
     ValueError, r"k\[0\] must be non-zero"),
    ("kernels-power-negative", lambda: kernels.power(kernels.box(3), -1),
     ValueError, r"n must be an integer >= 0"),
    ("kernels-weighted-zero-sum", lambda: kernels.weighted([1.0, -1.0]),
     ValueError, r"weights must be finite and must not sum to 0"),
    ("kernels-difference", lambda: kernels.difference(-1),
     ValueError, r"d must be an integer >= 0"),
    ("kernels-seasonal_difference", lambda: kernels.seasonal_difference(0),
     ValueError, r"s must be an integer >= 1"),
]


@pytest.mark.parametrize(("call", "error", "pattern"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input(call, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        call()
    assert "numba" not in str(info.value).lower()


def test_case_ids_are_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids))


def test_guard_intercepts_the_new_kernels(no_kernels):
    # Valid calls reach the numba kernels, so the cases above prove the
    # errors come first.
    assert {"sigconv._core.sliding.rolling_mean", "sigconv._core.recursive.ewm_mean",
            "sigconv._core.stochastic.stochastic_convolve"} <= set(no_kernels)
    for call in (lambda: sigconv.moving_average(X, 3), lambda: sigconv.ema(X, 0.5),
                 lambda: sigconv.stochastic_convolve(X, [1.0, 1.0])):
        with pytest.raises(AssertionError, match="numba kernel .* ran on invalid input"):
            call()

