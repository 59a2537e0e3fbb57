"""What a reader may see of a plan's figures: everything for staff, released cells for partners.

Why one module: the plan page, a partner's progress report, a meeting dossier and the meeting
screen must hide the same things. A partner (a :class:`mmm.access.rules.Scope` with thresholds)
sees only the phenomena its organisation is assigned to in the plan's perimeter, and every
incident figure comes from the released month cells (:class:`mmm.access.release.Release`):

* each month as released: the count, ``"<5"`` below the threshold (zeros included) or ``"×"``
  when withheld for an overlapping perimeter;
* the baseline and the count since the start made from those cells: exact only when every
  month in them is released, else a lower bound ``"≥23"`` — and then no percentage change, no
  trend (its months are not all known) and, for a target on it, no value and no status
  (:data:`HIDDEN`: a status says on which side of the target the hidden months fall);
* of a Check, the response area's two counts made from the cells of its periods (when they are
  whole months) and the verdict only when both are exact (the WDQ reading with it); the
  counts of the buffer and the control (the rest of the zone) are zone figures a partner does
  not get elsewhere either;
* survey counts (``unit == "count"``) below the lowest threshold as ``"<5"``; percentages and
  scores as they are (they describe respondents' answers, not incidents).

Staff (``scope.thresholds is None``) get the same structures with every number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mmm.access.disclosure import Figure, change, label
from mmm.access.release import Release
from mmm.access.rules import Scope
from mmm.counting.months import MonthRange
from mmm.plans.indicators import IndicatorStatus
from mmm.plans.model import Plan
from mmm.plans.monitoring import ObjectiveMonitoring

#: The trend, status or verdict of a figure a partner may not see whole.
HIDDEN = "not_shown"


@dataclass(frozen=True)
class MonitoringView:
    """A plan's objective monitoring as a reader may see it.

    Attributes
    ----------
    phenomena
        The visible phenomenon codes, in the plan's order.
    months_text
        Phenomenon × month (the whole window): the count as text, ``"<5"`` or ``"×"``.
    chart
        Phenomenon × month as floats, NaN where not shown (a chart marks those months).
    summary
        Index phenomenon; columns ``baseline`` and ``count`` (text: a number, ``"<5"``,
        ``"×"`` or ``"≥N"``), ``change_pct`` (float, NaN when unknown or hidden), ``trend``
        (:data:`HIDDEN` when its months are not all shown), ``hotspot``, ``hot_cells``.
    suppressed
        Whether small counts were hidden.
    kinds
        The kinds of figure shown (:data:`mmm.access.disclosure.Kind`), for the legend.
    """

    phenomena: tuple[str, ...]
    months_text: pd.DataFrame
    chart: pd.DataFrame
    summary: pd.DataFrame
    suppressed: bool
    kinds: frozenset[str]


def visible_phenomena(plan: Plan, scope: Scope) -> tuple[str, ...]:
    """The plan's phenomena the scope shows in its perimeter."""
    if scope.pairs is None:
        return plan.phenomena
    return tuple(c for c in plan.phenomena if (plan.perimeter_id, c) in scope.pairs)


def may_see_plan(plan: Plan, scope: Scope) -> bool:
    """Staff see every plan; a partner those with at least one visible phenomenon."""
    return bool(visible_phenomena(plan, scope))


def monitoring_view(mon: ObjectiveMonitoring, plan: Plan, shown: Release) -> MonitoringView:
    """The monitoring with the reader's phenomena and release applied (see the module)."""
    codes = visible_phenomena(plan, shown.scope)
    pid, window = plan.perimeter_id, list(mon.months)
    base_months = [mon.baseline_month(m) for m in mon.plan_months]
    rows, text, chart, kinds = [], {}, {}, set()
    for code in codes:
        item = mon.result(code)
        if shown.suppressed:
            cells = [shown.figure([pid], [code], [m]) for m in window]
            count = shown.figure([pid], [code], list(mon.plan_months))
            base = shown.figure([pid], [code], base_months)
        else:
            cells = [Figure("exact", int(n)) for n in mon.monthly.loc[code, window]]
            count, base = Figure("exact", item.count), Figure("exact", item.baseline)
        text[code] = [f.text for f in cells]
        chart[code] = [np.nan if f.number is None else f.number for f in cells]
        kinds |= {f.kind for f in (*cells, count, base)}
        found = change(count, base)
        rows.append(
            {
                "phenomenon": code,
                "baseline": base.text,
                "count": count.text,
                "change_pct": np.nan if found is None or found.percent is None else found.percent,
                "trend": item.trend if count.exact else HIDDEN,
                "hotspot": item.hotspot,
                "hot_cells": item.hot_cells,
            }
        )
    summary = pd.DataFrame(rows, columns=_SUMMARY).set_index("phenomenon")
    return MonitoringView(
        phenomena=codes,
        months_text=pd.DataFrame.from_dict(text, orient="index", columns=window, dtype=object),
        chart=pd.DataFrame.from_dict(chart, orient="index", columns=window, dtype=float),
        summary=summary,
        suppressed=shown.suppressed,
        kinds=frozenset(kinds),
    )


_SUMMARY = ["phenomenon", "baseline", "count", "change_pct", "trend", "hotspot", "hot_cells"]


def indicator_view(
    statuses: list[IndicatorStatus], plan: Plan, mon: ObjectiveMonitoring, shown: Release
) -> list[IndicatorStatus]:
    """The targets a reader may see, with what a partner may not derive left out.

    An incidents target on a phenomenon the scope hides is dropped; for a partner, its value,
    count, baseline and status are kept only when every month behind them is released (else
    the status is :data:`HIDDEN`).
    """
    codes = visible_phenomena(plan, shown.scope)
    kept = []
    for s in statuses:
        if s.indicator.kind != "incidents":
            kept.append(s)
            continue
        if s.indicator.subject not in codes:
            continue
        if shown.suppressed and not _released(s, plan, mon, shown):
            s = IndicatorStatus(s.indicator, None, s.unit, None, None, s.measured, HIDDEN)
        kept.append(s)
    return kept


def evaluation_view(
    evaluation: Mapping[str, Any] | None, plan: Plan, shown: Release
) -> dict[str, Any] | None:
    """A stored Check (``Cycle.evaluation``) as the reader may see it (see the module).

    Staff get it unchanged; a partner gets ``{"before", "after", "partner_view": True,
    "phenomena": {code: {"counts": {"Rb", "Ra"}, "hidden", "insufficient_data",
    "direction", "significant", "wdq_reading"}}}`` for its visible phenomena, counts as text
    (``"—"`` for a period that is not whole months).
    """
    if evaluation is None or not shown.suppressed:
        return None if evaluation is None else dict(evaluation)
    codes = visible_phenomena(plan, shown.scope)
    periods = {"Rb": _months(evaluation["before"]), "Ra": _months(evaluation["after"])}
    phenomena = {}
    for code, result in evaluation["phenomena"].items():
        if code not in codes:
            continue
        counts = {
            key: None if months is None else shown.figure([plan.perimeter_id], [code], months)
            for key, months in periods.items()
        }
        hidden = not all(f is not None and f.exact for f in counts.values())
        wdd, p = result.get("wdd"), result.get("wdd_p")
        phenomena[code] = {
            "counts": {k: "—" if f is None else f.text for k, f in counts.items()},
            "hidden": hidden,
            "insufficient_data": not hidden and bool(result["insufficient_data"]),
            "significant": not hidden and p is not None and p < 0.05,
            "direction": None if hidden or wdd is None else ("decrease" if wdd < 0 else "increase"),
            "wdq_reading": "" if hidden else result.get("wdq_reading", ""),
        }
    return {
        "before": evaluation["before"],
        "after": evaluation["after"],
        "partner_view": True,
        "phenomena": phenomena,
    }


def survey_view(surveys: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Survey figures of the scope's perimeters, with a ``shown`` text column (see module)."""
    ids = scope.perimeter_ids
    rows = surveys if ids is None else surveys[surveys["perimeter_id"].isin(ids)]
    rows = rows.copy()
    shown = rows["value"].map(lambda v: f"{v:g}").astype(object)
    if scope.thresholds is not None and len(rows):
        limit = min(scope.thresholds.values(), default=0)
        small = (rows["unit"] == "count") & (rows["value"] < limit)
        shown[small] = label(limit)
        rows.loc[small, "value"] = np.nan
    rows["shown"] = shown
    return rows


def _months(period: Mapping[str, str]) -> list[str] | None:
    """The months of a stored period ``{"from", "to"}``, or ``None`` unless it is whole months."""
    first, last = pd.Period(period["from"], "M"), pd.Period(period["to"], "M")
    whole = MonthRange(str(first), str(last))
    if (str(whole.start), str(whole.end)) != (str(period["from"]), str(period["to"])):
        return None
    return whole.month_list()


def _released(
    status: IndicatorStatus, plan: Plan, mon: ObjectiveMonitoring, shown: Release
) -> bool:
    """Whether every month behind an incidents target is released (see the module)."""
    code = status.indicator.subject
    deadline = str(pd.Period(status.indicator.deadline, "M"))
    months = [m for m in mon.plan_months if m <= deadline]
    base = [mon.baseline_month(m) for m in months]
    return all(shown.figure([plan.perimeter_id], [code], ms).exact for ms in (months, base))
