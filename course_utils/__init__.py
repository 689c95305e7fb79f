"""course_utils: the small shared package behind the deep learning course notebooks.

    import course_utils as cu
    run = cu.setup(PROFILE, seed=SEED)

Every notebook imports it this one way and reaches a module by its name
(``cu.datasets.load_cifar10()``, ``cu.figures.nb03.feature_maps(...)``). Modules load on
first use, so ``import course_utils`` imports neither Keras nor a backend (``python -m
course_utils doctor`` works without one).

The layers, from the bottom (a module imports only from layers below it; the design doc,
``docs/DESIGN.md``, draws them from the code):

- report, download — results bookkeeping; the network
- runtime — ``setup()``, profiles and scales, seeding, devices
- assets, drawing, images — the Keras cache and manifest; generated pictures; photos
- datasets, shapes, scenes, series, text, weights, imagenet — data and weights for the lessons
- plots, callbacks, scores, checks, figures — figures, the live plot, 06's scores, self-checks
- runner, site, doctor, workspace, cli — running the course, its site, the command line
"""

from __future__ import annotations

import importlib
import os as _os
from typing import Any

# Before anything imports TensorFlow: keep its C++ start-up logs out of the notebooks.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

#: submodules a notebook reaches as ``cu.<name>``
_MODULES = ("assets", "callbacks", "checks", "datasets", "doctor", "download", "drawing", "figures",
            "images", "imagenet", "plots", "report", "runner", "runtime", "scenes", "scores",
            "series", "shapes", "site", "text", "weights", "workspace")
#: names a notebook reaches as ``cu.<name>``, and the module that defines each
_NAMES = {"setup": "runtime", "Run": "runtime", "ProfileError": "runtime",
          "ExpectationError": "report", "Dataset": "datasets", "LivePlot": "callbacks"}

__all__ = [*_NAMES, *_MODULES, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("course_utils")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
