"""Self-checks for notebook 06 · Generative adversarial networks.

Each check prints "Not attempted yet: ..." and returns ``False`` while the
exercise still holds its starter (a prediction of ``None``, a function that
returns ``None``), so the notebook runs top to bottom as committed; a real but
wrong answer raises :class:`CheckFailed` with a hint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._base import CheckFailed, is_open, not_attempted, passed, require_function

__all__ = ["blind_discriminator_losses", "discriminator_loss", "generator_loss", "slerp"]


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
    require_function(fn, name)
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


def _prediction(value: Any, name: str) -> float:
    try:
        v = float(np.asarray(value, dtype="float64").reshape(()))
    except (TypeError, ValueError) as e:
        raise CheckFailed(f"{name} should be one number (or an expression such as 2 * np.log(3)), "
                          f"got {value!r}") from e
    if not np.isfinite(v):
        raise CheckFailed(f"{name} = {v}: a loss of a discriminator that says 1/2 is a finite number")
    return v


#: how close a prediction must be: the values to tell apart differ in the second decimal
PREDICTION_TOLERANCE = 0.003


def blind_discriminator_losses(predicted_d_loss: Any, predicted_g_loss: Any, real_target: float,
                               measured: tuple[float, float]) -> bool:
    """Exercise 1 (section "The training step"): predict the losses of a blind discriminator.

    A blind discriminator outputs logit 0 (D = 1/2) for every image. With the real
    images' target ``real_target`` (one-sided label smoothing) the discriminator's
    loss is BCE(t, 1/2) + BCE(0, 1/2) = 2 ln 2 and the generator's BCE(1, 1/2) = ln 2,
    whatever t is. ``measured`` holds what the notebook's own ``d_loss`` and ``g_loss``
    return for zero logits; it is shown only once both predictions are written.
    """
    t = float(real_target)
    if not 0.0 < t <= 1.0:
        raise CheckFailed(f"real_target must lie in (0, 1], got {real_target!r}")
    try:
        measured_d, measured_g = (float(v) for v in measured)
    except (TypeError, ValueError) as e:
        raise CheckFailed("measured must be the two losses (d_loss, g_loss) the GAN returns") from e
    want_d, want_g = 2 * np.log(2), np.log(2)
    if abs(measured_d - want_d) > 1e-3 or abs(measured_g - want_g) > 1e-3:
        raise CheckFailed(f"the GAN's own losses give L_D = {measured_d:.4f}, L_G = {measured_g:.4f} for "
                          f"logits 0, but binary cross-entropy gives {want_d:.4f} and {want_g:.4f}: "
                          "re-run section 5 (GANBase.d_loss and g_loss) before this cell.")
    missing = [name for name, v in (("predicted_d_loss", predicted_d_loss),
                                    ("predicted_g_loss", predicted_g_loss)) if is_open(v)]
    if missing:
        return not_attempted(f"{' and '.join(missing)} still None: write your prediction (to three "
                             "decimals, or an expression such as 2 * np.log(3)) before you look; "
                             "the measured values are shown once both are in.")
    got_d = _prediction(predicted_d_loss, "predicted_d_loss")
    got_g = _prediction(predicted_g_loss, "predicted_g_loss")
    shown = f"measured: L_D = {measured_d:.3f}, L_G = {measured_g:.3f}"
    if abs(got_d - want_d) <= PREDICTION_TOLERANCE and abs(got_g - want_g) <= PREDICTION_TOLERANCE:
        return passed(f"right ({shown}). At p = 1/2 every log is ln(1/2), so BCE(t, 1/2) = ln 2 for "
                      "any target t: L_D = 2 ln 2 and L_G = ln 2, label smoothing or not. The balance "
                      f"of section 5 is different: there the best discriminator says t/2 = {t / 2:.2f}.")
    d_at_balance = t / 2
    balanced_d = -(t * np.log(d_at_balance) + (1 - t) * np.log(1 - d_at_balance)) - np.log(1 - d_at_balance)
    balanced_g = -np.log(d_at_balance)
    hints = []
    if abs(got_d - want_d) > PREDICTION_TOLERANCE:
        if t < 1 and abs(got_d - balanced_d) <= PREDICTION_TOLERANCE:
            hints.append(f"L_D {got_d:.3f} is the balance value of section 5, where the best discriminator "
                         f"says t/2 = {d_at_balance:.2f}; a blind one says 1/2 to every image.")
        elif t < 1 and abs(got_d - (1 + t) * np.log(2)) <= PREDICTION_TOLERANCE:
            hints.append(f"L_D {got_d:.3f}: the smoothed target has a (1 - t) part too, "
                         "BCE(t, p) = -t log p - (1 - t) log(1 - p); at p = 1/2 the two parts add up.")
        elif abs(got_d - np.log(2)) <= PREDICTION_TOLERANCE:
            hints.append(f"L_D {got_d:.3f} is one term; the discriminator's loss adds the real images' "
                         "term and the fakes' term.")
        else:
            hints.append(f"L_D {got_d:.3f} is not it: add BCE(t, 1/2) for the real images and "
                         "BCE(0, 1/2) for the fakes, with BCE(y, p) = -y log p - (1 - y) log(1 - p).")
    if abs(got_g - want_g) > PREDICTION_TOLERANCE:
        if t < 1 and abs(got_g - balanced_g) <= PREDICTION_TOLERANCE:
            hints.append(f"L_G {got_g:.3f} is the balance value of section 5 (-log(t/2)); a blind "
                         "discriminator says 1/2, not t/2.")
        elif t < 1 and abs(got_g - t * np.log(2)) <= PREDICTION_TOLERANCE:
            hints.append(f"L_G {got_g:.3f}: the generator's target is 1, not t; label smoothing is "
                         "one-sided, for the discriminator's real images only.")
        else:
            hints.append(f"L_G {got_g:.3f} is not it: the generator's loss is BCE(1, D(G(z))) = -log D(G(z)).")
    raise CheckFailed(" ".join(hints) + f" ({shown}.)")


def discriminator_loss(fn: Callable[[Any, Any], Any]) -> bool:
    """Exercise 2 (section "The training step"): the discriminator's loss from its logits.

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
    """Exercise 3 (section "The training step"): the non-saturating generator loss.

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
    """Exercise 4 (section "Walking through the latent space"): spherical interpolation.

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
