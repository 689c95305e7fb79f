"""Plot helpers added for 03 · Convolutional networks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils import plots  # noqa: E402
from course_utils.figures import nb03  # noqa: E402

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_filter_responses_list_and_array():
    img = RNG.random((20, 30, 3))
    fig = nb03.filter_responses(img, [RNG.random((20, 30)), RNG.random((10, 15, 1))], ["a", "b"], title="t")
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert fig.axes[2].get_xlabel() == "10×15"
    fig = nb03.filter_responses((img * 255).astype(np.uint8)[..., 0], RNG.random((20, 30, 4)))
    assert len(fig.axes) == 5
    fig = nb03.filter_responses(img, [np.zeros((5, 5))])   # a flat map must not break the scale
    assert len(fig.axes) == 2


@pytest.mark.parametrize("image, responses, titles, match", [
    (np.zeros((4, 4, 2)), [np.zeros((4, 4))], None, "image"),
    (np.zeros((4, 4)), [], None, "empty"),
    (np.zeros((4, 4)), [np.zeros((2, 2, 2))], None, r"responses\[0\]"),
    (np.zeros((4, 4)), [np.zeros((4, 4))], ["a", "b"], "titles"),
])
def test_filter_responses_bad_input(image, responses, titles, match):
    with pytest.raises(ValueError, match=match):
        nb03.filter_responses(image, responses, titles)


def test_conv_filters_rgb_and_single_channel():
    fig = nb03.conv_filters(RNG.normal(size=(3, 3, 3, 10)), ncols=4, title="filters")
    grid = fig.axes[0].get_images()[0].get_array()
    assert grid.shape[:2] == (3 * 4 - 1, 4 * 4 - 1)  # 3 rows × 4 columns of 3×3 tiles, 1-pixel gaps
    assert np.all(grid[-3:, -7:] == 1.0)             # the two empty places stay white
    assert 0.0 <= grid.min() and grid.max() <= 1.0   # each filter scaled to [0, 1]
    fig = nb03.conv_filters(RNG.normal(size=(5, 5, 1, 3)))
    assert fig.axes[0].get_images()[0].get_array().shape[:2] == (5, 3 * 6 - 1)
    fig = nb03.conv_filters(np.zeros((3, 3, 1, 2)))  # all-zero filters draw without error
    assert len(fig.axes) == 1


@pytest.mark.parametrize("shape", [(3, 3, 3), (3, 3, 3, 0), (9, 8)])
def test_conv_filters_bad_shape(shape):
    with pytest.raises(ValueError, match="kernel"):
        nb03.conv_filters(np.zeros(shape))


def test_feature_maps():
    maps = {"block 1": RNG.random((1, 16, 16, 8)), "block 2": RNG.random((8, 8, 4))}
    fig = nb03.feature_maps(maps, n=6, image=RNG.random((32, 32, 3)), title="maps")
    assert len(fig.axes) == 2 * 2   # per row: the input's place and one strip of maps
    assert "block 2" in fig.axes[3].get_ylabel() and "8×8×4" in fig.axes[3].get_ylabel()
    assert fig.axes[0].get_title() == "input"
    # block 1: six 16×16 maps in a strip; block 2 has only four channels, so four maps
    assert fig.axes[1].get_images()[0].get_array().shape[:2] == (16, 6 * 17 - 1)
    assert fig.axes[3].get_images()[0].get_array().shape[:2] == (8, 6 * 9 - 1)   # two places left white
    fig = nb03.feature_maps({"only": RNG.random((4, 4, 2))}, n=3)
    assert len(fig.axes) == 2
    fig = nb03.feature_maps({"flat": np.zeros((4, 4, 2))}, n=2)   # a flat map must not divide by zero
    assert np.isfinite(fig.axes[1].get_images()[0].get_array()).all()


def test_feature_maps_bad_input():
    with pytest.raises(ValueError, match="empty"):
        nb03.feature_maps({})
    with pytest.raises(ValueError, match="one image"):
        nb03.feature_maps({"x": np.zeros((2, 4, 4, 3))})
    with pytest.raises(ValueError, match="n must"):
        nb03.feature_maps({"x": np.zeros((4, 4, 3))}, n=0)


def test_top_k_prediction():
    names = [f"class {i}" for i in range(10)]
    p = np.linspace(0, 1, 10)
    p /= p.sum()
    fig = plots.top_k_prediction(RNG.integers(0, 256, (60, 80, 3), dtype=np.uint8),
                                 RNG.random((32, 32, 3)), p, names, k=3, title="t")
    bars = fig.axes[2].patches
    assert len(bars) == 3
    labels = [t.get_text() for t in fig.axes[2].get_yticklabels()]
    assert labels[-1] == "class 9"   # the most likely class is on top


def test_top_k_prediction_bad_input():
    img = np.zeros((8, 8, 3))
    with pytest.raises(ValueError, match="probabilities"):
        plots.top_k_prediction(img, img, [0.5, 0.5], ["a", "b", "c"])
    with pytest.raises(ValueError, match="k must"):
        plots.top_k_prediction(img, img, [0.5, 0.5], ["a", "b"], k=3)
    with pytest.raises(ValueError, match="original"):
        plots.top_k_prediction(np.zeros((8, 8)), img, [1.0], ["a"], k=1)


def test_crop_is_the_receptive_field_around_the_unit():
    img = np.zeros((32, 32, 3))
    img[8:16, 8:16] = 1.0   # the 8×8 window that unit (1, 1) of a layer with jump 8 covers
    patch = nb03._crop(img, 1, 1, 8, 8)
    assert patch.shape == (8, 8, 3) and patch.min() == 1.0
    patch = nb03._crop(img, 0, 0, 18, 4)   # a corner unit: the part outside the image is grey
    assert patch.shape == (18, 18, 3)
    assert np.all(patch[:7, :7] == 0.5) and np.all(patch[7, 7] == 0.0) and np.all(patch[-1, -1] == 1.0)


def test_strongest_patches():
    images = RNG.random((12, 32, 32, 3))
    acts = {"block 1": (RNG.random((12, 32, 32, 4)), 3, 1), "block 3": (RNG.random((12, 8, 8, 6)), 18, 4)}
    fig = nb03.strongest_patches(images, acts, channels=3, k=5, title="t")
    assert len(fig.axes) == 2
    assert "18×18" in fig.axes[1].get_title()
    mosaic = fig.axes[0].get_images()[0].get_array()
    assert mosaic.shape[:2] == (3 * (3 * 8 + 2), 5 * (3 * 8 + 2))   # 3-pixel patches drawn 8× bigger


@pytest.mark.parametrize("images, layers, match", [
    (np.zeros((4, 32, 32)), {"a": (np.zeros((4, 8, 8, 2)), 3, 1)}, "images"),
    (np.zeros((4, 32, 32, 3)), {}, "empty"),
    (np.zeros((4, 32, 32, 3)), {"a": (np.zeros((3, 8, 8, 2)), 3, 1)}, "a: activations"),
])
def test_strongest_patches_bad_input(images, layers, match):
    with pytest.raises(ValueError, match=match):
        nb03.strongest_patches(images, layers)


def test_class_activation_maps():
    images, maps = RNG.random((4, 32, 32, 3)), RNG.normal(size=(4, 32, 32))
    masks = np.zeros((4, 32, 32))
    masks[:, 8:20, 8:20] = 1
    fig = nb03.class_activation_maps(images, maps, titles=list("abcd"), masks=masks, title="t")
    assert len(fig.axes) == 2                                   # the images, then the maps
    assert [t.get_text() for t in fig.axes[0].texts] == list("abcd")
    assert len(fig.axes[1].collections) >= 1                    # the masks' outlines
    overlay = fig.axes[1].get_images()[0].get_array()
    assert overlay.shape[:2] == (32, 4 * 36 - 4)
    fig = nb03.class_activation_maps(images[:1], np.zeros((1, 32, 32)))   # a flat map draws
    assert np.isfinite(fig.axes[1].get_images()[0].get_array()).all()


@pytest.mark.parametrize("kwargs, match", [
    ({"images": np.zeros((2, 32, 32))}, "images"),
    ({"maps": np.zeros((2, 8, 8))}, "maps"),
    ({"masks": np.zeros((2, 8, 8))}, "masks"),
    ({"titles": ["a"]}, "titles"),
])
def test_class_activation_maps_bad_input(kwargs, match):
    args = {"images": np.zeros((2, 32, 32, 3)), "maps": np.zeros((2, 32, 32))} | kwargs
    with pytest.raises(ValueError, match=match):
        nb03.class_activation_maps(**args)


def test_learning_rate_schedule():
    steps = np.arange(31)
    rates = np.minimum(steps / 3, 1.0) * 1e-3
    fig = nb03.learning_rate_schedule(steps, rates, steps_per_epoch=10, title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 1 + 3                          # the schedule and three epoch ends
    np.testing.assert_allclose(ax.lines[0].get_ydata(), rates)
    assert len(nb03.learning_rate_schedule(steps, rates).axes[0].lines) == 1
    with pytest.raises(ValueError, match="same length"):
        nb03.learning_rate_schedule(steps, rates[:-1])
    with pytest.raises(ValueError, match="steps_per_epoch"):
        nb03.learning_rate_schedule(steps, rates, steps_per_epoch=0)
