"""``mmm db backup`` / ``mmm db restore``: one file while the app runs, restored and verified.

Each test runs on SQLite and on the session's PostGIS cluster (``pg_dump``/``pg_restore`` of the
machine's PostgreSQL client).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from mmm.cli.group import cli
from mmm.errors import StoreError
from mmm.store import BatchInfo, Store, open_store
from mmm.store.backup import Backup, backup_store, checksums_path, restore_store
from mmm.store.copy import copy_store
from tests.helpers import ZONE


def _fill(store: Store, n: int = 40) -> None:
    """A little of everything a zone holds: outline, perimeters, phenomena, incidents."""
    store.set_zone_profile("PZ Voorbeeld", ("nl", "fr"), actor="t")
    store.set_zone("PZ Voorbeeld", ZONE, BatchInfo("zone", "zone.geojson", "t", 1, 0))
    perimeters = gpd.GeoDataFrame(
        {"name": ["Markt", "Station"], "description": ["", "Stationsbuurt"]},
        geometry=[box(171_500, 173_500, 172_000, 174_000), box(172_000, 174_000, 172_400, 174_600)],
        crs=31370,
    )
    store.add_perimeters(perimeters, BatchInfo("perimeters", "p.gpkg", "t", 2, 0))
    store.add_phenomenon("drugs", {"nl": "Drugs", "fr": "Drogues"}, threshold=7, actor="t")
    frame = pd.DataFrame(
        {
            "source_id": [f"PV-{i}" for i in range(n)],
            "phenomenon": ["drugs"] * n,
            "occurred": pd.to_datetime([f"2024-{1 + i % 12:02d}-10 12:00" for i in range(n)]),
            "date_to": pd.to_datetime(["2024-12-31 23:59:59" if i % 3 else None for i in range(n)]),
            "x": [171_600.0 + 10 * i for i in range(n)],
            "y": [173_600.0 + 5 * i for i in range(n)],
        }
    )
    store.add_incidents(frame, BatchInfo("incidents", "f.csv", "t", n, 0))


def _totals(url: str) -> tuple[dict[str, int], pd.DataFrame, list[float]]:
    store = open_store(url)
    try:
        return (
            store.totals(),
            store.incidents(),
            sorted(store.perimeters().geometry.area.round(3).tolist()),
        )
    finally:
        store.close()


def test_backup_then_restore_gives_the_same_store(store_url_for, backend, tmp_path):
    source = store_url_for(backend)
    store = open_store(source)
    _fill(store)
    store.close()
    file = tmp_path / "backups" / "zone.mmmbackup"
    taken = backup_store(source, file)
    assert file.is_file() and checksums_path(file).is_file()
    assert taken.backend == backend and taken.revision == open_store(source).schema_version()
    assert Backup.read(checksums_path(file)) == taken
    rows = {t.table: t.rows for t in taken.tables}
    assert (rows["incidents"], rows["perimeters"], rows["zone_profile"]) == (40, 2, 1)
    target = (
        f"sqlite:///{tmp_path / 'restored.sqlite'}"
        if backend == "sqlite"
        else store_url_for(backend)
    )
    _, restored = restore_store(file, target)
    assert restored == taken.tables  # the same rows and checksums, table by table
    before, after = _totals(source), _totals(target)
    assert before[0] == after[0] and before[2] == after[2]
    pd.testing.assert_frame_equal(before[1], after[1])
    assert after[1]["date_to"].notna().sum() == 26
    again = open_store(target)
    try:  # the restored store goes on: its ids continue after the restored ones
        last = again.data_version()
        assert last == open_store(source).data_version()
        batch = again.add_incidents(
            pd.DataFrame(
                {
                    "source_id": ["PV-new"],
                    "phenomenon": ["drugs"],
                    "occurred": pd.to_datetime(["2025-01-01"]),
                    "x": [171_700.0],
                    "y": [173_700.0],
                }
            ),
            BatchInfo("incidents", "g.csv", "t", 1, 0),
        )
        assert batch == last + 1 and again.phenomenon_thresholds() == {"drugs": 7}
    finally:
        again.close()


def test_a_sqlite_backup_restores_into_postgis_too(store_url_for, tmp_path):
    source = store_url_for("sqlite")
    store = open_store(source)
    _fill(store, n=12)
    store.close()
    file = tmp_path / "zone.mmmbackup"
    backup_store(source, file)
    target = store_url_for("postgis")
    _, restored = restore_store(file, target)
    assert {t.table: t.rows for t in restored}["incidents"] == 12
    assert _totals(source)[0] == _totals(target)[0]


def test_a_postgis_backup_is_not_restored_into_sqlite(store_url_for, tmp_path):
    source = store_url_for("postgis")
    open_store(source).close()
    file = tmp_path / "pg.mmmbackup"
    backup_store(source, file)
    with pytest.raises(StoreError, match="is a PostGIS backup: restore it into a PostgreSQL"):
        restore_store(file, f"sqlite:///{tmp_path / 'x.sqlite'}")


def test_the_backup_is_one_moment_while_another_writer_is_at_work(store_url_for, backend, tmp_path):
    url = store_url_for(backend)
    store = open_store(url)
    _fill(store, n=10)
    try:
        with store.engine.connect() as busy:  # an import under way, not committed yet
            trans = busy.begin()
            busy.exec_driver_sql("DELETE FROM incidents WHERE source_id = 'PV-1'")
            taken = backup_store(url, tmp_path / "during.mmmbackup")
            trans.rollback()
    finally:
        store.close()
    assert {t.table: t.rows for t in taken.tables}["incidents"] == 10


def test_restore_refuses_a_store_that_holds_anything(store_url_for, backend, tmp_path):
    source = store_url_for(backend)
    store = open_store(source)
    _fill(store, n=3)
    store.close()
    file = tmp_path / "zone.mmmbackup"
    backup_store(source, file)
    with pytest.raises(StoreError, match=r"is not empty \(.*incidents 3"):
        restore_store(file, source)
    with pytest.raises(StoreError, match="exists already: a backup never overwrites"):
        backup_store(source, file)


def test_a_changed_backup_is_refused_and_the_target_emptied_again(store_url_for, tmp_path):
    source = store_url_for("sqlite")
    store = open_store(source)
    _fill(store, n=5)
    store.close()
    file = tmp_path / "zone.mmmbackup"
    backup_store(source, file)
    changed = f"sqlite:///{tmp_path / 'changed.sqlite'}"
    copy_store(source, changed)  # a store that differs from the backup in one value…
    tampered = open_store(changed)
    with tampered.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE incidents SET x = x + 1 WHERE source_id = 'PV-2'")
    tampered.close()
    Path(file).unlink()
    Path(str(file)).write_bytes(
        Path(changed.removeprefix("sqlite:///")).read_bytes()
    )  # …in its place
    target = f"sqlite:///{tmp_path / 'target.sqlite'}"
    with pytest.raises(StoreError, match="restored tables incidents differ from the backup"):
        restore_store(file, target)
    assert not any(_totals(target)[0].values())


def test_a_backup_without_its_checksums_or_of_another_revision_is_refused(store_url_for, tmp_path):
    source = store_url_for("sqlite")
    open_store(source).close()
    file = tmp_path / "zone.mmmbackup"
    backup_store(source, file)
    body = json.loads(checksums_path(file).read_text())
    body["revision"] = "0005"
    checksums_path(file).write_text(json.dumps(body))
    with pytest.raises(StoreError, match="at schema revision 0005; this MMM Planner restores"):
        restore_store(file, f"sqlite:///{tmp_path / 't.sqlite'}")
    checksums_path(file).unlink()
    with pytest.raises(StoreError, match="checksums.json is missing"):
        restore_store(file, f"sqlite:///{tmp_path / 't.sqlite'}")


def test_the_commands_print_the_checksums_of_both_sides(runner, store_url_for, backend, tmp_path):
    source = store_url_for(backend)
    store = open_store(source)
    _fill(store, n=4)
    store.close()
    file = tmp_path / "cli.mmmbackup"
    done = runner.invoke(cli, ["--store", source, "db", "backup", str(file)])
    assert done.exit_code == 0, done.output
    checksum = next(
        t.checksum for t in Backup.read(checksums_path(file)).tables if t.table == "incidents"
    )
    assert f"incidents                       4  {checksum}" in done.output
    target = (
        f"sqlite:///{tmp_path / 'cli.sqlite'}" if backend == "sqlite" else store_url_for(backend)
    )
    restored = runner.invoke(cli, ["--store", target, "db", "restore", str(file)])
    assert restored.exit_code == 0, restored.output
    assert f"incidents                       4  {checksum}" in restored.output
    refused = runner.invoke(cli, ["--store", target, "db", "restore", str(file)])
    assert refused.exit_code == 1 and "is not empty" in refused.output
    missing = runner.invoke(
        cli,
        [
            "--store",
            "sqlite:///" + str(tmp_path / "no.sqlite"),
            "db",
            "backup",
            str(tmp_path / "n.b"),
        ],
    )
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert not (tmp_path / "no.sqlite").exists()
