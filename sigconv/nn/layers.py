"""Layers of a small temporal convolutional network, with their gradients.

Arrays are shaped (batch, channels, time) as in PyTorch; :class:`Linear`
acts on the last axis.  Every layer has ``forward(x)`` (also ``layer(x)``),
which keeps what the gradient needs, and ``backward(grad_out)``, which
returns the gradient with respect to the input and adds the gradients with
respect to the layer's parameters to their ``grad``.  The convolution runs in
numba kernels (:mod:`sigconv._core.conv1d`); the rest is numpy.

Nothing here is compiled at import: the kernels load at the first forward.
"""
from __future__ import annotations

import importlib
import itertools
import math
import numbers

import numpy as np

from .. import _validate as V

__all__ = ["GELU", "TCN", "Conv1d", "Dropout", "Linear", "Module", "Parameter", "ReLU",
           "Residual", "Sequential", "Tanh"]

_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _kernels():
    """The kernel module, looked up at call time (tests replace its functions)."""
    return importlib.import_module("sigconv._core.conv1d")


def _layer_dtype(dtype, owner):
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt not in _DTYPES:      # (np.dtype("float64") == None is True)
        raise TypeError(f"{owner}: dtype must be float32 or float64; got {dtype!r}")
    return dt


def _float_array(x, owner, name="x", dtype=None):
    """``x`` as a C-contiguous float array: in ``dtype`` if given, else in
    its own float dtype (integers and booleans become float64).  ``owner``
    (a layer, or its name) prefixes the error message."""
    a = np.asarray(x)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{owner!s}: {name} must be a real numeric array; got dtype {a.dtype}")
    if dtype is None:
        dtype = np.float32 if a.dtype == np.float32 else np.float64
    return np.asarray(a, dtype=dtype, order="C")      # (ascontiguousarray makes 0-d 1-d)


def _check_seed(seed, owner):
    if seed is None or isinstance(seed, (np.random.SeedSequence, np.random.Generator)):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return int(seed)
    raise TypeError(f"{owner}: seed must be a non-negative integer, a numpy SeedSequence or "
                    f"Generator, or None; got {seed!r}")


class Parameter:
    """A trainable array and its gradient.

    Parameters
    ----------
    name : str
        Its name within its layer (``"weight"``, ``"bias"``).
    value : ndarray
        The values.  Optimisers update it in place; it is never rebound.

    Attributes
    ----------
    grad : ndarray, same shape and dtype as ``value``
        The gradient, accumulated (``+=``) by ``backward`` until
        ``zero_grad``.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Parameter
    >>> p = Parameter("weight", np.ones(3))
    >>> p
    Parameter('weight', shape=(3,), dtype=float64)
    >>> p.grad
    array([0., 0., 0.])
    """

    __slots__ = ("grad", "name", "value")

    def __init__(self, name, value):
        self.name = str(name)
        self.value = value
        self.grad = np.zeros_like(value)

    def __repr__(self):
        return f"Parameter({self.name!r}, shape={self.value.shape}, dtype={self.value.dtype})"


