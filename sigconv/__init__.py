"""sigconv: time-series signal processing as convolutions over a series."""
from .engine import StreamFilter, choose_method, convolve, correlate, recursive_filter
from .kernels import Kernel

__version__ = "0.1.0"

__all__ = [
    "Kernel",
    "StreamFilter",
    "choose_method",
    "convolve",
    "correlate",
    "recursive_filter",
]
