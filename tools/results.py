"""Every number the README and the notebook headers show about runs, generated from recorded runs.

    python tools/results.py record BUILD [BUILD ...]   add the run(s) in BUILD/report.json to results/
    python tools/results.py write                      rewrite the README's generated parts and every
                                                       notebook header's **Time:** line, then sync the pairs
    python tools/results.py check                      exit 1, with a diff, when they disagree with results/
    python tools/results.py same BUILD1 BUILD2         exit 1 unless two runs recorded the same results

``results/<backend>-<profile>.json`` holds the recorded runs (see :mod:`course_utils.results`: one
run per machine and set of versions, a newer one from the same machine replacing it, identical
repeats counted). The README's generated parts sit between ``<!-- results:NAME -->`` and
``<!-- /results:NAME -->`` (NAME: course-map, results, backends); everything else in the README is
prose that ``write`` never touches. Results are shown as ranges over the recorded runs (backends
and machines). ``same`` compares two build folders' report.json (timings aside: 00's matrix-product
speeds, seconds per epoch), for the claim that a run repeats exactly on one machine.

The gpu column and the gpu part of each **Time:** line come from ``tools/estimate_gpu.py --json``
(:func:`gpu_estimates`, the one place that reads it); when it fails, they are kept as they are.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
from course_utils import results as rs  # noqa: E402
from course_utils.report import bounds_text  # noqa: E402
from course_utils.runner import notebook_intro  # noqa: E402
from course_utils.site_pages import KEY_RESULTS  # noqa: E402

README = ROOT / "README.md"
NOTEBOOKS = ROOT / "notebooks"
SMOKE_BUDGET_S = 60
TIME_LINE = re.compile(r"^# \*\*Time:\*\*.*$", re.M)
MAP_ROW = re.compile(r"^\| \[(\d\d) [^\]]*\]\([^)]*\) \| (.*?) \| [^|]* \| [^|]* \| ([^|]*) \|$", re.M)


def gpu_estimates() -> dict[str, tuple[str, str]]:
    """Notebook number → (course-map cell ``5.9–9.1 min``, header phrase ``gpu about 6–9 min on a T4
    (estimated)``), from ``tools/estimate_gpu.py --json``; {} when it fails (the parts are kept)."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "estimate_gpu.py"), "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    try:
        rows = json.loads(proc.stdout)  # it exits 1 when a notebook is over budget: still an estimate
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"warning: tools/estimate_gpu.py failed ({tail}); the gpu estimates are kept as they are",
              file=sys.stderr)
        return {}
    out = {}
    for row in rows:
        lo, hi = row["minutes"]
        a, b = (max(1, round(m)) for m in (lo, hi))
        out[row["notebook"]] = (f"{lo:.1f}–{hi:.1f} min", f"gpu about {a if a == b else f'{a}–{b}'} min on a T4 (estimated)")
    return out


# ----------------------------------------------------------------------------- words about runs
def para(text: str) -> str:
    """A generated paragraph, wrapped as the README's prose is (100 columns)."""
    return textwrap.fill(text, 100, break_long_words=False, break_on_hyphens=False)


def cpus(cores: set[int]) -> str:
    c = sorted(n for n in cores if n)
    return f"a {c[0]}-core CPU" if len(c) == 1 else f"{'- and '.join(str(n) for n in c)}-core CPUs"


def summary(snaps: list[dict], profile: str) -> str:
    """``2 runs: TensorFlow and JAX on 2-core AMD EPYC, Linux x86_64, 2026-12-01 – 2026-12-02``."""
    runs = [(s["backend"], run) for s in snaps if s["profile"] == profile for run in s["runs"]]
    if not runs:
        return "none recorded yet"
    dates = sorted(e["date"] for _, run in runs for e in run["notebooks"].values())
    when = dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}"
    machines = " · ".join(sorted({rs.machine_text(run["machine"]) for _, run in runs}))
    return (f"{len(runs)} run{'s' if len(runs) > 1 else ''}: {rs.backend_list({b for b, _ in runs})} "
            f"on {machines}, {when}")


