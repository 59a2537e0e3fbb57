"""PDCA cycles of a plan: planned → do → check → act → closed, with the Check computed.

Why rules in code: a project group evaluates at moments it sets, and the evaluation has to be
the one the data gives, kept with the cycle. The rules:

* a cycle evaluates one period (``period_start`` – ``period_end``) inside the plan's run; the
  next cycle's period starts after the previous one's ends, and a plan has at most one cycle
  that is not closed;
* **Do** (``start_cycle``) opens it; **Check** (``check_cycle``) computes
  :func:`mmm.evaluate.evaluate` for the period against the baseline period (below) and stores
  the whole report with the cycle (it may be run again while the cycle is at Check, e.g. after
  an import); **Act** (``act_cycle``) records the group's findings and adjustments; **close**
  (``close_cycle``) ends it. A cycle cannot be closed without a Check, nor before its Act;
* the dates of the steps are in order (start ≤ check ≤ act ≤ close; a Check on or after the
  period's end; a start not before the previous cycle was closed);
* nothing is deleted: the cycles are the plan's history, shown as a timeline. Each step is an
  audited, versioned write (a stale step is refused).

The **before** period of a Check is the cycle's period moved back by whole years until it ends
before the plan's start: the same calendar months before the plan, as the monitoring's baseline
(:mod:`mmm.plans.monitoring`). A January–June cycle of a plan started in July 2024 compares
with January–June 2024.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from mmm.errors import MMMError, NotFound
from mmm.evaluate import DateRange, evaluate
from mmm.plans.rows import as_date, check_order, text, versioned_update
from mmm.plans.storage import get_plan
from mmm.store import Store, schema

STEPS = ("planned", "do", "check", "act", "closed")


@dataclass(frozen=True)
class Cycle:
    """One PDCA cycle of a plan, with the dates of its steps and the stored Check.

    Attributes
    ----------
    number
        1, 2, … within the plan.
    period_start, period_end
        The period the Check evaluates ("after").
    planned_check
        The evaluation moment the group set.
    control, buffer_m
        The Check's control area (``"zone"`` or a perimeter name) and buffer width.
    status
        One of :data:`STEPS`.
    started_on, checked_on, acted_on, closed_on
        When each step was taken (``None`` until then).
    evaluation
        The Check: :meth:`mmm.evaluate.EvaluationReport.to_dict` as stored, or ``None``.
    findings, adjustments
        The Act: what the group concluded and what it changes.
    """

    id: int
    plan_id: int
    number: int
    period_start: date
    period_end: date
    planned_check: date
    control: str
    buffer_m: float
    status: str
    started_on: date | None
    checked_on: date | None
    acted_on: date | None
    closed_on: date | None
    evaluation: dict[str, Any] | None
    findings: str
    adjustments: str
    version: int

    @property
    def is_open(self) -> bool:
        """Not closed yet."""
        return self.status != "closed"

    @property
    def period(self) -> DateRange:
        """The evaluated period as a :class:`DateRange`."""
        return DateRange(self.period_start, self.period_end)


def baseline_range(plan_start: date, period: DateRange) -> DateRange:
    """``period`` moved back by whole years until it ends before ``plan_start``.

    A 29 February that lands in a common year becomes the 28th.
    """
    years = 1
    while _years_back(period.end, years) >= plan_start:
        years += 1
    return DateRange(_years_back(period.start, years), _years_back(period.end, years))


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def plan_cycle(
    store: Store,
    plan_id: int,
    *,
    period_start: date | str,
    period_end: date | str,
    planned_check: date | str,
    control: str = "zone",
    buffer_m: float = 250.0,
    actor: str = "cli",
) -> int:
    """Schedule the plan's next cycle (status ``planned``); returns its id.

    Raises
    ------
    MMMError
        When another cycle is still open, the period is out of order, outside the plan or
        overlaps the previous cycle, the Check is planned before the period ends, the buffer
        is not a positive width, or the control is the plan's own perimeter.
    NotFound
        For an unknown plan or control perimeter.
    """
    plan = get_plan(store, plan_id)
    start, end = (
        as_date(period_start, "the period's start"),
        as_date(period_end, "the period's end"),
    )
    check_order(start, end, "the cycle's period")
    moment = as_date(planned_check, "the planned Check")
    if not plan.starts_on <= start <= end <= plan.ends_on:
        raise MMMError(
            f"the cycle's period ({start} – {end}) must lie within the plan "
            f"({plan.starts_on} – {plan.ends_on})"
        )
    if moment < end:
        raise MMMError(f"the Check ({moment}) is planned before the period ends ({end})")
    if not buffer_m > 0:
        raise MMMError("the buffer is a positive width in metres, e.g. 250")
    control = control.strip() or "zone"
    if control == plan.perimeter:
        raise MMMError("the control area cannot be the plan's own perimeter")
    if control != "zone" and control not in set(store.perimeters()["name"]):
        raise NotFound(f"no perimeter named {control!r} for the control area")
    history = cycles(store, plan_id)
    if any(c.is_open for c in history):
        raise MMMError("the plan has a cycle that is not closed yet: close it first")
    if history and start <= history[-1].period_end:
        raise MMMError(
            f"the period must start after the previous cycle's period ({history[-1].period_end})"
        )
    values = {
        "plan_id": plan_id,
        "number": len(history) + 1,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "planned_check": moment.isoformat(),
        "control": control,
        "buffer_m": float(buffer_m),
        "status": "planned",
        "findings": "",
        "adjustments": "",
        "version": 1,
    }
    with store.engine.begin() as conn:
        key = conn.execute(insert(schema.plan_cycles), values).inserted_primary_key
        assert key is not None
        detail = {"plan": plan_id, "number": values["number"], "period": f"{start}:{end}"}
        store.write_audit(conn, actor, "create", "plan_cycle", str(key[0]), detail)
    return int(key[0])


def start_cycle(
    store: Store, cycle_id: int, version: int, *, on: date | str, actor: str = "cli"
) -> int:
    """Do: open a planned cycle on ``on``; returns the new version."""
    cycle = get_cycle(store, cycle_id)
    _require(cycle, ("planned",), "only a planned cycle can be started")
    day = as_date(on, "the start")
    previous = [c for c in cycles(store, cycle.plan_id) if c.number < cycle.number]
    if previous and previous[-1].closed_on and day < previous[-1].closed_on:
        raise MMMError(f"the cycle cannot start ({day}) before the previous one was closed")
    values = {"status": "do", "started_on": day.isoformat()}
    return _step(store, cycle, version, values, actor, {"on": day.isoformat()})


def check_cycle(
    store: Store, cycle_id: int, version: int, *, on: date | str, actor: str = "cli"
) -> int:
    """Check: evaluate the cycle's period and store the result; returns the new version.

    The evaluation is :func:`mmm.evaluate.evaluate` of the plan's perimeter for the plan's
    phenomena, ``before`` = :func:`baseline_range`, ``after`` = the cycle's period, with the
    cycle's control area and buffer. Run again at ``check`` it replaces the stored result.

    Raises
    ------
    MMMError
        When the cycle has not been started, the Check comes before the start or before the
        period ends, or the evaluation cannot be made (e.g. a control perimeter that overlaps
        the response area).
    """
    cycle = get_cycle(store, cycle_id)
    _require(cycle, ("do", "check"), "start the cycle (Do) before its Check")
    day = as_date(on, "the Check")
    assert cycle.started_on is not None
    if day < cycle.started_on or day < cycle.period_end:
        raise MMMError(
            f"the Check ({day}) cannot come before the start ({cycle.started_on}) or before "
            f"the evaluated period ends ({cycle.period_end})"
        )
    plan = get_plan(store, cycle.plan_id)
    before = baseline_range(plan.starts_on, cycle.period)
    report = evaluate(
        store,
        plan.perimeter,
        before=before,
        after=cycle.period,
        control=cycle.control,
        buffer_m=cycle.buffer_m,
        phenomena=list(plan.phenomena),
    )
    values = {
        "status": "check",
        "checked_on": day.isoformat(),
        "evaluation": json.dumps(report.to_dict(), sort_keys=True),
    }
    detail = {"on": day.isoformat(), "before": str(before), "after": str(cycle.period)}
    return _step(store, cycle, version, values, actor, detail)


def act_cycle(
    store: Store,
    cycle_id: int,
    version: int,
    *,
    on: date | str,
    findings: str,
    adjustments: str,
    actor: str = "cli",
) -> int:
    """Act: record the group's findings and adjustments after the Check (again to amend them).

    Raises
    ------
    MMMError
        Without a Check, with empty findings, or a date before the Check.
    """
    cycle = get_cycle(store, cycle_id)
    _require(cycle, ("check", "act"), "the findings follow a Check: run the Check first")
    day = as_date(on, "the Act")
    assert cycle.checked_on is not None
    if day < cycle.checked_on:
        raise MMMError(f"the Act ({day}) cannot come before the Check ({cycle.checked_on})")
    values = {
        "status": "act",
        "acted_on": day.isoformat(),
        "findings": text(findings, "the findings", required=True),
        "adjustments": text(adjustments, "the adjustments"),
    }
    return _step(store, cycle, version, values, actor, {"on": day.isoformat()})


def close_cycle(
    store: Store, cycle_id: int, version: int, *, on: date | str, actor: str = "cli"
) -> int:
    """Close a cycle after its Check and Act; returns the new version.

    Raises
    ------
    MMMError
        For a cycle without a Check or without findings, or a date before the Act.
    """
    cycle = get_cycle(store, cycle_id)
    if cycle.evaluation is None:
        raise MMMError("a cycle cannot be closed without a Check: run the Check first")
    _require(cycle, ("act",), "record the findings and adjustments (Act) before closing")
    day = as_date(on, "the closing")
    assert cycle.acted_on is not None
    if day < cycle.acted_on:
        raise MMMError(f"the cycle cannot be closed ({day}) before its Act ({cycle.acted_on})")
    values = {"status": "closed", "closed_on": day.isoformat()}
    return _step(store, cycle, version, values, actor, {"on": day.isoformat()})


def cycles(store: Store, plan_id: int) -> list[Cycle]:
    """The plan's cycles, oldest first: its PDCA history."""
    return _read(store, schema.plan_cycles.c.plan_id == plan_id)


