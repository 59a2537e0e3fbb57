"""What every part of the store builds on: the engine, the dialect hooks, batches and audit.

The :class:`~mmm.store.store.Store` callers use is put together from one class per table family
(``incidents.py``, ``perimeters.py``, and ``store.py`` for the zone, phenomena and labels), each
built on :class:`StoreBase` here. A backend (``sqlite.py``, ``postgis.py``) only overrides what
its dialect needs: how the engine is made, how a bulk insert is written, and how concurrent
imports queue. Every write is one transaction that also writes an audit event: an error half-way
leaves the store exactly as it was.

Why a module of its own: the table families and the backends all import it, and it imports none
of them, so the pieces of the store never import each other in a circle.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, Engine, Table, func, insert, select

from mmm.store import schema
from mmm.store.urls import safe_url

#: ``progress(done, total)``: called while rows are written, so a caller can draw a bar.
Progress = Callable[[int, int], None]

#: Highest weight a phenomenon can get in the multi-phenomenon hotspot score.
MAX_WEIGHT = 100.0

#: Rows per INSERT statement of a bulk insert (its parameters stay far below SQLite's limit).
ROWS_PER_INSERT = 50


def now_iso() -> str:
    """Current UTC time as an ISO 8601 string (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class BatchInfo:
    """Where an import came from and how it went; stored with the rows it added."""

    kind: str
    source: str
    actor: str
    rows_read: int
    rows_rejected: int


#: Kinds of the empty batches that mark a change of words rather than an import
#: (:meth:`StoreBase._mark_changed`).
CHANGE_KINDS = frozenset({"phenomena", "labels", "zone profile"})


class StoreBase:
    """The engine and dialect hooks of a store, its schema check, import batches and audit."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._ensure_schema()

    # -- dialect hooks ---------------------------------------------------------------------
    #: The driver's parameter marker, for the few statements written as raw SQL for speed.
    _param = "?"

    def _geom_to_db(self, geom: BaseGeometry) -> Any:
        """How a geometry is written (WKB by default)."""
        return shapely.to_wkb(geom)

    def _geoms_from_db(self, values: Sequence[Any]) -> np.ndarray:
        """How stored geometries are read back (WKB by default)."""
        return shapely.from_wkb(np.asarray(values, dtype=object))

    def _insert_rows(
        self, conn: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Insert one chunk of rows (tuples in the order of ``names``) in the open transaction.

        The driver's own ``executemany`` is used: SQLAlchemy's per-row parameter processing
        costs more than the insert itself for hundreds of thousands of rows. Each statement
        inserts :data:`ROWS_PER_INSERT` rows (in their order): half the time of one per row.
        """
        marks = "(" + ", ".join([self._param] * len(names)) + ")"
        head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        if whole:
            flat = [value for row in rows[:whole] for value in row]
            step = ROWS_PER_INSERT * len(names)
            groups = [tuple(flat[i : i + step]) for i in range(0, len(flat), step)]
            conn.exec_driver_sql(head + ", ".join([marks] * ROWS_PER_INSERT), groups)
        if whole < len(rows):
            conn.exec_driver_sql(head + marks, rows[whole:])

    def _lock_imports(self, conn: Connection) -> None:
        """Hold the import lock until ``conn``'s transaction ends (SQLite: its write lock does).

        Imports then commit one after the other, in the order of their batch ids: each batch's
        incidents are contiguous, and ``data_version`` (the newest batch id) never names a
        batch while an older one is still to come.
        """

    # -- schema ----------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        """Create a new store at the newest schema revision; refuse one that is behind it."""
        from mmm.store import migrate

        with self.engine.begin() as conn:
            migrate.prepare(conn, safe_url(self.url))

    def schema_version(self) -> str:
        """The schema revision this store is at (an Alembic revision id such as ``0005``)."""
        from mmm.store import migrate

        with self.engine.connect() as conn:
            return migrate.current(conn) or "none"

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    # -- import batches and the audit trail ------------------------------------------------
    def totals(self) -> dict[str, int]:
        """How many incidents, perimeters, phenomena, batches and audit events are stored."""
        tables = {
            "incidents": schema.incidents,
            "perimeters": schema.perimeters,
            "phenomena": schema.phenomena,
            "import_batches": schema.import_batches,
            "audit_events": schema.audit_events,
        }
        with self.engine.connect() as conn:
            return {
                name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                for name, t in tables.items()
            }

    def audit_events(self) -> pd.DataFrame:
        """The audit trail, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.audit_events).order_by(schema.audit_events.c.id))
            return pd.DataFrame(rows.all(), columns=list(schema.audit_events.c.keys()))

    def record(
        self, actor: str, action: str, entity: str, entity_id: str, detail: dict[str, Any]
    ) -> None:
        """Write one audit event on its own (e.g. an export); ``detail`` holds no personal data."""
        with self.engine.begin() as conn:
            self.write_audit(conn, actor, action, entity, entity_id, detail)

    def _add_batch(self, conn: Connection, batch: BatchInfo, *, imported: int) -> int:
        self._lock_imports(conn)
        result = conn.execute(
            insert(schema.import_batches),
            {
                "kind": batch.kind,
                "source": batch.source,
                "actor": batch.actor,
                "started_at": now_iso(),
                "rows_read": batch.rows_read,
                "rows_imported": imported,
                "rows_rejected": batch.rows_rejected,
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _mark_changed(self, conn: Connection, kind: str, what: str, actor: str) -> None:
        """Record a change of what pages show besides incidents and perimeters (phenomena,
        labels, the zone's languages) as an empty batch: :meth:`data_version` moves on, so a
        running app redraws what it keeps (``webmap.answers``) instead of showing old words."""
        assert kind in CHANGE_KINDS
        self._add_batch(conn, BatchInfo(kind, what, actor, 0, 0), imported=0)

    def write_audit(
        self, conn: Connection, actor: str, action: str, entity: str, entity_id: str, detail: dict
    ) -> None:
        """Add an audit event inside the caller's transaction (it commits or rolls back with it)."""
        conn.execute(
            insert(schema.audit_events),
            {
                "at": now_iso(),
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": json.dumps(detail, sort_keys=True),
            },
        )


def batch_detail(batch: BatchInfo, imported: int) -> dict[str, Any]:
    """The audit detail of an import: its source and how many rows were read, kept, rejected."""
    return {
        "source": batch.source,
        "read": batch.rows_read,
        "imported": imported,
        "rejected": batch.rows_rejected,
    }
