"""The embedded default backend: one SQLite file, no set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event

from mmm.store.base import Store


class SQLiteStore(Store):
    """A store in a SQLite file (created with its folder on first use)."""

    @classmethod
    def open(cls, url: str) -> SQLiteStore:
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _pragmas)
        return cls(engine, url)


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and use WAL so readers do not block the importer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
