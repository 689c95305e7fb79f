"""Self-checks for notebook 03 · Convolutional networks.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (a function returning ``None``, a filter set
to ``None``), so the notebook runs top to bottom as committed; a real but
wrong answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._base import CheckFailed, is_open, not_attempted, passed, require_function

__all__ = ["conv_output_size", "edge_filter", "conv_block_model", "reference_output_size",
           "predict_conv", "predicted_answers"]


def reference_output_size(n: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Output width of a convolution or pooling window along one axis (as Keras computes it).

    ``"valid"``: ⌊(n − k) / s⌋ + 1; ``"same"``: ⌈n / s⌉.
    """
    if padding == "valid":
        return (n - kernel) // stride + 1
    if padding == "same":
        return math.ceil(n / stride)
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")


_CASES = [(32, 3, 1, "valid"), (32, 3, 1, "same"), (6, 3, 1, "valid"), (28, 5, 1, "valid"),
          (32, 2, 2, "valid"), (31, 2, 2, "valid"), (32, 3, 2, "same"), (31, 3, 2, "same"),
          (224, 7, 2, "same"), (224, 11, 4, "valid"), (13, 3, 2, "valid"), (8, 1, 1, "valid")]


def conv_output_size(fn: Callable[..., Any]) -> bool:
    """Exercise 1 (section "Convolution as an operation"): the output size of a convolution.

    ``fn(n, kernel, stride, padding)`` must return the output width for an
    input of width ``n``, a ``kernel``-wide window moved ``stride`` pixels at
    a time, with ``padding`` ``"valid"`` (no padding) or ``"same"``.
    """
    require_function(fn, "conv_output_size")
    first = fn(*_CASES[0])
    if first is None or first is Ellipsis:
        return not_attempted("conv_output_size returns None; replace the `return None` line.")
    for n, k, s, pad in _CASES:
        got = fn(n, k, s, pad)
        want = reference_output_size(n, k, s, pad)
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            if isinstance(got, (float, np.floating)) and float(got).is_integer() and int(got) == want:
                continue
            raise CheckFailed(f"n={n}, kernel={k}, stride={s}, padding={pad!r}: got {got!r}, "
                              "expected a whole number of pixels. Use // (floor division) or "
                              "math.ceil, not /.")
        if got != want:
            hint = ("with 'same' padding Keras pads so that the output is ⌈n / stride⌉ wide"
                    if pad == "same" else "count where the window can start: 0, s, 2s, ... up to n − k")
            raise CheckFailed(f"n={n}, kernel={k}, stride={s}, padding={pad!r}: got {got}, expected "
                              f"{want}; {hint}.")
    return passed(f"conv_output_size is right on {len(_CASES)} cases, valid and same, strides 1 to 4.")


def _correlate(img: np.ndarray, k: np.ndarray) -> np.ndarray:
    h, w = img.shape
    out = np.zeros((h - 2, w - 2))
    for i in range(3):
        for j in range(3):
            out += k[i, j] * img[i:i + h - 2, j:j + w - 2]
    return out


def edge_filter(kernel: Any) -> bool:
    """Exercise 2 (section "Convolution as an operation"): a 3×3 filter for horizontal edges.

    The filter must answer strongly where the image changes from top to bottom
    (a horizontal edge), not at all on flat areas, and hardly at all on a
    vertical edge.
    """
    if kernel is None or kernel is Ellipsis:
        return not_attempted("my_filter is None; set it to a 3×3 list or array.")
    try:
        k = np.asarray(kernel, dtype="float64")
    except (TypeError, ValueError) as e:
        raise CheckFailed(f"the filter must be a 3×3 list of numbers or a NumPy array ({e})") from None
    if k.shape != (3, 3):
        raise CheckFailed(f"the filter must have shape (3, 3), got {k.shape}")
    if not np.all(np.isfinite(k)):
        raise CheckFailed("the filter contains NaN or inf")
    flat = np.full((8, 8), 0.5)
    horizontal = np.zeros((8, 8))
    horizontal[4:] = 1.0          # dark on top, bright below
    vertical = horizontal.T.copy()  # dark on the left, bright on the right
    r_flat = np.abs(_correlate(flat, k)).max()
    r_h = np.abs(_correlate(horizontal, k)).max()
    r_v = np.abs(_correlate(vertical, k)).max()
    if r_h < 1e-6:
        raise CheckFailed("the filter gives no response on a horizontal edge (dark above, bright "
                          "below). Give the top row and the bottom row weights of opposite sign.")
    if r_flat > 0.05 * r_h:
        raise CheckFailed(f"on a flat grey area the filter answers {r_flat:.3g} (edge: {r_h:.3g}); "
                          "an edge detector must give 0 there: make its weights add up to zero.")
    if r_v > 0.25 * r_h:
        raise CheckFailed(f"it also answers on a vertical edge ({r_v:.3g} vs {r_h:.3g} on a "
                          "horizontal one): it detects changes from left to right too. Make every "
                          "column add up to zero, e.g. the bottom row the negative of the top row "
                          "(Sobel y: [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]).")
    return passed(f"a horizontal-edge detector: edge response {r_h:.3g}, vertical edge {r_v:.3g}, "
                  f"flat area {r_flat:.3g}.")


