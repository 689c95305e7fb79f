"""Self-checks for notebook 00 · The big picture, and its check that a matrix product is right.

Each exercise check prints "Not attempted yet: ..." and returns ``False`` while
the exercise still holds its starter (``"?"`` answers, a function returning
``None``, a prediction of ``None``), so the notebook runs top to bottom as
committed; a real but wrong answer raises :class:`CheckFailed` with a hint.

:func:`round_mantissa`, :func:`matmul_error_bound` and :func:`matmul_error_ratio`
check a backend's float32 matrix product against what its precision promises,
so that the check holds on a CPU and on a GPU that computes in TensorFloat-32.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ._base import CheckFailed, is_open, not_attempted, passed, require_function

__all__ = ["LEARNING_SCENARIOS", "learning_kinds", "epsilon_greedy", "matmul_doubling_prediction",
           "late_reward_prediction", "round_mantissa", "matmul_error_bound", "matmul_error_ratio"]

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
    open_ = [k for k, v in answers.items() if is_open(v)]
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
    require_function(choose, "choose")
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


def _number(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CheckFailed(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise CheckFailed(f"{name} must be a finite number, got {value!r}")
    return float(value)


def matmul_doubling_prediction(prediction: Any, measured_ratio: float | None = None) -> bool:
    """Exercise 3 (section "Why GPUs?"): predict how many times longer a 2n×2n product takes than an n×n one.

    The learner writes ``prediction`` before the notebook times the two products;
    ``measured_ratio`` is what this machine did (``None`` while nothing was
    measured). The operation count decides: (2n)³ / n³ = 8. A prediction within
    2 of 8 passes; the measured ratio is reported, and explained where it differs.
    """
    if is_open(prediction):
        return not_attempted("write your prediction into my_prediction first (a number such as 3), "
                             "then run the cell: it times the products only after you have predicted.")
    guess = _number(prediction, "my_prediction")
    if measured_ratio is None:
        measured = "nothing was measured"
    else:
        ratio = _number(measured_ratio, "measured_ratio")
        measured = f"this machine took {ratio:.1f}× as long"
        if ratio < 6:
            measured += (": less than 8, because the smaller product cannot keep every core busy "
                         "(or, on a GPU, both are so short that the fixed cost of starting a product "
                         "dominates); the larger the matrices, the closer to 8")
        elif ratio > 10:
            measured += (": more than 8, usually because the larger matrices no longer fit in the "
                         "processor's fast caches, or another program took the cores; time it again")
    if abs(guess - 8) <= 2:
        return passed(f"you predicted {guess:g}×; the count says 8×: twice the size means 2 × 2 = 4 times "
                      f"as many outputs, each a sum of twice as many products. Measured: {measured}.")
    if abs(guess - 2) < 0.5:
        hint = ("2× would hold if the work grew with n, like the length of a row. It grows with n³: "
                "2n·2n outputs, each a sum of 2n products.")
    elif abs(guess - 4) < 1:
        hint = ("4× counts the outputs: (2n)² = 4n² of them. But each output is also a sum of 2n products "
                "instead of n, so each costs twice as much: 4 × 2.")
    elif guess > 10:
        hint = ("that is more than the count: an n×n product does n³ multiply-adds, so doubling n "
                "multiplies the work by 2³.")
    else:
        hint = "count the work: n² outputs, each a sum of n products, so 2n³ operations in all."
    raise CheckFailed(f"you predicted {guess:g}×, the operation count says 8× ({measured}). {hint}")


def late_reward_prediction(prediction: Any, measured: float | None, epsilon: float,
                           p_win: Any, tolerance: float = 0.03) -> bool:
    """Exercise 4 (section "Reinforcement: a multi-armed bandit"): predict the late reward at a given ε.

    ``prediction`` is the learner's guess of the average reward per pull over the
    last 10 % of pulls, written before the agents play; ``measured`` is what they
    earned (``None`` while they have not played). Passes within ``tolerance``.
    An agent that knows the best arm still explores: (1 − ε)·max p + ε·mean p.
    """
    if is_open(prediction):
        return not_attempted("write your prediction into my_late_reward first (a number between 0 and 1), "
                             "then run the cell: the agents play only after you have predicted.")
    guess = _number(prediction, "my_late_reward")
    p = np.asarray(p_win, dtype="float64")
    if measured is None:
        raise CheckFailed("nothing was measured: run the whole cell, which plays the bandit once you have "
                          "predicted")
    got = _number(measured, "measured")
    ceiling = (1 - epsilon) * p.max() + epsilon * p.mean()
    why = (f"an agent that has found the best arm still explores {epsilon:.0%} of the time: it earns "
           f"(1 − ε)·{p.max():.2f} + ε·{p.mean():.2f} = {ceiling:.3f} at best, and a little less while "
           "it is still learning")
    if abs(guess - got) <= tolerance:
        return passed(f"you predicted {guess:.3f}, the agents earned {got:.3f}: {why}.")
    if guess >= p.max() - tolerance:
        hint = "no agent can earn the best arm's rate while it keeps exploring."
    elif guess > got:
        hint = "exploring costs more than you expected."
    else:
        hint = "exploring costs less than you expected: the random arms still pay something."
    raise CheckFailed(f"you predicted {guess:.3f}, the agents earned {got:.3f} (more than {tolerance} "
                      f"apart): {hint} The reason: {why}.")


def round_mantissa(x: Any, bits: int, truncate: bool = False) -> np.ndarray:
    """``x`` as float32 with only ``bits`` mantissa bits left, the others zero.

    float32 keeps 23 mantissa bits; a GPU that multiplies in TensorFloat-32 keeps
    10 of them, bfloat16 keeps 7, and the exponent (the range) is float32's in
    all three. Rounds to nearest (ties to even) like a conversion, or towards
    zero with ``truncate=True`` (what a tensor core does to float32 inputs fed
    to it unconverted). Used in 00 · The big picture ("Why GPUs?", is the answer right?).
    """
    if isinstance(bits, bool) or not isinstance(bits, (int, np.integer)) or not 0 <= bits <= 23:
        raise ValueError(f"bits must be an integer from 0 to 23 (float32's mantissa), got {bits!r}")
    x = np.array(x, dtype=np.float32)
    drop = 23 - int(bits)
    if drop == 0:
        return x
    pattern = x.view(np.uint32).astype(np.uint64)
    if not truncate:
        odd = (pattern >> drop) & 1                        # ties go to the even neighbour
        pattern = pattern + (1 << (drop - 1)) - 1 + odd
    pattern = (pattern >> drop) << drop
    out = pattern.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), x, out)                   # a NaN stays a NaN


def matmul_error_bound(A: Any, B: Any, mantissa_bits: int = 10) -> np.ndarray:
    """The largest error each entry of a float32 product ``A @ B`` may have at a given precision.

    With inputs rounded to ``mantissa_bits`` (10: TensorFloat-32; 23: plain
    float32), each product a·b is off by at most 2u + u² of itself, u =
    2^-mantissa_bits (rounding towards zero, the worse case), and summing k
    products in float32 adds at most γ_k = k·2⁻²⁴ / (1 − k·2⁻²⁴) of the sum of
    their sizes (Higham, *Accuracy and Stability of Numerical Algorithms*, 2002,
    §3.1). So ``|C − AB| ≤ (2u + u² + γ_k (1 + u)²) · (|A| |B|)`` entry by entry.
    Used in 00 · The big picture ("Why GPUs?", is the answer right?).
    """
    if isinstance(mantissa_bits, bool) or not isinstance(mantissa_bits, (int, np.integer)) \
            or not 1 <= mantissa_bits <= 23:
        raise ValueError(f"mantissa_bits must be an integer from 1 to 23, got {mantissa_bits!r}")
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"A and B must be matrices that can be multiplied, got shapes {A.shape} and {B.shape}")
    k = A.shape[1]
    u, u32 = 2.0 ** -mantissa_bits, 2.0 ** -24
    if k * u32 >= 0.5:
        raise ValueError(f"k = {k} is too long a sum for float32's error bound")
    gamma = k * u32 / (1 - k * u32)
    # |A| |B| in float32 is quicker and low by at most γ_k of itself: allow for that too.
    size = np.abs(A).astype(np.float32) @ np.abs(B).astype(np.float32)
    return (2 * u + u * u + gamma * (1 + u) ** 2) * (1 + 2 * gamma) * size.astype(np.float64)


def matmul_error_ratio(C: Any, A: Any, B: Any, mantissa_bits: int = 10) -> float:
    """The worst entry's error of the product ``C`` ≈ ``A @ B`` as a fraction of :func:`matmul_error_bound`.

    The exact product is computed in float64. At most 1: ``C`` is as right as
    a product at that precision promises (with ``mantissa_bits=10`` that holds
    for a CPU's float32 and for a GPU's TensorFloat-32); above 1: ``C`` is
    wrong, not merely rounded. NaN or inf in ``C`` gives inf. Used in
    00 · The big picture ("Why GPUs?", is the answer right?).
    """
    bound = matmul_error_bound(A, B, mantissa_bits)
    C = np.asarray(C, dtype=np.float64)
    if C.shape != bound.shape:
        raise ValueError(f"C has shape {C.shape}, but A @ B has shape {bound.shape}")
    if not np.all(np.isfinite(C)):
        return float("inf")
    error = np.abs(C - np.asarray(A, dtype=np.float64) @ np.asarray(B, dtype=np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(error == 0, 0.0, error / bound)   # no room (bound 0) and an error: inf
    return float(ratio.max()) if ratio.size else 0.0
