"""Gradient-descent optimisers, with the updates of ``torch.optim``.

An optimiser takes a model (or a list of :class:`~sigconv.nn.Parameter`)
and, at each :meth:`step`, updates every parameter's values in place from its
accumulated gradient.  ``clip_norm`` first rescales all gradients together so
that their global L2 norm is at most ``clip_norm``, as
``torch.nn.utils.clip_grad_norm_`` (the gradients are rescaled in place).
``weight_decay`` adds ``weight_decay * value`` to each gradient (L2
regularisation, as PyTorch's SGD and Adam; not AdamW's decoupled decay).
"""
from __future__ import annotations

import math

import numpy as np

from .. import _validate as V
from .layers import Module, Parameter

__all__ = ["SGD", "Adam"]


def _parameter_list(params, owner):
    if isinstance(params, Module):
        return params.parameters()
    params = list(params)
    for p in params:
        if not isinstance(p, Parameter):
            raise TypeError(f"{owner}: params must be a sigconv.nn Module or a list of "
                            f"Parameters; got an element {p!r}")
    return params


class _Optimizer:
    def __init__(self, params, lr, weight_decay, clip_norm):
        name = type(self).__name__
        self.params = _parameter_list(params, name)
        self.lr = V.check_real(lr, "lr", 0.0, math.inf, closed="low")
        self.weight_decay = V.check_real(weight_decay, "weight_decay", 0.0, math.inf,
                                         closed="low")
        self.clip_norm = None if clip_norm is None else V.check_real(clip_norm, "clip_norm",
                                                                     0.0, math.inf)

    def zero_grad(self):
        """Set the gradients of the parameters to zero.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import SGD, Parameter
        >>> p = Parameter("w", np.array([1.0, -2.0]))
        >>> opt = SGD([p], lr=0.1)
        >>> p.grad[...] = [0.5, -1.0]
        >>> opt.zero_grad()
        >>> p.grad
        array([0., 0.])
        """
        for p in self.params:
            p.grad.fill(0)

    def clip_gradients(self):
        """Rescale all gradients by ``min(1, clip_norm / (norm + 1e-6))``, ``norm``
        their global L2 norm (the factor of ``clip_grad_norm_``); returns the
        norm (None without ``clip_norm``).

        :meth:`step` calls it first, so it is needed only to see the norm.

        Returns
        -------
        float or None
            The norm before clipping.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import SGD, Parameter
        >>> p = Parameter("w", np.zeros(2))
        >>> opt = SGD([p], lr=0.1, clip_norm=1.0)
        >>> p.grad[...] = [3.0, -4.0]
        >>> opt.clip_gradients()
        5.0
        >>> p.grad.round(4)                             # rescaled to norm 1
        array([ 0.6, -0.8])
        >>> SGD([p], lr=0.1).clip_gradients() is None
        True
        """
        if self.clip_norm is None:
            return None
        norm = math.sqrt(sum(float(np.sum(np.square(p.grad, dtype=np.float64)))
                             for p in self.params))
        factor = self.clip_norm / (norm + 1e-6)
        if factor < 1.0:
            for p in self.params:
                p.grad *= factor
        return norm

    def _gradient(self, p):
        if self.weight_decay:
            return p.grad + self.weight_decay * p.value
        return p.grad


class SGD(_Optimizer):
    """Stochastic gradient descent with momentum (``torch.optim.SGD``,
    dampening 0, not Nesterov).

    ``buf = momentum * buf + g`` (``buf = g`` at the first step), ``value -=
    lr * buf``; ``g`` the gradient plus ``weight_decay * value``.

    Parameters
    ----------
    params : Module or list of Parameter
    lr : float >= 0
    momentum : float >= 0
    weight_decay : float >= 0
    clip_norm : float > 0, optional
        Largest global L2 norm of the gradients (see module notes).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import SGD, Parameter
    >>> p = Parameter("w", np.array([1.0, -2.0]))
    >>> opt = SGD([p], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     p.grad[...] = 2 * p.value            # gradient of sum(w**2)
    ...     opt.step()
    >>> p.value
    array([ 0.46, -0.92])
    """

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, clip_norm=None):
        super().__init__(params, lr, weight_decay, clip_norm)
        self.momentum = V.check_real(momentum, "momentum", 0.0, math.inf, closed="low")
        self._buffers = [None] * len(self.params)

    def step(self):
        """Update every parameter once from its gradient.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import SGD, Parameter
        >>> p = Parameter("w", np.array([1.0, -2.0]))
        >>> opt = SGD([p], lr=0.1)
        >>> p.grad[...] = [0.5, -1.0]
        >>> opt.step()                                  # value -= lr * grad
        >>> p.value
        array([ 0.95, -1.9 ])
        """
        self.clip_gradients()
        for i, p in enumerate(self.params):
            g = self._gradient(p)
            if self.momentum:
                buf = self._buffers[i]
                if buf is None:
                    buf = self._buffers[i] = g.copy()
                else:
                    buf *= self.momentum
                    buf += g
                g = buf
            p.value -= self.lr * g


class Adam(_Optimizer):
    """Adam (``torch.optim.Adam``, L2 weight decay added to the gradient).

    With ``g`` the gradient plus ``weight_decay * value`` and ``t`` the step
    count: ``m += (1 - beta1) (g - m)``, ``v = beta2 v + (1 - beta2) g**2``,
    ``value -= lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)``.

    Parameters
    ----------
    params : Module or list of Parameter
    lr : float >= 0
    betas : (float, float) in [0, 1)
    eps : float >= 0
    weight_decay : float >= 0
    clip_norm : float > 0, optional
        Largest global L2 norm of the gradients (see module notes).

    Notes
    -----
    Kingma and Ba (2015), "Adam: a method for stochastic optimization".

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Adam, Parameter
    >>> p = Parameter("w", np.array([1.0, -2.0]))
    >>> opt = Adam([p], lr=0.1)
    >>> for _ in range(3):
    ...     p.grad[...] = 2 * p.value            # gradient of sum(w**2)
    ...     opt.step()
    >>> p.value.round(4)                        # each step moves about lr
    array([ 0.7016, -1.7006])
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 clip_norm=None):
        super().__init__(params, lr, weight_decay, clip_norm)
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise ValueError(f"betas must be a pair of numbers in [0, 1); got {betas!r}") \
                from None
        self.betas = (V.check_real(b1, "betas[0]", 0.0, 1.0, closed="low"),
                      V.check_real(b2, "betas[1]", 0.0, 1.0, closed="low"))
        self.eps = V.check_real(eps, "eps", 0.0, math.inf, closed="low")
        self.t = 0
        self._m = [np.zeros_like(p.value) for p in self.params]
        self._v = [np.zeros_like(p.value) for p in self.params]

    def step(self):
        """Update every parameter once from its gradient.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Adam, Parameter
        >>> p = Parameter("w", np.array([1.0, -2.0]))
        >>> opt = Adam([p], lr=0.1)
        >>> p.grad[...] = [0.5, -1.0]
        >>> opt.step()                                  # the first step: lr * sign(grad)
        >>> p.value.round(6), opt.t
        (array([ 0.9, -1.9]), 1)
        """
        self.clip_gradients()
        self.t += 1
        b1, b2 = self.betas
        step_size = self.lr / (1 - b1 ** self.t)
        root_bc2 = math.sqrt(1 - b2 ** self.t)
        for p, m, v in zip(self.params, self._m, self._v):
            g = self._gradient(p)
            m += (1 - b1) * (g - m)
            v *= b2
            v += (1 - b2) * (g * g)
            p.value -= step_size * (m / (np.sqrt(v) / root_bc2 + self.eps))
