"""Self-checks for notebook 01 · The perceptron.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (a function returning ``None``, a learning
rate of ``None``, the planted bug of exercise 1), so the notebook runs top to
bottom as committed; a real but wrong answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._base import CheckFailed, not_attempted, passed, require_function

__all__ = ["perceptron_update", "sigmoid_derivative", "converging_learning_rate", "xor_feature"]

# The check's own copy of the four XOR points and their labels; the notebook defines its
# data itself (section "XOR: the limit of one layer"), so a learner reads it there.
_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_Y = np.array([0, 1, 1, 0])


def _reference_update(w: np.ndarray, b: float, x: np.ndarray, y: int, lr: float) -> tuple[np.ndarray, float]:
    y_hat = 1 if float(w @ x + b) >= 0 else 0
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def _planted_bug(w: np.ndarray, b: float, x: np.ndarray, y: int, lr: float) -> tuple[np.ndarray, float]:
    """Exercise 1's starter: it predicts −1 for "no" while the labels are 0 and 1."""
    y_hat = 1 if float(w @ x + b) >= 0 else -1
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def perceptron_update(update: Callable[..., Any]) -> bool:
    """Exercise 1 (section "The perceptron learning rule"): find the bug in ``update(w, b, x, y, lr)``.

    Labels are 0 or 1; the perceptron predicts ŷ = 1 when w·x + b ≥ 0, else 0,
    and moves by ``lr · (y − ŷ)``: nothing when it is right, towards x when it
    missed a 1, away from x when it missed a 0. The notebook's starter predicts
    −1 instead of 0 (labels ±1 mixed with 0/1); while it is unchanged the check
    says so without failing, and a function that still returns ``None`` counts
    as not attempted too.
    """
    require_function(update, "perceptron_update")
    cases = [  # (w, b, x, y, lr, what the case tests)
        (np.array([0.5, -1.0]), 0.2, np.array([2.0, 0.5]), 1, 1.0, "a correctly classified 1"),
        (np.array([0.5, -1.0]), 0.2, np.array([-1.0, 1.0]), 0, 1.0, "a correctly classified 0"),
        (np.array([0.5, -1.0]), 0.2, np.array([-1.0, 1.0]), 1, 1.0, "a missed 1 (predicted 0)"),
        (np.array([0.5, -1.0]), 0.2, np.array([2.0, 0.5]), 0, 1.0, "a missed 0 (predicted 1)"),
        (np.array([1.0, 1.0, -2.0]), -0.5, np.array([0.3, -0.4, 1.0]), 1, 0.1,
         "a missed 1 with lr = 0.1 and three features"),
        (np.array([0.0, 0.0]), 0.0, np.array([1.5, -2.0]), 0, 0.5, "w = 0, b = 0 (w·x + b = 0 predicts 1)"),
    ]
    first = update(cases[0][0].copy(), cases[0][1], cases[0][2].copy(), cases[0][3], cases[0][4])
    if first is None:
        return not_attempted("update(w, b, x, y, lr) returns None; make it return (new_w, new_b).")
    if all(_same_update(update(w.copy(), b, x.copy(), y, lr), _planted_bug(w, b, x, y, lr))
           for w, b, x, y, lr, _ in cases):
        return not_attempted("this is still the function with the bug: the accuracy above jumps around "
                             "instead of settling at 100 %. Compare each line with the rule of section 2: "
                             "which values can ŷ take, and which values do the labels y take?")
    for w, b, x, y, lr, what in cases:
        got = update(w.copy(), b, x.copy(), y, lr)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailed(f"return a pair (new_w, new_b), got {type(got).__name__}")
        gw = np.asarray(got[0], dtype="float64")
        try:
            gb = float(np.asarray(got[1], dtype="float64").reshape(()))
        except ValueError:
            raise CheckFailed(f"new_b must be a single number, got shape {np.shape(got[1])}") from None
        ew, eb = _reference_update(w, b, x, y, lr)
        if gw.shape != ew.shape:
            raise CheckFailed(f"{what}: new_w has shape {gw.shape}, expected {ew.shape} (one weight per feature)")
        if np.allclose(gw, ew) and np.isclose(gb, eb):
            continue
        y_hat = 1 if float(w @ x + b) >= 0 else 0
        if _same_update((gw, gb), _planted_bug(w, b, x, y, lr)):
            hint = ("ŷ must be 0 or 1, like the labels: with ŷ = −1 for 'no', a correctly classified 0 "
                    "gives y − ŷ = 1, so the rule learns from a right answer.")
        elif y == y_hat:
            hint = "the prediction was right, so nothing should change: the rule only learns from mistakes."
        elif np.allclose(gw, w - (ew - w)) and np.isclose(gb, b - (eb - b)):
            hint = "the sign is flipped: move by lr · (y − ŷ) · x, i.e. towards x when y = 1 was missed."
        elif np.allclose(gw, ew) and not np.isclose(gb, eb):
            hint = "the weights are right but the bias is not: b changes by lr · (y − ŷ), as if x had a constant 1."
        elif lr != 1.0 and np.allclose(gw, w + (ew - w) / lr):
            hint = "multiply the step by the learning rate lr."
        else:
            hint = "compute ŷ = 1 if w·x + b ≥ 0 else 0, then w + lr·(y − ŷ)·x and b + lr·(y − ŷ)."
        raise CheckFailed(f"{what}: got w = {np.round(gw, 3).tolist()}, b = {gb:.3g}; expected "
                          f"w = {np.round(ew, 3).tolist()}, b = {eb:.3g}. {hint}")
    return passed("the perceptron update is right: no change when correct, ±lr·x (and ±lr on b) "
                  "on a mistake")


