"""Kernels as values: weights plus the index of lag 0."""
from __future__ import annotations

import math

import numpy as np

from . import _validate


class Kernel:
    """An immutable convolution kernel: weights and the index of lag 0.

    Applied by :func:`sigconv.convolve`, a kernel gives
    ``y[t] = sum_j weights[j] * x[t - (j - origin)]``: weight ``j`` multiplies
    the sample ``j - origin`` steps in the past.  ``origin=0`` is a causal
    filter, ``origin=(k - 1) // 2`` a centred one.

    Parameters
    ----------
    weights : array_like, shape (k,)
        Finite real weights, k >= 1.  They are copied and made read-only.
    origin : int, 0 <= origin < k, optional
        Index of lag 0.  Default ``(k - 1) // 2`` (centred, as scipy's
        ``mode="same"``).
    name : str, optional
        A label shown in ``repr``.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv import Kernel
    >>> box = Kernel(np.ones(3), name="box").normalize()
    >>> box
    Kernel(weights=[0.3333, 0.3333, 0.3333], origin=1, name='box')
    >>> (box @ box).weights * 9
    array([1., 2., 3., 2., 1.])
    >>> len(box @ box), (box @ box).origin
    (5, 2)
    """

    __slots__ = ("_name", "_origin", "_weights")
    # ndarray @ Kernel must reach __rmatmul__, not numpy's matmul on __array__.
    __array_ufunc__ = None

    def __init__(self, weights, origin=None, name=None):
        w = np.asarray(weights)
        if w.dtype.kind not in "biuf":
            raise TypeError(f"weights must be real numbers; got dtype {w.dtype}")
        if w.ndim != 1 or w.size == 0:
            raise ValueError(f"weights must be 1-D with at least one weight; got shape {w.shape}")
        if not np.all(np.isfinite(w)):
            raise ValueError("weights must be finite; got NaN or inf")
        k = w.size
        if origin is None:
            origin = (k - 1) // 2
        origin = _validate.check_int(origin, "origin", minimum=0)
        if origin >= k:
            raise ValueError(f"origin must be in [0, {k - 1}] for {k} weights; got {origin}")
        w = np.array(w, dtype=np.float64)
        w.flags.writeable = False
        # A view of a read-only base cannot be made writeable again.
        self._weights = w.view()
        self._origin = origin
        self._name = name

    @property
    def weights(self):
        """The weights, a read-only float64 array of shape (k,).

        Examples
        --------
        >>> from sigconv import Kernel
        >>> k = Kernel([1, 2, 3])
        >>> k.weights
        array([1., 2., 3.])
        >>> k.weights.flags.writeable
        False
        """
        return self._weights.view()

    @property
    def origin(self):
        """Index of lag 0 in :attr:`weights`.

        Examples
        --------
        >>> from sigconv import Kernel
        >>> Kernel([1.0, 2.0, 1.0]).origin, Kernel([1.0, 2.0, 1.0], origin=0).origin
        (1, 0)
        """
        return self._origin

    @property
    def name(self):
        """The label shown in ``repr``, or None.

        Examples
        --------
        >>> from sigconv import Kernel
        >>> Kernel([0.5, 0.5], name="pair").name
        'pair'
        >>> Kernel([0.5, 0.5]).name is None
        True
        """
        return self._name

    @property
    def lags(self):
        """The lag each weight applies to: ``arange(k) - origin``.

        Examples
        --------
        >>> from sigconv import Kernel
        >>> Kernel([1.0, 2.0, 1.0]).lags
        array([-1,  0,  1])
        >>> Kernel([1.0, 2.0, 1.0], origin=0).lags
        array([0, 1, 2])
        """
        return np.arange(len(self)) - self._origin

    def __len__(self):
        return self._weights.size

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._weights.view(), dtype=dtype)

    def __repr__(self):
        shown = np.array2string(self._weights if len(self) <= 8 else self._weights[:8],
                                precision=4, separator=", ", max_line_width=10**6)
        if len(self) > 8:
            shown = shown[:-1] + f", ...] ({len(self)} taps)"
        name = f", name={self._name!r}" if self._name is not None else ""
        return f"Kernel(weights={shown}, origin={self._origin}{name})"

    def __eq__(self, other):
        if not isinstance(other, Kernel):
            return NotImplemented
        return (self._origin == other._origin
                and np.array_equal(self._weights, other._weights))

    def __hash__(self):
        return hash((self._weights.tobytes(), self._origin))

    def __matmul__(self, other):
        """Compose: the kernel of applying ``other`` and then ``self`` (convolution
        commutes, so the order does not matter); lags add."""
        if not isinstance(other, Kernel):
            other = Kernel(other)
        return Kernel(np.convolve(self._weights, other._weights),
                      self._origin + other._origin)

    def __rmatmul__(self, other):
        return Kernel(other) @ self

    @classmethod
    def from_spec(cls, spec):
        """A kernel of the library from a short text spec such as ``"gaussian:3"``.

        ``"name:arg1,arg2,..."`` calls :mod:`sigconv.kernels`' function
        ``name(arg1, arg2, ...)``; arguments may also be given as
        ``key=value``, and a kernel without arguments is just ``"name"``.
        Numbers are read as int or float, anything else as a string (a
        window name).  The command line reads its ``--kernel`` option this way.

        Parameters
        ----------
        spec : str
            ``name`` is one of (the arguments in brackets are optional):

            ``"box:n"``, ``"ma:n"``
                the n-term moving average :func:`box` (``ma`` is its alias).
            ``"triangular:n"``
                :func:`triangular`.
            ``"gaussian:sigma[,truncate]"``
                :func:`gaussian`.
            ``"exponential:alpha,n"``, ``"ema:alpha,n"``
                the truncated EMA weights :func:`exponential`, causal (for
                the exact recursion use :func:`sigconv.ema`).
            ``"centered_ma:m"``
                the 2 x m centred average of :func:`centered_ma`.
            ``"henderson:n"``, ``"spencer15"``
                :func:`henderson`, :func:`spencer15`.
            ``"savgol:window,polyorder[,deriv][,delta]"``
                :func:`savgol`.
            ``"difference[:d]"``, ``"seasonal_difference:s[,D]"``
                :func:`difference`, :func:`seasonal_difference`.
            ``"derivative"``, ``"laplacian"``
                :func:`derivative`, :func:`laplacian`.
            ``"window:name,n"``
                a ``scipy.signal`` window such as ``"window:hann,7"``
                (:func:`window`).
            ``"lowpass:cutoff,n[,window][,fs]"``
                :func:`lowpass`.

        Returns
        -------
        Kernel

        Raises
        ------
        ValueError
            An unknown name (the message lists the valid ones), arguments
            that do not fit the function (the message shows its form), or
            values the function rejects.
        TypeError
            ``spec`` is not a string.

        Examples
        --------
        >>> from sigconv import Kernel, kernels
        >>> Kernel.from_spec("ma:4")
        Kernel(weights=[0.25, 0.25, 0.25, 0.25], origin=1, name='box(4)')
        >>> Kernel.from_spec("gaussian:1.5") == kernels.gaussian(1.5)
        True
        >>> Kernel.from_spec("savgol:5,2,deriv=1") == kernels.savgol(5, 2, deriv=1)
        True
        >>> Kernel.from_spec("bxo:3")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: kernel name must be one of 'box', 'ma', 'triangular', ...; got 'bxo'
        """
        import inspect

        if not isinstance(spec, str):
            raise TypeError(f"spec must be a string such as 'gaussian:3'; got {spec!r}")
        name, _, arguments = spec.strip().partition(":")
        name = name.strip()
        _validate.check_option(name, "kernel name", tuple(_SPEC_FUNCTIONS))
        make = _SPEC_FUNCTIONS[name]
        args, kwargs = [], {}
        for token in arguments.split(",") if arguments.strip() else ():
            key, equals, value = token.partition("=")
            if equals:
                kwargs[key.strip()] = _spec_value(value)
            else:
                args.append(_spec_value(token))
        signature = inspect.signature(make)
        try:
            signature.bind(*args, **kwargs)
        except TypeError:
            params = list(signature.parameters.values())
            usage = name + "".join(
                (":" if i == 0 else ",") + p.name if p.default is inspect.Parameter.empty
                else f"[{':' if i == 0 else ','}{p.name}]" for i, p in enumerate(params))
            raise ValueError(f"kernel spec {spec!r} does not fit {usage!r}") from None
        return make(*args, **kwargs)

    def flip(self):
        """The time-reversed kernel (lag l becomes lag -l): correlation with
        ``k`` is convolution with ``k.flip()``.

        Returns
        -------
        Kernel
            Weights reversed, origin ``k - 1 - origin``, same name.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv import Kernel, convolve, correlate
        >>> k = Kernel([1.0, 2.0, 3.0], origin=0)
        >>> k.flip()
        Kernel(weights=[3., 2., 1.], origin=2)
        >>> k.flip().lags
        array([-2, -1,  0])
        >>> x = np.random.default_rng(0).normal(size=10)
        >>> np.allclose(correlate(x, k), convolve(x, k.flip()))
        True
        """
        return Kernel(self._weights[::-1], len(self) - 1 - self._origin, self._name)

    def normalize(self):
        """The kernel scaled so that its weights sum to 1 (unit gain at frequency 0).

        Returns
        -------
        Kernel
            Same origin and name.

        Raises
        ------
        ValueError
            If the weights sum to zero (a differencing kernel, say).

        Examples
        --------
        >>> from sigconv import Kernel
        >>> Kernel([1.0, 1.0, 2.0]).normalize().weights
        array([0.25, 0.25, 0.5 ])
        """
        total = self._weights.sum()
        if total == 0:
            raise ValueError("cannot normalize a kernel whose weights sum to 0")
        return Kernel(self._weights / total, self._origin, self._name)

    def frequency_response(self, n=512):
        """Complex frequency response on ``n`` frequencies in [0, pi).

        ``H(w) = sum_j weights[j] * exp(-1j * w * (j - origin))`` at
        ``w = pi * arange(n) / n`` radians per sample (the frequencies of
        ``scipy.signal.freqz(weights, worN=n)``), so a symmetric centred
        kernel has a real response.  Computed with one FFT of length 2n.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv import Kernel
        >>> h = Kernel([0.25, 0.5, 0.25]).frequency_response(4)
        >>> np.round(h.real, 4)
        array([1.    , 0.8536, 0.5   , 0.1464])
        >>> bool(np.abs(h.imag).max() < 1e-15)
        True
        """
        n = _validate.check_int(n, "n")
        k = len(self)
        # Fold the weights onto 2n points first: the FFT of the folded
        # weights is exact at the 2n frequencies even when k > 2n.
        folded = np.zeros(2 * n)
        np.add.at(folded, np.arange(k) % (2 * n), self._weights)
        response = np.fft.rfft(folded)[:n]
        w = np.pi * np.arange(n) / n
        response = response * np.exp(1j * w * self._origin)
        if k % 2 and self._origin == k // 2:
            # About its centre a symmetric kernel's response is real and an
            # antisymmetric one's imaginary: drop the round-off, so that the
            # phase is exactly 0 or pi (+-pi/2).  Weights computed in floating
            # point (sinc, least squares) are symmetric only to round-off.
            w, tol = self._weights, 1e-12 * np.abs(self._weights).max()
            if np.abs(w - w[::-1]).max() <= tol:
                response = response.real + 0j
            elif np.abs(w + w[::-1]).max() <= tol:
                response = 1j * response.imag
        return response


