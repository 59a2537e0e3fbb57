"""Rates per perimeter and per grid cell: counts over denominators, raw and EB-smoothed.

Why a module of its own: :mod:`mmm.rates.areal` and :mod:`mmm.rates.smoothing` are plain
arithmetic; a page and ``mmm rates`` need them on what the store holds — the denominators of one
kind spread onto the perimeters (or given per perimeter), the counts of a period counted as
every perimeter figure is (:func:`mmm.counting.count.count_incidents`), and the neighbours the
local smoothing borrows from.

Neighbours: perimeters within :data:`NEIGHBOUR_M` metres of each other (outline to outline: a
zone's perimeters rarely touch); grid cells their eight surrounding cells (queen contiguity, as
GeoDa's default for a grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mmm.counting.count import count_incidents
from mmm.counting.grid import ZoneGrid, raster_counts, zone_grid
from mmm.crs import WORKING_CRS
from mmm.errors import NotFound
from mmm.rates.areal import areal_weighting
from mmm.rates.smoothing import empirical_bayes
from mmm.store import Store

#: Perimeters closer than this (m, outline to outline) are neighbours in the local smoothing.
NEIGHBOUR_M = 500.0
#: Columns of :func:`perimeter_rates`.
COLUMNS = (
    "perimeter_id", "perimeter", "phenomenon", "count", "denominator", "rate", "eb_global",
    "eb_local", "reference",
)  # fmt: skip


def _kind(store: Store, kind: str) -> gpd.GeoDataFrame:
    """The stored denominators of ``kind``; :class:`NotFound` saying what is stored otherwise."""
    rows = store.denominators(kind)
    if rows.empty:
        kinds = store.denominator_kinds()
        raise NotFound(
            f"no {kind} denominators stored (import them with: mmm import denominators FILE "
            f"--value COL --kind {kind}); stored: {', '.join(kinds) or 'none'}"
        )
    return rows


def perimeter_denominators(store: Store, kind: str, perimeters: gpd.GeoDataFrame) -> np.ndarray:
    """The denominator of each of ``perimeters`` (``id``, polygons): its stored value, or the
    polygon layer areal-weighted onto it (NaN for a perimeter without a stored value)."""
    rows = _kind(store, kind)
    if rows["perimeter_id"].notna().any():
        given = dict(zip(rows["perimeter_id"].astype(int), rows["value"], strict=True))
        return np.array([given.get(int(pid), np.nan) for pid in perimeters["id"]], dtype=float)
    return areal_weighting(
        rows.geometry.values, rows["value"].to_numpy(), perimeters.geometry.values
    )


def perimeter_neighbours(
    geometries: np.ndarray, distance_m: float = NEIGHBOUR_M
) -> list[np.ndarray]:
    """Per perimeter, the others within ``distance_m`` of its outline."""
    geometries = np.asarray(geometries, dtype=object)
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=distance_m)
    return [right[(left == i) & (right != i)] for i in range(len(geometries))]


def perimeter_rates(
    store: Store,
    kind: str,
    phenomena: Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Per perimeter that is not archived × phenomenon: the count of the period, the
    denominator, and the raw, global EB and local EB rates per 1,000 (columns
    :data:`COLUMNS`; ``reference`` is the zone-wide rate of the perimeters)."""
    shapes = store.perimeters()
    shapes = shapes[shapes["status"] != "archived"].reset_index(drop=True)
    base = perimeter_denominators(store, kind, shapes)
    counts = count_incidents(store.incidents(), shapes, period="all", start=start, end=end)
    neighbours = perimeter_neighbours(shapes.geometry.values)
    frames = []
    for code in phenomena:
        mine = counts[counts["phenomenon"] == code].set_index("perimeter")["count"]
        o = shapes["name"].map(mine).fillna(0).to_numpy(dtype=float)
        rates = empirical_bayes(o, base, neighbours)
        frames.append(
            pd.DataFrame(
                {
                    "perimeter_id": shapes["id"].astype(int),
                    "perimeter": shapes["name"].astype(str),
                    "phenomenon": code,
                    "count": o.astype(np.int64),
                    "denominator": base,
                    "rate": rates.raw,
                    "eb_global": rates.global_eb,
                    "eb_local": rates.local_eb,
                    "reference": rates.reference,
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS))


def grid_neighbours(grid: ZoneGrid) -> list[np.ndarray]:
    """Per study-area cell (row-major order), the indices of its up to eight study-area
    neighbours (queen contiguity)."""
    rows, cols = grid.shape
    index = np.full(grid.shape, -1, dtype=np.int64)
    index[grid.mask] = np.arange(int(grid.mask.sum()))
    out = []
    for r, c in zip(*np.nonzero(grid.mask), strict=True):
        around = index[max(r - 1, 0) : r + 2, max(c - 1, 0) : c + 2].ravel()
        out.append(around[(around >= 0) & (around != index[r, c])])
    return out


def cell_rates(
    store: Store,
    kind: str,
    phenomena: Sequence[str],
    *,
    cell_m: float = 200.0,
    start: date | None = None,
    end: date | None = None,
) -> gpd.GeoDataFrame:
    """Per study-area grid cell × phenomenon: count, areal-weighted denominator and the raw,
    global EB and local EB (queen) rates per 1,000; the cell squares in EPSG:31370.

    Raises
    ------
    NotFound
        Without a zone, or without denominators of ``kind``.
    ValueError
        When the denominators are given per perimeter: they cannot be spread onto cells.
    """
    rows = _kind(store, kind)
    if rows.geometry.isna().any():
        raise ValueError(
            f"the {kind} denominators are given per perimeter: grid cells need a polygon layer "
            "(such as statistical sectors) to spread them by area"
        )
    zone = store.zone()
    if zone is None:
        raise NotFound("the store holds no zone outline and no incidents: import them first")
    grid = zone_grid(zone.geometry, cell_m=cell_m)
    boxes = grid.boxes()
    base = areal_weighting(rows.geometry.values, rows["value"].to_numpy(), boxes)
    incidents = store.incidents(start=start, end=end)
    codes = pd.Index(list(phenomena)).get_indexer(incidents["phenomenon"]).astype(np.int64)
    counts = raster_counts(
        grid, incidents["x"].to_numpy(float), incidents["y"].to_numpy(float), codes, len(phenomena)
    )
    neighbours = grid_neighbours(grid)
    ids = grid.cell_ids()
    frames = []
    for k, code in enumerate(phenomena):
        o = counts[k][grid.mask].astype(float)
        rates = empirical_bayes(o, base, neighbours)
        frames.append(
            pd.DataFrame(
                {
                    "cell": ids,
                    "phenomenon": code,
                    "count": o.astype(np.int64),
                    "denominator": base,
                    "rate": rates.raw,
                    "eb_global": rates.global_eb,
                    "eb_local": rates.local_eb,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry=np.tile(boxes, len(phenomena)), crs=WORKING_CRS)
