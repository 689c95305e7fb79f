"""docs/DESIGN.md's layer diagram is the package's real import graph, and the package has no cycle
(docs/DESIGN.md, "The package: layers")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import layers  # noqa: E402


def test_the_design_doc_shows_the_imports_as_they_are():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "layers.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_no_import_cycle_and_modules_stay_small():
    g = layers.graph()
    assert layers.cycles(g) == []
    for module in g:
        path = ROOT / "course_utils" / (module.replace(".", "/") + ".py")
        n = len(path.read_text().splitlines())
        assert n <= 330, f"{path.relative_to(ROOT)} has {n} lines: split it by responsibility (about 300 at most)"


def test_a_cycle_is_found(tmp_path):
    assert layers.cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_lazy_and_absolute_imports_count(tmp_path):
    f = tmp_path / "course_utils" / "x.py"
    f.parent.mkdir()
    f.write_text("def f():\n    from . import report\n    import course_utils.assets\n"
                 "from .figures import nb03\n")
    old = layers.PACKAGE
    layers.PACKAGE = tmp_path / "course_utils"
    try:
        found = layers.imports_of(f, {"report", "assets", "figures.nb03", "x"})
    finally:
        layers.PACKAGE = old
    assert found == {"report", "assets", "figures.nb03"}


def test_import_course_utils_imports_no_keras():
    proc = subprocess.run([sys.executable, "-c", "import sys, course_utils as cu; cu.checks; cu.assets; "
                           "print('keras' in sys.modules, 'numpy' in sys.modules)"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.stdout.split()[0] == "False", proc.stdout + proc.stderr
