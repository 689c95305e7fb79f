"""Recorded runs: the committed results snapshots, the ranges over them, and result labels.

A *snapshot* is ``results/<backend>-<profile>.json`` at the repository root: the runs of one
backend and profile that a maintainer recorded (``python tools/results.py record BUILD``), each
with the machine and versions it ran on and, per notebook, the date, status, seconds and every
recorded result with its thresholds and the data it was measured on. One run is kept per machine
and set of versions: recording again on the same machine with the same versions replaces that
run's notebooks (a partial run, ``run 05``, replaces only 05), and when the results are identical
(timings aside) the entry counts one more identical repeat, the evidence for "the same run, the
same results" on that machine. Floating-point kernels differ by CPU, so results are shown as the
range over the recorded runs (backends and machines), per profile and data signature.

Used by :mod:`course_utils.site` (the report's calibration column and each notebook's "last
verified" lines) and by ``tools/results.py`` (the README's generated tables and the notebook
headers' **Time:** lines). Labels, the words a learner reads for each result name, are in
``course_utils/labels.json``. Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "results"
LABELS = Path(__file__).with_name("labels.json")
BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
PACKAGE_NAMES = {"keras": "Keras", "tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch",
                 "numpy": "NumPy"}
#: Recorded results that measure the machine, not the model: not compared by ``same``.
TIMINGS = {"cpu_matmul_gflops", "keras_matmul_speedup_over_numpy"}


def is_timing(name: str) -> bool:
    """A timing (a speed of this machine), not a result: 00's matrix-product speeds, seconds."""
    return name in TIMINGS or "seconds" in name


# ----------------------------------------------------------------------------- labels
@lru_cache(maxsize=4)
def _labels(path: Path = LABELS) -> dict[str, dict[str, str]]:
    return json.loads(path.read_text(encoding="utf-8"))


def label(stem: str, name: str, path: Path = LABELS) -> str | None:
    """The words for result ``name`` of notebook ``stem`` (e.g. ``03_convolutional_networks``), or None.

    A key with ``{placeholders}`` is a pattern for names made in a loop: the key
    ``"small_data_test_accuracy_{cure}"`` labels ``small_data_test_accuracy_no_cure`` as
    "... with no cure" (underscores in the matched part read as spaces).
    """
    table = _labels(path).get(stem, {})
    if name in table:
        return table[name]
    for key, words in table.items():
        if "{" not in key:
            continue
        pattern = "".join(f"(?P<{p[1:-1]}>.+)" if p.startswith("{") else re.escape(p)
                          for p in re.split(r"(\{\w+\})", key))
        m = re.fullmatch(pattern, name)
        if m:
            return words.format(**{k: v.replace("_", " ") for k, v in m.groupdict().items()})
    return None


def words(stem: str, name: str) -> str:
    """The label, or, for a result nobody labelled yet, its name with spaces (a test flags those)."""
    return label(stem, name) or name.replace("_", " ")


# ----------------------------------------------------------------------------- recording
def stem_of(notebook: str) -> str:
    return Path(notebook).name.removesuffix(".ipynb")


def machine_key(machine: dict[str, Any]) -> tuple:
    """What makes two runs "the same machine and versions" (the OS release aside)."""
    return (machine.get("cpu"), machine.get("cores"), machine.get("arch"),
            str(machine.get("os", "")).split(" ")[0], machine.get("python"),
            tuple(sorted(machine.get("versions", {}).items())))


def entries(report: dict[str, Any]) -> tuple[dict[tuple[str, str], dict[str, dict]], list[str]]:
    """A report.json's notebooks as snapshot entries, grouped by (backend, profile); and what was
    left out, and why (a notebook that stopped before ``cu.setup``; the gpu profile at smoke scale,
    a test of code paths, not a measurement)."""
    groups: dict[tuple[str, str], dict[str, dict]] = {}
    skipped = []
    date = str(report.get("created", ""))[:10]
    for nb in report.get("notebooks", []):
        stem, profile = stem_of(nb["notebook"]), nb.get("profile") or ""
        backend = nb.get("backend") or report.get("backend_requested") or ""
        if not profile or not backend:
            skipped.append(f"{stem}: no profile or backend recorded (it stopped before cu.setup)")
            continue
        if (nb.get("scale") or profile) != profile:
            skipped.append(f"{stem}: the {profile} profile at {nb['scale']} scale tests code paths; "
                           "its numbers are not measurements")
            continue
        results = []
        for r in nb.get("results", []):
            kept = {k: r.get(k) for k in ("name", "value", "at_least", "at_most", "passed", "data")}
            results.append({k: v for k, v in kept.items() if v is not None})
        groups.setdefault((backend, profile), {})[stem] = {
            "date": date, "status": nb.get("status", "ok"), "seconds": nb.get("seconds", 0.0),
            "results": results, "repeats": 1}
    return groups, skipped