def _same_update(got: Any, expected: tuple[np.ndarray, float]) -> bool:
    try:
        return bool(np.allclose(np.asarray(got[0], dtype="float64"), expected[0])
                    and np.isclose(float(np.asarray(got[1], dtype="float64").reshape(())), expected[1]))
    except (TypeError, ValueError, IndexError):
        return False


def sigmoid_derivative(fn: Callable[[np.ndarray], Any]) -> bool:
    """Exercise 2 (section "Activation functions"): σ'(z) = σ(z) · (1 − σ(z)), elementwise."""
    require_function(fn, "sigmoid_derivative")
    z = np.array([-30.0, -4.0, -1.0, 0.0, 0.5, 2.0, 30.0])
    got = fn(z.copy())
    if got is None:
        return not_attempted("sigmoid_derivative(z) returns None; make it return σ(z) · (1 − σ(z)).")
    g = np.asarray(got, dtype="float64")
    s = 1.0 / (1.0 + np.exp(-z))
    expected = s * (1 - s)
    if g.shape != z.shape:
        raise CheckFailed(f"the derivative of an array of shape {z.shape} must have the same shape, got "
                          f"{g.shape}. Use NumPy operations (np.exp), which work elementwise.")
    if not np.all(np.isfinite(g)):
        raise CheckFailed("sigmoid_derivative returned NaN or inf for z in [−30, 30]; it lies between 0 and 0.25.")
    if np.allclose(g, expected, atol=1e-7):
        grid = np.linspace(-3, 3, 7).reshape(7, 1)
        g2 = np.asarray(fn(grid), dtype="float64")
        s2 = 1 / (1 + np.exp(-grid))
        if g2.shape != grid.shape or not np.allclose(g2, s2 * (1 - s2), atol=1e-7):
            raise CheckFailed("right on a 1-D array but not on a 2-D one: keep it elementwise (np.exp, "
                              "no loops over a fixed length).")
        return passed("σ'(z) = σ(z)(1 − σ(z)): at most 0.25 (at z = 0) and almost 0 for large |z|, "
                      "which is why saturated sigmoids learn slowly")
    if np.allclose(g, s, atol=1e-7):
        hint = "that is σ(z) itself; the derivative is σ(z) · (1 − σ(z))."
    elif np.allclose(g, 1 - s, atol=1e-7):
        hint = "that is 1 − σ(z); multiply it by σ(z)."
    elif np.allclose(g, s * s, atol=1e-7):
        hint = "that is σ(z)²; the derivative is σ(z) · (1 − σ(z))."
    elif np.allclose(g, 1 - np.tanh(z) ** 2, atol=1e-7):
        hint = "that is the derivative of tanh; the sigmoid's is σ(z) · (1 − σ(z))."
    else:
        hint = "compute s = 1 / (1 + np.exp(-z)) first, then return s * (1 - s)."
    worst = int(np.argmax(np.abs(g - expected)))
    raise CheckFailed(f"sigmoid_derivative({z[worst]:g}) = {g[worst]:.4g}, expected {expected[worst]:.4g}. {hint}")


