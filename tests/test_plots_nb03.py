"""Plot helpers added for 03 · Convolutional networks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils import plots  # noqa: E402

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_filter_responses_list_and_array():
    img = RNG.random((20, 30, 3))
    fig = plots.filter_responses(img, [RNG.random((20, 30)), RNG.random((10, 15, 1))], ["a", "b"], title="t")
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert fig.axes[2].get_xlabel() == "10×15"
    fig = plots.filter_responses((img * 255).astype(np.uint8)[..., 0], RNG.random((20, 30, 4)))
    assert len(fig.axes) == 5
    fig = plots.filter_responses(img, [np.zeros((5, 5))])   # a flat map must not break the scale
    assert len(fig.axes) == 2


@pytest.mark.parametrize("image, responses, titles, match", [
    (np.zeros((4, 4, 2)), [np.zeros((4, 4))], None, "image"),
    (np.zeros((4, 4)), [], None, "empty"),
    (np.zeros((4, 4)), [np.zeros((2, 2, 2))], None, r"responses\[0\]"),
    (np.zeros((4, 4)), [np.zeros((4, 4))], ["a", "b"], "titles"),
])
def test_filter_responses_bad_input(image, responses, titles, match):
    with pytest.raises(ValueError, match=match):
        plots.filter_responses(image, responses, titles)


def test_conv_filters_rgb_and_single_channel():
    fig = plots.conv_filters(RNG.normal(size=(3, 3, 3, 10)), ncols=4, title="filters")
    assert len(fig.axes) == 12  # 3 rows × 4 columns, 2 left empty
    fig = plots.conv_filters(RNG.normal(size=(5, 5, 1, 3)))
    assert len(fig.axes) == 3
    fig = plots.conv_filters(np.zeros((3, 3, 1, 2)))  # all-zero filters draw without error
    assert len(fig.axes) == 2


@pytest.mark.parametrize("shape", [(3, 3, 3), (3, 3, 3, 0), (9, 8)])
def test_conv_filters_bad_shape(shape):
    with pytest.raises(ValueError, match="kernel"):
        plots.conv_filters(np.zeros(shape))


def test_feature_maps():
    maps = {"block 1": RNG.random((1, 16, 16, 8)), "block 2": RNG.random((8, 8, 4))}
    fig = plots.feature_maps(maps, n=6, image=RNG.random((32, 32, 3)), title="maps")
    assert len(fig.axes) == 2 * 7
    assert "block 2" in fig.axes[7 + 1].get_ylabel() and "8×8×4" in fig.axes[7 + 1].get_ylabel()
    fig = plots.feature_maps({"only": RNG.random((4, 4, 2))}, n=3)
    assert len(fig.axes) == 3


def test_feature_maps_bad_input():
    with pytest.raises(ValueError, match="empty"):
        plots.feature_maps({})
    with pytest.raises(ValueError, match="one image"):
        plots.feature_maps({"x": np.zeros((2, 4, 4, 3))})
    with pytest.raises(ValueError, match="n must"):
        plots.feature_maps({"x": np.zeros((4, 4, 3))}, n=0)


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
