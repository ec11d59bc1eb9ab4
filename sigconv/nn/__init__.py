"""Learnable 1-D temporal convolutions: layers, losses, optimisers and a forecaster.

A small numpy/numba neural-network toolkit for time series, shaped as
PyTorch's (arrays ``(batch, channels, time)``, ``forward``/``backward``
per layer, ``state_dict`` names), with the convolutions in numba kernels.
Nothing is compiled at import.

Examples
--------
>>> import numpy as np
>>> from sigconv import nn
>>> model = nn.TCN([1, 8, 8], kernel_size=3, seed=0)
>>> opt = nn.Adam(model, lr=1e-2)
>>> x = np.random.default_rng(0).normal(size=(16, 1, 64))
>>> losses = []
>>> for _ in range(20):
...     opt.zero_grad()
...     y = model(x)
...     value, grad = nn.mse(y[:, -1:, :-1], x[:, :, 1:])      # predict the next value
...     full = np.zeros_like(y)
...     full[:, -1:, :-1] = grad
...     _ = model.backward(full)
...     opt.step()
...     losses.append(value)
>>> bool(losses[-1] < losses[0])
True
"""
from .forecaster import ConvForecaster, kernel_as_ar
from .layers import (
    GELU,
    TCN,
    Conv1d,
    Dropout,
    Linear,
    Module,
    Parameter,
    ReLU,
    Residual,
    Sequential,
    Tanh,
)
from .losses import mae, mse, quantile
from .optim import SGD, Adam

__all__ = [
    "GELU",
    "SGD",
    "TCN",
    "Adam",
    "Conv1d",
    "ConvForecaster",
    "Dropout",
    "Linear",
    "Module",
    "Parameter",
    "ReLU",
    "Residual",
    "Sequential",
    "Tanh",
    "kernel_as_ar",
    "mae",
    "mse",
    "quantile",
]
