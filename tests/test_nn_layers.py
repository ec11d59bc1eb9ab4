"""``sigconv.nn`` layers, losses and optimisers against independent references:
the conv kernels against a plain numpy loop, every ``backward`` against
central finite differences (float64), float32 against float64, and a whole
training loop against least squares on a simulated AR(2) series.

PyTorch comparisons live in ``test_nn_torch.py``; bad input in ``test_nn_errors.py``.
"""
import re

import numpy as np
import pytest

import sigconv
from sigconv import nn
from sigconv._core import conv1d as kernels

# ---------------------------------------------------------------- references


def _padded(x, K, dilation, pad_left, n_out):
    xp = np.zeros(x.shape[:2] + (n_out + (K - 1) * dilation,))
    for j in range(xp.shape[2]):
        if 0 <= j - pad_left < x.shape[2]:
            xp[:, :, j] = x[:, :, j - pad_left]
    return xp


def naive_conv(x, w, bias, dilation, pad_left, groups, n_out):
    """Zero-pad, then sum every tap: the textbook definition."""
    c_out, c_in_g, K = w.shape
    c_out_g = c_out // groups
    xp = _padded(x, K, dilation, pad_left, n_out)
    out = np.zeros((x.shape[0], c_out, n_out))
    for o in range(c_out):
        g = o // c_out_g
        for c in range(c_in_g):
            for k in range(K):
                out[:, o] += w[o, c, k] * xp[:, g * c_in_g + c, k * dilation:k * dilation + n_out]
    if bias is not None:
        out += bias[None, :, None]
    return out


def naive_conv_gradients(x, w, G, dilation, pad_left, groups):
    """Gradients of ``sum(naive_conv(x, w) * G)`` with respect to x and w, by
    transposing the same loop (each tap scatters back what it gathered)."""
    c_out, c_in_g, K = w.shape
    c_out_g = c_out // groups
    n_out = G.shape[2]
    xp = _padded(x, K, dilation, pad_left, n_out)
    gxp = np.zeros_like(xp)
    gw = np.zeros_like(w)
    for o in range(c_out):
        g = o // c_out_g
        for c in range(c_in_g):
            for k in range(K):
                window = slice(k * dilation, k * dilation + n_out)
                gxp[:, g * c_in_g + c, window] += w[o, c, k] * G[:, o]
                gw[o, c, k] = np.sum(G[:, o] * xp[:, g * c_in_g + c, window])
    gx = np.zeros_like(x)
    for j in range(xp.shape[2]):
        if 0 <= j - pad_left < x.shape[2]:
            gx[:, :, j - pad_left] += gxp[:, :, j]
    return gx, gw


def numeric_grad(f, a, idx, h):
    """Central differences of the scalar ``f()`` with respect to ``a.flat[i]``,
    ``i`` in ``idx`` (``a`` perturbed in place and restored)."""
    flat = a.reshape(-1)
    out = np.empty(len(idx))
    for n, i in enumerate(idx):
        old = flat[i]
        flat[i] = old + h
        up = f()
        flat[i] = old - h
        down = f()
        flat[i] = old
        out[n] = (up - down) / (2 * h)
    return out


def some(a, rng, k=40):
    """Up to ``k`` flat indices of ``a`` (all of them if it is small)."""
    return np.arange(a.size) if a.size <= k else np.sort(rng.choice(a.size, k, replace=False))


def assert_rel(actual, expected, rel=1e-6):
    scale = max(np.max(np.abs(expected)), 1e-12)
    err = np.max(np.abs(np.asarray(actual) - expected)) / scale
    assert err <= rel, f"relative error {err:.3g} > {rel:g}"


def check_gradients(layer, x, rng, h=1e-6, rel=1e-6):
    """Every parameter gradient and the input gradient of ``sum(layer(x) * G)``
    against central finite differences."""
    y = layer(x)
    G = rng.normal(size=y.shape)

    def loss():
        return float(np.sum(layer(x) * G))

    layer.zero_grad()
    layer(x)
    grad_x = layer.backward(G)
    assert grad_x.shape == x.shape
    idx = some(x, rng)
    assert_rel(grad_x.reshape(-1)[idx], numeric_grad(loss, x, idx, h), rel)
    for name, p in layer.named_parameters():
        idx = some(p.value, rng)
        assert_rel(p.grad.reshape(-1)[idx], numeric_grad(loss, p.value, idx, h), rel)
    return grad_x


