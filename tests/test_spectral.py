"""The frequency domain: kernel responses, the convolution theorem, spectral masks
and the periodogram, each against an independent reference.

References: ``scipy.signal.freqz`` for frequency responses, zero-padded
``numpy.fft`` products for the convolution theorem, a 0/1 (or raised-cosine)
mask built here on ``numpy.fft.rfft`` for ``fft_filter``, and
``scipy.signal.periodogram`` for the periodogram, on real series from
``statsmodels.datasets`` and on random data.
"""
import itertools

import numpy as np
import pandas as pd
import pytest
import scipy.signal as ss
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import sigconv
from sigconv import Kernel, kernels
from sigconv.spectral import fft_filter, frequency_response, periodogram

FEW = settings(max_examples=60, deadline=None, database=None)


def rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------
# frequency_response against scipy.signal.freqz


@pytest.mark.parametrize("k, n, fs", [(1, 1, 1.0), (3, 4, 1.0), (8, 64, 2.5), (31, 512, 100.0),
                                      (100, 7, 1.0), (40, 8, 3.0)])
def test_frequency_and_gain_match_freqz(k, n, fs):
    w = rng(k).standard_normal(k)
    origin = k // 3
    f, gain, _ = frequency_response(Kernel(w, origin=origin), n, fs)
    f_ref, h = ss.freqz(w, worN=n, fs=fs)
    np.testing.assert_allclose(f, f_ref, rtol=0, atol=1e-12 * fs)
    # The gain does not depend on the origin (a pure delay).
    np.testing.assert_allclose(gain, np.abs(h), rtol=0, atol=1e-12 * np.abs(w).sum())
    np.testing.assert_allclose(f, fs / 2 * np.arange(n) / n, rtol=0, atol=1e-12 * fs)


def test_plain_array_is_a_centred_kernel():
    w = np.array([0.5, -1.0, 2.0, 0.25, 1.0])
    a = frequency_response(w, 32)
    b = frequency_response(Kernel(w), 32)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


# Symmetric centred kernels whose response is >= 0 (triangular(7) touches 0), or
# (box(3)) changes sign only once, which the unwrapping crosses cleanly.
ZERO_PHASE = [kernels.gaussian(2.0), Kernel([0.25, 0.5, 0.25]), kernels.box(3),
              kernels.triangular(7), kernels.gaussian(0.7)]


@pytest.mark.parametrize("kernel", ZERO_PHASE, ids=lambda k: k.name or repr(k))
@pytest.mark.parametrize("n", [7, 10, 64, 512, 1000])
def test_symmetric_centred_kernel_has_zero_phase_where_positive(kernel, n):
    _, gain, phase = frequency_response(kernel, n)
    _, h = ss.freqz(kernel.weights, worN=n)
    # freqz is causal: remove the delay of the origin to get the zero-phase response.
    real = (h * np.exp(1j * np.pi * np.arange(n) / n * kernel.origin)).real
    positive = real > 1e-9 * gain.max()
    assert positive.any()
    np.testing.assert_allclose(phase[positive], 0.0, rtol=0, atol=1e-9)


# Symmetric centred kernels whose response changes sign: the unwrapped phase is
# a non-zero multiple of 2 pi on some positive stretches (see /tmp/bugs_spectral.md).
SIGN_CHANGING = [(kernels.box(5), 10), (kernels.box(5), 64), (kernels.savgol(11, 3), 64),
                 (kernels.lowpass(0.1, 31), 512), (kernels.henderson(13), 64)]


@pytest.mark.parametrize("kernel, n", SIGN_CHANGING, ids=lambda v: getattr(v, "name", str(v)))
def test_sign_changing_symmetric_kernel_has_zero_phase_where_positive(kernel, n):
    _, gain, phase = frequency_response(kernel, n)
    real = kernel.frequency_response(n).real
    positive = real > 1e-9 * gain.max()
    np.testing.assert_allclose(phase[positive], 0.0, rtol=0, atol=1e-9)