def identity(snaps: list[dict]) -> str:
    """What the snapshots show about run-to-run identity on one machine (repeats recorded)."""
    found = []
    for s in snaps:
        for run in s["runs"]:
            rep = [e.get("repeats", 1) for e in run["notebooks"].values() if e["status"] == "ok"]
            if rep and min(rep) > 1:
                found.append(f"{rs.BACKEND_NAMES.get(s['backend'], s['backend'])}, {s['profile']} profile, "
                             f"{len(rep)} notebooks, {min(rep)} runs each on {rs.machine_text(run['machine'])}")
    if not found:
        return ("No repeated run is recorded yet, so run-to-run identity is not shown here: recording a "
                "second run on the same machine and versions counts it when every result is the same.")
    return ("Recorded twice or more on the same machine with the same versions, every result was "
            "identical (timings aside): " + "; ".join(found) + ".")


# ----------------------------------------------------------------------------- the README's parts
def course_map(snaps: list[dict], readme: str, gpu: dict[str, tuple[str, str]]) -> str:
    old = {m.group(1): (m.group(2), m.group(3).strip()) for m in MAP_ROW.finditer(readme)}
    smoke, cpu = rs.time_spans(snaps, "smoke"), rs.time_spans(snaps, "cpu")
    lines = ["| notebook | topic | smoke | cpu | gpu (T4, estimated) |", "|---|---|---|---|---|"]
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nn, stem = path.name[:2], path.stem
        title, intro = notebook_intro(path)
        topic, gpu_cell = old.get(nn, (intro, "—"))
        times = [(s[stem].text_time() if stem in s else "—") for s in (smoke, cpu)]
        lines.append(f"| [{title}](notebooks/{path.name}) | {topic} | {times[0]} | {times[1]} | "
                     f"{gpu.get(nn, (gpu_cell,))[0]} |")
    return "\n".join(lines + ["", para(
        "Times are for the whole notebook as `python -m course_utils run` reports them: the range over the "
        "runs recorded in [`results/`](results/) (smoke: " + summary(snaps, "smoke") + "; cpu: "
        + summary(snaps, "cpu") + "), so a range spans backends and machines, and — means no run is recorded yet. "
        "`gpu` is estimated by `tools/estimate_gpu.py` (see [The gpu profile](#the-gpu-profile)). "
        "Other backends: [Results](#results).")])


def results_table(snaps: list[dict], profile: str) -> str:
    spans = rs.result_spans(snaps, profile)
    if not spans:
        return para(f"No {profile}-profile run is recorded yet: `python -m course_utils run --profile {profile} "
                    f"--out build` on each backend, then `python tools/results.py record build` and `write`.")
    lines = [f"| notebook | data | {profile} profile: recorded (threshold) |", "|---|---|---|"]
    for stem in sorted({k[0] for k in spans}):
        keys = [k for k in spans if k[0] == stem and not rs.is_timing(k[1])]
        data = sorted({part for k in keys for part in k[2].split("; ") if part})
        cells = []
        for name in dict.fromkeys(k[1] for k in keys):
            sigs = [k for k in keys if k[1] == name]
            for key in sigs:
                span = spans[key]
                bounds = bounds_text(span.at_least, span.at_most)
                on = f" on {key[2]}" if len(sigs) > 1 else ""
                cells.append(f"{rs.words(stem, name)} **{span.text()}**{on} ({bounds or 'recorded'})")
        lines.append(f"| {stem[:2]} | {'; '.join(data) or '—'} | {'; '.join(cells)} |")
    return "\n".join(lines)


def results_part(snaps: list[dict]) -> str:
    parts = []
    for profile in ("cpu", "gpu"):
        if not any(s["profile"] == profile for s in snaps):
            parts += [results_table(snaps, profile), ""] if profile == "cpu" else []
            continue
        totals = [sum(e["seconds"] for e in run["notebooks"].values()) for s in snaps if s["profile"] == profile
                  for run in s["runs"] if all(e["status"] == "ok" for e in run["notebooks"].values())]
        took = f" A whole recorded run took {rs.time_text(min(totals), max(totals))}." if totals else ""
        parts += [para(f"**{profile} profile**, recorded in `results/*-{profile}.json` ({summary(snaps, profile)}).{took} "
                  "Each number is the range over those runs; every one is checked by `run.expect` in the notebook "
                  "that printed it, against the threshold in brackets, unless it says \"recorded\". Timings of "
                  "the machine (00's matrix-product speeds, seconds per epoch) are left out."), "",
                  results_table(snaps, profile), ""]
    return "\n".join(parts).rstrip()


