"""pyproject.toml is the one list of dependencies: everything the notebooks and course_utils import
is declared there, and the requirements files, environment.yml and the locks agree with it."""

from __future__ import annotations

import ast
import re
import sys
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]

#: import name → distribution, for the backends that are not installed in this environment
KNOWN = {"tensorflow": "tensorflow", "jax": "jax", "jaxlib": "jaxlib", "torch": "torch",
         "sklearn": "scikit-learn", "skimage": "scikit-image", "IPython": "ipython", "PIL": "pillow",
         "yaml": "pyyaml", "absl": "absl-py"}
#: distributions that are one project under two names (TensorFlow's CPU build on Linux)
SAME = {"tensorflow-cpu": "tensorflow", "tensorflow-intel": "tensorflow"}
BACKEND_EXTRAS = ("tensorflow", "jax", "torch")
#: course_utils modules whose imports come from an extra, not from the core dependencies
MODULE_EXTRAS = {"runner.py": ("runner",), "site.py": ("site", "runner"), "results.py": ("site",)}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def declared(*extras: str) -> set[str]:
    names = {_name(r) for r in PROJECT["dependencies"]}
    for extra in extras:
        names |= {_name(r) for r in PROJECT["optional-dependencies"][extra]}
    return {SAME.get(n, n) for n in names}


