"""Benchmark: the near-repeat Knox table (mmm) against PySAL pointpats' ``Knox`` on the same data.

What it measures, and why
-------------------------
An analyst runs the near-repeat test on a zone's burglaries with 999 permutations, as
Ratcliffe's calculator does, and changes the bands a few times: it has to take seconds, not
minutes — and give the reference implementation's counts. The script

1. builds seeded burglaries in an 8 × 8 km zone over three years: 60 % in residential clusters,
   25 % spread out, 15 % near repeats (within 150 m and 1–14 days of an earlier one);
2. times :func:`mmm.hotspots.near_repeat.knox_table` on the whole table (distance bands
   0, 100, …, 500 m × time bands 0, 7, …, 56 days, ``--permutations`` shuffles, default 999),
   best of 3 (wall and CPU time: the CPU time of this process stays meaningful when other work
   shares the machine);
3. times, in the same process on the same events, pointpats' ``Knox`` for one cell of the table
   (within 200 m and 14 days, Johnson et al.'s near-repeat reach) with
   ``--pointpats-permutations`` shuffles (default 99: its permutations run in Python, about a
   second each at 10,000 events), and mmm's table of that one cell with as many shuffles;
4. checks that the observed and expected counts of that cell agree (exits with status 1 when
   they do not) and prints the speed-up at equal work.

Run it from the repository root::

    .venv/bin/python bench/near_repeat.py                       # 10,000 events
    .venv/bin/python bench/near_repeat.py --events 500 --permutations 19 --pointpats-permutations 9

Results go to stdout (machine first, an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import scipy
import scipy.spatial

# helpers in bench/ (scripts run from bench/, which is then first on sys.path)
from cli import figure_table, positive, progress
from machine import machine_line
from timing import best_of, runs_note

from mmm.hotspots.near_repeat import knox_table

DISTANCE_BANDS = (0.0, 100.0, 200.0, 300.0, 400.0, 500.0)
TIME_BANDS = (0, 7, 14, 21, 28, 35, 42, 49, 56)
DELTA_M, TAU_DAYS = 200.0, 14  # the single cell compared with pointpats
SIDE_M, DAYS = 8_000.0, 3 * 365
T = TypeVar("T")


def make_events(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` burglaries: x, y in metres and whole days (see the module docstring)."""
    repeats = int(0.15 * n)
    clustered = int(0.6 * n)
    spread = n - repeats - clustered
    centres = rng.uniform(500, SIDE_M - 500, size=(40, 2))
    home = centres[rng.integers(0, len(centres), clustered)] + rng.normal(0, 300, (clustered, 2))
    xy = np.vstack([home, rng.uniform(0, SIDE_M, size=(spread, 2))])
    days = rng.integers(0, DAYS, len(xy))
    source = rng.integers(0, len(xy), repeats)
    angle, reach = rng.uniform(0, 2 * np.pi, repeats), rng.uniform(0, 150, repeats)
    follow = xy[source] + np.column_stack([reach * np.cos(angle), reach * np.sin(angle)])
    xy = np.vstack([xy, follow])
    days = np.concatenate([days, days[source] + rng.integers(1, 15, repeats)])
    return xy[:, 0], xy[:, 1], days


