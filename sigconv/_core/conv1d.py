"""Kernels of the 1-D convolution layer (``sigconv.nn.Conv1d``): the forward
pass and its two gradients.

Arrays are shaped (batch, channels, time).  The layer is the
cross-correlation of ``torch.nn.functional.conv1d`` with the padding applied
as zeros::

    out[b, o, t] = bias[o] + sum_{c, k} w[o, c, k] * xpad[b, g * C_in/groups + c, t + k * dilation]

with ``g = o // (C_out/groups)`` and ``xpad[b, c, j] = x[b, c, j - pad_left]``
(zero outside ``0 <= j - pad_left < T_in``), so ``T_out = T_in + pad_left +
pad_right - dilation * (K - 1)`` for whatever right padding makes up the
output length.

Layout of the work: a task is one batch row and a block of ``TB`` outputs in
time.  It copies the inputs that block reads, padding included, into a
buffer starting at 0 (the padding then costs no branches, and no padded copy
of the whole input is made), then runs register-blocked passes over four
output channels and four taps at a time with the time axis innermost.  The
four partial output rows live in a tile on the stack: the vectoriser then
knows they alias nothing, where more than a few written arrays would need
runtime alias checks (and it gives up).  The input gradient is the same
correlation with the kernel transposed and flipped in time.

The weight gradient is a reduction over batch and time.  Without
reassociation (no fastmath here) a sum does not vectorise, so each gradient
entry keeps ``LANES`` partial sums, one vector, for the time steps ``t =
LANES j + lane``; the 4 x 4 such vectors of four channels and four taps sit
in a stack tile indexed only by constants outside the vector loop, which
LLVM keeps in registers.  Each thread adds its tasks' sums to its own
partials; they are added together in a fixed order at the end.

Parallel over the (batch row, time block) tasks with ``prange``; below
``SERIAL_WORK`` multiply-adds on one thread.  float32 and float64 inputs give
outputs in their dtype.  Measured on this project's 2-core AMD EPYC
(AVX-512, one thread, 64 x 16 x 256 input, 16 -> 16 channels, K = 5): forward
and input gradient about 125 GFLOP/s in float32 and 75 in float64, weight
gradient 80 and 60, against a peak of about 166 and 83 without fused
multiply-adds.
"""
import numba as nb
import numpy as np
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

# Outputs per task (and per tile row).  256 keeps a 16-channel input block
# and the tile in the 48 KiB L1 cache in float64.
TB = 256
# Partial sums per weight-gradient entry, kept in one vector register.
LANES = 8
# Multiply-adds below which a kernel runs on one thread: waking the others
# costs more (about 10 us) than it saves, and a busy core would stall it.
SERIAL_WORK = 500_000


def _stack_array(n):
    """An intrinsic ``f(like)`` returning a pointer to ``n`` uninitialised
    elements of ``like``'s dtype on the stack (in the function's entry block),
    64-byte aligned."""

    @intrinsic
    def stack_array(typingctx, like):
        dtype = like.dtype

        def codegen(context, builder, signature, args):
            ptr = cgutils.alloca_once(builder, context.get_value_type(dtype), size=n)
            ptr.align = 64   # whole vectors never straddle cache lines
            return ptr

        return types.CPointer(dtype)(like), codegen

    return stack_array


_out_tile = _stack_array(4 * TB)
_grad_tile = _stack_array(16 * LANES)


# ------------------------------------------------------------------ helpers
@nb.njit(cache=True)
def _fill(src, buf, start):
    """``buf[c, i] = src[c, start + i]`` where that lies inside ``src``'s time
    axis, else 0 (the padding)."""
    n = src.shape[1]
    m = buf.shape[1]
    lo = min(max(0, -start), m)
    hi = max(min(m, n - start), lo)
    for c in range(buf.shape[0]):
        row = buf[c]
        for i in range(lo):
            row[i] = 0
        part = src[c, start + lo:start + hi]
        dst = row[lo:hi]
        for i in range(hi - lo):      # a plain loop: 2-5x faster than slice assignment
            dst[i] = part[i]
        for i in range(hi, m):
            row[i] = 0


@nb.njit(cache=True)
def _task_block(task, n_blocks, n_out):
    """Batch row, first output and number of outputs of a task."""
    b = task // n_blocks
    s = (task % n_blocks) * TB
    return b, s, min(TB, n_out - s)


