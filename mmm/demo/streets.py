"""The demo town's streets, and incidents placed along them.

Why: a town without streets neither looks like one nor has anything for the segment counts
(:mod:`mmm.counting.segments`) to find. Demostad gets a fixed, invented street network with
Dutch names: its two main roads (named per stretch: Stationsstraat, Kerkstraat, …), a market
square (Markt), a ring road around an old centre of irregular blocks, a social housing estate
with tree names, winding lanes in the villa quarter, an industrial estate, a sports site, a
towpath along the canal and sparse country roads in between. Every district is a grid of its
own spacing and angle, bent a little, clipped to its outline; the lines are cut where they
cross and each piece is one segment, named after the street it lies on.

:func:`place_on_streets` then moves incidents the way they happen in a town: a burglary to a
house front beside its street, a traffic injury onto the street or a crossing, nuisance around
the square, the others onto the pavement. Incidents far from every street (fields, the park)
stay where they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from mmm.counting.segments import nearest_segments, snap_to_segments
from mmm.crs import WORKING_CRS

#: How an incident is placed: left where it is, at a house front, on the carriageway, at a
#: crossing, along the square, or on the pavement.
STAY, HOUSE_FRONT, ROADWAY, CROSSING, SQUARE, PAVEMENT = range(6)
#: Incidents farther than this (metres) from every street stay where they are.
REACH_M = 60.0
#: Pieces shorter than this where lines cross at a sharp angle are no street segment.
MIN_SEGMENT_M = 8.0

#: A hotspot of the demo: start and end of its segment (offsets in metres), and its spread.
Spot = tuple[tuple[float, float], tuple[float, float], float]

#: The names of the main roads' stretches, in the order of the zone's road polylines.
_ROAD_NAMES = (
    ("Brugsesteenweg", "Sint-Jansstraat", "Leuvensestraat", "Leuvensesteenweg"),
    ("Zuidlaan", "Stationsstraat", "Kerkstraat", "Molenstraat"),
)
_CENTRE_NAMES = (
    "Nieuwstraat", "Schoolstraat", "Kapelstraat", "Kasteelstraat", "Beekstraat", "Torenstraat",
    "Brouwerijstraat", "Bakkerstraat", "Kloosterstraat", "Begijnhofstraat", "Gasthuisstraat",
    "Poststraat", "Vlasmarkt", "Koornstraat", "Zwanenstraat", "Kruisstraat", "Ridderstraat",
    "Sint-Annastraat", "Sint-Pietersstraat", "Wolstraat", "Leopoldstraat", "Albertstraat",
    "Vismarkt", "Kaaistraat", "Boterstraat", "Peperstraat", "Lakenmakersstraat", "Ververijstraat",
    "Minderbroedersstraat", "Predikherenstraat", "Hoogpoort", "Zilverstraat",
)  # fmt: skip
_TREE_NAMES = (
    "Lindenlaan", "Eikenlaan", "Beukenlaan", "Berkenlaan", "Populierenlaan", "Kastanjelaan",
    "Esdoornlaan", "Wilgenlaan", "Elzenlaan", "Platanenlaan", "Acacialaan", "Essenlaan",
)  # fmt: skip
_VILLA_NAMES = (
    "Rozenlaan", "Tulpenlaan", "Leliestraat", "Irislaan", "Dahlialaan", "Seringenlaan",
    "Magnolialaan", "Nachtegaallaan", "Merellaan", "Lijsterlaan", "Zwaluwlaan", "Meeuwenlaan",
)  # fmt: skip
_INDUSTRY_NAMES = ("Industrieweg", "Ambachtenstraat", "Nijverheidsstraat", "Fabrieksstraat",
                   "Bedrijvenlaan", "Ondernemersstraat")  # fmt: skip
_SPORT_NAMES = ("Sportlaan", "Stadionstraat", "Jeugdstraat", "Zwembadstraat")
_RURAL_NAMES = (
    "Veldstraat", "Heidestraat", "Broekstraat", "Bosstraat", "Kouterstraat", "Meersstraat",
    "Akkerstraat", "Zandstraat", "Kleistraat", "Hoevestraat", "Windmolenstraat", "Vijverstraat",
    "Hazelaarstraat", "Ganzenweide", "Doornstraat", "Vossenstraat", "Hazenstraat", "Kievitstraat",
    "Leeuwerikstraat", "Spreeuwenstraat", "Weidestraat", "Dreef", "Hulststraat", "Kalkoven",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class Town:
    """The demo town's streets and its market square, in EPSG:31370."""

    streets: gpd.GeoDataFrame  # segment_id (1, 2, …), name, line
    square: Polygon


