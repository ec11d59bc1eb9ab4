"""``sigconv.audio.distort``, each distortion against an independent computation:
gain, DC offset and clipping against their closed forms; noise against its SNR
(within 0.5 dB) and its spectral slope (a Welch PSD fit); the telephone band by
the Welch PSD outside 200-3800 Hz; the room impulse response by Schroeder's
backward integration (RT60) and its direct-to-reverberant energy; reverb against
``numpy.convolve``; MP3 by the cross-correlation peak (lag 0 +-2), the correlation
with the input and the encoded size (the bit rate); clock and speed by output
length and the frequency a tone moves to.  Every registered distortion keeps the
input's dtype and leaves the input alone; bad input is refused with messages
naming the parameter.
"""
import math
import sys

import numpy as np
import pytest
from scipy import signal

from sigconv.audio import distort
from sigconv.audio.distort import (
    DISTORTIONS,
    clip,
    clock,
    coloured_noise,
    dc,
    gain,
    mp3,
    phone_in_room,
    reverb,
    room_impulse_response,
    speed,
    telephone,
    white_noise,
)
from sigconv.audio.synth import song

SR = 22050
FUNCTIONS = [distort.gain, distort.dc, distort.white_noise, distort.coloured_noise,
             distort.telephone, distort.reverb, distort.mp3, distort.clip, distort.clock,
             distort.speed, distort.phone_in_room]