def differences(a: list[dict], b: list[dict]) -> list[str]:
    """How two lists of recorded results differ (timings aside): ``name: 0.865 vs 0.866``."""
    va = {r["name"]: r["value"] for r in a if not is_timing(r["name"])}
    vb = {r["name"]: r["value"] for r in b if not is_timing(r["name"])}
    return [f"{n}: {va.get(n)!r} vs {vb.get(n)!r}" for n in sorted(set(va) | set(vb))
            if va.get(n) != vb.get(n)]


def record(report_dir: Path | str, folder: Path = SNAPSHOTS) -> list[str]:
    """Add the run in ``report_dir/report.json`` to the snapshot(s) in ``folder``; say what changed."""
    path = Path(report_dir) / "report.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `python -m course_utils run --out {report_dir}` first")
    report = json.loads(path.read_text(encoding="utf-8"))
    groups, messages = entries(report)
    machine = report.get("machine", {})
    for (backend, profile), notebooks in groups.items():
        target = folder / f"{backend}-{profile}.json"
        snap = (json.loads(target.read_text(encoding="utf-8")) if target.is_file()
                else {"backend": backend, "profile": profile, "runs": []})
        run = next((r for r in snap["runs"] if machine_key(r["machine"]) == machine_key(machine)), None)
        if run is None:
            run = {"machine": machine, "notebooks": {}}
            snap["runs"].append(run)
        run["machine"] = machine
        for stem, new in sorted(notebooks.items()):
            old = run["notebooks"].get(stem)
            if old and old["status"] == new["status"] == "ok":
                diff = differences(old["results"], new["results"])
                if not diff:
                    new["repeats"] = old.get("repeats", 1) + 1
                    new["since"] = old.get("since", old["date"])
                    messages.append(f"{stem}: identical to the run of {old['date']} on this machine "
                                    f"({new['repeats']} identical runs)")
                else:
                    messages.append(f"{stem}: {len(diff)} result(s) differ from the run of {old['date']} on "
                                    f"this machine (a changed notebook, or not reproducible): "
                                    + "; ".join(diff[:5]))
            if new["status"] != "ok":
                messages.append(f"{stem}: recorded as {new['status']}")
            run["notebooks"][stem] = new
        snap["runs"].sort(key=lambda r: max((e["date"] for e in r["notebooks"].values()), default=""))
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(snap), encoding="utf-8")
        messages.append(f"recorded {len(notebooks)} notebook(s) in {target}")
    return messages


def dumps(snap: dict[str, Any]) -> str:
    """A snapshot as JSON that reviews well: one line per result."""
    text = json.dumps(snap, indent=1, ensure_ascii=False)
    return re.sub(r'\{\s*\n\s*("name":[^{}]*?)\s*\}',
                  lambda m: "{" + re.sub(r",\n\s*", ", ", m.group(1)) + "}", text) + "\n"


