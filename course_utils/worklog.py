"""What the notebooks' own models cost: a log of every ``fit``, ``predict`` and ``evaluate``.

For ``tools/estimate_gpu.py`` only; learners never see it. With ``COURSE_WORKLOG=FILE`` set,
:func:`course_utils.setup` calls :func:`start`, which wraps ``keras.Model.fit``, ``predict`` and
``evaluate``: every call appends the model's name, its parameters, its forward FLOPs for one
example, the examples it processed, the epochs, the batch size, ``steps_per_execution``, its
dtype policy and whether it has a recurrent layer to FILE (JSON lines). The FLOPs come from XLA's
own cost analysis of the model's compiled forward pass (the JAX backend; elsewhere they are left
out), so custom layers count as much as built-in ones and nothing is rebuilt from a recipe. A
model whose own forward pass cannot be traced (a GAN with its own ``train_step``) counts as the
sum of its sub-models, each on inputs of its declared shape.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

WORKLOG_ENV = "COURSE_WORKLOG"
RECURRENT = ("LSTM", "GRU", "SimpleRNN")
_FLOPS: dict[tuple[int, tuple[int, ...]], float | None] = {}


def _cost(model: Any, x: Any) -> float | None:
    """XLA's FLOPs for ``model`` on the inputs ``x`` (one example), or None when it cannot trace."""
    import jax

    def forward(t, n, inputs):
        return model.stateless_call(t, n, inputs, training=False)[0]

    try:
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        cost = jax.jit(forward).lower(trainable, non_trainable, x).compile().cost_analysis()
        cost = cost[0] if isinstance(cost, list) else cost
        return float(cost.get("flops", 0.0)) or None
    except Exception:  # a model that cannot be traced alone (e.g. a custom train_step's parts)
        return None


def forward_flops(model: Any, example: Any) -> float | None:
    """FLOPs of ``model`` on one example shaped like ``example`` (XLA's cost analysis; JAX only)."""
    import keras

    if keras.config.backend() != "jax":
        return None
    import numpy as np

    x = example  # one example (see _one): an array, or a list of arrays
    shapes = tuple(tuple(a.shape) for a in x) if isinstance(x, list) else getattr(x, "shape", ())
    key = (id(model), shapes)
    if key not in _FLOPS:
        flops = _cost(model, x) if x is not None else None
        if flops is None:  # the sum of its functional sub-models, each on its declared input shapes
            parts = [m for m in model._flatten_layers(include_self=False, recursive=False)
                     if isinstance(m, keras.Model) and getattr(m, "inputs", None)]
            costs = [_cost(m, [np.zeros((1, *i.shape[1:]), i.dtype) for i in m.inputs]
                           if len(m.inputs) > 1 else np.zeros((1, *m.inputs[0].shape[1:]),
                                                              m.inputs[0].dtype)) for m in parts]
            flops = sum(costs) if costs and None not in costs else None
        _FLOPS[key] = flops
    return _FLOPS[key]


def _one(x: Any) -> Any:
    """The first example of an input: an array, or a list of arrays (a model with several inputs)."""
    import numpy as np

    if isinstance(x, (tuple, list)):
        return [np.asarray(a)[:1] for a in x]
    return np.asarray(x)[:1] if hasattr(x, "shape") and len(x.shape) > 0 else None


def _examples(data: Any) -> tuple[int | None, Any, int | None]:
    """(number of examples, one example, the batch size of a dataset of batches) of the inputs
    given to fit/predict/evaluate: an array, a list of arrays (several inputs) or a PyDataset."""
    arrays = data if isinstance(data, (tuple, list)) else [data]
    if arrays and all(hasattr(a, "shape") and len(a.shape) > 0 for a in arrays):
        return int(arrays[0].shape[0]), _one(data), None
    if hasattr(data, "__len__") and hasattr(data, "__getitem__"):  # a PyDataset of batches
        try:
            batch = data[0]
            x = batch[0] if isinstance(batch, tuple) else batch
            first = next(iter(x.values())) if isinstance(x, dict) else x
            first = first[0] if isinstance(first, (tuple, list)) else first
            return len(data) * int(first.shape[0]), _one(x), int(first.shape[0])
        except Exception:
            return None, None, None
    return None, None, None


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
        n, example, dataset_batch = _examples(data)
        layers = {type(layer).__name__ for layer in self._flatten_layers(include_self=False)}
        entry = {"notebook": notebook, "call": method_name, "model": self.name,
                 "params": int(self.count_params()) if self.built else None,
                 "examples": n, "epochs": kwargs.get("epochs", 1) if method_name == "fit" else 1,
                 "steps_per_epoch": kwargs.get("steps_per_epoch"),
                 "batch_size": dataset_batch or kwargs.get("batch_size") or 32,
                 "steps_per_execution": getattr(self, "steps_per_execution", 1),
                 "dtype_policy": getattr(self.dtype_policy, "name", str(self.dtype_policy)),
                 "recurrent": bool(layers & set(RECURRENT))}
        result = original(self, *args, **kwargs)
        entry["flops_per_example"] = forward_flops(self, example)
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