def conv_block_model(build: Callable[[], Any]) -> bool:
    """Exercise 4 (section "A convolutional network"): add a third conv block.

    ``build()`` must return an uncompiled Keras model for (32, 32, 3) images
    and 10 classes whose third block is Conv2D with 64 filters → BatchNormalization
    → ReLU → MaxPooling2D, like the two blocks before it: at least three Conv2D
    layers, each followed directly by a BatchNormalization layer, the third with
    64 filters, and a pooling layer after each block.
    """
    require_function(build, "build_three_block_cnn")
    model = build()
    if model is None or model is Ellipsis:
        return not_attempted("build_three_block_cnn returns None; replace the `return None` line.")
    import keras

    if not isinstance(model, keras.Model):
        raise CheckFailed(f"build_three_block_cnn must return a Keras model, got {type(model).__name__}")
    layers = _flat_layers(model)
    convs = [i for i, lay in enumerate(layers) if isinstance(lay, keras.layers.Conv2D)]
    pools = [lay for lay in layers if isinstance(lay, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D))]
    if len(convs) < 3:
        raise CheckFailed(f"the model has {len(convs)} Conv2D layer(s); add a third block "
                          "(Conv2D → BatchNormalization → ReLU → MaxPooling2D) after the second.")
    third = layers[convs[2]]
    if third.filters != 64:
        raise CheckFailed(f"the third Conv2D has {third.filters} filters; the task asks for 64 "
                          "(each block doubles the channels: 16, 32, 64).")
    for i in convs:
        after = layers[i + 1] if i + 1 < len(layers) else None
        if not isinstance(after, keras.layers.BatchNormalization):
            what = type(after).__name__ if after is not None else "nothing"
            raise CheckFailed(f"the Conv2D layer {layers[i].name!r} ({layers[i].filters} filters) is "
                              f"followed by {what}, not by BatchNormalization: every block is "
                              "Conv2D → BatchNormalization → ReLU → MaxPooling2D.")
    if len(pools) < 3:
        raise CheckFailed(f"the model has {len(pools)} pooling layer(s); end each block with "
                          "MaxPooling2D(2) so the maps halve: 32 → 16 → 8 → 4.")
    try:
        out = model(np.zeros((2, 32, 32, 3), dtype="float32"), training=False)
    except Exception as e:  # noqa: BLE001 (any build error is the learner's to see)
        raise CheckFailed(f"the model does not run on a batch of (32, 32, 3) images: {e}") from None
    if tuple(out.shape) != (2, 10):
        raise CheckFailed(f"the output has shape {tuple(out.shape)} for 2 images; expected (2, 10): "
                          "end with Dense(10, activation='softmax').")
    return passed(f"{len(convs)} conv layers (the third with 64 filters), each followed by batch "
                  f"normalization, {len(pools)} pooling layers, {model.count_params():,} parameters, "
                  "output (batch, 10).")


#: Exercise 3's layers: Conv2D(32, 5, strides=2, padding="valid") on 28×28 RGB images, and the
#: stack whose receptive field is asked: Conv2D 3×3 → MaxPooling2D 2×2 → Conv2D 3×3 → Conv2D 3×3.
PREDICT_INPUT = (28, 28, 3)
PREDICT_CONV = {"filters": 32, "kernel": 5, "stride": 2, "padding": "valid"}
PREDICT_STACK = [(3, 1), (2, 2), (3, 1), (3, 1)]  # (kernel or pool size, stride), as in the table


def predicted_answers() -> dict[str, Any]:
    """The answers to exercise 3, computed with the formulas of sections 2 and 3."""
    h, w, c = PREDICT_INPUT
    f, k, s, pad = (PREDICT_CONV[key] for key in ("filters", "kernel", "stride", "padding"))
    shape = (reference_output_size(h, k, s, pad), reference_output_size(w, k, s, pad), f)
    field, jump = 1, 1
    for kernel, stride in PREDICT_STACK:
        field, jump = field + (kernel - 1) * jump, jump * stride
    return {"output shape": shape, "parameters": k * k * c * f + f, "receptive field": field}


