"""ARIMA specifications: validation, regressors and the data layout the kernels see."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as V
from . import kernels
from .kernels import Kernel

METHODS = ("css-ml", "ml", "css")
TRENDS = ("n", "c", "t", "ct")


class ARIMAKernels(NamedTuple):
    """The lag polynomials of a fitted model, as causal kernels.

    ``ar`` is ``phi(B) Phi(B^s)``, ``difference`` ``(1 - B)^d (1 - B^s)^D``,
    ``generalized_ar`` their composition (the whole AR side, whose inverse
    gives the psi-weights) and ``ma`` ``theta(B) Theta(B^s)``.  The CSS
    residuals are ``generalized_ar`` applied to ``y - x' beta`` (``mode=
    "valid"``), then filtered by ``1 / ma`` from a zero start.

    Examples
    --------
    >>> import numpy as np
    >>> import sigconv
    >>> x = sigconv.recursive_filter(np.random.default_rng(0).normal(size=300), [0.6])
    >>> ar, difference, generalized_ar, ma = sigconv.ARIMA((1, 1, 0)).fit(np.cumsum(x)).kernels
    >>> ar.name, difference.weights, ma.weights
    ('ar', array([ 1., -1.]), array([1.]))
    >>> np.allclose(generalized_ar.weights, (ar @ difference).weights)
    True
    """

    ar: Kernel
    difference: Kernel
    generalized_ar: Kernel
    ma: Kernel


@dataclass(frozen=True)
class _Spec:
    """A validated model specification."""

    p: int
    d: int
    q: int
    P: int
    D: int
    Q: int
    s: int
    trend: str
    method: str

    @property
    def arma(self):
        return np.array([self.p, self.q, self.P, self.Q, max(self.s, 1)], dtype=np.int64)

    @property
    def k_arma(self):
        return self.p + self.q + self.P + self.Q

    @property
    def difference(self):
        kernel = kernels.difference(self.d)
        if self.D:
            kernel = kernels.compose(kernel, kernels.seasonal_difference(self.s, self.D))
        return Kernel(kernel.weights, origin=0, name="difference")

    @property
    def delta(self):
        """``delta_j`` of ``1 - sum delta_j B^j``, the differencing polynomial."""
        return np.ascontiguousarray(-self.difference.weights[1:])

    @property
    def trend_names(self):
        return [name for flag, name in (("c", "const"), ("t", "drift")) if flag in self.trend]

    def arma_names(self):
        s = self.s
        return ([f"ar.L{j}" for j in range(1, self.p + 1)]
                + [f"ar.S.L{s * j}" for j in range(1, self.P + 1)]
                + [f"ma.L{j}" for j in range(1, self.q + 1)]
                + [f"ma.S.L{s * j}" for j in range(1, self.Q + 1)])

    def label(self):
        text = f"ARIMA({self.p},{self.d},{self.q})"
        if self.P or self.D or self.Q:
            text += f"({self.P},{self.D},{self.Q})[{self.s}]"
        return text


def _check_orders(order, seasonal_order, trend, method, index):
    """Validate the specification; infer the season length from ``index`` if asked."""
    V.check_option(method, "method", METHODS)
    if isinstance(order, (str, bytes)) or np.ndim(order) != 1 or len(order) != 3:
        raise ValueError(f"order must be a tuple (p, d, q); got {order!r}")
    p, d, q = (V.check_int(v, f"order[{i}]", minimum=0) for i, v in enumerate(order))
    if isinstance(seasonal_order, (str, bytes)) or np.ndim(seasonal_order) != 1 or \
            len(seasonal_order) not in (3, 4):
        raise ValueError("seasonal_order must be a tuple (P, D, Q, s), or (P, D, Q) to take s "
                         f"from the index frequency; got {seasonal_order!r}")
    big_p, big_d, big_q = (V.check_int(v, f"seasonal_order[{i}]", minimum=0)
                           for i, v in enumerate(seasonal_order[:3]))
    s = seasonal_order[3] if len(seasonal_order) == 4 else None
    seasonal = big_p or big_d or big_q
    if s is None:
        if seasonal:
            s = V.period_from_index(index, "the season length s")
            warnings.warn(f"seasonal_order has no season length: using s={s} from the index "
                          f"frequency; pass seasonal_order=({big_p}, {big_d}, {big_q}, {s}) "
                          "to say so", UserWarning, stacklevel=4)  # user <- fit <- _fit <- here
        else:
            s = 0
    s = V.check_int(s, "seasonal_order[3] (s)", minimum=0)
    if seasonal and s < 2:
        raise ValueError(f"the season length s must be at least 2 with seasonal terms; got "
                         f"s={s} with seasonal_order={tuple(seasonal_order)}")
    if trend is None:
        trend = "c" if d + big_d == 0 else "n"
    V.check_option(trend, "trend", TRENDS)
    integration = d + big_d
    lowest = {"c": 0, "t": 1, "ct": 0}.get(trend)
    if lowest is not None and lowest < integration:
        raise ValueError(
            f"trend={trend!r} has a term of order {lowest}, which differencing of order d + D "
            f"= {integration} removes; use trend='t' for a drift when d + D = 1, or trend='n'")
    return _Spec(p, d, q, big_p, big_d, big_q, s if seasonal else 0, trend, method)


def _regressors(spec, exog, n, offset=0):
    """The regression columns (n, k): trend terms, then exog."""
    columns = []
    if "c" in spec.trend:
        columns.append(np.ones(n))
    if "t" in spec.trend:   # time 1, 2, ... as statsmodels (trend_offset=1)
        columns.append(np.arange(offset + 1, offset + n + 1, dtype=float))
    if exog is not None:
        columns.extend(exog)
    return np.column_stack(columns) if columns else np.empty((n, 0))


def _exog_input(exog, n, name="exog"):
    """Validated regressors: a list of (n,) float columns and their names."""
    if exog is None:
        return None, []
    data = V.series_input(exog, name, axis=0, dtype=np.float64)
    values = data.values
    if data.kind == "numpy" and len(data.batch_shape) > 1:
        raise ValueError(f"{name} must be 1-D or 2-D (observations down the rows)")
    if values.shape[1] != n:
        raise ValueError(f"{name} must have one row per observation ({n}); got "
                         f"{values.shape[1]}")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains NaN or inf; regressors must be complete")
    if data.kind == "frame":
        names = [str(c) for c in data.columns]
    elif data.kind == "series" and data.name is not None:
        names = [str(data.name)]
    else:
        names = [f"x{j + 1}" for j in range(values.shape[0])]
    return list(values), names


class _Design(NamedTuple):
    """A validated specification with its regression columns."""

    spec: _Spec
    regressors: np.ndarray   # (n, k): trend terms, then exog
    names: list              # the regression coefficients' names
    n_exog: int


class _Fit(NamedTuple):
    """The optimiser's outcome for one series."""

    arma: np.ndarray         # AR, seasonal AR, MA, seasonal MA coefficients
    method: str              # the method actually used
    converged: bool
    message: str
    iterations: int
    error: str | None = None


