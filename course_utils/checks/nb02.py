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

from ._base import CheckFailed, check_close, not_attempted, passed, require_function

__all__ = ["sigmoid_backward", "backward_bug_fixed", "momentum_step", "early_stopping_callback"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_backward(fn: Callable[[np.ndarray, np.ndarray], Any]) -> bool:
    """Exercise 1 (section "Backpropagation from scratch"): the sigmoid's backward step.

    ``fn(z, grad_out)`` must return ``grad_out * σ'(z)`` with
    ``σ'(z) = σ(z) · (1 − σ(z))``: the gradient flowing back through a sigmoid
    unit, element by element.
    """
    require_function(fn, "sigmoid_backward")
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


# -- Exercise 2: the planted bug ------------------------------------------------------------
_PARAMS = ("W1", "b1", "W2", "b2")


def _tanh_net(seed: int) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """A small 2-4-2 tanh/softmax network of section 2, its inputs and labels (float64)."""
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(0, 1 / np.sqrt(2), (2, 4)), "b1": rng.normal(0, 0.1, 4),
              "W2": rng.normal(0, 0.5, (4, 2)), "b2": rng.normal(0, 0.1, 2)}
    return params, rng.normal(size=(16, 2)), rng.integers(0, 2, size=16)


def _forward(params: dict[str, np.ndarray], X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    H = np.tanh(X @ params["W1"] + params["b1"])
    Z = H @ params["W2"] + params["b2"]
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return X, H, E / E.sum(axis=1, keepdims=True)


def _numerical(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray,
               eps: float = 1e-6) -> dict[str, np.ndarray]:
    def loss() -> float:
        P = _forward(params, X)[2]
        return float(-np.mean(np.log(P[np.arange(len(y)), y])))

    grads = {}
    for name in _PARAMS:
        W, g = params[name], np.zeros_like(params[name])
        for i in np.ndindex(W.shape):
            old = W[i]
            W[i] = old + eps
            plus = loss()
            W[i] = old - eps
            minus = loss()
            W[i] = old
            g[i] = (plus - minus) / (2 * eps)
        grads[name] = g
    return grads


def _planted(params: dict[str, np.ndarray], cache: tuple, y: np.ndarray) -> dict[str, np.ndarray]:
    X, H, P = cache
    dZ2 = (P - np.eye(P.shape[1])[y]) / len(y)
    dZ1 = (dZ2 @ params["W2"].T) * (1 - np.tanh(H) ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum(axis=0)}


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def _where(flagged: set[str]) -> str:
    if flagged == {"W1", "b1"}:
        return ("The second layer's gradients are right, so dZ2 and the W2, b2 lines are fine: "
                "the error lies after them, in dH, the step back through tanh, or the first "
                "layer's lines.")
    if flagged == set(_PARAMS):
        return ("Every gradient is off, so the error comes early in the backward sweep, where all "
                "of them start: dZ2 = (P − Y) / n.")
    if flagged <= {"b1", "b2"}:
        return "The weight gradients are right: look at how a bias gradient sums dZ over the examples."
    if flagged <= {"W1", "W2"}:
        return "The bias gradients are right: look at the matrix products of the weight gradients."
    return "Compare each line with the formulas of section 2, layer by layer from the loss backwards."


def backward_bug_fixed(fn: Callable[..., Any]) -> bool:
    """Exercise 2 (section "Backpropagation from scratch"): find and fix the planted bug.

    ``fn(params, cache, y)`` with ``cache = (X, H, P)`` must return the gradients
    ``{"W1", "b1", "W2", "b2"}`` of the 2-layer tanh/softmax network of section 2.
    The check runs a gradient check (float64 finite differences) on small random
    networks: every relative error must stay below 1e-6. While ``fn`` still
    returns what the planted bug returns, it says "not attempted".
    """
    require_function(fn, "backward_to_fix")
    worst: dict[str, float] = {}
    for seed in (0, 1):
        params, X, y = _tanh_net(seed)
        cache = _forward(params, X)
        given = {k: v.copy() for k, v in params.items()}
        got = fn(given, cache, y)
        if got is None:
            return not_attempted("backward_to_fix returns None; it should return the four gradients.")
        if not isinstance(got, dict) or set(got) != set(_PARAMS):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            raise CheckFailed(f"return a dict with the gradients of W1, b1, W2 and b2; got {keys}.")
        if any(not np.array_equal(given[k], params[k]) for k in _PARAMS):
            raise CheckFailed("backward_to_fix changed the weights it was given; a backward pass "
                              "only reads them (the update belongs to the training loop).")
        grads = {k: np.asarray(got[k], dtype="float64") for k in _PARAMS}
        for k in _PARAMS:
            if grads[k].shape != params[k].shape:
                raise CheckFailed(f"the gradient of {k} has shape {grads[k].shape}; it must have the "
                                  f"shape of {k}, {params[k].shape}.")
        planted = _planted(params, cache, y)
        if seed == 0 and all(np.allclose(grads[k], planted[k], rtol=1e-10, atol=1e-14) for k in _PARAMS):
            return not_attempted("backward_to_fix still holds the planted bug (see the relative "
                                 "errors printed above). Which parameters fail tells you where it sits.")
        numeric = _numerical(params, X, y)
        for k in _PARAMS:
            worst[k] = max(worst.get(k, 0.0), _relative_error(grads[k], numeric[k]))
    flagged = {k for k in _PARAMS if not worst[k] < 1e-6}
    if flagged:
        errors = ", ".join(f"{k} {worst[k]:.1e}" for k in _PARAMS)
        raise CheckFailed(f"the gradient check still fails for {', '.join(sorted(flagged))} "
                          f"(relative errors: {errors}; below 1e-6 is right). {_where(flagged)}")
    return passed("every gradient agrees with the numerical one (relative errors "
                  f"{max(worst.values()):.0e} or less): the backward pass is fixed.")


def momentum_step(fn: Callable[..., Any]) -> bool:
    """Exercise 3 (section "Optimizers side by side"): one step of SGD with momentum.

    ``fn(w, v, grad, lr, momentum)`` must return ``(w_new, v_new)`` with
    ``v_new = momentum · v − lr · grad`` and ``w_new = w + v_new``, the update
    of ``keras.optimizers.SGD(momentum=...)``.
    """
    require_function(fn, "momentum_step")
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
    """Exercise 4 (section "Overfitting and its cures"): early stopping on validation accuracy.

    ``callback`` must be a ``keras.callbacks.EarlyStopping`` that watches
    ``val_accuracy`` (mode ``"max"`` or ``"auto"``), waits 10 epochs for an
    improvement (``patience=10``, as the exercise asks) and restores the best
    weights at the end.
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
    patience = getattr(callback, "patience", 0)
    if patience < 1:
        raise CheckFailed("patience=0 stops at the first epoch without progress; noisy validation "
                          "curves need a few epochs of patience: the exercise asks for 10.")
    if patience != 10:
        raise CheckFailed(f"patience={patience}; the exercise asks to wait 10 epochs for an "
                          "improvement: patience=10.")
    if not getattr(callback, "restore_best_weights", False):
        raise CheckFailed("without restore_best_weights=True the model keeps the weights of the last "
                          "epoch, which are already `patience` epochs past the best ones.")
    return passed("EarlyStopping on val_accuracy, patience 10, restoring the best weights.")
