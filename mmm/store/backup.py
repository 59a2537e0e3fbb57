"""Back a store up while the app runs, and restore a backup into an empty store.

``mmm db backup FILE`` writes one file: for SQLite a copy made with SQLite's online backup API
(pages copied while readers and writers carry on; the copy is one consistent moment), for
PostGIS a ``pg_dump`` archive (custom format) of one snapshot. Beside it, ``FILE.checksums.json``
holds the schema revision and the rows and checksum of every table *as the backup holds them*,
computed as ``mmm db copy`` computes them (:func:`mmm.store.copy.table_checksum`); for PostGIS
they are read inside the very snapshot ``pg_dump`` saves.

``mmm db restore FILE`` fills an empty store (SQLite or PostGIS) from a SQLite backup through
``mmm db copy``, or an empty PostGIS database from a ``pg_dump`` archive through
``pg_restore`` (data only, into the tables of this version's schema), and then compares every
table with the checksums file: a restore that differs is undone and refused.

A password in a PostgreSQL URL is handed to ``pg_dump``/``pg_restore`` in their environment,
never on their command line (which every user of the machine can read).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, make_url, select, text

from mmm.errors import StoreError
from mmm.store import backend_of, migrate, open_store, schema
from mmm.store.base import now_iso
from mmm.store.copy import TableCopy, copy_store, table_checksum
from mmm.store.urls import safe_url

#: The format written in a checksums file (raise it when its meaning changes).
FORMAT = 1
#: ``progress(done, total)`` while pages (SQLite) are copied.
PagesProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Backup:
    """What a backup holds: its backend, schema revision, moment, and every table's checksum."""

    backend: str
    revision: str
    taken_at: str
    tables: list[TableCopy]

    def to_json(self) -> str:
        """The checksums file's contents."""
        body = {"format": FORMAT, **asdict(self)}
        return json.dumps(body, indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, path: Path) -> Backup:
        """The checksums file of a backup.

        Raises
        ------
        StoreError
            For a missing or unreadable file, or one of another format.
        """
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            if body.get("format") != FORMAT:
                raise ValueError(f"format {body.get('format')!r}, expected {FORMAT}")
            tables = [
                TableCopy(t["table"], int(t["rows"]), str(t["checksum"])) for t in body["tables"]
            ]
            return cls(str(body["backend"]), str(body["revision"]), str(body["taken_at"]), tables)
        except FileNotFoundError:
            raise StoreError(
                f"{path.name} is missing: a backup is restored only with the checksums file "
                "written beside it, which proves the restore complete"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{path.name} is not a checksums file of a backup: {exc}") from None


def checksums_path(file: Path) -> Path:
    """Where the checksums of the backup ``file`` are kept: ``FILE.checksums.json``."""
    return file.with_name(f"{file.name}.checksums.json")


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL."""
    return Path(url.removeprefix("sqlite:///"))


def store_url(target: str) -> str:
    """A store URL from what a person types: a URL as it is, a file path as ``sqlite:///``."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def filled_tables(conn: Connection) -> dict[str, int]:
    """The store's tables that hold rows, with their row counts (empty: an empty store)."""
    filled = {}
    for table in schema.metadata.sorted_tables:
        n = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
        if n:
            filled[table.name] = n
    return filled


def refuse_filled(conn: Connection, url: str, what: str) -> None:
    """Refuse a store that holds anything: ``what`` is done only into an empty one.

    Raises
    ------
    StoreError
        Naming the tables that hold rows.
    """
    filled = filled_tables(conn)
    if filled:
        listed = ", ".join(f"{name} {n:,}" for name, n in filled.items())
        raise StoreError(
            f"the store {url} is not empty ({listed} rows): {what} only into a new SQLite file "
            "or an empty PostgreSQL database"
        )


# -- backup ------------------------------------------------------------------------------------
def backup_store(url: str, file: Path, *, progress: PagesProgress | None = None) -> Backup:
    """Back the store at ``url`` up into ``file`` (and ``FILE.checksums.json`` beside it).

    Both files are written under temporary names and renamed when complete: a backup that
    fails half-way leaves no file that looks like a backup.

    Raises
    ------
    StoreError
        When ``file`` (or its checksums file) exists already, the store does not exist, is not
        at this version's schema revision, or ``pg_dump`` fails.
    """
    for path in (file, checksums_path(file)):
        if path.exists():
            raise StoreError(f"{path} exists already: a backup never overwrites a file")
    if backend_of(url) == "sqlite" and not sqlite_path(url).is_file():
        raise StoreError(f"the store {url} does not exist")
    open_store(url).close()  # reachable and at the newest revision
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.partial")
    try:
        if backend_of(url) == "sqlite":
            taken = _backup_sqlite(sqlite_path(url), partial, progress)
        else:
            taken = _backup_postgis(url, partial)
        checksums_path(partial).write_text(taken.to_json(), encoding="utf-8")
        partial.replace(file)
        checksums_path(partial).replace(checksums_path(file))
    finally:
        partial.unlink(missing_ok=True)
        checksums_path(partial).unlink(missing_ok=True)
    return taken


def _backup_sqlite(source: Path, target: Path, progress: PagesProgress | None) -> Backup:
    """SQLite's online backup: 1,024 pages at a time, writers are not held up in between."""
    taken_at = now_iso()
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True)
    dst = sqlite3.connect(target)
    try:

        def step(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        src.backup(dst, pages=1024, progress=step)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            return _describe(conn, "sqlite", taken_at)
    finally:
        engine.dispose()


def _backup_postgis(url: str, target: Path) -> Backup:
    """``pg_dump`` of an exported snapshot; the checksums are read in the same snapshot."""
    from mmm.store.postgis import postgis_engine

    engine = postgis_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar())
            args = ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            _run_pg("pg_dump", url, [*args, f"--file={target}"])
            taken = _describe(conn, "postgis", now_iso())
            conn.rollback()
    finally:
        engine.dispose()
    return taken


