"""The store on both backends: schema on first use, revisions, zone, audit, and clear errors."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from shapely.geometry import box
from sqlalchemy import text

from mmm.errors import StoreError
from mmm.settings import load_settings
from mmm.store import BatchInfo, migrate, open_store


def test_schema_is_created_on_first_use_at_the_newest_revision(tmp_path):
    path = tmp_path / "deep" / "dir" / "s.sqlite"
    store = open_store(f"sqlite:///{path}")
    assert path.exists()
    assert store.schema_version() == migrate.head()
    tables = {r[0] for r in sqlite3.connect(path).execute("select name from sqlite_master")}
    assert {
        "phenomena",
        "perimeters",
        "incidents",
        "import_batches",
        "audit_events",
        "zone",
        "alembic_version",
    } <= tables
    store.close()
    again = open_store(f"sqlite:///{path}")  # reopening does not stamp a second revision
    assert again.schema_version() == migrate.head()
    assert sqlite3.connect(path).execute("select count(*) from alembic_version").fetchone() == (1,)


def test_postgis_store_has_real_geometries_with_gist_indexes(pg_url):
    store = open_store(pg_url)
    store.set_zone("PZ Test", box(0, 0, 10, 10), BatchInfo("zone", "z.gpkg", "tester", 1, 0))
    with store.engine.connect() as conn:
        kind = conn.execute(
            text("SELECT type, srid FROM geometry_columns WHERE f_table_name = 'perimeters'")
        ).one()
        area = conn.execute(text("SELECT ST_Area(geom) FROM zone")).scalar_one()
        indexes = conn.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%gist%'")
        ).all()
    assert tuple(kind) == ("GEOMETRY", 31370) and area == 100
    assert {name for name, _ in indexes} >= {"ix_zone_geom", "ix_perimeters_geom"}
    store.close()


def test_zone_is_stored_and_audited(store):
    assert store.zone() is None
    store.set_zone("PZ Test", box(0, 0, 10, 10), BatchInfo("zone", "z.gpkg", "tester", 1, 0))
    zone = store.zone()
    assert (zone.name, zone.derived, zone.geometry.area) == ("PZ Test", False, 100)
    event = store.audit_events().iloc[-1]
    assert (event.actor, event.action, event.entity) == ("tester", "import", "zone")


def test_bad_urls_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="unsupported store URL"):
        open_store("mysql://somewhere/db")
    not_a_db = tmp_path / "x.sqlite"
    not_a_db.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(f"sqlite:///{not_a_db}")


def test_settings_from_environment():
    settings = load_settings({"MMM_STORE": "sqlite:///x.db", "MMM_OUTSIDE_DISTANCE": "250"})
    assert settings.store == "sqlite:///x.db" and settings.outside_distance_m == 250.0
    with pytest.raises(ValueError, match="MMM_OUTSIDE_DISTANCE"):
        load_settings({"MMM_OUTSIDE_DISTANCE": "far"})


def test_incident_reads_are_kept_until_an_import_changes_them(store, tmp_path, incidents_frame):
    from mmm.io.imports import import_incidents
    from tests.helpers import write_csv

    import_incidents(store, write_csv(tmp_path / "a.csv", incidents_frame.head(2)), crs="31370")
    first = store.incidents()
    first.loc[0, "x"] = -1.0  # a caller changing its copy does not change the store's
    assert store.incidents()["x"].iloc[0] == incidents_frame["x"].iloc[0]
    version = store.data_version()
    import_incidents(store, write_csv(tmp_path / "b.csv", incidents_frame.tail(3)), crs="31370")
    assert store.data_version() > version
    assert len(store.incidents()) == 5
    jan = store.incidents(start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert jan["source_id"].tolist() == ["PV-1"]


def test_phenomenon_weights_default_to_one_and_a_bad_set_changes_nothing(
    store, tmp_path, incidents_frame
):
    from mmm.io.imports import import_incidents
    from tests.helpers import write_csv

    import_incidents(store, write_csv(tmp_path / "a.csv", incidents_frame), crs="31370")
    assert store.phenomenon_weights() == {"burglary_dwelling": 1.0, "drugs": 1.0, "vandalism": 1.0}
    store.set_phenomenon_weights({"drugs": 2.5}, actor="test")
    for bad in ({"drugs": 1.0, "ghost": 2.0}, {"vandalism": 3.0, "drugs": float("nan")}):
        with pytest.raises(ValueError):
            store.set_phenomenon_weights(bad, actor="test")
    assert store.phenomenon_weights() == {"burglary_dwelling": 1.0, "drugs": 2.5, "vandalism": 1.0}
    assert store.audit_events()["action"].tolist().count("set_weights") == 1
    assert list(store.phenomena().columns) == ["code", "label"]
