"""The incidents table family: reading incidents (kept per data version), importing them.

Why a module of its own: incidents are the store's bulk data (a million rows), with their own
speed-ups (raw driver reads, chunked inserts, a per-version cache shared by every thread, a
columnar copy beside a SQLite store: :mod:`mmm.store.columnar`); the rest of the store only
needs :meth:`IncidentTables.data_version` from them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine, Select, func, insert, select

from mmm.store import columnar, schema
from mmm.store.base import BatchInfo, Progress, StoreBase, batch_detail
from mmm.store.columnar import Fingerprint

#: Rows per bulk insert while incidents are imported (progress is reported after each).
INSERT_CHUNK = 50_000


@dataclass(frozen=True)
class _Read:
    """The incidents as read at one data version, and the fingerprint of what they are."""

    version: int
    fingerprint: Fingerprint
    frame: pd.DataFrame


class IncidentTables(StoreBase):
    """Read and import incidents; each import is one batch with its audit event."""

    #: Incidents read from the store, kept while no import changed them and shared by every
    #: caller (a million rows take ~100 MB): one frame per process, never one per request.
    _incidents_cache: _Read | None = None

    def __init__(self, engine: Engine, url: str) -> None:
        super().__init__(engine, url)
        #: Held while the incidents are read: a second caller waits for the first one's read.
        self._incidents_lock = threading.Lock()

    def incidents(self, *, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Incidents as plain columns: ``source_id``, ``phenomenon``, ``occurred``, ``x``, ``y``,
        ``date_to``.

        ``start``/``end`` are inclusive dates; when either is given, undated incidents are left
        out. ``occurred`` is ``datetime64`` (``NaT`` when undated); it is the start of the window
        of an incident known only within one, whose end is ``date_to`` (``NaT``: a moment).
        Periods are counted by ``occurred``.
        """
        frame = self._shared_incidents()
        if start is None and end is None:
            return frame.copy(deep=False)  # copy-on-write: a caller's change stays its own
        occurred = frame["occurred"]
        keep = occurred.notna()
        if start is not None:
            keep &= occurred >= pd.Timestamp(start)
        if end is not None:
            keep &= occurred < pd.Timestamp(end) + pd.Timedelta(days=1)
        return frame[keep.to_numpy()].reset_index(drop=True)

    def data_version(self) -> int:
        """A number that changes whenever data is added or changed (the latest import batch:
        imports, purges, and changes of phenomena, labels and the zone's languages)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.max(schema.import_batches.c.id))).scalar()
        return int(found or 0)

    def incidents_fingerprint(self) -> Fingerprint:
        """How many incidents are stored, the newest row, its batch and when that started."""
        i, b = schema.incidents.c, schema.import_batches.c
        with self.engine.connect() as conn:
            rows, last_id = conn.execute(select(func.count(), func.max(i.id))).one()
            newest = conn.execute(
                select(b.id, b.started_at)
                .join_from(schema.incidents, schema.import_batches, i.batch_id == b.id)
                .where(i.id == last_id)
            ).first()
        batch, started = (0, "") if newest is None else (int(newest[0]), str(newest[1]))
        return Fingerprint(int(rows), int(last_id or 0), batch, started)

    def _shared_incidents(self) -> pd.DataFrame:
        """Every incident, read once per data version by one thread while the others wait."""
        version = self.data_version()
        cached = self._incidents_cache
        if cached is not None and cached.version == version:
            return cached.frame
        with self._incidents_lock:
            cached = self._incidents_cache
            if cached is None or cached.version != version:
                cached = self._load_incidents(version, cached)
                self._incidents_cache = cached
            return cached.frame

    def _load_incidents(self, version: int, previous: _Read | None) -> _Read:
        """The incidents now: kept from ``previous`` when only other data changed, else from
        the columnar file of this state, else ``previous`` (or an older file) plus the rows
        added since, else everything read from the store; a new columnar file is written."""
        fingerprint = self.incidents_fingerprint()
        if previous is not None and previous.fingerprint == fingerprint:
            return _Read(version, fingerprint, previous.frame)
        store_file = None
        if self.engine.dialect.name == "sqlite":  # a columnar copy beside the store file
            store_file = columnar.store_file_of(self.engine.url.database)
        found = None if store_file is None else columnar.find(store_file, fingerprint)
        if found is not None:
            return _Read(version, fingerprint, found)
        base = None
        if previous is not None and fingerprint.extends(previous.fingerprint):
            base = (previous.fingerprint, previous.frame)
        elif store_file is not None:
            base = columnar.find_prefix(store_file, fingerprint)
        frame = None
        last = fingerprint.last_id  # rows an import adds meanwhile are for the next version
        if base is not None:
            added = self._read_incidents(after=base[0].last_id, upto=last)
            if len(base[1]) + len(added) == fingerprint.rows:  # else not a prefix: read all
                frame = pd.concat([base[1], added], ignore_index=True)
        if frame is None:
            frame = self._read_incidents(upto=last)
        if store_file is not None and len(frame) == fingerprint.rows:
            columnar.write(store_file, fingerprint, frame)
        return _Read(version, fingerprint, frame)

    def _read_incidents(self, *, after: int = 0, upto: int | None = None) -> pd.DataFrame:
        """The incidents with a row id above ``after`` and up to ``upto`` (default: all),
        read row by row and turned into columns by Arrow."""
        i = schema.incidents.c
        query = select(i.source_id, i.phenomenon, i.occurred, i.x, i.y, i.date_to)
        query = (
            query.where(i.id > after) if upto is None else query.where(i.id > after, i.id <= upto)
        )
        rows = self._plain_rows(query.order_by(i.id))
        cols = list(zip(*rows, strict=True)) if rows else [()] * 6
        return pd.DataFrame(
            {
                "source_id": _text(cols[0]),
                "phenomenon": _text(cols[1]),
                "occurred": _stamps(cols[2]),
                "x": np.asarray(cols[3], dtype=float),
                "y": np.asarray(cols[4], dtype=float),
                "date_to": _stamps(cols[5]),
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
        ``x`` and ``y`` (EPSG:31370), optionally ``date_to`` (datetime64, NaT = none). New
        phenomenon codes are added with their code as label.
        """
        occurred = _iso_seconds(frame["occurred"])
        ends = frame["date_to"] if "date_to" in frame else pd.Series(pd.NaT, index=frame.index)
        columns = {
            "source_id": frame["source_id"].astype(str).to_numpy(),
            "phenomenon": frame["phenomenon"].astype(str).to_numpy(),
            "occurred": occurred,
            "x": frame["x"].to_numpy(dtype=float),
            "y": frame["y"].to_numpy(dtype=float),
            "date_to": _iso_seconds(ends),
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


def _text(values: Sequence[str | None]) -> pd.arrays.ArrowStringArray:
    """Stored text as a ``string`` column (Arrow builds it from the values in one pass)."""
    return pd.array(pa.array(values, type=pa.string()), dtype=pd.StringDtype())


def _stamps(values: Sequence[str | None]) -> np.ndarray:
    """Stored 'YYYY-MM-DDTHH:MM:SS' (or NULL) as ``datetime64[s]`` (NaT), parsed by Arrow."""
    stamps = pa.array(values, type=pa.string()).cast(pa.timestamp("s"))
    return stamps.to_numpy(zero_copy_only=False).astype("datetime64[s]")


def _iso_seconds(values: pd.Series) -> np.ndarray:
    """datetime64 → 'YYYY-MM-DDTHH:MM:SS' strings (``None`` for NaT), without a Python loop.

    Arrow writes a timestamp as 'YYYY-MM-DD HH:MM:SS' five times faster than numpy's
    ``datetime_as_string``; the space becomes the ISO 'T'.
    """
    arr = pd.to_datetime(values).to_numpy(dtype="datetime64[s]")
    if np.isnat(arr).all():
        return np.full(len(arr), None, dtype=object)
    text = pa.array(arr).cast(pa.string())
    return pc.replace_substring(text, " ", "T", max_replacements=1).to_numpy(zero_copy_only=False)