def _describe(conn: Connection, backend: str, taken_at: str) -> Backup:
    revision = migrate.current(conn)
    if revision is None:
        raise StoreError("the store has no schema revision: run mmm db upgrade first")
    tables = []
    for table in schema.metadata.sorted_tables:
        rows, checksum = table_checksum(conn, table)
        tables.append(TableCopy(table.name, rows, checksum))
    return Backup(backend, revision, taken_at, tables)


# -- restore -----------------------------------------------------------------------------------
def restore_store(file: Path, url: str) -> tuple[Backup, list[TableCopy]]:
    """Fill the empty store at ``url`` from the backup ``file``; verify every table.

    Returns
    -------
    tuple
        The backup's description (its checksums file) and the tables as restored.

    Raises
    ------
    StoreError
        For a missing file or checksums file, a backup of another schema revision, a target
        that is not empty, a PostGIS archive restored into SQLite, a failing ``pg_restore``, or
        a table that differs from the checksums (then the target is emptied again).
    """
    if not file.is_file():
        raise StoreError(f"{file}: no such backup file")
    taken = Backup.read(checksums_path(file))
    newest = migrate.head()
    if taken.revision != newest:
        raise StoreError(
            f"{file.name} is a backup at schema revision {taken.revision}; this MMM Planner "
            f"restores revision {newest}: restore it with the version that made it, then run "
            "mmm db upgrade"
        )
    if taken.backend == "sqlite":
        restored = _restore_sqlite(file, url)
    elif backend_of(url) == "postgis":
        restored = _restore_postgis(file, url)
    else:
        raise StoreError(
            f"{file.name} is a PostGIS backup: restore it into a PostgreSQL database, then "
            "move it elsewhere with mmm db copy"
        )
    _compare(taken, restored, url)
    return taken, restored


