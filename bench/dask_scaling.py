"""Benchmark: counting incidents in partitions on a dask cluster of 1 and 2 workers.

What it measures, and why
-------------------------
A national analysis (many zones, many years) may not fit one process; counts are additive, so
:func:`mmm.counting.cluster.count_incidents_on_cluster` counts partitions on dask workers and sums
them. This script shows what that costs and gains on one machine, against the in-process
:func:`mmm.counting.count.count_incidents` on the same data, in the same run:

1. generates N seeded incidents in chunks of C rows (chunk ``i`` comes from
   ``default_rng([seed, i])`` and :func:`synthetic.generate_incidents` — the generator
   ``bench/aggregate.py`` uses too, so every chunk is a clustered zone of its own over the same
   area) and M perimeters (:func:`synthetic.generate_perimeters`, some overlapping). C defaults
   to 2,500,000: four partitions of ≈ 120 MB, an even share for 1 and for 2 workers;
2. times ``count_incidents`` on all N rows at once (period ``month``), best of 3;
3. for each worker count W (default 1 and 2): starts a ``LocalCluster`` of W single-thread
   worker processes, lets the workers generate the same chunks themselves (one partition per
   chunk, kept in their memory — as workers of a real cluster read their own files) and times
   ``count_incidents_on_cluster`` on that dask DataFrame, best of 3; then times the path of
   ``mmm aggregate --engine dask`` too, which sends the rows from this process's memory;
4. checks that every dask table equals the in-process table (every row and column) and prints
   ``identical: yes`` — or ``identical: NO`` with a diff summary and exit status 1.

Run it from the repository root::

    .venv/bin/python bench/dask_scaling.py                    # N=10,000,000, M=2,000, C=2,500,000
    .venv/bin/python bench/dask_scaling.py --incidents 20000 --perimeters 50 --chunk-rows 4000

Results go to stdout (an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial

import dask.dataframe as dd
import numpy as np
import pandas as pd

# helpers in bench/ (scripts run from bench/, which is then first on sys.path)
from cli import figure_table, positive, progress
from count_diff import compare_counts, print_diff
from distributed import Client, wait
from machine import geo_stack_line, machine_line
from synthetic import generate_incidents, generate_perimeters, overlapping_share
from timing import best_of, runs_note, timed

from mmm.counting.cluster import count_incidents_on_cluster, open_cluster
from mmm.counting.count import count_incidents


def incident_chunk(seed: int, index: int, rows: int) -> pd.DataFrame:
    """Chunk ``index`` of the generated incidents: the same rows wherever it is generated."""
    return generate_incidents(rows, np.random.default_rng([seed, index]))


def chunk_sizes(total: int, chunk_rows: int) -> list[int]:
    """Rows per chunk: ``chunk_rows`` each, the last one what remains."""
    return [min(chunk_rows, total - start) for start in range(0, total, chunk_rows)]


def generated_on_workers(
    client: Client, seed: int, sizes: list[int], meta: pd.DataFrame
) -> tuple[float, dd.DataFrame]:
    """The chunks as a dask DataFrame generated and kept by the workers; seconds it took.

    ``meta`` is an empty frame with the chunks' columns (so dask need not generate one to see).
    """
    start = time.perf_counter()
    frame = dd.from_map(incident_chunk, [seed] * len(sizes), range(len(sizes)), sizes, meta=meta)
    frame = client.persist(frame)
    wait(frame)
    return time.perf_counter() - start, frame


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=positive, default=10_000_000, metavar="N")
    parser.add_argument("--perimeters", type=positive, default=2_000, metavar="M")
    parser.add_argument("--chunk-rows", type=positive, default=2_500_000, metavar="C")
    parser.add_argument("--workers", type=positive, nargs="+", default=[1, 2], metavar="W")
    parser.add_argument("--seed", type=int, default=20240501, metavar="S")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = chunk_sizes(args.incidents, args.chunk_rows)
    print(machine_line())
    print(geo_stack_line())
    print(
        f"data: {args.incidents:,} incidents in {len(sizes)} chunks of ≤ {args.chunk_rows:,}, "
        f"{args.perimeters:,} perimeters, seed {args.seed}; period month",
        flush=True,
    )
    perimeters = generate_perimeters(args.perimeters, np.random.default_rng(args.seed))
    print(f"perimeters overlapping another one: {overlapping_share(perimeters):.0%}")
    progress("generating the incidents for the in-process run")
    incidents = pd.concat(
        [incident_chunk(args.seed, i, rows) for i, rows in enumerate(sizes)], ignore_index=True
    )

    local_s, local_runs, expected = best_of(
        timed(lambda: count_incidents(incidents, perimeters, period="month")), "in-process"
    )
    n = f"{args.incidents:,} incidents × {args.perimeters:,} perimeters"
    rows = [(f"in-process count_incidents, {n}", f"{local_s:.3f} s", runs_note(local_runs))]
    per_workers: dict[int, float] = {}
    tables: list[tuple[str, pd.DataFrame]] = []
    for workers in args.workers:
        label = f"dask, {workers} worker{'s' if workers > 1 else ''}"
        progress(f"{label}: starting a local cluster")
        with open_cluster(workers=workers) as client:
            load_s, frame = generated_on_workers(client, args.seed, sizes, incidents.head(0))
            on_workers = partial(
                count_incidents_on_cluster, frame, perimeters, client=client, period="month"
            )
            seconds, runs, table = best_of(timed(on_workers), label)
            del frame, on_workers
            sent = partial(
                count_incidents_on_cluster,
                incidents,
                perimeters,
                client=client,
                period="month",
                partition_rows=args.chunk_rows,
            )
            memory_s, memory_runs, from_memory = best_of(
                timed(sent), f"{label}, rows sent from this process"
            )
        per_workers[workers] = seconds
        tables += [(label, table), (f"{label}, rows sent from this process", from_memory)]
        rows += [
            (
                f"{label}: partitions on the workers",
                f"{seconds:.3f} s",
                f"{runs_note(runs)}; in-process / dask = {local_s / seconds:.2f}×"
                f" (workers generated the data in {load_s:.1f} s, not timed)",
            ),
            (
                f"{label}: rows sent from this process",
                f"{memory_s:.3f} s",
                f"{runs_note(memory_runs)}; as `mmm aggregate --engine dask`",
            ),
        ]

    for label, table in tables:
        if not table.equals(expected):
            print(f"identical: NO ({label} differs from the in-process table)")
            print_diff(compare_counts(table, expected))
            return 1
    print(f"identical: yes ({len(expected):,} non-zero rows, {len(tables)} dask tables)")
    one = per_workers.get(1)
    for workers, seconds in per_workers.items():
        if one is not None and workers > 1:
            rows.append(
                (f"scaling 1 → {workers} workers", f"{one / seconds:.2f}×", "dask time ratio")
            )
    print()
    print(figure_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
