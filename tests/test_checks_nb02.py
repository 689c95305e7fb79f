"""Self-checks of 02 · Multilayer networks: right answers pass, starters are 'not attempted',
wrong answers raise CheckFailed with a specific hint."""

from __future__ import annotations

import warnings

import keras
import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# -- Exercise 1: sigmoid_backward ------------------------------------------------------------

def test_sigmoid_backward_right_answer_passes(capsys):
    def good(z, grad_out):
        s = 1 / (1 + np.exp(-z))
        return grad_out * s * (1 - s)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check must not make a right answer warn
        assert checks.sigmoid_backward(good) is True
    assert "✓" in capsys.readouterr().out


def test_sigmoid_backward_starter_is_not_attempted(capsys):
    assert checks.sigmoid_backward(lambda z, g: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda z, g: g * _sigmoid(z), r"σ\(z\) itself"),
    (lambda z, g: g * (1 - _sigmoid(z)), "close, but"),
    (lambda z, g: g * z * (1 - z), "close, but"),
    (lambda z, g: _sigmoid(z) * (1 - _sigmoid(z)), "grad_out"),       # forgets the upstream gradient
    (lambda z, g: (g * _sigmoid(z) * (1 - _sigmoid(z))).sum(), "shape"),
    (lambda z, g: g * np.exp(-z) / (1 + np.exp(-z)) ** 2, "NaN or inf"),  # overflows at z = -800
])
def test_sigmoid_backward_wrong_answers_are_explained(wrong, message):
    with np.errstate(all="ignore"), pytest.raises(CheckFailed, match=message):
        checks.sigmoid_backward(wrong)


def test_sigmoid_backward_needs_a_function():
    with pytest.raises(CheckFailed, match="itself \\(without calling it\\)"):
        checks.sigmoid_backward(0.25)


# -- Exercise 2: backward_bug_fixed (the planted bug) ---------------------------------------

def _backward(params, cache, y):
    """The backward pass of section 2."""
    X, H, P = cache
    dZ2 = (P - np.eye(P.shape[1])[y]) / len(y)
    dZ1 = (dZ2 @ params["W2"].T) * (1 - H**2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum(axis=0)}


def _planted_bug(params, cache, y):
    """The notebook's starter: tanh applied twice on the way back."""
    X, H, P = cache
    dZ2 = (P - np.eye(P.shape[1])[y]) / len(y)
    dH = dZ2 @ params["W2"].T
    dZ1 = dH * (1 - np.tanh(H) ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum(axis=0)}


def test_backward_bug_fixed_right_answer_passes(capsys):
    assert checks.backward_bug_fixed(_backward) is True
    assert "✓" in capsys.readouterr().out


