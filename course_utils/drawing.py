"""Drawing generated images with NumPy: shapes by signed distance, gradients and pixel noise.

The two generators of the course draw with these: the CIFAR-10 stand-in of 03
(:mod:`course_utils.shapes`) and the captioned scenes of 07 (:mod:`course_utils.scenes`).
Everything is vectorised over a batch of images.
"""

from __future__ import annotations

import numpy as np

_SQ2 = np.float32(np.sqrt(2.0))
_SQ5 = np.float32(np.sqrt(5.0))

#: The shapes :func:`signed_distance` can draw, in the order of the stand-in's classes.
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "plus",
                           "cross", "ring", "frame", "crescent", "hourglass")


def signed_distance(shape: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Approximate signed distance (in shape radii, < 0 inside) of ``shape`` at offsets (u, v).

    (u, v) are measured from the shape's centre in units of its radius, v growing downwards
    like image rows.
    """
    au, av = np.abs(u), np.abs(v)
    if shape == "circle":
        return np.sqrt(u * u + v * v) - 1.0
    if shape == "square":
        return np.maximum(au, av) - 0.8
    if shape == "triangle":  # apex up
        return np.maximum(v - 0.75, (2.0 * au - (v + 1.0)) / _SQ5)
    if shape == "diamond":
        return (au + av - 1.0) / _SQ2
    if shape in ("plus", "cross"):  # cross = plus turned by 45°
        if shape == "cross":
            u, v = (u + v) / _SQ2, (u - v) / _SQ2
            au, av = np.abs(u), np.abs(v)
        return np.minimum(np.maximum(au - 0.3, av - 1.0), np.maximum(av - 0.3, au - 1.0))
    if shape == "ring":
        return np.abs(np.sqrt(u * u + v * v) - 0.75) - 0.25
    if shape == "frame":  # a hollow square
        m = np.maximum(au, av)
        return np.maximum(m - 0.85, 0.45 - m)
    if shape == "crescent":  # a disc minus a shifted disc
        inner = np.sqrt((u - 0.45) ** 2 + v * v) - 0.8
        return np.maximum(np.sqrt(u * u + v * v) - 1.0, -inner)
    if shape == "hourglass":  # two triangles meeting at the centre
        return np.maximum(av - 0.9, (au - av) / _SQ2)
    raise ValueError(f"unknown shape {shape!r}; known: {', '.join(SHAPES)}")


def coverage(distance: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """A soft edge: how much of each pixel a shape covers (0–1), from its signed distance in
    radii and its radius in pixels."""
    return np.clip(0.5 - distance * radius, 0.0, 1.0)


def pixel_centres(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column coordinates of the pixel centres, shaped (1, size, 1) and (1, 1, size)."""
    coords = np.arange(size, dtype=np.float32) + 0.5
    return coords[None, :, None], coords[None, None, :]


def gradient(size: int, direction: np.ndarray, amplitude: np.ndarray) -> np.ndarray:
    """A gentle linear brightness gradient per image, (n, size, size), zero at the centre.

    ``direction`` in radians and ``amplitude`` (the change across the image) have one entry
    per image.
    """
    ys, xs = pixel_centres(size)
    return ((np.cos(direction)[:, None, None] * (xs - size / 2)
             + np.sin(direction)[:, None, None] * (ys - size / 2)) * (amplitude / size)[:, None, None])


def add_uniform_noise(uniform: np.ndarray, sd: np.ndarray | float, clean: np.ndarray) -> np.ndarray:
    """Turn ``uniform`` (draws in [0, 1), shaped like the images) into ``clean`` plus zero-mean
    noise of standard deviation ``sd`` (one per image, or one for all), in place.

    Uniform noise is several times faster to draw than Gaussian noise and looks the same here.
    """
    sd = np.asarray(sd, dtype=np.float32)
    if sd.ndim == 1:
        sd = sd[:, None, None, None]
    uniform -= 0.5
    uniform *= sd * np.sqrt(12.0, dtype=np.float32)  # the standard deviation of U(-0.5, 0.5) is 1/√12
    uniform += clean
    return uniform
