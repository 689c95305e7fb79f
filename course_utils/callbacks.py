"""A live training plot for Jupyter that degrades to one final figure when headless.

    model.fit(..., callbacks=[cu.LivePlot()], verbose=run.verbose)

Interactively the figure is redrawn in place after every epoch, so the learner
watches the curves grow. Under the runner, nbval or papermill
(``COURSE_HEADLESS=1``) nothing is drawn during training (``verbose=2`` prints
a line per epoch instead) and one final figure is shown at the end.

Taught with: 02 · Multilayer networks ("The same network in Keras") and every
later training section.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import matplotlib.pyplot as plt

from . import plots, runtime


class LivePlot(keras.callbacks.Callback):
    """Plot ``metrics`` (default: loss and accuracy when present) as training goes."""

    def __init__(self, metrics: Sequence[str] | None = None, title: str = "",
                 every: int = 1, headless: bool | None = None) -> None:
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be >= 1, got {every}")
        self.metrics = list(metrics) if metrics else None
        self.title = title
        self.every = every
        self.headless = runtime.is_headless() if headless is None else headless
        self.history: dict[str, list[float]] = {}
        self._handle: Any = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.history = {}
        self._handle = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(float(v))
        if not self.headless and (epoch + 1) % self.every == 0:
            self._draw(live=True)

    def on_train_end(self, logs: dict | None = None) -> None:
        if not self.history:
            return
        self._draw(live=False)

    def _figure(self) -> Any:
        epochs = len(next(iter(self.history.values())))
        title = self.title or "Training"
        return plots.training_curves(self.history, self.metrics, title=f"{title} · epoch {epochs}")

    def _draw(self, live: bool) -> None:
        fig = self._figure()
        try:
            from IPython.display import display
        except ImportError:  # plain Python: leave the figure to plt.show()
            return
        if self.headless:
            display(fig)
        elif self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)
        plt.close(fig)
