"""The incidents table family: reading incidents (kept per data version), importing them.

Why a module of its own: incidents are the store's bulk data (a million rows), with their own
speed-ups (raw driver reads, chunked inserts, a per-version cache); the rest of the store only
needs :meth:`IncidentTables.data_version` from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, func, insert, select

from mmm.store import schema
from mmm.store.base import BatchInfo, Progress, StoreBase, batch_detail

#: Rows per bulk insert while incidents are imported (progress is reported after each).
INSERT_CHUNK = 50_000


class IncidentTables(StoreBase):
    """Read and import incidents; each import is one batch with its audit event."""

    #: Incidents read from the store, kept while no import changed them (web pages re-use
    #: them; a million rows take seconds to read and ~60 MB to keep): (data version, frame).
    _incidents_cache: tuple[int, pd.DataFrame] | None = None

    def incidents(self, *, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Incidents as plain columns: ``source_id``, ``phenomenon``, ``occurred``, ``x``, ``y``.

        ``start``/``end`` are inclusive dates; when either is given, undated incidents are left
        out. ``occurred`` is ``datetime64`` (``NaT`` when undated).
        """
        version = self.data_version()
        cached = self._incidents_cache
        if cached is None or cached[0] != version:
            cached = (version, self._read_incidents())
            self._incidents_cache = cached
        frame = cached[1]
        if start is None and end is None:
            return frame.copy()
        occurred = frame["occurred"]
        keep = occurred.notna()
        if start is not None:
            keep &= occurred >= pd.Timestamp(start)
        if end is not None:
            keep &= occurred < pd.Timestamp(end) + pd.Timedelta(days=1)
        return frame[keep.to_numpy()].reset_index(drop=True)

    def data_version(self) -> int:
        """A number that changes whenever incidents are added (the latest import batch)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.max(schema.import_batches.c.id))).scalar()
        return int(found or 0)

    def _read_incidents(self) -> pd.DataFrame:
        """All incidents, read column-wise; :meth:`incidents` keeps the result per version."""
        i = schema.incidents.c
        query = select(i.source_id, i.phenomenon, i.occurred, i.x, i.y)
        rows = self._plain_rows(query.order_by(i.id))
        cols = list(zip(*rows, strict=True)) if rows else [()] * 5
        return pd.DataFrame(
            {
                "source_id": pd.array(cols[0], dtype="string"),
                "phenomenon": pd.array(cols[1], dtype="string"),
                "occurred": np.array(cols[2], dtype="datetime64[s]"),
                "x": np.asarray(cols[3], dtype=float),
                "y": np.asarray(cols[4], dtype=float),
            }
        )

    def _plain_rows(self, query: Select[Any]) -> list[tuple[Any, ...]]:
        """Rows as plain tuples from the driver's cursor, for reads of a million rows.

        SQLAlchemy's Row objects cost more than the read itself at that size; the query only
        has literal values this module wrote (dates as ISO strings), so binding them inline is
        safe.
        """
        sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
        with self.engine.connect() as conn:
            cursor = conn.exec_driver_sql(sql).cursor
            assert cursor is not None  # a SELECT always has one
            return list(cursor.fetchall())

    def incident_ids(self, candidates: Iterable[str]) -> set[str]:
        """Which of ``candidates`` are already stored as incident ids."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            if conn.execute(select(schema.incidents.c.id).limit(1)).first() is None:
                return found  # an empty store holds none of them; skip the look-ups
        wanted = list(pd.unique(pd.Series(list(candidates), dtype=object)))
        step = 10_000  # below SQLite's limit of 32,766 parameters per statement
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), step):
                chunk = wanted[start : start + step]
                marks = ", ".join([self._param] * len(chunk))
                sql = f"SELECT source_id FROM incidents WHERE source_id IN ({marks})"
                found.update(row[0] for row in conn.exec_driver_sql(sql, tuple(chunk)))
        return found

    def add_incidents(
        self, frame: pd.DataFrame, batch: BatchInfo, *, progress: Progress | None = None
    ) -> int:
        """Store validated incidents in one transaction; returns the new batch id.

        ``frame`` has ``source_id``, ``phenomenon``, ``occurred`` (datetime64, NaT = undated),
        ``x`` and ``y`` (EPSG:31370). New phenomenon codes are added with their code as label.
        """
        occurred = _iso_seconds(frame["occurred"])
        columns = {
            "source_id": frame["source_id"].astype(str).to_numpy(),
            "phenomenon": frame["phenomenon"].astype(str).to_numpy(),
            "occurred": occurred,
            "x": frame["x"].to_numpy(dtype=float),
            "y": frame["y"].to_numpy(dtype=float),
        }
        total = len(frame)
        names = [*columns, "batch_id"]
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=total)
            self._add_phenomena(conn, pd.unique(columns["phenomenon"]))
            for start in range(0, total, INSERT_CHUNK):
                stop = min(start + INSERT_CHUNK, total)
                chunk = [col[start:stop].tolist() for col in columns.values()]
                rows = list(zip(*chunk, [batch_id] * (stop - start), strict=True))
                self._insert_rows(conn, schema.incidents, names, rows)
                if progress is not None:
                    progress(stop, total)
            self.write_audit(
                conn, batch.actor, "import", "incidents", str(batch_id), batch_detail(batch, total)
            )
        return batch_id

    def _add_phenomena(self, conn: Connection, codes: Iterable[str]) -> None:
        known = set(conn.execute(select(schema.phenomena.c.code)).scalars())
        new = [{"code": c, "label": c} for c in codes if c not in known]
        if new:
            conn.execute(insert(schema.phenomena), new)


def _iso_seconds(values: pd.Series) -> np.ndarray:
    """datetime64 → 'YYYY-MM-DDTHH:MM:SS' strings (``None`` for NaT), without a Python loop."""
    arr = pd.to_datetime(values).to_numpy(dtype="datetime64[s]")
    text = np.datetime_as_string(arr, unit="s").astype(object)
    text[np.isnat(arr)] = None
    return text
