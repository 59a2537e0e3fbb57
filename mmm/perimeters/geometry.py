"""Checks a perimeter geometry drawn in the browser (or sent by a script) before it is stored.

Why: a perimeter is the unit every count, plan and evaluation refers to, so a geometry drawn in
a meeting must never be stored broken or silently changed. The rules, in order:

1. It must be a non-empty (multi)polygon with finite coordinates and at most
   :data:`~mmm.limits.MAX_VERTICES` vertices; height (z) values are dropped and reported;
   repeated vertices are removed and reported.
2. An outline whose edges cross (a *bow-tie*) is refused, with the crossing point, so the map
   can show where to move a vertex: which of the two halves was meant cannot be guessed.
3. Any other defect (a spike, a ring touching itself at a point…) is repaired with
   ``shapely.make_valid`` when that changes the area by less than 1 %, and reported; otherwise
   it is refused with the place GEOS names.
4. No part may be a sliver: narrower than :data:`SLIVER_WIDTH_M` everywhere.
5. It must lie inside the zone or touch it; a far-away geometry is refused with its distance
   (and a hint when longitude and latitude look swapped).
6. Its area must lie between the configured bounds (``MMM_PERIMETER_MIN_AREA`` /
   ``MMM_PERIMETER_MAX_AREA``).

Every refusal and note carries a ``code`` and its ``params`` on top of its English text (for the
command line and the audit trail), so that the web app can say it in the reader's language
(``webmap.vocabulary.geometry_message``).

Exterior rings are stored counter-clockwise and holes clockwise (as RFC 7946 asks); either
orientation is accepted. Everything here works in EPSG:31370 (metres) except
:func:`from_geojson`, which reads RFC 7946 (EPSG:4326, longitude first).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from mmm.crs import WEB_CRS, WORKING_CRS
from mmm.errors import InvalidGeometry
from mmm.io.validate import polygonal_part
from mmm.limits import MAX_VERTICES

#: A repair may change the area by less than this share, else the geometry is refused.
MAX_REPAIR_CHANGE = 0.01
#: A part narrower than this everywhere (metres) is a sliver, not a place.
SLIVER_WIDTH_M = 1.0
_LOCATION = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)")


@dataclass(frozen=True)
class AreaLimits:
    """Smallest and largest area (m²) a perimeter may have."""

    min_m2: float = 100.0
    max_m2: float = 10_000_000.0


@dataclass(frozen=True)
class CheckedGeometry:
    """A geometry that passed: valid, 2-D, oriented, EPSG:31370; and what was done to it."""

    geometry: BaseGeometry
    notes: tuple[Remark, ...]


class GeometryRefused(InvalidGeometry):
    """A geometry that cannot be stored; ``point`` (EPSG:31370) is where the problem is.

    ``reason`` is the English sentence; ``code`` and ``params`` say the same for a translation
    (the codes: :data:`REFUSALS`).
    """

    def __init__(
        self,
        reason: str,
        point: tuple[float, float] | None = None,
        *,
        code: str = "invalid",
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.point = point
        self.code = code
        self.params = dict(params or {})


class Remark(str):
    """A note about a saved geometry: its English text, and a ``code`` with ``params`` so an
    interface can say it in the reader's language (the codes: :data:`NOTES`). Being a ``str``,
    it goes into the audit trail and the command's output as the English text."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, **params: Any) -> Remark:
        remark = super().__new__(cls, text)
        remark.code = code
        remark.params = params
        return remark


#: The codes of :class:`GeometryRefused` (the web app has a sentence for each).
REFUSALS = (
    "no_geometry",
    "unreadable",
    "empty",
    "not_numbers",
    "not_lonlat",
    "not_polygon",
    "too_many_vertices",
    "bow_tie",
    "unrepairable",
    "repair_changes_area",
    "sliver",
    "outside_zone",
    "outside_zone_swapped",
    "area_too_small",
    "area_too_large",
)
#: The codes of :class:`Remark` made here.
NOTES = ("z_dropped", "repeated_removed", "repaired", "no_zone", "partly_outside")


@cache
def _to_working() -> Transformer:
    return Transformer.from_crs(WEB_CRS, WORKING_CRS, always_xy=True)


@cache
def _to_web() -> Transformer:
    return Transformer.from_crs(WORKING_CRS, WEB_CRS, always_xy=True)


def web_point(point: tuple[float, float]) -> tuple[float, float]:
    """An EPSG:31370 point as (longitude, latitude), rounded to about 0.1 m."""
    lon, lat = _to_web().transform(point[0], point[1])
    return round(float(lon), 6), round(float(lat), 6)


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """An EPSG:31370 geometry as an RFC 7946 geometry object (lon/lat, about 0.1 m)."""
    web = shapely.transform(geom, lambda c: np.round(np.column_stack(_web_xy(c)), 6))
    return dict(json.loads(shapely.to_geojson(web)))


