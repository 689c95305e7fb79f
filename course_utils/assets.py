"""Remote assets: the manifest, the Keras cache and its hash checks, ``resolve`` and ``prefetch``.

Remote files (MNIST, CIFAR-10, VGG16's weights) are listed in ``course_utils/assets.json``
with URL, size and hash, and are kept where Keras keeps its own downloads (``$KERAS_HOME``,
default ``~/.keras``), so Colab and other Keras projects share the cache. A cached file is
checked against its hash before it is used; a corrupt one is reported and fetched again,
never loaded (the download itself is :mod:`course_utils.download`). :func:`resolve` finds a verified copy or says why there is none, so a loader
can fall back and say so. The smoke profile never touches the network.

Used by :mod:`course_utils.datasets` (02, 03, 06), :mod:`course_utils.weights` (04), and
``python -m course_utils prefetch | doctor``; the cache is explained in 00 · The big picture
("How to use this course").
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import runtime
from .download import (  # noqa: F401 (the errors are part of this module's interface)
    OFFLINE_ENV,
    AssetError,
    CorruptAssetError,
    fetch,
    file_hash,
    host_of,
    network_available,
    offline_forced,
    port_of,
)

MANIFEST_PATH = Path(__file__).with_name("assets.json")
MANIFEST_ENV = "COURSE_ASSET_MANIFEST"  # another manifest (tests: small files with their own hashes)


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


def keras_home() -> Path:
    """Where Keras keeps downloads: ``$KERAS_HOME`` or ``~/.keras`` (the course uses the same)."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")


def cache_path(asset: Asset, home: Path | None = None) -> Path:
    return (home or keras_home()) / asset.path


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
    return fetch(asset.url, dest, asset.name, asset.size, *asset.hash, progress=progress, timeout=timeout)


@dataclass
class Resolution:
    """Where an asset came from: a verified file in the cache, or why there is none.

    What :func:`resolve` returns, and :func:`course_utils.weights.resolve_weights` for 04's
    pretrained weights: ``found`` is True only for a file whose hash was checked.
    """

    asset: Asset
    path: Path | None
    reason: str = ""

    @property
    def found(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        if self.found:
            return f"{self.asset.name} ({self.path}, {self.asset.hash[0]} verified)"
        return f"no verified {self.asset.name} ({self.reason})"


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
    if not network_available(host_of(asset.url), port_of(asset.url)):
        return Resolution(asset, None, corrupt + "not cached and no network")
    try:
        return Resolution(asset, download(asset, home))
    except AssetError as e:
        return Resolution(asset, None, corrupt + str(e))


def keras_get_file(res: Resolution, extract: bool = False) -> str:
    """``keras.utils.get_file`` on the verified cached copy in ``res``: Keras's cache layout and loader.

    The file is already in place (``resolve`` found or fetched it), so Keras only
    checks it against the manifest's hash (and extracts an archive) without
    downloading. Keras names an extracted archive ``<fname>_archive``.
    """
    import keras

    if res.path is None:
        raise AssetError(f"{res.asset.name}: nothing to load ({res.reason})")
    fname = res.path.name.removesuffix("_archive") if extract else res.path.name
    return keras.utils.get_file(fname=fname, origin=res.asset.url, file_hash=res.asset.hash[1],
                                hash_algorithm=res.asset.hash[0], extract=extract,
                                cache_dir=str(res.path.parent.parent), cache_subdir=res.path.parent.name)


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