def _optional(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """An import inside ``try: ... except ImportError`` is optional (it has a fallback)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            return True
    return False


def third_party_imports(path: Path) -> dict[str, int]:
    """Top-level names of the non-stdlib, non-course modules a file imports, with a line each."""
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if _optional(node, parents):
            continue
        for name in names:
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in ("course_utils", "__future__"):
                continue
            found.setdefault(top, node.lineno)
    return found


@lru_cache(maxsize=1)
def _installed() -> dict[str, list[str]]:
    return packages_distributions()


def distribution(module: str) -> str | None:
    dists = _installed().get(module)
    if dists:
        name = dists[0].lower().replace("_", "-")
        return SAME.get(name, name)
    return KNOWN.get(module)


def undeclared(paths: list[Path], allowed: set[str]) -> list[str]:
    problems = []
    for path in paths:
        for module, line in third_party_imports(path).items():
            dist = distribution(module)
            if dist is None:
                problems.append(f"{path.relative_to(ROOT)}:{line}: `{module}` belongs to no known "
                                "distribution (install it, or add it to KNOWN in this test)")
            elif dist not in allowed:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports `{module}` from {dist}, "
                                "which pyproject.toml does not declare")
    return problems


def test_every_notebook_import_is_declared():
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
    assert notebooks
    problems = undeclared(notebooks, declared(*BACKEND_EXTRAS))
    assert not problems, "add them to [project] dependencies:\n" + "\n".join(problems)


def test_every_course_utils_import_is_declared():
    problems = []
    for path in sorted((ROOT / "course_utils").rglob("*.py")):
        extras = MODULE_EXTRAS.get(path.name, ())
        problems += undeclared([path], declared(*BACKEND_EXTRAS, *extras))
    assert not problems, "\n".join(problems)


def test_an_undeclared_import_is_caught(tmp_path):
    """The check is real: a notebook importing a package pyproject.toml lacks fails it."""
    nb = ROOT / "notebooks" / "99_probe.py"
    try:
        nb.write_text("import numpy\nimport seaborn\nimport requests.adapters\n")
        problems = undeclared([nb], declared(*BACKEND_EXTRAS))
    finally:
        nb.unlink()
    assert len(problems) == 2 and "`seaborn`" in problems[0] and "`requests`" in problems[1]


@pytest.mark.parametrize("path, extras", [
    ("requirements.txt", "tensorflow,runner,lab,site"),
    ("requirements/jax.txt", "jax,runner,lab,site"),
    ("requirements/torch.txt", "torch,runner,lab,site"),
    ("environment.yml", "tensorflow,runner,lab,site"),
])
def test_requirement_files_only_point_at_pyproject(path, extras):
    text = (ROOT / path).read_text()
    lines = [re.sub(r"^- (?!e )", "", ln.strip()) for ln in text.splitlines()
             if ln.strip() and not ln.strip().startswith("#")]
    allowed = {"python", "pip"}  # conda's own: the interpreter and the installer
    pins = [ln for ln in lines if re.match(r"^[A-Za-z][\w.-]*\s*(==|>=|<=|~=|\[)", ln)
            and _name(ln) not in allowed]
    assert not pins, f"{path} lists packages itself ({pins}); they belong in pyproject.toml"
    assert f"-e .[{extras}]" in lines
    for extra in extras.split(","):
        assert extra in PROJECT["optional-dependencies"]


def test_python_versions_agree():
    assert PROJECT["requires-python"] == ">=3.10,<3.14"
    classifiers = [c.rsplit(" ", 1)[-1] for c in PROJECT["classifiers"] if "Python :: 3." in c]
    assert classifiers == ["3.10", "3.11", "3.12", "3.13"]
    assert "python>=3.10,<3.14" in (ROOT / "environment.yml").read_text()


def test_the_version_lives_in_pyproject_only():
    from importlib.metadata import version

    import course_utils

    assert course_utils.__version__ == version("course_utils") == PROJECT["version"]
    literal = re.compile(r"__version__\s*=\s*['\"]")
    assert not [p for p in (ROOT / "course_utils").rglob("*.py") if literal.search(p.read_text())]


LOCKS = sorted((ROOT / "requirements" / "lock").glob("*.txt"))


def _pins(lock: Path) -> dict[str, set[str]]:
    pins: dict[str, set[str]] = {}
    for m in re.finditer(r"^([A-Za-z0-9][\w.-]*)==([^\s;\\]+)", lock.read_text(), re.M):
        pins.setdefault(m.group(1).lower().replace("_", "-"), set()).add(m.group(2))
    return pins


@pytest.mark.parametrize("lock", [p for p in LOCKS if p.name != "lock-constraints.txt"], ids=lambda p: p.name)
def test_locks_pin_every_declared_package_with_hashes_and_no_index(lock):
    text = lock.read_text()
    assert "--index-url" not in text and "--extra-index-url" not in text and "--find-links" not in text
    pins = _pins(lock)
    entries = re.findall(r"^[A-Za-z0-9][\w.-]*==.*?(?=^\S|\Z)", text, re.M | re.S)
    assert entries and all("--hash=sha256:" in e for e in entries), "every pin carries its hashes"
    name = lock.stem
    backend = {"tensorflow-cuda": "tensorflow-cuda", "jax-cuda": "jax-cuda"}.get(name, name)
    wanted = declared("runner", "lab", "site", backend) - {"tensorflow"} | (
        {"tensorflow-cpu", "tensorflow"} if name == "tensorflow" else set())
    wanted |= {_name(r) for r in PYPROJECT["dependency-groups"]["test"]} - {"tomli"}
    missing = sorted(w for w in wanted if w not in pins and not w.startswith("tensorflow"))
    assert not missing, f"{lock.name} lacks {missing}: run python tools/lock.py {name}"
    if name in ("tensorflow", "tensorflow-cuda"):
        assert "tensorflow" in pins or "tensorflow-cpu" in pins


def test_binder_and_the_dev_container_install_the_lock():
    """Open in a browser beyond Colab: Binder and Codespaces build from the same lock."""
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "--require-hashes --no-deps -r requirements/lock/tensorflow.txt" in post
    assert "-e ." in post and (ROOT / "binder" / "postBuild").stat().st_mode & 0o111
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3.") and int(runtime.split(".")[1]) in (10, 11, 12, 13)
    text = (ROOT / ".devcontainer" / "devcontainer.json").read_text()
    import json

    config = json.loads("\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("//")))
    assert "python -m course_utils setup --backend tensorflow" in config["postCreateCommand"]
    from course_utils import cli

    cmd = config["postCreateCommand"].split("-m course_utils ", 1)[1]
    assert cli.build_parser().parse_args(cmd.split()).command == "setup"
