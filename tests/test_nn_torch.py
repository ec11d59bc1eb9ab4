"""``sigconv.nn`` against PyTorch (CPU) on the same weights and inputs, float64:
convolution outputs and gradients (``torch.nn.functional.conv1d`` after
``torch.nn.functional.pad``, autograd), a TCN against the equivalent PyTorch
model loaded from the same state dict, activations, Linear, the losses, and
SGD / Adam steps (weight decay, ``clip_grad_norm_``) against ``torch.optim``.

PyTorch is a test-only reference; the module is skipped without it.
"""
import numpy as np
import pytest

from sigconv import nn

torch = pytest.importorskip("torch", reason="torch (CPU) is a test-only reference: "
                                            "pip install torch==2.13.0")
F = torch.nn.functional

TOL = 1e-10


@pytest.fixture(autouse=True)
def float64_default():
    """PyTorch computes in float64 here; the default dtype is restored afterwards."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def t(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def close(actual, expected, tol=TOL):
    expected = expected.detach().numpy() if isinstance(expected, torch.Tensor) else expected
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    err = float(np.max(np.abs(np.asarray(actual) - expected))) / scale
    assert err <= tol, f"relative error {err:.3g} > {tol:g}"


def torch_pad(layer):
    pad = (layer.kernel_size - 1) * layer.dilation
    return (pad, 0) if layer.causal else (pad // 2, pad - pad // 2)


# (c_in, c_out, K, dilation, groups, causal, bias, batch, time)
CASES = [
    (1, 1, 4, 1, 1, True, False, 1, 50),
    (3, 8, 5, 2, 1, True, True, 4, 64),
    (4, 6, 3, 1, 2, False, True, 3, 17),
    (6, 6, 2, 3, 6, False, False, 2, 9),
    (16, 16, 5, 4, 1, True, True, 5, 300),
    (5, 7, 6, 1, 1, False, True, 2, 4),
    (8, 12, 3, 2, 4, True, True, 3, 520),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_conv1d_forward_and_gradients_match_torch(case):
    c_in, c_out, K, d, groups, causal, bias, B, T = case
    rng = np.random.default_rng(0)
    layer = nn.Conv1d(c_in, c_out, K, d, causal=causal, bias=bias, groups=groups, seed=1)
    x = rng.normal(size=(B, c_in, T))
    G = rng.normal(size=(B, c_out, T))
    y = layer(x)
    grad_x = layer.backward(G)

    tx, tw = t(x, True), t(layer.weight, True)
    tb = t(layer.bias, True) if bias else None
    ty = F.conv1d(F.pad(tx, torch_pad(layer)), tw, tb, dilation=d, groups=groups)
    (ty * t(G)).sum().backward()
    close(y, ty)
    close(grad_x, tx.grad)
    close(layer.weight_grad, tw.grad)
    if bias:
        close(layer.bias_grad, tb.grad)


class TorchCausalConv(torch.nn.Conv1d):
    """``torch.nn.Conv1d`` with sigconv's causal zero padding in front."""

    def forward(self, x):
        pad = (self.kernel_size[0] - 1) * self.dilation[0]
        return super().forward(F.pad(x, (pad, 0)))


class TorchBlock(torch.nn.Module):
    def __init__(self, c_in, c_out, K, d, p):
        super().__init__()
        self.block = torch.nn.Sequential(
            TorchCausalConv(c_in, c_out, K, dilation=d), torch.nn.ReLU(), torch.nn.Dropout(p),
            TorchCausalConv(c_out, c_out, K, dilation=d), torch.nn.ReLU(), torch.nn.Dropout(p))
        self.skip = torch.nn.Conv1d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x):
        return self.block(x) + (x if self.skip is None else self.skip(x))


def torch_tcn(channels, K, dilations, p=0.0):
    return torch.nn.Sequential(*[TorchBlock(a, b, K, d, p) for a, b, d in
                                 zip(channels[:-1], channels[1:], dilations)])


