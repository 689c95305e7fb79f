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
