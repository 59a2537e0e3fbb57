"""What a reader may see of a plan's figures: everything for staff, suppressed for partners.

Why one module: the plan page, a partner's progress report, a meeting dossier and the meeting
screen must hide the same things. A partner (a :class:`mmm.access.rules.Scope` with thresholds)
sees only the phenomena its organisation is assigned to in the plan's perimeter, and:

* every incident count below the threshold as ``"<5"`` (:mod:`mmm.access.disclosure`), zeros
  included;
* a total whose parts include a suppressed count as a lower bound (``"≥ 23"``, the visible
  parts), so the part cannot be recovered by subtraction — and then no percentage change;
* of a Check, only the verdict (significant decrease / increase / no significant change /
  insufficient data), the WDQ reading and the response area's two counts (suppressed): the
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

from mmm.access.disclosure import label
from mmm.access.rules import Scope
from mmm.plans.indicators import IndicatorStatus
from mmm.plans.model import Plan
from mmm.plans.monitoring import ObjectiveMonitoring


@dataclass(frozen=True)
class MonitoringView:
    """A plan's objective monitoring as a reader may see it.

    Attributes
    ----------
    phenomena
        The visible phenomenon codes, in the plan's order.
    months_text
        Phenomenon × month (the whole window): the count as text, or ``"<5"``.
    chart
        Phenomenon × month as floats, NaN where suppressed (a chart leaves those points out).
    summary
        Index phenomenon; columns ``baseline`` and ``count`` (text: a number, ``"<5"`` or
        ``"≥ N"``), ``change_pct`` (float, NaN when unknown or hidden), ``trend``,
        ``hotspot``, ``hot_cells``.
    suppressed
        Whether small counts were hidden.
    """

    phenomena: tuple[str, ...]
    months_text: pd.DataFrame
    chart: pd.DataFrame
    summary: pd.DataFrame
    suppressed: bool


def visible_phenomena(plan: Plan, scope: Scope) -> tuple[str, ...]:
    """The plan's phenomena the scope shows in its perimeter."""
    if scope.pairs is None:
        return plan.phenomena
    return tuple(c for c in plan.phenomena if (plan.perimeter_id, c) in scope.pairs)


def may_see_plan(plan: Plan, scope: Scope) -> bool:
    """Staff see every plan; a partner those with at least one visible phenomenon."""
    return bool(visible_phenomena(plan, scope))


def monitoring_view(mon: ObjectiveMonitoring, plan: Plan, scope: Scope) -> MonitoringView:
    """The monitoring with the scope's phenomena and suppression applied (see the module)."""
    codes = visible_phenomena(plan, scope)
    counts = mon.monthly.loc[list(codes)]
    limits = _limits(codes, scope.thresholds)
    small = counts.lt(limits, axis=0) if limits is not None else counts.lt(0)
    text = counts.astype(str).mask(small, limits.map(label) if limits is not None else "", axis=0)
    rows = []
    for code in codes:
        item = mon.result(code)
        limit = None if limits is None else int(limits[code])
        row = counts.loc[code]
        plan_parts = row[list(mon.plan_months)].to_numpy(dtype=int)
        base_parts = np.array([int(row[mon.baseline_month(m)]) for m in mon.plan_months], dtype=int)
        count_text, count_exact = _total(plan_parts, limit)
        base_text, base_exact = _total(base_parts, limit)
        change = item.change_pct if count_exact and base_exact else None
        rows.append(
            {
                "phenomenon": code,
                "baseline": base_text,
                "count": count_text,
                "change_pct": np.nan if change is None else change,
                "trend": item.trend,
                "hotspot": item.hotspot,
                "hot_cells": item.hot_cells,
            }
        )
    summary = pd.DataFrame(rows, columns=_SUMMARY).set_index("phenomenon")
    return MonitoringView(
        phenomena=codes,
        months_text=text,
        chart=counts.astype(float).mask(small),
        summary=summary,
        suppressed=scope.thresholds is not None,
    )


_SUMMARY = ["phenomenon", "baseline", "count", "change_pct", "trend", "hotspot", "hot_cells"]


def indicator_view(
    statuses: list[IndicatorStatus], plan: Plan, mon: ObjectiveMonitoring, scope: Scope
) -> list[IndicatorStatus]:
    """The targets a reader may see, with values a partner may not derive left out.

    An incidents target on a phenomenon the scope hides is dropped; for a partner, its value,
    count and baseline are kept only when no monthly count behind them is suppressed (its
    status stays: on track or not is what a partner needs to know).
    """
    codes = visible_phenomena(plan, scope)
    shown = []
    for s in statuses:
        if s.indicator.kind != "incidents":
            shown.append(s)
            continue
        if s.indicator.subject not in codes:
            continue
        if scope.thresholds is not None and _hidden(s, mon, scope.thresholds):
            s = IndicatorStatus(s.indicator, None, s.unit, None, None, s.measured, s.status)
        shown.append(s)
    return shown


def evaluation_view(
    evaluation: Mapping[str, Any] | None, plan: Plan, scope: Scope
) -> dict[str, Any] | None:
    """A stored Check (``Cycle.evaluation``) as the reader may see it (see the module).

    Staff get it unchanged; a partner gets ``{"before", "after", "partner_view": True,
    "phenomena": {code: {"counts": {"Rb", "Ra"}, "insufficient_data", "direction",
    "significant", "wdq_reading"}}}`` for its visible phenomena, counts as text.
    """
    if evaluation is None or scope.thresholds is None:
        return None if evaluation is None else dict(evaluation)
    codes = visible_phenomena(plan, scope)
    phenomena = {}
    for code, result in evaluation["phenomena"].items():
        if code not in codes:
            continue
        limit = scope.thresholds.get(code, 0)
        counts = {
            k: label(limit) if int(result["counts"][k]) < limit else str(result["counts"][k])
            for k in ("Rb", "Ra")
        }
        wdd, p = result.get("wdd"), result.get("wdd_p")
        phenomena[code] = {
            "counts": counts,
            "insufficient_data": bool(result["insufficient_data"]),
            "significant": p is not None and p < 0.05,
            "direction": None if wdd is None else ("decrease" if wdd < 0 else "increase"),
            "wdq_reading": result.get("wdq_reading", ""),
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


def _limits(codes: tuple[str, ...], thresholds: Mapping[str, int] | None) -> pd.Series | None:
    if thresholds is None:
        return None
    return pd.Series({c: int(thresholds.get(c, 0)) for c in codes}, dtype=int)


def _total(parts: np.ndarray, limit: int | None) -> tuple[str, bool]:
    """A total of ``parts`` as text, and whether it is exact (see the module)."""
    total = int(parts.sum())
    if limit is None:
        return str(total), True
    if total < limit:
        return label(limit), False
    small = parts < limit
    if small.any():
        return f"≥{int(parts[~small].sum())}", False
    return str(total), True


def _hidden(
    status: IndicatorStatus, mon: ObjectiveMonitoring, thresholds: Mapping[str, int]
) -> bool:
    """Whether a count behind an incidents target is below the threshold (parts or totals)."""
    code = status.indicator.subject
    limit = thresholds.get(code, 0)
    deadline = str(pd.Period(status.indicator.deadline, "M"))
    months = [m for m in mon.plan_months if m <= deadline]
    row = mon.monthly.loc[code]
    parts = [int(row[m]) for m in months] + [int(row[mon.baseline_month(m)]) for m in months]
    return any(p < limit for p in parts) or (status.count or 0) < limit
