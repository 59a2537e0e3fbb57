"""A plan's progress as one reader may see it: the partner report, the dossier and meeting mode.

Why one builder: the printable progress report (and its PDF), the meeting dossier and the
meeting screen show the same things about a plan — its map, its indicators against their
targets, its actions per partner, the PDCA history and the next evaluation — and must hide the
same things from a partner. :func:`plan_progress` takes the plan as the reader may see it
from :func:`mmm.plans.plan_overview` (figures already limited and suppressed by
:mod:`mmm.plans.visible` for the reader's :class:`~mmm.access.rules.Scope`: a partner gets only the
phenomena it is assigned to in the plan's perimeter, every figure from the released month cells
— ``"<5"``, ``"≥N"``, no change, trend or verdict from a figure that is not exact — and no zone
figure; staff get everything) and adds what these pages need around it: the map's geometry,
the labels, the open actions per partner and each Check as one row per phenomenon. Nothing
here computes a figure of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.access.labels import phenomenon_labels
from mmm.access.rules import Scope
from mmm.plans import (
    Action,
    Cycle,
    IndicatorStatus,
    MonitoringView,
    Plan,
    PlanOverview,
    plan_overview,
    visible_plans,
)
from mmm.store import Store

#: A Check's verdict per phenomenon, as a code the page translates (``not_shown``: a partner's,
#: when a count behind it is not exact).
VERDICTS = (
    "not_shown",
    "insufficient_data",
    "significant_decrease",
    "significant_increase",
    "no_significant_change",
)


@dataclass(frozen=True)
class CheckRow:
    """One phenomenon of a Check, as the reader may see it.

    ``before`` and ``after`` are the response area's counts as text (for a partner as
    released: ``"<5"``, ``"≥N"``, or ``"—"`` for a period that is not whole months); ``wdq``, ``wdd``, ``wdd_z`` and ``wdd_p`` are given to staff only (``None``
    for a partner or when not defined).
    """

    phenomenon: str
    before: str
    after: str
    verdict: str
    wdq_reading: str
    wdq: float | None
    wdd: float | None
    wdd_z: float | None
    wdd_p: float | None


@dataclass(frozen=True)
class CycleView:
    """One PDCA cycle on the timeline: its dates, its Check (as visible) and its Act."""

    number: int
    status: str
    period_start: date
    period_end: date
    planned_check: date
    started_on: date | None
    checked_on: date | None
    acted_on: date | None
    closed_on: date | None
    before: tuple[str, str] | None  # the Check's before period (first and last day)
    checks: tuple[CheckRow, ...]
    findings: str
    adjustments: str


@dataclass(frozen=True)
class PlanProgress:
    """Everything a progress report, a dossier or a meeting slide shows about one plan.

    Attributes
    ----------
    overview
        The plan as the reader may see it (:func:`mmm.plans.plan_overview`): monitoring,
        targets, survey figures, cycles and project group, already suppressed and limited.
    geometry, zone
        The perimeter and the zone outline (EPSG:31370), for the map.
    phenomena
        The visible phenomena: code → label in the reader's language, in the plan's order.
    open_actions
        The planned and ongoing actions per owning partner (by partner name).
    cycles
        The PDCA history, oldest first, each Check as the reader may see it.
    suppressed
        Whether small counts were hidden (a partner, or a meeting with partners present).
    today
        The day the report was computed for (targets passed or not).
    """

    overview: PlanOverview
    geometry: BaseGeometry
    zone: BaseGeometry
    phenomena: dict[str, str]
    open_actions: dict[str, list[Action]]
    cycles: list[CycleView]
    suppressed: bool
    today: date

    @property
    def plan(self) -> Plan:
        """The plan (sections, actions, resources)."""
        return self.overview.plan

    @property
    def monitoring(self) -> MonitoringView:
        """Counts per month and the summary per phenomenon, as the reader may see them."""
        return self.overview.monitoring

    @property
    def indicators(self) -> list[IndicatorStatus]:
        """The targets the reader may see, with their current value and status."""
        return self.overview.indicators

    @property
    def actions(self) -> tuple[Action, ...]:
        """Every action of the plan, by start date."""
        return self.overview.plan.actions

    @property
    def next_check(self) -> date | None:
        """The planned Check of the open cycle, or ``None``."""
        return self.overview.next_check

    @property
    def surveys(self) -> pd.DataFrame:
        """The perimeter's survey figures (a ``shown`` text column)."""
        return self.overview.surveys

    @property
    def team(self) -> pd.DataFrame:
        """The project group on the visible phenomena (:mod:`mmm.access.partners` columns)."""
        return self.overview.project_group

    @property
    def notes(self) -> tuple[str, ...]:
        """What limits the monitoring (English, from :mod:`mmm.plans.monitoring`)."""
        return self.overview.monitored.notes


