"""Kernels as propagators: diffusion and stochastic (Monte-Carlo) convolution.

A non-negative kernel that sums to one is a probability distribution over
lags.  Convolving with it moves each sample's mass to its neighbours in
those proportions, which is one step of a random walk (diffusion); and the
convolution at ``t`` is the expected value of ``x`` at a neighbour drawn
with those probabilities, which :func:`stochastic_convolve` estimates by
sampling.
"""
from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np

from . import _validate as V
from . import engine, kernels
from .kernels import Kernel

__all__ = ["StochasticEstimate", "diffuse", "heat_kernel", "propagator",
           "stochastic_convolve"]

_DIFFUSE_BOUNDARIES = ("reflect", "wrap")
_WORKERS = os.cpu_count() or 1


def propagator(kernel, temperature=1.0):
    """The kernel as a probability mass function over its lags.

    Non-negative weights are normalised to sum 1; signed weights go through
    a softmax, ``exp(w / temperature) / sum(exp(w / temperature))``.

    Parameters
    ----------
    kernel : Kernel or array_like, shape (k,)
        A plain array is ``Kernel(array)`` (origin at its centre).
    temperature : float > 0
        Softmax temperature for signed kernels (unused for non-negative ones).

    Returns
    -------
    Kernel
        Weights >= 0 summing to 1, same origin.

    Examples
    --------
    >>> from sigconv.diffusion import propagator
    >>> propagator([1.0, 2.0, 1.0]).weights
    array([0.25, 0.5 , 0.25])
    >>> propagator([1.0, -2.0, 1.0]).weights.round(4)
    array([0.4879, 0.0243, 0.4879])
    """
    kernel = kernels._as_kernel(kernel)
    temperature = V.check_real(temperature, "temperature", 0)
    if (kernel.weights < 0).any():
        return kernels.softmax(kernel, temperature)
    if kernel.weights.sum() == 0:
        raise ValueError("kernel weights are all zero; a propagator needs some positive weight")
    return kernel.normalize()


def heat_kernel(t, D, truncate=4.0):
    """The Gaussian heat kernel: diffusion for time ``t`` at coefficient ``D``.

    The Gaussian of variance ``2 D t`` sampled at the integer lags and
    normalised (:func:`sigconv.kernels.gaussian` with ``sigma = sqrt(2 D
    t)``), the limit of ``diffuse(x, steps, rate)`` with ``t = steps`` and
    ``D = rate``.  Sampling and truncation make its variance slightly less
    than ``2 D t`` when that is below about 1.

    Parameters
    ----------
    t : float > 0
        Time (in steps).
    D : float > 0
        Diffusion coefficient (per step).
    truncate : float > 0
        Radius in standard deviations.

    Examples
    --------
    >>> from sigconv.diffusion import heat_kernel
    >>> k = heat_kernel(8, 0.25)      # variance 4
    >>> len(k), round(float((k.weights * k.lags ** 2).sum()), 2)
    (17, 4.0)
    """
    t = V.check_real(t, "t", 0)
    D = V.check_real(D, "D", 0)
    sigma = np.sqrt(2.0 * D * t)
    kernel = kernels.gaussian(sigma, truncate)
    return Kernel(kernel.weights, kernel.origin, name=f"heat_kernel({t:g}, {D:g})")


