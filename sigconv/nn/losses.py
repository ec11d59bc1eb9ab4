"""Losses for training: each returns the mean loss and its gradient.

Every loss is a function ``loss(pred, target) -> (value, grad)``: ``value``
the loss averaged over all elements of ``pred`` (a Python float) and
``grad`` its gradient with respect to ``pred`` (same shape and float dtype),
ready for ``model.backward(grad)``.  ``target`` broadcasts to ``pred``'s
shape.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["mae", "mse", "quantile"]


def _pair(pred, target, owner):
    p = np.asarray(pred)
    if p.dtype.kind not in "biuf":
        raise TypeError(f"{owner}: pred must be a real numeric array; got dtype {p.dtype}")
    if p.dtype.kind != "f" or p.dtype.itemsize > 8:
        p = p.astype(np.float64)
    if p.size == 0:
        raise ValueError(f"{owner}: pred must not be empty; got shape {p.shape}")
    t = np.asarray(target)
    if t.dtype.kind not in "biuf":
        raise TypeError(f"{owner}: target must be a real numeric array; got dtype {t.dtype}")
    try:
        t = np.broadcast_to(t, p.shape)
    except ValueError:
        raise ValueError(f"{owner}: target must broadcast to pred's shape {p.shape}; "
                         f"got {t.shape}") from None
    return p, t.astype(p.dtype, copy=False)


def mse(pred, target):
    """Mean squared error ``mean((pred - target)**2)`` and its gradient.

    Parameters
    ----------
    pred : array_like
    target : array_like, broadcastable to ``pred``'s shape

    Returns
    -------
    value : float
    grad : ndarray, shape and dtype of ``pred``
        ``2 (pred - target) / pred.size``.

    Examples
    --------
    >>> from sigconv.nn import mse
    >>> mse([1.0, 2.0], [0.0, 4.0])
    (2.5, array([ 1., -2.]))
    """
    p, t = _pair(pred, target, "mse")
    e = p - t
    return float(np.mean(e * e)), e * (2.0 / e.size)


def mae(pred, target):
    """Mean absolute error ``mean(|pred - target|)`` and its (sub)gradient.

    Parameters
    ----------
    pred : array_like
    target : array_like, broadcastable to ``pred``'s shape

    Returns
    -------
    value : float
    grad : ndarray, shape and dtype of ``pred``
        ``sign(pred - target) / pred.size`` (0 where they are equal).

    Examples
    --------
    >>> from sigconv.nn import mae
    >>> mae([1.0, 2.0, 3.0], [0.0, 4.0, 3.0])
    (1.0, array([ 0.33333333, -0.33333333,  0.        ]))
    """
    p, t = _pair(pred, target, "mae")
    e = p - t
    return float(np.mean(np.abs(e))), np.sign(e) * (1.0 / e.size)


def _check_level(q):
    if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 < q < 1:
        raise ValueError(f"quantile levels must be numbers in (0, 1); got {q!r}")
    return float(q)


def quantile(q):
    """Pinball (quantile) loss for level ``q``, or for several levels at once.

    Parameters
    ----------
    q : float in (0, 1), or sequence of them
        One level: the loss is ``mean(max(q e, (q - 1) e))``, ``e = target -
        pred``, minimised by the q-quantile of the target.  A sequence of
        ``n_q`` levels: ``pred`` has a trailing axis of length ``n_q``
        (``pred[..., j]`` estimates the ``q[j]`` quantile) and ``target``
        has ``pred``'s shape without it (or broadcasts to ``pred``'s shape);
        the mean runs over all elements of ``pred``.

    Returns
    -------
    callable
        ``loss(pred, target) -> (value, grad)``, with ``grad`` the gradient
        of the mean: ``-q / N`` where ``target > pred``, ``(1 - q) / N``
        where ``target < pred``, 0 at ties.  Its ``quantiles`` attribute holds
        the levels.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import quantile
    >>> loss = quantile(0.9)
    >>> loss([1.0, 1.0], [2.0, 0.0])           # under-prediction costs 9 times more
    (0.5, array([-0.45,  0.05]))
    >>> value, grad = quantile([0.1, 0.5, 0.9])(np.zeros((4, 3)), np.ones(4))
    >>> round(value, 3), grad.shape
    (0.5, (4, 3))
    """
    if isinstance(q, numbers.Real) and not isinstance(q, bool):
        levels = _check_level(q)
        several = False
    else:
        try:
            levels = np.array([_check_level(v) for v in q])
        except TypeError:
            raise ValueError(f"q must be a number in (0, 1) or a sequence of them; "
                             f"got {q!r}") from None
        if levels.size == 0:
            raise ValueError("q must name at least one quantile level; got an empty sequence")
        several = True

    def pinball(pred, target):
        p = np.asarray(pred)
        t = np.asarray(target)
        if several:
            if p.ndim < 1 or p.shape[-1] != levels.size:
                raise ValueError(f"quantile: pred must have a last axis of length "
                                 f"{levels.size} (one per level); got shape {p.shape}")
            if t.shape == p.shape[:-1]:
                t = t[..., None]
        p, t = _pair(p, t, "quantile")
        level = levels.astype(p.dtype) if several else levels
        e = t - p
        value = float(np.mean(np.maximum(level * e, (level - 1) * e)))
        grad = np.where(e > 0, -level, np.where(e < 0, 1 - level, 0)).astype(p.dtype)
        return value, grad * (1.0 / e.size)

    pinball.quantiles = levels
    return pinball