def _tonal(n, sr, seed=0):
    """Harmonic tones under a slow, irregular amplitude envelope (not periodic)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    x = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in
            zip([0.5, 0.3, 0.2, 0.15], [220.0, 330.0, 440.0, 1100.0], rng.uniform(0, 6, 4)))
    envelope = np.interp(t, np.linspace(0, t[-1], 12), rng.uniform(0.3, 1.0, 12))
    return x * envelope


def _snr_db(x, y):
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return 10 * np.log10(np.mean(x**2) / np.mean((y - x) ** 2))


def _peak_frequency(y, sr):
    """Frequency of the strongest tone: Hann window, 16x zero-padded FFT, parabola."""
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size), 16 * y.size))
    k = int(np.argmax(spectrum))
    a, b, c = np.log(spectrum[k - 1:k + 2])
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sr / (16 * y.size)


def _lag(y, x):
    """Lag of the cross-correlation peak: y[n + lag] ~ x[n]."""
    corr = signal.correlate(y, x, mode="full", method="fft")
    return int(signal.correlation_lags(y.size, x.size, mode="full")[np.argmax(corr)])


def _mp3_or_skip():
    soundfile = pytest.importorskip("soundfile")
    if "MP3" not in soundfile.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    return soundfile


def test_registry_holds_the_acceptance_distortions():
    assert list(DISTORTIONS) == ["gain", "dc", "white_noise", "coloured_noise", "telephone",
                                 "reverb", "mp3", "clip", "clock", "speed+2%", "speed-2%",
                                 "phone_in_room"]
    assert DISTORTIONS["speed+2%"].keywords == {"factor": 1.02}
    assert DISTORTIONS["speed-2%"].keywords == {"factor": 0.98}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(DISTORTIONS))
def test_each_registered_distortion_keeps_dtype_and_leaves_input_alone(name, dtype):
    if name == "mp3":
        _mp3_or_skip()
    x = song(9, 1.5, SR).astype(dtype)
    before = x.copy()
    y, sr_out = DISTORTIONS[name](x, SR, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(x, y)
    assert y.dtype == dtype and y.ndim == 1 and np.isfinite(y).all()
    assert sr_out == (8000 if name in ("telephone", "phone_in_room") else SR)
    assert not np.allclose(y[:min(x.size, y.size)], x[:min(x.size, y.size)])


def test_float16_input_gives_float32():
    y, _ = gain(np.ones(10, dtype=np.float16), 8000)
    assert y.dtype == np.float32


def test_gain_dc_and_clip_closed_forms():
    x = _tonal(4000, 8000) - 0.1
    np.testing.assert_allclose(gain(x, 8000, db=-12.0)[0], x * 10 ** (-12 / 20), rtol=1e-15)
    np.testing.assert_allclose(gain(x, 8000, db=6.0)[0] / x, 10 ** 0.3, rtol=1e-14)
    np.testing.assert_allclose(dc(x, 8000, offset=0.2)[0] - x, 0.2, atol=1e-15)
    y, sr = clip(x, 8000, level=0.3)
    ceiling = 0.3 * np.max(np.abs(x))
    assert sr == 8000 and np.max(np.abs(y)) == pytest.approx(ceiling, rel=1e-15)
    np.testing.assert_array_equal(y, np.minimum(np.maximum(x, -ceiling), ceiling))
    inside = np.abs(x) < ceiling
    np.testing.assert_array_equal(y[inside], x[inside])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("exponent", [0.0, 1.0, 2.0])
@pytest.mark.parametrize("snr_db", [-5.0, 0.0, 10.0])
def test_noise_reaches_the_snr(snr_db, exponent, dtype):
    x = song(3, 2.0, SR).astype(dtype)
    y, sr = coloured_noise(x, SR, snr_db=snr_db, exponent=exponent, rng=5)
    assert sr == SR
    assert abs(_snr_db(x, y) - snr_db) < 0.5
    if dtype == np.float64:
        assert _snr_db(x, y) == pytest.approx(snr_db, abs=1e-9)


def test_white_noise_is_coloured_noise_of_exponent_zero_and_seeded():
    x = _tonal(5000, 8000)
    np.testing.assert_array_equal(white_noise(x, 8000, snr_db=3.0, rng=7)[0],
                                  coloured_noise(x, 8000, snr_db=3.0, exponent=0.0, rng=7)[0])
    a, b = white_noise(x, 8000, rng=7)[0], white_noise(x, 8000, rng=8)[0]
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, white_noise(x, 8000, rng=np.random.default_rng(7))[0])


@pytest.mark.parametrize("exponent", [0.0, 1.0, 2.0])
def test_noise_power_spectrum_falls_as_one_over_f_to_the_exponent(exponent):
    """Slope of log PSD against log frequency (Welch, 50 Hz - 5 kHz) is -exponent."""
    x = _tonal(4 * SR, SR)
    y, _ = coloured_noise(x, SR, snr_db=-20.0, exponent=exponent, rng=2)
    f, p = signal.welch(y - x, SR, nperseg=4096)
    band = (f >= 50) & (f <= 5000)
    slope = np.polyfit(np.log10(f[band]), np.log10(p[band]), 1)[0]
    assert slope == pytest.approx(-exponent, abs=0.15)
    assert abs(np.mean(y - x)) < 0.05 * np.std(y - x)


@pytest.mark.parametrize("sr", [16000, SR, 44100])
def test_telephone_band_and_rate(sr):
    x = np.random.default_rng(0).standard_normal(4 * sr)
    y, sr_out = telephone(x, sr)
    assert sr_out == 8000 and y.size == math.ceil(x.size * 8000 / sr)
    f, p = signal.welch(y, 8000, nperseg=1024)
    band = p[(f >= 300) & (f <= 3400)].sum()
    assert 10 * np.log10(p[f < 200].sum() / band) < -30
    assert 10 * np.log10(p[f > 3800].sum() / band) < -30


def test_telephone_passes_a_tone_in_the_band_unchanged_in_level_and_time():
    t = np.arange(2 * SR) / SR
    x = np.sin(2 * np.pi * 1000 * t) * np.interp(t, [0, 1, 2], [0.2, 1.0, 0.5])
    y, _ = telephone(x, SR)
    reference = signal.resample_poly(x, 160, 441)       # 8000 / 22050, no band-pass
    middle = slice(800, -800)
    assert 20 * np.log10(np.std(y[middle]) / np.std(reference[middle])) == pytest.approx(0, abs=0.5)
    assert _lag(y[middle], reference[middle]) == 0


def _schroeder_rt60(h, sr):
    """RT60 from the slope of Schroeder's energy decay curve between -5 and -35 dB."""
    energy = np.cumsum(h[::-1] ** 2)[::-1]
    decay_db = 10 * np.log10(energy / energy[0])
    fit = (decay_db <= -5) & (decay_db >= -35)
    slope = np.polyfit(np.arange(h.size)[fit] / sr, decay_db[fit], 1)[0]
    return -60 / slope


@pytest.mark.parametrize("rt60", [0.3, 0.6, 1.2])
def test_room_impulse_response_decays_at_rt60(rt60):
    h = room_impulse_response(8000, rt60, np.random.default_rng(4))
    assert h.size == math.ceil(1.5 * rt60 * 8000) and h[0] == 1.0
    assert _schroeder_rt60(h, 8000) == pytest.approx(rt60, rel=0.1)


