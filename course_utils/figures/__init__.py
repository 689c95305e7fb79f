"""Figures of single notebooks: ``figures/nbNN.py`` beside ``checks/nbNN.py``.

A notebook reaches its own figures as ``cu.figures.nb08.attention_map(...)``; each module is
imported on first use.
"""

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("nb") and name[2:].isdigit():
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
