"""Hotspot grids stay under MAX_GRID_CELLS and the Gi* / KDE reach under 20 cells, with a reason
that names the smallest cell size the zone allows (``--cell 1`` used to end in GEOS bad_alloc)."""

from __future__ import annotations

import pandas as pd
import pytest
from shapely.geometry import box

from mmm.errors import LimitExceeded
from mmm.hotspots import HotspotOptions
from mmm.hotspots.analysis import analyse_hotspots
from mmm.hotspots.options import check_grid, grid_cells, smallest_cell
from mmm.limits import MAX_GRID_CELLS

ZONE_8_BY_6 = box(150_000, 160_000, 158_000, 166_000)


def test_grid_cells_count_the_aligned_cells_of_the_bounding_box() -> None:
    assert grid_cells((0, 0, 1000, 500), 100) == 50
    assert grid_cells((50, 50, 1050, 550), 100) == 66  # not aligned: one more row and column
    assert grid_cells((0, 0, 1000, 500), 1e-320) == float("inf")


def test_the_smallest_cell_keeps_the_grid_within_the_limit() -> None:
    bounds = ZONE_8_BY_6.bounds
    cell = smallest_cell(bounds)
    assert grid_cells(bounds, cell) <= MAX_GRID_CELLS < grid_cells(bounds, cell - 1)
    check_grid(bounds, cell)
    with pytest.raises(LimitExceeded, match=rf"at least {cell} m"):
        check_grid(bounds, 1)


def test_the_analysis_refuses_a_too_fine_grid_before_building_it() -> None:
    incidents = pd.DataFrame(
        {"phenomenon": ["drugs"], "occurred": [pd.Timestamp("2024-01-01")], "x": [151_000.0],
         "y": [161_000.0]}
    )  # fmt: skip
    with pytest.raises(LimitExceeded, match=r"\(8\.0 × 6\.0 km\) make a grid of 48,000,000 cells"):
        analyse_hotspots(incidents, ZONE_8_BY_6, HotspotOptions(cell_m=1))


@pytest.mark.parametrize(
    "options", [{"distance_m": 2001}, {"kde_bandwidth_m": 2001}, {"cell_m": float("nan")}]
)
def test_the_reach_is_at_most_20_cells(options) -> None:
    with pytest.raises(ValueError):
        HotspotOptions(**options)
    assert HotspotOptions(distance_m=2000, kde_bandwidth_m=2000).neighbourhood_m == 2000
