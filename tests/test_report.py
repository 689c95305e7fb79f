import json

import pytest

from course_utils.report import ExpectationError, Recorder


def test_expect_passes_records_and_writes(tmp_path, capsys):
    rec = Recorder(notebook="01_x", profile="cpu", path=tmp_path / "r.json")
    assert rec.expect("acc", 0.93, at_least=0.9) == pytest.approx(0.93)
    assert "✓ acc = 0.93" in capsys.readouterr().out
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["results"][0] == {"name": "acc", "value": 0.93, "at_least": 0.9, "at_most": None,
                                  "passed": True, "standin": False, "note": "", "data": ""}


def test_expect_failure_is_helpful_and_still_recorded(tmp_path):
    rec = Recorder(profile="smoke", path=tmp_path / "r.json")
    with pytest.raises(ExpectationError, match=r"acc = 0\.42, expected ≥ 0\.85 in the 'smoke' profile"):
        rec.expect("acc", 0.42, at_least=0.85)
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["results"][0]["passed"] is False


def test_at_most_and_both_bounds():
    rec = Recorder()
    rec.expect("err", 0.01, at_most=0.1)
    rec.expect("ratio", 0.5, at_least=0.4, at_most=0.6)
    with pytest.raises(ExpectationError, match="≤ 0.1"):
        rec.expect("err", 0.2, at_most=0.1)


def test_expect_needs_a_bound():
    with pytest.raises(TypeError, match="at_least= or at_most="):
        Recorder().expect("acc", 0.9)


@pytest.mark.parametrize("bad", ["high", None, [1, 2]])
def test_non_numbers_are_rejected(bad):
    with pytest.raises(TypeError, match="expected a number"):
        Recorder().record("x", bad)


def test_nan_means_diverged():
    with pytest.raises(ExpectationError, match="NaN"):
        Recorder().expect("loss", float("nan"), at_most=1.0)


def test_standin_marks_earlier_and_later_results(tmp_path):
    rec = Recorder(path=tmp_path / "r.json")
    rec.record("a", 1)
    rec.mark_standin("no pretrained weights")
    rec.record("b", 2)
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["standin_reason"] == "no pretrained weights"
    assert all(r["standin"] for r in data["results"])


def test_recording_twice_keeps_the_latest():
    rec = Recorder()
    rec.record("a", 1)
    rec.record("a", 2)
    assert [(r.name, r.value) for r in rec.results] == [("a", 2.0)]


def test_sources_are_recorded(tmp_path):
    rec = Recorder(path=tmp_path / "r.json")
    rec.add_source("CIFAR-10", "generated stand-in", standin=True)
    assert json.loads((tmp_path / "r.json").read_text())["sources"] == [
        {"what": "CIFAR-10", "source": "generated stand-in", "standin": True, "kind": "stand-in"}]
    rec.expect("acc", 0.9, at_least=0.5)
    assert rec.results[-1].data == "CIFAR-10: stand-in", "a result names the data it was measured on"


def test_interactive_miss_shows_a_box_and_goes_on(capsys):
    """In JupyterLab a missed threshold is a visible box and the notebook continues; headless
    (the default, as under the runner and nbval) it stops the notebook."""
    rec = Recorder(profile="cpu", strict=False)
    assert rec.expect("acc", 0.42, at_least=0.85, hint="train longer") == pytest.approx(0.42)
    err = capsys.readouterr().err
    assert "✗ Check missed" in err and "acc = 0.42, expected ≥ 0.85" in err and "train longer" in err
    assert rec.results[0].passed is False, "the miss is recorded for the report"
    with pytest.raises(ExpectationError):
        Recorder(profile="cpu").expect("acc", 0.42, at_least=0.85)


def test_gpu_code_at_smoke_scale_records_without_judging(capsys):
    rec = Recorder(profile="gpu", judged=False)
    assert rec.expect("acc", 0.1, at_least=0.85) == pytest.approx(0.1)
    assert "not judged at smoke scale" in capsys.readouterr().out
    assert rec.results[0].passed is None and rec.results[0].at_least == 0.85