# ---------------------------------------------------------------------------
# The kernel library.  Smoothing kernels are normalised to unit gain at
# frequency 0 and centred; lag polynomials ((1 - B)^d, ...) are causal
# (origin 0) so that ``convolve(x, k, "causal")`` applies them.
# ---------------------------------------------------------------------------

def _odd_window(n, name, minimum=1):
    n = _validate.check_int(n, name, minimum=minimum)
    if n % 2 == 0:
        raise ValueError(f"{name} must be odd so the kernel has a centre; got {n}")
    return n


def box(n):
    """The n-term simple moving average: ``n`` weights of ``1/n``, centred.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.box(4)
    Kernel(weights=[0.25, 0.25, 0.25, 0.25], origin=1, name='box(4)')
    """
    n = _validate.check_int(n, "n")
    return Kernel(np.full(n, 1.0 / n), name=f"box({n})")


def triangular(n):
    """The triangular moving average: ``scipy.signal.windows.triang(n)`` normalised.

    For odd ``n`` its weights are those of ``box(m) @ box(m)``, ``m = (n + 1) / 2``.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.triangular(5).weights * 9
    array([1., 2., 3., 2., 1.])
    """
    n = _validate.check_int(n, "n")
    distance = np.abs(2 * np.arange(n) - (n - 1))
    w = 1.0 - distance / (n + n % 2)
    return Kernel(w / w.sum(), name=f"triangular({n})")


