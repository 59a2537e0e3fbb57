"""Perimeter versions in the store (both backends): one row per save, optimistic locking, audit."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from alembic import command
from shapely.geometry import box
from sqlalchemy import insert, select

from mmm.crs import WORKING_CRS
from mmm.errors import NotFound
from mmm.store import BatchInfo, migrate, migration_engine, open_store, schema
from mmm.store.perimeter_rows import DuplicateName, PerimeterChanged, PerimeterFields

SQUARE = box(172_000, 174_000, 172_100, 174_100)
BIGGER = box(172_000, 174_000, 172_200, 174_100)
OTHER = box(172_000, 174_000, 172_100, 174_300)


def test_create_then_update_writes_versions_and_audit(store):
    first = store.create_perimeter(
        PerimeterFields("Kerkplein", "rond de kerk", "proposed", "2025-03-01"),
        SQUARE,
        actor="web:wijkinspecteur",
    )
    assert (first.version, first.area_m2) == (1, 10_000)
    second = store.update_perimeter(
        first.perimeter_id,
        PerimeterFields("Kerkplein", "rond de kerk", "active", "2025-03-01"),
        BIGGER,
        based_on=1,
        actor="web:analist",
    )
    assert second.version == 2
    history = store.perimeter_history(first.perimeter_id)
    assert [(v.version, v.actor, v.fields.status, v.area_m2) for v in history] == [
        (1, "web:wijkinspecteur", "proposed", 10_000),
        (2, "web:analist", "active", 20_000),
    ]
    assert history[0].geometry.equals(SQUARE) and history[1].geometry.equals(BIGGER)
    row = store.perimeters().set_index("id").loc[first.perimeter_id]
    assert (row["version"], row["status"], row["start_date"]) == (2, "active", "2025-03-01")
    assert row.geometry.equals(BIGGER)
    events = store.audit_events()
    mine = events[events["entity"] == "perimeter"]
    assert list(mine["action"]) == ["create", "update"]
    detail = json.loads(mine["detail"].iloc[1])
    assert detail["area_change_m2"] == 10_000 and detail["version"] == 2


def test_two_saves_from_the_same_version_the_second_is_refused_and_the_first_kept(store):
    made = store.create_perimeter(PerimeterFields("Markt"), SQUARE, actor="web:analist")
    fields = PerimeterFields("Markt", status="active")
    store.update_perimeter(made.perimeter_id, fields, BIGGER, based_on=1, actor="web:analist")
    with pytest.raises(PerimeterChanged) as caught:
        store.update_perimeter(made.perimeter_id, fields, OTHER, based_on=1, actor="web:admin")
    message = str(caught.value)
    assert message.startswith("changed by analist at ") and message.endswith("— reload")
    assert caught.value.latest.version == 2 and caught.value.based_on == 1
    history = store.perimeter_history(made.perimeter_id)
    assert [v.version for v in history] == [1, 2]
    kept = store.perimeters().set_index("id").loc[made.perimeter_id]
    assert kept["version"] == 2 and kept.geometry.equals(BIGGER)
    assert "web:admin" not in set(store.audit_events()["actor"])


def test_archive_is_a_version_and_an_archive_event(store):
    made = store.create_perimeter(PerimeterFields("Park", status="active"), SQUARE, actor="a")
    store.update_perimeter(
        made.perimeter_id, PerimeterFields("Park", status="archived"), SQUARE, based_on=1, actor="a"
    )
    assert store.perimeters().set_index("id").loc[made.perimeter_id, "status"] == "archived"
    events = store.audit_events()
    assert list(events[events["entity"] == "perimeter"]["action"]) == ["create", "archive"]


def test_duplicate_name_and_unknown_perimeter_change_nothing(store):
    made = store.create_perimeter(PerimeterFields("Station"), SQUARE, actor="a")
    other = store.create_perimeter(PerimeterFields("Haven"), OTHER, actor="a")
    with pytest.raises(DuplicateName, match="'Station' exists already"):
        store.create_perimeter(PerimeterFields("Station"), BIGGER, actor="a")
    with pytest.raises(DuplicateName):
        store.update_perimeter(
            other.perimeter_id, PerimeterFields("Station"), OTHER, based_on=1, actor="a"
        )
    with pytest.raises(NotFound):
        store.update_perimeter(999, PerimeterFields("X"), OTHER, based_on=1, actor="a")
    assert sorted(store.perimeters()["name"]) == ["Haven", "Station"]
    assert store.perimeter_history(made.perimeter_id)[-1].version == 1
    assert store.perimeter_history(999) == []
    with pytest.raises(NotFound):
        store.perimeter_version(made.perimeter_id, 2)


def test_an_import_writes_version_one_of_each_perimeter(store):
    frame = gpd.GeoDataFrame(
        {"name": ["A", "B"], "description": ["", "tweede"]},
        geometry=[SQUARE, BIGGER],
        crs=WORKING_CRS,
    )
    store.add_perimeters(frame, BatchInfo("perimeters", "p.gpkg", "cli", 2, 0))
    ids = dict(zip(store.perimeters()["name"], store.perimeters()["id"], strict=True))
    b = store.perimeter_history(ids["B"])
    assert [(v.version, v.actor, v.fields.description, v.area_m2) for v in b] == [
        (1, "cli", "tweede", 20_000)
    ]


def test_migration_0003_gives_existing_perimeters_their_first_version(store_url_for, backend):
    url = store_url_for(backend)
    engine = migration_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), "0002")
            batch = conn.execute(
                insert(schema.import_batches).values(
                    kind="perimeters",
                    source="p.gpkg",
                    actor="cli",
                    started_at="2024-05-01T10:00:00",
                    rows_read=1,
                    rows_imported=1,
                    rows_rejected=0,
                )  # fmt: skip
            ).inserted_primary_key
            assert batch is not None
            conn.exec_driver_sql(
                "INSERT INTO perimeters (name, description, status, version, geom, batch_id) "
                f"VALUES ('Oud', '', 'active', 1, {_geom_sql(backend)}, {int(batch[0])})"
            )
            command.upgrade(migrate.alembic_config(conn), "0003")
            v = schema.perimeter_versions.c
            rows = conn.execute(select(v.perimeter_id, v.version, v.actor, v.at, v.area)).all()
            assert [tuple(r)[1:] for r in rows] == [(1, "cli", "2024-05-01T10:00:00", 10_000.0)]
            command.downgrade(migrate.alembic_config(conn), "0002")
            assert "perimeter_versions" not in _tables(conn)
    finally:
        engine.dispose()


def _geom_sql(backend: str) -> str:
    wkb = shapely.to_wkb(SQUARE, hex=True)
    return f"ST_GeomFromWKB(decode('{wkb}', 'hex'), 31370)" if backend == "postgis" else f"X'{wkb}'"


def _tables(conn) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def test_reopened_store_keeps_the_history(store_url_for, backend):
    store_url = store_url_for(backend)
    store = open_store(store_url)
    made = store.create_perimeter(PerimeterFields("Blijft"), SQUARE, actor="a")
    store.close()
    again = open_store(store_url)
    assert again.perimeter_version(made.perimeter_id, 1).geometry.equals(SQUARE)
    again.close()


def test_simultaneous_saves_from_one_version_exactly_one_wins(store_url_for, backend):
    store_url = store_url_for(backend)
    import threading

    setup = open_store(store_url)
    made = setup.create_perimeter(PerimeterFields("Tegelijk"), SQUARE, actor="a")
    setup.close()
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def save(who: str, geom) -> None:
        own = open_store(store_url)  # one store (and connection pool) per person, as two apps
        start.wait()
        try:
            own.update_perimeter(
                made.perimeter_id, PerimeterFields("Tegelijk"), geom, based_on=1, actor=who
            )
            outcomes.append(f"saved:{who}")
        except PerimeterChanged:
            outcomes.append(f"refused:{who}")
        finally:
            own.close()

    people = [("w", BIGGER), ("x", OTHER), ("y", BIGGER), ("z", OTHER)]
    threads = [threading.Thread(target=save, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [o.split(":")[1] for o in outcomes if o.startswith("saved")]
    assert len(outcomes) == 4 and len(winners) == 1
    check = open_store(store_url)
    history = check.perimeter_history(made.perimeter_id)
    assert [v.version for v in history] == [1, 2] and history[1].actor == winners[0]
    check.close()
