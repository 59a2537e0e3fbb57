"""Store and read action plans; read them with their actions and resources. Writes are audited
and atomic; the actions and resources are written by :mod:`mmm.plans.actions`.

Why SQLAlchemy Core on ``store.engine`` (as :mod:`mmm.access.partners` and
:mod:`mmm.access.users` do): the same statements run on SQLite and PostGIS. Each write is one
transaction that also writes its audit event; an edit names the version it was based on and a
stale one is refused (:class:`mmm.errors.StaleVersion`), never merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from mmm.access.partners import assignments
from mmm.errors import MMMError, NotFound
from mmm.limits import NAME_CHARS
from mmm.plans.model import (
    PLAN_STATUSES,
    SECTIONS,
    Action,
    Plan,
    Resource,
)
from mmm.plans.rows import as_date, check_order, choice, text, versioned_update
from mmm.store import Store, schema
from mmm.store.base import now_iso

_ZVP = re.compile(r"^(\d{4})-(\d{4})$")


# -- plans -------------------------------------------------------------------------------------
def create_plan(
    store: Store,
    *,
    perimeter: str,
    zvp_period: str,
    title: str,
    starts_on: date | str,
    ends_on: date | str,
    phenomena: Iterable[str],
    zvp_objective: str = "",
    sections: Mapping[str, str] | None = None,
    status: str = "draft",
    actor: str = "cli",
) -> int:
    """Write a new action plan for ``perimeter`` (by name); returns its id.

    Parameters
    ----------
    zvp_period
        ``YYYY-YYYY``, e.g. ``"2025-2030"``; the plan's dates must fall in it and a perimeter has
        at most one plan per period.
    phenomena
        One or more phenomenon codes the plan covers.
    sections
        Section code (:data:`mmm.plans.model.SECTIONS`) → text; missing sections stay empty.

    Raises
    ------
    MMMError
        For an empty title, a bad period or dates, unknown section codes, or a second plan for
        the same perimeter and ZVP period.
    NotFound
        For an unknown perimeter or phenomenon.
    """
    perimeter_id = _perimeter_id(store, perimeter)
    period = _zvp_period(zvp_period)
    start, end = _plan_dates(starts_on, ends_on, period)
    codes = _phenomena(store, phenomena)
    values = {
        "perimeter_id": perimeter_id,
        "zvp_period": period,
        "title": text(title, "the title", required=True, limit=NAME_CHARS, multiline=False),
        "zvp_objective": text(zvp_objective, "the ZVP objective"),
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "status": choice(status, PLAN_STATUSES, "plan status"),
        **_sections(sections or {}),
        "version": 1,
        "updated_at": now_iso(),
    }
    p = schema.action_plans.c
    with store.engine.begin() as conn:
        taken = conn.execute(
            select(p.id).where(p.perimeter_id == perimeter_id, p.zvp_period == period)
        ).scalar()
        if taken is not None:
            raise MMMError(
                f"{perimeter!r} already has an action plan for ZVP {period} (plan {taken}): "
                "edit that one"
            )
        key = conn.execute(insert(schema.action_plans), values).inserted_primary_key
        assert key is not None
        plan_id = int(key[0])
        _write_phenomena(conn, plan_id, codes)
        detail = {"perimeter": perimeter_id, "zvp_period": period, "phenomena": codes}
        store.write_audit(conn, actor, "create", "action_plan", str(plan_id), detail)
    return plan_id


def update_plan(
    store: Store,
    plan_id: int,
    version: int,
    *,
    title: str | None = None,
    zvp_objective: str | None = None,
    starts_on: date | str | None = None,
    ends_on: date | str | None = None,
    status: str | None = None,
    phenomena: Iterable[str] | None = None,
    sections: Mapping[str, str] | None = None,
    actor: str = "cli",
) -> int:
    """Change a plan that is still at ``version``; ``None`` keeps a field. Returns the new version.

    The perimeter and the ZVP period are the plan's identity and cannot change (write a new
    plan for a new period).

    Raises
    ------
    StaleVersion
        When the plan was saved by someone else since ``version`` (nothing is written).
    MMMError, NotFound
        As :func:`create_plan`.
    """
    current = get_plan(store, plan_id)
    start = as_date(starts_on, "the start") if starts_on is not None else current.starts_on
    end = as_date(ends_on, "the end") if ends_on is not None else current.ends_on
    start, end = _plan_dates(start, end, current.zvp_period)
    values: dict[str, Any] = {"starts_on": start.isoformat(), "ends_on": end.isoformat()}
    if title is not None:
        values["title"] = text(title, "the title", required=True, limit=NAME_CHARS, multiline=False)
    if zvp_objective is not None:
        values["zvp_objective"] = text(zvp_objective, "the ZVP objective")
    if status is not None:
        values["status"] = choice(status, PLAN_STATUSES, "plan status")
    values.update(_sections(sections or {}))
    codes = _phenomena(store, phenomena) if phenomena is not None else None
    changed = sorted(k for k, v in values.items() if str(v) != str(_current_value(current, k))) + (
        ["phenomena"] if codes is not None and tuple(codes) != current.phenomena else []
    )
    values["updated_at"] = now_iso()
    with store.engine.begin() as conn:
        new = versioned_update(conn, schema.action_plans, plan_id, version, values, "action plan")
        if codes is not None:
            _write_phenomena(conn, plan_id, codes)
        store.write_audit(conn, actor, "update", "action_plan", str(plan_id), {"fields": changed})
    return new


def get_plan(store: Store, plan_id: int) -> Plan:
    """One plan with its phenomena, actions and resources.

    Raises
    ------
    NotFound
        When there is no plan ``plan_id``.
    """
    found = _read_plans(store, [schema.action_plans.c.id == plan_id])
    if not found:
        raise NotFound(f"no action plan with id {plan_id}")
    return found[0]


def list_plans(store: Store, *, perimeter_ids: frozenset[int] | None = None) -> list[Plan]:
    """The plans, by perimeter name then ZVP period; only those perimeters when given.

    ``perimeter_ids`` is what :attr:`mmm.access.rules.Scope.perimeter_ids` gives: ``None`` for
    staff, the assigned perimeters for a partner.
    """
    where = [] if perimeter_ids is None else [schema.action_plans.c.perimeter_id.in_(perimeter_ids)]
    return _read_plans(store, where)


def project_group(store: Store, plan: Plan) -> pd.DataFrame:
    """The partners assigned to the plan's perimeter for its phenomena.

    Columns as :func:`mmm.access.partners.assignments`: ``partner``, ``partner_type``,
    ``phenomenon``, ``responsibility``, ``description``…; one row per partner × phenomenon.
    """
    table = assignments(store)
    mine = (table["perimeter_id"] == plan.perimeter_id) & table["phenomenon"].isin(plan.phenomena)
    return table[mine].reset_index(drop=True)


def _read_plans(store: Store, where: list[Any]) -> list[Plan]:
    p, r = schema.action_plans.c, schema.perimeters.c
    query = (
        select(schema.action_plans, r.name.label("perimeter"))
        .join(schema.perimeters, p.perimeter_id == r.id)
        .where(*where)
        .order_by(r.name, p.zvp_period)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
        ids = [int(row["id"]) for row in rows]
        codes = _plan_phenomena(conn, ids)
        actions = _actions(conn, ids)
        resources = _resources(conn, ids)
    return [
        Plan(
            id=int(row["id"]),
            perimeter_id=int(row["perimeter_id"]),
            perimeter=str(row["perimeter"]),
            zvp_period=str(row["zvp_period"]),
            title=str(row["title"]),
            zvp_objective=str(row["zvp_objective"]),
            starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]),
            status=str(row["status"]),
            phenomena=tuple(codes.get(int(row["id"]), ())),
            sections={name: str(row[name]) for name in SECTIONS},
            version=int(row["version"]),
            updated_at=str(row["updated_at"]),
            actions=tuple(actions.get(int(row["id"]), ())),
            resources=tuple(resources.get(int(row["id"]), ())),
        )
        for row in rows
    ]


def _plan_phenomena(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    t = schema.plan_phenomena.c
    found: dict[int, list[str]] = {}
    query = select(t.plan_id, t.phenomenon).where(t.plan_id.in_(ids)).order_by(t.phenomenon)
    for plan_id, code in conn.execute(query):
        found.setdefault(int(plan_id), []).append(str(code))
    return found


def _write_phenomena(conn: Connection, plan_id: int, codes: list[str]) -> None:
    conn.execute(delete(schema.plan_phenomena).where(schema.plan_phenomena.c.plan_id == plan_id))
    conn.execute(
        insert(schema.plan_phenomena), [{"plan_id": plan_id, "phenomenon": c} for c in codes]
    )


def _current_value(plan: Plan, key: str) -> Any:
    if key in SECTIONS:
        return plan.sections[key]
    return getattr(plan, key)


# -- reading actions and resources ---------------------------------------------------------------
def get_action(store: Store, action_id: int) -> Action:
    """One action. Raises :class:`NotFound` when there is none."""
    with store.engine.connect() as conn:
        found = [
            a for actions in _actions(conn, None, action_id=action_id).values() for a in actions
        ]
    if not found:
        raise NotFound(f"no action with id {action_id}")
    return found[0]


def _actions(
    conn: Connection, plan_ids: list[int] | None, *, action_id: int | None = None
) -> dict[int, list[Action]]:
    a, p = schema.plan_actions.c, schema.partners.c
    query = select(schema.plan_actions, p.name.label("owner")).join(
        schema.partners, a.owner_id == p.id
    )
    if plan_ids is not None:
        query = query.where(a.plan_id.in_(plan_ids))
    if action_id is not None:
        query = query.where(a.id == action_id)
    found: dict[int, list[Action]] = {}
    for row in conn.execute(query.order_by(a.starts_on, a.id)).mappings():
        found.setdefault(int(row["plan_id"]), []).append(
            Action(
                id=int(row["id"]),
                plan_id=int(row["plan_id"]),
                title=str(row["title"]),
                approach=str(row["approach"]),
                owner_id=int(row["owner_id"]),
                owner=str(row["owner"]),
                starts_on=date.fromisoformat(row["starts_on"]),
                ends_on=date.fromisoformat(row["ends_on"]),
                status=str(row["status"]),
                version=int(row["version"]),
            )
        )
    return found


def _resources(conn: Connection, plan_ids: list[int]) -> dict[int, list[Resource]]:
    r, p = schema.plan_resources.c, schema.partners.c
    query = (
        select(r.plan_id, r.partner_id, p.name, r.hours_per_month, r.budget_eur, r.note)
        .join(schema.partners, r.partner_id == p.id)
        .where(r.plan_id.in_(plan_ids))
        .order_by(p.name)
    )
    found: dict[int, list[Resource]] = {}
    for row in conn.execute(query):
        found.setdefault(int(row[0]), []).append(
            Resource(int(row[1]), str(row[2]), float(row[3]), float(row[4]), str(row[5]))
        )
    return found


# -- validation --------------------------------------------------------------------------------
def _perimeter_id(store: Store, name: str) -> int:
    with store.engine.connect() as conn:
        found = conn.execute(
            select(schema.perimeters.c.id).where(schema.perimeters.c.name == name)
        ).scalar()
    if found is None:
        raise NotFound(f"no perimeter named {name!r}")
    return int(found)


def _zvp_period(value: str) -> str:
    match = _ZVP.match((value or "").strip())
    if not match or int(match.group(2)) <= int(match.group(1)):
        raise MMMError(f"the ZVP period {value!r} is not written as YYYY-YYYY, e.g. 2025-2030")
    return match.group(0)


def _plan_dates(starts_on: date | str, ends_on: date | str, period: str) -> tuple[date, date]:
    start, end = as_date(starts_on, "the plan's start"), as_date(ends_on, "the plan's end")
    check_order(start, end, "the plan")
    first, last = (int(y) for y in period.split("-"))
    if start.year < first or end.year > last:
        raise MMMError(f"the plan ({start} – {end}) must fall within its ZVP period {period}")
    return start, end


def _phenomena(store: Store, codes: Iterable[str]) -> list[str]:
    wanted = sorted({str(c).strip() for c in codes if str(c).strip()})
    if not wanted:
        raise MMMError("a plan covers at least one phenomenon")
    known = set(store.phenomena()["code"])
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NotFound(f"unknown phenomenon {', '.join(map(repr, unknown))}")
    return wanted


def _sections(given: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(given) - set(SECTIONS))
    if unknown:
        raise MMMError(f"unknown section {', '.join(unknown)}: choose from {', '.join(SECTIONS)}")
    return {name: text(given[name], f"the section {name}") for name in given}