# Random shapes, dilations, groups and paddings: (c_in, c_out, K, dilation, groups, causal,
# bias, batch, time).  Covers 4-channel blocks and their remainders, taps not a multiple of
# 4 or 8, inputs shorter than the receptive field, and several time blocks of the kernels.
CONV_CASES = [
    (1, 1, 1, 1, 1, True, True, 1, 1),
    (1, 1, 3, 1, 1, True, False, 2, 5),
    (2, 3, 2, 2, 1, False, True, 3, 7),
    (3, 8, 5, 1, 1, True, True, 2, 9),
    (4, 6, 3, 3, 2, False, True, 2, 13),
    (6, 9, 4, 2, 3, True, True, 1, 30),
    (5, 5, 5, 1, 5, False, False, 2, 11),
    (2, 7, 1, 1, 1, True, True, 4, 6),
    (8, 4, 3, 4, 2, True, True, 2, 3),
    (3, 5, 2, 1, 1, False, True, 1, 300),
    (16, 16, 5, 2, 1, True, True, 2, 40),
    (1, 16, 9, 7, 1, False, True, 1, 20),
    (8, 8, 3, 1, 1, True, True, 8, 700),       # enough work for the parallel path
]


def conv_id(case):
    c_in, c_out, K, d, groups, causal, bias, B, T = case
    return f"{c_in}-{c_out}-K{K}-d{d}-g{groups}-{'causal' if causal else 'centred'}" \
           f"{'' if bias else '-nobias'}-B{B}-T{T}"


# ---------------------------------------------------------------- kernels


@pytest.mark.parametrize("case", CONV_CASES, ids=conv_id)
def test_kernels_match_the_textbook_loop(case):
    c_in, c_out, K, d, groups, _, bias, B, T = case     # every padding is tried
    rng = np.random.default_rng(0)
    x = rng.normal(size=(B, c_in, T))
    w = rng.normal(size=(c_out, c_in // groups, K))
    b = rng.normal(size=c_out) if bias else np.empty(0)
    pad = (K - 1) * d
    for pad_left in {0, pad // 2, pad}:
        # The kernels take any right padding too (the output length says how much).
        for n_out in {T, T + 1, max(T - pad, 1)}:
            n_out = max(1, n_out)
            out = np.empty((B, c_out, n_out))
            kernels.conv1d_forward(x, w, b, out, d, pad_left, groups)
            ref = naive_conv(x, w, b if bias else None, d, pad_left, groups, n_out)
            np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)
            # Gradients of sum(out * G), against the transposed loop.
            G = rng.normal(size=out.shape)
            grad_x = np.empty_like(x)
            kernels.conv1d_backward_input(G, w, grad_x, d, pad_left, groups)
            gw = np.full_like(w, 0.5)
            gb = np.full(c_out, 0.25) if bias else np.empty(0)
            kernels.conv1d_backward_weight(x, G, gw, gb, d, pad_left, groups)
            ref_gx, ref_gw = naive_conv_gradients(x, w, G, d, pad_left, groups)
            np.testing.assert_allclose(grad_x, ref_gx, rtol=1e-11, atol=1e-11)
            np.testing.assert_allclose(gw - 0.5, ref_gw, rtol=1e-11, atol=1e-11)
            if bias:
                np.testing.assert_allclose(gb - 0.25, G.sum(axis=(0, 2)), rtol=1e-12)


def test_weight_gradient_accumulates_and_does_not_depend_on_thread_count():
    import numba

    rng = np.random.default_rng(1)
    x = rng.normal(size=(9, 4, 600))
    G = rng.normal(size=(9, 8, 600))
    grads = []
    before = numba.get_num_threads()
    try:
        for threads in sorted({1, before}):
            numba.set_num_threads(threads)
            gw = np.ones((8, 4, 3))
            gb = np.ones(8)
            kernels.conv1d_backward_weight(x, G, gw, gb, 2, 4, 1)
            kernels.conv1d_backward_weight(x, G, gw, gb, 2, 4, 1)
            grads.append((gw, gb))
    finally:
        numba.set_num_threads(before)
    ref = np.array([[[np.sum(G[:, o] * np.pad(x, ((0, 0), (0, 0), (4, 0)))[:, c, 2 * k:2 * k + 600])
                      for k in range(3)] for c in range(4)] for o in range(8)])
    for gw, gb in grads:
        np.testing.assert_allclose(gw, 1 + 2 * ref, rtol=1e-12)
        np.testing.assert_allclose(gb, 1 + 2 * G.sum(axis=(0, 2)), rtol=1e-12)


# ---------------------------------------------------------------- gradient checks


@pytest.mark.parametrize("case", CONV_CASES, ids=conv_id)
def test_conv1d_gradients_match_finite_differences(case):
    c_in, c_out, K, d, groups, causal, bias, B, T = case
    rng = np.random.default_rng(2)
    layer = nn.Conv1d(c_in, c_out, K, d, causal=causal, bias=bias, groups=groups, seed=3)
    check_gradients(layer, rng.normal(size=(B, c_in, T)), rng)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 6)])