def run_pointpats(x: np.ndarray, y: np.ndarray, days: np.ndarray, permutations: int):
    """One run of pointpats' Knox for the cell within DELTA_M and TAU_DAYS."""
    from pointpats.spacetime import Knox

    return Knox(
        np.column_stack([x, y]), days.reshape(-1, 1).astype(float), DELTA_M, TAU_DAYS,
        permutations=permutations,
    )  # fmt: skip


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def with_cpu(work: Callable[[], T]) -> Callable[[], tuple[float, tuple[float, T]]]:
    """``work`` as a run for :func:`timing.best_of`: its wall seconds, and its CPU seconds
    (this process) with its result — the CPU time stays meaningful on a shared machine."""

    def run() -> tuple[float, tuple[float, T]]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        return time.perf_counter() - wall, (time.process_time() - cpu, result)

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=positive, default=10_000, metavar="N")
    parser.add_argument("--permutations", type=positive, default=999, metavar="N")
    parser.add_argument("--pointpats-permutations", type=positive, default=99, metavar="N")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args(argv)
    import pointpats

    print(machine_line())
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"pointpats {pointpats.__version__}"
    )
    x, y, days = make_events(args.events, np.random.default_rng(args.seed))
    print(
        f"{len(x):,} burglaries in {SIDE_M / 1000:g} × {SIDE_M / 1000:g} km over {DAYS} days "
        f"(15 % near repeats), seed {args.seed}"
    )

    progress(f"mmm: the {len(DISTANCE_BANDS)} × {len(TIME_BANDS)} table, {args.permutations} "
             "permutations")  # fmt: skip
    full_s, full_runs, (full_cpu, full) = best_of(
        with_cpu(lambda: knox_table(x, y, days, DISTANCE_BANDS, TIME_BANDS,
                                    permutations=args.permutations, seed=1)),
        "mmm table",
    )  # fmt: skip
    k = args.pointpats_permutations
    progress(f"mmm: one cell (≤ {DELTA_M:g} m, ≤ {TAU_DAYS} days), {k} permutations")
    cell_s, cell_runs, (cell_cpu, cell) = best_of(
        with_cpu(lambda: knox_table(x, y, days, [DELTA_M], [TAU_DAYS], permutations=k, seed=1)),
        "mmm cell",
    )
    progress("warming up pointpats (imports and first-call costs are not timed)")
    run_pointpats(x[:50], y[:50], days[:50], 1)
    progress(f"pointpats Knox: one cell, {k} permutations (one run)")
    ref_s, (ref_cpu, ref) = with_cpu(lambda: run_pointpats(x, y, days, k))()

    same = int(ref.nst) == int(cell.observed[0, 0]) == int(full.observed[:3, :3].sum())
    same_expected = abs(float(ref.expected[0, 0]) - float(cell.expected[0, 0])) <= 1e-6 * max(
        1.0, float(ref.expected[0, 0])
    )
    ratio = ref_s / cell_s
    tree = scipy.spatial.cKDTree(np.column_stack([x, y]))
    within = (int(tree.count_neighbors(tree, DISTANCE_BANDS[-1])) - len(x)) // 2
    rows = [
        (f"mmm table {len(DISTANCE_BANDS)} × {len(TIME_BANDS)}, {args.permutations} permutations",
         seconds(full_s), f"{runs_note(full_runs)}; CPU {seconds(full_cpu)}; {within:,} pairs "
         f"within {DISTANCE_BANDS[-1]:g} m"),
        (f"mmm one cell, {k} permutations", seconds(cell_s),
         f"{runs_note(cell_runs)}; CPU {seconds(cell_cpu)}"),
        (f"pointpats Knox one cell, {k} permutations", seconds(ref_s),
         f"1 run; CPU {seconds(ref_cpu)}"),
        ("speed-up at equal work", f"{ratio:,.0f}×",
         f"pointpats / mmm, same cell and shuffles (CPU: {ref_cpu / cell_cpu:,.0f}×)"),
        ("observed pairs ≤ 200 m and ≤ 14 days", f"{int(ref.nst):,}",
         f"mmm {int(cell.observed[0, 0]):,} (cell), {int(full.observed[:3, :3].sum()):,} "
         "(table's corner)"),
        ("expected pairs", f"{float(ref.expected[0, 0]):,.2f}",
         f"mmm {float(cell.expected[0, 0]):,.2f}"),
        ("p-value of the cell", f"{ref.p_sim:.3f}", f"mmm {float(cell.p[0, 0]):.3f}"),
    ]  # fmt: skip
    print(f"mmm table: {seconds(full_s)}; one cell: mmm {seconds(cell_s)}, pointpats "
          f"{seconds(ref_s)}, speed-up: {ratio:.1f}×")  # fmt: skip
    print(f"same observed counts: {'yes' if same else 'no'}; same expected: "
          f"{'yes' if same_expected else 'no'}")  # fmt: skip
    print()
    print(figure_table(rows))
    return 0 if same and same_expected else 1


if __name__ == "__main__":
    sys.exit(main())
