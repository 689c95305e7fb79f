"""Self-checks of notebook 04: right answers pass, starters are 'not attempted', wrong ones explain."""

import keras
import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed, nb04


@pytest.fixture(scope="module")
def base():
    return keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))


def test_block_parameters_add_up_to_the_conv_base(base):
    assert sum(nb04.vgg16_block_parameters(b) for b in range(1, 6)) == 14_714_688 == base.count_params()
    assert nb04.vgg16_block_parameters(5) == 7_079_424
    with pytest.raises(ValueError, match="blocks 1 to 5"):
        nb04.vgg16_block_parameters(6)


def test_head_parameters(capsys):
    assert checks.head_parameters(None, None) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.head_parameters(527_114, 133_898, size=64)
    assert checks.head_parameters(np.int64(133_898), 133_898.0, size=32)  # 1×1 map: the same
    assert checks.head_parameters(5 * 5 * 512 * 256 + 2826, 133_898, size=160)
    with pytest.raises(CheckFailed, match="several positions"):
        checks.head_parameters(133_898, 133_898, size=64)
    with pytest.raises(CheckFailed, match="gap_params"):
        checks.head_parameters(527_114, 527_114, size=64)
    with pytest.raises(CheckFailed, match="whole number"):
        checks.head_parameters(527_114, None)
    with pytest.raises(CheckFailed, match="whole number"):
        checks.head_parameters("527114", 133_898)
    with pytest.raises(ValueError, match="size"):
        checks.head_parameters(1, 1, size=16)


def right(base, first):
    base.trainable = True
    start = [layer.name for layer in base.layers].index(first)
    for i, layer in enumerate(base.layers):
        layer.trainable = i >= start
    return base


def test_unfreeze_from(base, capsys):
    assert checks.unfreeze_from(lambda b, f: None, base) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.unfreeze_from(right, base)
    assert "7,079,424" in capsys.readouterr().out
    assert base.trainable is False, "the check leaves the base frozen"


def test_unfreeze_from_explains_mistakes(base):
    def forgot_parent(b, first):  # sets the layers' flags but leaves the model frozen
        right(b, first)
        b.trainable = False
        return b

    with pytest.raises(CheckFailed, match="base.trainable = True"):
        checks.unfreeze_from(forgot_parent, base)

    def everything(b, first):
        b.trainable = True
        return b

    with pytest.raises(CheckFailed, match="block1_conv1.*trainable"):
        checks.unfreeze_from(everything, base)

    def off_by_one(b, first):
        right(b, first)
        b.get_layer(first).trainable = False
        return b

    with pytest.raises(CheckFailed, match="froze block5_conv1"):
        checks.unfreeze_from(off_by_one, base)

    def hard_coded(b, first):
        return right(b, "block5_conv1")

    with pytest.raises(CheckFailed, match="froze block4_conv1"):
        checks.unfreeze_from(hard_coded, base)
    with pytest.raises(CheckFailed, match="itself \\(without calling it\\)"):
        checks.unfreeze_from("right", base)


@pytest.mark.parametrize("lr", [1e-5, 1e-4, 1e-6, 3e-5, 2e-4, 3e-4, 5e-4])
def test_fine_tune_learning_rate_accepts_common_fine_tuning_rates(lr):
    """2e-4 and 3e-4 are common fine-tuning rates (issue 23 found them rejected)."""
    assert checks.fine_tune_learning_rate(lr)


@pytest.mark.parametrize("lr, message", [(1e-3, "from scratch"), (0.1, "from scratch"),
                                         (7e-4, "large side"), (1e-9, "hardly move"),
                                         (0, "positive"), (-1e-5, "positive"),
                                         ("1e-5", "number"), (True, "number"),
                                         (float("nan"), "number")])
def test_fine_tune_learning_rate_explains(lr, message):
    with pytest.raises(CheckFailed, match=message):
        checks.fine_tune_learning_rate(lr)


def test_fine_tune_learning_rate_not_attempted(capsys):
    assert checks.fine_tune_learning_rate(None) is False
    assert checks.fine_tune_learning_rate(...) is False
    assert "Not attempted" in capsys.readouterr().out
