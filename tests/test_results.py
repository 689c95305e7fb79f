"""Recorded runs (course_utils.results) and the one command that turns them into the README's
tables and the notebook headers' times (tools/results.py): record, ranges, calibration, labels,
check (it fails when a README number or a header disagrees with results/), write, same."""

from __future__ import annotations

import ast
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import results as tool  # noqa: E402  (tools/results.py)
from course_utils import results as rs  # noqa: E402

MACHINE = {"cpu": "AMD EPYC", "cores": 2, "os": "Linux 6.1.0", "arch": "x86_64", "python": "3.11.7",
           "versions": {"keras": "3.12.0", "tensorflow": "2.20.0", "numpy": "2.3.5"}}


def build(root: Path, backend: str = "tensorflow", profile: str = "cpu", created: str = "2026-12-01 10:00:00",
          machine: dict | None = None, scale: str = "", notebooks: dict | None = None) -> Path:
    """A build folder with only what `record` and `same` read: report.json."""
    notebooks = notebooks if notebooks is not None else {
        "03_convolutional_networks": (150.0, {"cnn_test_accuracy": 0.865, "augmentation_gain": 0.01}),
        "00_big_picture": (13.0, {"supervised_test_accuracy": 0.962, "cpu_matmul_gflops": 180.0})}
    nbs = []
    for stem, (seconds, values) in notebooks.items():
        data = "CIFAR-10: stand-in" if stem.startswith("03") else "digits: real"
        nbs.append({"notebook": f"{stem}.ipynb", "status": "failed" if seconds < 0 else "ok",
                    "seconds": abs(seconds), "profile": profile, "scale": scale or profile, "backend": backend,
                    "results": [{"name": n, "value": v, "at_least": 0.8 if "accuracy" in n else None,
                                 "at_most": 0.95 if n == "cnn_test_accuracy" else None,
                                 "passed": True if "accuracy" in n else None, "standin": False, "note": "",
                                 "data": data} for n, v in values.items()],
                    "sources": [], "executed": ""})
    root.mkdir(parents=True)
    (root / "report.json").write_text(json.dumps({
        "profile_requested": profile, "backend_requested": backend, "created": created,
        "machine": machine or MACHINE, "notebooks": nbs, "not_run": []}))
    return root


def snapshot(folder: Path, name: str = "tensorflow-cpu") -> dict:
    return json.loads((folder / f"{name}.json").read_text())


# ----------------------------------------------------------------------------- record
def test_record_keeps_a_small_snapshot_per_backend_and_profile(tmp_path):
    out = rs.record(build(tmp_path / "b"), tmp_path / "results")
    snap = snapshot(tmp_path / "results")
    assert snap["backend"] == "tensorflow" and snap["profile"] == "cpu" and len(snap["runs"]) == 1
    run = snap["runs"][0]
    assert run["machine"] == MACHINE
    entry = run["notebooks"]["03_convolutional_networks"]
    assert entry["date"] == "2026-12-01" and entry["status"] == "ok" and entry["seconds"] == 150.0
    assert entry["results"][0] == {"name": "cnn_test_accuracy", "value": 0.865, "at_least": 0.8, "at_most": 0.95,
                                   "passed": True, "data": "CIFAR-10: stand-in"}
    assert "recorded 2 notebook(s)" in out[-1]


def test_the_same_machine_again_counts_identical_repeats_and_names_a_change(tmp_path):
    folder = tmp_path / "results"
    rs.record(build(tmp_path / "1"), folder)
    again = build(tmp_path / "2", created="2026-12-02 09:00:00", machine={**MACHINE, "os": "Linux 6.2.0"})
    out = rs.record(again, folder)
    [run] = snapshot(folder)["runs"]  # another OS release is still this machine
    assert run["notebooks"]["03_convolutional_networks"]["repeats"] == 2
    assert run["notebooks"]["03_convolutional_networks"]["since"] == "2026-12-01"
    assert any("identical to the run of 2026-12-01" in line for line in out)
    changed = build(tmp_path / "3", created="2026-12-03 09:00:00", notebooks={
        "03_convolutional_networks": (151.0, {"cnn_test_accuracy": 0.866, "augmentation_gain": 0.01})})
    out = rs.record(changed, folder)
    [run] = snapshot(folder)["runs"]
    assert run["notebooks"]["03_convolutional_networks"]["repeats"] == 1, "a change restarts the count"
    assert run["notebooks"]["00_big_picture"]["date"] == "2026-12-02", "a partial run replaces only its notebooks"
    assert any("cnn_test_accuracy: 0.865 vs 0.866" in line for line in out)


