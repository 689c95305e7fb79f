"""``python -m course_utils run | prefetch | doctor``.

run       execute notebooks headless with papermill; write executed copies, an HTML
          rendering of each, report.json and report.html; exit non-zero naming the
          notebook and cell that failed.
prefetch  download every remote asset into a Keras-cache layout (for workshops).
doctor    versions, backend, device, cached assets, network.

Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
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


def write_reports(out: Path, results: list[NotebookResult], profile: str | None) -> None:
    payload = {
        "profile_requested": profile or "auto",
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "notebooks": [r.__dict__ for r in results],
    }
    (out / "report.json").write_text(json.dumps(payload, indent=2))
    (out / "report.html").write_text(render_report_html(payload), encoding="utf-8")


def render_report_html(payload: dict[str, Any]) -> str:
    e = html.escape
    rows = []
    for r in payload["notebooks"]:
        ok = r["status"] == "ok"
        res_items = []
        for x in r["results"]:
            bound = " ".join(s for s in (f"≥ {x['at_least']:.4g}" if x.get("at_least") is not None else "",
                                          f"≤ {x['at_most']:.4g}" if x.get("at_most") is not None else "") if s)
            mark = {True: "✓", False: "✗", None: "•"}[x.get("passed")]
            tag = ' <span class="standin">stand-in</span>' if x.get("standin") else ""
            res_items.append(f"<li>{mark} {e(x['name'])} = <b>{x['value']:.4g}</b>"
                             f"{' (' + e(bound) + ')' if bound else ''}{tag}</li>")
        src_items = [f"<li>{'⚠ stand-in: ' if s.get('standin') else ''}{e(s['what'])}: {e(s['source'])}</li>"
                     for s in r["sources"]]
        err = f"<div class='err'>{e(failure_line(NotebookResult(**r)))}</div>" if not ok else ""
        standin = (f"<div class='standin'>Results are stand-ins: {e(r['standin_reason'])}</div>"
                   if r.get("standin_reason") else "")
        link = f"<a href='{e(r['html'])}'>{e(r['notebook'])}</a>" if r.get("html") else e(r["notebook"])
        rows.append(
            f"<tr class='{'ok' if ok else 'fail'}'><td>{link}</td><td>{'✓ ok' if ok else '✗ failed'}</td>"
            f"<td>{e(r.get('profile') or '')}</td><td class='num'>{r['seconds']:.1f}</td>"
            f"<td>{standin}<ul>{''.join(res_items)}</ul>{err}</td><td><ul>{''.join(src_items)}</ul></td></tr>")
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
.standin {{ background: #fff3cd; color: #7a5200; padding: 0 .3em; border-radius: 3px; }}
</style></head><body>
<h1>Course run report</h1>
<p>{n_ok} of {len(payload['notebooks'])} notebooks passed · {total:.0f} s in all ·
profile requested: <b>{e(payload['profile_requested'])}</b> · {e(payload['created'])} · Python {e(payload['python'])}</p>
<table><tr><th>notebook</th><th>status</th><th>profile</th><th>seconds</th><th>recorded results</th><th>data sources</th></tr>
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
    print(f"Running {len(notebooks)} notebook(s), profile {args.profile or 'auto'}, into {out}/")
    results = []
    for i, nb in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {nb.name} …", flush=True)
        r = run_notebook(nb, out, args.profile, args.timeout, progress)
        results.append(r)
        status = "ok" if r.status == "ok" else "FAILED"
        print(f"[{i}/{len(notebooks)}] {nb.name}: {status} in {r.seconds:.1f} s"
              + (f" (profile {r.profile})" if r.profile else ""), flush=True)
        if r.status != "ok":
            print(f"    {failure_line(r)}", flush=True)
        write_reports(out, results, args.profile)
        if r.status != "ok" and args.fail_fast:
            break
    failed = [r for r in results if r.status != "ok"]
    print(f"Report: {out / 'report.html'}")
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
def cmd_doctor(args: argparse.Namespace) -> int:
    from importlib.metadata import PackageNotFoundError, version

    runtime.quiet()
    print(f"Python      {platform.python_version()} ({sys.executable})")
    for pkg in ("keras", "tensorflow", "tensorflow-cpu", "jax", "torch", "numpy", "matplotlib",
                "scikit-learn", "scikit-image", "papermill", "nbval"):
        try:
            print(f"{pkg:<12}{version(pkg)}")
        except PackageNotFoundError:
            pass
    import keras

    devices = runtime.accelerators()
    print(f"backend     {keras.config.backend()}")
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
