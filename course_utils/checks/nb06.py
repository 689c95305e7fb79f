"""Self-checks for notebook 06 · Generative adversarial networks.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (a function that returns ``None``), so the
notebook runs top to bottom as committed; a real but wrong answer raises
:class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._base import CheckFailed, not_attempted, passed

__all__ = ["discriminator_loss", "generator_loss", "slerp"]


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def _to_numpy(value: Any, name: str) -> np.ndarray:
    try:
        import keras

        value = keras.ops.convert_to_numpy(value)
    except Exception:  # not a tensor: plain NumPy below
        pass
    try:
        out = np.asarray(value, dtype="float64")
    except (TypeError, ValueError) as e:
        raise CheckFailed(f"{name} returned {type(value).__name__}, expected a number or an array") from e
    return out


def _call(fn: Callable[..., Any], name: str, *args: Any) -> Any:
    if not callable(fn):
        raise CheckFailed(f"pass your function itself (without calling it), got {type(fn).__name__}")
    try:
        return fn(*args)
    except CheckFailed:
        raise
    except Exception as e:
        raise CheckFailed(f"{name} raised {type(e).__name__}: {e}") from e


def _scalar(value: Any, name: str) -> float:
    v = _to_numpy(value, name)
    if v.size != 1:
        raise CheckFailed(f"{name} returned an array of shape {v.shape}; a loss is one number: "
                          "take the mean over the batch (keras.ops.mean)")
    v = float(v.reshape(()))
    if not np.isfinite(v):
        raise CheckFailed(f"{name} returned {v}; with logits use a numerically stable form "
                          "(keras.ops.softplus, or BinaryCrossentropy(from_logits=True))")
    return v


_REAL = np.array([[2.0], [0.5], [-1.0], [3.0], [-0.2], [40.0]], dtype="float32")
_FAKE = np.array([[-1.5], [0.3], [1.2], [-3.0], [0.0], [-40.0]], dtype="float32")


def discriminator_loss(fn: Callable[[Any, Any], Any]) -> bool:
    """Exercise 1 (section "The training step"): the discriminator's loss from its logits.

    ``fn(real_logits, fake_logits)`` must return the mean binary cross-entropy
    of calling real images real (target 1) plus that of calling generated ones
    fake (target 0), computed from logits.
    """
    out = _call(fn, "discriminator_loss", _REAL, _FAKE)
    if out is None:
        return not_attempted("discriminator_loss returns None; write the loss and run this cell again.")
    got = _scalar(out, "discriminator_loss")
    real_part = float(_softplus(-_REAL.astype("float64")).mean())
    fake_part = float(_softplus(_FAKE.astype("float64")).mean())
    want = real_part + fake_part
    if np.isclose(got, want, rtol=1e-4, atol=1e-5):
        return passed(f"discriminator loss = {got:.4f}: real images scored against 1, fakes against 0.")
    if np.isclose(got, want / 2, rtol=1e-4, atol=1e-5):
        raise CheckFailed("your loss is half the expected one: add the two terms instead of averaging them.")
    swapped = float(_softplus(_REAL.astype("float64")).mean() + _softplus(-_FAKE.astype("float64")).mean())
    if np.isclose(got, swapped, rtol=1e-4, atol=1e-5):
        raise CheckFailed("the targets are swapped: real images should have target 1 (real), "
                          "generated images target 0 (fake).")
    if np.isclose(got, real_part, rtol=1e-4, atol=1e-5) or np.isclose(got, fake_part, rtol=1e-4, atol=1e-5):
        raise CheckFailed("only one of the two terms is there: the discriminator is scored on real "
                          "AND on generated images.")
    raise CheckFailed(f"got {got:.4f}, expected {want:.4f}. The inputs are logits (before the sigmoid): "
                      "use BinaryCrossentropy(from_logits=True), or ops.softplus(-real) for target 1 and "
                      "ops.softplus(fake) for target 0, averaged over the batch.")


def generator_loss(fn: Callable[[Any], Any]) -> bool:
    """Exercise 2 (section "The training step"): the non-saturating generator loss.

    ``fn(fake_logits)`` must return the mean binary cross-entropy of the
    discriminator's logits on generated images against target 1 ("real"),
    i.e. mean(-log D(G(z))), the form Goodfellow et al. recommend in practice.
    """
    out = _call(fn, "generator_loss", _FAKE)
    if out is None:
        return not_attempted("generator_loss returns None; write the loss and run this cell again.")
    got = _scalar(out, "generator_loss")
    f = _FAKE.astype("float64")
    want = float(_softplus(-f).mean())
    if np.isclose(got, want, rtol=1e-4, atol=1e-5):
        return passed(f"generator loss = {got:.4f}: the generator is rewarded when its fakes pass as real.")
    if np.isclose(got, -float(_softplus(f).mean()), rtol=1e-4, atol=1e-5):
        raise CheckFailed("this is the saturating minimax form, minimising log(1 - D(G(z))): its gradient "
                          "vanishes while the discriminator easily spots fakes. Score the fakes against "
                          "target 1 instead (non-saturating loss).")
    if np.isclose(got, float(_softplus(f).mean()), rtol=1e-4, atol=1e-5):
        raise CheckFailed("this scores the fakes against target 0, which is the discriminator's goal; "
                          "the generator wants them called real (target 1).")
    raise CheckFailed(f"got {got:.4f}, expected {want:.4f}: binary cross-entropy of fake_logits against "
                      "target 1, from logits, averaged over the batch.")


def _slerp(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    omega = np.arccos(np.clip(np.dot(z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1)), -1.0, 1.0))
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def slerp(fn: Callable[[Any, Any, int], Any]) -> bool:
    """Exercise 3 (section "Walking through the latent space"): spherical interpolation.

    ``fn(z0, z1, steps)`` must return an array (steps, latent_dim): the first row
    ``z0``, the last ``z1``, and between them points on the great circle,
    ``(sin((1-t)ω) z0 + sin(tω) z1) / sin ω`` with ``ω`` the angle between
    ``z0`` and ``z1`` and ``t = linspace(0, 1, steps)``.
    """
    rng = np.random.default_rng(6)
    z0, z1 = rng.normal(size=16), rng.normal(size=16)
    out = _call(fn, "slerp", z0.astype("float32"), z1.astype("float32"), 7)
    if out is None:
        return not_attempted("slerp returns None; write it and run this cell again.")
    got = _to_numpy(out, "slerp")
    if got.shape != (7, 16):
        raise CheckFailed(f"with steps=7 and 16-dimensional vectors the result should have shape (7, 16), "
                          f"got {got.shape}: one row per step (t[:, None] broadcasts over the vector).")
    if not np.allclose(got[0], z0, atol=1e-4) or not np.allclose(got[-1], z1, atol=1e-4):
        raise CheckFailed("the first row must be z0 and the last row z1 "
                          "(np.linspace(0, 1, steps) includes both ends).")
    t = np.linspace(0.0, 1.0, 7)[:, None]
    if np.allclose(got, (1 - t) * z0 + t * z1, atol=1e-4):
        raise CheckFailed("this is linear interpolation: its middle points are shorter than typical "
                          "noise vectors. Use the angle ω = arccos(z0·z1 / (|z0| |z1|)) and the sine "
                          "weights sin((1-t)ω)/sin ω and sin(tω)/sin ω.")
    if not np.allclose(got, _slerp(z0, z1, 7), atol=1e-3):
        raise CheckFailed("the end points are right but the points between them are not on the great "
                          "circle: check the angle (normalise z0 and z1 before the dot product) and "
                          "the weights sin((1-t)ω)/sin ω, sin(tω)/sin ω.")
    return passed("7 points from z0 to z1 along the great circle; their lengths stay typical.")
