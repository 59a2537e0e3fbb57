"""Mann-Kendall against a known example and scipy's Kendall tau; the trend categories."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mmm.hotspots.trend import classify_trends, mann_kendall


def test_known_example() -> None:
    # 1..5: S = 10, Var(S) = 5·4·15/18 = 16.67, Z = (10 - 1)/4.082 = 2.2045, p = 0.0275.
    mk = mann_kendall(np.arange(1.0, 6.0))
    assert mk.s == 10 and mk.var_s == pytest.approx(50 / 3)
    assert mk.z == pytest.approx(9 / np.sqrt(50 / 3))
    assert mk.p == pytest.approx(0.0275, abs=1e-4)
    assert mk.tau == 1.0 and mk.n == 5
    # With ties: [1, 2, 2, 3]: S = 5 (pairs 1<2, 1<2, 1<3, 2=2 → 0, 2<3, 2<3),
    # Var = (4·3·13 - 2·1·9)/18 = 138/18.
    ties = mann_kendall(np.array([1.0, 2.0, 2.0, 3.0]))
    assert ties.s == 5 and ties.var_s == pytest.approx(138 / 18)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equals_scipy_kendalltau_without_continuity_correction(seed: int) -> None:
    rng = np.random.default_rng(seed)
    series = rng.poisson(3, size=(12, 40)).astype(float)  # 12 quarters, 40 cells, with ties
    series[:, 0] = np.arange(12)  # a clean trend
    mk = mann_kendall(series, continuity=False)
    t = np.arange(12)
    for j in range(series.shape[1]):
        if np.ptp(series[:, j]) == 0:
            continue
        ref = stats.kendalltau(t, series[:, j], method="asymptotic")
        assert mk.p[j] == pytest.approx(ref.pvalue, abs=1e-12)
        n0 = 12 * 11 / 2
        tied = sum(c * (c - 1) / 2 for c in np.unique(series[:, j], return_counts=True)[1])
        assert mk.s[j] == pytest.approx(ref.statistic * np.sqrt(n0 * (n0 - tied)))


def test_constant_series_and_errors() -> None:
    flat = mann_kendall(np.ones((6, 2)))
    assert (flat.z == 0).all() and (flat.p == 1).all()
    with pytest.raises(ValueError, match="at least 2"):
        mann_kendall(np.ones(1))


def test_categories() -> None:
    steps = 8
    up, down, flat = np.arange(steps) + 1.0, steps - np.arange(steps) + 0.0, np.full(steps, 4.0)
    rates = np.stack([up, down, flat, up, flat], axis=1)[:, None, :]  # (steps, 1, 5)
    hot = np.array([[True, True, True, False, True]])
    hot_by_step = np.zeros((steps, 1, 5), bool)
    hot_by_step[-1, 0, 4] = True  # cell 4: hot only in the last quarter → new
    hot_by_step[:, 0, 2] = True  # cell 2: hot throughout → persistent (no trend)
    got = classify_trends(rates, hot_by_step, hot)
    assert got.tolist() == [["intensifying", "diminishing", "persistent", "", "new"]]
    few = classify_trends(rates[:3], hot_by_step[:3], hot)
    assert (few == "").all()
