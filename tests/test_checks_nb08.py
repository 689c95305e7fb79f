"""Self-checks of notebook 08: right answers pass, starters are "not attempted", wrong ones explain."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed


def right_mask(n):
    return np.tril(np.ones((n, n), dtype=bool))


def test_causal_mask_accepts_right_answers(capsys):
    assert checks.causal_mask(right_mask)
    assert checks.causal_mask(lambda n: np.tril(np.ones((n, n))))            # 1/0 floats are fine
    assert checks.causal_mask(lambda n: np.arange(n)[None, :] <= np.arange(n)[:, None])
    assert checks.causal_mask(lambda n: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


def test_causal_mask_accepts_a_keras_tensor():
    keras = pytest.importorskip("keras")
    assert checks.causal_mask(lambda n: keras.ops.tril(keras.ops.ones((n, n))))


@pytest.mark.parametrize("fn, hint", [
    (lambda n: np.triu(np.ones((n, n), dtype=bool)), "transposed"),
    (lambda n: np.ones((n, n), dtype=bool), "no mask at all"),
    (lambda n: np.tril(np.ones((n, n), dtype=bool), k=-1), "diagonal"),
    (lambda n: np.tril(np.ones((n, n), dtype=bool), k=1), "off by one"),
    (lambda n: ~np.tril(np.ones((n, n), dtype=bool)), "swapped"),
    (lambda n: np.tril(np.ones((n, n + 1), dtype=bool)), "shape"),
    (lambda n: np.tril(np.full((n, n), 0.5)), "True/False"),
    (lambda n: np.tril(np.ones((n, n), dtype=bool)) if n != 7 else np.eye(n, dtype=bool), r"\[1, 0\]"),
    (lambda n: 1 / 0, "ZeroDivisionError"),
    (right_mask(4), "without calling it"),
])
def test_causal_mask_wrong_answers_explain(fn, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.causal_mask(fn)


def test_sqrt_d_prediction(capsys):
    assert checks.sqrt_d_prediction("b")
    assert checks.sqrt_d_prediction(" (B) ")
    assert checks.sqrt_d_prediction("?") is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [("a", "other way round"), ("c", "not scale-invariant"),
                                          ("d", "one letter"), (2, "one letter")])
def test_sqrt_d_prediction_wrong_answers_explain(answer, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.sqrt_d_prediction(answer)


def test_sqrt_d_right_answer_is_what_the_measurement_shows():
    """The option the check accepts is what exercise 2's measurement prints: unscaled rows are peaked."""
    rng = np.random.default_rng(0)
    d = 64
    scores = rng.normal(size=(500, d)) @ rng.normal(size=(80, d)).T

    def largest(s):
        w = np.exp(s - s.max(axis=1, keepdims=True))
        return (w / w.sum(axis=1, keepdims=True)).max(axis=1).mean()

    assert largest(scores) > 0.5 > 2 * largest(scores / np.sqrt(d))


def test_block_parameters(capsys):
    assert checks.block_parameters(198_272)
    assert checks.block_parameters("198,272")
    assert checks.block_parameters(198272.0)
    assert checks.block_parameters("?") is False
    assert "Not attempted yet" in capsys.readouterr().out


def test_block_parameters_is_what_keras_counts():
    keras = pytest.importorskip("keras")
    q = checks.BLOCK_QUESTION
    width, ff = q["width"], q["feed_forward_width"]
    x = keras.Input((None, width))
    attention = keras.layers.MultiHeadAttention(num_heads=q["heads"], key_dim=width // q["heads"])
    norm1, norm2 = keras.layers.LayerNormalization(), keras.layers.LayerNormalization()
    h = x + attention(norm1(x), norm1(x))
    h = h + keras.layers.Dense(width)(keras.layers.Dense(ff, activation="gelu")(norm2(h)))
    assert checks.block_parameters(keras.Model(x, h).count_params())


@pytest.mark.parametrize("answer, hint", [
    (198_272 - 512, "LayerNormalization"),
    (4 * 128 * 128 + 2 * 128 * 512 + 512, "biases"),
    (4 * 128 * 128 + 2 * 128 * 512, "weight matrices only"),
    (198_272 - 128 * 128 - 128, "output projection"),
    (198_272 + 3 * 66_048, "share the projections"),
    (66_048, "attention alone"),
    (131_712, "feed-forward network alone"),
    (12345, "part by part"),
    (198_272.5, "whole number"),
    ("many", "whole number"),
    (True, "whole number"),
])
def test_block_parameters_wrong_answers_explain(answer, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.block_parameters(answer)