@pytest.mark.parametrize("ratio_db", [0.0, -6.0, 10.0])
def test_room_impulse_response_direct_to_reverberant_energy(ratio_db):
    h = room_impulse_response(8000, 0.5, 3, direct_to_reverberant_db=ratio_db)
    assert 10 * np.log10(h[0] ** 2 / np.sum(h[1:] ** 2)) == pytest.approx(ratio_db, abs=1e-9)
    np.testing.assert_array_equal(h, room_impulse_response(8000, 0.5, 3,
                                                           direct_to_reverberant_db=ratio_db))


def test_reverb_is_the_convolution_with_the_room_scaled_to_the_input_rms():
    x = _tonal(4000, 8000)
    y, sr = reverb(x, 8000, rt60=0.3, rng=11)
    h = room_impulse_response(8000, 0.3, 11)
    wet = np.convolve(x, h)[:x.size]
    expected = wet * np.sqrt(np.mean(x**2) / np.mean(wet**2))
    assert sr == 8000 and y.size == x.size
    np.testing.assert_allclose(y, expected, atol=1e-10)
    assert np.sqrt(np.mean(y**2)) == pytest.approx(np.sqrt(np.mean(x**2)), rel=1e-12)


@pytest.mark.parametrize("sr, bitrate", [(SR, 32), (44100, 32), (16000, 24), (8000, 16)])
def test_mp3_is_aligned_and_close_to_a_tonal_input(sr, bitrate):
    _mp3_or_skip()
    x = _tonal(int(2.5 * sr), sr)
    y, sr_out = mp3(x, sr, bitrate=bitrate)
    assert sr_out == sr and y.size == x.size and y.dtype == np.float64
    assert abs(_lag(y, x)) <= 2
    assert np.corrcoef(x, y)[0, 1] > 0.9


def test_mp3_aligns_music_and_loud_input():
    _mp3_or_skip()
    x = 3.0 * song(6, 3.0, SR)                   # peak 2.85: scaled for the round trip
    y, _ = mp3(x, SR)
    assert abs(_lag(y, x)) <= 2
    assert np.corrcoef(x, y)[0, 1] > 0.9
    assert np.max(np.abs(y)) > 1.5


@pytest.mark.parametrize("bitrate", [32, 64])
def test_mp3_encodes_at_the_bit_rate(bitrate, monkeypatch):
    """The size of the encoded stream, over the duration, is the bit rate."""
    soundfile = _mp3_or_skip()
    sizes = []
    write = soundfile.write

    def recording_write(file, *args, **kwargs):
        write(file, *args, **kwargs)
        sizes.append(file.tell())

    monkeypatch.setattr(soundfile, "write", recording_write)
    x = _tonal(5 * SR, SR)
    mp3(x, SR, bitrate=bitrate)
    assert sizes[0] * 8 / 5.0 / 1000 == pytest.approx(bitrate, rel=0.1)


def test_mp3_without_mp3_support_raises_runtime_error(monkeypatch):
    soundfile = pytest.importorskip("soundfile")
    monkeypatch.setattr(soundfile, "available_formats", lambda: {"WAV": "WAV"})
    with pytest.raises(RuntimeError, match="cannot write MP3"):
        mp3(np.zeros(1000), SR)
    monkeypatch.setitem(sys.modules, "soundfile", None)        # import fails
    with pytest.raises(RuntimeError, match="needs the soundfile package"):
        mp3(np.zeros(1000), SR)


@pytest.mark.parametrize("error", [0.001, -0.001, 0.01])
def test_clock_length_rate_and_pitch(error):
    x = np.sin(2 * np.pi * 1000 * np.arange(2 * 8000) / 8000)
    y, sr = clock(x, 8000, error=error)
    assert sr == 8000 and abs(y.size - x.size * (1 + error)) <= 1
    assert _peak_frequency(y, 8000) == pytest.approx(1000 / (1 + error), abs=0.2)


@pytest.mark.parametrize("name, factor", [("speed+2%", 1.02), ("speed-2%", 0.98)])
def test_speed_length_rate_and_pitch(name, factor):
    x = np.sin(2 * np.pi * 1000 * np.arange(2 * 8000) / 8000)
    y, sr = DISTORTIONS[name](x, 8000, rng=0)
    assert sr == 8000 and abs(y.size - x.size / factor) <= 1
    assert _peak_frequency(y, 8000) == pytest.approx(1000 * factor, abs=0.2)
    np.testing.assert_array_equal(y, speed(x, 8000, factor=factor)[0])


