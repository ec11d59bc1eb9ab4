"""sigconv.audio.io: reading and writing audio files.

Round trips through WAV, FLAC and OGG; values checked against an independent
reader or writer (soundfile or scipy.io.wavfile called directly, or a closed
form); the mono mix against the channel mean; resampling against
``scipy.signal.resample_poly`` with the expected factors written out; offset
and duration against slices of the full read.  The WAV-only path without
soundfile runs with ``import soundfile`` made to fail.  Every bad file must
give a clear error that names it.
"""
import os
import re
import subprocess
import sys
import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy.io import wavfile
from scipy.signal import resample_poly

from sigconv.audio import io
from sigconv.audio.io import load, resample_factors, save

HAVE_SOUNDFILE = io._soundfile() is not None
needs_soundfile = pytest.mark.skipif(not HAVE_SOUNDFILE, reason="soundfile is not installed")
EXTRA = re.escape('pip install "sigconv[audio]"')


def noise(channels, n, seed=0):
    """Reproducible samples in [-0.9, 0.9], shape (channels, n)."""
    return np.random.default_rng(seed).uniform(-0.9, 0.9, (channels, n))


def tone(sr, seconds, channels=1, freq=440.0):
    """Sines at ``freq`` (channel c at freq * (1 + c / 2)), shape (channels, n)."""
    t = np.arange(int(sr * seconds)) / sr
    return np.stack([0.5 * np.sin(2 * np.pi * freq * (1 + c / 2) * t) for c in range(channels)])


def names(path):
    """A pattern matching a message that names ``path``."""
    return re.escape(str(path))


@pytest.fixture
def no_soundfile(monkeypatch):
    """``import soundfile`` fails, as when the audio extra is not installed."""
    monkeypatch.setitem(sys.modules, "soundfile", None)
    assert io._soundfile() is None


@pytest.fixture(params=["soundfile", "wavfile"])
def backend(request):
    """Run a WAV test with soundfile and again with scipy.io.wavfile alone."""
    if request.param == "soundfile":
        if not HAVE_SOUNDFILE:
            pytest.skip("soundfile is not installed")
    else:
        request.getfixturevalue("no_soundfile")
    return request.param


def sf_read(path):
    """The file read by soundfile directly: float32, shape (channels, n)."""
    import soundfile

    data, sr = soundfile.read(path, dtype="float32", always_2d=True)
    return data.T, sr


# ------------------------------------------------------------------ round trips
@needs_soundfile
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("ext", ["wav", "flac"])
def test_lossless_round_trip(tmp_path, ext, channels):
    x = noise(channels, 3000)
    path = tmp_path / f"x.{ext}"
    save(path, x[0] if channels == 1 else x, 22050)
    got, sr = load(path, sr=None, mono=False)
    assert sr == 22050 and got.dtype == np.float32 and got.shape == (channels, 3000)
    np.testing.assert_allclose(got, x, rtol=0, atol=1 / 32768)     # 16-bit PCM
    reference, ref_sr = sf_read(path)
    np.testing.assert_array_equal(got, reference)
    assert ref_sr == 22050
    mono, _ = load(path, sr=None)
    assert mono.shape == (3000,) and mono.dtype == np.float32


@needs_soundfile
@pytest.mark.parametrize("channels", [1, 2])
def test_ogg_round_trip(tmp_path, channels):
    x = tone(22050, 1.0, channels)
    path = tmp_path / "x.ogg"
    save(path, x, 22050)
    got, sr = load(path, sr=None, mono=False)
    assert sr == 22050 and got.dtype == np.float32 and got.shape == x.shape
    np.testing.assert_array_equal(got, sf_read(path)[0])
    # Vorbis is lossy: each channel comes back within 20 dB of the original.
    for original, decoded in zip(x, got):
        snr = 10 * np.log10(np.sum(original ** 2) / np.sum((decoded - original) ** 2))
        assert snr > 20


@pytest.mark.parametrize("dtype, scale, centre", [
    (np.uint8, 128, 128), (np.int16, 2 ** 15, 0), (np.int32, 2 ** 31, 0),
    (np.float32, 1, 0), (np.float64, 1, 0)])
