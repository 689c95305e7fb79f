"""The site's pages as MyST Markdown: the first page, each notebook's run box, the run report.

:mod:`course_utils.site` writes these into the Sphinx sources. Every number on them comes from the
run's ``report.json`` or the recorded runs in ``results/`` (:mod:`course_utils.results`); every
result is named in words (``course_utils/labels.json``), with its threshold and what that
threshold was calibrated on.

Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

from typing import Any

from . import results as rs
from .report import bounds_text

#: The results the README's backend table shows, in short words, by notebook number (the site
#: shows the same results first, with their full labels).
KEY_RESULTS: dict[str, list[tuple[str, str]]] = {
    "00": [("supervised_test_accuracy", "digits accuracy")],
    "01": [("keras_logistic_test_accuracy", "test accuracy")],
    "02": [("mnist_test_accuracy", "MNIST accuracy")],
    "03": [("cnn_test_accuracy", "CNN accuracy"), ("dense_test_accuracy", "dense accuracy")],
    "04": [("transfer_gain_over_scratch", "transfer gain")],
    "05": [("adding_lstm_longest_lag_vs_baseline", "LSTM adding error"), ("co2_lstm_rmse_vs_ets", "CO₂ LSTM/ETS"),
           ("text_val_loss_vs_bigram", "text loss/bigram")],
    "06": [("recognisability", "recognisability"), ("cgan_agreement", "cGAN agreement")],
    "07": [("attention_exact_match", "exact match")],
    "08": [("transformer_val_loss_vs_bigram", "loss/bigram")],
}
DIGITS_NOTE = ("Your digits will differ slightly from these on another machine: floating-point kernels "
               "differ from CPU to CPU (and between backends), while the checks hold on every one. "
               "Whether two runs on one machine agree exactly is for `python tools/results.py same` to say: "
               "multi-threaded kernels can change the last digits from run to run, and long training "
               "(a GAN most of all) can grow such differences.")


def md(text: Any) -> str:
    """Text made safe for a Markdown table cell (no pipes, no line breaks, no math)."""
    return str(text).replace("|", "\\|").replace("$", "\\$").replace("\n", " ").strip()


def _backend(name: str) -> str:
    return rs.BACKEND_NAMES.get(name, name or "Keras's default backend")


def status_text(nb: dict[str, Any]) -> str:
    """``✓ passed in 33 s`` or ``✗ failed after 12 s``."""
    t = rs.time_text(nb["seconds"], nb["seconds"])
    return f"✓ passed in {t}" if nb["status"] == "ok" else f"✗ {nb['status']} after {t}"


def check_text(r: dict[str, Any]) -> str:
    """``✓ ≥ 0.8``, ``✗ ≤ 0.3``, ``recorded`` or ``not judged (…)``: a result's check in words."""
    bounds = bounds_text(r.get("at_least"), r.get("at_most"))
    if r.get("passed") is None:
        return f"not judged ({r['note']}); asks {bounds}" if bounds else "recorded (no threshold)"
    return f"{'✓' if r['passed'] else '✗'} {bounds}"


def failure_text(nb: dict[str, Any]) -> str:
    e = nb.get("error") or {}
    where = f"cell {e['cell']}" if "cell" in e else "the kernel"
    return f"stopped at {where}: {e.get('ename', 'Error')}: {e.get('evalue', '')}".strip()


def sources_text(nb: dict[str, Any]) -> list[str]:
    return [f"{s['what']} ({s.get('kind') or ('stand-in' if s.get('standin') else 'real')}): {s['source']}"
            for s in nb.get("sources", [])]