def gaussian(sigma, truncate=4.0):
    """Sampled Gaussian, normalised, with radius ``int(truncate * sigma + 0.5)``.

    The kernel of ``scipy.ndimage.gaussian_filter1d(x, sigma, truncate=truncate)``.

    Examples
    --------
    >>> from sigconv import kernels
    >>> k = kernels.gaussian(1.0)
    >>> len(k), k.origin, round(float(k.weights.sum()), 12)
    (9, 4, 1.0)
    """
    sigma = _validate.check_real(sigma, "sigma", 0)
    truncate = _validate.check_real(truncate, "truncate", 0)
    radius = int(truncate * sigma + 0.5)
    lags = np.arange(-radius, radius + 1)
    w = np.exp(-0.5 * (lags / sigma) ** 2)
    return Kernel(w / w.sum(), name=f"gaussian({sigma:g})")


def exponential(alpha, n):
    """Truncated exponential (EMA) weights ``alpha (1 - alpha)^j``, j < n, normalised, causal.

    Applied causally it is the ``adjust=True`` exponential moving average of
    the last ``n`` samples (``pandas.Series.ewm(alpha=alpha)`` on a window).

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.exponential(0.5, 3).weights * 7
    array([4., 2., 1.])
    """
    alpha = _validate.check_real(alpha, "alpha", 0, 1, closed="high")
    n = _validate.check_int(n, "n")
    w = (1.0 - alpha) ** np.arange(n)
    return Kernel(w / w.sum(), origin=0, name=f"exponential({alpha:g}, {n})")


