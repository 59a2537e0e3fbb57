"""Regular analysis grids and per-cell counts.

Why: perimeters only show what was drawn in advance. A grid of small square cells (200 m by
default) shows where incidents gather *outside* the perimeters too, and it is the input of
hotspot statistics. Cells are aligned to multiples of the cell size in EPSG:31370, so the same
cell has the same id and outline whatever the zone, period or phenomenon: grids of different
months or zones can be compared and joined cell by cell.

Counting is integer arithmetic: each incident's cell is ``floor(x / cell_m)``,
``floor(y / cell_m)``, and the counts per cell and phenomenon are one ``np.bincount``. No point
geometry is built and no Python loop runs over incidents.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.crs import WORKING_CRS

#: Column names of the result that a phenomenon code may not take.
RESERVED = ("cell", "total", "geometry")


def cell_ids(ix: np.ndarray, iy: np.ndarray, cell_m: float) -> np.ndarray:
    """Stable cell ids from the cell indices: ``"200mE172000N174000"``.

    The id names the cell size and the south-west corner in EPSG:31370 metres (the INSPIRE
    grid naming idea), so it reads the same in an export, in QGIS and in another period's grid.

    Parameters
    ----------
    ix, iy
        Integer cell indices: the corner is ``(ix * cell_m, iy * cell_m)``.
    cell_m
        Cell size in metres.
    """
    size = _metres(float(cell_m)) + "m"
    east = pd.Series(np.asarray(ix) * cell_m, dtype=float).map(_metres).astype(str)
    north = pd.Series(np.asarray(iy) * cell_m, dtype=float).map(_metres).astype(str)
    return (size + "E" + east + "N" + north).to_numpy(dtype=object)


def _metres(value: float) -> str:
    """``172000`` for whole metres, ``172000.5`` otherwise (never an exponent)."""
    return np.format_float_positional(value, trim="-")


def zone_cells(zone: BaseGeometry, *, cell_m: float = 200.0) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(ix, iy)`` of the aligned cells whose interior overlaps ``zone``.

    Cells that only touch the zone along an edge or at a corner are left out: they hold no part
    of the zone. Sorted south to north, then west to east.

    Parameters
    ----------
    zone
        Polygon or multipolygon in EPSG:31370.
    cell_m
        Cell size in metres (> 0).
    """
    if not cell_m > 0:
        raise ValueError(f"the cell size must be positive, got {cell_m!r} m")
    if zone is None or zone.is_empty:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    minx, miny, maxx, maxy = zone.bounds
    cols = np.arange(np.floor(minx / cell_m), np.ceil(maxx / cell_m), dtype=np.int64)
    rows = np.arange(np.floor(miny / cell_m), np.ceil(maxy / cell_m), dtype=np.int64)
    if len(cols) == 0 or len(rows) == 0:  # a degenerate zone (a line along a cell edge)
        cols = np.array([int(np.floor(minx / cell_m))])
        rows = np.array([int(np.floor(miny / cell_m))])
    iy, ix = (a.ravel() for a in np.meshgrid(rows, cols, indexing="ij"))
    boxes = shapely.box(ix * cell_m, iy * cell_m, (ix + 1) * cell_m, (iy + 1) * cell_m)
    shapely.prepare(zone)
    keep = shapely.intersects(zone, boxes) & ~shapely.touches(zone, boxes)
    return ix[keep], iy[keep]


def grid_counts(
    incidents: pd.DataFrame, zone: BaseGeometry, *, cell_m: float = 200.0
) -> gpd.GeoDataFrame:
    """Count incidents per square cell of ``cell_m`` metres and per phenomenon over the zone.

    The grid covers the zone's bounds with cells aligned to multiples of ``cell_m`` in
    EPSG:31370 and keeps the cells whose interior overlaps the zone.

    A cell is half-open, ``[x0, x0 + cell_m) × [y0, y0 + cell_m)``: an incident exactly on a
    vertical cell edge belongs to the cell to its east, one on a horizontal edge to the cell to
    its north, and one on a corner to the cell north-east of it (floating-point rounding
    applies when ``cell_m`` or the coordinates are not whole metres).

    Parameters
    ----------
    incidents
        Columns ``phenomenon``, ``x`` and ``y`` (EPSG:31370, metres), as returned by
        ``Store.incidents()``; ``occurred`` is not used (filter the period before). Rows with
        a missing coordinate are ignored.
    zone
        The zone outline, polygon or multipolygon in EPSG:31370.
    cell_m
        Cell size in metres (default 200 m).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:31370, one row per cell that holds at least one incident (**cells with a total
        of 0 are left out**, which keeps maps light), sorted south to north then west to east.
        Columns: ``cell`` (id such as ``200mE172000N174000``, see :func:`cell_ids`), one
        integer column per phenomenon code found in ``incidents`` (sorted), ``total``, and
        the square cell as ``geometry``. Incidents in cells that do not overlap the zone
        (outside its outline) are not counted.

    Raises
    ------
    ValueError
        When ``cell_m`` is not positive or a phenomenon code is a reserved column name
        (``cell``, ``total``, ``geometry``).
    """
    ix, iy = zone_cells(zone, cell_m=cell_m)
    x = incidents["x"].to_numpy(dtype=float)
    y = incidents["y"].to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    codes, names = pd.factorize(incidents["phenomenon"][ok], sort=True)
    names = [str(n) for n in names]
    clash = sorted(set(names) & set(RESERVED))
    if clash:
        raise ValueError(f"phenomenon codes {clash} clash with the grid's own columns")
    counts = np.zeros((len(ix), len(names)), dtype=np.int64)
    if len(ix) and len(names):
        # A lookup table over the zone's bounding grid: cell index → row in ``counts`` (or -1).
        x0, y0 = ix.min(), iy.min()
        width, height = int(ix.max() - x0 + 1), int(iy.max() - y0 + 1)
        lookup = np.full(width * height, -1, dtype=np.int64)
        lookup[(iy - y0) * width + (ix - x0)] = np.arange(len(ix))
        col = np.floor(x[ok] / cell_m).astype(np.int64) - x0
        row = np.floor(y[ok] / cell_m).astype(np.int64) - y0
        in_box = (col >= 0) & (col < width) & (row >= 0) & (row < height)
        target = np.full(len(col), -1, dtype=np.int64)
        target[in_box] = lookup[row[in_box] * width + col[in_box]]
        hit = target >= 0
        keys = target[hit] * len(names) + codes[hit]
        counts = np.bincount(keys, minlength=counts.size).reshape(counts.shape)
    total = counts.sum(axis=1)
    keep = total > 0
    ix, iy, counts = ix[keep], iy[keep], counts[keep]
    frame = pd.DataFrame(counts, columns=names)
    frame.insert(0, "cell", cell_ids(ix, iy, cell_m))
    frame["total"] = total[keep]
    boxes = shapely.box(ix * cell_m, iy * cell_m, (ix + 1) * cell_m, (iy + 1) * cell_m)
    return gpd.GeoDataFrame(frame, geometry=boxes, crs=WORKING_CRS)
