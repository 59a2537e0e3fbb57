"""The other engines of bench/aggregate.py: the same count as a PostGIS query and on a local
dask cluster, each timed and checked against mmm's in-process counts."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
from cli import progress
from count_diff import CountDiff, compare_counts
from timing import best_of, runs_note, timed

from mmm.store import BatchInfo, open_store
from mmm.store.postgis import PostGISStore


@dataclass(frozen=True)
class PostGISRun:
    """Loading the generated data into PostGIS, and its counting query."""

    load_s: float
    rows: int
    query_s: float
    query_runs: int
    diff: CountDiff


def bench_postgis(
    url: str, incidents: pd.DataFrame, perimeters: gpd.GeoDataFrame, mmm_table: pd.DataFrame
) -> PostGISRun:
    """Store the generated zone in the empty PostGIS database ``url``, then time the SQL count."""
    store = open_store(url)
    if not isinstance(store, PostGISStore):
        raise SystemExit(f"--postgis needs a postgresql:// URL, got {url}")
    try:
        progress(
            f"postgis: storing {len(incidents):,} incidents and {len(perimeters):,} perimeters"
        )
        frame = incidents.assign(source_id=np.char.mod("B-%08d", np.arange(len(incidents))))
        start = time.perf_counter()
        store.add_incidents(frame, BatchInfo("incidents", "bench", "bench", len(frame), 0))
        load_s = time.perf_counter() - start
        store.add_perimeters(
            perimeters.assign(description=""), BatchInfo("perimeters", "bench", "bench", 0, 0)
        )
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        count = partial(store.count_covered, period="month")
        query_s, runs, table = best_of(timed(count), "postgis")
    finally:
        store.close()
    return PostGISRun(load_s, len(frame), query_s, runs, compare_counts(mmm_table, table))


def postgis_rows(pg: PostGISRun, mmm_s: float, n: str) -> list[tuple[str, str, str]]:
    """The PostGIS lines of the side-by-side table."""
    return [
        (
            f"PostGIS ST_Covers + GROUP BY (SQL), {n}",
            f"{pg.query_s:.3f} s",
            f"{runs_note(pg.query_runs)}; {pg.query_s / mmm_s:.1f}× mmm's time",
        ),
        (
            f"PostGIS: store {pg.rows:,} incidents (COPY)",
            f"{pg.load_s:.3f} s",
            f"{pg.rows / pg.load_s:,.0f} rows/s",
        ),
    ]


@dataclass(frozen=True)
class DaskRun:
    """The same count on a local dask cluster (rows sent from this process, as the CLI does)."""

    workers: int
    seconds: float
    runs: int
    diff: CountDiff


def bench_dask(
    incidents: pd.DataFrame, perimeters: gpd.GeoDataFrame, mmm_table: pd.DataFrame, workers: int
) -> DaskRun:
    """Time :func:`mmm.counting.cluster.count_incidents_on_cluster` on ``workers`` processes.

    Partitions of a quarter of the rows each, so both workers get work; the cluster is started
    before the clock runs (its start-up is a fixed cost, not a cost per row).
    """
    from mmm.counting.cluster import count_incidents_on_cluster, open_cluster

    with open_cluster(workers=workers) as client:
        count = partial(
            count_incidents_on_cluster,
            incidents,
            perimeters,
            client=client,
            partition_rows=-(-len(incidents) // 4),
        )
        seconds, runs, table = best_of(timed(count), f"dask {workers} workers")
    return DaskRun(workers, seconds, runs, compare_counts(mmm_table, table))


def dask_row(run: DaskRun, mmm_s: float, n: str) -> tuple[str, str, str]:
    """The dask line of the side-by-side table."""
    return (
        f"dask, {run.workers} local workers, {n}",
        f"{run.seconds:.3f} s",
        f"{runs_note(run.runs)}; {run.seconds / mmm_s:.1f}× mmm's time (bench/dask_scaling.py: "
        "scaling on 10M)",
    )