def test_linear_gradients_match_finite_differences(shape):
    rng = np.random.default_rng(4)
    check_gradients(nn.Linear(shape[-1], 3, seed=0), rng.normal(size=shape), rng)
    check_gradients(nn.Linear(shape[-1], 2, bias=False, seed=1), rng.normal(size=shape), rng)


@pytest.mark.parametrize("layer", [nn.ReLU(), nn.Tanh(), nn.GELU()], ids=repr)
def test_activation_gradients_match_finite_differences(layer):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 2, 15)) * 2
    x[np.abs(x) < 1e-3] = 0.5          # away from ReLU's kink
    check_gradients(layer, x, rng)


@pytest.mark.parametrize("shape", [(7,), (64, 16, 256)], ids=["serial", "parallel"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_against_numpy(shape, dtype):
    rng = np.random.default_rng(19)
    x = rng.normal(size=shape).astype(dtype)
    x.reshape(-1)[:3] = [np.nan, -0.0, np.inf]
    g = rng.normal(size=shape).astype(dtype)
    relu = nn.ReLU()
    y = relu(x)
    grad = relu.backward(g)
    assert y.dtype == grad.dtype == dtype
    np.testing.assert_array_equal(y, np.maximum(x, 0))           # NaN stays NaN
    np.testing.assert_array_equal(grad, np.where(x > 0, g, 0))


def test_dropout_gradient_with_its_mask_fixed():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(4, 3, 20))
    drop = nn.Dropout(0.3, seed=0)
    y = drop(x)
    mask = drop.mask
    np.testing.assert_allclose(y, np.where(mask, x / 0.7, 0.0), rtol=1e-15, atol=0)
    G = rng.normal(size=y.shape)
    grad = drop.backward(G)
    # With the mask fixed the layer is x -> x * mask / 0.7: differentiate that.
    idx = some(x, rng)
    numeric = numeric_grad(lambda: float(np.sum(x * mask / 0.7 * G)), x, idx, 1e-6)
    assert_rel(grad.reshape(-1)[idx], numeric)


def test_dropout_statistics_modes_and_seed():
    x = np.ones((200, 50))
    y = nn.Dropout(0.25, seed=1)(x)
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    np.testing.assert_array_equal(nn.Dropout(0.25, seed=1)(x), y)      # same seed, same mask
    assert not np.array_equal(nn.Dropout(0.25, seed=2)(x), y)
    drop = nn.Dropout(0.25, seed=1).eval()
    assert drop(x) is not None and np.array_equal(drop(x), x)
    assert drop.mask is None
    np.testing.assert_array_equal(drop.backward(x), x)
    assert np.all(nn.Dropout(1.0, seed=0)(x) == 0)
    np.testing.assert_array_equal(nn.Dropout(0.0)(x), x)


def test_residual_and_sequential_gradients_match_finite_differences():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 3, 12))
    identity = nn.Residual(nn.Sequential(nn.Conv1d(3, 3, 3, 2, seed=0), nn.Tanh(),
                                         nn.Conv1d(3, 3, 2, causal=False, seed=1)))
    check_gradients(identity, x, rng)
    projected = nn.Residual(nn.Sequential(nn.Conv1d(3, 5, 3, seed=2), nn.GELU()),
                            skip=nn.Conv1d(3, 5, 1, seed=3))
    check_gradients(projected, x, rng)
    head = nn.Sequential(nn.Conv1d(3, 4, 2, seed=4), nn.Tanh(), nn.Linear(12, 2, seed=5))
    check_gradients(head, x, rng)


