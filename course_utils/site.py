"""The executed course as a site: Sphinx with myst-nb and the book theme, built offline.

``python -m course_utils run`` ends here (:func:`build`). The site is made from what the run left
in its output folder: ``report.json``, the executed notebooks in ``executed/`` (myst-nb renders
them with their outputs and figures; nothing is executed again), and the recorded runs in
``results/`` (:mod:`course_utils.results`). Its pages: a first page with the course map and this
run's status, every notebook in course order (each opening with a box: this run's status, time,
key results in words, data, and per backend and profile when it was last verified, on what),
and the run report (every result with its threshold and what the threshold was calibrated on).
Navigation and search are Sphinx's own. The pages use relative links only, so the site works
opened from disk (``file://``) as well as served, and the build needs no network (the book
theme's files ship with the package; formulas are typeset by MathJax, which is loaded from its
CDN and shows the TeX source when offline).

Taught with: 00 · The big picture ("How to use this course"); the run report is what ``make
run`` opens.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import results as rs
from .site_pages import index_page, notebook_box, report_page

CONF = '''
project = "Deep learning with Keras"
author = "The course's authors"
extensions = ["myst_nb"]
nb_execution_mode = "off"          # render the executed notebooks as they are
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath"]
myst_heading_anchors = 3
html_theme = "sphinx_book_theme"
html_title = "Deep learning with Keras"
html_copy_source = False
smartquotes = False               # labels keep the typography they were written with
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
}
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
'''

#: The report's tables: cells aligned at the top, numbers that line up; the run box's list kept tight.
CSS = """
article table td, article table th { vertical-align: top; font-size: 0.92em; }
article table td { font-variant-numeric: tabular-nums; }
.admonition ul { margin-bottom: 0.3em; }
"""


#: Formulas offline: MathJax 2 as the `jupyter-server-mathjax` package ships it, when installed;
#: otherwise Sphinx loads MathJax from its CDN (formulas show as TeX source without a network).
MATHJAX = '''
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax2_config = {"tex2jax": {"inlineMath": [["\\\\(", "\\\\)"]], "displayMath": [["\\\\[", "\\\\]"]],
                               "processEscapes": True, "processClass": "math|output_area",
                               "ignoreClass": "tex2jax_ignore|mathjax_ignore"}, "messageStyle": "none"}
'''


def local_mathjax() -> Path | None:
    """MathJax's files on this machine (the `jupyter-server-mathjax` package), or None."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        return None
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    return static if (static / "MathJax.js").is_file() else None


class SiteError(RuntimeError):
    """The site could not be built (Sphinx missing, no report.json)."""


def build(out: Path | str, snapshots: Path = rs.SNAPSHOTS, quiet: bool = True) -> Path:
    """Build the site of the run in ``out`` into ``out/site/``; return ``out/site/index.html``.

    Reads ``out/report.json``, the executed notebooks in ``out/executed/`` and the snapshots in
    ``snapshots``; writes the Sphinx sources into a temporary folder (removed afterwards) and the
    site into ``out/site/`` (replacing an older one). Sphinx's warnings go to
    ``out/site-warnings.txt``. Raises :class:`SiteError` when Sphinx or the report is missing.
    """
    out = Path(out)
    try:
        from sphinx.application import Sphinx
    except ImportError as e:
        raise SiteError("building the site needs Sphinx, myst-nb and the book theme (the `site` extra): "
                        "pip install -e '.[site]', or pass --no-site") from e
    report_file = out / "report.json"
    if not report_file.is_file():
        raise SiteError(f"{report_file} not found: run `python -m course_utils run --out {out}` first")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    snaps = rs.load_snapshots(snapshots)
    site = out / "site"
    with tempfile.TemporaryDirectory(prefix="course-site-") as tmp:
        src = Path(tmp) / "src"
        pages = write_sources(src, out, report, snaps)
        warnings = io.StringIO()
        app = Sphinx(str(src), str(src), str(Path(tmp) / "html"), str(Path(tmp) / "doctrees"), "html",
                     status=None if quiet else io.StringIO(), warning=warnings, freshenv=True,
                     keep_going=True)
        app.build()
        if site.exists():
            shutil.rmtree(site)
        shutil.copytree(Path(tmp) / "html", site)
    text = warnings.getvalue()
    (out / "site-warnings.txt").write_text(text, encoding="utf-8")
    if text.strip():
        print(f"site: {len(text.strip().splitlines())} Sphinx warning line(s), in {out / 'site-warnings.txt'}")
    missing = [p for p in pages if not (site / p).is_file()]
    if missing:
        raise SiteError(f"the site lacks {missing}; see {out / 'site-warnings.txt'}")
    return site / "index.html"


def write_sources(src: Path, out: Path, report: dict[str, Any], snaps: list[dict]) -> list[str]:
    """The Sphinx project: conf.py, index.md, report.md and each executed notebook with its box.
    Returns the HTML pages the site must have."""
    import nbformat

    (src / "notebooks").mkdir(parents=True)
    mathjax = local_mathjax()
    (src / "conf.py").write_text(CONF + (MATHJAX if mathjax else ""), encoding="utf-8")
    (src / "_static").mkdir()
    if mathjax:
        shutil.copytree(mathjax, src / "_static" / "mathjax", ignore=shutil.ignore_patterns("localization"))
    (src / "_static" / "course.css").write_text(CSS, encoding="utf-8")
    pages = ["index.html", "report.html", "search.html"]
    shown = []
    for nb in report.get("notebooks", []):
        executed = out / nb["executed"] if nb.get("executed") else None
        if executed is None or not executed.is_file():
            continue
        notebook = nbformat.read(executed, as_version=4)
        first = next((i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown"), -1)
        box = nbformat.v4.new_markdown_cell(notebook_box(nb, snaps))
        notebook.cells.insert(first + 1, box)
        notebook.cells = [c for c in notebook.cells if "injected-parameters" not in c.metadata.get("tags", [])]
        nbformat.write(notebook, src / "notebooks" / Path(nb["executed"]).name)
        shown.append(rs.stem_of(nb["notebook"]))
        pages.append(f"notebooks/{rs.stem_of(nb['notebook'])}.html")
    (src / "index.md").write_text(index_page(report, shown), encoding="utf-8")
    (src / "report.md").write_text(report_page(report, snaps, shown), encoding="utf-8")
    return pages

