"""The frequency domain: kernel responses, spectral masks and the periodogram.

By the convolution theorem, convolving with a kernel multiplies the spectrum
by the kernel's frequency response.  :func:`frequency_response` shows that
response; :func:`fft_filter` goes the other way and designs the filter as a
mask on the spectrum.
"""
from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np

from . import _validate as V
from .kernels import Kernel

__all__ = ["FrequencyResponse", "Periodogram", "fft_filter", "frequency_response",
           "periodogram"]

_WORKERS = os.cpu_count() or 1


class FrequencyResponse(NamedTuple):
    """A kernel's frequency response; unpacks as ``frequency, gain, phase``.

    Attributes
    ----------
    frequency : ndarray, shape (n,)
        In the units of ``fs``, from 0 up to ``fs / 2``.
    gain : ndarray, shape (n,)
        Magnitude of the response.
    phase : ndarray, shape (n,)
        Phase of the response, in radians.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> frequency, gain, phase = sigconv.frequency_response([0.5, 0.5], n=4)
    >>> frequency
    array([0.   , 0.125, 0.25 , 0.375])
    >>> np.allclose(gain, np.cos(np.pi * frequency))      # closed form of a 2-tap mean
    True
    """

    frequency: np.ndarray
    gain: np.ndarray
    phase: np.ndarray

    def to_frame(self):
        """A DataFrame indexed by frequency, with columns gain and phase.

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import sigconv
        >>> frame = sigconv.frequency_response([0.5, 0.5], n=4).to_frame()
        >>> frame.index.name, frame.columns.tolist()
        ('frequency', ['gain', 'phase'])
        >>> frame.loc[0.25].round(4).tolist()             # cos(pi/4), -pi/4
        [0.7071, -0.7854]
        """
        import pandas as pd

        return pd.DataFrame({"gain": self.gain, "phase": self.phase},
                            index=pd.Index(self.frequency, name="frequency"))


def frequency_response(kernel, n=512, fs=1.0):
    """Gain and phase of a kernel on ``n`` frequencies from 0 up to (not including) ``fs / 2``.

    Parameters
    ----------
    kernel : Kernel or array_like, shape (k,)
        The kernel; a plain array is ``Kernel(array)`` (origin at its centre).
    n : int >= 1
        Number of frequencies, ``fs / 2 * arange(n) / n`` (those of
        ``scipy.signal.freqz(weights, worN=n, fs=fs)``).
    fs : float > 0
        Sampling frequency.

    Returns
    -------
    FrequencyResponse
        ``frequency``, ``gain = |H|`` and ``phase`` (radians, unwrapped) of
        ``H(f) = sum_j weights[j] exp(-2 pi i f (j - origin) / fs)``: a
        symmetric centred kernel has zero phase wherever its response is
        positive.

    See Also
    --------
    Kernel.frequency_response : the complex response.

    Examples
    --------
    >>> from sigconv import kernels
    >>> from sigconv.spectral import frequency_response
    >>> f, gain, phase = frequency_response(kernels.box(3), n=4)
    >>> f
    array([0.   , 0.125, 0.25 , 0.375])
    >>> gain.round(4)
    array([1.    , 0.8047, 0.3333, 0.1381])
    """
    if not isinstance(kernel, Kernel):
        kernel = Kernel(kernel)
    n = V.check_int(n, "n")
    fs = V.check_real(fs, "fs", 0)
    response = kernel.frequency_response(n)
    return FrequencyResponse(fs / 2 * np.arange(n) / n, np.abs(response),
                             np.unwrap(np.angle(response)))


