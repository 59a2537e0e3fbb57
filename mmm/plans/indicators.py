"""SMART targets of a plan and how far each one is: current value, target, status.

Two kinds of indicator:

``incidents``
    The change in percent of a phenomenon's incidents in the perimeter since the plan's start
    against the baseline (:mod:`mmm.plans.monitoring`), counted up to the deadline's month —
    e.g. "burglaries −20 % vs baseline by 12/2027" is ``subject="burglary_dwelling"``,
    ``comparison="at_most"``, ``target=-20``, ``deadline=2027-12-31``.
``survey``
    The latest survey figure (:mod:`mmm.plans.survey`) for the perimeter whose period ends
    between the plan's start and the deadline — e.g. "feeling unsafe below 25 %" is
    ``subject="feeling_unsafe"``, ``comparison="at_most"``, ``target=25``. The latest figure
    from before the start is shown as its baseline.

Status: ``no_data`` (nothing measured yet), ``on_track`` (target met, deadline not passed),
``off_track`` (not met, deadline not passed), ``achieved`` (met, deadline passed) or ``missed``
(not met, deadline passed). "Passed" is measured against ``today`` (a parameter, so a report
of a given day always reads the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import delete, insert, select

from mmm.errors import MMMError, NotFound, StaleVersion
from mmm.limits import NAME_CHARS
from mmm.plans.model import Plan
from mmm.plans.monitoring import ObjectiveMonitoring
from mmm.plans.rows import as_date, choice, text, versioned_update
from mmm.plans.storage import get_plan
from mmm.store import Store, schema

KINDS = ("incidents", "survey")
COMPARISONS = ("at_most", "at_least")
STATUSES = ("no_data", "on_track", "off_track", "achieved", "missed")


@dataclass(frozen=True)
class Indicator:
    """A SMART target of a plan (see the module for the kinds)."""

    id: int
    plan_id: int
    label: str
    kind: str
    subject: str
    comparison: str
    target: float
    deadline: date
    version: int


@dataclass(frozen=True)
class IndicatorStatus:
    """Where an indicator stands.

    Attributes
    ----------
    indicator
        The target.
    value
        The current value: percent change (``incidents``) or the survey figure; ``None``
        without data.
    unit
        ``percent_change`` for incidents, else the survey figure's unit.
    baseline
        The baseline: incidents in the baseline months, or the last survey figure before the
        start (``None`` when there is none).
    count
        Incidents since the start up to the deadline's month (``incidents`` only).
    measured
        What the value covers: ``"2024-07 – 2025-06"`` or the survey period.
    status
        One of :data:`STATUSES`.
    """

    indicator: Indicator
    value: float | None
    unit: str
    baseline: float | None
    count: int | None
    measured: str
    status: str


def add_indicator(
    store: Store,
    plan_id: int,
    *,
    label: str,
    kind: str,
    subject: str,
    comparison: str,
    target: float,
    deadline: date | str,
    actor: str = "cli",
) -> int:
    """Give a plan a SMART target; returns its id.

    Raises
    ------
    MMMError
        For an empty label, an unknown kind or comparison, a deadline outside the plan's run, a
        phenomenon the plan does not cover, or a bad survey indicator code.
    NotFound
        For an unknown plan.
    """
    plan = get_plan(store, plan_id)
    kind = choice(kind, KINDS, "indicator kind")
    subject = subject.strip()
    if kind == "incidents" and subject not in plan.phenomena:
        raise MMMError(
            f"{subject!r} is not one of the plan's phenomena ({', '.join(plan.phenomena)})"
        )
    if kind == "survey" and not subject.replace("_", "").isalnum():
        raise MMMError(f"{subject!r} is not a survey indicator code such as feeling_unsafe")
    when = as_date(deadline, "the deadline")
    if not plan.starts_on <= when <= plan.ends_on:
        raise MMMError(
            f"the deadline {when} lies outside the plan ({plan.starts_on} – {plan.ends_on})"
        )
    values = {
        "plan_id": plan_id,
        "label": text(
            label, "the indicator's label", required=True, limit=NAME_CHARS, multiline=False
        ),
        "kind": kind,
        "subject": subject,
        "comparison": choice(comparison, COMPARISONS, "comparison"),
        "target": _number(target),
        "deadline": when.isoformat(),
        "version": 1,
    }
    with store.engine.begin() as conn:
        key = conn.execute(insert(schema.plan_indicators), values).inserted_primary_key
        assert key is not None
        detail = {"plan": plan_id, "kind": kind, "subject": subject, "target": values["target"]}
        store.write_audit(conn, actor, "create", "plan_indicator", str(key[0]), detail)
    return int(key[0])


def update_indicator(
    store: Store,
    indicator_id: int,
    version: int,
    *,
    target: float,
    deadline: date | str,
    label: str | None = None,
    actor: str = "cli",
) -> int:
    """Adjust a target still at ``version`` (the Act of a cycle); returns the new version.

    What is measured (kind, subject, comparison) stays: measuring something else is a new
    target, so the history of this one keeps its meaning.

    Raises
    ------
    NotFound, StaleVersion
        As :func:`remove_indicator`.
    MMMError
        For an empty label or a deadline outside the plan's run.
    """
    t = schema.plan_indicators.c
    with store.engine.connect() as conn:
        row = conn.execute(select(t.plan_id, t.label).where(t.id == indicator_id)).first()
    if row is None:
        raise NotFound(f"no indicator with id {indicator_id}")
    plan = get_plan(store, int(row.plan_id))
    when = as_date(deadline, "the deadline")
    if not plan.starts_on <= when <= plan.ends_on:
        raise MMMError(
            f"the deadline {when} lies outside the plan ({plan.starts_on} – {plan.ends_on})"
        )
    values = {
        "label": text(row.label if label is None else label, "the indicator's label",
                      required=True, limit=NAME_CHARS, multiline=False),
        "target": _number(target),
        "deadline": when.isoformat(),
    }  # fmt: skip
    with store.engine.begin() as conn:
        new = versioned_update(
            conn, schema.plan_indicators, indicator_id, version, values, "indicator"
        )
        detail = {"plan": plan.id, "target": values["target"], "deadline": values["deadline"]}
        store.write_audit(conn, actor, "update", "plan_indicator", str(indicator_id), detail)
    return new


def remove_indicator(store: Store, indicator_id: int, version: int, *, actor: str = "cli") -> None:
    """Remove a target that is still at ``version`` (a stale removal is refused).

    Raises
    ------
    NotFound, StaleVersion
    """
    t = schema.plan_indicators.c
    with store.engine.begin() as conn:
        row = conn.execute(select(t.plan_id, t.version).where(t.id == indicator_id)).first()
        if row is None:
            raise NotFound(f"no indicator with id {indicator_id}")
        if int(row.version) != version:
            raise StaleVersion(
                "this indicator was changed by someone else since you opened it: reload it"
            )
        conn.execute(delete(schema.plan_indicators).where(t.id == indicator_id))
        detail = {"plan": int(row.plan_id)}
        store.write_audit(conn, actor, "delete", "plan_indicator", str(indicator_id), detail)


def indicators(store: Store, plan_id: int) -> list[Indicator]:
    """A plan's targets, by deadline."""
    t = schema.plan_indicators.c
    query = select(schema.plan_indicators).where(t.plan_id == plan_id).order_by(t.deadline, t.id)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        Indicator(
            id=int(r["id"]),
            plan_id=int(r["plan_id"]),
            label=str(r["label"]),
            kind=str(r["kind"]),
            subject=str(r["subject"]),
            comparison=str(r["comparison"]),
            target=float(r["target"]),
            deadline=date.fromisoformat(r["deadline"]),
            version=int(r["version"]),
        )
        for r in rows
    ]


