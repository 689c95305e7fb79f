"""Measuring generated images instead of eyeballing them.

A digit classifier trained on the real data (the "judge") looks at generated
samples. Two numbers come out of its predicted class probabilities:

* **recognisability**: the mean top-class confidence. Real digits score close
  to 1; smudges the judge cannot place score low.
* **coverage / diversity**: how the predicted classes are spread over the 10
  digits. A generator that draws only a few digits (mode collapse) shows up
  here: few classes present, one class far above 10 %.
* **inception score** (Salimans et al. 2016, with this judge in place of the
  Inception network): high only when every sample is confidently one digit
  AND the digits are varied; from 1 (no idea, or one class) to 10. The
  notebook computes it itself (a few lines of NumPy, section 3) and passes
  its function to :func:`score_images`; this module only carries the number.

Taught with: 06 · Generative adversarial networks, sections "A judge that can
say 'I don't know'", "Measuring quality" and "A conditional GAN".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import images as images_

__all__ = ["Scores", "check_probabilities", "recognisability", "class_coverage", "agreement",
           "predict_proba", "score_images", "scores_table", "junk_images"]


# ----------------------------------------------------------------------------- validation
def check_probabilities(probs: Any, name: str = "probs") -> np.ndarray:
    """``probs`` as a float64 array (n, classes), or a clear error saying what is wrong.

    Each row must be a probability distribution: finite, non-negative, summing
    to 1 (within 1e-3). Pass a classifier's softmax output, not its logits.
    """
    try:
        p = np.asarray(probs, dtype="float64")
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be an array of numbers, got {type(probs).__name__}") from e
    if p.ndim != 2:
        raise ValueError(f"{name} must have shape (n_samples, n_classes); got shape {p.shape}")
    if p.shape[0] == 0 or p.shape[1] < 2:
        raise ValueError(f"{name} needs at least one sample and two classes; got shape {p.shape}")
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{name} contains NaN or inf")
    if np.any(p < -1e-6):
        raise ValueError(f"{name} has negative entries: pass probabilities (softmax output), not logits")
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-3):
        bad = int(np.argmax(np.abs(sums - 1.0)))
        raise ValueError(f"{name}: row {bad} sums to {sums[bad]:.4f}, not 1: pass probabilities "
                         "(softmax output), not logits or scores")
    return p


def _labels(labels: Any, n_classes: int, name: str = "labels") -> np.ndarray:
    y = np.asarray(labels)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of class indices; got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        if np.issubdtype(y.dtype, np.floating) and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype("int64")
        else:
            raise ValueError(f"{name} must be integer class indices, got dtype {y.dtype}")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}; got values from {y.min()} to {y.max()}")
    return y.astype("int64")


# ----------------------------------------------------------------------------- scores
def recognisability(probs: Any) -> float:
    """Mean top-class confidence of the judge over the samples (0.1 = no idea, 1 = certain)."""
    p = check_probabilities(probs)
    return float(p.max(axis=1).mean())


@dataclass(frozen=True)
class Coverage:
    """How predicted classes spread over the classes (see :func:`class_coverage`)."""

    counts: np.ndarray
    n_present: int
    max_fraction: float
    diversity: float  # entropy of the class histogram / log(n_classes): 1 = perfectly even, 0 = one class


def class_coverage(probs_or_labels: Any, n_classes: int | None = None) -> Coverage:
    """Count the judge's predicted classes: how many are present, the largest share, the evenness.

    Give the judge's probabilities (n, classes) or predicted labels (n,) with
    ``n_classes``. Mode collapse shows as few classes present and a large
    ``max_fraction``; a generator that covers the digits evenly has
    ``diversity`` near 1.
    """
    a = np.asarray(probs_or_labels)
    if a.ndim == 2:
        p = check_probabilities(a)
        if n_classes is not None and n_classes != p.shape[1]:
            raise ValueError(f"n_classes={n_classes} but the probabilities have {p.shape[1]} columns")
        n_classes = p.shape[1]
        y = p.argmax(axis=1)
    else:
        if n_classes is None:
            raise ValueError("give n_classes together with predicted labels")
        if not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
        y = _labels(a, int(n_classes))
    counts = np.bincount(y, minlength=n_classes).astype("int64")
    f = counts / counts.sum()
    nz = f[f > 0]
    diversity = max(0.0, float(-(nz * np.log(nz)).sum() / np.log(n_classes)))
    return Coverage(counts=counts, n_present=int((counts > 0).sum()),
                    max_fraction=float(f.max()), diversity=diversity)


def agreement(probs: Any, requested: Any) -> float:
    """Fraction of samples whose top class is the class that was asked for (conditional GAN)."""
    p = check_probabilities(probs)
    y = _labels(requested, p.shape[1], name="requested")
    if len(y) != len(p):
        raise ValueError(f"requested has {len(y)} labels for {len(p)} samples")
    return float((p.argmax(axis=1) == y).mean())


# ----------------------------------------------------------------------------- the judge
def predict_proba(classifier: Any, images: Any, batch_size: int = 512) -> np.ndarray:
    """The judge's class probabilities for ``images`` (a Keras model or any callable).

    ``images`` are (n, h, w) or (n, h, w, 1) in the range the judge was trained on.
    """
    x = images_.as_batch(images)
    if hasattr(classifier, "predict"):
        p = classifier.predict(x, batch_size=batch_size, verbose=0)
    elif callable(classifier):
        p = classifier(x)
    else:
        raise TypeError(f"classifier must be a Keras model or a callable, got {type(classifier).__name__}")
    p = np.asarray(p, dtype="float64")
    return check_probabilities(p, name="the classifier's output")


@dataclass(frozen=True)
class Scores:
    """Recognisability and coverage of one set of images, as judged by one classifier."""

    recognisability: float
    n_present: int
    max_fraction: float
    diversity: float
    counts: np.ndarray
    inception_score: float | None = None  # None when no inception-score function was given

    def __str__(self) -> str:
        text = (f"recognisability {self.recognisability:.3f} · classes present {self.n_present} · "
                f"largest class {self.max_fraction:.1%} · diversity {self.diversity:.3f}")
        if self.inception_score is not None:
            text += f" · inception score {self.inception_score:.2f}"
        return text


def score_images(classifier: Any, images: Any,
                 inception_score: Callable[[np.ndarray], float] | None = None) -> Scores:
    """Score generated (or real) images with a trained classifier. See the module docstring.

    ``inception_score``, if given, is called with the judge's probabilities
    (n, classes) and must return one finite number between 1 and n_classes
    (06 · GANs, section 3, writes it); anything else is a clear error.
    """
    p = predict_proba(classifier, images)
    cov = class_coverage(p)
    score = None
    if inception_score is not None:
        if not callable(inception_score):
            raise TypeError("inception_score must be a function of the probabilities, got "
                            f"{type(inception_score).__name__}")
        try:
            score = float(inception_score(p))
        except (TypeError, ValueError) as e:
            raise TypeError("inception_score must return one number") from e
        if not np.isfinite(score) or not 1.0 - 1e-6 <= score <= p.shape[1] + 1e-6:
            raise ValueError(f"inception_score returned {score}; an inception score lies between 1 "
                             f"and the number of classes ({p.shape[1]})")
    return Scores(recognisability=recognisability(p), n_present=cov.n_present,
                  max_fraction=cov.max_fraction, diversity=cov.diversity, counts=cov.counts,
                  inception_score=score)


def scores_table(scores: Mapping[str, Scores]) -> Any:
    """A small pandas table, one row per image set, for side-by-side comparison."""
    import pandas as pd

    if not scores:
        raise ValueError("give at least one {name: Scores} entry")
    rows = {}
    for name, s in scores.items():
        if not isinstance(s, Scores):
            raise TypeError(f"{name!r}: expected a Scores (from score_images), got {type(s).__name__}")
        rows[name] = {"recognisability": round(s.recognisability, 3), "classes present": s.n_present,
                      "largest class": f"{s.max_fraction:.1%}", "diversity": round(s.diversity, 3)}
        if s.inception_score is not None:
            rows[name]["inception score"] = round(s.inception_score, 2)
    return pd.DataFrame.from_dict(rows, orient="index")


JUNK_KINDS = ("shuffled", "blend", "noise", "flat")


def junk_images(real: Any, n: int, seed: int = 0, labels: Any = None,
                kinds: tuple[str, ...] = JUNK_KINDS) -> np.ndarray:
    """``n`` images that are not digits, for teaching the judge to say "I don't know".

    Made from ``real`` images (n, h, w[, 1]) in [0, 1]: pixels shuffled within an
    image (the same ink, no shape), blends of two different images, uniform
    noise, and flat grey images. With ``labels`` the blends always mix two
    different digits. ``kinds`` picks which of these to make. Trained with a uniform target, they keep the
    judge from being confidently wrong about smudges, so an untrained generator
    scores low (section "A judge that can say 'I don't know'").
    """
    x = images_.as_batch(real)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    unknown = [k for k in kinds if k not in JUNK_KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be a non-empty selection of {JUNK_KINDS}, got {kinds!r}")
    rng = np.random.default_rng(seed)
    shape = x.shape[1:]
    which = [JUNK_KINDS.index(k) for k in kinds]
    picks = np.asarray(which)[rng.integers(0, len(which), size=n)]
    out = np.empty((n, *shape), dtype="float32")
    ia, ib = rng.integers(0, len(x), size=n), rng.integers(0, len(x), size=n)
    if labels is not None:
        y = _labels(labels, int(np.max(labels)) + 1)
        if len(y) != len(x):
            raise ValueError(f"labels has {len(y)} entries for {len(x)} images")
        for _ in range(20):  # redraw partners with the same label
            same = y[ia] == y[ib]
            if not same.any():
                break
            ib[same] = rng.integers(0, len(x), size=int(same.sum()))
    a, b = x[ia], x[ib]
    for i, k in enumerate(picks):
        if k == 0:  # shuffled pixels
            out[i] = rng.permutation(a[i].ravel()).reshape(shape)
        elif k == 1:  # a blend of two digits
            w = rng.uniform(0.35, 0.65)
            out[i] = w * a[i] + (1 - w) * b[i]
        elif k == 2:  # noise
            out[i] = rng.uniform(0, 1, size=shape) * rng.uniform(0.3, 1.0)
        else:  # flat grey, with a little noise
            out[i] = np.clip(rng.uniform(0, 0.8) + rng.normal(0, 0.05, size=shape), 0, 1)
    return out