def test_sign_changing_symmetric_kernel_phase_is_zero_modulo_2pi():
    """What does hold today: the phase is 0 modulo 2 pi where the response is positive
    and pi modulo 2 pi where it is negative."""
    for kernel, n in SIGN_CHANGING:
        _, gain, phase = frequency_response(kernel, n)
        real = kernel.frequency_response(n).real
        wrapped = np.angle(np.exp(1j * phase))
        positive = real > 1e-9 * gain.max()
        negative = real < -1e-9 * gain.max()
        np.testing.assert_allclose(wrapped[positive], 0.0, atol=1e-9)
        np.testing.assert_allclose(np.abs(wrapped[negative]), np.pi, atol=1e-9)


CAUSAL = [kernels.exponential(0.3, 10), kernels.difference(2), kernels.seasonal_difference(4),
          Kernel([1.0, -0.5, 0.25], origin=0)]


@pytest.mark.parametrize("k", [1, 2, 5, 16, 41, 100])
@pytest.mark.parametrize("n", [1, 7, 64, 512])
def test_causal_phase_matches_freqz_unwrapped(k, n):
    w = rng(1000 * k + n).standard_normal(k)
    _, _, phase = frequency_response(Kernel(w, origin=0), n, fs=2.0)
    _, h = ss.freqz(w, worN=n, fs=2.0)
    np.testing.assert_allclose(phase, np.unwrap(np.angle(h)), rtol=0, atol=1e-12)


@pytest.mark.parametrize("kernel", CAUSAL, ids=lambda k: k.name or repr(k))
def test_library_causal_kernels_phase_matches_freqz(kernel):
    assert kernel.origin == 0
    _, gain, phase = frequency_response(kernel, 256)
    _, h = ss.freqz(kernel.weights, worN=256)
    np.testing.assert_allclose(gain, np.abs(h), rtol=0, atol=1e-12)
    np.testing.assert_allclose(phase, np.unwrap(np.angle(h)), rtol=0, atol=1e-12)


