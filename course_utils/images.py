"""Images: photos read from scikit-image's samples or a learner's own file, and the one check
every image-drawing helper uses.

:func:`load_photo` gives every photo the same layout (uint8 RGB), whatever the file held;
:func:`as_batch` validates a batch of images for the figures and scores.

Taught with: 03 · CNNs ("Convolution as an operation", "Predicting an outside photo"),
04 · Transfer learning ("What a pretrained network sees").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

#: the scikit-image sample photos load_photo knows by name
PHOTO_SAMPLES = ("astronaut", "camera", "cat", "chelsea", "coffee", "coins", "rocket")


#: file signatures of the formats load_photo is meant for (imageio reads a few more)
PHOTO_FORMATS = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"GIF87a": "GIF", b"GIF89a": "GIF",
                 b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"RIFF": "WebP"}


class PhotoError(ValueError):
    """A file given to :func:`load_photo` that is not a readable image (names the file)."""


def _not_a_photo(p: Path, reason: str) -> PhotoError:
    return PhotoError(f"{p} is not an image load_photo can read: {reason}. Give a JPEG, PNG, GIF, "
                      f"BMP, TIFF or WebP file, or one of the bundled photos: {', '.join(PHOTO_SAMPLES)}")


def _read_photo_file(p: Path) -> np.ndarray:
    import skimage.io

    head = p.read_bytes()[:64]
    if not head:
        raise _not_a_photo(p, "the file is empty")
    fmt = next((f for magic, f in PHOTO_FORMATS.items() if head.startswith(magic)), None)
    try:
        return np.asarray(skimage.io.imread(p))
    except Exception as e:  # imageio/Pillow raise OSError, ValueError, SyntaxError... for bad files
        detail = str(e).splitlines()[0] if str(e) else type(e).__name__
        if fmt:
            reason = f"its {fmt} data is truncated or damaged ({detail})"
        elif b"\x00" not in head and _is_text(head):
            reason = "it is a text file, not an image"
        else:
            reason = f"its contents are not in an image format ({detail})"
        raise _not_a_photo(p, reason) from e


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def load_photo(name_or_path: str = "chelsea", size: tuple[int, int] | None = None) -> np.ndarray:
    """A photo as uint8 RGB (H, W, 3): a scikit-image sample by name, or a file path.

    Grayscale images are repeated to three channels and an alpha channel is
    dropped (composited on white), so every photo has the same layout. A path
    that does not exist raises ``FileNotFoundError`` naming it; a file that is not
    an image (text, empty, truncated) raises :class:`PhotoError` (a ``ValueError``)
    naming it and what is accepted. ``size=(h, w)`` resizes with anti-aliasing.
    Taught with: 03 · CNNs ("Convolution as an operation", "Predicting an outside
    photo"), 04 · Transfer learning.
    """
    import skimage.data

    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError(f"expected a photo name or a path, got {type(name_or_path).__name__}")
    name = str(name_or_path)
    if name in PHOTO_SAMPLES:
        img = getattr(skimage.data, name)()
    else:
        p = Path(name).expanduser()
        if not p.is_file():
            raise FileNotFoundError(f"no image at {p}; give a path to a JPEG/PNG file or one of "
                                    f"the bundled photos: {', '.join(PHOTO_SAMPLES)}")
        img = _read_photo_file(p)
        if img.ndim not in (2, 3) or img.size == 0:  # e.g. an animated GIF: (frames, H, W, 3)
            raise _not_a_photo(p, f"it decodes to an array of shape {img.shape}, not one picture")
    img = to_rgb(img)
    if size is not None:
        img = resize(img, size)
    return img


def to_rgb(img: np.ndarray) -> np.ndarray:
    """uint8 (H, W, 3) from grayscale (H, W), (H, W, 1), grey + alpha, RGB or RGBA input.

    Floats in [0, 1] are scaled by 255; integer images with values above 255
    (16-bit PNGs) by their type's range; an alpha channel is composited on white.
    """
    img = np.asarray(img)
    if img.ndim == 2:
        img = img[..., None]
    if img.ndim != 3 or img.shape[-1] not in (1, 2, 3, 4) or img.size == 0:
        raise ValueError(f"expected an image of shape (H, W), (H, W, 1), (H, W, 2), (H, W, 3) or "
                         f"(H, W, 4); got {img.shape}")
    if img.dtype != np.uint8:
        f = img.astype("float64")
        if np.issubdtype(img.dtype, np.integer) and f.max() > 255:
            f = f * (255.0 / np.iinfo(img.dtype).max)  # 16-bit PNGs and the like
        elif f.max() <= 1.0:
            f = f * 255.0
        img = np.clip(np.rint(f), 0, 255).astype(np.uint8)
    if img.shape[-1] == 2:  # grey + alpha
        img = img[..., [0, 0, 0, 1]]
    if img.shape[-1] == 1:
        img = np.repeat(img, 3, axis=-1)
    elif img.shape[-1] == 4:
        alpha = img[..., 3:4].astype("float32") / 255.0
        img = np.rint(img[..., :3] * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    return img


def resize(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize a uint8 RGB image to ``size=(height, width)`` with anti-aliasing."""
    from skimage.transform import resize as _resize

    if not isinstance(size, (tuple, list)) or len(size) != 2 or min(size) <= 0:
        raise ValueError(f"size must be (height, width) with positive values, got {size}")
    out = _resize(img, size, anti_aliasing=True, preserve_range=True)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def as_batch(images: Any, channels: tuple[int, ...] = (1, 3), what: str = "images") -> np.ndarray:
    """A non-empty batch of images as float32 (n, h, w, c), or a ValueError that says what was wrong.

    (n, h, w) gains a channel axis when ``channels`` allows one; ``c`` must be one of
    ``channels``; uint8 images are scaled to [0, 1]; NaN or inf is an error. Used by the
    figures (``plots.image_grid``, 07's caption figures) and 06's scores.
    """
    x = np.asarray(images)
    if x.ndim == 3 and 1 in channels:
        x = x[..., None]
    shapes = ", ".join(["(n, h, w)"] * (1 in channels) + [f"(n, h, w, {c})" for c in channels])
    if x.ndim != 4 or x.shape[-1] not in channels or len(x) == 0:
        raise ValueError(f"{what}: expected a non-empty batch of shape {shapes}; got {np.shape(images)}")
    if x.dtype == np.uint8:
        return x.astype("float32") / 255.0
    try:
        x = x.astype("float32")
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected numbers, got an array of {x.dtype}") from None
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what} contain NaN or inf")
    return x
