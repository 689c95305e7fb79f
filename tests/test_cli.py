"""The command line (run, prefetch, doctor) and the runner behind it, as a user calls them."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import cli, doctor, runner, runtime

ROOT = Path(__file__).resolve().parents[1]


def write_nb(percent: str, path: Path) -> None:
    """A notebook from jupytext percent-format text (as the paired .py sources are written)."""
    import jupytext

    nb = jupytext.reads(percent, fmt="py:percent")
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    jupytext.write(nb, path, fmt="ipynb")


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
    for word in ("Python", "keras", "backends", "active", "GPU", "device", "KERAS_HOME", "mnist",
                 "missing", "network", "profile     auto → "):
        assert word in out


def test_notebooks_can_be_named_by_number(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    (nbdir / "07_attention.ipynb").write_text("{}")
    monkeypatch.setattr(runner, "ROOT", tmp_path)
    assert runner.find_notebooks(["07"]) == [nbdir / "07_attention.ipynb"]
    with pytest.raises(SystemExit, match="its number"):
        runner.find_notebooks(["08"])
    with pytest.raises(SystemExit, match="no notebook at"):
        runner.find_notebooks([str(tmp_path / "elsewhere" / "07")])


TINY = """# %% [markdown]
# # 97 · A tiny notebook
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://example.org)
#
# This one checks the **runner** itself. It has a second sentence.
#
# **You will learn**
# - nothing
# %% tags=["parameters"]
PROFILE = "auto"
SEED = 42
# %%
import course_utils as cu
run = cu.setup(PROFILE, seed=SEED)
run.expect("answer", 42, at_least=41)
"""


#: a backend other than Keras's default when one is installed, so that passing it through shows
BACKEND = next((b for b in ("jax", "torch") if importlib.util.find_spec(b)), "tensorflow")


@pytest.mark.slow  # two kernels and their HTML (~20 s): CI runs it on every backend, in its slow stages
def test_runner_reports_failures_passes_keras_backend_and_maps_the_course(tmp_path):
    """One run of two notebooks under KERAS_BACKEND=jax (or torch): the failing one is named with
    its cell, the backend reaches the kernels (they record it themselves), report.json lists the
    course's notebooks that did not run and the machine."""
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    write_nb(TINY, nbdir / "97_tiny.ipynb")
    write_nb(BROKEN, nbdir / "98_broken.ipynb")
    write_nb(TINY.replace("97 ·", "96 ·"), nbdir / "96_not_run.ipynb")
    out = tmp_path / "build"
    env = {**os.environ, "KERAS_BACKEND": BACKEND}
    proc = subprocess.run([sys.executable, "-m", "course_utils", "run", str(nbdir / "98_broken.ipynb"),
                           str(nbdir / "97_tiny.ipynb"), "--profile", "smoke", "--out", str(out),
                           "--quiet", "--no-site"], capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"backend {BACKEND}" in proc.stdout
    # the failure names the notebook and the cell (numbered as in the original notebook)
    assert ("98_broken.ipynb, cell 4 `raise ValueError(\"deliberately broken\")`: "
            "ValueError: deliberately broken") in proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["backend_requested"] == BACKEND
    by_name = {r["notebook"]: r for r in report["notebooks"]}
    assert by_name["97_tiny.ipynb"]["backend"] == BACKEND and by_name["97_tiny.ipynb"]["status"] == "ok"
    broken = by_name["98_broken.ipynb"]
    assert broken["backend"] == BACKEND and broken["status"] == "failed" and broken["error"]["cell"] == 4
    # what ran before the failure is still reported
    assert broken["results"][0]["name"] == "before_the_break" and broken["profile"] == "smoke"
    assert (out / "executed" / "98_broken.ipynb").is_file()
    assert [n["notebook"] for n in report["not_run"]] == ["96_not_run.ipynb"]
    assert report["machine"]["cores"] == os.cpu_count() and report["machine"]["versions"]["keras"]
    assert broken["results"][0]["data"] == "" and broken["scale"] == "smoke"


def test_notebook_intro_reads_title_and_topic(tmp_path):
    nb = tmp_path / "97_tiny.ipynb"
    write_nb(TINY, nb)
    title, topic = runner.notebook_intro(nb)
    assert title == "97 · A tiny notebook"
    assert topic == "This one checks the runner itself. It has a second sentence."
    real = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for p in real:
        title, topic = runner.notebook_intro(p)
        assert title.startswith(p.name[:2] + " · ") and 20 < len(topic) <= 202, (p.name, topic)


def test_doctor_lists_backends_without_importing_them(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    found = doctor.installed_backends()
    assert set(found) == {"tensorflow", "jax", "torch"}
    assert doctor.active_backend() == ("jax", "$KERAS_BACKEND")
    monkeypatch.delenv("KERAS_BACKEND")
    (tmp_path / "keras.json").write_text('{"backend": "torch"}')
    assert doctor.active_backend() == ("torch", str(tmp_path / "keras.json"))
    (tmp_path / "keras.json").unlink()
    assert doctor.active_backend() == ("tensorflow", "Keras's default")
    # an active backend that is not installed: a clear error, not a traceback
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    monkeypatch.setattr(doctor, "installed_backends", lambda: {"tensorflow": "2.0", "jax": None, "torch": None})
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr()
    assert "backends    tensorflow 2.0 · jax not installed · torch not installed" in out.out
    assert "active backend torch is not installed" in out.err


def test_doctor_says_when_a_gpu_is_visible_and_auto_picks_gpu(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    monkeypatch.setattr(runtime, "accelerators", lambda: ["NVIDIA T4"])
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "GPU         visible to " in out and "NVIDIA T4" in out and "profile     auto → gpu" in out
    monkeypatch.setattr(runtime, "accelerators", lambda: [])
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "GPU         none visible to " in out and "profile     auto → cpu" in out


def _doctor(env_update: dict[str, str], python: str = sys.executable) -> subprocess.CompletedProcess:
    """`python -m course_utils doctor` in a fresh process, as a learner types it."""
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env.update(env_update)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([python, "-m", "course_utils", "doctor"], capture_output=True, text=True,
                          timeout=120, env=env, cwd=str(ROOT))


def test_doctor_with_a_misspelt_backend_gives_advice_not_a_traceback(tmp_path):
    proc = _doctor({"KERAS_BACKEND": "mxnet", "COURSE_OFFLINE": "1", "KERAS_HOME": str(tmp_path)})
    assert proc.returncode == 1
    assert "'mxnet' (from $KERAS_BACKEND) is not a Keras backend" in proc.stderr
    assert "set KERAS_BACKEND to one of tensorflow, jax, torch" in proc.stderr
    assert "Traceback" not in proc.stderr and "Unable to import backend" not in proc.stderr


@pytest.mark.slow  # a fresh venv with numpy only (~15 s)
def test_doctor_in_an_environment_without_any_backend(tmp_path):
    """A learner who installed nothing but the package gets the install line for a backend."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    proc = _doctor({"COURSE_OFFLINE": "1", "KERAS_HOME": str(tmp_path)}, python=str(python))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "backends    tensorflow not installed · jax not installed · torch not installed" in proc.stdout
    assert "no Keras backend is installed in this environment" in proc.stderr
    assert "python -m course_utils setup --backend tensorflow" in proc.stderr
    assert 'pip install -e ".[tensorflow]"' in proc.stderr
    assert "Traceback" not in proc.stderr
