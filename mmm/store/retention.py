"""Retention: remove the incidents older than the date the zone keeps them to (``mmm purge``).

An incident is older than the retention date when it *ended* before it: its window's end
(``date_to``) when it has one, else its date. Undated incidents cannot be placed before any
date and are kept (the report counts them, so they can be looked at).

The removal is one transaction with one audit event holding counts only (how many, per
phenomenon and per year), never an id. It is recorded as a batch of kind ``purge`` as well:
the store's data version moves on, so a running app counts again instead of serving what it
kept from before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Connection, func, select

from mmm.store import schema
from mmm.store.base import BatchInfo, StoreBase


@dataclass(frozen=True)
class Purge:
    """What a purge removed (or would remove): counts only."""

    before: date
    removed: int
    per_phenomenon: dict[str, int] = field(default_factory=dict)
    per_year: dict[str, int] = field(default_factory=dict)
    kept: int = 0
    undated: int = 0
    dry_run: bool = False


def purge_incidents(store: StoreBase, before: date, *, dry_run: bool, actor: str) -> Purge:
    """Remove the incidents that ended before ``before`` (see the module's docstring).

    Parameters
    ----------
    before
        The retention date: incidents ended on an earlier day go, that day's stay.
    dry_run
        Count only; nothing is removed and nothing audited.
    """
    i = schema.incidents
    old = _ended_before(before)
    with store.engine.begin() as conn:
        per_phenomenon = _counts(conn, i.c.phenomenon, old)
        per_year = _counts(conn, func.substr(i.c.occurred, 1, 4), old)
        removed = sum(per_phenomenon.values())
        undated = int(
            conn.execute(select(func.count()).where(i.c.occurred.is_(None))).scalar() or 0
        )
        total = int(conn.execute(select(func.count()).select_from(i)).scalar() or 0)
        done = Purge(before, removed, per_phenomenon, per_year, total - removed, undated, dry_run)
        if dry_run or not removed:
            return done
        conn.execute(i.delete().where(old))
        batch = BatchInfo("purge", f"incidents before {before.isoformat()}", actor, removed, 0)
        batch_id = store._add_batch(conn, batch, imported=0)
        detail = {
            "before": before.isoformat(),
            "removed": removed,
            "per_phenomenon": per_phenomenon,
            "per_year": per_year,
        }
        store.write_audit(conn, actor, "purge", "incidents", str(batch_id), detail)
    return done


def _ended_before(before: date) -> ColumnElement[bool]:
    """Incidents whose window's end, else date, lies before the day ``before`` (ISO text)."""
    c = schema.incidents.c
    return func.coalesce(c.date_to, c.occurred) < before.isoformat()


def _counts(
    conn: Connection, key: ColumnElement[str], where: ColumnElement[bool]
) -> dict[str, int]:
    query = select(key, func.count()).where(where).group_by(key).order_by(key)
    return {str(k): int(n) for k, n in conn.execute(query).all()}