def indicator_status(
    plan: Plan,
    targets: list[Indicator],
    monitoring: ObjectiveMonitoring,
    surveys: pd.DataFrame,
    *,
    today: date,
) -> list[IndicatorStatus]:
    """Current value, baseline and status of each target (see the module).

    Parameters
    ----------
    plan, targets
        The plan and its targets (:func:`indicators`).
    monitoring
        The plan's :func:`mmm.plans.monitoring.objective_monitoring`.
    surveys
        :func:`mmm.plans.survey.survey_results` (other perimeters' rows are ignored).
    today
        The day the status is read on (deadline passed or not).
    """
    mine = surveys[surveys["perimeter_id"] == plan.perimeter_id] if len(surveys) else surveys
    return [
        _incidents(t, monitoring, today) if t.kind == "incidents" else _survey(plan, t, mine, today)
        for t in targets
    ]


def _incidents(target: Indicator, mon: ObjectiveMonitoring, today: date) -> IndicatorStatus:
    deadline = str(pd.Period(target.deadline, "M"))
    months = [m for m in mon.plan_months if m <= deadline]
    if not months or target.subject not in mon.monthly.index:
        return IndicatorStatus(target, None, "percent_change", None, None, "", "no_data")
    row = mon.monthly.loc[target.subject]
    count = int(row[months].sum())
    baseline = int(sum(int(row[mon.baseline_month(m)]) for m in months))
    value = (count - baseline) / baseline * 100 if baseline else None
    measured = f"{months[0]} – {months[-1]}"
    status = _status(target, value, today)
    return IndicatorStatus(target, value, "percent_change", baseline, count, measured, status)


def _survey(plan: Plan, target: Indicator, surveys: pd.DataFrame, today: date) -> IndicatorStatus:
    rows = surveys[surveys["indicator"] == target.subject] if len(surveys) else surveys
    before = rows[rows["period_end"] < plan.starts_on] if len(rows) else rows
    during = (
        rows[(rows["period_end"] >= plan.starts_on) & (rows["period_end"] <= target.deadline)]
        if len(rows)
        else rows
    )
    baseline = float(before["value"].iloc[-1]) if len(before) else None
    if not len(during):
        return IndicatorStatus(target, None, "", baseline, None, "", "no_data")
    latest = during.iloc[-1]
    value = float(latest["value"])
    status = _status(target, value, today)
    return IndicatorStatus(
        target, value, str(latest["unit"]), baseline, None, str(latest["period"]), status
    )


def _status(target: Indicator, value: float | None, today: date) -> str:
    if value is None:
        return "no_data"
    met = value <= target.target if target.comparison == "at_most" else value >= target.target
    if today > target.deadline:
        return "achieved" if met else "missed"
    return "on_track" if met else "off_track"


def _number(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise MMMError(f"the target {value!r} is not a number") from None
    if number != number or abs(number) > 1e9:
        raise MMMError(f"the target {value!r} is not a usable number")
    return number
