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
2. times :func:`mmm.counting.count.count_incidents` (``period="month"``), best of 3;
3. times, in the same process on the same data, the baseline an analyst would write:
   ``geopandas.points_from_xy`` + ``geopandas.sjoin(predicate="within")`` + a pandas groupby,
   best of 3 (of 1 when one run takes more than 20 s). Building the points is reported on its
   own and included in the baseline total;
4. checks that both give the same (perimeter, phenomenon, month, count) rows, and exits with
   status 1 and a diff summary when they do not;
5. prints the speed-up (baseline / mmm) against the target (≥ 2×);
6. writes R generated rows to a temporary CSV and times :func:`mmm.io.imports.import_incidents`
   into a fresh SQLite store (with a zone outline, so the outside-the-zone rule runs too),
   split approximately into read (pyogrio), validate and store phases;
7. on PostGIS (a throwaway cluster of Debian's PostgreSQL + PostGIS, as the tests start, or
   ``--postgis URL`` of an empty database): stores the same N incidents and M perimeters
   (``COPY``), times the counting query ``ST_Covers`` + ``GROUP BY`` (best of 3), checks its
   counts against mmm's, and times the same CSV import as in 6 into a fresh PostGIS store;
8. times the same count on a local dask cluster of 2 worker processes (the ``dask`` extra:
   :func:`mmm.counting.cluster.count_incidents_on_cluster`, the rows sent from this process as
   ``mmm aggregate --engine dask`` does) and checks its counts too. ``bench/dask_scaling.py``
   measures its scaling on 10,000,000 incidents.

Run it from the repository root::

    .venv/bin/python bench/aggregate.py                     # N=1,000,000, M=2,000, R=1,000,000
    .venv/bin/python bench/aggregate.py --incidents 20000 --perimeters 50 --import-rows 5000
    .venv/bin/python bench/aggregate.py --postgis postgresql://me@dbhost/empty_db

