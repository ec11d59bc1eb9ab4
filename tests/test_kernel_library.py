"""The kernel library and kernel algebra of ``sigconv.kernels`` against closed forms,
published tables and independent implementations (scipy, statsmodels, pandas, numpy,
exact rational arithmetic), plus the error messages of every constructor."""
import math
from fractions import Fraction
from functools import reduce

import numpy as np
import pandas as pd
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss
import scipy.special as sp
from statsmodels.tsa.arima_process import arma2ma
from statsmodels.tsa.seasonal import seasonal_decompose

import sigconv
from sigconv import Kernel, kernels

RNG_SEED = 20240601


def series(n=200, seed=0):
    """A random walk plus noise: a generic test input with trend and jitter."""
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.standard_normal(n)) + rng.standard_normal(n)


def assert_centred_smoother(k, n_taps):
    """Unit gain, ``n_taps`` weights, origin at the centre ``(n_taps - 1) // 2``."""
    assert len(k) == n_taps
    assert k.origin == (n_taps - 1) // 2
    assert abs(k.weights.sum() - 1.0) < 1e-12


# ---------------------------------------------------------------------------
# box, triangular


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10, 25])
def test_box_is_normalised_boxcar(n):
    k = kernels.box(n)
    assert_centred_smoother(k, n)
    expected = ss.windows.boxcar(n) / n
    np.testing.assert_allclose(k.weights, expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 9, 10, 21, 40])
def test_triangular_is_normalised_triang(n):
    k = kernels.triangular(n)
    assert_centred_smoother(k, n)
    w = ss.windows.triang(n)
    np.testing.assert_allclose(k.weights, w / w.sum(), rtol=0, atol=1e-15)


@pytest.mark.parametrize("m", [1, 2, 3, 5, 8])
def test_odd_triangular_is_box_composed_with_itself(m):
    k = kernels.triangular(2 * m - 1)
    composed = kernels.box(m) @ kernels.box(m)
    assert len(k) == len(composed)
    np.testing.assert_allclose(k.weights, composed.weights, rtol=0, atol=1e-15)
    # an even box sits one step off centre, so only odd boxes compose to a centred kernel
    assert k.origin == m - 1
    assert composed.origin == (m - 1 if m % 2 else m - 2)


# ---------------------------------------------------------------------------
# gaussian


@pytest.mark.parametrize("truncate", [1.0, 2.5, 4.0])
@pytest.mark.parametrize("sigma", [0.3, 1.0, 1.7, 3.0, 6.25])
def test_gaussian_matches_ndimage_impulse_response(sigma, truncate):
    k = kernels.gaussian(sigma, truncate=truncate)
    radius = int(truncate * sigma + 0.5)
    assert_centred_smoother(k, 2 * radius + 1)
    impulse = np.zeros(2 * radius + 1 + 20)
    centre = len(impulse) // 2
    impulse[centre] = 1.0
    response = ndi.gaussian_filter1d(impulse, sigma, truncate=truncate, mode="constant")
    expected = response[centre - radius:centre + radius + 1]
    np.testing.assert_allclose(k.weights, expected, rtol=0, atol=1e-15)
    # nothing of ndimage's kernel lies beyond the radius
    assert np.all(response[:centre - radius] == 0) and np.all(response[centre + radius + 1:] == 0)


def test_gaussian_applied_equals_gaussian_filter1d():
    x = series(300, seed=1)
    for sigma in (0.8, 2.0, 5.0):
        y = sigconv.convolve(x, kernels.gaussian(sigma), "same", boundary="reflect")
        np.testing.assert_allclose(y, ndi.gaussian_filter1d(x, sigma, mode="reflect"),
                                   rtol=0, atol=1e-12)


def test_gaussian_default_truncate_is_four():
    for sigma in (0.5, 1.0, 2.4):
        assert kernels.gaussian(sigma) == kernels.gaussian(sigma, truncate=4.0)
        assert len(kernels.gaussian(sigma)) == 2 * int(4.0 * sigma + 0.5) + 1


# ---------------------------------------------------------------------------
# exponential


@pytest.mark.parametrize("alpha, n", [(0.1, 1), (0.1, 30), (0.3, 7), (0.5, 3), (0.9, 12),
                                      (1.0, 5)])
