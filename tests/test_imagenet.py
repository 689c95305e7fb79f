"""EfficientNet-Lite0 offline (course_utils.imagenet): the real ImageNet network 04 uses without a network.

The network is built and loaded once for the module. The photo checks are what the converted
network really says (tools/convert_efficientnet_lite0.py checked the conversion against the
PyTorch original to 2e-5 in the logits); they hold with a wide margin on TensorFlow, JAX and
PyTorch: chelsea's three cat classes take 0.96 of the probability (Egyptian cat 0.79), coffee's
espresso 0.91.
"""

from __future__ import annotations

import shutil

import keras
import numpy as np
import pytest

from course_utils import imagenet, images
from course_utils.download import CorruptAssetError, file_hash

CATS = {"tabby", "tiger_cat", "Egyptian_cat"}


@pytest.fixture(scope="module")
def model():
    return imagenet.efficientnet_lite0()


@pytest.fixture(scope="module")
def photo_probs(model):
    names = ("chelsea", "coffee", "astronaut")
    batch = np.stack([images.load_photo(n, size=(224, 224)) for n in names])
    probs = model.predict(imagenet.preprocess_input(batch), verbose=0)
    return dict(zip(names, probs, strict=True))


def test_parameter_count_is_efficientnet_lite0s(model):
    # 4,652,008 trainable: every tensor of the PyTorch state dict; plus 42,016 BN moving statistics
    assert model.count_params() == 4_694_024
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 4_652_008
    assert model.output_shape == (None, 1000)
    assert model.get_layer("block2a_dwconv").kernel.shape == (3, 3, 96, 1)


