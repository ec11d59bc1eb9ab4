"""Monte-Carlo convolution: neighbours drawn with the kernel's probabilities."""
import numba as nb
import numpy as np

# Boundary codes, in the order of engine.BOUNDARIES.
CONSTANT, REFLECT, MIRROR, NEAREST, WRAP = range(5)

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@nb.njit(cache=True)
def _uniform(key, counter):
    """A uniform in [0, 1) that depends only on (key, counter): splitmix64.

    Counter-based, so every output draws the same numbers whichever thread
    computes it, and a seed reproduces the result on any number of threads.
    """
    z = key + (counter + np.uint64(1)) * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z = z ^ (z >> np.uint64(31))
    return np.float64(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@nb.njit(cache=True)
def alias_table(p):
    """Walker's alias table (Vose's construction) for the probabilities ``p``."""
    k = p.size
    prob = np.empty(k)
    alias = np.zeros(k, dtype=np.int64)
    scaled = p * k
    small = np.empty(k, dtype=np.int64)
    large = np.empty(k, dtype=np.int64)
    n_small = n_large = 0
    for i in range(k):
        if scaled[i] < 1.0:
            small[n_small] = i
            n_small += 1
        else:
            large[n_large] = i
            n_large += 1
    while n_small and n_large:
        n_small -= 1
        s = small[n_small]
        g = large[n_large - 1]
        prob[s] = scaled[s]
        alias[s] = g
        scaled[g] = scaled[g] + scaled[s] - 1.0
        if scaled[g] < 1.0:
            n_large -= 1
            small[n_small] = g
            n_small += 1
    for i in range(n_large):
        prob[large[i]] = 1.0
    for i in range(n_small):  # round-off leftovers
        prob[small[i]] = 1.0
    return prob, alias


@nb.njit(cache=True)
def _sample(x, i, boundary, cval):
    n = x.size
    if 0 <= i < n:
        return np.float64(x[i])
    if boundary == CONSTANT:
        return cval
    if boundary == NEAREST:
        return np.float64(x[0 if i < 0 else n - 1])
    if boundary == WRAP:
        return np.float64(x[i % n])
    if boundary == REFLECT:
        i = i % (2 * n)
        return np.float64(x[2 * n - 1 - i if i >= n else i])
    if n == 1:
        return np.float64(x[0])
    i = i % (2 * n - 2)  # mirror
    return np.float64(x[2 * n - 2 - i if i >= n else i])


@nb.njit(cache=True, parallel=True)
def stochastic_convolve(x, prob, alias, shifts, n_samples, key, boundary, cval, estimate,
                        stderr):
    """For each output, average ``n_samples`` values ``x[t + shifts[j]]`` with ``j``
    drawn from the alias table; ``stderr`` is the sample standard deviation
    over ``sqrt(n_samples)``.  Draw ``s`` of output ``(r, t)`` uses counter
    ``(r * n + t) * n_samples + s``.
    """
    m, n = x.shape
    k = prob.size
    for job in nb.prange(m * n):
        r = job // n
        t = job % n
        row = x[r]
        mean = 0.0
        m2 = 0.0
        base = np.uint64(job) * np.uint64(n_samples)
        for s in range(n_samples):
            u = _uniform(key, base + np.uint64(s)) * k
            j = min(int(u), k - 1)
            if u - j >= prob[j]:
                j = alias[j]
            v = _sample(row, t + shifts[j], boundary, cval)
            delta = v - mean           # Welford: stable running mean and variance
            mean += delta / (s + 1)
            m2 += delta * (v - mean)
        estimate[r, t] = mean
        stderr[r, t] = np.sqrt(m2 / (n_samples - 1) / n_samples)
