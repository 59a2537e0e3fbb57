"""The embedded default backend: one SQLite file, no set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from mmm.store.store import Store


class SQLiteStore(Store):
    """A store in a SQLite file (created with its folder on first use)."""

    @classmethod
    def open(cls, url: str) -> SQLiteStore:
        return cls(sqlite_engine(url), url)


#: Seconds a writer waits for another one (an import, an edit) to commit before giving up.
BUSY_TIMEOUT_S = 60.0


def sqlite_engine(url: str) -> Engine:
    """The engine a store uses: foreign keys enforced, WAL journal; the folder is created.

    Writers queue behind each other (SQLite has one write lock per file): several users'
    imports and edits wait their turn for up to :data:`BUSY_TIMEOUT_S` rather than fail.
    """
    _make_folder(url)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _pragmas)
    return engine


def migration_engine(url: str) -> Engine:
    """An engine for ``mmm db upgrade``: DDL inside real transactions, foreign keys off.

    Python's sqlite3 commits before every DDL statement on its own; with its transaction
    handling switched off and an explicit ``BEGIN IMMEDIATE`` a whole upgrade commits or rolls
    back together. Foreign keys must be off while Alembic copies a table (its DROP would
    otherwise cascade or fail); :func:`mmm.store.migrate.upgrade` checks them at the end.
    """
    _make_folder(url)
    engine = create_engine(url)
    event.listen(engine, "connect", _migration_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _make_folder(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and use WAL so readers do not block the importer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _migration_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we say BEGIN and COMMIT ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
