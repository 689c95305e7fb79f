"""course_utils.worklog: what tools/estimate_gpu.py learns about the notebooks' own models."""

from __future__ import annotations

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import course_utils as cu  # noqa: E402


def test_fit_and_predict_are_logged_with_the_real_models_cost(tmp_path, monkeypatch):
    log = tmp_path / "work.jsonl"
    monkeypatch.setenv("COURSE_WORKLOG", str(log))
    cu.setup("smoke", seed=0, notebook="99_demo")
    model = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(4, 3, padding="same"),
                              keras.layers.Flatten(), keras.layers.Dense(10)], name="demo")
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(np.zeros((32, 16, 16, 3), "float32"), np.zeros(32), epochs=2, batch_size=16, verbose=0)
    model.predict(np.zeros((5, 16, 16, 3), "float32"), verbose=0)
    fit, predict = (json.loads(line) for line in log.read_text().splitlines())
    assert (fit["notebook"], fit["call"], fit["model"]) == ("99_demo", "fit", "demo")
    assert (fit["examples"], fit["epochs"], fit["batch_size"]) == (32, 2, 16)
    assert predict["call"] == "predict" and predict["examples"] == 5
    assert predict["batch_size"] == 32 and not fit["recurrent"]   # Keras's default batch
    assert fit["params"] == model.count_params()
    by_hand = 2 * (3 * 3 * 3) * 16 * 16 * 4 + 2 * (16 * 16 * 4) * 10
    if keras.config.backend() == "jax":  # XLA's cost analysis of the compiled forward pass
        assert fit["flops_per_example"] == pytest.approx(by_hand, rel=0.05)
    else:
        assert fit["flops_per_example"] is None


def test_a_model_without_its_own_forward_pass_counts_as_its_sub_models():
    """06's GAN has its own train_step and no call(): its cost is its generator's and its
    discriminator's, each on inputs of its declared shape."""
    from course_utils import worklog

    gen = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16)], name="g")
    disc = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1)], name="d")

    class Pair(keras.Model):
        def __init__(self):
            super().__init__()
            self.gen, self.disc = gen, disc

    flops = worklog.forward_flops(Pair(), np.zeros((4, 16), "float32"))
    if keras.config.backend() != "jax":
        assert flops is None
        return
    alone = worklog.forward_flops(gen, np.zeros((1, 8), "float32")) + worklog.forward_flops(
        disc, np.zeros((1, 16), "float32"))
    assert flops == pytest.approx(alone) and alone == pytest.approx(2 * 8 * 16 + 2 * 16, rel=0.2)


def test_a_model_with_two_inputs_is_costed_on_both(tmp_path, monkeypatch):
    log = tmp_path / "work.jsonl"
    monkeypatch.setenv("COURSE_WORKLOG", str(log))
    cu.setup("smoke", seed=0, notebook="99_demo")
    a, b = keras.Input((8,)), keras.Input((4,))
    model = keras.Model([a, b], keras.layers.Dense(2)(keras.layers.Concatenate()([a, b])), name="two")
    model.predict([np.zeros((6, 8), "float32"), np.zeros((6, 4), "float32")], verbose=0)
    (entry,) = (json.loads(line) for line in log.read_text().splitlines())
    assert (entry["model"], entry["examples"]) == ("two", 6)
    if keras.config.backend() == "jax":
        assert entry["flops_per_example"] == pytest.approx(2 * 12 * 2, rel=0.3)
