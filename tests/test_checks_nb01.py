"""Self-checks of notebook 01 · The perceptron: starter, right answer, typical wrong answers."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed

# -- exercise 1: perceptron_update -------------------------------------------------------------

def _update(w, b, x, y, lr):
    y_hat = 1 if x @ w + b >= 0 else 0
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def test_perceptron_update_starter_is_not_attempted(capsys):
    assert checks.perceptron_update(lambda w, b, x, y, lr: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


def test_perceptron_update_right(capsys):
    assert checks.perceptron_update(_update) is True
    assert "✓" in capsys.readouterr().out


def test_perceptron_update_in_place_is_fine():
    def in_place(w, b, x, y, lr):
        y_hat = 1 if x @ w + b >= 0 else 0
        w += lr * (y - y_hat) * x
        return w, b + lr * (y - y_hat)

    assert checks.perceptron_update(in_place) is True


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, b, x, y, lr: (w + lr * (2 * y - 1) * x, b + lr * (2 * y - 1)), "only learns from mistakes"),
    (lambda w, b, x, y, lr: (w - lr * (y - (x @ w + b >= 0)) * x, b - lr * (y - (x @ w + b >= 0))),
     "sign is flipped"),
    (lambda w, b, x, y, lr: (_update(w, b, x, y, lr)[0], b), "bias"),
    (lambda w, b, x, y, lr: _update(w, b, x, y, 1.0), "learning rate"),
    (lambda w, b, x, y, lr: (w + lr * (y - (x @ w + b > 0)) * x, b + lr * (y - (x @ w + b > 0))),
     "ŷ = 1 if w·x \\+ b ≥ 0"),
])
def test_perceptron_update_wrong_answers_say_why(wrong, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.perceptron_update(wrong)


def _planted(w, b, x, y, lr):
    y_hat = 1 if x @ w + b >= 0 else -1
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def test_perceptron_update_planted_bug_is_not_attempted(capsys):
    assert checks.perceptron_update(_planted) is False
    out = capsys.readouterr().out
    assert "Not attempted yet" in out and "still the function with the bug" in out


def test_perceptron_update_half_fixed_bug_names_the_labels():
    def strict(w, b, x, y, lr):   # changed ≥ to >, kept the −1
        y_hat = 1 if x @ w + b > 0 else -1
        return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)

    with pytest.raises(CheckFailed, match="ŷ must be 0 or 1, like the labels"):
        checks.perceptron_update(strict)


def test_perceptron_update_bad_returns():
    with pytest.raises(CheckFailed, match="pair"):
        checks.perceptron_update(lambda w, b, x, y, lr: w)
    with pytest.raises(CheckFailed, match="shape"):
        checks.perceptron_update(lambda w, b, x, y, lr: (np.zeros(5), 0.0))
    with pytest.raises(CheckFailed, match="itself \\(without calling it\\)"):
        checks.perceptron_update(_update(np.zeros(2), 0.0, np.ones(2), 1, 1.0))


# -- exercise 2: sigmoid_derivative ------------------------------------------------------------

def _sig(z):
    return 1 / (1 + np.exp(-z))


def test_sigmoid_derivative_starter_and_right(capsys):
    assert checks.sigmoid_derivative(lambda z: None) is False
    assert "Not attempted yet" in capsys.readouterr().out
    assert checks.sigmoid_derivative(lambda z: _sig(z) * (1 - _sig(z))) is True


@pytest.mark.parametrize("wrong, hint", [
    (_sig, "σ\\(z\\) itself"),
    (lambda z: 1 - _sig(z), "1 − σ"),
    (lambda z: _sig(z) ** 2, "σ\\(z\\)²"),
    (lambda z: 1 - np.tanh(z) ** 2, "tanh"),
    (lambda z: np.full_like(z, 0.25), "s \\* \\(1 - s\\)"),
    (lambda z: 0.25, "same shape"),
    (lambda z: np.full_like(z, np.nan), "NaN"),
])
def test_sigmoid_derivative_wrong_answers_say_why(wrong, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.sigmoid_derivative(wrong)


def test_sigmoid_derivative_must_be_elementwise():
    def only_1d(z):
        z = np.asarray(z)
        if z.ndim != 1:
            return np.zeros(z.shape)
        return _sig(z) * (1 - _sig(z))

    with pytest.raises(CheckFailed, match="2-D"):
        checks.sigmoid_derivative(only_1d)


# -- exercise 3: converging_learning_rate ------------------------------------------------------

def _quadratic_gd(lr, steps=30):
    """Gradient descent on L(w) = 1 + w², from w = 3: converges for 0 < lr < 1."""
    w, losses = 3.0, []
    for _ in range(steps + 1):
        losses.append(1 + w * w)
        w -= lr * 2 * w
    return losses


def test_converging_learning_rate(capsys):
    assert checks.converging_learning_rate(None, _quadratic_gd, 1.0) is False
    assert "Not attempted yet" in capsys.readouterr().out
    assert checks.converging_learning_rate(0.3, _quadratic_gd, 1.0) is True
    out = capsys.readouterr().out
    # The rates that bring 1 + w² from w = 3 within 1 % in 30 steps: |1 − 2·lr|³⁰ · 3 < 0.1.
    low, high = (1 - (0.1 / 3) ** (1 / 30)) / 2, (1 + (0.1 / 3) ** (1 / 30)) / 2
    shown = [float(v) for v in out.split("those from ")[1].split(" converge")[0].split(" to ")]
    assert low < shown[0] < low * 1.1 and high * 0.95 < shown[1] < high
    with pytest.raises(CheckFailed, match="too small"):
        checks.converging_learning_rate(0.01, _quadratic_gd, 1.0)
    with pytest.raises(CheckFailed, match="too large"):
        checks.converging_learning_rate(1.2, _quadratic_gd, 1.0)
    with pytest.raises(CheckFailed, match="too large"):   # oscillating but not growing at first
        checks.converging_learning_rate(1.0, lambda lr: [2.0, 1.5, 1.6, 1.0], 1.0)


@pytest.mark.parametrize("lr, match", [("0.1", "number"), (True, "number"), (-0.5, "positive"),
                                       (0, "positive")])
def test_converging_learning_rate_bad_input(lr, match):
    with pytest.raises(CheckFailed, match=match):
        checks.converging_learning_rate(lr, _quadratic_gd, 1.0)


def test_converging_learning_rate_needs_a_loss_history():
    with pytest.raises(CheckFailed, match="at least two"):
        checks.converging_learning_rate(0.1, lambda lr: [1.0], 1.0)


# -- exercise 4: xor_feature -------------------------------------------------------------------

def test_xor_feature(capsys):
    assert checks.xor_feature(lambda X: None) is False
    assert "Not attempted yet" in capsys.readouterr().out
    assert checks.xor_feature(lambda X: X[:, 0] * X[:, 1]) is True
    assert checks.xor_feature(lambda X: np.abs(X[:, 0] - X[:, 1])[:, None]) is True


def test_xor_feature_wrong():
    with pytest.raises(CheckFailed, match="linear combination"):
        checks.xor_feature(lambda X: X[:, 0] + X[:, 1])
    with pytest.raises(CheckFailed, match="shape \\(4,\\)"):
        checks.xor_feature(lambda X: X)
    with pytest.raises(CheckFailed, match="NaN"):
        checks.xor_feature(lambda X: np.full(4, np.inf))


def test_xor_data_is_xor():
    from course_utils.checks import nb01

    assert nb01._XOR_X.shape == (4, 2)
    np.testing.assert_array_equal(nb01._XOR_Y, np.logical_xor(nb01._XOR_X[:, 0], nb01._XOR_X[:, 1]))
    assert not hasattr(checks, "XOR_X")  # the notebook defines its XOR data itself
