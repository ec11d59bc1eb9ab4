"""Kalman filter for ARIMA state-space models and the exact Gaussian likelihood.

Conventions: ``ar[j - 1]`` and ``ma[j - 1]`` are the coefficients of the
expanded (seasonal times non-seasonal) polynomials ``1 - sum ar_j B^j`` and
``1 + sum ma_j B^j``; ``delta[j - 1]`` those of the differencing polynomial
``1 - sum delta_j B^j``.  Variances are in units of the innovation variance.
"""
import numba as nb
import numpy as np

_LOG_2PI = np.log(2.0 * np.pi)


@nb.njit(cache=True)
def psi_weights(ar, ma, n):
    """The first ``n`` coefficients of ``(1 + sum ma_j B^j) / (1 - sum ar_j B^j)``."""
    psi = np.zeros(n)
    for j in range(n):
        acc = 1.0 if j == 0 else (ma[j - 1] if j <= ma.size else 0.0)
        for i in range(1, min(j, ar.size) + 1):
            acc += ar[i - 1] * psi[j - i]
        psi[j] = acc
    return psi


@nb.njit(cache=True)
def _solve(a, b):
    """Gaussian elimination with partial pivoting; ``a`` and ``b`` are overwritten.
    Returns False when ``a`` is singular."""
    n = b.size
    for k in range(n):
        pivot = k
        for i in range(k + 1, n):
            if abs(a[i, k]) > abs(a[pivot, k]):
                pivot = i
        if a[pivot, k] == 0.0:
            return False
        if pivot != k:
            for j in range(n):
                a[k, j], a[pivot, j] = a[pivot, j], a[k, j]
            b[k], b[pivot] = b[pivot], b[k]
        for i in range(k + 1, n):
            factor = a[i, k] / a[k, k]
            if factor != 0.0:
                for j in range(k, n):
                    a[i, j] -= factor * a[k, j]
                b[i] -= factor * b[k]
    for k in range(n - 1, -1, -1):
        acc = b[k]
        for j in range(k + 1, n):
            acc -= a[k, j] * b[j]
        b[k] = acc / a[k, k]
    return True


@nb.njit(cache=True)
def arma_acovf(ar, ma, nlags):
    """Autocovariances 0..nlags of a stationary ARMA process with unit innovations.

    The first ``p + 1`` solve the linear equations ``gamma_k - sum_i ar_i
    gamma_|k-i| = sum_{j>=k} ma_j psi_{j-k}`` (Brockwell & Davis, 3.3.8); the
    rest follow the AR recursion.  Returns NaN when the AR part has a unit root.
    """
    p, q = ar.size, ma.size
    psi = psi_weights(ar, ma, q + 1)
    rhs = np.zeros(max(p, nlags) + 1)
    for k in range(min(q, rhs.size - 1) + 1):
        acc = 0.0
        for j in range(k, q + 1):
            acc += (1.0 if j == 0 else ma[j - 1]) * psi[j - k]
        rhs[k] = acc
    gamma = np.empty(max(p, nlags) + 1)
    a = np.eye(p + 1)
    b = rhs[:p + 1].copy()
    for k in range(p + 1):
        for i in range(1, p + 1):
            a[k, abs(k - i)] -= ar[i - 1]
    if not _solve(a, b):
        gamma[:] = np.nan
        return gamma
    gamma[:p + 1] = b
    for k in range(p + 1, gamma.size):
        acc = rhs[k]
        for i in range(1, p + 1):
            acc += ar[i - 1] * gamma[k - i]
        gamma[k] = acc
    return gamma


@nb.njit(cache=True)
def _harvey_cov(ar, ma, m, out, offset):
    """Stationary covariance of Harvey's ARMA state, written at ``out[offset:, offset:]``.

    State element i is ``sum_{k>=i} ar_{k+1} w_{t-1-k+i} + ma_k e_{t-k+i}``, a
    linear map F u + G e of the past values ``u_l = w_{t-1-l}`` and shocks
    ``e_l = e_{t-l}``; with their (cross-)covariances Gamma, I and C, the
    covariance is ``F Gamma F' + G G' + F C G' + G C' F'``.  O(m^3).
    """
    gamma = arma_acovf(ar, ma, m)
    psi = psi_weights(ar, ma, m + 1)
    f = np.zeros((m, m))
    g = np.zeros((m, m))
    for i in range(m):
        for lag in range(m - i):
            k = lag + i
            f[i, lag] = ar[k] if k < ar.size else 0.0
            g[i, lag] = 1.0 if k == 0 else (ma[k - 1] if k <= ma.size else 0.0)
    big = np.empty((m, m))   # Gamma + C with C[l, l'] = psi_{l'-l-1} above the diagonal
    cross = np.zeros((m, m))
    for l1 in range(m):
        for l2 in range(m):
            big[l1, l2] = gamma[abs(l1 - l2)]
            if l2 > l1:
                cross[l1, l2] = psi[l2 - l1 - 1]
    fg = f @ big @ f.T + g @ g.T
    fc = f @ cross @ g.T
    for i in range(m):
        for j in range(m):
            out[offset + i, offset + j] = fg[i, j] + fc[i, j] + fc[j, i]


