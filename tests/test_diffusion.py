"""Kernels as propagators: ``propagator``, ``diffuse``, ``heat_kernel`` and
``stochastic_convolve``, each against an independent reference.

References: ``scipy.special.softmax`` for signed propagators, a naive loop of
the stencil ``[r, 1 - 2r, r]`` with ``np.pad`` for ``diffuse``, the Edgeworth
expansion of the lattice random walk for the central-limit comparison with
``heat_kernel``, and ``sigconv.convolve`` with ``propagator(kernel)`` (checked
against scipy elsewhere) for the expectation of ``stochastic_convolve``,
within the standard errors it reports.
"""
import numba
import numpy as np
import pandas as pd
import pytest
import scipy.special
from numpy.polynomial.hermite_e import hermeval

import sigconv
from sigconv import Kernel, kernels
from sigconv.diffusion import diffuse, heat_kernel, propagator, stochastic_convolve

BOUNDARIES = ("constant", "reflect", "mirror", "nearest", "wrap")


def rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------
# propagator


@pytest.mark.parametrize("weights, origin", [([1.0, 2.0, 1.0], None), ([0.0, 3.0, 0.0, 1.0], 0),
                                             ([5.0], None), ([1, 3, 0, 2, 5], 1)])
def test_propagator_normalises_non_negative_kernels(weights, origin):
    k = Kernel(weights, origin=origin)
    p = propagator(k, temperature=0.01)     # temperature unused for non-negative weights
    w = np.asarray(weights, dtype=float)
    np.testing.assert_allclose(p.weights, w / w.sum(), rtol=1e-15)
    assert p.origin == k.origin
    assert np.isclose(p.weights.sum(), 1.0, rtol=0, atol=1e-15)


def test_propagator_plain_array_is_centred():
    p = propagator(np.array([1.0, 2.0, 3.0, 4.0]))
    assert p.origin == 1
    np.testing.assert_allclose(p.weights, [0.1, 0.2, 0.3, 0.4])


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 3.0, 100.0])
def test_propagator_softmax_for_signed_kernels(temperature):
    w = np.array([0.5, -1.0, 2.0, 0.25, -3.0])
    k = Kernel(w, origin=3)
    p = propagator(k, temperature)
    np.testing.assert_allclose(p.weights, scipy.special.softmax(w / temperature), rtol=1e-13)
    assert p.origin == 3
    assert (p.weights > 0).all()
    # Large weights do not overflow.
    big = propagator(Kernel([1000.0, -1000.0, 999.0]), 1.0)
    np.testing.assert_allclose(big.weights, scipy.special.softmax([1000.0, -1000.0, 999.0]))


@pytest.mark.parametrize("temperature", [0.0, -1.0])
def test_propagator_rejects_non_positive_temperature(temperature):
    for w in ([1.0, -1.0], [1.0, 2.0]):
        with pytest.raises(ValueError, match="temperature must be a number in"):
            propagator(w, temperature)


def test_propagator_rejects_all_zero_kernel():
    with pytest.raises(ValueError, match="all zero"):
        propagator([0.0, 0.0, 0.0])


# ---------------------------------------------------------------------------
# diffuse against a naive loop of the stencil


def naive_diffuse(x, steps, rate, boundary):
    x = np.array(x, dtype=float)
    mode = {"reflect": "edge", "wrap": "wrap"}[boundary]
    for _ in range(steps):
        p = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(1, 1)], mode=mode)
        x = rate * p[..., :-2] + (1 - 2 * rate) * p[..., 1:-1] + rate * p[..., 2:]
    return x


@pytest.mark.parametrize("boundary", ["reflect", "wrap"])
@pytest.mark.parametrize("n", [1, 2, 3, 10, 64, 101])
def test_diffuse_matches_naive_stencil(boundary, n):
    g = rng(n)
    for steps in (0, 1, 2, 7, 50, 200):
        for rate in (0.01, 0.1, 0.25, 1 / 3, 0.5):
            x = g.standard_normal(n)
            y = diffuse(x, steps, rate, boundary=boundary)
            np.testing.assert_allclose(y, naive_diffuse(x, steps, rate, boundary), rtol=0,
                                       atol=1e-12 * np.abs(x).max(),
                                       err_msg=f"steps={steps} rate={rate}")


