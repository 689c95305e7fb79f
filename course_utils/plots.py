"""Figures the notebooks draw again and again, so their code cells stay about the idea.

Every function returns the matplotlib ``Figure`` (or draws into ``ax`` when given one) and
validates its input: a wrong shape is a ``ValueError`` that says which shape was expected.
Figures of a single notebook live in :mod:`course_utils.figures` (``figures/nbNN.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import images


def history_dict(h: Any) -> dict[str, list[float]]:
    """A Keras ``History`` (or a dict of per-epoch lists) as ``{metric: [floats]}``; else a ValueError."""
    d = getattr(h, "history", h)
    if not isinstance(d, Mapping) or not d:
        raise ValueError("expected a Keras History (what model.fit returns) or a non-empty dict "
                         f"of metric lists, got {type(h).__name__}")
    return {k: list(map(float, v)) for k, v in d.items()}


def training_curves(histories: Any, metrics: Sequence[str] | None = None,
                    title: str = "") -> Figure:
    """Loss (and accuracy, when recorded) per epoch, training solid, validation dashed.

    ``histories`` is one History / dict, or a mapping ``{"label": history}`` to
    compare several models on the same axes. Taught with: 02 · Multilayer
    networks ("Handwritten digits", "Overfitting"), 03 · CNNs.
    """
    if isinstance(histories, Mapping) and histories and all(
            hasattr(v, "history") or isinstance(v, Mapping) for v in histories.values()):
        runs = {label: history_dict(h) for label, h in histories.items()}
    else:
        runs = {"": history_dict(histories)}
    keys = [k for k in next(iter(runs.values())) if not k.startswith("val_")]
    metrics = list(metrics) if metrics else [k for k in ("loss", "accuracy") if k in keys] or keys[:1]
    for m in metrics:
        if not any(m in d for d in runs.values()):
            raise ValueError(f"metric {m!r} not in the history; it has {sorted(keys)}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 3.8), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, m in zip(axes[0], metrics, strict=True):
        for i, (label, d) in enumerate(runs.items()):
            c = colors[i % len(colors)]
            prefix = f"{label} · " if label else ""
            # markers on short runs: a one-epoch history is a point, which a bare line would not show
            mk = "o" if max(len(v) for v in d.values()) <= 12 else None
            if m in d:
                ax.plot(range(1, len(d[m]) + 1), d[m], color=c, marker=mk, label=f"{prefix}training")
            if f"val_{m}" in d:
                ax.plot(range(1, len(d[f"val_{m}"]) + 1), d[f"val_{m}"], color=c, ls="--", marker=mk,
                        mfc="none", label=f"{prefix}validation")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))   # epochs are whole numbers
        ax.set_ylabel(m)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def image_grid(image_batch: np.ndarray, labels: Sequence[Any] | None = None,
               predictions: Sequence[Any] | None = None, class_names: Sequence[str] | None = None,
               ncols: int = 8, size: float = 1.3, title: str = "", cmap: str = "gray_r") -> Figure:
    """A grid of images with optional labels; with ``predictions`` wrong ones are red.

    ``image_batch``: (n, h, w), (n, h, w, 1) or (n, h, w, 3), floats in [0, 1] or
    uint8. Taught with: 02 (misclassified digits), 03 (CIFAR-10 samples), 06
    (generated digits).
    """
    x = images.as_batch(image_batch)
    if x.shape[-1] == 1:
        x = x[..., 0]
    n = len(x)
    for name, seq in (("labels", labels), ("predictions", predictions)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} entries for {n} images")
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.3 if title else 0)),
                             squeeze=False)

    def name(v: Any) -> str:
        return class_names[int(v)] if class_names is not None else str(v)

    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        img = np.clip(x[i], 0, 1)
        ax.imshow(img, cmap=cmap if img.ndim == 2 else None, vmin=0 if img.ndim == 2 else None,
                  vmax=1 if img.ndim == 2 else None)
        if predictions is not None:
            ok = labels is None or predictions[i] == labels[i]
            text = f"{name(predictions[i])}" + ("" if labels is None or ok else f" ({name(labels[i])})")
            ax.set_title(text, fontsize=8, color="black" if ok else "crimson")
        elif labels is not None:
            ax.set_title(name(labels[i]), fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def decision_boundary(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray,
                      ax: Axes | None = None, title: str = "", resolution: int = 200,
                      feature_names: Sequence[str] = ("x₁", "x₂"), proba: bool = True) -> Figure:
    """Shade the plane by ``predict`` and scatter the 2-D points ``X`` coloured by ``y``.

    ``predict`` maps an (n, 2) array to n scores (probabilities when
    ``proba``) or labels; the 0.5 contour is drawn. Taught with: 01 ·
    Perceptron (the boundary moving as it learns, logistic regression), 02 (XOR).
    """
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary draws 2-D data: X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    xx, yy, grid, lo, hi = plane_grid(X, resolution)
    z = np.asarray(predict(grid), dtype="float64").reshape(xx.shape)
    fig = ax.figure if ax is not None else plt.figure(figsize=(5, 4.2))
    ax = ax or fig.add_subplot()
    ax.contourf(xx, yy, z, levels=np.linspace(0, 1, 11) if proba else 20, cmap="RdBu_r", alpha=0.35)
    ax.contour(xx, yy, z, levels=[0.5], colors="k", linewidths=1.5)
    for cls, marker, color in zip(np.unique(y), "os^v", ("tab:blue", "tab:red", "tab:green", "tab:orange"),
                                  strict=False):
        m = y == cls
        ax.scatter(X[m, 0], X[m, 1], s=18, marker=marker, color=color, edgecolor="k", linewidth=0.3,
                   label=f"class {cls}")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.legend(loc="best", fontsize=8)
    ax.grid(False)
    if title:
        ax.set_title(title)
    return fig


def plane_grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A ``resolution``² grid over the 2-D points ``X`` with a 10 % margin, to shade a plane by a model.

    Returns ``(xx, yy, points, lo, hi)``: the mesh, its points as an (m, 2) array to feed the
    model, and the lower and upper corners. Used by :func:`decision_boundary` and 02's
    ``hidden_units``.
    """
    pad = 0.1 * (X.max(0) - X.min(0) + 1e-9)
    lo, hi = X.min(0) - pad, X.max(0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.c_[xx.ravel(), yy.ravel()], lo, hi


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int],
                     class_names: Sequence[str] | None = None, normalize: bool = True,
                     title: str = "Confusion matrix", ax: Axes | None = None) -> Figure:
    """Rows are true classes, columns predictions; the diagonal is what the model gets right.

    scikit-learn's ``confusion_matrix`` and ``ConfusionMatrixDisplay`` do the work;
    this adds the course's checks (labels must be 0..k-1), row-normalised values with
    a 0..1 colour scale, blank cells where nothing fell, and a colour bar no taller
    than the matrix. Taught with: 02 · Multilayer networks ("Handwritten digits"), 03 · CNNs.
    """
    from sklearn.metrics import ConfusionMatrixDisplay
    from sklearn.metrics import confusion_matrix as count_matrix

    yt = np.asarray(y_true).ravel().astype(int)
    yp = np.asarray(y_pred).ravel().astype(int)
    if yt.shape != yp.shape or yt.size == 0:
        raise ValueError(f"y_true and y_pred must be non-empty and the same length: {yt.shape} vs {yp.shape}")
    k = int(max(yt.max(), yp.max()) + 1) if class_names is None else len(class_names)
    if yt.min() < 0 or yp.min() < 0 or max(yt.max(), yp.max()) >= k:
        raise ValueError(f"labels must be integers in 0..{k - 1}")
    names = [str(n) for n in class_names] if class_names is not None else [str(i) for i in range(k)]
    counts = count_matrix(yt, yp, labels=list(range(k)))
    shown = count_matrix(yt, yp, labels=list(range(k)), normalize="true") if normalize else counts
    fig = ax.figure if ax is not None else plt.figure(figsize=(0.5 * k + 2.5, 0.5 * k + 2))
    ax = ax or fig.add_subplot()
    long_names = max(map(len, names)) > 2
    disp = ConfusionMatrixDisplay(shown, display_labels=names).plot(
        ax=ax, cmap="Blues", colorbar=False, values_format=".2f" if normalize else "d",
        xticks_rotation=45 if long_names else "horizontal", text_kw={"fontsize": 7},
        im_kw={"vmin": 0, "vmax": 1} if normalize else {"vmin": 0})
    for text, n in zip(disp.text_.ravel(), counts.ravel(), strict=True):
        if n == 0:  # nothing fell here: leave the cell blank instead of "0.00"
            text.set_text("")
    if long_names:
        plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
    # shrink: the square matrix is shorter than the figure; a full-height colour bar would overhang it
    fig.colorbar(disp.im_, ax=ax, shrink=0.8, label="fraction of the true class" if normalize else "count")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.grid(False)
    ax.set_title(title)
    return fig


