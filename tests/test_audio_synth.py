"""``sigconv.audio.synth``: a seed always gives the same float32 samples in [-1, 1]
of the asked length; different seeds give pieces that do not correlate at any lag;
within a piece, sections repeat (some 1-second excerpts recur elsewhere, by a
numpy normalised cross-correlation) with variations (no 5-second excerpt does);
a shorter piece is the start of a longer one; the loudness changes (1-second rms
over a wide range); bad arguments are refused with messages naming them.
"""
import functools

import numpy as np
import pytest
from scipy import signal

from sigconv.audio.synth import song, songs

SR = 8000          # the lowest rate: the fastest, and the checks do not depend on it


@functools.cache
def _song(seed, duration=60.0, sr=SR):
    return song(seed, duration, sr)


def _sliding_ncc(x, template):
    """Pearson correlation of ``template`` with every window of ``x`` (numpy/scipy)."""
    m = template.size
    t = (template - template.mean()) / template.std()
    dots = signal.correlate(x, t, mode="valid", method="fft")
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    mean = (s1[m:] - s1[:-m]) / m
    var = np.maximum((s2[m:] - s2[:-m]) / m - mean**2, 1e-20)
    return dots / (m * np.sqrt(var))


def _best_elsewhere(x, offset, m):
    """The highest correlation of ``x[offset:offset + m]`` with windows at least m/2 away."""
    ncc = _sliding_ncc(x, x[offset:offset + m])
    ncc[max(0, offset - m // 2):offset + m // 2] = -np.inf
    return ncc.max()


@pytest.mark.parametrize("sr", [8000, 22050])
def test_shape_dtype_range_and_length(sr):
    x = song(4, 3.5, sr)
    assert x.dtype == np.float32 and x.shape == (round(3.5 * sr),)
    assert np.isfinite(x).all()
    assert np.abs(x).max() == pytest.approx(0.95, abs=1e-6)
    assert np.abs(x).max() <= 1.0


def test_same_seed_same_samples_and_songs_are_seeds_in_a_row():
    np.testing.assert_array_equal(song(11, 4.0, SR), song(11, 4.0, SR))
    pieces = songs(3, duration=4.0, sr=SR, seed=10)
    assert len(pieces) == 3
    for i, piece in enumerate(pieces):
        np.testing.assert_array_equal(piece, song(10 + i, 4.0, SR))


def test_a_shorter_piece_is_the_start_of_a_longer_one():
    """Up to the scaling to the peak, which the longer piece may set later."""
    short, long = song(2, 10.0, SR), song(2, 20.0, SR)[:10 * SR]
    scale = np.dot(short, long) / np.dot(long, long)       # least squares
    np.testing.assert_allclose(short, scale * long, atol=1e-6)


def test_different_seeds_do_not_correlate_at_any_lag():
    pieces = [_song(seed)[SR * 20:SR * 30].astype(np.float64) for seed in range(5)]
    for i in range(5):
        for j in range(i + 1, 5):
            assert not np.array_equal(pieces[i], pieces[j])
            assert abs(np.corrcoef(pieces[i], pieces[j])[0, 1]) < 0.15
            # a 5 s excerpt of one against every window of the other
            ncc = _sliding_ncc(pieces[j], pieces[i][SR * 2:SR * 7])
            assert ncc.max() < 0.5


@pytest.mark.parametrize("seed", [0, 1])
def test_sections_repeat_with_variations(seed):
    x = _song(seed).astype(np.float64)
    offsets = np.arange(2, 52, 5) * SR
    one_second = np.array([_best_elsewhere(x, o, SR) for o in offsets])
    five_seconds = np.array([_best_elsewhere(x, o, 5 * SR) for o in offsets])
    assert one_second.max() > 0.8           # some bars recur elsewhere in the piece
    assert five_seconds.max() < 0.95        # but no 5 s stretch recurs unchanged


@pytest.mark.parametrize("seed", [0, 3])
def test_loudness_changes(seed):
    x = _song(seed).astype(np.float64)
    rms = np.sqrt(np.mean(x.reshape(-1, SR) ** 2, axis=1))
    assert 20 * np.log10(rms.max() / rms.min()) > 6


def test_pitched_content_lies_in_the_musical_range():
    """Most of the energy lies between 40 Hz and 4 kHz (Welch PSD at 22050 Hz)."""
    f, p = signal.welch(song(5, 8.0, 22050), 22050, nperseg=2048)
    assert p[(f >= 40) & (f <= 4000)].sum() / p.sum() > 0.8


@pytest.mark.parametrize("kwargs, message", [
    ({"seed": -1}, "seed must be an integer >= 0"),
    ({"seed": 1.5}, "seed must be an integer >= 0"),
    ({"seed": "a"}, "seed must be an integer >= 0"),
    ({"seed": 0, "duration": 0.0}, r"duration must be a number in \(0, 3600\]"),
    ({"seed": 0, "duration": -1.0}, r"duration must be a number in \(0, 3600\]"),
    ({"seed": 0, "duration": float("nan")}, r"duration must be a number"),
    ({"seed": 0, "duration": 1e-6}, "duration must last at least one sample"),
    ({"seed": 0, "sr": 4000}, "sr must be an integer >= 8000"),
    ({"seed": 0, "sr": 22050.0}, "sr must be an integer >= 8000"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        song(**kwargs)


def test_bad_songs_arguments():
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        songs(0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        songs(2, seed=-3)