def test_diffuse_one_step_by_hand():
    x = np.array([1.0, 0.0, 0.0, 4.0])
    np.testing.assert_allclose(diffuse(x, 1, 0.25), [0.75, 0.25, 1.0, 3.0], atol=1e-15)
    np.testing.assert_allclose(diffuse(x, 1, 0.25, boundary="wrap"), [1.5, 0.25, 1.0, 2.25],
                               atol=1e-15)


@pytest.mark.parametrize("boundary", ["reflect", "wrap"])
@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_diffuse_conserves_mass(boundary, rate):
    x = rng(1).exponential(size=(3, 97))
    y = diffuse(x, 5000, rate, boundary=boundary)
    np.testing.assert_allclose(y.sum(axis=-1), x.sum(axis=-1), rtol=1e-12)
    # On a short series (odd n, so no mode flips sign forever at rate 1/2) the
    # slowest mode has decayed by exp(-17) or more: the series is flat at its mean.
    short = x[:, :17]
    flat = diffuse(short, 5000, rate, boundary=boundary)
    np.testing.assert_allclose(flat, np.broadcast_to(short.mean(axis=-1, keepdims=True),
                                                     flat.shape), rtol=1e-6)


def test_diffuse_steps_zero_is_a_copy():
    x = rng().standard_normal(10)
    y = diffuse(x, 0, 0.3)
    np.testing.assert_array_equal(y, x)
    assert y is not x
    y[0] = 99.0
    assert x[0] != 99.0


@pytest.mark.parametrize("options, match", [
    ({"rate": 0.51}, r"rate must be a number in \(0, 0.5\]"),
    ({"rate": 0.0}, r"rate must be a number in \(0, 0.5\]"),
    ({"rate": -0.1}, r"rate must be a number in \(0, 0.5\]"),
    ({"steps": -1}, "steps must be an integer >= 0"),
    ({"steps": 2.5}, "steps must be an integer >= 0"),
    ({"boundary": "constant"}, "boundary must be one of 'reflect', 'wrap'"),
    ({"boundary": "mirror"}, "boundary must be one of 'reflect', 'wrap'"),
])
def test_diffuse_errors(options, match):
    args = {"steps": 3, "rate": 0.25}
    args.update(options)
    steps, rate = args.pop("steps"), args.pop("rate")
    with pytest.raises(ValueError, match=match):
        diffuse(rng().standard_normal(8), steps, rate, **args)


@pytest.mark.parametrize("where", [0, 4, 7])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_diffuse_rejects_nonfinite(where, bad):
    x = rng().standard_normal(8)
    x[where] = bad
    for data in (x, pd.Series(x), pd.DataFrame({"a": x})):
        with pytest.raises(ValueError, match="NaN or inf"):
            diffuse(data, 3, 0.25)


def test_diffuse_pandas_and_axes():
    idx = pd.date_range("2024-01-01", periods=30, freq="D", name="day")
    values = rng(2).standard_normal((30, 2))
    frame = pd.DataFrame(values, index=idx, columns=["a", "b"])
    out = diffuse(frame, 10, 0.2)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(idx) and list(out.columns) == ["a", "b"]
    np.testing.assert_allclose(out.to_numpy(), naive_diffuse(values.T, 10, 0.2, "reflect").T,
                               atol=1e-12)
    s = diffuse(frame["a"], 10, 0.2, boundary="wrap")
    assert isinstance(s, pd.Series) and s.name == "a" and s.index.equals(idx)
    np.testing.assert_allclose(s.to_numpy(), naive_diffuse(values[:, 0], 10, 0.2, "wrap"),
                               atol=1e-12)
    np.testing.assert_allclose(diffuse(values, 10, 0.2, axis=0), out.to_numpy(), atol=1e-13)
    assert diffuse(values.astype(np.float32), 10, 0.2, axis=0).dtype == np.float32
    assert diffuse(values, 10, 0.2, axis=0, dtype=np.float32).dtype == np.float32


