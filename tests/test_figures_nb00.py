"""Plot helpers added for 00 · The big picture: timeline, computational_graph, matmul_scaling."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils.figures import nb00  # noqa: E402


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
    fig = nb00.timeline(EVENTS, spans=[(1974, 1980, "AI winter"), (1987, 1993, "AI winter")],
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
        nb00.timeline([])
    with pytest.raises(ValueError, match="year must be a number"):
        nb00.timeline([("1943", "neuron")])
    with pytest.raises(ValueError, match="each event"):
        nb00.timeline([(1943,)])
    with pytest.raises(ValueError, match="start < end"):
        nb00.timeline([(1943, "x")], spans=[(1980, 1974, "winter")])


def test_computational_graph_layers_left_to_right():
    edges = [("X", "MatMul"), ("W", "MatMul"), ("MatMul", "add"), ("b", "add"), ("add", "Sigmoid")]
    fig = nb00.computational_graph(edges, labels={"MatMul": "MatMul\n(XW)"},
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
    fig = nb00.computational_graph(edges)
    pos = {t.get_text(): t.get_position() for t in fig.axes[0].texts if t.get_text()}
    assert pos["s"][0] == pos["mul"][0] - 1 == 3 and pos["X"][0] == 0


def test_computational_graph_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        nb00.computational_graph([])
    with pytest.raises(ValueError, match="cycle"):
        nb00.computational_graph([("a", "b"), ("b", "a")])
    with pytest.raises(ValueError, match="pairs"):
        nb00.computational_graph([("a", "b", "c")])


def test_matmul_scaling_linear_and_log():
    fig = nb00.matmul_scaling({"CPU": {256: 1e-3, 512: 5e-3, 1024: 0.03}})
    assert fig.axes[1].get_yscale() == "linear"
    assert fig.axes[0].get_ylabel().startswith("milliseconds")
    fig = nb00.matmul_scaling({"CPU": {512: 5e-3, 1024: 0.03}, "GPU": {512: 1e-5, 1024: 2e-5}})
    assert fig.axes[1].get_yscale() == "log"


def test_matmul_scaling_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        nb00.matmul_scaling({})
    with pytest.raises(ValueError, match="positive"):
        nb00.matmul_scaling({"CPU": {512: 0.0}})


# -- the graph each backend recorded (section "The computational graph") --------------------------

def _boxes_and_arrows(fig):
    texts = fig.axes[0].texts
    return [t.get_text() for t in texts if t.get_text()], sum(not t.get_text() for t in texts)


class _Var:
    def __init__(self, shape):
        self.aval = type("Aval", (), {"shape": shape})()


class _Literal(_Var):
    val = 1.0


class _Eqn:
    def __init__(self, name, invars, outvars):
        self.primitive = type("Primitive", (), {"name": name})()
        self.invars, self.outvars = invars, outvars


def test_jax_graph_from_a_jaxpr_like_program():
    X, W, b = _Var((2, 3)), _Var((3, 2)), _Var((2,))
    xw, bb, s, out = _Var((2, 2)), _Var((1, 2)), _Var((2, 2)), _Var((2, 2))
    jaxpr = type("Jaxpr", (), {"invars": [X, W, b], "eqns": [
        _Eqn("dot_general", [X, W], [xw]), _Eqn("broadcast_in_dim", [b], [bb]),
        _Eqn("add", [xw, bb], [s]), _Eqn("logistic", [s], [out]), _Eqn("mul", [out, _Literal(())], [_Var((2, 2))])]})()
    closed = type("ClosedJaxpr", (), {"jaxpr": jaxpr})()
    fig = nb00.jax_graph(closed, input_names="XWb", title="jax")
    boxes, arrows = _boxes_and_arrows(fig)
    assert "X\n(2, 3)" in boxes and "dot_general\n(2, 2)" in boxes and "logistic\n(2, 2)" in boxes
    assert arrows == 7                                    # the constant of `mul` gets no arrow
    with pytest.raises(ValueError, match="names"):
        nb00.jax_graph(closed, input_names="XW")
    with pytest.raises(ValueError, match="make_jaxpr"):
        nb00.jax_graph("not a jaxpr", input_names="XWb")


class _Step:
    def __init__(self, *parents, variable=None):
        self.next_functions = tuple((p, 0) for p in parents)
        if variable is not None:
            self.variable = variable


class MmBackward0(_Step):
    pass


class AddBackward0(_Step):
    pass


class SigmoidBackward0(_Step):
    pass


class AccumulateGrad(_Step):
    pass


def test_torch_graph_from_a_grad_fn_chain():
    W, b = object(), object()
    mm = MmBackward0(None, AccumulateGrad(variable=W))    # None: X needs no gradient
    out = type("Tensor", (), {"grad_fn": SigmoidBackward0(AddBackward0(mm, AccumulateGrad(variable=b)))})()
    fig = nb00.torch_graph(out, inputs={"W": W, "b": b}, title="torch")
    boxes, arrows = _boxes_and_arrows(fig)
    assert sorted(boxes) == sorted(["W\n(AccumulateGrad)", "b\n(AccumulateGrad)", "MmBackward0",
                                    "AddBackward0", "SigmoidBackward0"])
    assert arrows == 4
    with pytest.raises(ValueError, match="requires_grad"):
        nb00.torch_graph(type("Tensor", (), {"grad_fn": None})(), inputs={})


def test_tensorflow_graph_from_a_traced_function():
    tf = pytest.importorskip("tensorflow")

    def f(X, W, b):
        return tf.sigmoid(tf.matmul(X, W) + b)

    traced = tf.function(f).get_concrete_function(tf.TensorSpec([None, 3], "float32", name="X"),
                                                  tf.TensorSpec([3, 2], "float32", name="W"),
                                                  tf.TensorSpec([2], "float32", name="b"))
    fig = nb00.tensorflow_graph(traced.graph, title="tf")
    boxes, arrows = _boxes_and_arrows(fig)
    assert any(t.startswith("X\nPlaceholder\n(None, 3)") for t in boxes)
    assert any("MatMul" in t for t in boxes) and any("Sigmoid" in t for t in boxes)
    assert arrows >= 5
    with pytest.raises(ValueError, match="tf.Graph"):
        nb00.tensorflow_graph(traced)
