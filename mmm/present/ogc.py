"""What OGC API – Features (``/ogc``) serves: the collections ``perimeters`` and ``counts``.

QGIS, GDAL's OAPIF driver and OWSLib add them as layers. Both collections hold one Feature per
perimeter the reader's scope shows (:func:`mmm.access.visible_perimeters`), RFC 7946 GeoJSON in
EPSG:4326 (lon/lat), ordered by id:

- ``perimeters``: ``id``, ``name``, ``description``, ``status``, ``version``, ``start_date``;
- ``counts``: ``id``, ``name``, the span counted (``from``, ``to``: months, or ``all``) and one
  property per phenomenon the reader may see. The figures are :func:`count_table`'s — the very
  function ``/api/counts`` answers with — so a partner gets its own perimeter × phenomenon pairs
  only, each figure from the released month cells (small counts suppressed, as text such as
  ``"<5"``; so all of a partner's figures are text), and ``null`` for a pair that is not theirs.

A page of items is chosen by ``bbox`` (lon/lat, the features whose geometry intersects it),
``offset`` and ``limit`` (default :data:`DEFAULT_LIMIT`, at most :data:`MAX_LIMIT`: a larger
one is lowered to it, as the standard asks). The web layer (:mod:`webmap.ogc`) adds the links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from mmm.access.rules import Scope, visible_perimeters
from mmm.counting.months import MonthRange, available_months, choose_range
from mmm.crs import WEB_CRS
from mmm.errors import MMMError
from mmm.io.geojson import perimeter_features
from mmm.present.count_table import count_table
from mmm.store import Store

#: The conformance classes of OGC API – Features – Part 1 this API implements.
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)
#: Longitude/latitude on WGS 84: the CRS of every geometry served.
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: Items per page when the request gives no ``limit``, and the most one page holds.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: collection id → (title, description), in English (the standard's clients show them as is).
COLLECTIONS: dict[str, tuple[str, str]] = {
    "perimeters": (
        "Perimeters",
        "The micro-local perimeters you may see: name, description, status, version.",
    ),
    "counts": (
        "Counts per perimeter",
        "One feature per perimeter, one property per phenomenon: the incidents counted over a "
        "span (period=2024, 2024-Q2, 2024-03 or all; or from=YYYY-MM&to=YYYY-MM). For a "
        "partner only its own pairs, small counts suppressed.",
    ),
}
#: The query parameters each collection's items take (any other is refused: 400).
PARAMETERS: dict[str, frozenset[str]] = {
    "perimeters": frozenset({"bbox", "limit", "offset", "f"}),
    "counts": frozenset({"bbox", "limit", "offset", "f", "period", "from", "to"}),
}
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


class QueryRefused(MMMError, ValueError):
    """A query parameter that cannot be answered (the web layer answers 400 with the reason)."""


@dataclass(frozen=True)
class Page:
    """One page of items: its Features and how many matched the query in all."""

    features: list[dict[str, Any]]
    matched: int


def check_parameters(collection: str, names: list[str]) -> None:
    """Refuse query parameters the collection's items do not take (a typo would be ignored)."""
    unknown = sorted(set(names) - PARAMETERS[collection])
    if unknown:
        raise QueryRefused(
            f"unknown parameter(s) {', '.join(unknown)}: "
            f"{collection} takes {', '.join(sorted(PARAMETERS[collection]))}"
        )


def parse_limit(text: str | None) -> int:
    """``limit`` as a number of items: default :data:`DEFAULT_LIMIT`, at most :data:`MAX_LIMIT`."""
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or int(text) < 1:
        raise QueryRefused(f"limit must be a whole number from 1 (to {MAX_LIMIT}), not {text!r}")
    return min(int(text), MAX_LIMIT)


