"""Self-checks for notebook 07 · Image captioning with attention.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (``"?"`` answers, or a function that returns
``None``), so the notebook runs top to bottom as committed; a real but wrong
answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ._base import CheckFailed, is_open, not_attempted, passed, require_function

__all__ = ["ATTENTION_SHAPE_QUESTIONS", "attention_shapes", "additive_attention", "clipped_ngram_precision"]

# Exercise 1: batch 32, captions of 17 steps, a 6×6 grid of 64-channel features,
# LSTM states of 96 units, attention size 64.
ATTENTION_SHAPE_QUESTIONS: dict[str, tuple[str, tuple[int, ...]]] = {
    "keys": ("W1(features) + positions", (32, 36, 64)),
    "queries": ("W2(lstm_states)", (32, 17, 64)),
    "scores": ("v(tanh(queries[:, :, None] + keys[:, None]))[..., 0]", (32, 17, 36)),
    "weights": ("softmax(scores, axis=-1)", (32, 17, 36)),
    "context": ("weights @ features", (32, 17, 64)),
}


def _as_shape(value: Any) -> tuple[int, ...] | None:
    try:
        return tuple(int(v) for v in value)
    except (TypeError, ValueError):
        return None


def attention_shapes(answers: Mapping[str, Any]) -> bool:
    """Exercise 1 (section "Attention, in a few lines"): the shapes inside the attention layer.

    ``answers`` maps each key of ``ATTENTION_SHAPE_QUESTIONS`` to a shape
    tuple, for features (32, 36, 64) and LSTM states (32, 17, 96).
    """
    if not isinstance(answers, Mapping):
        raise CheckFailed(f"pass a dict of shapes, got {type(answers).__name__}")
    missing = [k for k in ATTENTION_SHAPE_QUESTIONS if k not in answers]
    if missing:
        raise CheckFailed(f"missing answers for {missing}")
    if all(is_open(answers[k]) for k in ATTENTION_SHAPE_QUESTIONS):
        return not_attempted("replace each \"?\" with a shape tuple, e.g. (32, 36, 64).")
    for key, (expr, want) in ATTENTION_SHAPE_QUESTIONS.items():
        got = _as_shape(answers[key])
        if got is None:
            raise CheckFailed(f"{key}: {answers[key]!r} is not a shape; write a tuple like (32, 17, 36)")
        if got == want:
            continue
        if key in ("scores", "weights") and got == (32, 36, 17):
            raise CheckFailed(f"{key}: the axes are swapped. One row per caption step (17), one weight "
                              "per grid cell (36) in each row: (32, 17, 36).")
        if key == "context" and got[-1] == 96:
            raise CheckFailed("context: a weighted sum of the *feature* vectors has the features' size "
                              "(64), not the LSTM's (96).")
        if key == "keys" and got == (32, 6, 6, 64):
            raise CheckFailed("keys: the grid is flattened to 36 cells before the attention layer.")
        if key == "queries" and got[-1] == 96:
            raise CheckFailed("queries: W2 maps each LSTM state to the attention size (64).")
        raise CheckFailed(f"{key} = {expr}: got {got}, expected {len(want)} axes. Follow the shapes "
                          "through the layer: batch first, then steps and/or cells, features last.")
    return passed("all five shapes right: one weight per (step, cell), one context vector per step.")


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _reference_attention(f, h, W1, W2, v):
    s = np.tanh((h @ W2)[:, None, :] + (f @ W1)[None, :, :]) @ v  # (T, N)
    w = _softmax(s, axis=-1)
    return w @ f, w


def additive_attention(fn: Callable[..., Any]) -> bool:
    """Exercise 2 (section "Attention, in a few lines"): additive attention for one image in NumPy.

    ``fn(features, states, W1, W2, v)`` with features (N, D), states (T, H),
    W1 (D, A), W2 (H, A), v (A,) must return ``(context, weights)``: weights
    (T, N) = softmax over the cells of ``tanh(states W2 + features W1) v``, and
    context (T, D) = weights @ features.
    """
    require_function(fn, "additive_attention")
    rng = np.random.default_rng(7)
    N, D, T, H, A = 9, 5, 4, 6, 3
    f, h = rng.normal(size=(N, D)), rng.normal(size=(T, H))
    W1, W2, v = rng.normal(size=(D, A)), rng.normal(size=(H, A)), rng.normal(size=A)
    try:
        out = fn(f, h, W1, W2, v)
    except Exception as e:
        raise CheckFailed(f"additive_attention raised {type(e).__name__}: {e}") from e
    if out is None:
        return not_attempted("additive_attention returns None; write it and run this cell again.")
    if not isinstance(out, tuple) or len(out) != 2:
        raise CheckFailed("return two things: `return context, weights`")
    context, weights = (np.asarray(o, dtype="float64") for o in out)
    want_c, want_w = _reference_attention(f, h, W1, W2, v)
    if weights.shape != (T, N):
        raise CheckFailed(f"weights: shape {weights.shape}, expected (steps, cells) = {(T, N)}")
    if context.shape != (T, D):
        raise CheckFailed(f"context: shape {context.shape}, expected (steps, features) = {(T, D)}")
    if not np.allclose(weights.sum(axis=1), 1, atol=1e-6):
        if np.allclose(weights.sum(axis=0), 1, atol=1e-6):
            raise CheckFailed("the softmax runs over the steps; it must run over the cells (axis=-1), so "
                              "that each step's weights sum to 1.")
        raise CheckFailed("each step's weights must sum to 1: apply a softmax over the cells.")
    no_tanh = _softmax(((h @ W2)[:, None, :] + (f @ W1)[None, :, :]) @ v, axis=-1)
    if np.allclose(weights, no_tanh, atol=1e-6):
        raise CheckFailed("the tanh is missing: score = v · tanh(W2 h + W1 f). Without it the score is "
                          "linear and the cells are ranked the same way for every step.")
    if not np.allclose(weights, want_w, atol=1e-6):
        raise CheckFailed("the weights differ from softmax(tanh(h W2 + f W1) v): add the two projections "
                          "for every (step, cell) pair with broadcasting, [:, None, :] + [None, :, :].")
    if not np.allclose(context, want_c, atol=1e-6):
        raise CheckFailed("the weights are right, the context is not: it is weights @ features, a weighted "
                          "sum of the feature vectors (not of the projected keys).")
    return passed("weights (4, 9) sum to 1 over the cells; context (4, 5) is their weighted sum of features.")


def _clipped(candidate: list[str], reference: list[str], n: int) -> float:
    cand = Counter(tuple(candidate[i:i + n]) for i in range(len(candidate) - n + 1))
    ref = Counter(tuple(reference[i:i + n]) for i in range(len(reference) - n + 1))
    total = sum(cand.values())
    return sum(min(c, ref[g]) for g, c in cand.items()) / total if total else 0.0


def _unclipped(candidate: list[str], reference: list[str], n: int) -> float:
    grams = [tuple(candidate[i:i + n]) for i in range(len(candidate) - n + 1)]
    ref = {tuple(reference[i:i + n]) for i in range(len(reference) - n + 1)}
    return sum(g in ref for g in grams) / len(grams) if grams else 0.0


_NGRAM_CASES = [
    ("a red circle left of a red square".split(), "a red circle left of a blue square".split(), 1),
    ("a red circle left of a red square".split(), "a red circle left of a blue square".split(), 2),
    ("a a a a".split(), "a red circle".split(), 1),
    ("a red circle".split(), "a red circle left of a blue square".split(), 3),
    ("a red".split(), "a red circle".split(), 3),
]


def clipped_ngram_precision(fn: Callable[[list[str], list[str], int], Any]) -> bool:
    """Exercise 3 (section "Measured, not eyeballed"): BLEU's clipped n-gram precision.

    ``fn(candidate, reference, n)``: both are lists of words. Count the
    candidate's n-grams; each counts as matched at most as often as it occurs
    in the reference; return matched / (number of candidate n-grams), or 0.0
    when the candidate has no n-grams.
    """
    require_function(fn, "clipped_ngram_precision")
    for cand, ref, n in _NGRAM_CASES:
        try:
            got = fn(list(cand), list(ref), n)
        except Exception as e:
            raise CheckFailed(f"clipped_ngram_precision({' '.join(cand)!r}, ..., n={n}) raised "
                              f"{type(e).__name__}: {e}") from e
        if got is None:
            return not_attempted("clipped_ngram_precision returns None; write it and run this cell again.")
        want = _clipped(cand, ref, n)
        try:
            got = float(got)
        except (TypeError, ValueError) as e:
            raise CheckFailed(f"return a number, got {type(got).__name__}") from e
        if np.isclose(got, want, atol=1e-9):
            continue
        label = f"candidate {' '.join(cand)!r}, reference {' '.join(ref)!r}, n={n}"
        if np.isclose(got, _unclipped(cand, ref, n), atol=1e-9):
            raise CheckFailed(f"{label}: got {got:.4f}, expected {want:.4f}. Without clipping, a caption "
                              "that repeats a word of the reference ('a a a a') scores perfectly; count each "
                              "n-gram at most as often as the reference has it.")
        if len(cand) < n:
            raise CheckFailed(f"{label}: the candidate has no {n}-grams; return 0.0.")
        raise CheckFailed(f"{label}: got {got:.4f}, expected {want:.4f}. n-grams are runs of n consecutive "
                          "words (there are len(words) - n + 1 of them); divide the clipped matches by the "
                          "candidate's n-gram count.")
    return passed("clipped n-gram precision right, including repeated words and too-short captions.")
