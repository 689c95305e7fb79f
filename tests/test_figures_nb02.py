"""Plot helper added for 02 · Multilayer networks: hidden_units."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils.figures import nb02  # noqa: E402


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
    fig = nb02.hidden_units(hidden, X, Y, output=output, resolution=20, title="XOR")
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in _panels(fig)]
    assert titles == ["hidden unit 1", "hidden unit 2", "hidden unit 3", "network output"]
    assert fig._suptitle.get_text() == "XOR"
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)


def test_without_output_and_one_dimensional_hidden():
    fig = nb02.hidden_units(lambda P: P[:, 0], X, Y, resolution=10)
    assert [ax.get_title() for ax in _panels(fig)] == ["hidden unit 1"]


def test_panels_wrap_into_rows_and_labels_axes():
    fig = nb02.hidden_units(lambda P: np.tanh(P @ np.ones((2, 7))), X, Y, output=output,
                             resolution=10, ncols=4)
    panels = _panels(fig)
    assert len(panels) == 8
    assert fig.get_size_inches()[1] > 5  # two rows
    assert all(ax.get_xlabel() == "x₁" for ax in panels[4:])
    assert panels[0].get_ylabel() == "x₂" and panels[4].get_ylabel() == "x₂"


def test_constant_unit_does_not_break_the_colour_scale():
    fig = nb02.hidden_units(lambda P: np.zeros((len(P), 2)), X, Y, output=lambda P: np.full(len(P), 0.3),
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
        nb02.hidden_units(**args)


# -- activation_spread (section "Initialization: keeping the signal alive") -----------------

SPREADS = {"relu": {"too small": [1e-1, 1e-3, 1e-5], "He": [0.3, 0.3, 0.29]},
           "tanh": {"Glorot": [0.4, 0.35, 0.3]}}


def test_activation_spread_one_panel_per_activation_one_line_per_initializer():
    fig = nb02.activation_spread(SPREADS, title="init")
    assert [ax.get_title() for ax in fig.axes] == ["relu network", "tanh network"]
    assert [len(ax.get_lines()) for ax in fig.axes] == [2, 1]
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [1e-1, 1e-3, 1e-5])
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_xdata(), [1, 2, 3])  # layers from 1
    assert fig._suptitle.get_text() == "init"


@pytest.mark.parametrize(("spreads", "message"), [
    ({}, "at least one initializer"),
    ({"relu": {}}, "at least one initializer"),
    ({"relu": {"He": []}}, "non-empty"),
    ({"relu": {"He": [0.3, 0.0]}}, "positive and finite"),
    ({"relu": {"He": [0.3, float("nan")]}}, "positive and finite"),
])
def test_activation_spread_bad_input_is_a_clear_error(spreads, message):
    with pytest.raises(ValueError, match=message):
        nb02.activation_spread(spreads)


# -- weight_histograms (section "Overfitting and its cures") --------------------------------

def test_weight_histograms_pools_arrays_and_names_the_sizes():
    small = [np.full((3, 4), 0.1), np.full(5, -0.1)]
    big = np.array([[3.0, -4.0]])
    fig = nb02.weight_histograms({"decayed": small, "plain": big}, bins=10, title="weights")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [f"decayed: size {np.sqrt(17 * 0.01):.1f}", "plain: size 5.0"]
    assert ax.get_yscale() == "log" and ax.get_title() == "weights"
    assert len(ax.patches) == 2


@pytest.mark.parametrize(("weights", "kwargs", "message"), [
    ({}, {}, "empty"),
    ({"a": []}, {}, "no weights"),
    ({"a": np.zeros((0, 3))}, {}, "no weights"),
    ({"a": np.array([1.0, np.inf])}, {}, "NaN or inf"),
    ({"a": np.ones(3)}, {"bins": 1}, "bins"),
])
def test_weight_histograms_bad_input_is_a_clear_error(weights, kwargs, message):
    with pytest.raises(ValueError, match=message):
        nb02.weight_histograms(weights, **kwargs)