def test_another_machine_or_version_is_another_run_and_gpu_at_smoke_scale_is_not_recorded(tmp_path):
    folder = tmp_path / "results"
    rs.record(build(tmp_path / "1"), folder)
    rs.record(build(tmp_path / "2", machine={**MACHINE, "cores": 4}), folder)
    rs.record(build(tmp_path / "3", machine={**MACHINE, "versions": {**MACHINE["versions"], "keras": "3.13.0"}}), folder)
    assert len(snapshot(folder)["runs"]) == 3
    out = rs.record(build(tmp_path / "4", profile="gpu", scale="smoke"), folder)
    assert not (folder / "tensorflow-gpu.json").exists()
    assert any("tests code paths" in line for line in out)
    with pytest.raises(FileNotFoundError, match="course_utils run"):
        rs.record(tmp_path / "nothing", folder)


# ----------------------------------------------------------------------------- ranges, calibration
@pytest.fixture
def three_backends(tmp_path) -> Path:
    folder = tmp_path / "results"
    for backend, acc, secs, day in (("tensorflow", 0.865, 150.0, "01"), ("jax", 0.892, 138.0, "02"),
                                    ("torch", 0.863, 145.0, "03")):
        rs.record(build(tmp_path / backend, backend=backend, created=f"2026-12-{day} 10:00:00", notebooks={
            "03_convolutional_networks": (secs, {"cnn_test_accuracy": acc, "augmentation_gain": 0.01})}), folder)
    rs.record(build(tmp_path / "smoke", profile="smoke", notebooks={
        "03_convolutional_networks": (33.0, {"cnn_test_accuracy": 0.5})}), folder)
    return folder


def test_ranges_span_every_backend_and_machine_of_a_profile(three_backends):
    snaps = rs.load_snapshots(three_backends)
    span = rs.result_spans(snaps, "cpu")[("03_convolutional_networks", "cnn_test_accuracy", "CIFAR-10: stand-in")]
    assert span.text() == "0.863–0.892" and len(span.values) == 3, "smoke runs are another profile"
    assert span.where() == "3 runs (TensorFlow, JAX, PyTorch; 2-core AMD EPYC, Linux x86_64; 2026-12-01 – 2026-12-03)"
    assert (span.at_least, span.at_most) == (0.8, 0.95)
    assert rs.time_spans(snaps, "cpu")["03_convolutional_networks"].text_time() == "2.3–2.5 min"
    assert rs.time_spans(snaps, "smoke")["03_convolutional_networks"].text_time() == "33 s"


def test_calibration_says_where_a_threshold_was_measured_or_that_it_was_not(three_backends):
    snaps = rs.load_snapshots(three_backends)
    assert rs.calibration(snaps, "cpu", "03_convolutional_networks", "cnn_test_accuracy", "CIFAR-10: stand-in") == (
        "calibrated on: cpu profile, CIFAR-10: stand-in; recorded 0.863–0.892 in 3 runs (TensorFlow, JAX, PyTorch; "
        "2-core AMD EPYC, Linux x86_64; 2026-12-01 – 2026-12-03)")
    # the real CIFAR-10 (an online run) was never recorded: its threshold is not calibrated
    assert rs.calibration(snaps, "cpu", "03_convolutional_networks", "cnn_test_accuracy", "CIFAR-10: real") == (
        "not yet measured on this path (a relative check or a guess)")