class Module:
    """Base class of the layers.

    Subclasses implement :meth:`forward` and :meth:`backward`, and list their
    own parameters and child layers; the rest (parameters, gradients,
    training mode, state dicts) is here.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Conv1d, ReLU, Sequential
    >>> model = Sequential(Conv1d(1, 2, 3, seed=0), ReLU())
    >>> sorted(model.state_dict())
    ['0.bias', '0.weight']
    >>> [p.name for p in model.parameters()]
    ['weight', 'bias']
    >>> model.eval().training
    False
    """

    def __init__(self):
        self.training = True

    # -- to be provided by subclasses
    def forward(self, x):
        """The output for input ``x``; keeps what :meth:`backward` needs.

        Calling the layer, ``layer(x)``, is ``layer.forward(x)``.

        Parameters
        ----------
        x : ndarray
            For the convolutions, shape (batch, channels, time).

        Returns
        -------
        ndarray

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import ReLU
        >>> ReLU().forward(np.array([[[-1.0, 0.5, 2.0]]]))
        array([[[0. , 0.5, 2. ]]])
        """
        raise NotImplementedError

    def backward(self, grad_out):
        """Gradient with respect to the input of the last :meth:`forward`, given
        the gradient ``grad_out`` with respect to its output; adds the
        parameters' gradients to their ``grad``.

        Parameters
        ----------
        grad_out : ndarray, the shape of the last output

        Returns
        -------
        ndarray, the shape of the last input

        Raises
        ------
        ValueError
            Called before :meth:`forward`, or ``grad_out`` of the wrong shape.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Conv1d
        >>> conv = Conv1d(1, 1, 2, seed=0)
        >>> x = np.random.default_rng(0).normal(size=(1, 1, 5))
        >>> y = conv.forward(x)
        >>> grad_x = conv.backward(np.ones_like(y))          # of sum(y)
        >>> np.allclose(conv.bias_grad, y.size)               # d sum(y) / d bias
        True
        >>> np.allclose(grad_x[0, 0, :-1], conv.weight.sum())  # each x feeds both taps
        True
        """
        raise NotImplementedError

    def _own_parameters(self):
        return []

    def _children(self):
        return []

    # -- shared
    def __call__(self, x):
        return self.forward(x)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def named_parameters(self, prefix=""):
        """``[(dotted name, Parameter), ...]``: own parameters, then the
        children's in order (each parameter once).

        Parameters
        ----------
        prefix : str
            Put before every name.

        Returns
        -------
        list of (str, Parameter)

        Examples
        --------
        >>> from sigconv.nn import Conv1d, ReLU, Sequential
        >>> model = Sequential(Conv1d(1, 2, 3, seed=0), ReLU())
        >>> [(name, p.value.shape) for name, p in model.named_parameters()]
        [('0.weight', (2, 1, 3)), ('0.bias', (2,))]
        >>> [name for name, _ in model.named_parameters("net.")]
        ['net.0.weight', 'net.0.bias']
        """
        out, seen = [], set()
        self._collect(prefix, out, seen)
        return out

    def _collect(self, prefix, out, seen):
        for p in self._own_parameters():
            if id(p) not in seen:
                seen.add(id(p))
                out.append((prefix + p.name, p))
        for name, child in self._children():
            child._collect(f"{prefix}{name}.", out, seen)

    def parameters(self):
        """The trainable parameters (own, then the children's, in order).

        Returns
        -------
        list of Parameter

        Examples
        --------
        >>> from sigconv.nn import Conv1d, ReLU, Sequential
        >>> model = Sequential(Conv1d(1, 2, 3, seed=0), ReLU())
        >>> model.parameters()[0]
        Parameter('weight', shape=(2, 1, 3), dtype=float64)
        >>> [p.name for p in model.parameters()]
        ['weight', 'bias']
        """
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Set every parameter's gradient to zero.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Conv1d
        >>> conv = Conv1d(1, 1, 3, seed=0)
        >>> y = conv(np.ones((1, 1, 5)))
        >>> _ = conv.backward(np.ones_like(y))
        >>> conv.bias_grad
        array([5.])
        >>> conv.zero_grad()
        >>> conv.bias_grad
        array([0.])
        """
        for p in self.parameters():
            p.grad.fill(0)

    def train(self, mode=True):
        """Training mode (dropout active) for this layer and its children; returns self.

        Parameters
        ----------
        mode : bool
            False is evaluation mode (:meth:`eval`).

        Examples
        --------
        >>> from sigconv.nn import Dropout, ReLU, Sequential
        >>> model = Sequential(ReLU(), Dropout(0.5, seed=0))
        >>> model.train(False)[1].training
        False
        >>> model.train()[1].training
        True
        """
        self.training = V.check_flag(mode, "mode")
        for _, child in self._children():
            child.train(mode)
        return self

    def eval(self):
        """Evaluation mode (dropout off); returns self.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Dropout
        >>> drop = Dropout(0.5, seed=0).eval()
        >>> drop.training
        False
        >>> x = np.ones((1, 1, 4))
        >>> np.array_equal(drop(x), x)                 # the identity when evaluating
        True
        """
        return self.train(False)

    def state_dict(self):
        """``{dotted name: copy of the values}``, e.g. ``{"0.weight": ..., "0.bias": ...}``.

        Returns
        -------
        dict of str to ndarray

        Examples
        --------
        >>> from sigconv.nn import Conv1d, ReLU, Sequential
        >>> state = Sequential(Conv1d(1, 2, 3, seed=0), ReLU()).state_dict()
        >>> {name: value.shape for name, value in state.items()}
        {'0.weight': (2, 1, 3), '0.bias': (2,)}
        """
        return {name: p.value.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy the values of ``state`` (as from :meth:`state_dict`, or a PyTorch
        model with the same layout) into the parameters, in place.

        Parameters
        ----------
        state : mapping of str to array_like
            Exactly the names of :meth:`named_parameters`.

        Raises
        ------
        ValueError
            A missing or unexpected name, or an array of the wrong shape.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Conv1d
        >>> a, b = Conv1d(1, 2, 3, seed=0), Conv1d(1, 2, 3, seed=1)
        >>> b.load_state_dict(a.state_dict())
        >>> np.array_equal(a.weight, b.weight)
        True
        """
        params = dict(self.named_parameters())
        missing = [k for k in params if k not in state]
        unexpected = [k for k in state if k not in params]
        if missing or unexpected:
            raise ValueError(f"{self!r}: load_state_dict needs exactly the names "
                             f"{list(params)}; missing {missing}, unexpected {unexpected}")
        for name, p in params.items():
            value = np.asarray(state[name])
            if value.shape != p.value.shape:
                raise ValueError(f"{self!r}: state[{name!r}] must have shape {p.value.shape}; "
                                 f"got {value.shape}")
            p.value[...] = value

    def _saved(self, attr):
        value = getattr(self, attr, None)
        if value is None:
            raise ValueError(f"{self!r}: backward called before forward")
        return value

    def _check_grad(self, grad_out, shape, dtype):
        g = _float_array(grad_out, self, "grad_out", dtype)
        if g.shape != shape:
            raise ValueError(f"{self!r}: grad_out must have the output's shape {shape}; "
                             f"got {g.shape}")
        return g


