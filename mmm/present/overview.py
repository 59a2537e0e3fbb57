"""What the zone map and a perimeter page show, computed from the store in one call each.

The web views stay thin: they parse the request, ask :mod:`mmm.access.rules`, call
:func:`zone_overview` or :func:`perimeter_overview`, and hand the result to :mod:`mmm.present.maps`.
Periods are whole months; the comparison period is the same number of months just before.
Every count comes from the store's month cells through one :class:`~mmm.access.release.Release`
for the reader: exact for staff; for a partner (or partners in the room) small cells hidden
and every total and change made from released cells only (:mod:`mmm.access.disclosure`).
The cells, the grid and the zone's totals are slices of the store's count cube
(:func:`mmm.counting.cube.count_cube`), counted once per data version: a page reads no incident
unless it shows incident points.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.access.disclosure import Figure
from mmm.access.labels import phenomenon_labels
from mmm.access.release import Release
from mmm.access.rules import EVERYTHING, Scope, visible_perimeters
from mmm.counting.count import covered_mask
from mmm.counting.cube import GRID_CELL_M, count_cube
from mmm.counting.grid import grid_counts
from mmm.counting.months import MonthRange, choose_range
from mmm.errors import NotFound
from mmm.store import Store

#: A perimeter's figures on the zone map: all phenomena, then one per phenomenon; ``None``
#: where the reader is not assigned that phenomenon there (absent, not "<5" and not 0).
FigureRow = tuple[Figure | None, ...]


@dataclass(frozen=True)
class ZoneOverview:
    """Everything the zone map needs, for one month range.

    ``current`` and ``previous`` hold one :data:`FigureRow` per row of ``perimeters``: the
    chosen months and as many months just before.
    """

    zone: BaseGeometry
    perimeters: gpd.GeoDataFrame
    phenomena: dict[str, str]
    months: list[str]
    period: MonthRange
    current: list[FigureRow]
    previous: list[FigureRow]
    grid: gpd.GeoDataFrame
    suppressed: bool  # small counts hidden (a partner)

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of figure shown (for the legend: "below", "withheld"…)."""
        rows = [*self.current, *self.previous]
        return frozenset(f.kind for row in rows for f in row if f is not None)


@dataclass(frozen=True)
class PerimeterOverview:
    """Everything a perimeter page needs."""

    id: int
    name: str
    description: str
    geometry: BaseGeometry
    zone: BaseGeometry
    phenomena: dict[str, str]
    period: MonthRange
    by_month: pd.DataFrame  # phenomenon × month counts; NaN where not released
    by_month_text: pd.DataFrame  # the same as shown: numbers, "<5" or "×" where not released
    comparison: pd.DataFrame  # per phenomenon: count, zone count, share, density, zone density
    incidents: pd.DataFrame | None  # x, y, phenomenon, occurred inside the perimeter
    suppressed: bool  # small counts hidden (a partner): zone comparisons are left out
    kinds: frozenset[str]  # the kinds of figure shown (for the legend: "below", "withheld"…)


def zone_overview(
    store: Store,
    *,
    first: str | None = None,
    last: str | None = None,
    language: str = "nl",
    cell_m: float = 200.0,
    scope: Scope = EVERYTHING,
) -> ZoneOverview:
    """Figures per perimeter for a month range and the range before, and the grid of the range.

    A restricted ``scope`` (a partner) gets only its perimeters and, in each, only the
    phenomena it is assigned there; and no grid (the grid would show counts outside its
    perimeters). Archived perimeters are left out: the map shows the perimeters being worked on
    (active and proposed); their pages stay reachable.
    """
    cube = count_cube(store)
    perimeters = visible_perimeters(cube.perimeters, scope)
    perimeters = perimeters[perimeters["status"] != "archived"]
    zone = store.zone()
    if zone is None:
        raise NotFound("the store holds no data yet: import a zone, perimeters and incidents")
    shown = cube.release(scope)
    period = choose_range(shown.months, first, last)
    labels = phenomenon_labels(store, language)
    phenomena = {code: labels[code] for code in scope.phenomena(list(labels))}
    ids = [int(pid) for pid in perimeters["id"]]
    kept = cube.grid_table(period.month_list()) if cell_m == GRID_CELL_M else None
    if scope.pairs is None and kept is not None:
        grid = kept
    elif scope.pairs is None:
        grid = grid_counts(_between(store.incidents(), period), zone.geometry, cell_m=cell_m)
    else:  # no incident outside the partner's perimeters reaches its page
        grid = perimeters.iloc[0:0][["geometry"]]
    return ZoneOverview(
        zone=zone.geometry,
        perimeters=perimeters,
        phenomena=phenomena,
        months=shown.months,
        period=period,
        current=zone_figures(shown, ids, list(phenomena), period),
        previous=zone_figures(shown, ids, list(phenomena), period.previous()),
        grid=grid,
        suppressed=shown.suppressed,
    )


