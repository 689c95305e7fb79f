"""Plot helpers added for notebook 06 · GANs: snapshot grids and losses on one axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.figures import nb06  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_snapshot_grids_one_panel_per_snapshot():
    rng = np.random.default_rng(0)
    snaps = {"step 0": rng.uniform(size=(16, 8, 8)), "step 100": rng.uniform(size=(10, 8, 8, 1))}
    fig = nb06.snapshot_grids(snaps, title="over training")
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["step 0", "step 100"]
    assert fig.axes[0].images[0].get_array().shape == (4 * 9 - 1, 4 * 9 - 1)


@pytest.mark.parametrize("bad", [{}, {"a": np.zeros((3, 8))}, {"a": np.zeros((0, 8, 8))}, [np.zeros((2, 8, 8))]])
def test_snapshot_grids_bad_input(bad):
    with pytest.raises(ValueError):
        nb06.snapshot_grids(bad)


def test_losses_together_one_axes_with_reference():
    hist = {"d_loss": [1.3, 1.2, 1.25], "g_loss": [0.7, 0.9, 0.8]}
    fig = nb06.losses_together(hist, ["d_loss", "g_loss"], steps_per_epoch=100,
                                reference={"2 ln 2": 1.386}, title="losses")
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and ax.get_xlabel() == "training step" and ax.get_ylabel() == "loss"
    assert list(ax.lines[0].get_xdata()) == [100, 200, 300]
    assert len(ax.lines) == 3  # two losses and the reference line


def test_losses_together_bad_input():
    with pytest.raises(ValueError, match="not in the history"):
        nb06.losses_together({"loss": [1.0]}, ["d_loss"])
    with pytest.raises(ValueError, match="at least one"):
        nb06.losses_together({"loss": [1.0]}, [])
    with pytest.raises(ValueError, match="steps_per_epoch"):
        nb06.losses_together({"loss": [1.0]}, ["loss"], steps_per_epoch=0)
    with pytest.raises(ValueError, match="History"):
        nb06.losses_together(42, ["loss"])
