"""Scoring helpers of notebook 06 (course_utils.scores): real digits score high, collapse scores low."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import scores


def perfect_judge(n_classes=10):
    """A 'classifier' for images that carry their class in pixel (0, 0): perfect on real images."""
    def judge(x):
        y = np.rint(x[:, 0, 0, 0] * (n_classes - 1)).astype(int)
        p = np.full((len(x), n_classes), 0.001)
        p[np.arange(len(x)), y] = 1 - 0.001 * (n_classes - 1)
        return p
    return judge


def reference_inception_score(probs):
    """The formula notebook 06 writes (section 3): exp(mean KL(p(y|x) || p(y)))."""
    p_y = probs.mean(axis=0)
    kl = np.sum(probs * (np.log(probs + 1e-12) - np.log(p_y + 1e-12)), axis=1)
    return float(np.exp(kl.mean()))


def labelled_images(labels, n_classes=10):
    x = np.zeros((len(labels), 8, 8), dtype="float32")
    x[:, 0, 0] = np.asarray(labels) / (n_classes - 1)
    return x


def test_perfect_real_set_scores_high():
    labels = np.arange(1000) % 10
    s = scores.score_images(perfect_judge(), labelled_images(labels), reference_inception_score)
    assert s.recognisability > 0.99
    assert s.n_present == 10 and s.max_fraction == pytest.approx(0.1)
    assert s.diversity == pytest.approx(1.0)
    assert s.inception_score > 9.0
    assert "recognisability" in str(s) and "inception score" in str(s)


def test_constant_set_scores_low_on_diversity():
    s = scores.score_images(perfect_judge(), np.zeros((500, 8, 8, 1)), reference_inception_score)
    assert s.n_present == 1 and s.max_fraction == 1.0 and s.diversity == pytest.approx(0.0)
    assert s.inception_score == pytest.approx(1.0)


def test_notebook_inception_formula_on_known_cases():
    assert reference_inception_score(np.full((50, 10), 0.1)) == pytest.approx(1.0)
    assert reference_inception_score(np.eye(4)[[0, 1, 2, 3] * 5]) == pytest.approx(4.0, rel=1e-6)


def test_without_an_inception_function_the_score_is_absent():
    s = scores.score_images(perfect_judge(), labelled_images(np.arange(20) % 10))
    assert s.inception_score is None and "inception" not in str(s)
    assert "inception score" not in scores.scores_table({"real": s}).columns


@pytest.mark.parametrize("bad, error, match", [
    (42, TypeError, "function"),
    (lambda p: "high", TypeError, "one number"),
    (lambda p: float("nan"), ValueError, "between 1"),
    (lambda p: 0.5, ValueError, "between 1"),
    (lambda p: 11.0, ValueError, "between 1"),
])
def test_bad_inception_function(bad, error, match):
    with pytest.raises(error, match=match):
        scores.score_images(perfect_judge(), labelled_images(np.arange(20) % 10), bad)


def test_recognisability_of_uncertain_judge_is_low():
    assert scores.recognisability(np.full((20, 10), 0.1)) == pytest.approx(0.1)


def test_class_coverage_from_labels_and_probabilities_agree():
    y = np.array([0, 0, 1, 2, 2, 2])
    p = np.eye(3)[y]
    a, b = scores.class_coverage(y, n_classes=3), scores.class_coverage(p)
    assert a.n_present == b.n_present == 3
    assert a.max_fraction == b.max_fraction == 0.5
    np.testing.assert_array_equal(a.counts, [2, 1, 3])
    assert 0 < a.diversity < 1
    assert scores.class_coverage([1.0, 2.0], n_classes=3).n_present == 2  # whole floats are fine


def test_agreement():
    p = np.eye(10)[[1, 2, 3, 3]]
    assert scores.agreement(p, [1, 2, 3, 4]) == 0.75


@pytest.mark.parametrize("bad, match", [
    (np.ones(10) / 10, "shape"),
    (np.zeros((0, 10)), "at least one sample"),
    (np.array([[0.5, np.nan]]), "NaN"),
    (np.array([[2.0, -1.0]]), "negative"),
    (np.array([[3.0, 1.0]]), "sums to"),
    ("abc", "shape|numbers"),
])
def test_bad_probabilities(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        scores.recognisability(bad)


def test_bad_labels_and_sizes():
    with pytest.raises(ValueError, match="n_classes"):
        scores.class_coverage([0, 1, 2])
    with pytest.raises(ValueError, match="0..2"):
        scores.class_coverage([0, 5], n_classes=3)
    with pytest.raises(ValueError, match="integer"):
        scores.class_coverage([0.5, 1], n_classes=3)
    with pytest.raises(ValueError, match="columns"):
        scores.class_coverage(np.eye(3), n_classes=4)
    with pytest.raises(ValueError, match="3 labels for 2"):
        scores.agreement(np.eye(2), [0, 1, 1])


def test_bad_images_and_classifier():
    with pytest.raises(ValueError, match="shape"):
        scores.score_images(perfect_judge(), np.zeros((4, 8)))
    with pytest.raises(ValueError, match="NaN"):
        scores.score_images(perfect_judge(), np.full((2, 8, 8), np.nan))
    with pytest.raises(TypeError, match="classifier"):
        scores.predict_proba(42, np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="logits"):
        scores.predict_proba(lambda x: np.full((len(x), 10), 3.0), np.zeros((2, 8, 8)))


def test_scores_table():
    s = scores.score_images(perfect_judge(), labelled_images(np.arange(30) % 10), reference_inception_score)
    t = scores.scores_table({"real": s})
    assert list(t.index) == ["real"] and t.loc["real", "classes present"] == 10
    assert t.loc["real", "inception score"] > 9
    with pytest.raises(ValueError):
        scores.scores_table({})
    with pytest.raises(TypeError, match="Scores"):
        scores.scores_table({"x": 0.5})


def test_junk_images():
    rng = np.random.default_rng(0)
    real = rng.uniform(size=(30, 8, 8, 1)).astype("float32")
    labels = np.arange(30) % 10
    j = scores.junk_images(real, 50, seed=1, labels=labels)
    assert j.shape == (50, 8, 8, 1) and j.dtype == np.float32
    assert 0 <= j.min() and j.max() <= 1
    np.testing.assert_array_equal(j, scores.junk_images(real, 50, seed=1, labels=labels))
    flat = scores.junk_images(real, 5, kinds=("flat",))
    assert flat.std(axis=(1, 2, 3)).max() < 0.1
    with pytest.raises(ValueError, match="kinds"):
        scores.junk_images(real, 5, kinds=("stripes",))
    with pytest.raises(ValueError, match="positive"):
        scores.junk_images(real, 0)
    with pytest.raises(ValueError, match="labels has"):
        scores.junk_images(real, 5, labels=[1, 2])


def test_check_probabilities_accepts_distributions_and_names_the_problem():
    p = scores.check_probabilities([[0.2, 0.8], [1.0, 0.0]])
    assert p.dtype == np.float64 and p.shape == (2, 2)
    with pytest.raises(ValueError, match="shape"):
        scores.check_probabilities([0.2, 0.8])
    with pytest.raises(ValueError, match="NaN"):
        scores.check_probabilities([[np.nan, 1.0]])
    with pytest.raises(ValueError):
        scores.check_probabilities([[2.0, 3.0]])       # logits, not probabilities
    with pytest.raises(TypeError, match="array of numbers"):
        scores.check_probabilities([["a", "b"]])
