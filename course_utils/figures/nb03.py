"""Figures of 03 · Convolutional networks: filter responses, learned filters, feature maps, the
patches units answer to, and class activation maps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def _as_2d(a: Any, what: str) -> np.ndarray:
    x = np.asarray(a, dtype="float64")
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"{what} must be a 2-D (H, W) array, got shape {np.shape(a)}")
    return x


def _robust_limits(x: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(x, [1, 99])
    return (float(lo), float(hi)) if hi > lo else (float(x.min()), float(x.max()) + 1e-9)


def filter_responses(image: np.ndarray, responses: Sequence[np.ndarray] | np.ndarray,
                     titles: Sequence[str] | None = None, title: str = "",
                     input_title: str = "input", size: float = 3.0, cmap: str = "gray") -> Figure:
    """The input image and what each filter (or pooling) made of it, side by side.

    ``image`` is (H, W) or (H, W, 3); ``responses`` a list of 2-D maps or one
    (H', W', k) array (one map per channel). Each map gets its own grey scale
    (1st to 99th percentile) and its shape under it, so a pooled map shows
    that it is smaller. Taught with: 03 · Convolutional networks ("Convolution
    as an operation", "Pooling").
    """
    img = np.asarray(image)
    if not (img.ndim == 2 or (img.ndim == 3 and img.shape[-1] in (1, 3))) or img.size == 0:
        raise ValueError(f"image must be (H, W), (H, W, 1) or (H, W, 3), got shape {img.shape}")
    if isinstance(responses, np.ndarray) and responses.ndim == 3:
        maps = [responses[..., i] for i in range(responses.shape[-1])]
    else:
        maps = list(responses)
    if not maps:
        raise ValueError("responses is empty: pass at least one 2-D map")
    maps = [_as_2d(m, f"responses[{i}]") for i, m in enumerate(maps)]
    if titles is not None and len(titles) != len(maps):
        raise ValueError(f"{len(titles)} titles for {len(maps)} responses")
    n = len(maps) + 1
    aspect = img.shape[0] / img.shape[1]
    fig, axes = plt.subplots(1, n, figsize=(size * n, size * aspect + 0.8), squeeze=False)
    panels = [(img, input_title)] + [(m, (titles or [f"map {i}" for i in range(len(maps))])[i])
                                     for i, m in enumerate(maps)]
    for ax, (m, t) in zip(axes[0], panels, strict=True):
        if m.ndim == 3 and m.shape[-1] == 3:
            ax.imshow(m if m.dtype == np.uint8 else np.clip(m, 0, 1))
        else:
            m2 = _as_2d(m, "image")
            lo, hi = _robust_limits(m2)
            ax.imshow(m2, cmap=cmap, vmin=lo, vmax=hi)
        _image_axis(ax, t, f"{m.shape[0]}×{m.shape[1]}")
    if title:
        fig.suptitle(title)
    return fig


def _image_axis(ax, title: str, xlabel: str, ylabel: str | None = None) -> None:
    """An axis that shows an image: a title, what the axes hold in words, no ticks, no grid."""
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel, fontsize=9)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _mosaic(tiles: Sequence[np.ndarray], ncols: int, gap: int = 1, fill: float = 1.0) -> np.ndarray:
    """Equal-sized tiles (h, w, channels) in a grid on ``fill`` (white), ``gap`` pixels apart: one
    image, one imshow."""
    h, w, channels = np.shape(tiles[0])
    nrows = int(np.ceil(len(tiles) / ncols))
    out = np.full((nrows * (h + gap) - gap, ncols * (w + gap) - gap, channels), fill)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, ncols)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = tile
    return out


def _bare(ax: Any) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def conv_filters(kernel: np.ndarray, ncols: int = 8, size: float = 0.9, title: str = "") -> Figure:
    """First-layer convolution filters as little images, in one grid.

    ``kernel`` is a Conv2D kernel, shape (kh, kw, in_channels, filters), as
    ``layer.get_weights()[0]`` returns it. With three input channels each
    filter is drawn in colour (scaled to [0, 1] on its own); otherwise the
    first input channel is drawn blue (negative) to red (positive). Taught
    with: 03 · Convolutional networks ("What the CNN learned").
    """
    k = np.asarray(kernel, dtype="float64")
    if k.ndim != 4 or k.shape[-1] == 0:
        raise ValueError("kernel must have shape (kh, kw, in_channels, filters), as "
                         f"Conv2D.get_weights()[0] returns it; got {k.shape}")
    n = k.shape[-1]
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    tiles = []
    for i in range(n):
        f = k[..., i]
        if f.shape[-1] == 3:
            tiles.append((f - f.min()) / (f.max() - f.min() + 1e-12))
        else:
            lim = float(np.abs(f[..., 0]).max()) or 1.0
            tiles.append(plt.get_cmap("RdBu_r")(0.5 + 0.5 * f[..., 0] / lim)[..., :3])
    fig, ax = plt.subplots(figsize=(size * ncols, size * nrows + (0.5 if title else 0.1)))
    ax.imshow(_mosaic(tiles, ncols), interpolation="nearest")
    ax.set_xlabel(f"{n} filters, {k.shape[0]}×{k.shape[1]}", fontsize=9)
    _bare(ax)
    if title:
        fig.suptitle(title)
    return fig


def feature_maps(maps: Mapping[str, np.ndarray], n: int = 8, size: float = 1.2,
                 title: str = "", image: np.ndarray | None = None) -> Figure:
    """One row per layer: the ``n`` most active channels of its output for one image.

    ``maps`` maps a layer name to its output for one image, (h, w, channels)
    (a leading batch axis of 1 is dropped); each channel is drawn on its own
    scale. With ``image`` the input is drawn at the start of the first row.
    Taught with: 03 · Convolutional networks ("What the CNN learned").
    """
    if not maps:
        raise ValueError("maps is empty: pass {layer name: (h, w, channels) array}")
    rows = []
    for name, m in maps.items():
        a = np.asarray(m, dtype="float64")
        if a.ndim == 4 and a.shape[0] == 1:
            a = a[0]
        if a.ndim != 3:
            raise ValueError(f"{name}: expected (h, w, channels) for one image, got shape {np.shape(m)}")
        rows.append((name, a))
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    cmap = plt.get_cmap("magma")
    fig, axes = plt.subplots(len(rows), 2, figsize=(size * (n + 1) + 1.2, size * len(rows) + 0.5),
                             squeeze=False, gridspec_kw={"width_ratios": [1, n]})
    for r, (name, a) in enumerate(rows):
        order = np.argsort(a.mean(axis=(0, 1)))[::-1][:n]
        tiles = []
        for c in order:
            m = a[..., c]
            span = m.max() - m.min()
            tiles.append(cmap((m - m.min()) / span if span > 0 else np.zeros_like(m))[..., :3])
        axes[r][1].imshow(_mosaic(tiles, n, gap=max(1, a.shape[0] // 16)), interpolation="nearest")
        axes[r][1].set_ylabel(f"{name}\n{a.shape[0]}×{a.shape[1]}×{a.shape[2]}", fontsize=8,
                              rotation=0, ha="right", va="center")
        _bare(axes[r][1])
        axes[r][0].axis("off")
    if image is not None:
        img = np.asarray(image)
        axes[0][0].imshow(img if img.dtype == np.uint8 else np.clip(img, 0, 1))
        axes[0][0].set_title("input", fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def _crop(image: np.ndarray, row: int, col: int, field: int, jump: int) -> np.ndarray:
    """The ``field``×``field`` window of input pixels that unit (row, col) of a layer sees, for
    layers whose unit i is centred on input pixel (i + 0.5)·jump ('same' convolutions, pooling
    with window = stride); outside the image, grey."""
    pad = field
    padded = np.pad(image, ((pad, pad), (pad, pad), (0, 0)), constant_values=0.5)
    top = int(round((row + 0.5) * jump - field / 2)) + pad
    left = int(round((col + 0.5) * jump - field / 2)) + pad
    return padded[top:top + field, left:left + field]


def strongest_patches(images: np.ndarray, layers: Mapping[str, tuple[np.ndarray, int, int]],
                      channels: int = 4, k: int = 6, size: float = 3.2, title: str = "") -> Figure:
    """What units of each layer answer to: for a few channels, the input patches that excite them most.

    ``images`` (n, H, W, 3) in [0, 1] are what the network saw (before preprocessing);
    ``layers`` maps a layer's name to ``(activations, field, jump)``: its outputs for those
    images, (n, h, w, c), its receptive field and its jump in input pixels. For each layer the
    ``channels`` channels with the largest mean peak response are drawn, one row each, with the
    ``k`` images where that channel peaks highest (one patch per image), each cropped to the
    receptive field around the peak. One panel per layer, so deeper layers show bigger patches.
    Taught with: 03 · Convolutional networks ("What the CNN learned").
    """
    imgs = np.asarray(images, dtype="float64")
    if imgs.ndim != 4 or imgs.shape[-1] != 3 or len(imgs) == 0:
        raise ValueError(f"images must be (n, H, W, 3), got shape {imgs.shape}")
    if not layers:
        raise ValueError("layers is empty: pass {name: (activations, field, jump)}")
    if channels < 1 or k < 1:
        raise ValueError(f"channels and k must be at least 1, got {channels} and {k}")
    fig, axes = plt.subplots(1, len(layers), figsize=(size * len(layers), size * 0.75 + 0.6),
                             squeeze=False)
    for ax, (name, (acts, field, jump)) in zip(axes[0], layers.items(), strict=True):
        a = np.asarray(acts, dtype="float64")
        if a.ndim != 4 or len(a) != len(imgs):
            raise ValueError(f"{name}: activations must be (n, h, w, c) for the {len(imgs)} images, "
                             f"got shape {a.shape}")
        peaks = a.reshape(len(a), -1, a.shape[-1]).max(axis=1)           # (n, c)
        chosen = np.argsort(peaks.mean(axis=0))[::-1][:channels]
        zoom = max(1, int(np.ceil(24 / field)))                           # small patches drawn bigger
        cell = field * zoom + 2
        mosaic = np.ones((len(chosen) * cell, min(k, len(imgs)) * cell, 3))
        for r, ch in enumerate(chosen):
            for c, n in enumerate(np.argsort(peaks[:, ch])[::-1][:k]):
                i, j = np.unravel_index(np.argmax(a[n, :, :, ch]), a.shape[1:3])
                patch = np.kron(_crop(imgs[n], i, j, field, jump), np.ones((zoom, zoom, 1)))
                mosaic[r * cell + 1:r * cell + 1 + field * zoom, c * cell + 1:c * cell + 1 + field * zoom] = patch
        ax.imshow(np.clip(mosaic, 0, 1), interpolation="nearest")
        _image_axis(ax, f"{name}: {field}×{field}-pixel patches", f"the {min(k, len(imgs))} strongest images",
                    f"{len(chosen)} channels")
    if title:
        fig.suptitle(title)
    return fig


def class_activation_maps(images: np.ndarray, maps: np.ndarray, titles: Sequence[str] | None = None,
                          masks: np.ndarray | None = None, size: float = 1.6, title: str = "") -> Figure:
    """Images (top row) and their class activation maps laid over them (bottom row).

    ``images`` (n, H, W, 3) in [0, 1]; ``maps`` (n, H, W), already resized to the images (each
    drawn on its own scale, negative parts as zero); ``masks`` (n, H, W), where known, outlines
    the object in both rows. Taught with: 03 · Convolutional networks ("Where the CNN looks").
    """
    imgs = np.asarray(images, dtype="float64")
    cams = np.asarray(maps, dtype="float64")
    if imgs.ndim != 4 or imgs.shape[-1] != 3 or len(imgs) == 0:
        raise ValueError(f"images must be (n, H, W, 3), got shape {imgs.shape}")
    if cams.shape != imgs.shape[:3]:
        raise ValueError(f"maps must be (n, H, W) = {imgs.shape[:3]}, one per image at its size; got {cams.shape}")
    if masks is not None and np.shape(masks) != imgs.shape[:3]:
        raise ValueError(f"masks must be (n, H, W) = {imgs.shape[:3]}, got {np.shape(masks)}")
    if titles is not None and len(titles) != len(imgs):
        raise ValueError(f"{len(titles)} titles for {len(imgs)} images")
    n, h, w = imgs.shape[:3]
    gap = max(1, w // 8)
    heat = plt.get_cmap("inferno")
    overlays = []
    for img, cam in zip(np.clip(imgs, 0, 1), np.maximum(cams, 0), strict=True):
        cam = cam / cam.max() if cam.max() > 0 else cam
        grey = img.mean(axis=-1, keepdims=True)
        overlays.append(0.35 * grey + 0.65 * heat(cam)[..., :3])
    fig, axes = plt.subplots(2, 1, figsize=(size * n, 2 * size + 0.9 + (0.3 if titles else 0)), squeeze=False)
    for ax, tiles, label in ((axes[0][0], list(np.clip(imgs, 0, 1)), "image"),
                             (axes[1][0], overlays, "class activation map")):
        ax.imshow(_mosaic(tiles, n, gap), interpolation="nearest")
        if masks is not None:
            outline = _mosaic([np.asarray(m, dtype="float64")[..., None] for m in masks], n, gap, fill=0.0)[..., 0]
            ax.contour(outline, levels=[0.5], colors="cyan", linewidths=0.8)
        ax.set_ylabel(label, fontsize=9)
        _bare(ax)
    if titles is not None:
        for i, t in enumerate(titles):
            axes[0][0].text(i * (w + gap) + w / 2, -1.5, t, ha="center", va="bottom", fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def learning_rate_schedule(steps: Sequence[float], rates: Sequence[float], steps_per_epoch: int | None = None,
                           title: str = "") -> Figure:
    """The learning rate at every training step, with a dotted line at each epoch's end.

    Taught with: 03 · Convolutional networks ("One recipe for every model": warm-up, then cosine
    decay).
    """
    x, y = np.asarray(steps, dtype="float64"), np.asarray(rates, dtype="float64")
    if x.ndim != 1 or x.shape != y.shape or len(x) < 2:
        raise ValueError(f"steps and rates must be two 1-D sequences of the same length ≥ 2, got "
                         f"shapes {x.shape} and {y.shape}")
    if steps_per_epoch is not None and steps_per_epoch < 1:
        raise ValueError(f"steps_per_epoch must be at least 1, got {steps_per_epoch}")
    fig, ax = plt.subplots(figsize=(6.5, 2.6))
    ax.plot(x, y)
    if steps_per_epoch:
        for boundary in np.arange(steps_per_epoch, x.max() + 1, steps_per_epoch):
            ax.axvline(boundary, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("training step" + (" (dotted: end of an epoch)" if steps_per_epoch else ""))
    ax.set_ylabel("learning rate")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    return fig
