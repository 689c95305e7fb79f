"""04's figure: each photo beside its top-5 classes."""

import numpy as np
import pytest

from course_utils.figures import nb04


def top(probs):
    return [(f"n{i:08d}", f"class_{i}", p) for i, p in enumerate(probs)]


def test_one_row_per_photo_with_bars_of_the_probabilities():
    photos = np.zeros((2, 8, 8, 3), dtype=np.uint8)
    fig = nb04.top5_predictions(photos, [top([0.7, 0.2, 0.05]), top([0.4, 0.3])], names=["a", "b"],
                                title="t")
    axes = fig.axes
    assert len(axes) == 4
    widths = sorted(b.get_width() for b in axes[1].patches)
    assert widths == pytest.approx([0.05, 0.2, 0.7])
    assert [t.get_text() for t in axes[1].get_yticklabels()] == ["class 2", "class 1", "class 0"]
    assert axes[0].get_title() == "a"


@pytest.mark.parametrize("photos, tops, match", [
    (np.zeros((2, 8, 8)), [top([1.0])] * 2, "batch"),
    (np.zeros((2, 8, 8, 3)), [top([1.0])], "one per photo"),
    (np.zeros((1, 8, 8, 3)), [top([1.5])], "probabilities"),
    (np.zeros((1, 8, 8, 3)), [[]], "non-empty"),
])
def test_bad_input_is_refused(photos, tops, match):
    with pytest.raises(ValueError, match=match):
        nb04.top5_predictions(photos, tops)