def parse_offset(text: str | None) -> int:
    """``offset``: how many matching items to skip (default 0)."""
    if text is None:
        return 0
    if not text.isdigit():
        raise QueryRefused(f"offset must be a whole number from 0, not {text!r}")
    return int(text)


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``bbox=west,south,east,north`` in lon/lat (6 numbers: heights dropped), or ``None``."""
    if text is None:
        return None
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(np.isfinite(numbers)):
        raise QueryRefused(f"bbox must be west,south,east,north in degrees, not {text!r}")
    west, south, east, north = numbers
    if west > east or south > north or south < -90 or north > 90:
        raise QueryRefused(f"bbox: west ≤ east and −90 ≤ south ≤ north ≤ 90, not {text!r}")
    return west, south, east, north


def parse_span(
    store: Store, period: str | None, first: str | None, last: str | None
) -> MonthRange | None:
    """The months the counts cover: ``period`` (a year, quarter or month label, or ``all``),
    else ``from``/``to`` (checked against the data's months), else all (``None``)."""
    if period is not None and (first or last):
        raise QueryRefused("give either period or from/to, not both")
    if first or last:
        return choose_range(available_months(store.incidents()), first, last)
    if period is None or period == "all":
        return None
    found = _PERIOD.match(period)
    if found is None:
        raise QueryRefused(f"period must be all, YYYY, YYYY-Qn or YYYY-MM, not {period!r}")
    year, quarter, month = found.groups()
    if month:
        return MonthRange(period, period)
    if quarter:
        start = 3 * int(quarter) - 2
        return MonthRange(f"{year}-{start:02d}", f"{year}-{start + 2:02d}")
    return MonthRange(f"{year}-01", f"{year}-12")


@dataclass(frozen=True)
class Query:
    """Which items a request asks for: a page of those intersecting ``bbox``, or one by id."""

    bbox: tuple[float, float, float, float] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    perimeter_id: int | None = None


def extent(store: Store, scope: Scope) -> list[float] | None:
    """The lon/lat bounding box of the perimeters ``scope`` shows (``None``: there are none)."""
    perimeters = visible_perimeters(store.perimeters(), scope)
    if perimeters.empty:
        return None
    return [round(float(v), 6) for v in perimeters.to_crs(WEB_CRS).total_bounds]


def select(store: Store, scope: Scope, query: Query) -> tuple[gpd.GeoDataFrame, int]:
    """The perimeters of the page ``query`` asks for (by id, EPSG:31370), and how many in all
    matched it."""
    perimeters = visible_perimeters(store.perimeters(), scope).sort_values("id")
    if query.perimeter_id is not None:
        perimeters = perimeters[perimeters["id"] == query.perimeter_id]
    if query.bbox is not None:
        web = np.asarray(perimeters.to_crs(WEB_CRS).geometry.values, dtype=object)
        perimeters = perimeters[shapely.intersects(web, shapely.box(*query.bbox))]
    return perimeters.iloc[query.offset : query.offset + query.limit], len(perimeters)


def perimeter_page(store: Store, scope: Scope, query: Query) -> Page:
    """A page of the ``perimeters`` collection."""
    rows, matched = select(store, scope, query)
    return Page(perimeter_features(rows) if len(rows) else [], matched)


def count_page(store: Store, scope: Scope, span: MonthRange | None, query: Query) -> Page:
    """A page of the ``counts`` collection over ``span`` (``None``: every month)."""
    rows, matched = select(store, scope, query)
    if not len(rows):
        return Page([], matched)
    table = count_table(store, scope, "all", span)
    figures = {(r["perimeter"], r["phenomenon"]): r["count"] for r in table}
    codes = scope.phenomena(list(store.phenomena()["code"]))
    features = []
    for feature in perimeter_features(rows):
        props = feature["properties"]
        feature["properties"] = {
            "id": props["id"],
            "name": props["name"],
            "from": "all" if span is None else span.first,
            "to": "all" if span is None else span.last,
            **{code: _figure(figures, scope, props, code) for code in codes},
        }
        features.append(feature)
    return Page(features, matched)


def _figure(
    figures: dict[tuple[str, str], Any], scope: Scope, props: dict[str, Any], code: str
) -> int | str | None:
    """One perimeter × phenomenon figure of :func:`count_table`. Staff's leave zeros out (a
    missing row is 0); a partner's are text (exact or suppressed) for its own pairs, and
    ``None`` for the pairs that are not its."""
    figure = figures.get((props["name"], code))
    if scope.pairs is None:
        return 0 if figure is None else figure
    if (int(props["id"]), code) not in scope.pairs:
        return None
    return None if figure is None else str(figure)
