"""tools/backend_table.py: the README's notebook × backend table and the two-run determinism check."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import backend_table as bt  # noqa: E402


def write_report(build: Path, notebooks: list[dict]) -> Path:
    build.mkdir(parents=True)
    (build / "report.json").write_text(json.dumps({"notebooks": notebooks}))
    return build


def nb(key: str, seconds: float, status: str = "ok", **values: float) -> dict:
    return {"notebook": f"{key}_demo.ipynb", "status": status, "seconds": seconds,
            "results": [{"name": k, "value": v, "passed": True} for k, v in values.items()]}


def test_identical_runs_pass_and_any_change_is_named(tmp_path, capsys):
    a = write_report(tmp_path / "a", [nb("02", 60.0, mnist_test_accuracy=0.945, other=1.0)])
    b = write_report(tmp_path / "b", [nb("02", 71.5, mnist_test_accuracy=0.945, other=1.0)])
    assert bt.main(["same", str(a), str(b)]) == 0, "timings alone must not count as a difference"
    assert "identical: 2 recorded results compared" in capsys.readouterr().out
    c = write_report(tmp_path / "c", [nb("02", 60.0, mnist_test_accuracy=0.944, other=1.0)])
    assert bt.main(["same", str(a), str(c)]) == 1
    assert "02 mnist_test_accuracy: 0.945 vs 0.944" in capsys.readouterr().out


def test_timings_are_not_results(tmp_path):
    a = write_report(tmp_path / "a", [nb("00", 13.0, cpu_matmul_gflops=187.1, supervised_test_accuracy=0.962)])
    b = write_report(tmp_path / "b", [nb("00", 13.6, cpu_matmul_gflops=166.4, supervised_test_accuracy=0.962)])
    assert bt.differences(bt.load(a), bt.load(b)) == []


def test_missing_and_failed_notebooks_are_differences(tmp_path):
    a = write_report(tmp_path / "a", [nb("02", 1.0, x=1.0), nb("03", 1.0, x=1.0)])
    b = write_report(tmp_path / "b", [nb("02", 1.0, status="failed", x=1.0)])
    diff = bt.differences(bt.load(a), bt.load(b))
    assert "03: only in the first run" in diff and "02: failed in the second run" in diff


def test_table_has_a_column_per_backend_with_seconds_and_key_results(tmp_path):
    tf = bt.load(write_report(tmp_path / "tf", [nb("03", 149.1, cnn_test_accuracy=0.865, dense_test_accuracy=0.424)]))
    jax = bt.load(write_report(tmp_path / "jax", [nb("03", 134.6, cnn_test_accuracy=0.8925, dense_test_accuracy=0.4169)]))
    lines = bt.table({"tensorflow": tf, "jax": jax}).splitlines()
    assert lines[0] == "| notebook | tensorflow | jax |"
    assert lines[2] == "| 03 | ✓ 149 s; CNN 0.865, dense 0.424 | ✓ 135 s; CNN 0.892, dense 0.417 |"


def test_a_missing_report_says_how_to_make_one(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError, match="course_utils run"):
        bt.load(tmp_path)


def test_a_later_run_replaces_the_notebooks_it_reran(tmp_path, capsys):
    first = write_report(tmp_path / "a", [nb("04", 23.0, transfer_gain_over_scratch=0.2),
                                          nb("05", 311.0, text_val_loss_vs_bigram=0.78)])
    rerun = write_report(tmp_path / "b", [nb("05", 250.0, text_val_loss_vs_bigram=0.81)])
    assert bt.main(["table", f"torch={first}+{rerun}"]) == 0
    out = capsys.readouterr().out
    assert "| 04 | ✓ 23 s; transfer gain 0.200 |" in out and "| 05 | ✓ 250 s; text/bigram 0.810 |" in out
