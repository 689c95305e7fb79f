"""The runner, prefetch and doctor, as a user calls them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import cli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import nbtool  # noqa: E402


def test_run_with_a_bogus_profile_names_the_valid_ones(capsys):
    assert cli.main(["run", "--profile", "bogus"]) == 2
    err = capsys.readouterr().err
    assert "unknown profile 'bogus'" in err and "auto, smoke, cpu, gpu" in err


def test_run_with_a_missing_notebook():
    with pytest.raises(SystemExit, match="no notebook at nope.ipynb"):
        cli.main(["run", "nope.ipynb"])


BROKEN = '''# %% [markdown]
# # 98 · Broken on purpose
# %% tags=["parameters"]
PROFILE = "auto"
SEED = 42
# %%
import course_utils as cu
run = cu.setup(PROFILE, seed=SEED)
run.expect("before_the_break", 0.9, at_least=0.5)
# %%
x = 1
# %%
raise ValueError("deliberately broken")
# %%
print("never reached")
'''


def test_run_names_the_notebook_and_cell_that_failed(tmp_path):
    nb = tmp_path / "98_broken.ipynb"
    nbtool.write(nbtool.from_percent(BROKEN), nb)
    out = tmp_path / "build"
    proc = subprocess.run([sys.executable, "-m", "course_utils", "run", str(nb), "--profile", "smoke",
                           "--out", str(out), "--quiet"], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert ("98_broken.ipynb, cell 4 `raise ValueError(\"deliberately broken\")`: "
            "ValueError: deliberately broken") in proc.stderr
    report = json.loads((out / "report.json").read_text())
    (entry,) = report["notebooks"]
    assert entry["status"] == "failed" and entry["error"]["cell"] == 4
    # what ran before the failure is still reported
    assert entry["results"][0]["name"] == "before_the_break" and entry["profile"] == "smoke"
    assert (out / "98_broken.html").is_file() and (out / "executed" / "98_broken.ipynb").is_file()
    html = (out / "report.html").read_text()
    assert "✗ failed" in html and "deliberately broken" in html


def test_report_html_marks_standins():
    payload = {"profile_requested": "cpu", "created": "now", "python": "3.11", "notebooks": [
        cli.NotebookResult("04_x.ipynb", seconds=3.0, profile="cpu", standin_reason="no weights",
                           results=[{"name": "acc", "value": 0.3, "at_least": 0.2, "at_most": None,
                                     "passed": True, "standin": True, "note": ""}],
                           sources=[{"what": "CIFAR-10", "source": "generated", "standin": True}],
                           html="04_x.html").__dict__]}
    html = cli.render_report_html(payload)
    assert "stand-in" in html and "no weights" in html and "acc = <b>0.3</b>" in html
    assert "1 of 1 notebooks passed" in html


def test_prefetch_dry_run_lists_assets_with_sizes(capsys, tmp_path):
    assert cli.main(["prefetch", "--dry-run", "--to", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "mnist" in out and "11.0 MB" in out and "would download" in out
    assert "cifar10" in out and "162.6 MB" in out


def test_prefetch_unknown_asset(capsys):
    assert cli.main(["prefetch", "imagenet"]) == 2
    assert "unknown asset(s) imagenet" in capsys.readouterr().err


def test_prefetch_offline_fails_clearly(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    assert cli.main(["prefetch", "mnist", "--to", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert "COURSE_OFFLINE" in out.err and "1 of 1 asset(s) could not be fetched" in out.err
    assert "Copy" not in out.out, "a failed prefetch must not tell the user to copy the cache"


def test_doctor(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    for word in ("Python", "keras", "backend", "device", "KERAS_HOME", "mnist", "missing", "network"):
        assert word in out


def test_notebooks_can_be_named_by_number(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    (nbdir / "07_attention.ipynb").write_text("{}")
    monkeypatch.setattr(cli, "ROOT", tmp_path)
    assert cli.find_notebooks(["07"]) == [nbdir / "07_attention.ipynb"]
    with pytest.raises(SystemExit, match="its number"):
        cli.find_notebooks(["08"])
    with pytest.raises(SystemExit, match="no notebook at"):
        cli.find_notebooks([str(tmp_path / "elsewhere" / "07")])