@pytest.mark.parametrize("channels,K,dilations", [([1, 16, 16, 16], 5, [1, 2, 4]),
                                                  ([3, 8, 5], 3, [2, 3]),
                                                  ([4, 4], 2, [1])])
def test_tcn_matches_the_equivalent_torch_model(channels, K, dilations):
    rng = np.random.default_rng(2)
    ours = nn.TCN(channels, K, dilations, dropout=0.2, seed=3).eval()
    ref = torch_tcn(channels, K, dilations, 0.2).eval()
    state = ours.state_dict()
    assert set(state) == set(ref.state_dict())          # same names, same layout
    ref.load_state_dict({k: t(v) for k, v in state.items()})
    x = rng.normal(size=(3, channels[0], 70))
    G = rng.normal(size=(3, channels[-1], 70))
    y = ours(x)
    grad_x = ours.backward(G)
    tx = t(x, True)
    ty = ref(tx)
    (ty * t(G)).sum().backward()
    close(y, ty)
    close(grad_x, tx.grad)
    grads = {name: p.grad for name, p in ref.named_parameters()}
    for name, p in ours.named_parameters():
        close(p.grad, grads[name])
    # And back: a PyTorch state dict loads into the sigconv model.
    other = nn.TCN(channels, K, dilations, seed=4)
    other.load_state_dict(ref.state_dict())
    close(other.eval()(x), ty)


@pytest.mark.parametrize("ours,theirs", [(nn.ReLU, torch.nn.ReLU), (nn.Tanh, torch.nn.Tanh),
                                         (nn.GELU, torch.nn.GELU)], ids=["relu", "tanh", "gelu"])
def test_activations_match_torch(ours, theirs):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 3, 50)) * 3
    G = rng.normal(size=x.shape)
    layer = ours()
    y = layer(x)
    grad = layer.backward(G)
    tx = t(x, True)
    ty = theirs()(tx)
    (ty * t(G)).sum().backward()
    close(y, ty, 1e-14)
    close(grad, tx.grad, 1e-14)


def test_linear_matches_torch():
    rng = np.random.default_rng(6)
    layer = nn.Linear(7, 3, seed=0)
    ref = torch.nn.Linear(7, 3)
    ref.load_state_dict({k: t(v) for k, v in layer.state_dict().items()})
    x = rng.normal(size=(2, 5, 7))
    G = rng.normal(size=(2, 5, 3))
    y = layer(x)
    grad = layer.backward(G)
    tx = t(x, True)
    ty = ref(tx)
    (ty * t(G)).sum().backward()
    close(y, ty, 1e-14)
    close(grad, tx.grad, 1e-14)
    close(layer.weight_grad, ref.weight.grad, 1e-14)
    close(layer.bias_grad, ref.bias.grad, 1e-14)


def test_initialisation_has_torch_bounds():
    # PyTorch's default: weight and bias uniform within 1 / sqrt(fan_in).
    for ours, theirs in [(nn.Conv1d(6, 4, 5, groups=2, seed=0), torch.nn.Conv1d(6, 4, 5, groups=2)),
                         (nn.Linear(20, 3, seed=0), torch.nn.Linear(20, 3))]:
        limit = 1 / np.sqrt(ours.weight[0].size)
        for name, value in ours.state_dict().items():
            ref = theirs.state_dict()[name]
            assert value.shape == tuple(ref.shape)
            assert np.abs(value).max() <= limit
            assert float(ref.abs().max()) <= limit
            assert np.abs(value).max() > 0.8 * limit        # spread over the whole range


