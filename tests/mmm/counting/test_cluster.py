"""Counting in partitions on a dask cluster gives count_incidents's table, row for row.

The data is generated so that many points lie exactly on perimeter edges and vertices, inside
holes, in overlapping perimeters and outside everything, with undated incidents among them,
and is cut into many partitions. Most tests share one in-process cluster (threads, starts in
a fraction of a second); one runs a real cluster of two worker processes, one goes through a
scheduler address as a remote cluster would, and one drives ``mmm aggregate --engine dask``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import dask.dataframe as dd
import dask_geopandas
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster
from shapely.geometry import Polygon, box

from mmm.cli.group import cli
from mmm.counting.cluster import count_incidents_on_cluster, open_cluster
from mmm.counting.count import count_incidents
from mmm.errors import MMMError

CRS = "EPSG:31370"
PHENOMENA = np.array(["burglary_dwelling", "drugs", "vandalism"], dtype=object)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address="127.0.0.1:0"
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def _incidents(n: int, seed: int) -> pd.DataFrame:
    """Integer coordinates on a 0–200 m square: the grid lines are the perimeter edges below."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 3 * 365 * 86_400, size=n).astype("timedelta64[s]")
    occurred = np.datetime64("2022-01-01T00:00:00", "s") + seconds
    occurred[rng.random(n) < 0.05] = np.datetime64("NaT")  # undated
    return pd.DataFrame(
        {
            "phenomenon": pd.array(PHENOMENA[rng.integers(0, 3, size=n)], dtype="string"),
            "occurred": occurred,
            "x": rng.integers(-10, 211, size=n).astype(float),
            "y": rng.integers(-10, 211, size=n).astype(float),
        }
    )


def _perimeters() -> gpd.GeoDataFrame:
    """A 4 × 4 grid of 50 m squares sharing edges, two overlapping extras and one with a hole."""
    cells = [box(x, y, x + 50, y + 50) for x in range(0, 200, 50) for y in range(0, 200, 50)]
    holed = Polygon(
        [(20, 20), (180, 20), (180, 180), (20, 180)],
        [[(60, 60), (140, 60), (140, 140), (60, 140)]],
    )
    geoms = [*cells, box(25, 25, 125, 75), holed]
    names = [f"P{i:02d}" for i in range(len(geoms))]
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs=CRS)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("month", None, None),
        ("quarter", date(2022, 7, 1), None),
        ("year", None, date(2023, 12, 31)),
        ("all", None, None),  # undated incidents count here only
        ("all", date(2022, 3, 15), date(2024, 2, 29)),
    ],
)
def test_many_partitions_give_the_in_process_table(client, period, start, end) -> None:
    incidents, perimeters = _incidents(30_000, seed=7), _perimeters()
    expected = count_incidents(incidents, perimeters, period=period, start=start, end=end)
    got = count_incidents_on_cluster(
        incidents,
        perimeters,
        client=client,
        period=period,
        start=start,
        end=end,
        partition_rows=1_111,  # 28 partitions, the last one short: a two-level summing tree
    )
    pd.testing.assert_frame_equal(got, expected)
    # the data exercises what it is meant to: shared edges, overlaps (counted more than once)
    on_edge = (incidents["x"] % 50 == 0) & incidents["x"].between(0, 200)
    counted_twice = count_incidents(incidents, perimeters, period="all")["count"].sum()
    assert on_edge.sum() > 100 and counted_twice > len(incidents)


def test_dask_and_dask_geopandas_collections_give_the_same_table(client) -> None:
    incidents, perimeters = _incidents(5_000, seed=11), _perimeters()
    expected = count_incidents(incidents, perimeters, period="quarter")
    frame = dd.from_pandas(incidents, npartitions=6)
    points = gpd.GeoDataFrame(
        incidents[["phenomenon", "occurred"]],
        geometry=gpd.points_from_xy(incidents["x"], incidents["y"]),
        crs=CRS,
    )
    for collection in (frame, dask_geopandas.from_geopandas(points, npartitions=4)):
        got = count_incidents_on_cluster(collection, perimeters, client=client, period="quarter")
        pd.testing.assert_frame_equal(got, expected)


def test_no_incidents_and_equal_names_match_too(client) -> None:
    perimeters = _perimeters()
    empty = _incidents(0, seed=1)
    pd.testing.assert_frame_equal(
        count_incidents_on_cluster(empty, perimeters, client=client),
        count_incidents(empty, perimeters),
    )
    twice = perimeters.assign(name=["same"] * len(perimeters))  # rows stay per perimeter
    incidents = _incidents(3_000, seed=3)
    pd.testing.assert_frame_equal(
        count_incidents_on_cluster(incidents, twice, client=client, partition_rows=500),
        count_incidents(incidents, twice),
    )


