"""Figures of 06 · GANs: sample grids over training and losses against steps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import plots


def snapshot_grids(snapshots: Mapping[Any, np.ndarray], ncols: int = 4, size: float = 2.2,
                   title: str = "", cmap: str = "gray_r") -> Figure:
    """Several small image grids side by side, one per snapshot (e.g. a fixed noise batch over training).

    ``snapshots`` maps a label (a training step, a name) to images (n, h, w) or
    (n, h, w, 1) in [0, 1]; each becomes a square-ish grid titled with its
    label. Taught with: 06 · GANs ("Watching it learn", the grids over training).
    """
    if not isinstance(snapshots, Mapping) or not snapshots:
        raise ValueError("snapshots must be a non-empty {label: images} mapping")
    tiles = []
    for label, images in snapshots.items():
        x = np.asarray(images, dtype="float32")
        if x.ndim == 4 and x.shape[-1] == 1:
            x = x[..., 0]
        if x.ndim != 3 or len(x) == 0:
            raise ValueError(f"snapshot {label!r}: expected images of shape (n, h, w) or (n, h, w, 1); "
                             f"got {np.shape(images)}")
        n, h, w = x.shape
        side = int(np.ceil(np.sqrt(n)))
        canvas = np.zeros((side * (h + 1) - 1, side * (w + 1) - 1), dtype="float32")
        for i, img in enumerate(np.clip(x, 0, 1)):
            r, c = divmod(i, side)
            canvas[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = img
        tiles.append((str(label), canvas))
    ncols = max(1, min(ncols, len(tiles)))
    nrows = int(np.ceil(len(tiles) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if title else 0.1)),
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, (label, canvas) in zip(axes.flat, tiles, strict=False):
        ax.imshow(canvas, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(label, fontsize=10)
    if title:
        fig.suptitle(title)
    return fig


def losses_together(history: Any, metrics: Sequence[str], steps_per_epoch: int = 1,
                    reference: Mapping[str, float] | None = None, title: str = "",
                    ax: Axes | None = None) -> Figure:
    """Several recorded losses on one axes against training steps, with optional reference lines.

    ``history`` is a Keras History or a dict of per-epoch lists; with
    ``steps_per_epoch`` the x axis counts training steps. ``reference`` maps a
    label to a y value drawn as a dotted line (e.g. the loss at equilibrium).
    Taught with: 06 · GANs ("Watching it learn", "When GANs fail").
    """
    d = plots.history_dict(history)
    if not metrics:
        raise ValueError("give at least one metric name")
    missing = [m for m in metrics if m not in d]
    if missing:
        raise ValueError(f"metrics {missing} not in the history; it has {sorted(d)}")
    if not isinstance(steps_per_epoch, (int, np.integer)) or steps_per_epoch < 1:
        raise ValueError(f"steps_per_epoch must be a positive integer, got {steps_per_epoch!r}")
    fig = ax.figure if ax is not None else plt.subplots(figsize=(7, 3.8))[0]
    ax = ax if ax is not None else fig.axes[0]
    for m in metrics:
        x = np.arange(1, len(d[m]) + 1) * steps_per_epoch
        ax.plot(x, d[m], label=m)
    for label, y in (reference or {}).items():
        ax.axhline(float(y), ls=":", color="gray", lw=1)
        ax.annotate(label, (0, float(y)), xycoords=("axes fraction", "data"), xytext=(4, 3),
                    textcoords="offset points", fontsize=8, color="gray")
    ax.set_xlabel("training step" if steps_per_epoch > 1 else "epoch")
    ax.set_ylabel("loss")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig
