"""Candidate perimeters: contiguous multi-phenomenon hot cells dissolved into smooth polygons.

Why: the MMM approach works inside clearly delimited micro-local perimeters. The hotspot grid
says *where* several problems come together; a project group needs a polygon it can discuss,
adjust and adopt (``mmm hotspots --out candidates.geojson`` then ``mmm import perimeters``).

How a candidate is drawn from the multi-phenomenon hotspot cells:

1. the cell squares are dissolved (``shapely.union_all``);
2. a morphological *closing* (buffer out by ``0.4 × cell``, then in) joins cells that touch
   only at a corner and fills notches narrower than 0.8 cells, without bridging a gap of a
   whole cell;
3. a small *opening* (buffer in, then out, by ``0.2 × cell``) rounds the outer corners;
4. the outline is simplified (tolerance ``cell / 20``) and holes smaller than ``max_hole_m2``
   (default: 4 cells) are filled;
5. each resulting polygon is one candidate. Its phenomena are those hot (at the chosen level) in
   at least one of its multi-phenomenon cells; its counts are the incidents of the analysed
   period in the grid cells whose centre lies inside the polygon.

Candidates are named ``Kandidaat 1``, ``Kandidaat 2``… from the most incidents of their hot
phenomena down (then the most phenomena).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.counting.grid import ZoneGrid
from mmm.crs import WORKING_CRS

#: Column order of the candidates table (then one ``count_<code>`` column per phenomenon).
COLUMNS = ("name", "description", "phenomena", "n_phenomena", "cells", "area_ha", "incidents")


def candidate_perimeters(
    grid: ZoneGrid,
    multi: np.ndarray,
    hot: np.ndarray,
    counts: np.ndarray,
    phenomena: Sequence[str],
    *,
    max_hole_m2: float | None = None,
    min_cells: int = 1,
    prefix: str = "Kandidaat",
) -> gpd.GeoDataFrame:
    """Dissolve multi-phenomenon hotspot cells into candidate perimeters.

    Parameters
    ----------
    grid
        The zone grid.
    multi
        Boolean ``(rows, cols)``: the multi-phenomenon hotspot cells.
    hot
        Boolean ``(P, rows, cols)``: cells hot for each phenomenon.
    counts
        ``(P, rows, cols)`` incident counts of the analysed period.
    phenomena
        The P phenomenon codes.
    max_hole_m2
        Holes smaller than this (m²) are filled; default 4 cells.
    min_cells
        Leave out candidates with fewer multi-phenomenon cells than this.
    prefix
        Names are ``f"{prefix} {i}"``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:31370, one row per candidate: ``name``, ``description`` (Dutch, one line),
        ``phenomena`` (codes, comma-separated), ``n_phenomena``, ``cells`` (multi-phenomenon
        cells inside), ``area_ha``, ``incidents`` (of its phenomena), ``counts`` (``code: n``
        for its phenomena), one ``count_<code>`` column per phenomenon, and the polygon.
    """
    multi = np.asarray(multi, dtype=bool) & grid.mask
    c = grid.cell_m
    hole = 4 * c * c if max_hole_m2 is None else max_hole_m2
    shapes = _outlines(grid.boxes(multi), cell_m=c, max_hole_m2=hole)

    ix, iy = grid.indices()
    cx, cy = (ix + 0.5) * c, (iy + 0.5) * c
    rows = []
    for shape in shapes:  # a handful of polygons, each tested against all cell centres at once
        shapely.prepare(shape)
        inside = grid.mask & shapely.contains_xy(shape, cx, cy)
        own = inside & multi
        if own.sum() < min_cells:
            continue
        hot_here = [k for k in range(len(phenomena)) if hot[k][own].any()]
        totals = counts[:, inside].sum(axis=1)
        rows.append((shape, int(own.sum()), hot_here, totals))
    rows.sort(key=lambda r: (-int(r[3][r[2]].sum()), -len(r[2])))
    records = []
    for i, (shape, n_cells, hot_here, totals) in enumerate(rows, start=1):
        codes = [phenomena[k] for k in hot_here]
        record: dict[str, object] = {
            "name": f"{prefix} {i}",
            "description": (
                f"Meervoudige hotspot ({', '.join(codes)}): {n_cells} "
                f"{'cel' if n_cells == 1 else 'cellen'} van {c:g} m"
            ),
            "phenomena": ", ".join(codes),
            "n_phenomena": len(codes),
            "cells": n_cells,
            "area_ha": round(shape.area / 1e4, 2),
            "incidents": int(totals[hot_here].sum()),
            "counts": "; ".join(f"{phenomena[k]}: {int(totals[k])}" for k in hot_here),
        }
        record.update({f"count_{p}": int(totals[k]) for k, p in enumerate(phenomena)})
        records.append(record)
    columns = [*COLUMNS, "counts", *(f"count_{p}" for p in phenomena)]
    return gpd.GeoDataFrame(
        records or None,
        columns=columns,
        geometry=[r[0] for r in rows],
        crs=WORKING_CRS,
    )


def _outlines(boxes: np.ndarray, *, cell_m: float, max_hole_m2: float) -> list[BaseGeometry]:
    """Closing, opening, simplification and hole filling of the union of ``boxes``."""
    if len(boxes) == 0:
        return []
    merged = shapely.union_all(boxes)
    close, open_ = 0.4 * cell_m, 0.2 * cell_m
    smooth = merged.buffer(close, quad_segs=4).buffer(-close, quad_segs=4)
    smooth = smooth.buffer(-open_, quad_segs=4).buffer(open_, quad_segs=4)
    smooth = shapely.simplify(smooth, cell_m / 20, preserve_topology=True)
    parts = shapely.get_parts(smooth)
    return [_fill_holes(p, max_hole_m2) for p in parts if not p.is_empty and p.area > 0]


def _fill_holes(polygon: BaseGeometry, max_hole_m2: float) -> BaseGeometry:
    """``polygon`` without the interior rings enclosing less than ``max_hole_m2``."""
    keep = [r for r in polygon.interiors if shapely.Polygon(r).area >= max_hole_m2]
    return shapely.Polygon(polygon.exterior, keep)
