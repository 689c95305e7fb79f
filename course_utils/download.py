"""The network: is it there, and a resumable, hash-checked download of one file.

Lowest layer of the asset code (:mod:`course_utils.assets` decides *what* to fetch and where
it goes in the Keras cache). ``COURSE_OFFLINE=1`` makes the network absent for tests and
workshops.
"""

from __future__ import annotations

import hashlib
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Any

OFFLINE_ENV = "COURSE_OFFLINE"

class AssetError(RuntimeError):
    """An asset cannot be had; the message says what to run."""


class CorruptAssetError(AssetError):
    """A file's hash does not match the manifest."""


def file_hash(path: Path, algorithm: str = "sha256", chunk: int = 1 << 20) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


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


def host_of(url: str) -> str:
    return urllib.parse.urlparse(url).hostname or ""


def port_of(url: str) -> int:
    """The port a download of ``url`` connects to (443 for https, 80 for http unless given)."""
    u = urllib.parse.urlparse(url)
    return u.port or (80 if u.scheme == "http" else 443)


def fetch(url: str, dest: Path, name: str, size: int, algorithm: str, expected: str,
          progress: bool = True, timeout: float = 30.0) -> Path:
    """Download ``url`` to ``dest``, resuming ``dest.part`` when it exists, and check its hash.

    A file whose hash is not ``expected`` is deleted and :class:`CorruptAssetError` raised; a
    network failure raises :class:`AssetError` saying what to do. ``name`` labels the progress
    bar and the messages.
    """
    if offline_forced():
        raise AssetError(f"cannot download {name}: ${OFFLINE_ENV} is set.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    if size and have > size:
        part.unlink()
        have = 0
    req = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code == 416 and have:  # already complete
            resp = None
        else:
            raise AssetError(f"download of {name} from {url} failed: {e}") from e
    except (urllib.error.URLError, OSError) as e:
        raise AssetError(f"download of {name} from {url} failed: {e}. "
                         "Check the network, or copy a prefetched cache "
                         "(python -m course_utils prefetch --to DIR) and set KERAS_HOME=DIR.") from e
    if resp is not None:
        with resp:
            if have and resp.status != 206:  # server ignored the Range: start over
                have = 0
            mode = "ab" if have else "wb"
            bar = _progress(total=size or None, initial=have, desc=name, enabled=progress)
            with open(part, mode) as f:
                while block := resp.read(1 << 16):
                    f.write(block)
                    bar.update(len(block))
            bar.close()
    got = file_hash(part, algorithm)
    if got != expected:
        part.unlink()
        raise CorruptAssetError(f"{name}: downloaded file has {algorithm} {got}, expected {expected}; "
                                "it was deleted. Try again; if it persists the manifest may be stale.")
    part.replace(dest)
    return dest


def _progress(total: int | None, initial: int, desc: str, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                desc=desc, disable=not enabled)
