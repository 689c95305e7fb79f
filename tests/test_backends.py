"""What course_utils does per Keras backend, tested on whichever backend is active.

CI runs this file once per backend (KERAS_BACKEND=tensorflow, jax, torch: see .ci/run), so
each backend's branch of device detection, seeding and the environment line is exercised
for real on its own environment, where the other backends are not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types

import numpy as np
import pytest

import course_utils as cu
from course_utils import runtime

keras = pytest.importorskip("keras")
BACKEND = keras.config.backend()


def test_the_active_backend_is_the_one_asked_for():
    asked = os.environ.get("KERAS_BACKEND")
    if asked:
        assert BACKEND == asked


def test_environment_line_names_the_backend(capsys, monkeypatch):
    monkeypatch.delenv("COURSE_RESULTS", raising=False)
    run = cu.setup("smoke", seed=1)
    line = capsys.readouterr().out.strip()
    assert run.backend == BACKEND
    assert f"backend: {BACKEND} ·" in line and "device: CPU" in line and f"Keras {keras.__version__}" in line


def _fake_gpu(monkeypatch) -> str:
    """Make the active backend report one GPU called 'Fake T4'; return that name as reported."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        dev = types.SimpleNamespace(name="/physical_device:GPU:0", device_type="GPU")
        monkeypatch.setattr(tf.config, "list_physical_devices",
                            lambda kind=None: [dev] if kind == "GPU" else [])
        return dev.name
    if BACKEND == "jax":
        import jax

        gpu = type("Dev", (), {"platform": "gpu", "__str__": lambda self: "cuda:0 Fake T4"})()
        monkeypatch.setattr(jax, "devices", lambda *a, **k: [gpu])
        return "cuda:0 Fake T4"
    if BACKEND == "torch":
        import torch

        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=0: "Fake T4")
        return "Fake T4"
    pytest.skip(f"no fake GPU for backend {BACKEND}")


def test_no_accelerator_on_this_cpu_machine():
    assert runtime.accelerators() == []
    assert runtime.resolve_profile("auto") in ("cpu", os.environ.get(
        "COURSE_PROFILE", "cpu"))


def test_an_accelerator_is_detected_and_auto_picks_gpu(monkeypatch):
    name = _fake_gpu(monkeypatch)
    assert runtime.accelerators() == [name]
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    assert runtime.resolve_profile("auto") == "gpu"


def test_a_broken_driver_falls_back_to_the_cpu(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("driver exploded")

    if BACKEND == "tensorflow":
        import tensorflow as tf

        monkeypatch.setattr(tf.config, "list_physical_devices", boom)
    elif BACKEND == "jax":
        import jax

        monkeypatch.setattr(jax, "devices", boom)
    else:
        import torch

        monkeypatch.setattr(torch.cuda, "is_available", boom)
    assert runtime.accelerators() == []


def _init_and_draw(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    runtime.seed_everything(seed)
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    gen = keras.random.SeedGenerator(seed)
    draw = keras.ops.convert_to_numpy(keras.random.normal((5,), seed=gen))
    dropped = keras.ops.convert_to_numpy(keras.layers.Dropout(0.5)(np.ones((1, 8)), training=True))
    return keras.ops.convert_to_numpy(layer.kernel), draw, dropped


def test_seeding_repeats_initial_weights_random_draws_and_dropout():
    a, b = _init_and_draw(7), _init_and_draw(7)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    c = _init_and_draw(8)
    assert not np.array_equal(a[0], c[0]), "a different seed must give different initial weights"


def test_same_seed_same_training_result():
    """Two short fits from the same seed end with identical weights (what the cpu-profile
    determinism of the recorded results rests on)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")

    def fit() -> np.ndarray:
        runtime.seed_everything(3)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dropout(0.2), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(x, y, epochs=2, batch_size=16, verbose=0)
        return keras.ops.convert_to_numpy(model.layers[0].kernel)

    np.testing.assert_array_equal(fit(), fit())


@pytest.mark.skipif(BACKEND == "tensorflow", reason="TensorFlow is this backend")
def test_course_utils_works_without_tensorflow_installed():
    """A learner on JAX or PyTorch does not need TensorFlow: with `import tensorflow` made to
    fail (as where it is not installed), setup, a model and the live plot still work."""
    code = ("import sys; sys.modules['tensorflow'] = None\n"
            "import course_utils as cu, keras\n"
            "run = cu.setup('smoke')\n"
            "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
            "m.compile('sgd', 'mse')\n"
            "m.fit(keras.ops.ones((4, 3)), keras.ops.ones((4, 1)), verbose=0, callbacks=[cu.LivePlot()])\n"
            "print('ok', run.backend)")
    env = dict(os.environ, KERAS_BACKEND=BACKEND, COURSE_HEADLESS="1", MPLBACKEND="Agg")
    env.pop("COURSE_RESULTS", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == f"ok {BACKEND}"


def test_an_apple_gpu_is_named_and_auto_keeps_the_cpu_budgets(monkeypatch):
    """PyTorch's MPS and tensorflow-metal are recognised; on an Apple GPU `auto` picks cpu."""
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    if BACKEND == "torch":
        import torch

        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
        expected = "Apple GPU (PyTorch MPS)"
    elif BACKEND == "tensorflow":
        import tensorflow as tf

        dev = types.SimpleNamespace(name="/physical_device:GPU:0", device_type="GPU")
        monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [dev] if kind == "GPU" else [])
        monkeypatch.setattr(runtime.sys, "platform", "darwin")
        expected = "Apple GPU (tensorflow-metal)"
    else:
        pytest.skip("JAX's Apple GPU plug-in (jax-metal) is experimental; the course does not use it")
    assert runtime.accelerators() == [expected]
    assert runtime.resolve_profile("auto") == "cpu"
