"""Profiles, seeding, plot style and the one-line environment report.

Every notebook starts with ``run = cu.setup(PROFILE, seed=SEED)`` (taught in
00 · The big picture, section "How to use this course").
"""

from __future__ import annotations

import os
import platform
import random
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .report import Recorder

PROFILES: dict[str, str] = {
    "smoke": "CI and `make test`: tiny subsets, offline data, about a minute a notebook",
    "cpu": "a laptop CPU: a few minutes a notebook, results worth looking at",
    "gpu": "an accelerator: full data and the best results",
}
PROFILE_ENV = "COURSE_PROFILE"
HEADLESS_ENV = "COURSE_HEADLESS"
#: ``COURSE_SCALE=smoke`` with the gpu profile: the gpu profile's code paths (models, precision,
#: batching) with the smoke profile's budgets, so CI runs every gpu-only line on a CPU.
SCALE_ENV = "COURSE_SCALE"

T = TypeVar("T")


class ProfileError(ValueError):
    """An unknown profile name."""


def valid_profiles() -> list[str]:
    return ["auto", *PROFILES]


def check_profile(name: str) -> str:
    """Return ``name`` normalised, or raise :class:`ProfileError` listing the valid ones."""
    if not isinstance(name, str) or name.strip().lower() not in valid_profiles():
        raise ProfileError(f"unknown profile {name!r}; choose one of: {', '.join(valid_profiles())}")
    return name.strip().lower()


def resolve_profile(profile: str = "auto", devices: list[str] | None = None) -> str:
    """``auto`` → ``$COURSE_PROFILE`` if set, else ``gpu`` with a GPU, else ``cpu``.

    ``devices`` are the accelerators' names (:func:`accelerators` when not given). An Apple GPU
    (PyTorch's MPS, tensorflow-metal) speeds up a laptop, but the gpu profile's budgets are
    sized for a data-centre GPU with float16 tensor cores: with one, ``auto`` means ``cpu``.
    """
    profile = check_profile(profile)
    if profile != "auto":
        return profile
    env = os.environ.get(PROFILE_ENV, "").strip()
    if env:
        try:
            resolved = check_profile(env)
        except ProfileError as e:
            raise ProfileError(f"${PROFILE_ENV}: {e}") from None
        if resolved != "auto":
            return resolved
    devices = accelerators() if devices is None else devices
    return "gpu" if any(not is_apple_gpu(d) for d in devices) else "cpu"


#: How an Apple-silicon GPU shows up: PyTorch's MPS device, TensorFlow's with tensorflow-metal.
APPLE_GPU = ("Apple GPU (PyTorch MPS)", "Apple GPU (tensorflow-metal)")


def is_apple_gpu(name: str) -> bool:
    return name in APPLE_GPU


def accelerators() -> list[str]:
    """Names of the accelerators the Keras backend can see (empty on a CPU-only machine).

    NVIDIA GPUs by name; an Apple-silicon GPU as one of :data:`APPLE_GPU`.
    """
    import keras

    backend = keras.config.backend()
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
            if gpus and sys.platform == "darwin":  # only tensorflow-metal gives TensorFlow a Mac GPU
                return [APPLE_GPU[1]]
            return gpus
        if backend == "jax":
            import jax

            return [str(d) for d in jax.devices() if d.platform != "cpu"]
        if backend == "torch":
            import torch

            if torch.cuda.is_available():
                return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
            if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
                return [APPLE_GPU[0]]
    except Exception:  # a broken driver must not stop the course: fall back to CPU
        return []
    return []


def is_headless() -> bool:
    """True under the runner, nbval or a plain script: no live widgets, one final figure."""
    if os.environ.get(HEADLESS_ENV, "") not in ("", "0"):
        return True
    try:
        from IPython import get_ipython
    except ImportError:
        return True
    ip = get_ipython()
    return ip is None or type(ip).__name__ != "ZMQInteractiveShell"


STRICT_ENV_MISS = "COURSE_STRICT"


def is_interactive() -> bool:
    """True when a person watches the notebook: a Jupyter kernel behind JupyterLab or Notebook
    (which set ``JPY_SESSION_NAME``), Colab or VS Code, and neither ``COURSE_HEADLESS`` nor
    ``COURSE_STRICT`` set. Then a missed threshold shows a box and the notebook goes on;
    otherwise (the runner, nbval, papermill, CI) it stops the notebook."""
    if is_headless() or os.environ.get(STRICT_ENV_MISS, "") not in ("", "0"):
        return False
    return bool(os.environ.get("JPY_SESSION_NAME") or os.environ.get("VSCODE_PID")
                or "google.colab" in sys.modules)


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and the Keras backend (``keras.utils.set_random_seed``)."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    import keras

    random.seed(seed)
    keras.utils.set_random_seed(seed)


def set_plot_style() -> None:
    """A clean, readable matplotlib style shared by every figure in the course."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,
        "savefig.bbox": "tight",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "legend.frameon": False,
        "image.cmap": "viridis",
    })


STRICT_ENV = "COURSE_STRICT_WARNINGS"
# Where the course's own code runs: the package, and notebook cells (they run as __main__).
OWN_CODE = r"(course_utils|__main__)(\.|$)"


def quiet() -> None:
    """Keep library chatter out of the notebook's outputs, but not the course's own deprecations.

    Deprecation and future warnings raised inside libraries (TensorFlow, JAX, …
    warning about themselves) are hidden from learners. Those raised by the course's
    own code (a notebook cell or ``course_utils`` calling a deprecated API) stay
    visible, and with ``$COURSE_STRICT_WARNINGS=1`` (set by the tests, so CI) they
    are errors: they are what predicts rot.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category)
        action = "error" if os.environ.get(STRICT_ENV, "") not in ("", "0") else "default"
        warnings.filterwarnings(action, category=category, module=OWN_CODE)
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass


def resolve_scale(profile: str) -> str:
    """The scale of the budgets: the profile itself, or ``smoke`` for the gpu profile when
    ``$COURSE_SCALE`` is ``smoke`` (CI runs the gpu code paths on a CPU that way)."""
    scale = os.environ.get(SCALE_ENV, "").strip().lower()
    if not scale or scale == profile:
        return profile
    if scale != "smoke":
        raise ProfileError(f"${SCALE_ENV}={scale!r}: the only other scale is 'smoke' "
                           "(the gpu profile's code with the smoke profile's budgets)")
    return "smoke"


@dataclass
class Run:
    """What ``setup`` returns: the profile, the seed, and the notebook's bookkeeping."""

    profile: str
    seed: int
    backend: str
    devices: list[str]
    headless: bool
    recorder: Recorder = field(repr=False, default_factory=Recorder)
    scale: str = ""

    def __post_init__(self) -> None:
        self.scale = self.scale or self.profile

    # -- budgets ---------------------------------------------------------------
    def pick(self, *, smoke: T, cpu: T, gpu: T) -> T:
        """What the profile does: a model's width, a precision, an input size.

        ``WIDTH = run.pick(smoke=16, cpu=16, gpu=64)``. For how much work (epochs, images,
        steps) and the thresholds that go with it, use :meth:`budget`.
        """
        return {"smoke": smoke, "cpu": cpu, "gpu": gpu}[self.profile]

    def budget(self, *, smoke: T, cpu: T, gpu: T) -> T:
        """How much work the profile does: ``EPOCHS = run.budget(smoke=1, cpu=8, gpu=30)``.

        The same as :meth:`pick` except in the gpu profile at smoke scale (``COURSE_SCALE=smoke``,
        how CI runs the gpu code paths on a CPU), where budgets and the thresholds that depend
        on them are the smoke profile's.
        """
        return {"smoke": smoke, "cpu": cpu, "gpu": gpu}[self.scale]

    @property
    def accelerator(self) -> bool:
        return bool(self.devices)

    @property
    def device(self) -> str:
        return ", ".join(self.devices) if self.devices else f"CPU ({os.cpu_count()} cores)"

    @property
    def verbose(self) -> int:
        """``verbose=`` for ``model.fit``: 2 (a line an epoch) headless, 0 with the live plot."""
        return 2 if self.headless else 0

    # -- results ---------------------------------------------------------------
    def expect(self, name: str, value: Any, *, at_least: float | None = None,
               at_most: float | None = None, hint: str = "") -> float:
        """Record ``value`` and fail with a helpful message when it misses its threshold."""
        return self.recorder.expect(name, value, at_least=at_least, at_most=at_most, hint=hint)

    def record(self, name: str, value: Any, note: str = "") -> float:
        """Record a value for the report without a threshold."""
        v = self.recorder.record(name, value, note=note)
        print(f"• {name} = {v:.4g}" + (f"  ({note})" if note else ""))
        return v

    def standin(self, reason: str) -> None:
        """Mark every result of this notebook as a stand-in (see 04 · Transfer learning)."""
        self.recorder.mark_standin(reason)

    def summary_line(self) -> str:
        import keras

        profile = self.profile + (f" at {self.scale} scale" if self.scale != self.profile else "")
        return (f"Profile: {profile} · backend: {self.backend} · device: {self.device} · "
                f"Keras {keras.__version__} · Python {platform.python_version()} · seed {self.seed}")


_CURRENT: Run | None = None


def current() -> Run | None:
    """The run made by the last ``setup`` call in this process (used by the data loaders)."""
    return _CURRENT


def setup(profile: str = "auto", seed: int = 42, notebook: str = "") -> Run:
    """Resolve the profile, seed everything, set the plot style and print one environment line.

    >>> run = setup("smoke", seed=0)           # doctest: +SKIP
    Profile: smoke · backend: tensorflow · device: CPU (2 cores) · ...
    """
    global _CURRENT
    check_profile(profile)  # fail fast on a typo, before importing anything heavy
    quiet()
    import keras

    backend = keras.config.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
    devices = accelerators()
    resolved = resolve_profile(profile, devices)
    seed_everything(seed)
    set_plot_style()
    notebook = notebook or os.environ.get("COURSE_NOTEBOOK", "") or _guess_notebook()
    scale = resolve_scale(resolved)
    if os.environ.get("COURSE_WORKLOG"):  # tools/estimate_gpu.py: log what the models cost
        from . import worklog

        worklog.start(notebook)
    rec = Recorder.from_env(notebook=notebook, profile=resolved)
    rec.scale = scale
    rec.judged = scale == resolved  # the gpu code at smoke budgets runs; its numbers are not judged
    rec.strict = not is_interactive()
    run = Run(profile=resolved, seed=seed, backend=backend, devices=devices,
              headless=is_headless(), recorder=rec, scale=scale)
    rec._write()
    _CURRENT = run
    print(run.summary_line())
    if resolved == "gpu" and scale == "gpu" and not devices:
        print("Note: the gpu profile was asked for but no accelerator is visible; "
              "expect it to be slow on this CPU.")
    return run


def _guess_notebook() -> str:
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