@pytest.mark.parametrize("channels,K,dilations", [([1, 4, 4], 3, None), ([2, 5, 3], 2, [1, 3]),
                                                  ([3, 3], 4, [2])])
def test_tcn_gradients_match_finite_differences(channels, K, dilations):
    rng = np.random.default_rng(8)
    tcn = nn.TCN(channels, K, dilations, seed=9)
    x = rng.normal(size=(2, channels[0], 16))
    check_gradients(tcn, x, rng)


def test_tcn_with_dropout_in_eval_mode_is_deterministic_and_differentiable():
    rng = np.random.default_rng(10)
    tcn = nn.TCN([2, 4], 3, dropout=0.5, seed=0)
    x = rng.normal(size=(2, 2, 10))
    train_outputs = tcn(x), tcn(x)
    assert not np.array_equal(*train_outputs)          # fresh masks each call
    tcn.eval()
    np.testing.assert_array_equal(tcn(x), tcn(x))
    check_gradients(tcn, x, rng)


# ---------------------------------------------------------------- losses


@pytest.mark.parametrize("loss", [nn.mse, nn.mae, nn.quantile(0.2), nn.quantile(0.9)],
                         ids=["mse", "mae", "q0.2", "q0.9"])
def test_loss_gradients_match_finite_differences(loss):
    rng = np.random.default_rng(11)
    pred = rng.normal(size=(4, 7))
    target = rng.normal(size=(4, 7))
    value, grad = loss(pred, target)
    assert isinstance(value, float) and grad.shape == pred.shape
    idx = some(pred, rng, 28)
    assert_rel(grad.reshape(-1)[idx], numeric_grad(lambda: loss(pred, target)[0], pred, idx, 1e-7))


def test_losses_against_closed_forms():
    pred = np.array([[1.0, 2.0], [3.0, -1.0]])
    target = np.array([0.5, 2.0])                      # broadcasts over rows
    e = pred - target
    assert nn.mse(pred, target)[0] == pytest.approx(np.mean(e ** 2))
    assert nn.mae(pred, target)[0] == pytest.approx(np.mean(np.abs(e)))
    np.testing.assert_array_equal(nn.mae(pred, target)[1], np.sign(e) / 4)
    assert nn.mae(pred, target)[1][0, 1] == 0           # tie: subgradient 0
    # Pinball: minimised by the q-quantile of the target.
    t = np.random.default_rng(12).normal(size=2001)
    grid = np.linspace(-3, 3, 601)
    best = grid[np.argmin([nn.quantile(0.8)(np.full_like(t, c), t)[0] for c in grid])]
    assert abs(best - np.quantile(t, 0.8)) < 0.02


def test_multi_quantile_loss_is_the_mean_of_single_ones():
    rng = np.random.default_rng(13)
    levels = [0.1, 0.5, 0.9]
    pred = rng.normal(size=(5, 6, 3))
    target = rng.normal(size=(5, 6))
    value, grad = nn.quantile(levels)(pred, target)
    singles = [nn.quantile(q)(pred[..., j], target) for j, q in enumerate(levels)]
    assert value == pytest.approx(np.mean([v for v, _ in singles]))
    for j, (_, g) in enumerate(singles):
        np.testing.assert_allclose(grad[..., j], g / 3)
    np.testing.assert_array_equal(nn.quantile(levels)(pred, target[..., None])[1], grad)
    np.testing.assert_array_equal(nn.quantile(levels).quantiles, levels)


