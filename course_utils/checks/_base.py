"""Shared pieces of the exercise self-checks."""

from __future__ import annotations

from typing import Any

import numpy as np


class CheckFailed(AssertionError):
    """The learner's answer is not right yet; the message says what to look at."""


def passed(message: str) -> bool:
    print(f"✓ {message}")
    return True


def not_attempted(what: str) -> bool:
    """The answer is still the untouched starter: say so, without stopping the notebook."""
    print(f"Not attempted yet: {what}")
    return False


def is_open(answer: Any) -> bool:
    """True for an answer the learner has not filled in yet: None, ``...``, "", "?" or "..."."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str)
                                                   and answer.strip() in ("", "?", "..."))


def require_function(fn: Any, name: str) -> None:
    """Raise :class:`CheckFailed` unless ``fn`` is a function (the learner passed its result)."""
    if not callable(fn):
        raise CheckFailed(f"pass your function {name} itself (without calling it), "
                          f"not {type(fn).__name__}")


def check_close(name: str, got: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-8,
                hint: str = "") -> bool:
    """Compare arrays or numbers, explaining shape and value differences."""
    if got is None:
        raise CheckFailed(f"{name}: got None. Did you forget a `return`?")
    g = np.asarray(got, dtype="float64")
    e = np.asarray(expected, dtype="float64")
    if g.shape != e.shape:
        raise CheckFailed(f"{name}: shape {g.shape}, expected {e.shape}. {hint}".strip())
    if not np.all(np.isfinite(g)):
        raise CheckFailed(f"{name}: contains NaN or inf. {hint}".strip())
    if not np.allclose(g, e, rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(g - e)))
        raise CheckFailed(f"{name}: values differ from the expected ones (largest difference "
                          f"{worst:.3g}). {hint}".strip())
    return True
