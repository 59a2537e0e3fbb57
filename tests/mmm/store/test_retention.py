"""``mmm purge --before DATE``: incidents past the retention date go, audited with counts only."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from mmm.cli.group import cli
from mmm.store import BatchInfo, open_store
from mmm.store.retention import purge_incidents


def _incidents(store) -> None:
    rows = [  # id, phenomenon, start, end of the window
        ("A", "drugs", "2019-05-01 10:00", None),
        ("B", "drugs", "2019-12-31 23:00", None),
        ("C", "vandalism", "2019-12-30 22:00", "2020-01-02 08:00"),  # ended after the date
        ("D", "vandalism", "2018-03-01 00:00", "2018-03-04 00:00"),
        ("E", "drugs", "2020-01-01 00:00", None),  # on the day itself: kept
        ("F", "drugs", None, None),  # undated: kept
    ]
    frame = pd.DataFrame(rows, columns=["source_id", "phenomenon", "occurred", "date_to"])
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    frame["date_to"] = pd.to_datetime(frame["date_to"])
    frame["x"], frame["y"] = 172_000.0, 174_000.0
    store.add_incidents(frame, BatchInfo("incidents", "f.csv", "t", len(frame), 0))


def test_purge_removes_what_ended_before_the_date_and_audits_counts_only(store):
    _incidents(store)
    version = store.data_version()
    preview = purge_incidents(store, date(2020, 1, 1), dry_run=True, actor="cli:dpo")
    assert (preview.removed, preview.kept, preview.undated) == (3, 3, 1)
    assert preview.per_phenomenon == {"drugs": 2, "vandalism": 1}
    assert preview.per_year == {"2018": 1, "2019": 2}
    assert len(store.incidents()) == 6 and store.data_version() == version
    done = purge_incidents(store, date(2020, 1, 1), dry_run=False, actor="cli:dpo")
    assert done.removed == 3 and not done.dry_run
    assert store.incidents()["source_id"].tolist() == ["C", "E", "F"]
    assert store.data_version() > version  # a running app counts again
    event = store.audit_events().iloc[-1]
    assert (event["action"], event["entity"], event["actor"]) == ("purge", "incidents", "cli:dpo")
    detail = json.loads(event["detail"])
    assert detail == {
        "before": "2020-01-01",
        "removed": 3,
        "per_phenomenon": {"drugs": 2, "vandalism": 1},
        "per_year": {"2018": 1, "2019": 2},
    }
    assert not {"A", "B", "D"} & set(event["detail"].replace('"', " ").split())  # no ids
    events = len(store.audit_events())
    again = purge_incidents(store, date(2020, 1, 1), dry_run=False, actor="cli:dpo")
    assert again.removed == 0 and len(store.audit_events()) == events  # nothing to record


def test_the_purge_command_says_what_it_did(runner, store_url_for, backend):
    url = store_url_for(backend)
    store = open_store(url)
    _incidents(store)
    store.close()
    dry = runner.invoke(cli, ["--store", url, "purge", "--before", "2020-01-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would remove 3 incidents that ended before 2020-01-01" in dry.output
    assert (
        "per year: 2018: 1, 2019: 2" in dry.output and "dry run: nothing was removed" in dry.output
    )
    done = runner.invoke(cli, ["--store", url, "purge", "--before", "2020-01-01"])
    assert done.exit_code == 0 and "Removed 3 incidents" in done.output
    assert "Kept 3 incidents (1 of them undated" in done.output
    bad = runner.invoke(cli, ["--store", url, "purge", "--before", "01/01/2020"])
    assert bad.exit_code == 2 and "'01/01/2020' does not match the format '%Y-%m-%d'" in bad.output
    store = open_store(url)
    try:
        assert len(store.incidents()) == 3
    finally:
        store.close()
