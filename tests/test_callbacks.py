import keras
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_utils as cu  # noqa: E402


def tiny_fit(cb, epochs=3):
    keras.utils.set_random_seed(0)
    x = np.random.rand(64, 4).astype("float32")
    y = (x.sum(1) > 2).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model.fit(x, y, validation_split=0.25, epochs=epochs, verbose=0, callbacks=[cb])


def test_headless_liveplot_draws_one_final_figure(monkeypatch):
    drawn = []
    monkeypatch.setattr(cu.LivePlot, "_draw", lambda self, live: drawn.append(live))
    cb = cu.LivePlot(headless=True)
    hist = tiny_fit(cb)
    assert drawn == [False]
    assert cb.history["loss"] == pytest.approx(hist.history["loss"])
    assert set(cb.history) >= {"loss", "val_loss", "accuracy", "val_accuracy"}


def test_interactive_liveplot_redraws_every_epoch(monkeypatch):
    drawn = []
    monkeypatch.setattr(cu.LivePlot, "_draw", lambda self, live: drawn.append(live))
    tiny_fit(cu.LivePlot(headless=False, every=1), epochs=3)
    assert drawn == [True, True, True, False]


def test_liveplot_figure_has_both_panels(monkeypatch):
    figures = []
    monkeypatch.setattr("IPython.display.display", lambda fig, **kw: figures.append(fig))
    cb = cu.LivePlot(headless=True, title="toy")
    tiny_fit(cb, epochs=2)
    assert len(figures) == 1, "headless: one final figure"
    fig = figures[0]
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    assert fig._suptitle.get_text() == "toy · epoch 2"


def test_liveplot_bad_every():
    with pytest.raises(ValueError, match="every"):
        cu.LivePlot(every=0)
