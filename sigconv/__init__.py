"""sigconv: time-series signal processing as convolutions over a series."""
from . import ar, arima, datasets, diffusion, kernels, smooth, spectral
from .acf import acf, acovf, ccf, pacf
from .ar import ARPanelResult, ARResult, fit_ar
from .arima import ARIMA, ARIMAPanelResult, ARIMAResult
from .diffusion import diffuse, heat_kernel, propagator, stochastic_convolve
from .engine import StreamFilter, choose_method, convolve, correlate, recursive_filter
from .kernels import Kernel
from .smooth import decompose, ema, gaussian_smooth, moving_average, savgol_smooth
from .spectral import fft_filter, frequency_response, periodogram

__version__ = "0.1.0"

__all__ = [
    "ARIMA",
    "ARIMAPanelResult",
    "ARIMAResult",
    "ARPanelResult",
    "ARResult",
    "Kernel",
    "StreamFilter",
    "acf",
    "acovf",
    "ar",
    "arima",
    "ccf",
    "choose_method",
    "convolve",
    "correlate",
    "datasets",
    "decompose",
    "diffuse",
    "diffusion",
    "ema",
    "fft_filter",
    "fit_ar",
    "frequency_response",
    "gaussian_smooth",
    "heat_kernel",
    "kernels",
    "moving_average",
    "pacf",
    "periodogram",
    "propagator",
    "recursive_filter",
    "savgol_smooth",
    "smooth",
    "spectral",
    "stochastic_convolve",
]