def test_wav_encodings_scaled_to_unit_range(tmp_path, backend, dtype, scale, centre):
    rng = np.random.default_rng(1)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        data = rng.integers(info.min, info.max, (500, 2), endpoint=True).astype(dtype)
    else:
        data = rng.uniform(-1, 1, (500, 2)).astype(dtype)
    path = tmp_path / "x.wav"
    wavfile.write(path, 16000, data)                     # an independent writer
    got, sr = load(path, sr=None, mono=False)
    expected = ((data.astype(np.float64) - centre) / scale).T.astype(np.float32)
    assert sr == 16000 and got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


@needs_soundfile
def test_24_bit_wav_without_soundfile_reads_as_soundfile(tmp_path, monkeypatch):
    import soundfile

    path = tmp_path / "x.wav"
    soundfile.write(path, noise(2, 700).T, 8000, subtype="PCM_24")
    reference, _ = sf_read(path)
    monkeypatch.setitem(sys.modules, "soundfile", None)
    got, _ = load(path, sr=None, mono=False)    # no memory map for 3-byte samples
    np.testing.assert_array_equal(got, reference)


@pytest.mark.filterwarnings("ignore::scipy.io.wavfile.WavFileWarning")   # a 'fact' chunk
@pytest.mark.parametrize("channels", [1, 2])
def test_save_wav_int16_and_float(tmp_path, backend, channels):
    x = noise(channels, 1000)
    save(tmp_path / "pcm.wav", x, 8000)
    save(tmp_path / "float.wav", x, 8000, subtype="FLOAT")
    sr, pcm = wavfile.read(tmp_path / "pcm.wav")         # an independent reader
    sr_float, floats = wavfile.read(tmp_path / "float.wav")
    assert (sr, sr_float, pcm.dtype, floats.dtype) == (8000, 8000, np.int16, np.float32)
    pcm, floats = pcm.reshape(1000, -1).T, floats.reshape(1000, -1).T
    np.testing.assert_allclose(pcm / 32768, x, rtol=0, atol=1 / 32768)
    np.testing.assert_array_equal(floats, x.astype(np.float32))
    got, _ = load(tmp_path / "float.wav", sr=None, mono=False)
    np.testing.assert_array_equal(got, x.astype(np.float32))


def test_save_clips_integer_encodings(tmp_path, backend):
    save(tmp_path / "x.wav", np.array([1.5, 1.0, -1.0, -2.0, 0.5]), 8000)
    _, data = wavfile.read(tmp_path / "x.wav")
    np.testing.assert_array_equal(data, [32767, 32767, -32768, -32768, 16384])


# ------------------------------------------------------------------ mono mix
@needs_soundfile
@pytest.mark.parametrize("ext", ["wav", "flac", "ogg"])
@pytest.mark.parametrize("channels", [2, 3])
def test_mono_is_the_channel_mean(tmp_path, ext, channels):
    path = tmp_path / f"x.{ext}"
    save(path, tone(8000, 0.5, channels), 8000)
    every, _ = load(path, sr=None, mono=False)
    mono, _ = load(path, sr=None)
    np.testing.assert_allclose(mono, every.astype(np.float64).mean(axis=0), rtol=0, atol=1e-7)


def test_mono_mix_without_soundfile(tmp_path, no_soundfile):
    x = noise(2, 800).astype(np.float32)
    wavfile.write(tmp_path / "x.wav", 8000, x.T)
    mono, _ = load(tmp_path / "x.wav", sr=None)
    np.testing.assert_allclose(mono, x.astype(np.float64).mean(axis=0), rtol=0, atol=1e-7)


def test_mono_false_keeps_a_channel_axis_for_mono_files(tmp_path, backend):
    save(tmp_path / "x.wav", noise(1, 100)[0], 8000)
    assert load(tmp_path / "x.wav", sr=None, mono=False)[0].shape == (1, 100)
    assert load(tmp_path / "x.wav", sr=None)[0].shape == (100,)


# ------------------------------------------------------------------ resampling
@pytest.mark.parametrize("file_sr, sr, up, down", [
    (44100, 8000, 80, 441), (22050, 16000, 320, 441), (8000, 44100, 441, 80),
    (16000, 8000, 1, 2), (48000, 44100, 147, 160)])
