"""Regular analysis grids and per-cell counts.

Why: perimeters only show what was drawn in advance. A grid of small square cells (200 m by
default) shows where incidents gather *outside* the perimeters too, and it is the input of
hotspot statistics. Cells are aligned to multiples of the cell size in EPSG:31370, so the same
cell has the same id and outline whatever the zone, period or phenomenon: grids of different
months or zones can be compared and joined cell by cell.

Counting is integer arithmetic: each incident's cell is ``floor(x / cell_m)``,
``floor(y / cell_m)``, and the counts per cell and phenomenon are one ``np.bincount``. No point
geometry is built and no Python loop runs over incidents.

Two views of the same cells: :func:`grid_counts` gives a table (one row per cell holding data,
for maps and exports); :func:`zone_grid` and :func:`raster_counts` give 2-D numpy arrays over the
zone's bounding box with a mask of the cells in the zone (for statistics such as Gi* and KDE,
which work by convolution).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    counts = np.zeros((len(ix), len(names)), dtype=np.int64)
    if len(ix) and len(names):
        target = cell_rows(ix, iy, x[ok], y[ok], cell_m)
        hit = target >= 0
        keys = target[hit] * len(names) + codes[hit]
        counts = np.bincount(keys, minlength=counts.size).reshape(counts.shape)
    return cell_table(ix, iy, counts, names, cell_m)


def cell_rows(
    ix: np.ndarray, iy: np.ndarray, x: np.ndarray, y: np.ndarray, cell_m: float
) -> np.ndarray:
    """The row in the zone cells ``ix, iy`` (:func:`zone_cells`) of each point, ``-1`` outside
    them (half-open cells, as in :func:`grid_counts`; coordinates finite)."""
    if not len(ix):
        return np.full(len(x), -1, dtype=np.int64)
    # A lookup table over the zone's bounding grid: cell index → row (or -1).
    x0, y0 = ix.min(), iy.min()
    width, height = int(ix.max() - x0 + 1), int(iy.max() - y0 + 1)
    lookup = np.full(width * height, -1, dtype=np.int64)
    lookup[(iy - y0) * width + (ix - x0)] = np.arange(len(ix))
    col = np.floor(x / cell_m).astype(np.int64) - x0
    row = np.floor(y / cell_m).astype(np.int64) - y0
    in_box = (col >= 0) & (col < width) & (row >= 0) & (row < height)
    target = np.full(len(col), -1, dtype=np.int64)
    target[in_box] = lookup[row[in_box] * width + col[in_box]]
    return target


def cell_table(
    ix: np.ndarray, iy: np.ndarray, counts: np.ndarray, names: list[str], cell_m: float
) -> gpd.GeoDataFrame:
    """The table of :func:`grid_counts` from counts per zone cell × phenomenon (``names``,
    sorted): the cells holding at least one incident, with their ids, total and squares.

    Raises
    ------
    ValueError
        When a phenomenon code is a reserved column name (``cell``, ``total``, ``geometry``).
    """
    clash = sorted(set(names) & set(RESERVED))
    if clash:
        raise ValueError(f"phenomenon codes {clash} clash with the grid's own columns")
    total = counts.sum(axis=1)
    keep = total > 0
    ix, iy, counts = ix[keep], iy[keep], counts[keep]
    frame = pd.DataFrame(counts, columns=names)
    frame.insert(0, "cell", cell_ids(ix, iy, cell_m))
    frame["total"] = total[keep]
    boxes = shapely.box(ix * cell_m, iy * cell_m, (ix + 1) * cell_m, (iy + 1) * cell_m)
    return gpd.GeoDataFrame(frame, geometry=boxes, crs=WORKING_CRS)


@dataclass(frozen=True, eq=False)
class ZoneGrid:
    """A north-up raster of aligned square cells over a zone's bounding box.

    Row 0 is the northernmost row and column 0 the westernmost column (the image convention, so
    an array can be drawn as it is). Cell ``(row, col)`` is the aligned cell with indices
    ``ix = col0 + col`` and ``iy = row0 - row`` of :func:`zone_cells`: its south-west corner is
    ``(ix * cell_m, iy * cell_m)`` in EPSG:31370.

    Attributes
    ----------
    cell_m
        Cell size in metres.
    col0
        Cell index ``ix`` of column 0.
    row0
        Cell index ``iy`` of row 0 (the northernmost row).
    mask
        Boolean array ``(rows, cols)``: ``True`` for the cells whose interior overlaps the zone,
        i.e. the study area. Cells outside it are not part of any statistic.
    """

    cell_m: float
    col0: int
    row0: int
    mask: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        rows, cols = self.mask.shape
        return int(rows), int(cols)

    @property
    def n_cells(self) -> int:
        """Number of cells in the study area (``mask.sum()``)."""
        return int(self.mask.sum())

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` of the whole raster in EPSG:31370 metres."""
        rows, cols = self.shape
        c = self.cell_m
        return (
            self.col0 * c,
            (self.row0 - rows + 1) * c,
            (self.col0 + cols) * c,
            (self.row0 + 1) * c,
        )

    @property
    def transform(self) -> tuple[float, float, float, float, float, float]:
        """Affine transform ``(a, b, c, d, e, f)`` in the rasterio/affine order.

        ``x = a * col + b * row + c`` and ``y = d * col + e * row + f`` give the outer corner
        of a pixel: ``(cell_m, 0, minx, 0, -cell_m, maxy)``. GDAL's geotransform is
        ``(c, a, b, f, d, e)``.
        """
        minx, _, _, maxy = self.bounds
        return (self.cell_m, 0.0, minx, 0.0, -self.cell_m, maxy)

    @property
    def area_m2(self) -> float:
        """Area of the study area: the number of cells in the mask times the cell area."""
        return self.n_cells * self.cell_m**2

    def indices(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell indices ``(ix, iy)`` of every raster cell, each an int64 array ``(rows, cols)``."""
        rows, cols = self.shape
        iy, ix = np.meshgrid(
            self.row0 - np.arange(rows, dtype=np.int64),
            self.col0 + np.arange(cols, dtype=np.int64),
            indexing="ij",
        )
        return ix, iy

    def cell_ids(self, where: np.ndarray | None = None) -> np.ndarray:
        """Stable ids (see :func:`cell_ids`) of the cells selected by the boolean ``where``
        (default: the study area), in row-major order (north to south, west to east)."""
        ix, iy = self.indices()
        sel = self.mask if where is None else where
        return cell_ids(ix[sel], iy[sel], self.cell_m)

    def boxes(self, where: np.ndarray | None = None) -> np.ndarray:
        """Cell squares (shapely polygons, EPSG:31370) of the cells selected by ``where``
        (default: the study area), in row-major order."""
        ix, iy = self.indices()
        sel = self.mask if where is None else where
        c = self.cell_m
        x0, y0 = ix[sel] * c, iy[sel] * c
        return shapely.box(x0, y0, x0 + c, y0 + c)

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row, column and study-area flag of points (same half-open cells as :func:`grid_counts`).

        Returns
        -------
        row, col, inside
            int64 arrays (meaningless where ``inside`` is False) and a boolean array: the point
            has finite coordinates and lies in a raster cell that belongs to the study area.
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        rows, cols = self.shape
        col = np.zeros(len(x), dtype=np.int64)
        row = np.zeros(len(x), dtype=np.int64)
        col[ok] = np.floor(x[ok] / self.cell_m).astype(np.int64) - self.col0
        row[ok] = self.row0 - np.floor(y[ok] / self.cell_m).astype(np.int64)
        ok &= (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
        inside = ok.copy()
        inside[ok] = self.mask[row[ok], col[ok]]
        return row, col, inside


def zone_grid(zone: BaseGeometry, *, cell_m: float = 100.0) -> ZoneGrid:
    """The raster of aligned cells over ``zone`` with its study-area mask.

    The mask holds the same cells as :func:`zone_cells` (interior overlaps the zone).

    Parameters
    ----------
    zone
        Polygon or multipolygon in EPSG:31370.
    cell_m
        Cell size in metres (> 0; default 100 m).

    Raises
    ------
    ValueError
        When ``cell_m`` is not positive or the zone is empty.
    """
    ix, iy = zone_cells(zone, cell_m=cell_m)
    if len(ix) == 0:
        raise ValueError("the zone outline is empty: no grid can be laid over it")
    col0, row0 = int(ix.min()), int(iy.max())
    mask = np.zeros((row0 - int(iy.min()) + 1, int(ix.max()) - col0 + 1), dtype=bool)
    mask[row0 - iy, ix - col0] = True
    return ZoneGrid(float(cell_m), col0, row0, mask)


def raster_counts(
    grid: ZoneGrid,
    x: np.ndarray,
    y: np.ndarray,
    labels: np.ndarray | None = None,
    n_labels: int = 1,
) -> np.ndarray:
    """Count points per raster cell (and per label) with one ``np.bincount``.

    Parameters
    ----------
    grid
        The raster (see :func:`zone_grid`).
    x, y
        Coordinates in EPSG:31370 metres. Points outside the study area (or with a missing
        coordinate) are not counted.
    labels
        Optional integer label per point in ``[0, n_labels)`` (a phenomenon, a quarter, or a
        combination such as ``quarter * n_phenomena + phenomenon``); negative labels are skipped.
    n_labels
        Number of labels.

    Returns
    -------
    numpy.ndarray
        int64 array ``(n_labels, rows, cols)``; zero outside the mask.
    """
    rows, cols = grid.shape
    row, col, inside = grid.locate(x, y)
    lab = np.zeros(len(row), dtype=np.int64) if labels is None else np.asarray(labels, np.int64)
    keep = inside & (lab >= 0) & (lab < n_labels)
    keys = (lab[keep] * rows + row[keep]) * cols + col[keep]
    counts = np.bincount(keys, minlength=n_labels * rows * cols)
    return counts.reshape(n_labels, rows, cols)
