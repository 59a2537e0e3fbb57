"""What the zone map and a perimeter page show, computed from the store in one call each.

The web views stay thin: they parse the request, ask :mod:`mmm.access.rules`, call
:func:`zone_overview` or :func:`perimeter_overview`, and hand the result to :mod:`mmm.present.maps`.
Periods are whole months; the comparison period is the same number of months just before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.access.disclosure import label as suppressed_label
from mmm.access.labels import phenomenon_labels
from mmm.access.rules import EVERYTHING, Scope, visible_counts, visible_perimeters
from mmm.counting.count import count_incidents, covered_mask
from mmm.counting.grid import grid_counts
from mmm.counting.months import MonthRange, available_months, choose_range
from mmm.errors import NotFound
from mmm.store import Store


@dataclass(frozen=True)
class ZoneOverview:
    """Everything the zone map needs, for one month range."""

    zone: BaseGeometry
    perimeters: gpd.GeoDataFrame
    phenomena: dict[str, str]
    months: list[str]
    period: MonthRange
    current: pd.DataFrame
    previous: pd.DataFrame
    grid: gpd.GeoDataFrame
    thresholds: Mapping[str, int] | None  # small-count suppression to apply when shown


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
    by_month: pd.DataFrame  # phenomenon × month counts; NaN where suppressed
    by_month_text: pd.DataFrame  # the same as shown: numbers, or "<5" where suppressed
    comparison: pd.DataFrame  # per phenomenon: count, zone count, share, density, zone density
    incidents: pd.DataFrame | None  # x, y, phenomenon, occurred inside the perimeter
    suppressed: bool  # small counts hidden (a partner): zone comparisons are left out


def zone_overview(
    store: Store,
    *,
    first: str | None = None,
    last: str | None = None,
    language: str = "nl",
    cell_m: float = 200.0,
    scope: Scope = EVERYTHING,
) -> ZoneOverview:
    """Counts per perimeter for a month range and the range before, and the grid of the range.

    A restricted ``scope`` (a partner) gets only its perimeters and phenomena, and no grid (the
    grid would show counts outside its perimeters). Archived perimeters are left out: the map
    shows the perimeters being worked on (active and proposed); their pages stay reachable.
    """
    incidents = store.incidents()
    perimeters = visible_perimeters(store.perimeters(), scope)
    perimeters = perimeters[perimeters["status"] != "archived"]
    zone = store.zone()
    if zone is None:
        raise NotFound("the store holds no data yet: import a zone, perimeters and incidents")
    months = available_months(incidents)
    period = choose_range(months, first, last)
    before = period.previous()
    current = count_incidents(
        incidents, perimeters, period="all", start=period.start, end=period.end
    )
    previous = count_incidents(
        incidents, perimeters, period="all", start=before.start, end=before.end
    )
    grid = grid_counts(_between(incidents, period), zone.geometry, cell_m=cell_m)
    labels = phenomenon_labels(store, language)
    return ZoneOverview(
        zone=zone.geometry,
        perimeters=perimeters,
        phenomena={code: labels[code] for code in scope.phenomena(list(labels))},
        months=months,
        period=period,
        current=visible_counts(current, perimeters, scope),
        previous=visible_counts(previous, perimeters, scope),
        grid=grid if scope.pairs is None else grid.iloc[0:0],
        thresholds=scope.thresholds,
    )


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

    Raises
    ------
    NotFound
        When no perimeter has this id, or the scope does not show it (the same answer, so an
        id cannot be probed).
    """
    perimeters = visible_perimeters(store.perimeters(), scope)
    match = perimeters[perimeters["id"] == perimeter_id]
    if match.empty:
        raise NotFound(f"no perimeter {perimeter_id}")
    row = match.iloc[0]
    incidents = store.incidents()
    zone = store.zone()
    assert zone is not None  # a perimeter exists, so the data has a hull at least
    months = available_months(incidents)
    period = (
        choose_range(months, first, last)
        if first or last
        else MonthRange(months[max(len(months) - 12, 0)], months[-1])
        if months
        else choose_range(months, None, None)
    )
    in_range = _between(incidents, period)
    inside = _inside(in_range, row.geometry)
    labels = phenomenon_labels(store, language)
    allowed = (
        set(labels) if scope.pairs is None else {c for p, c in scope.pairs if p == perimeter_id}
    )
    phenomena = {code: label for code, label in labels.items() if code in allowed}
    counts = _by_month(inside, period, list(phenomena))
    comparison = _comparison(inside, in_range, row.geometry.area, zone.geometry.area, phenomena)
    shown, text = counts.astype(float), counts.astype(str)
    if scope.thresholds is not None:
        limits = pd.Series({c: scope.thresholds.get(c, 0) for c in phenomena}, dtype=int)
        small = counts.lt(limits, axis=0)
        shown, text = shown.mask(small), text.mask(small, limits.map(suppressed_label), axis=0)
        hidden = comparison["count"] < limits
        comparison = comparison[["count"]].astype(object)
        comparison.loc[hidden, "count"] = limits[hidden].map(suppressed_label)
    return PerimeterOverview(
        id=int(row["id"]),
        name=str(row["name"]),
        description=str(row["description"]),
        geometry=row.geometry,
        zone=zone.geometry,
        phenomena=phenomena,
        period=period,
        by_month=shown,
        by_month_text=text,
        comparison=comparison,
        incidents=inside[["x", "y", "phenomenon", "occurred"]] if with_incidents else None,
        suppressed=scope.thresholds is not None,
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


def _by_month(inside: pd.DataFrame, period: MonthRange, codes: list[str]) -> pd.DataFrame:
    months = [str(p) for p in pd.period_range(period.first, period.last, freq="M")]
    labels = pd.to_datetime(inside["occurred"]).dt.strftime("%Y-%m")
    table = pd.crosstab(inside["phenomenon"], labels)
    return table.reindex(index=codes, columns=months, fill_value=0).astype(int)


def _comparison(
    inside: pd.DataFrame,
    zone_incidents: pd.DataFrame,
    area_m2: float,
    zone_area_m2: float,
    phenomena: dict[str, str],
) -> pd.DataFrame:
    here = inside["phenomenon"].value_counts().reindex(list(phenomena), fill_value=0)
    zone = zone_incidents["phenomenon"].value_counts().reindex(list(phenomena), fill_value=0)
    table = pd.DataFrame({"count": here, "zone_count": zone})
    table["share_pct"] = (
        100 * table["count"] / table["zone_count"].where(table["zone_count"] > 0)
    ).round(1)
    table["per_km2"] = (table["count"] / (area_m2 / 1e6)).round(1)
    table["zone_per_km2"] = (table["zone_count"] / (zone_area_m2 / 1e6)).round(1)
    table["density_ratio"] = (
        table["per_km2"] / table["zone_per_km2"].where(table["zone_per_km2"] > 0)
    ).round(2)
    return table
