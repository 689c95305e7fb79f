"""Every notebook follows the anatomy in docs/DESIGN.md ("Notebook anatomy"), checked without running it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import nbtool  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2, "expected the course notebooks in notebooks/"


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def nb(request):
    path = request.param
    notebook = nbformat.read(path, as_version=4)
    notebook.path = path   # not part of the notebook: test_valid_nbformat validates the file as read
    return notebook


def test_valid_nbformat(nb):
    nbformat.validate(nbformat.read(nb.path, as_version=4))


def test_no_outputs_or_execution_counts(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has stored outputs: run `python tools/nbtool.py sync`"
            assert cell.execution_count is None, f"cell {i} has an execution count"


def test_title_badge_and_intro(nb):
    first = nb.cells[0]
    num = nb.path.name[:2]
    assert first.cell_type == "markdown"
    assert re.match(rf"# {num} · \S", first.source), f"title must be '# {num} · Title'"
    assert nbtool.colab_badge(nb.path.name) in first.source, "Open in Colab badge missing or stale"
    assert "You will learn" in first.source
    assert "Prerequisites" in first.source
    assert re.search(r"smoke.*cpu.*gpu", first.source, re.S), "time per profile missing"


def test_bootstrap_cell_identical(nb):
    boot = [c for c in nb.cells if nbtool.is_bootstrap(c)]
    assert len(boot) == 1, "exactly one bootstrap cell expected"
    assert boot[0].source == nbtool.bootstrap_source(), \
        "bootstrap cell differs from the canonical one: run `python tools/nbtool.py sync`"
    assert nb.cells.index(boot[0]) == 1, "the bootstrap cell comes right after the title"


def test_parameters_cell_literals_only(nb):
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged `parameters`"
    tree = ast.parse(params[0].source)
    names = []
    for stmt in tree.body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, \
            f"parameters cell: only `NAME = literal` lines, found {ast.unparse(stmt)!r}"
        ast.literal_eval(stmt.value)  # raises on anything but a literal
        names.append(stmt.targets[0].id)
    assert names[:2] == ["PROFILE", "SEED"]
    assert "PROFILE = \"auto\"" in params[0].source
    setup_cells = [c for c in nb.cells if "cu.setup(PROFILE, seed=SEED)" in c.source]
    assert setup_cells and nb.cells.index(setup_cells[0]) > nb.cells.index(params[0])


def test_exercises_and_summary(nb):
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any(s.lstrip().startswith("## Exercises") for s in md), "an '## Exercises' section"
    assert sum("<details>" in s for s in md) >= 2, "each exercise needs a folded solution"
    assert any("cu.checks." in c.source for c in nb.cells if c.cell_type == "code"), \
        "exercises use self-checks from course_utils.checks"
    assert any(s.lstrip().startswith("## Summary") for s in md), "a '## Summary' section"
    assert any("run.expect(" in c.source for c in nb.cells), "key results are checked with run.expect"


def test_paired_source_in_sync(nb):
    """The .ipynb and its jupytext percent-format .py hold the same cells (type, source, tags)."""
    diffs = nbtool.pair_differences(nb.path)
    assert not diffs, (f"{nb.path.name} and its paired .py are out of step; run "
                       "`python tools/nbtool.py sync`:\n" + "\n".join(diffs))


def test_paired_source_is_what_sync_writes(nb):
    """The committed .py is exactly jupytext's rendering of the clean notebook (no drift in format)."""
    import jupytext

    py = nb.path.with_suffix(".py")
    assert py.read_text() == jupytext.writes(nbtool.clean(nb), fmt=nbtool.PY_FORMAT), \
        f"{py.name} is not in the canonical percent format: run `python tools/nbtool.py sync`"


def test_ruff_package_and_notebooks():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "course_utils", "notebooks", "tests",
                          "tools"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
