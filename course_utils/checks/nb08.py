"""Self-checks for notebook 08 · Transformers.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (a ``"?"`` answer, or a function that returns
``None``), so the notebook runs top to bottom as committed; a real but wrong
answer raises :class:`CheckFailed` that says what is wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ._base import CheckFailed, is_open, not_attempted, passed, require_function

__all__ = ["BLOCK_QUESTION", "SQRT_D_OPTIONS", "block_parameters", "causal_mask", "sqrt_d_prediction"]


def _reference_mask(length: int) -> np.ndarray:
    return np.arange(length)[None, :] <= np.arange(length)[:, None]  # [i, j]: key j ≤ query i


def _as_mask(out: Any, length: int) -> np.ndarray:
    keras = sys.modules.get("keras")  # a Keras tensor (on a GPU too): only when Keras is in use already
    if keras is not None and not isinstance(out, (np.ndarray, list, tuple)):
        try:
            out = keras.ops.convert_to_numpy(out)
        except Exception:  # not a tensor: NumPy below says what it is
            pass
    try:
        m = np.asarray(out)
    except Exception as e:
        raise CheckFailed(f"causal_mask({length}) returned {type(out).__name__}, not an array") from e
    if m.shape != (length, length):
        raise CheckFailed(f"causal_mask({length}): shape {m.shape}, expected ({length}, {length}): "
                          "one row per query position, one column per key position")
    if m.dtype == bool:
        return m
    if not np.issubdtype(m.dtype, np.number) or not np.all(np.isin(m, (0, 1))):
        raise CheckFailed(f"causal_mask({length}): return True/False (or 1/0) for every (query, key) pair, "
                          f"got values such as {np.unique(m)[:4]}")
    return m.astype(bool)


def causal_mask(fn: Callable[[int], Any]) -> bool:
    """Exercise 1 (section "The causal mask"): ``fn(length)`` returns a (length, length) mask
    whose entry [i, j] is True when query position i may attend to key position j, that is
    when j ≤ i (True/False or 1/0; a NumPy array or a Keras tensor)."""
    require_function(fn, "causal_mask")
    for length in (4, 7, 1):
        try:
            out = fn(length)
        except Exception as e:
            raise CheckFailed(f"causal_mask({length}) raised {type(e).__name__}: {e}") from e
        if out is None:
            return not_attempted("causal_mask returns None; write it and run this cell again.")
        got, want = _as_mask(out, length), _reference_mask(length)
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want.T):
            raise CheckFailed("the mask is transposed: row i lets query i see the keys *after* it. Entry "
                              "[i, j] must be True when j ≤ i (the lower triangle).")
        if got.all():
            raise CheckFailed("every entry is True: that is no mask at all, every position sees the future.")
        if np.array_equal(got, ~want):
            raise CheckFailed("True and False are swapped: True must mark the pairs that *may* attend.")
        if np.array_equal(got, want & ~np.eye(length, dtype=bool)):
            raise CheckFailed("the diagonal is False: a position must see itself (j ≤ i, not j < i), "
                              "or the first position has nothing to attend to.")
        if np.array_equal(got, np.arange(length)[None, :] <= np.arange(length)[:, None] + 1):
            raise CheckFailed("off by one: each position also sees the next one (j ≤ i + 1). A model "
                              "trained like that copies the next character and never learns to predict it.")
        i, j = np.argwhere(got != want)[0]
        raise CheckFailed(f"causal_mask({length})[{i}, {j}] is {bool(got[i, j])}, expected {bool(want[i, j])}: "
                          f"query {i} may see key {j} exactly when {j} ≤ {i}.")
    return passed("lower triangle with the diagonal: every position sees itself and everything before it.")


#: Exercise 2: what happens to the attention weights of random queries and keys (key size 64,
#: 80 keys) when the scores are not divided by √d.
SQRT_D_OPTIONS: dict[str, str] = {
    "a": "the weights become flatter, closer to uniform over the keys",
    "b": "the weights become peaked: most of each row's weight goes to one key",
    "c": "nothing changes: the softmax only cares about the order of the scores",
}


def sqrt_d_prediction(answer: Any) -> bool:
    """Exercise 2 (section "Scaled dot-product attention"): predict, before running it, what
    leaving out the division by √d does to the attention weights (one of ``SQRT_D_OPTIONS``)."""
    if is_open(answer):
        return not_attempted('write your prediction, "a", "b" or "c", then run the cell.')
    key = str(answer).strip().lower().strip("()")
    if key not in SQRT_D_OPTIONS:
        raise CheckFailed(f"answer with one letter, one of {sorted(SQRT_D_OPTIONS)}; got {answer!r}")
    if key == "a":
        raise CheckFailed("the other way round. A dot product of two random vectors of size d has a "
                          "variance of d, so unscaled scores spread over a range about √d = 8 times wider, "
                          "and a softmax of widely spread scores is dominated by the largest one.")
    if key == "c":
        raise CheckFailed("the order is kept, but the softmax is not scale-invariant: softmax(8·s) is much "
                          "more peaked than softmax(s). Try np.exp([1, 2]) / sum vs np.exp([8, 16]) / sum.")
    return passed("without the √d the scores spread √d times wider and the softmax saturates: "
                  "near one-hot weights, and gradients close to zero for every other key.")


#: Exercise 3: one pre-norm block of section 5, for these sizes.
BLOCK_QUESTION: dict[str, int] = {"width": 128, "heads": 4, "feed_forward_width": 512}


def _block_parts(width: int, heads: int, feed_forward_width: int) -> dict[str, int]:
    return {
        "attention": 4 * (width * width + width),  # W_Q, W_K, W_V, W_O, each with a bias
        "feed_forward": width * feed_forward_width + feed_forward_width + feed_forward_width * width + width,
        "layer_norms": 2 * 2 * width,  # a scale and an offset per feature, two of them
    }


def block_parameters(answer: Any) -> bool:
    """Exercise 3 (section "A decoder-only transformer"): the number of parameters of one
    block with the sizes in ``BLOCK_QUESTION``, counted by hand."""
    if is_open(answer):
        return not_attempted("replace the \"?\" with a number (you may write it as a sum).")
    if isinstance(answer, str):
        answer = answer.replace(",", "").replace("_", "").strip()
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise CheckFailed(f"write a whole number, got {answer!r}") from None
    if isinstance(answer, bool) or not value.is_integer():
        raise CheckFailed(f"a parameter count is a whole number, got {answer!r}")
    got = int(value)
    w, h, f = (BLOCK_QUESTION[k] for k in ("width", "heads", "feed_forward_width"))
    parts = _block_parts(w, h, f)
    want = sum(parts.values())
    if got == want:
        return passed(f"{want:,} = attention {parts['attention']:,} + feed-forward {parts['feed_forward']:,} "
                      f"+ layer norms {parts['layer_norms']:,}. The number of heads does not change it.")
    no_bias = 4 * w * w + 2 * w * f + parts["layer_norms"]
    hints = {
        want - parts["layer_norms"]: "the two LayerNormalization layers have parameters too: a scale and "
                                     "an offset per feature.",
        no_bias: "the Dense layers have biases: one per output unit.",
        no_bias - parts["layer_norms"]: "you counted the weight matrices only: add the biases of the Dense "
                                        "layers and the scales and offsets of the two layer norms.",
        want - (w * w + w): "the output projection W_O (width × width, plus its bias) is missing.",
        want + 3 * parts["attention"]: "the heads share the projections: W_Q maps width → heads × key size "
                                       "= width, however many heads there are.",
        parts["attention"]: "that is the attention alone; add the feed-forward network and the layer norms.",
        parts["feed_forward"]: "that is the feed-forward network alone; add the attention and the layer norms.",
    }
    if got in hints:
        raise CheckFailed(f"{got:,}: {hints[got]}")
    raise CheckFailed(f"{got:,} is not it. Count part by part: four width × width projections with biases, "
                      f"the feed-forward network width → {f} → width with biases, two layer norms.")
