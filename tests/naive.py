"""Slow, obviously-correct reference implementations for the engine tests.

Pure Python/numpy loops over outputs and taps, written from the definitions in
the docstrings of :func:`sigconv.convolve` and ``scipy.ndimage``'s boundary
modes, sharing no code with the engine.
"""
import numpy as np

BOUNDARIES = ("constant", "reflect", "mirror", "nearest", "wrap")


def extend_index(i, n, boundary):
    """Map a position ``i`` outside ``[0, n)`` into it by one of ndimage's rules.

    Returns None for ``"constant"`` outside the series (the caller uses cval).
    Reflections are applied repeatedly, so kernels longer than the series work.
    """
    if 0 <= i < n:
        return i
    if boundary == "constant":
        return None
    if boundary == "nearest":
        return 0 if i < 0 else n - 1
    if boundary == "wrap":
        return i % n
    if boundary == "mirror" and n == 1:
        return 0
    while not 0 <= i < n:
        if boundary == "reflect":      # d c b a | a b c d | d c b a
            i = -1 - i if i < 0 else 2 * n - 1 - i
        elif boundary == "mirror":     # d c b | a b c d | c b a
            i = -i if i < 0 else 2 * n - 2 - i
        else:
            raise ValueError(boundary)
    return i


def _sample(x, i, boundary, cval):
    j = extend_index(i, len(x), boundary)
    return cval if j is None else x[j]


def _taps(x, w, t, origin, dilation, boundary, cval):
    """(weight, sample) pairs of output ``t``: ``x[t - (j - origin) * dilation]``."""
    return [(w[j], _sample(x, t - (j - origin) * dilation, boundary, cval))
            for j in range(len(w))]


def _layout(n, k, mode, origin, dilation):
    """Output positions (in the input's time) and the boundary in force."""
    span = (k - 1) * dilation + 1
    if origin is None:
        origin = (k - 1) // 2
    if mode == "full":
        # y_full[s] = sum_j w[j] x[s - j*d], s = 0 .. n + span - 2, zeros outside
        return range(n + span - 1), 0, "constant", 0.0
    if mode == "valid":
        return range(span - 1, n), 0, "constant", 0.0
    if mode == "causal":
        return range(n), 0, None, None
    if mode == "same":
        return range(n), origin, None, None
    raise ValueError(mode)


def naive_convolve(x, w, mode="full", boundary="constant", cval=0.0, origin=None,
                   dilation=1):
    """``y[t] = sum_j w[j] * x[t - (j - origin) * dilation]`` for one 1-D series.

    ``full``: every overlap with zeros outside; ``valid``: complete windows;
    ``same``: ``n`` outputs with lag 0 at ``origin`` (default ``(k - 1) // 2``);
    ``causal``: origin 0.  ``same`` and ``causal`` extend by ``boundary``.
    """
    x = np.asarray(x)
    w = np.asarray(w)
    times, org, fixed_boundary, fixed_cval = _layout(len(x), len(w), mode, origin, dilation)
    if fixed_boundary is not None:
        boundary, cval = fixed_boundary, fixed_cval
    dtype = np.result_type(x.dtype, w.dtype, np.float64)
    out = np.zeros(len(times), dtype=dtype)
    for o, t in enumerate(times):
        acc = 0
        for wj, xj in _taps(x, w, t, org, dilation, boundary, cval):
            acc += wj * xj
        out[o] = acc
    return out


def naive_normalized(x, w, mode="same", boundary="constant", cval=np.nan, origin=None,
                     dilation=1, min_weight=None):
    """Normalised convolution (``nan="ignore"``): non-finite samples are skipped and
    ``y = sum_present w x * sum|w| / sum_present |w|``; NaN where no weight (or
    less than ``min_weight`` of the total absolute weight) is present."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    times, org, fixed_boundary, fixed_cval = _layout(len(x), len(w), mode, origin, dilation)
    if fixed_boundary is not None:
        boundary, cval = fixed_boundary, fixed_cval
    total = np.abs(w).sum()
    out = np.full(len(times), np.nan)
    for o, t in enumerate(times):
        num = 0.0
        present = 0.0
        for wj, xj in _taps(x, w, t, org, dilation, boundary, cval):
            if np.isfinite(xj):
                num += wj * xj
                present += abs(wj)
        fraction = present / total
        if fraction <= 1e-12:
            continue
        if min_weight is not None and fraction < min_weight - 1e-12:
            continue
        out[o] = num / fraction
    return out


def naive_rolling_mean(x, window, min_periods, center=False, propagate=False):
    """pandas' ``rolling(window, min_periods, center).mean()``, by its definition:
    the window ends at ``t + (window - 1) // 2`` when centred, else at ``t``; NaN
    and +-inf are missing.  With ``propagate`` they are values instead, so the
    plain mean of the window (NaN, +-inf, or NaN for +inf with -inf) is the output."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    shift = (window - 1) // 2 if center else 0
    out = np.full(n, np.nan)
    for t in range(n):
        hi = t + shift
        present = [x[i] for i in range(hi - window + 1, hi + 1) if 0 <= i < n]
        vals = present if propagate else [v for v in present if np.isfinite(v)]
        if len(vals) >= max(min_periods, 1):
            with np.errstate(invalid="ignore"):
                out[t] = np.mean(vals)
    return out


