"""Figures of 08 · Transformers: attention maps over characters, and validation curves of
several models against baselines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

__all__ = ["attention_heads", "attention_map", "show_chars", "validation_curves"]

_VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥"}


def show_chars(text: str | Sequence[str]) -> list[str]:
    """One printable label per character: a space as ␣, the end of a tweet (a newline) as ↵.

    Taught with: 08, "Looking inside" (the axis labels of the attention maps).
    """
    if not isinstance(text, str) and not all(isinstance(c, str) and len(c) == 1 for c in text):
        raise ValueError("expected a string or a sequence of single characters")
    return [_VISIBLE.get(c, c) for c in text]


def _check_weights(weights: np.ndarray, what: str) -> np.ndarray:
    w = np.asarray(weights, dtype="float64")
    if w.ndim < 2 or w.shape[-1] != w.shape[-2]:
        raise ValueError(f"{what} must be square (queries × keys), got shape {w.shape}")
    if not np.all(np.isfinite(w)) or w.min() < -1e-6:
        raise ValueError(f"{what} must be finite and non-negative (softmax outputs)")
    if not np.allclose(w.sum(axis=-1), 1.0, atol=1e-2):
        raise ValueError(f"each row of {what} must sum to 1 (a softmax over the keys); got row sums "
                         f"from {w.sum(axis=-1).min():.3g} to {w.sum(axis=-1).max():.3g}")
    return w


def attention_map(weights: np.ndarray, tokens: str | Sequence[str], title: str = "",
                  cell: float = 0.22) -> Figure:
    """One head's attention weights for one text: row i is the character at position i (the
    query), column j a character it may attend to (a key); bright cells got much weight.

    ``weights``: (T, T), each row summing to 1; ``tokens``: the T characters. Taught with: 08,
    "Looking inside".
    """
    w = _check_weights(weights, "weights")
    labels = show_chars(tokens)
    if w.ndim != 2 or len(labels) != len(w):
        raise ValueError(f"weights of shape {w.shape} for {len(labels)} characters: expected ({len(labels)}, "
                         f"{len(labels)})")
    n = len(labels)
    size = max(3.5, cell * n + 1.6)
    fig, ax = plt.subplots(figsize=(size + 0.8, size), layout="constrained")
    image = ax.imshow(w, cmap="magma", vmin=0, vmax=max(float(w.max()), 1e-9), interpolation="nearest")
    ax.grid(False)
    ax.set_xticks(range(n), labels, fontsize=8, family="monospace")
    ax.set_yticks(range(n), labels, fontsize=8, family="monospace")
    ax.tick_params(length=0)
    ax.set(xlabel="key: the character attended to (earlier →)", ylabel="query: the character attending")
    fig.colorbar(image, ax=ax, fraction=0.04, label="attention weight")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def attention_heads(weights: np.ndarray, tokens: str | Sequence[str], row_labels: Sequence[str] | None = None,
                    title: str = "", size: float = 2.2) -> Figure:
    """Small multiples of many heads' attention maps for the same text, without tick labels.

    ``weights``: (layers, heads, T, T) or (heads, T, T); ``row_labels`` names the rows (the
    layers). Taught with: 08, "Looking inside" (choosing a head to look at closely).
    """
    w = _check_weights(weights, "weights")
    if w.ndim == 3:
        w = w[None]
    if w.ndim != 4:
        raise ValueError(f"weights must have shape (layers, heads, T, T) or (heads, T, T), got {w.shape}")
    n_layers, n_heads, length = w.shape[:3]
    if len(show_chars(tokens)) != length:
        raise ValueError(f"{len(tokens)} characters for attention maps over {length} positions")
    if row_labels is not None and len(row_labels) != n_layers:
        raise ValueError(f"{len(row_labels)} row labels for {n_layers} rows of maps")
    fig, axes = plt.subplots(n_layers, n_heads, figsize=(size * n_heads, size * n_layers + 0.4),
                             squeeze=False, layout="constrained")
    for layer in range(n_layers):
        for head in range(n_heads):
            ax = axes[layer, head]
            ax.imshow(w[layer, head], cmap="magma", vmin=0, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            ax.set_title(f"head {head}", fontsize=9)
        if row_labels is not None:
            axes[layer, 0].set_ylabel(row_labels[layer])
    if title:
        fig.suptitle(title)
    return fig


def validation_curves(curves: Mapping[str, Sequence[float]], references: Mapping[str, float] | None = None,
                      title: str = "", ylabel: str = "validation loss (nats per character)") -> Figure:
    """Each model's validation loss after every epoch on one axes, baselines as dashed lines.

    Taught with: 08, "The same budget for both" and "What position does".
    """
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError("curves must be a non-empty dict: model name → losses per epoch")
    for name, values in curves.items():
        v = np.asarray(values, dtype="float64")
        if v.ndim != 1 or len(v) == 0 or not np.all(np.isfinite(v)):
            raise ValueError(f"curve {name!r} must be a non-empty list of finite numbers")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for name, values in curves.items():
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, "o-", label=name)
    for i, (name, value) in enumerate((references or {}).items()):
        ax.axhline(float(value), color="0.35", ls=("--", ":", "-.")[i % 3], lw=1, label=name)
    longest = max(len(v) for v in curves.values())
    ax.set_xticks(range(1, longest + 1))
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig
