"""``acovf``, ``acf``, ``pacf`` and ``ccf`` against ``statsmodels.tsa.stattools`` on real
series (every pacf method name, adjusted and not), the lag convention of ``ccf``
(R's ``corr(x[t + k], y[t])``), pandas wrapping, and bad input raised before any
numba kernel runs.
"""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.tsa import stattools

import sigconv

TOL = 1e-12
FEW = settings(max_examples=25, deadline=None, database=None)


def _macro():
    return sm.datasets.macrodata.load_pandas().data


def _real_series():
    macro = _macro()
    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    return {
        "sunspots": sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(),
        "nile": sm.datasets.nile.load_pandas().data["volume"].to_numpy(),
        "infl": macro["infl"].to_numpy(),
        "co2": co2.to_numpy(),
    }


SERIES = _real_series()
NAMES = sorted(SERIES)

# The method names statsmodels 0.15's pacf accepts; sigconv accepts each of them.
PACF_METHODS = ["yw", "ywa", "ywadjusted", "yw_adjusted", "ld", "lda", "ldadjusted",
                "ld_adjusted", "ywm", "ywmle", "yw_mle", "ldb", "ldbiased", "ld_biased",
                "burg", "ols", "ols-inefficient", "ols-adjusted"]


def _pairs():
    macro = _macro()
    growth = np.diff(np.log(macro[["realgdp", "realcons", "realinv"]].to_numpy()), axis=0) * 400
    return {
        "infl-unemp": (macro["infl"].to_numpy(), macro["unemp"].to_numpy()),
        "gdp-cons": (growth[:, 0], growth[:, 1]),
        "inv-gdp": (growth[:, 2], growth[:, 0]),
    }


PAIRS = _pairs()


# ---------------------------------------------------------------------------
# acovf, acf


@pytest.mark.parametrize("adjusted", [False, True])
@pytest.mark.parametrize("name", NAMES)
def test_acovf_matches_statsmodels(name, adjusted):
    x = SERIES[name]
    expected = stattools.acovf(x, adjusted=adjusted, fft=False)
    got = sigconv.acovf(x, adjusted=adjusted)
    assert got.shape == (x.size,)  # default: every lag 0..n-1
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL * expected[0])
    np.testing.assert_allclose(sigconv.acovf(x, 12, adjusted=adjusted), expected[:13],
                               rtol=TOL, atol=TOL * expected[0])


@pytest.mark.parametrize("adjusted", [False, True])
@pytest.mark.parametrize("name", NAMES)
def test_acf_matches_statsmodels(name, adjusted):
    x = SERIES[name]
    # Default nlags: min(10 log10 n, n - 1), the same in both.
    expected = stattools.acf(x, adjusted=adjusted, fft=False)
    got = sigconv.acf(x, adjusted=adjusted)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    n = x.size
    for nlags in (0, 1, 40, n - 1):
        np.testing.assert_allclose(sigconv.acf(x, nlags, adjusted=adjusted),
                                   stattools.acf(x, adjusted=adjusted, nlags=nlags, fft=False),
                                   rtol=0, atol=TOL)


def test_acf_of_a_series_is_a_series_indexed_by_lag():
    x = pd.Series(SERIES["sunspots"], name="sunspots")
    got = sigconv.acf(x, 5)
    assert isinstance(got, pd.Series)
    assert got.name == "acf" and got.index.name == "lag"
    assert got.index.tolist() == list(range(6))
    np.testing.assert_allclose(got.to_numpy(), stattools.acf(x.to_numpy(), nlags=5),
                               rtol=0, atol=TOL)
    # numpy in, numpy out
    assert isinstance(sigconv.acf(x.to_numpy(), 5), np.ndarray)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_acf_computes_in_float64(dtype):
    # Autocorrelations are always float64: float32 input is upcast, not rounded.
    x = (SERIES["nile"] if dtype is np.int64 else SERIES["nile"] / 1000).astype(dtype)
    got = sigconv.acf(x, 10)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, stattools.acf(x.astype(np.float64), nlags=10),
                               rtol=0, atol=TOL)
    assert sigconv.acovf(x, 10).dtype == np.float64


def test_acovf_hand_example():
    # (x - 2.5) = [-1.5, -0.5, 0.5, 1.5]: lag 1 sum -0.75 + -0.25 + 0.75 ... / 4
    x = np.array([1.0, 2.0, 3.0, 4.0])
    z = x - x.mean()
    expected = [np.sum(z[k:] * z[:4 - k]) / 4 for k in range(4)]
    np.testing.assert_allclose(sigconv.acovf(x), expected, rtol=1e-15)
    np.testing.assert_allclose(sigconv.acovf(x, adjusted=True),
                               [np.sum(z[k:] * z[:4 - k]) / (4 - k) for k in range(4)],
                               rtol=1e-15)


