"""Plot helpers added for 00 · The big picture: timeline, computational_graph, matmul_scaling."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


EVENTS = [(1943, "first\nneuron model"), (1957, "perceptron", "01"), (1960, "a long label " * 3),
          (1965, "another long label " * 2), (1969, "Perceptrons"), (1986, "backprop", "02"),
          (1997, "LSTM", "05"), (1997.4, "Deep Blue"), (1998, "LeNet"), (2012, "AlexNet"),
          (2014, "GANs", "06"), (2017, "Transformers"), (2020, "2020s: LLMs")]


def _boxes(fig):
    ax = fig.axes[0]
    r = fig.canvas.get_renderer()
    return [t.get_window_extent(r) for t in ax.texts if t.get_text() != "AI winter"]


def test_timeline_draws_every_event_without_overlaps():
    fig = plots.timeline(EVENTS, spans=[(1974, 1980, "AI winter"), (1987, 1993, "AI winter")],
                         title="history")
    assert isinstance(fig, Figure)
    boxes = _boxes(fig)
    assert len(boxes) == len(EVENTS)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two timeline labels overlap"
    ax = fig.axes[0]
    to_data = ax.transData.inverted()
    data_boxes = [b.transformed(to_data) for b in boxes]
    stems = [seg for coll in ax.collections for seg in coll.get_segments()]
    assert len(stems) == len(EVENTS)
    for seg in stems:
        x, (y0, y1) = seg[0][0], sorted((seg[0][1], seg[1][1]))
        for b in data_boxes:   # a stem may touch its own label's edge, never run through a label
            inside_x = b.x0 + 1e-6 < x < b.x1 - 1e-6
            assert not (inside_x and min(y1, b.y1) - max(y0, b.y0) > 1e-6), "a stem crosses a label"
    xlo, xhi = ax.get_xlim()
    assert all(xlo <= b.x0 and b.x1 <= xhi for b in data_boxes), "a label sticks out of the axes"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("2020s: LLMs") for t in texts)          # no doubled year prefix
    assert any("[01]" in t for t in texts)                           # tags are shown
    assert fig.axes[0].get_xlabel() == "year"


def test_timeline_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        plots.timeline([])
    with pytest.raises(ValueError, match="year must be a number"):
        plots.timeline([("1943", "neuron")])
    with pytest.raises(ValueError, match="each event"):
        plots.timeline([(1943,)])
    with pytest.raises(ValueError, match="start < end"):
        plots.timeline([(1943, "x")], spans=[(1980, 1974, "winter")])


def test_computational_graph_layers_left_to_right():
    edges = [("X", "MatMul"), ("W", "MatMul"), ("MatMul", "add"), ("b", "add"), ("add", "Sigmoid")]
    fig = plots.computational_graph(edges, labels={"MatMul": "MatMul\n(XW)"},
                                    kinds={"Sigmoid": "output"}, title="f(XW+b)")
    ax = fig.axes[0]
    pos = {t.get_text(): t.get_position() for t in ax.texts if t.get_text()}
    assert pos["X"][0] == pos["W"][0] == 0
    assert pos["MatMul\n(XW)"][0] == 1 and pos["add"][0] == 2 and pos["Sigmoid"][0] == 3
    assert len(pos) == 6                                             # one box per node
    assert sum(not t.get_text() for t in ax.texts) == len(edges)     # one arrow per edge
    assert pos["b"][0] == 1                         # an input sits just before the op that uses it


def test_computational_graph_late_input_goes_next_to_its_consumer():
    edges = [("X", "mm"), ("W", "mm"), ("mm", "add"), ("add", "relu"), ("relu", "mul"), ("s", "mul")]
    fig = plots.computational_graph(edges)
    pos = {t.get_text(): t.get_position() for t in fig.axes[0].texts if t.get_text()}
    assert pos["s"][0] == pos["mul"][0] - 1 == 3 and pos["X"][0] == 0


def test_computational_graph_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        plots.computational_graph([])
    with pytest.raises(ValueError, match="cycle"):
        plots.computational_graph([("a", "b"), ("b", "a")])
    with pytest.raises(ValueError, match="pairs"):
        plots.computational_graph([("a", "b", "c")])


def test_matmul_scaling_linear_and_log():
    fig = plots.matmul_scaling({"CPU": {256: 1e-3, 512: 5e-3, 1024: 0.03}})
    assert fig.axes[1].get_yscale() == "linear"
    assert fig.axes[0].get_ylabel().startswith("milliseconds")
    fig = plots.matmul_scaling({"CPU": {512: 5e-3, 1024: 0.03}, "GPU": {512: 1e-5, 1024: 2e-5}})
    assert fig.axes[1].get_yscale() == "log"


def test_matmul_scaling_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        plots.matmul_scaling({})
    with pytest.raises(ValueError, match="positive"):
        plots.matmul_scaling({"CPU": {512: 0.0}})
