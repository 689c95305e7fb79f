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
    with pytest.raises(CheckFailed, match="itself \\(without calling it\\)"):
        checks.epsilon_greedy(3)


# -- Exercise 3: predict, then run: a product twice as large --------------------------------------

def test_matmul_doubling_right_prediction_passes_and_explains_the_clock(capsys):
    assert checks.matmul_doubling_prediction(8, measured_ratio=7.6) is True
    out = capsys.readouterr().out
    assert "✓" in out and "7.6×" in out
    assert checks.matmul_doubling_prediction(7.0, measured_ratio=3.1) is True   # a GPU's small products
    assert "fixed cost" in capsys.readouterr().out
    assert checks.matmul_doubling_prediction(np.float64(9.5), measured_ratio=12.0) is True
    assert "caches" in capsys.readouterr().out


def test_matmul_doubling_not_attempted_measures_nothing(capsys):
    assert checks.matmul_doubling_prediction(None, None) is False
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("guess, hint", [(2, "grows with n³"), (4, "counts the outputs"),
                                         (16, "more than the count"), (5.5, "count the work")])
def test_matmul_doubling_wrong_predictions_say_why(guess, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.matmul_doubling_prediction(guess, measured_ratio=7.9)


@pytest.mark.parametrize("bad", ["eight", True, float("nan"), [8]])
def test_matmul_doubling_bad_input(bad):
    with pytest.raises(CheckFailed, match="number"):
        checks.matmul_doubling_prediction(bad, measured_ratio=8.0)


# -- Exercise 4: predict, then run: more exploration ---------------------------------------------

P_WIN = np.array([0.25, 0.45, 0.70, 0.55, 0.35])


def test_late_reward_prediction(capsys):
    assert checks.late_reward_prediction(None, None, epsilon=0.3, p_win=P_WIN) is False
    assert "Not attempted yet" in capsys.readouterr().out
    ceiling = 0.7 * 0.70 + 0.3 * P_WIN.mean()
    assert checks.late_reward_prediction(ceiling, 0.615, epsilon=0.3, p_win=P_WIN) is True
    assert f"{ceiling:.3f}" in capsys.readouterr().out        # the explanation shows the ceiling


@pytest.mark.parametrize("guess, hint", [(0.70, "best arm's rate"), (0.66, "costs more"),
                                         (0.50, "costs less")])
def test_late_reward_wrong_predictions_say_why(guess, hint):
    with pytest.raises(CheckFailed, match=hint):
        checks.late_reward_prediction(guess, 0.62, epsilon=0.3, p_win=P_WIN)


def test_late_reward_needs_the_measurement():
    with pytest.raises(CheckFailed, match="nothing was measured"):
        checks.late_reward_prediction(0.6, None, epsilon=0.3, p_win=P_WIN)


# -- "Why GPUs?": is the product right, on a CPU and on a GPU with TensorFloat-32 ---------------

def _matrices(n=256, k=384, m=128, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, k), dtype=np.float32), rng.standard_normal((k, m), dtype=np.float32))


def test_round_mantissa_keeps_the_given_bits():
    x = np.float32([1.0, 1 + 2**-11, 1 + 3 * 2**-11, 0.1, -0.1, 3.0e38, np.inf, -np.inf])
    r = checks.round_mantissa(x, bits=10)
    assert r.dtype == np.float32
    assert r[0] == 1.0 and r[1] == 1.0                     # a tie goes to the even neighbour
    assert r[2] == np.float32(1 + 2**-9)
    assert abs(r[3] - 0.1) / 0.1 <= 2**-11 and r[4] == -r[3]
    assert np.isinf(r[6]) and np.isinf(r[7])
    assert np.isnan(checks.round_mantissa(np.float32([np.nan]), 10))[0]
    low_bits = r[:6].view(np.uint32) & np.uint32((1 << 13) - 1)
    assert not low_bits.any()                               # only 10 mantissa bits left
    t = checks.round_mantissa(np.float32([1 + 2**-10 + 2**-12]), 10, truncate=True)
    assert t[0] == np.float32(1 + 2**-10)                   # towards zero
    np.testing.assert_array_equal(checks.round_mantissa(x, 23), x)


def test_round_mantissa_bad_bits():
    for bad in (-1, 24, 10.0, True):
        with pytest.raises(ValueError, match="bits"):
            checks.round_mantissa(np.ones(3), bad)


def test_a_cpu_float32_product_passes_with_room_to_spare():
    A, B = _matrices()
    assert checks.matmul_error_ratio(A @ B, A, B) < 0.01


@pytest.mark.parametrize("truncate", [False, True])
def test_a_product_with_tf32_sized_error_passes(truncate):
    """What a GPU computing in TensorFloat-32 returns: inputs rounded to 10 mantissa bits, float32 sums."""
    A, B = _matrices()
    C = checks.round_mantissa(A, 10, truncate=truncate) @ checks.round_mantissa(B, 10, truncate=truncate)
    exact = A.astype(np.float64) @ B.astype(np.float64)
    relative = np.linalg.norm(C - exact) / np.linalg.norm(exact)
    assert 1e-4 < relative < 2e-3                            # TF32-sized: far above float32's 1e-7
    assert checks.matmul_error_ratio(C, A, B, mantissa_bits=10) <= 1.0
    assert checks.matmul_error_ratio(C, A, B, mantissa_bits=23) > 1.0   # a float32 promise it breaks


def test_wrong_products_fail():
    A, B = _matrices(n=128, k=128, m=128)
    right = A @ B
    assert checks.matmul_error_ratio(A @ B.T, A, B) > 10            # transposed by mistake
    wrong_row = right.copy()
    wrong_row[5] = right[6]
    assert checks.matmul_error_ratio(wrong_row, A, B) > 10          # a row from the wrong input
    one_entry = right.copy()
    one_entry[3, 4] += 5.0
    assert checks.matmul_error_ratio(one_entry, A, B) > 1           # one entry off
    nan = right.copy()
    nan[0, 0] = np.nan
    assert checks.matmul_error_ratio(nan, A, B) == float("inf")
    float16ish = checks.round_mantissa(A, 3) @ checks.round_mantissa(B, 3)
    assert checks.matmul_error_ratio(float16ish, A, B) > 1          # far coarser than TF32


def test_matmul_error_bound_formula_and_bad_input():
    A = np.float32([[1.0, -2.0]])
    B = np.float32([[3.0], [4.0]])
    u, g = 2.0**-10, 2 * 2.0**-24 / (1 - 2 * 2.0**-24)
    expected = (2 * u + u * u + g * (1 + u) ** 2) * (1 + 2 * g) * 11.0
    np.testing.assert_allclose(checks.matmul_error_bound(A, B), [[expected]], rtol=1e-12)
    with pytest.raises(ValueError, match="multiplied"):
        checks.matmul_error_bound(A, A)
    with pytest.raises(ValueError, match="mantissa_bits"):
        checks.matmul_error_bound(A, B, mantissa_bits=0)
    with pytest.raises(ValueError, match="shape"):
        checks.matmul_error_ratio(np.zeros((2, 2)), A, B)
    zero = np.zeros((1, 2), np.float32)
    assert checks.matmul_error_ratio(np.zeros((1, 1)), zero, B) == 0.0      # no room needed, none used
    assert checks.matmul_error_ratio(np.ones((1, 1)), zero, B) == float("inf")