def backends_part(snaps: list[dict]) -> str:
    backends = [b for b in rs.BACKEND_NAMES if any(s["backend"] == b for s in snaps)]
    out = []
    for profile in ("cpu", "gpu"):
        runs = {b: rs.time_spans(snaps, profile, b) for b in backends}
        if not any(runs.values()):
            continue
        spans = {b: rs.result_spans([s for s in snaps if s["backend"] == b], profile) for b in backends}
        out += [para(f"**{profile} profile**, one column per backend ({summary(snaps, profile)}): seconds and "
                "key results, each the range over that backend's recorded runs; ✓: the notebook passed every "
                "check in every recorded run, with the same thresholds on every backend."), "",
                "| notebook | " + " | ".join(rs.BACKEND_NAMES[b] for b in backends) + " |",
                "|---|" + "---|" * len(backends)]
        failed = {(s["backend"], stem) for s in snaps if s["profile"] == profile for run in s["runs"]
                  for stem, e in run["notebooks"].items() if e["status"] != "ok"}
        for stem in sorted({st for b in backends for st in runs[b]} | {st for _, st in failed}):
            cells = []
            for b in backends:
                span = runs[b].get(stem)
                if (b, stem) in failed:
                    cells.append("✗ failed in a recorded run")
                    continue
                if span is None:
                    cells.append("not recorded")
                    continue
                shown = [f"{short} {spans[b][k].text()}" for name, short in KEY_RESULTS.get(stem[:2], [])
                         for k in spans[b] if k[:2] == (stem, name)]
                cells.append(f"✓ {span.text_time()}" + ("; " + ", ".join(shown) if shown else ""))
            out.append(f"| {stem[:2]} | " + " | ".join(cells) + " |")
        out.append("")
    smoke = [(stem, b, span) for b in backends for stem, span in rs.time_spans(snaps, "smoke", b).items()]
    if smoke:
        worst = max(max(span.values) for _, _, span in smoke)
        longest = next(stem for stem, _, span in smoke if max(span.values) == worst)
        per = ", ".join(f"{max(span.values):.0f} s on {rs.BACKEND_NAMES.get(b, b)}" for st, b, span in smoke
                        if st == longest)
        within = "within" if worst <= SMOKE_BUDGET_S else "over"
        failed = sorted(f"{stem[:2]} on {rs.BACKEND_NAMES.get(s['backend'], s['backend'])}" for s in snaps
                        if s["profile"] == "smoke" for run in s["runs"] for stem, e in run["notebooks"].items()
                        if e["status"] != "ok")
        out += [para(f"In the smoke profile ({summary(snaps, 'smoke')}) every notebook that passed took at most "
                     f"{worst:.0f} s, {within} its {SMOKE_BUDGET_S} s budget: the longest was {longest[:2]}, with "
                     f"{per}." + (f" Failed in a recorded run: {', '.join(failed)}." if failed else "")), ""]
    out += [para("**The same run, the same results, on one machine.** " + identity(snaps) + " On another machine "
            "a learner's digits will differ slightly (floating-point kernels differ from CPU to CPU, and "
            "PyTorch's results depend on its thread count), while every check holds. "
            "`python tools/results.py same BUILD1 BUILD2` compares two runs, timings aside.")]
    return "\n".join(out)


# ----------------------------------------------------------------------------- files
def replace_part(text: str, name: str, body: str) -> str:
    start, end = f"<!-- results:{name} -->", f"<!-- /results:{name} -->"
    if start not in text or end not in text:
        raise SystemExit(f"README.md lacks the markers {start} … {end} around its generated part")
    head, rest = text.split(start, 1)
    return head + start + "\n" + body.strip() + "\n" + end + rest.split(end, 1)[1]


def readme_text(snaps: list[dict], readme: str, gpu: dict) -> str:
    text = replace_part(readme, "course-map", course_map(snaps, readme, gpu))
    text = replace_part(text, "results", results_part(snaps))
    return replace_part(text, "backends", backends_part(snaps))


