"""Each plotting helper draws a labelled figure and rejects wrongly shaped input clearly."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def labelled(fig):
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    return all(ax.get_xlabel() and ax.get_ylabel() for ax in axes if ax.has_data())


HIST = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9],
        "val_accuracy": [0.4, 0.7, 0.8]}


def test_training_curves_one_and_many():
    fig = plots.training_curves(HIST)
    assert len(fig.axes) == 2 and labelled(fig)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    fig = plots.training_curves({"dense": HIST, "cnn": HIST}, metrics=["loss"])
    assert len(fig.axes[0].lines) == 4


def test_a_one_epoch_history_is_still_visible():
    fig = plots.training_curves({"loss": [0.9], "val_loss": [1.1]}, metrics=["loss"])
    assert all(line.get_marker() == "o" for line in fig.axes[0].lines)


def test_epoch_ticks_are_whole_numbers():
    fig = plots.training_curves({"loss": list(np.linspace(2, 0.1, 18))}, metrics=["loss"])
    fig.canvas.draw()
    ticks = [t for t in fig.axes[0].get_xticks() if 1 <= t <= 18]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_confusion_matrix_colour_bar_does_not_overhang_the_matrix():
    fig = plots.confusion_matrix([0, 1, 2, 2], [0, 1, 2, 1])
    fig.canvas.draw()
    matrix, bar = fig.axes[0].get_position(), fig.axes[1].get_position()
    assert bar.height <= matrix.height + 1e-6


def test_training_curves_accepts_a_keras_history():
    class History:
        history = HIST

    assert len(plots.training_curves(History()).axes) == 2


@pytest.mark.parametrize("bad", [{}, [1, 2], None])
def test_training_curves_bad_input(bad):
    with pytest.raises(ValueError, match="History"):
        plots.training_curves(bad)


def test_training_curves_unknown_metric():
    with pytest.raises(ValueError, match="not in the history"):
        plots.training_curves(HIST, metrics=["auc"])


def test_image_grid_marks_mistakes_red():
    x = np.random.rand(6, 8, 8)
    fig = plots.image_grid(x, labels=[0, 1, 2, 3, 4, 5], predictions=[0, 1, 2, 3, 4, 9], ncols=3)
    titles = [ax.title for ax in fig.axes if ax.get_title()]
    assert len(titles) == 6
    assert titles[-1].get_text() == "9 (5)" and titles[-1].get_color() == "crimson"


def test_image_grid_rgb_uint8_and_class_names():
    x = (np.random.rand(3, 32, 32, 3) * 255).astype(np.uint8)
    fig = plots.image_grid(x, labels=[0, 1, 2], class_names=["cat", "dog", "car"])
    assert [ax.get_title() for ax in fig.axes[:3]] == ["cat", "dog", "car"]


@pytest.mark.parametrize("shape", [(8, 8), (2, 8, 8, 2), (0, 8, 8)])
def test_image_grid_bad_shapes(shape):
    with pytest.raises(ValueError, match="expected a non-empty batch of shape"):
        plots.image_grid(np.zeros(shape))


def test_image_grid_label_count_mismatch():
    with pytest.raises(ValueError, match="labels has 2 entries for 3 images"):
        plots.image_grid(np.zeros((3, 4, 4)), labels=[1, 2])


def test_decision_boundary():
    X = np.random.randn(40, 2)
    y = (X[:, 0] > 0).astype(int)
    fig = plots.decision_boundary(lambda g: (g[:, 0] > 0).astype(float), X, y, title="t")
    assert labelled(fig) and fig.axes[0].get_title() == "t"


def test_decision_boundary_bad_input():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plots.decision_boundary(lambda g: g[:, 0], np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="5 rows but y has 4"):
        plots.decision_boundary(lambda g: g[:, 0], np.zeros((5, 2)), np.zeros(4))


def test_confusion_matrix_counts():
    fig = plots.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], normalize=False)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "predicted" and ax.get_ylabel() == "true"
    texts = sorted(t.get_text() for t in ax.texts if t.get_text())
    assert texts == ["1", "1", "1", "1"]  # the five empty cells stay blank
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert fig.axes[1].get_ylabel() == "count"


def test_confusion_matrix_normalises_rows_on_a_fixed_scale():
    """Rows are fractions of the true class (a class the test set lacks is a row of zeros, not NaN);
    the colour scale is 0..1 so two matrices can be compared by eye."""
    fig = plots.confusion_matrix([0, 1, 1, 1, 1], [0, 1, 1, 1, 0], class_names=["cat", "dog", "frog"])
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.images[0].get_array(), [[1, 0, 0], [0.25, 0.75, 0], [0, 0, 0]])
    assert ax.images[0].get_clim() == (0, 1)
    grid = np.array([t.get_text() for t in ax.texts]).reshape(3, 3)
    assert grid[1].tolist() == ["0.25", "0.75", ""] and grid[2].tolist() == ["", "", ""]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "frog"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cat", "dog", "frog"]
    assert fig.axes[1].get_ylabel() == "fraction of the true class"


def test_confusion_matrix_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.confusion_matrix([0, 1], [1, 1], ax=right, title="right") is fig
    assert right.get_title() == "right" and not left.images


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match="same length"):
        plots.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="integers in 0..1"):
        plots.confusion_matrix([0, 2], [0, 1], class_names=["a", "b"])


def test_bar_compare():
    fig = plots.bar_compare({"dense": 0.45, "cnn": 0.8}, reference={"outline": 0.452}, ylabel="accuracy")
    assert fig.axes[0].get_ylabel() == "accuracy"
    with pytest.raises(ValueError):
        plots.bar_compare({})
