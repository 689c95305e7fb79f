"""Compare cpu runs across backends, and check that two runs on one backend agree.

The README's table "notebook × backend" is made from the ``report.json`` files
that ``python -m course_utils run --profile cpu --out DIR`` writes, one run per
backend::

    python tools/backend_table.py table tensorflow=build-tf jax=build-jax torch=build-torch

prints a Markdown table: per notebook and backend, the runner's seconds and the
notebook's key results (``KEY_RESULTS``), with ✓ when every check passed.
``torch=build-torch+build-torch-05`` takes the notebooks of a later run that
reran some of them (``run ... 05``) in place of the first run's.

Determinism: two runs on the same backend must record the same results
(timings aside)::

    python tools/backend_table.py same build-jax-1 build-jax-2

prints every recorded result that differs and exits 1 if any does (or if a
notebook is missing from one run, or failed in either). Results that are
timings (``TIMINGS``: 00's matrix-multiply speeds) are not compared.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

#: The results the README's table shows per notebook (name in report.json → short label).
KEY_RESULTS: dict[str, list[tuple[str, str]]] = {
    "00": [("supervised_test_accuracy", "digits acc.")],
    "01": [("keras_logistic_test_accuracy", "test acc.")],
    "02": [("mnist_test_accuracy", "MNIST acc.")],
    "03": [("cnn_test_accuracy", "CNN"), ("dense_test_accuracy", "dense")],
    "04": [("transfer_gain_over_scratch", "transfer gain")],
    "05": [("adding_lstm_longest_lag_vs_baseline", "LSTM adding"), ("co2_lstm_rmse_vs_ets", "CO₂ LSTM/ETS"),
           ("text_val_loss_vs_bigram", "text/bigram")],
    "06": [("recognisability", "recognisability"), ("cgan_agreement", "cGAN")],
    "07": [("attention_exact_match", "exact match")],
}


#: Recorded results that are timings (they measure the machine, not the model): not compared by `same`.
TIMINGS = {"cpu_matmul_gflops", "keras_matmul_speedup_over_numpy"}


def load(build: Path | str) -> dict[str, dict]:
    """The notebooks of one run's report.json, keyed by their two-digit number."""
    path = Path(build) / "report.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `python -m course_utils run --out {build}` first")
    report = json.loads(path.read_text())
    return {nb["notebook"][:2]: nb for nb in report["notebooks"]}


def results(nb: dict) -> dict[str, float]:
    return {r["name"]: r["value"] for r in nb.get("results", [])}


def differences(a: dict[str, dict], b: dict[str, dict]) -> list[str]:
    """Every way two runs' recorded results disagree (seconds are not compared)."""
    out = []
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            out.append(f"{key}: only in {'the first' if key in a else 'the second'} run")
            continue
        for run_name, nb in (("first", a[key]), ("second", b[key])):
            if nb["status"] != "ok":
                out.append(f"{key}: {nb['status']} in the {run_name} run")
        ra, rb = results(a[key]), results(b[key])
        for name in sorted((set(ra) | set(rb)) - TIMINGS):
            va, vb = ra.get(name), rb.get(name)
            same = (va is not None and vb is not None
                    and (va == vb or (isinstance(va, float) and isinstance(vb, float)
                                      and math.isnan(va) and math.isnan(vb))))
            if not same:
                out.append(f"{key} {name}: {va!r} vs {vb!r}")
    return out


def _fmt(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 100 else f"{value:.0f}"


def table(runs: dict[str, dict[str, dict]]) -> str:
    """Markdown: one row per notebook, one column per backend (seconds · key results)."""
    backends = list(runs)
    lines = ["| notebook | " + " | ".join(backends) + " |", "|---|" + "---|" * len(backends)]
    for key in sorted({k for r in runs.values() for k in r}):
        cells = []
        for backend in backends:
            nb = runs[backend].get(key)
            if nb is None:
                cells.append("not run")
                continue
            passed = all(r["passed"] is not False for r in nb.get("results", []))
            mark = "✓" if nb["status"] == "ok" and passed else "✗ " + nb["status"]
            values = results(nb)
            shown = [f"{label} {_fmt(values[name])}" for name, label in KEY_RESULTS.get(key, [])
                     if name in values]
            cells.append(f"{mark} {nb['seconds']:.0f} s" + ("; " + ", ".join(shown) if shown else ""))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("table", help="Markdown table of cpu runs, BACKEND=BUILD_DIR each")
    t.add_argument("runs", nargs="+", metavar="BACKEND=DIR[+DIR...]")
    s = sub.add_parser("same", help="do two runs record the same results? (exit 1 if not)")
    s.add_argument("first")
    s.add_argument("second")
    args = parser.parse_args(argv)
    if args.command == "table":
        runs = {}
        for item in args.runs:
            backend, sep, build = item.partition("=")
            if not sep or not backend or not build:
                parser.error(f"expected BACKEND=DIR, got {item!r}")
            runs[backend] = {}
            for part in build.split("+"):  # DIR+DIR2: a later run replaces the notebooks it reran
                runs[backend].update(load(part))
        print(table(runs))
        return 0
    first = load(args.first)
    diff = differences(first, load(args.second))
    for line in diff:
        print(line)
    n = sum(len(set(results(nb)) - TIMINGS) for nb in first.values())
    print(f"{'identical' if not diff else f'{len(diff)} difference(s)'}: {n} recorded results compared "
          f"(timings aside: {', '.join(sorted(TIMINGS))})")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
