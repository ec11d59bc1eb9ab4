"""Kernel: an immutable value of weights and origin; composition, flip, normalize and
frequency response against numpy and scipy.signal.freqz."""
import numpy as np
import pytest
import scipy.signal as ss
from hypothesis import given, settings
from hypothesis import strategies as st

from sigconv import Kernel, convolve, correlate

SOME = settings(max_examples=40, deadline=None, database=None)


@st.composite
def kernels(draw, max_k=12):
    k = draw(st.integers(1, max_k))
    seed = draw(st.integers(0, 2**32 - 1))
    origin = draw(st.integers(0, k - 1))
    return Kernel(np.random.default_rng(seed).standard_normal(k), origin=origin)


def scale(*ks, x=1.0):
    out = np.max(np.abs(x))
    for k in ks:
        out = out * np.abs(k.weights).sum()
    return out


# ---------------------------------------------------------------------------
# a value: immutable, comparable, hashable


def test_weights_are_a_read_only_copy():
    source = np.array([1.0, 2.0, 3.0])
    k = Kernel(source)
    source[0] = 100.0
    np.testing.assert_array_equal(k.weights, [1.0, 2.0, 3.0])
    assert k.weights.dtype == np.float64
    with pytest.raises(ValueError, match="read-only"):
        k.weights[0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(k)[1] = 5.0
    # the flag cannot be turned back on: the hash depends on the weights
    with pytest.raises(ValueError):
        k.weights.flags.writeable = True
    np.testing.assert_array_equal(k.weights, [1.0, 2.0, 3.0])


def test_attributes_cannot_be_set():
    k = Kernel([1.0, 2.0, 3.0], origin=0, name="ramp")
    for attr, value in [("weights", np.ones(3)), ("origin", 1), ("name", "other"),
                        ("lags", np.arange(3)), ("extra", 1)]:
        with pytest.raises(AttributeError):
            setattr(k, attr, value)
    assert k.origin == 0 and k.name == "ramp"


def test_len_lags_and_default_origin():
    for n_taps, origin in [(1, 0), (2, 0), (3, 1), (4, 1), (7, 3)]:
        k = Kernel(np.ones(n_taps))
        assert len(k) == n_taps and k.origin == origin
        np.testing.assert_array_equal(k.lags, np.arange(n_taps) - origin)
    np.testing.assert_array_equal(Kernel([1, 2, 3, 4], origin=3).lags, [-3, -2, -1, 0])
    assert Kernel([1, 2, 3]).weights.dtype == np.float64  # integers become float64


def test_equality_and_hash():
    a = Kernel([1.0, 2.0, 3.0], origin=1, name="a")
    b = Kernel(np.array([1, 2, 3]), origin=1, name="b")
    assert a == b and hash(a) == hash(b)          # the name is a label, not part of the value
    assert a != Kernel([1.0, 2.0, 3.0], origin=0)
    assert a != Kernel([1.0, 2.0, 3.5], origin=1)
    assert a != Kernel([1.0, 2.0, 3.0, 0.0], origin=1)
    assert a != [1.0, 2.0, 3.0]
    assert len({a, b, Kernel([1.0, 2.0, 3.0], origin=0)}) == 2


def test_repr_is_readable():
    k = Kernel(np.ones(3) / 3, name="box")
    assert repr(k) == "Kernel(weights=[0.3333, 0.3333, 0.3333], origin=1, name='box')"
    assert repr(Kernel([1.0, -1.0], origin=0)) == "Kernel(weights=[ 1., -1.], origin=0)"
    long = repr(Kernel(np.arange(20.0)))
    assert long.startswith("Kernel(weights=[0., 1., 2.") and "(20 taps)" in long
    assert "origin=9" in long and "\n" not in long


@pytest.mark.parametrize("weights,origin,error,match", [
    ([1.0, 2.0], 2, ValueError, r"origin must be in \[0, 1\] for 2 weights; got 2"),
    ([1.0, 2.0], -1, ValueError, "origin must be an integer >= 0; got -1"),
    ([1.0, 2.0], 0.5, ValueError, "origin must be an integer"),
    ([1.0, 2.0], True, ValueError, "origin must be an integer"),
    ([], None, ValueError, "at least one weight"),
    ([[1.0, 2.0]], None, ValueError, "1-D"),
    ([1.0, np.nan], None, ValueError, "finite"),
    ([1.0, np.inf], None, ValueError, "finite"),
    ([1 + 1j], None, TypeError, "real numbers"),
    (["a"], None, TypeError, "real numbers"),
])
def test_invalid_kernels_raise(weights, origin, error, match):
    with pytest.raises(error, match=match):
        Kernel(weights, origin=origin)


# ---------------------------------------------------------------------------
# composition, flip, normalize


@SOME
@given(a=kernels(), b=kernels())
def test_composition_weights_and_origin(a, b):
    c = a @ b
    assert isinstance(c, Kernel)
    np.testing.assert_allclose(c.weights, np.convolve(a.weights, b.weights),
                               rtol=1e-12, atol=1e-12 * scale(a, b))
    assert c.origin == a.origin + b.origin
    assert len(c) == len(a) + len(b) - 1
    assert (b @ a).origin == c.origin
    np.testing.assert_allclose((b @ a).weights, c.weights, rtol=1e-12, atol=1e-12 * scale(a, b))


@SOME
@given(a=kernels(), b=kernels(), seed=st.integers(0, 2**32 - 1))
def test_applying_the_composition_equals_applying_both(a, b, seed):
    x = np.random.default_rng(seed).standard_normal(200)
    c = a @ b
    tol = 1e-10 * scale(a, b, x=x)
    # full mode: exactly, whatever the origins
    both = convolve(convolve(x, b, "full", method="direct"), a, "full", method="direct")
    np.testing.assert_allclose(convolve(x, c, "full"), both, rtol=1e-10, atol=tol)
    # same mode, constant 0: equal away from the edges
    both = convolve(convolve(x, b, "same"), a, "same")
    once = convolve(x, c, "same")
    edge = len(c)
    np.testing.assert_allclose(once[edge:-edge], both[edge:-edge], rtol=1e-10, atol=tol)
    # causal mode with zeros before the start: equal everywhere
    both = convolve(convolve(x, b, "causal"), a, "causal")
    np.testing.assert_allclose(convolve(x, c, "causal"), both, rtol=1e-10, atol=tol)


def test_composition_with_plain_weights():
    box = Kernel(np.ones(3), name="box")
    assert box @ [1.0, 1.0] == Kernel([1.0, 2.0, 2.0, 1.0], origin=1)
    assert [1.0, 1.0] @ box == Kernel([1.0, 2.0, 2.0, 1.0], origin=1)
    # a numpy array on the left composes too (not numpy's dot product)
    left = np.array([1.0, 1.0, 1.0]) @ box
    assert isinstance(left, Kernel)
    assert left == Kernel([1.0, 2.0, 3.0, 2.0, 1.0], origin=2)


@SOME
@given(k=kernels(), seed=st.integers(0, 2**32 - 1))
def test_flip_is_time_reversal(k, seed):
    f = k.flip()
    np.testing.assert_array_equal(f.weights, k.weights[::-1])
    assert f.origin == len(k) - 1 - k.origin
    np.testing.assert_array_equal(f.lags, -k.lags[::-1])
    assert f.flip() == k
    x = np.random.default_rng(seed).standard_normal(40)
    np.testing.assert_allclose(correlate(x, k, "same"), convolve(x, f, "same"),
                               rtol=1e-12, atol=1e-12 * scale(k, x=x))


def test_flip_and_normalize_keep_the_name():
    k = Kernel([1.0, 2.0, 5.0], origin=0, name="tri")
    assert k.flip().name == "tri" and k.normalize().name == "tri"


@SOME
@given(k=kernels())
def test_normalize_sums_to_one(k):
    total = k.weights.sum()
    if abs(total) < 1e-3:
        return
    n = k.normalize()
    assert n.origin == k.origin
    np.testing.assert_allclose(n.weights.sum(), 1.0, rtol=1e-12,
                               atol=1e-12 * np.abs(n.weights).sum())
    np.testing.assert_allclose(n.weights, k.weights / total, rtol=1e-15)


def test_normalize_zero_sum_raises():
    with pytest.raises(ValueError, match="sum to 0"):
        Kernel([1.0, -1.0], origin=0, name="diff").normalize()
    with pytest.raises(ValueError, match="sum to 0"):
        Kernel([0.0]).normalize()


# ---------------------------------------------------------------------------
# frequency response


def freqz_response(k, n):
    w, h = ss.freqz(k.weights, worN=n)
    np.testing.assert_allclose(w, np.pi * np.arange(n) / n, rtol=1e-15)
    return h * np.exp(1j * w * k.origin)


@SOME
@given(k=kernels(max_k=300), n=st.integers(1, 64))
def test_frequency_response_matches_freqz(k, n):
    """Including kernels longer than 2n (the folded FFT)."""
    h = k.frequency_response(n)
    assert h.shape == (n,) and h.dtype == np.complex128
    np.testing.assert_allclose(h, freqz_response(k, n), rtol=1e-12,
                               atol=1e-12 * np.abs(k.weights).sum())


@pytest.mark.parametrize("k_taps,n", [(1, 1), (5, 2), (257, 4), (1000, 3), (31, 512)])
def test_frequency_response_fixed_sizes(k_taps, n):
    rng = np.random.default_rng(k_taps)
    k = Kernel(rng.standard_normal(k_taps), origin=k_taps // 3)
    np.testing.assert_allclose(k.frequency_response(n), freqz_response(k, n), rtol=1e-12,
                               atol=1e-12 * np.abs(k.weights).sum())


def test_frequency_response_default_and_closed_form():
    h = Kernel([0.25, 0.5, 0.25]).frequency_response()
    w = np.pi * np.arange(512) / 512
    np.testing.assert_allclose(h, 0.5 + 0.5 * np.cos(w), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="n must be an integer >= 1; got 0"):
        Kernel([1.0]).frequency_response(0)


@SOME
@given(a=kernels(max_k=40), b=kernels(max_k=40), n=st.integers(1, 50))
def test_response_of_composition_is_product(a, b, n):
    np.testing.assert_allclose((a @ b).frequency_response(n),
                               a.frequency_response(n) * b.frequency_response(n),
                               rtol=1e-12, atol=1e-12 * scale(a, b))


def test_symmetric_centred_kernel_has_real_response():
    k = Kernel([1.0, 3.0, 5.0, 3.0, 1.0])
    assert np.abs(k.frequency_response(100).imag).max() < 1e-13