def _restore_sqlite(file: Path, url: str) -> list[TableCopy]:
    """Through ``mmm db copy`` from a scratch copy (the backup file itself is never opened)."""
    with tempfile.TemporaryDirectory(prefix="mmm-restore-") as scratch:
        work = Path(scratch) / file.name
        shutil.copyfile(file, work)
        return copy_store(f"sqlite:///{work}", url)


def _restore_postgis(file: Path, url: str) -> list[TableCopy]:
    store = open_store(url)  # the tables of this version, in a new or empty database
    try:
        with store.engine.connect() as conn:
            refuse_filled(conn, safe_url(url), "a backup is restored")
        with _restore_list(file) as listing:
            _run_pg(
                "pg_restore",
                url,
                ["--data-only", "--single-transaction", "--exit-on-error", "--no-owner"]
                + [f"--use-list={listing}", str(file)],
            )
        with store.engine.connect() as conn:
            return [
                TableCopy(t.name, *table_checksum(conn, t)) for t in schema.metadata.sorted_tables
            ]
    finally:
        store.close()


@contextmanager
def _restore_list(file: Path) -> Iterator[Path]:
    """``pg_restore``'s list of what to restore: the store's tables' rows in foreign-key order
    (parents first), then their sequences; not the schema, nor PostGIS's or Alembic's rows."""
    toc = _run_pg("pg_restore", None, ["--list", str(file)])
    data: dict[str, str] = {}
    sequences = []
    for line in toc.splitlines():
        if line.startswith(";") or not line.strip():
            continue
        kind, name = _toc_entry(line)
        if kind == "TABLE DATA" and name in schema.metadata.tables:
            data[name] = line
        elif kind == "SEQUENCE SET":
            sequences.append(line)
    ordered = [data[t.name] for t in schema.metadata.sorted_tables if t.name in data]
    with tempfile.TemporaryDirectory(prefix="mmm-restore-") as scratch:
        listing = Path(scratch) / "restore.list"
        listing.write_text("\n".join([*ordered, *sequences]) + "\n", encoding="utf-8")
        yield listing


def _toc_entry(line: str) -> tuple[str, str]:
    """The kind and object name of a line of ``pg_restore --list`` ("…; 0 16427 TABLE DATA
    public incidents owner")."""
    for kind in ("TABLE DATA", "SEQUENCE SET"):
        _, found, rest = line.partition(f" {kind} ")
        if found:
            words = rest.split()
            return kind, words[1] if len(words) > 1 else ""
    return "", ""


def _compare(taken: Backup, restored: list[TableCopy], url: str) -> None:
    expected = {t.table: t for t in taken.tables}
    differ = [t.table for t in restored if expected.get(t.table) != t]
    if differ:
        _empty(url)
        raise StoreError(
            f"the restored tables {', '.join(differ)} differ from the backup's checksums: the "
            "backup file is damaged or was changed; the target store was emptied again"
        )


def _empty(url: str) -> None:
    store = open_store(url)
    try:
        with store.engine.begin() as conn:
            for table in reversed(schema.metadata.sorted_tables):
                conn.execute(table.delete())
    finally:
        store.close()


# -- pg_dump and pg_restore --------------------------------------------------------------------
def _run_pg(program: str, url: str | None, args: list[str]) -> str:
    """Run ``pg_dump``/``pg_restore`` on ``url`` (the password in the environment only).

    Raises
    ------
    StoreError
        When the program is not installed or fails (its first error line is named).
    """
    path = shutil.which(program)
    if path is None:
        raise StoreError(
            f"{program} is not installed: PostGIS backups need the PostgreSQL client "
            "(apt-get install postgresql-client)"
        )
    env = dict(os.environ)
    command = [path]
    if url is not None:
        parsed = make_url(url)
        if parsed.password:
            env["PGPASSWORD"] = parsed.password
        plain = parsed.set(drivername="postgresql", password=None)
        command.append(f"--dbname={plain.render_as_string(hide_password=False)}")
    command += args
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.strip()]
        raise StoreError(f"{program} failed: {errors[0] if errors else done.returncode}")
    return done.stdout