def naive_recursive(x, coefs, init=None):
    """``y[t] = x[t] + sum_i coefs[i] * y[t - 1 - i]``, ``init[i]`` = ``y[-1 - i]``."""
    x = np.asarray(x, dtype=np.float64)
    p = len(coefs)
    past = list(np.zeros(p) if init is None else np.asarray(init, dtype=np.float64))
    out = np.empty_like(x)
    for t in range(len(x)):
        acc = x[t]
        for i in range(p):
            acc += coefs[i] * past[i]
        out[t] = acc
        past = [acc] + past[:-1]
    return out


# ---------------------------------------------------------------------------
# template matching (sigconv.match)


def naive_ncc(x, template, *, dtype=np.float64, starts=None, chunk=1 << 20):
    """Pearson correlation of ``template`` with the windows of ``x`` that start at
    ``starts`` (default every start ``0 .. n - m``), window by window in ``dtype``.

    Each window is centred on its own mean (twice, so the second pass removes the
    rounding error of the first), then ``sum(w c) / sqrt(sum(w w) sum(c c))`` with
    ``c`` the centred template, which is ``sum (x - mean)(t - mean) / (m std std)``
    with population stds.  Exactly constant windows and windows holding NaN or
    inf give NaN.  ``dtype=np.longdouble`` is the high-precision reference.
    """
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(template, dtype=np.float64).astype(dtype)
    m = t.size
    c = t - t.mean()
    c = c - c.mean()
    windows = np.lib.stride_tricks.sliding_window_view(x, m)
    starts = np.arange(windows.shape[0]) if starts is None else np.asarray(starts)
    out = np.full(starts.size, np.nan)
    step = max(1, chunk // m)
    for lo in range(0, starts.size, step):
        w64 = windows[starts[lo:lo + step]]
        bad = ~np.isfinite(w64).all(axis=1) | (w64 == w64[:, :1]).all(axis=1)
        w = w64[~bad].astype(dtype)
        w = w - w.mean(axis=1, keepdims=True)
        w = w - w.mean(axis=1, keepdims=True)
        num = (w * c).sum(axis=1)
        den = np.sqrt((w * w).sum(axis=1) * (c * c).sum())
        block = out[lo:lo + step]
        block[~bad] = (num / den).astype(np.float64)
    return out


def naive_distance(ncc, m):
    """z-normalised Euclidean distance from the correlation: ``sqrt(2 m (1 - ncc))``,
    0 where rounding makes ``ncc`` exceed 1, NaN where ``ncc`` is NaN."""
    ncc = np.asarray(ncc, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.fmax(2.0 * m * (1.0 - ncc), 0.0) + 0.0 * ncc)


def exact_ncc(window, template):
    """The correlation of one window with the template in exact rational arithmetic
    (``fractions.Fraction`` of the float64 values), rounded once at the end."""
    import math
    from fractions import Fraction

    w = [Fraction(float(v)) for v in window]
    t = [Fraction(float(v)) for v in template]
    m = len(t)
    wbar, tbar = sum(w) / m, sum(t) / m
    num = sum((a - wbar) * (b - tbar) for a, b in zip(w, t))
    sww = sum((a - wbar) ** 2 for a in w)
    stt = sum((b - tbar) ** 2 for b in t)
    if sww == 0:
        return math.nan
    return math.copysign(math.sqrt(num * num / (sww * stt)), num)


def naive_greedy_matches(scores, *, k=None, threshold=-np.inf, exclusion, inclusive=True):
    """Greedy non-overlapping peaks of a score profile: repeatedly take the highest
    score not yet excluded, then exclude every start within ``exclusion`` of it
    (``|s - s0| <= exclusion`` when ``inclusive``, else ``< exclusion``); stop after
    ``k`` picks or when the next score is below ``threshold``.  NaN scores are
    never taken; ties go to the earlier start.  Returns the starts in pick order."""
    scores = np.asarray(scores, dtype=np.float64)
    blocked = np.zeros(scores.size, dtype=bool)
    reach = exclusion if inclusive else exclusion - 1
    picks = []
    for i in np.argsort(-scores, kind="stable"):
        if not scores[i] >= threshold or (k is not None and len(picks) >= k):
            break
        if blocked[i]:
            continue
        picks.append(int(i))
        if reach >= 0:
            blocked[max(0, i - reach):i + reach + 1] = True
    return np.array(picks, dtype=np.int64)
