"""Results bookkeeping: ``record`` / ``expect`` and the data sources a notebook used.

Every notebook records its key numbers through the run object returned by
:func:`course_utils.setup` (``run.expect(...)``, ``run.record(...)``). When the
notebook is executed by ``python -m course_utils run`` the runner points the
environment variable ``COURSE_RESULTS`` at a JSON file; the recorder rewrites
that file after every entry, so even a notebook that fails half-way leaves
behind what it measured. Interactively nothing is written: the values are
printed, and kept on ``run.recorder``.

A missed threshold: headless (the runner, nbval, CI, ``COURSE_STRICT=1``) it raises
:class:`ExpectationError` and the notebook stops, naming the value and the threshold; in an
interactive session (JupyterLab, Colab, VS Code) it shows a red box with the same message
and the hint, and the notebook goes on, so a learner whose run lands just below a
threshold still sees the rest.

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
    #: the data it was measured on: "what: kind" of every source recorded so far ("; "-joined)
    data: str = ""


#: What a data source is: the real data set, a real subset bundled with a package, a stand-in
#: generated because the real data was missing, or data the lesson generates on purpose.
SOURCE_KINDS = ("real", "subset", "stand-in", "generated")


@dataclass
class Source:
    what: str
    source: str
    standin: bool = False
    kind: str = "real"


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
    scale: str = ""
    #: False in the gpu profile at smoke scale: results are recorded, thresholds not applied
    judged: bool = True
    #: True: a miss raises (headless, CI); False: a miss is shown in a box and the notebook goes on
    strict: bool = True

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
                     standin=standin or bool(self.standin_reason), note=note, data=self.data_signature())
        self.results = [r for r in self.results if r.name != name] + [res]
        self._write()
        return value

    def expect(self, name: str, value: Any, *, at_least: float | None = None,
               at_most: float | None = None, hint: str = "") -> float:
        if at_least is None and at_most is None:
            raise TypeError(f"expect({name!r}, ...) needs at_least= or at_most= (or both); "
                            "use record() for a value without a threshold.")
        value = _as_number(name, value)
        if not self.judged:
            self.record(name, value, at_least=at_least, at_most=at_most,
                        note="not judged: the gpu profile's code at smoke-scale budgets")
            print(f"• {name} = {_fmt(value)} (not judged at smoke scale; "
                  f"the gpu profile asks {_bounds(at_least, at_most)})")
            return value
        ok = (at_least is None or value >= at_least) and (at_most is None or value <= at_most)
        self.record(name, value, at_least=at_least, at_most=at_most, passed=ok)
        if ok:
            print(f"✓ {name} = {_fmt(value)} ({_bounds(at_least, at_most)})")
            return value
        msg = (f"{name} = {_fmt(value)}, expected {_bounds(at_least, at_most)} in the "
               f"'{self.profile}' profile. The model is not learning as it should: ")
        msg += hint or ("re-run the notebook from the top (Kernel → Restart & Run All); if it "
                        "still fails, compare your changes with the original cell.")
        if self.strict:
            raise ExpectationError(msg)
        show_miss(msg)
        return value

    def add_source(self, what: str, source: str, standin: bool = False, kind: str = "") -> None:
        kind = kind or ("stand-in" if standin else "real")
        if kind not in SOURCE_KINDS:
            raise ValueError(f"kind must be one of {SOURCE_KINDS}, got {kind!r}")
        self.sources = ([s for s in self.sources if s.what != what]
                        + [Source(what, source, kind == "stand-in", kind)])
        self._write()

    def data_signature(self) -> str:
        """The data the results are measured on, e.g. ``"CIFAR-10: stand-in"``: the key under which
        a threshold's calibration is looked up (a result on real data is not one on a stand-in)."""
        return "; ".join(f"{s.what}: {s.kind}" for s in self.sources)

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
            "scale": self.scale or self.profile,
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


def show_miss(message: str) -> None:
    """A missed threshold in an interactive session: a red box with the message, and go on."""
    import html
    import sys as _sys

    text = f"✗ Check missed (the notebook goes on): {message}"
    try:
        from IPython.display import HTML, display
    except ImportError:  # plain Python: stderr is where a warning belongs
        print(text, file=_sys.stderr)
        return
    display(HTML(
        '<div style="border:2px solid #cf222e;background:#ffebe9;color:#1f2328;padding:.6em .9em;'
        'border-radius:6px;margin:.4em 0;font-family:system-ui,sans-serif">'
        '<b style="color:#cf222e">✗ Check missed</b> (the notebook goes on; under the runner or '
        f'in CI this stops it)<br>{html.escape(message)}</div>'))
    print(text, file=_sys.stderr)


def bounds_text(at_least: float | None = None, at_most: float | None = None) -> str:
    """``"≥ 0.8 and ≤ 0.95"``: a threshold in words, as the notebooks, the report and the site say it."""
    return _bounds(at_least, at_most)


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