# ---------------------------------------------------------------- convolution
class Conv1d(Module):
    """1-D convolution over time, causal by default.

    Parameters
    ----------
    in_channels, out_channels : int >= 1
        Channels of the input and the output; both divisible by ``groups``.
    kernel_size : int >= 1
        Taps K.
    dilation : int >= 1
        Spacing of the taps in time.
    causal : bool
        True: ``(K - 1) * dilation`` zeros are padded on the left, so
        ``out[..., t]`` depends on ``x[..., :t + 1]`` only.  False: the same
        number, half (rounded down) on the left and the rest on the right.
        Either way the output is as long as the input.
    bias : bool
        Add a learned constant per output channel.
    groups : int >= 1
        Output channels ``g * out_channels/groups ...`` see input channels
        ``g * in_channels/groups ...`` only.
    seed : int, numpy SeedSequence or Generator, optional
        Seed of the initial values: weight, then bias, uniform on
        ``(-b, b)``, ``b = 1 / sqrt(in_channels/groups * K)``, as PyTorch.
    dtype : {float32, float64}
        Dtype of the parameters and of the computation; the input is cast to it.

    Attributes
    ----------
    weight : ndarray, shape (out_channels, in_channels/groups, K)
    bias : ndarray, shape (out_channels,), or None
    weight_grad, bias_grad : ndarray or None
        Their accumulated gradients.
    receptive_field : int
        ``(K - 1) * dilation + 1``.

    Notes
    -----
    The output is the cross-correlation of ``torch.nn.functional.conv1d``
    applied to the zero-padded input::

        out[b, o, t] = bias[o] + sum_{c, k} weight[o, c, k] * xpad[b, c', t + k * dilation]

    (``c'`` the c-th input channel of o's group).  Forward, input gradient
    and weight gradient are numba kernels, parallel over batch rows and
    blocks of time, register-blocked over four output channels and four
    taps; each costs ``2 B T C_out C_in/groups K`` flops.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Conv1d
    >>> conv = Conv1d(1, 1, 3, bias=False, seed=0)
    >>> conv.weight[...] = [0.25, 0.5, 1.0]          # out[t] = x[t] + x[t-1]/2 + x[t-2]/4
    >>> y = conv(np.array([[[1.0, 0.0, 0.0, 2.0]]]))
    >>> y
    array([[[1.  , 0.5 , 0.25, 2.  ]]])
    >>> conv.backward(np.ones_like(y))                 # d sum(y) / dx
    array([[[1.75, 1.75, 1.5 , 1.  ]]])
    >>> conv.weight_grad                              # sum_t x[t - 2 + k]
    array([[[1., 1., 3.]]])
    """

    def __init__(self, in_channels, out_channels, kernel_size, dilation=1, causal=True,
                 bias=True, groups=1, *, seed=None, dtype=np.float64):
        super().__init__()
        self.in_channels = V.check_int(in_channels, "in_channels")
        self.out_channels = V.check_int(out_channels, "out_channels")
        self.kernel_size = V.check_int(kernel_size, "kernel_size")
        self.dilation = V.check_int(dilation, "dilation")
        self.groups = V.check_int(groups, "groups")
        self.causal = V.check_flag(causal, "causal")
        has_bias = V.check_flag(bias, "bias")
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(f"in_channels ({self.in_channels}) and out_channels "
                             f"({self.out_channels}) must be divisible by groups "
                             f"({self.groups})")
        self.dtype = _layer_dtype(dtype, repr(self))
        rng = np.random.default_rng(_check_seed(seed, repr(self)))
        c_in_g = self.in_channels // self.groups
        bound = 1.0 / math.sqrt(c_in_g * self.kernel_size)
        shape = (self.out_channels, c_in_g, self.kernel_size)
        self._weight = Parameter("weight", rng.uniform(-bound, bound, shape).astype(self.dtype))
        self._bias = (Parameter("bias", rng.uniform(-bound, bound, self.out_channels)
                                .astype(self.dtype)) if has_bias else None)
        self._empty = np.empty(0, self.dtype)
        pad = (self.kernel_size - 1) * self.dilation
        self.pad_left = pad if self.causal else pad // 2
        self._x = None

    def __repr__(self):
        extra = "".join(f", {k}={v}" for k, v, default in (
            ("dilation", self.dilation, 1), ("causal", self.causal, True),
            ("bias", getattr(self, "_bias", True) is not None, True),
            ("groups", self.groups, 1)) if v != default)
        return f"Conv1d({self.in_channels}, {self.out_channels}, " \
               f"kernel_size={self.kernel_size}{extra})"

    def _own_parameters(self):
        return [self._weight] + ([self._bias] if self._bias is not None else [])

    @property
    def receptive_field(self):
        """Time steps an output sees: ``(kernel_size - 1) * dilation + 1``.

        Examples
        --------
        >>> from sigconv.nn import Conv1d
        >>> Conv1d(1, 1, 5, dilation=2).receptive_field
        9
        """
        return (self.kernel_size - 1) * self.dilation + 1

    @property
    def weight(self):
        """The weights, shape (out_channels, in_channels/groups, kernel_size);
        assigning copies the new values in.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Conv1d
        >>> conv = Conv1d(2, 3, 5, seed=0)
        >>> conv.weight.shape
        (3, 2, 5)
        >>> conv.weight = np.zeros((3, 2, 5))
        >>> float(np.abs(conv.weight).sum())
        0.0
        """
        return self._weight.value

    @weight.setter
    def weight(self, value):
        self.load_state_dict({**self.state_dict(), "weight": value})

    @property
    def bias(self):
        """The bias, shape (out_channels,), or None without one; assigning copies
        the new values in.

        Examples
        --------
        >>> from sigconv.nn import Conv1d
        >>> conv = Conv1d(1, 2, 3, seed=0)
        >>> conv.bias = [1.0, -1.0]
        >>> conv.bias
        array([ 1., -1.])
        >>> Conv1d(1, 2, 3, bias=False).bias is None
        True
        """
        return None if self._bias is None else self._bias.value

    @bias.setter
    def bias(self, value):
        if self._bias is None:
            raise ValueError(f"{self!r} has no bias")
        self.load_state_dict({**self.state_dict(), "bias": value})

    @property
    def weight_grad(self):
        """The accumulated gradient of the loss with respect to :attr:`weight`.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Conv1d
        >>> conv = Conv1d(1, 1, 2, seed=0)
        >>> y = conv(np.array([[[1.0, 2.0, 3.0]]]))
        >>> conv.backward(np.ones_like(y)).shape
        (1, 1, 3)
        >>> conv.weight_grad                  # tap k: sum_t x[t - 1 + k] (zero padded)
        array([[[3., 6.]]])
        """
        return self._weight.grad

    @property
    def bias_grad(self):
        """The accumulated gradient with respect to :attr:`bias`; None without one.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import Conv1d
        >>> conv = Conv1d(1, 1, 2, seed=0)
        >>> y = conv(np.array([[[1.0, 2.0, 3.0]]]))
        >>> _ = conv.backward(np.ones_like(y))
        >>> conv.bias_grad                                # one per time step
        array([3.])
        """
        return None if self._bias is None else self._bias.grad

    def _check_input(self, x):
        x = _float_array(x, self, "x", self.dtype)
        if x.ndim != 3 or x.shape[1] != self.in_channels:
            raise ValueError(f"{self!r}: x must have shape (batch, {self.in_channels}, time); "
                             f"got {x.shape}")
        if x.shape[2] < 1:
            raise ValueError(f"{self!r}: x must have at least 1 time step; got {x.shape}")
        return x

    def forward(self, x):
        x = self._check_input(x)
        out = np.empty((x.shape[0], self.out_channels, x.shape[2]), self.dtype)
        bias = self._empty if self._bias is None else self._bias.value
        _kernels().conv1d_forward(x, self._weight.value, bias, out, self.dilation,
                                  self.pad_left, self.groups)
        self._x = x
        return out

    def backward(self, grad_out):
        x = self._saved("_x")
        g = self._check_grad(grad_out, (x.shape[0], self.out_channels, x.shape[2]), self.dtype)
        kernels = _kernels()
        grad_x = np.empty_like(x)
        kernels.conv1d_backward_input(g, self._weight.value, grad_x, self.dilation,
                                      self.pad_left, self.groups)
        grad_bias = self._empty if self._bias is None else self._bias.grad
        kernels.conv1d_backward_weight(x, g, self._weight.grad, grad_bias, self.dilation,
                                       self.pad_left, self.groups)
        return grad_x