# ---------------------------------------------------------------- float32


def _copy_weights(src, dst):
    dst.load_state_dict(src.state_dict())


@pytest.mark.parametrize("make,c_in", [
    (lambda dt: nn.Conv1d(3, 8, 5, 2, seed=0, dtype=dt), 3),
    (lambda dt: nn.Conv1d(3, 6, 3, causal=False, groups=3, seed=0, dtype=dt), 3),
    (lambda dt: nn.TCN([3, 8, 8, 5], 3, seed=0, dtype=dt), 3),
    (lambda dt: nn.TCN([16, 16, 16], 5, [1, 4], seed=0, dtype=dt), 16),   # parallel kernels
    (lambda dt: nn.Sequential(nn.Conv1d(3, 4, 3, seed=0, dtype=dt), nn.GELU(),
                              nn.Linear(300, 2, seed=1, dtype=dt)), 3),
], ids=["conv", "grouped", "tcn", "tcn-16", "conv-gelu-linear"])
def test_float32_matches_float64(make, c_in):
    rng = np.random.default_rng(14)
    x = rng.normal(size=(5, c_in, 300))
    m64, m32 = make(np.float64), make(np.float32)
    _copy_weights(m64, m32)
    y64, y32 = m64(x), m32(x.astype(np.float32))
    assert y32.dtype == np.float32 and y64.dtype == np.float64
    assert_rel(y32, y64, 1e-5)
    G = rng.normal(size=y64.shape)
    g64, g32 = m64.backward(G), m32.backward(G.astype(np.float32))
    assert g32.dtype == np.float32
    assert_rel(g32, g64, 1e-5)
    for (name, p64), (_, p32) in zip(m64.named_parameters(), m32.named_parameters()):
        assert p32.value.dtype == p32.grad.dtype == np.float32, name
        assert_rel(p32.grad, p64.grad, 1e-5)


def test_layers_cast_input_to_their_dtype():
    conv = nn.Conv1d(1, 2, 3, seed=0, dtype=np.float32)
    assert conv(np.ones((1, 1, 5))).dtype == np.float32          # float64 in
    assert conv(np.ones((1, 1, 5), dtype=int)).dtype == np.float32
    assert nn.Conv1d(1, 2, 3, seed=0)(np.ones((1, 1, 5), np.float32)).dtype == np.float64
    assert nn.ReLU()(np.ones(3, np.float32)).dtype == np.float32
    assert nn.GELU()(np.ones(3, np.float32)).dtype == np.float32
    assert nn.mse(np.ones(3, np.float32), np.zeros(3))[1].dtype == np.float32
    # A float32 model keeps float32 gradients whatever the dtype of grad_out.
    tcn = nn.TCN([2, 3, 3], 2, dropout=0.5, seed=0, dtype=np.float32)
    y = tcn(np.ones((2, 2, 9)))
    assert y.dtype == np.float32
    assert tcn.backward(np.ones(y.shape)).dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in tcn.parameters())


# ---------------------------------------------------------------- modules


def test_initialisation_is_deterministic_and_as_pytorch_bounds():
    a, b = nn.Conv1d(4, 6, 5, groups=2, seed=3), nn.Conv1d(4, 6, 5, groups=2, seed=3)
    np.testing.assert_array_equal(a.weight, b.weight)
    np.testing.assert_array_equal(a.bias, b.bias)
    bound = 1 / np.sqrt(2 * 5)
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(a.weight, rng.uniform(-bound, bound, (6, 2, 5)))
    np.testing.assert_array_equal(a.bias, rng.uniform(-bound, bound, 6))
    assert not np.array_equal(nn.Conv1d(4, 6, 5, seed=4).weight, a.weight)
    lin = nn.Linear(9, 2, seed=0)
    assert np.abs(lin.weight).max() <= 1 / 3 and np.abs(lin.bias).max() <= 1 / 3
    t1, t2 = nn.TCN([1, 8, 8], 3, seed=5), nn.TCN([1, 8, 8], 3, seed=5)
    for (k1, v1), (k2, v2) in zip(t1.state_dict().items(), t2.state_dict().items()):
        assert k1 == k2
        np.testing.assert_array_equal(v1, v2)
    # Every layer gets its own stream.
    assert not np.allclose(t1[0].block[3].weight[:, :1, :], t1[1].block[0].weight[:, :1, :])