# ---------------------------------------------------------------------------
# pacf


# statsmodels' own rounding error on co2 (a trend, pacf[1] = 0.998) is 3e-12 for Burg;
# sigconv is within 1e-14 there (test_burg_pacf_matches_extended_precision).
PACF_TOL = {("co2", "burg"): 5e-12}


@pytest.mark.parametrize("method", PACF_METHODS)
@pytest.mark.parametrize("name", NAMES)
def test_pacf_matches_statsmodels(name, method):
    x = SERIES[name]
    expected = stattools.pacf(x, method=method)  # default nlags
    got = sigconv.pacf(x, method=method)
    assert got.shape == expected.shape
    tol = PACF_TOL.get((name, method), TOL)
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


def burg_longdouble(x, nlags):
    """Burg's reflection coefficients in extended precision, from the definition:
    ``kappa_k = 2 sum f_t b_{t-1} / sum (f_t^2 + b_{t-1}^2)`` over t = k..n-1, then
    ``f_t <- f_t - kappa b_{t-1}``, ``b_t <- b_{t-1} - kappa f_t``."""
    z = np.asarray(x, dtype=np.longdouble)
    z = z - z.mean()
    f, b = z.copy(), z.copy()
    out = []
    for k in range(1, nlags + 1):
        fk, bk = f[k:], b[k - 1:-1]
        kappa = 2 * np.sum(fk * bk) / np.sum(fk * fk + bk * bk)
        out.append(kappa)
        f[k:], b[k:] = fk - kappa * bk, bk - kappa * fk
    return np.array(out, dtype=np.float64)


@pytest.mark.parametrize("name", NAMES)
def test_burg_pacf_matches_extended_precision(name):
    x = SERIES[name]
    nlags = 30
    np.testing.assert_allclose(sigconv.pacf(x, nlags, method="burg")[1:],
                               burg_longdouble(x, nlags), rtol=0, atol=1e-13)


@pytest.mark.parametrize("method", ["ywadjusted", "ywmle", "burg", "ols", "ols-inefficient",
                                    "ols-adjusted"])
@pytest.mark.parametrize("name", ["nile", "infl"])
def test_pacf_matches_statsmodels_at_the_largest_lag(name, method):
    # sigconv allows nlags up to n // 2 - 1 (statsmodels also n // 2).
    x = SERIES[name]
    nlags = x.size // 2 - 1
    np.testing.assert_allclose(sigconv.pacf(x, nlags, method=method),
                               stattools.pacf(x, nlags, method=method), rtol=1e-10, atol=1e-10)


def test_pacf_old_alias_ywunbiased_is_ywadjusted():
    x = SERIES["sunspots"]
    np.testing.assert_array_equal(sigconv.pacf(x, 10, method="ywunbiased"),
                                  sigconv.pacf(x, 10, method="ywadjusted"))


def test_pacf_ywmle_is_R_pacf():
    # R 4.2.2: pacf(x, lag.max=4) for x = cumsum(default_rng(0).normal(size=50)).
    x = np.random.default_rng(0).normal(size=50).cumsum()
    r_pacf = [0.85625695, -0.10349491, -0.04195064, 0.00306362]
    np.testing.assert_allclose(sigconv.pacf(x, 4, method="ywmle")[1:], r_pacf, atol=5e-9)


def test_pacf_of_a_series_is_a_series_indexed_by_lag():
    x = pd.Series(SERIES["nile"])
    got = sigconv.pacf(x, 6, method="burg")
    assert isinstance(got, pd.Series)
    assert got.name == "pacf" and got.index.name == "lag"
    assert got.index.tolist() == list(range(7))
    np.testing.assert_allclose(got.to_numpy(), stattools.pacf(x.to_numpy(), 6, method="burg"),
                               atol=TOL)


# ---------------------------------------------------------------------------
# ccf


@pytest.mark.parametrize("adjusted", [False, True])
@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_ccf_matches_statsmodels_on_both_sides(pair, adjusted):
    x, y = PAIRS[pair]
    nlags = 15
    got = sigconv.ccf(x, y, nlags, adjusted=adjusted)
    assert got.index.tolist() == list(range(-nlags, nlags + 1))
    # statsmodels' nlags is a slice length: nlags=16 returns lags 0..15.
    positive = stattools.ccf(x, y, adjusted=adjusted, nlags=nlags + 1)
    negative = stattools.ccf(y, x, adjusted=adjusted, nlags=nlags + 1)
    assert positive.size == nlags + 1
    np.testing.assert_allclose(got.loc[0:].to_numpy(), positive, rtol=0, atol=TOL)
    np.testing.assert_allclose(got.loc[:0].to_numpy(), negative[::-1], rtol=0, atol=TOL)


