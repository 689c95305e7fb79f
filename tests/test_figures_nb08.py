"""Figures of notebook 08 · Transformers: attention maps over characters, validation curves."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.figures import nb08  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def causal_weights(n, seed=0, heads=None):
    rng = np.random.default_rng(seed)
    shape = (n, n) if heads is None else (*heads, n, n)
    s = np.where(np.tril(np.ones((n, n), dtype=bool)), rng.normal(size=shape), -np.inf)
    w = np.exp(s - s.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


def test_show_chars_makes_spaces_and_newlines_visible():
    assert nb08.show_chars("a b\n") == ["a", "␣", "b", "↵"]
    assert nb08.show_chars(["x", " "]) == ["x", "␣"]
    with pytest.raises(ValueError, match="single characters"):
        nb08.show_chars(["ab", "c"])


def test_attention_map_labels_rows_and_columns_with_the_characters():
    fig = nb08.attention_map(causal_weights(5), "hi yo", title="head 0")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["h", "i", "␣", "y", "o"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["h", "i", "␣", "y", "o"]
    shown = ax.images[0].get_array()
    assert shown.shape == (5, 5) and np.allclose(np.triu(shown, 1), 0)
    assert ax.get_title() == "head 0" and len(fig.axes) == 2  # the map and its colour bar


@pytest.mark.parametrize("weights, tokens, match", [
    (np.ones((3, 4)) / 4, "abc", "square"),
    (np.eye(3), "abcd", "4 characters"),
    (np.full((3, 3), 0.5), "abc", "sum to 1"),
    (np.array([[1.0, 0, 0], [np.nan, 1, 0], [0, 0, 1]]), "abc", "finite"),
    (np.array([[1.5, -0.5], [0, 1.0]]), "ab", "non-negative"),
])
def test_attention_map_bad_input(weights, tokens, match):
    with pytest.raises(ValueError, match=match):
        nb08.attention_map(weights, tokens)


def test_attention_heads_one_panel_per_block_and_head():
    fig = nb08.attention_heads(causal_weights(6, heads=(2, 4)), "abc de", row_labels=["block 0", "block 1"])
    maps = [ax for ax in fig.axes if ax.images]
    assert len(maps) == 8 and maps[0].get_ylabel() == "block 0" and maps[4].get_ylabel() == "block 1"
    assert [ax.get_title() for ax in maps[:4]] == ["head 0", "head 1", "head 2", "head 3"]
    assert len([ax for ax in nb08.attention_heads(causal_weights(6, heads=(3,)), "abc de").axes if ax.images]) == 3


def test_attention_heads_bad_input():
    with pytest.raises(ValueError, match="6 positions"):
        nb08.attention_heads(causal_weights(6, heads=(1, 2)), "abc")
    with pytest.raises(ValueError, match="row labels"):
        nb08.attention_heads(causal_weights(6, heads=(2, 2)), "abcdef", row_labels=["only one"])
    with pytest.raises(ValueError, match="shape"):
        nb08.attention_heads(causal_weights(4, heads=(1, 1, 1)), "abcd")


def test_validation_curves_one_line_per_model_and_baseline():
    fig = nb08.validation_curves({"LSTM": [2.5, 2.1, 1.9], "transformer": [2.4, 2.0]},
                                 {"bigram": 2.6, "uniform": 4.5}, title="loss")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["LSTM", "transformer", "bigram", "uniform"]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3] and ax.lines[2].get_ydata()[0] == 2.6
    assert ax.get_xlabel() == "epoch" and "nats" in ax.get_ylabel()


@pytest.mark.parametrize("curves, match", [({}, "non-empty"), ([1.0, 2.0], "non-empty"),
                                           ({"a": []}, "'a'"), ({"a": [1.0, float("nan")]}, "'a'"),
                                           ({"a": [[1.0]]}, "'a'")])
def test_validation_curves_bad_input(curves, match):
    with pytest.raises(ValueError, match=match):
        nb08.validation_curves(curves)