def test_losses_match_torch():
    rng = np.random.default_rng(7)
    pred = rng.normal(size=(6, 9))
    target = rng.normal(size=(6, 9))
    for ours, theirs in [(nn.mse, F.mse_loss), (nn.mae, F.l1_loss)]:
        value, grad = ours(pred, target)
        tp = t(pred, True)
        loss = theirs(tp, t(target))
        loss.backward()
        assert value == pytest.approx(float(loss.detach()), rel=1e-14)
        close(grad, tp.grad, 1e-14)
    levels = [0.1, 0.5, 0.95]
    pred3 = rng.normal(size=(6, 9, 3))
    value, grad = nn.quantile(levels)(pred3, target)
    tp = t(pred3, True)
    e = t(target)[..., None] - tp
    q = t(levels)
    loss = torch.maximum(q * e, (q - 1) * e).mean()
    loss.backward()
    assert value == pytest.approx(float(loss.detach()), rel=1e-14)
    close(grad, tp.grad, 1e-14)


def _train_both(make_ours, make_theirs, steps=6, clip=None):
    """The same model (a small TCN and a Linear head), inputs and losses, stepped
    by sigconv's optimiser and by torch's; returns the two final state dicts."""
    rng = np.random.default_rng(8)
    ours = nn.Sequential(nn.TCN([2, 5, 4], 3, seed=9), nn.Linear(30, 1, seed=10))
    ref = torch.nn.Sequential(torch_tcn([2, 5, 4], 3, [1, 2]), torch.nn.Linear(30, 1))
    ref.load_state_dict({k: t(v) for k, v in ours.state_dict().items()})
    opt, topt = make_ours(ours), make_theirs(ref.parameters())
    for _ in range(steps):
        x = rng.normal(size=(3, 2, 30))
        target = rng.normal(size=(3, 4, 1))
        opt.zero_grad()
        _, grad = nn.mse(ours(x), target)
        ours.backward(grad)
        opt.step()
        topt.zero_grad()
        loss = F.mse_loss(ref(t(x)), t(target))
        loss.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(ref.parameters(), clip)
        topt.step()
    return ours.state_dict(), {k: v.detach().numpy() for k, v in ref.state_dict().items()}


@pytest.mark.parametrize("momentum,weight_decay,clip", [(0.0, 0.0, None), (0.9, 0.0, None),
                                                        (0.9, 0.05, None), (0.5, 0.01, 0.1)])
def test_sgd_matches_torch(momentum, weight_decay, clip):
    ours, theirs = _train_both(
        lambda m: nn.SGD(m, lr=0.05, momentum=momentum, weight_decay=weight_decay,
                         clip_norm=clip),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=momentum, weight_decay=weight_decay),
        clip=clip)
    for name in ours:
        close(ours[name], theirs[name], 1e-12)


@pytest.mark.parametrize("betas,weight_decay,clip", [((0.9, 0.999), 0.0, None),
                                                     ((0.8, 0.99), 0.1, None),
                                                     ((0.9, 0.999), 0.01, 0.05)])
def test_adam_matches_torch(betas, weight_decay, clip):
    ours, theirs = _train_both(
        lambda m: nn.Adam(m, lr=0.01, betas=betas, eps=1e-7, weight_decay=weight_decay,
                          clip_norm=clip),
        lambda p: torch.optim.Adam(p, lr=0.01, betas=betas, eps=1e-7,
                                   weight_decay=weight_decay),
        clip=clip)
    for name in ours:
        close(ours[name], theirs[name], 1e-12)


def test_clipping_matches_clip_grad_norm():
    rng = np.random.default_rng(11)
    values = [rng.normal(size=s) for s in [(3, 4), (5,), (2, 2, 2)]]
    params = [nn.Parameter(f"p{i}", v.copy()) for i, v in enumerate(values)]
    tparams = [t(v, True) for v in values]
    for p, tp, g in zip(params, tparams, [rng.normal(size=v.shape) * 3 for v in values]):
        p.grad[...] = g
        tp.grad = t(g)
    norm = nn.SGD(params, lr=1.0, clip_norm=0.7).clip_gradients()
    tnorm = torch.nn.utils.clip_grad_norm_(tparams, 0.7)
    assert norm == pytest.approx(float(tnorm), rel=1e-14)
    for p, tp in zip(params, tparams):
        close(p.grad, tp.grad, 1e-14)
