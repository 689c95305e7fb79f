"""Plot helper added for 02 · Multilayer networks: hidden_units."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


RNG = np.random.default_rng(0)
X = RNG.uniform(0, 1, size=(40, 2))
Y = (X[:, 0] > 0.5) ^ (X[:, 1] > 0.5)
W = np.array([[4.0, -4.0, 1.0], [4.0, 4.0, -1.0]])


def hidden(P):
    return np.tanh(P @ W - 2.0)


def output(P):
    return 1 / (1 + np.exp(-hidden(P).sum(1)))


def _panels(fig):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and ax.axison]


def test_one_panel_per_unit_plus_output():
    fig = plots.hidden_units(hidden, X, Y, output=output, resolution=20, title="XOR")
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in _panels(fig)]
    assert titles == ["hidden unit 1", "hidden unit 2", "hidden unit 3", "network output"]
    assert fig._suptitle.get_text() == "XOR"
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)


def test_without_output_and_one_dimensional_hidden():
    fig = plots.hidden_units(lambda P: P[:, 0], X, Y, resolution=10)
    assert [ax.get_title() for ax in _panels(fig)] == ["hidden unit 1"]


def test_panels_wrap_into_rows_and_labels_axes():
    fig = plots.hidden_units(lambda P: np.tanh(P @ np.ones((2, 7))), X, Y, output=output,
                             resolution=10, ncols=4)
    panels = _panels(fig)
    assert len(panels) == 8
    assert fig.get_size_inches()[1] > 5  # two rows
    assert all(ax.get_xlabel() == "x₁" for ax in panels[4:])
    assert panels[0].get_ylabel() == "x₂" and panels[4].get_ylabel() == "x₂"


def test_constant_unit_does_not_break_the_colour_scale():
    fig = plots.hidden_units(lambda P: np.zeros((len(P), 2)), X, Y, output=lambda P: np.full(len(P), 0.3),
                             resolution=10)
    assert len(_panels(fig)) == 3


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"X": np.zeros((5, 3))}, r"shape \(n, 2\)"),
    ({"y": np.zeros(3)}, "labels"),
    ({"X": np.zeros((0, 2)), "y": np.zeros(0)}, "non-empty"),
    ({"resolution": 1}, "resolution"),
    ({"ncols": 0}, "ncols"),
    ({"hidden": lambda P: P[:5]}, "n_points"),
    ({"hidden": lambda P: np.zeros((len(P), 17))}, "1 to 16"),
    ({"output": lambda P: np.zeros((len(P), 2))}, "one probability per point"),
])
def test_bad_input_is_a_clear_error(kwargs, message):
    args = {"hidden": hidden, "X": X, "y": Y, "resolution": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        plots.hidden_units(**args)
