"""Figures of 02 · Multilayer networks: hidden units, activations at initialization, weights."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .. import plots


def hidden_units(hidden: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray,
                 output: Callable[[np.ndarray], np.ndarray] | None = None,
                 resolution: int = 80, title: str = "",
                 feature_names: Sequence[str] = ("x₁", "x₂"), ncols: int = 5) -> Figure:
    """What each hidden unit of a network with 2-D input computes, one panel per unit.

    ``hidden`` maps an (m, 2) array to the hidden layer's activations, shape
    (m, k); every panel shades the input plane by one unit's activation and
    scatters ``X`` coloured by ``y``. With ``output`` (an (m, 2) → m
    probabilities map) a last panel shows the network's decision, whose 0.5
    contour combines the units' straight edges. Panels wrap after ``ncols``.
    Taught with: 02 · Multilayer networks ("Backpropagation from scratch",
    the XOR network's hidden layer).
    """
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"hidden_units draws 2-D inputs: X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X) or len(X) == 0:
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels (both must be non-empty)")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    xx, yy, grid, lo, hi = plots.plane_grid(X, resolution)
    h = np.asarray(hidden(grid), dtype="float64")
    if h.ndim == 1:
        h = h[:, None]
    if h.ndim != 2 or h.shape[0] != len(grid):
        raise ValueError(f"hidden(points) must return shape (n_points, n_units) = ({len(grid)}, k), "
                         f"got {h.shape}")
    k = h.shape[1]
    if not 1 <= k <= 16:
        raise ValueError(f"hidden_units shows 1 to 16 units, the layer has {k}")
    out = None
    if output is not None:
        out = np.asarray(output(grid), dtype="float64")
        if out.size != len(grid):
            raise ValueError(f"output(points) must return one probability per point, shape "
                             f"({len(grid)},), got {out.shape}")
        out = out.reshape(xx.shape)
    panels = k + (out is not None)
    cols = min(panels, ncols)
    rows = -(-panels // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.9 * cols, 3.1 * rows), squeeze=False)
    flat = axes.ravel()
    vmin, vmax = float(h.min()), float(h.max())
    levels = np.linspace(vmin, vmax if vmax > vmin else vmin + 1e-9, 21)
    im = None
    for j, ax in enumerate(flat):
        if j >= panels:
            ax.axis("off")
            continue
        if j < k:
            im = ax.contourf(xx, yy, h[:, j].reshape(xx.shape), levels=levels, cmap="PuOr_r")
            ax.set_title(f"hidden unit {j + 1}", fontsize=10)
        else:
            ax.contourf(xx, yy, out, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.4)
            if out.min() < 0.5 < out.max():
                ax.contour(xx, yy, out, levels=[0.5], colors="k", linewidths=1.5)
            ax.set_title("network output", fontsize=10)
        for cls, color in zip(np.unique(y), ("tab:blue", "tab:red", "tab:green", "tab:orange"),
                              strict=False):
            m = y == cls
            ax.scatter(X[m, 0], X[m, 1], s=6, color=color, edgecolor="k", linewidth=0.2)
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_aspect("equal")
        ax.grid(False)
        if j // cols == rows - 1 or j + cols >= panels:
            ax.set_xlabel(feature_names[0])
        if j % cols == 0:
            ax.set_ylabel(feature_names[1])
    if im is not None:
        fig.colorbar(im, ax=list(flat[:k]), shrink=0.8, label="activation")
    if title:
        fig.suptitle(title)
    return fig


def activation_spread(spreads: Mapping[str, Mapping[str, Sequence[float]]], title: str = "") -> Figure:
    """The spread of every hidden layer's activations in deep networks, one panel per activation.

    ``spreads[activation][initializer]`` is the standard deviation of each hidden
    layer's activations, first layer first (e.g. ``spreads["relu"]["He"]``). Each
    panel draws one line per initializer on a log scale, so a signal that vanishes
    or explodes layer after layer shows as a straight slope and a steady one as a
    flat line. Taught with: 02 · Multilayer networks ("Initialization: keeping the
    signal alive").
    """
    if not spreads or any(not by_init for by_init in spreads.values()):
        raise ValueError("spreads must map each activation to at least one initializer's spreads")
    for activation, by_init in spreads.items():
        for name, values in by_init.items():
            v = np.asarray(values, dtype="float64")
            if v.ndim != 1 or len(v) == 0:
                raise ValueError(f"spreads[{activation!r}][{name!r}] must be a non-empty list of "
                                 f"numbers, one per layer; got shape {v.shape}")
            if not np.all(np.isfinite(v)) or np.any(v <= 0):
                raise ValueError(f"spreads[{activation!r}][{name!r}] must be positive and finite "
                                 "(standard deviations, drawn on a log scale)")
    fig, axes = plt.subplots(1, len(spreads), figsize=(5.2 * len(spreads), 3.8), squeeze=False)
    for ax, (activation, by_init) in zip(axes[0], spreads.items(), strict=True):
        for i, (name, values) in enumerate(by_init.items()):
            v = np.asarray(values, dtype="float64")
            ax.plot(np.arange(1, len(v) + 1), v, marker="o", ms=3, color=f"C{i}", label=name)
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_title(f"{activation} network")
        ax.legend(fontsize=8, title="initialization", title_fontsize=8)
    axes[0][0].set_ylabel("std of the activations")
    if title:
        fig.suptitle(title)
    return fig


def weight_histograms(weights: Mapping[str, np.ndarray | Sequence[np.ndarray]], bins: int = 80,
                      title: str = "") -> Figure:
    """Histograms of the weights of several trained models, overlaid, on a log count scale.

    ``weights`` maps a label to an array of weights or a list of arrays (e.g. every
    kernel of a model), which are pooled. The legend gives each model's weight size,
    the square root of the sum of the squared weights. Taught with: 02 · Multilayer
    networks ("Overfitting and its cures": what dropout and weight decay do to the weights).
    """
    if not weights:
        raise ValueError("weights is empty: give at least one model's weights")
    if bins < 2:
        raise ValueError(f"bins must be at least 2, got {bins}")
    pooled = {}
    for label, w in weights.items():
        parts = [w] if isinstance(w, np.ndarray) else list(w)
        flat = np.concatenate([np.ravel(np.asarray(p, dtype="float64")) for p in parts]) if parts else np.zeros(0)
        if flat.size == 0:
            raise ValueError(f"weights[{label!r}] holds no weights")
        if not np.all(np.isfinite(flat)):
            raise ValueError(f"weights[{label!r}] contains NaN or inf: training diverged")
        pooled[label] = flat
    edge = max(float(np.max(np.abs(v))) for v in pooled.values()) or 1.0
    grid = np.linspace(-edge, edge, bins + 1)
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for i, (label, v) in enumerate(pooled.items()):
        ax.hist(v, bins=grid, histtype="step", lw=1.5, color=f"C{i}",
                label=f"{label}: size {np.sqrt(np.sum(v**2)):.1f}")
    ax.set_yscale("log")
    ax.set_xlabel("weight value")
    ax.set_ylabel("number of weights")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig
