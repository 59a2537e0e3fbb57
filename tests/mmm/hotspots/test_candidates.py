"""Candidate perimeters from hot cells: blobs become polygons with the right phenomena, counted
inside their own polygon as an adopted perimeter counts them, and set aside below the minimum."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import box

from mmm.counting.grid import zone_grid
from mmm.hotspots.candidates import Points, candidate_perimeters

CODES = ["burglary", "drugs", "nuisance"]


def _grid():
    return zone_grid(box(0, 0, 2000, 1500), cell_m=100)  # 15 rows × 20 cols


def _cell_centre(row: int, col: int) -> tuple[float, float]:
    return 100 * col + 50.0, 1500 - 100 * row - 50.0


def _points(spec: list[tuple[float, float, int]]) -> Points:
    arr = np.asarray(spec, dtype=float).reshape(-1, 3)
    return Points(arr[:, 0], arr[:, 1], arr[:, 2].astype(np.int64))


def _inside_by_loop(polygon, points: Points, k: int) -> list[int]:
    """The reference: one ``covers`` test per incident (boundary included), no vectorising."""
    out = [0] * k
    for x, y, code in zip(points.x, points.y, points.codes, strict=True):
        if code >= 0 and polygon.covers(shapely.Point(x, y)):
            out[int(code)] += 1
    return out


def _two_blobs():
    grid = _grid()
    hot = np.zeros((3, *grid.shape), bool)
    hot[0, 2:6, 2:6] = True  # blob 1: burglary + drugs (4 × 4 cells, north-west)
    hot[1, 2:6, 2:6] = True
    hot[1, 9:12, 13:17] = True  # blob 2: drugs + nuisance (3 × 4 cells, south-east)
    hot[2, 9:12, 13:17] = True
    hot[2, 3, 10] = True  # a lone nuisance cell: hot for one phenomenon only
    hot[0, 2, 2] = False  # blob 1's corner cell is hot for drugs alone: left out
    return grid, hot, hot.sum(axis=0) >= 2


def test_counts_come_from_inside_the_polygon_not_from_the_cells() -> None:
    grid, hot, multi = _two_blobs()
    spec = []
    for row in range(2, 6):  # blob 1: 3 burglaries and 2 drugs at each cell centre
        for col in range(2, 6):
            x, y = _cell_centre(row, col)
            spec += [(x, y, 0)] * 3 + [(x, y, 1)] * 2
    # The outer corner of blob 1's south-east cell: inside the cell, outside the rounded polygon.
    spec += [(599.0, 901.0, 0)] * 7
    for row in range(9, 12):  # blob 2: 1 drugs and 2 nuisance per cell centre
        for col in range(13, 17):
            x, y = _cell_centre(row, col)
            spec += [(x, y, 1), (x, y, 2), (x, y, 2)]
    spec += [(50.0, 50.0, 2), (55.0, 55.0, -1)]  # far away; and an unanalysed phenomenon
    points = _points(spec)
    found = candidate_perimeters(grid, multi, hot, points, CODES)
    cands = found.kept

    assert list(cands["name"]) == ["Kandidaat 1", "Kandidaat 2"] and found.set_aside.empty
    assert cands.crs.to_epsg() == 31370
    first, second = cands.iloc[0], cands.iloc[1]
    assert first["phenomena"] == "burglary, drugs" and first["n_phenomena"] == 2
    assert second["phenomena"] == "drugs, nuisance"
    assert first["cells"] == 15 and second["cells"] == 12
    # The corner cell (drugs only) is not a multi cell and its centre lies outside; the seven
    # burglaries in the rounded-off corner are not counted although their cell is hot.
    assert not first.geometry.covers(shapely.Point(599.0, 901.0))
    assert first["count_burglary"] == 15 * 3 and first["count_drugs"] == 15 * 2
    assert first["incidents"] == 75 and first["counts"] == "burglary: 45; drugs: 30"
    assert second["count_burglary"] == 0 and second["incidents"] == 12 * 3
    for row in cands.itertuples():  # the reference: a per-incident covers loop
        loop = _inside_by_loop(row.geometry, points, 3)
        assert [row.count_burglary, row.count_drugs, row.count_nuisance] == loop
    cells = box(200, 900, 600, 1300).difference(box(200, 1200, 300, 1300))
    assert first.geometry.is_valid
    assert first.geometry.symmetric_difference(cells).area < 0.03 * cells.area
    assert first.geometry.distance(second.geometry) > 300
    assert first["area_ha"] == round(first.geometry.area / 1e4, 2)
    assert "Meervoudige hotspot" in first["description"]


def test_hot_through_neighbours_only_is_set_aside_with_the_reason() -> None:
    grid, hot, multi = _two_blobs()
    spec = []
    for row in range(2, 6):  # blob 1 holds 16 burglaries and 16 drugs
        for col in range(2, 6):
            x, y = _cell_centre(row, col)
            spec += [(x, y, 0), (x, y, 1)]
    x, y = _cell_centre(10, 14)  # blob 2 holds 4 drugs and no nuisance at all
    spec += [(x, y, 1)] * 4
    found = candidate_perimeters(grid, multi, hot, _points(spec), CODES)
    assert list(found.kept["phenomena"]) == ["burglary, drugs"]
    aside = found.set_aside
    assert len(aside) == 1 and aside.iloc[0]["name"] == ""
    # Nuisance is hot in its cells but has no incident inside: it is not proposed at all.
    assert aside.iloc[0]["phenomena"] == "drugs" and aside.iloc[0]["incidents"] == 4
    assert aside.iloc[0]["reason"] == (
        "4 incidents of its hot phenomena inside its outline: fewer than 10"
    )
    lower = candidate_perimeters(grid, multi, hot, _points(spec), CODES, min_incidents=4)
    assert list(lower.kept["name"]) == ["Kandidaat 1", "Kandidaat 2"] and lower.set_aside.empty
    # The names follow the kept ones: the strongest is Kandidaat 1 whatever was set aside.
    higher = candidate_perimeters(grid, multi, hot, _points(spec), CODES, min_incidents=33)
    assert higher.kept.empty and len(higher.set_aside) == 2


def test_corner_touching_cells_join_and_small_holes_fill() -> None:
    grid = _grid()
    multi = np.zeros(grid.shape, bool)
    multi[5, 5] = multi[6, 6] = True  # touch at a corner only
    multi[1:4, 12:15] = True  # a ring of 8 cells around one hole
    multi[2, 13] = False
    hot = np.stack([multi, multi])
    xs, ys = np.meshgrid(np.arange(25, 2000, 50.0), np.arange(25, 1500, 50.0))
    everywhere = Points(xs.ravel(), ys.ravel(), np.zeros(xs.size, np.int64))
    cands = candidate_perimeters(grid, multi, hot, everywhere, ["a", "b"], min_incidents=0)
    kept = cands.kept
    assert len(kept) == 2
    ring = kept[kept["cells"] == 8].geometry.iloc[0]
    assert len(ring.interiors) == 0  # a one-cell hole is below the default 4 cells
    assert ring.contains(shapely.Point(1350, 1500 - 250))
    holed = candidate_perimeters(
        grid, multi, hot, everywhere, ["a", "b"], max_hole_m2=5_000, min_incidents=0
    )
    assert len(holed.kept[holed.kept["cells"] == 8].geometry.iloc[0].interiors) == 1
    big = candidate_perimeters(grid, multi, hot, everywhere, ["a", "b"], min_cells=3)
    assert list(big.kept["cells"]) == [8]
    # Vertices sit on the centimetre: what a .csv export writes is the polygon itself.
    coords = shapely.get_coordinates(ring)
    np.testing.assert_array_equal(coords, np.round(coords, 2))


def test_no_hot_cells_give_empty_tables_with_the_columns() -> None:
    grid = _grid()
    none = np.zeros(grid.shape, bool)
    found = candidate_perimeters(
        grid, none, np.zeros((2, *grid.shape), bool), _points([]), ["a", "b"]
    )
    for table in (found.kept, found.set_aside):
        assert table.empty and "name" in table.columns and "count_b" in table.columns
        assert table.crs.to_epsg() == 31370
    assert "reason" in found.set_aside.columns
