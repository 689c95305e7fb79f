"""Estimate each notebook's gpu-profile time on a free Colab T4 and its peak host RAM.

    python tools/estimate_gpu.py --measure  # run the notebooks, log their models (about 10 min)
    python tools/estimate_gpu.py            # a markdown table, notebook × call; --json for JSON

No GPU is needed: the work is counted on the notebooks' own models, not run. What one example
costs comes from ``results/gpu-worklog.jsonl``: ``--measure`` runs every notebook on JAX in the
gpu profile at smoke scale (its models, precision, batch sizes and ``steps_per_execution``, on
smoke-sized data; 04 through its VGG16 branch, as ``tests/test_online_paths.py`` does) with
``COURSE_WORKLOG`` set, and ``course_utils.worklog`` logs every ``fit``, ``predict`` and
``evaluate`` with XLA's cost analysis of the model's forward pass. How many examples and epochs
the gpu profile gives each call is ``WORK`` below, in the notebook's own gpu budgets; a logged
call that ``WORK`` does not name is an error, so no model is left out silently.

Assumptions (the constants below): a T4 peaks at 8.1 TFLOP/s float32, 65 float16, of which Keras
reaches 30–40 % (float32), 15–20 % (mixed precision), 10–20 % of float32 in recurrent layers; a
training step is 3 × the forward FLOPs; 2.5–4 ms a step (1.5–2.5 a predict batch) of Python on
Colab's 2 vCPUs, ÷ ``steps_per_execution``; compiling 10–20 s a fit, 3–8 s a model's first predict
or evaluate; 20–40 s a notebook, plus ``EXTRA``. Host RAM: 2.5 GB plus ``ARRAYS_GB``, budget 8 GB
(Colab has ~12.7). The budget check uses the high (pessimistic) end.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS, WORKLOG = ROOT / "notebooks", ROOT / "results" / "gpu-worklog.jsonl"

PEAK = {"float32": 8.1e12, "mixed": 65e12, "recurrent": 8.1e12}
EFF = {"float32": (0.40, 0.30), "mixed": (0.20, 0.15), "recurrent": (0.20, 0.10)}
STEP_S = {"fit": (2.5e-3, 4e-3), "predict": (1.5e-3, 2.5e-3), "evaluate": (1.5e-3, 2.5e-3)}
COMPILE_S = {"fit": (10.0, 20.0), "predict": (3.0, 8.0), "evaluate": (3.0, 8.0)}
FIXED_S, BASE_RAM_GB, BUDGET_MIN, BUDGET_RAM_GB = (20.0, 40.0), 2.5, 10.0, 8.0
CIFAR_TRAIN, TWEET_CHARS = 50_000, 2_100_000  # CIFAR-10's training images; characters in 05's tweets

#: notebook → {(model, call): (examples, epochs[, factor])} in the gpu profile, each an expression
#: over the notebook's budgets (see Budgets) and ``logged``, the examples the logged call saw.
#: ``factor`` multiplies the FLOPs: a model a budget sizes (``ratio``), a GAN's extra passes. The
#: model ``*`` stands for every other model's predict or evaluate (small next to training).
WORK: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "00": {},  # no Keras model: the matrix products of "Why GPUs?" are in EXTRA
    "01": {("sequential", "fit"): ("logged", "EPOCHS"), ("*", "evaluate"): ("logged", "1")},
    "02": {("xor_mlp", "fit"): ("logged", "epochs__xor_history"),
           ("digits_mlp", "fit"): ("0.9 * N_TRAIN", "epochs__history"),
           ("opt", "fit"): ("2 * n_opt", "epochs__opt_histories"),  # 4 optimizers, 2 at smoke scale
           ("big", "fit"): ("n_small", "EPOCHS_BIG"),
           ("*", "evaluate"): ("n_val", "1"), ("*", "predict"): ("10_000", "1")},
    "03": {("dense_baseline", "fit"): ("0.9 * CIFAR_TRAIN", "EPOCHS"),
           ("cnn", "fit"): ("0.9 * CIFAR_TRAIN", "EPOCHS", "ratio('WIDTH') ** 2"),
           **{(m, "fit"): ("DEEP_IMAGES", "DEEP_EPOCHS", "ratio('DEEP_BLOCKS') * ratio('DEEP_WIDTH') ** 2")
              for m in ("no_norm_plain", "no_norm_residual", "batchnorm_plain", "batchnorm_residual")},
           ("*", "evaluate"): ("10_000", "1"), ("*", "predict"): ("logged * ratio('N_SCENES')", "1")},
    "04": {("vgg16_new_head", "fit"): ("N_TRAIN", "EPOCHS", "1 / 3"),  # the frozen base: forward only
           ("sequential", "predict"): ("(N_TRAIN + N_TEST) / 2", "1"),    # features at 32 px, 4 calls
           ("sequential_5", "predict"): ("(N_TRAIN + N_TEST) / 2", "1"),  # features at SIZE px, 2 calls
           ("sequential_1", "fit"): ("N_TRAIN", "EPOCHS"),  # heads on cached features:
           **{(f"sequential_{i}", "fit"): ("N_TRAIN", "HEAD_EPOCHS") for i in (3, 4, 6, 7)},
           ("from_scratch", "fit"): ("N_TRAIN", "SCRATCH_EPOCHS"),
           # augmentation on the frozen base (≈ 1/3), then fine-tuning block 5 too (≈ 0.45)
           ("transfer", "fit"): ("N_TRAIN", "(AUG_EPOCHS + FT_EPOCHS) / 2", "0.4"),
           ("efficientnet_lite0", "predict"): ("logged", "1"),
           ("*", "predict"): ("N_TEST", "1"), ("*", "evaluate"): ("N_TEST", "1")},
    "05": {**{(kind, "fit"): ("n_train", "ADD_EPOCHS", "ratio('sequence_length')")
              for kind in ("SimpleRNN", "LSTM", "GRU")},
           ("sequential", "fit"): ("logged", "__co2_pred"),      # the CO₂ forecaster
           ("sequential_1", "fit"): ("logged", "__dax_pred"),    # the DAX forecaster
           ("char_lstm", "fit"): ("0.9 * TWEET_CHARS / CHUNK_LENGTH", "TEXT_EPOCHS"),
           ("*", "evaluate"): ("logged", "1"), ("*", "predict"): ("logged", "1", "ratio('sequence_length')")},
    "06": {("judge", "fit"): ("JUDGE_STEPS * BATCH_SIZE", "1"),
           # a GAN step: D on a real and a generated batch, then G through D: ≈ 2.5 × (G + D)
           ("gan", "fit"): ("GAN_STEPS * BATCH_SIZE", "1", "2.5"),
           ("gan_1", "fit"): ("CGAN_STEPS * BATCH_SIZE", "1", "2.5"),   # the conditional GAN
           ("gan_2", "fit"): ("UNFAIR_STEPS * BATCH_SIZE", "1", "2.5"),  # the unfair game
           ("*", "predict"): ("logged", "1")},
    "07": {**{(m, "fit"): ("N_TRAIN", "EPOCHS") for m in ("captioner_decoder", "captioner_decoder_attention")},
           ("*", "evaluate"): ("N_TEST", "1"), ("*", "predict"): ("N_TEST", "1")},
    "08": {**{(m, "fit"): ("0.9 * TWEET_CHARS / CHUNK_LENGTH", "EPOCHS")
              for m in ("char_lstm", "transformer", "transformer_no_positions")},
           ("*", "evaluate"): ("0.1 * TWEET_CHARS / CHUNK_LENGTH", "1")},
}
#: Work that is not a Keras call, seconds (low, high) on Colab.
EXTRA: dict[str, dict[str, tuple[float, float]]] = {
    # NumPy's ~630 GFLOP of products (SIZES up to 4096) at 35–60 GFLOP/s on Colab's CPU, then the GPU's
    "00": {"matrix products timed with NumPy on the CPU and keras.ops on the GPU": (13.0, 23.0)},
    "04": {"building the 7 applications of the table": (20.0, 40.0)},
    "05": {"ETS and seasonal ARIMA (statsmodels, CPU)": (15.0, 40.0),
           "sampling 3 × 240 characters, one step at a time": (2.0, 4.0)},
    "08": {"sampling 2 × 300 characters, one step at a time": (1.5, 3.0)},
}
#: Host arrays alive at the notebook's peak, GB (expressions over the budgets).
ARRAYS_GB: dict[str, dict[str, str]] = {
    "00": {"the largest matrices (3 float32)": "3 * SIZES[-1] ** 2 * 4 / 1e9"},
    "02": {"MNIST float32 × 2 copies": "2 * 70_000 * 784 * 4 / 1e9"},
    "03": {"CIFAR-10 float32 + its uint8 copy": "60_000 * 32 * 32 * 3 * 5 / 1e9"},
    "04": {"CIFAR-10 float32, its preprocess_input copy and a transient one while scaling":
           "(2 * 60_000 + N_TRAIN) * 32 * 32 * 3 * 4 / 1e9", "features at SIZE px, float16": "60_000 * (SIZE // 32) ** 2 * 512 * 2 / 1e9"},
    "05": {"adding problem inputs": "3 * n_train * ADD_LENGTH * 2 * 4 / 1e9",
           "tweet chunks (int ids + targets)": "2 * TWEET_CHARS * 8 / 1e9"},
    "06": {"MNIST float32 + a scaled copy": "2 * 70_000 * 28 * 28 * 4 / 1e9"},
    "07": {"scenes (float32 images)": "(N_TRAIN + N_TEST) * 48 * 48 * 3 * 4 / 1e9"},
    "08": {"tweet chunks (int ids + targets)": "2 * TWEET_CHARS * 8 / 1e9"},
}


class Budgets(dict):
    """One notebook's budgets, read from its ``.py`` when looked up: ``NAME`` is the ``gpu=`` value
    given to NAME (or NAME's constant), ``epochs__history`` the ``epochs=`` keyword inside the
    ``history = ...`` assignment (``__co2_pred``: the budget inside it), and ``ratio("NAME")`` the
    gpu value over the smoke value, for a model a budget sizes (the worklog saw it at smoke size)."""

    def __init__(self, number: str):
        super().__init__(ratio=lambda key: self.value(key, "gpu") / self.value(key, "smoke"),
                         CIFAR_TRAIN=CIFAR_TRAIN, TWEET_CHARS=TWEET_CHARS)
        self.path = next(iter(sorted(NOTEBOOKS.glob(f"{number}_*.py"))), NOTEBOOKS / f"{number}_?.py")
        self.tree = ast.parse(self.path.read_text())

    def __missing__(self, key: str):
        self[key] = self.value(key, "gpu")
        return self[key]

    def _eval(self, node: ast.expr, profile: str):
        names = {n.id: self.value(n.id, profile) for n in ast.walk(node) if isinstance(n, ast.Name)}
        return eval(compile(ast.Expression(node), self.path.name, "eval"), {"__builtins__": {}}, names)

    def value(self, key: str, profile: str):
        name, _, within = key.partition("__")
        for node in (n for n in ast.walk(self.tree) if isinstance(n, ast.Assign)):  # the first one
            targets = [n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            if (within or name) not in targets:
                continue
            value = node.value
            if not within and isinstance(node.targets[0], ast.Tuple) and isinstance(value, ast.Tuple):
                value = value.elts[targets.index(name)]
            for part in ast.walk(value):
                call = (part.value if isinstance(part, ast.keyword) and part.arg == name else None) \
                    if within and name else part
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") in ("pick", "budget"):
                    return self._eval(next(k.value for k in call.keywords if k.arg == profile), profile)
            if not within:
                return self._eval(value, profile)  # a constant, e.g. CHUNK_LENGTH = 80
        raise LookupError(f"{self.path.name}: no budget `{name}`" + (f" inside `{within} = ...`" if within
                          else "") + "; update WORK in tools/estimate_gpu.py")


def load_worklog(path: Path = WORKLOG) -> list[dict]:
    """The logged calls; run ``--measure`` first when there are none."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def seconds(entry: dict, examples: float, epochs: float, factor: float = 1.0, compiles: int = 1):
    """(low, high) T4 seconds of one logged call at the gpu scale, its FLOPs × ``factor``."""
    kind = "recurrent" if entry["recurrent"] else "mixed" if "float16" in entry["dtype_policy"] else "float32"
    flops = (entry["flops_per_example"] or 0.0) * factor * examples * epochs * (3 if entry["call"] == "fit" else 1)
    steps = math.ceil(examples / entry["batch_size"]) * epochs / max(1, entry["steps_per_execution"])
    return tuple(flops / (PEAK[kind] * EFF[kind][i]) + steps * STEP_S[entry["call"]][i]
                 + compiles * COMPILE_S[entry["call"]][i] for i in (0, 1))


def estimate(numbers: list[str] | None = None, log: list[dict] | None = None) -> list[dict]:
    """One row per notebook: its calls (repeats summed), minutes (low, high), peak RAM, verdict."""
    log = load_worklog() if log is None else log
    rows = []
    for number in (n for n in sorted(WORK) if not numbers or n in numbers):
        budgets, work, calls = Budgets(number), WORK[number], {}
        entries = [e for e in log if e["notebook"][:2] == number]
        seen = {(e["model"], e["call"]) for e in entries}
        if unknown := sorted(k for k in seen if k not in work and (k[1] == "fit" or ("*", k[1]) not in work)):
            raise LookupError(f"notebook {number} calls {unknown}, not in WORK (tools/estimate_gpu.py): "
                              "add their gpu examples and epochs")
        if missing := [k for k in work if k[0] != "*" and k not in seen]:
            raise LookupError(f"notebook {number}: WORK lists {missing}, which the worklog has not "
                              "seen: rerun `python tools/estimate_gpu.py --measure`")
        for e in entries:  # every fit compiles; a predict or evaluate once a model
            key, budgets["logged"] = f"{e['model']}.{e['call']}", e["examples"] or 0
            spec = (*work.get((e["model"], e["call"]), work.get(("*", e["call"]))), "1")[:3]
            examples, epochs, factor = (float(eval(x, {"__builtins__": {}}, budgets)) for x in spec)
            s = seconds(e, examples, epochs, factor, int(e["call"] == "fit" or key not in calls))
            c = calls.setdefault(key, {"name": key, "calls": 0, "examples": round(examples),
                                       "epochs": round(epochs), "precision": e["dtype_policy"],
                                       "gflop_per_example": round((e["flops_per_example"] or 0) * factor / 1e9, 4),
                                       "seconds": [0.0, 0.0]})
            c["calls"], c["seconds"] = c["calls"] + 1, [c["seconds"][i] + s[i] for i in (0, 1)]
        for name, s in EXTRA.get(number, {}).items():
            calls[name] = {"name": name, "calls": 1, "examples": 0, "epochs": 0, "precision": "-",
                           "gflop_per_example": 0, "seconds": list(s)}
        arrays = {k: round(eval(x, {"__builtins__": {}}, budgets), 2) for k, x in ARRAYS_GB.get(number, {}).items()}
        lo, hi = (FIXED_S[i] + sum(c["seconds"][i] for c in calls.values()) for i in (0, 1))
        ram = BASE_RAM_GB + sum(arrays.values())
        for c in calls.values():
            c["minutes"] = [round(x / 60, 2) for x in c.pop("seconds")]
        rows.append({"notebook": number, "calls": list(calls.values()), "minutes": [round(lo / 60, 1), round(hi / 60, 1)],
                     "peak_ram_gb": round(ram, 1), "arrays_gb": arrays,
                     "within_budget": hi / 60 <= BUDGET_MIN and ram <= BUDGET_RAM_GB})
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| notebook | model.call × calls | GFLOP/example | examples × epochs | precision | T4 minutes |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        out += [f"| {r['notebook']} | {c['name']} × {c['calls']} | {c['gflop_per_example']:g} | "
                f"{c['examples']:,} × {c['epochs']} | {c['precision']} | "
                f"{c['minutes'][0]:.2f}–{c['minutes'][1]:.2f} |" for c in r["calls"]]
        out.append(f"| **{r['notebook']}** | **whole notebook** (fixed costs included) | | | | "
                   f"**{r['minutes'][0]:.1f}–{r['minutes'][1]:.1f}**, peak RAM {r['peak_ram_gb']:.1f} GB "
                   + ("✓" if r["within_budget"] else "✗ over budget") + " |")
    return "\n".join(out)


def measure(out: Path = WORKLOG) -> None:
    """Run every notebook on JAX in the gpu profile at smoke scale and log its calls to ``out``."""
    venv = ROOT / ".venv-jax" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    python, tmp = str(venv) if venv.is_file() else sys.executable, Path(tempfile.mkdtemp())
    env = dict(os.environ, KERAS_BACKEND="jax", COURSE_SCALE="smoke", COURSE_WORKLOG=str(tmp / "log"))
    others = sorted(p.name[:2] for p in NOTEBOOKS.glob("[0-9][0-9]_*.py") if p.name[:2] != "04")
    subprocess.run([python, "-m", "course_utils", "run", *others, "--profile", "gpu", "--out",
                    str(tmp / "build"), "--no-site", "--quiet"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                    "tests/test_online_paths.py::test_notebook_04_runs_its_vgg16_branch_end_to_end"],
                   cwd=ROOT, env=dict(env, COURSE_SLOW_TESTS="1"), check=True)
    lines = sorted((tmp / "log").read_text().splitlines(), key=lambda x: json.loads(x)["notebook"][:2])
    out.write_text("".join(line + "\n" for line in lines))  # each notebook's calls in their order
    print(f"wrote {out.relative_to(ROOT)}: {len(lines)} calls (the runs' output is in {tmp})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Estimate the gpu profile on a Colab T4.")
    ap.add_argument("notebooks", nargs="*", help="numbers, e.g. 03 04 (default: all)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--measure", action="store_true", help=f"rewrite {WORKLOG.name} first")
    args = ap.parse_args(argv)
    if args.measure:
        measure()
    rows = estimate(args.notebooks)
    print(json.dumps(rows, indent=1) if args.json else markdown(rows))
    return 0 if all(r["within_budget"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