def test_resampling_is_resample_poly(tmp_path, backend, file_sr, sr, up, down):
    assert resample_factors(file_sr, sr) == (up, down)
    path = tmp_path / "x.wav"
    save(path, noise(2, file_sr // 4), file_sr, subtype="FLOAT")
    native, _ = load(path, sr=None, mono=False)
    got, got_sr = load(path, sr=sr, mono=False)
    assert got_sr == sr and got.dtype == np.float32
    np.testing.assert_allclose(got, resample_poly(native, up, down, axis=-1),
                               rtol=0, atol=1e-6)
    mono, _ = load(path, sr=sr)
    np.testing.assert_allclose(mono, resample_poly(native.mean(axis=0), up, down),
                               rtol=0, atol=1e-6)


def test_resampling_keeps_a_tone(tmp_path, backend):
    path = tmp_path / "tone.wav"
    save(path, tone(44100, 1.0, channels=2, freq=440.0)[[0, 0]], 44100)
    samples, sr = load(path)                             # default: mono, 8000 Hz
    assert sr == 8000 and samples.shape == (8000,)
    spectrum = np.abs(np.fft.rfft(samples)) * 2 / samples.size    # 1 Hz bins
    assert np.argmax(spectrum) == 440
    assert spectrum[440] == pytest.approx(0.5, rel=0.01)


def test_rates_that_are_not_whole_numbers(tmp_path, backend):
    up, down = resample_factors(8000, 11025.5)
    assert Fraction(up, down) == Fraction(11025.5 / 8000).limit_denominator(1000)
    path = tmp_path / "x.wav"
    save(path, noise(1, 2000)[0], 8000, subtype="FLOAT")
    native, _ = load(path, sr=None)
    got, sr = load(path, sr=11025.5)
    assert sr == pytest.approx(8000 * up / down) and abs(sr - 11025.5) < 0.01
    np.testing.assert_allclose(got, resample_poly(native, up, down), rtol=0, atol=1e-6)
    assert load(path, sr=16000.0)[1] == 16000 and type(load(path, sr=16000.0)[1]) is int


def test_same_rate_or_none_does_not_resample(tmp_path, backend):
    path = tmp_path / "x.wav"
    save(path, noise(1, 500)[0], 8000)
    native, sr = load(path, sr=None)
    assert sr == 8000
    np.testing.assert_array_equal(load(path, sr=8000)[0], native)
    np.testing.assert_array_equal(load(path)[0], native)     # the default rate is 8000


def test_resample_factors_errors():
    with pytest.raises(ValueError, match="target_sr must be a number in"):
        resample_factors(8000, 0)
    with pytest.raises(ValueError, match="target_sr=0.001 is too far below"):
        resample_factors(44100.5, 0.001)


# ------------------------------------------------------------------ offset and duration
def _slice_cases(tmp_path, ext):
    path = tmp_path / f"x.{ext}"
    save(path, tone(22050, 1.0, channels=2) + 0.1 * noise(2, 22050), 22050)
    return path


@pytest.mark.parametrize("ext", [
    pytest.param("wav"), pytest.param("flac", marks=needs_soundfile),
    pytest.param("ogg", marks=needs_soundfile)])
@pytest.mark.parametrize("offset, duration", [(0.25, 0.5), (0.0, 0.1), (0.5, None),
                                              (0.9, 5.0), (0.3, 1 / 22050)])
def test_offset_and_duration_slice_the_full_read(tmp_path, ext, offset, duration):
    path = _slice_cases(tmp_path, ext)
    full, sr = load(path, sr=None, mono=False)
    part, part_sr = load(path, sr=None, mono=False, offset=offset, duration=duration)
    start = round(offset * sr)
    stop = full.shape[1] if duration is None else start + round(duration * sr)
    assert part_sr == sr
    np.testing.assert_allclose(part, full[:, start:stop], rtol=0,
                               atol=1e-5 if ext == "ogg" else 0)
    assert part.shape[1] == min(stop, full.shape[1]) - start


def test_offset_and_duration_without_soundfile(tmp_path, no_soundfile):
    path = _slice_cases(tmp_path, "wav")
    full, _ = load(path, sr=None, mono=False)
    part, _ = load(path, sr=None, mono=False, offset=0.2, duration=0.3)
    np.testing.assert_array_equal(part, full[:, 4410:4410 + 6615])


def test_offset_and_duration_then_resampling(tmp_path, backend):
    path = tmp_path / "x.wav"
    save(path, noise(1, 44100)[0], 44100, subtype="FLOAT")
    full, _ = load(path, sr=None)
    part, sr = load(path, offset=0.5, duration=0.25)          # to 8000 Hz
    np.testing.assert_allclose(part, resample_poly(full[22050:22050 + 11025], 80, 441),
                               rtol=0, atol=1e-6)
    assert sr == 8000


# ------------------------------------------------------------------ without soundfile
@pytest.fixture
def flac_and_ogg(tmp_path):
    """A FLAC and an OGG file (real ones when soundfile can write them; only the
    header matters to the path without soundfile)."""
    paths = tmp_path / "x.flac", tmp_path / "x.ogg"
    if HAVE_SOUNDFILE:
        for path in paths:
            save(path, tone(8000, 0.2), 8000)
    else:
        paths[0].write_bytes(b"fLaC" + bytes(100))
        paths[1].write_bytes(b"OggS" + bytes(100))
    return paths


def test_other_formats_need_the_audio_extra(flac_and_ogg, no_soundfile):
    for path in flac_and_ogg:
        with pytest.raises(ImportError, match=names(path) + ".*audio extra: " + EXTRA):
            load(path)
        with pytest.raises(ImportError, match=names(path) + ".*" + EXTRA):
            save(path, tone(8000, 0.1)[0], 8000)


def test_import_is_lazy():
    code = ("import sys; import sigconv.audio.io; "
            "assert 'soundfile' not in sys.modules, 'soundfile imported'; "
            "sys.modules['soundfile'] = None; import importlib; "
            "importlib.reload(sigconv.audio.io)")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(io.__file__))))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root] + os.environ.get("PYTHONPATH", "").split(os.pathsep)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ bad files
