"""Song identification: load audio, index a library of songs, identify snippets.

``SongLibrary`` indexes songs by the onset envelopes of their log band
energies (:mod:`sigconv.audio.features`) and identifies a snippet by
normalised cross-correlation of envelopes; :mod:`sigconv.audio.synth` makes
synthetic music and :mod:`sigconv.audio.distort` the distortions of a bad
recording, for tests and evaluation.  Reading files other than WAV needs the
``audio`` extra (``pip install "sigconv[audio]"``).
"""
from .io import load, save
from .library import Match, SongLibrary

__all__ = ["Match", "SongLibrary", "load", "save"]
