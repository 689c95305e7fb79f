"""Self-checks of notebook 05: starters are 'not attempted', right answers pass, wrong ones explain."""

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed

RIGHT_SHAPES = {"last": (32, 16), "sequences": (32, 50, 16), "stacked": (32, 8), "per_step_dense": (32, 50, 4)}


def test_shapes_starter_right_wrong(capsys):
    assert checks.rnn_output_shapes({k: "?" for k in RIGHT_SHAPES}) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.rnn_output_shapes(RIGHT_SHAPES) is True
    partial = dict(RIGHT_SHAPES, stacked="?")
    assert checks.rnn_output_shapes(partial) is False
    with pytest.raises(CheckFailed, match="time axis"):
        checks.rnn_output_shapes(dict(RIGHT_SHAPES, last=(32, 50, 16)))
    with pytest.raises(CheckFailed, match="missing"):
        checks.rnn_output_shapes({"last": (32, 16)})
    with pytest.raises(CheckFailed, match="not a shape"):
        checks.rnn_output_shapes(dict(RIGHT_SHAPES, last="big"))


def right_windows(values, window, split_at, horizon):
    values = np.asarray(values)
    t = np.arange(window + horizon - 1, len(values))       # index of every target
    X = np.stack([values[i - horizon - window + 1:i - horizon + 1] for i in t])
    train = t < split_at
    return X[train], values[t][train], X[~train], values[t][~train]


def leaky_windows(values, window, split_at, horizon):  # splits by the window's start: training sees the future
    values = np.asarray(values)
    t = np.arange(window + horizon - 1, len(values))
    X = np.stack([values[i - horizon - window + 1:i - horizon + 1] for i in t])
    train = t - window - horizon < split_at
    return X[train], values[t][train], X[~train], values[t][~train]


def test_leak_free_windows(capsys):
    assert checks.leak_free_windows(lambda v, w, s, h: None) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.leak_free_windows(right_windows) is True
    with pytest.raises(CheckFailed, match="leak"):
        checks.leak_free_windows(leaky_windows)

    def next_value_windows(values, window, split_at, horizon):  # ignores the horizon
        return right_windows(values, window, split_at, 1)

    with pytest.raises(CheckFailed, match="3 steps after"):
        checks.leak_free_windows(next_value_windows)

    def short_train(values, window, split_at, horizon):  # drops the first training window
        X_tr, y_tr, X_te, y_te = right_windows(values, window, split_at, horizon)
        return X_tr[1:], y_tr[1:], X_te, y_te

    with pytest.raises(CheckFailed, match="every target 7..69"):
        checks.leak_free_windows(short_train)

    with pytest.raises(CheckFailed, match="four arrays"):
        checks.leak_free_windows(lambda v, w, s, h: (1, 2))


def test_temperature(capsys):
    assert checks.temperature(lambda p, t: None) is False
    assert "Not attempted" in capsys.readouterr().out

    def right(p, t):
        q = np.asarray(p) ** (1 / t)
        return q / q.sum()

    assert checks.temperature(right) is True
    with pytest.raises(CheckFailed, match="inverted"):
        checks.temperature(lambda p, t: right(p, 1 / t))
    with pytest.raises(CheckFailed, match="sums to"):
        checks.temperature(lambda p, t: np.asarray(p) ** (1 / t))


def test_untrained_loss_prediction(capsys):
    assert checks.untrained_loss_prediction("?", 97) is False
    assert "Not attempted" in capsys.readouterr().out
    assert checks.untrained_loss_prediction(4.575, 97) is True        # ln 97 = 4.575
    assert checks.untrained_loss_prediction(np.log(97), 97) is True
    with pytest.raises(CheckFailed, match="bits"):
        checks.untrained_loss_prediction(np.log2(97), 97)
    with pytest.raises(CheckFailed, match="log10"):
        checks.untrained_loss_prediction(1.99, 97)
    with pytest.raises(CheckFailed, match="not the number of characters"):
        checks.untrained_loss_prediction(97, 97)
    with pytest.raises(CheckFailed, match="-ln of it"):
        checks.untrained_loss_prediction(1 / 97, 97)
    with pytest.raises(CheckFailed, match="certainty"):
        checks.untrained_loss_prediction(0, 97)
    with pytest.raises(CheckFailed, match="same probability"):
        checks.untrained_loss_prediction(3.0, 97)
    with pytest.raises(CheckFailed, match="a number"):
        checks.untrained_loss_prediction("ln V", 97)
    with pytest.raises(ValueError, match="vocab_size"):
        checks.untrained_loss_prediction(4.5, 1)
