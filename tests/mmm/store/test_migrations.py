"""Schema revisions: the chain from 0001 builds exactly schema.py, old stores upgrade losing nothing.

The legacy fixture in ``tests/mmm/data/`` is a SQLite store written by landed code from before
Alembic (commit 1d89ffc's own code, whose store schema is the one every earlier landing had;
dumped with sqlite3's ``iterdump``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect, select, text

from mmm.access.users import authenticate
from mmm.cli.group import cli
from mmm.counting.count import aggregate
from mmm.errors import StoreError
from mmm.store import migrate, migration_engine, open_store, schema

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "legacy_store_1d89ffc.sql"


def _differences(conn: Connection) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match schema.py."""

    def ours(obj: Any, name: str | None, kind: str, reflected: bool, _other: Any) -> bool:
        if kind == "table" and reflected:
            return name in schema.metadata.tables  # not PostGIS's spatial_ref_sys
        ddl_if = getattr(obj, "_ddl_if", None)  # the GiST indexes exist on PostGIS only
        return ddl_if is None or ddl_if.dialect in (None, conn.dialect.name)

    context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": ours})
    return list(compare_metadata(context, schema.metadata))


def _rows(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the columns of that time hold them (sorted)."""
    found = MetaData()
    found.reflect(conn)
    out = {}
    for name, table in found.tables.items():
        if name not in schema.metadata.tables:  # alembic_version, PostGIS's spatial_ref_sys
            continue
        cols = [c for c in table.columns if c.name != "geom"]
        out[name] = sorted(tuple(r) for r in conn.execute(select(*cols)).all())
    return out


def test_upgrade_from_nothing_to_head_builds_exactly_schema_py(store_url_for, backend):
    url = store_url_for(backend)
    engine = migration_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), "head")
            assert migrate.current(conn) == migrate.head()
            assert _differences(conn) == []
    finally:
        engine.dispose()


def test_a_new_store_is_created_by_create_all_and_matches_too(store):
    with store.engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        assert _differences(conn) == []


def test_every_revision_downgrades_and_upgrades_again_with_data(store_url_for, backend, tmp_path):
    url = store_url_for(backend)
    engine = migration_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), "0001")
            _insert_0001_rows(conn)
            before = _rows(conn)
            command.upgrade(migrate.alembic_config(conn), "head")
            command.downgrade(migrate.alembic_config(conn), "0001")
            assert _rows(conn) == before
            command.upgrade(migrate.alembic_config(conn), "head")
            assert _differences(conn) == []
            after = _rows(conn)
        for table, rows in before.items():  # new columns only add values at the end
            width = len(rows[0]) if rows else 0
            assert [r[:width] for r in after[table]] == rows, table
    finally:
        engine.dispose()
    store = open_store(url)
    assert store.perimeters().geometry.area.round().tolist() == [1_000_000.0]
    assert store.phenomenon_weights() == {"drugs": 1.0}


def _insert_0001_rows(conn: Connection) -> None:
    """A few rows in every 0001 table, written with the table shapes of that revision."""
    found = MetaData()
    found.reflect(conn)
    t = found.tables
    conn.execute(t["schema_version"].insert(), {"version": 1, "applied_at": "2024-05-01T10:00:00"})
    batch = {"kind": "zone", "source": "z.gpkg", "actor": "cli:a", "started_at": "2024-05-01"}
    conn.execute(
        t["import_batches"].insert(),
        {**batch, "id": 1, "rows_read": 1, "rows_imported": 1, "rows_rejected": 0},
    )
    conn.execute(schema.zone.insert(), {"id": 1, "name": "PZ", "geom": _square(), "batch_id": 1})
    conn.execute(t["phenomena"].insert(), {"code": "drugs", "label": "Drugs"})
    conn.execute(
        schema.perimeters.insert().values(
            id=1,
            name="Markt",
            description="",
            status="active",
            version=1,
            geom=_square(),
            batch_id=1,
        )  # fmt: skip
    )
    conn.execute(
        t["incidents"].insert(),
        [
            {
                "id": i,
                "source_id": f"PV-{i}",
                "phenomenon": "drugs",
                "x": 500.0 + i,
                "y": 500.0,
                "occurred": None if i == 3 else f"2024-0{i}-01T00:00:00",
                "batch_id": 1,
            }
            for i in range(1, 6)
        ],  # fmt: skip
    )
    conn.execute(t["labels"].insert(), {"kind": "phenomenon", "key": "drugs", "language": "fr",
                                        "label": "Drogues"})  # fmt: skip
    conn.execute(t["partner_types"].insert(), {"code": "school"})
    conn.execute(
        t["partners"].insert(),
        {"id": 1, "name": "School", "type": "school", "contact": "", "active": 1},
    )
    conn.execute(
        t["assignments"].insert(),
        {
            "id": 1,
            "partner_id": 1,
            "perimeter_id": 1,
            "phenomenon": "drugs",
            "responsibility": "lead",
            "description": "",
        },  # fmt: skip
    )
    conn.execute(
        t["users"].insert(),
        {
            "id": 1,
            "name": "anna",
            "password_hash": "scrypt:x",
            "role": "analyst",
            "partner": None,
            "language": "nl",
            "active": 1,
            "created_at": "2024-05-01",
        },  # fmt: skip
    )
    conn.execute(
        t["audit_events"].insert(),
        {
            "id": 1,
            "at": "2024-05-01",
            "actor": "cli:a",
            "action": "import",
            "entity": "zone",
            "entity_id": "1",
            "detail": "{}",
        },  # fmt: skip
    )


def _square() -> bytes:
    import shapely

    return shapely.to_wkb(shapely.box(0, 0, 1000, 1000))


def test_a_store_from_before_revisions_upgrades_and_loses_nothing(tmp_path, runner):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(LEGACY.read_text())
    url = f"sqlite:///{path}"
    with sqlite3.connect(path) as raw:
        old = {
            name: sorted(raw.execute(f"SELECT * FROM {name}").fetchall())
            for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }

    with pytest.raises(StoreError, match=r"before schema revisions\): run `mmm db upgrade`"):
        open_store(url)
    refused = runner.invoke(cli, ["--store", url, "status"])
    assert refused.exit_code == 1 and "mmm db upgrade" in refused.output
    assert len(refused.output.strip().splitlines()) == 1

    done = runner.invoke(cli, ["db", "upgrade", "--store", url])
    assert done.exit_code == 0, done.output
    assert "Recorded schema revision 0001" in done.output
    assert f"from schema revision 0001 to {migrate.head()}" in done.output

    with sqlite3.connect(path) as raw:  # every old row is still there, column for column
        for name, rows in old.items():
            width = len(rows[0]) if rows else 0
            now = sorted(r[:width] for r in raw.execute(f"SELECT * FROM {name}").fetchall())
            assert now == rows, name
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    store = open_store(url)
    with store.engine.connect() as conn:
        assert _differences(conn) == []
    assert store.totals()["incidents"] == 40
    assert set(store.phenomenon_weights().values()) == {1.0}
    assert authenticate(store, "anna", "correct horse battery").language == "fr"
    assert len(store.perimeters()) == 3 and store.stored_zone() is not None
    counts = aggregate(store, period="all")
    assert counts["count"].sum() == _covered_by_hand(store)
    again = runner.invoke(cli, ["db", "upgrade", "--store", url])
    assert "already at schema revision" in again.output


def _covered_by_hand(store) -> int:
    """Incidents covered by each perimeter, summed, counted with shapely one by one."""
    import shapely

    incidents = store.incidents()
    points = shapely.points(incidents["x"], incidents["y"])
    return sum(int(shapely.covers(g, points).sum()) for g in store.perimeters().geometry)


def test_a_store_behind_head_is_refused_until_upgraded(store_url_for, backend, runner):
    url = store_url_for(backend)
    open_store(url).close()
    engine = migration_engine(url)
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0002")
    engine.dispose()
    with pytest.raises(StoreError, match=r"revision 0002, this MMM Planner needs .*mmm db upgrade"):
        open_store(url)
    served = runner.invoke(cli, ["--store", url, "serve", "--port", "1"])
    assert served.exit_code == 1 and "mmm db upgrade" in served.output
    done = runner.invoke(cli, ["db", "upgrade", "--store", url])
    assert done.exit_code == 0 and f"to {migrate.head()}" in done.output
    open_store(url).close()


def test_a_store_from_a_newer_version_is_refused(store_url_for, backend, runner):
    url = store_url_for(backend)
    store = open_store(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="9999, which this MMM Planner does not know"):
        open_store(url)
    result = runner.invoke(cli, ["db", "upgrade", "--store", url])
    assert result.exit_code == 1 and "use a newer MMM Planner" in result.output


def test_db_upgrade_creates_a_new_store(tmp_path, runner):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    result = runner.invoke(cli, ["db", "upgrade", "--store", url])
    assert result.exit_code == 0 and f"at schema revision {migrate.head()}" in result.output
    assert inspect(open_store(url).engine).has_table("incidents")
