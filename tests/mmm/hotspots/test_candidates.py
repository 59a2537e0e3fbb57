"""Candidate perimeters from hot cells: blobs become polygons with the right phenomena."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import box

from mmm.counting.grid import zone_grid
from mmm.hotspots.candidates import candidate_perimeters

CODES = ["burglary", "drugs", "nuisance"]


def _grid():
    return zone_grid(box(0, 0, 2000, 1500), cell_m=100)  # 15 rows × 20 cols


def test_two_known_blobs_give_exactly_two_candidates_with_the_right_phenomena() -> None:
    grid = _grid()
    hot = np.zeros((3, *grid.shape), bool)
    hot[0, 2:6, 2:6] = True  # blob 1: burglary + drugs (4 × 4 cells, north-west)
    hot[1, 2:6, 2:6] = True
    hot[1, 9:12, 13:17] = True  # blob 2: drugs + nuisance (3 × 4 cells, south-east)
    hot[2, 9:12, 13:17] = True
    hot[2, 3, 10] = True  # a lone nuisance cell: hot for one phenomenon only
    hot[0, 2, 2] = False  # blob 1's corner cell is hot for drugs alone: left out
    multi = hot.sum(axis=0) >= 2
    counts = np.zeros((3, *grid.shape), np.int64)
    counts[:, 2:6, 2:6] = [[[5]], [[3]], [[1]]]
    counts[:, 9:12, 13:17] = [[[0]], [[2]], [[4]]]
    cands = candidate_perimeters(grid, multi, hot, counts, CODES)

    assert list(cands["name"]) == ["Kandidaat 1", "Kandidaat 2"]
    assert cands.crs.to_epsg() == 31370
    first, second = cands.iloc[0], cands.iloc[1]
    assert first["phenomena"] == "burglary, drugs" and first["n_phenomena"] == 2
    assert second["phenomena"] == "drugs, nuisance"
    assert first["cells"] == 15 and second["cells"] == 12
    # Counts are those of the cells whose centre lies inside: 15, the corner cell is out.
    assert first["count_burglary"] == 15 * 5 and first["count_drugs"] == 15 * 3
    assert first["incidents"] == 15 * 8 and first["counts"] == "burglary: 75; drugs: 45"
    assert second["count_burglary"] == 0 and second["incidents"] == 12 * 6
    # The polygons follow their cells (corners rounded), are valid and lie apart.
    cells = box(200, 900, 600, 1300).difference(box(200, 1200, 300, 1300))
    assert first.geometry.is_valid
    assert first.geometry.symmetric_difference(cells).area < 0.03 * cells.area
    assert first.geometry.distance(second.geometry) > 300
    assert first["area_ha"] == round(first.geometry.area / 1e4, 2)
    assert "Meervoudige hotspot" in first["description"]


def test_corner_touching_cells_join_and_small_holes_fill() -> None:
    grid = _grid()
    multi = np.zeros(grid.shape, bool)
    multi[5, 5] = multi[6, 6] = True  # touch at a corner only
    multi[1:4, 12:15] = True  # a ring of 8 cells around one hole
    multi[2, 13] = False
    hot = np.stack([multi, multi])
    counts = np.ones((2, *grid.shape), np.int64)
    cands = candidate_perimeters(grid, multi, hot, counts, ["a", "b"])
    assert len(cands) == 2
    ring = cands[cands["cells"] == 8].geometry.iloc[0]
    assert len(ring.interiors) == 0  # a one-cell hole is below the default 4 cells
    assert ring.contains(shapely.Point(1350, 1500 - 250))
    kept = candidate_perimeters(grid, multi, hot, counts, ["a", "b"], max_hole_m2=5_000)
    assert len(kept[kept["cells"] == 8].geometry.iloc[0].interiors) == 1
    big = candidate_perimeters(grid, multi, hot, counts, ["a", "b"], min_cells=3)
    assert list(big["cells"]) == [8]


def test_no_hot_cells_give_an_empty_table_with_the_columns() -> None:
    grid = _grid()
    none = np.zeros(grid.shape, bool)
    cands = candidate_perimeters(
        grid, none, np.zeros((2, *grid.shape), bool), np.zeros((2, *grid.shape)), ["a", "b"]
    )
    assert cands.empty and "name" in cands.columns and "count_b" in cands.columns
    assert cands.crs.to_epsg() == 31370