class Linear(Module):
    """Affine map of the last axis: ``y = x @ weight.T + bias``, as ``torch.nn.Linear``.

    Parameters
    ----------
    in_features, out_features : int >= 1
    bias : bool
    seed : int, numpy SeedSequence or Generator, optional
        Seed of the initial values: weight, then bias, uniform on
        ``(-b, b)``, ``b = 1 / sqrt(in_features)``, as PyTorch.
    dtype : {float32, float64}

    Attributes
    ----------
    weight : ndarray, shape (out_features, in_features)
    bias : ndarray, shape (out_features,), or None
    weight_grad, bias_grad : ndarray or None

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Linear
    >>> lin = Linear(2, 1, seed=0)
    >>> lin.weight[...] = [[1.0, -1.0]]
    >>> lin.bias[...] = 0.5
    >>> lin(np.array([[3.0, 1.0], [0.0, 2.0]]))
    array([[ 2.5],
           [-1.5]])
    >>> lin.backward(np.ones((2, 1)))
    array([[ 1., -1.],
           [ 1., -1.]])
    >>> lin.weight_grad, lin.bias_grad
    (array([[3., 3.]]), array([2.]))
    """

    def __init__(self, in_features, out_features, bias=True, *, seed=None, dtype=np.float64):
        super().__init__()
        self.in_features = V.check_int(in_features, "in_features")
        self.out_features = V.check_int(out_features, "out_features")
        has_bias = V.check_flag(bias, "bias")
        self.dtype = _layer_dtype(dtype, repr(self))
        rng = np.random.default_rng(_check_seed(seed, repr(self)))
        bound = 1.0 / math.sqrt(self.in_features)
        self._weight = Parameter("weight", rng.uniform(
            -bound, bound, (self.out_features, self.in_features)).astype(self.dtype))
        self._bias = (Parameter("bias", rng.uniform(-bound, bound, self.out_features)
                                .astype(self.dtype)) if has_bias else None)
        self._x = None

    def __repr__(self):
        extra = "" if getattr(self, "_bias", True) is not None else ", bias=False"
        return f"Linear({self.in_features}, {self.out_features}{extra})"

    def _own_parameters(self):
        return [self._weight] + ([self._bias] if self._bias is not None else [])

    weight = Conv1d.weight
    bias = Conv1d.bias
    weight_grad = Conv1d.weight_grad
    bias_grad = Conv1d.bias_grad

    def forward(self, x):
        x = _float_array(x, self, "x", self.dtype)
        if x.ndim < 1 or x.shape[-1] != self.in_features:
            raise ValueError(f"{self!r}: x must have shape (..., {self.in_features}); "
                             f"got {x.shape}")
        y = x @ self._weight.value.T
        if self._bias is not None:
            y += self._bias.value
        self._x = x
        return y

    def backward(self, grad_out):
        x = self._saved("_x")
        g = self._check_grad(grad_out, x.shape[:-1] + (self.out_features,), self.dtype)
        g2 = g.reshape(-1, self.out_features)
        self._weight.grad += g2.T @ x.reshape(-1, self.in_features)
        if self._bias is not None:
            self._bias.grad += g2.sum(axis=0)
        return g @ self._weight.value


