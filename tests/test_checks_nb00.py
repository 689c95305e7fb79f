"""Self-checks of 00 · The big picture: right answers pass, starters are 'not attempted', wrong ones explain."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed
from course_utils.checks.nb00 import LEARNING_SCENARIOS


def right_answers():
    return {k: v[1] for k, v in LEARNING_SCENARIOS.items()}


# -- Exercise 1: kinds of learning ---------------------------------------------------------------

def test_learning_kinds_right(capsys):
    assert checks.learning_kinds(right_answers()) is True
    assert "✓" in capsys.readouterr().out


def test_learning_kinds_aliases_and_case():
    answers = {k: v.upper() + " learning" if v != "reinforcement" else "RL"
               for k, v in right_answers().items()}
    assert checks.learning_kinds(answers) is True


def test_learning_kinds_starter_not_attempted(capsys):
    assert checks.learning_kinds(dict.fromkeys(LEARNING_SCENARIOS, "?")) is False
    assert "Not attempted yet" in capsys.readouterr().out


def test_learning_kinds_partial_is_not_attempted():
    answers = right_answers()
    answers["robot_walk"] = "?"
    assert checks.learning_kinds(answers) is False


def test_learning_kinds_wrong_names_the_scenario():
    answers = right_answers()
    answers["news_topics"] = "supervised"
    with pytest.raises(CheckFailed, match="news_topics"):
        checks.learning_kinds(answers)


def test_learning_kinds_bad_input():
    with pytest.raises(CheckFailed, match="missing"):
        checks.learning_kinds({"spam_filter": "supervised"})
    answers = right_answers()
    answers["spam_filter"] = "semi-supervised"
    with pytest.raises(CheckFailed, match="not one of"):
        checks.learning_kinds(answers)
    with pytest.raises(CheckFailed, match="dict"):
        checks.learning_kinds(["supervised"])


# -- Exercise 2: epsilon-greedy ------------------------------------------------------------------

def good_choose(Q, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(len(Q)))
    return int(np.argmax(Q))


def test_epsilon_greedy_right(capsys):
    assert checks.epsilon_greedy(good_choose) is True
    assert "✓" in capsys.readouterr().out


def test_epsilon_greedy_numpy_int_ok():
    assert checks.epsilon_greedy(lambda Q, e, rng: np.argmax(Q) if rng.random() >= e
                                 else rng.integers(len(Q))) is True


def test_epsilon_greedy_starter_not_attempted(capsys):
    assert checks.epsilon_greedy(lambda Q, e, rng: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


def test_epsilon_greedy_always_greedy_fails():
    with pytest.raises(CheckFailed, match="epsilon = 1"):
        checks.epsilon_greedy(lambda Q, e, rng: int(np.argmax(Q)))


def test_epsilon_greedy_argmin_fails():
    with pytest.raises(CheckFailed, match="largest Q"):
        checks.epsilon_greedy(lambda Q, e, rng: int(np.argmin(Q)))


def test_epsilon_greedy_excluding_best_gets_hint():
    def excluding(Q, e, rng):
        best = int(np.argmax(Q))
        if rng.random() < e:
            return int(rng.choice([a for a in range(len(Q)) if a != best]))
        return best
    with pytest.raises(CheckFailed):
        checks.epsilon_greedy(excluding)


def test_epsilon_greedy_bad_returns():
    with pytest.raises(CheckFailed, match="does not exist"):
        checks.epsilon_greedy(lambda Q, e, rng: 7)
    with pytest.raises(CheckFailed, match="arm index"):
        checks.epsilon_greedy(lambda Q, e, rng: Q)
    with pytest.raises(CheckFailed, match="function itself"):
        checks.epsilon_greedy(3)


# -- Exercise 3: matmul FLOPs --------------------------------------------------------------------

def test_matmul_flops_right(capsys):
    assert checks.matmul_flops(lambda n, k, m: 2 * n * k * m) is True
    assert checks.matmul_flops(lambda n, k, m: n * m * (2 * k - 1)) is True
    assert "GFLOP" in capsys.readouterr().out


def test_matmul_flops_starter_not_attempted(capsys):
    assert checks.matmul_flops(lambda n, k, m: None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, hint", [
    (lambda n, k, m: n * k * m, "multiplications only"),
    (lambda n, k, m: 2 * n ** 3, "sizes can differ"),
    (lambda n, k, m: 2 * (n * k + k * m), "inputs"),
    (lambda n, k, m: n + k + m, "sum of k products"),
    (lambda n, k, m: "lots", "must be a number"),
])
def test_matmul_flops_wrong(wrong, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.matmul_flops(wrong)
