"""Figures of 01 · Perceptron: activation functions and loss surfaces with descent paths."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "step": lambda z: (z >= 0).astype(float),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
}


def activations(names: Sequence[str] = ("step", "sigmoid", "tanh", "relu"),
                derivatives: bool = True, z: np.ndarray | None = None) -> Figure:
    """Each activation function (and its derivative, dashed) on its own small panel.

    Taught with: 01 · Perceptron ("Activation functions").
    """
    unknown = [n for n in names if n not in ACTIVATIONS]
    if unknown:
        raise ValueError(f"unknown activation(s) {unknown}; known: {sorted(ACTIVATIONS)}")
    z = np.linspace(-4, 4, 401) if z is None else np.asarray(z, dtype="float64")
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3), sharey=True, squeeze=False)
    for ax, n in zip(axes[0], names, strict=True):
        f = ACTIVATIONS[n](z)
        ax.plot(z, f, lw=2, label=f"{n}(z)")
        if derivatives:
            d = np.gradient(f, z)
            d[np.abs(d) > 5] = np.nan   # a jump (the step at 0) has no derivative: leave a gap, not a spike
            ax.plot(z, d, ls="--", label="derivative")
        ax.axhline(0, color="k", lw=0.5)
        ax.axvline(0, color="k", lw=0.5)
        ax.set_title(n)
        ax.set_xlabel("z")
        ax.legend(fontsize=8, loc="upper left")
    axes[0][0].set_ylabel("output")
    return fig


def loss_surface(loss: Callable[[np.ndarray, np.ndarray], np.ndarray],
                 paths: Mapping[str, np.ndarray] | None = None,
                 xlim: tuple[float, float] = (-3, 3), ylim: tuple[float, float] = (-3, 3),
                 labels: tuple[str, str] = ("w₁", "w₂"), levels: int = 30,
                 ax: Axes | None = None, title: str = "", log: bool = True) -> Figure:
    """Contours of ``loss(w1, w2)`` (vectorised over grids) with gradient-descent paths.

    ``paths`` maps a label to an array of shape (steps, 2) of visited weights.
    Taught with: 01 · Perceptron ("Gradient descent and the learning rate").
    """
    n = 160
    w1, w2 = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    z = np.asarray(loss(w1, w2), dtype="float64")
    if z.shape != w1.shape:
        raise ValueError(f"loss(w1, w2) must return an array shaped like its grids {w1.shape}, got {z.shape}")
    fig = ax.figure if ax is not None else plt.figure(figsize=(5.5, 4.5))
    ax = ax or fig.add_subplot()
    zz = np.log10(z - z.min() + 1e-3) if log else z
    cs = ax.contourf(w1, w2, zz, levels=levels, cmap="viridis", alpha=0.85)
    fig.colorbar(cs, ax=ax, label="log₁₀ loss (shifted)" if log else "loss")
    for label, p in (paths or {}).items():
        p = np.asarray(p, dtype="float64")
        if p.ndim != 2 or p.shape[1] != 2:
            raise ValueError(f"path {label!r} must have shape (steps, 2), got {p.shape}")
        inside = np.clip(p, [xlim[0], ylim[0]], [xlim[1], ylim[1]])
        ax.plot(inside[:, 0], inside[:, 1], "o-", ms=3, lw=1.2, label=label)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.grid(False)
    if paths:
        ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title)
    return fig
