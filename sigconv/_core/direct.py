"""Direct (time-domain) correlation kernels.

Every mode of the engine reduces to a *valid correlation* of an extended
series with the flipped kernel: ``out[r, start + i] = sum_j w[j] x[r, i + j*d]``.
"""
import numba as nb
import numpy as np

# FMA contraction only: no reassociation, NaN/inf semantics kept.  Each product
# is added in the same order as the naive sum, rounded once instead of twice.
_FLAGS = {"contract"}

# Outputs per task.  1024 measured fastest (256..4096 tried): a block of
# outputs and the rows it reads stay in cache while the taps stream past.
BLOCK = 1024


@nb.njit(cache=True, fastmath=_FLAGS)
def _block(x, w, out, dilation, start, task, n_blocks):
    """One block of outputs of one series (the body shared by both drivers)."""
    k = w.shape[1]
    n_out = x.shape[1] - (k - 1) * dilation
    r = task // n_blocks
    s = (task % n_blocks) * BLOCK
    m = min(BLOCK, n_out - s)
    xr = x[r]
    wr = w[0] if w.shape[0] == 1 else w[r]
    o = out[r, start + s:start + s + m]
    # The first pass takes 1-4 taps and writes the block (no zeroing pass);
    # the rest go four per pass, so the block is read and written k/4 times.
    # Each output still sums its taps in order j = 0..k-1.
    first = k % 4 or 4
    x0 = xr[s:s + m]
    w0 = wr[0]
    if first == 1:
        for t in range(m):
            o[t] = w0 * x0[t]
    else:
        x1 = xr[s + dilation:s + dilation + m]
        w1 = wr[1]
        if first == 2:
            for t in range(m):
                o[t] = w0 * x0[t] + w1 * x1[t]
        else:
            x2 = xr[s + 2 * dilation:s + 2 * dilation + m]
            w2 = wr[2]
            if first == 3:
                for t in range(m):
                    o[t] = (w0 * x0[t] + w1 * x1[t]) + w2 * x2[t]
            else:
                x3 = xr[s + 3 * dilation:s + 3 * dilation + m]
                w3 = wr[3]
                for t in range(m):
                    o[t] = ((w0 * x0[t] + w1 * x1[t]) + w2 * x2[t]) + w3 * x3[t]
    for j in range(first, k, 4):
        w0 = wr[j]
        w1 = wr[j + 1]
        w2 = wr[j + 2]
        w3 = wr[j + 3]
        a = s + j * dilation
        x0 = xr[a:a + m]
        x1 = xr[a + dilation:a + dilation + m]
        x2 = xr[a + 2 * dilation:a + 2 * dilation + m]
        x3 = xr[a + 3 * dilation:a + 3 * dilation + m]
        for t in range(m):
            o[t] = (((o[t] + w0 * x0[t]) + w1 * x1[t]) + w2 * x2[t]) + w3 * x3[t]


@nb.njit(cache=True, parallel=True)
def correlate_valid(x, w, out, dilation, start):
    """Valid correlation of each row of ``x`` with ``w`` (one row, or one per row).

    Writes ``out[r, start:start + n_out]``, ``n_out = x.shape[1] - (k-1)*dilation``;
    parallel over (series, block of outputs).
    """
    n_out = x.shape[1] - (w.shape[1] - 1) * dilation
    n_blocks = (n_out + BLOCK - 1) // BLOCK
    for task in nb.prange(x.shape[0] * n_blocks):
        _block(x, w, out, dilation, start, task, n_blocks)


@nb.njit(cache=True)
def correlate_valid_serial(x, w, out, dilation, start):
    """`correlate_valid` on one thread: no thread start-up for small work."""
    n_out = x.shape[1] - (w.shape[1] - 1) * dilation
    n_blocks = (n_out + BLOCK - 1) // BLOCK
    for task in range(x.shape[0] * n_blocks):
        _block(x, w, out, dilation, start, task, n_blocks)


@nb.njit(cache=True)
def correlate_extended(left, x, right, w, out, dilation, parallel):
    """Valid correlation of ``[left | x | right]`` (concatenated along time).

    The interior is read in place; only the two edges are copied together
    with their extension, so a long series is never padded.  ``parallel``
    picks the threaded driver (small work runs faster on one thread).
    """
    n = x.shape[1]
    edge = (w.shape[1] - 1) * dilation
    left_n = left.shape[1]
    if n < edge:
        _run(np.concatenate((left, x, right), axis=1), w, out, dilation, 0, parallel)
        return
    if n > edge:
        _run(x, w, out, dilation, left_n, parallel)
    right_n = right.shape[1]
    if (left_n + right_n) * w.shape[1] * x.shape[0] <= _SMALL_EDGES:
        # Few edge outputs with few taps: sum them in place, no copies.
        _edge_sums(left, x, right, w, out, dilation, 0, left_n)
        _edge_sums(left, x, right, w, out, dilation, left_n + n - edge, out.shape[1])
        return
    if left_n:
        _run(np.concatenate((left, x[:, :edge]), axis=1), w, out, dilation, 0, parallel)
    if right_n:
        _run(np.concatenate((x[:, n - edge:], right), axis=1), w, out, dilation,
             left_n + n - edge, parallel)


_SMALL_EDGES = 4096


@nb.njit(cache=True, fastmath=_FLAGS)
def _edge_sums(left, x, right, w, out, dilation, first, last):
    """Outputs ``first..last-1`` of the valid correlation of ``[left | x | right]``,
    reading the three parts in place; taps summed in order as in `_block`."""
    left_n = left.shape[1]
    n = x.shape[1]
    for r in range(x.shape[0]):
        wr = w[0] if w.shape[0] == 1 else w[r]
        for i in range(first, last):
            acc = wr[0] * 0  # zero in the weights' precision
            for j in range(wr.shape[0]):
                p = i + j * dilation - left_n
                if p < 0:
                    v = left[r, p + left_n]
                elif p < n:
                    v = x[r, p]
                else:
                    v = right[r, p - n]
                acc += wr[j] * v
            out[r, i] = acc


@nb.njit(cache=True)
def _run(x, w, out, dilation, start, parallel):
    if x.shape[1] <= (w.shape[1] - 1) * dilation:
        return
    if parallel:
        correlate_valid(x, w, out, dilation, start)
    else:
        correlate_valid_serial(x, w, out, dilation, start)


@nb.njit(cache=True, parallel=True)
def correlate_at(x, w, rows, cols, out, dilation):
    """Recompute chosen outputs exactly: ``out[r, c] = sum_j w[j] x[r, c + j*d]``.

    The FFT paths use it for outputs whose window holds a non-finite sample,
    so that those equal the direct result (NaN stays local, inf stays inf).
    """
    k = w.shape[1]
    for i in nb.prange(rows.shape[0]):
        r = rows[i]
        c = cols[i]
        wr = w[0] if w.shape[0] == 1 else w[r]
        acc = wr[0] * x[r, c]
        for j in range(1, k):
            acc += wr[j] * x[r, c + j * dilation]
        out[r, c] = acc

