"""Generated scenes with captions, for 07 · Image captioning with attention.

:func:`make_scenes` draws ``n`` small colour images, each with one to three
shapes (circle, square, triangle) in red, green, blue or yellow, small or
large, on a noisy grey background, and writes the caption the scene implies,
objects from left to right::

    "a small red circle left of a large blue square"

The image is split into three columns and every object sits in its own column
(at a random height and a random offset inside the column), so "left of" is
never ambiguous. Because the generator knows where it put each object, it also
returns which cells of the CNN's feature grid each object covers
(``Scenes.cell_masks``) and, for every word of a caption, which object the
word describes (:func:`word_objects`): that is what the notebook's check
``attention_mass_on_named_object`` compares the attention weights with.

These are generated data, not a stand-in for a real data set: the notebook
says so wherever it uses them. Plumbing only: the vocabulary, the models, the decoding and
the scores are written in the notebook; its figures are in :mod:`course_utils.figures.nb07`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import drawing

SHAPES: list[str] = ["circle", "square", "triangle"]

COLOURS: dict[str, tuple[float, float, float]] = {
    "red": (0.90, 0.12, 0.12),
    "green": (0.10, 0.72, 0.18),
    "blue": (0.15, 0.30, 0.95),
    "yellow": (0.95, 0.85, 0.10),
}

SIZES: dict[str, float] = {"small": 0.25, "large": 0.40}  # radius as a fraction of a column's width

RELATION: list[str] = ["left", "of"]

N_COLUMNS = 3

MAX_OBJECTS = 3


@dataclass
class Scenes:
    """What :func:`make_scenes` returns.

    ``images``: float32 (n, size, size, 3) in [0, 1]. ``captions``: n strings.
    ``n_objects``: int64 (n,), 1 to 3. ``shape``, ``colour``, ``size``: int64
    (n, 3), indices into ``SHAPES``, ``list(COLOURS)``, ``list(SIZES)``, objects
    in caption order (left to right), ``-1`` where a scene has fewer objects.
    ``centre``: float32 (n, 3, 2), (row, column) in pixels, NaN for absent
    objects. ``cell_masks``: bool (n, 3, grid, grid), True where an object
    covers at least ``cell_fraction`` of a grid cell (and always its centre's cell).
    """

    images: np.ndarray
    captions: list[str]
    n_objects: np.ndarray
    shape: np.ndarray
    colour: np.ndarray
    size: np.ndarray
    centre: np.ndarray
    cell_masks: np.ndarray
    grid: int
    source: str = ""

    def __len__(self) -> int:
        return len(self.images)


def vocabulary_words() -> list[str]:
    """Every word a caption can contain, in a fixed order (the notebook builds its own vocabulary)."""
    return ["a", *SIZES, *COLOURS, *SHAPES, *RELATION]


def _check_int(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)


def caption_of(shape: Sequence[int], colour: Sequence[int], size: Sequence[int]) -> str:
    """The caption of one scene from its objects' indices, left to right (``-1`` entries end it).

    >>> caption_of([0, 1], [0, 2], [0, 1])
    'a small red circle left of a large blue square'
    """
    colours, sizes = list(COLOURS), list(SIZES)
    parts = []
    for s, c, z in zip(shape, colour, size, strict=True):
        if s < 0:
            break
        if not (0 <= s < len(SHAPES) and 0 <= c < len(colours) and 0 <= z < len(sizes)):
            raise ValueError(f"object indices out of range: shape {s}, colour {c}, size {z}")
        parts.append(f"a {sizes[z]} {colours[c]} {SHAPES[s]}")
    if not parts:
        raise ValueError("a scene needs at least one object")
    return " left of ".join(parts)


def word_objects(caption: str) -> np.ndarray:
    """For each word of ``caption``, the index of the object it describes, or -1.

    Size, colour and shape words belong to an object (0 = leftmost); "a",
    "left" and "of" belong to none. Taught with: 07, "Where the model looks".

    >>> word_objects("a small red circle left of a large blue square").tolist()
    [-1, 0, 0, 0, -1, -1, -1, 1, 1, 1]
    """
    words = caption.split()
    known = set(vocabulary_words())
    out, obj = [], 0
    for w in words:
        if w not in known:
            raise ValueError(f"{w!r} is not a caption word; expected one of {sorted(known)}")
        if w == "of":
            obj += 1
        out.append(obj if w in SIZES or w in COLOURS or w in SHAPES else -1)
    return np.array(out, dtype="int64")


def make_scenes(n: int, seed: int = 0, size: int = 48, grid: int = 6,
                max_objects: int = MAX_OBJECTS, cell_fraction: float = 0.15) -> Scenes:
    """``n`` generated scenes and their captions; the same ``seed`` gives the same scenes.

    Each scene has 1 to ``max_objects`` (at most 3) objects, each in its own
    third of the image, on a grey background with a random brightness, a gentle
    gradient and pixel noise. Object colours are jittered a little. ``grid`` is
    the side of the CNN's feature grid the notebook uses (``size`` must be a
    multiple of it): ``cell_masks`` tells which of those cells each object
    covers. Taught with: 07 · Image captioning with attention, "Generated scenes".
    """
    n = _check_int("n", n, 1)
    seed = _check_int("seed", seed, 0)
    size = _check_int("size", size, 12)
    grid = _check_int("grid", grid, 1)
    max_objects = _check_int("max_objects", max_objects, 1)
    if max_objects > N_COLUMNS:
        raise ValueError(f"max_objects can be at most {N_COLUMNS} (one object per column), got {max_objects}")
    if size % grid:
        raise ValueError(f"size ({size}) must be a multiple of grid ({grid}): each grid cell is size/grid pixels")
    if not 0.0 < cell_fraction <= 1.0:
        raise ValueError(f"cell_fraction must be in (0, 1], got {cell_fraction!r}")

    rng = np.random.default_rng(seed)
    f32 = np.float32
    k = MAX_OBJECTS
    probs = np.array([1, 2, 2][:max_objects], dtype="float64")
    n_obj = rng.choice(np.arange(1, max_objects + 1), size=n, p=probs / probs.sum()).astype("int64")
    # which columns are occupied: a random subset of the three, described left to right
    chosen = np.argsort(rng.random((n, N_COLUMNS)), axis=1)[:, :k]
    present = np.arange(k)[None, :] < n_obj[:, None]
    cols = np.where(present, chosen, N_COLUMNS + 1)
    cols = np.sort(cols, axis=1)  # occupied columns first, left to right
    shape = rng.integers(0, len(SHAPES), (n, k))
    colour = rng.integers(0, len(COLOURS), (n, k))
    sz = rng.integers(0, len(SIZES), (n, k))
    col_w = size / N_COLUMNS
    radius = np.array(list(SIZES.values()), dtype=f32)[sz] * col_w
    dx = rng.uniform(-1, 1, (n, k)).astype(f32) * (col_w / 2 - radius - 0.5)
    cx = (np.minimum(cols, N_COLUMNS - 1) + 0.5) * col_w + dx
    cy = radius + 1 + rng.uniform(0, 1, (n, k)).astype(f32) * (size - 2 * radius - 2)
    jitter = rng.uniform(-0.08, 0.08, (n, k, 3)).astype(f32)
    bg = rng.uniform(0.30, 0.55, n).astype(f32)
    grad_dir = rng.uniform(0, 2 * np.pi, n).astype(f32)
    grad_amp = rng.uniform(0, 0.12, n).astype(f32)
    noise = rng.random((n, size, size, 3), dtype=f32)  # uniform: much faster to draw than normal

    g = drawing.gradient(size, grad_dir, grad_amp)
    # (n, size, size, 3): a grey background, noise differing per channel, standard deviation 0.06
    img = drawing.add_uniform_noise(noise, 0.06, (bg[:, None, None] + g)[..., None])
    palette = np.array(list(COLOURS.values()), dtype=f32)
    cell = size // grid
    masks = np.zeros((n, k, grid, grid), dtype=bool)
    # each object is drawn in a small square patch around it, not over the whole image
    p = min(size, 2 * int(np.ceil(radius.max())) + 3)
    offs = np.arange(p)
    for j in range(k):
        idx = np.flatnonzero(present[:, j])
        if len(idx) == 0:
            continue
        top = np.clip(np.floor(cy[idx, j]).astype(int) - p // 2, 0, size - p)
        left = np.clip(np.floor(cx[idx, j]).astype(int) - p // 2, 0, size - p)
        rows = top[:, None] + offs[None, :]  # (m, p)
        cols_ = left[:, None] + offs[None, :]
        r = radius[idx, j][:, None, None]
        u = np.broadcast_to((cols_[:, None, :] + f32(0.5) - cx[idx, j][:, None, None]) / r, (len(idx), p, p))
        v = np.broadcast_to((rows[:, :, None] + f32(0.5) - cy[idx, j][:, None, None]) / r, (len(idx), p, p))
        d = np.empty(u.shape, dtype=f32)
        for kind, name in enumerate(SHAPES):
            sel = shape[idx, j] == kind
            d[sel] = drawing.signed_distance(name, u[sel], v[sel])
        alpha = drawing.coverage(d, r).astype(f32)
        ii, rr, cc = idx[:, None, None], rows[:, :, None], cols_[:, None, :]
        fg = np.clip(palette[colour[idx, j]] + jitter[idx, j], 0, 1)[:, None, None, :]
        patch = img[ii, rr, cc]  # (m, p, p, 3)
        base = (bg[idx][:, None, None] + g[ii, rr, cc])[..., None]
        # the object replaces the background, keeping half of the pixel noise as texture
        patch += alpha[..., None] * (fg - base - 0.5 * (patch - base))
        img[ii, rr, cc] = patch
        full = np.zeros((len(idx), size, size), dtype=f32)
        full[np.arange(len(idx))[:, None, None], rr, cc] = alpha
        m = full.reshape(len(idx), grid, cell, grid, cell).mean(axis=(2, 4)) >= cell_fraction
        m[np.arange(len(idx)), np.clip((cy[idx, j] // cell).astype(int), 0, grid - 1),
          np.clip((cx[idx, j] // cell).astype(int), 0, grid - 1)] = True  # the centre's cell
        masks[idx, j] = m
    np.clip(img, 0.0, 1.0, out=img)

    shape = np.where(present, shape, -1).astype("int64")
    colour = np.where(present, colour, -1).astype("int64")
    sz = np.where(present, sz, -1).astype("int64")
    centre = np.stack([cy, cx], axis=-1).astype(f32)
    centre[~present] = np.nan
    captions = [caption_of(shape[i], colour[i], sz[i]) for i in range(n)]
    src = (f"course_utils.scenes.make_scenes(n={n}, seed={seed}), generated: {size}×{size} images "
           f"with 1–{max_objects} shapes ({', '.join(SHAPES)}) in {len(COLOURS)} colours and 2 sizes on "
           "a noisy grey background; each caption is written from the scene, objects left to right")
    return Scenes(img.astype(f32, copy=False), captions, n_obj, shape, colour, sz, centre, masks, grid, src)
