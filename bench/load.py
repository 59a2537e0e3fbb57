"""Benchmark: fifty logged-in users at once, on waitress and on Flask's development server.

What it measures, and why
-------------------------
A zone's staff and partners use the app at the same time — before a partner meeting, say.
This script serves one store with ``mmm serve`` as deployed (waitress, ``--threads`` worker
threads) and then, in the same run, with ``mmm serve --dev`` (Flask's development server,
the baseline), each as its own process on loopback, and measures what users get:

1. builds a SQLite store: the demo zone, its 10 perimeters (and as many more as make
   ``--perimeters M``: 80–320 m across, some overlapping), N seeded incidents inside the zone
   (``bench/mappage_data.py``: uniform background plus hotspots, the demo's 8 phenomena,
   dates over 2023–2025), the labels and the demo log-ins (kept under ``--workdir`` and
   reused by a later run with the same N, M and seed);
2. per server: starts it, waits for it, makes one request of each kind as an analyst (these
   wait for the server's warm-up — the first read of the incidents, the count, the
   near-repeat tests and each kind of reader's default pages (``webmap.ahead``), as at every
   start of a zone's server —: reported apart, as "first request"), logs in
   U users (analysts, officers and partners in turn; not timed), then lets them all start at
   once: each makes R requests one after the other, cycling through the zone map
   (``/map`` over all three years), its perimeter pages (``/perimeters/<id>``), ``/api/counts``
   (per month) and ``/api/perimeters``. Any answer but 200, or a failed request, is an error;
   no request starts after ``--max-seconds``;
3. prints per server the requests, errors, p50/p95/p99 of the response times, the throughput
   (requests per second of wall time) and the server's peak memory; per kind of request the
   p50 and p95; and the verdict on the target: waitress at p95 < 0.5 s with 0 errors.

A missed target is printed as FAIL but is not an error: the exit status is 0 unless something
went wrong (a server that does not start, a user who cannot log in).

Run it from the repository root::

    .venv/bin/python bench/load.py                                  # 1,000,000 incidents
    .venv/bin/python bench/load.py --incidents 100000 --requests 10
    .venv/bin/python bench/load.py --perimeters 2000                # and 2,000 perimeters
    .venv/bin/python bench/load.py --incidents 2000 --users 4 --requests 3   # the test's size

Results go to stdout (machine first, aligned tables last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from datetime import date
from importlib.metadata import version
from pathlib import Path

import numpy as np
from cli import format_table, positive, progress
from load_client import PAGES, Outcome, run_users, serve, warm_up
from machine import machine_line
from mappage_data import PERIOD, prepare_store

SERVERS = (("waitress", False), ("dev server", True))
TARGET_P95_S = 0.5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=positive, default=1_000_000, metavar="N")
    parser.add_argument("--perimeters", type=positive, default=10, metavar="M",
                        help="perimeters, the demo's 10 included (default: %(default)s)")  # fmt: skip
    parser.add_argument("--users", type=positive, default=50, metavar="U")
    parser.add_argument("--requests", type=positive, default=20, metavar="R",
                        help="requests per user (default: %(default)s)")  # fmt: skip
    parser.add_argument("--threads", type=positive, default=4, metavar="T",
                        help="waitress's worker threads (default: %(default)s)")  # fmt: skip
    parser.add_argument("--max-seconds", type=positive, default=1800, metavar="S",
                        help="no request starts later than this per server (default: %(default)s)")  # fmt: skip
    parser.add_argument("--workdir", type=Path, metavar="DIR",
                        help="keep the store here and reuse it (default: a temporary directory)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=20240601, metavar="S")
    return parser.parse_args(argv)


def measure(store_url: str, dev: bool, args: argparse.Namespace) -> tuple[Outcome, dict, float]:
    """One server: its first requests (seconds per kind), the users' outcome, its peak RSS."""
    label = "dev server" if dev else f"waitress ({args.threads} threads)"
    with serve(store_url, dev=dev, threads=args.threads) as server:
        progress(f"{label}: first request of each kind")
        first = warm_up(server.url)
        progress(f"{label}: {args.users} users × {args.requests} requests")
        outcome = run_users(server.url, args.users, args.requests, args.max_seconds)
        return outcome, first, server.peak_rss_mb()


def _percentiles(seconds: list[float]) -> list[str]:
    if not seconds:
        return ["–", "–", "–"]
    return [f"{v:.3f}" for v in np.percentile(seconds, [50, 95, 99])]


def print_report(results: dict[str, tuple[Outcome, dict, float]], args: argparse.Namespace) -> None:
    rows, kinds = [], []
    for name, (outcome, _, rss) in results.items():
        every = [s for seconds in outcome.seconds.values() for s in seconds]
        throughput = len(every) / outcome.wall_s if outcome.wall_s else 0.0
        rows.append([name, f"{outcome.requests:,}", f"{len(outcome.errors):,}",
                     *_percentiles(every), f"{throughput:.1f}", f"{outcome.wall_s:.1f}",
                     f"{rss:,.0f}"])  # fmt: skip
    print(f"\n{args.users} users × {args.requests} requests at once, on loopback")
    header = ("server", "requests", "errors", "p50 s", "p95 s", "p99 s", "req/s", "wall s",
              "peak RSS MB")  # fmt: skip
    print(format_table(header, rows))
    for kind, _ in PAGES:
        cells = []
        for outcome, first, _ in results.values():
            cells += [f"{first[kind]:.3f}", *_percentiles(outcome.seconds.get(kind, []))[:2]]
        kinds.append([kind, *cells])
    names = list(results)
    print("\nPer kind of request (first: the warm-up request, before the users)")
    header = ("request", *(f"{n} {c}" for n in names for c in ("first s", "p50 s", "p95 s")))
    print(format_table(header, kinds))
    errors = sorted({e for outcome, _, _ in results.values() for e in outcome.errors})
    if errors:
        print(f"\nerrors: {'; '.join(errors[:10])}")
    outcome = results["waitress"][0]
    p95 = float(np.percentile([s for v in outcome.seconds.values() for s in v] or [np.inf], 95))
    verdict = "PASS" if p95 < TARGET_P95_S and not outcome.errors else "FAIL"
    print(f"\ntarget: waitress p95 < {TARGET_P95_S} s with 0 errors at {args.incidents:,} "
          f"incidents: {verdict} (p95 {p95:.3f} s, {len(outcome.errors)} errors)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(machine_line(memory=True))
    print(f"python {platform.python_version()}, flask {version('flask')}, "
          f"werkzeug {version('werkzeug')}, waitress {version('waitress')}, "
          f"requests {version('requests')}; run on {date.today().isoformat()}")  # fmt: skip
    print(
        f"data: demo zone, {args.perimeters:,} perimeters, {args.incidents:,} incidents "
        f"({PERIOD.first} to {PERIOD.last}), seed {args.seed}; zone map over the whole period; "
        f"waitress: mmm serve --threads {args.threads}; dev server: mmm serve --dev (Flask's)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="mmm-load-") as tmp:
        directory = args.workdir or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        store_url = prepare_store(directory, args.incidents, args.seed, args.perimeters)
        results = {}
        for name, dev in SERVERS:
            results[name] = measure(store_url, dev, args)
    print_report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