@nb.njit(cache=True)
def state_space(ar, ma, delta):
    """Transition T, observation row Z, shock loading R and initial covariance P0.

    The state is ``(u_{t-1}, .., u_{t-r}, h_t)``: the last ``r = len(delta)``
    values of the undifferenced series (diffuse: their initial covariance is
    0 here and the caller adds one regression column each) followed by
    Harvey's ARMA state ``h_t`` of size ``m = max(p, q + 1)``.
    """
    r = delta.size
    m = max(ar.size, ma.size + 1)
    dim = r + m
    t = np.zeros((dim, dim))
    z = np.zeros(dim)
    rr = np.zeros(dim)
    for j in range(r):
        z[j] = delta[j]
        t[0, j] = delta[j]
        if j:
            t[j, j - 1] = 1.0
    z[r] = 1.0
    if r:
        t[0, r] = 1.0
    for i in range(m):
        t[r + i, r] = ar[i] if i < ar.size else 0.0
        if i + 1 < m:
            t[r + i, r + i + 1] = 1.0
        rr[r + i] = 1.0 if i == 0 else (ma[i - 1] if i <= ma.size else 0.0)
    p0 = np.zeros((dim, dim))
    _harvey_cov(ar, ma, m, p0, r)
    return t, z, rr, p0


@nb.njit(cache=True)
def _sparse_rows(t):
    """T's non-zeros by row (CSR): T has few per row, so products skip the rest."""
    dim = t.shape[0]
    start = np.zeros(dim + 1, dtype=np.int64)
    for i in range(dim):
        start[i + 1] = start[i] + np.count_nonzero(t[i])
    cols = np.empty(start[dim], dtype=np.int64)
    vals = np.empty(start[dim])
    for i in range(dim):
        at = start[i]
        for k in range(dim):
            if t[i, k] != 0.0:
                cols[at], vals[at] = k, t[i, k]
                at += 1
    return start, cols, vals


@nb.njit(cache=True)
def _transition(start, cols, vals, a, out):
    """``out = T a`` for a state vector ``a``."""
    for i in range(start.size - 1):
        acc = 0.0
        for at in range(start[i], start[i + 1]):
            acc += vals[at] * a[cols[at]]
        out[i] = acc


@nb.njit(cache=True)
def _predict(start, cols, vals, p, rr, work):
    """``P <- T P T' + R R'`` in place, in O(nnz(T) dim)."""
    dim = p.shape[0]
    for i in range(dim):
        for j in range(dim):
            work[i, j] = 0.0
        for at in range(start[i], start[i + 1]):
            v, k = vals[at], cols[at]
            for j in range(dim):
                work[i, j] += v * p[k, j]
    for i in range(dim):
        for j in range(dim):
            acc = rr[i] * rr[j]
            for at in range(start[j], start[j + 1]):
                acc += work[i, cols[at]] * vals[at]
            p[i, j] = acc