def test_progress_reports_every_partition(client) -> None:
    calls: list[tuple[int, int]] = []
    count_incidents_on_cluster(
        _incidents(2_000, seed=5),
        _perimeters(),
        client=client,
        partition_rows=300,
        progress=lambda done, total: calls.append((done, total)),
    )
    # rows of an in-memory frame: six partitions of 300 and one of 200, in any order
    assert calls[0] == (0, 2_000) and calls[-1] == (2_000, 2_000) and len(calls) == 8
    steps = sorted(b[0] - a[0] for a, b in zip(calls, calls[1:], strict=False))
    assert steps == [200, *[300] * 6]

    calls.clear()
    count_incidents_on_cluster(
        dd.from_pandas(_incidents(2_000, seed=5), npartitions=5),
        _perimeters(),
        client=client,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(i, 5) for i in range(6)]  # a dask collection: partitions


def test_bad_input_gets_a_message_to_act_on(client) -> None:
    perimeters = _perimeters()
    with pytest.raises(ValueError, match="unknown period 'week'"):
        count_incidents_on_cluster(_incidents(10, 1), perimeters, client=client, period="week")  # type: ignore[arg-type]
    incidents = _incidents(10, 1)
    with pytest.raises(ValueError, match="partition_rows must be a positive number of rows"):
        count_incidents_on_cluster(incidents, perimeters, client=client, partition_rows=0)
    points = gpd.GeoDataFrame(
        incidents[["phenomenon", "occurred"]],
        geometry=gpd.points_from_xy(incidents["x"], incidents["y"]),
        crs="EPSG:3812",
    )
    with pytest.raises(ValueError, match=r"EPSG:3812.*reproject the incidents"):
        count_incidents_on_cluster(
            dask_geopandas.from_geopandas(points, npartitions=2), perimeters, client=client
        )
    squares = points.set_geometry(points.buffer(1.0)).set_crs(CRS, allow_override=True)
    with pytest.raises(ValueError, match="must be points"):
        count_incidents_on_cluster(
            dask_geopandas.from_geopandas(squares, npartitions=2), perimeters, client=client
        )
    unreachable = "cannot reach the dask scheduler at tcp://127.0.0.1:9"
    with (
        pytest.raises(MMMError, match=unreachable),
        open_cluster(scheduler="tcp://127.0.0.1:9", timeout=1.0),
    ):
        pass


def test_two_worker_processes_share_the_work_and_agree() -> None:
    incidents, perimeters = _incidents(20_000, seed=13), _perimeters()
    with open_cluster(workers=2) as client:
        workers = client.scheduler_info()["workers"]
        assert len(workers) == 2
        got = count_incidents_on_cluster(
            incidents, perimeters, client=client, period="month", partition_rows=2_000
        )
        done = client.run(
            lambda dask_worker: len(dask_worker.data) + dask_worker.state.executed_count
        )
    pd.testing.assert_frame_equal(got, count_incidents(incidents, perimeters, period="month"))
    assert all(n > 0 for n in done.values())  # both workers counted partitions


def test_the_same_code_runs_through_a_scheduler_address(client) -> None:
    incidents, perimeters = _incidents(4_000, seed=17), _perimeters()
    address = client.scheduler.address  # as `dask scheduler` would print it
    with open_cluster(scheduler=address) as remote:
        got = count_incidents_on_cluster(incidents, perimeters, client=remote, period="year")
    pd.testing.assert_frame_equal(got, count_incidents(incidents, perimeters, period="year"))


def test_cli_engine_dask_writes_the_same_csv_as_memory(tmp_path) -> None:
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert runner.invoke(cli, ["--store", url, "demo"]).exit_code == 0
    outputs = {}
    for engine, extra in (("memory", []), ("dask", ["--workers", "1"])):
        out = tmp_path / f"{engine}.csv"
        args = ["--store", url, "aggregate", "--period", "quarter", "--engine", engine, *extra]
        result = runner.invoke(cli, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs[engine] = out.read_text()
    assert outputs["dask"] == outputs["memory"] and outputs["memory"].count("\n") > 100

    misuse = runner.invoke(cli, ["--store", url, "aggregate", "--workers", "2"])
    assert misuse.exit_code == 2 and "--workers and --scheduler need --engine dask" in misuse.output
    both = ["aggregate", "--engine", "dask", "--workers", "2", "--scheduler", "tcp://h:8786"]
    misuse = runner.invoke(cli, ["--store", url, *both])
    assert misuse.exit_code == 2 and "a --scheduler has its own" in misuse.output
