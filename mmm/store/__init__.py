"""Stores: ``open_store(url)`` picks the backend by the URL's scheme."""

from __future__ import annotations

from mmm.errors import StoreError
from mmm.store.base import BatchInfo, Progress, Store, Zone

__all__ = ["BatchInfo", "Progress", "Store", "Zone", "open_store"]


def open_store(url: str) -> Store:
    """Open (and create on first use) the store at ``url``.

    Parameters
    ----------
    url
        ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or ``sqlite:///:memory:``.

    Raises
    ------
    StoreError
        For a URL whose scheme no backend handles, or a store that cannot be opened.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        from mmm.store.sqlite import SQLiteStore

        try:
            return SQLiteStore.open(url)
        except Exception as exc:  # sqlite3 / SQLAlchemy errors: unreadable file, not a database
            raise StoreError(f"cannot open the store {url}: {exc}") from None
    raise StoreError(f"unsupported store URL {url!r}: use sqlite:///path/to/file.db")