def fft_filter(x, lowpass=None, highpass=None, band=None, *, fs=1.0, transition=0.0, axis=-1,
               dtype=None):
    """Filter by multiplying the spectrum with a mask (the convolution theorem).

    The series' FFT is multiplied by a mask that keeps the frequencies
    below ``lowpass``, above ``highpass`` or inside ``band`` (several
    conditions combine: every one must hold), then transformed back.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        Finite real series; time on ``axis``.
    lowpass : float, 0 < lowpass <= fs / 2, optional
        Keep frequencies up to this one.
    highpass : float, 0 <= highpass < fs / 2, optional
        Keep frequencies from this one up.
    band : (low, high), optional
        Keep frequencies in ``[low, high]``.
    fs : float > 0
        Sampling frequency: cut-offs are in its units (cycles per sample by
        default).
    transition : float >= 0
        Width of a raised-cosine taper centred on each cut-off, at most
        ``2 * min(cut, fs / 2 - cut)`` so that the taper stays inside
        ``[0, fs / 2]``.  0 is a brick wall, which rings (Gibbs) around sharp
        features; a wider taper rings less but separates frequencies less
        sharply.
    axis : int
        Time axis of an array ``x``.
    dtype : dtype, optional
        float32 or float64; default the input's precision.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``.

    Raises
    ------
    ValueError
        No cut-off given, a cut-off outside ``[0, fs / 2]``, ``band`` not
        ``(low, high)`` with ``low < high``, non-finite samples.

    Notes
    -----
    The FFT treats the series as one period of a periodic signal, so a jump
    between its last and first samples leaks into every frequency; detrend
    or taper first if that matters.  Cost O(n log n).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.spectral import fft_filter
    >>> t = np.arange(64)
    >>> slow, fast = np.sin(2 * np.pi * 2 * t / 64), np.sin(2 * np.pi * 20 * t / 64)
    >>> bool(np.allclose(fft_filter(slow + fast, lowpass=0.1), slow))
    True
    """
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    if data.dtype.kind == "c":
        raise TypeError("fft_filter needs a real series; got complex data")
    fs = V.check_real(fs, "fs", 0)
    nyquist = fs / 2
    transition = V.check_real(transition, "transition", 0, closed="low")
    if lowpass is None and highpass is None and band is None:
        raise ValueError("give at least one of lowpass, highpass and band")
    cuts = []  # (cut-off, keep frequencies below it?)
    if lowpass is not None:
        cuts.append((V.check_real(lowpass, "lowpass", 0, nyquist, closed="high"), True))
    if highpass is not None:
        cuts.append((V.check_real(highpass, "highpass", 0, nyquist, closed="low"), False))
    if band is not None:
        if np.ndim(band) != 1 or len(band) != 2:
            raise ValueError(f"band must be a pair (low, high); got {band!r}")
        low = V.check_real(band[0], "band[0]", 0, nyquist, closed="both")
        high = V.check_real(band[1], "band[1]", 0, nyquist, closed="both")
        if low >= high:
            raise ValueError(f"band must have low < high; got {tuple(band)!r}")
        cuts += [(low, False), (high, True)]
    for cut, _ in cuts:
        if transition / 2 > min(cut, nyquist - cut) and transition:
            raise ValueError(
                f"transition must fit between 0 and fs/2 around each cut-off: at most "
                f"{2 * min(cut, nyquist - cut):g} for the cut-off {cut:g}; got {transition:g}")
    values = data.values
    if not np.isfinite(values).all():
        raise ValueError("x contains NaN or inf; fft_filter needs finite values "
                         "(fill or interpolate them first)")
    from scipy import fft

    n = data.n_samples
    freqs = np.fft.rfftfreq(n, d=1.0 / fs)
    mask = np.ones(freqs.size)
    for cut, keep_below in cuts:
        mask *= _taper(freqs, cut, transition, keep_below)
    spectrum = fft.rfft(values, axis=1, workers=_WORKERS)
    spectrum *= mask.astype(values.dtype)
    y = fft.irfft(spectrum, n=n, axis=1, workers=_WORKERS)
    return data.wrap(y.astype(values.dtype, copy=False))


def _taper(freqs, cut, width, keep_below):
    """1 on the kept side of ``cut``, 0 on the other, raised cosine across ``width``."""
    if width == 0:
        # A bin exactly at the cut-off is kept even if its computed frequency
        # rounds to the wrong side of it.
        slack = 1e-9 * (freqs[1] - freqs[0]) if freqs.size > 1 else 0.0
        kept = freqs <= cut + slack if keep_below else freqs >= cut - slack
        return kept.astype(float)
    position = np.clip((freqs - (cut - width / 2)) / width, 0.0, 1.0)
    falling = 0.5 * (1.0 + np.cos(np.pi * position))
    return falling if keep_below else 1.0 - falling


class Periodogram(NamedTuple):
    """A periodogram; unpacks as ``frequency, power`` like scipy's ``f, Pxx``.

    Attributes
    ----------
    frequency : ndarray, shape (m,)
        The frequencies, in the units of ``fs``.
    power : ndarray, Series or DataFrame
        Power at each frequency, shaped and labelled like the input.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = np.cos(np.pi / 2 * np.arange(8))             # a quarter of the sampling rate
    >>> frequency, power = sigconv.periodogram(x)
    >>> frequency
    array([0.   , 0.125, 0.25 , 0.375, 0.5  ])
    >>> float(frequency[np.argmax(power)]), round(float(power.max()), 4)
    (0.25, 4.0)
    """

    frequency: np.ndarray
    power: object  # ndarray, or a Series / DataFrame indexed by frequency

    def to_frame(self):
        """The power as a DataFrame indexed by frequency.

        Returns
        -------
        DataFrame
            Column ``power`` for one unlabelled series, the Series' name or
            the DataFrame's columns for pandas input, one column per series
            otherwise.

        Examples
        --------
        >>> import numpy as np
        >>> import sigconv
        >>> x = np.cos(np.pi / 2 * np.arange(8))
        >>> frame = sigconv.periodogram(x).to_frame()
        >>> frame.columns.tolist(), frame.index.name
        (['power'], 'frequency')
        >>> float(frame["power"].idxmax())
        0.25
        """
        import pandas as pd

        if isinstance(self.power, pd.DataFrame):
            return self.power
        if isinstance(self.power, pd.Series):
            return self.power.to_frame(self.power.name or "power")
        power = np.asarray(self.power)
        index = pd.Index(self.frequency, name="frequency")
        if power.ndim == 1:
            return pd.DataFrame({"power": power}, index=index)
        return pd.DataFrame(power.reshape(-1, power.shape[-1]).T, index=index)