def test_the_shipped_weights_have_the_pinned_hash():
    assert len(imagenet.WEIGHTS_SHA256) == 64
    assert file_hash(imagenet.WEIGHTS_FILE) == imagenet.WEIGHTS_SHA256
    assert imagenet.verify_weights_file() == imagenet.WEIGHTS_FILE


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_damaged_weights_file_is_refused_not_loaded(tmp_path, monkeypatch, damage):
    bad = tmp_path / "efficientnet_lite0.weights.h5"
    shutil.copy(imagenet.WEIGHTS_FILE, bad)
    data = bytearray(bad.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF  # one byte inside a weight tensor: h5py would still read it
    else:
        data = data[: len(data) // 2]
    bad.write_bytes(bytes(data))
    with pytest.raises(CorruptAssetError, match="not loaded.*reinstall course_utils"):
        imagenet.verify_weights_file(bad)
    monkeypatch.setattr(imagenet, "WEIGHTS_FILE", bad)
    with pytest.raises(CorruptAssetError, match="expected " + imagenet.WEIGHTS_SHA256):
        imagenet.efficientnet_lite0(include_top=False, input_shape=(32, 32, 3))


def test_a_missing_weights_file_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(imagenet, "WEIGHTS_FILE", tmp_path / "gone.weights.h5")
    with pytest.raises(FileNotFoundError, match="missing: reinstall course_utils"):
        imagenet.efficientnet_lite0()
    with pytest.raises(FileNotFoundError, match="weights='imagenet'"):
        imagenet.efficientnet_lite0(weights=tmp_path / "mine.weights.h5")


def test_class_names_are_imagenet_1k_in_keras_order():
    names = imagenet.class_names()
    assert len(names) == 1000
    assert names[0] == ("n01440764", "tench")
    assert [names[i][1] for i in (281, 282, 285, 967, 999)] == [
        "tabby", "tiger_cat", "Egyptian_cat", "espresso", "toilet_tissue"]


def test_chelsea_is_a_cat(photo_probs):
    top5 = imagenet.decode_predictions(photo_probs["chelsea"][None])[0]
    assert top5[0][1] in CATS, top5
    assert sum(p for _, name, p in top5 if name in CATS) > 0.8, top5  # measured: 0.96


def test_coffee_is_an_espresso(photo_probs):
    top5 = imagenet.decode_predictions(photo_probs["coffee"][None], top=5)[0]
    assert top5[0][1] == "espresso" and top5[0][2] > 0.6, top5  # measured: 0.91
    assert {"cup", "coffee_mug"} & {name for _, name, _ in top5}, top5


def test_random_weights_do_not_see_a_cat_and_a_saved_file_round_trips(tmp_path, photo_probs):
    """The same architecture untrained: the cat classes get about their share of 3/1000."""
    keras.utils.set_random_seed(0)
    untrained = imagenet.efficientnet_lite0(weights=None)
    x = imagenet.preprocess_input(images.load_photo("chelsea", size=(224, 224))[None])
    probs = keras.ops.convert_to_numpy(untrained(x))[0]
    idx = [i for i, (_, n) in enumerate(imagenet.class_names()) if n in CATS]
    assert probs[idx].sum() < 0.1 < photo_probs["chelsea"][idx].sum()
    path = tmp_path / "mine.weights.h5"  # weights=path: a learner's own file, loaded as built
    untrained.save_weights(str(path))
    again = imagenet.efficientnet_lite0(weights=path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(again(x))[0], probs, atol=1e-6)


def test_decode_predictions_gives_keras_triples():
    p = np.full((2, 1000), 0.5 / 998)
    p[0, [281, 967]] = 0.25
    p[1, [967, 281]] = [0.4, 0.1]
    out = imagenet.decode_predictions(p, top=3)
    assert [t[:2] for t in out[0][:2]] == [("n02123045", "tabby"), ("n07920052", "espresso")]
    assert out[1][0] == ("n07920052", "espresso", pytest.approx(0.4))
    assert all(len(row) == 3 for row in out)


@pytest.mark.parametrize("bad, top, match", [
    (np.full(1000, 1e-3), 5, r"probs\[None\]"),
    (np.full((2, 10), 0.1), 5, r"shape \(n, 1000\)"),
    (np.random.default_rng(0).normal(size=(1, 1000)), 5, "logits"),
    (np.full((1, 1000), 1e-3), 0, "top must be"),
    (np.full((1, 1000), 1e-3), 1001, "top must be"),
    (np.full((1, 1000), np.nan), 5, "NaN"),
])
def test_decode_predictions_refuses_bad_input(bad, top, match):
    with pytest.raises(ValueError, match=match):
        imagenet.decode_predictions(bad, top=top)


def test_preprocess_input_is_the_lite_scaling():
    x = np.array([[[0, 127, 255]]], dtype=np.uint8)
    np.testing.assert_allclose(imagenet.preprocess_input(x), [[[-127 / 128, 0, 1]]])
    assert imagenet.preprocess_input(x.astype("float64")).dtype == np.float32


@pytest.mark.parametrize("bad, match", [
    (np.zeros((4, 4)), r"\(height, width, 3\)"),
    (np.zeros((4, 4, 1)), r"\(height, width, 3\)"),
    (np.full((4, 4, 3), 0.5), r"multiply by 255"),
    (np.full((4, 4, 3), -0.5), "already preprocessed"),
    (np.full((4, 4, 3), 300.0), "0–255"),
])
def test_preprocess_input_refuses_what_would_be_wrong(bad, match):
    with pytest.raises(ValueError, match=match):
        imagenet.preprocess_input(bad)


def test_the_conv_base_at_96_and_224_keeps_the_imagenet_weights(model):
    base96 = imagenet.efficientnet_lite0(include_top=False, input_shape=(96, 96, 3), pooling="avg")
    assert base96.output_shape == (None, 1280)
    assert base96.get_layer("top_activation").output.shape == (None, 3, 3, 1280)
    assert base96.count_params() == 4_694_024 - 1280 * 1000 - 1000
    for name in ("stem_conv", "block6d_project_conv", "top_bn"):
        for a, b in zip(base96.get_layer(name).get_weights(), model.get_layer(name).get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
    photo = imagenet.preprocess_input(images.load_photo("coffee", size=(96, 96))[None])
    feats = keras.ops.convert_to_numpy(base96(photo))
    assert np.isfinite(feats).all() and feats.min() >= 0 and feats.max() <= 6  # pooled ReLU6 maps
    assert imagenet.efficientnet_lite0(weights=None, include_top=False).output_shape == (None, 7, 7, 1280)


@pytest.mark.parametrize("kwargs, match", [
    ({"input_shape": (28, 28, 3)}, "at least 32"),
    ({"input_shape": (224, 224, 1)}, "repeat the channel"),
    ({"pooling": "avg"}, "include_top=False"),
    ({"include_top": False, "pooling": "mean"}, "'avg' or 'max'"),
])
def test_bad_arguments_say_what_to_do(kwargs, match):
    with pytest.raises(ValueError, match=match):
        imagenet.efficientnet_lite0(weights=None, **kwargs)
