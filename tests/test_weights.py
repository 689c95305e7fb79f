"""Pretrained weights: verified cache → loaded; wrong hash → reported, never loaded; offline → stand-in."""

import hashlib
import json
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest
from keras.src.legacy.saving import legacy_h5_format

from course_utils import assets, cli, runtime, weights

ASSET = "tiny_weights"
REL = "models/tiny_weights_tf_dim_ordering_tf_kernels.h5"  # named like Keras's files


def tiny_model(weights=None, units=3):
    """A keras.applications-style builder: ``weights`` is None or the path of a weights file."""
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, name="dense")])
    if weights is not None:
        m.load_weights(weights)
    return m


@pytest.fixture
def saved(tmp_path):
    """A small weights file in a Keras-cache layout under tmp_path, and its values.

    Written in the legacy HDF5 layout of Keras's published applications weights
    (the VGG16 files), so loading takes the same code path as the real thing.
    """
    keras.utils.set_random_seed(1)
    m = tiny_model()
    dest = tmp_path / REL
    dest.parent.mkdir(parents=True)
    with h5py.File(dest, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, m)
    return dest, [w.copy() for w in m.get_weights()]


def manifest_for(tmp_path: Path, payload: bytes, sha256: str | None = None) -> dict:
    entry = {"url": "http://127.0.0.1:9/tiny.h5", "path": REL, "size": len(payload),
             "sha256": sha256 or hashlib.sha256(payload).hexdigest(), "used_by": ["tests"]}
    f = tmp_path / "manifest.json"
    f.write_text(json.dumps({ASSET: entry}))
    return assets.load_manifest(f)


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_right_hash_resolves_to_the_cached_file_and_keras_loads_it(tmp_path, saved, monkeypatch):
    """04's pattern: resolve_weights, then the Keras builder with weights=str(path)."""
    monkeypatch.setenv("COURSE_OFFLINE", "1")  # a verified cache needs no network
    path, values = saved
    m = manifest_for(tmp_path, path.read_bytes())
    info = weights.resolve_weights(ASSET, home=tmp_path, manifest=m)
    assert info.found and info.path == path and info.reason == ""
    assert "md5 verified" in info.describe() or "sha256 verified" in info.describe()
    keras.utils.set_random_seed(2)
    assert same(tiny_model(weights=str(info.path)).get_weights(), values)


def test_wrong_hash_is_reported_and_never_offered(tmp_path, saved):
    path, _ = saved
    m = manifest_for(tmp_path, path.read_bytes(), sha256="0" * 64)  # same size, other hash
    info = weights.resolve_weights(ASSET, allow_download=False, home=tmp_path, manifest=m)
    assert not info.found and info.path is None
    assert "corrupt" in info.reason and "not used" in info.reason
    assert "no verified" in info.describe() and "corrupt" in info.describe()
    assert path.exists(), "without a download the corrupt file is left for the user to inspect"


def test_offline_without_cache_gives_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    m = manifest_for(tmp_path, b"x" * 100)
    info = weights.resolve_weights(ASSET, allow_download=True, home=tmp_path, manifest=m)
    assert not info.found and "no network" in info.reason


def test_smoke_profile_never_downloads(tmp_path, monkeypatch):
    r = runtime.Run(profile="smoke", seed=0, backend="tensorflow", devices=[], headless=True)
    monkeypatch.setattr(runtime, "_CURRENT", r)
    m = manifest_for(tmp_path, b"x" * 100)
    info = weights.resolve_weights(ASSET, home=tmp_path, manifest=m)
    assert not info.found and "does not download" in info.reason


def test_an_asset_the_manifest_does_not_know_is_an_error(tmp_path):
    with pytest.raises(KeyError, match="unknown asset"):
        weights.resolve_weights("mobilenet_v2_1.0_224", home=tmp_path)


def test_bad_arguments():
    with pytest.raises(TypeError, match="asset_name"):
        weights.resolve_weights("")
    with pytest.raises(ValueError, match="no model"):
        weights.applications_table(["AlexNet"])
    with pytest.raises(ValueError, match="non-empty"):
        weights.applications_table("VGG16")


def test_course_manifest_has_the_weights_files():
    m = assets.load_manifest()
    for name in ("vgg16_notop", "vgg16"):
        assert m[name].path.startswith("models/") and m[name].size > 1_000_000, name
        assert "04_transfer_learning_vgg16" in m[name].used_by
    assert m["vgg16_notop"].md5 == "6d6bbae143d832006294945121d1f1fc"  # as in keras' vgg16.py
    assert m["vgg16"].md5 == "64373286793e3c8b2b4e3219cbf3544b"
    assert m["imagenet_class_index"].path == "models/imagenet_class_index.json"


def test_prefetch_dry_run_lists_assets_with_sizes(tmp_path, capsys):
    assert cli.main(["prefetch", "--dry-run", "--to", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name, size in [("vgg16_notop", "56.2 MB"), ("vgg16 ", "527.8 MB"),
                       ("imagenet_class_index", "34.5 KB")]:
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(name)), "")
        assert size in line and "would download" in line, (name, out)
    assert not any(tmp_path.iterdir()), "a dry run downloads nothing"


