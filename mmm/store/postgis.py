"""The server backend: PostgreSQL with PostGIS, for several users or several zones.

The tables are those of :mod:`mmm.store.schema`; geometries are ``geometry(GEOMETRY, 31370)``
with GiST indexes. Only the dialect differs from SQLite: the psycopg 3 driver, ``COPY`` for the
bulk insert of incidents, and counting that can run in the database (:meth:`count_covered`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import psycopg
from sqlalchemy import Connection, Engine, Table, create_engine, text

from mmm.errors import StoreError
from mmm.store.schema import SRID
from mmm.store.store import Store
from mmm.store.urls import safe_url

#: URL schemes a user may give for this backend; all of them use the psycopg 3 driver.
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


class PostGISStore(Store):
    """A store in a PostgreSQL database that has (or may create) the ``postgis`` extension."""

    _param = "%s"

    @classmethod
    def open(cls, url: str) -> PostGISStore:
        engine = postgis_engine(url)
        _ensure_postgis(engine, url)
        return cls(engine, url)

    def _insert_rows(
        self, conn: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """``COPY … FROM STDIN`` on the open transaction: several times faster than INSERTs."""
        raw = conn.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def _lock_imports(self, conn: Connection) -> None:
        """A transaction-scoped advisory lock: concurrent imports wait for each other."""
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})

    def count_covered(
        self, *, period: str = "month", start: date | None = None, end: date | None = None
    ) -> pd.DataFrame:
        """Counts per perimeter × phenomenon × period computed by PostGIS (``ST_Covers``).

        The same rules as :func:`mmm.counting.count.count_incidents`: a perimeter covers an incident
        on its boundary; ``start``/``end`` are inclusive days and leave undated incidents out;
        undated incidents count only with ``period="all"``. Only non-zero rows are returned,
        with the columns ``perimeter``, ``phenomenon``, ``period`` and ``count``.
        """
        label = _PERIOD_SQL.get(period)
        if label is None:
            raise ValueError(f"unknown period {period!r}: choose one of {', '.join(_PERIOD_SQL)}")
        where = ["TRUE"] if period == "all" else ["i.occurred IS NOT NULL"]
        params: dict[str, str] = {}
        if start is not None:
            where.append("i.occurred >= :start")
            params["start"] = start.isoformat()
        if end is not None:
            where.append("i.occurred < :stop")  # ISO strings sort as the dates they spell
            params["stop"] = (end + timedelta(days=1)).isoformat()
        sql = f"""
            SELECT p.name AS perimeter, i.phenomenon, {label} AS period, count(*) AS count
            FROM incidents AS i
            JOIN perimeters AS p ON ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(i.x, i.y), {SRID}))
            WHERE {" AND ".join(where)}
            GROUP BY 1, 2, 3
        """
        with self.engine.begin() as conn:
            # JIT compiling costs about a second here and gains nothing (the time goes to the
            # index probes); a larger sort memory keeps the GROUP BY off the disk.
            conn.exec_driver_sql("SET LOCAL jit = off")
            conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
            rows = conn.execute(text(sql), params).all()
        frame = pd.DataFrame(rows, columns=["perimeter", "phenomenon", "period", "count"])
        frame["count"] = frame["count"].astype("int64")
        return frame


#: The advisory lock key that serialises imports (any number no other lock of the store uses).
_IMPORT_LOCK = 0x4D4D4D01

#: SQL for the period label of ``occurred`` (ISO text 'YYYY-MM-DDTHH:MM:SS').
_PERIOD_SQL = {
    "month": "substr(i.occurred, 1, 7)",
    "quarter": "substr(i.occurred, 1, 4) || '-Q' || ((CAST(substr(i.occurred, 6, 2) AS int) + 2) / 3)",
    "year": "substr(i.occurred, 1, 4)",
    "all": "'all'",
}


def psycopg_url(url: str) -> str:
    """``postgresql://…`` (or ``postgres://…``) with SQLAlchemy's psycopg 3 driver named."""
    scheme, sep, rest = url.partition("://")
    if scheme.lower() not in SCHEMES or not sep:
        raise StoreError(f"not a PostgreSQL URL: {safe_url(url)}")
    return f"postgresql+psycopg://{rest}"


def postgis_engine(url: str) -> Engine:
    """The engine a store uses (a small pool; connections checked before use)."""
    return create_engine(psycopg_url(url), pool_pre_ping=True)


def migration_engine(url: str) -> Engine:
    """The engine for ``mmm db upgrade``: PostgreSQL's DDL is transactional already."""
    engine = postgis_engine(url)
    _ensure_postgis(engine, url)
    return engine


def _ensure_postgis(engine: Engine, url: str) -> None:
    """Check the server answers and has PostGIS, creating the extension when allowed.

    Raises
    ------
    StoreError
        For a server that cannot be reached, or a database without PostGIS that this user may
        not add it to.
    """
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"))
            if found.first() is not None:
                return
    except Exception as exc:  # psycopg.OperationalError and friends: unreachable, refused
        raise StoreError(
            f"cannot connect to the store {safe_url(url)}: {_first_line(exc)}"
        ) from None
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except Exception as exc:
        raise StoreError(
            f"the database {safe_url(url)} has no PostGIS and this user may not add it "
            f"({_first_line(exc)}): ask its administrator to run CREATE EXTENSION postgis"
        ) from None


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
