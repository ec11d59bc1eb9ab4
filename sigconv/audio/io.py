"""Reading and writing audio files: :func:`load` and :func:`save`.

Files go through `soundfile <https://python-soundfile.readthedocs.io>`_
(libsndfile: WAV, FLAC, OGG Vorbis/Opus, MP3, AIFF and more) when it is
installed, the ``audio`` extra (``pip install "sigconv[audio]"``).  Without
it, WAV files (8-, 16-, 24- and 32-bit integer and float PCM) are read and
written by :mod:`scipy.io.wavfile`, and any other format raises an
ImportError that names the extra.  soundfile is imported inside the
functions, so importing this module costs nothing and works without it.

Samples are float32 in [-1, 1] either way: integer PCM is divided by
``2 ** (bits - 1)`` (unsigned 8-bit is centred on 128 first), as libsndfile
does, so both backends read a PCM file to the same values.
"""
from __future__ import annotations

import errno
import math
import os
import struct
import warnings
from fractions import Fraction

import numpy as np

from .. import _validate as V

__all__ = ["load", "resample_factors", "save"]

INSTALL_HINT = 'pip install "sigconv[audio]"'
# The largest denominator of the rational resampling ratio for rates that are
# not whole numbers.
MAX_DENOMINATOR = 1000
_WAV_SUFFIXES = (".wav", ".wave")
# soundfile subtype -> the numpy dtype scipy.io.wavfile writes for it.
_WAV_SUBTYPES = {"PCM_U8": np.uint8, "PCM_16": np.int16, "PCM_32": np.int32,
                 "FLOAT": np.float32, "DOUBLE": np.float64}


def _soundfile():
    """The soundfile module, or None when it (or its libsndfile) is missing."""
    try:
        import soundfile
    except (ImportError, OSError):     # OSError: the module is there, libsndfile is not
        return None
    return soundfile


def _path(path, name="path"):
    try:
        return os.fsdecode(os.fspath(path))
    except TypeError:
        raise TypeError(f"{name} must be a file path (str or os.PathLike); "
                        f"got {type(path).__name__}") from None


def _rate(value, name):
    """A sample rate: a positive finite number, returned as an int when whole."""
    value = V.check_real(value, name, 0, math.inf)
    return int(value) if value.is_integer() else value


def _reason(err):
    """libsndfile's own words for ``err`` without soundfile's "Error opening ...: " prefix."""
    reason = str(getattr(err, "error_string", "") or err).strip().rstrip(".")
    return reason[:1].lower() + reason[1:]


def resample_factors(orig_sr, target_sr):
    """The up- and down-sampling factors that take ``orig_sr`` to ``target_sr``.

    Parameters
    ----------
    orig_sr, target_sr : float > 0
        Sample rates in Hz.

    Returns
    -------
    (up, down) : tuple of int
        ``target_sr / orig_sr`` in lowest terms when both rates are whole
        numbers (exact); otherwise the closest fraction with a denominator of
        at most 1000 (``Fraction(target_sr / orig_sr).limit_denominator(1000)``),
        so the rate reached, ``orig_sr * up / down``, can differ from
        ``target_sr`` by a few parts per million.

    Raises
    ------
    ValueError
        A rate that is not a positive number, or a ratio so small that its
        closest such fraction is 0.

    Examples
    --------
    >>> from sigconv.audio.io import resample_factors
    >>> resample_factors(44100, 8000)
    (80, 441)
    >>> resample_factors(8000, 11025.5)
    (973, 706)
    """
    orig_sr = _rate(orig_sr, "orig_sr")
    target_sr = _rate(target_sr, "target_sr")
    if isinstance(orig_sr, int) and isinstance(target_sr, int):
        ratio = Fraction(target_sr, orig_sr)
    else:
        ratio = (Fraction(target_sr) / Fraction(orig_sr)).limit_denominator(MAX_DENOMINATOR)
        if ratio == 0:
            raise ValueError(f"target_sr={target_sr!r} is too far below orig_sr={orig_sr!r} "
                             f"to resample by a ratio with denominator <= {MAX_DENOMINATOR}")
    return ratio.numerator, ratio.denominator


