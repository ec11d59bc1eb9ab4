"""Bad input to ``sigconv.nn`` raises a clear error before any numba code runs.

Every case runs with the numba kernels replaced by functions that fail the
test if called (fixture ``no_kernels`` from conftest), so the error must come
from the validation in front of them.  Messages name the layer (its repr)
and, for shapes, the expected shape.
"""
import re

import numpy as np
import pytest

from sigconv import nn

pytestmark = pytest.mark.usefixtures("no_kernels")


def conv(*args, **kw):
    return nn.Conv1d(*args, seed=0, **kw)


def trained_once():
    model = nn.Sequential(nn.Linear(3, 2, seed=0), nn.Tanh())
    model(np.ones((4, 3)))
    return model


CASES = [
    # -- Conv1d input shape -------------------------------------------------------
    ("conv-rank-2", lambda: conv(3, 8, 5)(np.ones((4, 100))), ValueError,
     re.escape("Conv1d(3, 8, kernel_size=5): x must have shape (batch, 3, time); "
               "got (4, 100)")),
    ("conv-rank-4", lambda: conv(3, 8, 5)(np.ones((1, 4, 3, 100))), ValueError,
     re.escape("x must have shape (batch, 3, time); got (1, 4, 3, 100)")),
    ("conv-channels", lambda: conv(3, 8, 5)(np.ones((4, 2, 100))), ValueError,
     re.escape("Conv1d(3, 8, kernel_size=5): x must have shape (batch, 3, time); "
               "got (4, 2, 100)")),
    ("conv-options-in-name", lambda: conv(4, 8, 3, 2, causal=False, groups=2)(np.ones((1, 3, 9))),
     ValueError, re.escape("Conv1d(4, 8, kernel_size=3, dilation=2, causal=False, groups=2): "
                           "x must have shape (batch, 4, time)")),
    ("conv-empty-time", lambda: conv(1, 1, 2)(np.ones((2, 1, 0))), ValueError,
     r"at least 1 time step; got \(2, 1, 0\)"),
    ("conv-complex", lambda: conv(1, 1, 2)(np.ones((1, 1, 5), complex)), TypeError,
     r"Conv1d\(1, 1, kernel_size=2\): x must be a real numeric array; got dtype complex128"),
    ("conv-strings", lambda: conv(1, 1, 2)([[["a", "b"]]]), TypeError,
     r"x must be a real numeric array"),
    # -- Conv1d options -------------------------------------------------------------
    ("kernel-size-0", lambda: nn.Conv1d(1, 1, 0), ValueError,
     r"kernel_size must be an integer >= 1; got 0"),
    ("kernel-size-float", lambda: nn.Conv1d(1, 1, 2.5), ValueError,
     r"kernel_size must be an integer >= 1; got 2.5"),
    ("dilation-0", lambda: nn.Conv1d(1, 1, 3, dilation=0), ValueError,
     r"dilation must be an integer >= 1; got 0"),
    ("channels-0", lambda: nn.Conv1d(0, 1, 3), ValueError,
     r"in_channels must be an integer >= 1; got 0"),
    ("groups-in", lambda: nn.Conv1d(3, 4, 3, groups=2), ValueError,
     re.escape("in_channels (3) and out_channels (4) must be divisible by groups (2)")),
    ("groups-out", lambda: nn.Conv1d(4, 3, 3, groups=2), ValueError,
     r"must be divisible by groups \(2\)"),
    ("groups-0", lambda: nn.Conv1d(4, 4, 3, groups=0), ValueError,
     r"groups must be an integer >= 1; got 0"),
    ("causal-string", lambda: nn.Conv1d(1, 1, 3, causal="yes"), TypeError,
     r"causal must be True or False; got 'yes'"),
    ("dtype-int", lambda: nn.Conv1d(1, 1, 3, dtype=np.int32), TypeError,
     (r"Conv1d\(1, 1, kernel_size=3\): dtype must be float32 or float64; got <class "
     r"'numpy.int32'>")),
    ("dtype-float16", lambda: nn.Linear(2, 2, dtype="float16"), TypeError,
     r"Linear\(2, 2\): dtype must be float32 or float64; got 'float16'"),
    ("dtype-unknown", lambda: nn.TCN([1, 2], dtype="double-ish"), TypeError,
     r"TCN: dtype must be float32 or float64; got 'double-ish'"),
    ("seed-negative", lambda: nn.Conv1d(1, 1, 3, seed=-1), TypeError,
     r"seed must be a non-negative integer, a numpy SeedSequence or Generator, or None"),
    # -- backward -------------------------------------------------------------------
    ("conv-backward-first", lambda: conv(1, 2, 3).backward(np.ones((1, 2, 5))), ValueError,
     re.escape("Conv1d(1, 2, kernel_size=3): backward called before forward")),
    ("linear-backward-first", lambda: nn.Linear(2, 1).backward(np.ones((3, 1))), ValueError,
     re.escape("Linear(2, 1): backward called before forward")),
    ("relu-backward-first", lambda: nn.ReLU().backward(np.ones(3)), ValueError,
     re.escape("ReLU(): backward called before forward")),
    ("gelu-backward-first", lambda: nn.GELU().backward(np.ones(3)), ValueError,
     re.escape("GELU(): backward called before forward")),
    ("dropout-backward-first", lambda: nn.Dropout(0.2).backward(np.ones(3)), ValueError,
     re.escape("Dropout(p=0.2): backward called before forward")),
    ("tcn-backward-first", lambda: nn.TCN([1, 2], 2).backward(np.ones((1, 2, 5))), ValueError,
     r"backward called before forward"),
    ("sequential-grad-shape", lambda: trained_once().backward(np.ones((4, 3))), ValueError,
     re.escape("Tanh(): grad_out must have the output's shape (4, 2); got (4, 3)")),
    # -- other layers ---------------------------------------------------------------
    ("linear-features", lambda: nn.Linear(16, 1)(np.ones((4, 3))), ValueError,
     re.escape("Linear(16, 1): x must have shape (..., 16); got (4, 3)")),
    ("linear-scalar", lambda: nn.Linear(1, 1)(np.float64(2.0)), ValueError,
     re.escape("Linear(1, 1): x must have shape (..., 1); got ()")),
    ("dropout-p", lambda: nn.Dropout(1.5), ValueError, r"p must be a number in \[0, 1\]; got 1.5"),
    ("tcn-channels-short", lambda: nn.TCN([4]), ValueError,
     r"channels must be a sequence of at least 2 channel counts"),
    ("tcn-channels-int", lambda: nn.TCN(4), ValueError,
     r"channels must be a sequence of at least 2 channel counts"),
    ("tcn-channel-0", lambda: nn.TCN([1, 0]), ValueError,
     r"channels\[i\] must be an integer >= 1; got 0"),
    ("tcn-dilations-length", lambda: nn.TCN([1, 4, 4], dilations=[1]), ValueError,
     r"dilations must be a sequence of 2 integers, one per block; got \[1\]"),
    ("tcn-dilation-0", lambda: nn.TCN([1, 4], dilations=[0]), ValueError,
     r"dilations\[i\] must be an integer >= 1; got 0"),
    ("tcn-dropout-1", lambda: nn.TCN([1, 4], dropout=1.0), ValueError,
     r"dropout must be a number in \[0, 1\); got 1.0"),
    ("tcn-input-channels", lambda: nn.TCN([1, 16, 16, 16], 5, [1, 2, 4])(np.ones((8, 2, 50))),
     ValueError, re.escape("TCN([1, 16, 16, 16], kernel_size=5, dilations=[1, 2, 4]): x must "
                           "have shape (batch, 1, time); got (8, 2, 50)")),
    ("tcn-input-rank", lambda: nn.TCN([1, 4])(np.ones(50)), ValueError,
     re.escape("x must have shape (batch, 1, time); got (50,)")),
    ("sequential-not-a-layer", lambda: nn.Sequential(nn.ReLU(), np.tanh), TypeError,
     r"Sequential: every layer must be a sigconv.nn Module"),
    ("residual-shapes", lambda: nn.Residual(nn.Linear(3, 2, seed=0))(np.ones((4, 3))), ValueError,
     re.escape("the block's output shape (4, 2) differs from the skip path's (4, 3)")),
    # -- state dicts ----------------------------------------------------------------
    ("state-missing", lambda: nn.Linear(2, 1).load_state_dict({"weight": np.ones((1, 2))}),
     ValueError, (r"Linear\(2, 1\): load_state_dict needs exactly the names "
                  r"\['weight', 'bias'\]; missing \['bias'\], unexpected \[\]")),
    ("state-unexpected", lambda: nn.Linear(2, 1, bias=False).load_state_dict(
        {"weight": np.ones((1, 2)), "bias": np.ones(1)}), ValueError, r"unexpected \['bias'\]"),
    ("state-shape", lambda: nn.Linear(2, 1).load_state_dict(
        {"weight": np.ones((2, 1)), "bias": np.ones(1)}), ValueError,
     re.escape("Linear(2, 1): state['weight'] must have shape (1, 2); got (2, 1)")),
    ("weight-setter-shape", lambda: setattr(conv(1, 2, 3), "weight", np.ones(3)), ValueError,
     re.escape("state['weight'] must have shape (2, 1, 3); got (3,)")),
    ("bias-setter-none", lambda: setattr(conv(1, 2, 3, bias=False), "bias", np.ones(2)),
     ValueError, re.escape("Conv1d(1, 2, kernel_size=3, bias=False) has no bias")),
    # -- losses ---------------------------------------------------------------------
    ("mse-shapes", lambda: nn.mse(np.ones((4, 3)), np.ones(4)), ValueError,
     re.escape("mse: target must broadcast to pred's shape (4, 3); got (4,)")),
    ("mae-empty", lambda: nn.mae(np.ones(0), np.ones(0)), ValueError,
     r"mae: pred must not be empty"),
    ("mse-object", lambda: nn.mse(np.array([None]), np.ones(1)), TypeError,
     r"mse: pred must be a real numeric array; got dtype object"),
    ("quantile-level", lambda: nn.quantile(1.0), ValueError,
     r"quantile levels must be numbers in \(0, 1\); got 1.0"),
    ("quantile-levels", lambda: nn.quantile([0.1, 0.0]), ValueError,
     r"quantile levels must be numbers in \(0, 1\); got 0.0"),
    ("quantile-empty", lambda: nn.quantile([]), ValueError, r"at least one quantile level"),
    ("quantile-string", lambda: nn.quantile("median"), ValueError,
     r"quantile levels must be numbers in \(0, 1\); got 'm'"),
    ("quantile-axis", lambda: nn.quantile([0.1, 0.9])(np.ones((5, 3)), np.ones(5)), ValueError,
     re.escape("quantile: pred must have a last axis of length 2 (one per level); "
               "got shape (5, 3)")),
    # -- optimisers -----------------------------------------------------------------
    ("sgd-lr", lambda: nn.SGD(nn.Linear(2, 1), lr=-0.1), ValueError,
     r"lr must be a number in \[0, inf\); got -0.1"),
    ("sgd-momentum", lambda: nn.SGD(nn.Linear(2, 1), lr=0.1, momentum=-1), ValueError,
     r"momentum must be a number in \[0, inf\); got -1"),
    ("adam-betas", lambda: nn.Adam(nn.Linear(2, 1), betas=(0.9, 1.0)), ValueError,
     r"betas\[1\] must be a number in \[0, 1\); got 1.0"),
    ("adam-betas-shape", lambda: nn.Adam(nn.Linear(2, 1), betas=0.9), ValueError,
     r"betas must be a pair of numbers in \[0, 1\); got 0.9"),
    ("adam-clip", lambda: nn.Adam(nn.Linear(2, 1), clip_norm=0), ValueError,
     r"clip_norm must be a number in \(0, inf\); got 0"),
    ("adam-decay", lambda: nn.Adam(nn.Linear(2, 1), weight_decay=-1e-3), ValueError,
     r"weight_decay must be a number in \[0, inf\); got -0.001"),
    ("optimiser-params", lambda: nn.SGD([np.ones(3)], lr=0.1), TypeError,
     r"SGD: params must be a sigconv.nn Module or a list of Parameters"),
]


@pytest.mark.parametrize("call,exc,pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_before_numba(call, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        call()
    assert "numba" not in str(info.value).lower()


def test_the_guard_catches_kernel_calls():
    with pytest.raises(AssertionError, match="numba kernel sigconv._core.conv1d"):
        nn.Conv1d(1, 1, 2, seed=0)(np.ones((1, 1, 4)))
