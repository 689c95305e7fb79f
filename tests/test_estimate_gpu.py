"""tools/estimate_gpu.py: the FLOP counter, the budgets it reads from the notebooks, the verdict."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import estimate_gpu as est  # noqa: E402

keras = pytest.importorskip("keras")


def test_flops_of_a_dense_and_a_conv_layer_by_hand():
    dense = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10)])
    assert est.forward_flops(dense) == 2 * 784 * 10
    conv = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, padding="same")])
    assert est.forward_flops(conv) == 2 * (3 * 3 * 3) * 32 * 32 * 8
    lstm = keras.Sequential([keras.Input((20, 5)), keras.layers.LSTM(16)])
    assert est.forward_flops(lstm) == 2 * 4 * 16 * (5 + 16) * 20


def test_budgets_are_read_from_the_notebooks(tmp_path, monkeypatch):
    nb = tmp_path / "09_demo.py"
    nb.write_text("EPOCHS = run.pick(smoke=1, cpu=2, gpu=30)\n"
                  "A, B = run.pick(smoke=1, cpu=1, gpu=3), run.pick(smoke=1, cpu=1, gpu=4)\n"
                  "hist = model.fit(x, epochs=run.pick(smoke=1, cpu=2, gpu=7))\n")
    monkeypatch.setattr(est, "NOTEBOOKS", tmp_path)
    assert est.gpu_value("09", "EPOCHS") == 30
    assert (est.gpu_value("09", "A"), est.gpu_value("09", "B")) == (3, 4)
    assert est.gpu_value("09", "epochs", within="hist") == 7
    with pytest.raises(LookupError, match="09_demo.py.*BATCH"):
        est.gpu_value("09", "BATCH")


def test_the_dense_baseline_is_the_one_notebook_03_asserts():
    text = (ROOT / "notebooks" / "03_convolutional_networks.py").read_text()
    assert "8_391_818" in text
    assert est.dense_baseline_03().count_params() == 8_391_818


def test_every_notebook_has_a_workload_and_fits_the_gpu_budget():
    numbers = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(est.WORKLOADS) == numbers, "add the new notebook's gpu work to estimate_gpu.py"
    rows = est.estimate()
    over = [(r["notebook"], r["minutes"], r["peak_ram_gb"]) for r in rows if not r["within_budget"]]
    assert not over, f"over the gpu budget (≤ {est.BUDGET_MIN} min, ≤ {est.BUDGET_RAM_GB} GB): {over}"


def test_more_work_takes_longer():
    a = est.Pass("a", 1e9, 10_000, epochs=1)
    b = est.Pass("b", 1e9, 10_000, epochs=2)
    assert b.seconds()[0] > a.seconds()[0] and b.seconds()[1] > a.seconds()[1]
    assert a.seconds()[1] > a.seconds()[0]   # the pessimistic end is the slower one


def test_every_notebook_header_states_the_estimated_gpu_time():
    """The **Time:** line of each notebook says what the estimator says (run
    `python tools/estimate_gpu.py --write-headers` and sync after changing a gpu budget)."""
    for row in est.estimate():
        [path] = sorted((ROOT / "notebooks").glob(f"{row['notebook']}_*.py"))
        time_line = next(ln for ln in path.read_text().splitlines() if "**Time:**" in ln)
        assert est.header_phrase(row) in time_line, (path.name, time_line, est.header_phrase(row))