@dataclass(frozen=True)
class _District:
    """A part of town: its outline, and the grid its streets follow."""

    outline: Polygon
    spacing: float
    angle: float  # degrees
    wave: float  # metres the streets bend off a straight line
    names: Sequence[str]


def build_town(
    zone: Polygon,
    centre: np.ndarray,
    roads: Sequence[Sequence[tuple[float, float]]],
    spots: Mapping[str, Spot],
) -> Town:
    """The demo town's street segments and its market square.

    Parameters
    ----------
    zone
        The zone outline (EPSG:31370); streets end at it.
    centre
        The town centre (EPSG:31370); ``roads`` and ``spots`` are offsets from it in metres.
    roads
        The main roads' polylines (named per stretch by ``_ROAD_NAMES``).
    spots
        The demo's hotspots by name (start, end, spread): the station, market, estate, …
    """
    local = shapely.transform(zone, lambda xy: xy - centre)
    streets = _Streets()
    square = _square(spots)
    ring = _outline(0.0, 150.0, 1400.0, 1350.0, 0.3)
    park = _outline(*spots["park"][0], 430.0, 390.0, 1.1)
    canal = shapely.buffer(LineString(spots["canal"][:2]), 35.0, cap_style="flat")
    keep_out = shapely.union_all([square, park, canal])
    for road, names in zip(roads, _ROAD_NAMES, strict=True):
        for a, b, name in zip(road[:-1], road[1:], names, strict=True):
            streets.add(shapely.difference(LineString([a, b]), square), name)
    streets.add(square.exterior, "Markt")
    (sx, sy), _, _ = spots["station"]
    streets.add(shapely.box(sx - 60, sy - 130, sx + 60, sy - 40).exterior, "Stationsplein")
    shopping = spots["shopping"]
    high_street = LineString([shopping[0], shopping[1], spots["market"][0]])
    streets.add(shapely.difference(high_street, square), "Hoogstraat")
    streets.add(shapely.offset_curve(LineString(spots["canal"][:2]), -45.0), "Jaagpad")
    streets.add(ring.exterior, "Ringlaan")
    streets.add(park.exterior, "Parklaan")
    districts = _districts(spots)
    taken = ring
    for district in districts:
        outline = shapely.difference(district.outline, taken)
        streets.grid(district, shapely.difference(outline, keep_out))
        taken = shapely.union(taken, district.outline)
    centre_grid = _District(ring, 115.0, 12.0, 10.0, _CENTRE_NAMES)
    streets.grid(centre_grid, shapely.difference(ring, keep_out))
    rural = _District(local, 430.0, 20.0, 45.0, _RURAL_NAMES)
    streets.grid(rural, shapely.difference(local, shapely.union(taken, keep_out)))
    return Town(streets.segments(local, centre), shapely.transform(square, lambda xy: xy + centre))


def _districts(spots: Mapping[str, Spot]) -> list[_District]:
    """The parts of town outside the old centre, each with its own grid."""
    return [
        _District(_outline(*spots["estate"][0], 500.0, 440.0, 0.4), 85.0, -25.0, 0.0,
                  _TREE_NAMES),
        _District(_outline(*spots["suburb"][0], 900.0, 700.0, 2.1), 165.0, 35.0, 30.0,
                  _VILLA_NAMES),
        _District(_outline(*spots["industry"][0], 650.0, 480.0, 0.8), 240.0, 4.0, 0.0,
                  _INDUSTRY_NAMES),
        _District(_outline(*spots["youth"][0], 360.0, 300.0, 1.7), 130.0, -15.0, 0.0,
                  _SPORT_NAMES),
    ]  # fmt: skip