@nb.njit(cache=True)
def kalman_filter(data, t, z, rr, p0, init, gram, innovations, variances, state, cov):
    """Filter every column of ``data`` (n, c) through the same model.

    Column 0 is the series (NaN = missing: no update); the other columns are
    regressors whose coefficients the caller concentrates out of the
    likelihood.  ``init[:, c]`` is column c's initial state mean, ``p0`` the
    initial covariance.  Accumulates ``gram[a, b] = sum_t v_ta v_tb / f_t``
    over the observed t, stores the innovations (n, c) and their variances
    ``f_t`` (NaN where missing) and leaves the one-step predicted state of
    t = n in ``state`` (dim, c) and ``cov``.  Returns ``(sum log f_t,
    number observed)``.

    When the state is Harvey's (Z = e_1), an observed step leaves row and
    column 0 of the updated covariance zero, so ``T P T'`` is a shift: the
    step costs O(dim^2) with no products.
    """
    n, c = data.shape
    dim = z.size
    a = state
    p = cov
    a[:, :] = init
    p[:, :] = p0
    work = np.empty((dim, dim))
    pz = np.empty(dim)
    updated = np.empty(dim)
    predicted = np.empty(dim)
    v = np.empty(c)
    start, cols, vals = _sparse_rows(t)
    harvey = z[0] == 1.0
    for i in range(1, dim):
        harvey = harvey and z[i] == 0.0
    logf = 0.0
    nobs = 0
    for step in range(n):
        if np.isnan(data[step, 0]):
            innovations[step, :] = np.nan
            variances[step] = np.nan
            for col in range(c):
                _transition(start, cols, vals, a[:, col].copy(), pz)
                a[:, col] = pz
            _predict(start, cols, vals, p, rr, work)
            continue
        for i in range(dim):
            acc = 0.0
            for k in range(dim):
                if z[k] != 0.0:
                    acc += p[i, k] * z[k]
            pz[i] = acc
        f = 0.0
        for k in range(dim):
            f += z[k] * pz[k]
        for col in range(c):
            acc = data[step, col]
            for k in range(dim):
                if z[k] != 0.0:
                    acc -= z[k] * a[k, col]
            v[col] = acc
            innovations[step, col] = acc
        variances[step] = f
        logf += np.log(f)
        nobs += 1
        for i in range(c):
            for j in range(c):
                gram[i, j] += v[i] * v[j] / f
        for col in range(c):   # update, then predict
            for i in range(dim):
                updated[i] = a[i, col] + pz[i] * v[col] / f
            _transition(start, cols, vals, updated, predicted)
            a[:, col] = predicted
        if harvey:
            for i in range(dim - 1):
                for j in range(dim - 1):
                    p[i, j] = p[i + 1, j + 1] - pz[i + 1] * pz[j + 1] / f + rr[i] * rr[j]
            for i in range(dim):
                p[i, dim - 1] = rr[i] * rr[dim - 1]
                p[dim - 1, i] = rr[i] * rr[dim - 1]
        else:
            for i in range(dim):
                for j in range(dim):
                    p[i, j] -= pz[i] * pz[j] / f
            _predict(start, cols, vals, p, rr, work)
    return logf, nobs


@nb.njit(cache=True)
def _cholesky_logdet(s, k):
    """log det of the leading k x k block of ``s`` (NaN if not positive definite)."""
    if k == 0:
        return 0.0
    low = np.zeros((k, k))
    logdet = 0.0
    for j in range(k):
        acc = s[j, j]
        for i in range(j):
            acc -= low[j, i] * low[j, i]
        if not acc > 0.0:
            return np.nan
        low[j, j] = np.sqrt(acc)
        logdet += 2.0 * np.log(low[j, j])
        for i in range(j + 1, k):
            acc2 = s[i, j]
            for l2 in range(j):
                acc2 -= low[i, l2] * low[j, l2]
            low[i, j] = acc2 / low[j, j]
    return logdet


@nb.njit(cache=True)
def concentrate(gram, coef):
    """Least squares of column 0 on the others from the gram matrix of their
    innovations: writes the coefficients to ``coef`` and returns the residual
    sum of squares (NaN when the regressors are collinear)."""
    c = gram.shape[0]
    k = c - 1
    if k == 0:
        return gram[0, 0]
    s = np.empty((k, k))
    b = np.empty(k)
    for i in range(k):
        b[i] = gram[i + 1, 0]
        for j in range(k):
            s[i, j] = gram[i + 1, j + 1]
    if not _solve(s, b):
        return np.nan
    rss = gram[0, 0]
    for i in range(k):
        coef[i] = b[i]
        rss -= b[i] * gram[i + 1, 0]
    return max(rss, 0.0)


@nb.njit(cache=True)
def profile_loglik(gram, logf, nobs, n_diffuse, coef):
    """Exact log-likelihood with the regression coefficients, the diffuse
    initial values and the innovation variance concentrated out.

    The diffuse columns 1..n_diffuse are integrated out (flat prior, de
    Jong's diffuse likelihood, adding ``log det S_dd``); the rest are fixed
    effects.  Returns ``(llf, sigma2)``.
    """
    rss = concentrate(gram, coef)
    n_eff = nobs - n_diffuse
    if not (rss > 0.0) or n_eff <= 0:
        return np.nan, np.nan
    logdet = _cholesky_logdet(gram[1:, 1:], n_diffuse)
    sigma2 = rss / n_eff
    llf = -0.5 * (n_eff * (_LOG_2PI + np.log(sigma2) + 1.0) + logf + logdet)
    return llf, sigma2