def weighted(weights, center=False):
    """A weighted moving average from weights in time order (oldest first), normalised.

    ``center=False`` ends the window at the current sample (as
    ``pandas.Series.rolling(len(weights))``); ``center=True`` puts
    ``len(weights) // 2`` samples before it, as ``rolling(..., center=True)``.

    Examples
    --------
    >>> from sigconv import kernels
    >>> k = kernels.weighted([1, 2, 3])   # newest sample weighs 3/6
    >>> k.weights * 6, k.origin
    (array([3., 2., 1.]), 0)
    """
    w = np.asarray(weights, dtype=float) if np.ndim(weights) else np.array([weights], float)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be 1-D with at least one weight; got shape {w.shape}")
    total = w.sum()
    if not np.isfinite(total) or total == 0:
        raise ValueError("weights must be finite and must not sum to 0")
    # Kernel weight j multiplies x[t - (j - origin)]: newest first.
    k = w.size
    origin = (k - 1) // 2 if center else 0
    return Kernel(w[::-1] / total, origin=origin, name="weighted")


def centered_ma(m):
    """The centred moving average of period ``m``: ``box(m)`` for odd ``m``, the 2 x m
    average ``[1/2, 1, ..., 1, 1/2] / m`` (m + 1 taps) for even ``m``.

    The trend filter of classical decomposition (``seasonal_decompose``).

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.centered_ma(4).weights * 8
    array([1., 2., 2., 2., 1.])
    """
    m = _validate.check_int(m, "m")
    if m % 2:
        return Kernel(np.full(m, 1.0 / m), name=f"centered_ma({m})")
    w = np.ones(m + 1)
    w[[0, -1]] = 0.5
    return Kernel(w / m, name=f"centered_ma({m})")