Results go to stdout (machine first, an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from machine import cpu_model  # bench/machine.py (scripts run from bench/)

from mmm.counting.count import count_incidents
from mmm.io.files import read_source
from mmm.io.imports import IncidentColumns, import_incident_source, import_incidents
from mmm.store import BatchInfo, Store, open_store
from mmm.store.postgis import PostGISStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the throwaway cluster of the tests
from tests.pg_cluster import PgCluster  # noqa: E402

CRS = "EPSG:31370"
#: South-west corner and side of the generated area (Lambert 72 metres, around Brussels).
ORIGIN = (140_000.0, 160_000.0)
SIDE_M = 20_000.0
PHENOMENA = (
    "burglary_dwelling",
    "bicycle_theft",
    "car_break_in",
    "drugs",
    "vandalism",
    "illegal_dumping",
    "pickpocketing",
    "violence",
)
PHENOMENON_SHARES = (0.18, 0.20, 0.14, 0.12, 0.12, 0.10, 0.08, 0.06)
FIRST_DAY = np.datetime64("2022-01-01T00:00:00", "s")
DAYS = 1096  # 2022, 2023 and 2024 (a leap year)
BACKGROUND_SHARE = 0.35
CLUSTERS = 80
OVERLAP_SHARE = 0.15
TARGET_SPEED_UP = 2.0
REPEATS = 3
SLOW_RUN_S = 20.0
KEYS = ["perimeter", "phenomenon", "period"]

T = TypeVar("T")


# -- data -----------------------------------------------------------------------------------
def generate_incidents(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` incidents: ``phenomenon``, ``occurred`` (datetime64[s]), ``x``, ``y`` (EPSG:31370).

    A share of them is uniform background, the rest falls in Gaussian clusters of 80–600 m
    spread with uneven weights; points leaving the area wrap around to its other side.
    """
    n_background = int(n * BACKGROUND_SHARE)
    centres = rng.uniform(0.0, SIDE_M, size=(CLUSTERS, 2))
    spread = rng.uniform(80.0, 600.0, size=CLUSTERS)
    weights = rng.gamma(0.8, size=CLUSTERS)
    which = rng.choice(CLUSTERS, size=n - n_background, p=weights / weights.sum())
    clustered = centres[which] + rng.standard_normal((len(which), 2)) * spread[which, None]
    background = rng.uniform(0.0, SIDE_M, size=(n_background, 2))
    xy = np.mod(np.concatenate([background, clustered]), SIDE_M)[rng.permutation(n)]
    phenomenon = np.asarray(PHENOMENA, dtype=object)[
        rng.choice(len(PHENOMENA), size=n, p=PHENOMENON_SHARES)
    ]
    seconds = rng.integers(0, DAYS * 86_400, size=n)
    return pd.DataFrame(
        {
            "phenomenon": pd.array(phenomenon, dtype="string"),  # as Store.incidents() gives it
            "occurred": FIRST_DAY + seconds.astype("timedelta64[s]"),
            "x": xy[:, 0] + ORIGIN[0],
            "y": xy[:, 1] + ORIGIN[1],
        }
    )


def generate_perimeters(m: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """``m`` valid polygons 150–600 m across, a third each of three shapes, some overlapping.

    Centres lie uniformly in the area (away from its edge); about ``OVERLAP_SHARE`` of the
    perimeters are then moved next to another one so that the two overlap.
    """
    margin = 400.0
    centres = rng.uniform(margin, SIDE_M - margin, size=(m, 2)) + np.asarray(ORIGIN)
    radius = rng.uniform(75.0, 300.0, size=m)
    movers = rng.choice(m, size=int(round(m * OVERLAP_SHARE)), replace=False)
    anchors = rng.integers(0, m, size=len(movers))
    anchors = np.where(anchors == movers, (anchors + 1) % m, anchors)
    angle = rng.uniform(0.0, 2 * np.pi, size=len(movers))
    offset = rng.uniform(0.3, 0.8, size=len(movers)) * np.minimum(radius[movers], radius[anchors])
    centres[movers] = centres[anchors] + offset[:, None] * np.c_[np.cos(angle), np.sin(angle)]

    shape = rng.integers(0, 3, size=m)
    geoms = np.empty(m, dtype=object)
    builders = (_buffered_points, _rotated_boxes, _star_polygons)
    for kind, build in enumerate(builders):
        chosen = shape == kind
        geoms[chosen] = build(centres[chosen], radius[chosen], rng)
    if not shapely.is_valid(geoms).all():
        raise RuntimeError("the perimeter generator made an invalid polygon")
    names = np.char.mod("P%05d", np.arange(m)).astype(object)
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs=CRS)


def _buffered_points(
    centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Discs around a point (a perimeter "within r metres of this address")."""
    return shapely.buffer(shapely.points(centres), radius, quad_segs=8)


def _rotated_boxes(centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rectangles (a square, a car park) with random aspect and rotation."""
    half_w = radius
    half_h = radius * rng.uniform(0.4, 1.0, size=len(radius))
    corners = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0]])
    local = corners[None, :, :] * np.stack([half_w, half_h], axis=1)[:, None, :]
    theta = rng.uniform(0.0, np.pi, size=len(radius))
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
    x = local[..., 0] * cos - local[..., 1] * sin + centres[:, :1]
    y = local[..., 0] * sin + local[..., 1] * cos + centres[:, 1:]
    return shapely.polygons(np.stack([x, y], axis=-1))


def _star_polygons(centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Irregular 12-gons (a few streets around a block): vertices in increasing angle order
    around the centre, so every polygon is simple."""
    n, k = len(radius), 12
    steps = rng.uniform(0.5, 1.5, size=(n, k))
    angles = 2 * np.pi * np.cumsum(steps, axis=1) / steps.sum(axis=1, keepdims=True)
    reach = radius[:, None] * rng.uniform(0.55, 1.0, size=(n, k))
    x = centres[:, :1] + reach * np.cos(angles)
    y = centres[:, 1:] + reach * np.sin(angles)
    ring = np.stack([x, y], axis=-1)
    return shapely.polygons(np.concatenate([ring, ring[:, :1]], axis=1))


def overlapping_share(perimeters: gpd.GeoDataFrame) -> float:
    """Share of perimeters whose interior overlaps another perimeter's."""
    geoms = perimeters.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
    return len(np.unique(left[left != right])) / max(len(geoms), 1)


def zone_outline() -> shapely.Polygon:
    """The generated area, as the zone outline of the import benchmark's store."""
    x0, y0 = ORIGIN
    return shapely.box(x0, y0, x0 + SIDE_M, y0 + SIDE_M)


# -- timing ---------------------------------------------------------------------------------
def best_of(run: Callable[[], tuple[float, T]], label: str) -> tuple[float, int, T]:
    """Call ``run`` (which returns its own seconds and a result) up to ``REPEATS`` times.

    Stops after one run when that run took more than ``SLOW_RUN_S`` seconds.
    Returns the best seconds, how many runs were made, and the best run's result.
    """
    best: tuple[float, T] | None = None
    runs = 0
    for runs in range(1, REPEATS + 1):
        seconds, result = run()
        progress(f"{label}: run {runs}: {seconds:.3f} s")
        if best is None or seconds < best[0]:
            best = (seconds, result)
        if seconds > SLOW_RUN_S:
            break
    assert best is not None
    return best[0], runs, best[1]


def progress(message: str) -> None:
    """One progress line on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- the two ways of counting ---------------------------------------------------------------
def run_mmm(incidents: pd.DataFrame, perimeters: gpd.GeoDataFrame) -> tuple[float, pd.DataFrame]:
    """One timed run of :func:`mmm.counting.count.count_incidents` per month."""
    start = time.perf_counter()
    table = count_incidents(incidents, perimeters, period="month")
    return time.perf_counter() - start, table


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
    """One timed run of points_from_xy + sjoin(within) + groupby per perimeter × phenomenon × month."""
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


# -- comparison -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CountDiff:
    """How two count tables differ on their (perimeter, phenomenon, period) rows."""

    rows_mmm: int
    rows_baseline: int
    only_mmm: int
    only_baseline: int
    different_count: int
    examples: pd.DataFrame

    @property
    def identical(self) -> bool:
        return self.only_mmm == self.only_baseline == self.different_count == 0


def compare_counts(mmm_table: pd.DataFrame, baseline: pd.DataFrame) -> CountDiff:
    """Compare the (perimeter, phenomenon, period, count) rows of both tables."""
    left = _plain_counts(mmm_table)
    right = _plain_counts(baseline)
    merged = left.merge(right, on=KEYS, how="outer", suffixes=("_mmm", "_baseline"), indicator=True)
    both = merged["_merge"] == "both"
    differs = both & (merged["count_mmm"] != merged["count_baseline"])
    wrong = merged[(merged["_merge"] != "both") | differs]
    return CountDiff(
        rows_mmm=len(left),
        rows_baseline=len(right),
        only_mmm=int((merged["_merge"] == "left_only").sum()),
        only_baseline=int((merged["_merge"] == "right_only").sum()),
        different_count=int(differs.sum()),
        examples=wrong.head(10),
    )


def _plain_counts(table: pd.DataFrame) -> pd.DataFrame:
    plain = table[[*KEYS, "count"]].copy()
    for key in KEYS:
        plain[key] = plain[key].astype(str)
    plain["count"] = plain["count"].astype(np.int64)
    return plain


# -- import ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportTiming:
    """Seconds of one CSV import, and of its phases measured on their own."""

    rows: int
    total_s: float
    read_s: float
    validate_s: float

    @property
    def store_s(self) -> float:
        return max(self.total_s - self.read_s - self.validate_s, 0.0)


def write_incident_csv(frame: pd.DataFrame, path: Path) -> Path:
    """The incidents as a police export would have them: id, phenomenon, ISO date, x, y (cm)."""
    ids = np.char.mod("PV-%08d", np.arange(len(frame))).astype(object)
    dates = np.datetime_as_string(frame["occurred"].to_numpy(dtype="datetime64[s]"), unit="s")
    pd.DataFrame(
        {
            "id": ids,
            "phenomenon": frame["phenomenon"],
            "date": dates,
            "x": frame["x"].round(2),
            "y": frame["y"].round(2),
        }
    ).to_csv(path, index=False)
    return path


def bench_import(
    rows: int, rng: np.random.Generator, workdir: Path, postgis_url: str | None = None
) -> tuple[ImportTiming, ImportTiming | None]:
    """Time ``import_incidents`` of a fresh CSV into a fresh SQLite store (one run), and into
    a fresh PostGIS store at ``postgis_url`` when one is given.

    Read and validate are timed on their own (``read_source``, then a dry run on the same
    source); the store phase is what remains of the full import, so the split is approximate.
    """
    progress(f"import: writing {rows:,} rows to a CSV")
    path = write_incident_csv(generate_incidents(rows, rng), workdir / "incidents.csv")
    on_sqlite = _timed_import(open_store(f"sqlite:///{workdir / 'bench.sqlite'}"), path, rows)
    if postgis_url is None:
        return on_sqlite, None
    progress("import into PostGIS")
    return on_sqlite, _timed_import(open_store(postgis_url), path, rows)


def _timed_import(store: Store, path: Path, rows: int) -> ImportTiming:
    try:
        store.set_zone("bench area", zone_outline(), BatchInfo("zone", "bench", "bench", 1, 0))
        columns = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
        progress("import: read")
        start = time.perf_counter()
        source = read_source(path)
        read_s = time.perf_counter() - start
        progress("import: validate (dry run)")
        start = time.perf_counter()
        import_incident_source(store, source, columns=columns, crs=CRS, dry_run=True)
        validate_s = time.perf_counter() - start
        progress("import: full import")
        start = time.perf_counter()
        report = import_incidents(store, path, crs=CRS, columns=columns, actor="bench")
        total_s = time.perf_counter() - start
    finally:
        store.close()
    if report.imported != rows:
        raise RuntimeError(f"imported {report.imported} of {rows} rows: {report.reasons()}")
    return ImportTiming(rows, total_s, read_s, validate_s)


# -- PostGIS --------------------------------------------------------------------------------
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

        def run() -> tuple[float, pd.DataFrame]:
            start = time.perf_counter()
            table = store.count_covered(period="month")
            return time.perf_counter() - start, table

        query_s, runs, table = best_of(run, "postgis")
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


# -- dask -----------------------------------------------------------------------------------
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

        def run() -> tuple[float, pd.DataFrame]:
            start = time.perf_counter()
            table = count_incidents_on_cluster(
                incidents, perimeters, client=client, partition_rows=-(-len(incidents) // 4)
            )
            return time.perf_counter() - start, table

        seconds, runs, table = best_of(run, f"dask {workers} workers")
    return DaskRun(workers, seconds, runs, compare_counts(mmm_table, table))


def dask_row(run: DaskRun, mmm_s: float, n: str) -> tuple[str, str, str]:
    """The dask line of the side-by-side table."""
    return (
        f"dask, {run.workers} local workers, {n}",
        f"{run.seconds:.3f} s",
        f"{runs_note(run.runs)}; {run.seconds / mmm_s:.1f}× mmm's time (bench/dask_scaling.py: "
        "scaling on 10M)",
    )


# -- output ---------------------------------------------------------------------------------
def machine_lines() -> list[str]:
    """CPU, core count and library versions."""
    return [
        f"machine: {cpu_model()}, {os.cpu_count()} cores ({platform.machine()}, {platform.system()})",
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"geopandas {gpd.__version__}, pyogrio {pyogrio.__version__} "
        f"(GDAL {pyogrio.__gdal_version_string__})",
    ]


def format_table(rows: list[tuple[str, str, str]]) -> str:
    """Rows of (figure, value, note) as aligned text: figures left, values right."""
    header = ("figure", "value", "note")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  {header[2]}"]
    lines.append("-" * (widths[0] + widths[1] + 4 + widths[2]))
    lines += [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c}".rstrip() for a, b, c in rows]
    return "\n".join(lines)


def runs_note(runs: int) -> str:
    if runs == REPEATS:
        return f"best of {REPEATS}"
    return f"1 run (it took > {SLOW_RUN_S:g} s)" if runs == 1 else f"best of {runs}"


def print_diff(diff: CountDiff) -> None:
    """The summary printed when the two counts disagree."""
    print("counts identical: NO")
    print(
        f"  rows: mmm {diff.rows_mmm:,}, baseline {diff.rows_baseline:,}; "
        f"only in mmm {diff.only_mmm:,}, only in baseline {diff.only_baseline:,}, "
        f"different count {diff.different_count:,}"
    )
    print("  first differing rows:")
    print(diff.examples.to_string(index=False))


# -- main -----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=_positive, default=1_000_000, metavar="N")
    parser.add_argument("--perimeters", type=_positive, default=2_000, metavar="M")
    parser.add_argument("--seed", type=int, default=20240501, metavar="S")
    parser.add_argument("--import-rows", type=_positive, default=1_000_000, metavar="R")
    parser.add_argument(
        "--postgis",
        metavar="URL",
        help="an empty PostGIS database to use (default: start a throwaway local cluster)",
    )
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for line in machine_lines():
        print(line)
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

    mmm_s, mmm_runs, mmm_table = best_of(lambda: run_mmm(incidents, perimeters), "mmm")
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
    rate = imp.rows / imp.total_s
    print(f"import throughput: {rate:,.0f} rows/s")
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
        (f"CSV import of {imp.rows:,} rows, total", f"{imp.total_s:.3f} s", f"{rate:,.0f} rows/s"),
        ("  read (pyogrio, read_source)", f"{imp.read_s:.3f} s", "timed on its own"),
        ("  validate (dry run)", f"{imp.validate_s:.3f} s", "timed on its own"),
        ("  store (total − read − validate)", f"{imp.store_s:.3f} s", "approximate"),
        *postgis_rows(pg, mmm_s, n),
        dask_row(dask, mmm_s, n),
    ]
    if pg_imp is not None:
        pg_rate = pg_imp.rows / pg_imp.total_s
        rows.append(
            (
                f"CSV import of {pg_imp.rows:,} rows into PostGIS, total",
                f"{pg_imp.total_s:.3f} s",
                f"{pg_rate:,.0f} rows/s (store ≈ {pg_imp.store_s:.3f} s)",
            )
        )
    print()
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