def bar_compare(values: Mapping[str, float], reference: Mapping[str, float] | None = None,
                ylabel: str = "", title: str = "", fmt: str = "{:.3f}") -> Figure:
    """Bars for measured values, with optional dashed reference lines (e.g. the outline's numbers).

    Taught with: 00 (CPU vs accelerator timing), 03/04 (results beside the outline).
    """
    if not values:
        raise ValueError("values is empty")
    fig, ax = plt.subplots(figsize=(max(4, 1.3 * len(values) + 2), 3.5))
    names = list(values)
    bars = ax.bar(names, [values[n] for n in names], color="tab:blue")
    for b, n in zip(bars, names, strict=True):
        ax.annotate(fmt.format(values[n]), (b.get_x() + b.get_width() / 2, b.get_height()),
                    ha="center", va="bottom", fontsize=9)
    for i, (label, v) in enumerate((reference or {}).items()):
        ax.axhline(v, color=f"C{i + 1}", ls="--", label=label)
    if reference:
        ax.legend(fontsize=8)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.margins(y=0.15)
    return fig


def top_k_prediction(original: np.ndarray, resized: np.ndarray, probabilities: Sequence[float],
                     class_names: Sequence[str], k: int = 3, title: str = "") -> Figure:
    """A photo, the small version the model sees, and the model's ``k`` most likely classes.

    ``probabilities`` is the model's softmax output for the resized image (one
    value per class). Taught with: 03 · Convolutional networks ("Predicting an
    outside photo"), 04 · Transfer learning.
    """
    p = np.asarray(probabilities, dtype="float64").ravel()
    if len(p) != len(class_names) or len(p) == 0:
        raise ValueError(f"{len(p)} probabilities for {len(class_names)} class names")
    if not 1 <= k <= len(p):
        raise ValueError(f"k must be between 1 and {len(p)}, got {k}")
    for what, im in (("original", original), ("resized", resized)):
        a = np.asarray(im)
        if a.ndim != 3 or a.shape[-1] != 3:
            raise ValueError(f"{what} must be an (H, W, 3) image, got shape {a.shape}")
    top = np.argsort(p)[::-1][:k]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), gridspec_kw={"width_ratios": [1.4, 1, 1.3]})
    for ax, im, t in ((axes[0], original, "original"), (axes[1], resized, "what the model sees")):
        a = np.asarray(im)
        ax.imshow(a if a.dtype == np.uint8 else np.clip(a, 0, 1), interpolation="nearest")
        ax.set_title(f"{t} ({a.shape[0]}×{a.shape[1]})", fontsize=10)
        ax.axis("off")
    names = [str(class_names[i]) for i in top][::-1]
    vals = p[top][::-1]
    bars = axes[2].barh(names, vals, color="tab:blue")
    for b, v in zip(bars, vals, strict=True):
        axes[2].annotate(f"{v:.1%}", (b.get_width(), b.get_y() + b.get_height() / 2),
                         xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    axes[2].set_xlim(0, 1.15)
    axes[2].set_xlabel("probability")
    axes[2].set_title(f"top {k}", fontsize=10)
    if title:
        fig.suptitle(title)
    return fig