def get_cycle(store: Store, cycle_id: int) -> Cycle:
    """One cycle. Raises :class:`NotFound` when there is none."""
    found = _read(store, schema.plan_cycles.c.id == cycle_id)
    if not found:
        raise NotFound(f"no PDCA cycle with id {cycle_id}")
    return found[0]


def next_check(store: Store, plan_id: int) -> date | None:
    """The planned Check of the plan's open cycle (``None`` when every cycle is closed)."""
    open_ = [c for c in cycles(store, plan_id) if c.is_open and c.checked_on is None]
    return open_[0].planned_check if open_ else None


def _require(cycle: Cycle, allowed: tuple[str, ...], message: str) -> None:
    if cycle.status not in allowed:
        raise MMMError(f"cycle {cycle.number} is at {cycle.status!r}: {message}")


def _step(
    store: Store,
    cycle: Cycle,
    version: int,
    values: dict[str, Any],
    actor: str,
    detail: dict[str, Any],
) -> int:
    with store.engine.begin() as conn:
        new = versioned_update(conn, schema.plan_cycles, cycle.id, version, values, "PDCA cycle")
        detail = {"plan": cycle.plan_id, "number": cycle.number, **detail}
        store.write_audit(conn, actor, values["status"], "plan_cycle", str(cycle.id), detail)
    return new


def _read(store: Store, where: Any) -> list[Cycle]:
    c = schema.plan_cycles.c
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.plan_cycles).where(where).order_by(c.plan_id, c.number)
        ).mappings()
        return [_cycle(r) for r in rows]


def _cycle(r: Any) -> Cycle:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return Cycle(
        id=int(r["id"]),
        plan_id=int(r["plan_id"]),
        number=int(r["number"]),
        period_start=date.fromisoformat(r["period_start"]),
        period_end=date.fromisoformat(r["period_end"]),
        planned_check=date.fromisoformat(r["planned_check"]),
        control=str(r["control"]),
        buffer_m=float(r["buffer_m"]),
        status=str(r["status"]),
        started_on=day(r["started_on"]),
        checked_on=day(r["checked_on"]),
        acted_on=day(r["acted_on"]),
        closed_on=day(r["closed_on"]),
        evaluation=json.loads(r["evaluation"]) if r["evaluation"] else None,
        findings=str(r["findings"]),
        adjustments=str(r["adjustments"]),
        version=int(r["version"]),
    )
