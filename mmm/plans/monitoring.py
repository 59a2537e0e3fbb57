"""Objective monitoring of a plan, computed from the incidents (never typed in).

For each phenomenon of the plan, inside its perimeter:

* **counts per month** from twelve months before the start to the last month monitored (the
  plan's end, or the last month with data when that comes first);
* the **baseline**: each month since the start is compared with the same calendar month in the
  twelve months before the start (a plan running 18 months compares its months 13–18 with the
  same six calendar months again). Same calendar months keep the season out of the comparison;
* the **change** of the months since the start against their baseline, in percent;
* the **trend** since the start: the Mann-Kendall test (:func:`mmm.hotspots.trend.mann_kendall`)
  on the monthly counts, "rising" or "falling" at p ≤ 0.05, else "stable" (six months at least);
* the **hotspot status** inside the perimeter: the zone's Getis-Ord Gi* analysis over the last
  twelve months monitored (:func:`mmm.hotspots.analyse_hotspots`, default options) and the hot
  cells overlapping the perimeter, with their trend categories.

An incident counts when the perimeter *covers* it (boundary included), as everywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.counting.count import covered_mask
from mmm.errors import NotFound
from mmm.hotspots.analysis import analyse_hotspots
from mmm.hotspots.options import HotspotOptions
from mmm.hotspots.trend import mann_kendall
from mmm.plans.model import Plan
from mmm.store import Store

#: Months since the start needed before a trend is tested.
MIN_TREND_MONTHS = 6
#: Significance of the trend test.
TREND_ALPHA = 0.05
#: Months before the start shown and used as the baseline.
BASELINE_MONTHS = 12


@dataclass(frozen=True)
class PhenomenonMonitoring:
    """The objective figures of one phenomenon in the plan's perimeter.

    Attributes
    ----------
    phenomenon
        Code.
    count
        Incidents in the months since the start (up to the last month monitored).
    baseline
        Incidents in the baseline months of those same months (see the module).
    change_pct
        ``(count − baseline) / baseline × 100``; ``None`` with a baseline of 0 or no month yet.
    trend
        ``rising``, ``falling``, ``stable``, or ``too_short`` (fewer than
        :data:`MIN_TREND_MONTHS` months).
    trend_p
        Two-sided p-value of the Mann-Kendall test (``None`` when not tested).
    hotspot
        ``hot`` (at least one hot Gi* cell overlaps the perimeter), ``not_hot``,
        ``insufficient_data`` (too few incidents in the zone for Gi*) or ``not_computed``.
    hot_cells
        How many hot cells overlap the perimeter.
    hot_trends
        Trend category → number of those hot cells (``new``, ``intensifying``…).
    """

    phenomenon: str
    count: int
    baseline: int
    change_pct: float | None
    trend: str
    trend_p: float | None
    hotspot: str
    hot_cells: int
    hot_trends: dict[str, int]


@dataclass(frozen=True)
class ObjectiveMonitoring:
    """A plan's objective monitoring (see the module for what each figure means).

    Attributes
    ----------
    plan_id, perimeter
        The plan and its perimeter's name.
    start_month
        The plan's first month (``YYYY-MM``).
    last_month
        The last month monitored, or ``None`` when no month since the start has data yet.
    months
        Every month of the window, ``start_month − 12`` to ``last_month`` (or to the month
        before the start when nothing is monitored yet).
    plan_months
        The months since the start (a tail of ``months``).
    monthly
        Counts: index the plan's phenomena, columns ``months`` (int).
    phenomena
        One :class:`PhenomenonMonitoring` per phenomenon, in the plan's order.
    hotspot_period
        First and last day of the hotspot analysis, or ``None`` when not run.
    notes
        What limits the reading (no data yet, no zone outline…), in English.
    """

    plan_id: int
    perimeter: str
    start_month: str
    last_month: str | None
    months: tuple[str, ...]
    plan_months: tuple[str, ...]
    monthly: pd.DataFrame
    phenomena: tuple[PhenomenonMonitoring, ...]
    hotspot_period: tuple[date, date] | None
    notes: tuple[str, ...] = ()

    def result(self, phenomenon: str) -> PhenomenonMonitoring:
        """The figures of one phenomenon (``KeyError`` when the plan does not cover it)."""
        for item in self.phenomena:
            if item.phenomenon == phenomenon:
                return item
        raise KeyError(phenomenon)

    def baseline_month(self, month: str) -> str:
        """The baseline month of a month since the start (same calendar month, see module)."""
        return baseline_month(month, self.start_month)


def baseline_month(month: str, start_month: str) -> str:
    """The same calendar month in the twelve months before ``start_month``.

    ``baseline_month("2025-03", "2024-07") == "2024-03"``; ``("2025-09", "2024-07")`` gives
    ``"2023-09"`` (September 2024 is already inside the plan).
    """
    m, s = pd.Period(month, "M"), pd.Period(start_month, "M")
    years = (m - s).n // 12 + 1
    return str(m - 12 * years)


def objective_monitoring(
    store: Store,
    plan: Plan,
    *,
    until: date | None = None,
    with_hotspots: bool = True,
) -> ObjectiveMonitoring:
    """Compute a plan's objective monitoring from the store's incidents.

    Parameters
    ----------
    store
        Where the perimeter, zone and incidents are.
    plan
        The plan (:func:`mmm.plans.storage.get_plan`).
    until
        Monitor up to this day's month at most (default: the plan's end or the last month with
        data, whichever comes first) — e.g. the end of a PDCA cycle's period.
    with_hotspots
        Run the Gi* analysis for the hotspot status (about a second on a zone of 60,000
        incidents); off gives ``not_computed``.

    Raises
    ------
    NotFound
        When the plan's perimeter no longer exists.
    """
    shapes = store.perimeters()
    match = shapes[shapes["id"] == plan.perimeter_id]
    if match.empty:
        raise NotFound(f"the perimeter of plan {plan.id} no longer exists")
    geometry: BaseGeometry = match.geometry.iloc[0]
    incidents = store.incidents()
    stamps = pd.to_datetime(incidents["occurred"])
    start = pd.Period(plan.starts_on, "M")
    last = pd.Period(plan.ends_on, "M")
    if until is not None:
        last = min(last, pd.Period(until, "M"))
    notes: list[str] = []
    dated = stamps.dropna()
    if dated.empty:
        notes.append("the store holds no dated incidents")
    else:
        data_last = pd.Period(dated.max(), "M")
        if data_last < last:
            last = data_last
            notes.append(f"the incidents end in {data_last}: later months are not monitored yet")
        if pd.Period(dated.min(), "M") > start - BASELINE_MONTHS:
            notes.append(
                f"the incidents start in {pd.Period(dated.min(), 'M')}: the baseline "
                f"({start - BASELINE_MONTHS} to {start - 1}) is incomplete"
            )
    monitored = last >= start
    window_end = last if monitored else start - 1
    months = [str(p) for p in pd.period_range(start - BASELINE_MONTHS, window_end, freq="M")]
    plan_months = [m for m in months if pd.Period(m, "M") >= start]
    monthly = _monthly(incidents, stamps, geometry, plan.phenomena, months)
    hotspots: dict[str, tuple[str, int, dict[str, int]]] = {}
    hotspot_period = None
    if with_hotspots and monitored:
        hotspot_period = (
            max(start, last - 11).start_time.date(),
            last.end_time.date(),
        )
        hotspots = _hotspot_status(store, incidents, geometry, plan.phenomena, hotspot_period)
        if not hotspots:
            notes.append("no zone outline and no data: the hotspot status is not computed")
    items = tuple(
        _phenomenon(code, monthly.loc[code], plan_months, str(start), hotspots.get(code))
        for code in plan.phenomena
    )
    return ObjectiveMonitoring(
        plan_id=plan.id,
        perimeter=plan.perimeter,
        start_month=str(start),
        last_month=str(last) if monitored else None,
        months=tuple(months),
        plan_months=tuple(plan_months),
        monthly=monthly,
        phenomena=items,
        hotspot_period=hotspot_period,
        notes=tuple(notes),
    )


def _monthly(
    incidents: pd.DataFrame,
    stamps: pd.Series,
    geometry: BaseGeometry,
    phenomena: tuple[str, ...],
    months: list[str],
) -> pd.DataFrame:
    """Counts per phenomenon × month inside the perimeter (vectorised: one mask, one groupby)."""
    first = pd.Period(months[0], "M").start_time
    stop = pd.Period(months[-1], "M").end_time
    keep = (stamps >= first) & (stamps <= stop) & incidents["phenomenon"].isin(phenomena)
    x = incidents["x"].to_numpy(dtype=float)[keep.to_numpy()]
    y = incidents["y"].to_numpy(dtype=float)[keep.to_numpy()]
    inside = covered_mask(x, y, geometry)
    frame = pd.DataFrame(
        {
            "phenomenon": incidents["phenomenon"].to_numpy()[keep.to_numpy()][inside],
            "month": stamps[keep].dt.to_period("M").astype(str).to_numpy()[inside],
        }
    )
    counts = frame.groupby(["phenomenon", "month"]).size()
    table = counts.unstack("month", fill_value=0) if len(counts) else pd.DataFrame()
    return table.reindex(index=list(phenomena), columns=months, fill_value=0).astype(int)


def _phenomenon(
    code: str,
    row: pd.Series,
    plan_months: list[str],
    start_month: str,
    hotspot: tuple[str, int, dict[str, int]] | None,
) -> PhenomenonMonitoring:
    series = row[plan_months].to_numpy(dtype=float)
    count = int(series.sum())
    baseline = int(sum(int(row[baseline_month(m, start_month)]) for m in plan_months))
    change = (count - baseline) / baseline * 100 if baseline > 0 and plan_months else None
    trend, p = "too_short", None
    if len(series) >= MIN_TREND_MONTHS:
        test = mann_kendall(series)
        p = float(test.p)
        s = float(test.s)
        trend = "stable" if p > TREND_ALPHA or s == 0 else ("rising" if s > 0 else "falling")
    status, cells, trends = hotspot or ("not_computed", 0, {})
    return PhenomenonMonitoring(code, count, baseline, change, trend, p, status, cells, trends)


def _hotspot_status(
    store: Store,
    incidents: pd.DataFrame,
    geometry: BaseGeometry,
    phenomena: tuple[str, ...],
    period: tuple[date, date],
) -> dict[str, tuple[str, int, dict[str, int]]]:
    """Per phenomenon: status, hot cells overlapping the perimeter, their trend categories."""
    zone = store.zone()
    if zone is None:
        return {}
    options = HotspotOptions(start=period[0], end=period[1], phenomena=phenomena)
    result = analyse_hotspots(incidents, zone.geometry, options)
    boxes = result.grid.boxes(np.ones(result.grid.shape, dtype=bool)).reshape(result.grid.shape)
    overlap = shapely.area(shapely.intersection(boxes, geometry)) > 0
    found: dict[str, tuple[str, int, dict[str, int]]] = {}
    for layer in result.layers:
        if not layer.reliable:
            found[layer.phenomenon] = ("insufficient_data", 0, {})
            continue
        hot = layer.hot & overlap & result.grid.mask
        trends = Counter(str(t) for t in layer.trend[hot] if t)
        found[layer.phenomenon] = ("hot" if hot.any() else "not_hot", int(hot.sum()), dict(trends))
    return found
