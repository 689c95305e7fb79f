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
    assert fit["params"] == model.count_params()
    by_hand = 2 * (3 * 3 * 3) * 16 * 16 * 4 + 2 * (16 * 16 * 4) * 10
    if keras.config.backend() == "jax":  # XLA's cost analysis of the compiled forward pass
        assert fit["flops_per_example"] == pytest.approx(by_hand, rel=0.05)
    else:
        assert fit["flops_per_example"] is None