def load_snapshots(folder: Path = SNAPSHOTS) -> list[dict[str, Any]]:
    """Every ``folder/<backend>-<profile>.json``, sorted by backend and profile."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*-*.json"))]


# ----------------------------------------------------------------------------- ranges
@dataclass
class Span:
    """A result (or a notebook's seconds) over recorded runs: its range and where it was measured."""

    values: list[float] = field(default_factory=list)
    backends: set[str] = field(default_factory=set)
    machines: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    cores: set[int] = field(default_factory=set)
    at_least: float | None = None
    at_most: float | None = None
    newest: str = ""

    def add(self, value: float, backend: str, machine: dict, date: str, result: dict | None = None) -> None:
        self.values.append(value)
        self.backends.add(backend)
        self.machines.add(machine_text(machine))
        self.cores.add(machine.get("cores") or 0)
        self.dates.add(date)
        if result is not None and date >= self.newest:  # the newest run's thresholds are the ones in force
            self.newest, self.at_least, self.at_most = date, result.get("at_least"), result.get("at_most")

    def text(self) -> str:
        return range_text(min(self.values), max(self.values))

    def text_time(self) -> str:
        return time_text(min(self.values), max(self.values))

    def where(self) -> str:
        """``3 runs (TensorFlow, JAX, PyTorch; 2-core AMD EPYC, Linux x86_64; 2026-12-01 – 2026-12-03)``."""
        dates = sorted(self.dates)
        when = dates[0] if len(dates) == 1 else f"{dates[0]} – {dates[-1]}"
        n = len(self.values)
        return (f"{n} run{'s' if n != 1 else ''} ({backend_list(self.backends)}; "
                f"{' · '.join(sorted(self.machines))}; {when})")


def _ok_entries(snapshots: list[dict], profile: str):
    for snap in snapshots:
        if snap["profile"] != profile:
            continue
        for run in snap["runs"]:
            for stem, entry in run["notebooks"].items():
                if entry["status"] == "ok":
                    yield snap["backend"], run["machine"], stem, entry


def result_spans(snapshots: list[dict], profile: str) -> dict[tuple[str, str, str], Span]:
    """(notebook stem, result name, data signature) → its span over the profile's recorded runs."""
    spans: dict[tuple[str, str, str], Span] = {}
    for backend, machine, stem, entry in _ok_entries(snapshots, profile):
        for r in entry["results"]:
            spans.setdefault((stem, r["name"], r.get("data", "")), Span()).add(
                r["value"], backend, machine, entry["date"], r)
    return spans


def time_spans(snapshots: list[dict], profile: str, backend: str | None = None) -> dict[str, Span]:
    """Notebook stem → its seconds over the profile's recorded runs (of one backend, or all)."""
    spans: dict[str, Span] = {}
    for b, machine, stem, entry in _ok_entries(snapshots, profile):
        if backend is None or b == backend:
            spans.setdefault(stem, Span()).add(entry["seconds"], b, machine, entry["date"])
    return spans


def calibration(snapshots: list[dict], profile: str, stem: str, name: str, data: str,
                spans: dict[tuple[str, str, str], Span] | None = None, where: bool = True) -> str:
    """What a threshold was calibrated on, in words, from the recorded runs of this path (the
    profile and the data signature); ``spans``: :func:`result_spans` of that profile, if at hand;
    ``where=False`` leaves out which runs (a table that says it once)."""
    spans = result_spans(snapshots, profile) if spans is None else spans
    span = spans.get((stem, name, data))
    if span is None:
        return "not yet measured on this path (a relative check or a guess)"
    runs = f" in {span.where()}" if where else ""
    return f"calibrated on: {profile} profile, {data or 'no data source recorded'}; recorded {span.text()}{runs}"


def last_verified(snapshots: list[dict], stem: str) -> list[dict[str, Any]]:
    """Per backend and profile, the newest recorded run of notebook ``stem`` that passed: date,
    profile, versions, machine (and a newer failure, if any)."""
    rows = []
    for snap in snapshots:
        runs = [(run["machine"], run["notebooks"][stem]) for run in snap["runs"] if stem in run["notebooks"]]
        ok = [(m, e) for m, e in runs if e["status"] == "ok"]
        failed = [e["date"] for m, e in runs if e["status"] != "ok"]
        if not runs:
            continue
        row = {"backend": snap["backend"], "profile": snap["profile"], "date": "", "versions": "",
               "machine": "", "failed_since": max(failed) if failed else ""}
        if ok:
            machine, entry = max(ok, key=lambda me: me[1]["date"])
            row.update(date=entry["date"], versions=versions_text(machine), machine=machine_text(machine))
            if row["failed_since"] <= row["date"]:
                row["failed_since"] = ""
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------- words
def fmt(v: float) -> str:
    """A recorded number as a learner reads it: 0.962, 65.4, 3.4e-10, 8,391,818, −0.02."""
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        text = f"{v:,.0f}"
    elif abs(v) >= 0.01:
        text = f"{v:.3g}"
    else:
        text = f"{v:.2g}"
    return "−" + text[1:] if text.startswith("-") else text


def range_text(lo: float, hi: float) -> str:
    a, b = fmt(lo), fmt(hi)
    if a == b:
        return a
    return f"{a} to {b}" if lo < 0 or hi < 0 else f"{a}–{b}"


def time_text(lo: float, hi: float) -> str:
    """``33 s``, ``31–36 s``, ``2.5 min``, ``2.1–4.1 min`` (minutes from 100 s on)."""
    if hi < 100:
        a, b = f"{lo:.0f}", f"{hi:.0f}"
        return f"{a} s" if a == b else f"{a}–{b} s"
    a, b = f"{lo / 60:.1f}", f"{hi / 60:.1f}"
    return f"{a} min" if a == b else f"{a}–{b} min"


def machine_text(machine: dict[str, Any]) -> str:
    """``2-core AMD EPYC, Linux x86_64``."""
    system = str(machine.get("os", "")).split(" ")[0]
    return f"{machine.get('cores', '?')}-core {machine.get('cpu', 'CPU')}, {system} {machine.get('arch', '')}".strip()


def versions_text(machine: dict[str, Any]) -> str:
    """``Keras 3.12.0, TensorFlow 2.20.0, NumPy 2.3.5, Python 3.11.7``."""
    parts = [f"{PACKAGE_NAMES.get(k, k)} {v}" for k, v in machine.get("versions", {}).items()]
    return ", ".join(parts + ([f"Python {machine['python']}"] if machine.get("python") else []))


def backend_list(backends) -> str:
    order = list(BACKEND_NAMES)
    return ", ".join(BACKEND_NAMES.get(b, b) for b in sorted(backends, key=lambda b: (
        order.index(b) if b in order else len(order), b)))
