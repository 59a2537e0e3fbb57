"""The audit trail as the data protection officer reads it: filtered, a page at a time, named.

Why a module of its own: the trail grows with every login, read and export (tens of thousands
of events a year), so the filters and the paging run in the database, never on the whole table
in memory; and an event names its actor (``web:NAME``, ``token:NAME``, or the command line)
and its object by id, which a person should read as a name and a role.

Dates are the zone's local dates (:data:`LOCAL_TIME`, Europe/Brussels): "the 3rd of March" is
that day in Belgium, whatever UTC says. Plain SQLAlchemy Core (no geometry), the same on
SQLite and PostGIS.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import ColumnElement, and_, false, func, select, true

from mmm.store import Store, schema

#: The zone's clock: audit times are stored in UTC and shown and filtered in local time.
LOCAL_TIME = ZoneInfo("Europe/Brussels")
#: Events on one page of the viewer.
PAGE_SIZE = 50
#: Most events one CSV download holds (a filter narrows a larger trail).
MAX_ROWS = 100_000
#: How a web user and a script's API token write their user into ``actor``.
PERSON_PREFIXES = ("web:", "token:")
#: Entities whose id is a row that has a name (entity → table and its name column).
_NAMED = {
    "user": (schema.users, "name"),
    "partner": (schema.partners, "name"),
    "perimeter": (schema.perimeters, "name"),
    "action_plan": (schema.action_plans, "title"),
}


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; ``None`` means any.

    ``person`` is a user name or a system actor (``cli``, ``demo``…); ``role`` the current role
    of the user who acted; ``first`` and ``last`` local dates, both included.
    """

    person: str | None = None
    role: str | None = None
    action: str | None = None
    purpose: str | None = None
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first, with ``total`` matching events in ``pages`` pages.

    ``rows`` has the columns of the trail (``id``, ``at``, ``actor``, ``action``, ``entity``,
    ``entity_id``), ``detail`` as a dict, and ``local`` (the time in :data:`LOCAL_TIME`),
    ``person``, ``role`` (``None`` for a system actor) and ``entity_name`` (``None`` when the
    object has no name or is gone).
    """

    rows: pd.DataFrame
    total: int
    page: int
    pages: int


def person_of(actor: str) -> str:
    """The user name in an actor (``web:anna`` → ``anna``), or the system actor as it is."""
    for prefix in PERSON_PREFIXES:
        if actor.startswith(prefix) and len(actor) > len(prefix):
            return actor[len(prefix) :]
    return actor


def actors(store: Store) -> list[str]:
    """Everyone who appears in the trail or has an account, by name (the person filter)."""
    with store.engine.connect() as conn:
        seen = conn.execute(select(schema.audit_events.c.actor).distinct()).scalars()
        users = conn.execute(select(schema.users.c.name)).scalars()
        return sorted({person_of(a) for a in seen} | set(users), key=str.casefold)


def plan_titles(store: Store) -> dict[int, str]:
    """Action plan id → title (the trail names a plan by its id)."""
    plans = schema.action_plans.c
    with store.engine.connect() as conn:
        return {int(i): str(t) for i, t in conn.execute(select(plans.id, plans.title)).all()}


def utc_bounds(first: date | None, last: date | None) -> tuple[str | None, str | None]:
    """The stored (UTC ISO) times from the start of local day ``first`` to before the day
    after ``last``, for comparing with ``audit_events.at`` as text."""

    def utc(day: date) -> str:
        local = datetime.combine(day, time(), LOCAL_TIME)
        return local.astimezone(ZoneInfo("UTC")).isoformat(timespec="seconds")

    return (
        None if first is None else utc(first),
        None if last is None else utc(last + timedelta(days=1)),
    )


def audit_page(
    store: Store, filters: AuditFilter, *, page: int = 1, size: int = PAGE_SIZE
) -> AuditPage:
    """Page ``page`` (from 1; past the last one gives the last) of the matching events."""
    where = _where(store, filters)
    events = schema.audit_events
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(events).where(where)).scalar_one()
    pages = max(1, math.ceil(total / size))
    page = min(max(1, page), pages)
    query = select(events).where(where).order_by(events.c.id.desc())
    rows = _read(store, query.limit(size).offset((page - 1) * size))
    return AuditPage(rows, total, page, pages)


def audit_rows(store: Store, filters: AuditFilter, *, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Every matching event, newest first (at most ``limit``), in the columns of
    :class:`AuditPage`'s rows: what a download of the filtered view holds."""
    events = schema.audit_events
    query = select(events).where(_where(store, filters)).order_by(events.c.id.desc())
    return _read(store, query.limit(limit))


def _where(store: Store, filters: AuditFilter) -> ColumnElement[bool]:
    """The filters as one SQL condition on ``audit_events``."""
    c = schema.audit_events.c
    conditions: list[ColumnElement[bool]] = []
    if filters.person:
        conditions.append(c.actor.in_(_actor_names([filters.person], system=True)))
    if filters.role:
        with store.engine.connect() as conn:
            names = list(
                conn.execute(
                    select(schema.users.c.name).where(schema.users.c.role == filters.role)
                ).scalars()
            )
        conditions.append(c.actor.in_(_actor_names(names)) if names else false())
    if filters.action:
        conditions.append(c.action == filters.action)
    if filters.purpose:  # detail is JSON written with json.dumps: '"purpose": "analysis"'
        pair = json.dumps({"purpose": filters.purpose})[1:-1]
        conditions.append(c.detail.contains(pair, autoescape=True))
    start, end = utc_bounds(filters.first, filters.last)
    if start is not None:
        conditions.append(c.at >= start)
    if end is not None:
        conditions.append(c.at < end)
    return and_(*conditions) if conditions else true()


def _actor_names(names: list[str], *, system: bool = False) -> list[str]:
    """How these users appear as actors (and, with ``system``, the names as they are)."""
    found = [f"{prefix}{name}" for name in names for prefix in PERSON_PREFIXES]
    return [*found, *names] if system else found


def _read(store: Store, query: Any) -> pd.DataFrame:
    """The events of ``query`` with their detail parsed, local time, person, role and names."""
    columns = list(schema.audit_events.c.keys())
    with store.engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
        roles = dict(conn.execute(select(schema.users.c.name, schema.users.c.role)).all())
        names = _entity_names(conn, frame)
    frame["detail"] = [json.loads(d) if d else {} for d in frame["detail"]]
    frame["local"] = [
        datetime.fromisoformat(at).astimezone(LOCAL_TIME) for at in frame["at"].astype(str)
    ]
    frame["person"] = [person_of(str(a)) for a in frame["actor"]]
    frame["role"] = [
        roles.get(p) if str(a).startswith(PERSON_PREFIXES) else None
        for a, p in zip(frame["actor"], frame["person"], strict=True)
    ]
    frame["entity_name"] = [
        names.get((str(e), str(i)))
        for e, i in zip(frame["entity"], frame["entity_id"], strict=True)
    ]
    return frame.astype(object).where(frame.notna(), None)  # no NaN for a missing id or name


def _entity_names(conn: Any, frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(entity, id) → name, for the named entities among ``frame``'s events."""
    found: dict[tuple[str, str], str] = {}
    for entity, (table, column) in _NAMED.items():
        ids = {
            int(i)
            for i in frame.loc[frame["entity"] == entity, "entity_id"]
            if isinstance(i, str) and i.isdigit()
        }
        if ids:
            query = select(table.c.id, table.c[column]).where(table.c.id.in_(sorted(ids)))
            found |= {(entity, str(i)): str(name) for i, name in conn.execute(query).all()}
    return found