# ---------------------------------------------------------------- elementwise
class ReLU(Module):
    """``max(x, 0)`` elementwise (gradient 0 at 0; NaN stays NaN).

    A numba kernel, parallel for large arrays (elementwise work is memory
    bound: two threads fetch more than one).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import ReLU
    >>> relu = ReLU()
    >>> relu(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.])
    >>> relu.backward(np.array([5.0, 5.0, 5.0]))
    array([0., 0., 5.])
    """

    def __init__(self):
        super().__init__()
        self._y = None

    def forward(self, x):
        x = _float_array(x, self)
        y = np.empty_like(x)
        flat = x.reshape(-1)
        _kernels().relu(flat, flat[:0], y.reshape(-1))
        self._y = y
        return y

    def backward(self, grad_out):
        y = self._saved("_y")
        g = self._check_grad(grad_out, y.shape, y.dtype)
        grad_x = np.empty_like(y)
        _kernels().relu(y.reshape(-1), g.reshape(-1), grad_x.reshape(-1))
        return grad_x


class Tanh(Module):
    """``tanh(x)`` elementwise.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Tanh
    >>> tanh = Tanh()
    >>> tanh(np.array([0.0, 1.0])).round(4)
    array([0.    , 0.7616])
    >>> tanh.backward(np.ones(2)).round(4)
    array([1.  , 0.42])
    """

    def __init__(self):
        super().__init__()
        self._y = None

    def forward(self, x):
        x = _float_array(x, self)
        self._y = np.tanh(x)
        return self._y

    def backward(self, grad_out):
        y = self._saved("_y")
        g = self._check_grad(grad_out, y.shape, y.dtype)
        return g * (1 - y * y)