def _outline(x: float, y: float, rx: float, ry: float, phase: float) -> Polygon:
    """An irregular, roughly elliptical outline around (x, y) (offsets in metres)."""
    theta = np.linspace(0.0, 2 * np.pi, 49)[:-1]
    r = 1 + 0.08 * np.sin(3 * theta + phase) + 0.04 * np.cos(5 * theta + 2 * phase)
    return Polygon(np.column_stack([x + rx * r * np.cos(theta), y + ry * r * np.sin(theta)]))


def _square(spots: Mapping[str, Spot]) -> Polygon:
    """The market square around the market hotspot."""
    (x, y), _, _ = spots["market"]
    return shapely.box(x - 150.0, y - 130.0, x + 150.0, y + 150.0)


class _Streets:
    """Named lines as they are drawn, then cut into named segments."""

    def __init__(self) -> None:
        self.lines: list[BaseGeometry] = []
        self.names: list[str] = []
        self.used: set[str] = set()

    def add(self, line: BaseGeometry, name: str) -> None:
        """Add a street (any line geometry; empty ones are skipped)."""
        if not shapely.is_empty(line):
            self.lines.append(line)
            self.names.append(name)
            self.used.add(name)

    def grid(self, district: _District, outline: BaseGeometry) -> None:
        """Add a district's two families of streets, bent and clipped to ``outline``."""
        if shapely.is_empty(outline):
            return
        (x0, y0), radius = outline.centroid.coords[0], _radius(outline)
        steps = np.arange(-radius, radius + 1.0, district.spacing)
        vertices = max(int(2 * radius / 50.0), 2) if district.wave else 2
        along = np.linspace(-radius, radius, vertices)
        angle = np.radians(district.angle)
        pool = iter(_fresh_names(district.names, self.used))
        for family in (0.0, np.pi / 2):
            u = np.array([np.cos(angle + family), np.sin(angle + family)])
            n = np.array([-u[1], u[0]])
            for k, offset in enumerate(steps):
                bend = district.wave * np.sin(along / 180.0 + 1.7 * k + family)
                xy = (x0, y0) + np.outer(along, u) + np.outer(offset + bend, n)
                clipped = shapely.intersection(LineString(xy), outline)
                if shapely.length(clipped) > 3 * MIN_SEGMENT_M:
                    self.add(clipped, next(pool))

    def segments(self, zone: Polygon, centre: np.ndarray) -> gpd.GeoDataFrame:
        """Every line cut where it meets another one, named after the line it lies on."""
        lines = shapely.intersection(np.asarray(self.lines, dtype=object), zone)
        pieces = shapely.get_parts(shapely.union_all(lines))
        pieces = pieces[shapely.length(pieces) >= MIN_SEGMENT_M]
        middle = shapely.get_coordinates(
            shapely.line_interpolate_point(pieces, 0.5, normalized=True)
        )
        source = nearest_segments(middle[:, 0], middle[:, 1], lines, 0.01)  # the line it is on
        names = np.asarray(self.names, dtype=object)[source]
        start = shapely.get_coordinates(shapely.get_point(pieces, 0))
        order = np.lexsort((start[:, 1], start[:, 0], names))
        return gpd.GeoDataFrame(
            {"segment_id": np.arange(1, len(pieces) + 1), "name": names[order]},
            geometry=list(shapely.transform(pieces[order], lambda xy: xy + centre)),
            crs=WORKING_CRS,
        )


