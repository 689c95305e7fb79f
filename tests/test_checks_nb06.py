"""Self-checks of notebook 06: right answers pass, starters are "not attempted", wrong ones explain."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import ops

from course_utils import checks
from course_utils.checks import CheckFailed

bce = keras.losses.BinaryCrossentropy(from_logits=True)


def test_discriminator_loss_right_answers_pass(capsys):
    assert checks.discriminator_loss(lambda r, f: bce(ops.ones_like(r), r) + bce(ops.zeros_like(f), f))
    assert checks.discriminator_loss(lambda r, f: ops.mean(ops.softplus(-r)) + ops.mean(ops.softplus(f)))
    assert "✓" in capsys.readouterr().out


def test_discriminator_loss_starter_is_not_attempted(capsys):
    assert checks.discriminator_loss(lambda r, f: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("fn, hint", [
    (lambda r, f: bce(ops.zeros_like(r), r) + bce(ops.ones_like(f), f), "swapped"),
    (lambda r, f: bce(ops.ones_like(r), r), "one of the two terms"),
    (lambda r, f: (bce(ops.ones_like(r), r) + bce(ops.zeros_like(f), f)) / 2, "half"),
    (lambda r, f: ops.softplus(-r), "one number"),
    (lambda r, f: 1.0, "expected"),
])
def test_discriminator_loss_wrong_answers_explain(fn, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.discriminator_loss(fn)


def test_generator_loss():
    assert checks.generator_loss(lambda f: bce(ops.ones_like(f), f))
    assert checks.generator_loss(lambda f: None) is False
    with pytest.raises(CheckFailed, match="saturating"):
        checks.generator_loss(lambda f: -ops.mean(ops.softplus(f)))
    with pytest.raises(CheckFailed, match="target 0"):
        checks.generator_loss(lambda f: bce(ops.zeros_like(f), f))
    with pytest.raises(CheckFailed, match="raised ZeroDivisionError"):
        checks.generator_loss(lambda f: 1 / 0)
    with pytest.raises(CheckFailed, match="without calling it"):
        checks.generator_loss(0.5)


def right_slerp(z0, z1, steps):
    omega = np.arccos(np.dot(z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1)))
    t = np.linspace(0, 1, steps)[:, None]
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def test_slerp():
    assert checks.slerp(right_slerp)
    assert checks.slerp(lambda z0, z1, s: ops.convert_to_tensor(right_slerp(z0, z1, s)))  # tensors are fine
    assert checks.slerp(lambda z0, z1, s: None) is False


@pytest.mark.parametrize("fn, hint", [
    (lambda z0, z1, s: z0, "shape"),
    (lambda z0, z1, s: right_slerp(z0, z1, s + 1)[:-1], "first row"),
    (lambda z0, z1, s: (1 - np.linspace(0, 1, s)[:, None]) * z0 + np.linspace(0, 1, s)[:, None] * z1,
     "linear interpolation"),
    (lambda z0, z1, s: np.vstack([z0, np.repeat(z0[None], s - 2, 0), z1]), "great circle"),
])
def test_slerp_wrong_answers_explain(fn, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.slerp(fn)


BLIND = (2 * np.log(2), np.log(2))  # what the notebook's d_loss and g_loss return for logits 0


def test_blind_discriminator_losses_right_prediction_passes(capsys):
    assert checks.blind_discriminator_losses(1.386, 0.693, real_target=0.9, measured=BLIND)
    assert checks.blind_discriminator_losses(2 * np.log(2), np.log(2), real_target=1.0, measured=BLIND)
    out = capsys.readouterr().out
    assert "✓" in out and "label smoothing or not" in out


def test_blind_discriminator_losses_not_attempted_hides_the_answer(capsys):
    assert checks.blind_discriminator_losses(None, None, real_target=0.9, measured=BLIND) is False
    assert checks.blind_discriminator_losses(1.386, None, real_target=0.9, measured=BLIND) is False
    out = capsys.readouterr().out
    assert "Not attempted yet" in out and "predicted_g_loss" in out
    assert "1.386" not in out and "0.693" not in out  # the measured values stay hidden


def balance(t):
    d = t / 2
    return -(t * np.log(d) + (1 - t) * np.log(1 - d)) - np.log(1 - d), -np.log(d)


@pytest.mark.parametrize("d, g, hint", [
    (*balance(0.9), "balance value of section 5"),
    (1.9 * np.log(2), np.log(2), "has a \\(1 - t\\) part"),
    (np.log(2), np.log(2), "is one term"),
    (2 * np.log(2), 0.9 * np.log(2), "target is 1, not t"),
    (2.0, 1.0, "is not it"),
])
def test_blind_discriminator_losses_wrong_predictions_explain(d, g, hint):
    with pytest.raises(CheckFailed, match=hint) as err:
        checks.blind_discriminator_losses(d, g, real_target=0.9, measured=BLIND)
    assert "measured: L_D = 1.386, L_G = 0.693" in str(err.value)


def test_blind_discriminator_losses_bad_input():
    with pytest.raises(CheckFailed, match="one number"):
        checks.blind_discriminator_losses("a lot", 0.7, real_target=0.9, measured=BLIND)
    with pytest.raises(CheckFailed, match="re-run section 5"):  # the notebook's own loss is broken
        checks.blind_discriminator_losses(1.386, 0.693, real_target=0.9, measured=(1.0, 0.5))
    with pytest.raises(CheckFailed, match="real_target"):
        checks.blind_discriminator_losses(1.386, 0.693, real_target=0.0, measured=BLIND)