def _open_checked(path):
    """The first 12 bytes of ``path``, after the checks that name the file.

    Missing files raise FileNotFoundError, folders IsADirectoryError and
    unreadable ones PermissionError (from ``open``); an empty file ValueError.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, "no such audio file", path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "a folder, not an audio file", path)
    with open(path, "rb") as f:
        header = f.read(12)
    if not header:
        raise ValueError(f"cannot read audio from {path!r}: the file is empty (0 bytes)")
    return header


def _frame_range(path, n_frames, sr, offset, duration):
    """First and one-past-last frame of the part of the file to read."""
    if n_frames == 0:
        raise ValueError(f"cannot read audio from {path!r}: the file holds no samples")
    start = round(offset * sr)
    if start >= n_frames:
        raise ValueError(f"offset={offset:g} s is at or past the end of {path!r} "
                         f"({n_frames / sr:g} s long)")
    if duration is None:
        return start, n_frames
    stop = min(start + round(duration * sr), n_frames)
    if stop == start:
        raise ValueError(f"duration={duration:g} s is shorter than one sample of {path!r} "
                         f"({sr} Hz)")
    return start, stop


def _read_soundfile(sf, path, offset, duration):
    try:
        with sf.SoundFile(path) as f:
            sr = f.samplerate
            start, stop = _frame_range(path, f.frames, sr, offset, duration)
            if start:
                f.seek(start)
            frames = f.read(stop - start, dtype="float32", always_2d=True)
    except RuntimeError as err:   # soundfile's errors (LibsndfileError) are RuntimeErrors
        raise ValueError(f"cannot read audio from {path!r}: {_reason(err)}") from None
    return frames, sr


def _pcm_to_float(data):
    """Integer or float PCM frames as float32 in [-1, 1] (a new array)."""
    if data.dtype.kind == "u":                 # 8-bit WAV is unsigned, centred on 128
        return (data.astype(np.float32) - 128) / 128
    if data.dtype.kind == "i":                 # 24-bit arrives left-justified in int32
        return data.astype(np.float32) / 2 ** (8 * data.dtype.itemsize - 1)
    return data.astype(np.float32)


def _read_wavfile(path, header, offset, duration):
    """Read a WAV file with scipy.io.wavfile: only ``offset``/``duration``'s
    part of it, through a memory map where the sample size allows one."""
    if header[:4] not in (b"RIFF", b"RIFX", b"RF64") or header[8:12] != b"WAVE":
        if os.path.splitext(path)[1].lower() in _WAV_SUFFIXES:
            raise ValueError(f"cannot read audio from {path!r}: not a WAV file "
                             f"(it starts with {header[:4]!r}, not a RIFF/WAVE header)")
        raise ImportError(f"reading {path!r} needs soundfile (without it only WAV files "
                          f"can be read); install the audio extra: {INSTALL_HINT}")
    from scipy.io import wavfile

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", wavfile.WavFileWarning)
            try:
                sr, data = wavfile.read(path, mmap=True)
            except ValueError as err:          # 24-bit and other odd sample sizes
                if "mmap" not in str(err):
                    raise
                sr, data = wavfile.read(path)
    except (ValueError, EOFError, OSError, struct.error) as err:   # a corrupt file
        hint = ("; soundfile reads more WAV encodings: " + INSTALL_HINT
                if "Unknown wave file format" in str(err) else "")
        raise ValueError(f"cannot read audio from {path!r}: {err}{hint}") from None
    for warning in caught:                     # say which file (a truncated one, say)
        warnings.warn(f"{path!r}: {warning.message}", warning.category, stacklevel=3)
    if data.ndim == 1:
        data = data[:, None]
    start, stop = _frame_range(path, data.shape[0], sr, offset, duration)
    frames = _pcm_to_float(data[start:stop])
    del data                                   # closes the memory map
    return frames, sr


def load(path, sr=8000, *, mono=True, offset=0.0, duration=None):
    """Read an audio file as float32 samples, mixed to mono and resampled to ``sr``.

    Parameters
    ----------
    path : str or os.PathLike
        The file.  With soundfile installed (``pip install "sigconv[audio]"``)
        anything libsndfile reads: WAV, FLAC, OGG Vorbis/Opus, MP3, AIFF, ...
        Without it WAV only (integer PCM of 8 to 32 bits, or float).
    sr : float > 0 or None
        The sample rate to return, in Hz.  ``None`` keeps the file's.
    mono : bool
        True: the mean of the channels, shape (n,).  False: every channel,
        shape (n_channels, n) whatever the file holds (n_channels = 1 for a
        mono file), one channel per row as sigconv's 2-D inputs.
    offset : float >= 0
        Where to start reading, in seconds from the start of the file.
    duration : float > 0 or None
        How many seconds to read (fewer where the file ends first); None reads
        to the end.  Only this part of the file is read: soundfile seeks to
        it, and WAV files are memory-mapped.

    Returns
    -------
    samples : ndarray of float32, shape (n,) or (n_channels, n)
        In [-1, 1] for integer PCM files: integers are divided by
        ``2 ** (bits - 1)``.
    sr : int or float
        The rate of ``samples``: the file's rate for ``sr=None``, otherwise
        ``sr`` (an int when it is a whole number), or, for a rate that is not
        a whole number, the rate reached, ``file_rate * up / down`` (see
        :func:`resample_factors`).

    Raises
    ------
    FileNotFoundError
        No such file (IsADirectoryError: a folder).
    ValueError
        An empty, corrupt or unrecognised file, one that holds no samples or
        NaN or inf samples, an ``offset`` past its end or a ``duration``
        shorter than one sample; a bad ``sr``, ``offset`` or ``duration``.
        The message names the file.
    ImportError
        A format other than WAV without soundfile; the message says to
        install the ``audio`` extra.

    See Also
    --------
    save : write samples to a file.
    resample_factors : the up/down factors used to resample.
    scipy.signal.resample_poly : the resampler.

    Notes
    -----
    Channels are averaged before resampling (the result is the same, for a
    linear filter, at a fraction of the cost).  Resampling from the file's
    rate ``fs`` to ``sr`` is ``scipy.signal.resample_poly(x, up, down)`` with
    ``up / down = sr / fs`` in lowest terms (44100 Hz to 8000 Hz: 80/441): the
    signal is upsampled by ``up``, low-pass filtered by a Kaiser-windowed FIR
    filter of ``20 max(up, down) + 1`` taps cutting off at the lower Nyquist
    frequency, and downsampled by ``down``, evaluating only the outputs kept
    (a polyphase filter, Crochiere & Rabiner, *Multirate Digital Signal
    Processing*, 1983): about 20 multiply-adds per sample at the higher of the
    two rates.  Rates in an awkward ratio (44100 to 44099 Hz) make a long
    filter to design, not a slower one to run.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sigconv.audio.io import load, save
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "tone.wav")
    >>> t = np.arange(44100) / 44100                      # one second at 44.1 kHz
    >>> save(path, 0.5 * np.sin(2 * np.pi * 440 * t), 44100)
    >>> samples, sr = load(path)                          # mono, 8 kHz
    >>> samples.dtype, samples.shape, sr
    (dtype('float32'), (8000,), 8000)
    >>> int(np.argmax(np.abs(np.fft.rfft(samples))))      # 1 Hz bins: still 440 Hz
    440
    >>> part, sr = load(path, sr=None, offset=0.25, duration=0.5)
    >>> part.shape, sr
    ((22050,), 44100)
    >>> folder.cleanup()
    """
    path = _path(path)
    if sr is not None:
        sr = _rate(sr, "sr")
    mono = V.check_flag(mono, "mono")
    offset = V.check_real(offset, "offset", 0, math.inf, closed="low")
    if duration is not None:
        duration = V.check_real(duration, "duration", 0, math.inf)
    header = _open_checked(path)
    sf = _soundfile()
    if sf is not None:
        frames, file_sr = _read_soundfile(sf, path, offset, duration)
    else:
        frames, file_sr = _read_wavfile(path, header, offset, duration)
    if frames.shape[0] == 0:                   # the header promised more than the file holds
        raise ValueError(f"cannot read audio from {path!r}: the file holds no samples "
                         f"from offset={offset:g} s")
    finite = np.isfinite(frames)
    if not finite.all():
        first = int(np.argwhere(~finite)[0, 0])
        at = first + round(offset * file_sr)
        raise ValueError(f"{path!r} holds NaN or inf samples (first at sample {at}, "
                         f"{at / file_sr:.3f} s); audio samples must be finite")
    samples = frames.mean(axis=1, dtype=np.float32) if mono else \
        np.ascontiguousarray(frames.T)
    if sr is None or sr == file_sr:
        return samples, file_sr
    from scipy.signal import resample_poly

    up, down = resample_factors(file_sr, sr)
    samples = resample_poly(samples, up, down, axis=-1).astype(np.float32, copy=False)
    return samples, (sr if isinstance(sr, int) else file_sr * up / down)


def save(path, samples, sr, *, subtype=None):
    """Write samples to an audio file, its format chosen by the file's extension.

    Parameters
    ----------
    path : str or os.PathLike
        The file (overwritten).  With soundfile, any extension it knows
        (``.wav``, ``.flac``, ``.ogg``, ...); without it, ``.wav`` only.
    samples : array_like, shape (n,) or (n_channels, n), or Series
        Finite samples, nominally in [-1, 1] (one channel per row, as
        :func:`load` returns them with ``mono=False``).
    sr : int >= 1
        The sample rate in Hz.
    subtype : str or None
        The sample encoding, by soundfile's name (``"PCM_16"``, ``"PCM_24"``,
        ``"FLOAT"``, ``"VORBIS"``, ...; see ``soundfile.available_subtypes``).
        None is the format's default: 16-bit PCM for WAV and FLAC, Vorbis for
        OGG.  Without soundfile: ``"PCM_U8"``, ``"PCM_16"``, ``"PCM_32"``,
        ``"FLOAT"`` or ``"DOUBLE"``.

    Raises
    ------
    ValueError
        Samples that are empty, not 1-D or 2-D, or not finite; an unknown
        extension or subtype (the message names the file).
    FileNotFoundError
        The file's folder does not exist.
    ImportError
        A format other than WAV without soundfile.

    Notes
    -----
    Integer encodings scale samples by ``2 ** (bits - 1)`` and clip them to
    the integer range (1.0 becomes ``2 ** (bits - 1) - 1``); :func:`load`
    divides by the same, so a round trip through 16-bit PCM is exact to
    1 / 32768.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sigconv.audio.io import load, save
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "stereo.wav")
    >>> stereo = np.array([[0.0, 0.5, -0.5, 0.25], [1.0, 0.0, 0.5, -1.0]])
    >>> save(path, stereo, 8000)
    >>> load(path, sr=None, mono=False)[0]        # 16-bit: 1.0 is stored as 32767 / 32768
    array([[ 0.       ,  0.5      , -0.5      ,  0.25     ],
           [ 0.9999695,  0.       ,  0.5      , -1.       ]], dtype=float32)
    >>> folder.cleanup()
    """
    path = _path(path)
    if np.ndim(samples) not in (1, 2):
        raise ValueError(f"samples must be 1-D (n,) or 2-D (n_channels, n); "
                         f"got shape {np.shape(samples)}")
    values = V.series_input(samples, "samples").values
    if values.dtype.kind == "c":
        raise TypeError("samples must be real numbers; got complex values")
    V.nonfinite_policy(values, "raise", "samples", remedies=())
    sr = V.check_int(sr, "sr", 1)
    if subtype is not None and not isinstance(subtype, str):
        raise TypeError(f"subtype must be a string such as 'PCM_16' or None; got {subtype!r}")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, "no such folder to write the audio file in",
                                folder)
    sf = _soundfile()
    if sf is None:
        _write_wavfile(path, values, sr, subtype)
        return
    suffix = os.path.splitext(path)[1]
    formats = sf.available_formats()
    if suffix[1:].upper() not in formats:
        known = ", ".join("." + f.lower() for f in sorted(formats))
        raise ValueError(f"cannot write audio to {path!r}: unknown format {suffix!r}; "
                         f"the extension must be one of {known}")
    try:
        sf.write(path, values.T, sr, subtype=subtype)
    except (ValueError, TypeError, RuntimeError) as err:
        raise ValueError(f"cannot write audio to {path!r}: {_reason(err)}") from None


def _write_wavfile(path, values, sr, subtype):
    """Write WAV with scipy.io.wavfile (soundfile is not installed)."""
    if os.path.splitext(path)[1].lower() not in _WAV_SUFFIXES:
        raise ImportError(f"writing {path!r} needs soundfile (without it only WAV files "
                          f"can be written); install the audio extra: {INSTALL_HINT}")
    subtype = "PCM_16" if subtype is None else subtype
    if subtype not in _WAV_SUBTYPES:
        valid = ", ".join(repr(s) for s in _WAV_SUBTYPES)
        raise ValueError(f"cannot write audio to {path!r}: without soundfile subtype must "
                         f"be one of {valid}; got {subtype!r}")
    dtype = np.dtype(_WAV_SUBTYPES[subtype])
    frames = values.T
    if dtype.kind in "iu":
        scale = 2 ** (8 * dtype.itemsize - 1)
        ints = np.clip(np.rint(frames * scale), -scale, scale - 1)
        frames = (ints + 128 if dtype.kind == "u" else ints).astype(dtype)
    else:
        frames = frames.astype(dtype)
    from scipy.io import wavfile

    wavfile.write(path, sr, frames[:, 0] if frames.shape[1] == 1 else frames)
