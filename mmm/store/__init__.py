"""Stores: ``open_store(url)`` picks the backend by the URL's scheme."""

from __future__ import annotations

from sqlalchemy import Engine

from mmm.errors import StoreError
from mmm.store.base import BatchInfo, Progress
from mmm.store.store import Store, Zone
from mmm.store.urls import safe_url

__all__ = ["BatchInfo", "Progress", "Store", "Zone", "backend_of", "migration_engine", "open_store"]

_SUPPORTED = "use sqlite:///path/to/file.db or postgresql://user@host:port/database"


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgis``, from the URL's scheme.

    Raises
    ------
    StoreError
        For a scheme no backend handles.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return "postgis"
    raise StoreError(f"unsupported store URL {safe_url(url)!r}: {_SUPPORTED}")


def open_store(url: str) -> Store:
    """Open (and create on first use) the store at ``url``.

    Parameters
    ----------
    url
        ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, ``sqlite:///:memory:``,
        or ``postgresql://user:password@host:port/database`` (PostgreSQL with PostGIS).

    Raises
    ------
    StoreError
        For a URL whose scheme no backend handles, a store that cannot be opened, or one whose
        schema is behind this version (the message names ``mmm db upgrade``).
    """
    if backend_of(url) == "postgis":
        from mmm.store.postgis import PostGISStore

        return PostGISStore.open(url)
    from mmm.store.sqlite import SQLiteStore

    try:
        return SQLiteStore.open(url)
    except StoreError:
        raise
    except Exception as exc:  # sqlite3 / SQLAlchemy errors: unreadable file, not a database
        raise StoreError(f"cannot open the store {url}: {exc}") from None


def migration_engine(url: str) -> Engine:
    """An engine on which ``mmm db upgrade`` can run a whole upgrade as one transaction."""
    if backend_of(url) == "postgis":
        from mmm.store import postgis

        return postgis.migration_engine(url)
    from mmm.store import sqlite

    return sqlite.migration_engine(url)