# ------------------------------------------------------------------ forward
@nb.njit(cache=True)
def _out_rows4(buf, w, bias, o, d, m, dst):
    """Outputs ``dst[i, :m]`` of channels ``o .. o + 3`` from the input block
    ``buf`` (channels of this group, padded): four taps per pass, taps in
    order, so each output sums exactly as the textbook loop does."""
    tile = nb.carray(_out_tile(buf), 4 * TB)
    K = w.shape[2]
    n_taps = w.shape[1] * K
    for i in range(4):
        v = bias[o + i] if bias.size else 0
        for t in range(m):
            tile[i * TB + t] = v
    r = 0
    while r + 4 <= n_taps:
        c0, k0 = r // K, r % K
        c1, k1 = (r + 1) // K, (r + 1) % K
        c2, k2 = (r + 2) // K, (r + 2) % K
        c3, k3 = (r + 3) // K, (r + 3) % K
        x0 = buf[c0, k0 * d:k0 * d + m]
        x1 = buf[c1, k1 * d:k1 * d + m]
        x2 = buf[c2, k2 * d:k2 * d + m]
        x3 = buf[c3, k3 * d:k3 * d + m]
        w00, w01, w02, w03 = w[o, c0, k0], w[o, c1, k1], w[o, c2, k2], w[o, c3, k3]
        w10, w11, w12, w13 = w[o + 1, c0, k0], w[o + 1, c1, k1], w[o + 1, c2, k2], \
            w[o + 1, c3, k3]
        w20, w21, w22, w23 = w[o + 2, c0, k0], w[o + 2, c1, k1], w[o + 2, c2, k2], \
            w[o + 2, c3, k3]
        w30, w31, w32, w33 = w[o + 3, c0, k0], w[o + 3, c1, k1], w[o + 3, c2, k2], \
            w[o + 3, c3, k3]
        for t in range(m):
            a0, a1, a2, a3 = x0[t], x1[t], x2[t], x3[t]
            tile[t] = (((tile[t] + w00 * a0) + w01 * a1) + w02 * a2) + w03 * a3
            tile[TB + t] = (((tile[TB + t] + w10 * a0) + w11 * a1) + w12 * a2) + w13 * a3
            tile[2 * TB + t] = (((tile[2 * TB + t] + w20 * a0) + w21 * a1) + w22 * a2) \
                + w23 * a3
            tile[3 * TB + t] = (((tile[3 * TB + t] + w30 * a0) + w31 * a1) + w32 * a2) \
                + w33 * a3
        r += 4
    while r < n_taps:
        c0, k0 = r // K, r % K
        x0 = buf[c0, k0 * d:k0 * d + m]
        w00, w10, w20, w30 = w[o, c0, k0], w[o + 1, c0, k0], w[o + 2, c0, k0], w[o + 3, c0, k0]
        for t in range(m):
            a0 = x0[t]
            tile[t] += w00 * a0
            tile[TB + t] += w10 * a0
            tile[2 * TB + t] += w20 * a0
            tile[3 * TB + t] += w30 * a0
        r += 1
    for i in range(4):
        row = dst[i]
        for t in range(m):
            row[t] = tile[i * TB + t]


@nb.njit(cache=True)
def _out_row1(buf, w, bias, o, d, m, dst):
    """As :func:`_out_rows4` for the one channel ``o`` (into ``dst[:m]``)."""
    tile = nb.carray(_out_tile(buf), 4 * TB)
    K = w.shape[2]
    n_taps = w.shape[1] * K
    v = bias[o] if bias.size else 0
    for t in range(m):
        tile[t] = v
    r = 0
    while r + 4 <= n_taps:
        c0, k0 = r // K, r % K
        c1, k1 = (r + 1) // K, (r + 1) % K
        c2, k2 = (r + 2) // K, (r + 2) % K
        c3, k3 = (r + 3) // K, (r + 3) % K
        x0 = buf[c0, k0 * d:k0 * d + m]
        x1 = buf[c1, k1 * d:k1 * d + m]
        x2 = buf[c2, k2 * d:k2 * d + m]
        x3 = buf[c3, k3 * d:k3 * d + m]
        w0, w1, w2, w3 = w[o, c0, k0], w[o, c1, k1], w[o, c2, k2], w[o, c3, k3]
        for t in range(m):
            tile[t] = (((tile[t] + w0 * x0[t]) + w1 * x1[t]) + w2 * x2[t]) + w3 * x3[t]
        r += 4
    while r < n_taps:
        c0, k0 = r // K, r % K
        x0 = buf[c0, k0 * d:k0 * d + m]
        w0 = w[o, c0, k0]
        for t in range(m):
            tile[t] += w0 * x0[t]
        r += 1
    for t in range(m):
        dst[t] = tile[t]


