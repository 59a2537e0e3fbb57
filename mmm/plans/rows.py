"""Small helpers every plan module writes rows with: dates, text, versioned updates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select, update

from mmm.errors import MMMError, NotFound, StaleVersion
from mmm.limits import SECTION_CHARS, check_text


def as_date(value: date | str | None, what: str) -> date:
    """A date from a :class:`date` or ``YYYY-MM-DD`` text.

    Raises
    ------
    MMMError
        Naming ``what`` when the value is missing or not a date.
    """
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise MMMError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def check_order(first: date, last: date, what: str) -> None:
    """Refuse a range that ends before it starts."""
    if last < first:
        raise MMMError(f"{what} ends ({last}) before it starts ({first})")


def text(
    value: str | None,
    what: str,
    *,
    required: bool = False,
    limit: int = SECTION_CHARS,
    multiline: bool = True,
) -> str:
    """Stripped text; refused when required and empty, or beyond :mod:`mmm.limits`.

    A ``multiline`` text (a section, a note) may hold tabs and line breaks; a title or a label
    (``multiline=False``) no control character at all.

    Raises
    ------
    MMMError
        When ``required`` and empty.
    TextRefused
        When longer than ``limit`` or holding a control character.
    """
    value = (value or "").strip()
    if required and not value:
        raise MMMError(f"{what} is empty")
    return check_text(value, what, limit=limit, multiline=multiline)


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """``value`` when it is one of ``allowed``, else an error naming them."""
    if value not in allowed:
        raise MMMError(f"unknown {what} {value!r}: choose one of {', '.join(allowed)}")
    return value


def versioned_update(
    conn: Connection, table: Table, row_id: int, version: int, values: dict[str, Any], what: str
) -> int:
    """Update one row only if it is still at ``version``; returns the new version.

    Why: two people editing the same plan in two browsers must not overwrite each other. The
    ``WHERE version = :expected`` makes the check and the write one statement, on every backend.

    Raises
    ------
    NotFound
        When the row does not exist.
    StaleVersion
        When someone else saved it since ``version`` was read (nothing is written).
    """
    result = conn.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == version)
        .values(**values, version=version + 1)
    )
    if result.rowcount == 1:
        return version + 1
    found = conn.execute(select(table.c.version).where(table.c.id == row_id)).scalar()
    if found is None:
        raise NotFound(f"no {what} with id {row_id}")
    raise StaleVersion(
        f"this {what} was changed by someone else since you opened it (version {version}, now "
        f"{found}): reload it, then make your change again"
    )
