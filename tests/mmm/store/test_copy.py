"""``mmm db copy``: a zone moves from its SQLite file to PostGIS (and back), verified."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from mmm.access.users import authenticate
from mmm.cli.group import cli
from mmm.counting.count import aggregate
from mmm.errors import StoreError
from mmm.store import BatchInfo, open_store, schema
from mmm.store import copy as dbcopy
from tests.helpers import ZONE

ROW = re.compile(r"^\s+(\w+)\s+([\d,]+)\s+([0-9a-f]{32})$", re.MULTILINE)


def _copy(runner, source: str, target: str) -> dict[str, tuple[int, str]]:
    result = runner.invoke(cli, ["db", "copy", "--from", source, "--to", target])
    assert result.exit_code == 0, result.output
    return {m[1]: (int(m[2].replace(",", "")), m[3]) for m in ROW.finditer(result.output)}


def _counts(url: str) -> dict[str, int]:
    store = open_store(url)
    with store.engine.connect() as conn:
        counts = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in schema.metadata.sorted_tables
        }
    store.close()
    return counts


def test_copy_sqlite_to_postgis_and_back(runner, sqlite_demo_url, pg_url, tmp_path):
    to_postgis = _copy(runner, sqlite_demo_url, pg_url)
    assert set(to_postgis) == set(schema.metadata.tables)
    assert {t: n for t, (n, _) in to_postgis.items()} == _counts(sqlite_demo_url) == _counts(pg_url)
    assert to_postgis["incidents"][0] > 50_000

    source, copied = open_store(sqlite_demo_url), open_store(pg_url)
    assert aggregate(copied, period="month").equals(aggregate(source, period="month"))
    assert authenticate(copied, "analist", "demo-mmm-2024") is not None
    assert copied.audit_events().equals(source.audit_events())
    source.close()
    # New rows get new ids after the copied ones (the sequences were moved on).
    copied.set_zone("Nieuwe zone", ZONE, BatchInfo("zone", "z.gpkg", "t", 1, 0))
    assert copied.totals()["import_batches"] == to_postgis["import_batches"][0] + 1
    copied.close()

    back = f"sqlite:///{tmp_path / 'back.sqlite'}"
    pg_now = _counts(pg_url)
    round_trip = _copy(runner, pg_url, back)
    assert {t: n for t, (n, _) in round_trip.items()} == pg_now
    unchanged = set(to_postgis) - {"import_batches", "audit_events", "zone"}
    assert {t: round_trip[t] for t in unchanged} == {t: to_postgis[t] for t in unchanged}


def test_a_target_that_is_not_empty_is_refused(runner, sqlite_demo_url, tmp_path):
    target = f"sqlite:///{tmp_path / 't.sqlite'}"
    store = open_store(target)
    store.set_zone("Andere zone", ZONE, BatchInfo("zone", "z.gpkg", "t", 1, 0))
    store.close()
    before = _counts(target)
    result = runner.invoke(cli, ["db", "copy", "--from", sqlite_demo_url, "--to", target])
    assert result.exit_code == 1
    assert "is not empty (audit_events 1, import_batches 1, zone 1 rows)" in result.output
    assert _counts(target) == before


def test_a_failed_copy_leaves_the_target_empty(sqlite_demo_url, pg_url, monkeypatch):
    real = dbcopy._write

    def failing(target, conn, table, rows):
        if table.name == "audit_events":  # the last table: everything before it went in
            raise StoreError("connection lost (injected)")
        real(target, conn, table, rows)

    monkeypatch.setattr(dbcopy, "_write", failing)
    with pytest.raises(StoreError, match="injected"):
        dbcopy.copy_store(sqlite_demo_url, pg_url)
    assert set(_counts(pg_url).values()) == {0}


def test_a_missing_source_is_an_error_and_creates_nothing(runner, tmp_path, pg_url):
    missing = tmp_path / "nothing.sqlite"
    result = runner.invoke(cli, ["db", "copy", "--from", f"sqlite:///{missing}", "--to", pg_url])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not missing.exists()