def test_last_verified_names_date_versions_profile_and_machine_and_a_later_failure(tmp_path, three_backends):
    rs.record(build(tmp_path / "fail", backend="jax", created="2026-12-05 10:00:00", machine={**MACHINE, "cores": 4},
                    notebooks={"03_convolutional_networks": (-20.0, {})}), three_backends)
    rows = {(r["backend"], r["profile"]): r for r in rs.last_verified(rs.load_snapshots(three_backends),
                                                                       "03_convolutional_networks")}
    assert rows["tensorflow", "cpu"] == {
        "backend": "tensorflow", "profile": "cpu", "date": "2026-12-01", "failed_since": "",
        "versions": "Keras 3.12.0, TensorFlow 2.20.0, NumPy 2.3.5, Python 3.11.7",
        "machine": "2-core AMD EPYC, Linux x86_64"}
    assert rows["jax", "cpu"]["date"] == "2026-12-02" and rows["jax", "cpu"]["failed_since"] == "2026-12-05"


@pytest.mark.parametrize("value, text", [(0.962, "0.962"), (65.4, "65.4"), (3.4e-10, "3.4e-10"),
                                         (8391818, "8,391,818"), (-0.02, "−0.02"), (10, "10"), (0, "0")])
def test_numbers_read_as_a_learner_reads_them(value, text):
    assert rs.fmt(value) == text


def test_ranges_and_times_in_words():
    assert rs.range_text(0.86, 0.89) == "0.86–0.89" and rs.range_text(0.8621, 0.8624) == "0.862"
    assert rs.range_text(-0.02, 0.05) == "−0.02 to 0.05"
    assert (rs.time_text(33.2, 33.4), rs.time_text(31, 36), rs.time_text(150, 150), rs.time_text(60, 246)) == (
        "33 s", "31–36 s", "2.5 min", "1.0–4.1 min")


# ----------------------------------------------------------------------------- labels
def test_labels_are_words_and_patterns_cover_names_made_in_a_loop():
    assert rs.label("03_convolutional_networks", "cnn_test_accuracy") == "the CNN's test accuracy"
    assert rs.label("02_multilayer_networks", "small_data_test_accuracy_no_cure") == (
        "a small training set: test accuracy with no cure")
    assert rs.label("04_transfer_learning_vgg16", "step: + fine-tuning") == "test accuracy after the step “+ fine-tuning”"
    assert rs.label("02_multilayer_networks", "no_such_result") is None
    assert rs.words("02_multilayer_networks", "no_such_result") == "no such result"


def test_every_recorded_result_has_a_label():
    """Result names come from the notebooks' run.expect / run.record: add a label for a new one to
    course_utils/labels.json (a {placeholder} in the key covers names made in a loop)."""
    missing = sorted({f"{stem}: {r['name']}" for snap in rs.load_snapshots() for run in snap["runs"]
                      for stem, e in run["notebooks"].items() for r in e["results"] if rs.label(stem, r["name"]) is None})
    assert not missing, "results without a label in course_utils/labels.json:\n" + "\n".join(missing)


