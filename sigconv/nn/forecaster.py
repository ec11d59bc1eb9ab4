"""Forecasting with a temporal convolutional network, and AR models read off conv kernels.

:class:`ConvForecaster` standardises a series, cuts it into windows of its last
``lags`` values, and trains a causal :class:`~sigconv.nn.TCN` whose last time
step feeds a :class:`~sigconv.nn.Linear` head: one output per step ahead
(``strategy="direct"``) or the next value only, fed back ``h`` times
(``strategy="recursive"``).  With ``quantiles`` the head outputs one value per
quantile and trains on the pinball loss.  :func:`kernel_as_ar` reads a single
linear causal convolution as the coefficients of an AR model.
"""
from __future__ import annotations

import itertools
import json
import numbers
import warnings
import zipfile
from pathlib import Path

import numpy as np

from .. import _validate as V
from .._files import save_npz_atomic
from .layers import TCN, Conv1d, Linear
from .losses import mse, quantile
from .optim import Adam

__all__ = ["ConvForecaster", "kernel_as_ar"]

STRATEGIES = ("recursive", "direct")
FORMAT = "sigconv.nn.ConvForecaster"
FORMAT_VERSION = 1
_DTYPES = {"float32": np.float32, "float64": np.float64}


def kernel_as_ar(layer):
    """The AR coefficients phi_1..phi_p of a linear causal convolution that predicts
    the next value.

    A causal ``Conv1d(1, 1, p, bias=False)`` computes ``out[t] = sum_k w[k]
    x[t - (p - 1) + k]``: its last tap multiplies the newest value.  Trained so
    that ``out[t]`` predicts ``x[t + 1]``, it is the AR(p) model ``x[t + 1] =
    phi_1 x[t] + ... + phi_p x[t - p + 1]`` with ``phi_j = w[p - j]``, the
    kernel flipped.

    Parameters
    ----------
    layer : Conv1d
        A causal ``Conv1d(1, 1, p, bias=False)`` with dilation 1 and one group.

    Returns
    -------
    ndarray, shape (p,), float64
        phi_1..phi_p, in the order of :attr:`sigconv.ARResult.coef`.

    Raises
    ------
    TypeError
        ``layer`` is not a :class:`~sigconv.nn.Conv1d`.
    ValueError
        More than one input or output channel, a bias, a dilation other than
        1, groups, or non-causal padding: such a layer is no AR model.

    See Also
    --------
    sigconv.fit_ar : AR models fitted directly.

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.nn import Conv1d
    >>> from sigconv.nn import kernel_as_ar
    >>> conv = Conv1d(1, 1, 3, bias=False)
    >>> conv.weight[0, 0] = [0.1, -0.3, 0.5]    # oldest tap first
    >>> kernel_as_ar(conv)                       # phi_1 multiplies the newest value
    array([ 0.5, -0.3,  0.1])
    """
    if not isinstance(layer, Conv1d):
        raise TypeError(f"layer must be a sigconv.nn.Conv1d; got {type(layer).__name__}")
    weight = np.asarray(layer.weight)
    problems = []
    if weight.shape[:2] != (1, 1):
        problems.append(f"{weight.shape[1]} input and {weight.shape[0]} output channels "
                        "(need 1 and 1)")
    if layer.bias is not None:
        problems.append("a bias (need bias=False)")
    if getattr(layer, "dilation", 1) != 1:
        problems.append(f"dilation {layer.dilation} (need 1)")
    if getattr(layer, "groups", 1) != 1:
        problems.append(f"groups={layer.groups} (need 1)")
    if not getattr(layer, "causal", True):
        problems.append("causal=False (need causal padding)")
    if problems:
        raise ValueError("kernel_as_ar needs a causal Conv1d(1, 1, p, bias=False) with "
                         "dilation 1; this layer has " + ", ".join(problems))
    return weight[0, 0, ::-1].astype(np.float64)


def _check_channels(channels):
    if isinstance(channels, numbers.Integral) and not isinstance(channels, bool):
        channels = (channels,)
    try:
        channels = tuple(channels)
    except TypeError:
        raise TypeError(f"channels must be a sequence of positive integers; got {channels!r}") \
            from None
    if not channels:
        raise ValueError("channels must name at least one hidden layer width; got ()")
    return tuple(V.check_int(c, "each of channels") for c in channels)


