"""What a recorded snippet of a song suffers: gain, noise, a telephone line, a
room, lossy coding, clipping, a wrong clock, a wrong playback speed.

Every distortion is a function ``name(x, sr, *, rng=None, **params)`` returning
``(y, sr_out)``: ``x`` is a mono snippet (a 1-D array of finite floats) taken at
``sr`` Hz, ``y`` a new array in the input's floating dtype (float16 becomes
float32) taken at ``sr_out`` Hz.  ``x`` is never modified.  ``rng`` (a seed or
a ``numpy.random.Generator``) drives the random ones and is accepted, unused,
by the others, so that every entry of :data:`DISTORTIONS` is called the same
way: ``fn(x, sr, rng=rng)``.
"""
from __future__ import annotations

import functools
import io
import math
import numbers

import numpy as np
from scipy import signal

from .. import _validate as V
from .io import resample_factors

TELEPHONE_RATE = 8000
TELEPHONE_BAND = (300.0, 3400.0)
TELEPHONE_ORDER = 6             # Butterworth band-pass, applied forwards and backwards
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
_MP3_SEARCH = 4096              # samples of encoder delay searched for


def _audio(x, sr, name="x"):
    """``x`` as a float64 copy, the output dtype, and ``sr`` as a float."""
    values = np.asarray(x)
    if values.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of floats (audio samples); "
                        f"got dtype {values.dtype}")
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D (mono); got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"{name} must hold at least one sample; got none")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains NaN or inf")
    V.check_real(sr, "sr", 0, math.inf)
    return values.astype(np.float64), V.compute_dtype(values.dtype), sr


def _generator(rng):
    """``numpy.random.default_rng(rng)`` for None, a seed or a Generator."""
    if rng is None or isinstance(rng, (np.random.Generator, np.random.SeedSequence)) or (
            isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be None, an integer seed or a numpy.random.Generator; "
                    f"got {type(rng).__name__}")


def _power(x):
    return float(np.mean(x * x))


def gain(x, sr, *, db=-12.0, rng=None):
    """Scale by ``db`` decibels: ``x * 10 ** (db / 20)``.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 0
    db : float in [-120, 120]
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (n,)
    sr_out : ``sr``

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import gain
    >>> gain(np.array([0.5, -1.0]), 8000, db=-6.0206)[0].round(4)
    array([ 0.25, -0.5 ])
    """
    x, dtype, sr = _audio(x, sr)
    db = V.check_real(db, "db", -120, 120, closed="both")
    _generator(rng)
    return (x * 10 ** (db / 20)).astype(dtype), sr


def dc(x, sr, *, offset=0.2, rng=None):
    """Add a constant ``offset`` (a DC offset, as a faulty microphone preamplifier).

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 0
    offset : float in [-10, 10]
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (n,)
    sr_out : ``sr``

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import dc
    >>> dc(np.array([0.5, -1.0]), 8000, offset=0.25)[0]
    array([ 0.75, -0.75])
    """
    x, dtype, sr = _audio(x, sr)
    offset = V.check_real(offset, "offset", -10, 10, closed="both")
    _generator(rng)
    return (x + offset).astype(dtype), sr


def _noise(n, exponent, rng):
    """Zero-mean Gaussian noise of ``n`` samples with power spectrum ~ 1 / f**exponent."""
    white = rng.standard_normal(n)
    if exponent == 0:
        return white
    spectrum = np.fft.rfft(white)
    f = np.fft.rfftfreq(n)
    spectrum[1:] *= f[1:] ** (-exponent / 2)
    spectrum[0] = 0.0
    return np.fft.irfft(spectrum, n)


