"""Self-checks for notebook 05 · Recurrent networks and LSTMs.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (``"?"`` answers, a function returning
``None``), so the notebook runs top to bottom as committed; a real but wrong
answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ._base import CheckFailed, is_open, not_attempted, passed

__all__ = ["RNN_SHAPE_QUESTIONS", "rnn_output_shapes", "leak_free_windows", "temperature",
           "untrained_loss_prediction"]

#: Exercise 1: question key → (the layer stack, the right output shape). Input: (32, 50, 3).
RNN_SHAPE_QUESTIONS: dict[str, tuple[str, tuple[int, ...]]] = {
    "last": ("LSTM(16)", (32, 16)),
    "sequences": ("LSTM(16, return_sequences=True)", (32, 50, 16)),
    "stacked": ("LSTM(16, return_sequences=True) then LSTM(8)", (32, 8)),
    "per_step_dense": ("LSTM(16, return_sequences=True) then Dense(4)", (32, 50, 4)),
}


def rnn_output_shapes(answers: Mapping[str, Any]) -> bool:
    """Exercise 1 (sections "A recurrent cell by hand" and "The LSTM"): the output shape of each stack in
    :data:`RNN_SHAPE_QUESTIONS` for an input batch of shape (32, 50, 3); ``"?"`` = open."""
    if not isinstance(answers, Mapping):
        raise CheckFailed(f"answers must be a dict {{question: shape tuple}}, got {type(answers).__name__}")
    missing = sorted(set(RNN_SHAPE_QUESTIONS) - set(answers))
    if missing:
        raise CheckFailed(f"the dict needs the keys {sorted(RNN_SHAPE_QUESTIONS)}; missing {missing}")
    open_ = [k for k in RNN_SHAPE_QUESTIONS if is_open(answers[k])]
    if len(open_) == len(RNN_SHAPE_QUESTIONS):
        return not_attempted("replace each '?' with a shape tuple such as (32, 50, 16).")
    wrong = []
    for key, (stack, right) in RNN_SHAPE_QUESTIONS.items():
        if key in open_:
            continue
        try:
            got = tuple(int(d) for d in answers[key])
        except (TypeError, ValueError):
            raise CheckFailed(f"{key}: {answers[key]!r} is not a shape tuple like (32, 16)") from None
        if got == right:
            continue
        hint = ("with return_sequences=True the layer returns one output per time step, "
                "so the time axis stays" if len(right) == 3 else
                "without return_sequences the layer returns only its last output: the time axis "
                "disappears")
        if key == "stacked":
            hint = "the first LSTM passes all 50 steps on; the second returns only its last output of 8"
        if key == "per_step_dense":
            hint = "Dense acts on the last axis only, so it is applied at every one of the 50 steps"
        wrong.append(f"{key} ({stack}): not {got}. Hint: {hint}.")
    if wrong:
        raise CheckFailed("\n  ".join(wrong))
    if open_:
        print(f"Right so far; still open: {open_}")
        return False
    return passed("all four shapes right: return_sequences keeps the time axis, the default drops it.")


def leak_free_windows(fn: Callable[..., Any]) -> bool:
    """Exercise 2 (section "Forecasting with honest baselines"): ``fn(values, window, split_at,
    horizon)`` returns ``(X_train, y_train, X_test, y_test)``: windows of ``window`` values, each
    with the value ``horizon`` steps after its last one as target; training targets before index
    ``split_at``, test targets from it on."""
    values = np.arange(100.0)  # each value is its own index, so a leak shows at once
    window, split_at, horizon = 5, 70, 3
    out = fn(values, window, split_at, horizon)
    if out is None:
        return not_attempted("make_split_windows still returns None.")
    try:
        X_tr, y_tr, X_te, y_te = (np.asarray(a, dtype="float64") for a in out)
    except (TypeError, ValueError):
        raise CheckFailed("return four arrays: X_train, y_train, X_test, y_test") from None
    if X_tr.ndim != 2 or X_tr.shape[1] != window or X_te.ndim != 2 or X_te.shape[1] != window:
        raise CheckFailed(f"X_train and X_test must have shape (n, window={window}); "
                          f"got {X_tr.shape} and {X_te.shape}")
    if len(X_tr) != len(y_tr) or len(X_te) != len(y_te):
        raise CheckFailed("each X needs exactly one target per window")
    if not np.all(np.diff(X_tr, axis=1) == 1) or not np.all(np.diff(X_te, axis=1) == 1):
        raise CheckFailed("a window must be consecutive values of the series, in order (do not shuffle inside)")
    gap = np.concatenate([y_tr - X_tr[:, -1], y_te - X_te[:, -1]])
    if not np.all(gap == horizon):
        seen = sorted({int(g) for g in gap})
        raise CheckFailed(f"with horizon={horizon} each target lies {horizon} steps after its window's "
                          f"last value (horizon=1: the value right after it); yours lie {seen} steps after")
    if y_tr.size and (X_tr.max() >= split_at or y_tr.max() >= split_at):
        raise CheckFailed(f"leak: a training window uses index {int(max(X_tr.max(), y_tr.max()))}, "
                          f"which lies in the test period (≥ split_at = {split_at}). Training targets must "
                          "come before split_at, so their inputs do too.")
    if y_te.size and y_te.min() < split_at:
        raise CheckFailed("a test target lies before split_at: it belongs to training")
    first = window + horizon - 1  # the first index that has a full window before it
    if sorted(y_tr.tolist()) != list(range(first, split_at)):
        raise CheckFailed(f"training should have one window for every target {first}..{split_at - 1} "
                          f"({split_at - first} windows), got {len(y_tr)}")
    if sorted(y_te.tolist()) != list(range(split_at, len(values))):
        raise CheckFailed(f"test should have one window for every target {split_at}..{len(values) - 1} "
                          f"({len(values) - split_at} windows), got {len(y_te)}. "
                          "Test windows may start before split_at: the past is known when forecasting.")
    return passed("windows and split leak nothing: every training value lies before the test period.")


def _apply_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    """The reference answer of Exercise 3, in log space (safe for tiny probabilities)."""
    logp = np.log(np.maximum(np.asarray(probs, dtype="float64"), 1e-300)) / temperature
    q = np.exp(logp - logp.max())
    return q / q.sum()


def temperature(fn: Callable[[np.ndarray, float], Any]) -> bool:
    """Exercise 3 (section "Generating text one character at a time"): ``fn(probs, T)`` returns probs re-weighted as
    ``p_i^(1/T) / Σ_j p_j^(1/T)``."""
    p = np.array([0.6, 0.25, 0.1, 0.05])
    out = fn(p.copy(), 0.5)
    if out is None:
        return not_attempted("apply_temperature still returns None.")
    for T in (0.5, 1.0, 2.0, 0.2):
        got = np.asarray(fn(p.copy(), T), dtype="float64")
        want = _apply_temperature(p, T)
        if got.shape != want.shape:
            raise CheckFailed(f"T={T}: shape {got.shape}, expected {want.shape}")
        if not np.isclose(got.sum(), 1.0):
            raise CheckFailed(f"T={T}: the result sums to {got.sum():.3f}; divide by the sum so it is a distribution")
        if not np.allclose(got, want, atol=1e-6):
            if T != 1.0 and np.allclose(got, _apply_temperature(p, 1 / T), atol=1e-6):
                raise CheckFailed("the power is inverted: use p ** (1 / T), so a small T sharpens")
            raise CheckFailed(f"T={T}: got {np.round(got, 3)}, expected {np.round(want, 3)}. "
                              "Raise each probability to the power 1/T, then normalise.")
    return passed("temperature right: T < 1 sharpens the distribution, T > 1 flattens it.")


def untrained_loss_prediction(prediction: Any, vocab_size: int) -> bool:
    """Exercise 4 (section "Generating text one character at a time", predict then run): the
    cross-entropy, in nats per character, of a model whose softmax is uniform over
    ``vocab_size`` characters, predicted before it is measured. The answer is ln V."""
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)) or vocab_size < 2:
        raise ValueError(f"vocab_size must be an integer of at least 2, got {vocab_size!r}")
    if is_open(prediction):
        return not_attempted("replace the '?' with your prediction, a number in nats per character.")
    try:
        value = float(prediction)
    except (TypeError, ValueError):
        raise CheckFailed(f"write a number (nats per character), not {prediction!r}") from None
    right = float(np.log(vocab_size))
    if abs(value - right) <= 0.05:
        return passed(f"ln {vocab_size} = {right:.3f} nats per character: a uniform guess gives each "
                      f"character p = 1/{vocab_size}, and the loss is -ln p.")
    hints = [
        (0.0, "a loss of 0 means certainty about every next character; an untrained model knows nothing"),
        (np.log2(vocab_size), "that is log2 of the vocabulary size, the loss in bits; Keras's "
                              "cross-entropy uses the natural logarithm (nats)"),
        (np.log10(vocab_size), "that is log10 of the vocabulary size; Keras's cross-entropy uses "
                               "the natural logarithm (nats)"),
        (float(vocab_size), "the loss is -ln p of the right character, not the number of characters"),
        (1 / vocab_size, "1/V is the probability each character gets; the loss is -ln of it"),
    ]
    for wrong, hint in hints:  # within 5 % of a typical wrong answer (0: exactly)
        if abs(value - wrong) <= 0.05 * abs(wrong) or value == wrong:
            raise CheckFailed(f"{value:g} is not it: {hint}.")
    raise CheckFailed(f"{value:g} nats is not it. An untrained model's softmax gives every one of the "
                      f"{vocab_size} characters about the same probability p = 1/{vocab_size}; the "
                      "cross-entropy is -ln p of the right character.")
