"""course_utils.captions: the generated scenes of 07, their captions, cell masks and figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import scenes as scenes_  # noqa: E402
from course_utils.figures import nb07  # noqa: E402


@pytest.fixture(scope="module")
def scenes():
    return scenes_.make_scenes(300, seed=3)


def test_shapes_and_dtypes(scenes):
    n = 300
    assert scenes.images.shape == (n, 48, 48, 3) and scenes.images.dtype == np.float32
    assert 0.0 <= scenes.images.min() and scenes.images.max() <= 1.0
    assert len(scenes) == n and len(scenes.captions) == n
    for a in (scenes.shape, scenes.colour, scenes.size):
        assert a.shape == (n, 3) and a.dtype == np.int64
    assert scenes.n_objects.dtype == np.int64 and set(np.unique(scenes.n_objects)) == {1, 2, 3}
    assert scenes.centre.shape == (n, 3, 2) and scenes.centre.dtype == np.float32
    assert scenes.cell_masks.shape == (n, 3, 6, 6) and scenes.cell_masks.dtype == bool
    assert scenes.grid == 6 and "generated" in scenes.source


def test_same_seed_same_scenes_other_seed_other_scenes():
    a, b = scenes_.make_scenes(50, seed=11), scenes_.make_scenes(50, seed=11)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.cell_masks, b.cell_masks)
    assert a.captions == b.captions
    c = scenes_.make_scenes(50, seed=12)
    assert a.captions != c.captions


def test_caption_grammar_matches_the_scene(scenes):
    colours, sizes = list(scenes_.COLOURS), list(scenes_.SIZES)
    for i, cap in enumerate(scenes.captions):
        k = int(scenes.n_objects[i])
        parts = cap.split(" left of ")
        assert len(parts) == k
        for j, part in enumerate(parts):
            assert part.split() == ["a", sizes[scenes.size[i, j]], colours[scenes.colour[i, j]],
                                    scenes_.SHAPES[scenes.shape[i, j]]]
        assert (scenes.shape[i, k:] == -1).all() and np.isnan(scenes.centre[i, k:]).all()
        xs = scenes.centre[i, :k, 1]
        assert (np.diff(xs) > 0).all(), "objects are described from left to right"
    assert set(" ".join(scenes.captions).split()) <= set(scenes_.vocabulary_words())


def test_caption_of_and_word_objects():
    cap = scenes_.caption_of([0, 1, 2], [0, 2, 3], [0, 1, 0])
    assert cap == "a small red circle left of a large blue square left of a small yellow triangle"
    assert scenes_.word_objects(cap).tolist() == [-1, 0, 0, 0, -1, -1, -1, 1, 1, 1, -1, -1, -1, 2, 2, 2]
    assert scenes_.caption_of([2, -1, -1], [1, -1, -1], [1, -1, -1]) == "a large green triangle"
    with pytest.raises(ValueError, match="at least one object"):
        scenes_.caption_of([-1], [-1], [-1])
    with pytest.raises(ValueError, match="out of range"):
        scenes_.caption_of([5], [0], [0])
    with pytest.raises(ValueError, match="not a caption word"):
        scenes_.word_objects("a small purple circle")


def test_masks_match_the_objects(scenes):
    cell = 48 // 6
    for i in range(len(scenes)):
        k = int(scenes.n_objects[i])
        assert not scenes.cell_masks[i, k:].any(), "absent objects cover no cells"
        for j in range(k):
            m = scenes.cell_masks[i, j]
            r, c = (scenes.centre[i, j] // cell).astype(int)
            assert m[r, c], "an object's mask contains the cell of its centre"
            assert 1 <= m.sum() <= 9, "an object covers a few cells, not the whole grid"
            # the object's colour is there: its centre pixel is close to the palette colour
            rgb = np.array(list(scenes_.COLOURS.values()))[scenes.colour[i, j]]
            cy, cx = scenes.centre[i, j].astype(int)
            assert np.abs(scenes.images[i, cy, cx] - rgb).max() < 0.3


def test_other_sizes_and_fewer_objects():
    s = scenes_.make_scenes(40, seed=0, size=32, grid=4, max_objects=2)
    assert s.images.shape == (40, 32, 32, 3) and s.cell_masks.shape == (40, 3, 4, 4)
    assert s.n_objects.max() <= 2


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n": 0}, ValueError, "n must be at least 1"),
    ({"n": 2.5}, TypeError, "n must be an integer"),
    ({"n": True}, TypeError, "n must be an integer"),
    ({"n": 5, "seed": -1}, ValueError, "seed"),
    ({"n": 5, "size": 50, "grid": 6}, ValueError, "multiple of grid"),
    ({"n": 5, "max_objects": 4}, ValueError, "at most 3"),
    ({"n": 5, "cell_fraction": 0.0}, ValueError, "cell_fraction"),
])
def test_bad_input_is_a_clear_error(kwargs, error, match):
    with pytest.raises(error, match=match):
        scenes_.make_scenes(**kwargs)


def test_figures(scenes):
    fig = nb07.caption_grid(scenes.images[:6], scenes.captions[:6], references=scenes.captions[:5] + ["x"])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.startswith("✗") for t in texts) and any(t.startswith("true:") for t in texts)
    plt.close(fig)
    w = np.full((4, 36), 1 / 36)
    fig = nb07.attention_words(scenes.images[0], ["a", "small", "red", "circle"], w)
    assert [ax.get_title() for ax in fig.axes][:5] == ["the scene", "a", "small", "red", "circle"]
    plt.close(fig)
    fig = nb07.attention_matrix(w, ["a", "b", "c", "d"], [str(i) for i in range(36)])
    plt.close(fig)


def test_figures_bad_input(scenes):
    with pytest.raises(ValueError, match=r"expected a non-empty batch of shape \(n, h, w, 3\)"):
        nb07.caption_grid(scenes.images[:2, ..., 0], ["a", "b"])
    with pytest.raises(ValueError, match="captions has 1 entries"):
        nb07.caption_grid(scenes.images[:2], ["a"])
    with pytest.raises(ValueError, match="words but"):
        nb07.attention_words(scenes.images[0], ["a", "b"], np.ones((3, 36)) / 36)
    with pytest.raises(ValueError, match="square grid"):
        nb07.attention_words(scenes.images[0], ["a"], np.ones((1, 35)) / 35)
    with pytest.raises(ValueError, match="rows"):
        nb07.attention_matrix(np.ones((2, 3)), ["a"], ["x", "y", "z"])
