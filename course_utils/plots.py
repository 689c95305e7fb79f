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
from matplotlib.ticker import MaxNLocator


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
    ``"output"`` for its colour. An input is drawn in the column just before
    the first operation that uses it. Taught with: 00 · The big picture ("The
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
    for n in nodes:  # an input sits just before its first consumer, so no edge crosses a box
        if not parents[n]:
            depth[n] = min(depth[b] for a, b in edges if a == n) - 1
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
    ax.set_xlim(min(columns) - 0.5, max(columns) + 0.5)
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


# -- 03 · Convolutional networks: filter responses, learned filters, feature maps, a prediction ---

def _as_2d(a: Any, what: str) -> np.ndarray:
    x = np.asarray(a, dtype="float64")
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"{what} must be a 2-D (H, W) array, got shape {np.shape(a)}")
    return x


def _robust_limits(x: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(x, [1, 99])
    return (float(lo), float(hi)) if hi > lo else (float(x.min()), float(x.max()) + 1e-9)


def filter_responses(image: np.ndarray, responses: Sequence[np.ndarray] | np.ndarray,
                     titles: Sequence[str] | None = None, title: str = "",
                     input_title: str = "input", size: float = 3.0, cmap: str = "gray") -> Figure:
    """The input image and what each filter (or pooling) made of it, side by side.

    ``image`` is (H, W) or (H, W, 3); ``responses`` a list of 2-D maps or one
    (H', W', k) array (one map per channel). Each map gets its own grey scale
    (1st to 99th percentile) and its shape under it, so a pooled map shows
    that it is smaller. Taught with: 03 · Convolutional networks ("Convolution
    as an operation", "Pooling").
    """
    img = np.asarray(image)
    if not (img.ndim == 2 or (img.ndim == 3 and img.shape[-1] in (1, 3))) or img.size == 0:
        raise ValueError(f"image must be (H, W), (H, W, 1) or (H, W, 3), got shape {img.shape}")
    if isinstance(responses, np.ndarray) and responses.ndim == 3:
        maps = [responses[..., i] for i in range(responses.shape[-1])]
    else:
        maps = list(responses)
    if not maps:
        raise ValueError("responses is empty: pass at least one 2-D map")
    maps = [_as_2d(m, f"responses[{i}]") for i, m in enumerate(maps)]
    if titles is not None and len(titles) != len(maps):
        raise ValueError(f"{len(titles)} titles for {len(maps)} responses")
    n = len(maps) + 1
    aspect = img.shape[0] / img.shape[1]
    fig, axes = plt.subplots(1, n, figsize=(size * n, size * aspect + 0.8), squeeze=False)
    panels = [(img, input_title)] + [(m, (titles or [f"map {i}" for i in range(len(maps))])[i])
                                     for i, m in enumerate(maps)]
    for ax, (m, t) in zip(axes[0], panels, strict=True):
        if m.ndim == 3 and m.shape[-1] == 3:
            ax.imshow(m if m.dtype == np.uint8 else np.clip(m, 0, 1))
        else:
            m2 = _as_2d(m, "image")
            lo, hi = _robust_limits(m2)
            ax.imshow(m2, cmap=cmap, vmin=lo, vmax=hi)
        ax.set_title(t, fontsize=10)
        ax.set_xlabel(f"{m.shape[0]}×{m.shape[1]}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    if title:
        fig.suptitle(title)
    return fig


def conv_filters(kernel: np.ndarray, ncols: int = 8, size: float = 0.9, title: str = "") -> Figure:
    """First-layer convolution filters as little images.

    ``kernel`` is a Conv2D kernel, shape (kh, kw, in_channels, filters), as
    ``layer.get_weights()[0]`` returns it. With three input channels each
    filter is drawn in colour (scaled to [0, 1] on its own); otherwise the
    first input channel is drawn blue (negative) to red (positive). Taught
    with: 03 · Convolutional networks ("What the CNN learned").
    """
    k = np.asarray(kernel, dtype="float64")
    if k.ndim != 4 or k.shape[-1] == 0:
        raise ValueError("kernel must have shape (kh, kw, in_channels, filters), as "
                         f"Conv2D.get_weights()[0] returns it; got {k.shape}")
    n = k.shape[-1]
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.5 if title else 0.1)),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        f = k[..., i]
        if f.shape[-1] == 3:
            f = (f - f.min()) / (f.max() - f.min() + 1e-12)
            ax.imshow(f, interpolation="nearest")
        else:
            lim = float(np.abs(f[..., 0]).max()) or 1.0
            ax.imshow(f[..., 0], cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_title(str(i), fontsize=7)
    if title:
        fig.suptitle(title)
    return fig


def feature_maps(maps: Mapping[str, np.ndarray], n: int = 8, size: float = 1.2,
                 title: str = "", image: np.ndarray | None = None) -> Figure:
    """One row per layer: the ``n`` most active channels of its output for one image.

    ``maps`` maps a layer name to its output for one image, (h, w, channels)
    (a leading batch axis of 1 is dropped). Rows show how the maps get
    smaller and more abstract with depth: edges, then textures, then parts.
    With ``image`` the input is drawn at the start of the first row. Taught
    with: 03 · Convolutional networks ("What the CNN learned").
    """
    if not maps:
        raise ValueError("maps is empty: pass {layer name: (h, w, channels) array}")
    rows = []
    for name, m in maps.items():
        a = np.asarray(m, dtype="float64")
        if a.ndim == 4 and a.shape[0] == 1:
            a = a[0]
        if a.ndim != 3:
            raise ValueError(f"{name}: expected (h, w, channels) for one image, got shape {np.shape(m)}")
        rows.append((name, a))
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    extra = 1 if image is not None else 0
    ncols = n + extra
    fig, axes = plt.subplots(len(rows), ncols, figsize=(size * ncols + 1.2, size * len(rows) + 0.5),
                             squeeze=False)
    for r, (name, a) in enumerate(rows):
        order = np.argsort(a.mean(axis=(0, 1)))[::-1][:n]
        for c in range(ncols):
            ax = axes[r][c]
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for s in ax.spines.values():
                s.set_visible(False)
            if extra and c == 0:
                if r == 0:
                    img = np.asarray(image)
                    ax.imshow(img if img.dtype == np.uint8 else np.clip(img, 0, 1))
                    ax.set_title("input", fontsize=8)
                continue
            j = c - extra
            if j < len(order):
                ax.imshow(a[..., order[j]], cmap="magma", interpolation="nearest")
        axes[r][extra].set_ylabel(f"{name}\n{a.shape[0]}×{a.shape[1]}×{a.shape[2]}", fontsize=8,
                                  rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
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


# ----------------------------------------------------------------------------- 06 · GANs
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
    d = _history_dict(history)
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
