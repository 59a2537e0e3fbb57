"""Schema revisions (Alembic): create a new store at the newest one, upgrade an older one.

Every store carries the Alembic revision it is at (table ``alembic_version``). Opening a store
checks it: a new store is created from :mod:`mmm.store.schema` and stamped with the newest
revision; a store behind it is refused with a message naming ``mmm db upgrade``, which runs the
revision files in ``migrations/versions/`` inside one transaction (all of them or none).

Stores made before Alembic came in have a ``schema_version`` table (version 1) and no revision:
``mmm db upgrade`` first records which revision their tables match, then upgrades them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from mmm.errors import StoreError
from mmm.store import schema

SCRIPTS = Path(__file__).with_name("migrations")
#: The revision of the schema every store from before Alembic has (``schema_version`` 1).
FIRST = "0001"
#: A key for PostgreSQL's advisory lock: two processes never create or upgrade a store at once.
_LOCK_KEY = 0x4D4D4D  # "MMM"


@dataclass(frozen=True)
class Upgrade:
    """What ``mmm db upgrade`` did: the revision before (``None``: a new store) and after."""

    before: str | None
    after: str
    adopted: bool  # a store from before Alembic, whose revision was recorded first


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for running revisions on ``connection`` (no ``alembic.ini``)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision this version of MMM Planner knows.

    Raises
    ------
    StoreError
        When the revision files do not form one chain (a missing or duplicated revision).
    """
    try:
        heads = _scripts().get_heads()
    except CommandError as exc:
        raise StoreError(
            f"the schema revisions in {SCRIPTS / 'versions'} are broken: {exc}"
        ) from None
    if len(heads) != 1:
        raise StoreError(
            f"the schema revisions in {SCRIPTS / 'versions'} have {len(heads)} heads "
            f"({', '.join(sorted(heads))}); each revision must follow exactly one other"
        )
    return str(heads[0])


def current(conn: Connection) -> str | None:
    """The revision the store on ``conn`` is at (``None``: none recorded)."""
    return MigrationContext.configure(conn).get_current_revision()


def lock(conn: Connection) -> None:
    """Hold the schema lock until ``conn``'s transaction ends (PostgreSQL; SQLite locks the file)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def prepare(conn: Connection, url: str) -> None:
    """Create a new store at the newest revision, or check that an existing one is at it.

    Runs inside the caller's transaction.

    Raises
    ------
    StoreError
        For a store behind the newest revision, from before Alembic, or at a revision this
        version does not know; the message says what to run.
    """
    lock(conn)
    newest = head()
    found = current(conn)
    if found == newest:
        return
    if found is None and not _has_store_tables(conn):
        schema.metadata.create_all(conn)
        MigrationContext.configure(conn).stamp(_scripts(), newest)
        return
    if found is None:
        raise StoreError(
            f"the store {url} was made by an older MMM Planner (before schema revisions): "
            f"run `mmm db upgrade` once (back it up first)"
        )
    if _is_known(found):
        raise StoreError(
            f"the store {url} is at schema revision {found}, this MMM Planner needs {newest}: "
            f"run `mmm db upgrade` (back it up first)"
        )
    raise StoreError(
        f"the store {url} is at schema revision {found}, which this MMM Planner does not know "
        f"(its newest is {newest}): use a newer MMM Planner"
    )


def upgrade(engine: Engine, url: str) -> Upgrade:
    """Bring the store to the newest revision in one transaction (a new store is created).

    ``engine`` must make DDL transactional (see ``migration_engine`` of each backend).

    Raises
    ------
    StoreError
        For a store at a revision this version does not know, or a migration that fails (then
        nothing is changed).
    """
    newest = head()
    with engine.begin() as conn:
        lock(conn)
        before = current(conn)
        if before is None and not _has_store_tables(conn):
            schema.metadata.create_all(conn)
            MigrationContext.configure(conn).stamp(_scripts(), newest)
            return Upgrade(None, newest, adopted=False)
        if before is not None and not _is_known(before):
            raise StoreError(
                f"the store {url} is at schema revision {before}, which this MMM Planner does "
                f"not know (its newest is {newest}): use a newer MMM Planner"
            )
        adopted = before is None
        if adopted:  # schema_version 1: the schema of revision 0001
            before = FIRST
            MigrationContext.configure(conn).stamp(_scripts(), before)
        command.upgrade(alembic_config(conn), "head")
        _check_foreign_keys(conn)
        after = current(conn)
    assert after is not None
    return Upgrade(before, after, adopted=adopted)


def _has_store_tables(conn: Connection) -> bool:
    return bool(set(inspect(conn).get_table_names()) & set(schema.metadata.tables))


def _is_known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def _check_foreign_keys(conn: Connection) -> None:
    """SQLite upgrades run with foreign keys off (tables are copied): check them at the end."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise StoreError(
            f"the upgrade would leave {len(broken)} rows pointing at missing rows "
            f"(tables {', '.join(tables)}); nothing was changed"
        )
