"""course_utils.series: the adding problem and the bundled series of 05 (windows and splits are
written, and checked by assertions, in the notebook itself)."""

import numpy as np
import pytest

from course_utils import series


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
    with pytest.raises(ValueError, match="positive"):
        series.adding_problem(0, 5)


def test_adding_problem_is_reproducible():
    a = series.adding_problem(50, 20, seed=3)
    b = series.adding_problem(50, 20, seed=3)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
