"""Drawing the offline stand-in for CIFAR-10: 32×32 colour images of ten shapes.

When CIFAR-10 is neither cached nor downloadable (the smoke profile, a
workshop without Wi-Fi), :func:`course_utils.datasets.load_cifar10` returns
:func:`course_utils.datasets.make_shapes_dataset` instead and announces it; the images
come from :func:`render_shapes`. The class of an image is
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

from . import drawing

SHAPE_CLASSES: list[str] = list(drawing.SHAPES)
IMAGE_SIZE = 32

CONTRAST = 0.3          # least colour difference between shape and background, per channel
NOISE_SD = (0.02, 0.08)  # range of the pixel noise's standard deviation
N_LINES = 2              # clutter: lines per image, the first half behind the shape, the rest over it


def _line_alpha(seg: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Coverage (0–1) of a one-pixel-wide line from (x0, y0) to (x1, y1), one per image: (n, H, W)."""
    x0, y0, x1, y1 = (seg[:, i, None, None] for i in range(4))
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy + 1e-6), 0.0, 1.0)
    dist = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
    return np.clip(1.0 - dist, 0.0, 1.0)


def render_shapes(labels: np.ndarray, rng: np.random.Generator, size: int = IMAGE_SIZE, *,
                  return_masks: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Draw one image per label (0–9): float32 (n, size, size, 3) in [0, 1].

    Each image: a background colour with a gentle gradient, the shape of its
    class at a random position, radius (15–31 % of the image), rotation
    (±15°, so a square never looks like a diamond) and colour (at least ``CONTRAST`` away from the
    background in every channel), a soft one-pixel edge; ``N_LINES`` one-pixel lines of random
    colour between random points (clutter: the first half behind the shape, the rest across it,
    so a line can cut through the shape); then uniform pixel noise (standard deviation in
    ``NOISE_SD``). The clutter keeps a small CNN below 100 %: 03 checks how far it gets.

    With ``return_masks=True`` it returns ``(images, masks)``: ``masks`` is float32 (n, size,
    size), how much of each pixel the shape covers (0–1, soft at the edge; the lines drawn over
    the shape are not taken out). The images are the same as without it, draw for draw. Taught
    with: 03 · Convolutional networks ("Where the CNN looks: class activation maps", which checks
    that the CNN's evidence lies on the shape).
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

    ys, xs = drawing.pixel_centres(size)
    dx = xs - cx[:, None, None]
    dy = ys - cy[:, None, None]
    c, s = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    rr = r[:, None, None]
    u = (c * dx + s * dy) / rr
    v = (-s * dx + c * dy) / rr

    if n and (labels.min() < 0 or labels.max() >= len(SHAPE_CLASSES)):
        raise ValueError(f"unknown shape label(s) {sorted(set(labels.tolist()) - set(range(len(SHAPE_CLASSES))))}; "
                         f"labels are 0–{len(SHAPE_CLASSES) - 1} ({', '.join(SHAPE_CLASSES)})")
    alpha = np.empty((n, size, size), dtype=f32)
    for k in np.unique(labels):
        idx = np.flatnonzero(labels == k)
        d = drawing.signed_distance(SHAPE_CLASSES[int(k)], u[idx], v[idx])
        alpha[idx] = drawing.coverage(d, rr[idx])

    # the clean picture: background colour + a linear gradient g, the lines behind the shape,
    # the shape (it covers what lies under it), the lines across it; then noise everywhere
    clean = bg[:, None, None, :] + drawing.gradient(size, grad_dir, grad_amp)[..., None]
    for j in range(N_LINES):
        if j == N_LINES // 2:
            clean += alpha[..., None] * (fg[:, None, None, :] - clean)
        a = _line_alpha(seg[:, j], xs, ys)[..., None]
        clean += a * (line_rgb[:, j, None, None, :] - clean)
    if N_LINES == 0:
        clean += alpha[..., None] * (fg[:, None, None, :] - clean)
    img = drawing.add_uniform_noise(noise, noise_sd, clean)
    np.clip(img, 0.0, 1.0, out=img)
    return (img, alpha) if return_masks else img
