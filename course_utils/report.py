"""Results bookkeeping: ``record`` / ``expect`` and the data sources a notebook used.

Every notebook records its key numbers through the run object returned by
:func:`course_utils.setup` (``run.expect(...)``, ``run.record(...)``). When the
notebook is executed by ``python -m course_utils run`` the runner points the
environment variable ``COURSE_RESULTS`` at a JSON file; the recorder rewrites
that file after every entry, so even a notebook that fails half-way leaves
behind what it measured. Interactively nothing is written: the values are
kept on the run object (``run.results``) and printed.

Taught with: the "Check the result" cells at the end of every training
section (first in 01 · Perceptron, section "A sigmoid perceptron is logistic
regression").
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS_ENV = "COURSE_RESULTS"


class ExpectationError(AssertionError):
    """A recorded result missed its threshold: the notebook stopped learning."""


@dataclass
class Result:
    name: str
    value: float
    at_least: float | None = None
    at_most: float | None = None
    passed: bool | None = None
    standin: bool = False
    note: str = ""


@dataclass
class Source:
    what: str
    source: str
    standin: bool = False


@dataclass
class Recorder:
    """Collects results and data sources; writes them to ``path`` when given."""

    notebook: str = ""
    profile: str = ""
    path: Path | None = None
    backend: str = ""
    results: list[Result] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    standin_reason: str = ""
    started: float = field(default_factory=time.time)

    @classmethod
    def from_env(cls, notebook: str = "", profile: str = "") -> Recorder:
        p = os.environ.get(RESULTS_ENV)
        return cls(notebook=notebook, profile=profile, path=Path(p) if p else None,
                   backend=keras_backend())

    # -- recording -------------------------------------------------------------
    def record(self, name: str, value: Any, *, standin: bool = False, note: str = "",
               at_least: float | None = None, at_most: float | None = None,
               passed: bool | None = None) -> float:
        value = _as_number(name, value)
        res = Result(name=name, value=value, at_least=at_least, at_most=at_most, passed=passed,
                     standin=standin or bool(self.standin_reason), note=note)
        self.results = [r for r in self.results if r.name != name] + [res]
        self._write()
        return value

    def expect(self, name: str, value: Any, *, at_least: float | None = None,
               at_most: float | None = None, hint: str = "") -> float:
        if at_least is None and at_most is None:
            raise TypeError(f"expect({name!r}, ...) needs at_least= or at_most= (or both); "
                            "use record() for a value without a threshold.")
        value = _as_number(name, value)
        ok = (at_least is None or value >= at_least) and (at_most is None or value <= at_most)
        self.record(name, value, at_least=at_least, at_most=at_most, passed=ok)
        if ok:
            print(f"✓ {name} = {_fmt(value)} ({_bounds(at_least, at_most)})")
            return value
        msg = (f"{name} = {_fmt(value)}, expected {_bounds(at_least, at_most)} in the "
               f"'{self.profile}' profile. The model is not learning as it should: ")
        msg += hint or ("re-run the notebook from the top (Kernel → Restart & Run All); if it "
                        "still fails, compare your changes with the original cell.")
        raise ExpectationError(msg)

    def add_source(self, what: str, source: str, standin: bool = False) -> None:
        self.sources = [s for s in self.sources if s.what != what] + [Source(what, source, standin)]
        self._write()

    def mark_standin(self, reason: str) -> None:
        """Every result recorded from now on (and those before) is marked as a stand-in."""
        self.standin_reason = reason
        for r in self.results:
            r.standin = True
        self._write()

    # -- output ----------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        return {
            "notebook": self.notebook,
            "profile": self.profile,
            "backend": self.backend,
            "standin_reason": self.standin_reason,
            "results": [asdict(r) for r in self.results],
            "sources": [asdict(s) for s in self.sources],
        }

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.as_dict(), indent=2))
        tmp.replace(self.path)


def keras_backend() -> str:
    """The backend Keras runs on in *this* process, or "" when Keras is not imported yet.

    Recorded by the kernel itself, so report.json names the backend a notebook really ran
    on (not only the ``KERAS_BACKEND`` the runner was started with).
    """
    keras = sys.modules.get("keras")
    try:
        return str(keras.config.backend()) if keras is not None else ""
    except AttributeError:  # a half-imported or foreign "keras" module
        return ""


def _as_number(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {value!r}") from None
    if math.isnan(v):
        raise ExpectationError(f"{name} is NaN: training diverged (try a smaller learning rate).")
    return v


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def _bounds(at_least: float | None, at_most: float | None) -> str:
    parts = []
    if at_least is not None:
        parts.append(f"≥ {_fmt(at_least)}")
    if at_most is not None:
        parts.append(f"≤ {_fmt(at_most)}")
    return " and ".join(parts)