def naive_ccf(x, y, k, adjusted):
    """``sum_t (x[t + k] - mean x)(y[t] - mean y) / d / (std x std y)``, one lag."""
    n = len(x)
    zx, zy = x - x.mean(), y - y.mean()
    total = sum(zx[t + k] * zy[t] for t in range(max(0, -k), min(n, n - k)))
    return total / ((n - abs(k)) if adjusted else n) / (x.std() * y.std())


@pytest.mark.parametrize("adjusted", [False, True])
def test_ccf_lag_convention_is_R(adjusted):
    # x[t] = y[t - 3]: x lags y by 3, so corr(x[t + k], y[t]) peaks at k = +3.
    z = np.random.default_rng(5).normal(size=503)
    x, y = z[:-3], z[3:]
    np.testing.assert_array_equal(x[3:], y[:-3])
    got = sigconv.ccf(x, y, 8, adjusted=adjusted)
    assert got.idxmax() == 3
    assert got[3] > 0.95
    for k in range(-8, 9):
        assert got[k] == pytest.approx(naive_ccf(x, y, k, adjusted), abs=TOL)
    # swapping the series mirrors the lags
    np.testing.assert_allclose(sigconv.ccf(y, x, 8, adjusted=adjusted).to_numpy(),
                               got.to_numpy()[::-1], rtol=0, atol=TOL)
    assert sigconv.ccf(y, x, 8, adjusted=adjusted).idxmax() == -3


def test_ccf_hand_example_from_R():
    # R 4.2.2: ccf(c(1,4,2,8,5,7), c(3,1,4,1,5,9), lag.max=2)
    x = [1.0, 4.0, 2.0, 8.0, 5.0, 7.0]
    y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0]
    r_values = [0.3902148869, 0.5751604844, 0.1829132283, 0.2337224583, -0.3617617181]
    np.testing.assert_allclose(sigconv.ccf(x, y, 2).to_numpy(), r_values, atol=5e-11)


def test_ccf_returns_a_series_indexed_by_lag():
    x, y = PAIRS["infl-unemp"]
    for a, b in ((x, y), (pd.Series(x, name="infl"), pd.Series(y, name="unemp"))):
        got = sigconv.ccf(a, b, 4)
        assert isinstance(got, pd.Series)
        assert got.name == "ccf" and got.index.name == "lag"
        assert got.index.tolist() == [-4, -3, -2, -1, 0, 1, 2, 3, 4]
    # default nlags: min(10 log10 n, n - 1)
    assert sigconv.ccf(x, y).index.max() == int(10 * np.log10(x.size))


# ---------------------------------------------------------------------------
# invariants


@FEW
@given(n=st.integers(5, 60), seed=st.integers(0, 2**32 - 1),
       scale=st.floats(0.01, 100), sign=st.sampled_from([-1.0, 1.0]),
       shift=st.floats(-1e3, 1e3), adjusted=st.booleans())
def test_acf_is_affine_invariant_and_ccf_with_itself_is_acf(n, seed, scale, sign, shift,
                                                             adjusted):
    # rho is invariant under x -> a x + b for a > 0 and a < 0 alike.
    x = np.random.default_rng(seed).normal(size=n)
    nlags = n - 1
    rho = sigconv.acf(x, nlags, adjusted=adjusted)
    np.testing.assert_allclose(sigconv.acf(sign * scale * x + shift, nlags, adjusted=adjusted), rho,
                               rtol=1e-9, atol=1e-9)
    two_sided = sigconv.ccf(x, x, nlags, adjusted=adjusted)
    np.testing.assert_allclose(two_sided.loc[0:].to_numpy(), rho, atol=1e-12)
    np.testing.assert_allclose(two_sided.loc[:0].to_numpy(), rho[::-1], atol=1e-12)


@FEW
@given(n=st.integers(6, 80), seed=st.integers(0, 2**32 - 1))
def test_pacf_at_lag_one_is_the_acf_and_burg_is_bounded(n, seed):
    x = np.random.default_rng(seed).normal(size=n).cumsum()
    nlags = n // 2 - 1
    assert sigconv.pacf(x, nlags, method="ywmle")[1] == pytest.approx(
        sigconv.acf(x, 1)[1], abs=1e-12)
    assert np.all(np.abs(sigconv.pacf(x, nlags, method="burg")) <= 1 + 1e-12)
    assert np.all(np.abs(sigconv.pacf(x, nlags, method="ywmle")) <= 1 + 1e-12)


