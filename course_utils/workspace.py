"""The course's environments: ``python -m course_utils setup | lab | test``, the same on every OS.

Standard library only, so that any Python 3.10–3.13 can run it from a fresh clone, before
anything is installed (``python -m course_utils setup`` from the repository root). Each Keras
backend gets its own virtual environment at the root (``.venv`` for TensorFlow, ``.venv-jax``,
``.venv-torch``), installed from the lock in ``requirements/lock/`` (exact versions with
hashes, the set CI tested) and then the course package itself in editable mode. uv is used
when it is installed (several times faster), pip otherwise. ``--newest`` installs the newest
releases instead of the lock (what the weekly rot alarm does).

``lab``, ``test`` and ``run`` set the environment up when needed and run inside it, with
``KERAS_BACKEND`` set. Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("tensorflow", "jax", "torch")
STAMP = ".course-installed"


def venv_dir(backend: str) -> Path:
    if backend not in BACKENDS:
        raise SystemExit(f"error: unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return ROOT / (".venv" if backend == "tensorflow" else f".venv-{backend}")


def venv_python(venv: Path) -> Path:
    """The environment's interpreter: ``bin/python``, or ``Scripts\\python.exe`` on Windows."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def lock_file(backend: str, gpu: bool = False) -> Path:
    """The lock for ``backend``: its NVIDIA variant with ``gpu`` on Linux (PyPI's torch is one already)."""
    name = f"{backend}-cuda" if gpu and backend != "torch" and sys.platform.startswith("linux") else backend
    return ROOT / "requirements" / "lock" / f"{name}.txt"


def extras(backend: str, gpu: bool) -> str:
    """The pyproject extras of an unlocked install (``--newest``, and the Apple GPU)."""
    chosen = [backend, "runner", "lab", "site"]
    if gpu and backend in ("tensorflow", "jax") and sys.platform.startswith("linux"):
        chosen.append(f"{backend}-cuda")
    if gpu and backend == "tensorflow" and sys.platform == "darwin":
        chosen.append("tensorflow-metal")
    return ",".join(chosen)


def installer() -> list[str] | None:
    """``[uv]`` when uv is installed, else None (pip); ``COURSE_INSTALLER=pip`` chooses pip."""
    if os.environ.get("COURSE_INSTALLER", "").strip().lower() == "pip":
        return None
    found = shutil.which("uv")
    if found:
        return [found]
    try:
        from uv import find_uv_bin  # the uv wheel, when installed without its script on PATH
    except ImportError:
        return None
    return [find_uv_bin()]


def _fingerprint(*files: Path, newest: bool) -> str:
    h = hashlib.sha256(b"newest" if newest else b"locked")
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


def _run(cmd: list[str]) -> None:
    print("+ " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def setup(backend: str, gpu: bool = False, newest: bool = False, force: bool = False) -> Path:
    """Create (or update) the backend's environment; return its Python. Idempotent and quick
    when nothing changed (a stamp records what was installed)."""
    venv = venv_dir(backend)
    lock = lock_file(backend, gpu)
    if not lock.is_file():
        raise SystemExit(f"error: no lock at {lock}: run `python tools/lock.py` (needs uv)")
    python = venv_python(venv)
    stamp = venv / STAMP
    want = _fingerprint(lock, ROOT / "pyproject.toml", newest=newest) + f" gpu={gpu} pyc=1"
    if python.is_file() and stamp.is_file() and stamp.read_text() == want and not force:
        return python
    uv = installer()
    if not python.is_file():
        # --seed: pip in the venv too (uv leaves it out), for `%pip install` in a notebook and for
        # the bootstrap cell, which installs course_utils with pip as on Colab
        _run([*uv, "venv", "--seed", "--python", sys.executable, venv] if uv else [sys.executable, "-m", "venv", venv])
    pip = [*uv, "pip", "install", "--python", python] if uv else [python, "-m", "pip", "install"]
    if not uv:
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip>=25.1"])  # --group needs 25.1
    if newest:  # the newest releases, as the rot alarm installs them
        _run([*pip, "--upgrade", "-e", f".[{extras(backend, gpu)}]", "--group", "test"])
    else:
        _run([*pip, "--require-hashes", "--no-deps", "-r", lock])
        if gpu and backend == "tensorflow" and sys.platform == "darwin":
            _run([*pip, "tensorflow-metal"])  # Apple's plug-in is not in the lock
        _run([*pip, "--no-deps", "-e", "."])
    if uv:
        compile_bytecode(python)
    stamp.write_text(want)
    print(f"Ready: {venv} (KERAS_BACKEND={backend}). Next: python -m course_utils lab --backend {backend}")
    return python


def compile_bytecode(python: Path) -> None:
    """Write the environment's ``.pyc`` files now, as pip does when it installs and uv does not.

    Without them every fresh kernel compiles the libraries' sources again wherever Python does
    not write ``.pyc`` files itself (``PYTHONDONTWRITEBYTECODE``, a read-only environment):
    ``import keras`` took 16.5 s instead of 7 s on a 2-core machine, paid by every notebook the
    tests run. About 35 s once (all cores); a file that does not compile is left as it is."""
    print("+ compiling the environment's bytecode (python -m compileall)", flush=True)
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = subprocess.run([str(python), "-c", code], check=True, capture_output=True,
                             text=True).stdout.strip()
    subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0", purelib], cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def in_environment(python: Path) -> bool:
    """True when this process runs in the environment of ``python``."""
    try:
        return Path(sys.prefix).resolve() == python.parent.parent.resolve()
    except OSError:
        return False


def run_inside(backend: str, args: list[str], gpu: bool = False) -> int:
    """Set the backend's environment up if needed, then run ``python args...`` inside it."""
    python = setup(backend, gpu=gpu)
    env = {**os.environ, "KERAS_BACKEND": backend}
    return subprocess.run([str(python), *args], cwd=ROOT, env=env).returncode


def default_backend() -> str:
    backend = os.environ.get("KERAS_BACKEND", "").strip() or "tensorflow"
    return backend if backend in BACKENDS else "tensorflow"