@pytest.mark.parametrize("n", [1, 8, 100, 512])
@pytest.mark.parametrize("k1, k2", [(3, 5), (20, 1), (17, 30), (2, 2)])
def test_composition_multiplies_responses(n, k1, k2):
    g = rng(k1 * 31 + k2)
    a = Kernel(g.standard_normal(k1), origin=k1 // 2)
    b = Kernel(g.standard_normal(k2), origin=k2 - 1)
    ab = a @ b
    scale = np.abs(a.weights).sum() * np.abs(b.weights).sum()
    h = ab.frequency_response(n)
    np.testing.assert_allclose(h, a.frequency_response(n) * b.frequency_response(n),
                               rtol=0, atol=1e-12 * scale)
    # The complex response against its definition (also covers len(ab) > 2 n).
    w = np.pi * np.arange(n) / n
    direct = (ab.weights[None, :] * np.exp(-1j * np.outer(w, ab.lags))).sum(axis=1)
    np.testing.assert_allclose(h, direct, rtol=0, atol=1e-12 * scale)
    _, gain_ab, _ = frequency_response(ab, n)
    _, gain_a, _ = frequency_response(a, n)
    _, gain_b, _ = frequency_response(b, n)
    np.testing.assert_allclose(gain_ab, gain_a * gain_b, rtol=0, atol=1e-12 * scale)


def test_frequency_response_to_frame():
    resp = frequency_response(kernels.box(5), 16, fs=10.0)
    frame = resp.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["gain", "phase"]
    assert frame.index.name == "frequency"
    np.testing.assert_array_equal(frame.index.to_numpy(), resp.frequency)
    np.testing.assert_array_equal(frame["gain"].to_numpy(), resp.gain)
    np.testing.assert_array_equal(frame["phase"].to_numpy(), resp.phase)
    f, gain, phase = resp           # unpacks as a triple
    assert f is resp.frequency and gain is resp.gain and phase is resp.phase


@pytest.mark.parametrize("options, match", [({"n": 0}, "n must be an integer >= 1"),
                                            ({"fs": 0.0}, "fs must be a number"),
                                            ({"fs": -1.0}, "fs must be a number")])
def test_frequency_response_errors(options, match):
    with pytest.raises(ValueError, match=match):
        frequency_response(kernels.box(3), **options)


# ---------------------------------------------------------------------------
# The convolution theorem: direct convolution == product of zero-padded FFTs


def fft_product(x, k):
    size = len(x) + len(k) - 1
    return np.fft.ifft(np.fft.fft(x, size) * np.fft.fft(k, size)).real


@pytest.mark.parametrize("n, k", [(1, 1), (1, 7), (5, 3), (17, 40), (100, 9), (64, 64),
                                  (1000, 31), (3, 500), (257, 256)])
def test_convolution_theorem(n, k):
    g = rng(n * 1000 + k)
    x, w = g.standard_normal(n), g.standard_normal(k)
    y = sigconv.convolve(x, w, "full", method="direct")
    ref = fft_product(x, w)
    assert y.shape == (n + k - 1,)
    np.testing.assert_allclose(y, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)


@FEW
@given(x=hnp.arrays(np.float64, st.integers(1, 200), elements=FINITE),
       w=hnp.arrays(np.float64, st.integers(1, 80), elements=FINITE))
def test_convolution_theorem_property(x, w):
    y = sigconv.convolve(x, w, "full", method="direct")
    # |y| <= max|x| sum|w|: the scale of the rounding errors (no squares, which underflow).
    scale = np.abs(x).max() * np.abs(w).sum()
    np.testing.assert_allclose(y, fft_product(x, w), rtol=0, atol=1e-10 * scale + 1e-300)


# ---------------------------------------------------------------------------
# fft_filter


N = 256
LOW, MID, HIGH = 5, 40, 100            # FFT bins; frequencies m / N are exact binary


def tone(m, n=N, phase=0.3, amplitude=1.0):
    t = np.arange(n)
    return amplitude * np.cos(2 * np.pi * m * t / n + phase)


def three_tones():
    return tone(LOW, phase=0.1), tone(MID, phase=1.2, amplitude=0.5), tone(HIGH, phase=-0.7)


def test_lowpass_keeps_low_tone_exactly():
    low, mid, high = three_tones()
    y = fft_filter(low + mid + high, lowpass=20.5 / N)
    np.testing.assert_allclose(y, low, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fft_filter(low + mid + high, lowpass=70.5 / N), low + mid,
                               rtol=0, atol=1e-10)


def test_highpass_keeps_high_tone_exactly():
    low, mid, high = three_tones()
    np.testing.assert_allclose(fft_filter(low + mid + high, highpass=70.5 / N), high,
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(fft_filter(low + mid + high, highpass=20.5 / N), mid + high,
                               rtol=0, atol=1e-10)


def test_band_keeps_middle_tone_exactly():
    low, mid, high = three_tones()
    y = fft_filter(low + mid + high, band=(20.5 / N, 70.5 / N))
    np.testing.assert_allclose(y, mid, rtol=0, atol=1e-10)
    # lowpass and highpass together: both conditions must hold.
    y2 = fft_filter(low + mid + high, lowpass=70.5 / N, highpass=20.5 / N)
    np.testing.assert_allclose(y2, mid, rtol=0, atol=1e-10)


def test_cutoffs_in_units_of_fs():
    fs, n = 100.0, 200                   # bins every 0.5 Hz
    t = np.arange(n) / fs
    slow, medium, fast = (np.sin(2 * np.pi * f * t + p) for f, p in [(2, 0.2), (10, 1.0),
                                                                     (30, -0.4)])
    x = slow + medium + fast
    np.testing.assert_allclose(fft_filter(x, lowpass=5.0, fs=fs), slow, atol=1e-10)
    np.testing.assert_allclose(fft_filter(x, highpass=20.0, fs=fs), fast, atol=1e-10)
    np.testing.assert_allclose(fft_filter(x, band=(5.0, 20.0), fs=fs), medium, atol=1e-10)
    # The same cut-offs in cycles per sample with fs=1.
    np.testing.assert_allclose(fft_filter(x, band=(0.05, 0.2)), medium, atol=1e-10)


def reference_filter(x, mask, axis=-1):
    """numpy rfft, times a mask, irfft."""
    spectrum = np.fft.rfft(x, axis=axis)
    shape = [1] * np.ndim(x)
    shape[axis] = mask.size
    return np.fft.irfft(spectrum * mask.reshape(shape), n=np.shape(x)[axis], axis=axis)


def bin_frequencies(n, fs):
    return np.arange(n // 2 + 1) * fs / n


@pytest.mark.parametrize("n", [2, 3, 10, 101, 256, 999])
@pytest.mark.parametrize("fs", [1.0, 100.0])
def test_brick_wall_matches_masked_rfft(n, fs):
    g = rng(n)
    x = g.standard_normal(n)
    f = bin_frequencies(n, fs)
    step = fs / n
    # Cut-offs halfway between bins, so that rounding cannot decide.
    lo = (max(n // 8, 0) + 0.5) * step
    hi = (max(n // 3, 1) + 0.5) * step
    hi = min(hi, fs / 2 - step / 4)
    cases = [({"lowpass": lo}, f <= lo),
             ({"highpass": lo}, f >= lo),
             ({"band": (lo, hi)}, (f >= lo) & (f <= hi)),
             ({"lowpass": hi, "highpass": lo}, (f >= lo) & (f <= hi)),
             ({"band": (0.0, hi), "lowpass": lo}, f <= lo),
             ({"lowpass": fs / 2 - step / 4}, f <= fs / 2 - step / 4)]
    for options, keep in cases:
        y = fft_filter(x, fs=fs, **options)
        np.testing.assert_allclose(y, reference_filter(x, keep.astype(float)), rtol=0,
                                   atol=1e-12 * np.abs(x).sum(), err_msg=str(options))


def raised_cosine(f, cut, width, keep_below):
    """Written from the docstring: a cosine from 1 to 0 over [cut - w/2, cut + w/2]."""
    out = np.where(f < cut - width / 2, 1.0, np.where(f > cut + width / 2, 0.0,
                   0.5 * (1 + np.cos(np.pi * (f - cut + width / 2) / width))))
    return out if keep_below else 1.0 - out


@pytest.mark.parametrize("n", [64, 255])
def test_transition_matches_raised_cosine_mask(n):
    x = rng(n).standard_normal(n)
    f = bin_frequencies(n, 1.0)
    y = fft_filter(x, lowpass=0.3, highpass=0.1, transition=0.05)
    # One transition width for every cut-off; the masks of the conditions multiply.
    mask = raised_cosine(f, 0.3, 0.05, True) * raised_cosine(f, 0.1, 0.05, False)
    np.testing.assert_allclose(y, reference_filter(x, mask), rtol=0, atol=1e-12 * n)


@pytest.mark.parametrize("which", ["lowpass", "highpass", "band_low", "band_high"])
def test_transition_halves_a_tone_at_the_cutoff(which):
    m = 32                                 # the cut-off bin, 32 / 256 = 0.125 exactly
    x = tone(m, amplitude=2.0)
    cut = m / N
    options = {"lowpass": {"lowpass": cut}, "highpass": {"highpass": cut},
               "band_low": {"band": (cut, 0.4)}, "band_high": {"band": (0.01, cut)}}[which]
    y = fft_filter(x, transition=0.02, **options)
    np.testing.assert_allclose(y, x / 2, rtol=0, atol=1e-10)


def test_transition_rings_less_around_a_step():
    x = np.r_[np.zeros(N // 2), np.ones(N // 2)]
    overshoot = [fft_filter(x, lowpass=0.1, transition=w).max() - 1.0
                 for w in (0.0, 0.05, 0.1, 0.2)]
    assert 0.08 < overshoot[0] < 0.095     # Gibbs: about 9 % of the jump
    assert all(a > b for a, b in itertools.pairwise(overshoot))
    assert overshoot[-1] < 0.01            # a taper across the whole pass band barely rings
    undershoot = [fft_filter(x, lowpass=0.1, transition=w).min() for w in (0.0, 0.2)]
    assert undershoot[0] < -0.08 and undershoot[1] > -0.01


@pytest.mark.parametrize("n, m", [(256, 32), (64, 16), (100, 25), (1024, 100)])
def test_tone_exactly_at_cutoff_is_kept(n, m):
    """Cut-offs are inclusive with transition=0; these are exact in binary."""
    x = tone(m, n)
    cut = m / n
    np.testing.assert_allclose(fft_filter(x, lowpass=cut), x, atol=1e-10)
    np.testing.assert_allclose(fft_filter(x, highpass=cut), x, atol=1e-10)
    np.testing.assert_allclose(fft_filter(x, band=(cut, 0.5)), x, atol=1e-10)
    np.testing.assert_allclose(fft_filter(x, band=(0.0, cut)), x, atol=1e-10)


@pytest.mark.parametrize("kind, n, m, fs", [("lowpass", 10, 3, 1.0), ("lowpass", 5, 2, 3.0),
                                            ("lowpass", 20, 7, 1.0), ("lowpass", 100, 41, 1.0),
                                            ("highpass", 12, 5, 1.0), ("highpass", 14, 5, 1.0),
                                            ("highpass", 18, 7, 1.0)])
def test_tone_exactly_at_decimal_cutoff_is_kept(kind, n, m, fs):
    x = tone(m, n)
    cut = m * fs / n        # correctly rounded: what a user writes (0.3, 1.2, 0.35, 0.41)
    np.testing.assert_allclose(fft_filter(x, fs=fs, **{kind: cut}), x, atol=1e-10)


@pytest.mark.parametrize("fs, n", [(3.0, 10), (7.0, 18), (0.3, 6)])
def test_lowpass_at_nyquist_is_identity(fs, n):
    x = rng(n).standard_normal(n)
    np.testing.assert_allclose(fft_filter(x, lowpass=fs / 2, fs=fs), x, atol=1e-12)


def test_lowpass_at_nyquist_is_identity_binary_cases():
    for fs, n in [(1.0, 10), (1.0, 11), (100.0, 64), (2.0, 7)]:
        x = rng(n).standard_normal(n)
        np.testing.assert_allclose(fft_filter(x, lowpass=fs / 2, fs=fs), x, atol=1e-12)
        np.testing.assert_allclose(fft_filter(x, highpass=0.0, fs=fs), x, atol=1e-12)


def test_fft_filter_pandas_round_trip():
    idx = pd.date_range("2024-01-01", periods=N, freq="h", name="time")
    low, mid, high = three_tones()
    s = pd.Series(low + high, index=idx, name="signal")
    out = fft_filter(s, lowpass=20.5 / N)
    assert isinstance(out, pd.Series)
    assert out.index.equals(idx) and out.name == "signal"
    np.testing.assert_allclose(out.to_numpy(), low, atol=1e-10)
    frame = pd.DataFrame({"a": low + high, "b": mid + high}, index=idx)
    out = fft_filter(frame, highpass=70.5 / N)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(idx) and list(out.columns) == ["a", "b"]
    np.testing.assert_allclose(out.to_numpy(), np.c_[high, high], atol=1e-10)
    np.testing.assert_array_equal(s.to_numpy(), low + high)     # not mutated


@pytest.mark.parametrize("axis", [0, -1, 1])
def test_fft_filter_2d_along_axis(axis):
    x = rng(3).standard_normal((4, 50)) if axis != 0 else rng(3).standard_normal((50, 4))
    y = fft_filter(x, band=(0.1, 0.3), axis=axis)
    assert y.shape == x.shape
    rows = np.moveaxis(x, axis, -1)
    expected = np.stack([fft_filter(r, band=(0.1, 0.3)) for r in rows])
    np.testing.assert_allclose(np.moveaxis(y, axis, -1), expected, rtol=0, atol=1e-13)
    f = bin_frequencies(50, 1.0)
    np.testing.assert_allclose(y, reference_filter(x, ((f >= 0.1) & (f <= 0.3)) * 1.0, axis),
                               rtol=0, atol=1e-12)


def test_fft_filter_dtype():
    x = rng(5).standard_normal(128)
    y32 = fft_filter(x.astype(np.float32), lowpass=0.2, transition=0.05)
    assert y32.dtype == np.float32
    y64 = fft_filter(x.astype(np.float32).astype(np.float64), lowpass=0.2, transition=0.05)
    assert y64.dtype == np.float64
    np.testing.assert_allclose(y32, y64, rtol=0, atol=1e-5 * np.abs(x).max())
    assert fft_filter(x, lowpass=0.2, dtype=np.float32).dtype == np.float32
    assert fft_filter(np.arange(16), lowpass=0.2).dtype == np.float64


@pytest.mark.parametrize("options, match", [
    ({}, "at least one of lowpass, highpass and band"),
    ({"lowpass": 0.6}, r"lowpass must be a number in \(0, 0.5\]"),
    ({"lowpass": 0.0}, "lowpass must be a number"),
    ({"lowpass": -0.1}, "lowpass must be a number"),
    ({"lowpass": 60.0, "fs": 100.0}, r"lowpass must be a number in \(0, 50\]"),
    ({"highpass": 0.5}, r"highpass must be a number in \[0, 0.5\)"),
    ({"highpass": -0.1}, "highpass must be a number"),
    ({"band": (0.3, 0.1)}, "band must have low < high"),
    ({"band": (0.2, 0.2)}, "band must have low < high"),
    ({"band": (0.1, 0.2, 0.3)}, r"band must be a pair \(low, high\)"),
    ({"band": 0.2}, r"band must be a pair \(low, high\)"),
    ({"band": (0.1, 0.7)}, r"band\[1\] must be a number"),
    ({"band": (-0.1, 0.2)}, r"band\[0\] must be a number"),
    ({"lowpass": 0.2, "transition": -0.01}, "transition must be a number"),
    ({"lowpass": 0.2, "fs": 0.0}, "fs must be a number"),
])
def test_fft_filter_errors(options, match):
    with pytest.raises(ValueError, match=match):
        fft_filter(rng().standard_normal(32), **options)


@pytest.mark.parametrize("where", [0, 15, 31])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_fft_filter_rejects_nonfinite(where, bad):
    x = rng().standard_normal(32)
    x[where] = bad
    for data in (x, pd.Series(x), pd.DataFrame({"a": x})):
        with pytest.raises(ValueError, match="NaN or inf"):
            fft_filter(data, lowpass=0.2)


# ---------------------------------------------------------------------------
# periodogram against scipy.signal.periodogram


def _datasets():
    sun = sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()
    nile = sm.datasets.nile.load_pandas().data["volume"].to_numpy(dtype=float)
    elnino = sm.datasets.elnino.load_pandas().data.iloc[:, 1:].to_numpy(dtype=float).ravel()
    g = rng(7)
    return {"sunspots": sun, "sunspots_even": sun[:-1], "nile": nile, "elnino": elnino,
            "random_odd": g.standard_normal(37), "random_even": g.standard_normal(64)}


DATASETS = _datasets()
WINDOWS = ["boxcar", "hann", ("tukey", 0.25)]


def assert_periodogram_matches(result, x, fs=1.0, window="boxcar", nfft=None,
                               detrend="constant", return_onesided=True, scaling="density",
                               axis=-1):
    f_ref, p_ref = ss.periodogram(x, fs, window, nfft, detrend, return_onesided, scaling,
                                  axis=axis)
    f, p = result
    np.testing.assert_allclose(f, f_ref, rtol=0, atol=1e-12 * fs)
    p = np.asarray(p)
    assert p.shape == p_ref.shape
    np.testing.assert_allclose(p, p_ref, rtol=0, atol=1e-10 * np.abs(p_ref).max())


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_periodogram_matches_scipy(name, window):
    x = DATASETS[name]
    n = len(x)       # odd: sunspots (309), random_odd; even: the others
    for nfft, detrend, onesided, scaling, fs in itertools.product(
            [None, n + 13, n // 2 + 1, n // 3], ["constant", "linear", False],
            [True, False], ["density", "spectrum"], [1.0, 12.0]):
        result = periodogram(x, fs, window, nfft, detrend, onesided, scaling)
        assert_periodogram_matches(result, x, fs, window, nfft, detrend, onesided, scaling)


@pytest.mark.parametrize("axis", [0, -1, 1])
@pytest.mark.parametrize("nfft", [None, 80, 30])
def test_periodogram_2d_matches_scipy(axis, nfft):
    x = rng(11).standard_normal((3, 51)) + np.linspace(0.0, 5.0, 51)   # with a trend
    if axis == 0:
        x = x.T.copy()
    for window, detrend, onesided in itertools.product(WINDOWS, ["constant", "linear"],
                                                       [True, False]):
        result = periodogram(x, 4.0, window, nfft, detrend, onesided, "density", axis=axis)
        assert_periodogram_matches(result, x, 4.0, window, nfft, detrend, onesided,
                                   "density", axis=axis)


def test_periodogram_series_and_frame():
    sun = sm.datasets.sunspots.load_pandas().data
    s = pd.Series(sun["SUNACTIVITY"].to_numpy(), index=sun["YEAR"].astype(int),
                  name="SUNACTIVITY")
    result = periodogram(s, window="hann")
    assert isinstance(result.power, pd.Series)
    assert result.power.name == "SUNACTIVITY"
    assert result.power.index.name == "frequency"
    np.testing.assert_array_equal(result.power.index.to_numpy(), result.frequency)
    assert_periodogram_matches(result, s.to_numpy(), window="hann")
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["SUNACTIVITY"]
    np.testing.assert_array_equal(frame.index.to_numpy(), result.frequency)

    df = pd.DataFrame({"a": DATASETS["random_even"], "b": DATASETS["random_even"][::-1]})
    result = periodogram(df, fs=2.0, scaling="spectrum")
    assert isinstance(result.power, pd.DataFrame)
    assert list(result.power.columns) == ["a", "b"]
    assert result.power.index.name == "frequency"
    assert_periodogram_matches(result, df.to_numpy(), fs=2.0, scaling="spectrum", axis=0)
    assert result.to_frame() is result.power


def test_periodogram_to_frame_for_arrays():
    x = DATASETS["nile"]
    result = periodogram(x)
    frame = result.to_frame()
    assert list(frame.columns) == ["power"] and frame.index.name == "frequency"
    np.testing.assert_array_equal(frame["power"].to_numpy(), result.power)
    f, p = result
    assert f is result.frequency and p is result.power
    # A peak where there is one: the sunspot cycle is about 11 years.
    f, p = periodogram(DATASETS["sunspots"])
    assert 9 < 1 / f[np.argmax(p)] < 12
    x2 = rng(2).standard_normal((3, 40))
    frame2 = periodogram(x2).to_frame()
    assert frame2.shape == (21, 3)


@pytest.mark.parametrize("options, match", [
    ({"scaling": "power"}, "scaling must be one of 'density', 'spectrum'"),
    ({"detrend": "quadratic"}, "detrend must be one of 'constant', 'linear', False"),
    ({"detrend": None}, "detrend must be one of"),
    ({"window": "no-such-window"}, "window must be a window of scipy.signal.get_window"),
    ({"nfft": 0}, "nfft must be an integer >= 1"),
    ({"fs": 0.0}, "fs must be a number"),
])
def test_periodogram_errors(options, match):
    with pytest.raises(ValueError, match=match):
        periodogram(rng().standard_normal(32), **options)


@pytest.mark.parametrize("where", [0, 15, 31])
def test_periodogram_rejects_nan(where):
    x = rng().standard_normal(32)
    x[where] = np.nan
    for data in (x, pd.Series(x), pd.DataFrame({"a": x})):
        with pytest.raises(ValueError, match="NaN or inf"):
            periodogram(data)