def predict_conv(predictions: Any) -> bool:
    """Exercise 3 (sections "Convolution as an operation" and "The receptive field"): predict, then run.

    ``predictions`` is a dict with "output shape" (height, width, channels) and "parameters" of
    ``Conv2D(32, 5, strides=2, padding="valid")`` on 28×28×3 images, and "receptive field" (the
    width r, in pixels) of a unit after Conv2D 3×3 → MaxPooling2D 2×2 → Conv2D 3×3 → Conv2D 3×3.
    Each answer left at None counts as not attempted; a wrong one fails with a hint.
    """
    if not isinstance(predictions, dict):
        raise CheckFailed(f"predictions must be the dict of the exercise, got {type(predictions).__name__}")
    want = predicted_answers()
    missing = [key for key in want if key not in predictions]
    if missing:
        raise CheckFailed(f"the dict lacks {', '.join(map(repr, missing))}; keep the three keys of the exercise")
    open_keys = [key for key in want if is_open(predictions[key])]
    if len(open_keys) == len(want):
        return not_attempted("my_predictions still holds None; write down your three predictions.")
    h, w, c = PREDICT_INPUT
    f, k, s = PREDICT_CONV["filters"], PREDICT_CONV["kernel"], PREDICT_CONV["stride"]
    got = predictions["output shape"]
    if not is_open(got):
        try:
            shape = tuple(int(v) for v in got)
        except (TypeError, ValueError):
            raise CheckFailed(f"output shape: give (height, width, channels), got {got!r}") from None
        if len(shape) != 3:
            raise CheckFailed(f"output shape: give three numbers (height, width, channels), got {got!r}")
        if shape[2] != want["output shape"][2]:
            raise CheckFailed(f"output shape: {shape[2]} channels; a Conv2D puts out one map per "
                              f"filter, and this one has {f} filters.")
        if shape[:2] != want["output shape"][:2]:
            raise CheckFailed(f"output shape: {shape[0]}×{shape[1]} is not right. With 'valid' (no "
                              f"padding) a {k}-wide window moved {s} pixels at a time fits "
                              f"⌊(n − k) / s⌋ + 1 times along an axis of n = {h} pixels.")
    got = predictions["parameters"]
    if not is_open(got):
        if isinstance(got, bool) or not isinstance(got, (int, np.integer, float, np.floating)):
            raise CheckFailed(f"parameters: give a number, got {got!r}")
        if got == k * k * c * f:
            raise CheckFailed(f"parameters: {got:,} counts the weights only; every filter also "
                              "has a bias.")
        if got == k * k * f + f:
            raise CheckFailed(f"parameters: {got:,} treats the input as one channel; each filter "
                              f"spans all {c} colour channels: k·k·{c} weights.")
        if got != want["parameters"]:
            raise CheckFailed(f"parameters: {got:,} is not right. A filter has k·k·(input "
                              "channels) weights and one bias, and there is one filter per "
                              "output channel; the image size does not enter.")
    got = predictions["receptive field"]
    if not is_open(got):
        if isinstance(got, bool) or not isinstance(got, (int, np.integer, float, np.floating)):
            raise CheckFailed(f"receptive field: give its width r in pixels, got {got!r}")
        no_jump = 1 + sum(kernel - 1 for kernel, _ in PREDICT_STACK)
        if got == no_jump:
            raise CheckFailed(f"receptive field: {got} would be right without the pooling's stride. "
                              "After a 2×2 pooling with stride 2 neighbouring units are 2 pixels "
                              "apart (j = 2), so each later 3×3 convolution adds (k − 1)·j = 4.")
        if got != want["receptive field"]:
            raise CheckFailed(f"receptive field: {got} is not right. Start with r = 1, j = 1 and "
                              "apply r ← r + (k − 1)·j, j ← j·s layer by layer.")
    if open_keys:
        return not_attempted(f"right so far; still to predict: {', '.join(open_keys)}.")
    return passed(f"all three right: output {want['output shape']}, {want['parameters']:,} "
                  f"parameters, a receptive field of {want['receptive field']}×{want['receptive field']} "
                  "pixels. Now run the next cell and see Keras agree.")


def _flat_layers(model: Any) -> list[Any]:
    out = []
    for lay in model.layers:
        if hasattr(lay, "layers") and lay.layers:
            out.extend(_flat_layers(lay))
        else:
            out.append(lay)
    return out
