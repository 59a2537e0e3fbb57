"""Benchmark: counting incidents per perimeter × phenomenon × month, and importing a CSV.

What it measures, and why
-------------------------
Counting is the objective analysis behind every action plan, re-run whenever a user opens a map
or a table, so it has to stay interactive for a whole zone (a million incidents, a few thousand
micro-local perimeters). The script

1. generates a seeded, clustered zone: N incidents in EPSG:31370 over 20 km × 20 km (uniform
   background + Gaussian clusters; 8 phenomena; 3 years of dates) and M irregular perimeters
   150–600 m across (buffered points, rotated boxes, irregular star polygons), some of them
   overlapping;
2. times :func:`mmm.counting.count.count_incidents` (``period="month"``; threads on every core,
   :mod:`mmm.counting.points`), best of 3;
3. times, in the same process on the same data, the baseline an analyst would write:
   ``geopandas.points_from_xy`` + ``geopandas.sjoin(predicate="within")`` + a pandas groupby,
   best of 3 (of 1 when one run takes more than 20 s). Building the points is reported on its
   own and included in the baseline total;
4. checks that both give the same (perimeter, phenomenon, month, count) rows, and exits with
   status 1 and a diff summary when they do not;
5. prints the speed-up (baseline / mmm) against the target (≥ 5×);
6. writes R generated rows to a temporary CSV and times :func:`mmm.io.imports.import_incidents`
   into a fresh SQLite store (with a zone outline, so the outside-the-zone rule runs too),
   split approximately into read (Arrow's CSV reader), validate and store phases, and next to
   it the same import the old way (GDAL's CSV reader, one row per INSERT, numpy's date
   formatting) into another fresh store;
7. on PostGIS (a throwaway cluster of Debian's PostgreSQL + PostGIS, as the tests start, or
   ``--postgis URL`` of an empty database): stores the same N incidents and M perimeters
   (``COPY``), times the counting query ``ST_Covers`` + ``GROUP BY`` (best of 3), checks its
   counts against mmm's, and times the same CSV import as in 6 into a fresh PostGIS store;
8. times the same count on a local dask cluster of 2 worker processes (the ``dask`` extra:
   :func:`mmm.counting.cluster.count_incidents_on_cluster`, the rows sent from this process as
   ``mmm aggregate --engine dask`` does) and checks its counts too. ``bench/dask_scaling.py``
   measures its scaling on 10,000,000 incidents.

The parts live next to this script: ``synthetic.py`` (the generated zone, shared with
``dask_scaling.py``), ``count_diff.py`` (comparing count tables), ``aggregate_import.py`` (6) and
``aggregate_engines.py`` (7 and 8).

Run it from the repository root::

    .venv/bin/python bench/aggregate.py                     # N=1,000,000, M=2,000, R=1,000,000
    .venv/bin/python bench/aggregate.py --incidents 20000 --perimeters 50 --import-rows 5000
    .venv/bin/python bench/aggregate.py --postgis postgresql://me@dbhost/empty_db

Results go to stdout (machine first, an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

# helpers in bench/ (scripts run from bench/, which is then first on sys.path)
from aggregate_engines import bench_dask, bench_postgis, dask_row, postgis_rows
from aggregate_import import bench_import, import_rows, postgis_import_row
from cli import figure_table, positive, progress
from count_diff import compare_counts, print_diff
from machine import geo_stack_line, machine_line
from synthetic import generate_incidents, generate_perimeters, overlapping_share
from timing import best_of, runs_note, timed

from mmm.counting.count import count_incidents

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the throwaway cluster of the tests
from tests.pg_cluster import PgCluster  # noqa: E402

TARGET_SPEED_UP = 5.0


# -- the baseline ---------------------------------------------------------------------------
@dataclass(frozen=True)
class BaselineRun:
    """Seconds of each baseline stage, and the counts it produced."""

    points_s: float
    join_s: float
    count_s: float
    table: pd.DataFrame

    @property
    def total_s(self) -> float:
        return self.points_s + self.join_s + self.count_s


def run_baseline(
    incidents: pd.DataFrame, perimeters: gpd.GeoDataFrame
) -> tuple[float, BaselineRun]:
    """One timed run of points_from_xy + sjoin(within) + groupby per perimeter × phenomenon ×
    month."""
    t0 = time.perf_counter()
    points = gpd.GeoDataFrame(
        incidents[["phenomenon", "occurred"]],
        geometry=gpd.points_from_xy(incidents["x"], incidents["y"]),
        crs=perimeters.crs,
    )
    t1 = time.perf_counter()
    joined = gpd.sjoin(points, perimeters[["name", "geometry"]], predicate="within")
    t2 = time.perf_counter()
    month = joined["occurred"].dt.to_period("M").rename("period")
    sizes = joined.groupby(["name", "phenomenon", month], sort=True).size()
    table = sizes.reset_index(name="count").rename(columns={"name": "perimeter"})
    codes, uniques = pd.factorize(table["period"])
    table["period"] = np.asarray(uniques.astype(str), dtype=object)[codes]
    t3 = time.perf_counter()
    run = BaselineRun(t1 - t0, t2 - t1, t3 - t2, table)
    return run.total_s, run


# -- main -----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=positive, default=1_000_000, metavar="N")
    parser.add_argument("--perimeters", type=positive, default=2_000, metavar="M")
    parser.add_argument("--seed", type=int, default=20240501, metavar="S")
    parser.add_argument("--import-rows", type=positive, default=1_000_000, metavar="R")
    parser.add_argument(
        "--postgis",
        metavar="URL",
        help="an empty PostGIS database to use (default: start a throwaway local cluster)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(machine_line())
    print(geo_stack_line())
    print(
        f"data: {args.incidents:,} incidents, {args.perimeters:,} perimeters, seed {args.seed}; "
        f"CSV import of {args.import_rows:,} rows",
        flush=True,
    )
    rng = np.random.default_rng(args.seed)
    progress("generating incidents and perimeters")
    incidents = generate_incidents(args.incidents, rng)
    perimeters = generate_perimeters(args.perimeters, rng)
    overlap = overlapping_share(perimeters)
    print(f"perimeters overlapping another one: {overlap:.0%}")

    count = partial(count_incidents, incidents, perimeters, period="month")
    mmm_s, mmm_runs, mmm_table = best_of(timed(count), "mmm")
    base_s, base_runs, base = best_of(lambda: run_baseline(incidents, perimeters), "baseline")

    diff = compare_counts(mmm_table, base.table)
    if not diff.identical:
        print_diff(diff)
        return 1
    print(f"counts identical: yes ({diff.rows_mmm:,} non-zero rows)")
    speed_up = base_s / mmm_s
    verdict = "met" if speed_up >= TARGET_SPEED_UP else "NOT met"
    print(f"speed-up: {speed_up:.1f}× (baseline / mmm; target ≥ {TARGET_SPEED_UP:g}×: {verdict})")

    cluster = None if args.postgis else PgCluster().start()
    try:
        pg_url = args.postgis or cluster.new_database("mmm_bench")  # type: ignore[union-attr]
        pg = bench_postgis(pg_url, incidents, perimeters, mmm_table)
        if not pg.diff.identical:
            print("PostGIS counts against mmm:")
            print_diff(pg.diff)
            return 1
        print(f"PostGIS counts identical: yes ({pg.diff.rows_baseline:,} non-zero rows)")
        import_url = cluster.new_database("mmm_bench_import") if cluster else None
        with tempfile.TemporaryDirectory(prefix="mmm-bench-") as tmp:
            imp, pg_imp = bench_import(args.import_rows, rng, Path(tmp), import_url)
    finally:
        if cluster is not None:
            cluster.stop()
    print(f"import throughput: {imp.rows / imp.total_s:,.0f} rows/s")
    dask = bench_dask(incidents, perimeters, mmm_table, workers=2)
    if not dask.diff.identical:
        print("dask counts against mmm:")
        print_diff(dask.diff)
        return 1
    print(f"dask counts identical: yes ({dask.diff.rows_baseline:,} non-zero rows)")

    n = f"{args.incidents:,} incidents × {args.perimeters:,} perimeters"
    rows = [
        (f"mmm count_incidents, {n}", f"{mmm_s:.3f} s", runs_note(mmm_runs)),
        ("baseline: points_from_xy (point construction)", f"{base.points_s:.3f} s", ""),
        ("baseline: sjoin(predicate='within')", f"{base.join_s:.3f} s", ""),
        ("baseline: groupby perimeter × phenomenon × month", f"{base.count_s:.3f} s", ""),
        (
            "baseline total (points + sjoin + groupby)",
            f"{base_s:.3f} s",
            f"{runs_note(base_runs)} (stages from that run)",
        ),
        ("speed-up (baseline total / mmm)", f"{speed_up:.1f}×", f"target ≥ {TARGET_SPEED_UP:g}×"),
        *import_rows(imp),
        *postgis_rows(pg, mmm_s, n),
        dask_row(dask, mmm_s, n),
    ]
    if pg_imp is not None:
        rows.append(postgis_import_row(pg_imp))
    print()
    print(figure_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