def coloured_noise(x, sr, *, snr_db=-5.0, exponent=1.0, rng=None):
    """Add Gaussian noise with power spectrum ``1 / f**exponent`` at ``snr_db``.

    Parameters
    ----------
    x : array_like of float, shape (n,), n >= 2, not all zero
    sr : float > 0
    snr_db : float in [-40, 100]
        ``10 log10(mean(x**2) / mean(noise**2))`` over the snippet, exactly.
    exponent : float in [0, 3]
        0: white; 1: pink (equal power per octave); 2: brown (a random walk).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    y : numpy.ndarray, shape (n,)
    sr_out : ``sr``

    Raises
    ------
    ValueError
        If ``x`` is silent (all zero): its SNR is undefined.

    Notes
    -----
    White Gaussian noise is shaped in the frequency domain (its real FFT
    multiplied by ``f**(-exponent / 2)``, the zero-frequency bin set to 0),
    then scaled so that its power over the snippet gives ``snr_db``.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import coloured_noise
    >>> x = np.sin(np.arange(8000) * 0.1)
    >>> y, sr = coloured_noise(x, 8000, snr_db=10.0, rng=0)
    >>> round(float(10 * np.log10(np.mean(x**2) / np.mean((y - x) ** 2))), 6)
    10.0
    """
    x, dtype, sr = _audio(x, sr)
    if x.size < 2:
        raise ValueError(f"x must hold at least 2 samples to carry noise; got {x.size}")
    snr_db = V.check_real(snr_db, "snr_db", -40, 100, closed="both")
    exponent = V.check_real(exponent, "exponent", 0, 3, closed="both")
    rng = _generator(rng)
    power = _power(x)
    if power == 0:
        raise ValueError("x is silent (all zero): a signal-to-noise ratio is undefined")
    noise = _noise(x.size, exponent, rng)
    noise *= math.sqrt(power / 10 ** (snr_db / 10) / _power(noise))
    return (x + noise).astype(dtype), sr


def white_noise(x, sr, *, snr_db=-5.0, rng=None):
    """Add white Gaussian noise at ``snr_db``: :func:`coloured_noise` with exponent 0.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import white_noise
    >>> x = np.sin(np.arange(8000) * 0.1)
    >>> y, sr = white_noise(x, 8000, snr_db=-5.0, rng=1)
    >>> round(float(10 * np.log10(np.mean(x**2) / np.mean((y - x) ** 2))), 6)
    -5.0
    """
    return coloured_noise(x, sr, snr_db=snr_db, exponent=0.0, rng=rng)


def _check_telephone_rate(sr):
    if sr <= 2 * TELEPHONE_BAND[1]:
        raise ValueError(f"sr must exceed {2 * TELEPHONE_BAND[1]:g} Hz to hold the telephone "
                         f"band {TELEPHONE_BAND[0]:g}-{TELEPHONE_BAND[1]:g} Hz; got {sr:g}")


def telephone(x, sr, *, rng=None):
    """A telephone line: band-pass 300-3400 Hz, then resampled to 8000 Hz.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 6800
        Its Nyquist frequency must exceed the band's top, 3400 Hz.
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (ceil(n * 8000 / sr),)
    sr_out : 8000

    Notes
    -----
    A Butterworth band-pass of order ``TELEPHONE_ORDER`` (second-order
    sections) applied forwards and backwards (``scipy.signal.sosfiltfilt``:
    no delay, twice the attenuation in decibels), then
    ``scipy.signal.resample_poly`` by the ratio 8000 / sr.  On white noise at
    16-44.1 kHz, the output's energy below 200 Hz and above 3800 Hz is more
    than 30 dB under that in the band (Welch PSD).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import telephone
    >>> t = np.arange(22050) / 22050
    >>> y, sr = telephone(np.sin(2 * np.pi * 1000 * t) + np.sin(2 * np.pi * 60 * t), 22050)
    >>> sr, y.size, round(float(np.sqrt(2 * np.mean(y[800:-800] ** 2))), 2)
    (8000, 8000, 1.0)
    """
    x, dtype, sr = _audio(x, sr)
    _check_telephone_rate(sr)
    _generator(rng)
    sos = signal.butter(TELEPHONE_ORDER, TELEPHONE_BAND, btype="bandpass", fs=sr, output="sos")
    padlen = min(3 * (2 * len(sos) + 1), x.size - 1)
    y = signal.sosfiltfilt(sos, x, padlen=padlen)
    up, down = resample_factors(sr, TELEPHONE_RATE)
    return signal.resample_poly(y, up, down).astype(dtype), TELEPHONE_RATE


