"""Self-checks of 03 · Convolutional networks: starters say "not attempted", wrong answers raise."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed


def good_size(n, kernel, stride=1, padding="valid"):
    return math.ceil(n / stride) if padding == "same" else (n - kernel) // stride + 1


def test_conv_output_size(capsys):
    assert checks.conv_output_size(lambda *a, **k: None) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.conv_output_size(good_size) is True
    with pytest.raises(CheckFailed, match="same"):
        checks.conv_output_size(lambda n, k, s=1, p="valid": (n - k) // s + 1)
    with pytest.raises(CheckFailed, match="floor division"):
        checks.conv_output_size(lambda n, k, s=1, p="valid": (n - k) / s + 1 if p == "valid" else n / s)
    with pytest.raises(CheckFailed):
        checks.conv_output_size(lambda n, k, s=1, p="valid": n - k + 1 if p == "valid" else n)
    with pytest.raises(CheckFailed, match="function"):
        checks.conv_output_size(3)


def test_reference_output_size():
    assert checks.reference_output_size(32, 3) == 30
    assert checks.reference_output_size(32, 3, 2, "same") == 16
    with pytest.raises(ValueError):
        checks.reference_output_size(32, 3, 1, "full")


def test_edge_filter(capsys):
    assert checks.edge_filter(None) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.edge_filter([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]) is True
    assert checks.edge_filter([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]) is True
    with pytest.raises(CheckFailed, match="no response"):
        checks.edge_filter([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])      # Sobel x: vertical edges only
    with pytest.raises(CheckFailed, match="vertical") as e:
        checks.edge_filter([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]])      # diagonal: both
    assert "column add up to zero" in str(e.value) and "row constant" not in str(e.value)
    # Sobel y's rows are not constant (−1, −2, −1); what matters is that each column sums to zero
    assert checks.edge_filter([[-1, -3, -1], [0, 0, 0], [1, 3, 1]]) is True
    with pytest.raises(CheckFailed, match="flat"):
        checks.edge_filter([[0, 0, 0], [0, 1, 0], [0, 0, 0]])       # identity
    with pytest.raises(CheckFailed, match="no response"):
        checks.edge_filter([[0] * 3] * 3)
    with pytest.raises(CheckFailed, match="shape"):
        checks.edge_filter([[1, 0, -1]])
    with pytest.raises(CheckFailed):
        checks.edge_filter([["a", 0, 0]] * 3)


@pytest.fixture(scope="module")
def keras_layers():
    keras = pytest.importorskip("keras")
    return keras, keras.layers


def _cnn(keras, layers, blocks, norm=True):
    inputs = keras.Input((32, 32, 3))
    x = inputs
    for f in blocks:
        x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)
        if norm:
            x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(2)(layers.ReLU()(x))
    outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x))
    return keras.Model(inputs, outputs)


def test_conv_block_model(keras_layers, capsys):
    keras, layers = keras_layers
    assert checks.conv_block_model(lambda: None) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.conv_block_model(lambda: _cnn(keras, layers, [16, 32, 64])) is True
    assert checks.conv_block_model(lambda: keras.Sequential(   # Sequential is fine too
        _cnn(keras, layers, [16, 32, 64]).layers)) is True
    with pytest.raises(CheckFailed, match="third"):
        checks.conv_block_model(lambda: _cnn(keras, layers, [16, 32]))
    with pytest.raises(CheckFailed, match="64"):                       # the third block too narrow
        checks.conv_block_model(lambda: _cnn(keras, layers, [16, 32, 32]))
    with pytest.raises(CheckFailed, match="BatchNormalization"):       # blocks without batch norm
        checks.conv_block_model(lambda: _cnn(keras, layers, [16, 32, 64], norm=False))
    with pytest.raises(CheckFailed, match="conv2d_third"):             # only the new block lacks it
        def missing_third_norm():
            model = _cnn(keras, layers, [16, 32])
            x = layers.Conv2D(64, 3, padding="same", name="conv2d_third")(model.layers[-3].output)
            x = layers.MaxPooling2D(2)(layers.ReLU()(x))
            return keras.Model(model.inputs, layers.Dense(10)(layers.GlobalAveragePooling2D()(x)))
        checks.conv_block_model(missing_third_norm)
    with pytest.raises(CheckFailed, match="pooling"):
        checks.conv_block_model(lambda: keras.Sequential([
            keras.Input((32, 32, 3)),
            *[x for f in (16, 32, 64) for x in (layers.Conv2D(f, 3, padding="same"),
                                                layers.BatchNormalization(), layers.ReLU())],
            layers.MaxPooling2D(2), layers.GlobalAveragePooling2D(), layers.Dense(10)]))
    with pytest.raises(CheckFailed, match=r"\(2, 10\)"):
        checks.conv_block_model(lambda: keras.Sequential([
            keras.Input((32, 32, 3)),
            *[x for f in (16, 32, 64) for x in (layers.Conv2D(f, 3, padding="same"),
                                                layers.BatchNormalization(), layers.MaxPooling2D(2))],
            layers.GlobalAveragePooling2D(), layers.Dense(5)]))
    with pytest.raises(CheckFailed, match="Keras model"):
        checks.conv_block_model(lambda: "a model")
    with pytest.raises(CheckFailed, match="function"):
        checks.conv_block_model(None)


RIGHT = {"output shape": (12, 12, 32), "parameters": 2432, "receptive field": 12}


def test_predicted_answers_agree_with_keras(keras_layers):
    """The check's answers are what Keras builds and what the receptive-field rule gives."""
    keras, layers = keras_layers
    want = checks.predicted_answers()
    conv = layers.Conv2D(32, 5, strides=2, padding="valid")
    out = conv(keras.ops.zeros((1, 28, 28, 3)))
    assert want["output shape"] == tuple(out.shape[1:])
    assert want["parameters"] == conv.count_params()
    # receptive field measured: which input pixels can change the centre unit of the stack's output
    stack = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(1, 3, padding="same", use_bias=False),
                              layers.MaxPooling2D(2), layers.Conv2D(1, 3, padding="same", use_bias=False),
                              layers.Conv2D(1, 3, padding="same", use_bias=False)])
    stack.set_weights([np.ones((3, 3, 1, 1), "float32")] * 3)
    pixels = np.eye(28 * 28, dtype="float32").reshape(-1, 28, 28, 1)
    reached = keras.ops.convert_to_numpy(stack(pixels))[:, 7, 7, 0].reshape(28, 28) > 0
    rows, cols = np.flatnonzero(reached.any(1)), np.flatnonzero(reached.any(0))
    assert want["receptive field"] == len(rows) == len(cols) == rows[-1] - rows[0] + 1