# ---------------------------------------------------------------------------
# The central limit theorem: the stencil's powers approach heat_kernel
#
# ``steps`` applications of [r, 1 - 2r, r] to an impulse give the distribution
# of a lattice random walk whose steps are -1, 0, +1 with probabilities
# r, 1 - 2r, r: variance 2r, fourth cumulant 2r - 12 r^2, sixth cumulant
# 2r - 60 r^2 + 240 r^3, no odd cumulants.  Its local Edgeworth expansion is
#
#   p(x) = phi_s(x) [1 + K4 / (24 s^4) He4(u)
#                      + K6 / (720 s^6) He6(u) + K4^2 / (1152 s^8) He8(u) + ...],
#
# u = x / s, s^2 = 2 r steps, K_j = steps * kappa_j: the first correction is
# O(steps^-3/2) in absolute terms, the second O(steps^-5/2).


def impulse_response(steps, rate):
    """The diffused impulse and its lags, on a series long enough (20 sigma each
    side) that the reflecting ends do not matter."""
    sigma = np.sqrt(2 * rate * steps)
    half = int(20 * sigma) + 5
    x = np.zeros(2 * half + 1)
    x[half] = 1.0
    return diffuse(x, steps, rate), np.arange(-half, half + 1)


def heat_on(lags, steps, rate):
    """heat_kernel(steps, rate) laid on ``lags``; truncated far out (20 sigma) so that
    truncation and renormalisation are below every effect measured here."""
    k = heat_kernel(steps, rate, truncate=20.0)
    out = np.zeros(lags.size)
    centre = np.flatnonzero(lags == 0)[0]
    out[centre + k.lags] = k.weights
    return out


def edgeworth_terms(lags, steps, rate):
    """The first and second corrections of the local Edgeworth expansion."""
    var = 2 * rate * steps
    sigma = np.sqrt(var)
    k4 = steps * (2 * rate - 12 * rate**2)
    k6 = steps * (2 * rate - 60 * rate**2 + 240 * rate**3)
    u = lags / sigma
    phi = np.exp(-u * u / 2) / (sigma * np.sqrt(2 * np.pi))
    he = [hermeval(u, [0] * j + [1]) for j in range(9)]
    first = phi * k4 / (24 * var**2) * he[4]
    second = phi * (k6 / (720 * var**3) * he[6] + k4**2 / (1152 * var**4) * he[8])
    return first, second


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.4])
@pytest.mark.parametrize("steps", [50, 200, 1000])
def test_heat_kernel_error_is_the_edgeworth_term(steps, rate):
    p, lags = impulse_response(steps, rate)
    error = p - heat_on(lags, steps, rate)
    first, second = edgeworth_terms(lags, steps, rate)
    lead, slack = np.abs(first).max(), np.abs(second).max()
    observed = np.abs(error).max()
    # (a) As large as, and no larger than, the CLT's leading correction predicts.
    assert observed <= 1.3 * lead + 2 * slack
    assert observed >= 0.7 * lead
    # Pointwise: what is left after the leading term is of the next order.
    assert np.abs(error - first).max() <= 1.3 * slack + 1e-15


@pytest.mark.parametrize("steps", [50, 200, 1000])
def test_heat_kernel_error_at_rate_one_sixth_is_next_order(steps):
    """(b) At r = 1/6 the fourth cumulant vanishes and the error drops to the
    O(steps^-5/2) sixth-cumulant term."""
    rate = 1 / 6
    p, lags = impulse_response(steps, rate)
    error = np.abs(p - heat_on(lags, steps, rate)).max()
    first, second = edgeworth_terms(lags, steps, rate)
    assert np.abs(first).max() < 1e-15 * np.abs(second).max() + 1e-300
    assert error <= 1.3 * np.abs(second).max()
    # Much smaller than the leading-order error at neighbouring rates.
    for other in (0.1, 0.25):
        q, other_lags = impulse_response(steps, other)
        other_error = np.abs(q - heat_on(other_lags, steps, other)).max()
        assert error < 0.05 * other_error


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.4])
def test_heat_kernel_error_decays_like_steps_to_minus_three_halves(rate):
    """(c) Four times the steps: (1/4)^(3/2) = 1/8 of the error."""
    errors = []
    for steps in (100, 400):
        p, lags = impulse_response(steps, rate)
        errors.append(np.abs(p - heat_on(lags, steps, rate)).max())
    assert 7.2 < errors[0] / errors[1] < 8.8
    # At r = 1/6 the next order decays like steps^(-5/2): a factor 32.
    sixth = []
    for steps in (100, 400):
        p, lags = impulse_response(steps, 1 / 6)
        sixth.append(np.abs(p - heat_on(lags, steps, 1 / 6)).max())
    assert 28 < sixth[0] / sixth[1] < 36