def _problem(y, regressors, spec):
    """Why this series cannot be fitted (None if it can)."""
    r = len(spec.delta)
    present = np.isfinite(y)
    n_obs = int(present.sum())
    k = spec.k_arma + regressors.shape[1] + 1
    need = r + k + 1 + (spec.p + spec.s * spec.P if present.all() else 0)
    if spec.method == "css" and not present.all():
        return ("y has missing values, which method='css' cannot use; fill them or use "
                "method='ml' (or 'css-ml', which then starts from zeros)")
    if n_obs < need:
        return (f"y has {n_obs} observed values; {spec.label()} with {k} parameters needs at "
                f"least {need} (differencing uses {r})")
    if present.all():
        w = np.convolve(y, spec.difference.weights, mode="valid")
        if np.ptp(w) == 0:
            return ("y is constant" + (" after differencing" if r else "")
                    + ": there is no variation to model")
        if regressors.shape[1]:
            wx = np.column_stack([np.convolve(c, spec.difference.weights, mode="valid")
                                  for c in regressors.T])
            if np.linalg.matrix_rank(wx) < wx.shape[1]:
                return ("the regressors (trend and exog) are collinear after differencing; "
                        "drop the redundant ones")
    return None


def _layout(y, regressors, spec):
    """The data the kernels see, and whether it is in levels.

    A complete series is differenced: columns ``[w, differenced regressors]``
    serve CSS and ML alike.  A series with missing values keeps its levels
    (ML only): ``[y, r zero columns for the diffuse initial values,
    regressors]``.
    """
    diff = spec.difference.weights
    r = diff.size - 1
    if np.isfinite(y).all():
        cols = [np.convolve(c, diff, mode="valid") for c in [y, *regressors.T]]
        return np.ascontiguousarray(np.column_stack(cols)), False
    data = np.zeros((y.size, 1 + r + regressors.shape[1]))
    data[:, 0] = y
    data[:, 1 + r:] = regressors
    return data, True