# ---------------------------------------------------------------------------
# bad input, raised before any numba kernel runs

X = np.sin(np.arange(40.0)) + 2.0
Y = np.cos(np.arange(40.0))


def _with_nan(where):
    x = X.copy()
    x[{"start": 0, "middle": 17, "end": -1}[where]] = np.nan
    return x


BAD = [
    ("acf-nlags-n", lambda: sigconv.acf(X, 40),
     ValueError, r"nlags must be at most 39 for a series of 40 samples; got 40"),
    ("acf-nlags-negative", lambda: sigconv.acf(X, -1), ValueError,
     r"nlags must be an integer >= 0; got -1"),
    ("acf-nlags-float", lambda: sigconv.acf(X, 2.5), ValueError, r"nlags must be an integer"),
    ("acf-nlags-bool", lambda: sigconv.acf(X, True), ValueError, r"nlags must be an integer"),
    ("acovf-nlags", lambda: sigconv.acovf(X, 40), ValueError, r"nlags must be at most 39"),
    ("acf-one-sample", lambda: sigconv.acf(X[:1]), ValueError,
     r"x must have at least 2 samples"),
    ("acf-two-series", lambda: sigconv.acf(np.c_[X, Y]), ValueError,
     r"x must be a single series"),
    ("acf-frame", lambda: sigconv.acf(pd.DataFrame({"a": X, "b": Y})), ValueError,
     r"x must be a single series"),
    ("acf-text", lambda: sigconv.acf(["a", "b", "c"]), TypeError, r"x must hold numbers"),
    ("acf-inf", lambda: sigconv.acf(np.r_[X, np.inf]), ValueError, r"x contains NaN or inf"),
    ("pacf-nlags-half", lambda: sigconv.pacf(X, 20), ValueError,
     r"nlags must be at most 19 for a series of 40 samples; got 20"),
    ("pacf-method", lambda: sigconv.pacf(X, 5, method="yule_walker"), ValueError,
     r"method must be one of 'ywadjusted', .*'ols-adjusted'; got 'yule_walker'"),
    ("ccf-lengths", lambda: sigconv.ccf(X, Y[:30]), ValueError,
     r"x and y must have the same length; got 40 and 30"),
    ("ccf-nlags", lambda: sigconv.ccf(X, Y, 40), ValueError, r"nlags must be at most 39"),
    ("ccf-two-series", lambda: sigconv.ccf(np.c_[X, Y], Y), ValueError,
     r"x must be a single series"),
    *[(f"{f.__name__}-nan-{where}", lambda f=f, where=where: f(_with_nan(where)),
       ValueError, r"x contains NaN or inf; drop or fill missing values first")
      for f in (sigconv.acf, sigconv.acovf, sigconv.pacf)
      for where in ("start", "middle", "end")],
    *[(f"acf-series-nan-{where}", lambda where=where: sigconv.acf(pd.Series(_with_nan(where))),
       ValueError, r"x contains NaN or inf") for where in ("start", "middle", "end")],
    ("ccf-nan-x", lambda: sigconv.ccf(_with_nan("middle"), Y), ValueError,
     r"x contains NaN or inf"),
    ("ccf-nan-y", lambda: sigconv.ccf(X, _with_nan("end")), ValueError,
     r"y contains NaN or inf"),
]


@pytest.mark.usefixtures("no_kernels")
class TestBadInput:
    @pytest.mark.parametrize(("call", "error", "pattern"), [case[1:] for case in BAD],
                             ids=[case[0] for case in BAD])
    def test_bad_input(self, call, error, pattern):
        with pytest.raises(error, match=pattern) as info:
            call()
        assert "numba" not in str(info.value).lower()

    def test_case_ids_are_unique(self):
        ids = [case[0] for case in BAD]
        assert len(ids) == len(set(ids))

    def test_guard_intercepts_valid_calls(self, no_kernels):
        # A valid call reaches a kernel, so the cases above prove the errors come first.
        assert "sigconv._core.levinson.levinson" in no_kernels
        with pytest.raises(AssertionError, match="numba kernel .* ran on invalid input"):
            sigconv.pacf(X, 5)

    def test_adjusted_must_be_a_bool(self):
        with pytest.raises(TypeError, match=r"adjusted must be True or False"):
            sigconv.acf(X, 5, adjusted="no")


def test_acovf_of_a_series_is_a_series_indexed_by_lag():
    got = sigconv.acovf(pd.Series(SERIES["nile"]), 5)
    assert isinstance(got, pd.Series) and got.index.name == "lag"
