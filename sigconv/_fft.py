"""Convolution by the convolution theorem, on scipy.fft (not numba: pocketfft
is already tuned, multi-threaded over rows with ``workers``).

Both functions return the *full* convolution of every row of ``a`` with ``b``
(one kernel row shared, or one per row), shape ``(m, n + K - 1)``.
"""
import functools
import os

import numpy as np

_WORKERS = os.cpu_count() or 1


def _transforms(a, b):
    import scipy.fft as sf

    if np.iscomplexobj(a) or np.iscomplexobj(b):
        return sf.fft, sf.ifft
    return sf.rfft, sf.irfft


@functools.lru_cache(maxsize=1024)
def next_fast_len(n):
    """The smallest length >= n that scipy.fft transforms fast (real input)."""
    import scipy.fft as sf

    return sf.next_fast_len(n, real=True)


def fft_convolve(a, b):
    """Full convolution with one transform of the whole length."""
    n_full = a.shape[1] + b.shape[1] - 1
    size = next_fast_len(n_full)
    fwd, inv = _transforms(a, b)
    spec = fwd(a, size, axis=-1, workers=_WORKERS)
    spec *= fwd(b, size, axis=-1, workers=_WORKERS)
    return inv(spec, size, axis=-1, workers=_WORKERS, overwrite_x=True)[:, :n_full]


@functools.lru_cache(maxsize=1024)
def block_length(K, n):
    """FFT size for overlap-add: minimises transform work per output,
    ``N log N / (N - K + 1)``, over fast lengths of at least 2K."""
    import scipy.fft as sf

    best = None
    for f in (2, 3, 4, 6, 8, 12, 16, 24, 32, 64):
        N = sf.next_fast_len(max(f * K, 64), real=True)
        if N - K + 1 > n and best is not None:
            break
        cost = N * np.log2(N) / (N - K + 1)
        if best is None or cost < best[0]:
            best = (cost, N)
    return best[1]


def overlap_add(a, b, fft_size=None):
    """Full convolution by overlap-add: blocks of length ``L = N - K + 1``
    transformed together (one batched FFT), each block's tail of ``K - 1``
    samples added onto the next block."""
    m, n = a.shape
    K = b.shape[1]
    N = fft_size or block_length(K, n)
    L = N - K + 1
    nb = -(-n // L)
    fwd, inv = _transforms(a, b)
    blocks = np.zeros((m, nb, L), dtype=a.dtype)
    blocks.reshape(m, -1)[:, :n] = a
    spec = fwd(blocks, N, axis=-1, workers=_WORKERS)
    spec *= fwd(b, N, axis=-1, workers=_WORKERS)[:, None, :]
    conv = inv(spec, N, axis=-1, workers=_WORKERS, overwrite_x=True)
    dtype = conv.dtype
    out = np.zeros((m, nb + 1, L), dtype=dtype)
    out[:, :nb] = conv[:, :, :L]
    out[:, 1:, :K - 1] += conv[:, :, L:L + K - 1]
    return out.reshape(m, -1)[:, :n + K - 1]


def correlate_many(x, templates, level=0.0):
    """Valid correlations ``sum_j (x[i + j] - level) t[j]`` of one series with
    several templates, by overlap-save: each chunk of overlapping blocks is
    transformed once and shared by the templates, each costing one product
    and one batched inverse transform.  Chunks of about a million samples
    keep the working memory small and reused (fresh pages are slow to map).

    Returns ``(outputs, sum of (x - level)^2)``: one array of ``len(x) -
    len(t) + 1`` per template.
    """
    import scipy.fft as sf

    n = x.size
    m_max = max(t.size for t in templates)
    m_min = min(t.size for t in templates)
    size = block_size(n - m_min + 1, m_max, len(templates))
    step = size - m_max + 1               # outputs per block valid for every template
    n_blocks = -(-(n - m_min + 1) // step)
    outs = [np.empty(n - t.size + 1) for t in templates]
    spectra = [np.conj(sf.rfft(t, size)) for t in templates]
    per_chunk = max(1, min(n_blocks, (1 << 20) // size))
    sumsq = 0.0
    for first in range(0, n_blocks, per_chunk):
        count = min(per_chunk, n_blocks - first)
        start = first * step
        segment = np.zeros((count - 1) * step + size)
        stop = min(start + segment.size, n)
        np.subtract(x[start:stop], level, out=segment[:stop - start])
        fresh = segment[:min(count * step, stop - start)]
        sumsq += float(fresh @ fresh)
        blocks = np.lib.stride_tricks.as_strided(
            segment, (count, size), (step * segment.itemsize, segment.itemsize))
        spectrum = sf.rfft(blocks, axis=-1, workers=_WORKERS)
        for out, t_spectrum in zip(outs, spectra):
            y = sf.irfft(spectrum * t_spectrum, size, axis=-1, workers=_WORKERS,
                         overwrite_x=True)
            hi = min(start + count * step, out.size)
            if hi > start:
                rows = -(-(hi - start) // step)
                full = (hi - start) // step
                out[start:start + full * step].reshape(full, step)[:] = y[:full, :step]
                if rows > full:
                    out[start + full * step:hi] = y[full, :hi - start - full * step]
    return outs, sumsq


def block_size(n_out, m, n_templates):
    """The overlap-save block length with the least estimated work: per block
    one forward transform and one inverse per template, plus each template's
    own transform (``L log L`` each).  Blocks of 4 to 16 template lengths
    (measured here: longer blocks lose more to cache misses than they save),
    or one block for everything when that is cheaper."""
    candidates = [next_fast_len(f * max(m, 256)) for f in (4, 8, 16)]
    candidates.append(next_fast_len(n_out + m - 1))
    best, best_cost = None, np.inf
    for size in candidates:
        if size < m or size > next_fast_len(n_out + m - 1):
            continue
        n_blocks = -(-n_out // (size - m + 1))
        cost = (n_blocks * (1 + n_templates) + n_templates) * size * np.log2(size)
        if cost < best_cost:
            best, best_cost = size, cost
    return best
