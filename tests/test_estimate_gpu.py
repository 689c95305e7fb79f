"""tools/estimate_gpu.py: the budgets it reads from the notebooks, the worklog of their real models,
the cost model and the verdict."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import estimate_gpu as est  # noqa: E402


def entry(**kw) -> dict:
    base = {"notebook": "09_demo", "call": "fit", "model": "m", "params": 100, "examples": 64,
            "epochs": 1, "batch_size": 32, "steps_per_execution": 1, "dtype_policy": "float32",
            "recurrent": False, "flops_per_example": 1e9}
    return {**base, **kw}


@pytest.fixture
def demo(tmp_path, monkeypatch):
    nb = tmp_path / "09_demo.py"
    nb.write_text("EPOCHS = run.budget(smoke=1, cpu=2, gpu=30)\n"
                  "A, B = run.pick(smoke=1, cpu=1, gpu=3), run.pick(smoke=1, cpu=1, gpu=4)\n"
                  "N = 5000\n"
                  "hist = model.fit(x, epochs=run.pick(smoke=1, cpu=2, gpu=7))\n")
    monkeypatch.setattr(est, "NOTEBOOKS", tmp_path)
    monkeypatch.setitem(est.WORK, "09", {("m", "fit"): ("N * A", "EPOCHS")})
    yield


def test_budgets_are_read_from_the_notebooks(demo):
    budgets = est.Budgets("09")
    assert (budgets["EPOCHS"], budgets["A"], budgets["B"], budgets["N"]) == (30, 3, 4, 5000)
    assert budgets["epochs__hist"] == 7
    with pytest.raises(LookupError, match="09_demo.py.*BATCH"):
        budgets["BATCH"]


def test_a_logged_call_is_scaled_to_the_gpu_budgets(demo):
    (row,) = est.estimate(["09"], log=[entry()])
    (call,) = row["calls"]
    assert (call["examples"], call["epochs"], call["gflop_per_example"]) == (15_000, 30, 1.0)
    # 3 × 1 GFLOP × 15,000 × 30 at 40 % of 8.1 TFLOP/s, + 14,070 steps × 2.5 ms, + 10 s compiling
    low = 3 * 1e9 * 15_000 * 30 / (8.1e12 * 0.40) + 469 * 30 * 2.5e-3 + 10
    assert call["minutes"][0] == pytest.approx(low / 60, abs=0.01)


def test_a_call_the_table_does_not_know_is_an_error_not_left_out(demo):
    with pytest.raises(LookupError, match=r"\('other', 'fit'\).*WORK"):
        est.estimate(["09"], log=[entry(), entry(model="other")])
    with pytest.raises(LookupError, match="rerun"):
        est.estimate(["09"], log=[])


def test_more_work_takes_longer_and_float16_is_faster():
    one, two = est.seconds(entry(), 1000, 1), est.seconds(entry(), 1000, 2)
    assert two[0] > one[0] and two[1] > one[1] and one[1] > one[0]
    big = entry(flops_per_example=1e11)
    assert est.seconds({**big, "dtype_policy": "mixed_float16"}, 10_000, 5)[1] < est.seconds(big, 10_000, 5)[1]
    assert est.seconds({**big, "recurrent": True}, 10_000, 5)[1] > est.seconds(big, 10_000, 5)[1]


def test_the_worklog_holds_the_notebooks_real_models():
    """The committed log comes from the notebooks' own models: every notebook, FLOPs from XLA, the
    parameter counts the notebooks themselves state, VGG16 (14.7 M) in 04's branch."""
    log = est.load_worklog()
    numbers = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
    assert sorted(est.WORK) == numbers, "add the new notebook's calls to WORK in estimate_gpu.py"
    with_models = {e["notebook"][:2] for e in log}
    assert with_models >= set(numbers) - {"00"}, with_models   # 00 trains no Keras model
    fits = [e for e in log if e["call"] == "fit"]
    assert all(e["flops_per_example"] for e in fits), [e["model"] for e in fits if not e["flops_per_example"]]
    params = {(e["notebook"][:2], e["model"]): e["params"] for e in log}
    assert params["03", "dense_baseline"] == 8_391_818   # what 03 asserts in its text
    assert "8_391_818" in (ROOT / "notebooks" / "03_convolutional_networks.py").read_text()
    assert params["04", "transfer"] > 14_714_688          # VGG16's conv base and a head


def test_every_notebook_fits_the_gpu_budget():
    rows = est.estimate()
    over = [(r["notebook"], r["minutes"], r["peak_ram_gb"]) for r in rows if not r["within_budget"]]
    assert not over, f"over the gpu budget (≤ {est.BUDGET_MIN} min, ≤ {est.BUDGET_RAM_GB} GB): {over}"
