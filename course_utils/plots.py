"""Figures the notebooks draw again and again, so their code cells stay about the idea.

Every function returns the matplotlib ``Figure`` (or draws into ``ax`` when
given one) and validates its input: a wrong shape is a ``ValueError`` that
says which shape was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def _history_dict(h: Any) -> dict[str, list[float]]:
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
        runs = {label: _history_dict(h) for label, h in histories.items()}
    else:
        runs = {"": _history_dict(histories)}
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
            if m in d:
                ax.plot(range(1, len(d[m]) + 1), d[m], color=c, label=f"{prefix}training")
            if f"val_{m}" in d:
                ax.plot(range(1, len(d[f"val_{m}"]) + 1), d[f"val_{m}"], color=c, ls="--",
                        label=f"{prefix}validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(m)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def image_grid(images: np.ndarray, labels: Sequence[Any] | None = None,
               predictions: Sequence[Any] | None = None, class_names: Sequence[str] | None = None,
               ncols: int = 8, size: float = 1.3, title: str = "", cmap: str = "gray_r") -> Figure:
    """A grid of images with optional labels; with ``predictions`` wrong ones are red.

    ``images``: (n, h, w), (n, h, w, 1) or (n, h, w, 3), floats in [0, 1] or
    uint8. Taught with: 02 (misclassified digits), 03 (CIFAR-10 samples), 06
    (generated digits).
    """
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim not in (3, 4) or (x.ndim == 4 and x.shape[-1] != 3) or len(x) == 0:
        raise ValueError(f"expected images of shape (n, h, w), (n, h, w, 1) or (n, h, w, 3); got {x.shape}")
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
        img = x[i]
        if img.dtype != np.uint8:
            img = np.clip(img, 0, 1)
        ax.imshow(img, cmap=cmap if img.ndim == 2 else None, vmin=0 if img.ndim == 2 else None,
                  vmax=(255 if img.dtype == np.uint8 else 1) if img.ndim == 2 else None)
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
    pad = 0.1 * (X.max(0) - X.min(0) + 1e-9)
    lo, hi = X.min(0) - pad, X.max(0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.c_[xx.ravel(), yy.ravel()]
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


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int],
                     class_names: Sequence[str] | None = None, normalize: bool = True,
                     title: str = "Confusion matrix", ax: Axes | None = None) -> Figure:
    """Rows are true classes, columns predictions; the diagonal is what the model gets right.

    Taught with: 02 · Multilayer networks ("Handwritten digits"), 03 · CNNs.
    """
    yt = np.asarray(y_true).ravel().astype(int)
    yp = np.asarray(y_pred).ravel().astype(int)
    if yt.shape != yp.shape or yt.size == 0:
        raise ValueError(f"y_true and y_pred must be non-empty and the same length: {yt.shape} vs {yp.shape}")
    k = int(max(yt.max(), yp.max()) + 1) if class_names is None else len(class_names)
    if yt.min() < 0 or yp.min() < 0 or max(yt.max(), yp.max()) >= k:
        raise ValueError(f"labels must be integers in 0..{k - 1}")
    cm = np.zeros((k, k))
    np.add.at(cm, (yt, yp), 1)
    shown = cm / np.maximum(cm.sum(1, keepdims=True), 1) if normalize else cm
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    fig = ax.figure if ax is not None else plt.figure(figsize=(0.5 * k + 2.5, 0.5 * k + 2))
    ax = ax or fig.add_subplot()
    im = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    fig.colorbar(im, ax=ax, label="fraction of the true class" if normalize else "count")
    for i in range(k):
        for j in range(k):
            if cm[i, j]:
                ax.text(j, i, f"{shown[i, j]:.2f}" if normalize else int(cm[i, j]), ha="center",
                        va="center", fontsize=7, color="white" if shown[i, j] > 0.6 * shown.max() else "black")
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 2 else 0, ha="right" if max(map(len, names)) > 2 else "center")
    ax.set_yticks(range(k), names)
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


# -- 00 · The big picture: timeline, computational graph, matmul scaling ------------------------

def timeline(events: Sequence[tuple[Any, ...]], spans: Sequence[tuple[float, float, str]] = (),
             title: str = "", fontsize: float = 8.5, width: float = 13.0) -> Figure:
    """A horizontal timeline: ``(year, label)`` or ``(year, label, tag)`` events, shaded spans.

    Labels are stacked on levels above and below the axis so that no label
    overlaps another or is crossed by a stem; an event with a ``tag`` (e.g. the
    course notebook that teaches it) is drawn in colour with the tag appended.
    ``spans`` are ``(start, end, label)`` periods drawn as grey bands (the AI
    winters). Taught with: 00 · The big picture ("A short history").
    """
    rows = []
    for ev in events:
        if not isinstance(ev, (tuple, list)) or len(ev) not in (2, 3):
            raise ValueError(f"each event must be (year, label) or (year, label, tag), got {ev!r}")
        year, label, tag = (*ev, "")[:3]
        if isinstance(year, bool) or not isinstance(year, (int, float, np.integer, np.floating)):
            raise ValueError(f"event year must be a number, got {year!r} for {label!r}")
        rows.append((float(year), str(label), str(tag)))
    if not rows:
        raise ValueError("timeline needs at least one event")
    for sp in spans:
        if len(sp) != 3 or not float(sp[0]) < float(sp[1]):
            raise ValueError(f"each span must be (start, end, label) with start < end, got {sp!r}")
    rows.sort(key=lambda r: r[0])
    years = [r[0] for r in rows] + [float(v) for sp in spans for v in sp[:2]]
    lo, hi = min(years) - 2, max(years) + 2
    # Fixed inches per level, so label sizes in data units do not change when the height is trimmed.
    unit, bottom, top, max_level = 0.3, 0.6, 0.45, 3 * len(rows) + 2

    def place_axes(y_lo: float, y_hi: float) -> None:
        h_axes = unit * (y_hi - y_lo)
        fig.set_size_inches(width, h_axes + bottom + top)
        ax.set_position((0.02, bottom / (h_axes + bottom + top), 0.96, h_axes / (h_axes + bottom + top)))
        ax.set_ylim(y_lo, y_hi)

    fig = plt.figure(layout="none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(lo, hi)
    place_axes(-max_level - 1.0, max_level + 1.0)
    renderer = fig.canvas.get_renderer()
    boxes: list[tuple[float, float, float, float]] = []   # x0, x1, y0, y1 of placed labels
    stems: list[tuple[float, float]] = []                 # x, level of placed stems

    def free(x: float, level: float, b: tuple[float, float, float, float]) -> bool:
        lo_y, hi_y = min(0, level), max(0, level)
        for x0, x1, y0, y1 in boxes:
            if not (b[1] + 0.5 < x0 or b[0] - 0.5 > x1 or b[3] + 0.1 < y0 or b[2] - 0.1 > y1):
                return False                              # overlaps a label
            if x0 <= x <= x1 and y0 < hi_y and y1 > lo_y:
                return False                              # our stem would cross that label
        return all(not (b[0] <= sx <= b[1] and min(0, lv) < b[3] and max(0, lv) > b[2])
                   for sx, lv in stems)                   # a stem would cross our label

    for start, end, _ in spans:
        ax.axvspan(float(start), float(end), color="0.88", zorder=0)
    mid = lo + 0.62 * (hi - lo)
    # Events up to `mid` go above the axis, reading rightwards from their stem, placed from the
    # latest to the earliest; later events go below, reading leftwards, placed from the earliest
    # to the latest. On each side every placed label then lies beyond the new stem, so the lowest
    # free level always exists: a staircase, and no stem ever crosses a label.
    order = [(r, 1) for r in rows if r[0] <= mid][::-1] + [(r, -1) for r in rows if r[0] > mid]
    for (year, label, tag), side in order:
        text = label if label.startswith(f"{year:.0f}") else f"{year:.0f}  {label}"
        text += f"  [{tag}]" if tag else ""
        color = "tab:red" if tag else "tab:blue"
        t = ax.text(year, 0, text, fontsize=fontsize, color=color, ha="left" if side > 0 else "right",
                    va="bottom" if side > 0 else "top", fontweight="bold" if tag else "normal",
                    zorder=4)
        found = None
        for k in range(1, max_level + 1):
            t.set_y(side * k)
            e = t.get_window_extent(renderer).transformed(ax.transData.inverted())
            if free(year, side * k, (e.x0, e.x1, e.y0, e.y1)):
                found = (side * k, (e.x0, e.x1, e.y0, e.y1))
                break
        if found is None:  # pragma: no cover - the staircase always finds a level
            raise RuntimeError(f"timeline: no room for {label!r}")
        level, box = found
        t.set_y(level)
        t.set_va("bottom" if level > 0 else "top")
        boxes.append(box)
        stems.append((year, level))
        ax.vlines(year, 0, level, color=color, lw=0.8, zorder=2)
        ax.plot(year, 0, "o", color=color, ms=5, zorder=3)
    y_top = max(1.0, *(b[3] for b in boxes)) + 0.5
    if spans:   # span labels (the AI winters) go in a row of their own above every event label
        y_top += 1.0
        for start, end, label in spans:
            ax.text((float(start) + float(end)) / 2, y_top - 0.2, label, ha="center", va="top",
                    fontsize=fontsize, color="0.35", style="italic", zorder=1)
    place_axes(min(-1.0, *(b[2] for b in boxes)) - 0.5, y_top)
    # Widen the x range where a label sticks out (labels only shrink in data units when widened).
    ax.set_xlim(min(lo, *(b[0] - 0.5 for b in boxes)), max(hi, *(b[1] + 0.5 for b in boxes)))
    ax.axhline(0, color="k", lw=1, zorder=1)
    ax.yaxis.set_visible(False)
    ax.spines[["left", "top", "right"]].set_visible(False)
    ax.grid(False)
    ax.set_xlabel("year")
    if title:
        ax.set_title(title)
    return fig


def computational_graph(edges: Sequence[tuple[str, str]], labels: Mapping[str, str] | None = None,
                        kinds: Mapping[str, str] | None = None, title: str = "",
                        fontsize: float = 9) -> Figure:
    """Draw a small directed acyclic graph left to right (inputs on the left).

    ``edges`` are ``(from, to)`` node names, e.g. the inputs and outputs of the
    operations a backend traced; ``labels`` maps a node to the text in its box
    (default: its name); ``kinds`` maps a node to ``"input"``, ``"op"`` or
    ``"output"`` for its colour. Taught with: 00 · The big picture ("The
    computational graph").
    """
    edges = [tuple(e) for e in edges]
    if not edges or any(len(e) != 2 for e in edges):
        raise ValueError("edges must be a non-empty list of (from, to) pairs")
    nodes: list[str] = []
    for a, b in edges:
        for n in (a, b):
            if n not in nodes:
                nodes.append(n)
    parents: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        parents[b].append(a)
    depth: dict[str, int] = {}

    def _depth(n: str, seen: tuple[str, ...] = ()) -> int:
        if n in seen:
            raise ValueError(f"the graph has a cycle through {n!r}; a computational graph is acyclic")
        if n not in depth:
            depth[n] = 1 + max((_depth(p, (*seen, n)) for p in parents[n]), default=-1)
        return depth[n]

    for n in nodes:
        _depth(n)
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(depth[n], []).append(n)
    tall = max(len(c) for c in columns.values())
    fig, ax = plt.subplots(figsize=(max(4.0, 1.7 * len(columns)), max(2.0, 0.8 * tall + 0.8)),
                           layout="constrained")
    colors = {"input": "#cfe3f7", "op": "#fde2c4", "output": "#d4f0d0"}
    artists = {}
    for d, col in columns.items():
        for i, n in enumerate(col):
            y = (len(col) - 1) / 2 - i
            kind = (kinds or {}).get(n, "input" if not parents[n] else "op")
            artists[n] = ax.text(d, y, (labels or {}).get(n, n), ha="center", va="center",
                                 fontsize=fontsize, zorder=3,
                                 bbox={"boxstyle": "round,pad=0.4", "ec": "0.3",
                                       "fc": colors.get(kind, "white")})
    for a, b in edges:
        ax.annotate("", xy=(0, 0.5), xycoords=artists[b], xytext=(1, 0.5), textcoords=artists[a],
                    arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.1,
                                "connectionstyle": "arc3,rad=0.0"}, zorder=2)
    ax.set_xlim(-0.5, max(columns) + 0.5)
    ax.set_ylim(-tall / 2, tall / 2)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def matmul_scaling(seconds: Mapping[str, Mapping[int, float]], title: str = "") -> Figure:
    """Time of an n×n matrix product against n (log–log), one line per device, and GFLOP/s.

    ``seconds`` maps a device label to ``{n: seconds}``. The grey guide line
    grows as n³, the cost of the product (2·n³ floating-point operations).
    Taught with: 00 · The big picture ("Why GPUs?").
    """
    if not seconds or any(not v for v in seconds.values()):
        raise ValueError("seconds must map each device label to a non-empty {n: seconds} dict")
    for label, d in seconds.items():
        if any(int(n) <= 0 or not float(t) > 0 for n, t in d.items()):
            raise ValueError(f"{label}: sizes and seconds must be positive, got {dict(d)}")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    sizes: set[int] = set()
    for i, (label, d) in enumerate(seconds.items()):
        n = np.array(sorted(d), dtype="float64")
        t = np.array([d[k] for k in sorted(d)], dtype="float64")
        sizes.update(int(k) for k in d)
        ax1.plot(n, t * 1e3, "o-", color=f"C{i}", label=label)
        ax2.plot(n, 2 * n**3 / t / 1e9, "o-", color=f"C{i}", label=label)
        if i == 0:
            ax1.plot(n, t[-1] * 1e3 * (n / n[-1]) ** 3, ls=":", color="0.5", label="∝ n³")
    ax1.set_yscale("log")
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xticks(sorted(sizes), [str(k) for k in sorted(sizes)])
        ax.minorticks_off()
        ax.set_xlabel("matrix size n (n×n float32)")
        ax.legend(fontsize=8)
    ax1.set_ylabel("milliseconds per product")
    ax1.set_title("Time grows as n³")
    ax2.set_ylabel("GFLOP/s (2·n³ / time)")
    ax2.set_title("Throughput")
    rates = [2 * int(n) ** 3 / float(t) / 1e9 for d in seconds.values() for n, t in d.items()]
    if max(rates) > 30 * min(rates):   # an accelerator next to a CPU: a log scale shows both
        ax2.set_yscale("log")
    else:
        ax2.set_ylim(bottom=0)
    if title:
        fig.suptitle(title)
    return fig


def hidden_units(hidden: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray,
                 output: Callable[[np.ndarray], np.ndarray] | None = None,
                 resolution: int = 120, title: str = "",
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
    pad = 0.1 * (X.max(0) - X.min(0) + 1e-9)
    lo, hi = X.min(0) - pad, X.max(0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.c_[xx.ravel(), yy.ravel()]
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