def plan_progress(
    store: Store,
    plan_id: int,
    scope: Scope,
    *,
    today: date,
    language: str = "nl",
    with_hotspots: bool = True,
) -> PlanProgress:
    """The progress of plan ``plan_id`` as a reader with ``scope`` may see it.

    Parameters
    ----------
    store
        The store the plan, its perimeter and the incidents are in.
    plan_id
        The plan.
    scope
        The reader's scope (:func:`mmm.access.rules.scope_for`); a scope with thresholds suppresses
        small counts, one with pairs limits the phenomena.
    today
        The day the targets' status is read on.
    language
        For the phenomenon labels.
    with_hotspots
        Compute the hotspot status of each phenomenon (about a second per plan).

    Raises
    ------
    NotFound
        When there is no such plan, or the scope shows none of its phenomena (the same
        answer, so a plan id cannot be probed).
    """
    overview = plan_overview(store, plan_id, scope=scope, today=today, with_hotspots=with_hotspots)
    plan = overview.plan
    labels = phenomenon_labels(store, language)
    shapes = store.perimeters()
    geometry = shapes[shapes["id"] == plan.perimeter_id].geometry.iloc[0]
    zone = store.zone()
    open_by_owner: dict[str, list[Action]] = {}
    for action in sorted(plan.open_actions(), key=lambda a: (a.owner, a.starts_on)):
        open_by_owner.setdefault(action.owner, []).append(action)
    return PlanProgress(
        overview=overview,
        geometry=geometry,
        zone=zone.geometry if zone is not None else geometry,
        phenomena={c: labels.get(c, c) for c in overview.phenomena},
        open_actions=open_by_owner,
        cycles=[
            _cycle_view(c, overview.evaluations.get(c.id), overview.phenomena)
            for c in overview.cycles
        ],
        suppressed=scope.thresholds is not None,
        today=today,
    )


def plans_of(store: Store, scope: Scope, perimeter_id: int) -> list[Plan]:
    """The plans of one perimeter the scope may see (:func:`mmm.plans.visible_plans`)."""
    return [p for p in visible_plans(store, scope) if p.perimeter_id == perimeter_id]


def current_plan(plans: list[Plan], today: date) -> Plan | None:
    """The plan a meeting about a perimeter looks at: an active one running today, else the
    active one that started last, else the one that started last."""
    if not plans:
        return None
    running = [p for p in plans if p.status == "active" and p.starts_on <= today <= p.ends_on]
    active = [p for p in plans if p.status == "active"]
    return max(running or active or plans, key=lambda p: p.starts_on)


def _cycle_view(cycle: Cycle, shown: Mapping[str, Any] | None, codes: tuple[str, ...]) -> CycleView:
    """A cycle with its Check as :func:`mmm.plans.evaluation_view` gave it (``shown``)."""
    rows: tuple[CheckRow, ...] = ()
    before = None
    if shown is not None:
        before = (str(shown["before"]["from"]), str(shown["before"]["to"]))
        partner = bool(shown.get("partner_view"))
        rows = tuple(
            _check_row(code, shown["phenomena"][code], partner=partner)
            for code in codes
            if code in shown["phenomena"]
        )
    return CycleView(
        number=cycle.number,
        status=cycle.status,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        planned_check=cycle.planned_check,
        started_on=cycle.started_on,
        checked_on=cycle.checked_on,
        acted_on=cycle.acted_on,
        closed_on=cycle.closed_on,
        before=before,
        checks=rows,
        findings=cycle.findings,
        adjustments=cycle.adjustments,
    )


def _check_row(code: str, result: Mapping[str, Any], *, partner: bool) -> CheckRow:
    """A Check's row; a partner's (:func:`mmm.plans.evaluation_view`) carries no zone figure."""
    counts = result["counts"]
    if partner:
        significant, direction = result["significant"], result["direction"]
    else:
        p, wdd = result.get("wdd_p"), result.get("wdd")
        significant = p is not None and p < 0.05
        direction = None if wdd is None else ("decrease" if wdd < 0 else "increase")
    if result.get("hidden"):
        verdict = "not_shown"
    elif result["insufficient_data"]:
        verdict = "insufficient_data"
    elif significant and direction is not None:
        verdict = f"significant_{direction}"
    else:
        verdict = "no_significant_change"

    def staff(key: str) -> float | None:
        value = None if partner else result.get(key)
        return None if value is None else float(value)

    return CheckRow(
        phenomenon=code,
        before=str(counts["Rb"]),
        after=str(counts["Ra"]),
        verdict=verdict,
        wdq_reading=str(result.get("wdq_reading") or ""),
        wdq=staff("wdq"),
        wdd=staff("wdd"),
        wdd_z=staff("wdd_z"),
        wdd_p=staff("wdd_p"),
    )
