"""The offline stand-in for CIFAR-10: 32×32 colour images of ten shapes.

When CIFAR-10 is neither cached nor downloadable (the smoke profile, a
workshop without Wi-Fi), :func:`course_utils.data.load_cifar10` returns
:func:`make_shapes_dataset` instead and announces it. The class of an image is
the *shape* drawn in it; position, size, rotation and colours are random and
the background is noisy. Because the same shape turns up anywhere in the
image, a dense network (one weight per pixel) has to learn every position
separately and does clearly worse than a convolutional network. That is one
reason (not the only one) why dense networks do poorly on real CIFAR-10; the
stand-in has none of CIFAR-10's textures or variety within a class, so its
accuracies say nothing about CIFAR-10's.

Everything is vectorised with NumPy: 10,000 images take about two seconds.

Taught with: 03 · Convolutional networks ("CIFAR-10, or its stand-in",
"The stand-in data set").
"""

from __future__ import annotations

import numpy as np

from .data import Dataset

SHAPE_CLASSES: list[str] = ["circle", "square", "triangle", "diamond", "plus",
                            "cross", "ring", "frame", "crescent", "hourglass"]
IMAGE_SIZE = 32

CONTRAST = 0.3          # least colour difference between shape and background, per channel
NOISE_SD = (0.02, 0.08)  # range of the pixel noise's standard deviation
N_LINES = 2              # clutter: lines per image, the first half behind the shape, the rest over it

_SQ2 = np.float32(np.sqrt(2.0))
_SQ5 = np.float32(np.sqrt(5.0))


def _sdf(k: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Approximate signed distance (in shape radii, < 0 inside) of shape ``k`` at (u, v)."""
    au, av = np.abs(u), np.abs(v)
    if k == 0:  # circle
        return np.sqrt(u * u + v * v) - 1.0
    if k == 1:  # square
        return np.maximum(au, av) - 0.8
    if k == 2:  # triangle, apex up (v grows downwards like image rows)
        return np.maximum(v - 0.75, (2.0 * au - (v + 1.0)) / _SQ5)
    if k == 3:  # diamond
        return (au + av - 1.0) / _SQ2
    if k in (4, 5):  # plus; cross = plus turned by 45°
        if k == 5:
            u, v = (u + v) / _SQ2, (u - v) / _SQ2
            au, av = np.abs(u), np.abs(v)
        return np.minimum(np.maximum(au - 0.3, av - 1.0), np.maximum(av - 0.3, au - 1.0))
    if k == 6:  # ring
        return np.abs(np.sqrt(u * u + v * v) - 0.75) - 0.25
    if k == 7:  # frame (a hollow square)
        m = np.maximum(au, av)
        return np.maximum(m - 0.85, 0.45 - m)
    if k == 8:  # crescent: a disc minus a shifted disc
        inner = np.sqrt((u - 0.45) ** 2 + v * v) - 0.8
        return np.maximum(np.sqrt(u * u + v * v) - 1.0, -inner)
    if k == 9:  # hourglass: two triangles meeting at the centre
        return np.maximum(av - 0.9, (au - av) / _SQ2)
    raise ValueError(f"unknown shape index {k}")


def _line_alpha(seg: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Coverage (0–1) of a one-pixel-wide line from (x0, y0) to (x1, y1), one per image: (n, H, W)."""
    x0, y0, x1, y1 = (seg[:, i, None, None] for i in range(4))
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy + 1e-6), 0.0, 1.0)
    dist = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
    return np.clip(1.0 - dist, 0.0, 1.0)