def test_exponential_closed_form(alpha, n):
    k = kernels.exponential(alpha, n)
    assert k.origin == 0 and len(k) == n
    j = np.arange(n)
    w = alpha * (1 - alpha) ** j
    np.testing.assert_allclose(k.weights, w / w.sum(), rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("alpha, n", [(0.05, 40), (0.3, 7), (0.5, 3), (0.85, 10), (1.0, 4)])
def test_exponential_causal_is_pandas_ewm_of_the_window(alpha, n):
    x = series(60, seed=2)
    y = sigconv.convolve(x, kernels.exponential(alpha, n), "causal")
    # the last output for a series of exactly n samples is pandas' adjust=True EMA
    last = sigconv.convolve(x[:n], kernels.exponential(alpha, n), "causal")[-1]
    assert abs(last - pd.Series(x[:n]).ewm(alpha=alpha, adjust=True).mean().iloc[-1]) < 1e-12
    # every output with a full window is the EMA of the last n samples
    for t in range(n - 1, len(x)):
        window = pd.Series(x[t - n + 1:t + 1])
        assert abs(y[t] - window.ewm(alpha=alpha, adjust=True).mean().iloc[-1]) < 1e-12


# ---------------------------------------------------------------------------
# weighted


@pytest.mark.parametrize("center", [False, True])
@pytest.mark.parametrize("weights", [[1.0, 2.0, 3.0], [4.0, 1.0, 0.5, 2.0],
                                     [0.3, -0.1, 1.2, 2.0, 0.7], [5.0, 1.0], [2.0]])
def test_weighted_matches_pandas_rolling_in_time_order(weights, center):
    w = np.asarray(weights)
    n_w = len(w)
    x = series(80, seed=3)
    k = kernels.weighted(weights, center=center)
    y = sigconv.convolve(x, k, "same", cval=np.nan, nan="ignore")
    # pandas hands the window to apply oldest first; center=True holds
    # n_w // 2 samples before t and (n_w - 1) // 2 after it
    ref = pd.Series(x).rolling(n_w, center=center).apply(
        lambda v: np.dot(w, v) / w.sum(), raw=True).to_numpy()
    # the same by a loop, stating the window convention explicitly
    before = n_w // 2 if center else n_w - 1
    naive = np.full(len(x), np.nan)
    for t in range(before, len(x) - (n_w - 1 - before)):
        naive[t] = np.dot(w, x[t - before:t - before + n_w]) / w.sum()
    interior = ~np.isnan(ref)
    np.testing.assert_array_equal(interior, ~np.isnan(naive))
    assert interior.sum() == len(x) - n_w + 1
    np.testing.assert_allclose(y[interior], ref[interior], rtol=0, atol=1e-12)
    np.testing.assert_allclose(y[interior], naive[interior], rtol=0, atol=1e-12)


def test_weighted_origin_and_order():
    k = kernels.weighted([1.0, 2.0, 3.0, 4.0], center=False)
    np.testing.assert_allclose(k.weights, np.array([4.0, 3.0, 2.0, 1.0]) / 10, atol=1e-16)
    assert k.origin == 0
    assert kernels.weighted([1.0, 2.0, 3.0, 4.0], center=True).origin == 1
    assert kernels.weighted([1.0, 2.0, 3.0, 4.0, 5.0], center=True).origin == 2


# ---------------------------------------------------------------------------
# centered_ma


@pytest.mark.parametrize("m", [2, 3, 4, 5, 7, 12])
def test_centered_ma_weights(m):
    k = kernels.centered_ma(m)
    if m % 2:
        expected = np.ones(m) / m
    else:
        expected = np.r_[0.5, np.ones(m - 1), 0.5] / m
    assert_centred_smoother(k, len(expected))
    np.testing.assert_allclose(k.weights, expected, rtol=0, atol=1e-16)


@pytest.mark.parametrize("m", [3, 4, 7, 12])
def test_centered_ma_is_the_seasonal_decompose_trend_filter(m):
    x = series(10 * m + 3, seed=4) + 10.0
    trend = seasonal_decompose(x, period=m, model="additive").trend
    y = sigconv.convolve(x, kernels.centered_ma(m), "same")
    interior = ~np.isnan(trend)
    assert interior.sum() == len(x) - 2 * (m // 2)
    np.testing.assert_allclose(y[interior], trend[interior], rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------
# henderson

# Published symmetric weights (first half and centre), with the number of
# decimals of the table: ABS, "A Guide to Interpreting Time Series" (2003);
# Kenny and Durbin (1982) for the 13-term filter of X-11.
HENDERSON_TABLES = {
    5: ([-0.073, 0.294, 0.559], 3),
    7: ([-0.059, 0.059, 0.294, 0.412], 3),
    9: ([-0.041, -0.010, 0.119, 0.267, 0.330], 3),
    13: ([-0.01935, -0.02786, 0.0, 0.06549, 0.14736, 0.21434, 0.24006], 5),
}
# The ABS tables round the 7- and 9-term weights so that the rounded weights
# sum to exactly 1, moving a few weights by more than half a unit: the exact
# values (closed form, and the least-squares construction below) are
# 0.41259 (7-term centre), 0.11847 and 0.33114 (9-term).  Tolerances there:
HENDERSON_TABLE_ADJUSTED = {7: {3: 6e-4}, 9: {2: 6e-4, 4: 1.2e-3}}


@pytest.mark.parametrize("n", sorted(HENDERSON_TABLES))
def test_henderson_published_weights(n):
    half, decimals = HENDERSON_TABLES[n]
    published = np.r_[half, half[-2::-1]]
    k = kernels.henderson(n)
    assert_centred_smoother(k, n)
    tol = np.full(n, 0.5 * 10.0**-decimals + 1e-12)
    for i, t in HENDERSON_TABLE_ADJUSTED.get(n, {}).items():
        tol[[i, n - 1 - i]] = t
    assert np.all(np.abs(k.weights - published) <= tol), k.weights - published


def henderson_by_least_squares(n):
    """The symmetric filter of ``n`` weights that passes cubics and minimises the sum
    of squared third differences of its weights (zero outside the span), by solving
    the equality-constrained least-squares problem's KKT system."""
    p = (n - 1) // 2
    # third differences of the weights padded by three zeros on either side
    embed = np.zeros((n + 6, n))
    embed[3:3 + n] = np.eye(n)
    third = np.diff(np.eye(n + 6), 3, axis=0) @ embed
    q = third.T @ third
    u = np.arange(-p, p + 1) / p                 # scaled lags: same constraints, better scaled
    a = np.vander(u, 4, increasing=True).T       # moments 0..3
    b = np.array([1.0, 0.0, 0.0, 0.0])
    kkt = np.block([[2 * q, a.T], [a, np.zeros((4, 4))]])
    solution = np.linalg.solve(kkt, np.r_[np.zeros(n), b])
    return solution[:n]


@pytest.mark.parametrize("n", [5, 7, 9, 11, 13, 15, 17, 23, 31, 41])
def test_henderson_is_the_smoothest_cubic_preserving_filter(n):
    k = kernels.henderson(n)
    np.testing.assert_allclose(k.weights, henderson_by_least_squares(n), rtol=0, atol=1e-10)
    w = k.weights
    np.testing.assert_array_equal(w, w[::-1])
    assert abs(w.sum() - 1.0) < 1e-13
    j = k.lags.astype(float)
    for power_ in (1, 2, 3):
        assert abs(np.dot(j**power_, w)) < 1e-12 * np.abs(j**power_).max()


@pytest.mark.parametrize("n", [5, 9, 13, 23])
def test_henderson_reproduces_cubics(n):
    t = np.arange(80.0)
    cubic = 0.002 * t**3 - 0.3 * t**2 + 4.0 * t - 7.0
    y = sigconv.convolve(cubic, kernels.henderson(n), "valid")
    half = n // 2
    np.testing.assert_allclose(y, cubic[half:len(t) - half], rtol=1e-12, atol=1e-9)
    quartic = t**4
    y4 = sigconv.convolve(quartic, kernels.henderson(n), "valid")
    assert np.abs(y4 - quartic[half:len(t) - half]).max() > 1.0  # and no more than cubics


def test_henderson_three_terms_is_the_identity():
    np.testing.assert_allclose(kernels.henderson(3).weights, [0.0, 1.0, 0.0], atol=1e-15)


# ---------------------------------------------------------------------------
# spencer15


def test_spencer15_published_and_as_composition():
    k = kernels.spencer15()
    published = np.array([-3, -6, -5, 3, 21, 46, 67, 74, 67, 46, 21, 3, -5, -6, -3]) / 320
    assert_centred_smoother(k, 15)
    np.testing.assert_allclose(k.weights, published, rtol=0, atol=1e-16)
    # Spencer's construction: [4] [4] [5] averages of [-3, 3, 4, 3, -3] / 4
    composed = (kernels.box(4) @ kernels.box(4) @ kernels.box(5)
                @ Kernel(np.array([-3.0, 3.0, 4.0, 3.0, -3.0]) / 4))
    assert len(composed) == len(k)
    np.testing.assert_allclose(k.weights, composed.weights, rtol=0, atol=1e-15)


# ---------------------------------------------------------------------------
# savgol


@pytest.mark.parametrize("window, polyorder, deriv, delta", [
    (1, 0, 0, 1.0), (3, 0, 0, 1.0), (3, 1, 1, 1.0), (5, 2, 0, 1.0), (5, 2, 1, 0.5),
    (5, 2, 2, 1.0), (7, 3, 0, 1.0), (7, 3, 1, 2.0), (9, 4, 3, 0.1), (11, 5, 2, 1.0),
    (15, 2, 0, 1.0), (21, 6, 4, 1.0), (25, 4, 1, 0.25), (31, 3, 0, 1.0), (31, 5, 2, 1.0),
])
def test_savgol_matches_scipy(window, polyorder, deriv, delta):
    k = kernels.savgol(window, polyorder, deriv=deriv, delta=delta)
    expected = ss.savgol_coeffs(window, polyorder, deriv=deriv, delta=delta, use="conv")
    assert len(k) == window and k.origin == window // 2
    scale = max(1.0, np.abs(expected).max())
    np.testing.assert_allclose(k.weights, expected, rtol=0, atol=1e-10 * scale)


def savgol_exact(window, polyorder, deriv, delta):
    """Savitzky-Golay weights by exact rational arithmetic on the normal equations.

    Returns floats in scipy's ``use="conv"`` order (``h[i]`` multiplies
    ``x[t - (i - half)]``).
    """
    half = window // 2
    lags = range(-half, half + 1)
    size = polyorder + 1
    # normal equations (V^T V) a = e_deriv, V[j, p] = lag_j ** p
    gram = [[Fraction(sum(j ** (r + c) for j in lags)) for c in range(size)]
            for r in range(size)]
    rhs = [Fraction(int(r == deriv)) for r in range(size)]
    for col in range(size):                      # Gauss-Jordan, exact
        pivot = next(r for r in range(col, size) if gram[r][col] != 0)
        gram[col], gram[pivot] = gram[pivot], gram[col]
        rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        for r in range(size):
            if r != col and gram[r][col] != 0:
                f = gram[r][col] / gram[col][col]
                gram[r] = [a - f * b for a, b in zip(gram[r], gram[col])]
                rhs[r] -= f * rhs[col]
    a = [rhs[r] / gram[r][r] for r in range(size)]
    scale = Fraction(math.factorial(deriv)) / Fraction(delta) ** deriv
    # weight on x[t + lag] is sum_p a_p lag^p; conv order reverses the lags
    return np.array([float(scale * sum(a[p] * Fraction(lag) ** p for p in range(size)))
                     for lag in reversed(lags)])


def test_exact_savgol_reference_agrees_with_scipy_on_small_windows():
    for window, polyorder, deriv, delta in [(5, 2, 0, 1.0), (7, 3, 1, 0.5), (11, 4, 2, 1.0)]:
        np.testing.assert_allclose(
            savgol_exact(window, polyorder, deriv, delta),
            ss.savgol_coeffs(window, polyorder, deriv=deriv, delta=delta, use="conv"),
            rtol=0, atol=1e-13)


@pytest.mark.parametrize("window, polyorder, deriv, delta", [
    (101, 6, 0, 1.0), (101, 6, 1, 1.0), (101, 6, 2, 0.5), (81, 5, 3, 1.0), (61, 8, 0, 1.0),
    (31, 8, 0, 1.0), (31, 8, 2, 1.0), (151, 8, 3, 1.0),
])
def test_savgol_wide_window_matches_exact_arithmetic(window, polyorder, deriv, delta):
    # scipy's own coefficients are off by ~2e-8 for (101, 6) and by ~1e-8 for
    # (31, 8) (1e-5 for (151, 8, 3)): compare with exact ones instead
    k = kernels.savgol(window, polyorder, deriv=deriv, delta=delta)
    np.testing.assert_allclose(k.weights, savgol_exact(window, polyorder, deriv, delta),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("window, polyorder, deriv", [(5, 2, 3), (7, 0, 1), (9, 3, 5)])
def test_savgol_derivative_above_polyorder_is_zero(window, polyorder, deriv):
    k = kernels.savgol(window, polyorder, deriv=deriv)
    assert len(k) == window
    np.testing.assert_array_equal(k.weights, np.zeros(window))
    np.testing.assert_array_equal(
        ss.savgol_coeffs(window, polyorder, deriv=deriv, use="conv"), np.zeros(window))


def test_savgol_applied_matches_savgol_filter_interior():
    x = series(120, seed=5)
    for window, polyorder, deriv in [(7, 2, 0), (11, 3, 1), (15, 4, 2)]:
        y = sigconv.convolve(x, kernels.savgol(window, polyorder, deriv=deriv, delta=0.5),
                             "same")
        ref = ss.savgol_filter(x, window, polyorder, deriv=deriv, delta=0.5, mode="interp")
        h = window // 2
        np.testing.assert_allclose(y[h:-h], ref[h:-h], rtol=0, atol=1e-10)


# ---------------------------------------------------------------------------
# difference, seasonal_difference, derivative, laplacian


@pytest.mark.parametrize("d", [0, 1, 2, 3, 5, 8])
def test_difference_binomial_weights_and_np_diff(d):
    k = kernels.difference(d)
    j = np.arange(d + 1)
    expected = sp.comb(d, j, exact=False) * (-1.0) ** j
    assert k.origin == 0 and len(k) == d + 1
    np.testing.assert_array_equal(k.weights, expected)
    x = series(50, seed=6)
    y = sigconv.convolve(x, k, "causal")
    np.testing.assert_allclose(y[d:], np.diff(x, n=d), rtol=0,
                               atol=1e-12 * 2.0**d * np.abs(x).max())
    np.testing.assert_allclose(sigconv.convolve(x, k, "valid"), np.diff(x, n=d), rtol=0,
                               atol=1e-12 * 2.0**d * np.abs(x).max())


@pytest.mark.parametrize("s", [1, 4, 7, 12])
def test_seasonal_difference(s):
    x = series(100, seed=7)
    k1 = kernels.seasonal_difference(s)
    assert k1.origin == 0 and len(k1) == s + 1
    y1 = sigconv.convolve(x, k1, "causal")
    np.testing.assert_allclose(y1[s:], x[s:] - x[:-s], rtol=0, atol=1e-12)
    k2 = kernels.seasonal_difference(s, 2)
    assert k2.origin == 0 and len(k2) == 2 * s + 1
    once = x[s:] - x[:-s]
    twice = once[s:] - once[:-s]
    y2 = sigconv.convolve(x, k2, "causal")
    np.testing.assert_allclose(y2[2 * s:], twice, rtol=0, atol=1e-12)
    assert kernels.seasonal_difference(s, 0) == Kernel([1.0], origin=0)


def test_derivative_is_np_gradient_interior():
    x = series(60, seed=8)
    k = kernels.derivative()
    assert k.origin == 1 and len(k) == 3
    y = sigconv.convolve(x, k, "same")
    np.testing.assert_allclose(y[1:-1], np.gradient(x)[1:-1], rtol=0, atol=1e-13)
    t = np.linspace(0.0, 3.0, 31)
    np.testing.assert_allclose(sigconv.convolve(t**2, k, "valid") / (t[1] - t[0]),
                               2 * t[1:-1], rtol=0, atol=1e-12)


def test_laplacian_is_second_difference():
    x = series(60, seed=9)
    k = kernels.laplacian()
    assert k.origin == 1
    np.testing.assert_allclose(sigconv.convolve(x, k, "valid"), np.diff(x, 2), rtol=0,
                               atol=1e-12)
    np.testing.assert_allclose(sigconv.convolve(x, k, "same")[1:-1], np.diff(x, 2), rtol=0,
                               atol=1e-12)


# ---------------------------------------------------------------------------
# window, lowpass


@pytest.mark.parametrize("n", [3, 4, 11, 16, 51])
@pytest.mark.parametrize("name", ["hann", "hamming", "blackman", ("kaiser", 8.0), "bartlett"])
def test_window_is_normalised_get_window(name, n):
    k = kernels.window(name, n)
    w = ss.get_window(name, n, fftbins=False)
    assert_centred_smoother(k, n)
    np.testing.assert_allclose(k.weights, w / w.sum(), rtol=0, atol=1e-15)
    np.testing.assert_allclose(k.weights, k.weights[::-1], rtol=0, atol=1e-15)


@pytest.mark.parametrize("cutoff, n, window, fs", [
    (0.1, 31, "hamming", 1.0), (0.1, 30, "hamming", 1.0), (0.25, 11, "hann", 1.0),
    (0.4, 64, "blackman", 1.0), (0.05, 101, ("kaiser", 6.0), 1.0), (5.0, 41, "hamming", 44.1),
    (300.0, 20, "hann", 1000.0), (0.3, 1, "hamming", 2.0), (0.7, 7, "boxcar", 2.0),
])
def test_lowpass_matches_firwin(cutoff, n, window, fs):
    k = kernels.lowpass(cutoff, n, window=window, fs=fs)
    expected = ss.firwin(n, cutoff, window=window, fs=fs)
    assert_centred_smoother(k, n)
    np.testing.assert_allclose(k.weights, expected, rtol=0, atol=1e-12)
    gain = np.abs(k.frequency_response(256))
    assert abs(gain[0] - 1.0) < 1e-12


def test_lowpass_default_window_is_hamming_and_fs_one():
    np.testing.assert_allclose(kernels.lowpass(0.2, 25).weights,
                               ss.firwin(25, 0.2, window="hamming", fs=1.0), rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------
# algebra: inverse


@pytest.mark.parametrize("poly", [
    [1.0, -0.5], [1.0, -0.9], [1.0, 0.7, -0.2], [1.0, -1.2, 0.35],
    [2.0, -1.0], [1.0, -1.0], [1.0, -2.0], [1.0, 0.5, -1.5, 0.3], [0.5, 1.0, 1.0],
])
@pytest.mark.parametrize("n_terms", [1, 5, 25])
def test_inverse_solves_k_times_psi_equals_one(poly, n_terms):
    psi = kernels.inverse(poly, n_terms)
    assert psi.origin == 0 and len(psi) == n_terms
    product = (psi @ Kernel(poly, origin=0)).weights[:n_terms]
    expected = np.zeros(n_terms)
    expected[0] = 1.0
    # unstable polynomials make psi grow; the error scales with the terms summed
    scale = max(1.0, np.abs(psi.weights).max() * np.abs(poly).sum())
    np.testing.assert_allclose(product, expected, rtol=0, atol=1e-12 * scale)


@pytest.mark.parametrize("phi", [0.5, -0.8, 0.99, 1.5])
def test_inverse_of_ar1_is_geometric(phi):
    psi = kernels.inverse(Kernel([1.0, -phi], origin=0), 30)
    expected = phi ** np.arange(30)
    np.testing.assert_allclose(psi.weights, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("ar, ma", [
    ([1.0, -0.6, 0.2], [1.0]), ([1.0, -0.6, 0.2], [1.0, 0.4]),
    ([1.0, -1.1, 0.3, 0.05], [1.0, -0.3, 0.25]), ([1.0, 0.5], [1.0, 0.8, 0.1]),
])
def test_inverse_gives_statsmodels_psi_weights(ar, ma):
    n = 40
    psi = (kernels.inverse(ar, n) @ Kernel(ma, origin=0)).weights[:n]
    np.testing.assert_allclose(psi, arma2ma(np.array(ar), np.array(ma), lags=n),
                               rtol=0, atol=1e-12)


def test_inverse_of_a_scalar_and_of_a_monic_identity():
    np.testing.assert_allclose(kernels.inverse(4.0, 3).weights, [0.25, 0.0, 0.0], atol=0)
    np.testing.assert_array_equal(kernels.inverse([1.0], 4).weights, [1.0, 0.0, 0.0, 0.0])


# ---------------------------------------------------------------------------
# algebra: compose, power, frequency response


def random_kernels(seed=RNG_SEED):
    rng = np.random.default_rng(seed)
    return [Kernel(rng.standard_normal(4), origin=0),
            Kernel(rng.standard_normal(5), origin=3),
            Kernel(rng.standard_normal(3), origin=1)]


def test_compose_is_chained_matmul_and_np_convolve():
    a, b, c = random_kernels()
    k = kernels.compose(a, b, c)
    assert k == a @ b @ c
    expected = np.convolve(np.convolve(a.weights, b.weights), c.weights)
    np.testing.assert_allclose(k.weights, expected, rtol=0, atol=1e-14)
    assert k.origin == a.origin + b.origin + c.origin
    assert kernels.compose() == Kernel([1.0], origin=0)
    assert kernels.compose(b) == b
    # causal kernels compose to a causal kernel
    assert kernels.compose(kernels.difference(), kernels.seasonal_difference(4)).origin == 0


def test_compose_applied_equals_applying_in_turn():
    a, b, _ = random_kernels(seed=1)
    x = series(150, seed=10)
    ab = kernels.compose(a, b)
    full = sigconv.convolve(x, ab, "full")
    in_turn = sigconv.convolve(sigconv.convolve(x, a, "full"), b, "full")
    np.testing.assert_allclose(full, in_turn, rtol=0, atol=1e-12)
    np.testing.assert_allclose(full, np.convolve(np.convolve(x, a.weights), b.weights),
                               rtol=0, atol=1e-12)
    # "same" with a zero boundary: equal wherever neither pass reaches the edges
    same = sigconv.convolve(x, ab, "same", boundary="constant", cval=0.0)
    same_in_turn = sigconv.convolve(sigconv.convolve(x, a, "same"), b, "same")
    edge = len(ab)
    np.testing.assert_allclose(same[edge:-edge], same_in_turn[edge:-edge], rtol=0, atol=1e-12)
    assert np.abs(same[edge:-edge]).max() > 0.1


def test_frequency_response_of_a_composition_is_the_product():
    a, b, c = random_kernels(seed=2)
    for parts in [(a, b), (a, b, c), (kernels.henderson(13), kernels.difference(2)),
                  (kernels.lowpass(0.1, 30), kernels.gaussian(2.0))]:
        k = kernels.compose(*parts)
        product = reduce(np.multiply, (p.frequency_response(300) for p in parts))
        np.testing.assert_allclose(k.frequency_response(300), product, rtol=0, atol=1e-12)


def test_frequency_response_against_freqz():
    # the response of the composition, checked against scipy rather than itself
    a, b, _ = random_kernels(seed=3)
    k = a @ b
    w, h = ss.freqz(k.weights, worN=128)
    np.testing.assert_allclose(k.frequency_response(128), h * np.exp(1j * w * k.origin),
                               rtol=0, atol=1e-12)
    # a kernel longer than 2n (the weights are folded before the FFT)
    long = kernels.compose(kernels.henderson(41), kernels.lowpass(0.1, 30), b)
    assert len(long) > 2 * 8
    w, h = ss.freqz(long.weights, worN=8)
    np.testing.assert_allclose(long.frequency_response(8), h * np.exp(1j * w * long.origin),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, 13])
def test_power_is_repeated_composition(n):
    a, b, _ = random_kernels(seed=4)
    for k in (a, b, kernels.difference()):
        p = kernels.power(k, n)
        expected = reduce(np.convolve, [k.weights] * n, np.array([1.0]))
        assert len(p) == len(expected) and p.origin == n * k.origin
        scale = np.abs(k.weights).sum() ** n
        np.testing.assert_allclose(p.weights, expected, rtol=0, atol=1e-13 * scale)
    assert kernels.power(kernels.difference(), n) == kernels.difference(n)
    assert kernels.power(kernels.seasonal_difference(4), n) == kernels.seasonal_difference(4, n)


def test_power_zero_is_the_identity():
    identity = kernels.power(kernels.box(5), 0)
    assert identity == Kernel([1.0], origin=0)
    x = series(20, seed=11)
    np.testing.assert_array_equal(sigconv.convolve(x, identity, "same"), x)


# ---------------------------------------------------------------------------
# algebra: softmax


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 3.0, 50.0])
def test_softmax_matches_scipy(temperature):
    rng = np.random.default_rng(12)
    k = Kernel(rng.standard_normal(9) * 3, origin=2)
    s = kernels.softmax(k, temperature)
    np.testing.assert_allclose(s.weights, sp.softmax(k.weights / temperature), rtol=1e-13,
                               atol=1e-300)
    assert s.origin == 2 and len(s) == 9
    assert abs(s.weights.sum() - 1.0) < 1e-14


def test_softmax_extreme_temperatures_and_plain_weights():
    w = np.array([1.0, 4.0, 2.0, -3.0, 0.5])
    hot = kernels.softmax(w, temperature=1e6)
    np.testing.assert_allclose(hot.weights, np.full(5, 0.2), rtol=0, atol=1e-5)
    assert hot.origin == 2                        # plain weights get the centred origin
    cold = kernels.softmax(w, temperature=1e-3)   # no overflow: all mass on the largest
    np.testing.assert_allclose(cold.weights, [0.0, 1.0, 0.0, 0.0, 0.0], rtol=0, atol=1e-12)
    big = kernels.softmax(Kernel([1000.0, 1001.0], origin=1))
    np.testing.assert_allclose(big.weights, sp.softmax([1000.0, 1001.0]), rtol=1e-13)
    assert big.origin == 1


# ---------------------------------------------------------------------------
# errors

BAD_COUNTS = [0, -1, 2.5, True, "3", None]

COUNT_ARGUMENTS = [
    ("box", lambda v: kernels.box(v), "n"),
    ("triangular", lambda v: kernels.triangular(v), "n"),
    ("exponential", lambda v: kernels.exponential(0.5, v), "n"),
    ("centered_ma", lambda v: kernels.centered_ma(v), "m"),
    ("henderson", lambda v: kernels.henderson(v), "n"),
    ("savgol", lambda v: kernels.savgol(v, 0), "window"),
    ("seasonal_difference", lambda v: kernels.seasonal_difference(v), "s"),
    ("window", lambda v: kernels.window("hann", v), "n"),
    ("lowpass", lambda v: kernels.lowpass(0.1, v), "n"),
    ("inverse", lambda v: kernels.inverse([1.0, -0.5], v), "n_terms"),
]


@pytest.mark.parametrize("value", BAD_COUNTS)
@pytest.mark.parametrize("label, call, name", COUNT_ARGUMENTS,
                         ids=[c[0] for c in COUNT_ARGUMENTS])
def test_sizes_must_be_positive_integers(label, call, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be an integer >= \d+; got "):
        call(value)


@pytest.mark.parametrize("value", [-1, 2.0, True, None])
@pytest.mark.parametrize("call, name", [
    (lambda v: kernels.difference(v), "d"),
    (lambda v: kernels.seasonal_difference(4, v), "D"),
    (lambda v: kernels.savgol(5, v), "polyorder"),
    (lambda v: kernels.savgol(5, 2, deriv=v), "deriv"),
    (lambda v: kernels.power([1.0, 2.0], v), "n"),
])
def test_orders_must_be_non_negative_integers(call, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be an integer >= 0; got "):
        call(value)


@pytest.mark.parametrize("value", [0, 0.0, -1, -2.5, True, float("nan"), "1"])
@pytest.mark.parametrize("call, name", [
    (lambda v: kernels.gaussian(v), "sigma"),
    (lambda v: kernels.gaussian(1.0, truncate=v), "truncate"),
    (lambda v: kernels.savgol(5, 2, delta=v), "delta"),
    (lambda v: kernels.softmax([1.0, 2.0], temperature=v), "temperature"),
    (lambda v: kernels.lowpass(0.1, 11, fs=v), "fs"),
])
def test_scales_must_be_positive_reals(call, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be a number in \(0, inf\); got "):
        call(value)


@pytest.mark.parametrize("n", [4, 10, 24])
def test_henderson_and_savgol_need_odd_windows(n):
    with pytest.raises(ValueError, match=rf"^n must be odd .*got {n}"):
        kernels.henderson(n)
    with pytest.raises(ValueError, match=rf"^window must be odd .*got {n}"):
        kernels.savgol(n, 1)
    with pytest.raises(ValueError, match=r"^window must be odd .*got 2"):
        kernels.savgol(2, 1)


@pytest.mark.parametrize("n", [1, 2])
def test_henderson_needs_three_terms(n):
    with pytest.raises(ValueError, match=rf"^n must be an integer >= 3; got {n}"):
        kernels.henderson(n)


@pytest.mark.parametrize("window, polyorder", [(5, 5), (5, 7), (1, 1), (3, 3)])
def test_savgol_polyorder_below_window(window, polyorder):
    with pytest.raises(ValueError, match=rf"^polyorder must be less than window \({window}\)"):
        kernels.savgol(window, polyorder)


@pytest.mark.parametrize("alpha", [0, 0.0, -0.1, 1.0000001, 2, True, float("nan")])
def test_exponential_alpha_in_zero_one(alpha):
    with pytest.raises(ValueError, match=r"^alpha must be a number in \(0, 1\]; got "):
        kernels.exponential(alpha, 5)


# (a bare number is not unknown: get_window reads it as a Kaiser beta)
@pytest.mark.parametrize("name", ["nope", "hanning-ish", ("kaiser",), ("nope", 1.0)])
def test_unknown_window_names(name):
    with pytest.raises(ValueError, match=r"^name must be a window of scipy.signal.get_window"):
        kernels.window(name, 9)
    with pytest.raises(ValueError, match=r"^window must be a window of scipy.signal.get_window"):
        kernels.lowpass(0.1, 9, window=name)


@pytest.mark.parametrize("cutoff, fs", [(0, 1.0), (-0.1, 1.0), (0.5, 1.0), (0.7, 1.0),
                                        (50.0, 100.0), (True, 4.0)])
def test_lowpass_cutoff_inside_nyquist(cutoff, fs):
    high = f"{fs / 2:g}"
    with pytest.raises(ValueError, match=rf"^cutoff must be a number in \(0, {high}\); got "):
        kernels.lowpass(cutoff, 11, fs=fs)


def test_inverse_needs_a_causal_kernel_with_nonzero_lead():
    with pytest.raises(ValueError, match=r"^k must be a causal lag polynomial \(origin 0\); "
                                         r"got origin 1"):
        kernels.inverse(Kernel([1.0, -0.5, 0.2]), 5)
    with pytest.raises(ValueError, match=r"causal lag polynomial.*got origin 2"):
        kernels.inverse(kernels.box(5), 5)
    with pytest.raises(ValueError, match=r"^k\[0\] must be non-zero"):
        kernels.inverse([0.0, 1.0, -0.5], 5)
    with pytest.raises(ValueError, match=r"^k\[0\] must be non-zero"):
        kernels.inverse(Kernel([0.0, 1.0], origin=0), 5)


def test_weighted_rejects_empty_and_zero_sum_weights():
    with pytest.raises(ValueError, match=r"^weights must be 1-D with at least one weight"):
        kernels.weighted([])
    with pytest.raises(ValueError, match=r"^weights must be 1-D"):
        kernels.weighted([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"must not sum to 0"):
        kernels.weighted([1.0, -1.0])
    with pytest.raises(ValueError, match=r"must be finite"):
        kernels.weighted([1.0, np.nan])


def test_window_that_sums_to_zero():
    # the symmetric 2-tap Hann window is [0, 0]
    with pytest.raises(ValueError, match=r"window of 2 taps sums to 0"):
        kernels.window("hann", 2)


def test_algebra_rejects_non_kernels():
    with pytest.raises(ValueError, match=r"^kernels\[1\] must be a Kernel or 1-D weights"):
        kernels.compose(kernels.box(3), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^kernel must be a Kernel or 1-D weights"):
        kernels.softmax(np.ones((2, 3)))