@pytest.mark.parametrize("steps, rate", [(1, 0.5), (50, 0.1), (1000, 0.4), (7, 1 / 6)])
def test_diffused_impulse_has_unit_mass_and_variance(steps, rate):
    p, lags = impulse_response(steps, rate)
    assert abs(p.sum() - 1.0) < 1e-12
    # The random walk's variance is exactly 2 r steps.
    np.testing.assert_allclose((p * lags**2).sum(), 2 * rate * steps, rtol=1e-10)


@pytest.mark.parametrize("t, D", [(8, 0.25), (50, 0.1), (3, 0.5), (1000, 0.4), (2.5, 0.2)])
def test_heat_kernel_variance(t, D):
    k = heat_kernel(t, D, truncate=8.0)
    assert abs(k.weights.sum() - 1.0) < 1e-14
    assert k.origin == (len(k) - 1) // 2 and np.allclose(k.weights, k.weights[::-1])
    # Sampled on the integers, a Gaussian of sigma >= 1 keeps its variance
    # up to exp(-2 pi^2 sigma^2); the tails beyond 8 sigma are below 1e-14.
    np.testing.assert_allclose((k.weights * k.lags**2).sum(), 2 * D * t, rtol=1e-6)
    assert k == Kernel(kernels.gaussian(np.sqrt(2 * D * t), 8.0).weights)


@pytest.mark.parametrize("options, match", [({"t": 0}, "t must be a number"),
                                            ({"D": -1.0}, "D must be a number"),
                                            ({"truncate": 0.0}, "truncate must be a number")])
def test_heat_kernel_errors(options, match):
    args = {"t": 10.0, "D": 0.25}
    args.update(options)
    with pytest.raises(ValueError, match=match):
        heat_kernel(**args)


# ---------------------------------------------------------------------------
# stochastic_convolve against convolve with the propagator

SKEWED = Kernel([1, 3, 0, 2, 5], origin=1)       # lags -1 .. 3; lag 1 has weight 0


def exact(x, kernel=SKEWED, boundary="constant", cval=0.0):
    return sigconv.convolve(x, propagator(kernel), "same", boundary=boundary, cval=cval,
                            method="direct")


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_stochastic_convolve_within_standard_errors(boundary):
    x = rng(3).standard_normal(20000)
    est, err = stochastic_convolve(x, SKEWED, n_samples=400, seed=11, boundary=boundary,
                                   cval=2.5)
    z = (est - exact(x, boundary=boundary, cval=2.5)) / err
    assert np.isfinite(z).all()
    assert np.mean(np.abs(z) <= 4) >= 0.999
    # z is about standard normal (a t with 399 degrees of freedom, a little
    # wider for these skewed, discrete draws): mean 0 +- 0.007, std 1 +- 0.005.
    assert abs(z.mean()) < 0.04
    assert abs(z.std() - 1.0) < 0.03


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_stochastic_convolve_short_series_boundaries(boundary, n):
    """Reads beyond both ends of short series (kernel longer than the series)."""
    x = rng(n).standard_normal(n)
    est, err = stochastic_convolve(x, SKEWED, n_samples=20000, seed=5, boundary=boundary,
                                   cval=-1.5)
    expected = exact(x, boundary=boundary, cval=-1.5)
    np.testing.assert_array_less(np.abs(est - expected), 5 * err + 1e-12)