def room_impulse_response(sr, rt60=0.6, rng=None, *, direct_to_reverberant_db=0.0):
    """A synthetic room impulse response: direct path, early reflections, diffuse tail.

    Parameters
    ----------
    sr : float > 0
    rt60 : float in [0.05, 5]
        Seconds for the tail's energy to fall by 60 dB.
    rng : None, int or numpy.random.Generator
    direct_to_reverberant_db : float in [-30, 30]
        Energy of the direct path over that of everything after it.

    Returns
    -------
    numpy.ndarray, shape (ceil(1.5 * rt60 * sr),), float64
        ``h[0] = 1`` is the direct path.

    Notes
    -----
    Six early reflections fall 2-40 ms after the direct path, with random
    signs and amplitudes (each 2-13 % of the tail's energy).  The diffuse
    tail is Gaussian noise under the envelope ``exp(-3 ln(10) t / rt60)``
    (amplitude: 60 dB of energy per ``rt60``), faded in over its first 5 ms;
    reflections and tail together are scaled to ``direct_to_reverberant_db``.
    The response runs to 90 dB down.  Schroeder's backward integration of
    ``h**2`` recovers ``rt60``.

    Examples
    --------
    >>> from sigconv.audio.distort import room_impulse_response
    >>> h = room_impulse_response(8000, 0.5, rng=0)
    >>> h.size, float(h[0])
    (6000, 1.0)
    """
    sr = V.check_real(sr, "sr", 0, math.inf)
    rt60 = V.check_real(rt60, "rt60", 0.05, 5, closed="both")
    direct_to_reverberant_db = V.check_real(direct_to_reverberant_db,
                                            "direct_to_reverberant_db", -30, 30, closed="both")
    rng = _generator(rng)
    n = math.ceil(1.5 * rt60 * sr)
    t = np.arange(n) / sr
    envelope = np.exp(-3 * math.log(10) * t / rt60)
    late = rng.standard_normal(n) * envelope * np.minimum(1.0, t / 0.005)
    late[0] = 0.0
    # Early reflections: each carries 2-13 % of the tail's energy.
    delays = np.minimum((rng.uniform(0.002, 0.04, 6) * sr).astype(int), n - 1)
    strength = math.sqrt(0.2 * _power(late) * n) * rng.uniform(0.3, 0.8, 6)
    np.add.at(late, delays, rng.choice([-1.0, 1.0], 6) * strength * envelope[delays])
    energy = _power(late) * n
    h = late * math.sqrt(10 ** (-direct_to_reverberant_db / 10) / energy) if energy else late
    h[0] = 1.0
    return h


def reverb(x, sr, *, rt60=0.6, rng=None, direct_to_reverberant_db=0.0):
    """Play ``x`` in a room: convolve with :func:`room_impulse_response`.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 0
    rt60 : float in [0.05, 5]
    rng : None, int or numpy.random.Generator
    direct_to_reverberant_db : float in [-30, 30]

    Returns
    -------
    y : numpy.ndarray, shape (n,)
        The first ``n`` samples of the convolution (the tail past the end is
        cut), scaled to the rms of ``x``.
    sr_out : ``sr``

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import reverb
    >>> x = np.sin(np.arange(8000) * 0.3)
    >>> y, sr = reverb(x, 8000, rt60=0.4, rng=0)
    >>> y.size, bool(np.isclose(np.mean(y**2), np.mean(x**2)))
    (8000, True)
    """
    x, dtype, sr = _audio(x, sr)
    h = room_impulse_response(sr, rt60, rng,
                              direct_to_reverberant_db=direct_to_reverberant_db)
    y = signal.oaconvolve(x, h)[:x.size]
    scale = math.sqrt(_power(x) / _power(y)) if _power(y) > 0 else 0.0
    return (y * scale).astype(dtype), sr


def _mp3_bitrates(sr):
    """Bit rates (kbit/s) LAME offers at ``sr``: MPEG-1, MPEG-2 or MPEG-2.5 layer III."""
    return (32, 320) if sr >= 32000 else (8, 160) if sr >= 16000 else (8, 64)


def _delay(y, x, lo, hi):
    """The lag in [lo, hi] at which ``y`` best matches ``x`` (cross-correlation peak)."""
    corr = signal.correlate(y, x, mode="full", method="fft")
    lags = signal.correlation_lags(y.size, x.size, mode="full")
    window = (lags >= lo) & (lags <= hi)
    best = np.argmax(corr[window])
    return int(lags[window][best]) if corr[window][best] > 0 else 0