_DETRENDS = ("constant", "linear", False)
_SCALINGS = ("density", "spectrum")


def periodogram(x, fs=1.0, window="boxcar", nfft=None, detrend="constant",
                return_onesided=True, scaling="density", *, axis=-1):
    """Power spectral density by the periodogram, as ``scipy.signal.periodogram``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        Finite real series; time on ``axis``.
    fs : float > 0
        Sampling frequency.
    window : str or tuple
        Taper applied before the FFT (``scipy.signal.get_window``).
    nfft : int >= 1, optional
        FFT length: longer zero-pads, shorter truncates the series.
        Default ``n``.
    detrend : {"constant", "linear", False}
        Remove the mean, a least-squares line, or nothing first.
    return_onesided : bool
        True: frequencies ``[0, fs / 2]`` with the power of negative
        frequencies folded in.  False: all ``nfft`` frequencies in FFT order.
    scaling : {"density", "spectrum"}
        Power per unit frequency (V**2/Hz) or power (V**2).
    axis : int
        Time axis of an array ``x``.

    Returns
    -------
    Periodogram
        ``frequency`` and ``power`` (time axis replaced by frequency; a
        Series or DataFrame indexed by frequency for pandas input).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.spectral import periodogram
    >>> t = np.arange(100)
    >>> f, p = periodogram(np.cos(2 * np.pi * 0.1 * t))
    >>> float(f[np.argmax(p)])
    0.1
    """
    data = V.series_input(x, "x", axis=axis)
    if data.dtype.kind == "c":
        raise TypeError("periodogram needs a real series; got complex data")
    fs = V.check_real(fs, "fs", 0)
    if detrend not in _DETRENDS:
        raise ValueError(f"detrend must be one of 'constant', 'linear', False; got {detrend!r}")
    V.check_option(scaling, "scaling", _SCALINGS)
    values = data.values
    if not np.isfinite(values).all():
        raise ValueError("x contains NaN or inf; the periodogram needs finite values")
    n = data.n_samples
    nfft = n if nfft is None else V.check_int(nfft, "nfft")
    if nfft < n:
        values, n = values[:, :nfft], nfft
    from scipy.signal import get_window

    try:
        taper = get_window(window, n)
    except (ValueError, TypeError) as err:
        raise ValueError(f"window must be a window of scipy.signal.get_window such as "
                         f"'boxcar' or 'hann'; got {window!r} ({err})") from None
    values = _detrended(values, detrend) * taper.astype(values.dtype)
    onesided = bool(return_onesided)
    spectrum = (np.fft.rfft if onesided else np.fft.fft)(values, n=nfft, axis=1)
    power = (spectrum * spectrum.conj()).real
    if scaling == "density":
        power *= 1.0 / (fs * (taper * taper).sum())
    else:
        power *= 1.0 / taper.sum() ** 2
    if onesided:
        # Fold in the negative frequencies: all but 0 and (even nfft) Nyquist.
        power[:, 1:power.shape[1] - (nfft % 2 == 0)] *= 2
        frequency = np.fft.rfftfreq(nfft, 1.0 / fs)
    else:
        frequency = np.fft.fftfreq(nfft, 1.0 / fs)
    power = power.astype(data.dtype, copy=False)
    index = None
    if data.kind != "numpy":
        import pandas as pd

        index = pd.Index(frequency, name="frequency")
    return Periodogram(frequency, data.wrap(power, index=index))


def _detrended(values, detrend):
    if detrend == "constant":
        return values - values.mean(axis=1, keepdims=True)
    if detrend == "linear":
        n = values.shape[1]
        design = np.c_[np.ones(n), np.arange(n)]
        coef = np.linalg.lstsq(design, values.T, rcond=None)[0]
        return values - (design @ coef).T
    return values