def henderson(n):
    """The n-term Henderson moving average (n odd, n >= 3), as used by X-11.

    Notes
    -----
    Henderson's closed form (Kenny and Durbin 1982): with ``p = (n - 1) / 2``
    and ``m = p + 2``, the weight at lag ``j`` is
    ``315 ((m-1)^2 - j^2)(m^2 - j^2)((m+1)^2 - j^2)(3m^2 - 16 - 11 j^2) /
    (8 m (m^2 - 1)(4m^2 - 1)(4m^2 - 9)(4m^2 - 25))``.  It passes cubics
    unchanged and has the smoothest weights (least squared third differences)
    of all such filters.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.henderson(5).weights.round(3)
    array([-0.073,  0.294,  0.559,  0.294, -0.073])
    """
    n = _odd_window(n, "n", minimum=3)
    m = (n - 1) // 2 + 2
    j2 = np.arange(-(m - 2), m - 1, dtype=float) ** 2
    num = 315 * ((m - 1) ** 2 - j2) * (m**2 - j2) * ((m + 1) ** 2 - j2) * (3 * m**2 - 16 - 11 * j2)
    den = 8 * m * (m**2 - 1) * (4 * m**2 - 1) * (4 * m**2 - 9) * (4 * m**2 - 25)
    return Kernel(num / den, name=f"henderson({n})")


def spencer15():
    """Spencer's 15-point moving average, ``[-3, -6, -5, 3, 21, 46, 67, 74, ...] / 320``.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.spencer15().weights[:8] * 320
    array([-3., -6., -5.,  3., 21., 46., 67., 74.])
    """
    half = np.array([-3, -6, -5, 3, 21, 46, 67, 74], dtype=float)
    return Kernel(np.concatenate([half, half[-2::-1]]) / 320, name="spencer15")


def savgol(window, polyorder, deriv=0, delta=1.0):
    """Savitzky-Golay kernel: the least-squares polynomial fit evaluated at the centre.

    The weights of ``scipy.signal.savgol_coeffs(window, polyorder, deriv, delta,
    use="conv")``.

    Parameters
    ----------
    window : odd int >= 1
        Number of samples in each fit.
    polyorder : int, 0 <= polyorder < window
        Degree of the fitted polynomial.
    deriv : int >= 0
        Derivative to evaluate (0 smooths).
    delta : float > 0
        Sample spacing, for derivatives.

    Examples
    --------
    >>> from sigconv import kernels
    >>> (kernels.savgol(5, 2).weights * 35).round(10)
    array([-3., 12., 17., 12., -3.])
    """
    window = _odd_window(window, "window")
    polyorder = _validate.check_int(polyorder, "polyorder", minimum=0)
    if polyorder >= window:
        raise ValueError(f"polyorder must be less than window ({window}); got {polyorder}")
    deriv = _validate.check_int(deriv, "deriv", minimum=0)
    delta = _validate.check_real(delta, "delta", 0)
    half = window // 2
    operator = _polyfit_operator(np.arange(-half, half + 1) / max(half, 1), polyorder)
    w = np.zeros(window)
    if deriv <= polyorder:
        # Row `deriv` of the operator gives the fitted coefficient of u^deriv,
        # u = lag / half; its deriv-th derivative at 0 is deriv! times that.
        w = operator[deriv] * math.factorial(deriv) / (max(half, 1) * delta) ** deriv
    # Evaluating at lag 0 of x[t + lag] is convolution with the reversed weights.
    return Kernel(w[::-1], name=f"savgol({window}, {polyorder}, {deriv})")


def _polyfit_operator(u, polyorder):
    """The (polyorder + 1, len(u)) matrix mapping samples at ``u`` to least-squares
    polynomial coefficients (lowest degree first)."""
    vander = np.vander(u, polyorder + 1, increasing=True)
    return np.linalg.pinv(vander)


def difference(d=1):
    """The differencing polynomial ``(1 - B)^d``: binomial weights with alternating
    signs, causal.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.difference(2)
    Kernel(weights=[ 1., -2.,  1.], origin=0, name='difference(2)')
    """
    d = _validate.check_int(d, "d", minimum=0)
    j = np.arange(d + 1)
    w = np.array([math.comb(d, i) for i in j], dtype=float) * (-1.0) ** j
    return Kernel(w, origin=0, name=f"difference({d})")