def test_stochastic_error_shrinks_like_one_over_sqrt_n():
    x = rng(4).standard_normal(5000)
    target = exact(x)
    few = stochastic_convolve(x, SKEWED, n_samples=100, seed=1)
    many = stochastic_convolve(x, SKEWED, n_samples=1600, seed=1)
    assert 3.8 < few.stderr.mean() / many.stderr.mean() < 4.2
    rms = [np.sqrt(np.mean((r.estimate - target) ** 2)) for r in (few, many)]
    assert 3.6 < rms[0] / rms[1] < 4.4


def test_stochastic_seed_reproduces_bit_for_bit():
    x = rng(5).standard_normal(3000)
    a = stochastic_convolve(x, SKEWED, n_samples=50, seed=123)
    b = stochastic_convolve(x, SKEWED, n_samples=50, seed=123)
    np.testing.assert_array_equal(a.estimate, b.estimate)
    np.testing.assert_array_equal(a.stderr, b.stderr)
    c = stochastic_convolve(x, SKEWED, n_samples=50, seed=124)
    assert np.mean(c.estimate != a.estimate) > 0.9
    # A fresh Generator from the same seed reproduces it too.
    d = stochastic_convolve(x, SKEWED, n_samples=50, seed=np.random.default_rng(123))
    e = stochastic_convolve(x, SKEWED, n_samples=50, seed=np.random.default_rng(123))
    np.testing.assert_array_equal(d.estimate, e.estimate)
    # Unseeded calls differ.
    f = stochastic_convolve(x, SKEWED, n_samples=50)
    g = stochastic_convolve(x, SKEWED, n_samples=50)
    assert np.mean(f.estimate != g.estimate) > 0.9


def test_stochastic_seed_reproduces_on_any_number_of_threads():
    x = rng(6).standard_normal((3, 4000))
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = stochastic_convolve(x, SKEWED, n_samples=30, seed=7)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = stochastic_convolve(x, SKEWED, n_samples=30, seed=7)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one.estimate, many.estimate)
    np.testing.assert_array_equal(one.stderr, many.stderr)


def test_stochastic_zero_weight_lag_is_never_drawn():
    x = np.zeros(50)
    x[20] = 1.0
    est, err = stochastic_convolve(x, SKEWED, n_samples=5000, seed=0)
    # Output 21 reads x[20] only through lag 1, whose weight is 0.
    assert est[21] == 0.0 and err[21] == 0.0
    # Output t reads x[20] at lag t - 20 with probability w / 11.
    for t, w in [(19, 1), (20, 3), (22, 2), (23, 5)]:
        assert abs(est[t] - w / 11) < 5 * err[t]


def test_stochastic_stderr_is_the_sample_standard_deviation_over_sqrt_n():
    """With 0/1 samples the estimate is a proportion p and the reported error must be
    sqrt(p (1 - p) n / (n - 1) / n): the sample standard deviation (ddof=1)."""
    x = np.zeros(400)
    x[1::2] = 1.0                          # output t reads x[t] or x[t + 1]: 0 or 1
    for n_samples in (2, 3, 10, 101):
        est, err = stochastic_convolve(x, Kernel([1.0, 1.0], origin=1), n_samples, seed=9)
        p = est[:-1]
        np.testing.assert_allclose(p * n_samples, np.round(p * n_samples), atol=1e-9)
        expected = np.sqrt(p * (1 - p) * n_samples / (n_samples - 1) / n_samples)
        np.testing.assert_allclose(err[:-1], expected, rtol=1e-12, atol=1e-15)


def test_stochastic_draws_are_independent_across_series():
    x = np.tile(rng(10).standard_normal(2000), (2, 1))     # two identical series
    est, _ = stochastic_convolve(x, SKEWED, n_samples=20, seed=1)
    assert np.mean(est[0] != est[1]) > 0.9
    # The errors of the two are uncorrelated (+- 0.02 for 2000 outputs).
    assert abs(np.corrcoef(est[0] - exact(x[0]), est[1] - exact(x[1]))[0, 1]) < 0.1


