"""Deterministic synthetic music, so tests and demos need no downloads.

Each seed gives a different little piece: its own tempo (70-170 BPM), key and
mode, chord progressions, melodies, bass line, instrument timbres (harmonic or
bell-like partials under attack-decay envelopes) and drum pattern (a kick that
is a decaying low sine sweep, snare and hi-hat that are filtered noise bursts).
The piece is laid out in sections (intro, verse, chorus, bridge) that repeat, as
songs do, but every repeat varies its melody, chord voicings, bass, velocities
and drum fills, and the loudness follows the sections and drifts slowly.  So an
excerpt is mostly, not always, unique within its piece: on seeds 0-7 (60 s at
8 kHz), no 5-second excerpt correlated above 0.95 with any other offset of its
piece, while 5-30 % of 1-second excerpts did (a repeated bar).  Everything is drawn
from ``numpy.random.default_rng`` streams spawned from ``seed``: a seed always
gives the same samples.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import _validate as V

_SCALES = ((0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 10), (0, 2, 3, 5, 7, 9, 10))
# Chord progressions: the scale degree of the root of each bar's triad.
_PROGRESSIONS = ((0, 4, 5, 3), (0, 5, 3, 4), (0, 3, 4, 0), (5, 3, 0, 4), (0, 3, 5, 4),
                 (1, 4, 0, 5), (0, 2, 3, 4), (0, 6, 5, 4))
# Timbre families: partial frequency ratios, their amplitudes, attack (s), decay
# rate of the fundamental (1/s), and how much faster each higher partial decays.
_TIMBRES = {
    "pluck": (np.arange(1, 9), 1 / np.arange(1, 9), 0.003, 3.0, 0.6),
    "organ": (np.array([1, 2, 3, 4, 6]), np.array([1, .8, .5, .4, .2]), 0.02, 0.2, 0.0),
    "reed": (np.arange(1, 10, 2), 1 / np.arange(1, 10, 2), 0.03, 0.6, 0.1),
    "bell": (np.array([1, 2.76, 5.40, 8.93]), np.array([1, .6, .4, .25]), 0.002, 1.5, 0.8),
    "brass": (np.arange(1, 8), 1 / np.arange(1, 8) ** 0.8, 0.06, 0.4, 0.2),
    "round": (np.array([1, 2, 3]), np.array([1, .35, .12]), 0.005, 1.2, 0.5),
}
_LEADS = ("pluck", "organ", "reed", "bell", "brass")
_BASSES = ("pluck", "round", "reed", "organ")
# Patterns on the sixteen steps of a bar.
_KICKS = ((0, 8), (0, 6, 8), (0, 3, 8, 10), (0, 4, 8, 12), (0, 7, 10))
_SNARES = ((4, 12), (4, 12, 14), (8,), (4, 11, 12))
_HATS = (tuple(range(0, 16, 2)), tuple(range(16)), (2, 6, 10, 14), (0, 2, 4, 6, 8, 10, 12, 13, 14))
_BASS_STEPS = ((0, 8), (0, 4, 8, 12), (0, 6, 8, 14), (0, 3, 6, 8, 11, 14))
_FORMS = (("verse", "chorus"), ("verse", "verse", "chorus"),
          ("verse", "chorus", "bridge", "chorus"), ("verse", "chorus", "verse", "bridge"))
_LEVEL = {"intro": 0.45, "verse": 0.7, "chorus": 1.0, "bridge": 0.6}
_PASSES = {"intro": 1, "verse": 2, "chorus": 2, "bridge": 1}     # 4-bar passes per section


def _note(timbre, midi, n, sr):
    """One note: ``n`` samples of ``timbre`` at MIDI pitch ``midi``, peak about 1."""
    ratios, amps, attack, decay, tilt = _TIMBRES[timbre]
    freq = 440.0 * 2.0 ** ((midi - 69) / 12)
    keep = ratios * freq < 0.45 * sr
    ratios, amps = ratios[keep], amps[keep]
    t = np.arange(n) / sr
    vibrato = 0.003 * (1 - np.cos(2 * np.pi * 5.5 * t)) / (2 * np.pi * 5.5)
    phase = 2 * np.pi * freq * (t + vibrato)
    rates = decay * (1 + tilt * (ratios - 1))
    wave = amps @ (np.exp(-rates[:, None] * t) * np.sin(ratios[:, None] * phase))
    release = min(n, int(0.02 * sr) + 1)
    envelope = np.minimum(1.0, t / attack)
    envelope[n - release:] *= np.linspace(1.0, 0.0, release)
    return wave * envelope / (amps.sum() or 1.0)


def _drums(rng, sr):
    """Kick (decaying sine sweep), snare and hi-hat (filtered noise bursts)."""
    t = np.arange(int(0.3 * sr)) / sr
    sweep = rng.uniform(40, 60) + rng.uniform(80, 150) * np.exp(-t / 0.03)
    kick = np.sin(2 * np.pi * np.cumsum(sweep) / sr) * np.exp(-t / rng.uniform(0.08, 0.2))
    band = signal.butter(2, [rng.uniform(800, 1500), min(6000, 0.4 * sr)], "bandpass",
                         fs=sr, output="sos")
    snare = (signal.sosfilt(band, rng.standard_normal(t.size)) * np.exp(-t / 0.06)
             + 0.3 * np.sin(2 * np.pi * rng.uniform(170, 230) * t) * np.exp(-t / 0.05))
    high = signal.butter(2, min(7000, 0.35 * sr), "highpass", fs=sr, output="sos")
    hat = signal.sosfilt(high, rng.standard_normal(t.size)) * np.exp(-t / rng.uniform(0.015, 0.04))
    return [d / np.abs(d).max() for d in (kick, snare, hat)]


def _motif(rng, progression):
    """A 4-bar melody on an eighth-note grid: onsets, lengths (eighths), scale degrees."""
    onsets, lengths, degrees = [], [], []
    degree, step = int(rng.integers(7, 12)), 0
    while step < 32:
        length = int(rng.choice([1, 1, 2, 2, 3, 4]))
        if rng.random() < 0.8:
            if step % 4 == 0:       # a strong beat: the chord tone nearest a small leap
                tones = progression[step // 8] + np.array([0, 2, 4, 7, 9, 11])
                tones = tones[tones <= 13]
                degree = int(tones[np.argmin(np.abs(tones - degree - rng.integers(-2, 3)))])
            else:
                degree = int(np.clip(degree + rng.choice([-2, -1, 1, 2]), 2, 13))
            onsets.append(step)
            lengths.append(min(length, 32 - step))
            degrees.append(degree)
        step += length
    return np.array(onsets), np.array(lengths), np.array(degrees)


def song(seed, duration=30.0, sr=22050):
    """A synthetic piece of music, the same for the same ``seed``.

    Parameters
    ----------
    seed : int >= 0
        Picks everything: tempo, key, mode, progressions, melodies, timbres,
        drum patterns, form and the variations of each repeat.
    duration : float in (0, 3600]
        Seconds; the piece is cut (not faded) at the end.
    sr : int >= 8000
        Sample rate in Hz.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float32
        Mono samples in [-1, 1], the loudest at magnitude 0.95.

    Raises
    ------
    ValueError
        If ``seed``, ``duration`` or ``sr`` is out of range.

    See Also
    --------
    songs : several pieces at once.

    Notes
    -----
    A shorter piece is the start of a longer one with the same seed (up to the
    scaling to the peak).  Notes are additive synthesis (at most eight partials), each distinct
    (timbre, pitch, length) rendered once and added at every onset; the drums
    are three samples rendered once.  The cost is a few numpy operations per
    note event (some thousands a minute): about 0.05-0.2 s for a minute at
    22050 Hz.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.synth import song
    >>> x = song(3, duration=2.0, sr=8000)
    >>> x.shape, x.dtype, float(np.abs(x).max())
    ((16000,), dtype('float32'), 0.949999988079071)
    >>> bool(np.array_equal(x, song(3, duration=2.0, sr=8000)))
    True
    """
    seed = V.check_int(seed, "seed", minimum=0)
    duration = V.check_real(duration, "duration", 0, 3600, closed="high")
    sr = V.check_int(sr, "sr", minimum=8000)
    n = round(duration * sr)
    if n < 1:
        raise ValueError(f"duration must last at least one sample (1 / sr); got {duration!r}")
    # Two streams, so that a shorter piece is the start of a longer one.
    rng, drift_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    step = 60.0 / rng.uniform(70, 170) / 4 * sr           # samples per sixteenth
    scale = np.array(_SCALES[rng.integers(len(_SCALES))])
    root = int(rng.integers(45, 57))                       # A2 to G#3
    lead, pad, bass = (names[rng.integers(len(names))] for names in (_LEADS, _LEADS, _BASSES))
    pad_style = int(rng.integers(3))                       # held, stabs, arpeggio
    chosen = rng.choice(len(_PROGRESSIONS), len(_LEVEL), replace=False)
    progressions = {name: _PROGRESSIONS[i] for name, i in zip(_LEVEL, chosen)}
    motifs = {name: _motif(rng, progressions[name]) for name in ("verse", "chorus", "bridge")}
    kicks, snares, hats, bass_steps = (p[rng.integers(len(p))]
                                       for p in (_KICKS, _SNARES, _HATS, _BASS_STEPS))
    mix = rng.uniform(0.7, 1.3, 6) * np.array([0.35, 0.07, 0.3, 0.45, 0.3, 0.1])
    form = _FORMS[rng.integers(len(_FORMS))]
    drums = _drums(rng, sr)

    def pitch(degrees, octave):
        degrees = np.asarray(degrees)
        return root + 12 * octave + scale[degrees % 7] + 12 * (degrees // 7)

    notes, hits, levels, bar = [], [], [], 0   # notes (sixteenth, timbre, midi, sixteenths, gain)
    form_bars = 4 * sum(_PASSES[name] for name in form)
    sections = ["intro"] + list(form) * (1 + int(n / (16 * step * form_bars)))
    for name in sections:
        for repeat in range(_PASSES[name]):
            if bar * 16 * step >= n:
                break
            levels.append((bar, _LEVEL[name]))
            progression = progressions[name]
            for b, chord in enumerate(progression):
                s0, last = 16 * (bar + b), b == 3 and repeat == _PASSES[name] - 1
                tones = pitch(chord + np.array([0, 2, 4]) + 7 * (rng.random(3) < 0.2), 1)
                at = (0, 0, 0) if pad_style == 0 else (4, 12) if pad_style == 1 else range(0, 16, 2)
                notes += [(s0 + s, pad, tones[i % 3], 16 if pad_style == 0 else 2,
                           mix[1] * rng.uniform(0.7, 1.0)) for i, s in enumerate(at)]
                roots = chord + 4 * (np.arange(len(bass_steps)) % 4 == 3)    # every 4th: fifth
                roots += 7 * (rng.random(roots.size) < 0.15)                  # or octave up
                notes += [(s0 + s, bass, m, 2, mix[2] * v) for s, m, v in
                          zip(bass_steps, pitch(roots, -1), rng.uniform(0.8, 1.0, roots.size))]
                drum_steps = (kicks, snares, hats) if name != "intro" else ((0,), (), hats)
                if name == "bridge":
                    drum_steps = ((0,), (8,), hats)
                if last and rng.random() < 0.6:         # a fill into the next section
                    drum_steps = (drum_steps[0], tuple(drum_steps[1]) + (13, 14, 15), hats)
                for kind, at in enumerate(drum_steps):
                    hits += [(s0 + s, kind, mix[3 + kind] * rng.uniform(0.6, 1.0)) for s in at]
            if name != "intro":
                onsets, lengths, degrees = motifs[name]
                varied = degrees + rng.choice([-1, 0, 0, 0, 1], degrees.size)
                keep = rng.random(degrees.size) > 0.1
                gains = mix[0] * rng.uniform(0.75, 1.0, degrees.size)
                midis = pitch(varied, 1 + (name == "chorus"))
                notes += [(16 * bar + 2 * o, lead, m, 2 * w, g) for o, w, m, g, k
                          in zip(onsets, lengths, midis, gains, keep) if k]
            bar += 4
    out = np.zeros(n + int(17 * step) + sr)
    cache = {}
    for start, timbre, midi, length, g in notes:
        key, i = (timbre, int(midi), round(length * step)), round(start * step)
        if i < n:
            if key not in cache:
                cache[key] = _note(*key, sr)
            out[i:i + key[2]] += g * cache[key]
    for start, kind, g in hits:
        if (i := round(start * step)) < n:
            out[i:i + drums[kind].size] += g * drums[kind]
    # Loudness: each section's level, reached a beat into it, times a slow drift (+-2 dB).
    starts, section_levels = (np.array(v, dtype=float) for v in zip(*levels))
    ramps = np.column_stack([starts * 16 * step, starts * 16 * step + 4 * step]).ravel()
    before = np.r_[section_levels[0], section_levels[:-1]]
    level = np.interp(np.arange(n), ramps, np.column_stack([before, section_levels]).ravel())
    drift = np.arange(0, n + 32 * step, 32 * step)
    level *= np.interp(np.arange(n), drift, 10 ** (drift_rng.normal(0, 2, drift.size) / 20))
    out = out[:n] * level
    peak = np.abs(out).max()
    return (0.95 * out / peak if peak > 0 else out).astype(np.float32)


def songs(n, duration=30.0, sr=22050, seed=0):
    """``n`` synthetic pieces: ``[song(seed + i, duration, sr) for i in range(n)]``.

    Parameters
    ----------
    n : int >= 1
    duration, sr
        As :func:`song`.
    seed : int >= 0
        The first piece's seed; piece ``i`` has seed ``seed + i``, so it can be
        regenerated alone, and ``songs(n, seed=s)`` overlaps ``songs(n, seed=s + 1)``.

    Returns
    -------
    list of numpy.ndarray, float32

    Examples
    --------
    >>> from sigconv.audio.synth import song, songs
    >>> pieces = songs(2, duration=1.0, sr=8000, seed=5)
    >>> [p.size for p in pieces]
    [8000, 8000]
    >>> bool((pieces[1] == song(6, duration=1.0, sr=8000)).all())
    True
    """
    n = V.check_int(n, "n", minimum=1)
    seed = V.check_int(seed, "seed", minimum=0)
    return [song(seed + i, duration, sr) for i in range(n)]
