"""Everything a page about one plan shows, computed in one call and filtered for the reader.

Why: the plan page, a partner's progress report, a meeting dossier and the meeting screen show
the same plan; they call :func:`plan_overview` with the reader's scope and get figures already
suppressed and limited as :mod:`mmm.plans.visible` says, so none of them can forget a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from mmm.access.rules import EVERYTHING, Scope
from mmm.counting.cells import release
from mmm.errors import NotFound
from mmm.plans.cycles import Cycle, cycles, next_check
from mmm.plans.indicators import IndicatorStatus, indicator_status, indicators
from mmm.plans.model import Plan
from mmm.plans.monitoring import ObjectiveMonitoring, objective_monitoring
from mmm.plans.storage import get_plan, list_plans, project_group
from mmm.plans.survey import survey_results
from mmm.plans.visible import (
    MonitoringView,
    evaluation_view,
    indicator_view,
    may_see_plan,
    monitoring_view,
    survey_view,
    visible_phenomena,
)
from mmm.store import Store


@dataclass(frozen=True)
class PlanOverview:
    """One plan as a reader may see it.

    Attributes
    ----------
    plan
        The plan with its sections, actions and resources (text: nothing to suppress).
    phenomena
        The phenomena the reader sees (all of the plan's for staff).
    monitoring
        The objective monitoring, suppressed for partners (:class:`MonitoringView`).
    monitored
        The raw :class:`ObjectiveMonitoring` behind it (months, period, notes) — its counts
        are *not* suppressed: show ``monitoring`` instead.
    indicators
        Targets with current value and status (values a partner may not derive left out).
    surveys
        The perimeter's survey figures (:func:`mmm.plans.visible.survey_view`, with a
        ``shown`` text column).
    cycles
        The PDCA history, oldest first.
    evaluations
        Cycle id → its Check as the reader may see it (``None`` before the Check).
    project_group
        Partners assigned to the perimeter for the visible phenomena
        (:func:`mmm.plans.storage.project_group` columns).
    next_check
        The open cycle's planned Check, or ``None``.
    """

    plan: Plan
    phenomena: tuple[str, ...]
    monitoring: MonitoringView
    monitored: ObjectiveMonitoring
    indicators: list[IndicatorStatus]
    surveys: pd.DataFrame
    cycles: list[Cycle]
    evaluations: dict[int, dict[str, Any] | None]
    project_group: pd.DataFrame
    next_check: date | None


def plan_overview(
    store: Store,
    plan_id: int,
    *,
    scope: Scope = EVERYTHING,
    today: date | None = None,
    with_hotspots: bool = True,
) -> PlanOverview:
    """Compute a plan's monitoring, targets, survey figures and cycles for a reader.

    Parameters
    ----------
    scope
        The reader's :class:`mmm.access.rules.Scope` (``EVERYTHING`` for staff).
    today
        The day target statuses are read on (default: today).
    with_hotspots
        See :func:`mmm.plans.monitoring.objective_monitoring`.

    Raises
    ------
    NotFound
        When there is no such plan, or the scope does not show it (the same answer, so a plan
        id cannot be probed).
    """
    plan = get_plan(store, plan_id)
    if not may_see_plan(plan, scope):
        raise NotFound(f"no action plan with id {plan_id}")
    mon = objective_monitoring(store, plan, with_hotspots=with_hotspots)
    surveys = survey_results(store, perimeter_ids=[plan.perimeter_id])
    statuses = indicator_status(
        plan, indicators(store, plan_id), mon, surveys, today=today or date.today()
    )
    history = cycles(store, plan_id)
    group = project_group(store, plan)
    shown = visible_phenomena(plan, scope)
    released = release(store, scope)
    return PlanOverview(
        plan=plan,
        phenomena=shown,
        monitoring=monitoring_view(mon, plan, released),
        monitored=mon,
        indicators=indicator_view(statuses, plan, mon, released),
        surveys=survey_view(surveys, scope),
        cycles=history,
        evaluations={c.id: evaluation_view(c.evaluation, plan, released) for c in history},
        project_group=group[group["phenomenon"].isin(shown)].reset_index(drop=True),
        next_check=next_check(store, plan_id),
    )


def visible_plans(store: Store, scope: Scope = EVERYTHING) -> list[Plan]:
    """The plans a reader may open (staff: all; a partner: those of its perimeters)."""
    return [
        p for p in list_plans(store, perimeter_ids=scope.perimeter_ids) if may_see_plan(p, scope)
    ]