def test_backward_bug_fixed_starter_is_not_attempted(capsys):
    assert checks.backward_bug_fixed(_planted_bug) is False
    assert "still holds the planted bug" in capsys.readouterr().out
    assert checks.backward_bug_fixed(lambda params, cache, y: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


def _with(change):
    def fn(params, cache, y):
        grads = _backward(params, cache, y)
        return change(grads, params, cache, y)
    return fn


def _no_tanh_derivative(params, cache, y):
    X, H, P = cache
    dZ1 = ((P - np.eye(P.shape[1])[y]) / len(y)) @ params["W2"].T  # forgot × (1 − H²)
    return {**_backward(params, cache, y), "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0)}


def _mutates(params, cache, y):
    grads = _backward(params, cache, y)
    params["W1"] -= 0.1 * grads["W1"]  # a training step has no place in a backward pass
    return grads


@pytest.mark.parametrize(("wrong", "message"), [
    (_no_tanh_derivative, "fails for W1, b1.*second layer's gradients are right"),
    (_with(lambda g, p, c, y: {k: v * len(y) for k, v in g.items()}), "start"),  # forgot / n
    (_with(lambda g, p, c, y: {**g, "b2": g["b2"] / len(y)}), "bias gradient sums"),  # mean, not sum
    (_with(lambda g, p, c, y: {**g, "W2": g["W2"] * 1.01}), "matrix products"),
    (_with(lambda g, p, c, y: {**g, "W1": -g["W1"], "b2": -g["b2"]}), "formulas of section 2"),
    (_with(lambda g, p, c, y: {**g, "W2": g["W2"].T}), "shape"),
    (_with(lambda g, p, c, y: [g["W1"], g["b1"], g["W2"], g["b2"]]), "dict"),
    (_with(lambda g, p, c, y: {k: g[k] for k in ("W1", "W2")}), "dict"),
    (_mutates, "changed the weights"),
])
def test_backward_bug_fixed_wrong_answers_are_explained(wrong, message):
    with pytest.raises(CheckFailed, match=message):
        checks.backward_bug_fixed(wrong)


def test_backward_bug_fixed_needs_a_function():
    with pytest.raises(CheckFailed, match="itself \\(without calling it\\)"):
        checks.backward_bug_fixed({"W1": 0})


# -- Exercise 3: momentum_step ----------------------------------------------------------------

def _momentum(w, v, grad, lr, momentum):
    v = momentum * v - lr * grad
    return w + v, v


def test_momentum_step_right_answer_passes(capsys):
    assert checks.momentum_step(_momentum) is True
    assert "✓" in capsys.readouterr().out


def test_momentum_step_matches_keras_sgd():
    w = keras.Variable(np.array([1.0, -2.0], dtype="float32"))
    opt = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    grad = np.array([0.5, 1.0], dtype="float32")
    wn, v = np.array([1.0, -2.0]), np.zeros(2)
    for _ in range(3):
        opt.apply_gradients([(keras.ops.convert_to_tensor(grad), w)])
        wn, v = _momentum(wn, v, grad, 0.1, 0.9)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(w), wn, rtol=1e-5)


def test_momentum_step_starter_is_not_attempted(capsys):
    assert checks.momentum_step(lambda w, v, g, lr, m: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda w, v, g, lr, m: (w + m * v + lr * g, m * v + lr * g), "up"),
    (lambda w, v, g, lr, m: (w - lr * g, -lr * g), "forgets its past"),
    (lambda w, v, g, lr, m: (w + v, m * v - lr * g), "old velocity"),
    (lambda w, v, g, lr, m: (w - lr * g, m * v - lr * g), "w_new"),
    (lambda w, v, g, lr, m: w + m * v - lr * g, "two arrays"),
    (lambda w, v, g, lr, m: (w, (m * v - lr * g).ravel()), "shape"),
])
def test_momentum_step_wrong_answers_are_explained(wrong, message):
    with pytest.raises(CheckFailed, match=message):
        checks.momentum_step(wrong)


def test_momentum_step_needs_a_function():
    with pytest.raises(CheckFailed, match="itself \\(without calling it\\)"):
        checks.momentum_step((1, 2))


# -- Exercise 4: early_stopping_callback ----------------------------------------------------

def test_early_stopping_right_answer_passes(capsys):
    cb = keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=10,
                                       restore_best_weights=True)
    assert checks.early_stopping_callback(cb) is True
    assert "✓" in capsys.readouterr().out
    auto = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=10, restore_best_weights=True)
    assert checks.early_stopping_callback(auto) is True


def test_early_stopping_starter_is_not_attempted(capsys):
    assert checks.early_stopping_callback(None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(("wrong", "message"), [
    (keras.callbacks.EarlyStopping(monitor="accuracy", restore_best_weights=True, patience=5), "training metric"),
    (keras.callbacks.EarlyStopping(monitor="val_loss", restore_best_weights=True, patience=5), "val_accuracy"),
    (keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="min", restore_best_weights=True,
                                   patience=5), "mode='max'"),
    (keras.callbacks.EarlyStopping(monitor="val_accuracy", restore_best_weights=True), "patience"),
    (keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=3,
                                   restore_best_weights=True), "patience=3.*patience=10"),
    (keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=11,
                                   restore_best_weights=True), "patience=11"),
    (keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=10), "restore_best_weights"),
    (keras.callbacks.EarlyStopping, "class itself"),
    (keras.callbacks.ModelCheckpoint("/tmp/x.keras"), "expected a keras.callbacks.EarlyStopping"),
])
def test_early_stopping_wrong_answers_are_explained(wrong, message):
    with pytest.raises(CheckFailed, match=message):
        checks.early_stopping_callback(wrong)