class GELU(Module):
    """Gaussian error linear unit, exact form (PyTorch's default):
    ``x * Phi(x)``, ``Phi`` the standard normal distribution function.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import GELU
    >>> gelu = GELU()
    >>> gelu(np.array([-1.0, 0.0, 1.0])).round(4)
    array([-0.1587,  0.    ,  0.8413])
    >>> gelu.backward(np.ones(3)).round(4)
    array([-0.0833,  0.5   ,  1.0833])
    """

    def __init__(self):
        super().__init__()
        self._x = self._cdf = None

    def forward(self, x):
        from scipy.special import erf

        x = _float_array(x, self)
        self._cdf = 0.5 * (1 + erf(x * (1 / math.sqrt(2))))
        self._x = x
        return x * self._cdf

    def backward(self, grad_out):
        x = self._saved("_x")
        g = self._check_grad(grad_out, x.shape, x.dtype)
        pdf = np.exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi))
        return g * (self._cdf + x * pdf)


class Dropout(Module):
    """Inverted dropout: in training mode each element is zeroed with
    probability ``p`` and the others scaled by ``1 / (1 - p)``; the identity
    in evaluation mode (and for ``p = 0``).

    Parameters
    ----------
    p : float in [0, 1]
    seed : int, numpy SeedSequence or Generator, optional
        Seed of the masks.

    Attributes
    ----------
    mask : ndarray of bool or None
        The elements kept by the last training-mode forward.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Dropout
    >>> drop = Dropout(0.5, seed=0)
    >>> y = drop(np.ones(8))
    >>> sorted(set(y.tolist()))            # zeros, and the rest doubled
    [0.0, 2.0]
    >>> bool((drop.backward(np.ones(8)) == y).all())
    True
    >>> drop.eval()(np.ones(3))
    array([1., 1., 1.])
    """

    def __init__(self, p=0.5, *, seed=None):
        super().__init__()
        self.p = V.check_real(p, "p", 0.0, 1.0, closed="both")
        self._rng = np.random.default_rng(_check_seed(seed, repr(self)))
        self.mask = None
        self._scale = None
        self._out = None            # (shape, dtype) of the last output

    def __repr__(self):
        return f"Dropout(p={self.p:g})"

    def forward(self, x):
        x = _float_array(x, self)
        self._out = (x.shape, x.dtype)
        if not self.training or self.p == 0:
            self.mask = self._scale = None
            return x
        self.mask = self._rng.random(x.shape) >= self.p
        factor = 0.0 if self.p == 1 else 1.0 / (1.0 - self.p)
        self._scale = (self.mask * factor).astype(x.dtype)
        return x * self._scale

    def backward(self, grad_out):
        g = self._check_grad(grad_out, *self._saved("_out"))
        return g if self._scale is None else g * self._scale