def test_tcn_layout_names_and_receptive_field():
    tcn = nn.TCN([1, 16, 16, 16], 5, [1, 2, 4], seed=0)
    assert len(tcn) == 3
    assert tcn.receptive_field == 1 + 2 * 4 * (1 + 2 + 4) == 57
    assert tcn[0].skip is not None and tcn[1].skip is None
    assert [type(layer).__name__ for layer in tcn[0].block] == \
        ["Conv1d", "ReLU", "Dropout", "Conv1d", "ReLU", "Dropout"]
    assert tcn[2].block[0].dilation == 4 and tcn[2].block[3].causal
    assert list(tcn.state_dict())[:6] == ["0.block.0.weight", "0.block.0.bias",
                                          "0.block.3.weight", "0.block.3.bias",
                                          "0.skip.weight", "0.skip.bias"]
    assert nn.TCN([2, 3, 3, 3], 3).dilations == [1, 2, 4]
    assert nn.Conv1d(1, 1, 4, 3).receptive_field == 10


def test_tcn_is_causal_over_its_receptive_field():
    tcn = nn.TCN([1, 4, 4], 3, seed=0)
    rng = np.random.default_rng(15)
    x = rng.normal(size=(1, 1, 60))
    y = tcn(x)
    x2 = x.copy()
    x2[0, 0, 40] += 1.0
    changed = np.nonzero(np.any(tcn(x2) != y, axis=1)[0])[0]
    assert changed.min() == 40                                 # nothing before
    assert changed.max() <= 40 + tcn.receptive_field - 1       # nor beyond the field


def test_state_dict_round_trip_train_eval_and_zero_grad():
    a = nn.TCN([2, 4, 3], 2, dropout=0.1, seed=0)
    b = nn.TCN([2, 4, 3], 2, dropout=0.1, seed=1)
    b.load_state_dict(a.state_dict())
    x = np.random.default_rng(16).normal(size=(2, 2, 9))
    np.testing.assert_array_equal(a.eval()(x), b.eval()(x))
    state = a.state_dict()
    state["0.block.0.weight"][...] = 0           # a copy: the model is untouched
    assert np.any(a[0].block[0].weight != 0)
    assert all(not layer.training for layer in a[0].block) and not a.training
    assert a.train() is a and a[1].block[2].training
    a.backward(np.ones((2, 3, 9)))
    assert any(np.any(p.grad != 0) for p in a.parameters())
    a.zero_grad()
    assert all(np.all(p.grad == 0) for p in a.parameters())


def test_parameters_update_in_place_and_gradients_accumulate():
    conv = nn.Conv1d(1, 2, 3, seed=0)
    weight = conv.weight
    x = np.ones((1, 1, 6))
    conv(x)
    conv.backward(np.ones((1, 2, 6)))
    first = conv.weight_grad.copy()
    conv(x)
    conv.backward(np.ones((1, 2, 6)))
    np.testing.assert_allclose(conv.weight_grad, 2 * first)
    nn.SGD(conv, lr=0.1).step()
    assert conv.weight is weight                 # updated in place, never rebound
    np.testing.assert_allclose(conv.weight, conv.state_dict()["weight"])
    conv.weight = np.zeros((2, 1, 3))
    assert conv.weight is weight and np.all(weight == 0)


def test_gradient_of_the_wrong_shape_is_refused():
    conv = nn.Conv1d(1, 2, 3, seed=0)
    conv(np.ones((1, 1, 5)))
    with pytest.raises(ValueError, match=re.escape(
            "Conv1d(1, 2, kernel_size=3): grad_out must have the output's shape (1, 2, 5); "
            "got (1, 1, 5)")):
        conv.backward(np.ones((1, 1, 5)))


