"""``python -m course_utils run | prefetch | doctor``.

run       execute notebooks headless with papermill; write executed copies, an HTML
          rendering of each, report.json, report.html and index.html (the course map:
          every notebook in order, linked to its executed HTML, with status, time, key
          results, backend and profile); exit non-zero naming the notebook and cell that
          failed. The kernels inherit the runner's environment, KERAS_BACKEND included.
prefetch  download every remote asset into a Keras-cache layout (for workshops).
doctor    versions, installed and active Keras backends, GPU, profile, cached assets, network.

Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import data, runtime

ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- run
@dataclass
class NotebookResult:
    notebook: str
    status: str = "ok"
    seconds: float = 0.0
    profile: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    standin_reason: str = ""
    error: dict[str, Any] = field(default_factory=dict)
    html: str = ""
    executed: str = ""
    backend: str = ""
    title: str = ""
    topic: str = ""


def find_notebooks(names: list[str]) -> list[Path]:
    """The notebooks to run: the given paths, or every ``notebooks/NN_*.ipynb``."""
    if not names:
        for base in (Path.cwd() / "notebooks", ROOT / "notebooks", Path.cwd()):
            found = sorted(base.glob("[0-9][0-9]_*.ipynb"))
            if found:
                return found
        raise SystemExit("error: no notebooks found (looked for notebooks/NN_*.ipynb)")
    out = []
    for n in names:
        p = Path(n)
        if not p.is_file() and (ROOT / "notebooks" / n).is_file():
            p = ROOT / "notebooks" / n
        if not p.is_file() and (ROOT / "notebooks" / f"{n}.ipynb").is_file():
            p = ROOT / "notebooks" / f"{n}.ipynb"
        if not p.is_file() and p.name == n:
            prefix = sorted((ROOT / "notebooks").glob(f"{n}_*.ipynb"))   # `run 03` → 03_*.ipynb
            if len(prefix) == 1:
                p = prefix[0]
        if not p.is_file():
            raise SystemExit(f"error: no notebook at {n} (give a path, a file name or its number, e.g. 03)")
        out.append(p)
    return out


def notebook_intro(nb_path: Path) -> tuple[str, str]:
    """(title, one-line topic) from a notebook's title cell: ``# NN · Title`` and its intro.

    The topic is the intro's first sentence (two when the first is very short), Markdown
    emphasis removed, at most ~200 characters.
    """
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # an unreadable notebook still gets a row in the map
        return nb_path.stem, ""
    cell = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if cell is None:
        return nb_path.stem, ""
    lines = cell.source.splitlines()
    title = next((ln.lstrip("#").strip() for ln in lines if ln.startswith("# ")), nb_path.stem)
    para: list[str] = []
    for ln in lines:
        text = ln.strip()
        if text.startswith(("#", "[![", "**You will learn", "- ")) or not text:
            if para:
                break
            continue
        para.append(text)
    intro = re.sub(r"(\*\*|\*|`)", "", " ".join(para))
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", intro)
    topic = sentences[0] if sentences else ""
    if len(topic) < 60 and len(sentences) > 1:
        topic += " " + sentences[1]
    if len(topic) > 200:
        topic = topic[:200].rsplit(" ", 1)[0] + " …"
    return title, topic


def _describe_failure(exc: Exception, nb_path: Path, injected: bool) -> dict[str, Any]:
    """Name the failing cell in terms of the *original* notebook (papermill adds one cell)."""
    import nbformat

    index = getattr(exc, "cell_index", None)
    info: dict[str, Any] = {"ename": getattr(exc, "ename", type(exc).__name__),
                            "evalue": str(getattr(exc, "evalue", exc)).strip()}
    if index is not None:
        nb = nbformat.read(nb_path, as_version=4)
        params = next((i for i, c in enumerate(nb.cells)
                       if "parameters" in c.metadata.get("tags", [])), None)
        if injected and params is not None and index > params:
            index -= 1
        info["cell"] = index
        info["execution_count"] = getattr(exc, "exec_count", None)
        src = (getattr(exc, "source", "") or "").strip().splitlines()
        info["source"] = next((ln for ln in src if ln.strip() and not ln.startswith("#")), "")
    return info


def run_notebook(nb_path: Path, out: Path, profile: str | None, timeout: int | None,
                 progress: bool) -> NotebookResult:
    import papermill as pm

    stem = nb_path.stem
    res = NotebookResult(notebook=nb_path.name)
    res.title, res.topic = notebook_intro(nb_path)
    executed = out / "executed" / nb_path.name
    results_file = out / "results" / f"{stem}.json"
    executed.parent.mkdir(parents=True, exist_ok=True)
    results_file.unlink(missing_ok=True)
    env = {"COURSE_HEADLESS": "1", "COURSE_RESULTS": str(results_file.resolve()),
           "COURSE_NOTEBOOK": stem}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    params = {"PROFILE": profile} if profile else {}
    t0 = time.time()
    try:
        pm.execute_notebook(str(nb_path), str(executed), parameters=params, kernel_name="python3",
                            progress_bar=progress, cwd=str(nb_path.parent), execution_timeout=timeout,
                            log_output=False,
                            # the kernel's own start-up chatter (e.g. ipykernel's "running over TCP"
                            # notice) is not the learner's business; errors still come through
                            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except Exception as e:  # a failed cell, a dead kernel, a timeout: all reported the same way
        res.status = "failed"
        res.error = _describe_failure(e, nb_path, injected=bool(params))
    finally:
        res.seconds = round(time.time() - t0, 1)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if results_file.is_file():
        rec = json.loads(results_file.read_text())
        res.profile = rec.get("profile", "")
        res.backend = rec.get("backend", "")
        res.results, res.sources = rec.get("results", []), rec.get("sources", [])
        res.standin_reason = rec.get("standin_reason", "")
    if executed.is_file():
        res.executed = str(executed.relative_to(out))
        res.html = export_html(executed, out / f"{stem}.html")
    return res


def export_html(executed: Path, dest: Path) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(executed, as_version=4))
    dest.write_text(body, encoding="utf-8")
    return dest.name


def failure_line(r: NotebookResult) -> str:
    e = r.error
    where = f"cell {e['cell']}" if "cell" in e else "the kernel"
    src = f" `{e['source'][:70]}`" if e.get("source") else ""
    evalue = e.get("evalue", "").splitlines()[0][:300] if e.get("evalue") else ""
    return f"{r.notebook}, {where}{src}: {e.get('ename', 'Error')}: {evalue}"


def course_map(notebooks: list[Path]) -> list[Path]:
    """Every ``NN_*.ipynb`` beside the notebooks being run, in course order (the index's rows)."""
    found = {p.resolve() for p in notebooks}
    for folder in {p.resolve().parent for p in notebooks}:
        found.update(p.resolve() for p in folder.glob("[0-9][0-9]_*.ipynb"))
    return sorted(found, key=lambda p: (p.name, str(p)))


def write_reports(out: Path, results: list[NotebookResult], profile: str | None,
                  course: list[Path] | None = None) -> None:
    """report.json, report.html and index.html (``course``: every notebook of the map)."""
    ran = {r.notebook for r in results}
    payload = {
        "profile_requested": profile or "auto",
        "backend_requested": os.environ.get("KERAS_BACKEND", ""),
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "notebooks": [r.__dict__ for r in results],
        "not_run": [dict(zip(("notebook", "title", "topic"), (p.name, *notebook_intro(p)), strict=True))
                    for p in (course or []) if p.name not in ran],
    }
    (out / "report.json").write_text(json.dumps(payload, indent=2))
    (out / "report.html").write_text(render_report_html(payload), encoding="utf-8")
    (out / "index.html").write_text(render_index_html(payload), encoding="utf-8")


def _result_items(results: list[dict[str, Any]]) -> str:
    """The recorded results as <li>: ✓/✗/• name = value (bounds), stand-ins tagged."""
    e = html.escape
    items = []
    for x in results:
        bound = " ".join(s for s in (f"≥ {x['at_least']:.4g}" if x.get("at_least") is not None else "",
                                      f"≤ {x['at_most']:.4g}" if x.get("at_most") is not None else "") if s)
        mark = {True: "✓", False: "<span class='miss'>✗</span>", None: "•"}[x.get("passed")]
        tag = ' <span class="standin">stand-in</span>' if x.get("standin") else ""
        items.append(f"<li>{mark} {e(x['name'])} = <b>{x['value']:.4g}</b>"
                     f"{' (' + e(bound) + ')' if bound else ''}{tag}</li>")
    return "".join(items)


INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328;
       background: #f6f8fa; }
main { max-width: 980px; margin: 0 auto; padding: 1.5em 1.5em 3em; }
h1 { margin: .2em 0 .1em; font-size: 1.8em; }
.meta { color: #555; margin: 0 0 1.2em; }
.meta b { color: #1f2328; }
ol.course { list-style: none; padding: 0; margin: 0; }
ol.course > li { background: #fff; border: 1px solid #d0d7de; border-left: 6px solid #1a7f37;
                 border-radius: 6px; padding: .8em 1em; margin: 0 0 .8em; }
ol.course > li.failed { border-left-color: #cf222e; }
ol.course > li.notrun { border-left-color: #8c959f; color: #57606a; }
.head { display: flex; align-items: baseline; gap: .8em; flex-wrap: wrap; }
.num { font-weight: 700; font-size: 1.3em; color: #57606a; font-variant-numeric: tabular-nums; }
.title { font-size: 1.15em; font-weight: 600; }
.title a { color: #0969da; text-decoration: none; }
.title a:hover { text-decoration: underline; }
.status { margin-left: auto; font-weight: 600; white-space: nowrap; }
li.ok .status { color: #1a7f37; } li.failed .status { color: #cf222e; }
.topic { margin: .3em 0 .4em; }
.facts { color: #57606a; font-size: .9em; }
ul.results { margin: .4em 0 0; padding-left: 0; list-style: none; font-size: .95em; }
.miss { color: #cf222e; font-weight: 700; }
.err { color: #cf222e; font-family: ui-monospace, monospace; font-size: .85em; white-space: pre-wrap;
       margin-top: .4em; }
.standin { background: #fff3cd; color: #7a5200; padding: 0 .3em; border-radius: 3px; font-size: .9em; }
footer { color: #57606a; font-size: .9em; margin-top: 1.5em; }
"""


def render_index_html(payload: dict[str, Any]) -> str:
    """index.html: the course map in order, one self-contained page with relative links."""
    e = html.escape
    rows = [(r["notebook"], r) for r in payload["notebooks"]]
    rows += [(n["notebook"], None) for n in payload.get("not_run", [])]
    intro = {n["notebook"]: n for n in payload.get("not_run", [])}
    items = []
    for name, r in sorted(rows, key=lambda x: x[0]):
        info = r if r is not None else intro[name]
        num = name[:2] if name[:2].isdigit() else "··"
        title = info.get("title") or Path(name).stem
        title = re.sub(r"^\d\d\s*·\s*", "", title)
        topic = f"<div class='topic'>{e(info['topic'])}</div>" if info.get("topic") else ""
        if r is None:
            items.append(f"<li class='notrun'><div class='head'><span class='num'>{e(num)}</span>"
                         f"<span class='title'>{e(title)}</span><span class='status'>– not run in this build"
                         f"</span></div>{topic}</li>")
            continue
        ok = r["status"] == "ok"
        link = (f"<a href='{e(r['html'])}'>{e(title)}</a>" if r.get("html") else e(title))
        facts = [f"{r['seconds']:.1f} s"]
        if r.get("profile"):
            facts.append(f"profile {e(r['profile'])}")
        if r.get("backend"):
            facts.append(f"backend {e(r['backend'])}")
        if r.get("executed"):
            facts.append(f"<a href='{e(r['executed'])}'>executed .ipynb</a>")
        standin = (f"<div><span class='standin'>stand-in results: {e(r['standin_reason'])}</span></div>"
                   if r.get("standin_reason") else "")
        results = _result_items(r.get("results", []))
        err = f"<div class='err'>{e(failure_line(NotebookResult(**r)))}</div>" if not ok else ""
        items.append(
            f"<li class='{'ok' if ok else 'failed'}'><div class='head'><span class='num'>{e(num)}</span>"
            f"<span class='title'>{link}</span><span class='status'>{'✓ passed' if ok else '✗ failed'}"
            f"</span></div>{topic}<div class='facts'>{' · '.join(facts)}</div>{standin}"
            f"{'<ul class=results>' + results + '</ul>' if results else ''}{err}</li>")
    nbs = payload["notebooks"]
    n_ok = sum(r["status"] == "ok" for r in nbs)
    backends = sorted({r.get("backend") for r in nbs if r.get("backend")}) or (
        [payload["backend_requested"]] if payload.get("backend_requested") else [])
    profiles = sorted({r.get("profile") for r in nbs if r.get("profile")})
    total = sum(r["seconds"] for r in nbs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Deep learning with Keras · the executed course</title>
<style>{INDEX_CSS}</style></head><body><main>
<h1>Deep learning with Keras · the executed course</h1>
<p class="meta">{n_ok} of {len(nbs)} notebooks passed · {total:.0f} s in all ·
backend <b>{e(', '.join(backends) or 'unknown')}</b> · profile <b>{e(', '.join(profiles) or payload['profile_requested'])}</b>
(requested: {e(payload['profile_requested'])}) · Python {e(payload['python'])} · {e(payload['created'])} ·
<a href="report.html">full run report</a></p>
<ol class="course">
{''.join(items)}
</ol>
<footer>Each title opens the notebook as it ran here, outputs and figures included.
Results marked ✓ met the threshold the notebook checks; • values are recorded without a threshold;
<span class="standin">stand-in</span> marks results measured on offline stand-in data.
The <a href="report.html">run report</a> lists every data source.</footer>
</main></body></html>
"""


def render_report_html(payload: dict[str, Any]) -> str:
    e = html.escape
    rows = []
    for r in payload["notebooks"]:
        ok = r["status"] == "ok"
        res_items = _result_items(r["results"])
        src_items = [f"<li>{'⚠ stand-in: ' if s.get('standin') else ''}{e(s['what'])}: {e(s['source'])}</li>"
                     for s in r["sources"]]
        err = f"<div class='err'>{e(failure_line(NotebookResult(**r)))}</div>" if not ok else ""
        standin = (f"<div class='standin'>Results are stand-ins: {e(r['standin_reason'])}</div>"
                   if r.get("standin_reason") else "")
        link = f"<a href='{e(r['html'])}'>{e(r['notebook'])}</a>" if r.get("html") else e(r["notebook"])
        rows.append(
            f"<tr class='{'ok' if ok else 'fail'}'><td>{link}</td><td>{'✓ ok' if ok else '✗ failed'}</td>"
            f"<td>{e(r.get('profile') or '')}</td><td>{e(r.get('backend') or '')}</td><td class='num'>{r['seconds']:.1f}</td>"
            f"<td>{standin}<ul>{res_items}</ul>{err}</td><td><ul>{''.join(src_items)}</ul></td></tr>")
    n_ok = sum(r["status"] == "ok" for r in payload["notebooks"])
    total = sum(r["seconds"] for r in payload["notebooks"])
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Course run report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .5em; vertical-align: top; text-align: left; }}
tr.fail td:nth-child(2) {{ color: #b00020; font-weight: bold; }}
tr.ok td:nth-child(2) {{ color: #137333; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
ul {{ margin: 0; padding-left: 1.1em; }}
.err {{ color: #b00020; font-family: monospace; white-space: pre-wrap; }}
.miss {{ color: #b00020; font-weight: bold; }}
.standin {{ background: #fff3cd; color: #7a5200; padding: 0 .3em; border-radius: 3px; }}
</style></head><body>
<h1>Course run report</h1>
<p>{n_ok} of {len(payload['notebooks'])} notebooks passed · {total:.0f} s in all ·
profile requested: <b>{e(payload['profile_requested'])}</b> ·
backend requested: <b>{e(payload.get('backend_requested') or 'Keras default')}</b> · <a href="index.html">course map</a> · {e(payload['created'])} · Python {e(payload['python'])}</p>
<table><tr><th>notebook</th><th>status</th><th>profile</th><th>backend</th><th>seconds</th><th>recorded results</th><th>data sources</th></tr>
{''.join(rows)}
</table></body></html>
"""


def cmd_run(args: argparse.Namespace) -> int:
    if args.profile is not None:
        try:
            runtime.check_profile(args.profile)
        except runtime.ProfileError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    notebooks = find_notebooks(args.notebooks)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    progress = sys.stderr.isatty() and not args.quiet
    course = course_map(notebooks)
    print(f"Running {len(notebooks)} notebook(s), profile {args.profile or 'auto'}, "
          f"backend {os.environ.get('KERAS_BACKEND') or 'Keras default'}, into {out}/")
    results = []
    for i, nb in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {nb.name} …", flush=True)
        r = run_notebook(nb, out, args.profile, args.timeout, progress)
        results.append(r)
        status = "ok" if r.status == "ok" else "FAILED"
        print(f"[{i}/{len(notebooks)}] {nb.name}: {status} in {r.seconds:.1f} s"
              + (f" (profile {r.profile}, backend {r.backend})" if r.profile else ""), flush=True)
        if r.status != "ok":
            print(f"    {failure_line(r)}", flush=True)
        write_reports(out, results, args.profile, course)
        if r.status != "ok" and args.fail_fast:
            break
    failed = [r for r in results if r.status != "ok"]
    print(f"Report: {out / 'report.html'} · course map: {out / 'index.html'}")
    if failed:
        print(f"{len(failed)} notebook(s) failed:", file=sys.stderr)
        for r in failed:
            print(f"  {failure_line(r)}", file=sys.stderr)
        return 1
    print(f"All {len(results)} notebook(s) passed.")
    return 0


# ----------------------------------------------------------------------------- prefetch
def cmd_prefetch(args: argparse.Namespace) -> int:
    manifest = data.load_manifest()
    unknown = [n for n in args.assets if n not in manifest]
    if unknown:
        print(f"error: unknown asset(s) {', '.join(unknown)}; known: {', '.join(sorted(manifest))}",
              file=sys.stderr)
        return 2
    names = args.assets or sorted(manifest)
    home = Path(args.to).expanduser() if args.to else data.keras_home()
    total = sum(manifest[n].size for n in names)
    print(f"{len(names)} asset(s), {data.human_size(total)} in all, into {home}")
    if args.dry_run:
        for asset, status in data.prefetch(names, home, dry_run=True, manifest=manifest):
            print(f"  {asset.name:<22} {data.human_size(asset.size):>10}  {status:<26} {asset.path}")
        return 0
    need = sum(manifest[n].size for n in names if data.cache_status(manifest[n], home) != "ok")
    if need > data.disk_free(home):
        print(f"error: {data.human_size(need)} needed but only {data.human_size(data.disk_free(home))} "
              f"free at {home}", file=sys.stderr)
        return 1
    failed = 0
    for n in names:
        try:
            (asset, status), = data.prefetch([n], home, manifest=manifest)
            print(f"  {asset.name:<22} {data.human_size(asset.size):>10}  {status}")
        except data.AssetError as e:
            failed += 1
            print(f"  {n:<22} FAILED: {e}", file=sys.stderr)
    if failed:
        print(f"{failed} of {len(names)} asset(s) could not be fetched; run the same command again "
              "once the network is back (finished files are kept, partial ones resume).", file=sys.stderr)
        return 1
    if args.to:
        print(f"Copy {home} to each machine and set KERAS_HOME={home} there (or copy it to ~/.keras).")
    return 0


# ----------------------------------------------------------------------------- doctor
#: Keras backends, each with the distributions that provide it (first one installed wins).
BACKEND_DISTS: dict[str, tuple[str, ...]] = {
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-macos", "tf-nightly", "tensorflow-intel"),
    "jax": ("jax",),
    "torch": ("torch",),
}


def installed_backends() -> dict[str, str | None]:
    """{backend: version or None}, from package metadata, without importing any backend."""
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    found: dict[str, str | None] = {}
    for backend, dists in BACKEND_DISTS.items():
        found[backend] = None
        for dist in dists:
            try:
                found[backend] = f"{version(dist)}" + (f" ({dist})" if dist != backend else "")
                break
            except PackageNotFoundError:
                continue
        if found[backend] is None and find_spec(backend) is not None:
            found[backend] = "installed (version unknown)"
    return found


def active_backend() -> tuple[str, str]:
    """(backend, where that choice comes from), as Keras will decide it, without importing Keras."""
    env = os.environ.get("KERAS_BACKEND", "").strip()
    if env:
        return env, "$KERAS_BACKEND"
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    cfg = home / "keras.json"
    try:
        backend = json.loads(cfg.read_text()).get("backend")
        if backend:
            return str(backend), str(cfg)
    except (OSError, ValueError):
        pass
    return "tensorflow", "Keras's default"


def cmd_doctor(args: argparse.Namespace) -> int:
    from importlib.metadata import PackageNotFoundError, version

    runtime.quiet()
    print(f"Python      {platform.python_version()} ({sys.executable})")
    for pkg in ("keras", "numpy", "matplotlib", "scikit-learn", "scikit-image", "papermill", "nbval"):
        try:
            print(f"{pkg:<12} {version(pkg)}")
        except PackageNotFoundError:
            print(f"{pkg:<12} not installed")
    backends = installed_backends()
    print("backends    " + " · ".join(f"{b} {v or 'not installed'}" for b, v in backends.items()))
    active, why = active_backend()
    print(f"active      {active} (from {why}; choose with KERAS_BACKEND=tensorflow|jax|torch)")
    if active in backends and backends[active] is None:
        print(f"error: the active backend {active} is not installed: `make setup BACKEND={active}` "
              f"or pick an installed one with KERAS_BACKEND", file=sys.stderr)
        return 1
    try:
        import keras
    except Exception as e:  # a broken backend install: say so instead of a traceback
        print(f"error: Keras cannot start on {active}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    devices = runtime.accelerators()
    print(f"loaded      Keras {keras.__version__} on {keras.config.backend()}")
    print(f"GPU         {'visible to ' + keras.config.backend() + ': ' + ', '.join(devices) if devices else 'none visible to ' + keras.config.backend()}")
    print(f"device      {', '.join(devices) if devices else f'CPU only ({os.cpu_count()} cores)'}")
    try:
        print(f"profile     auto → {runtime.resolve_profile('auto', bool(devices))}")
    except runtime.ProfileError as e:
        print(f"profile     {e}")
    home = data.keras_home()
    print(f"KERAS_HOME  {home}")
    for asset in data.load_manifest().values():
        print(f"  {asset.name:<22} {data.human_size(asset.size):>10}  {data.cache_status(asset, home)}")
    if data.offline_forced():
        print(f"network     off (${data.OFFLINE_ENV} is set)")
    else:
        print(f"network     {'reachable' if data.network_available() else 'not reachable (offline fallbacks will be used)'}")
    return 0


# ----------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m course_utils", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="execute notebooks headless and write a report")
    r.add_argument("notebooks", nargs="*", help="notebook paths or names (default: all)")
    r.add_argument("--profile", default=None,
                   help=f"one of {', '.join(runtime.valid_profiles())} (default: auto)")
    r.add_argument("--out", default="build", help="output folder (default: build)")
    r.add_argument("--timeout", type=int, default=None, help="seconds allowed per cell")
    r.add_argument("--fail-fast", action="store_true", help="stop at the first failing notebook")
    r.add_argument("--quiet", action="store_true", help="no per-cell progress bar")
    r.set_defaults(func=cmd_run)
    f = sub.add_parser("prefetch", help="download every asset into a Keras cache (for workshops)")
    f.add_argument("assets", nargs="*", help="asset names (default: all)")
    f.add_argument("--to", default=None, help="cache folder (default: $KERAS_HOME or ~/.keras)")
    f.add_argument("--dry-run", action="store_true", help="list assets, sizes and cache status only")
    f.set_defaults(func=cmd_prefetch)
    d = sub.add_parser("doctor", help="versions, backend, device, cached assets, network")
    d.set_defaults(func=cmd_doctor)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
