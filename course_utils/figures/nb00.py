"""Figures of 00 · The big picture: the timeline, the computational graph, matrix-product timings.

The graph figures read what each backend recorded (a traced ``tf.Graph``, a jaxpr, PyTorch's
``grad_fn`` chain) only to draw it; the notebook shows how each backend records it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


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


def _draw_recorded(edges: list[tuple[str, str]], labels: dict[str, str], title: str) -> Figure:
    """Draw a recorded graph; the nodes that feed nothing are its outputs (green)."""
    if not edges:
        raise ValueError("the recorded graph has no edges: nothing was recorded")
    outputs = {to for _, to in edges} - {frm for frm, _ in edges}
    return computational_graph(edges, labels=labels, kinds=dict.fromkeys(outputs, "output"), title=title)


def tensorflow_graph(graph: Any, title: str = "") -> Figure:
    """Draw the graph that ``tf.function(f).get_concrete_function(...)`` traced (its ``.graph``).

    A box per operation (name, type and output shape), an arrow per tensor.
    Taught with: 00 · The big picture ("The computational graph").
    """
    if not hasattr(graph, "get_operations"):
        raise ValueError(f"expected a traced tf.Graph (concrete_function.graph), got {type(graph).__name__}")
    ops = graph.get_operations()
    edges = [(t.op.name, op.name) for op in ops for t in op.inputs]
    labels = {op.name: (op.name if op.name == op.type else f"{op.name}\n{op.type}")
              + (f"\n{tuple(op.outputs[0].shape)}" if op.outputs else "") for op in ops}
    return _draw_recorded(edges, labels, title)


def jax_graph(closed_jaxpr: Any, input_names: Sequence[str], title: str = "") -> Figure:
    """Draw a jaxpr (``jax.make_jaxpr(f)(*args)``): a box per primitive, arrows from the variables it reads.

    ``input_names`` names the function's arguments in order (e.g. ``"XWb"``);
    constants written into the program get no box. Taught with: 00 · The big
    picture ("The computational graph").
    """
    jaxpr = getattr(closed_jaxpr, "jaxpr", closed_jaxpr)
    if not hasattr(jaxpr, "eqns") or not hasattr(jaxpr, "invars"):
        raise ValueError(f"expected a jaxpr from jax.make_jaxpr, got {type(closed_jaxpr).__name__}")
    if len(input_names) != len(jaxpr.invars):
        raise ValueError(f"{len(jaxpr.invars)} inputs need {len(jaxpr.invars)} names, got {list(input_names)}")
    made_by = dict(zip(jaxpr.invars, input_names, strict=True))   # variable → the box that makes it
    labels = {name: f"{name}\n{tuple(v.aval.shape)}" for v, name in made_by.items()}
    edges: list[tuple[str, str]] = []
    for i, eqn in enumerate(jaxpr.eqns):
        node = str(i)
        labels[node] = f"{eqn.primitive.name}\n{tuple(eqn.outvars[0].aval.shape)}"
        edges += [(made_by[v], node) for v in eqn.invars if not hasattr(v, "val")]  # constants have .val
        made_by.update(dict.fromkeys(eqn.outvars, node))
    return _draw_recorded(edges, labels, title)


def torch_graph(output: Any, inputs: Mapping[str, Any], title: str = "") -> Figure:
    """Draw the backward steps PyTorch recorded for ``output`` (its ``grad_fn`` chain), forwards.

    ``inputs`` names the tensors that asked for gradients (``{"W": W, "b": b}``):
    they end in ``AccumulateGrad`` steps, drawn with their names. Taught with:
    00 · The big picture ("The computational graph").
    """
    start = getattr(output, "grad_fn", None)
    if start is None:
        raise ValueError("output recorded no graph: create the inputs with requires_grad "
                         "(tensor.requires_grad_()) before computing it")
    names = {id(t): name for name, t in inputs.items()}
    edges: list[tuple[str, str]] = []
    labels: dict[str, str] = {}
    todo, seen = [start], set()
    while todo:                       # from the output back to the inputs
        step = todo.pop()
        node = str(id(step))
        if node in seen:
            continue
        seen.add(node)
        kind = type(step).__name__     # e.g. MmBackward0; AccumulateGrad for W and b
        variable = getattr(step, "variable", None)
        labels[node] = f"{names.get(id(variable), 'input')}\n({kind})" if variable is not None else kind
        for parent, _ in step.next_functions:
            if parent is not None:     # None: an input that needs no gradient (X)
                edges.append((str(id(parent)), node))
                todo.append(parent)
    return _draw_recorded(edges, labels, title)


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
