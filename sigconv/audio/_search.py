"""Multi-channel cross-correlation of a query's features with a library's.

``dots[t] = sum_k sum_b F[t + k, b] Q[k, b]`` for every start ``t``: one
correlation per band, summed.  By overlap-save over blocks of frames, the
sum over bands taken in the frequency domain (linearity), so each query
costs one inverse transform per block however many bands there are; the
library's block spectra are computed once per call and shared by every
query (the speed-corrected versions of one snippet).
"""
from __future__ import annotations

import os

import numpy as np

_CHUNK_BYTES = 1 << 25       # block spectra held at once


def block_length(longest):
    """Transform length for queries of up to ``longest`` frames."""
    from scipy.fft import next_fast_len

    return next_fast_len(max(8 * longest, 1024), real=True)


def correlate_bands(library, queries):
    """``[dots_j]`` for each query ``Q_j`` (shape (L_j, B)) against ``library``
    (shape (T, B)): ``dots_j[t] = sum_k sum_b library[t + k, b] Q_j[k, b]``,
    length ``T - L_j + 1`` (float64)."""
    T, B = library.shape
    longest = max(q.shape[0] for q in queries)
    shortest = min(q.shape[0] for q in queries)
    size = block_length(longest)
    step = size - longest + 1
    n_out = T - shortest + 1
    n_blocks = -(-n_out // step)
    half = size // 2 + 1
    from scipy import fft

    from .._core.bands import sum_band_products

    workers = os.cpu_count() or 1
    # Single-precision transforms (scipy.fft keeps float32; numpy.fft would not):
    # the features are float16 in the index, so float32 loses nothing.
    spectra = np.stack([np.conj(fft.rfft(q.astype(np.float32), size, axis=0)).T
                        for q in queries])                           # (S, B, half)
    outs = [np.empty(T - q.shape[0] + 1) for q in queries]
    per_chunk = max(1, _CHUNK_BYTES // (B * half * 8))
    for first in range(0, n_blocks, per_chunk):
        count = min(per_chunk, n_blocks - first)
        start = first * step
        segment = np.zeros(((count - 1) * step + size, B), dtype=np.float32)
        stop = min(start + segment.shape[0], T)
        segment[:stop - start] = library[start:stop]
        blocks = np.lib.stride_tricks.as_strided(
            segment, (count, B, size),
            (step * segment.strides[0], segment.strides[1], segment.strides[0]))
        spectrum = fft.rfft(blocks, axis=-1, workers=workers)          # (count, B, half)
        summed = sum_band_products(spectrum, spectra, np.empty(
            (len(queries), count, half), dtype=np.complex64))
        for out, query_sum in zip(outs, summed):
            y = fft.irfft(query_sum, size, axis=-1, workers=workers)
            hi = max(start, min(start + count * step, out.size))
            full = (hi - start) // step
            out[start:start + full * step] = y[:full, :step].reshape(-1)
            out[start + full * step:hi] = y[full:full + 1, :hi - start - full * step].reshape(-1)
    return outs


def cumulative_energy(library):
    """``[0, e_0, e_0 + e_1, ...]`` of the frames' squared norms ``e_t`` (float64)."""
    energy = np.einsum("tb,tb->t", library, library, dtype=np.float64)
    return np.concatenate([[0.0], np.cumsum(energy)])


def window_norms(cumulative, length):
    """Norm of every ``length``-frame window, from :func:`cumulative_energy`."""
    return np.sqrt(np.clip(cumulative[length:] - cumulative[:-length], 0.0, None))