# ---------------------------------------------------------------- containers
def _check_module(layer, owner):
    if not isinstance(layer, Module):
        raise TypeError(f"{owner}: every layer must be a sigconv.nn Module; got {layer!r}")
    return layer


class Sequential(Module):
    """Layers applied one after the other; indexable, ``len`` is their number.

    Parameters are named by position: ``"0.weight"``, ``"2.bias"``, ...

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Conv1d, ReLU, Sequential
    >>> model = Sequential(Conv1d(1, 4, 3, seed=0), ReLU(), Conv1d(4, 1, 1, seed=1))
    >>> len(model), model[1]
    (3, ReLU())
    >>> y = model(np.ones((2, 1, 10)))
    >>> y.shape
    (2, 1, 10)
    >>> model.backward(np.ones_like(y)).shape
    (2, 1, 10)
    """

    def __init__(self, *layers):
        super().__init__()
        self.layers = [_check_module(layer, "Sequential") for layer in layers]

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(repr(layer) for layer in self.layers)})"

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        return self.layers[i]

    def __iter__(self):
        return iter(self.layers)

    def _children(self):
        return [(str(i), layer) for i, layer in enumerate(self.layers)]

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_out):
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out


class Residual(Module):
    """``block(x) + skip(x)``, or ``block(x) + x`` without ``skip``.

    Parameters are named ``"block.<name>"`` and ``"skip.<name>"``.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Conv1d, Residual, Tanh
    >>> res = Residual(Tanh())
    >>> res(np.array([[[0.0, 1.0]]])).round(4)
    array([[[0.    , 1.7616]]])
    >>> res.backward(np.ones((1, 1, 2))).round(4)
    array([[[2.  , 1.42]]])
    >>> Residual(Conv1d(1, 2, 3, seed=0), skip=Conv1d(1, 2, 1, seed=1))(np.ones((1, 1, 5))).shape
    (1, 2, 5)
    """

    def __init__(self, block, skip=None):
        super().__init__()
        self.block = _check_module(block, "Residual")
        self.skip = None if skip is None else _check_module(skip, "Residual")
        self._out = None            # (shape, dtype) of the last output

    def __repr__(self):
        skip = "" if self.skip is None else f", skip={self.skip!r}"
        return f"Residual({self.block!r}{skip})"

    def _children(self):
        return [("block", self.block)] + ([("skip", self.skip)] if self.skip is not None else [])

    def forward(self, x):
        h = self.block.forward(x)
        s = _float_array(x, self) if self.skip is None else self.skip.forward(x)
        if h.shape != s.shape:
            raise ValueError(f"{self!r}: the block's output shape {h.shape} differs from the "
                             f"skip path's {s.shape}")
        y = h + s
        self._out = (y.shape, y.dtype)
        return y

    def backward(self, grad_out):
        g = self._check_grad(grad_out, *self._saved("_out"))
        grad_x = self.block.backward(g)
        return grad_x + (g if self.skip is None else self.skip.backward(g))