def header_line(snaps: list[dict], stem: str, old: str, gpu: dict) -> str:
    spans = [(p, rs.time_spans(snaps, p).get(stem)) for p in ("smoke", "cpu")]
    parts = [f"{p} {span.text_time()}" if span else f"{p} not recorded yet" for p, span in spans]
    got = [span for _, span in spans if span]
    where = (f" (measured on {cpus(set().union(*(s.cores for s in got)))}: "
             f"{rs.backend_list(set().union(*(s.backends for s in got)))})") if got else ""
    old_gpu = re.search(r"gpu about .*$", old)
    gpu_part = gpu[stem[:2]][1] if stem[:2] in gpu else (old_gpu.group(0) if old_gpu else "gpu not estimated")
    return f"# **Time:** {' · '.join(parts)}{where} · {gpu_part}"


def expected(snaps: list[dict], gpu: dict) -> dict[Path, str]:
    """Every generated file's text as the snapshots say it should be."""
    files = {README: readme_text(snaps, README.read_text(encoding="utf-8"), gpu)}
    for py in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")):
        text = py.read_text(encoding="utf-8")
        m = TIME_LINE.search(text)
        if m is None:
            raise SystemExit(f"{py.name} has no '# **Time:** …' line in its header")
        files[py] = text[:m.start()] + header_line(snaps, py.stem, m.group(0), gpu) + text[m.end():]
    return files


def rel(path: Path) -> str:
    """A path as the README's repository sees it (``notebooks/03_….py``)."""
    return path.relative_to(README.parent).as_posix()


def diff(files: dict[Path, str]) -> str:
    return "".join("".join(difflib.unified_diff(p.read_text(encoding="utf-8").splitlines(True), new.splitlines(True),
                                                 rel(p), f"{rel(p)} (from results/)"))
                   for p, new in files.items())


def same(first: Path, second: Path) -> list[str]:
    """Every way two build folders' recorded results disagree (timings aside)."""
    a, b = ({rs.stem_of(nb["notebook"]): nb for nb in json.loads((Path(d) / "report.json").read_text())["notebooks"]}
            for d in (first, second))
    out = []
    for stem in sorted(set(a) | set(b)):
        if stem not in a or stem not in b:
            out.append(f"{stem}: only in the {'first' if stem in a else 'second'} run")
            continue
        out += [f"{stem}: {nb['status']} in the {which} run" for which, nb in (("first", a[stem]), ("second", b[stem]))
                if nb["status"] != "ok"]
        out += [f"{stem} {d}" for d in rs.differences(a[stem]["results"], b[stem]["results"])]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record", help="add runs to results/").add_argument("builds", nargs="+")
    sub.add_parser("write", help="rewrite the README's generated parts and the **Time:** lines")
    sub.add_parser("check", help="exit 1 when the README or a header disagrees with results/")
    s = sub.add_parser("same", help="do two runs record the same results? (exit 1 if not)")
    s.add_argument("first")
    s.add_argument("second")
    parser.add_argument("--results", default=str(rs.SNAPSHOTS), help="the snapshots' folder")
    args = parser.parse_args(argv)
    folder = Path(args.results)
    if args.command == "record":
        for build in args.builds:
            for line in rs.record(build, folder):
                print(line)
        print("now run: python tools/results.py write")
        return 0
    if args.command == "same":
        for d in (args.first, args.second):
            if not (Path(d) / "report.json").is_file():
                raise SystemExit(f"{d}/report.json not found: run `python -m course_utils run --out {d}` first")
        found = same(Path(args.first), Path(args.second))
        print("\n".join(found + [f"{'identical' if not found else f'{len(found)} difference(s)'} (timings aside)"]))
        return 1 if found else 0
    files = expected(rs.load_snapshots(folder), gpu_estimates())
    text = diff(files)
    if args.command == "check":
        if text:
            print(text + "\nThe README or a notebook header disagrees with results/: run "
                  "`python tools/results.py write` (after `record` for new runs).")
        return 1 if text else 0
    changed = [p for p, new in files.items() if p.read_text(encoding="utf-8") != new]
    for p in changed:
        p.write_text(files[p], encoding="utf-8")
        print(f"wrote {rel(p)}")
    for py in (p for p in changed if p.suffix == ".py"):
        import nbtool  # the pair's .ipynb is rewritten from the .py, as `nbtool.py sync` does

        nbtool.write_pair(nbtool.read_pair_side(py), py.with_suffix(".ipynb"))
        print(f"synced {py.with_suffix('.ipynb').name} from {py.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
