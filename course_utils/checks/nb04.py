"""Self-checks for notebook 04 · Transfer learning with VGG16.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (``None``, or a function returning ``None``),
so the notebook runs top to bottom as committed; a real but wrong answer
raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

from ._base import CheckFailed, not_attempted, passed, require_function

__all__ = ["head_parameters", "unfreeze_from", "fine_tune_learning_rate", "vgg16_block_parameters"]

#: Parameters of the convolutions of each VGG16 block (3×3 kernels plus biases).
_BLOCK_CHANNELS = {1: (3, 64, 2), 2: (64, 128, 2), 3: (128, 256, 3), 4: (256, 512, 3), 5: (512, 512, 3)}


def vgg16_block_parameters(block: int) -> int:
    """Parameters of VGG16's convolutional block ``block`` (1–5), e.g. 7,079,424 for block 5."""
    if block not in _BLOCK_CHANNELS:
        raise ValueError(f"VGG16 has blocks 1 to 5, got {block!r}")
    c_in, c_out, n = _BLOCK_CHANNELS[block]
    total, prev = 0, c_in
    for _ in range(n):
        total += 3 * 3 * prev * c_out + c_out
        prev = c_out
    return total


def _is_count(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, numbers.Integral) or (isinstance(v, numbers.Real) and float(v).is_integer())


def head_parameters(flatten: Any, gap: Any, size: int = 64) -> bool:
    """Exercise 1: trainable parameters of the Flatten head and of the GAP head at ``size``×``size`` input.

    Both heads are ``→ Dense(256, relu) → Dense(10, softmax)`` on VGG16's last
    feature map, which has ``size // 32`` × ``size // 32`` positions and 512 channels.
    """
    if flatten is None and gap is None:
        return not_attempted("set flatten_params and gap_params to the two counts.")
    if not isinstance(size, int) or size < 32:
        raise ValueError(f"size must be an integer ≥ 32 (VGG16 halves it five times), got {size!r}")
    side = size // 32
    dense = 256 + 256 * 10 + 10  # biases of Dense(256), all of Dense(10)
    want_flatten = side * side * 512 * 256 + dense
    want_gap = 512 * 256 + dense
    for name, got in (("flatten_params", flatten), ("gap_params", gap)):
        if got is None or not _is_count(got):
            raise CheckFailed(f"{name} should be a whole number of parameters, got {got!r}.")
    if int(gap) != want_gap:
        raise CheckFailed(
            f"gap_params = {int(gap):,} is not right. Global average pooling turns any "
            f"{side}×{side}×512 map into 512 numbers, so Dense(256) has 512·256 weights + 256 "
            "biases; add Dense(10)'s 256·10 + 10.")
    if int(flatten) != want_flatten:
        hint = ("did you forget that the map has several positions? " if int(flatten) == want_gap else "")
        raise CheckFailed(
            f"flatten_params = {int(flatten):,} is not right: {hint}At {size}×{size} input the last "
            f"VGG16 feature map is {side}×{side}×512, so Flatten gives {side}·{side}·512 numbers, each "
            "connected to all 256 units of Dense(256) (plus 256 biases), then Dense(10).")
    return passed(f"Flatten head {want_flatten:,} vs GAP head {want_gap:,} parameters at "
                  f"{size}×{size}: GAP keeps the head small whatever the input size.")


def _vgg16_base() -> Any:
    import keras

    return keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))


def _trainable_count(model: Any) -> int:
    return sum(math.prod(w.shape) for w in model.trainable_weights)


def unfreeze_from(fn: Callable[[Any, str], Any], base: Any = None) -> bool:
    """Exercise 2: ``fn(base, first_trainable)`` must unfreeze that layer and every later one.

    Checked on a frozen VGG16 convolutional base (``weights=None``, built here
    unless ``base`` is given) for ``"block5_conv1"`` and ``"block4_conv1"``.
    """
    require_function(fn, "unfreeze_from")
    base = base if base is not None else _vgg16_base()
    names = [layer.name for layer in base.layers]
    for first, blocks in (("block5_conv1", (5,)), ("block4_conv1", (4, 5))):
        base.trainable = False  # where feature extraction left it
        out = fn(base, first)
        if out is None:
            return not_attempted("unfreeze_from still returns None; set the trainable flags, then "
                                  "`return base`.")
        want = sum(vgg16_block_parameters(b) for b in blocks)
        got = _trainable_count(base)
        start = names.index(first)
        early = [layer.name for layer in base.layers[:start] if layer.trainable and layer.weights]
        late = [layer.name for layer in base.layers[start:] if not layer.trainable and layer.weights]
        if got == 0:
            raise CheckFailed(
                f"unfreeze_from(base, {first!r}) left nothing trainable. A model whose `trainable` is "
                "False freezes all its layers whatever their own flags say: set "
                "`base.trainable = True` first, then freeze the layers before the named one.")
        if early:
            raise CheckFailed(f"unfreeze_from(base, {first!r}) left {', '.join(early)} trainable: "
                              "everything before the named layer must stay frozen.")
        if late:
            raise CheckFailed(f"unfreeze_from(base, {first!r}) froze {', '.join(late)}: the named "
                              "layer and every layer after it must be trainable.")
        if got != want:
            raise CheckFailed(f"unfreeze_from(base, {first!r}) gives {got:,} trainable parameters, "
                              f"expected {want:,}.")
    base.trainable = False
    return passed(f"block 5 alone: {vgg16_block_parameters(5):,} trainable parameters; blocks 4–5: "
                  f"{vgg16_block_parameters(4) + vgg16_block_parameters(5):,} (of "
                  f"{base.count_params():,} in the base).")


def fine_tune_learning_rate(lr: Any) -> bool:
    """Exercise 3: a learning rate for fine-tuning pretrained convolutions with Adam.

    Adam moves every weight by about ``lr`` a step, whatever the size of its
    gradient, so the right rate is smaller than the 1e-3 used to train a new
    head: the pretrained filters should be adjusted, not rewritten. Accepted:
    1e-6 to 5e-4, the range of common fine-tuning recipes (1e-5 in the Keras
    guide, 2e-5 to 5e-5 for BERT, 1e-4 to 3e-4 for the last blocks of a CNN).
    Taught with: 04 · Transfer learning, exercise 3.
    """
    if lr is None or lr is Ellipsis:
        return not_attempted("set my_fine_tune_lr to a learning rate.")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr):
        raise CheckFailed(f"my_fine_tune_lr should be a positive number such as 0.01, got {lr!r}.")
    if lr <= 0:
        raise CheckFailed(f"my_fine_tune_lr = {lr} would not descend: a learning rate is positive.")
    if lr >= 1e-3:
        raise CheckFailed(
            f"my_fine_tune_lr = {lr:g} is as large as a rate for training from scratch. Adam moves each "
            "weight by about the learning rate every step, whatever the size of its gradient: within "
            "a few hundred steps the ImageNet filters would move by more than their own typical size, "
            "in the noisy directions a new, still random head sends back. Try 10–100 times smaller.")
    if lr > 5e-4:
        raise CheckFailed(
            f"my_fine_tune_lr = {lr:g} is still on the large side for pretrained convolutions. Common "
            "fine-tuning rates with Adam run from 1e-5 (safe) to a few times 1e-4.")
    if lr < 1e-6:
        raise CheckFailed(
            f"my_fine_tune_lr = {lr:g} is so small that a few epochs would hardly move the weights: "
            "fine-tuning would change nothing. Try 1e-5.")
    return passed(f"my_fine_tune_lr = {lr:g}: small enough to keep what ImageNet taught the filters, "
                  "large enough to adapt them to the new images.")