def _clear(excinfo, exc_type, path, text):
    """The error is exactly ``exc_type`` (not a soundfile error), names the file and
    says ``text``, with no soundfile traceback chained to it."""
    assert excinfo.type is exc_type
    message = str(excinfo.value)
    assert str(path) in message and text in message, message
    assert excinfo.value.__cause__ is None
    assert excinfo.value.__suppress_context__ or excinfo.value.__context__ is None


def test_missing_file(tmp_path, backend):
    path = tmp_path / "missing.wav"
    with pytest.raises(FileNotFoundError) as excinfo:
        load(path)
    _clear(excinfo, FileNotFoundError, path, "no such audio file")


def test_folder(tmp_path, backend):
    with pytest.raises(IsADirectoryError) as excinfo:
        load(tmp_path)
    _clear(excinfo, IsADirectoryError, tmp_path, "folder")


@pytest.mark.parametrize("name", ["x.wav", "x.flac", "x.ogg"])
def test_empty_file(tmp_path, backend, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, "the file is empty")


def test_text_file_named_wav(tmp_path, backend):
    path = tmp_path / "notes.wav"
    path.write_text("these are not samples\n" * 20)
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, "cannot read audio from")


@pytest.mark.parametrize("keep", [4, 30, 44])
def test_truncated_wav(tmp_path, backend, keep):
    whole = tmp_path / "whole.wav"
    save(whole, noise(1, 100)[0], 8000)
    path = tmp_path / "cut.wav"
    path.write_bytes(whole.read_bytes()[:keep])         # a header cut short, or no data
    with pytest.raises(ValueError) as excinfo, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load(path)
    for warning in caught:        # scipy.io.wavfile warns of the missing data: which file
        assert str(path) in str(warning.message)
    _clear(excinfo, ValueError, path, "cannot read audio from" if keep < 44 else "no samples")


@needs_soundfile
@pytest.mark.parametrize("name", ["x.flac", "x.ogg", "x.wav", "x.mp3", "x.xyz"])
def test_corrupt_bytes(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(2).integers(0, 256, 4096, dtype=np.uint8)
                     .tobytes())
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, "cannot read audio from")


def test_corrupt_bytes_without_soundfile(tmp_path, no_soundfile):
    path = tmp_path / "x.wav"
    path.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt " + bytes(range(40)))
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, "cannot read audio from")


@pytest.mark.parametrize("channels", [1, 2])
def test_zero_length_audio(tmp_path, backend, channels):
    path = tmp_path / "silent.wav"
    wavfile.write(path, 8000, np.zeros((0, channels) if channels > 1 else 0, np.int16))
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, "holds no samples")


