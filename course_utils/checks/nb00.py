"""Self-checks for notebook 00 · The big picture.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (``"?"`` answers, a function returning
``None``), so the notebook runs top to bottom as committed; a real but wrong
answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ._base import CheckFailed, not_attempted, passed

__all__ = ["LEARNING_SCENARIOS", "learning_kinds", "epsilon_greedy", "matmul_flops"]

KINDS = ("supervised", "unsupervised", "reinforcement")

#: Exercise 1: scenario key → (description shown in the notebook, the kind of learning, why).
LEARNING_SCENARIOS: dict[str, tuple[str, str, str]] = {
    "spam_filter": ("a filter trained on e-mails that people marked 'spam' or 'not spam'",
                    "supervised", "every training e-mail comes with the right answer (its label)"),
    "news_topics": ("grouping thousands of unlabelled news articles into topics",
                    "unsupervised", "nobody says which topic is right; the structure is found in the data"),
    "robot_walk": ("a robot learning to walk, rewarded for every metre it moves forward",
                   "reinforcement", "no right answer per step, only a reward for what its actions achieve"),
    "house_prices": ("predicting a house's price from the prices of past sales",
                     "supervised", "each past sale is an input with its known answer, the price"),
    "go_self_play": ("a program that learns Go by playing against itself and winning or losing",
                     "reinforcement", "the only signal is the game's outcome, after many moves"),
    "odd_payments": ("flagging unusual card payments when no payment has ever been labelled fraud",
                     "unsupervised", "without labels, 'unusual' means far from the structure of the data"),
}

_ALIASES = {"rl": "reinforcement", "reinforcement learning": "reinforcement",
            "supervised learning": "supervised", "unsupervised learning": "unsupervised"}


def _kind(answer: Any) -> str:
    a = str(answer).strip().lower()
    return _ALIASES.get(a, a)


def learning_kinds(answers: Mapping[str, str]) -> bool:
    """Exercise 1 (section "Three ways to learn"): name the kind of learning for each scenario.

    ``answers`` maps each key of :data:`LEARNING_SCENARIOS` to ``"supervised"``,
    ``"unsupervised"`` or ``"reinforcement"``; ``"?"`` means not answered yet.
    """
    if not isinstance(answers, Mapping):
        raise CheckFailed(f"answers must be a dict {{scenario: kind}}, got {type(answers).__name__}")
    missing = sorted(set(LEARNING_SCENARIOS) - set(answers))
    extra = sorted(set(answers) - set(LEARNING_SCENARIOS))
    if missing or extra:
        raise CheckFailed(f"the dict needs exactly the keys {sorted(LEARNING_SCENARIOS)}; "
                          f"missing {missing}, unexpected {extra}")
    open_ = [k for k, v in answers.items() if v is None or str(v).strip() in ("", "?", "...")]
    wrong = []
    for key, value in answers.items():
        if key in open_:
            continue
        got = _kind(value)
        if got not in KINDS:
            raise CheckFailed(f"{key}: {value!r} is not one of {KINDS}")
        desc, kind, why = LEARNING_SCENARIOS[key]
        if got != kind:
            wrong.append(f"{key} ({desc}): not {got}. Ask yourself: is there a right answer for "
                         f"every example, no answer at all, or only a reward for actions?")
    if wrong:
        raise CheckFailed(f"{len(wrong)} of {len(answers) - len(open_)} answered are not right:\n  "
                          + "\n  ".join(wrong))
    if open_:
        return not_attempted(f"{len(open_)} scenario(s) still '?': {', '.join(open_)}")
    return passed("all six right: " + "; ".join(f"{k} is {v[1]} ({v[2]})"
                                               for k, v in LEARNING_SCENARIOS.items()))


def epsilon_greedy(choose: Callable[[np.ndarray, float, np.random.Generator], Any],
                   n: int = 4000) -> bool:
    """Exercise 2 (section "Reinforcement learning"): ``choose(Q, epsilon, rng)`` → an arm index.

    With probability ``epsilon`` the agent explores (any arm, uniformly at
    random, the best one included); otherwise it exploits (the arm with the
    largest estimate ``Q``). Checked statistically over ``n`` calls.
    """
    if not callable(choose):
        raise CheckFailed(f"pass your function itself, not {type(choose).__name__}")
    rng = np.random.default_rng(0)
    q = np.array([0.2, 0.1, 0.7, 0.4])
    first = choose(q.copy(), 0.0, rng)
    if first is None:
        return not_attempted("choose(Q, epsilon, rng) returns None; make it return an arm index.")

    def pick(eps: float) -> int:
        a = choose(q.copy(), eps, rng)
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            if isinstance(a, np.ndarray) and a.ndim == 0 and np.issubdtype(a.dtype, np.integer):
                a = int(a)
            else:
                raise CheckFailed(f"return one arm index (an int), got {type(a).__name__} {a!r}")
        if not 0 <= int(a) < len(q):
            raise CheckFailed(f"arm {a} does not exist: there are {len(q)} arms, 0 to {len(q) - 1}")
        return int(a)

    greedy = [pick(0.0) for _ in range(200)]
    if any(a != 2 for a in greedy):
        raise CheckFailed("with epsilon = 0 the agent must always exploit: return the arm with the "
                          f"largest Q (np.argmax(Q) = 2), but it returned {sorted(set(greedy))}.")
    counts = np.bincount([pick(1.0) for _ in range(n)], minlength=len(q)) / n
    if np.any(np.abs(counts - 1 / len(q)) > 0.04):
        raise CheckFailed("with epsilon = 1 the agent always explores, so every arm should come up "
                          f"about {1 / len(q):.2f} of the time; got {np.round(counts, 3).tolist()}. "
                          "Explore with rng.integers(len(Q)).")
    best = float(np.mean([pick(0.3) == 2 for _ in range(n)]))
    expected = 0.7 + 0.3 / len(q)
    if abs(best - expected) > 0.035:
        hint = ("Exploring excludes the best arm in your version; the classic rule picks any arm, "
                "so the best is chosen 1 − ε + ε/k of the time." if abs(best - 0.7) < 0.02 else
                "Explore when rng.random() < epsilon, exploit otherwise.")
        raise CheckFailed(f"with epsilon = 0.3 and 4 arms the best arm should be chosen about "
                          f"{expected:.3f} of the time (0.7 exploiting + 0.3/4 exploring); got "
                          f"{best:.3f}. {hint}")
    return passed(f"ε-greedy: always the best arm at ε = 0, uniform at ε = 1, best arm "
                  f"{best:.3f} of the time at ε = 0.3 (expected {expected:.3f})")


def matmul_flops(flops: Callable[[int, int, int], Any]) -> bool:
    """Exercise 3 (section "Why GPUs?"): floating-point operations of an (n×k) @ (k×m) product.

    The product has n·m entries; each is a sum of k products, so k
    multiplications and k − 1 additions: n·m·(2k − 1), about 2·n·k·m.
    Both counts are accepted.
    """
    if not callable(flops):
        raise CheckFailed(f"pass your function itself, not {type(flops).__name__}")
    if flops(2, 3, 4) is None:
        return not_attempted("flops(n, k, m) returns None; make it return the operation count.")
    for n, k, m in [(2, 3, 4), (1, 1, 1), (64, 128, 32), (2048, 2048, 2048), (5, 7, 3)]:
        got = flops(n, k, m)
        try:
            g = float(got)
        except (TypeError, ValueError):
            raise CheckFailed(f"flops({n}, {k}, {m}) must be a number, got {got!r}") from None
        if g in (2.0 * n * k * m, float(n * m * (2 * k - 1))):
            continue
        if g == n * k * m:
            hint = "that counts the multiplications only; each one comes with an addition."
        elif g in (2.0 * n ** 3, 2.0 * k ** 3, 2.0 * m ** 3, float(n * n * k * 2)):
            hint = "the three sizes can differ: use n, k and m."
        elif g == 2.0 * (n * k + k * m):
            hint = "that counts the inputs, not the work: each of the n·m outputs sums k products."
        else:
            hint = "each of the n·m outputs is a sum of k products (k multiplies, k − 1 adds)."
        raise CheckFailed(f"flops({n}, {k}, {m}) = {got}, expected {2 * n * k * m:,} "
                          f"(or {n * m * (2 * k - 1):,}): {hint}")
    return passed(f"an (n×k) @ (k×m) product costs about 2·n·k·m operations: "
                  f"{2 * 2048 ** 3 / 1e9:.1f} GFLOP for two 2048×2048 matrices")
