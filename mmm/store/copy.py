"""Copy a whole store to another one (``mmm db copy``), e.g. a zone's SQLite file to PostGIS.

Every table is copied in foreign-key order inside one transaction on the target: an error
half-way leaves the target as empty as it was. The target must be empty (a new SQLite file, or
a PostgreSQL database without MMM tables or with empty ones), so a copy never merges two zones.
Each table is verified before the commit: the same number of rows and the same checksum on
both sides. The checksum is order-independent (rows are hashed one by one and the hashes added
up), since SQLite and a PostgreSQL server may sort text keys differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from mmm.errors import StoreError
from mmm.store import Store, backend_of, migrate, open_store, schema
from mmm.store.urls import safe_url

#: ``progress(table, done, total)`` while a table's rows are written.
CopyProgress = Callable[[str, int, int], None]

CHUNK = 50_000
_MODULUS = 1 << 128


@dataclass(frozen=True)
class TableCopy:
    """One copied table: its rows and its checksum (the same on both sides)."""

    table: str
    rows: int
    checksum: str


def copy_store(
    source_url: str, target_url: str, *, progress: CopyProgress | None = None
) -> list[TableCopy]:
    """Copy every table of the store at ``source_url`` into the empty store at ``target_url``.

    Raises
    ------
    StoreError
        When the source does not exist, either store is not at the newest schema revision,
        the target is not empty, or a table's rows or checksum differ after the copy (then the
        target is left as it was).
    """
    if backend_of(source_url) == "sqlite" and not _sqlite_exists(source_url):
        raise StoreError(f"the source store {source_url} does not exist")
    source = open_store(source_url)
    try:
        target = open_store(target_url)
        try:
            return _copy(source, target, progress)
        finally:
            target.close()
    finally:
        source.close()


def _copy(source: Store, target: Store, progress: CopyProgress | None) -> list[TableCopy]:
    tables = list(schema.metadata.sorted_tables)
    done: list[TableCopy] = []
    with source.engine.connect() as src, target.engine.begin() as dst:
        if src.dialect.name == "postgresql":  # one consistent snapshot of the whole source
            src.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        migrate.lock(dst)
        _refuse_non_empty(dst, tables, safe_url(target.url))
        for table in tables:
            total = int(src.execute(select(func.count()).select_from(table)).scalar() or 0)
            written = 0
            for rows in _chunks(src, table):
                _write(target, dst, table, rows)
                written += len(rows)
                if progress is not None:
                    progress(table.name, written, total)
            _reset_sequence(dst, table)
            done.append(_verify(src, dst, table))
    return done


def _chunks(conn: Connection, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    result = conn.execute(select(table).execution_options(yield_per=CHUNK))
    for part in result.partitions():
        yield [tuple(row) for row in part]


def _write(target: Store, conn: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
    """The incidents take the backend's bulk path (COPY on PostGIS); other tables plain INSERTs."""
    names = [c.name for c in table.columns]
    if table is schema.incidents:
        target._insert_rows(conn, table, names, rows)
    else:
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])


def _reset_sequence(conn: Connection, table: Table) -> None:
    """PostgreSQL: the next generated id follows the copied ones (SQLite does that itself)."""
    if conn.dialect.name != "postgresql":
        return
    key = table.autoincrement_column
    if key is None:
        return
    conn.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "
            f"COALESCE(MAX({key.name}), 0) + 1, false) FROM {table.name}"
        ),
        {"table": table.name, "column": key.name},
    )


def _verify(src: Connection, dst: Connection, table: Table) -> TableCopy:
    rows_a, sum_a = table_checksum(src, table)
    rows_b, sum_b = table_checksum(dst, table)
    if (rows_a, sum_a) != (rows_b, sum_b):
        raise StoreError(
            f"table {table.name} differs after the copy (source {rows_a:,} rows, checksum "
            f"{sum_a}; target {rows_b:,} rows, checksum {sum_b}); nothing was copied"
        )
    return TableCopy(table.name, rows_a, sum_a)


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Rows and an order-independent checksum of a table's values as the store reads them."""
    count, total = 0, 0
    for rows in _chunks(conn, table):
        for row in rows:
            digest = hashlib.blake2b(repr(row).encode(), digest_size=16).digest()
            total = (total + int.from_bytes(digest, "big")) % _MODULUS
        count += len(rows)
    return count, f"{total:032x}"


def _refuse_non_empty(conn: Connection, tables: list[Table], url: str) -> None:
    filled = {}
    for table in tables:
        n = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
        if n:
            filled[table.name] = n
    if filled:
        listed = ", ".join(f"{name} {n:,}" for name, n in filled.items())
        raise StoreError(
            f"the target store {url} is not empty ({listed} rows): copy into a new SQLite file "
            f"or an empty PostgreSQL database"
        )


def _sqlite_exists(url: str) -> bool:
    path = url.removeprefix("sqlite:///")
    return path == ":memory:" or Path(path).is_file()