def _web_xy(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _to_web().transform(coords[:, 0], coords[:, 1])
    return np.asarray(lon), np.asarray(lat)


def from_geojson(geometry: Any) -> BaseGeometry:
    """An RFC 7946 geometry object (longitude, latitude; EPSG:4326) as a geometry in EPSG:31370.

    Raises
    ------
    GeometryRefused
        When it is not a GeoJSON geometry, or a coordinate is not a longitude/latitude.
    """
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise GeometryRefused(
            "the feature has no geometry: draw a polygon first", code="no_geometry"
        )
    try:
        geom = shapely.geometry.shape(geometry)
    except Exception as exc:  # shapely raises several kinds for malformed coordinates
        raise GeometryRefused(
            f"the geometry cannot be read as GeoJSON ({exc})", code="unreadable"
        ) from None
    if geom.is_empty:
        raise GeometryRefused("the geometry is empty: draw a polygon first", code="empty")
    check_vertices(geom)
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        raise GeometryRefused(
            "the geometry has coordinates that are not numbers", code="not_numbers"
        )
    if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        raise GeometryRefused(
            "the coordinates are not longitude/latitude (EPSG:4326): GeoJSON wants "
            "[longitude, latitude] in degrees",
            code="not_lonlat",
        )
    return shapely.transform(geom, _project, include_z=bool(shapely.has_z(geom)))


def _project(coords: np.ndarray) -> np.ndarray:
    """lon/lat (and z, kept as is so the checks can report it) → EPSG:31370 x/y."""
    x, y = _to_working().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y, *coords[:, 2:].T])


def swapped(geometry: Any) -> BaseGeometry | None:
    """The GeoJSON geometry read with longitude and latitude exchanged (EPSG:31370), if valid."""
    if not isinstance(geometry, dict):
        return None
    try:
        geom = shapely.geometry.shape(geometry)
        flipped = shapely.transform(shapely.force_2d(geom), lambda c: c[:, ::-1])
        xy = shapely.get_coordinates(flipped)
        if (np.abs(xy[:, 1]) > 90).any():
            return None
        return shapely.transform(flipped, _project)
    except Exception:  # anything unreadable simply has no swapped reading
        return None


def check_perimeter_geometry(
    geom: BaseGeometry | None,
    *,
    zone: BaseGeometry | None,
    limits: AreaLimits = AreaLimits(),
) -> CheckedGeometry:
    """Apply the rules of this module to ``geom`` (EPSG:31370).

    Parameters
    ----------
    geom
        The geometry as drawn (may be invalid).
    zone
        The zone outline; ``None`` when none is known (then that rule is skipped, and said).
    limits
        The allowed area range in m².

    Returns
    -------
    CheckedGeometry
        The geometry to store and the repairs and remarks to report.

    Raises
    ------
    GeometryRefused
        With a reason a person can act on and, where it helps, the point to look at.
    """
    if geom is None or geom.is_empty:
        raise GeometryRefused("the geometry is empty: draw a polygon first", code="empty")
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryRefused(
            f"a perimeter must be a polygon or a multipolygon, not a {geom.geom_type}",
            code="not_polygon",
            params={"kind": geom.geom_type},
        )
    check_vertices(geom)
    notes: list[Remark] = []
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
        notes.append(
            Remark("height (z) coordinates were dropped: perimeters are flat", "z_dropped")
        )
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise GeometryRefused(
            "the geometry has coordinates that are not numbers", code="not_numbers"
        )
    fewer = shapely.remove_repeated_points(geom)
    removed = int(shapely.get_num_coordinates(geom) - shapely.get_num_coordinates(fewer))
    if removed:
        geom = fewer
        text = f"{removed} repeated {'vertex' if removed == 1 else 'vertices'} removed"
        notes.append(Remark(text, "repeated_removed", n=removed))
    crossing = first_crossing(geom)
    if crossing is not None:
        raise GeometryRefused(
            "the outline crosses itself (a bow-tie): move a vertex so that no two edges cross",
            crossing,
            code="bow_tie",
        )
    if not geom.is_valid:
        geom, note = _repair(geom)
        notes.append(note)
    geom = shapely.orient_polygons(geom)
    _check_slivers(geom)
    notes += _check_zone(geom, zone)
    _check_area(geom, limits)
    return CheckedGeometry(geom, tuple(notes))


def check_vertices(geom: BaseGeometry) -> None:
    """Refuse a geometry of more than :data:`~mmm.limits.MAX_VERTICES` vertices.

    Raises
    ------
    GeometryRefused
        Saying how many it has and how many are allowed.
    """
    count = int(shapely.get_num_coordinates(geom))
    if count > MAX_VERTICES:
        raise GeometryRefused(
            f"it has {count:,} vertices, more than the {MAX_VERTICES:,} a perimeter may have: "
            "simplify the outline",
            code="too_many_vertices",
            params={"count": count, "limit": MAX_VERTICES},
        )


def first_crossing(geom: BaseGeometry) -> tuple[float, float] | None:
    """Where two edges of one polygon cross (not merely touch), or ``None``.

    Each ring is cut into its segments; an STRtree finds segment pairs that *cross* (their
    interiors meet in a point), which excludes neighbours sharing a vertex, collinear overlaps
    (a spike) and a vertex resting on another edge.
    """
    for polygon in shapely.get_parts(geom):
        rings = [polygon.exterior, *polygon.interiors]
        segments = []
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            pairs = np.stack([xy[:-1], xy[1:]], axis=1)
            segments.append(shapely.linestrings(pairs))
        segs = np.concatenate(segments) if segments else np.array([], dtype=object)
        if len(segs) < 2:
            continue
        left, right = shapely.STRtree(segs).query(segs, predicate="crosses")
        if len(left):
            point = shapely.intersection(segs[left[0]], segs[right[0]])
            centre = shapely.get_coordinates(point).mean(axis=0)
            return float(centre[0]), float(centre[1])
    return None


def _repair(geom: BaseGeometry) -> tuple[BaseGeometry, Remark]:
    """``make_valid`` when it keeps the area within 1 %; else :class:`GeometryRefused`."""
    reason = shapely.is_valid_reason(geom)
    where = _location(reason)
    what = reason.split("[")[0].strip().lower()
    fixed = polygonal_part(shapely.make_valid(geom))
    before = abs(geom.area)
    if fixed is None or before <= 0:
        raise GeometryRefused(
            f"the geometry is invalid ({what}) and cannot be repaired",
            where,
            code="unrepairable",
            params={"what": what},
        )
    change = abs(fixed.area - before) / before
    if change >= MAX_REPAIR_CHANGE:
        raise GeometryRefused(
            f"the geometry is invalid ({what}) and repairing it would change the area by "
            f"{100 * change:.1f} % (1 % at most): redraw it around the marked point",
            where,
            code="repair_changes_area",
            params={"what": what, "pct": 100 * change},
        )
    at = f" at {where[0]:.1f}, {where[1]:.1f}" if where else ""
    text = f"repaired: {what}{at}; the area changed by {100 * change:.2f} %"
    return fixed, Remark(text, "repaired", what=what, at=where, pct=100 * change)


def _location(reason: str) -> tuple[float, float] | None:
    found = _LOCATION.search(reason)
    return (float(found.group(1)), float(found.group(2))) if found else None


def _check_slivers(geom: BaseGeometry) -> None:
    parts = shapely.get_parts(geom)
    for i, part in enumerate(parts, start=1):
        if shapely.buffer(part, -SLIVER_WIDTH_M / 2).is_empty:
            which = f"part {i} of {len(parts)}" if len(parts) > 1 else "it"
            centre = part.representative_point()
            raise GeometryRefused(
                f"{which} is a sliver, narrower than {SLIVER_WIDTH_M:g} m everywhere "
                f"({part.area:,.1f} m²): remove it or draw it wider",
                (centre.x, centre.y),
                code="sliver",
                params={"part": i, "parts": len(parts), "width": SLIVER_WIDTH_M,
                        "area": part.area},
            )  # fmt: skip


def _check_zone(geom: BaseGeometry, zone: BaseGeometry | None) -> list[Remark]:
    if zone is None:
        return [Remark("no zone outline is stored: not checked against the zone", "no_zone")]
    if not geom.intersects(zone):
        km = geom.distance(zone) / 1000
        centre = geom.representative_point()
        raise GeometryRefused(
            f"it lies {km:,.1f} km outside the zone: a perimeter must lie inside the zone or "
            "touch it",
            (centre.x, centre.y),
            code="outside_zone",
            params={"km": km},
        )
    outside = shapely.difference(geom, zone).area / geom.area
    if outside >= 0.005:
        text = f"{100 * outside:.0f} % of it lies outside the zone"
        return [Remark(text, "partly_outside", pct=100 * outside)]
    return []


def _check_area(geom: BaseGeometry, limits: AreaLimits) -> None:
    area = geom.area
    if area < limits.min_m2:
        raise GeometryRefused(
            f"its area, {area:,.0f} m², is below the minimum of {limits.min_m2:,.0f} m² "
            "(MMM_PERIMETER_MIN_AREA)",
            code="area_too_small",
            params={"area": area, "min": limits.min_m2},
        )
    if area > limits.max_m2:
        raise GeometryRefused(
            f"its area, {area / 1e6:,.2f} km², is above the maximum of "
            f"{limits.max_m2 / 1e6:,.2f} km² (MMM_PERIMETER_MAX_AREA)",
            code="area_too_large",
            params={"km2": area / 1e6, "max": limits.max_m2 / 1e6},
        )


def hint_if_swapped(
    error: GeometryRefused, geometry: Any, zone: BaseGeometry | None
) -> GeometryRefused:
    """``error`` with a hint when the geometry, read with lon/lat exchanged, meets the zone."""
    if zone is None or error.code != "outside_zone":
        return error
    flipped = swapped(geometry)
    if flipped is None or not flipped.intersects(zone):
        return error
    return GeometryRefused(
        f"{error.reason}; longitude and latitude seem swapped: GeoJSON wants [longitude, latitude]",
        error.point,
        code="outside_zone_swapped",
        params=error.params,
    )


def area_change_pct(before_m2: float, after_m2: float) -> float:
    """The change from ``before_m2`` to ``after_m2`` in percent (``nan`` without a before)."""
    return math.nan if before_m2 <= 0 else 100 * (after_m2 - before_m2) / before_m2