def key_results(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """The notebook's key results (``KEY_RESULTS``), else its first three checked ones."""
    by_name = {r["name"]: r for r in nb.get("results", [])}
    keys = [by_name[n] for n, _ in KEY_RESULTS.get(nb["notebook"][:2], []) if n in by_name]
    return keys or [r for r in nb.get("results", []) if r.get("passed") is not None][:3]


def verified_lines(stem: str, snaps: list[dict]) -> list[str]:
    """``TensorFlow, cpu profile: 2026-12-02 · Keras 3.12.0, … · 2-core AMD EPYC, Linux x86_64``."""
    lines = []
    for row in rs.last_verified(snaps, stem):
        head = f"{_backend(row['backend'])}, {row['profile']} profile"
        if row["date"]:
            line = f"{head}: {row['date']} · {row['versions']} · {row['machine']}"
        else:
            line = f"{head}: never passed in a recorded run"
        if row["failed_since"]:
            line += f" (failed on {row['failed_since']})"
        lines.append(line)
    return lines or ["no recorded run yet (`python tools/results.py record BUILD` adds one)"]


def notebook_box(nb: dict[str, Any], snaps: list[dict]) -> str:
    """The box at the top of a notebook's page: this run, its key results, its data, last verified."""
    stem = rs.stem_of(nb["notebook"])
    head = f"This run: {status_text(nb)} · {nb.get('profile') or '?'} profile · {_backend(nb.get('backend', ''))}"
    lines = [f":::{{admonition}} {head}", f":class: {'tip' if nb['status'] == 'ok' else 'error'}", ""]
    if nb["status"] != "ok":
        lines += [f"**The notebook {md(failure_text(nb))}**", ""]
    for r in key_results(nb):
        lines.append(f"- {md(rs.words(stem, r['name']))}: **{rs.fmt(r['value'])}** ({md(check_text(r))})")
    checked = [r for r in nb.get("results", []) if r.get("passed") is not None]
    passed = sum(bool(r["passed"]) for r in checked)
    lines += ["", f"{passed} of {len(checked)} checks passed, {len(nb.get('results', [])) - len(checked)} "
              f"more values recorded: all of them, with their thresholds and what each was calibrated on, "
              f"are in the {{ref}}`run report <report-{stem}>`."]
    data = sources_text(nb)
    if data:
        lines += ["", "**Data:** " + "; ".join(md(d) for d in data)]
    lines += ["", "**Last verified** (recorded runs):", ""]
    lines += [f"- {md(v)}" for v in verified_lines(stem, snaps)]
    return "\n".join(lines + [":::"])


def index_page(report: dict[str, Any], shown: list[str]) -> str:
    """The first page: what the site is, this run, the course map, and the navigation."""
    nbs = report.get("notebooks", [])
    m = report.get("machine", {})
    ok = sum(nb["status"] == "ok" for nb in nbs)
    lines = [
        "# Deep learning with Keras", "",
        "An open course from the perceptron to multilayer networks, convolutional networks, transfer "
        "learning, LSTMs, GANs, captioning with attention and transformers, in Jupyter notebooks that run "
        "on a laptop CPU, on a GPU, in Google Colab and offline, on TensorFlow, JAX or PyTorch.", "",
        f"This site is the course **as executed** by `python -m course_utils run` on {report.get('created', '?')}: "
        "every notebook with its outputs and figures, in course order, and the {ref}`run report <report>` "
        "(every checked result, its threshold and what that threshold was calibrated on).", "",
        f"**This run:** {ok} of {len(nbs)} notebook(s) passed · profile {report.get('profile_requested', 'auto')} "
        f"· {_backend(nbs[0].get('backend', '') if nbs else report.get('backend_requested', ''))} · "
        f"{md(rs.machine_text(m))} · {md(rs.versions_text(m))}.", "",
        "| notebook | what it is about | this run |", "|---|---|---|",
    ]
    for nb in nbs:
        stem = rs.stem_of(nb["notebook"])
        title = nb.get("title") or stem
        link = f"{{doc}}`{md(title)} <notebooks/{stem}>`" if stem in shown else md(title)
        lines.append(f"| {link} | {md(nb.get('topic', ''))} | {md(status_text(nb))} |")
    for nb in report.get("not_run", []):
        lines.append(f"| {md(nb.get('title') or nb['notebook'])} | {md(nb.get('topic', ''))} | not run in this build |")
    lines += ["", DIGITS_NOTE, "",
              "```{toctree}", ":hidden:", ":caption: Notebooks", ""]
    lines += [f"notebooks/{stem}" for stem in shown]
    lines += ["```", "", "```{toctree}", ":hidden:", ":caption: This run", "", "report", "```", ""]
    return "\n".join(lines)


def report_page(report: dict[str, Any], snaps: list[dict], shown: list[str]) -> str:
    """The run report: a summary, then per notebook every result with its check and calibration."""
    nbs = report.get("notebooks", [])
    m = report.get("machine", {})
    spans = {p: rs.result_spans(snaps, p) for p in {nb.get("profile") for nb in nbs if nb.get("profile")}}
    lines = ["(report)=", "# Run report", "",
             f"Run on {report.get('created', '?')} by `python -m course_utils run`, profile "
             f"{report.get('profile_requested', 'auto')}, on {md(rs.machine_text(m))} "
             f"({md(rs.versions_text(m))}).", "",
             "Each result is checked against its threshold as the notebook runs. *Calibrated on* says "
             "where the threshold was measured: the profile, the data (real, a real subset, a stand-in, or "
             "generated) and the range the recorded runs in `results/` gave on every backend and machine. "
             + DIGITS_NOTE, "",
             "| notebook | status | profile · backend | checks passed |", "|---|---|---|---|"]
    for nb in nbs:
        checked = [r for r in nb.get("results", []) if r.get("passed") is not None]
        lines.append(f"| {{ref}}`{md(nb.get('title') or nb['notebook'])} <report-{rs.stem_of(nb['notebook'])}>` "
                     f"| {md(status_text(nb))} | {nb.get('profile') or '?'} · {_backend(nb.get('backend', ''))} "
                     f"| {sum(bool(r['passed']) for r in checked)} of {len(checked)} |")
    for nb in nbs:
        lines += _report_section(nb, snaps, spans.get(nb.get("profile"), {}), shown)
    if report.get("not_run"):
        lines += ["", "## Not run in this build", ""]
        lines += [f"- {md(nb.get('title') or nb['notebook'])}" for nb in report["not_run"]]
    return "\n".join(lines) + "\n"


def _report_section(nb: dict[str, Any], snaps: list[dict], spans: dict, shown: list[str]) -> list[str]:
    stem, profile = rs.stem_of(nb["notebook"]), nb.get("profile") or "?"
    page = f" · {{doc}}`the executed notebook <notebooks/{stem}>`" if stem in shown else ""
    lines = ["", f"(report-{stem})=", f"## {md(nb.get('title') or stem)}", "",
             f"{status_text(nb)} · {profile} profile · {_backend(nb.get('backend', ''))}{page}", ""]
    if nb["status"] != "ok":
        lines += ["```text", failure_text(nb), "```", ""]
    if nb.get("standin_reason"):
        lines += [f"**Stand-in:** {md(nb['standin_reason'])}", ""]
    lines += [f"- {md(s)}" for s in sources_text(nb)] + [""]
    used = [spans.get((stem, r["name"], r.get("data", ""))) for r in nb.get("results", [])]
    runs = {span.where() for span in used if span}
    once = len(runs) == 1  # the same recorded runs behind every row: say which once, under the table
    if nb.get("results"):
        lines += ["| result | this run | check | calibrated on |", "|---|---|---|---|"]
    for r, span in zip(nb.get("results", []), used, strict=True):
        if r.get("passed") is None and r.get("at_least") is None and r.get("at_most") is None:
            cal = (f"recorded {span.text()}" + ("" if once else f" in {span.where()}") if span
                   else "a recorded value, not yet in a recorded run of this path")
        else:
            cal = rs.calibration(snaps, profile, stem, r["name"], r.get("data", ""), spans, where=not once)
        lines.append(f"| {md(rs.words(stem, r['name']))} | {rs.fmt(r['value'])} | {md(check_text(r))} | "
                     f"{md(cal.removeprefix('calibrated on: '))} |")
    if once:
        lines += ["", f"Recorded runs behind the last column: {md(runs.pop())}."]
    lines += ["", "**Last verified:**", ""] + [f"- {md(v)}" for v in verified_lines(stem, snaps)]
    return lines
