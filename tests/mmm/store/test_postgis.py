"""PostGIS specifics: real geometries, counting in the database, clear connection errors.

The store behaviour shared with SQLite is tested once for both backends (the parametrised
``store`` fixture of tests/conftest.py); this file holds what only PostGIS does.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from mmm.cli.group import cli
from mmm.counting.count import aggregate
from mmm.counting.database import aggregate_in_database
from mmm.errors import StoreError
from mmm.store import BatchInfo, open_store
from mmm.store.postgis import psycopg_url, safe_url
from tests.pg_cluster import free_port


@pytest.fixture(scope="module")
def demo(postgis_demo_url):
    store = open_store(postgis_demo_url)
    yield store
    store.close()


@pytest.mark.parametrize("period", ["month", "quarter", "year", "all"])
@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (date(2024, 2, 1), None), (date(2023, 3, 15), date(2024, 6, 30))],
)
def test_counting_in_the_database_equals_counting_in_process(demo, period, start, end):
    in_process = aggregate(demo, period=period, start=start, end=end)
    in_database = aggregate_in_database(demo, period=period, start=start, end=end)
    assert len(in_process) > 0
    pd.testing.assert_frame_equal(in_database, in_process, check_dtype=False)


def test_database_counts_follow_the_covers_rules(pg_url):
    store = open_store(pg_url)
    square = box(0, 0, 10, 10)
    holed = Polygon(
        [(20, 0), (40, 0), (40, 20), (20, 20)], [[(25, 5), (35, 5), (35, 15), (25, 15)]]
    )
    store.add_perimeters(
        _frame({"name": ["square", "overlap", "holed"]}, [square, box(5, 5, 15, 15), holed]),
        BatchInfo("perimeters", "p", "t", 3, 0),
    )
    points = pd.DataFrame(
        {
            "source_id": ["edge", "corner", "both", "outside", "hole", "ring", "undated"],
            "phenomenon": "drugs",
            "occurred": pd.to_datetime(
                [
                    "2024-01-31 23:59:59",
                    "2024-02-01",
                    "2024-03-01",
                    "2024-01-01",
                    "2024-01-01",
                    "2024-12-31",
                    None,
                ],
                format="ISO8601",
            ),
            "x": [10.0, 0.0, 7.0, 50.0, 30.0, 22.0, 1.0],
            "y": [3.0, 0.0, 7.0, 50.0, 10.0, 10.0, 1.0],
        }
    )
    store.add_incidents(points, BatchInfo("incidents", "i", "t", 7, 0))
    counts = aggregate_in_database(store, period="month")
    got = {(r.perimeter, r.period): r.count for r in counts.itertuples()}
    assert got == {
        ("square", "2024-01"): 1,  # on the boundary: covered
        ("square", "2024-02"): 1,  # on a vertex
        ("square", "2024-03"): 1,
        ("overlap", "2024-03"): 1,  # in two overlapping perimeters: counts in both
        ("holed", "2024-12"): 1,  # not the point in the hole
    }
    everything = aggregate_in_database(store, period="all")
    assert everything.set_index("perimeter")["count"].to_dict() == {
        "square": 4, "overlap": 1, "holed": 1,  # the undated one counts with "all" only
    }  # fmt: skip
    january = aggregate_in_database(store, period="year", end=date(2024, 1, 31))
    assert january["count"].tolist() == [1]
    store.close()


def _frame(columns, geometries):
    import geopandas as gpd

    return gpd.GeoDataFrame({**columns, "description": ""}, geometry=geometries, crs=31370)


def test_aggregate_cli_counts_in_the_database_only_on_postgis(runner, postgis_demo_url, tmp_path):
    args = ["--store", postgis_demo_url, "aggregate", "--period", "quarter", "--from", "2024-01-01"]
    memory = runner.invoke(cli, args)
    database = runner.invoke(cli, [*args, "--engine", "database"])
    assert memory.exit_code == 0 and database.exit_code == 0, database.output
    assert database.output == memory.output
    assert len(pd.read_csv(io.StringIO(database.output))) > 100

    sqlite_url = f"sqlite:///{tmp_path / 's.sqlite'}"
    refused = runner.invoke(cli, ["--store", sqlite_url, "aggregate", "--engine", "database"])
    assert refused.exit_code == 1
    assert "needs a PostGIS store" in refused.output and "--engine memory" in refused.output


def test_unreachable_server_and_missing_postgis_are_clear_errors(pg_cluster):
    with pytest.raises(StoreError, match=r"cannot connect to the store postgresql://x:\*\*\*@"):
        open_store(f"postgresql://x:secret@127.0.0.1:{free_port()}/nothing")
    with pytest.raises(StoreError, match="unsupported store URL"):
        open_store("mysql://somewhere/db")
    # A database without PostGIS, and a user who may not add it: the message says who can.
    with pg_cluster.admin() as conn:
        conn.execute("CREATE DATABASE plain_db")
        conn.execute("CREATE ROLE visitor LOGIN")
    url = f"postgresql://visitor@127.0.0.1:{pg_cluster.port}/plain_db"
    try:
        with pytest.raises(StoreError, match="has no PostGIS .* CREATE EXTENSION postgis"):
            open_store(url)
    finally:
        pg_cluster.drop_database(url)
        with pg_cluster.admin() as conn:
            conn.execute("DROP ROLE visitor")


def test_urls_name_the_psycopg_driver_and_hide_passwords():
    assert psycopg_url("postgresql://u:p@h:5432/db") == "postgresql+psycopg://u:p@h:5432/db"
    assert psycopg_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert safe_url("postgresql://u:p@h/db") == "postgresql://u:***@h/db"
