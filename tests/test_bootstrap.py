"""The Colab bootstrap cell, run for real in a Colab-like environment (slow: COURSE_SLOW_TESTS=1).

Every notebook starts with a cell (written by ``tools/nbtool.py sync``) that runs
``pip install git+REPO@REF`` when ``course_utils`` is missing, as on Colab. Here:

* a fresh virtual environment that has what Colab ships (Keras, TensorFlow, NumPy, matplotlib,
  scikit-learn, pandas, ...) but not ``course_utils``: the packages are the ones already in the
  project's .venv, seen through a folder of links that leaves ``course_utils`` out (so nothing
  is downloaded); that ``course_utils`` is NOT importable there is checked first;
* a temporary git repository with the current package, committed; the bootstrap cell is taken
  from the committed notebook unchanged and run with ``COURSE_REPO=file://<that repo>`` and
  ``COURSE_REF=<the commit>`` (the overrides the cell reads);
* then ``import course_utils`` and ``cu.setup("smoke")`` must work in that environment, from the
  installed copy, and a wrong ref must make the cell fail loudly.

pip runs with ``PIP_NO_INDEX=1`` (proof that nothing is fetched from an index) and without
build isolation (setuptools comes from the environment, as the project's pyproject.toml needs).

    COURSE_SLOW_TESTS=1 .venv/bin/python -m pytest -q -o addopts="" tests/test_bootstrap.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow  # a venv and a pip install from git: runs with COURSE_SLOW_TESTS=1

ROOT = Path(__file__).resolve().parents[1]
#: the notebook whose bootstrap cell is run (another can be named, e.g. a deliberately broken copy)
NOTEBOOK = Path(os.environ.get("COURSE_BOOTSTRAP_NOTEBOOK", ROOT / "notebooks" / "00_big_picture.ipynb"))
#: what the package's git repository needs to build it
PACKAGE_FILES = ["pyproject.toml", "README.md", "course_utils"]


def bootstrap_cell(path: Path = NOTEBOOK) -> str:
    nb = nbformat.read(path, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("# Bootstrap:")]
    assert len(cells) == 1, f"{path.name}: expected one bootstrap cell, found {len(cells)}"
    return cells[0]


def _left_out(name: str) -> bool:
    """Entries of site-packages that would make course_utils importable (or reinstallable)."""
    low = name.lower()
    return (low.startswith(("course_utils", "course-utils", "__editable__")) or low.endswith((".pth", ".egg-link"))
            or low == "__pycache__")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def colab(tmp_path: Path) -> dict:
    """A Colab-like venv (no course_utils) and a git repository with the current package."""
    site = Path(sysconfig.get_paths()["purelib"])
    shadow = tmp_path / "colab-site"
    shadow.mkdir()
    for entry in site.iterdir():
        if not _left_out(entry.name):
            (shadow / entry.name).symlink_to(entry)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    venv_site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          tmp_path, dict(os.environ)).stdout.strip())
    # a plain path line: the folder joins sys.path, its own .pth files (the editable install's) do not run
    (venv_site / "colab-preinstalled.pth").write_text(f"{shadow}\n")

    repo = tmp_path / "repo"
    repo.mkdir()
    for name in PACKAGE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, repo / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "the course package under test"]):
        subprocess.run([*git, *cmd], cwd=repo, check=True, capture_output=True, timeout=60)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True,
                            text=True).stdout.strip()

    work = tmp_path / "work"  # the kernel's working folder: not the repository root
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "COURSE_", "PIP_"))}
    env.update({"PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "COURSE_OFFLINE": "1", "MPLBACKEND": "Agg", "KERAS_HOME": str(tmp_path / "keras"),
                "PYTHONDONTWRITEBYTECODE": "1", "COURSE_REPO": f"file://{repo}", "COURSE_REF": commit})
    return {"py": py, "venv": venv, "work": work, "env": env, "commit": commit, "repo": repo}


def _importable(colab: dict) -> subprocess.CompletedProcess:
    return _run([str(colab["py"]), "-c",
                 "import importlib.util as u; s = u.find_spec('course_utils'); "
                 "print(s.origin if s else 'MISSING')"], colab["work"], colab["env"])


def test_the_colab_like_venv_has_the_stack_but_not_course_utils(colab):
    proc = _run([str(colab["py"]), "-c", "import keras, numpy, matplotlib, sklearn, pandas, pip, setuptools; "
                 "print(keras.__version__)"], colab["work"], colab["env"])
    assert proc.returncode == 0, proc.stderr
    assert _importable(colab).stdout.strip() == "MISSING"


def test_bootstrap_cell_installs_course_utils_and_setup_works(colab):
    assert _importable(colab).stdout.strip() == "MISSING"
    cell = bootstrap_cell()
    assert 'os.environ.get("COURSE_REF"' in cell and 'os.environ.get("COURSE_REPO"' in cell
    proc = _run([str(colab["py"]), "-c", cell], colab["work"], colab["env"])
    assert proc.returncode == 0, f"bootstrap failed:\n{proc.stdout}\n{proc.stderr}"

    origin = _importable(colab).stdout.strip()
    assert origin.startswith(str(colab["venv"])), f"course_utils came from {origin}, not the bootstrap's install"
    check = ("import course_utils as cu, importlib.metadata as md, json; run = cu.setup('smoke'); "
             "d = md.distribution('course_utils'); "
             "print('RESULT', run.profile, cu.__file__, json.loads(d.read_text('direct_url.json'))['vcs_info']['commit_id'])")
    proc = _run([str(colab["py"]), "-c", check], colab["work"], colab["env"], timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Profile: smoke" in proc.stdout
    (line,) = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    _, profile, path, commit = line.split()
    assert profile == "smoke" and path.startswith(str(colab["venv"])) and commit == colab["commit"]

    # a second run of the cell is a no-op: course_utils is found, pip is not called
    proc = _run([str(colab["py"]), "-c", cell.replace("subprocess.run(", "(lambda *a, **k: sys.exit('pip called'))(")],
                colab["work"], colab["env"])
    assert proc.returncode == 0, proc.stderr


def test_bootstrap_with_a_wrong_ref_fails_loudly(colab):
    env = {**colab["env"], "COURSE_REF": "v0.0.0-no-such-release"}
    proc = _run([str(colab["py"]), "-c", bootstrap_cell()], colab["work"], env)
    assert proc.returncode != 0, "a bootstrap that cannot install must fail the cell, not pass silently"
    assert "CalledProcessError" in proc.stderr and "v0.0.0-no-such-release" in proc.stdout + proc.stderr
    assert _importable(colab).stdout.strip() == "MISSING"


def test_every_notebook_has_the_same_bootstrap_cell():
    """What the test above runs from 00 is what every notebook runs."""
    cells = {p.name: bootstrap_cell(p) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}
    assert len(set(cells.values())) == 1, sorted(cells)