@nb.njit(cache=True)
def _correlate_task(x, w, bias, out, d, pad_left, groups, task, n_blocks):
    """One (batch row, time block) task of :func:`_correlate`."""
    b, s, m = _task_block(task, n_blocks, out.shape[2])
    c_in_g = w.shape[1]
    c_out_g = w.shape[0] // groups
    buf = np.empty((c_in_g, m + (w.shape[2] - 1) * d), x.dtype)
    for g in range(groups):
        _fill(x[b, g * c_in_g:(g + 1) * c_in_g], buf, s - pad_left)
        o = g * c_out_g
        end = o + c_out_g
        while o + 4 <= end:
            _out_rows4(buf, w, bias, o, d, m, out[b, o:o + 4, s:s + m])
            o += 4
        while o < end:
            _out_row1(buf, w, bias, o, d, m, out[b, o, s:s + m])
            o += 1


@nb.njit(cache=True, parallel=True)
def _correlate(x, w, bias, out, dilation, pad_left, groups):
    n_blocks = (out.shape[2] + TB - 1) // TB
    n_tasks = x.shape[0] * n_blocks
    if out.size * w.shape[1] * w.shape[2] < SERIAL_WORK:
        for task in range(n_tasks):
            _correlate_task(x, w, bias, out, dilation, pad_left, groups, task, n_blocks)
    else:
        for task in nb.prange(n_tasks):
            _correlate_task(x, w, bias, out, dilation, pad_left, groups, task, n_blocks)


@nb.njit(cache=True)
def conv1d_forward(x, weight, bias, out, dilation, pad_left, groups):
    """Write the layer's output into ``out`` (B, C_out, T_out).

    ``x`` (B, C_in, T_in), ``weight`` (C_out, C_in/groups, K), ``bias``
    (C_out,) or empty for none, all of one float dtype and C-contiguous.
    """
    _correlate(x, weight, bias, out, dilation, pad_left, groups)


@nb.njit(cache=True)
def conv1d_backward_input(grad_out, weight, grad_x, dilation, pad_left, groups):
    """Write the gradient with respect to the input into ``grad_x`` (B, C_in, T_in).

    ``grad_x[b, c, u] = sum_{o, k} w[o, c, k] grad_out[b, o, u + pad_left - k d]``:
    the correlation of ``grad_out`` with the kernel transposed within each
    group and flipped in time, left padding ``(K - 1) d - pad_left``.
    """
    c_out, c_in_g, K = weight.shape
    c_out_g = c_out // groups
    flipped = np.empty((c_in_g * groups, c_out_g, K), weight.dtype)
    for g in range(groups):
        for i in range(c_in_g):
            for j in range(c_out_g):
                for k in range(K):
                    flipped[g * c_in_g + i, j, k] = weight[g * c_out_g + j, i, K - 1 - k]
    no_bias = np.empty(0, weight.dtype)     # typed as the forward's bias: one compilation
    _correlate(grad_out, flipped, no_bias, grad_x, dilation, (K - 1) * dilation - pad_left,
               groups)


