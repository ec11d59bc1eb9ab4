"""ARIMA estimation: parameter maps, the CSS and exact-likelihood objectives,
and a BFGS minimiser run for many series in parallel.

``spec = (p, q, P, Q, s)``.  A parameter vector is laid out as statsmodels
orders them: ``phi_1..p, Phi_1..P, theta_1..q, Theta_1..Q``.  ``method`` is
0 (CSS), 1 (exact ML) or 2 (CSS start, ML finish).
"""
import numba as nb
import numpy as np

from .kalman import concentrate, kalman_filter, profile_loglik, state_space

# BFGS status codes, explained by sigconv.arima.
CONVERGED, NO_PROGRESS, MAX_ITER, LINE_SEARCH, NOT_FINITE = 0, 1, 2, 3, 4


@nb.njit(cache=True)
def _step_up(x, out, sign):
    """Unconstrained reals -> partial autocorrelations ``x / sqrt(1 + x^2)`` ->
    coefficients of a stationary ``1 - sum c_j B^j`` (Durbin-Levinson), times
    ``sign`` (-1 gives an invertible ``1 + sum theta_j B^j``).  As statsmodels
    and R (Jones 1980, Monahan 1984)."""
    k = x.size
    work = np.empty(k)
    for j in range(k):
        r = x[j] / np.sqrt(1.0 + x[j] * x[j])
        for i in range(j):
            work[i] = out[i] - r * out[j - 1 - i]
        for i in range(j):
            out[i] = work[i]
        out[j] = r
    for j in range(k):
        out[j] *= sign


@nb.njit(cache=True)
def _step_down(c, sign, out):
    """The inverse of :func:`_step_up`; False when the polynomial is not
    stationary (a partial autocorrelation outside (-1, 1))."""
    a = c * sign
    k = a.size
    for j in range(k - 1, -1, -1):
        r = a[j]
        if not abs(r) < 1.0:
            return False
        out[j] = r / np.sqrt(1.0 - r * r)
        prev = np.empty(j)
        for i in range(j):
            prev[i] = (a[i] + r * a[j - 1 - i]) / (1.0 - r * r)
        a[:j] = prev
    return True


@nb.njit(cache=True)
def _blocks(spec):
    p, q, big_p, big_q = spec[0], spec[1], spec[2], spec[3]
    return (0, p), (p, p + big_p), (p + big_p, p + big_p + q), (p + big_p + q,
                                                                p + big_p + q + big_q)


@nb.njit(cache=True)
def constrain(x, spec, out):
    """Unconstrained vector -> stationary AR and invertible MA coefficients."""
    blocks = _blocks(spec)
    for b in range(4):
        lo, hi = blocks[b]
        piece = np.zeros(hi - lo)
        _step_up(x[lo:hi], piece, 1.0 if b < 2 else -1.0)
        out[lo:hi] = piece


@nb.njit(cache=True)
def unconstrain(params, spec, out):
    """The inverse of :func:`constrain`; a polynomial that is not stationary
    (invertible) maps to 0.  Returns False if any did."""
    blocks = _blocks(spec)
    ok = True
    for b in range(4):
        lo, hi = blocks[b]
        piece = np.zeros(hi - lo)
        if _step_down(params[lo:hi].copy(), 1.0 if b < 2 else -1.0, piece):
            out[lo:hi] = piece
        else:
            out[lo:hi] = 0.0
            ok = False
    return ok


@nb.njit(cache=True)
def expand(params, spec):
    """The full AR and MA polynomials ``phi(B) Phi(B^s)`` and ``theta(B) Theta(B^s)``."""
    p, q, big_p, big_q, s = spec[0], spec[1], spec[2], spec[3], spec[4]
    a0, b0, c0, d0 = 0, p, p + big_p, p + big_p + q
    ar = np.zeros(p + s * big_p)
    ma = np.zeros(q + s * big_q)
    # 1 - sum ar_j B^j = (1 - sum phi_i B^i)(1 - sum Phi_k B^sk)
    for i in range(p):
        ar[i] += params[a0 + i]
    for k in range(big_p):
        ar[s * (k + 1) - 1] += params[b0 + k]
        for i in range(p):
            ar[s * (k + 1) + i] -= params[a0 + i] * params[b0 + k]
    for i in range(q):
        ma[i] += params[c0 + i]
    for k in range(big_q):
        ma[s * (k + 1) - 1] += params[d0 + k]
        for i in range(q):
            ma[s * (k + 1) + i] += params[c0 + i] * params[d0 + k]
    return ar, ma