@needs_soundfile
@pytest.mark.parametrize("ext", ["ogg", "aiff"])   # libsndfile writes no empty FLAC
def test_zero_length_other_formats(tmp_path, ext):
    import soundfile

    path = tmp_path / f"silent.{ext}"
    soundfile.write(path, np.zeros((0, 1)), 8000)
    assert path.stat().st_size > 0
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, "holds no samples")


@pytest.mark.parametrize("bad, at", [(np.nan, 0), (np.inf, 37), (-np.inf, 99)])
def test_non_finite_samples(tmp_path, backend, bad, at):
    data = np.zeros((100, 2), np.float32)
    data[at, 1] = bad
    path = tmp_path / "x.wav"
    wavfile.write(path, 8000, data)
    with pytest.raises(ValueError) as excinfo:
        load(path)
    _clear(excinfo, ValueError, path, f"NaN or inf samples (first at sample {at},")
    if at > 50:      # a part of the file before the bad sample reads fine
        assert load(path, sr=None, duration=50 / 8000)[0].shape == (50,)


def test_offset_past_the_end_and_duration_under_one_sample(tmp_path, backend):
    path = tmp_path / "x.wav"
    save(path, noise(1, 8000)[0], 8000)
    with pytest.raises(ValueError) as excinfo:
        load(path, offset=1.0)
    _clear(excinfo, ValueError, path, "offset=1 s is at or past the end")
    with pytest.raises(ValueError) as excinfo:
        load(path, duration=1e-5)
    _clear(excinfo, ValueError, path, "duration=1e-05 s is shorter than one sample")


# ------------------------------------------------------------------ bad arguments
@pytest.mark.parametrize("kwargs, error, message", [
    ({"sr": 0}, ValueError, "sr must be a number in (0, inf); got 0"),
    ({"sr": -8000}, ValueError, "sr must be a number in (0, inf)"),
    ({"sr": "8000"}, ValueError, "sr must be a number"),
    ({"sr": np.inf}, ValueError, "sr must be a number"),
    ({"mono": "yes"}, TypeError, "mono must be True or False"),
    ({"offset": -0.5}, ValueError, "offset must be a number in [0, inf); got -0.5"),
    ({"offset": None}, ValueError, "offset must be a number"),
    ({"duration": 0}, ValueError, "duration must be a number in (0, inf); got 0"),
    ({"duration": -1.0}, ValueError, "duration must be a number in (0, inf)"),
])
def test_bad_load_arguments(tmp_path, kwargs, error, message):
    path = tmp_path / "x.wav"
    save(path, noise(1, 100)[0], 8000)
    with pytest.raises(error, match=re.escape(message)):
        load(path, **kwargs)


def test_path_must_be_a_path():
    with pytest.raises(TypeError, match="path must be a file path"):
        load(3)


@pytest.mark.parametrize("samples, sr, error, message", [
    (np.zeros((2, 2, 2)), 8000, ValueError, "samples must be 1-D (n,) or 2-D"),
    (np.zeros(()), 8000, ValueError, "samples must be 1-D (n,) or 2-D"),
    (np.zeros(0), 8000, ValueError, "samples must have at least 1 sample"),
    (np.array([0.0, np.nan]), 8000, ValueError, "samples contains NaN or inf"),
    (np.array(["a", "b"]), 8000, TypeError, "samples must hold numbers"),
    (np.zeros(3, complex), 8000, TypeError, "samples must be real numbers"),
    (np.zeros(3), 0, ValueError, "sr must be an integer >= 1; got 0"),
    (np.zeros(3), 8000.5, ValueError, "sr must be an integer >= 1; got 8000.5"),
])
def test_bad_save_arguments(tmp_path, backend, samples, sr, error, message):
    with pytest.raises(error, match=re.escape(message)):
        save(tmp_path / "x.wav", samples, sr)


def test_save_to_a_missing_folder(tmp_path, backend):
    folder = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match=names(folder)):
        save(folder / "x.wav", np.zeros(3), 8000)


def test_save_unknown_subtype(tmp_path, backend):
    path = tmp_path / "x.wav"
    with pytest.raises(ValueError, match=names(path) + ".*BOGUS"):
        save(path, np.zeros(3), 8000, subtype="BOGUS")


@needs_soundfile
def test_save_unknown_extension(tmp_path):
    path = tmp_path / "x.mp4"
    with pytest.raises(ValueError, match=names(path) + r".*unknown format '\.mp4'.*\.flac"):
        save(path, np.zeros(3), 8000)
