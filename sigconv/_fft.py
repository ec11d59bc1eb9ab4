"""Convolution by the convolution theorem, on scipy.fft (not numba: pocketfft
is already tuned, multi-threaded over rows with ``workers``).

Both functions return the *full* convolution of every row of ``a`` with ``b``
(one kernel row shared, or one per row), shape ``(m, n + K - 1)``.
"""
import functools
import os
import threading

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


class OverlapSave:
    """Valid correlations ``sum_j (x[i + j] - level) t[j]`` of one series with
    several templates, by overlap-save, one chunk of windows at a time: chunks
    of about ``chunk`` samples, at least ``min_chunks`` of them (for threads).

    A chunk's overlapping blocks are transformed once and shared by the
    templates, each costing one product and one inverse transform.  The
    buffers are reused from chunk to chunk and call to call (one set per
    thread), so the working memory stays in cache and needs no fresh pages:
    a page fault costs about a microsecond per 4 KiB in this VM, more than
    the transforms of the page's samples.
    """

    def __init__(self, x, templates, level, chunk=1 << 16, min_chunks=1):
        n = x.size
        lengths = [t.size for t in templates]
        self.size = size = block_size(n - min(lengths) + 1, max(lengths), len(templates))
        self.step = step = size - max(lengths) + 1    # outputs per block valid for every template
        self.n_blocks = -(-(n - min(lengths) + 1) // step)
        self.per_chunk = max(1, min(-(-self.n_blocks // min_chunks), chunk // step))
        self.n_chunks = -(-self.n_blocks // self.per_chunk)
        self.windows = self.per_chunk * step            # windows per chunk, at most
        self.spectra = [np.conj(np.fft.rfft(t, size)) for t in templates]
        self.x, self.level = x, level

    def chunk(self, k, outs):
        """Write chunk ``k`` of every template's correlations into ``outs[j][start:stops[j]]``.

        Returns ``(start, stops, sumsq)``: ``sumsq`` is the largest sum of
        ``(x - level)^2`` over one block (the scale of the round-off).
        """
        size, step = self.size, self.step
        count = min(self.per_chunk, self.n_blocks - k * self.per_chunk)
        start = k * self.per_chunk * step
        segment = scratch("segment", (count - 1) * step + size)
        stop = min(start + segment.size, self.x.size)
        np.subtract(self.x[start:stop], self.level, out=segment[:stop - start])
        segment[stop - start:] = 0.0
        blocks = np.lib.stride_tricks.as_strided(
            segment, (count, size), (step * segment.itemsize, segment.itemsize))
        sumsq = float(np.einsum("ij,ij->i", blocks, blocks).max())
        half = size // 2 + 1
        spectrum = np.fft.rfft(blocks, axis=-1,
                               out=scratch("spectrum", count * half, complex).reshape(count, half))
        product = scratch("product", count * half, complex).reshape(count, half)
        y = scratch("inverse", count * size).reshape(count, size)
        stops = []
        for out, t_spectrum in zip(outs, self.spectra):
            np.multiply(spectrum, t_spectrum, out=product)
            np.fft.irfft(product, size, axis=-1, out=y)
            hi = max(start, min(start + count * step, out.size))
            full = (hi - start) // step
            out[start:start + full * step].reshape(full, step)[:] = y[:full, :step]
            out[start + full * step:hi] = y[full:full + 1, :hi - start - full * step].reshape(-1)
            stops.append(hi)
        return start, stops, sumsq


_local = threading.local()
_SCRATCH_KEPT = 1 << 22    # bytes: larger buffers are not kept between calls


def scratch(name, count, dtype=np.float64):
    """A work buffer of ``count`` items, reused by this thread (contents undefined)."""
    pool = _local.__dict__.setdefault("pool", {})
    buffer = pool.get((name, dtype))
    if buffer is None or buffer.size < count:
        buffer = np.empty(count, dtype)
        if buffer.nbytes <= _SCRATCH_KEPT:
            pool[(name, dtype)] = buffer
    return buffer[:count]


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
