"""Maintainer tool for the course notebooks (not part of the course_utils package).

    python tools/nbtool.py sync [NOTEBOOK ...]          sync each .ipynb with its paired .py
    python tools/nbtool.py check [NOTEBOOK ...]         exit 1 if a pair differs (what the test runs)
    python tools/nbtool.py new 07_attention "Attention" scaffold a notebook pair with the full anatomy

Every notebook in notebooks/ is paired with a jupytext percent-format ``.py`` (see
``jupytext.toml``): the ``.py`` is the reviewable source, the ``.ipynb`` what learners open.
Edit either one, then run ``sync``: the newer file of each pair wins (as in ``jupytext
--sync``), outputs and execution counts are stripped, cell ids renumbered, and the
bootstrap cell rewritten; both files are then written from that one notebook.

What jupytext does not do is here: the bootstrap cell every notebook starts with is
generated from the one place the repository URL is defined, ``[project.urls]
Repository`` in ``pyproject.toml``, and installs the release tag ``v<version>`` of
``[project] version`` (a pinned ref, never a moving branch). Changing either means: edit
pyproject.toml, run ``sync``. The bootstrap reads two overrides, ``COURSE_REPO`` and
``COURSE_REF``, so a test (or a fork) can point it elsewhere.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import jupytext
import nbformat

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
PY_FORMAT = {"extension": ".py", "format_name": "percent",
             "notebook_metadata_filter": "-all", "cell_metadata_filter": "tags,-all"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def repo_url() -> str:
    return _project()["urls"]["Repository"]


def release_ref() -> str:
    """The git tag the bootstrap installs: ``v`` + the package version in pyproject.toml."""
    return "v" + _project()["version"]


def bootstrap_source() -> str:
    return (
        "# Bootstrap: install the course's helper package `course_utils` when it is missing\n"
        "# (Google Colab, a fresh kernel). Where it is installed already, this does nothing.\n"
        "import importlib.util\n"
        "import os\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if importlib.util.find_spec("course_utils") is None:\n'
        f'    REPO = os.environ.get("COURSE_REPO", "{repo_url()}")\n'
        f'    REF = os.environ.get("COURSE_REF", "{release_ref()}")  # the release this notebook belongs to\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"git+{REPO}@{REF}"],\n'
        "                   check=True)"
    )


def colab_badge(filename: str) -> str:
    path = repo_url().replace("https://github.com/", "")
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/{path}/blob/main/notebooks/{filename})")


def is_bootstrap(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and cell.source.startswith("# Bootstrap:")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """No outputs, no execution counts, ids cell-000…, only the kernelspec as metadata."""
    src = bootstrap_source()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if is_bootstrap(cell):
                cell.source = src
        tags = cell.metadata.get("tags")
        cell.metadata = {"tags": tags} if tags else {}
        cell["id"] = f"cell-{i:03d}"
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def paired(path: Path) -> tuple[Path, Path]:
    """(notebook, percent source) for either file of a pair."""
    path = Path(path)
    return path.with_suffix(".ipynb"), path.with_suffix(".py")


def read_pair_side(path: Path) -> nbformat.NotebookNode:
    if path.suffix == ".py":
        return jupytext.read(path, fmt=PY_FORMAT)
    return nbformat.read(path, as_version=4)


def write_pair(nb: nbformat.NotebookNode, ipynb: Path) -> None:
    nb = clean(nb)
    nbformat.validate(nb)
    ipynb.write_text(nbformat.writes(nb) + "\n")
    ipynb.with_suffix(".py").write_text(jupytext.writes(nb, fmt=PY_FORMAT))


def sync(paths: list[Path]) -> None:
    for p in paths:
        ipynb, py = paired(p)
        sources = [f for f in (ipynb, py) if f.exists()]
        if not sources:
            raise SystemExit(f"neither {ipynb.name} nor {py.name} exists")
        newest = max(sources, key=lambda f: f.stat().st_mtime_ns)
        write_pair(read_pair_side(newest), ipynb)
        print(f"synced {ipynb.relative_to(ROOT)} ⇄ {py.name} (from {newest.name})")


def cell_view(nb: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a pair must agree on: each cell's type, source and tags."""
    return [(c.cell_type, c.source.strip("\n"), tuple(c.metadata.get("tags", []))) for c in nb.cells]


def pair_differences(ipynb: Path) -> list[str]:
    """Human-readable differences between a notebook and its paired .py (empty when in sync)."""
    ipynb, py = paired(ipynb)
    if not py.exists():
        return [f"{py.name} is missing: run `python tools/nbtool.py sync {ipynb.name}`"]
    a, b = cell_view(read_pair_side(ipynb)), cell_view(read_pair_side(py))
    out = []
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            first = next((ln for ln in zip(x[1].splitlines() or [""], y[1].splitlines() or [""], strict=False)
                          if ln[0] != ln[1]), (x[1][:60], y[1][:60]))
            out.append(f"cell {i} differs: .ipynb {first[0]!r} vs .py {first[1]!r}")
    if len(a) != len(b):
        out.append(f"{ipynb.name} has {len(a)} cells, {py.name} has {len(b)}")
    return out


TEMPLATE = '''# %% [markdown]
# # {num} · {title}
#
# {badge}
#
# One paragraph: what this notebook is about and why it matters.
#
# **You will learn**
# - ...
#
# **Prerequisites:** ...
#
# **Time:** smoke about 1 min · cpu about 5 min · gpu about 10 min (estimated)

# %%
# Bootstrap: (written by `python tools/nbtool.py sync`)

# %% tags=["parameters"]
PROFILE = "auto"  # "auto", "smoke", "cpu" or "gpu"
SEED = 42

# %%
import course_utils as cu

run = cu.setup(PROFILE, seed=SEED)

# %% [markdown]
# ## 1. The idea

# %% [markdown]
# ## Exercises
#
# <details><summary>Solution</summary>
#
# ```python
# ...
# ```
# </details>

# %% [markdown]
# ## Summary
#
# **Next:** ...
'''


def new(stem: str, title: str) -> Path:
    if not re.fullmatch(r"\d\d_[a-z0-9_]+", stem):
        raise SystemExit("name must look like 07_attention")
    out = NOTEBOOKS / f"{stem}.ipynb"
    for f in paired(out):
        if f.exists():
            raise SystemExit(f"{f} exists; not overwriting it")
    text = TEMPLATE.format(num=stem[:2], title=title, badge=colab_badge(out.name))
    write_pair(jupytext.reads(text, fmt=PY_FORMAT), out)
    return out


def _targets(rest: list[str]) -> list[Path]:
    if rest:
        return [Path(p).resolve() for p in rest]
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    cmd, *rest = argv
    if cmd == "sync":
        sync(_targets(rest))
    elif cmd == "check":
        bad = {p.name: d for p in _targets(rest) if (d := pair_differences(p))}
        for name, diffs in bad.items():
            print(f"{name} and its .py are out of step:\n  " + "\n  ".join(diffs))
        if bad:
            print("run `python tools/nbtool.py sync` (the newer file of each pair wins)")
        return 1 if bad else 0
    elif cmd == "new":
        if len(rest) != 2:
            raise SystemExit('usage: nbtool.py new 07_attention "Attention"')
        print(f"wrote {new(rest[0], rest[1])} and its .py")
    else:
        print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
