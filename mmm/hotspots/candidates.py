"""Candidate perimeters: contiguous multi-phenomenon hot cells dissolved into smooth polygons.

Why: the MMM approach works inside clearly delimited micro-local perimeters. The hotspot grid
says *where* several problems come together; a project group needs a polygon it can discuss,
adjust and adopt (``mmm hotspots --out candidates.geojson`` then ``mmm import perimeters``, or
the hotspot page's "adopt" button) — and defend: a candidate proposed for burglary must hold
burglaries. A cell can be Gi*-hot with no incident of its own (its neighbours carry it), and a
polygon with rounded corners can leave out the incidents of the cells it was drawn from, so the
counts are never taken from the cells.

How a candidate is drawn from the multi-phenomenon hotspot cells:

1. the cell squares are dissolved (``shapely.union_all``);
2. a morphological *closing* (buffer out by ``0.4 × cell``, then in) joins cells that touch
   only at a corner and fills notches narrower than 0.8 cells, without bridging a gap of a
   whole cell;
3. a small *opening* (buffer in, then out, by ``0.2 × cell``) rounds the outer corners;
4. the outline is simplified (tolerance ``cell / 20``), holes smaller than ``max_hole_m2``
   (default: 4 cells) are filled, and the vertices are snapped to the centimetre (what a
   ``.csv`` export keeps, so a file round trip counts the same);
5. its incidents are counted **inside the polygon** with
   :func:`mmm.counting.count.covered_counts` — the function that counts an adopted perimeter
   (boundary included) — over the incidents of the analysed period;
6. its *proposed* phenomena are those hot (at the chosen level) in at least one of its
   multi-phenomenon cells **and** with at least one incident inside the polygon;
7. it is kept when its proposed phenomena add up to at least ``min_incidents`` (default 10)
   incidents inside the polygon; otherwise it is *set aside*, with the reason, so the
   command and the page can say what was left out and why.

Kept candidates are named ``Kandidaat 1``, ``Kandidaat 2``… from the most incidents of their
proposed phenomena down (then the most phenomena).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.counting.count import covered_counts
from mmm.counting.grid import ZoneGrid
from mmm.crs import WORKING_CRS

#: Column order of the candidates table (then ``counts`` and one ``count_<code>`` column per
#: phenomenon; the set-aside table adds ``reason``).
COLUMNS = ("name", "description", "phenomena", "n_phenomena", "cells", "area_ha", "incidents")
#: Incidents of its proposed phenomena a candidate needs inside its polygon (``--min-incidents``).
MIN_INCIDENTS = 10
#: Vertices are snapped to this grid (m): the precision of a ``.csv`` export's WKT.
PRECISION_M = 0.01


@dataclass(frozen=True)
class Points:
    """The incidents of the analysed period: coordinates (EPSG:31370) and phenomenon index.

    ``codes[i]`` indexes the run's phenomena; ``-1`` for an incident of a phenomenon that is
    not analysed (it counts for no candidate).
    """

    x: np.ndarray
    y: np.ndarray
    codes: np.ndarray


@dataclass(frozen=True, eq=False)
class Candidates:
    """The candidates kept (defensible) and those set aside, in the same columns.

    ``set_aside`` adds ``reason`` (one English sentence) and has ``name`` empty: it is no
    proposal, only an account of what the hot cells also outlined.
    """

    kept: gpd.GeoDataFrame
    set_aside: gpd.GeoDataFrame


def candidate_perimeters(
    grid: ZoneGrid,
    multi: np.ndarray,
    hot: np.ndarray,
    points: Points,
    phenomena: Sequence[str],
    *,
    min_incidents: int = MIN_INCIDENTS,
    max_hole_m2: float | None = None,
    min_cells: int = 1,
    prefix: str = "Kandidaat",
) -> Candidates:
    """Dissolve multi-phenomenon hotspot cells into candidate perimeters a person can defend.

    Parameters
    ----------
    grid
        The zone grid.
    multi
        Boolean ``(rows, cols)``: the multi-phenomenon hotspot cells.
    hot
        Boolean ``(P, rows, cols)``: cells hot for each phenomenon.
    points
        The incidents of the analysed period (see :class:`Points`).
    phenomena
        The P phenomenon codes.
    min_incidents
        Incidents of its proposed phenomena a candidate needs inside its polygon.
    max_hole_m2
        Holes smaller than this (m²) are filled; default 4 cells.
    min_cells
        Leave out outlines with fewer multi-phenomenon cells than this (not reported: a size
        rule, not a count).
    prefix
        Names are ``f"{prefix} {i}"``.

    Returns
    -------
    Candidates
        ``kept``: EPSG:31370, one row per candidate: ``name``, ``description`` (Dutch, one
        line), ``phenomena`` (proposed codes, comma-separated), ``n_phenomena``, ``cells``
        (multi-phenomenon cells inside), ``area_ha``, ``incidents`` (of its proposed phenomena,
        inside the polygon), ``counts`` (``code: n`` for them), one ``count_<code>`` column per
        phenomenon (inside the polygon), and the polygon. ``set_aside``: the same for the
        outlines below ``min_incidents``, with ``reason``.
    """
    if min_incidents < 0:
        raise ValueError(f"--min-incidents must be 0 or more, got {min_incidents}")
    multi = np.asarray(multi, dtype=bool) & grid.mask
    c = grid.cell_m
    hole = 4 * c * c if max_hole_m2 is None else max_hole_m2
    shapes = _outlines(grid.boxes(multi), cell_m=c, max_hole_m2=hole)

    ix, iy = grid.indices()
    cx, cy = (ix + 0.5) * c, (iy + 0.5) * c
    k = len(phenomena)
    known = points.codes >= 0
    inside_counts = covered_counts(
        points.x[known],
        points.y[known],
        points.codes[known].astype(np.int64),
        k,
        np.asarray(shapes, dtype=object),
    )
    rows = []
    for shape, totals in zip(shapes, inside_counts, strict=True):
        shapely.prepare(shape)
        own = multi & shapely.contains_xy(shape, cx, cy)
        if own.sum() < min_cells:
            continue
        proposed = [j for j in range(k) if hot[j][own].any() and totals[j] > 0]
        rows.append((shape, int(own.sum()), proposed, totals))
    rows.sort(key=lambda r: (-int(r[3][r[2]].sum()), -len(r[2])))
    kept = [r for r in rows if int(r[3][r[2]].sum()) >= min_incidents]
    aside = [r for r in rows if int(r[3][r[2]].sum()) < min_incidents]
    records = [_record(f"{prefix} {i}", *row, phenomena, c) for i, row in enumerate(kept, start=1)]
    aside_records = []
    for row in aside:
        record = _record("", *row, phenomena, c)
        record["reason"] = (
            f"{record['incidents']} incident{'s' * (record['incidents'] != 1)} of its hot "
            f"phenomena inside its outline: fewer than {min_incidents}"
        )
        aside_records.append(record)
    columns = [*COLUMNS, "counts", *(f"count_{p}" for p in phenomena)]
    return Candidates(
        _frame(records, columns, [r[0] for r in kept]),
        _frame(aside_records, [*columns, "reason"], [r[0] for r in aside]),
    )


def _record(
    name: str,
    shape: BaseGeometry,
    n_cells: int,
    proposed: list[int],
    totals: np.ndarray,
    phenomena: Sequence[str],
    cell_m: float,
) -> dict[str, object]:
    """One row of the candidates table (counts from inside ``shape``)."""
    codes = [phenomena[j] for j in proposed]
    record: dict[str, object] = {
        "name": name,
        "description": (
            f"Meervoudige hotspot ({', '.join(codes)}): {n_cells} "
            f"{'cel' if n_cells == 1 else 'cellen'} van {cell_m:g} m"
        ),
        "phenomena": ", ".join(codes),
        "n_phenomena": len(codes),
        "cells": n_cells,
        "area_ha": round(shape.area / 1e4, 2),
        "incidents": int(totals[proposed].sum()),
        "counts": "; ".join(f"{phenomena[j]}: {int(totals[j])}" for j in proposed),
    }
    record.update({f"count_{p}": int(totals[j]) for j, p in enumerate(phenomena)})
    return record


def _frame(
    records: list[dict[str, object]], columns: list[str], shapes: list[BaseGeometry]
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(records or None, columns=columns, geometry=shapes, crs=WORKING_CRS)


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
    filled = [_fill_holes(p, max_hole_m2) for p in parts if not p.is_empty and p.area > 0]
    snapped = shapely.set_precision(filled, PRECISION_M) if filled else []
    return [p for p in snapped if not p.is_empty]


def _fill_holes(polygon: BaseGeometry, max_hole_m2: float) -> BaseGeometry:
    """``polygon`` without the interior rings enclosing less than ``max_hole_m2``."""
    keep = [r for r in polygon.interiors if shapely.Polygon(r).area >= max_hole_m2]
    return shapely.Polygon(polygon.exterior, keep)