def _radius(outline: BaseGeometry) -> float:
    """Half the diagonal of an outline's bounding box: a grid of this radius covers it."""
    x0, y0, x1, y1 = shapely.bounds(outline)
    return float(np.hypot(x1 - x0, y1 - y0) / 2.0)


def _fresh_names(pool: Sequence[str], used: set[str]) -> list[str]:
    """Enough names no street has yet: the pool, then "Nieuwe …", "Korte …", "Oude …" of it."""
    names = [p + name for p in ("", "Nieuwe ", "Korte ", "Oude ", "Lange ") for name in pool]
    return [name for name in names if name not in used]


def place_on_streets(
    rng: np.random.Generator,
    x: np.ndarray,
    y: np.ndarray,
    how: np.ndarray,
    town: Town,
    zone: Polygon,
) -> tuple[np.ndarray, np.ndarray]:
    """Move incidents onto the streets, each as ``how`` says (:data:`STAY`, …).

    An incident farther than :data:`REACH_M` from every street, or whose new place would lie
    outside ``zone``, keeps its place. Coordinates are rounded to 0.1 m like the others.
    """
    lines = np.asarray(town.streets.geometry.values, dtype=object)
    near, on_x, on_y = snap_to_segments(x, y, lines, REACH_M)
    move = (how != STAY) & (near >= 0)
    kind = how[move]
    base = np.column_stack([on_x[move], on_y[move]])
    across = np.column_stack([x[move], y[move]]) - base  # square to the street, or off a corner
    turn = rng.uniform(0.0, 2 * np.pi, len(kind))
    on_line = np.hypot(across[:, 0], across[:, 1]) < 1e-6
    across[on_line] = np.column_stack([np.cos(turn), np.sin(turn)])[on_line]
    across /= np.hypot(across[:, 0], across[:, 1])[:, None]
    offset = np.select(
        [kind == HOUSE_FRONT, kind == ROADWAY, kind == PAVEMENT],
        [rng.uniform(6.0, 14.0, len(kind)), rng.uniform(0.0, 3.0, len(kind)),
         rng.uniform(2.0, 8.0, len(kind))],
        0.0,
    ) * rng.choice((-1.0, 1.0), size=len(kind))  # fmt: skip
    xy = base + across * offset[:, None]
    crossing = kind == CROSSING
    xy[crossing] = _at_crossings(rng, base[crossing], lines)
    square = kind == SQUARE
    xy[square] = _around_square(rng, shapely.points(x[move][square], y[move][square]), town.square)
    nx, ny = x.copy(), y.copy()
    nx[move], ny[move] = np.round(xy[:, 0], 1), np.round(xy[:, 1], 1)
    outside = ~shapely.contains_xy(zone, nx, ny)
    nx[outside], ny[outside] = x[outside], y[outside]
    return nx, ny


def _at_crossings(rng: np.random.Generator, xy: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """The crossing (a point where three or more segments meet) nearest each point, ± 3 m."""
    ends = shapely.get_coordinates(
        np.concatenate([shapely.get_point(lines, 0), shapely.get_point(lines, -1)])
    )
    nodes, degree = np.unique(np.round(ends, 2), axis=0, return_counts=True)
    crossings = nodes[degree >= 3]
    tree = shapely.STRtree(shapely.points(crossings))
    nearest = tree.query_nearest(shapely.points(xy), all_matches=False)[1]
    return crossings[nearest] + rng.uniform(-3.0, 3.0, size=(len(xy), 2))


def _around_square(rng: np.random.Generator, points: np.ndarray, square: Polygon) -> np.ndarray:
    """Points along the market square's sides, 2–15 m into the square (its terraces)."""
    ring = square.exterior
    along = shapely.line_locate_point(ring, points)
    base = shapely.get_coordinates(shapely.line_interpolate_point(ring, along))
    inward = np.asarray(square.centroid.coords[0]) - base
    inward /= np.maximum(np.hypot(inward[:, 0], inward[:, 1]), 1e-9)[:, None]
    return base + inward * rng.uniform(2.0, 15.0, size=(len(points), 1))