def _check_dilations(dilations, n_blocks):
    if dilations is None:
        return None
    try:
        dilations = tuple(dilations)
    except TypeError:
        raise TypeError(f"dilations must be a sequence of positive integers or None; "
                        f"got {dilations!r}") from None
    if len(dilations) != n_blocks:
        raise ValueError(f"dilations must have one entry per entry of channels ({n_blocks}); "
                         f"got {len(dilations)}")
    return tuple(V.check_int(d, "each of dilations") for d in dilations)


def _check_quantiles(quantiles):
    if quantiles is None:
        return None
    levels = (quantiles,) if np.ndim(quantiles) == 0 else tuple(quantiles)
    if not levels:
        raise ValueError("quantiles must be None or a sequence of levels in (0, 1); got ()")
    levels = tuple(V.check_real(q, "each of quantiles", 0, 1) for q in levels)
    if any(b <= a for a, b in itertools.pairwise(levels)):
        raise ValueError(f"quantiles must be strictly increasing; got {levels}")
    return levels


def _check_dtype(dtype):
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in _DTYPES:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}")
    return name


class ConvForecaster:
    """Forecast a series with a causal temporal convolutional network (TCN).

    The series is standardised, cut into overlapping windows of ``lags``
    values (and the values that follow), and a TCN over each window, its
    last time step read by a linear head, learns to predict what follows.

    Parameters
    ----------
    lags : int >= 1
        Length of the input window: how many past values the network sees.
        Only the last ``min(lags, receptive_field)`` of them can influence a
        forecast (see :attr:`receptive_field`).
    horizon : int >= 1
        ``"direct"``: how many steps the network outputs at once.
        ``"recursive"``: the number of steps of the recursive forecasts scored
        on the validation tail for early stopping.  Either way the default
        ``h`` of :meth:`predict`.
    channels : sequence of int >= 1
        Widths of the TCN's residual blocks (its input has one channel).
    kernel_size : int >= 1
        Taps of every convolution.
    dilations : sequence of int >= 1, optional
        One dilation per block; default ``1, 2, 4, ...``.
    quantiles : sequence of float in (0, 1), increasing, optional
        Quantile levels to forecast, trained with the pinball loss; needs
        ``strategy="direct"``.  Default: a point forecast trained on the mean
        squared error.
    epochs : int >= 1
        Most passes over the training windows.
    batch_size : int >= 1
        Windows per Adam step (shuffled every epoch).
    lr : float > 0
        Adam's learning rate.
    strategy : {"recursive", "direct"}
        ``"recursive"``
            the network predicts one step; :meth:`predict` feeds each
            forecast back as the newest value, ``h`` times.
        ``"direct"``
            the network predicts ``horizon`` steps at once; longer forecasts
            feed back whole blocks.
    validation_fraction : float in [0, 1)
        The share of the series, at its end, whose windows are not trained on
        but scored after every epoch; training stops when that score has not
        improved for ``patience`` epochs, and the best weights are kept.  0
        trains for ``epochs`` epochs without early stopping.
    patience : int >= 1
        Epochs without a better validation score before training stops.
    seed : int or None
        Seeds the initial weights and the shuffling: a given seed gives the
        same model.  None draws fresh entropy.
    progress : bool
        Show a progress bar of the epochs (needs ``tqdm``, the ``progress``
        extra; without it, no bar).
    dtype : {float64, float32}
        Precision of the weights and of the computation.

    Attributes
    ----------
    tcn : TCN
        The network body, after :meth:`fit`.
    head : Linear
        The output layer: ``channels[-1]`` inputs, (1 or ``horizon``) times
        the number of quantiles outputs.
    mean, scale : float
        The standardisation: the network sees ``(y - mean) / scale``.
    best_epoch : int
        The epoch (from 1) whose weights were kept.
    history : DataFrame
        The mean training loss and the validation score of every epoch run.

    Notes
    -----
    Training windows are a strided view of the standardised series
    (:func:`numpy.lib.stride_tricks.sliding_window_view`), so cutting them
    costs nothing; a mini-batch gathers its windows.  The validation score is
    the loss on windows whose targets lie in the tail: for ``"recursive"``,
    the mean squared error of ``horizon``-step recursive forecasts from every
    origin in the tail (the forecasts :meth:`predict` makes), for
    ``"direct"`` the training loss.  An epoch costs one forward and backward
    pass per window, ``O(n lags sum(channels^2) kernel_size)``.  With
    quantiles, each step's forecasts are sorted, so they never cross
    (Chernozhukov, Fernandez-Val and Galichon, 2010, *Econometrica* 78(3)).

    Exogenous regressors (``X``) are not supported yet: :meth:`fit` raises a
    ValueError when they are given.  The network is the TCN of Bai, Kolter and
    Koltun (2018), "An empirical evaluation of generic convolutional and
    recurrent networks for sequence modeling", arXiv:1803.01271.

    Raises
    ------
    ValueError
        An option out of range (``lags``, ``horizon``, ``channels``, ...), an
        unknown ``strategy``, quantiles that are not increasing levels in
        (0, 1), or quantiles with ``strategy="recursive"``.
    TypeError
        ``progress`` not a bool, ``dtype`` not float32 or float64.

    See Also
    --------
    kernel_as_ar : the AR model inside a linear causal convolution.
    sigconv.fit_ar : AR models, the linear baseline.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sigconv.nn import ConvForecaster
    >>> t = np.arange(240)
    >>> y = pd.Series(np.sin(2 * np.pi * t / 12), name="cycle",
    ...               index=pd.date_range("2000-01", periods=240, freq="MS"))
    >>> model = ConvForecaster(12, 6, channels=(8, 8), epochs=60, lr=1e-2, seed=0).fit(y)
    >>> forecast = model.predict(6)
    >>> forecast.index[0], forecast.name
    (Timestamp('2020-01-01 00:00:00'), 'cycle')
    >>> truth = np.sin(2 * np.pi * np.arange(240, 246) / 12)
    >>> bool(np.abs(forecast.to_numpy() - truth).max() < 0.1)
    True
    >>> q = ConvForecaster(12, 6, channels=(8, 8), quantiles=(0.1, 0.5, 0.9),
    ...                    strategy="direct", epochs=30, lr=1e-2, seed=0).fit(y)
    >>> q.predict(6).columns.tolist()
    [0.1, 0.5, 0.9]
    """

    def __init__(self, lags, horizon=1, *, channels=(16, 16), kernel_size=3, dilations=None,
                 quantiles=None, epochs=200, batch_size=64, lr=1e-3, strategy="recursive",
                 validation_fraction=0.2, patience=20, seed=0, progress=False,
                 dtype=np.float64):
        self.lags = V.check_int(lags, "lags")
        self.horizon = V.check_int(horizon, "horizon")
        self.channels = _check_channels(channels)
        self.kernel_size = V.check_int(kernel_size, "kernel_size")
        self.dilations = _check_dilations(dilations, len(self.channels))
        self.quantiles = _check_quantiles(quantiles)
        self.epochs = V.check_int(epochs, "epochs")
        self.batch_size = V.check_int(batch_size, "batch_size")
        self.lr = V.check_real(lr, "lr", 0)
        self.strategy = V.check_option(strategy, "strategy", STRATEGIES)
        self.validation_fraction = V.check_real(validation_fraction, "validation_fraction",
                                                0, 1, closed="low")
        self.patience = V.check_int(patience, "patience")
        if seed is not None:
            seed = V.check_int(seed, "seed", minimum=0)
        self.seed = seed
        self.progress = V.check_flag(progress, "progress")
        self.dtype = np.dtype(_DTYPES[_check_dtype(dtype)])
        if self.quantiles is not None and self.strategy == "recursive":
            raise ValueError("quantiles need strategy='direct': a recursive forecast feeds "
                             "back one value per step, which gives no multi-step quantiles")
        self.tcn = self.head = None
        self.mean = self.scale = None
        self.best_epoch = None
        self._losses = None
        self._context = None     # the last `lags` standardised values of the fitted series
        self._wrapping = None    # how to wrap forecasts: kind, future index spec, name

    def get_params(self):
        """The constructor's arguments, as a dict.

        Returns
        -------
        dict
            ``dtype`` by name, so that the dict is JSON-serialisable.

        Examples
        --------
        >>> from sigconv.nn import ConvForecaster
        >>> model = ConvForecaster(12, channels=(4,), epochs=5)
        >>> params = model.get_params()
        >>> params["lags"], params["channels"], params["dtype"]
        (12, (4,), 'float64')
        >>> ConvForecaster(**params).get_params() == params
        True
        """
        return {"lags": self.lags, "horizon": self.horizon, "channels": self.channels,
                "kernel_size": self.kernel_size, "dilations": self.dilations,
                "quantiles": self.quantiles, "epochs": self.epochs,
                "batch_size": self.batch_size, "lr": self.lr, "strategy": self.strategy,
                "validation_fraction": self.validation_fraction, "patience": self.patience,
                "seed": self.seed, "progress": self.progress, "dtype": self.dtype.name}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()
                         if k not in ("lags", "horizon"))
        return f"ConvForecaster({self.lags}, {self.horizon}, {args})"

    # ------------------------------------------------------------------ network
    @property
    def _n_outputs(self):
        return 1 if self.strategy == "recursive" else self.horizon

    @property
    def _n_quantiles(self):
        return 1 if self.quantiles is None else len(self.quantiles)

    @property
    def receptive_field(self):
        """How many of the newest values of a window can influence a forecast:
        ``1 + 2 (kernel_size - 1) sum(dilations)``.

        Examples
        --------
        >>> from sigconv.nn import ConvForecaster
        >>> ConvForecaster(24, channels=(8, 8), kernel_size=3).receptive_field  # 1 + 2*2*(1+2)
        13
        """
        dilations = self.dilations or tuple(2 ** i for i in range(len(self.channels)))
        return 1 + 2 * (self.kernel_size - 1) * sum(dilations)

    def _build(self, seed):
        tcn_seed, head_seed, shuffle_seed = np.random.SeedSequence(seed).generate_state(3)
        self.tcn = TCN((1,) + self.channels, kernel_size=self.kernel_size,
                       dilations=None if self.dilations is None else list(self.dilations),
                       seed=int(tcn_seed), dtype=self.dtype)
        self.head = Linear(self.channels[-1], self._n_outputs * self._n_quantiles,
                           seed=int(head_seed), dtype=self.dtype)
        return np.random.default_rng(int(shuffle_seed))

    def _parameters(self):
        return list(self.tcn.parameters()) + list(self.head.parameters())

    def _forward(self, x):
        """(batch, lags) standardised windows -> (batch, n_outputs[, n_quantiles])."""
        hidden = self.tcn(x[:, None, :])
        self._hidden_shape = hidden.shape
        out = self.head(np.ascontiguousarray(hidden[:, :, -1]))
        shape = (len(x), self._n_outputs) + ((self._n_quantiles,) if self.quantiles else ())
        return out.reshape(shape)

    def _backward(self, grad):
        grad_last = self.head.backward(grad.reshape(grad.shape[0], -1))
        grad_hidden = np.zeros(self._hidden_shape, dtype=grad_last.dtype)
        grad_hidden[:, :, -1] = grad_last
        self.tcn.backward(grad_hidden)

    def _loss(self):
        return mse if self.quantiles is None else quantile(list(self.quantiles))

    def _forecast_standardised(self, context, h):
        """Forecasts of ``h`` steps from each row of ``context`` (batch, lags):
        (batch, h) or (batch, h, n_quantiles), standardised."""
        batch = context.shape[0]
        buffer = np.empty((batch, self.lags + h), dtype=self.dtype)
        buffer[:, :self.lags] = context
        out = np.empty((batch, h) + ((self._n_quantiles,) if self.quantiles else ()),
                       dtype=self.dtype)
        step = 0
        while step < h:
            pred = self._forward(buffer[:, step:step + self.lags])
            take = min(pred.shape[1], h - step)
            out[:, step:step + take] = pred[:, :take]
            point = pred if self.quantiles is None else pred[..., self._n_quantiles // 2]
            buffer[:, self.lags + step:self.lags + step + take] = point[:, :take]
            step += take
        if self.quantiles is not None:
            out.sort(axis=-1)
        return out

    # ------------------------------------------------------------------ fitting
    def fit(self, y, X=None):
        """Train the network on the series ``y``.

        Parameters
        ----------
        y : array_like, shape (n,), or Series
            The series, evenly spaced, without missing values.  A Series'
            index and name are remembered for the forecasts.
        X : None
            Exogenous regressors are not supported yet; must be None.

        Returns
        -------
        ConvForecaster
            ``self``, fitted.

        Raises
        ------
        ValueError
            ``X`` given; ``y`` not one series, shorter than ``lags +
            horizon``, constant, or with NaN or inf; a validation tail too
            short for one ``horizon``-step window, or a training part too
            short for one window.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import ConvForecaster
        >>> y = np.sin(2 * np.pi * np.arange(120) / 12)
        >>> model = ConvForecaster(12, channels=(4,), epochs=5, seed=0).fit(y)
        >>> model.best_epoch <= 5, round(float(model.scale), 4)       # the series' std
        (True, 0.7071)
        >>> model.tcn
        TCN([1, 4], kernel_size=3, dilations=[1])
        """
        if X is not None:
            raise ValueError("X (exogenous regressors) is not supported yet by ConvForecaster; "
                             "fit on y alone (X=None)")
        data = V.series_input(y, "y", dtype=self.dtype)
        if data.kind == "frame" or data.batch_shape:
            raise ValueError("y must be one series (a 1-D array or a Series); got "
                             + (f"a DataFrame with {data.n_series} column"
                                f"{'s' * (data.n_series > 1)} (pass one column, a Series)"
                                if data.kind == "frame" else
                                f"an array of shape {np.asarray(y).shape}"))
        values = data.values
        n = values.shape[1]
        window = self.lags + self.horizon
        if n < window:
            raise ValueError(f"y must have at least lags + horizon = {window} samples; got {n}")
        V.nonfinite_policy(values, "raise", "y", remedies=())
        values = values[0]
        scale = float(values.std())
        if scale == 0:
            raise ValueError("y is constant: there is nothing to learn (and no scale to "
                             "standardise by)")
        mean = float(values.mean())
        z = ((values - mean) / scale).astype(self.dtype)
        train_windows, val_windows = self._split(z)

        rng = self._build(self.seed)
        optimiser = Adam(self._parameters(), lr=self.lr)
        loss_fn = self._loss()
        n_targets = self._n_outputs
        inputs = train_windows[:, :self.lags]
        targets = train_windows[:, self.lags:self.lags + n_targets]
        n_train = inputs.shape[0]
        train_loss, val_loss = [], []
        best, best_state, waited, best_epoch = np.inf, None, 0, self.epochs
        epochs = _progress(range(self.epochs), self.progress)
        self.tcn.train()
        for epoch in epochs:
            order = rng.permutation(n_train)
            total = 0.0
            for start in range(0, n_train, self.batch_size):
                batch = order[start:start + self.batch_size]
                optimiser.zero_grad()
                value, grad = loss_fn(self._forward(inputs[batch]), targets[batch])
                self._backward(grad)
                optimiser.step()
                total += value * batch.size
            train_loss.append(total / n_train)
            score = None if val_windows is None else \
                self._validation_score(val_windows, loss_fn)
            if hasattr(epochs, "set_postfix"):
                epochs.set_postfix(loss=f"{train_loss[-1]:.4f}", **(
                    {} if score is None else {"validation": f"{score:.4f}"}))
            if score is None:
                continue
            val_loss.append(score)
            if score < best:
                best, waited, best_epoch = score, 0, epoch + 1
                best_state = self._state()
            else:
                waited += 1
                if waited >= self.patience:
                    break
        if hasattr(epochs, "close"):
            epochs.close()
        if not np.isfinite(train_loss[-1]) and best_state is None:
            raise ValueError("training diverged (the loss is not finite); lower lr")
        if best_state is not None:
            self._load_state(best_state)
        self.tcn.eval()
        self.mean, self.scale, self.best_epoch = mean, scale, best_epoch
        self._losses = (np.asarray(train_loss), np.asarray(val_loss))
        self._context = z[n - self.lags:].copy()
        self._wrapping = {"kind": data.kind, "index": _index_spec(data.index, n),
                          "name": data.name}
        return self

    def _split(self, z):
        """Training windows (strided views) and validation windows (or None)."""
        n = z.size
        n_val = round(self.validation_fraction * n)
        train_length = self.lags + self._n_outputs
        if n_val == 0:
            return np.lib.stride_tricks.sliding_window_view(z, train_length), None
        window = self.lags + self.horizon
        if n_val < self.horizon:
            raise ValueError(
                f"the validation tail (validation_fraction={self.validation_fraction:g} of "
                f"{n} samples: {n_val}) is shorter than horizon={self.horizon}; raise "
                "validation_fraction, or set it to 0 to train without early stopping")
        if n - n_val < train_length:
            raise ValueError(
                f"y is too short for validation_fraction={self.validation_fraction:g}: the "
                f"{n - n_val} samples before the validation tail hold no training window of "
                f"lags + {self._n_outputs} = {train_length} samples; use a longer series, "
                "fewer lags or a smaller validation_fraction")
        view = np.lib.stride_tricks.sliding_window_view
        return view(z[:n - n_val], train_length), view(z[n - n_val - self.lags:], window)

    def _validation_score(self, windows, loss_fn):
        self.tcn.eval()
        context, truth = windows[:, :self.lags], windows[:, self.lags:]
        if self.strategy == "recursive":
            pred = self._forecast_standardised(context, self.horizon)
        else:
            pred = self._forward(context)
        self.tcn.train()
        return float(loss_fn(pred, truth)[0])

    def _state(self):
        state = {f"tcn.{k}": v for k, v in self.tcn.state_dict().items()}
        state.update({f"head.{k}": v for k, v in self.head.state_dict().items()})
        return {k: np.array(v, copy=True) for k, v in state.items()}

    def _load_state(self, state):
        split = {"tcn": {}, "head": {}}
        for key, value in state.items():
            part, _, rest = key.partition(".")
            split[part][rest] = value
        self.tcn.load_state_dict(split["tcn"])
        self.head.load_state_dict(split["head"])

    @property
    def history(self):
        """The mean training loss and the validation score of every epoch run: a
        DataFrame indexed by epoch (from 1), column ``validation`` only with a
        validation tail.

        Raises
        ------
        ValueError
            Not fitted.

        Examples
        --------
        >>> import numpy as np
        >>> from sigconv.nn import ConvForecaster
        >>> y = np.sin(2 * np.pi * np.arange(120) / 12)
        >>> history = ConvForecaster(12, channels=(4,), epochs=5, seed=0).fit(y).history
        >>> history.columns.tolist(), history.index.tolist()
        (['train', 'validation'], [1, 2, 3, 4, 5])
        """
        import pandas as pd

        self._require_fitted("history")
        train, validation = self._losses
        table = {"train": train}
        if validation.size:
            table["validation"] = validation
        return pd.DataFrame(table, index=pd.RangeIndex(1, train.size + 1, name="epoch"))

    def _require_fitted(self, what):
        if self.tcn is None or self._context is None:
            raise ValueError(f"this ConvForecaster is not fitted yet: call fit(y) before {what}")

    # ------------------------------------------------------------------ forecasting
    def predict(self, h=None):
        """Forecast the next ``h`` values after the fitted series.

        Parameters
        ----------
        h : int >= 1, optional
            Steps ahead; default ``horizon``.  With quantiles, at most
            ``horizon``.

        Returns
        -------
        ndarray, Series or DataFrame
            Without quantiles, the point forecasts: shape (h,), or a Series
            with the fitted series' name.  With quantiles, one column per
            level: shape (h, n_quantiles), or a DataFrame whose columns are
            the levels.  Pandas results are indexed by the future periods: a
            RangeIndex continued, a DatetimeIndex or PeriodIndex extended by
            its frequency, a numeric index (years, say) extended by its last
            step.

        Raises
        ------
        ValueError
            Not fitted; ``h`` < 1, or more than ``horizon`` with quantiles.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> from sigconv.nn import ConvForecaster
        >>> y = np.sin(2 * np.pi * np.arange(120) / 12)
        >>> model = ConvForecaster(12, channels=(4,), epochs=5, seed=0).fit(y)
        >>> model.predict(3).shape
        (3,)
        >>> s = pd.Series(y, index=pd.date_range("2000-01", periods=120, freq="MS"))
        >>> q = ConvForecaster(12, 3, channels=(4,), quantiles=(0.1, 0.5, 0.9),
        ...                    strategy="direct", epochs=5, seed=0).fit(s)
        >>> table = q.predict()
        >>> table.columns.tolist(), str(table.index[0].date())
        ([0.1, 0.5, 0.9], '2010-01-01')
        >>> bool((table[0.1] <= table[0.9]).all())          # quantiles never cross
        True
        """
        self._require_fitted("predict")
        h = self.horizon if h is None else V.check_int(h, "h")
        if self.quantiles is not None and h > self.horizon:
            raise ValueError(f"h must be at most horizon={self.horizon} for quantile forecasts "
                             f"(they cannot be fed back); got {h}")
        self.tcn.eval()
        out = self._forecast_standardised(self._context[None, :], h)[0]
        out = out * self.dtype.type(self.scale) + self.dtype.type(self.mean)
        wrapping = self._wrapping
        if wrapping["kind"] == "numpy":
            return out
        import pandas as pd

        index = _future_index(wrapping["index"], h)
        if self.quantiles is None:
            return pd.Series(out, index=index, name=wrapping["name"], copy=False)
        return pd.DataFrame(out, index=index, columns=list(self.quantiles), copy=False)

    # ------------------------------------------------------------------ persistence
    def save(self, path):
        """Write the fitted model to ``path``, an ``.npz`` archive without pickles.

        The configuration, standardisation, index of the series and loss
        history go in as a JSON string, the weights as one array per entry of
        the layers' ``state_dict``.  The file is written atomically (a
        temporary file renamed over ``path``) and ``path`` is used as given.

        Parameters
        ----------
        path : str or path-like

        Raises
        ------
        ValueError
            Not fitted.

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> import numpy as np
        >>> from sigconv.nn import ConvForecaster
        >>> y = np.sin(2 * np.pi * np.arange(120) / 12)
        >>> model = ConvForecaster(12, channels=(4,), epochs=5, seed=0).fit(y)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.npz")
        ...     model.save(path)
        ...     os.listdir(folder)
        ['model.npz']
        """
        self._require_fitted("save")
        meta = {"format": FORMAT, "version": FORMAT_VERSION, "params": self.get_params(),
                "mean": self.mean, "scale": self.scale, "best_epoch": self.best_epoch,
                "wrapping": _jsonable(self._wrapping)}
        arrays = {"meta": np.array(json.dumps(meta)), "context": self._context,
                  "train_loss": self._losses[0], "validation_loss": self._losses[1]}
        arrays.update({f"weight:{k}": v for k, v in self._state().items()})
        save_npz_atomic(path, **arrays)

    @classmethod
    def load(cls, path):
        """A model written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        ConvForecaster
            Fitted, forecasting as the saved model did.

        Raises
        ------
        FileNotFoundError
            No file at ``path``.
        ValueError
            Not an ``.npz`` archive, or not (or a damaged) saved ConvForecaster.

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> import numpy as np
        >>> from sigconv.nn import ConvForecaster
        >>> y = np.sin(2 * np.pi * np.arange(120) / 12)
        >>> model = ConvForecaster(12, channels=(4,), epochs=5, seed=0).fit(y)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.npz")
        ...     model.save(path)
        ...     again = ConvForecaster.load(path)
        >>> np.array_equal(again.predict(3), model.predict(3))
        True
        >>> again.history.equals(model.history)
        True
        """
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no saved ConvForecaster at {path}")
        if not zipfile.is_zipfile(path):          # numpy would suggest allow_pickle=True
            raise ValueError(f"{path} is not a saved ConvForecaster (not an .npz archive)")
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
            meta = json.loads(str(arrays.pop("meta")))
        except Exception as exc:  # noqa: BLE001 - any failure to parse is a bad file
            raise ValueError(f"{path} is not a readable saved ConvForecaster: {exc}") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError(f"{path} is not a saved ConvForecaster (format "
                             f"{meta.get('format') if isinstance(meta, dict) else None!r})")
        if meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"{path} holds a ConvForecaster of format version "
                             f"{meta.get('version')!r}; this sigconv reads version "
                             f"{FORMAT_VERSION}")
        try:
            model = cls(**meta["params"])
            model._build(0)
            expected = model._state()
            weights = {key.partition(":")[2]: value for key, value in arrays.items()
                       if key.startswith("weight:")}
            if set(weights) != set(expected) or any(
                    weights[k].shape != expected[k].shape for k in expected):
                raise ValueError("its weights do not match its configuration")
            model._load_state({k: v.astype(model.dtype) for k, v in weights.items()})
            context = arrays["context"].astype(model.dtype)
            if context.shape != (model.lags,) or not np.isfinite(context).all():
                raise ValueError("its context is not lags finite values")
            model.mean, model.scale = float(meta["mean"]), float(meta["scale"])
            model.best_epoch = meta["best_epoch"]
            model._losses = (arrays["train_loss"], arrays["validation_loss"])
            model._wrapping = meta["wrapping"]
            _future_index(model._wrapping["index"], 1) if model._wrapping["kind"] != "numpy" \
                else None
            model._context = context
        except Exception as exc:  # noqa: BLE001 - a file that parses but does not fit
            raise ValueError(f"{path} is a damaged saved ConvForecaster: {exc}") from None
        model.tcn.eval()
        return model


