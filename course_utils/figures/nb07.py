"""Figures of 07 · Image captioning with attention: captions under their scenes, attention
laid over the image word by word, and attention matrices."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .. import images


def _wrap(caption: str) -> str:
    return caption.replace(" left of ", "\nleft of ")


def caption_grid(scene_images: np.ndarray, captions: Sequence[str], references: Sequence[str] | None = None,
                 ncols: int = 4, size: float = 2.3, title: str = "") -> Figure:
    """Scenes with their captions, one object per line; with ``references`` wrong ones are marked.

    A generated caption that differs from its reference is drawn in red with
    a ✗, and the reference is printed below it in grey. Taught with: 07,
    "Generated scenes" and "Success and failure".
    """
    x = np.clip(images.as_batch(scene_images, channels=(3,)), 0, 1)
    n = len(x)
    if len(captions) != n:
        raise ValueError(f"captions has {len(captions)} entries for {n} images")
    if references is not None and len(references) != n:
        raise ValueError(f"references has {len(references)} entries for {n} images")
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    extra = 0.9 if references is not None else 0.55
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + extra) * nrows + 0.3),
                             squeeze=False, layout="none")  # room for the captions is set below
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(x[i])
        ok = references is None or captions[i] == references[i]
        text = ("" if ok else "✗ ") + _wrap(captions[i])
        ax.text(0.5, -0.03, text, transform=ax.transAxes, ha="center", va="top", fontsize=7.5,
                color="black" if ok else "crimson")
        if not ok:
            lines = text.count("\n") + 1
            ax.text(0.5, -0.05 - 0.085 * lines, "true: " + _wrap(references[i]), transform=ax.transAxes,
                    ha="center", va="top", fontsize=6.5, color="0.4")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=extra / (size + extra) / nrows,
                        top=1 - (0.3 + 0.1 * size) / fig.get_figheight(), wspace=0.08, hspace=extra / size)
    if title:
        fig.suptitle(title)
    return fig


def attention_words(image: np.ndarray, words: Sequence[str], weights: np.ndarray,
                    ncols: int = 6, size: float = 1.7, title: str = "") -> Figure:
    """Each generated word above the image, the attention weights of its step laid over it.

    ``weights``: (len(words), grid, grid) or (len(words), grid * grid), one
    row of attention weights (summing to 1) per word: the weights of the step
    that *wrote* the word. Bright cells got much attention. Taught with: 07,
    "Where the model looks".
    """
    img = np.clip(images.as_batch(np.asarray(image)[None], channels=(3,), what="image")[0], 0, 1)
    w = np.asarray(weights, dtype="float64")
    if w.ndim == 2:
        g = int(round(np.sqrt(w.shape[1])))
        if g * g != w.shape[1]:
            raise ValueError(f"weights of shape {w.shape}: the second axis must be a square grid of cells")
        w = w.reshape(len(w), g, g)
    if w.ndim != 3 or w.shape[1] != w.shape[2]:
        raise ValueError(f"weights must have shape (words, grid, grid), got {w.shape}")
    if len(w) != len(words) or len(words) == 0:
        raise ValueError(f"{len(words)} words but {len(w)} rows of weights")
    h, wd = img.shape[:2]
    n = len(words) + 1
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.25) * nrows + 0.3), squeeze=False,
                             layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i == 0:
            ax.imshow(img)
            ax.set_title("the scene", fontsize=9)
        elif i < n:
            ax.imshow(img * 0.45)  # darkened, so the attended cells stand out
            ax.imshow(w[i - 1], cmap="inferno", alpha=0.6, extent=(0, wd, h, 0), vmin=0,
                      vmax=max(float(w[i - 1].max()), 1e-9), interpolation="nearest")
            ax.set_title(words[i - 1], fontsize=10)
    if title:
        fig.suptitle(title)
    return fig


def attention_matrix(weights: np.ndarray, rows: Sequence[str], cols: Sequence[str], title: str = "",
                     xlabel: str = "", ylabel: str = "") -> Figure:
    """A matrix of attention weights with the tokens as row and column labels.

    Taught with: 07, "From here to transformers".
    """
    w = np.asarray(weights, dtype="float64")
    if w.shape != (len(rows), len(cols)):
        raise ValueError(f"weights of shape {w.shape} for {len(rows)} rows and {len(cols)} columns")
    fig, ax = plt.subplots(figsize=(0.3 * len(cols) + 2.2, 0.3 * len(rows) + 1.4), layout="constrained")
    im = ax.imshow(w, cmap="viridis", vmin=0)
    ax.grid(False)
    ax.set_xticks(range(len(cols)), cols, rotation=90, fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fig.colorbar(im, ax=ax, fraction=0.04, label="attention weight")
    if title:
        ax.set_title(title, fontsize=10)
    return fig
