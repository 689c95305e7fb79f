"""Python 3.10 to 3.13: nothing newer than 3.10 without a fallback (``requires-python >=3.10``).

* vermin (the minimum-version detector from PyPI) reads every Python file of the project
  (course_utils, tools, tests, the notebooks' paired .py sources) with target 3.10. A 3.11+
  module or member it reports is accepted only where the import sits in a ``try`` whose
  ``except`` catches ImportError/ModuleNotFoundError (or AttributeError for a member), i.e.
  where a fallback exists (``tomllib`` → ``tomli`` in tools/nbtool.py).
* Every file is compiled by each of the interpreters 3.10, 3.12 and 3.13 found on this
  machine (PATH or pyenv), warnings as errors (3.12+ warns about invalid escape sequences).
  An interpreter that is not installed is skipped.
"""

from __future__ import annotations

import ast
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGET = "3.10"
SOURCES = sorted({*ROOT.glob("course_utils/**/*.py"), *ROOT.glob("tools/*.py"), *ROOT.glob("tests/*.py"),
                  *ROOT.glob("notebooks/*.py"), ROOT / "conftest.py"})


def vermin_violations(paths: list[Path]) -> list[tuple[Path, int, str, str]]:
    """(file, line, minimum version, feature) for everything newer than TARGET."""
    exe = Path(sys.executable).parent / "vermin"
    if not exe.is_file():
        pytest.skip("vermin is not installed (pip install vermin; it is in the requirements)")
    proc = subprocess.run([str(exe), f"-t={TARGET}-", "--violations", "--no-tips", "--format", "parsable",
                           *map(str, paths)], capture_output=True, text=True, timeout=300)
    out = []
    for line in proc.stdout.splitlines():
        # /path/file.py:32:11:!2:3.11:'tomllib' module   (summary lines have empty fields)
        parts = line.rsplit(":", 5)
        if len(parts) == 6 and parts[0] and parts[1].isdigit():
            out.append((Path(parts[0]), int(parts[1]), parts[4], parts[5]))
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not out):
        pytest.fail(f"vermin did not run cleanly:\n{proc.stdout}\n{proc.stderr}")
    return out


def guarded(path: Path, line: int, feature: str) -> bool:
    """True when ``line`` is inside a try whose handlers catch the error its absence raises."""
    catches = {"ImportError", "ModuleNotFoundError", "Exception"}
    if feature.endswith(" member"):
        catches |= {"AttributeError"}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Try):
            continue
        if not any(getattr(b, "lineno", 0) <= line <= getattr(b, "end_lineno", 0) for b in node.body):
            continue
        for h in node.handlers:
            types = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
            names = {t.id if isinstance(t, ast.Name) else getattr(t, "attr", "") for t in types if t}
            if names & catches:
                return True
    return False


def test_no_unguarded_feature_newer_than_310():
    found = vermin_violations(SOURCES)
    bad = [f"{p.relative_to(ROOT)}:{ln}: {feat} needs Python {ver}" for p, ln, ver, feat in found
           if not (" module" in feat or " member" in feat) or not guarded(p, ln, feat)]
    assert not bad, ("Python 3.10 is supported (requires-python); give these a fallback "
                     "(try: ... except ImportError:) or drop them:\n" + "\n".join(bad))


BAD_311 = """\
import tomllib
from datetime import UTC
try:
    pass
except* ValueError:
    pass
"""

GUARDED_311 = """\
try:
    import tomllib
except ModuleNotFoundError:
    import tomli as tomllib
"""


def test_the_check_catches_311_only_code(tmp_path):
    """Not a rubber stamp: a 3.11-only module, member and syntax are reported; a guarded import is not."""
    bad, ok = tmp_path / "bad.py", tmp_path / "ok.py"
    bad.write_text(BAD_311)
    ok.write_text(GUARDED_311)
    found = vermin_violations([bad, ok])
    unguarded = {(p.name, feat) for p, ln, _, feat in found if not guarded(p, ln, feat)}
    assert unguarded == {("bad.py", "'tomllib' module"), ("bad.py", "'datetime.UTC' member"),
                         ("bad.py", "`except*`")}, found


def _runs_as(exe: str, version: str) -> bool:
    try:
        proc = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60)
    except OSError:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == version


def interpreters() -> list[tuple[str, str | None]]:
    """(version, interpreter or None) for 3.10, 3.12, 3.13: pyenv's builds, else PATH (a pyenv
    shim that is not switched on fails the probe and counts as missing)."""
    found = []
    for ver in ("3.10", "3.12", "3.13"):
        candidates = [*sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{ver}.*/bin/python{ver}"))),
                      shutil.which(f"python{ver}")]
        found.append((ver, next((c for c in candidates if c and _runs_as(c, ver)), None)))
    return found


INTERPRETERS = interpreters()


COMPILE_ALL = """\
import sys, warnings
warnings.simplefilter("error")
bad = []
for path in sys.stdin.read().split("\\n"):
    if path:
        try:
            compile(open(path, encoding="utf-8").read(), path, "exec", dont_inherit=True)
        except (SyntaxError, Warning) as e:
            bad.append(f"{path}: {type(e).__name__}: {e}")
print("\\n".join(bad))
sys.exit(1 if bad else 0)
"""


@pytest.mark.parametrize("version, exe", INTERPRETERS, ids=[v for v, _ in INTERPRETERS])
def test_every_file_compiles_on(version, exe):
    if exe is None:
        pytest.skip(f"no python{version} on this machine")
    proc = subprocess.run([exe, "-c", COMPILE_ALL], input="\n".join(map(str, SOURCES)), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"Python {version} rejects:\n{proc.stdout}{proc.stderr}"


def test_the_compile_check_catches_newer_syntax_on_310(tmp_path):
    """Not a rubber stamp: 3.12's f-string with the same quotes inside is a SyntaxError on 3.10."""
    exe = dict(INTERPRETERS)["3.10"]
    if exe is None:
        pytest.skip("no python3.10 on this machine")
    newer = tmp_path / "newer.py"
    newer.write_text('d = {"k": 1}\nprint(f"{d["k"]}")\n')
    proc = subprocess.run([exe, "-c", COMPILE_ALL], input=str(newer), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "newer.py: SyntaxError" in proc.stdout