def zone_figures(
    shown: Release, perimeter_ids: list[int], codes: list[str], period: MonthRange
) -> list[FigureRow]:
    """Per perimeter: the figure of all its visible phenomena, then one per code (or ``None``)."""
    return shown.figure_rows(perimeter_ids, codes, period.month_list())


def perimeter_overview(
    store: Store,
    perimeter_id: int,
    *,
    first: str | None = None,
    last: str | None = None,
    with_incidents: bool = False,
    language: str = "nl",
    scope: Scope = EVERYTHING,
) -> PerimeterOverview:
    """Month-by-month counts of one perimeter, its share of the zone and its density.

    A partner (or partners in the room) gets the released month cells and, per phenomenon,
    the period's figure made from them — no zone figure and no density.

    Raises
    ------
    NotFound
        When no perimeter has this id, or the scope does not show it (the same answer, so an
        id cannot be probed).
    """
    cube = count_cube(store)
    perimeters = visible_perimeters(cube.perimeters, scope)
    match = perimeters[perimeters["id"] == perimeter_id]
    if match.empty:
        raise NotFound(f"no perimeter {perimeter_id}")
    row = match.iloc[0]
    zone = store.zone()
    assert zone is not None  # a perimeter exists, so the data has a hull at least
    shown = cube.release(scope)
    period = (
        choose_range(shown.months, first, last)
        if first or last or not shown.months
        else MonthRange(shown.months[max(len(shown.months) - 12, 0)], shown.months[-1])
    )
    labels = phenomenon_labels(store, language)
    phenomena = {c: label for c, label in labels.items() if shown.shows(perimeter_id, c)}
    months = period.month_list()
    cells = [[shown.figure([perimeter_id], [c], [m]) for m in months] for c in phenomena]
    totals = {c: shown.figure([perimeter_id], [c], months) for c in phenomena}
    shape = (len(phenomena), len(months))
    text = pd.DataFrame(
        np.array([[f.text for f in line] for line in cells], dtype=object).reshape(shape),
        index=list(phenomena),
        columns=months,
    )
    numbers = pd.DataFrame(
        np.array([[f.number for f in line] for line in cells], dtype=float).reshape(shape),
        index=list(phenomena),
        columns=months,
    )
    inside = None
    if with_incidents:  # the points themselves; counts come from the cube
        inside = _inside(_between(store.incidents(), period), row.geometry)
    if not shown.suppressed:  # a partner is shown no zone figure
        here = cube.phenomenon_totals(perimeter_id, months)
        zone_counts = cube.phenomenon_totals(None, months)
        comparison = _comparison(
            here, zone_counts, row.geometry.area, zone.geometry.area, phenomena
        )
    else:
        released = [totals[c].text for c in phenomena]
        comparison = pd.DataFrame({"count": released}, index=list(phenomena), dtype=object)
    kinds = {f.kind for f in totals.values()} | {f.kind for line in cells for f in line}
    return PerimeterOverview(
        id=int(row["id"]),
        name=str(row["name"]),
        description=str(row["description"]),
        geometry=row.geometry,
        zone=zone.geometry,
        phenomena=phenomena,
        period=period,
        by_month=numbers,
        by_month_text=text,
        comparison=comparison,
        incidents=None
        if inside is None or not with_incidents
        else inside[["x", "y", "phenomenon", "occurred"]],
        suppressed=shown.suppressed,
        kinds=frozenset(kinds),
    )


def _between(incidents: pd.DataFrame, period: MonthRange) -> pd.DataFrame:
    occurred = pd.to_datetime(incidents["occurred"])
    keep = (occurred >= pd.Timestamp(period.start)) & (
        occurred < pd.Timestamp(period.end) + pd.Timedelta(days=1)
    )
    return incidents[keep.to_numpy()]


def _inside(incidents: pd.DataFrame, geometry: BaseGeometry) -> pd.DataFrame:
    x = incidents["x"].to_numpy(dtype=float)
    y = incidents["y"].to_numpy(dtype=float)
    return incidents[covered_mask(x, y, geometry)]


def _comparison(
    here: pd.Series,
    zone_counts: pd.Series,
    area_m2: float,
    zone_area_m2: float,
    phenomena: dict[str, str],
) -> pd.DataFrame:
    """Per phenomenon: the perimeter's count (``here``: incidents per code), the zone's, its
    share of the zone, and both densities."""
    codes = list(phenomena)
    table = pd.DataFrame(
        {
            "count": here.reindex(codes, fill_value=0).astype(np.int64),
            "zone_count": zone_counts.reindex(codes, fill_value=0).astype(np.int64),
        }
    ).rename_axis("phenomenon")
    table["share_pct"] = (
        100 * table["count"] / table["zone_count"].where(table["zone_count"] > 0)
    ).round(1)
    table["per_km2"] = (table["count"] / (area_m2 / 1e6)).round(1)
    table["zone_per_km2"] = (table["zone_count"] / (zone_area_m2 / 1e6)).round(1)
    table["density_ratio"] = (
        table["per_km2"] / table["zone_per_km2"].where(table["zone_per_km2"] > 0)
    ).round(2)
    return table
