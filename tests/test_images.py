"""Photo helpers in course_utils.data (load_photo, to_rgb, resize): 03 · CNNs, 04 · Transfer learning."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.io

from course_utils import images


def test_sample_photo_is_uint8_rgb():
    img = images.load_photo("chelsea")
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[-1] == 3


def test_grayscale_sample_becomes_rgb():
    img = images.load_photo("camera")
    assert img.shape[-1] == 3
    np.testing.assert_array_equal(img[..., 0], img[..., 1])


def test_missing_path_names_it(tmp_path):
    missing = tmp_path / "no_such_cat.jpg"
    with pytest.raises(FileNotFoundError, match="no_such_cat.jpg"):
        images.load_photo(missing)


def test_a_directory_is_not_a_photo(tmp_path):
    with pytest.raises(FileNotFoundError):
        images.load_photo(tmp_path)


def test_wrong_type():
    with pytest.raises(TypeError):
        images.load_photo(42)


def test_rgba_file_is_composited_on_white(tmp_path):
    img = np.zeros((10, 12, 4), dtype=np.uint8)
    img[..., 0] = 200           # red
    img[..., 3] = 255           # opaque ...
    img[:, :6, 3] = 0           # ... except the left half, fully transparent
    p = tmp_path / "rgba.png"
    skimage.io.imsave(p, img, check_contrast=False)
    out = images.load_photo(p)
    assert out.shape == (10, 12, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[:, :6], 255)           # transparent → white
    assert np.all(out[:, 6:] == [200, 0, 0])                 # opaque keeps its colour


def test_grayscale_file_becomes_rgb(tmp_path):
    img = (np.arange(80).reshape(8, 10) * 3).astype(np.uint8)
    p = tmp_path / "gray.png"
    skimage.io.imsave(p, img, check_contrast=False)
    out = images.load_photo(p, size=(4, 5))
    assert out.shape == (4, 5, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[..., 0], out[..., 2])


def test_grayscale_with_alpha_file(tmp_path):
    img = np.zeros((6, 6, 2), dtype=np.uint8)
    img[..., 0] = 50
    img[..., 1] = 255
    img[:3, :, 1] = 0
    p = tmp_path / "la.png"
    skimage.io.imsave(p, img, check_contrast=False)
    out = images.load_photo(p)
    assert out.shape == (6, 6, 3)
    np.testing.assert_array_equal(out[:3], 255)
    np.testing.assert_array_equal(out[3:], 50)


def test_to_rgb_float_and_channel_layouts():
    f = np.full((3, 4), 0.5)
    assert images.to_rgb(f).dtype == np.uint8
    assert images.to_rgb(f)[0, 0, 0] == 128
    assert images.to_rgb(np.zeros((3, 4, 1), np.uint8)).shape == (3, 4, 3)
    rgb = np.random.default_rng(0).integers(0, 256, (3, 4, 3), dtype=np.uint8)
    np.testing.assert_array_equal(images.to_rgb(rgb), rgb)


def test_to_rgb_16_bit_is_scaled_not_clipped():
    img = np.full((2, 2), 65535, dtype=np.uint16)
    img[0, 0] = 0
    out = images.to_rgb(img)
    assert out[1, 1, 0] == 255 and out[0, 0, 0] == 0
    half = images.to_rgb(np.full((2, 2), 32768, dtype=np.uint16))
    assert 127 <= half[0, 0, 0] <= 129


@pytest.mark.parametrize("shape", [(4,), (2, 3, 5), (2, 3, 3, 1), (0, 3, 3)])
def test_to_rgb_bad_shapes(shape):
    with pytest.raises(ValueError, match="expected an image"):
        images.to_rgb(np.zeros(shape, np.uint8))


def test_resize_values_and_errors():
    img = np.full((20, 30, 3), 100, dtype=np.uint8)
    out = images.resize(img, (8, 12))
    assert out.shape == (8, 12, 3) and out.dtype == np.uint8
    assert np.all(out == 100)
    for bad in [(0, 5), (5,), (5, 5, 5), (-1, 3), 32, "32x32"]:
        with pytest.raises(ValueError, match="size"):
            images.resize(img, bad)


def _png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("content, reason", [
    (b"shopping list: eggs, milk\n", "it is a text file, not an image"),
    (b"", "the file is empty"),
    (_png_bytes()[:400], "its PNG data is truncated or damaged"),
])
def test_a_file_that_is_not_a_photo_gets_a_course_error(tmp_path, content, reason):
    p = tmp_path / "notes.png"
    p.write_bytes(content)
    with pytest.raises(images.PhotoError) as info:
        images.load_photo(p)
    msg = str(info.value)
    assert isinstance(info.value, ValueError)
    assert str(p) in msg and reason in msg
    assert "JPEG, PNG" in msg and "chelsea" in msg and "astronaut" in msg  # what is accepted
    assert "Could not find a backend" not in msg


def test_a_whole_png_still_loads(tmp_path):
    """The check above is not a blanket refusal: the same PNG, complete, loads."""
    p = tmp_path / "ok.png"
    p.write_bytes(_png_bytes())
    assert images.load_photo(p).shape == (48, 48, 3)