@nb.njit(cache=True)
def css_residuals(data, ar, ma, out):
    """Conditional residuals of every column: ``e_t = x_t - sum ar_j x_{t-j} -
    sum ma_j e_{t-j}`` from t = len(ar) on, with earlier residuals 0 (R's
    ``arima(method="CSS")``)."""
    n, c = data.shape
    start = ar.size
    for col in range(c):
        for step in range(min(start, n)):
            out[step, col] = 0.0
        for step in range(start, n):
            acc = data[step, col]
            for j in range(ar.size):
                acc -= ar[j] * data[step - 1 - j, col]
            for j in range(min(ma.size, step)):
                acc -= ma[j] * out[step - 1 - j, col]
            out[step, col] = acc


@nb.njit(cache=True)
def css_fit(data, ar, ma, coef):
    """``(sigma2, number of residuals)`` of the CSS fit with the regression
    coefficients (columns 1..) concentrated into ``coef``."""
    n, c = data.shape
    resid = np.empty((n, c))
    css_residuals(data, ar, ma, resid)
    gram = np.zeros((c, c))
    for step in range(ar.size, n):
        for i in range(c):
            for j in range(c):
                gram[i, j] += resid[step, i] * resid[step, j]
    n_used = n - ar.size
    return concentrate(gram, coef) / n_used, n_used


@nb.njit(cache=True)
def ml_fit(data, ar, ma, delta, coef, innovations, variances, state, cov):
    """``(llf, sigma2)`` of the exact likelihood; see :func:`kalman.profile_loglik`.

    ``data`` columns: the series, ``len(delta)`` zero columns for the diffuse
    initial values, then the regressors."""
    t, z, rr, p0 = state_space(ar, ma, delta)
    c = data.shape[1]
    r = delta.size
    init = np.zeros((z.size, c))
    for j in range(r):
        init[j, 1 + j] = 1.0
    gram = np.zeros((c, c))
    logf, nobs = kalman_filter(data, t, z, rr, p0, init, gram, innovations, variances, state,
                               cov)
    return profile_loglik(gram, logf, nobs, r, coef)


@nb.njit(cache=True)
def objective(x, data, spec, delta, kind):
    """The function minimised: ``log(sigma2) / 2`` for CSS (R's), minus the
    exact log-likelihood per observation for ML; +inf where undefined."""
    params = np.empty(x.size)
    if kind == 0:
        params[:] = x
    else:
        constrain(x, spec, params)
    ar, ma = expand(params, spec)
    n, c = data.shape
    coef = np.empty(c - 1)
    if kind == 0:
        sigma2, _ = css_fit(data, ar, ma, coef)
        value = 0.5 * np.log(sigma2)
    else:
        dim = delta.size + max(ar.size, ma.size + 1)
        llf, sigma2 = ml_fit(data, ar, ma, delta, coef, np.empty((n, c)), np.empty(n),
                             np.empty((dim, c)), np.empty((dim, dim)))
        value = -llf / n
    return value if np.isfinite(value) else np.inf


@nb.njit(cache=True)
def _gradient(x, f0, data, spec, delta, kind, g):
    """Central differences, step ``1e-5 max(1, |x_i|)`` (truncation error ~1e-11,
    below the round-off of likelihoods with diffuse columns)."""
    xx = x.copy()
    for i in range(x.size):
        h = 1e-5 * max(1.0, abs(x[i]))
        xx[i] = x[i] + h
        up = objective(xx, data, spec, delta, kind)
        xx[i] = x[i] - h
        down = objective(xx, data, spec, delta, kind)
        xx[i] = x[i]
        if np.isfinite(up) and np.isfinite(down):
            g[i] = (up - down) / (2.0 * h)
        elif np.isfinite(up):
            g[i] = (up - f0) / h
        elif np.isfinite(down):
            g[i] = (f0 - down) / h
        else:
            g[i] = 0.0


