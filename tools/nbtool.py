"""Maintainer tool for the course notebooks (not part of the course_utils package).

    python tools/nbtool.py build DRAFT.py [OUT.ipynb]   percent-format draft → clean notebook
    python tools/nbtool.py sync [NOTEBOOK ...]          rewrite bootstrap cells, strip outputs
    python tools/nbtool.py new 07_attention "Attention" scaffold a notebook with the full anatomy

The bootstrap cell every notebook starts with is generated here from the one
place the repository URL is defined: ``[project.urls] Repository`` in
``pyproject.toml``. ``tests/test_notebook_structure.py`` checks every notebook
against it, so changing the URL means: edit pyproject.toml, run ``sync``.

A draft is a Python file in "percent" format:

    # %% [markdown]
    # # 07 · Attention
    # %% [bootstrap]
    # %% tags=["parameters"]
    PROFILE = "auto"
    # %%
    import course_utils as cu
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def repo_url() -> str:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return meta["project"]["urls"]["Repository"]


def bootstrap_source() -> str:
    return (
        "# Bootstrap: install the course's helper package `course_utils` when it is missing\n"
        "# (Google Colab, a fresh kernel). Where it is installed already, this does nothing.\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if importlib.util.find_spec("course_utils") is None:\n'
        f'    REPO = "{repo_url()}"\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"git+{REPO}"], check=True)'
    )


def colab_badge(filename: str) -> str:
    path = repo_url().replace("https://github.com/", "")
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/{path}/blob/main/notebooks/{filename})")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "tags" in cell.metadata and not cell.metadata["tags"]:
            del cell.metadata["tags"]
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def is_bootstrap(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and cell.source.startswith("# Bootstrap:")


_MARK = re.compile(r"^# %%(?P<rest>.*)$")


def from_percent(text: str) -> nbformat.NotebookNode:
    cells: list[nbformat.NotebookNode] = []
    kind, tags, lines = None, [], []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(ln[2:] if ln.startswith("# ") else ln.lstrip("#") for ln in body.split("\n"))
            cells.append(nbformat.v4.new_markdown_cell(body))
        elif kind == "bootstrap":
            cells.append(nbformat.v4.new_code_cell(bootstrap_source()))
        else:
            cell = nbformat.v4.new_code_cell(body)
            if tags:
                cell.metadata["tags"] = tags
            cells.append(cell)

    for line in text.split("\n"):
        m = _MARK.match(line)
        if m:
            flush()
            rest = m["rest"].strip()
            kind = "markdown" if rest.startswith("[markdown]") else (
                "bootstrap" if rest.startswith("[bootstrap]") else "code")
            tm = re.search(r"tags=\[(.*?)\]", rest)
            tags = [t.strip().strip("'\"") for t in tm[1].split(",")] if tm else []
            lines = []
        else:
            lines.append(line)
    flush()
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    for c in nb.cells:  # stable, readable ids
        c.pop("id", None)
    nb.nbformat_minor = 4
    return clean_ids(clean(nb))


def clean_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:03d}"
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n")


def sync(paths: list[Path]) -> None:
    src = bootstrap_source()
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if is_bootstrap(cell):
                cell.source = src
        write(clean_ids(clean(nb)), p)
        print(f"synced {p.relative_to(ROOT)}")


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
# **Time:** smoke about 1 min · cpu about 5 min · gpu about 10 min

# %% [bootstrap]

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
    if out.exists():
        raise SystemExit(f"{out} exists; not overwriting it")
    nb = from_percent(TEMPLATE.format(num=stem[:2], title=title, badge=colab_badge(out.name)))
    write(nb, out)
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    cmd, *rest = argv
    if cmd == "build":
        draft = Path(rest[0])
        out = Path(rest[1]) if len(rest) > 1 else NOTEBOOKS / (draft.stem + ".ipynb")
        write(from_percent(draft.read_text()), out)
        print(f"wrote {out}")
    elif cmd == "sync":
        sync([Path(p).resolve() for p in rest] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
    elif cmd == "new":
        print(f"wrote {new(rest[0], rest[1])}")
    else:
        print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
