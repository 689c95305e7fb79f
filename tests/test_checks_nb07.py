"""Self-checks of notebook 07: right answers pass, starters are "not attempted", wrong ones explain."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed

RIGHT_SHAPES = {"keys": (32, 36, 64), "queries": (32, 17, 64), "scores": (32, 17, 36),
                "weights": (32, 17, 36), "context": (32, 17, 64)}


def test_attention_shapes(capsys):
    assert checks.attention_shapes(RIGHT_SHAPES)
    assert checks.attention_shapes({k: list(v) for k, v in RIGHT_SHAPES.items()})  # lists are fine
    assert checks.attention_shapes({k: "?" for k in RIGHT_SHAPES}) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("change, hint", [
    ({"scores": (32, 36, 17)}, "swapped"),
    ({"context": (32, 17, 96)}, "features"),
    ({"keys": (32, 6, 6, 64)}, "flattened"),
    ({"queries": (32, 17, 96)}, "attention size"),
    ({"weights": (32, 17)}, "expected 3 axes"),
    ({"weights": "?"}, "not a shape"),
])
def test_attention_shapes_wrong_answers_explain(change, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.attention_shapes({**RIGHT_SHAPES, **change})
    with pytest.raises(CheckFailed, match="missing"):
        checks.attention_shapes({"keys": (32, 36, 64)})


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def right_attention(f, h, W1, W2, v):
    w = softmax(np.tanh((h @ W2)[:, None, :] + (f @ W1)[None, :, :]) @ v, axis=1)
    return w @ f, w


def test_additive_attention(capsys):
    assert checks.additive_attention(right_attention)
    assert checks.additive_attention(lambda *a: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


def wrong_axis(f, h, W1, W2, v):
    w = softmax(np.tanh((h @ W2)[:, None, :] + (f @ W1)[None, :, :]) @ v, axis=0)
    return w @ f, w


def no_tanh(f, h, W1, W2, v):
    w = softmax(((h @ W2)[:, None, :] + (f @ W1)[None, :, :]) @ v, axis=1)
    return w @ f, w


def keys_as_context(f, h, W1, W2, v):
    _, w = right_attention(f, h, W1, W2, v)
    return w @ (f @ W1), w


@pytest.mark.parametrize("fn, hint", [
    (wrong_axis, "over the cells"),
    (no_tanh, "tanh is missing"),
    (keys_as_context, "context"),
    (lambda f, h, W1, W2, v: right_attention(f, h, W1, W2, v)[1], "two things"),
    (lambda f, h, W1, W2, v: (np.zeros((4, 5)), np.zeros((9, 4))), "shape"),
    (lambda f, h, W1, W2, v: (np.zeros((4, 5)), np.full((4, 9), 0.2)), "sum to 1"),
    (lambda f, h, W1, W2, v: right_attention(f, h, W1 * 2, W2, v), "differ"),
    (lambda f, h, W1, W2, v: 1 / 0, "ZeroDivisionError"),
    (3, "without calling it"),
])
def test_additive_attention_wrong_answers_explain(fn, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.additive_attention(fn)


def right_precision(c, r, n):
    cand = Counter(tuple(c[i:i + n]) for i in range(len(c) - n + 1))
    ref = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
    total = sum(cand.values())
    return sum(min(k, ref[g]) for g, k in cand.items()) / total if total else 0.0


def unclipped(c, r, n):
    grams = [tuple(c[i:i + n]) for i in range(len(c) - n + 1)]
    ref = {tuple(r[i:i + n]) for i in range(len(r) - n + 1)}
    return sum(g in ref for g in grams) / len(grams) if grams else 0.0


def test_clipped_ngram_precision(capsys):
    assert checks.clipped_ngram_precision(right_precision)
    assert checks.clipped_ngram_precision(lambda c, r, n: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("fn, hint", [
    (unclipped, "Without clipping"),
    (lambda c, r, n: right_precision(c, r, n) if len(c) >= n else 1 / 0, "raised ZeroDivisionError"),
    (lambda c, r, n: right_precision(c, r, n) if len(c) >= n else 1.0, "no 3-grams"),
    (lambda c, r, n: right_precision(c, r, 1), "expected"),
    (lambda c, r, n: "high", "a number"),
    ("fn", "without calling it"),
])
def test_clipped_ngram_precision_wrong_answers_explain(fn, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.clipped_ngram_precision(fn)
