"""Rates and Empirical Bayes smoothing against GeoDa's published formulas (written out here as a
per-location loop), PySAL esda's estimators, and hand-built areal weighting."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from mmm.rates import areal_weighting, empirical_bayes, raw_rates


def _geoda(o: np.ndarray, p: np.ndarray, around: list[list[int]] | None = None) -> np.ndarray:
    """GeoDa's method of moments, one location at a time (Anselin, Lozano & Koschinsky 2006):
    b = ΣO/ΣP, s² = ΣP(r − b)²/ΣP, a = s² − b/P̄ (0 if negative), w = a/(a + b/P),
    EB = w r + (1 − w) b; over all locations, or over a location and its neighbours."""
    out = []
    for i in range(len(o)):
        idx = list(range(len(o))) if around is None else sorted({i, *around[i]})
        oo, pp = o[idx], p[idx]
        b = oo.sum() / pp.sum()
        s2 = sum(pp[j] * (oo[j] / pp[j] - b) ** 2 for j in range(len(idx))) / pp.sum()
        a = max(s2 - b / (pp.sum() / len(idx)), 0.0)
        w = a / (a + b / p[i])
        out.append(1000 * (w * o[i] / p[i] + (1 - w) * b))
    return np.array(out)


def test_a_hand_built_case() -> None:
    o = np.array([2.0, 10.0, 0.0, 30.0])
    p = np.array([40.0, 1000.0, 500.0, 1200.0])
    rates = empirical_bayes(o, p)
    np.testing.assert_allclose(rates.raw, [50.0, 10.0, 0.0, 25.0])
    assert rates.reference == pytest.approx(1000 * 42 / 2740)
    np.testing.assert_allclose(rates.global_eb, _geoda(o, p))
    # The smallest denominator moves most towards the reference: 50 per 1,000 of 40 people.
    assert abs(rates.global_eb[0] - rates.reference) < abs(rates.raw[0] - rates.reference)
    assert rates.local_eb is None


def test_equal_rates_shrink_entirely_to_the_reference() -> None:
    o, p = np.array([1.0, 2.0, 4.0]), np.array([100.0, 200.0, 400.0])  # no extra variance
    rates = empirical_bayes(o, p)
    np.testing.assert_allclose(rates.global_eb, np.full(3, 10.0))


def test_no_denominator_no_rate_and_left_out_of_the_reference() -> None:
    o, p = np.array([3.0, 5.0, 7.0]), np.array([0.0, 100.0, np.nan])
    rates = empirical_bayes(o, p, [np.array([1]), np.array([0]), np.array([])])
    assert np.isnan(rates.raw[[0, 2]]).all() and np.isnan(rates.global_eb[[0, 2]]).all()
    assert rates.reference == pytest.approx(50.0) and rates.global_eb[1] == pytest.approx(50.0)
    assert np.isnan(rates.local_eb[0]) and rates.local_eb[1] == pytest.approx(50.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_cases_equal_geoda_and_esda(seed: int) -> None:
    from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes
    from libpysal.weights import W

    rng = np.random.default_rng(seed)
    n = 40
    p = rng.integers(20, 3000, n).astype(float)
    o = rng.poisson(p * rng.gamma(2.0, 0.01, n)).astype(float)
    around = [sorted(set(rng.choice(n, 4, replace=False).tolist()) - {i}) for i in range(n)]
    around = [
        [j for j in range(n) if j != i and (j in around[i] or i in around[j])] for i in range(n)
    ]
    rates = empirical_bayes(o, p, [np.array(a, dtype=np.int64) for a in around])
    np.testing.assert_allclose(rates.global_eb, _geoda(o, p))
    np.testing.assert_allclose(rates.local_eb, _geoda(o, p, around))
    esda_global = Empirical_Bayes(o, p).r.ravel() * 1000  # esda does not clamp a; here a > 0
    np.testing.assert_allclose(rates.global_eb, esda_global)
    w = W({i: around[i] for i in range(n)}, id_order=list(range(n)))
    w.transform = "B"
    np.testing.assert_allclose(rates.local_eb, Spatial_Empirical_Bayes(o, p, w).r.ravel() * 1000)


def test_raw_rates_per_thousand() -> None:
    np.testing.assert_allclose(raw_rates([5, 0], [2500, 10]), [2.0, 0.0])


def test_areal_weighting_by_hand() -> None:
    sources = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100)], dtype=object)
    values = np.array([100.0, 40.0])
    targets = np.array(
        [box(0, 0, 50, 100), box(50, 0, 150, 100), box(150, 0, 300, 100), box(500, 500, 600, 600)],
        dtype=object,
    )
    np.testing.assert_allclose(areal_weighting(sources, values, targets), [50.0, 70.0, 20.0, 0.0])
    # A partition of the sources' ground gets back exactly their total.
    cells = np.array(
        [box(x, y, x + 20, y + 20) for x in range(0, 200, 20) for y in range(0, 100, 20)],
        dtype=object,
    )
    assert areal_weighting(sources, values, cells).sum() == pytest.approx(140.0)
    ring = shapely.Polygon([(0, 0), (0, 100), (10, 100), (10, 0)])
    assert areal_weighting(sources, values, np.array([ring], dtype=object))[0] == pytest.approx(
        10.0
    )