@nb.njit(cache=True)
def minimize(x, data, spec, delta, kind, gtol, maxiter):
    """BFGS with a backtracking (Armijo) line search; ``x`` is updated in place.

    Stops when the largest gradient component is below ``gtol`` (converged),
    when a step changes the objective by less than 1e-15 relative and moves
    the parameters by less than 1e-10, or no step decreases it while the
    gradient is below 1e-5 (no progress: converged to round-off), or after
    ``maxiter`` iterations.  Returns ``(objective, status, iterations)``.
    """
    k = x.size
    f = objective(x, data, spec, delta, kind)
    if not np.isfinite(f):
        return f, NOT_FINITE, 0
    if k == 0:
        return f, CONVERGED, 0
    g = np.empty(k)
    _gradient(x, f, data, spec, delta, kind, g)
    hinv = np.eye(k)
    g_new = np.empty(k)
    for it in range(maxiter):
        if np.max(np.abs(g)) < gtol:
            return f, CONVERGED, it
        d = -hinv @ g
        slope = g @ d
        if not slope < 0.0:
            hinv = np.eye(k)
            d = -g.copy()
            slope = g @ d
        longest = np.max(np.abs(d))
        step = 1.0 if longest <= 5.0 else 5.0 / longest
        x_new = x + step * d
        f_new = objective(x_new, data, spec, delta, kind)
        while not f_new <= f + 1e-4 * step * slope:
            step *= 0.5
            if step * longest < 1e-14:
                # At the objective's round-off floor a small gradient is as good as zero.
                return f, NO_PROGRESS if np.max(np.abs(g)) < 1e-5 else LINE_SEARCH, it
            x_new = x + step * d
            f_new = objective(x_new, data, spec, delta, kind)
        _gradient(x_new, f_new, data, spec, delta, kind, g_new)
        s = x_new - x
        y = g_new - g
        sy = s @ y
        if sy > 1e-300:
            if it == 0:
                hinv = np.eye(k) * (sy / (y @ y))
            hy = hinv @ y
            rho = 1.0 / sy
            hinv = (hinv - rho * (np.outer(s, hy) + np.outer(hy, s))
                    + (rho * rho * (y @ hy) + rho) * np.outer(s, s))
        small_move = np.max(np.abs(s)) < 1e-10 * max(1.0, np.max(np.abs(x)))
        flat = abs(f - f_new) <= 1e-15 * max(1.0, abs(f))
        x[:] = x_new
        g[:] = g_new
        f = f_new
        if small_move and flat:
            return f, NO_PROGRESS, it + 1
    if np.max(np.abs(g)) < gtol:
        return f, CONVERGED, maxiter
    return f, MAX_ITER, maxiter


@nb.njit(cache=True)
def _fit_one(data, spec, delta, method, x, gtol, maxiter, info):
    """One series: CSS and/or ML; ``x`` holds the start and receives the
    estimates (direct coefficients for CSS, unconstrained for ML).  ``data``
    is differenced when ``delta`` is empty, else in levels (ML only)."""
    # Runtime (not literal) kinds: numba would compile the whole chain once per literal.
    css_kind = method - method
    ml_kind = css_kind + 1
    if method != 1:
        f, status, iters = minimize(x, data, spec, delta, css_kind, gtol, maxiter)
        info[0], info[1], info[2] = f, status, iters
        if method == 0:
            return
        start = np.empty(x.size)
        unconstrain(x.copy(), spec, start)
        x[:] = start
    f, status, iters = minimize(x, data, spec, delta, ml_kind, gtol, maxiter)
    info[0], info[1], info[2] = f, status, info[2] + iters if method == 2 else iters


@nb.njit(cache=True, parallel=True)
def fit_many(data, spec, delta, method, x, gtol, maxiter, info):
    """:func:`_fit_one` for every series (first axis), in parallel."""
    for i in nb.prange(x.shape[0]):
        _fit_one(data[i], spec, delta, method, x[i], gtol, maxiter, info[i])


@nb.njit(cache=True)
def fit_one(data, spec, delta, method, x, gtol, maxiter, info):
    """:func:`_fit_one` on one thread (a single series)."""
    _fit_one(data, spec, delta, method, x, gtol, maxiter, info)
