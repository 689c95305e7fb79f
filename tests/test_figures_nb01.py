"""Figures of 01 · The perceptron: activation functions and the loss surface with descent paths."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.figures import nb01  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_activations():
    fig = nb01.activations()
    assert [ax.get_title() for ax in fig.axes] == ["step", "sigmoid", "tanh", "relu"]
    with pytest.raises(ValueError, match="unknown activation"):
        nb01.activations(["swish2"])


def test_activation_derivatives_are_the_right_curves():
    z = np.linspace(-3, 3, 601)
    fig = nb01.activations(("step", "sigmoid", "relu"), derivatives=True, z=z)
    step, sigmoid, relu = ({line.get_label(): line for line in ax.lines} for ax in fig.axes)
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(sigmoid["sigmoid(z)"].get_ydata(), s)
    # np.gradient: central differences inside, one-sided (less accurate) at the two ends
    np.testing.assert_allclose(sigmoid["derivative"].get_ydata()[1:-1], (s * (1 - s))[1:-1], atol=1e-4)
    d_step = np.asarray(step["derivative"].get_ydata(), dtype=float)
    assert np.isnan(d_step[np.abs(z) < 0.01]).all()        # no spike at the jump: a gap
    assert np.nanmax(np.abs(d_step)) < 1e-9                 # flat everywhere else
    d_relu = np.asarray(relu["derivative"].get_ydata(), dtype=float)
    assert np.allclose(d_relu[z < -0.1], 0) and np.allclose(d_relu[z > 0.1], 1)


def test_activations_without_derivatives():
    fig = nb01.activations(("tanh",), derivatives=False)
    assert [line.get_label() for line in fig.axes[0].lines if not line.get_label().startswith("_")] == ["tanh(z)"]


def test_loss_surface_with_paths():
    fig = nb01.loss_surface(lambda a, b: a**2 + 3 * b**2,
                            paths={"lr=0.1": np.array([[2.0, 2.0], [1.6, 0.8], [1.3, 0.3]])})
    ax = fig.axes[0]
    assert ax.get_xlabel() == "w₁" and len(ax.lines) == 1


def test_loss_surface_clips_a_path_that_leaves_the_window():
    path = np.array([[0.0, 0.0], [50.0, -40.0], [1.0, 1.0]])
    fig = nb01.loss_surface(lambda a, b: a**2 + b**2, paths={"too large": path}, xlim=(-3, 3), ylim=(-2, 2))
    line = fig.axes[0].lines[0]
    np.testing.assert_array_equal(line.get_xdata(), [0.0, 3.0, 1.0])
    np.testing.assert_array_equal(line.get_ydata(), [0.0, -2.0, 1.0])
    assert fig.axes[0].get_xlim() == (-3, 3)


def test_loss_surface_draws_into_a_given_axes():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    out = nb01.loss_surface(lambda a, b: a**2 + b**2, ax=ax2, title="right panel", log=False)
    assert out is fig and ax2.get_title() == "right panel" and not ax1.collections


def test_loss_surface_bad_input():
    with pytest.raises(ValueError, match="shaped like its grids"):
        nb01.loss_surface(lambda a, b: 1.0)
    with pytest.raises(ValueError, match=r"shape \(steps, 2\)"):
        nb01.loss_surface(lambda a, b: a * b, paths={"p": np.zeros((3, 3))})
