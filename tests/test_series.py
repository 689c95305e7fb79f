"""course_utils.series: windows, a chronological split that leaks nothing, baselines (05)."""

import numpy as np
import pytest

from course_utils import series


def test_make_windows_shapes_and_targets():
    v = np.arange(10.0)
    X, y, t = series.make_windows(v, window=3)
    assert X.shape == (7, 3) and y.shape == (7,)
    np.testing.assert_array_equal(X[0], [0, 1, 2])
    assert y[0] == 3 and t[0] == 3
    # every input lies strictly before its target
    assert np.all(X.max(axis=1) < y)


def test_make_windows_horizon():
    X, y, t = series.make_windows(np.arange(10.0), window=3, horizon=2)
    np.testing.assert_array_equal(X[0], [0, 1, 2])
    assert y[0] == 4 and t[-1] == 9 and len(y) == 6


@pytest.mark.parametrize("window", [11, 20])
def test_window_longer_than_series_is_a_clear_error(window):
    with pytest.raises(ValueError, match="needs at least"):
        series.make_windows(np.arange(10.0), window=window)


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_bad_window(bad):
    with pytest.raises(ValueError, match="window"):
        series.make_windows(np.arange(10.0), window=bad)


def test_bad_series():
    with pytest.raises(ValueError, match="1-D"):
        series.make_windows(np.zeros((3, 3)), window=2)
    with pytest.raises(ValueError, match="NaN"):
        series.make_windows(np.array([1.0, np.nan, 2.0, 3.0]), window=2)


def test_chrono_split_leaks_nothing():
    # the series *is* its own index, so every value says where it came from
    v = np.arange(200.0)
    s = series.chrono_split(v, window=12, val=0.2, test=0.2)
    assert s.val_start == 120 and s.test_start == 160
    # training: inputs and targets all before the validation period
    assert s.train.X.max() < s.val_start and s.train.y.max() < s.val_start
    # validation targets inside validation, and no test value anywhere in its windows
    assert s.val.y.min() >= s.val_start and s.val.y.max() < s.test_start
    assert s.val.X.max() < s.test_start
    assert s.test.y.min() >= s.test_start
    # chronological, not shuffled, and every target used exactly once
    for part in (s.train, s.val, s.test):
        assert np.all(np.diff(part.t) == 1)
        np.testing.assert_array_equal(part.y, v[part.t])
    assert len(s.train) + len(s.val) + len(s.test) == 200 - 12


def test_chrono_split_bad_input():
    with pytest.raises(ValueError, match="nothing to train"):
        series.chrono_split(np.arange(100.0), window=5, val=0.5, test=0.5)
    with pytest.raises(ValueError, match="fraction"):
        series.chrono_split(np.arange(100.0), window=5, val=0, test=0.2)
    with pytest.raises(ValueError, match="no windows"):
        series.chrono_split(np.arange(30.0), window=25, val=0.2, test=0.2)
    with pytest.raises(ValueError, match="needs at least"):
        series.chrono_split(np.arange(10.0), window=12)


def test_scaler_fitted_on_training_only():
    sc = series.fit_scaler(np.array([1.0, 3.0]))
    assert sc.mean == 2.0 and sc.std == 1.0
    np.testing.assert_allclose(sc.inverse(sc.transform([5.0, -1.0])), [5.0, -1.0])
    with pytest.raises(ValueError, match="constant"):
        series.fit_scaler(np.ones(5))
    with pytest.raises(ValueError, match="two"):
        series.fit_scaler(np.array([1.0]))


def test_baselines():
    X, y, _ = series.make_windows(np.arange(30.0), window=12)
    np.testing.assert_array_equal(series.persistence(X), y - 1)
    np.testing.assert_array_equal(series.seasonal_naive(X, season=12), y - 12)
    with pytest.raises(ValueError, match="at least"):
        series.seasonal_naive(X[:, :6], season=12)
    assert series.rmse([0, 0], [3, 4]) == pytest.approx(np.sqrt(12.5))
    with pytest.raises(ValueError, match="same size"):
        series.rmse([1, 2], [1])


def test_bundled_series():
    co2 = series.load_co2(announce_source=False)
    assert len(co2) >= 360 and 300 < co2.values.min() < co2.values.max() < 420
    assert "Mauna Loa" in co2.source
    dax = series.load_dax(announce_source=False)
    assert len(dax) == 1860 and dax.values[0] == pytest.approx(1628.75)


def test_adding_problem():
    x, y, lag = series.adding_problem(500, 30, seed=1)
    assert x.shape == (500, 30, 2) and y.shape == (500,) and x.dtype == np.float32
    assert np.all(x[:, :, 1].sum(axis=1) == 2)
    first = x[:, :, 1].argmax(axis=1)
    np.testing.assert_array_equal(first, 30 - lag)
    np.testing.assert_allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    assert lag.min() >= 2 and lag.max() <= 30
    with pytest.raises(ValueError, match="min_lag"):
        series.adding_problem(10, 5, min_lag=6)
