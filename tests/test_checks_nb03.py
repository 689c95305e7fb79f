"""Self-checks of 03 · Convolutional networks: starters say "not attempted", wrong answers raise."""

from __future__ import annotations

import math

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


def _cnn(keras, layers, blocks):
    body = []
    for f in blocks:
        body += [layers.Conv2D(f, 3, padding="same"), layers.ReLU(), layers.MaxPooling2D(2)]
    return keras.Sequential([keras.Input((32, 32, 3)), *body, layers.GlobalAveragePooling2D(),
                             layers.Dense(10, activation="softmax")])


def test_conv_block_model(keras_layers, capsys):
    keras, layers = keras_layers
    assert checks.conv_block_model(lambda: None) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.conv_block_model(lambda: _cnn(keras, layers, [4, 8, 16])) is True
    with pytest.raises(CheckFailed, match="third"):
        checks.conv_block_model(lambda: _cnn(keras, layers, [4, 8]))
    with pytest.raises(CheckFailed, match="pooling"):
        checks.conv_block_model(lambda: keras.Sequential([
            keras.Input((32, 32, 3)), *[layers.Conv2D(4, 3, padding="same") for _ in range(3)],
            layers.MaxPooling2D(2), layers.GlobalAveragePooling2D(), layers.Dense(10)]))
    with pytest.raises(CheckFailed, match=r"\(2, 10\)"):
        checks.conv_block_model(lambda: keras.Sequential([
            keras.Input((32, 32, 3)),
            *[x for _ in range(3) for x in (layers.Conv2D(4, 3, padding="same"), layers.MaxPooling2D(2))],
            layers.GlobalAveragePooling2D(), layers.Dense(5)]))
    with pytest.raises(CheckFailed, match="Keras model"):
        checks.conv_block_model(lambda: "a model")
    with pytest.raises(CheckFailed, match="function"):
        checks.conv_block_model(None)
