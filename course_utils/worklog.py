"""What the notebooks' own models cost: a log of every ``fit``, ``predict`` and ``evaluate``.

For ``tools/estimate_gpu.py`` only; learners never see it. With ``COURSE_WORKLOG=FILE`` set,
:func:`course_utils.setup` calls :func:`start`, which wraps ``keras.Model.fit``, ``predict`` and
``evaluate``: every call appends the model's name, its parameters, its forward FLOPs for one
example, the examples it processed, the epochs, the batch size, ``steps_per_execution`` and its
dtype policy to FILE (JSON lines). The FLOPs come from XLA's own cost analysis of the model's
compiled forward pass (the JAX backend; elsewhere they are left out), so custom layers count
as much as built-in ones and nothing is rebuilt from a recipe.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

WORKLOG_ENV = "COURSE_WORKLOG"
_FLOPS: dict[tuple[int, tuple[int, ...]], float | None] = {}


def forward_flops(model: Any, example: Any) -> float | None:
    """FLOPs of ``model`` on one example shaped like ``example`` (XLA's cost analysis; JAX only)."""
    import keras

    if keras.config.backend() != "jax":
        return None
    import jax
    import numpy as np

    x = np.asarray(example)[:1]
    key = (id(model), tuple(x.shape))
    if key not in _FLOPS:
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]

        def forward(t, n, inputs):
            return model.stateless_call(t, n, inputs, training=False)[0]

        try:
            cost = jax.jit(forward).lower(trainable, non_trainable, x).compile().cost_analysis()
            cost = cost[0] if isinstance(cost, list) else cost
            _FLOPS[key] = float(cost.get("flops", 0.0)) or None
        except Exception:  # a model that cannot be traced alone (e.g. a custom train_step's parts)
            _FLOPS[key] = None
    return _FLOPS[key]


def _examples(data: Any) -> tuple[int | None, Any]:
    """(number of examples, one example) of the inputs given to fit/predict/evaluate."""
    first = data[0] if isinstance(data, (tuple, list)) and data else data
    if hasattr(first, "shape") and len(getattr(first, "shape", ())) > 0:
        return int(first.shape[0]), first
    if hasattr(data, "__len__") and hasattr(data, "__getitem__"):  # a PyDataset of batches
        try:
            batch = data[0]
            x = batch[0] if isinstance(batch, tuple) else batch
            return len(data) * int(x.shape[0]), x
        except Exception:
            return None, None
    return None, None


def _wrap(method_name: str, notebook: str) -> None:
    import keras

    original = getattr(keras.Model, method_name)
    if getattr(original, "__worklog__", False):
        return

    def logged(self, *args, **kwargs):
        target = os.environ.get(WORKLOG_ENV, "")
        if not target:  # logging ended (a test, a later run in the same process): as before
            return original(self, *args, **kwargs)
        data = args[0] if args else kwargs.get("x")
        n, example = _examples(data)
        entry = {"notebook": notebook, "call": method_name, "model": self.name,
                 "params": int(self.count_params()) if self.built else None,
                 "examples": n, "epochs": kwargs.get("epochs", 1) if method_name == "fit" else 1,
                 "steps_per_epoch": kwargs.get("steps_per_epoch"), "batch_size": kwargs.get("batch_size"),
                 "steps_per_execution": getattr(self, "steps_per_execution", 1),
                 "dtype_policy": getattr(self.dtype_policy, "name", str(self.dtype_policy))}
        result = original(self, *args, **kwargs)
        entry["flops_per_example"] = forward_flops(self, example) if example is not None else None
        with open(target, "a") as f:
            f.write(json.dumps(entry) + "\n")
        return result

    logged.__worklog__ = True
    setattr(keras.Model, method_name, logged)


def start(notebook: str) -> Path | None:
    """Log every fit/predict/evaluate of this process to ``$COURSE_WORKLOG`` (when it is set)."""
    target = os.environ.get(WORKLOG_ENV, "")
    if not target:
        return None
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    for name in ("fit", "predict", "evaluate"):
        _wrap(name, notebook)
    return path
