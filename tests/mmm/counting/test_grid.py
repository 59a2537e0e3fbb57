"""Grid counts: cell edges, zone clipping, cell size, and a geopandas sjoin as the reference."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from mmm.counting.grid import cell_ids, grid_counts, zone_cells


def _incidents(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["phenomenon", "x", "y"])
    frame["occurred"] = pd.Timestamp("2024-01-01")
    return frame


def _by_cell(grid: gpd.GeoDataFrame) -> dict[str, dict[str, int]]:
    return grid.drop(columns="geometry").set_index("cell").to_dict(orient="index")


def test_counts_on_a_tiny_input_with_points_on_edges() -> None:
    zone = box(0, 0, 400, 400)  # four 200 m cells
    inc = _incidents(
        [
            ("drugs", 50, 50),  # inside the south-west cell
            ("drugs", 200, 50),  # on a vertical edge: the cell to the east
            ("theft", 50, 200),  # on a horizontal edge: the cell to the north
            ("theft", 200, 200),  # on a corner: the cell to the north-east
            ("drugs", 399.9, 399.9),  # north-east cell
            ("drugs", 0, 0),  # the zone's south-west corner: the south-west cell
            ("drugs", 500, 50),  # outside the zone's cells: not counted
            ("drugs", 400, 50),  # on the zone's east edge: its cell lies outside, not counted
        ]
    )
    grid = grid_counts(inc, zone, cell_m=200)
    assert list(grid.columns) == ["cell", "drugs", "theft", "total", "geometry"]
    assert _by_cell(grid) == {
        "200mE0N0": {"drugs": 2, "theft": 0, "total": 2},
        "200mE200N0": {"drugs": 1, "theft": 0, "total": 1},
        "200mE0N200": {"drugs": 0, "theft": 1, "total": 1},
        "200mE200N200": {"drugs": 1, "theft": 1, "total": 2},
    }
    assert grid["total"].sum() == 6
    assert grid.crs.to_epsg() == 31370
    assert all(np.issubdtype(t, np.integer) for t in grid[["drugs", "theft", "total"]].dtypes)


def test_empty_cells_are_left_out_and_rows_run_south_to_north() -> None:
    zone = box(0, 0, 600, 400)
    grid = grid_counts(_incidents([("a", 550, 350), ("a", 10, 10), ("a", 350, 10)]), zone)
    assert list(grid["cell"]) == ["200mE0N0", "200mE200N0", "200mE400N200"]


def test_cells_are_aligned_squares_of_the_cell_size() -> None:
    zone = Polygon([(1013, 2077), (2999, 2500), (1500, 3777)])
    rng = np.random.default_rng(1)
    xy = rng.uniform((1000, 2000), (3000, 3800), size=(2000, 2))
    inc = pd.DataFrame({"phenomenon": "a", "x": xy[:, 0], "y": xy[:, 1]})
    for cell_m in (100.0, 250.0):
        grid = grid_counts(inc, zone, cell_m=cell_m)
        bounds = shapely.bounds(grid.geometry.values)
        np.testing.assert_allclose(bounds[:, 2] - bounds[:, 0], cell_m)
        np.testing.assert_allclose(bounds[:, 3] - bounds[:, 1], cell_m)
        np.testing.assert_allclose(np.mod(bounds[:, :2], cell_m), 0)
        np.testing.assert_allclose(shapely.area(grid.geometry.values), cell_m**2)


def test_only_cells_overlapping_the_zone_are_kept() -> None:
    zone = Polygon([(0, 0), (1000, 0), (0, 1000)])  # the diagonal cuts cells, touches corners
    ix, iy = zone_cells(zone, cell_m=200)
    cells = shapely.box(ix * 200, iy * 200, ix * 200 + 200, iy * 200 + 200)
    overlap = shapely.area(shapely.intersection(cells, zone))
    assert (overlap > 0).all()  # no cell that only touches the zone
    assert len(ix) == 15  # 5 + 4 + 3 + 2 + 1 cells along the staircase
    assert shapely.union_all(cells).covers(zone)


def test_totals_equal_incidents_inside_the_zone_cells() -> None:
    zone = Polygon([(0, 0), (1000, 0), (0, 1000)])
    rng = np.random.default_rng(2)
    xy = rng.uniform(-300, 1300, size=(5000, 2))
    inc = pd.DataFrame({"phenomenon": rng.choice(["a", "b"], 5000), "x": xy[:, 0], "y": xy[:, 1]})
    grid = grid_counts(inc, zone)
    cells = shapely.union_all(grid.geometry.values)
    ix, iy = zone_cells(zone)
    all_cells = shapely.union_all(shapely.box(ix * 200, iy * 200, ix * 200 + 200, iy * 200 + 200))
    inside = shapely.contains_xy(all_cells, xy[:, 0], xy[:, 1])
    assert grid["total"].sum() == inside.sum()
    assert (grid["a"] + grid["b"] == grid["total"]).all()
    assert cells.difference(all_cells).area == 0


def test_matches_a_geopandas_sjoin_on_random_data() -> None:
    rng = np.random.default_rng(20240501)
    zone = shapely.buffer(shapely.Point(172_000, 174_000), 3_000, quad_segs=16)
    n = 50_000
    xy = np.column_stack([rng.normal(172_000, 1_800, n), rng.normal(174_000, 1_800, n)])
    phen = rng.choice(["burglary", "drugs", "vandalism"], n)
    inc = pd.DataFrame({"phenomenon": phen, "x": xy[:, 0], "y": xy[:, 1]})
    grid = grid_counts(inc, zone, cell_m=200)

    ix, iy = zone_cells(zone, cell_m=200)
    cells = gpd.GeoDataFrame(
        {"cell": cell_ids(ix, iy, 200)},
        geometry=shapely.box(ix * 200, iy * 200, ix * 200 + 200, iy * 200 + 200),
        crs=31370,
    )
    points = gpd.GeoDataFrame({"phenomenon": phen}, geometry=gpd.points_from_xy(*xy.T), crs=31370)
    joined = gpd.sjoin(points, cells, predicate="within")
    expected = pd.crosstab(joined["cell"], joined["phenomenon"])
    got = grid.set_index("cell")[["burglary", "drugs", "vandalism"]]
    pd.testing.assert_frame_equal(
        got.sort_index(), expected.sort_index(), check_names=False, check_dtype=False
    )


def test_edge_cases_and_errors() -> None:
    zone = box(0, 0, 400, 400)
    empty = grid_counts(_incidents([]), zone)
    assert empty.empty and list(empty.columns) == ["cell", "total", "geometry"]
    missing = _incidents([("a", np.nan, 10), ("a", 10, 10)])
    assert grid_counts(missing, zone)["total"].tolist() == [1]
    with pytest.raises(ValueError, match="positive"):
        grid_counts(missing, zone, cell_m=0)
    with pytest.raises(ValueError, match="clash"):
        grid_counts(_incidents([("total", 10, 10)]), zone)
    assert list(cell_ids(np.array([3]), np.array([-2]), 250.5)) == ["250.5mE751.5N-501"]
    assert list(cell_ids(np.array([5000]), np.array([1]), 200)) == ["200mE1000000N200"]
