"""Audio features: each step against an independent computation."""
import numpy as np
import pytest
from scipy import ndimage, signal

from sigconv.audio import features as F


@pytest.fixture(scope="module")
def tone_mix():
    rng = np.random.default_rng(0)
    t = np.arange(3 * F.RATE) / F.RATE
    envelope = 1 + np.sin(2 * np.pi * 1.5 * t)
    return envelope * np.sin(2 * np.pi * 440 * t) + 0.1 * rng.normal(size=t.size)


def test_stft_power_equals_scipy_stft(tone_mix):
    _, _, z = signal.stft(tone_mix, window="hann", nperseg=F.FRAME, noverlap=F.FRAME - F.HOP,
                          boundary=None, padded=False, detrend=False)
    # scipy scales each frame by 1 / sum(window)
    reference = (np.abs(z) * signal.get_window("hann", F.FRAME).sum()) ** 2
    np.testing.assert_allclose(F.stft_power(tone_mix), reference.T, rtol=1e-9,
                               atol=1e-9 * reference.max())


def test_stft_power_of_a_short_signal_has_no_frames():
    assert F.stft_power(np.ones(F.FRAME - 1)).shape == (0, F.FRAME // 2 + 1)


def test_band_matrix_splits_every_bin_in_the_band_exactly_once():
    weights = F.band_matrix(F.N_BANDS, F.FRAME, F.RATE, F.BAND_EDGES_HZ)
    width = F.RATE / F.FRAME
    centres = np.arange(F.FRAME // 2 + 1) * width
    inside = (centres - width / 2 >= F.BAND_EDGES_HZ[0]) & \
        (centres + width / 2 <= F.BAND_EDGES_HZ[1])
    np.testing.assert_allclose(weights[inside].sum(axis=1), 1.0, atol=1e-12)
    outside = (centres + width / 2 <= F.BAND_EDGES_HZ[0]) | \
        (centres - width / 2 >= F.BAND_EDGES_HZ[1])
    assert not weights[outside].any()
    # each band holds its width in bins; bands are spaced evenly in log frequency
    edges = np.geomspace(*F.BAND_EDGES_HZ, F.N_BANDS + 1)
    np.testing.assert_allclose(weights.sum(axis=0), np.diff(edges) / width, rtol=1e-12)


def test_onset_envelope_equals_a_difference_of_ndimage_gaussians():
    log_energy = np.random.default_rng(1).normal(size=(400, F.N_BANDS)).cumsum(axis=0)
    dog = (ndimage.gaussian_filter1d(log_energy, F.FAST_SIGMA, axis=0, mode="reflect")
           - ndimage.gaussian_filter1d(log_energy, F.SLOW_SIGMA, axis=0, mode="reflect"))
    expected = dog - dog.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(F.onset_envelope(log_energy), expected, atol=1e-10)


def test_features_ignore_gain_and_dc(tone_mix):
    base = F.features(tone_mix, F.RATE)
    assert base.dtype == np.float32 and base.shape[1] == F.N_BANDS + F.LOW_BANDS
    np.testing.assert_allclose(F.features(0.01 * tone_mix + 0.3, F.RATE), base, atol=1e-4)


def test_bass_columns_follow_the_telephone_band_ones_and_leave_them_alone(tone_mix):
    bass_line = np.sin(2 * np.pi * 110 * np.arange(tone_mix.size) / F.RATE)
    bass_line[tone_mix.size // 2:] = 0                     # the bass stops half way
    x = tone_mix + bass_line
    both = F.features(x, F.RATE)
    np.testing.assert_array_equal(both[:, :F.N_BANDS], F.features(x, F.RATE, low_bands=0))
    power = F.stft_power(x - x.mean())
    mean = (power @ F.band_matrix(F.N_BANDS, F.FRAME)).mean()
    bass = (power @ F.band_matrix(F.LOW_BANDS, F.FRAME, F.RATE, F.LOW_EDGES_HZ) / mean)
    expected = F.BASS_WEIGHT * F.onset_envelope(bass ** F.COMPRESSION)
    np.testing.assert_allclose(both[:, F.N_BANDS:], expected, rtol=1e-5, atol=1e-6)


def test_has_bass_is_false_for_a_telephone_recording_only():
    from sigconv.audio import distort, synth

    song = synth.song(3, duration=4.0, sr=16000)
    assert F.has_bass(F.to_rate(song, 16000))
    assert not F.has_bass(*distort.telephone(song, 16000))
    assert not F.has_bass(np.sin(2 * np.pi * 1000 * np.arange(8000) / F.RATE))
    assert not F.has_bass(np.ones(100))                    # shorter than a frame


def test_to_rate_is_resample_poly_with_the_exact_ratio(tone_mix):
    np.testing.assert_allclose(F.to_rate(tone_mix, 22050), signal.resample_poly(tone_mix, 160, 441),
                               atol=1e-12)
    np.testing.assert_array_equal(F.to_rate(tone_mix, F.RATE), tone_mix)


def test_compressed_bands_are_relative_band_energies_to_a_power(tone_mix):
    power = F.stft_power(tone_mix)
    energy = power @ F.band_matrix(F.N_BANDS, F.FRAME)
    expected = (energy / energy.mean()) ** F.COMPRESSION
    np.testing.assert_allclose(F.compressed_bands(power, F.N_BANDS), expected, rtol=1e-12)
    np.testing.assert_allclose(F.compressed_bands(1e-6 * power, F.N_BANDS), expected, rtol=1e-9)


@pytest.mark.parametrize(("T", "lengths", "chunk_bytes"), [
    (50, [7], None), (3000, [40, 41, 37], None), (70000, [300], None), (9000, [30, 50], 1)])
def test_multi_band_correlation_equals_numpy_correlate_summed(T, lengths, chunk_bytes,
                                                              monkeypatch):
    from sigconv.audio import _search

    if chunk_bytes:                                   # one block of frames at a time
        monkeypatch.setattr(_search, "_CHUNK_BYTES", chunk_bytes)
    rng = np.random.default_rng(T)
    library = rng.normal(size=(T, 5)).astype(np.float32)
    queries = [rng.normal(size=(n, 5)).astype(np.float32) for n in lengths]
    for q, dots in zip(queries, _search.correlate_bands(library, queries)):
        expected = sum(np.correlate(library[:, b].astype(np.float64), q[:, b].astype(np.float64),
                                    mode="valid") for b in range(5))
        assert dots.shape == expected.shape
        # single precision transforms: errors relative to the largest possible dot
        scale = np.sqrt(np.sum(q.astype(np.float64) ** 2) * q.shape[0] * 5)
        np.testing.assert_allclose(dots, expected, atol=1e-5 * scale)


def test_sum_band_products_equals_einsum():
    from sigconv._core.bands import sum_band_products

    rng = np.random.default_rng(2)
    spectrum = (rng.normal(size=(3, 4, 9)) + 1j * rng.normal(size=(3, 4, 9))).astype(np.complex64)
    queries = (rng.normal(size=(2, 4, 9)) + 1j * rng.normal(size=(2, 4, 9))).astype(np.complex64)
    out = sum_band_products(spectrum, queries, np.full((2, 3, 9), np.nan, dtype=np.complex64))
    np.testing.assert_allclose(out, np.einsum("cbf,sbf->scf", spectrum, queries), rtol=1e-5,
                               atol=1e-5)
