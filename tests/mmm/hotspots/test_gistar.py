"""Gi* by convolution against PySAL esda (the reference), bins, and the FDR correction."""

from __future__ import annotations

import warnings

import esda.getisord as esda_getisord  # the reference (a test dependency)
import libpysal.weights as libpysal_weights
import numpy as np
import pytest
from scipy import stats

from mmm.counting.grid import raster_counts, zone_grid
from mmm.demo import build_demo
from mmm.hotspots.gistar import benjamini_hochberg, distance_band, gi_bins, gi_star


def _esda(values: np.ndarray, mask: np.ndarray, cell_m: float, distance_m: float):
    """esda's analytical Gi* on the in-zone cell centres with libpysal DistanceBand weights."""
    rows, cols = np.nonzero(mask)
    centres = np.column_stack([(cols + 0.5) * cell_m, -(rows + 0.5) * cell_m])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands, and esda's own notices
        w = libpysal_weights.DistanceBand(
            centres, threshold=distance_m, binary=True, silence_warnings=True
        )
        return esda_getisord.G_Local(
            values[mask].astype(float), w, star=True, transform="B", permutations=0
        )


@pytest.mark.parametrize(
    ("shape", "cell_m", "distance_m", "share", "seed"),
    [
        ((23, 31), 100.0, 200.0, 0.7, 1),  # the default: 2 cells
        ((40, 17), 100.0, 150.0, 0.5, 2),  # includes the diagonal, many islands
        ((15, 15), 50.0, 250.0, 0.85, 3),  # 5 cells: (3, 4) lies exactly on the band
        ((30, 25), 200.0, 100.0, 0.9, 4),  # below one cell: only the cell itself
    ],
)
def test_equals_esda_on_random_grids_with_irregular_masks(
    shape: tuple[int, int], cell_m: float, distance_m: float, share: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    mask = rng.random(shape) < share
    mask[:, shape[1] // 2] = False  # a gap the neighbourhood must not bridge as values
    values = rng.poisson(rng.gamma(1.0, 2.0, shape)).astype(float)
    values[~mask] = 1000.0  # out-of-zone values must not leak into any sum
    ours = gi_star(values, mask, cell_m=cell_m, distance_m=distance_m)
    ref = _esda(values, mask, cell_m, distance_m)
    assert np.isfinite(ref.Zs).all()
    np.testing.assert_allclose(ours.z[mask], ref.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.p[mask], 2 * ref.p_norm, rtol=0, atol=1e-9)
    assert ours.n == mask.sum()
    assert (ours.z[~mask] == 0).all() and (ours.p[~mask] == 1).all()
    assert (ours.bins[~mask] == 0).all()


def test_equals_esda_on_the_demo_zone_grid() -> None:
    demo = build_demo()
    grid = zone_grid(demo.zone, cell_m=100)
    drugs = demo.incidents[demo.incidents["phenomenon"] == "drugs"]
    counts = raster_counts(grid, drugs["x"].to_numpy(), drugs["y"].to_numpy())[0]
    ours = gi_star(counts, grid.mask, cell_m=100, distance_m=200)
    ref = _esda(counts, grid.mask, 100, 200)
    np.testing.assert_allclose(ours.z[grid.mask], ref.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.p[grid.mask], 2 * ref.p_norm, rtol=0, atol=1e-9)
    assert (ours.bins == 3).sum() > 50  # the demo's drug hotspots are strong


def test_textbook_formula_on_a_tiny_grid() -> None:
    # 1 × 3 study area, D = one cell: W = [2, 3, 2]; x = [1, 2, 6], mean 3, population S = sqrt(14/3).
    values = np.array([[1.0, 2.0, 6.0]])
    res = gi_star(values, np.ones((1, 3), bool), cell_m=10, distance_m=10, fdr=False)
    s = np.sqrt(14 / 3)
    w = np.array([2.0, 3.0, 2.0])
    local = np.array([3.0, 9.0, 8.0])
    with np.errstate(invalid="ignore"):
        expected = (local - 3 * w) / (s * np.sqrt((3 * w - w * w) / 2))
    expected[1] = 0.0  # W = n: the neighbourhood is the whole study area, z undefined → 0
    np.testing.assert_allclose(res.z[0], expected)
    assert res.p[0, 1] == 1.0
    assert res.mean == 3.0 and res.std == pytest.approx(s)


def test_distance_band_kernel() -> None:
    k = distance_band(200, 100)
    assert k.shape == (5, 5) and k.sum() == 13  # the cell, 4 at 100 m, 4 at 141 m, 4 at 200 m
    assert k[2, 2] == 1 and k[0, 2] == 1 and k[0, 1] == 0
    assert distance_band(99, 100).tolist() == [[1.0]]
    assert distance_band(500, 100)[5 - 4, 5 + 3] == 1  # (3, 4) cells = 500 m exactly: included
    with pytest.raises(ValueError, match="positive"):
        distance_band(100, 0)


def test_zero_variance_and_tiny_study_areas_give_a_note_not_a_crash() -> None:
    mask = np.ones((6, 6), bool)
    flat = gi_star(np.full((6, 6), 3.0), mask, cell_m=100, distance_m=200)
    assert flat.note is not None and "same value" in flat.note
    assert (flat.z == 0).all() and (flat.bins == 0).all() and (flat.p == 1).all()
    one = gi_star(np.ones((1, 1)), np.ones((1, 1), bool), cell_m=100, distance_m=200)
    assert one.note is not None and "at least 2" in one.note and one.bins.tolist() == [[0]]
    empty = gi_star(np.ones((2, 2)), np.zeros((2, 2), bool), cell_m=100, distance_m=200)
    assert empty.n == 0 and empty.note is not None


# -- bins and FDR ---------------------------------------------------------------------------
#: A hand-checked list (m = 10), sorted. BH at α finds the largest k with p_(k) ≤ k α / m:
#: α = 0.05 (k × 0.005): 0.0009 ≤ .005, 0.008 ≤ .010, then 0.039 > .015, 0.041 > .020,
#:   0.042 > .025, 0.061 > .030, 0.074 > .035, 0.205 > .040 … → k = 2.
#: α = 0.10 (k × 0.01): 0.0009, 0.008 pass, 0.039 > .03, 0.041 > .04, 0.042 ≤ .05 → k = 5
#:   (0.039 and 0.041 are significant too: every p ≤ p_(5)); 0.061 > .06, 0.074 > .07 … .
#: α = 0.01 (k × 0.001): 0.0009 ≤ .001, 0.008 > .002 … → k = 1.
HAND_P = np.array([0.0009, 0.008, 0.039, 0.041, 0.042, 0.061, 0.074, 0.205, 0.212, 0.216])


def test_benjamini_hochberg_on_a_hand_checked_list() -> None:
    assert benjamini_hochberg(HAND_P, 0.05).tolist() == [True, True] + [False] * 8
    assert benjamini_hochberg(HAND_P, 0.10).tolist() == [True] * 5 + [False] * 5
    assert benjamini_hochberg(HAND_P, 0.01).tolist() == [True] + [False] * 9
    shuffled = np.random.default_rng(0).permutation(len(HAND_P))
    np.testing.assert_array_equal(
        benjamini_hochberg(HAND_P[shuffled], 0.05), benjamini_hochberg(HAND_P, 0.05)[shuffled]
    )
    assert benjamini_hochberg(np.array([]), 0.05).size == 0
    assert not benjamini_hochberg(np.array([0.5, 0.9]), 0.05).any()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_benjamini_hochberg_equals_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # A mix of true effects (small p) and nulls (uniform p), with ties.
    p = np.concatenate([rng.uniform(0, 0.002, 40), rng.uniform(0, 1, 400), [0.01] * 5])
    adjusted = stats.false_discovery_control(p, method="bh")
    for alpha in (0.10, 0.05, 0.01):
        np.testing.assert_array_equal(benjamini_hochberg(p, alpha), adjusted <= alpha)


def test_gi_bins_like_arcgis_with_and_without_fdr() -> None:
    z = np.array([3.5, 2.7, 2.1, 1.7, -2.2, 0.3, -3.0, 1.0, 0.1, 0.2])
    p = 2 * stats.norm.sf(np.abs(z))
    mask = np.ones(len(z), bool)
    plain = gi_bins(z, p, mask, fdr=False)
    assert plain.tolist() == [3, 3, 2, 1, -2, 0, -3, 0, 0, 0]
    corrected = gi_bins(z, p, mask, fdr=True)
    adjusted = stats.false_discovery_control(p)
    level = np.select([adjusted <= 0.01, adjusted <= 0.05, adjusted <= 0.10], [3, 2, 1], 0)
    assert corrected.tolist() == (level * np.sign(z)).astype(int).tolist()
    assert (np.abs(corrected) <= np.abs(plain)).all()  # FDR only ever lowers a bin
    masked = gi_bins(z, p, np.arange(len(z)) < 3, fdr=False)
    assert masked.tolist() == [3, 3, 2] + [0] * 7


def test_fdr_is_on_by_default_and_only_changes_the_bins() -> None:
    rng = np.random.default_rng(5)
    values = rng.poisson(1.0, (30, 30)).astype(float)
    values[10:13, 10:13] += 4
    mask = np.ones(values.shape, bool)
    with_fdr = gi_star(values, mask, cell_m=100, distance_m=200)
    without = gi_star(values, mask, cell_m=100, distance_m=200, fdr=False)
    assert with_fdr.fdr and not without.fdr
    np.testing.assert_array_equal(with_fdr.z, without.z)
    np.testing.assert_array_equal(with_fdr.p, without.p)
    assert (with_fdr.bins != 0).sum() < (without.bins != 0).sum()
    assert with_fdr.bins[11, 11] == 3
    assert with_fdr.bins.dtype == np.int8
