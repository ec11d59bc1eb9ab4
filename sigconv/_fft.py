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


def correlate_many(x, templates):
    """Valid correlations ``sum_j x[i + j] t[j]`` of one series with several
    templates, by overlap-save: the series' overlapping blocks are
    transformed once, and each template costs one product and one batched
    inverse transform.  Returns one array of ``len(x) - len(t) + 1`` per
    template."""
    import scipy.fft as sf

    n = x.size
    m_max = max(t.size for t in templates)
    m_min = min(t.size for t in templates)
    size = block_size(n - m_min + 1, m_max, len(templates))
    step = size - m_max + 1               # outputs per block valid for every template
    n_blocks = -(-(n - m_min + 1) // step)
    padded = np.zeros((n_blocks - 1) * step + size)
    padded[:n] = x
    blocks = np.lib.stride_tricks.as_strided(padded, (n_blocks, size),
                                             (step * padded.itemsize, padded.itemsize))
    spectra = sf.rfft(blocks, axis=-1, workers=_WORKERS)
    out = []
    for t in templates:
        product = spectra * np.conj(sf.rfft(t, size))
        y = sf.irfft(product, size, axis=-1, workers=_WORKERS, overwrite_x=True)
        out.append(np.ascontiguousarray(y[:, :step]).reshape(-1)[:n - t.size + 1])
    return out


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