def diffuse(x, steps, rate, *, boundary="reflect", axis=-1, dtype=None):
    """Apply the diffusion stencil ``[rate, 1 - 2 rate, rate]`` ``steps`` times.

    Each step moves a fraction ``rate`` of every sample to each neighbour:
    the explicit scheme for the heat equation, stable for ``rate <= 1/2``.
    Total mass is conserved.  After many steps the result approaches the
    convolution with :func:`heat_kernel` ``(steps, rate)``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        Finite real series; time on ``axis``.
    steps : int >= 0
        Number of applications.
    rate : float, 0 < rate <= 0.5
        Fraction moved to each neighbour per step.
    boundary : {"reflect", "wrap"}
        ``"reflect"``
            insulated ends: the sample beyond each end equals the end
            sample, so no mass leaves.
        ``"wrap"``
            a circle.
    axis : int
        Time axis of an array ``x``.
    dtype : dtype, optional
        float32 or float64; default the input's precision.

    Returns
    -------
    ndarray, Series or DataFrame
        Like ``x``.

    Notes
    -----
    The stencil is diagonal in the cosine basis (DCT-II) with reflecting
    ends and in the Fourier basis on a circle, with eigenvalues
    ``1 - 4 rate sin^2(pi k / (2 n))`` (``... / n`` on a circle).  So all
    ``steps`` are applied at once by raising them to the power ``steps``:
    exactly the repeated stencil, in O(n log n) for any number of steps.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.diffusion import diffuse
    >>> diffuse(np.array([0.0, 0.0, 4.0, 0.0, 0.0]), 1, 0.25).round(12)
    array([ 0.,  1.,  2.,  1., -0.])
    >>> round(float(diffuse(np.array([0.0, 0.0, 4.0, 0.0, 0.0]), 50, 0.5).sum()), 12)
    4.0
    """
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    if data.dtype.kind == "c":
        raise TypeError("diffuse needs a real series; got complex data")
    steps = V.check_int(steps, "steps", minimum=0)
    rate = V.check_real(rate, "rate", 0, 0.5, closed="high")
    V.check_option(boundary, "boundary", _DIFFUSE_BOUNDARIES)
    values = data.values
    if not np.isfinite(values).all():
        raise ValueError("x contains NaN or inf; diffuse needs finite values")
    if steps == 0:
        return data.wrap(values.copy())
    from scipy import fft

    n = data.n_samples
    if boundary == "reflect":
        eigen = 1.0 - 4.0 * rate * np.sin(np.pi * np.arange(n) / (2 * n)) ** 2
        coefs = fft.dct(values, type=2, norm="ortho", axis=1, workers=_WORKERS)
        coefs *= (eigen ** steps).astype(values.dtype)
        y = fft.idct(coefs, type=2, norm="ortho", axis=1, workers=_WORKERS)
    else:
        eigen = 1.0 - 4.0 * rate * np.sin(np.pi * np.arange(n // 2 + 1) / n) ** 2
        coefs = fft.rfft(values, axis=1, workers=_WORKERS)
        coefs *= (eigen ** steps).astype(values.dtype)
        y = fft.irfft(coefs, n=n, axis=1, workers=_WORKERS)
    return data.wrap(y.astype(values.dtype, copy=False))


class StochasticEstimate(NamedTuple):
    """A Monte-Carlo convolution: ``estimate`` and its standard error, like ``x``.

    Attributes
    ----------
    estimate : ndarray, Series or DataFrame
        The mean of the draws per output, shaped and labelled like ``x``.
    stderr : ndarray, Series or DataFrame
        Its standard error, likewise.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = np.arange(8.0)
    >>> estimate, stderr = sigconv.stochastic_convolve(x, [1.0, 1.0, 1.0], n_samples=1000,
    ...                                                 seed=0)
    >>> exact = sigconv.convolve(x, sigconv.propagator([1.0, 1.0, 1.0]), "same")
    >>> bool(np.all(np.abs(estimate - exact) < 5 * stderr))
    True
    """

    estimate: object
    stderr: object


def stochastic_convolve(x, kernel, n_samples=100, seed=None, *, boundary="constant", cval=0.0,
                        nan="propagate", axis=-1, dtype=None):
    """Monte-Carlo convolution: average neighbours drawn with the kernel's probabilities.

    Output ``t`` averages ``n_samples`` values ``x[t - lag]``, each ``lag``
    drawn independently with probability ``weights[j] / sum(weights)`` for
    ``lag = j - origin``.  Its expectation is ``convolve(x, propagator(kernel),
    "same")``, and the error shrinks as ``1 / sqrt(n_samples)``.

    Parameters
    ----------
    x : array_like, shape (..., n), Series or DataFrame
        Real series; time on ``axis``.
    kernel : Kernel or array_like, shape (k,)
        Non-negative weights (a plain array has its origin at the centre).
        Turn a signed kernel into probabilities with :func:`propagator` first.
    n_samples : int >= 2
        Draws per output.
    seed : int, numpy.random.Generator or None
        Fixes the draws: the same seed gives the same result on any number
        of threads.
    boundary : {"constant", "reflect", "mirror", "nearest", "wrap"}
        How neighbours beyond the ends are read, as in :func:`sigconv.convolve`.
    cval : float
        The value beyond the ends for ``boundary="constant"``.
    nan : {"propagate", "raise"}
        A drawn NaN makes the output NaN, or raise on any NaN or inf.
    axis : int
        Time axis of an array ``x``.
    dtype : dtype, optional
        float32 or float64 output; default the input's precision.

    Returns
    -------
    StochasticEstimate
        ``(estimate, stderr)``, each like ``x``: the sample mean and the
        sample standard deviation divided by ``sqrt(n_samples)``.

    Raises
    ------
    ValueError
        Negative kernel weights, weights all zero, ``n_samples < 2``.

    Notes
    -----
    Lags are drawn in O(1) each with Walker's alias method from a
    counter-based generator (splitmix64 of seed, output and draw number), in
    parallel over outputs.  Cost O(n n_samples), independent of the kernel
    length.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.diffusion import stochastic_convolve
    >>> x = np.arange(6.0)
    >>> est, err = stochastic_convolve(x, [1.0, 1.0, 1.0], n_samples=20000, seed=0)
    >>> bool(np.all(np.abs(est[1:-1] - x[1:-1]) < 5 * err[1:-1]))
    True
    """
    data = V.series_input(x, "x", axis=axis, dtype=dtype)
    if data.dtype.kind == "c":
        raise TypeError("stochastic_convolve needs a real series; got complex data")
    kernel = kernels._as_kernel(kernel)
    if (kernel.weights < 0).any():
        raise ValueError("kernel has negative weights, so it is not a probability "
                         "distribution; pass propagator(kernel) (a softmax) instead")
    total = kernel.weights.sum()
    if total == 0:
        raise ValueError("kernel weights are all zero; give it some positive weight")
    n_samples = V.check_int(n_samples, "n_samples", minimum=2)
    V.check_option(boundary, "boundary", engine.BOUNDARIES)
    if isinstance(cval, bool) or not isinstance(cval, (int, float, np.floating, np.integer)):
        raise TypeError(f"cval must be a real number; got {cval!r}")
    V.check_option(nan, "nan", ("propagate", "raise"))
    if nan == "raise":
        V.nonfinite_policy(data.values, "raise")
    key = np.uint64(np.random.default_rng(seed).integers(0, 2**63))
    core = engine._core("stochastic")
    prob, alias = core.alias_table(kernel.weights / total)
    shifts = -kernel.lags  # weight j reads x[t - lag_j]
    estimate = np.empty_like(data.values)
    stderr = np.empty_like(data.values)
    core.stochastic_convolve(data.values, prob, alias, shifts.astype(np.int64), n_samples, key,
                             engine.BOUNDARIES.index(boundary), float(cval), estimate, stderr)
    return StochasticEstimate(data.wrap(estimate), data.wrap(stderr))