class TCN(Sequential):
    """Temporal convolutional network: a stack of causal residual blocks.

    One block per consecutive pair ``(c_in, c_out)`` of ``channels``, with
    dilation ``d``::

        Residual(Sequential(Conv1d(c_in, c_out, K, d), ReLU(), Dropout(dropout),
                            Conv1d(c_out, c_out, K, d), ReLU(), Dropout(dropout)),
                 skip=Conv1d(c_in, c_out, 1) if c_in != c_out else None)

    Parameters
    ----------
    channels : sequence of int >= 1, length >= 2
        ``[in_channels, hidden_1, hidden_2, ...]``; the output has the last.
    kernel_size : int >= 1
    dilations : sequence of int >= 1, optional
        One per block; default ``1, 2, 4, ...``.
    dropout : float in [0, 1)
    seed : int, numpy SeedSequence or Generator, optional
        Each layer's seed is spawned from it (``numpy.random.SeedSequence``).
    dtype : {float32, float64}

    Attributes
    ----------
    receptive_field : int
        Time steps an output sees: ``1 + sum over the convolutions of (K - 1) d``.

    Notes
    -----
    A TCN is a :class:`Sequential` of :class:`Residual` blocks, so its
    parameters are named ``"0.block.0.weight"``, ``"0.skip.weight"``,
    ``"1.block.3.bias"``, ... as in an equivalent PyTorch model.  See Bai,
    Kolter and Koltun (2018), "An empirical evaluation of generic
    convolutional and recurrent networks for sequence modeling".

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import TCN
    >>> tcn = TCN([1, 8, 8], kernel_size=3, seed=0)
    >>> tcn.receptive_field                   # 1 + 2*2*1 + 2*2*2
    13
    >>> y = tcn(np.random.default_rng(0).normal(size=(4, 1, 50)))
    >>> y.shape
    (4, 8, 50)
    >>> tcn.backward(np.ones_like(y)).shape
    (4, 1, 50)
    """

    def __init__(self, channels, kernel_size=3, dilations=None, dropout=0.0, *, seed=None,
                 dtype=np.float64):
        if isinstance(channels, (str, bytes)) or not hasattr(channels, "__len__") \
                or len(channels) < 2:
            raise ValueError(f"channels must be a sequence of at least 2 channel counts "
                             f"[in, hidden, ...]; got {channels!r}")
        channels = [V.check_int(c, "channels[i]") for c in channels]
        kernel_size = V.check_int(kernel_size, "kernel_size")
        n = len(channels) - 1
        if dilations is None:
            dilations = [2 ** i for i in range(n)]
        elif isinstance(dilations, (str, bytes)) or not hasattr(dilations, "__len__") \
                or len(dilations) != n:
            raise ValueError(f"dilations must be a sequence of {n} integers, one per block; "
                             f"got {dilations!r}")
        dilations = [V.check_int(d, "dilations[i]") for d in dilations]
        dropout = V.check_real(dropout, "dropout", 0.0, 1.0, closed="low")
        dtype = _layer_dtype(dtype, "TCN")
        seeds = np.random.SeedSequence(_check_seed(seed, "TCN")).spawn(n)
        blocks = []
        for (c_in, c_out), d, ss in zip(itertools.pairwise(channels), dilations, seeds):
            s = ss.spawn(5)
            block = Sequential(
                Conv1d(c_in, c_out, kernel_size, d, seed=s[0], dtype=dtype), ReLU(),
                Dropout(dropout, seed=s[3]),
                Conv1d(c_out, c_out, kernel_size, d, seed=s[1], dtype=dtype), ReLU(),
                Dropout(dropout, seed=s[4]))
            skip = Conv1d(c_in, c_out, 1, seed=s[2], dtype=dtype) if c_in != c_out else None
            blocks.append(Residual(block, skip))
        super().__init__(*blocks)
        self.channels = channels
        self.kernel_size = kernel_size
        self.dilations = dilations
        self.dropout = dropout
        self.dtype = dtype

    def __repr__(self):
        return (f"TCN({self.channels}, kernel_size={self.kernel_size}, "
                f"dilations={self.dilations})")

    @property
    def receptive_field(self):
        """Time steps an output sees: ``1 + 2 (kernel_size - 1) sum(dilations)``.

        Examples
        --------
        >>> from sigconv.nn import TCN
        >>> TCN([1, 4, 4, 4], kernel_size=2, seed=0).receptive_field    # 1 + 2*(1+2+4)
        15
        """
        return 1 + 2 * (self.kernel_size - 1) * sum(self.dilations)

    def forward(self, x):
        a = np.asarray(x)
        if a.ndim != 3 or a.shape[1] != self.channels[0]:
            raise ValueError(f"{self!r}: x must have shape (batch, {self.channels[0]}, time); "
                             f"got {a.shape}")
        return super().forward(a)
