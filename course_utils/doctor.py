"""``python -m course_utils doctor``: what this machine has, and what to do about what it lacks.

Versions, the installed Keras backends and the active one, the GPU (NVIDIA, or an Apple GPU
through PyTorch's MPS or tensorflow-metal), the profile ``auto`` picks, the cached assets and
the network. It reads package metadata first and imports Keras only once it knows the active
backend is installed, so a misspelt ``KERAS_BACKEND`` or an environment without any backend
gets advice, not Keras's traceback.

Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import json
import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec

from . import assets, runtime  # neither imports Keras

#: Keras backends, each with the distributions that provide it (first one installed wins).
BACKEND_DISTS: dict[str, tuple[str, ...]] = {
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-macos", "tf-nightly", "tensorflow-intel"),
    "jax": ("jax",),
    "torch": ("torch",),
}
#: Backends Keras knows but the course does not teach with.
OTHER_KERAS_BACKENDS = ("numpy", "openvino")


def installed_backends() -> dict[str, str | None]:
    """{backend: version or None}, from package metadata, without importing any backend."""
    found: dict[str, str | None] = {}
    for backend, dists in BACKEND_DISTS.items():
        found[backend] = None
        for dist in dists:
            try:
                found[backend] = f"{version(dist)}" + (f" ({dist})" if dist != backend else "")
                break
            except PackageNotFoundError:
                continue
        if found[backend] is None and find_spec(backend) is not None:
            found[backend] = "installed (version unknown)"
    return found


def active_backend() -> tuple[str, str]:
    """(backend, where that choice comes from), as Keras will decide it, without importing Keras."""
    env = os.environ.get("KERAS_BACKEND", "").strip()
    if env:
        return env, "$KERAS_BACKEND"
    cfg = assets.keras_home() / "keras.json"
    try:
        backend = json.loads(cfg.read_text()).get("backend")
        if backend:
            return str(backend), str(cfg)
    except (OSError, ValueError):
        pass
    return "tensorflow", "Keras's default"


def install_advice(backend: str) -> str:
    """The commands that install ``backend`` into this project's environment."""
    return (f"`python -m course_utils setup --backend {backend}` (a fresh .venv from the lock), "
            f'or into this environment: `pip install -e ".[{backend}]"`')


def backend_problem(active: str, why: str, backends: dict[str, str | None]) -> str:
    """Why Keras cannot start on ``active`` and what to do, or "" when it can."""
    choices = ", ".join(BACKEND_DISTS)
    have = [b for b, v in backends.items() if v]
    if active not in BACKEND_DISTS:
        if active in OTHER_KERAS_BACKENDS:
            return (f"the active backend {active!r} (from {why}) is a Keras backend the course does not "
                    f"use: set KERAS_BACKEND to one of {choices}")
        return (f"{active!r} (from {why}) is not a Keras backend: set KERAS_BACKEND to one of {choices}"
                + (f" (installed here: {', '.join(have)})" if have else ""))
    if backends.get(active) is None:
        if not have:
            return (f"no Keras backend is installed in this environment ({sys.executable}). Install one: "
                    + install_advice("tensorflow" if active == "tensorflow" else active))
        return (f"the active backend {active} is not installed: {install_advice(active)}; "
                f"or pick an installed one with KERAS_BACKEND={have[0]}")
    return ""


def report() -> int:
    """Print the doctor's report; 0 when Keras can start, 1 with advice when it cannot."""
    print(f"Python      {platform.python_version()} ({sys.executable})")
    for pkg in ("course_utils", "keras", "numpy", "matplotlib", "scikit-learn", "scikit-image",
                "papermill", "nbval"):
        try:
            print(f"{pkg:<12} {version(pkg)}")
        except PackageNotFoundError:
            print(f"{pkg:<12} not installed")
    backends = installed_backends()
    print("backends    " + " · ".join(f"{b} {v or 'not installed'}" for b, v in backends.items()))
    active, why = active_backend()
    print(f"active      {active} (from {why}; choose with KERAS_BACKEND={'|'.join(BACKEND_DISTS)})")
    problem = backend_problem(active, why, backends)
    if not problem and find_spec("keras") is None:
        problem = f"Keras is not installed: {install_advice(active)}"
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    runtime.quiet()
    try:
        import keras
    except Exception as e:  # a broken backend install: say so instead of a traceback
        print(f"error: Keras cannot start on {active}: {type(e).__name__}: {e}. Reinstall it: "
              f"{install_advice(active)}", file=sys.stderr)
        return 1
    devices = runtime.accelerators()
    b = keras.config.backend()
    print(f"loaded      Keras {keras.__version__} on {b}")
    print(f"GPU         {'visible to ' + b + ': ' + ', '.join(devices) if devices else 'none visible to ' + b}")
    print(f"device      {', '.join(devices) if devices else f'CPU only ({os.cpu_count()} cores)'}")
    if any(runtime.is_apple_gpu(d) for d in devices):
        print("            an Apple GPU: auto picks the cpu profile's budgets, computed on the GPU")
    try:
        print(f"profile     auto → {runtime.resolve_profile('auto', devices)}")
    except runtime.ProfileError as e:
        print(f"profile     {e}")
    home = assets.keras_home()
    print(f"KERAS_HOME  {home}")
    for asset in assets.load_manifest().values():
        print(f"  {asset.name:<22} {assets.human_size(asset.size):>10}  {assets.cache_status(asset, home)}")
    if assets.offline_forced():
        print(f"network     off (${assets.OFFLINE_ENV} is set)")
    else:
        print(f"network     {'reachable' if assets.network_available() else 'not reachable (offline fallbacks will be used)'}")
    return 0