def mp3(x, sr, *, bitrate=32, rng=None):
    """Encode to constant-bit-rate MP3 in memory and decode back, time-aligned.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : one of ``MP3_RATES``
        8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 or 48000 Hz.
    bitrate : int
        kbit/s: 32-320 at 32 kHz and above, 8-160 at 16-24 kHz, 8-64 below;
        LAME takes the nearest standard rate.
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (n,)
    sr_out : ``sr``

    Raises
    ------
    RuntimeError
        If soundfile, or its libsndfile's MP3 support (1.1 or later), is missing.

    Notes
    -----
    soundfile (libsndfile with LAME and mpg123) writes to a ``BytesIO`` with
    ``bitrate_mode="CONSTANT"``; libsndfile turns ``compression_level`` c into
    ``int(top - c * (top - bottom))`` kbit/s over the range above, which is
    inverted here.  A signal whose peak exceeds 1 is scaled into [-1, 1] for
    the round trip and back.  The decoder may keep the encoder's delay and
    padding: the delay is found as the peak of the cross-correlation with
    ``x`` (lags -256 to 4096 samples past any extra length) and removed, and
    the output cut or zero-padded to ``n`` samples.  A strictly periodic
    ``x`` (one steady tone) could be aligned a whole period off; music is not.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import mp3
    >>> x = 0.5 * np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)
    >>> y, sr = mp3(x, 22050, bitrate=32)
    >>> y.shape, sr, bool(np.corrcoef(x, y)[0, 1] > 0.95)
    ((22050,), 22050, True)
    """
    x, dtype, sr = _audio(x, sr)
    if sr not in MP3_RATES:
        raise ValueError(f"sr must be an MP3 sample rate, one of "
                         f"{', '.join(map(str, MP3_RATES))}; got {sr:g}")
    bottom, top = _mp3_bitrates(sr)
    bitrate = V.check_int(bitrate, "bitrate", minimum=1)
    if not bottom <= bitrate <= top:
        raise ValueError(f"bitrate must be in [{bottom}, {top}] kbit/s at {sr:g} Hz; "
                         f"got {bitrate}")
    _generator(rng)
    try:
        import soundfile
    except (ImportError, OSError) as error:
        raise RuntimeError("mp3 needs the soundfile package (pip install soundfile)") from error
    if "MP3" not in soundfile.available_formats():
        raise RuntimeError(f"this libsndfile ({soundfile.__libsndfile_version__}) cannot "
                           "write MP3: it needs libsndfile 1.1 or later built with LAME")
    peak = np.abs(x).max()
    scale = peak / 0.99 if peak > 0.99 else 1.0
    buffer = io.BytesIO()
    level = min(1.0, max(0.0, (top - bitrate - 0.5) / (top - bottom)))
    soundfile.write(buffer, x / scale, int(sr), format="MP3", compression_level=level,
                    bitrate_mode="CONSTANT")
    buffer.seek(0)
    decoded, _ = soundfile.read(buffer, dtype="float64")
    decoded = decoded.reshape(decoded.shape[0], -1)[:, 0] * scale
    lag = _delay(decoded, x, -256, max(0, decoded.size - x.size) + _MP3_SEARCH)
    y = np.zeros(x.size)
    source = decoded[max(lag, 0):max(lag, 0) + x.size - max(-lag, 0)]
    y[max(-lag, 0):max(-lag, 0) + source.size] = source
    return y.astype(dtype), sr


def clip(x, sr, *, level=0.3, rng=None):
    """Hard clipping at ``level`` times the peak magnitude of ``x``.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 0
    level : float in (0, 1]
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (n,)
        ``numpy.clip(x, -c, c)`` with ``c = level * max(abs(x))``.
    sr_out : ``sr``

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import clip
    >>> clip(np.array([0.1, -2.0, 1.0]), 8000, level=0.25)[0]
    array([ 0.1, -0.5,  0.5])
    """
    x, dtype, sr = _audio(x, sr)
    level = V.check_real(level, "level", 0, 1, closed="high")
    _generator(rng)
    ceiling = level * np.abs(x).max()
    return np.clip(x, -ceiling, ceiling).astype(dtype), sr