def converging_learning_rate(lr: Any, run_gd: Callable[[float], Sequence[float]], best_loss: float,
                             tol: float = 0.01) -> bool:
    """Exercise 3 (section "Gradient descent and the learning rate"): pick a learning rate that converges.

    ``run_gd(lr)`` runs the notebook's gradient descent and returns the loss
    after every step; the choice passes when the last loss is within ``tol``
    (relative) of ``best_loss`` and the loss never rose along the way.
    """
    if lr is None:
        return not_attempted("LEARNING_RATE is None; set it to a number and run the cell.")
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise CheckFailed(f"the learning rate must be a number, got {type(lr).__name__} {lr!r}")
    if not lr > 0:
        raise CheckFailed(f"the learning rate must be positive, got {lr}: a negative one climbs the loss")
    require_function(run_gd, "run_gd")
    losses = np.asarray(run_gd(float(lr)), dtype="float64").ravel()
    if losses.size < 2:
        raise CheckFailed("run_gd(lr) must return the loss after every step (at least two values)")
    steps = losses.size - 1
    target = best_loss * (1 + tol)
    rose = np.flatnonzero(np.diff(losses) > _RISE)
    if not np.all(np.isfinite(losses)) or rose.size:
        at = int(rose[0]) + 1 if rose.size else int(np.argmax(~np.isfinite(losses)))
        raise CheckFailed(f"lr = {lr:g} is too large: the loss went up at step {at} "
                          f"({losses[at - 1]:.4f} → {losses[at]:.4f}); each step jumps past the valley. "
                          "Try a smaller learning rate.")
    if losses[-1] > target:
        raise CheckFailed(f"lr = {lr:g} is too small: after {steps} steps the loss is {losses[-1]:.4f}, "
                          f"still above {target:.4f} (the minimum {best_loss:.4f} + {tol:.0%}). "
                          "The loss falls, but slowly: try a larger learning rate.")
    first = int(np.argmax(losses <= target))
    grid = np.geomspace(0.01, 1000, 121)
    with np.errstate(over="ignore", invalid="ignore"):   # the largest rates blow up, as they should
        good = [g for g in grid if _converges(run_gd(float(g)), target)]
    works = (f"; of {grid.size} rates from {grid[0]:g} to {grid[-1]:g}, those from {min(good):.3g} to "
             f"{max(good):.3g} converge too" if good else "")
    return passed(f"lr = {lr:g} converges: the loss falls every step and is within {tol:.0%} of the "
                  f"minimum after {first} of {steps} steps{works}")


_RISE = 1e-9  # a loss that grows by more than this from one step to the next went up


def _converges(losses: Sequence[float], target: float) -> bool:
    losses = np.asarray(losses, dtype="float64").ravel()
    return bool(np.all(np.isfinite(losses)) and not np.any(np.diff(losses) > _RISE) and losses[-1] <= target)


def _separable(X: np.ndarray, y: np.ndarray, epochs: int = 2000) -> bool:
    """Run the perceptron rule; True when an epoch ends without a mistake."""
    Xb = np.c_[X, np.ones(len(X))]
    Xb = Xb / np.maximum(np.abs(Xb).max(0), 1e-12)
    w = np.zeros(Xb.shape[1])
    for _ in range(epochs):
        mistakes = 0
        for xi, yi in zip(Xb, y, strict=True):
            y_hat = 1 if xi @ w >= 0 else 0
            if y_hat != yi:
                w += (yi - y_hat) * xi
                mistakes += 1
        if mistakes == 0:
            return True
    return False


def xor_feature(feature: Callable[[np.ndarray], Any]) -> bool:
    """Exercise 4 (section "XOR: the limit of one layer"): one extra feature makes XOR separable.

    ``feature(X)`` maps the (4, 2) XOR inputs to 4 numbers; the check appends
    them as a third column and runs the perceptron rule, which reaches 100 %
    exactly when a plane separates the classes.
    """
    require_function(feature, "xor_feature")
    got = feature(_XOR_X.copy())
    if got is None:
        return not_attempted("feature(X) returns None; make it return one number per row of X.")
    f = np.asarray(got, dtype="float64")
    if f.shape == (4, 1):
        f = f[:, 0]
    if f.shape != (4,):
        raise CheckFailed(f"feature(X) must return one number per point, shape (4,), got {f.shape}. "
                          "Use X[:, 0] and X[:, 1].")
    if not np.all(np.isfinite(f)):
        raise CheckFailed("feature(X) returned NaN or inf")
    X3 = np.c_[_XOR_X, f]
    if not _separable(X3, _XOR_Y):
        A = np.c_[_XOR_X, np.ones(4)]
        linear = np.allclose(A @ np.linalg.lstsq(A, f, rcond=None)[0], f)
        hint = ("your feature is a linear combination a·x₁ + b·x₂ + c, so it adds no new direction: "
                "the points stay on a plane where XOR is still not separable. Try a product."
                if linear else "the perceptron still cannot separate the four points with it. "
                "Which simple function of x₁ and x₂ is 1 only at (1, 1)?")
        raise CheckFailed(f"with the feature {np.round(f, 3).tolist()} XOR is still not linearly separable: "
                          f"{hint}")
    return passed(f"with the extra feature {np.round(f, 3).tolist()} a single perceptron separates XOR: "
                  "a hidden layer learns such features by itself (notebook 02)")