def test_phone_in_room_is_band_limited_at_8000_and_seeded():
    x = song(2, 3.0, SR)
    y, sr = phone_in_room(x, SR, rng=3)
    assert sr == 8000 and y.size == math.ceil(x.size * 8000 / SR)
    np.testing.assert_array_equal(y, phone_in_room(x, SR, rng=3)[0])
    f, p = signal.welch(y, 8000, nperseg=1024)
    band = p[(f >= 300) & (f <= 3400)].sum()
    assert 10 * np.log10(p[f < 200].sum() / band) < -30
    clean, _ = telephone(x, SR)
    assert 0.2 < np.corrcoef(clean, y)[0, 1] < 0.95


BAD_X = [
    (np.ones((2, 100)), ValueError, "x must be 1-D"),
    (np.arange(100), TypeError, "x must be an array of floats"),
    (np.array([0.0, np.nan, 1.0] * 50), ValueError, "x contains NaN or inf"),
    (np.array([], dtype=float), ValueError, "x must hold at least one sample"),
]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x, error, message", BAD_X)
def test_bad_x(fn, x, error, message):
    with pytest.raises(error, match=message):
        fn(x, SR)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("sr", [0, -8000, float("nan"), "22050"])
def test_bad_sr(fn, sr):
    with pytest.raises(ValueError, match="sr must be a number"):
        fn(np.ones(100), sr)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_bad_rng(fn):
    with pytest.raises(TypeError, match="rng must be None, an integer seed"):
        fn(np.sin(np.arange(SR) * 0.1), SR, rng="seed")


@pytest.mark.parametrize("fn, kwargs, message", [
    (gain, {"db": 200.0}, r"db must be a number in \[-120, 120\]"),
    (gain, {"db": float("nan")}, "db must be a number"),
    (dc, {"offset": float("inf")}, r"offset must be a number in \[-10, 10\]"),
    (white_noise, {"snr_db": -100.0}, r"snr_db must be a number in \[-40, 100\]"),
    (coloured_noise, {"exponent": -1.0}, r"exponent must be a number in \[0, 3\]"),
    (coloured_noise, {"exponent": 4.0}, r"exponent must be a number in \[0, 3\]"),
    (reverb, {"rt60": 0.01}, r"rt60 must be a number in \[0.05, 5\]"),
    (reverb, {"rt60": 10.0}, r"rt60 must be a number in \[0.05, 5\]"),
    (reverb, {"direct_to_reverberant_db": 50.0}, "direct_to_reverberant_db must be"),
    (mp3, {"bitrate": 400}, r"bitrate must be in \[8, 160\] kbit/s at 22050 Hz"),
    (mp3, {"bitrate": 0}, "bitrate must be an integer >= 1"),
    (mp3, {"bitrate": 32.0}, "bitrate must be an integer >= 1"),
    (clip, {"level": 0.0}, r"level must be a number in \(0, 1\]"),
    (clip, {"level": 1.5}, r"level must be a number in \(0, 1\]"),
    (clock, {"error": 0.5}, r"error must be a number in \[-0.1, 0.1\]"),
    (speed, {"factor": 3.0}, r"factor must be a number in \[0.5, 2\]"),
    (speed, {"factor": 0.0}, r"factor must be a number in \[0.5, 2\]"),
    (phone_in_room, {"snr_db": 500.0}, r"snr_db must be a number in \[-40, 100\]"),
])
def test_bad_parameters(fn, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn(np.sin(np.arange(SR) * 0.1), SR, **kwargs)


@pytest.mark.parametrize("fn, sr, message", [
    (telephone, 6000, "sr must exceed 6800 Hz to hold the telephone band"),
    (phone_in_room, 6000, "sr must exceed 6800 Hz"),
    (mp3, 22000, "sr must be an MP3 sample rate, one of 8000, 11025"),
])
def test_rates_a_distortion_cannot_take(fn, sr, message):
    with pytest.raises(ValueError, match=message):
        fn(np.sin(np.arange(sr) * 0.1), sr)


def test_noise_needs_a_signal():
    with pytest.raises(ValueError, match="x is silent"):
        white_noise(np.zeros(100), SR)
    with pytest.raises(ValueError, match="x must hold at least 2 samples"):
        coloured_noise(np.ones(1), SR)
    with pytest.raises(ValueError, match="sr must be a number"):
        room_impulse_response(0, 0.5)