def test_predict_conv(capsys):
    assert RIGHT == checks.predicted_answers()
    assert checks.predict_conv({"output shape": None, "parameters": None, "receptive field": None}) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.predict_conv(dict(RIGHT, parameters=None)) is False      # partly done: says what is left
    assert "parameters" in capsys.readouterr().out
    assert checks.predict_conv(RIGHT) is True
    assert checks.predict_conv(dict(RIGHT, **{"output shape": [12, 12, 32]})) is True
    for wrong, match in [({"output shape": (12, 12, 3)}, "filters"),
                         ({"output shape": (24, 24, 32)}, "valid"),
                         ({"output shape": (14, 14, 32)}, "valid"),
                         ({"output shape": (12, 32)}, "three numbers"),
                         ({"output shape": "12x12"}, "height"),
                         ({"parameters": 2400}, "bias"),
                         ({"parameters": 832}, "colour channels"),
                         ({"parameters": 5 * 5 * 3 * 32 * 28 * 28}, "image size"),
                         ({"parameters": "many"}, "number"),
                         ({"receptive field": 8}, "stride"),
                         ({"receptive field": 10}, "r ← r"),
                         ({"receptive field": True}, "width")]:
        with pytest.raises(CheckFailed, match=match):
            checks.predict_conv(dict(RIGHT, **wrong))
    with pytest.raises(CheckFailed, match="lacks"):
        checks.predict_conv({"output shape": (12, 12, 32)})
    with pytest.raises(CheckFailed, match="dict"):
        checks.predict_conv([12, 12, 32])