def seasonal_difference(s, D=1):
    """The seasonal differencing polynomial ``(1 - B^s)^D``, causal, ``s * D + 1`` taps.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.seasonal_difference(4).weights
    array([ 1.,  0.,  0.,  0., -1.])
    """
    s = _validate.check_int(s, "s")
    D = _validate.check_int(D, "D", minimum=0)
    w = np.zeros(s * D + 1)
    w[::s] = difference(D).weights
    return Kernel(w, origin=0, name=f"seasonal_difference({s}, {D})")


def derivative():
    """The central difference ``(x[t+1] - x[t-1]) / 2``, the 1-D edge detector.

    Examples
    --------
    >>> import sigconv
    >>> from sigconv import kernels
    >>> sigconv.convolve([0.0, 1.0, 4.0, 9.0], kernels.derivative(), "valid")
    array([2., 4.])
    """
    return Kernel([0.5, 0.0, -0.5], origin=1, name="derivative")


def laplacian():
    """The second difference ``x[t+1] - 2 x[t] + x[t-1]``.

    Examples
    --------
    >>> import sigconv
    >>> from sigconv import kernels
    >>> sigconv.convolve([0.0, 1.0, 4.0, 9.0], kernels.laplacian(), "valid")
    array([2., 2.])
    """
    return Kernel([1.0, -2.0, 1.0], origin=1, name="laplacian")


def window(name, n):
    """A window of ``scipy.signal.windows`` as a smoothing kernel (symmetric, normalised).

    Parameters
    ----------
    name : str or tuple
        Any window ``scipy.signal.get_window`` knows: ``"hann"``,
        ``"hamming"``, ``"blackman"``, ``"bartlett"``, ``("kaiser", beta)``,
        ``("gaussian", std)``, ...  These are the ``win_type`` windows of
        ``pandas.Series.rolling``.
    n : int >= 1
        Number of taps.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.window("hann", 5).weights
    array([0.  , 0.25, 0.5 , 0.25, 0.  ])
    """
    n = _validate.check_int(n, "n")
    w = _window_weights(name, n, "name")
    total = w.sum()
    if total == 0:
        raise ValueError(f"the {name!r} window of {n} taps sums to 0; use more taps")
    return Kernel(w / total, name=f"window({name!r}, {n})")


def _window_weights(name, n, label):
    """``scipy.signal.get_window(name, n, fftbins=False)``, with errors naming ``label``."""
    from scipy.signal import get_window

    try:
        return get_window(name, n, fftbins=False)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{label} must be a window of scipy.signal.get_window such as "
                         f"'hann', 'hamming' or 'blackman'; got {name!r} ({err})") from None


def lowpass(cutoff, n, window="hamming", fs=1.0):
    """Windowed-sinc low-pass FIR filter with unit gain at frequency 0.

    The filter of ``scipy.signal.firwin(n, cutoff, window=window, fs=fs)``.

    Parameters
    ----------
    cutoff : float, 0 < cutoff < fs / 2
        Cut-off frequency (gain 1/2 for a long filter), in the units of ``fs``.
    n : int >= 1
        Number of taps; odd gives a linear-phase filter centred on a sample.
    window : str or tuple
        The taper, as in :func:`window`.
    fs : float > 0
        Sampling frequency.

    Examples
    --------
    >>> from sigconv import kernels
    >>> k = kernels.lowpass(0.1, 31)
    >>> gain = abs(k.frequency_response(512))
    >>> round(float(gain[0]), 12), bool(gain[-1] < 1e-3)
    (1.0, True)
    """
    fs = _validate.check_real(fs, "fs", 0)
    cutoff = _validate.check_real(cutoff, "cutoff", 0, fs / 2)
    n = _validate.check_int(n, "n")
    taper = _window_weights(window, n, "window")
    f = 2 * cutoff / fs  # as a fraction of the Nyquist frequency
    w = f * np.sinc(f * (np.arange(n) - (n - 1) / 2)) * taper
    return Kernel(w / w.sum(), name=f"lowpass({cutoff:g}, {n})")


