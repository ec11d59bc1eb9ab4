"""sigconv on Dask: long series as chunked ``dask.array``s, panels of many series
as ``dask.dataframe``s, audio libraries on a ``distributed`` cluster (the
``dask`` extra).

The public functions of sigconv accept a ``dask.array`` directly (time on the
chunked axis) and return one: ``sigconv.convolve(darr, kernel)`` is lazy and
equals the in-memory result.  This package holds the Dask implementations
(:mod:`sigconv.dask.arrays`) and the panel fits (:mod:`sigconv.dask.panels`).
Importing :mod:`sigconv` never imports dask.
"""
from __future__ import annotations

__all__ = ["PartitionError", "compute_partitions", "fit_many"]

# The Dask implementations of the array functions (sigconv.dask.arrays), by name.
_ARRAY_NAMES = ("convolve", "correlate", "distance_profile", "ema", "find_matches",
                "gaussian_smooth", "moving_average", "ncc", "recursive_filter", "savgol_smooth")


def __getattr__(name):
    # Imported on first use, so ``import sigconv.dask`` stays cheap.
    if name in ("fit_many", "compute_partitions", "PartitionError"):
        from . import panels

        return getattr(panels, name)
    if name in _ARRAY_NAMES:
        from . import arrays

        return getattr(arrays, name)
    raise AttributeError(f"module 'sigconv.dask' has no attribute {name!r}")
