"""The raster view of the grid (ZoneGrid, raster_counts) agrees with zone_cells and grid_counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from mmm.counting.grid import grid_counts, raster_counts, zone_cells, zone_grid


def test_mask_holds_the_zone_cells_north_up() -> None:
    zone = Polygon([(0, 0), (1000, 0), (0, 1000)])
    grid = zone_grid(zone, cell_m=200)
    assert grid.shape == (5, 5) and grid.n_cells == 15
    assert grid.mask[4].all() and grid.mask[0].tolist() == [True, False, False, False, False]
    ix, iy = zone_cells(zone, cell_m=200)
    got = set(zip(*(a[grid.mask] for a in grid.indices()), strict=True))
    assert got == set(zip(ix.tolist(), iy.tolist(), strict=True))
    assert grid.bounds == (0.0, 0.0, 1000.0, 1000.0)
    assert grid.transform == (200.0, 0.0, 0.0, 0.0, -200.0, 1000.0)
    assert grid.area_m2 == 15 * 200**2
    boxes = grid.boxes()
    assert shapely.union_all(boxes).covers(zone)
    assert list(grid.cell_ids())[:1] == ["200mE0N800"]  # row 0 is the north


def test_raster_counts_equal_grid_counts() -> None:
    rng = np.random.default_rng(4)
    zone = shapely.buffer(shapely.Point(172_000, 174_000), 1_500, quad_segs=16)
    n = 20_000
    xy = rng.normal((172_000, 174_000), 800, size=(n, 2))
    phen = rng.choice(["a", "b", "c"], n)
    inc = pd.DataFrame({"phenomenon": phen, "x": xy[:, 0], "y": xy[:, 1]})
    table = grid_counts(inc, zone, cell_m=100).set_index("cell")
    grid = zone_grid(zone, cell_m=100)
    codes, names = pd.factorize(phen, sort=True)
    raster = raster_counts(grid, xy[:, 0], xy[:, 1], codes, len(names))
    assert raster.shape == (3, *grid.shape)
    assert (raster[:, ~grid.mask] == 0).all()
    ids = grid.cell_ids()
    for k, name in enumerate(names):
        per_cell = pd.Series(raster[k][grid.mask], index=ids)
        expected = table[name].reindex(ids, fill_value=0)
        pd.testing.assert_series_equal(per_cell, expected, check_names=False, check_dtype=False)


def test_locate_uses_half_open_cells_and_skips_missing_coordinates() -> None:
    grid = zone_grid(box(0, 0, 400, 400), cell_m=200)
    row, col, inside = grid.locate(
        np.array([0.0, 200.0, 399.9, 400.0, np.nan, -1.0]),
        np.array([0.0, 200.0, 0.0, 0.0, 5.0, 5.0]),
    )
    assert inside.tolist() == [True, True, True, False, False, False]
    assert (row[:3].tolist(), col[:3].tolist()) == ([1, 0, 1], [0, 1, 1])
    counts = raster_counts(grid, np.array([10.0, 10.0, 300.0]), np.array([10.0, 10.0, 300.0]))
    assert counts[0].tolist() == [[0, 1], [2, 0]]
    labelled = raster_counts(
        grid, np.array([10.0, 10.0]), np.array([10.0, 10.0]), np.array([1, -1]), 2
    )
    assert labelled[1, 1, 0] == 1 and labelled.sum() == 1


def test_a_zone_smaller_than_one_cell_and_an_empty_zone() -> None:
    grid = zone_grid(box(10, 10, 50, 50), cell_m=100)
    assert grid.shape == (1, 1) and grid.n_cells == 1
    with pytest.raises(ValueError, match="empty"):
        zone_grid(Polygon(), cell_m=100)