def render_shapes(labels: np.ndarray, rng: np.random.Generator,
                  size: int = IMAGE_SIZE) -> np.ndarray:
    """Draw one image per label (0–9): float32 (n, size, size, 3) in [0, 1].

    Each image: a background colour with a gentle gradient, the shape of its
    class at a random position, radius (15–31 % of the image), rotation
    (±15°, so a square never looks like a diamond) and colour (at least ``CONTRAST`` away from the
    background in every channel), a soft one-pixel edge; ``N_LINES`` one-pixel lines of random
    colour between random points (clutter: the first half behind the shape, the rest across it,
    so a line can cut through the shape); then uniform pixel noise (standard deviation in
    ``NOISE_SD``). The clutter keeps a small CNN below 100 %: 03 checks 0.80–0.95 in the cpu profile.
    """
    labels = np.asarray(labels)
    n = len(labels)
    f32 = np.float32
    # per-image parameters, drawn in a fixed order so a seed gives the same images
    r = rng.uniform(0.15, 0.31, n).astype(f32) * size
    cx = (r + rng.uniform(0, 1, n).astype(f32) * (size - 2 * r))
    cy = (r + rng.uniform(0, 1, n).astype(f32) * (size - 2 * r))
    theta = rng.uniform(-0.26, 0.26, n).astype(f32)
    bg = rng.uniform(0, 1, (n, 3)).astype(f32)
    fg = (bg + rng.uniform(CONTRAST, 1 - CONTRAST, (n, 3)).astype(f32)) % 1.0
    grad_dir = rng.uniform(0, 2 * np.pi, n).astype(f32)
    grad_amp = rng.uniform(0, 0.15, n).astype(f32)
    noise_sd = rng.uniform(*NOISE_SD, n).astype(f32)
    noise = rng.random((n, size, size, 3), dtype=f32)  # uniform: 8× faster than normal
    # clutter: straight lines of random colour with endpoints anywhere in the image
    seg = rng.uniform(0, size, (n, N_LINES, 4)).astype(f32)
    line_rgb = rng.uniform(0, 1, (n, N_LINES, 3)).astype(f32)

    coords = np.arange(size, dtype=f32) + 0.5
    ys, xs = coords[None, :, None], coords[None, None, :]
    dx = xs - cx[:, None, None]
    dy = ys - cy[:, None, None]
    c, s = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    rr = r[:, None, None]
    u = (c * dx + s * dy) / rr
    v = (-s * dx + c * dy) / rr

    alpha = np.empty((n, size, size), dtype=f32)
    for k in np.unique(labels):
        idx = np.flatnonzero(labels == k)
        d = _sdf(int(k), u[idx], v[idx])
        alpha[idx] = np.clip(0.5 - d * rr[idx], 0.0, 1.0)  # distance in pixels → soft edge

    # the clean picture: background colour + a linear gradient g, the lines behind the shape,
    # the shape (it covers what lies under it), the lines across it; then noise everywhere
    g = ((np.cos(grad_dir)[:, None, None] * (xs - size / 2) + np.sin(grad_dir)[:, None, None]
          * (ys - size / 2)) * (grad_amp / size)[:, None, None])
    clean = bg[:, None, None, :] + g[..., None]
    for j in range(N_LINES):
        if j == N_LINES // 2:
            clean += alpha[..., None] * (fg[:, None, None, :] - clean)
        a = _line_alpha(seg[:, j], xs, ys)[..., None]
        clean += a * (line_rgb[:, j, None, None, :] - clean)
    if N_LINES == 0:
        clean += alpha[..., None] * (fg[:, None, None, :] - clean)
    img = noise
    img -= 0.5
    img *= (noise_sd * np.sqrt(12.0, dtype=f32))[:, None, None, None]  # standard deviation noise_sd
    img += clean
    return np.clip(img, 0.0, 1.0, out=img)


def make_shapes_dataset(n: int = 12000, seed: int = 0, test_fraction: float = 1 / 6) -> Dataset:
    """A CIFAR-10-shaped stand-in: ``n`` images (n, 32, 32, 3) float32 in [0, 1], 10 classes.

    The class is the shape (``SHAPE_CLASSES``: circle, square, triangle, ...),
    drawn at a random position, size, rotation and colour on a noisy
    background. Classes are balanced in each split (they differ by at most one image), the
    labels are int64, and the same ``seed`` always gives the same images.
    ``test_fraction`` of the images (rounded, at least one each) form the test
    split. The result has ``standin=True``; :func:`course_utils.data.load_cifar10`
    announces it. Taught with: 03 · Convolutional networks.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an integer number of images, got {type(n).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if not isinstance(test_fraction, (int, float)) or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction!r}")
    n_test = int(round(n * test_fraction))
    if n < 2 or n_test < 1 or n_test > n - 1:
        raise ValueError(f"n={n} with test_fraction={test_fraction} leaves an empty train or test "
                         "split; ask for more images")
    rng = np.random.default_rng(seed)
    k = len(SHAPE_CLASSES)
    n_train = n - n_test
    # each split on its own is balanced: classes differ by at most one image
    labels = np.concatenate([rng.permutation(np.arange(n_train) % k),
                             rng.permutation(np.arange(n_test) % k)]).astype("int64")
    x = render_shapes(labels, rng)
    src = (f"make_shapes_dataset(n={n}, seed={seed}): {len(SHAPE_CLASSES)} shapes "
           "(circle, square, ... hourglass) at random position, size, rotation and colour "
           "on a noisy background; the class is the shape")
    return Dataset(x[:n_train], labels[:n_train], x[n_train:], labels[n_train:], src, "shapes",
                   list(SHAPE_CLASSES), standin=True)
