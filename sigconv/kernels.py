"""Kernels as values: weights plus the index of lag 0."""
from __future__ import annotations

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
        """The weights, a read-only float64 array of shape (k,)."""
        return self._weights.view()

    @property
    def origin(self):
        """Index of lag 0 in :attr:`weights`."""
        return self._origin

    @property
    def name(self):
        return self._name

    @property
    def lags(self):
        """The lag each weight applies to: ``arange(k) - origin``."""
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

    def flip(self):
        """The time-reversed kernel (lag l becomes lag -l): correlation with
        ``k`` is convolution with ``k.flip()``."""
        return Kernel(self._weights[::-1], len(self) - 1 - self._origin, self._name)

    def normalize(self):
        """The kernel scaled so that its weights sum to 1 (unit gain at frequency 0).

        Raises
        ------
        ValueError
            If the weights sum to zero (a differencing kernel, say).
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
        return response * np.exp(1j * w * self._origin)
