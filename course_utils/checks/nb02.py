"""Self-checks for notebook 02 · Multilayer networks.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (a function returning ``None``, a value left
at ``None``), so the notebook runs top to bottom as committed; a real but
wrong answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._base import CheckFailed, check_close, not_attempted, passed

__all__ = ["sigmoid_backward", "momentum_step", "early_stopping_callback"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_backward(fn: Callable[[np.ndarray, np.ndarray], Any]) -> bool:
    """Exercise 1 (section "Backpropagation from scratch"): the sigmoid's backward step.

    ``fn(z, grad_out)`` must return ``grad_out * σ'(z)`` with
    ``σ'(z) = σ(z) · (1 − σ(z))``: the gradient flowing back through a sigmoid
    unit, element by element.
    """
    if not callable(fn):
        raise CheckFailed(f"pass your function itself (no brackets), got {type(fn).__name__}")
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, size=(5, 3))
    ones = np.ones_like(z)
    got = fn(z.copy(), ones.copy())
    if got is None:
        return not_attempted("sigmoid_backward returns None; write its body (see the hint above it).")
    s = _sigmoid(z)
    g = np.asarray(got, dtype="float64")
    if g.shape != z.shape:
        raise CheckFailed(f"the result has shape {g.shape}; it must have the shape of z, {z.shape}: "
                          "the derivative is taken element by element (use *, not @).")
    if np.allclose(g, s, atol=1e-6):
        raise CheckFailed("you returned σ(z) itself; the derivative is σ(z) · (1 − σ(z)).")
    if np.allclose(g, 1 - s, atol=1e-6) or np.allclose(g, z * (1 - z), atol=1e-6):
        raise CheckFailed("close, but σ'(z) = σ(z) · (1 − σ(z)) uses σ(z), not z or 1 − σ(z) alone.")
    check_close("sigmoid_backward(z, 1)", g, s * (1 - s), rtol=1e-5, atol=1e-7,
                hint="σ'(z) = σ(z) · (1 − σ(z)), with σ(z) = 1 / (1 + exp(−z)).")
    upstream = rng.normal(size=z.shape)
    check_close("sigmoid_backward(z, grad_out)", fn(z.copy(), upstream.copy()), upstream * s * (1 - s),
                rtol=1e-5, atol=1e-7,
                hint="the chain rule multiplies the incoming gradient grad_out by σ'(z).")
    big = np.array([[-800.0, 0.0, 800.0]])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # exp(800) is inf, fine
        out = np.asarray(fn(big, np.ones_like(big)), dtype="float64")
    if not np.all(np.isfinite(out)):
        raise CheckFailed("for z = ±800 the result is NaN or inf. Compute σ(z) first and use "
                          "σ(z) · (1 − σ(z)), rather than dividing large exponentials.")
    return passed("sigmoid_backward: grad_out · σ(z) · (1 − σ(z)), the chain rule through a sigmoid.")


def momentum_step(fn: Callable[..., Any]) -> bool:
    """Exercise 2 (section "Optimizers side by side"): one step of SGD with momentum.

    ``fn(w, v, grad, lr, momentum)`` must return ``(w_new, v_new)`` with
    ``v_new = momentum · v − lr · grad`` and ``w_new = w + v_new``, the update
    of ``keras.optimizers.SGD(momentum=...)``.
    """
    if not callable(fn):
        raise CheckFailed(f"pass your function itself (no brackets), got {type(fn).__name__}")
    rng = np.random.default_rng(1)
    w, v, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    lr, mu = 0.1, 0.9
    got = fn(w.copy(), v.copy(), g.copy(), lr, mu)
    if got is None:
        return not_attempted("momentum_step returns None; return the pair (w_new, v_new).")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise CheckFailed("return two arrays, the new weights and the new velocity: `return w, v`.")
    w_new, v_new = (np.asarray(a, dtype="float64") for a in got)
    v_ok = mu * v - lr * g
    if v_new.shape != v.shape or w_new.shape != w.shape:
        raise CheckFailed(f"w_new and v_new must keep the shape {w.shape}; got {w_new.shape} and {v_new.shape}.")
    if np.allclose(v_new, mu * v + lr * g):
        raise CheckFailed("the velocity moves *up* the gradient: it must be momentum · v − lr · grad.")
    if np.allclose(v_new, -lr * g):
        raise CheckFailed("the velocity forgets its past: v_new = momentum · v − lr · grad keeps "
                          "a fraction `momentum` of the old velocity.")
    check_close("v_new", v_new, v_ok, hint="v_new = momentum · v − lr · grad.")
    if np.allclose(w_new, w + v):
        raise CheckFailed("the weights moved with the old velocity; use the new one: w_new = w + v_new.")
    check_close("w_new", w_new, w + v_ok, hint="w_new = w + v_new.")
    # Two steps on f(w) = w²/2 (gradient w) from w = 1, v = 0: the velocity must carry over.
    w1, v1 = fn(np.array([1.0]), np.array([0.0]), np.array([1.0]), 0.5, 0.5)
    w2, v2 = fn(np.asarray(w1, dtype="float64"), np.asarray(v1, dtype="float64"),
                np.asarray(w1, dtype="float64"), 0.5, 0.5)
    check_close("two steps on w²/2", np.ravel(w2), [0.0], hint="momentum must carry over between steps.")
    return passed("momentum_step: v ← momentum · v − lr · grad, w ← w + v (as keras.optimizers.SGD).")


def early_stopping_callback(callback: Any) -> bool:
    """Exercise 3 (section "Overfitting and its cures"): early stopping on validation accuracy.

    ``callback`` must be a ``keras.callbacks.EarlyStopping`` that watches
    ``val_accuracy`` (mode ``"max"`` or ``"auto"``), waits at least one epoch
    (``patience >= 1``) and restores the best weights at the end.
    """
    if callback is None or callback is Ellipsis:
        return not_attempted("make_early_stopping() returns None; return a keras.callbacks.EarlyStopping.")
    import keras

    if not isinstance(callback, keras.callbacks.EarlyStopping):
        if isinstance(callback, type) and issubclass(callback, keras.callbacks.EarlyStopping):
            raise CheckFailed("you returned the class itself; create one: keras.callbacks.EarlyStopping(...)")
        raise CheckFailed(f"expected a keras.callbacks.EarlyStopping, got {type(callback).__name__}")
    monitor = getattr(callback, "monitor", "")
    if not str(monitor).startswith("val_"):
        raise CheckFailed(f"it watches {monitor!r}, a training metric: training loss keeps falling while "
                          "the model overfits. Watch the validation set: monitor='val_accuracy'.")
    if monitor != "val_accuracy":
        raise CheckFailed(f"it watches {monitor!r}; this exercise asks for monitor='val_accuracy'.")
    mode = getattr(callback, "mode", "auto")
    if mode == "min":
        raise CheckFailed("mode='min' would stop when accuracy stops *falling*; accuracy should rise: "
                          "use mode='max' (or leave mode='auto').")
    if getattr(callback, "patience", 0) < 1:
        raise CheckFailed("patience=0 stops at the first epoch without progress; noisy validation "
                          "curves need a few epochs of patience (e.g. patience=10).")
    if not getattr(callback, "restore_best_weights", False):
        raise CheckFailed("without restore_best_weights=True the model keeps the weights of the last "
                          "epoch, which are already `patience` epochs past the best ones.")
    return passed(f"EarlyStopping on val_accuracy, patience {callback.patience}, restoring the best weights.")