def clock(x, sr, *, error=0.001, rng=None):
    """A recorder whose clock runs ``error`` fast: labelled ``sr``, taken at ``sr * (1 + error)``.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 0
    error : float in [-0.1, 0.1]
        The relative clock error; 0.001 is 0.1 % (a cheap crystal is 1e-4).
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (ceil(n * (1 + error)),)
        ``x`` resampled by ``1 + error`` (``scipy.signal.resample_poly`` with
        the ratio as a fraction whose denominator is at most 1000): read at
        ``sr``, it is ``1 + error`` times longer and lower in pitch.
    sr_out : ``sr``

    See Also
    --------
    speed : the same resampling, seen as playback speed.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import clock
    >>> y, sr = clock(np.ones(10000), 8000, error=0.001)
    >>> y.size, sr
    (10010, 8000)
    """
    x, dtype, sr = _audio(x, sr)
    error = V.check_real(error, "error", -0.1, 0.1, closed="both")
    _generator(rng)
    up, down = resample_factors(1, 1 + error)
    return signal.resample_poly(x, up, down).astype(dtype), sr


def speed(x, sr, *, factor=1.02, rng=None):
    """Played back ``factor`` times faster, as a turntable: shorter and higher.

    Parameters
    ----------
    x : array_like of float, shape (n,)
    sr : float > 0
    factor : float in [0.5, 2]
        Duration divided by ``factor``, every frequency multiplied by it.
    rng : ignored

    Returns
    -------
    y : numpy.ndarray, shape (ceil(n / factor),)
        ``x`` resampled by ``1 / factor`` (``scipy.signal.resample_poly``, the
        ratio as a fraction whose denominator is at most 1000).
    sr_out : ``sr``

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import speed
    >>> y, sr = speed(np.ones(10200), 8000, factor=1.02)
    >>> y.size, sr
    (10000, 8000)
    """
    x, dtype, sr = _audio(x, sr)
    factor = V.check_real(factor, "factor", 0.5, 2, closed="both")
    _generator(rng)
    up, down = resample_factors(1, 1 / factor)
    return signal.resample_poly(x, up, down).astype(dtype), sr


def phone_in_room(x, sr, *, rt60=0.5, snr_db=5.0, rng=None):
    """A phone recording a loudspeaker across a room.

    :func:`reverb` (``rt60``), then pink noise (:func:`coloured_noise`,
    exponent 1) at ``snr_db`` against the reverberant signal, then
    :func:`telephone`.

    Parameters
    ----------
    x : array_like of float, shape (n,), not all zero
    sr : float > 6800
    rt60 : float in [0.05, 5]
    snr_db : float in [-40, 100]
    rng : None, int or numpy.random.Generator

    Returns
    -------
    y : numpy.ndarray, shape (ceil(n * 8000 / sr),)
    sr_out : 8000

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio.distort import phone_in_room
    >>> x = np.sin(np.arange(22050) * 0.2)
    >>> y, sr = phone_in_room(x, 22050, rng=0)
    >>> y.size, sr
    (8000, 8000)
    """
    _audio(x, sr)
    _check_telephone_rate(sr)
    rng = _generator(rng)
    y, sr = reverb(x, sr, rt60=rt60, rng=rng)
    y, sr = coloured_noise(y, sr, snr_db=snr_db, exponent=1.0, rng=rng)
    return telephone(y, sr)


#: The distortions of the song-identification acceptance tests, each called as
#: ``fn(x, sr, rng=rng)`` and returning ``(y, sr_out)``.
DISTORTIONS = {
    "gain": gain,                                   # -12 dB
    "dc": dc,                                       # +0.2
    "white_noise": white_noise,                     # -5 dB SNR
    "coloured_noise": coloured_noise,               # pink, -5 dB SNR
    "telephone": telephone,                         # 300-3400 Hz at 8 kHz
    "reverb": reverb,                               # RT60 0.6 s
    "mp3": mp3,                                     # 32 kbit/s
    "clip": clip,                                   # at 0.3 of the peak
    "clock": clock,                                 # 0.1 % fast
    "speed+2%": functools.partial(speed, factor=1.02),
    "speed-2%": functools.partial(speed, factor=0.98),
    "phone_in_room": phone_in_room,                 # RT60 0.5 s, pink noise at 5 dB
}