# ---------------------------------------------------------------------------
# Algebra
# ---------------------------------------------------------------------------

def _as_kernel(k, name="kernel"):
    if isinstance(k, Kernel):
        return k
    w = np.asarray(k)
    if w.ndim != 1:
        raise ValueError(f"{name} must be a Kernel or 1-D weights; got shape {w.shape}")
    return Kernel(w)


def compose(*kernels):
    """The kernel of applying every kernel in turn: ``compose(a, b, c) == a @ b @ c``.

    Lags add, so causal kernels compose to a causal kernel.  ``compose()`` is
    the identity ``Kernel([1.0])``.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.compose(kernels.difference(), kernels.seasonal_difference(4)).weights
    array([ 1., -1.,  0.,  0., -1.,  1.])
    """
    result = Kernel([1.0], name="identity")
    for i, k in enumerate(kernels):
        result = result @ _as_kernel(k, f"kernels[{i}]")
    return result


def power(k, n):
    """``k`` composed with itself ``n`` times (``power(k, 0)`` is the identity).

    Uses repeated squaring: O(log n) convolutions.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.power(kernels.difference(), 3) == kernels.difference(3)
    True
    """
    k = _as_kernel(k)
    n = _validate.check_int(n, "n", minimum=0)
    result = Kernel([1.0])
    square = k
    while n:
        if n & 1:
            result = result @ square
        n >>= 1
        if n:
            square = square @ square
    return result


def inverse(k, n_terms):
    """The first ``n_terms`` weights of ``1 / k(B)`` for a lag polynomial ``k``.

    ``k`` is causal (origin 0) with ``k[0] != 0``; the result ``psi`` solves
    ``k(B) psi(B) = 1`` term by term, so ``(inverse(k, n) @ k).weights[:n]``
    is ``[1, 0, ..., 0]``.  With ``k = [1, -phi_1, ..., -phi_p]`` these are
    the psi-weights (impulse response) of the AR filter, which decay only if
    ``k`` has all its roots outside the unit circle.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.inverse([1.0, -0.5], 4).weights
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    if not isinstance(k, Kernel):
        k = Kernel(np.asarray(k, dtype=float) if np.ndim(k) else [k], origin=0)
    n_terms = _validate.check_int(n_terms, "n_terms")
    if k.origin != 0:
        raise ValueError(f"k must be a causal lag polynomial (origin 0); got origin {k.origin}")
    w = k.weights
    if w[0] == 0:
        raise ValueError("k[0] must be non-zero to invert the lag polynomial k(B)")
    from scipy.signal import lfilter

    impulse = np.zeros(n_terms)
    impulse[0] = 1.0
    return Kernel(lfilter([1.0], w, impulse), origin=0, name="inverse")


def softmax(k, temperature=1.0):
    """``exp(w / temperature)`` normalised to sum 1: a kernel turned into probabilities.

    High temperatures flatten it towards uniform; low ones concentrate it on
    the largest weight.  The origin is kept.

    Examples
    --------
    >>> from sigconv import kernels
    >>> kernels.softmax([0.0, 0.0, 0.0]).weights.round(4)
    array([0.3333, 0.3333, 0.3333])
    """
    k = _as_kernel(k)
    temperature = _validate.check_real(temperature, "temperature", 0)
    z = k.weights / temperature
    e = np.exp(z - z.max())
    return Kernel(e / e.sum(), k.origin, name=k.name)


# ---------------------------------------------------------------------------
# Text specs (``Kernel.from_spec``)
# ---------------------------------------------------------------------------

_SPEC_FUNCTIONS = {
    "box": box, "ma": box, "triangular": triangular, "gaussian": gaussian,
    "exponential": exponential, "ema": exponential, "centered_ma": centered_ma,
    "henderson": henderson, "spencer15": spencer15, "savgol": savgol,
    "difference": difference, "seasonal_difference": seasonal_difference,
    "derivative": derivative, "laplacian": laplacian, "window": window, "lowpass": lowpass,
}


def _spec_value(text):
    """A spec argument as int, float or (quotes removed) string."""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip("'\"")
