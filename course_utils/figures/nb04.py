"""Figures of 04 · Transfer learning: what an ImageNet classifier sees in a photo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def top5_predictions(photos: Any, top: Sequence[Sequence[tuple[str, str, float]]],
                     names: Sequence[str] | None = None, title: str = "",
                     size: float = 2.6) -> Figure:
    """Each photo beside a bar chart of the classifier's most probable classes.

    ``photos`` is a batch (n, H, W, 3) of uint8 (or [0, 1] float) RGB images, ``top``
    what ``decode_predictions`` returned for them: per photo a list of
    (class id, class name, probability), most probable first. One row per photo;
    the bars run from 0 to 100% so that a confident and an unsure answer look
    different. Taught with: 04 · Transfer learning ("What a pretrained network sees").
    """
    imgs = np.asarray(photos)
    if imgs.ndim != 4 or imgs.shape[-1] != 3 or len(imgs) == 0:
        raise ValueError(f"photos must be a batch (n, H, W, 3) of RGB images, got shape {imgs.shape}")
    if len(top) != len(imgs):
        raise ValueError(f"{len(top)} prediction lists for {len(imgs)} photos: pass one per photo")
    if names is not None and len(names) != len(imgs):
        raise ValueError(f"{len(names)} names for {len(imgs)} photos")
    for i, rows in enumerate(top):
        if not rows or any(len(r) != 3 or not 0 <= float(r[2]) <= 1 for r in rows):
            raise ValueError(f"top[{i}] must be a non-empty list of (id, name, probability) with "
                             "probabilities in [0, 1], as decode_predictions returns")
    n = len(imgs)
    fig, axes = plt.subplots(n, 2, figsize=(2.6 * size, size * n + (0.5 if title else 0)),
                             squeeze=False, gridspec_kw={"width_ratios": [1, 1.6]})
    for i, (img, rows) in enumerate(zip(imgs, top, strict=True)):
        ax_img, ax_bar = axes[i]
        ax_img.imshow(img if img.dtype == np.uint8 else np.clip(img, 0, 1))
        ax_img.set_axis_off()
        if names is not None:
            ax_img.set_title(str(names[i]), fontsize=9)
        labels = [str(r[1]).replace("_", " ") for r in rows][::-1]
        probs = [float(r[2]) for r in rows][::-1]
        bars = ax_bar.barh(range(len(rows)), probs, color=["#999999"] * (len(rows) - 1) + ["#1f77b4"])
        ax_bar.set_yticks(range(len(rows)), labels, fontsize=9)
        ax_bar.set_xlim(0, 1)
        ax_bar.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        for bar, p in zip(bars, probs, strict=True):
            ax_bar.text(min(p + 0.02, 0.82), bar.get_y() + bar.get_height() / 2, f"{p:.1%}",
                        va="center", fontsize=8)
        if i == n - 1:
            ax_bar.set_xlabel("probability")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