def test_stochastic_kernel_errors():
    x = rng().standard_normal(16)
    with pytest.raises(ValueError, match="propagator"):
        stochastic_convolve(x, [1.0, -0.5, 2.0])
    with pytest.raises(ValueError, match="negative weights"):
        stochastic_convolve(x, Kernel([1.0, -0.5, 2.0], origin=0))
    with pytest.raises(ValueError, match="all zero"):
        stochastic_convolve(x, [0.0, 0.0, 0.0])


@pytest.mark.parametrize("n_samples", [1, 0, -5, 2.0])
def test_stochastic_n_samples_errors(n_samples):
    with pytest.raises(ValueError, match="n_samples must be an integer >= 2"):
        stochastic_convolve(rng().standard_normal(16), [1.0, 1.0], n_samples=n_samples)


@pytest.mark.parametrize("options, error, match", [
    ({"boundary": "periodic"}, ValueError, "boundary must be one of"),
    ({"nan": "ignore"}, ValueError, "nan must be one of 'propagate', 'raise'"),
    ({"cval": "zero"}, TypeError, "cval must be a real number"),
])
def test_stochastic_option_errors(options, error, match):
    with pytest.raises(error, match=match):
        stochastic_convolve(rng().standard_normal(16), [1.0, 1.0], **options)


def test_stochastic_nan_propagates_to_drawn_neighbourhoods():
    x = rng(8).standard_normal(200)
    x[100:110] = np.nan                              # outputs 103..106 read only NaNs
    x[50] = np.nan                                   # a single NaN
    est, err = stochastic_convolve(x, SKEWED, n_samples=1000, seed=3)
    assert np.isnan(est[103:107]).all() and np.isnan(err[103:107]).all()
    # Output t reads x[t + 1], x[t], x[t - 2], x[t - 3] (and x[t - 1] with weight 0):
    # a NaN at 50 is drawn (almost surely, 1000 draws) by outputs 49, 50, 52, 53 ...
    assert np.isnan(est[[49, 50, 52, 53]]).all()
    # ... but never by output 51, which reads it only through the zero weight.
    assert np.isfinite(est[51])
    far = np.r_[0:45, 56:95, 115:200]
    assert np.isfinite(est[far]).all() and np.isfinite(err[far]).all()
    np.testing.assert_array_less(np.abs(est[far] - exact(x)[far]), 5 * err[far])
    with pytest.raises(ValueError, match="NaN or inf"):
        stochastic_convolve(x, SKEWED, nan="raise")


def test_stochastic_pandas_and_dtypes():
    idx = pd.date_range("2024-01-01", periods=500, freq="min", name="time")
    s = pd.Series(rng(9).standard_normal(500), index=idx, name="flow")
    est, err = stochastic_convolve(s, SKEWED, n_samples=200, seed=2, boundary="nearest")
    for out in (est, err):
        assert isinstance(out, pd.Series)
        assert out.index.equals(idx) and out.name == "flow"
    plain = stochastic_convolve(s.to_numpy(), SKEWED, n_samples=200, seed=2, boundary="nearest")
    np.testing.assert_array_equal(est.to_numpy(), plain.estimate)
    frame = pd.DataFrame({"a": s.to_numpy(), "b": -s.to_numpy()}, index=idx)
    est, err = stochastic_convolve(frame, SKEWED, n_samples=200, seed=2)
    assert isinstance(est, pd.DataFrame) and isinstance(err, pd.DataFrame)
    assert list(est.columns) == ["a", "b"] and est.index.equals(idx)
    z = (est.to_numpy() - exact(frame.to_numpy().T).T) / err.to_numpy()
    assert np.mean(np.abs(z) <= 4) >= 0.99
    x32 = s.to_numpy().astype(np.float32)
    est32, err32 = stochastic_convolve(x32, SKEWED, n_samples=200, seed=2)
    assert est32.dtype == np.float32 and err32.dtype == np.float32
    est64, _ = stochastic_convolve(x32.astype(np.float64), SKEWED, n_samples=200, seed=2)
    np.testing.assert_allclose(est32, est64, rtol=1e-6, atol=1e-6)
    # 2-D along axis 0 equals the columns one by one.
    both = stochastic_convolve(frame.to_numpy(), SKEWED, n_samples=50, seed=4, axis=0)
    assert both.estimate.shape == (500, 2)