def test_applications_table_measures_models_without_downloading(monkeypatch):
    def Tiny(weights=None):  # noqa: N802 (named like a keras.applications builder)
        assert weights is None, "the table never asks for pretrained weights"
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.ReLU(),
                                 keras.layers.Dense(2)])

    monkeypatch.setattr(keras.applications, "Tiny", Tiny, raising=False)
    monkeypatch.setitem(weights.KERAS_DOCS_TABLE, "Tiny", (1, 0.5, 0.9, 23, 3))
    t = weights.applications_table(["Tiny"])
    row = t.loc["Tiny"]
    assert row["parameters"] == row["quoted parameters"] == 4 * 3 + 3 + 3 * 2 + 2
    assert row["layers"] == 3 and row["depth (layers with weights)"] == 2
    assert row["quoted top-1"] == 0.5


# -- the stand-in base (04 offline) -------------------------------------------------------------

def test_standin_file_ships_with_its_pinned_hash():
    assert weights.STANDIN_FILE.is_file(), "course_utils/standin_base.weights.h5 must ship with the package"
    assert assets.file_hash(weights.STANDIN_FILE, "sha256") == weights.STANDIN_SHA256
    assert weights.STANDIN_FILE.stat().st_size < 2_000_000  # small: it ships in the package


def test_standin_base_loads_the_pretrained_weights():
    """On the active backend (CI runs this on tensorflow, jax and torch)."""
    pre = weights.standin_base()
    rnd = weights.standin_base(pretrained=False)
    assert pre.name == "standin_vgg" and pre.count_params() == 286_432
    assert pre.output_shape == (None, 3, 3, 128)
    assert [layer.name for layer in pre.layers][-1] == "block3_pool"
    with h5py.File(weights.STANDIN_FILE) as f:  # the values in the file are the ones loaded
        stored = []
        f.visititems(lambda name, obj: stored.append(obj[()]) if isinstance(obj, h5py.Dataset) else None)
    loaded = {round(float(np.sum(w)), 3) for w in pre.get_weights()}
    assert {round(float(np.sum(s)), 3) for s in stored} == loaded
    assert not np.allclose(pre.get_weights()[0], rnd.get_weights()[0])


def test_standin_base_is_deterministic_on_a_digit():
    """The pretrained base maps a digit to the same features every time (no randomness left)."""
    x = np.zeros((1, 28, 28, 1), "float32")
    x[0, 6:22, 12:16] = 1.0  # a "1"
    a = weights.standin_base().predict(x, verbose=0)
    b = weights.standin_base().predict(x, verbose=0)
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert a.shape == (1, 3, 3, 128) and np.all(a >= 0) and a.max() > 0


def test_corrupt_standin_file_is_never_loaded(tmp_path):
    bad = tmp_path / "standin.weights.h5"
    bad.write_bytes(weights.STANDIN_FILE.read_bytes()[:-100])  # truncated
    with pytest.raises(assets.CorruptAssetError, match="make_standin_base"):
        weights.standin_base(path=bad)
    with pytest.raises(FileNotFoundError, match="make_standin_base"):
        weights.standin_base(path=tmp_path / "missing.weights.h5")
    # a file of the right hash that is not the stand-in's: a clear error from Keras, not garbage
    other = tmp_path / "other.weights.h5"
    keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]).save_weights(str(other))
    with pytest.raises(ValueError):
        weights.standin_base(path=other, sha256=assets.file_hash(other, "sha256"))


@pytest.mark.parametrize("shape", [(28, 28), (0, 28, 1), (4, 4, 1), "28x28", (28.0, 28, 1)])
def test_standin_architecture_rejects_bad_shapes(shape):
    with pytest.raises(ValueError, match="input_shape|8×8"):
        weights.build_standin_base(shape)


def test_applications_table_without_measuring_builds_nothing(monkeypatch):
    monkeypatch.setattr(keras.applications, "VGG16", lambda **kw: pytest.fail("built a model"))
    t = weights.applications_table(["VGG16", "ResNet50"], measure=False)
    assert list(t.index) == ["VGG16", "ResNet50"]
    assert t.loc["VGG16", "quoted parameters"] == 138_357_544
    assert "parameters" not in t.columns  # nothing measured, nothing pretended
    with pytest.raises(ValueError, match="no documented numbers"):
        weights.applications_table(["NASNetLarge"], measure=False)


def test_one_verification_serves_every_shipped_weights_file(tmp_path):
    """weights.verify_shipped_file checks the stand-in's and EfficientNet-Lite0's files alike."""
    from course_utils import imagenet

    f = tmp_path / "w.weights.h5"
    f.write_bytes(b"weights")
    good = hashlib.sha256(b"weights").hexdigest()
    assert weights.verify_shipped_file(f, good, "test weights", "rebuild it") == f
    with pytest.raises(assets.CorruptAssetError, match="test weights .* rebuild it"):
        weights.verify_shipped_file(f, "0" * 64, "test weights", "rebuild it")
    with pytest.raises(FileNotFoundError, match="missing: rebuild it"):
        weights.verify_shipped_file(tmp_path / "nope.h5", good, "test weights", "rebuild it")
    with pytest.raises(ValueError, match="64 hex"):
        weights.verify_shipped_file(f, "abc", "test weights", "rebuild it")
    # both public checks go through it
    assert imagenet.verify_weights_file(f, good) == f
    assert weights.verify_standin_file(f, good) == f
    with pytest.raises(assets.CorruptAssetError, match="EfficientNet-Lite0"):
        imagenet.verify_weights_file(f, "1" * 64)
