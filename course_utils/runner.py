"""The runner: execute notebooks headless with papermill and collect what they recorded.

``python -m course_utils run [NOTEBOOK ...] [--profile P] [--out build]`` (see :mod:`.cli`)
comes here. Each notebook runs in a fresh kernel that inherits this process's environment
(``KERAS_BACKEND`` included); the kernel's :class:`course_utils.report.Recorder` writes what
it measured to a JSON file as it goes, so a notebook that fails half-way still reports what
it got to. The runner writes the executed copies to ``OUT/executed/`` and one
``OUT/report.json``: every notebook's status, seconds, recorded results and data sources,
and the machine and versions it ran on. :mod:`course_utils.site` turns that into the site.

Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import json
import os
import platform
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT = "report.json"


@dataclass
class NotebookResult:
    """One notebook's run, as ``report.json`` stores it."""

    notebook: str
    status: str = "ok"
    seconds: float = 0.0
    profile: str = ""
    scale: str = ""
    backend: str = ""
    title: str = ""
    topic: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    standin_reason: str = ""
    error: dict[str, Any] = field(default_factory=dict)
    executed: str = ""


def find_notebooks(names: list[str]) -> list[Path]:
    """The notebooks to run: the given paths, names or numbers, or every ``notebooks/NN_*.ipynb``."""
    if not names:
        for base in (Path.cwd() / "notebooks", ROOT / "notebooks", Path.cwd()):
            found = sorted(base.glob("[0-9][0-9]_*.ipynb"))
            if found:
                return found
        raise SystemExit("error: no notebooks found (looked for notebooks/NN_*.ipynb)")
    out = []
    for n in names:
        p = Path(n)
        for candidate in (ROOT / "notebooks" / n, ROOT / "notebooks" / f"{n}.ipynb"):
            if not p.is_file() and candidate.is_file():
                p = candidate
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
    """Execute one notebook into ``out/executed/`` and collect what its kernel recorded."""
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
        for key in ("profile", "scale", "backend", "results", "sources", "standin_reason"):
            setattr(res, key, rec.get(key, getattr(res, key)))
    if executed.is_file():
        res.executed = str(executed.relative_to(out))
    return res


def failure_line(r: NotebookResult | dict[str, Any]) -> str:
    """``NN_name.ipynb, cell 4 `source`: ValueError: what went wrong`` for a failed notebook."""
    r = r if isinstance(r, dict) else asdict(r)
    e = r["error"]
    where = f"cell {e['cell']}" if "cell" in e else "the kernel"
    src = f" `{e['source'][:70]}`" if e.get("source") else ""
    evalue = e.get("evalue", "").splitlines()[0][:300] if e.get("evalue") else ""
    return f"{r['notebook']}, {where}{src}: {e.get('ename', 'Error')}: {evalue}"


def machine() -> dict[str, Any]:
    """What the run ran on: CPU model and cores, operating system, Python, the packages' versions.

    Floating-point kernels differ by CPU, so a recorded number belongs to its machine.
    """
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:  # Linux names the model here; elsewhere platform.processor() is the best there is
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("keras", "tensorflow", "tensorflow-cpu", "jax", "torch", "numpy"):
        try:
            versions[dist.removesuffix("-cpu")] = version(dist)
        except PackageNotFoundError:
            continue
    return {"cpu": cpu, "cores": os.cpu_count(), "os": f"{platform.system()} {platform.release()}",
            "arch": platform.machine(), "python": platform.python_version(), "versions": versions}


def write_report(out: Path, results: list[NotebookResult], profile: str | None,
                 course: list[Path] | None = None) -> dict[str, Any]:
    """``out/report.json``: the run, the machine, every notebook run, and those of the course not run."""
    ran = {r.notebook for r in results}
    payload = {
        "profile_requested": profile or "auto",
        "scale": os.environ.get("COURSE_SCALE", ""),
        "backend_requested": os.environ.get("KERAS_BACKEND", ""),
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "notebooks": [asdict(r) for r in results],
        "not_run": [dict(zip(("notebook", "title", "topic"), (p.name, *notebook_intro(p)), strict=True))
                    for p in (course or []) if p.name not in ran],
    }
    (out / REPORT).write_text(json.dumps(payload, indent=2))
    return payload


def course_map(notebooks: list[Path]) -> list[Path]:
    """Every ``NN_*.ipynb`` beside the notebooks being run, in course order."""
    found = {p.resolve() for p in notebooks}
    for folder in {p.resolve().parent for p in notebooks}:
        found.update(p.resolve() for p in folder.glob("[0-9][0-9]_*.ipynb"))
    return sorted(found, key=lambda p: (p.name, str(p)))


def run_course(notebooks: list[Path], out: Path, profile: str | None, timeout: int | None = None,
               fail_fast: bool = False, progress: bool = False) -> list[NotebookResult]:
    """Run ``notebooks`` in order, printing progress, rewriting ``report.json`` after each."""
    out.mkdir(parents=True, exist_ok=True)
    course = course_map(notebooks)
    print(f"Running {len(notebooks)} notebook(s), profile {profile or 'auto'}, "
          f"backend {os.environ.get('KERAS_BACKEND') or 'Keras default'}, into {out}/")
    results: list[NotebookResult] = []
    for i, nb in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {nb.name} …", flush=True)
        r = run_notebook(nb, out, profile, timeout, progress)
        results.append(r)
        status = "ok" if r.status == "ok" else "FAILED"
        print(f"[{i}/{len(notebooks)}] {nb.name}: {status} in {r.seconds:.1f} s"
              + (f" (profile {r.profile}, backend {r.backend})" if r.profile else ""), flush=True)
        if r.status != "ok":
            print(f"    {failure_line(r)}", flush=True)
        write_report(out, results, profile, course)
        if r.status != "ok" and fail_fast:
            break
    return results
