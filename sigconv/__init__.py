"""sigconv: time-series signal processing as convolutions over a series."""
from . import ar, arima, datasets, diffusion, kernels, match, nn, smooth, spectral
from ._pandas_hook import register_when_pandas_is_imported
from .acf import acf, acovf, ccf, pacf
from .ar import ARPanelResult, ARResult, fit_ar
from .arima import ARIMA, ARIMAPanelResult, ARIMAResult
from .diffusion import diffuse, heat_kernel, propagator, stochastic_convolve
from .engine import StreamFilter, choose_method, convolve, correlate, recursive_filter
from .kernels import Kernel
from .match import StreamMatcher, distance_profile, find_matches, lag, match_many, ncc
from .smooth import decompose, ema, gaussian_smooth, moving_average, savgol_smooth
from .spectral import fft_filter, frequency_response, periodogram

__version__ = "0.1.0"

# The ``.sigconv`` accessor on Series and DataFrames (sigconv/pandas.py),
# registered now if pandas is imported, else when it is: never imports pandas.
register_when_pandas_is_imported()
del register_when_pandas_is_imported

__all__ = [
    "ARIMA",
    "ARIMAPanelResult",
    "ARIMAResult",
    "ARPanelResult",
    "ARResult",
    "Kernel",
    "StreamFilter",
    "StreamMatcher",
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
    "distance_profile",
    "ema",
    "fft_filter",
    "find_matches",
    "fit_ar",
    "frequency_response",
    "gaussian_smooth",
    "heat_kernel",
    "kernels",
    "lag",
    "match",
    "match_many",
    "moving_average",
    "ncc",
    "nn",
    "pacf",
    "periodogram",
    "propagator",
    "recursive_filter",
    "savgol_smooth",
    "smooth",
    "spectral",
    "stochastic_convolve",
]
