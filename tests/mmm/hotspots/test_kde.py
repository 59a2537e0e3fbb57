"""Binned quartic KDE: equals the direct kernel sum at cell centres, and keeps the mass."""

from __future__ import annotations

import numpy as np
import pytest

from mmm.hotspots.kde import KdeRaster, kde_density, quartic_kernel


def _direct(counts: np.ndarray, cell_m: float, h: float) -> np.ndarray:
    """sum_i K(|c - centre_i|) at every cell centre, by brute force (per m²)."""
    rows, cols = np.indices(counts.shape)
    cy, cx = rows.ravel() * cell_m, cols.ravel() * cell_m
    d2 = (cx[:, None] - cx[None, :]) ** 2 + (cy[:, None] - cy[None, :]) ** 2
    k = np.where(d2 < h * h, 3 / (np.pi * h * h) * (1 - d2 / (h * h)) ** 2, 0.0)
    return (k @ counts.ravel()).reshape(counts.shape)


@pytest.mark.parametrize(("cell_m", "h"), [(100.0, 300.0), (100.0, 250.0), (50.0, 420.0)])
def test_equals_the_kde_of_the_points_moved_to_their_cell_centres(cell_m: float, h: float) -> None:
    rng = np.random.default_rng(1)
    counts = rng.poisson(0.6, (21, 17)).astype(float)
    mask = rng.random(counts.shape) < 0.8
    got = kde_density(counts, mask, cell_m=cell_m, bandwidth_m=h)
    expected = _direct(np.where(mask, counts, 0), cell_m, h) * 1e6
    np.testing.assert_allclose(got[mask], expected[mask], rtol=1e-9, atol=1e-9)
    assert np.isnan(got[~mask]).all()


def test_mass_is_kept_away_from_the_edge_and_units_are_per_km2() -> None:
    counts = np.zeros((61, 61))
    counts[30, 30] = 50  # 50 incidents in one cell in the middle
    dens = kde_density(counts, np.ones_like(counts, bool), cell_m=50, bandwidth_m=600)
    total = np.nansum(dens) * (50 * 50) / 1e6  # per km² × km² per cell
    assert total == pytest.approx(50, rel=0.01)
    assert dens[30, 30] == pytest.approx(50 * 3 / (np.pi * 600**2) * 1e6)
    assert dens[30, 30 + 12] == 0  # exactly one bandwidth away
    assert (dens >= 0).all()


def test_kernel_shape_and_errors() -> None:
    k = quartic_kernel(300, 100)
    assert k.shape == (7, 7) and k[3, 0] == 0 and k[3, 1] > 0
    assert quartic_kernel(60, 100).shape == (1, 1)
    with pytest.raises(ValueError, match="positive"):
        quartic_kernel(0, 100)
    empty = kde_density(np.zeros((3, 3)), np.ones((3, 3), bool), cell_m=100, bandwidth_m=300)
    assert (empty == 0).all()
    raster = KdeRaster(
        "a", np.array([[np.nan, 2.0]]), 300, (0, 0, 200, 100), (100, 0, 0, 0, -100, 100)
    )
    assert raster.max_density == 2.0