def _progress(epochs, enabled):
    if not enabled:
        return epochs
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return epochs
    return tqdm(epochs, desc="ConvForecaster", unit="epoch")


def _json_name(name):
    """A name that JSON keeps (str, int, float, bool, None); others become their str."""
    if isinstance(name, np.generic):
        name = name.item()
    return name if name is None or isinstance(name, (str, bool, int, float)) else str(name)


def _jsonable(wrapping):
    """The forecast wrapping with the series' and index's names as JSON keeps them."""
    index = dict(wrapping["index"], name=_json_name(wrapping["index"]["name"]))
    return dict(wrapping, index=index, name=_json_name(wrapping["name"]))


def _index_spec(index, n):
    """A JSON description of how the index of the fitted series continues."""
    if index is None:
        return {"kind": "range", "start": n, "step": 1, "name": None}
    import pandas as pd

    name = index.name
    if isinstance(index, pd.RangeIndex):
        start = index[-1] + index.step if len(index) else index.start
        return {"kind": "range", "start": int(start), "step": int(index.step), "name": name}
    if isinstance(index, pd.PeriodIndex):          # a PeriodIndex always has its freq
        return {"kind": "period", "last": str(index[-1]), "freq": index.freqstr, "name": name}
    if isinstance(index, pd.DatetimeIndex):
        with warnings.catch_warnings():   # pandas 3: infer_freq will return an offset
            warnings.simplefilter("ignore")
            freq = index.freq or (pd.infer_freq(index) if len(index) > 2 else None)
        if freq is not None:
            return {"kind": "datetime", "last": index[-1].isoformat(),
                    "freq": pd.tseries.frequencies.to_offset(freq).freqstr,
                    "tz": None if index.tz is None else str(index.tz), "name": name}
    elif pd.api.types.is_numeric_dtype(index) and not pd.api.types.is_bool_dtype(index) \
            and len(index) > 1:           # years, say, as integers or floats
        last, step = index[-1].item(), (index[-1] - index[-2]).item()
        return {"kind": "numeric", "last": last, "step": step, "name": name}
    return {"kind": "range", "start": n, "step": 1, "name": None}


def _future_index(spec, h):
    """The ``h`` periods after the fitted series, from :func:`_index_spec`'s description."""
    import pandas as pd

    kind = spec["kind"]
    if kind == "range":
        start, step = spec["start"], spec["step"]
        return pd.RangeIndex(start, start + h * step, step, name=spec["name"])
    if kind == "numeric":
        values = spec["last"] + spec["step"] * np.arange(1, h + 1)
        return pd.Index(values, name=spec["name"])
    if kind == "period":
        last = pd.Period(spec["last"], freq=spec["freq"])
        return pd.period_range(last, periods=h + 1, freq=spec["freq"], name=spec["name"])[1:]
    if kind == "datetime":
        last = pd.Timestamp(spec["last"])
        if spec["tz"] is not None:
            last = last.tz_convert(spec["tz"])
        return pd.date_range(last, periods=h + 1, freq=spec["freq"], name=spec["name"])[1:]
    raise ValueError(f"unknown index kind {kind!r}")