def test_every_result_a_notebook_names_literally_has_a_label():
    """The same safety net before a run is recorded: run.expect("name", ...) / run.record("name", ...)."""
    missing = []
    for py in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")):
        for node in ast.walk(ast.parse(py.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("expect", "record") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and rs.label(py.stem, node.args[0].value) is None):
                missing.append(f"{py.stem}: {node.args[0].value}")
    assert not missing, "results without a label in course_utils/labels.json:\n" + "\n".join(missing)


# ----------------------------------------------------------------------------- the README and the headers
@pytest.fixture
def repo(tmp_path, monkeypatch, three_backends):
    """A copy of the README and of two notebook pairs, with tools/results.py pointed at them."""
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for stem in ("00_big_picture", "03_convolutional_networks"):
        for suffix in (".py", ".ipynb"):
            shutil.copy(ROOT / "notebooks" / f"{stem}{suffix}", nbs)
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    monkeypatch.setattr(tool, "README", tmp_path / "README.md")
    monkeypatch.setattr(tool, "NOTEBOOKS", nbs)
    monkeypatch.setattr(tool, "gpu_estimates", lambda: {"03": ("5.9–9.1 min", "gpu about 6–9 min on a T4 (estimated)")})
    return tmp_path


def test_write_generates_the_readme_and_headers_and_check_fails_when_a_number_is_changed(repo, three_backends, capsys):
    args = ["--results", str(three_backends)]
    assert tool.main([*args, "write"]) == 0
    readme = (repo / "README.md").read_text()
    assert "| [03 · Convolutional networks](notebooks/03_convolutional_networks.ipynb) |" in readme
    assert "| 2.3–2.5 min | 5.9–9.1 min |" in readme, "times: the range over the cpu runs; gpu: the estimate"
    assert "the CNN's test accuracy **0.863–0.892** (≥ 0.8 and ≤ 0.95)" in readme, "results: ranges, words, thresholds"
    assert "| 03 | ✓ 2.5 min; CNN accuracy 0.865 | ✓ 2.3 min; CNN accuracy 0.892 | ✓ 2.4 min; CNN accuracy 0.863 |" in readme
    assert "a learner's digits will differ slightly" in readme
    header = next(ln for ln in (repo / "notebooks" / "03_convolutional_networks.py").read_text().splitlines()
                  if "**Time:**" in ln)
    assert header == ("# **Time:** smoke 33 s · cpu 2.3–2.5 min (measured on a 2-core CPU: TensorFlow, JAX, "
                      "PyTorch) · gpu about 6–9 min on a T4 (estimated)")
    ipynb = json.loads((repo / "notebooks" / "03_convolutional_networks.ipynb").read_text())
    assert header[2:] in "".join(ipynb["cells"][0]["source"]), "the pair is synced"
    assert tool.main([*args, "check"]) == 0
    capsys.readouterr()

    (repo / "README.md").write_text(readme.replace("0.863–0.892", "0.863–0.899", 1))  # a number typed by hand
    assert tool.main([*args, "check"]) == 1
    out = capsys.readouterr().out
    assert "-| 03 | CIFAR-10: stand-in | the CNN's test accuracy **0.863–0.899**" in out
    assert "+| 03 | CIFAR-10: stand-in | the CNN's test accuracy **0.863–0.892**" in out
    assert "python tools/results.py write" in out

    assert tool.main([*args, "write"]) == 0 and tool.main([*args, "check"]) == 0
    py = repo / "notebooks" / "03_convolutional_networks.py"
    py.write_text(py.read_text().replace("cpu 2.3–2.5 min", "cpu 2 min", 1))  # a header typed by hand
    assert tool.main([*args, "check"]) == 1
    assert "+++ notebooks/03_convolutional_networks.py (from results/)" in capsys.readouterr().out


def test_without_markers_the_readme_is_not_guessed_at(repo, three_backends):
    (repo / "README.md").write_text("# A README without generated parts\n")
    with pytest.raises(SystemExit, match="lacks the markers"):
        tool.main(["--results", str(three_backends), "check"])


def test_the_readme_and_every_header_agree_with_the_committed_snapshots(capsys):
    """The README's course map, results and backend tables and each notebook's **Time:** line are
    generated from results/: run `python tools/results.py write` after recording new runs."""
    code = tool.main(["check"])
    assert code == 0, capsys.readouterr().out


# ----------------------------------------------------------------------------- same
def test_same_compares_results_not_timings(tmp_path, capsys):
    a = build(tmp_path / "a")
    b = build(tmp_path / "b", notebooks={
        "03_convolutional_networks": (170.0, {"cnn_test_accuracy": 0.865, "augmentation_gain": 0.01}),
        "00_big_picture": (14.0, {"supervised_test_accuracy": 0.962, "cpu_matmul_gflops": 150.0})})
    assert tool.main(["same", str(a), str(b)]) == 0, "seconds and 00's matrix-product speed are timings"
    assert "identical" in capsys.readouterr().out
    c = build(tmp_path / "c", notebooks={
        "03_convolutional_networks": (-150.0, {"cnn_test_accuracy": 0.864, "augmentation_gain": 0.01})})
    assert tool.main(["same", str(a), str(c)]) == 1
    out = capsys.readouterr().out
    assert "03_convolutional_networks cnn_test_accuracy: 0.865 vs 0.864" in out
    assert "00_big_picture: only in the first run" in out and "03_convolutional_networks: failed in the second run" in out
    with pytest.raises(SystemExit, match="course_utils run"):
        tool.main(["same", str(a), str(tmp_path / "none")])