# ------------------------------------------------------------------ weight gradient
@nb.njit(cache=True)
def _grad_rows4(buf, g0, g1, g2, g3, acc, o, d, m):
    """Add ``sum_t gi[t] * buf[c, k d + t]`` for channels ``o + i`` (i < 4,
    ``gi`` its output gradient in this block) and every tap (c, k) to
    ``acc[o + i, c K + k]``.

    Each sum runs in ``LANES`` lanes (time steps ``t = LANES j + lane``),
    added up at the end; the time steps past the last full vector are added
    one by one.  The rows come as separate contiguous views (a 2-D view's
    row stride would be unknown to the vectoriser), and the tile is only
    ever indexed by constants outside the vector loop, so that it can live
    in registers.
    """
    L = LANES
    tile = nb.carray(_grad_tile(buf), 16 * LANES)
    K = acc.shape[1] // buf.shape[0]
    n_taps = acc.shape[1]
    full = m - m % L
    r = 0
    while r + 4 <= n_taps:
        x0 = buf[r // K, (r % K) * d:(r % K) * d + m]
        x1 = buf[(r + 1) // K, ((r + 1) % K) * d:((r + 1) % K) * d + m]
        x2 = buf[(r + 2) // K, ((r + 2) % K) * d:((r + 2) % K) * d + m]
        x3 = buf[(r + 3) // K, ((r + 3) % K) * d:((r + 3) % K) * d + m]
        for j in range(16 * L):
            tile[j] = 0
        for t0 in range(0, full, L):
            h0, h1, h2, h3 = g0[t0:t0 + L], g1[t0:t0 + L], g2[t0:t0 + L], g3[t0:t0 + L]
            y0, y1, y2, y3 = x0[t0:t0 + L], x1[t0:t0 + L], x2[t0:t0 + L], x3[t0:t0 + L]
            for j in range(L):
                v0, v1, v2, v3 = y0[j], y1[j], y2[j], y3[j]
                u0, u1, u2, u3 = h0[j], h1[j], h2[j], h3[j]
                tile[j] += u0 * v0
                tile[L + j] += u0 * v1
                tile[2 * L + j] += u0 * v2
                tile[3 * L + j] += u0 * v3
                tile[4 * L + j] += u1 * v0
                tile[5 * L + j] += u1 * v1
                tile[6 * L + j] += u1 * v2
                tile[7 * L + j] += u1 * v3
                tile[8 * L + j] += u2 * v0
                tile[9 * L + j] += u2 * v1
                tile[10 * L + j] += u2 * v2
                tile[11 * L + j] += u2 * v3
                tile[12 * L + j] += u3 * v0
                tile[13 * L + j] += u3 * v1
                tile[14 * L + j] += u3 * v2
                tile[15 * L + j] += u3 * v3
        for i in range(4):
            for q in range(4):
                total = tile[(4 * i + q) * L]
                for j in range(1, L):
                    total += tile[(4 * i + q) * L + j]
                acc[o + i, r + q] += total
        if full < m:
            _grad_tail(buf, g0, acc, o, r, 4, d, full, m)
            _grad_tail(buf, g1, acc, o + 1, r, 4, d, full, m)
            _grad_tail(buf, g2, acc, o + 2, r, 4, d, full, m)
            _grad_tail(buf, g3, acc, o + 3, r, 4, d, full, m)
        r += 4
    while r < n_taps:
        x0 = buf[r // K, (r % K) * d:(r % K) * d + m]
        for j in range(4 * L):
            tile[j] = 0
        for t0 in range(0, full, L):
            h0, h1, h2, h3 = g0[t0:t0 + L], g1[t0:t0 + L], g2[t0:t0 + L], g3[t0:t0 + L]
            y0 = x0[t0:t0 + L]
            for j in range(L):
                v0 = y0[j]
                tile[j] += h0[j] * v0
                tile[L + j] += h1[j] * v0
                tile[2 * L + j] += h2[j] * v0
                tile[3 * L + j] += h3[j] * v0
        for i in range(4):
            total = tile[i * L]
            for j in range(1, L):
                total += tile[i * L + j]
            acc[o + i, r] += total
        if full < m:
            _grad_tail(buf, g0, acc, o, r, 1, d, full, m)
            _grad_tail(buf, g1, acc, o + 1, r, 1, d, full, m)
            _grad_tail(buf, g2, acc, o + 2, r, 1, d, full, m)
            _grad_tail(buf, g3, acc, o + 3, r, 1, d, full, m)
        r += 1


@nb.njit(cache=True)
def _grad_tail(buf, g, acc, o, r0, n, d, start, m):
    """Add time steps ``start .. m`` of taps ``r0 .. r0 + n`` of channel ``o``."""
    K = acc.shape[1] // buf.shape[0]
    for r in range(r0, r0 + n):
        xr = buf[r // K, (r % K) * d:(r % K) * d + m]
        total = acc[o, r]
        for t in range(start, m):
            total += g[t] * xr[t]
        acc[o, r] = total


@nb.njit(cache=True)
def _grad_row1(buf, g0, acc, o, d, m):
    """As :func:`_grad_rows4` for the one channel ``o``, eight taps per pass
    (with fewer the vector loop is unrolled away before it is vectorised)."""
    L = LANES
    tile = nb.carray(_grad_tile(buf), 16 * LANES)
    K = acc.shape[1] // buf.shape[0]
    n_taps = acc.shape[1]
    full = m - m % L
    r = 0
    while r + 8 <= n_taps:
        x0 = buf[r // K, (r % K) * d:(r % K) * d + m]
        x1 = buf[(r + 1) // K, ((r + 1) % K) * d:((r + 1) % K) * d + m]
        x2 = buf[(r + 2) // K, ((r + 2) % K) * d:((r + 2) % K) * d + m]
        x3 = buf[(r + 3) // K, ((r + 3) % K) * d:((r + 3) % K) * d + m]
        x4 = buf[(r + 4) // K, ((r + 4) % K) * d:((r + 4) % K) * d + m]
        x5 = buf[(r + 5) // K, ((r + 5) % K) * d:((r + 5) % K) * d + m]
        x6 = buf[(r + 6) // K, ((r + 6) % K) * d:((r + 6) % K) * d + m]
        x7 = buf[(r + 7) // K, ((r + 7) % K) * d:((r + 7) % K) * d + m]
        for j in range(8 * L):
            tile[j] = 0
        for t0 in range(0, full, L):
            h0 = g0[t0:t0 + L]
            y0, y1, y2, y3 = x0[t0:t0 + L], x1[t0:t0 + L], x2[t0:t0 + L], x3[t0:t0 + L]
            y4, y5, y6, y7 = x4[t0:t0 + L], x5[t0:t0 + L], x6[t0:t0 + L], x7[t0:t0 + L]
            for j in range(L):
                h = h0[j]
                tile[j] += h * y0[j]
                tile[L + j] += h * y1[j]
                tile[2 * L + j] += h * y2[j]
                tile[3 * L + j] += h * y3[j]
                tile[4 * L + j] += h * y4[j]
                tile[5 * L + j] += h * y5[j]
                tile[6 * L + j] += h * y6[j]
                tile[7 * L + j] += h * y7[j]
        for q in range(8):
            total = tile[q * L]
            for j in range(1, L):
                total += tile[q * L + j]
            acc[o, r + q] += total
        if full < m:
            _grad_tail(buf, g0, acc, o, r, 8, d, full, m)
        r += 8
    while r < n_taps:
        x0 = buf[r // K, (r % K) * d:(r % K) * d + m]
        for j in range(L):
            tile[j] = 0
        for t0 in range(0, full, L):
            h0 = g0[t0:t0 + L]
            y0 = x0[t0:t0 + L]
            for j in range(L):
                tile[j] += h0[j] * y0[j]
        total = tile[0]
        for j in range(1, L):
            total += tile[j]
        acc[o, r] += total
        if full < m:
            _grad_tail(buf, g0, acc, o, r, 1, d, full, m)
        r += 1


@nb.njit(cache=True)
def _row_sum(row):
    """Sum of a row in eight interleaved partial sums: independent additions
    instead of one chain of dependent ones."""
    n = row.size
    full = n - n % 8
    if full == 0:
        total = row[0]
        for t in range(1, n):
            total += row[t]
        return total
    s0, s1, s2, s3, s4, s5, s6, s7 = row[0], row[1], row[2], row[3], row[4], row[5], row[6], \
        row[7]
    for t in range(8, full, 8):
        s0 += row[t]
        s1 += row[t + 1]
        s2 += row[t + 2]
        s3 += row[t + 3]
        s4 += row[t + 4]
        s5 += row[t + 5]
        s6 += row[t + 6]
        s7 += row[t + 7]
    total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    for t in range(full, n):
        total += row[t]
    return total


@nb.njit(cache=True)
def _grad_chunk(x, grad_out, acc, bias_acc, d, pad_left, groups, chunk, n_chunks, n_blocks):
    """The tasks of one thread's chunk of :func:`conv1d_backward_weight`,
    summed into its partials ``acc`` (C_out, C_in/groups * K) and
    ``bias_acc`` (C_out,) or empty."""
    n_tasks = x.shape[0] * n_blocks
    c_out = grad_out.shape[1]
    c_out_g = c_out // groups
    c_in_g = x.shape[1] // groups
    K = acc.shape[1] // c_in_g
    halo = (K - 1) * d
    for task in range(chunk * n_tasks // n_chunks, (chunk + 1) * n_tasks // n_chunks):
        b, s, m = _task_block(task, n_blocks, grad_out.shape[2])
        buf = np.empty((c_in_g, m + halo), x.dtype)
        for g in range(groups):
            _fill(x[b, g * c_in_g:(g + 1) * c_in_g], buf, s - pad_left)
            o = g * c_out_g
            end = o + c_out_g
            while o + 4 <= end:
                _grad_rows4(buf, grad_out[b, o, s:s + m], grad_out[b, o + 1, s:s + m],
                            grad_out[b, o + 2, s:s + m], grad_out[b, o + 3, s:s + m], acc, o,
                            d, m)
                o += 4
            while o < end:
                _grad_row1(buf, grad_out[b, o, s:s + m], acc, o, d, m)
                o += 1
        if bias_acc.size:
            for o in range(c_out):
                bias_acc[o] += _row_sum(grad_out[b, o, s:s + m])


@nb.njit(cache=True, parallel=True)
def _backward_weight(x, grad_out, grad_weight, grad_bias, dilation, pad_left, groups, acc,
                     bias_acc):
    """:func:`conv1d_backward_weight` with the tasks split into ``len(acc)``
    contiguous chunks, one per thread, each summed into its zeroed partials
    ``acc[chunk]`` (C_out, C_in/groups * K) and ``bias_acc[chunk]``."""
    c_out, c_in_g, K = grad_weight.shape
    n_blocks = (grad_out.shape[2] + TB - 1) // TB
    n_chunks = acc.shape[0]
    if n_chunks == 1:
        _grad_chunk(x, grad_out, acc[0], bias_acc[0], dilation, pad_left, groups, 0, 1,
                    n_blocks)
    else:
        for chunk in nb.prange(n_chunks):
            _grad_chunk(x, grad_out, acc[chunk], bias_acc[chunk], dilation, pad_left, groups,
                        chunk, n_chunks, n_blocks)
    for o in range(c_out):
        for r in range(c_in_g * K):
            total = acc[0, o, r]
            for p in range(1, n_chunks):
                total += acc[p, o, r]
            grad_weight[o, r // K, r % K] += total
        if grad_bias.size:
            total = bias_acc[0, o]
            for p in range(1, n_chunks):
                total += bias_acc[p, o]
            grad_bias[o] += total


def conv1d_backward_weight(x, grad_out, grad_weight, grad_bias, dilation, pad_left, groups):
    """Add the gradients with respect to the weight and the bias (if
    ``grad_bias`` is not empty) to ``grad_weight`` and ``grad_bias``.

    ``grad_weight[o, c, k] += sum_{b, t} grad_out[b, o, t] xpad[b, g C_in/groups + c, t + k d]``
    and ``grad_bias[o] += sum_{b, t} grad_out[b, o, t]``.  Each of numba's
    threads sums a contiguous share of the (batch row, time block) tasks into
    its own partials; they are added together in a fixed order at the end
    (one thread below ``SERIAL_WORK`` multiply-adds).

    A Python function: it reads numba's thread count (which a cached kernel
    cannot) and allocates the partials here (``np.zeros`` inside a parallel
    kernel would be a parallel loop of its own), then runs
    :func:`_backward_weight`.
    """
    c_out, c_in_g, K = grad_weight.shape
    n_tasks = x.shape[0] * -(-grad_out.shape[2] // TB)
    small = grad_out.size * c_in_g * K < SERIAL_WORK
    n_chunks = max(1, min(n_tasks, 1 if small else nb.get_num_threads()))
    acc = np.zeros((n_chunks, c_out, c_in_g * K), grad_weight.dtype)
    bias_acc = np.zeros((n_chunks, grad_bias.size), grad_weight.dtype)
    _backward_weight(x, grad_out, grad_weight, grad_bias, dilation, pad_left, groups, acc,
                     bias_acc)


# ------------------------------------------------------------------ ReLU
# Elements per task, and the size below which one thread does it all.
RELU_BLOCK = 16384
RELU_SERIAL = 65536


@nb.njit(cache=True)
def _relu_block(x, grad, out):
    """``out = x`` where ``x > 0`` else 0 (NaN kept) or, given ``grad``, ``out =
    grad`` where ``x > 0`` else 0."""
    if grad.size:
        for i in range(out.size):
            out[i] = grad[i] if x[i] > 0 else 0
    else:
        for i in range(out.size):
            v = x[i]
            out[i] = 0 if v <= 0 else v    # noqa: FURB136 (max(0, v) would drop NaN)


@nb.njit(cache=True, parallel=True)
def relu(x, grad, out):
    """ReLU of the flat array ``x`` into ``out`` (``grad`` empty), or its
    backward pass: ``out = grad * (x > 0)`` with ``x`` the forward's output.

    Elementwise work is memory bound: two threads fetch twice the bandwidth
    of one and, unlike ``grad * (y > 0)`` in numpy, no mask array is made.
    """
    n = out.size
    if n < RELU_SERIAL:
        _relu_block(x, grad, out)
        return
    for blk in nb.prange((n + RELU_BLOCK - 1) // RELU_BLOCK):
        s = blk * RELU_BLOCK
        e = min(n, s + RELU_BLOCK)
        _relu_block(x[s:e], grad[s:e] if grad.size else grad, out[s:e])