def test_nn_is_part_of_the_package():
    assert sigconv.nn is nn
    assert "nn" in sigconv.__all__
    assert set(nn.__all__) >= {"Conv1d", "TCN", "Adam", "SGD", "mse", "mae", "quantile"}


# ---------------------------------------------------------------- optimisers


def test_sgd_and_adam_against_their_formulas():
    rng = np.random.default_rng(17)
    w0 = rng.normal(size=5)
    grads = [rng.normal(size=5) for _ in range(4)]
    p = nn.Parameter("w", w0.copy())
    opt = nn.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)
    w, buf = w0.copy(), None
    for g in grads:
        p.grad[...] = g
        opt.step()
        d = g + 0.01 * w
        buf = d if buf is None else 0.9 * buf + d
        w = w - 0.1 * buf
    np.testing.assert_allclose(p.value, w, rtol=1e-14)
    p = nn.Parameter("w", w0.copy())
    opt = nn.Adam([p], lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)
    w, m, v = w0.copy(), 0.0, 0.0
    for t, g in enumerate(grads, 1):
        p.grad[...] = g
        opt.step()
        d = g + 0.1 * w
        m = 0.8 * m + 0.2 * d
        v = 0.99 * v + 0.01 * d * d
        w = w - 0.01 * (m / (1 - 0.8 ** t)) / (np.sqrt(v / (1 - 0.99 ** t)) + 1e-6)
    np.testing.assert_allclose(p.value, w, rtol=1e-12)


def test_gradient_clipping_bounds_the_global_norm():
    a, b = nn.Parameter("a", np.zeros(3)), nn.Parameter("b", np.zeros((2, 2)))
    a.grad[...] = [3.0, 0.0, 0.0]
    b.grad[...] = [[0.0, 4.0], [0.0, 0.0]]                  # global norm 5
    opt = nn.SGD([a, b], lr=1.0, clip_norm=1.0)
    opt.step()
    np.testing.assert_allclose(np.hypot(np.linalg.norm(a.grad), np.linalg.norm(b.grad)), 1.0,
                               rtol=1e-6)
    np.testing.assert_allclose(a.value, [-0.6, 0, 0], rtol=1e-6)
    a.grad[...] = [0.1, 0, 0]
    b.grad[...] = 0
    nn.SGD([a, b], lr=1.0, clip_norm=1.0).step()            # below the bound: untouched
    np.testing.assert_array_equal(a.grad, [0.1, 0, 0])
    opt.zero_grad()
    assert not a.grad.any() and not b.grad.any()


# ---------------------------------------------------------------- a whole loop


def test_training_a_causal_conv_on_ar2_recovers_the_coefficients():
    phi = np.array([0.6, -0.3])
    e = np.random.default_rng(18).normal(size=5500)
    y = sigconv.recursive_filter(e, phi)[500:]
    x, target = y[None, None, :-1], y[1:]
    p = 3
    conv = nn.Conv1d(1, 1, p, bias=False, seed=0)
    opt = nn.Adam(conv, lr=0.02)
    losses = []
    for step in range(400):
        opt.zero_grad()
        value, grad = nn.mse(conv(x)[0, 0, p - 1:], target[p - 1:])
        full = np.zeros((1, 1, x.shape[2]))
        full[0, 0, p - 1:] = grad
        conv.backward(full)
        opt.step()
        losses.append(value)
    # The kernel is the AR coefficients reversed: w[p - j] multiplies lag j.
    lags = np.column_stack([y[p - j:len(y) - j] for j in range(1, p + 1)])
    ols = np.linalg.lstsq(lags, y[p:], rcond=None)[0]
    np.testing.assert_allclose(conv.weight[0, 0, ::-1], ols, atol=1e-4)
    np.testing.assert_allclose(conv.weight[0, 0, ::-1], [0.6, -0.3, 0.0], atol=0.05)
    assert losses[-1] < 0.5 * losses[0] and losses[-1] == pytest.approx(1.0, abs=0.05)
