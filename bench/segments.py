"""Benchmark: assigning incidents to the nearest street segment, against geopandas.sjoin_nearest.

What it measures, and why
-------------------------
``mmm segments`` assigns every incident of a zone to the nearest street segment within the snap
distance (25 m) before it counts and measures concentration; an analyst would do the same with
``geopandas.sjoin_nearest(max_distance=25)``. It must give the same assignment and be fast on a
whole zone. The script

1. generates a seeded street network of M segments over a square area (the nodes of a jittered
   lattice about 140 m apart; each segment joins two neighbouring nodes through a bent middle
   vertex, so segments meet at crossings and are three vertices long) and N incidents: three
   quarters near a random point of a random segment (Gaussian, 15 m), a small share exactly on
   a crossing (a tie between the segments that meet there), the rest uniform over the area
   (many beyond the snap distance);
2. times :func:`mmm.counting.segments.nearest_segments` from the incidents' x/y columns,
   best of 3;
3. times, in the same process on the same data, the baseline: ``geopandas.points_from_xy``,
   ``geopandas.sjoin_nearest(how="left", max_distance=snap)`` (which returns every equally near
   segment), and a groupby that keeps the lowest segment id of a tie — best of 3, or 1 run when
   one takes more than 20 s; the stages are reported on their own;
4. checks that both assign every incident to the same segment (or to none) and exits with
   status 1, naming the first differences, when they do not;
5. prints both times and the speed-up (baseline / mmm) against the target (≥ 5×).

Run it from the repository root::

    .venv/bin/python bench/segments.py                         # N=1,000,000, M=20,000
    .venv/bin/python bench/segments.py --incidents 20000 --segments 500

Results go to stdout (machine first, an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

# helpers in bench/ (scripts run from bench/, which is then first on sys.path)
from cli import figure_table, positive, progress
from machine import geo_stack_line, machine_line
from timing import best_of, runs_note, timed

from mmm.counting.segments import nearest_segments

TARGET_SPEED_UP = 5.0
CRS = "EPSG:31370"
ORIGIN = (140_000.0, 160_000.0)
NODE_SPACING_M = 140.0
NEAR_SHARE, ON_CROSSING_SHARE = 0.75, 0.005
NEAR_SPREAD_M = 15.0


# -- data -----------------------------------------------------------------------------------
def generate_streets(m: int, rng: np.random.Generator) -> np.ndarray:
    """``m`` three-vertex segments between neighbouring nodes of a jittered square lattice."""
    k = int(np.ceil(np.sqrt(m / 2))) + 1  # a k × k lattice has 2·k·(k − 1) ≥ m neighbour pairs
    gx, gy = np.meshgrid(np.arange(k) * NODE_SPACING_M, np.arange(k) * NODE_SPACING_M)
    nodes = np.column_stack([gx.ravel(), gy.ravel()]) + np.asarray(ORIGIN)
    nodes += rng.normal(0.0, 0.15 * NODE_SPACING_M, size=nodes.shape)
    index = np.arange(k * k).reshape(k, k)
    a = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    b = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    chosen = rng.choice(len(a), size=m, replace=False)
    a, b = a[chosen], b[chosen]
    middle = (nodes[a] + nodes[b]) / 2 + rng.normal(0.0, 0.08 * NODE_SPACING_M, size=(m, 2))
    return shapely.linestrings(np.stack([nodes[a], middle, nodes[b]], axis=1))


def generate_incidents(
    n: int, streets: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """x and y of ``n`` incidents: near a segment, on a crossing, or anywhere in the area."""
    near = int(n * NEAR_SHARE)
    crossing = int(n * ON_CROSSING_SHARE)
    on = rng.integers(0, len(streets), size=near)
    spots = shapely.line_interpolate_point(streets[on], rng.random(near), normalized=True)
    xy_near = shapely.get_coordinates(spots) + rng.normal(0.0, NEAR_SPREAD_M, size=(near, 2))
    ends = shapely.get_coordinates(shapely.get_point(streets, 0))
    xy_crossing = ends[rng.integers(0, len(ends), size=crossing)]
    x0, y0, x1, y1 = shapely.total_bounds(streets)
    xy_any = rng.uniform((x0, y0), (x1, y1), size=(n - near - crossing, 2))
    xy = np.concatenate([xy_near, xy_crossing, xy_any])[rng.permutation(n)]
    return xy[:, 0].copy(), xy[:, 1].copy()


# -- the baseline ---------------------------------------------------------------------------
@dataclass(frozen=True)
class BaselineRun:
    """Seconds of each baseline stage, and the segment it gave each incident (-1: none)."""

    points_s: float
    join_s: float
    ties_s: float
    assigned: np.ndarray

    @property
    def total_s(self) -> float:
        return self.points_s + self.join_s + self.ties_s


def run_baseline(
    x: np.ndarray, y: np.ndarray, streets: np.ndarray, snap: float
) -> tuple[float, BaselineRun]:
    """One timed run of points_from_xy + sjoin_nearest(max_distance) + lowest id of a tie."""
    t0 = time.perf_counter()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=CRS)
    lines = gpd.GeoDataFrame({"segment": np.arange(len(streets))}, geometry=streets, crs=CRS)
    t1 = time.perf_counter()
    joined = gpd.sjoin_nearest(points, lines, how="left", max_distance=snap)
    t2 = time.perf_counter()
    lowest = joined.groupby(level=0)["segment"].min()
    assigned = lowest.reindex(points.index).fillna(-1).to_numpy(dtype=np.int64)
    t3 = time.perf_counter()
    run = BaselineRun(t1 - t0, t2 - t1, t3 - t2, assigned)
    return run.total_s, run


# -- main -----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=positive, default=1_000_000, metavar="N")
    parser.add_argument("--segments", type=positive, default=20_000, metavar="M")
    parser.add_argument("--snap", type=float, default=25.0, metavar="METRES")
    parser.add_argument("--seed", type=int, default=20240501, metavar="S")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(machine_line())
    print(geo_stack_line())
    print(
        f"data: {args.incidents:,} incidents, {args.segments:,} street segments, snap "
        f"{args.snap:g} m, seed {args.seed}",
        flush=True,
    )
    rng = np.random.default_rng(args.seed)
    progress("generating the street network and the incidents")
    streets = generate_streets(args.segments, rng)
    x, y = generate_incidents(args.incidents, streets, rng)

    run_mmm = timed(lambda: nearest_segments(x, y, streets, args.snap))
    mmm_s, mmm_runs, found = best_of(run_mmm, "mmm")
    base_s, base_runs, base = best_of(lambda: run_baseline(x, y, streets, args.snap), "baseline")

    differ = np.flatnonzero(found != base.assigned)
    if len(differ):
        print(f"assignments identical: NO ({len(differ):,} incidents differ)")
        for i in differ[:10]:
            print(f"  incident {i} at ({x[i]:.3f}, {y[i]:.3f}): mmm {found[i]}, "
                  f"baseline {base.assigned[i]}")  # fmt: skip
        return 1
    on_street = float((found >= 0).mean())
    print(f"assignments identical: yes ({on_street:.1%} of the incidents on a street)")
    speed_up = base_s / mmm_s
    verdict = "met" if speed_up >= TARGET_SPEED_UP else "NOT met"
    print(f"speed-up: {speed_up:.1f}× (baseline / mmm; target ≥ {TARGET_SPEED_UP:g}×: {verdict})")

    n = f"{args.incidents:,} incidents × {args.segments:,} segments"
    rows = [
        (f"mmm nearest_segments, {n}", f"{mmm_s:.3f} s", runs_note(mmm_runs)),
        ("baseline: points_from_xy (point construction)", f"{base.points_s:.3f} s", ""),
        (f"baseline: sjoin_nearest(max_distance={args.snap:g})", f"{base.join_s:.3f} s", ""),
        ("baseline: lowest segment id of a tie (groupby)", f"{base.ties_s:.3f} s", ""),
        (
            "baseline total (points + sjoin_nearest + ties)",
            f"{base_s:.3f} s",
            f"{runs_note(base_runs)} (stages from that run)",
        ),
        ("speed-up (baseline total / mmm)", f"{speed_up:.1f}×", f"target ≥ {TARGET_SPEED_UP:g}×"),
    ]
    print()
    print(figure_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
