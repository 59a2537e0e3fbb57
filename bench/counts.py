"""Benchmark: counts served from the count cube, against recounting on every request.

What it measures, and why
-------------------------
Fifty people at once open zone maps, perimeter pages and ``/api/counts``. Each of those used to
count the incidents again (and the first of them to read a million rows from SQLite row by
row); now the incidents are read once from their columnar copy, counted once per data version
into the count cube (:mod:`mmm.counting.cube`), and every view slices it. The script

1. builds (or reuses, under ``--workdir``) a SQLite store: the demo zone, N seeded incidents
   and M perimeters (the demo's 10 and more, 80–320 m across, some overlapping;
   ``bench/mappage_data.py``), the demo log-ins;
2. times the first read of the incidents: the baseline (rows turned into columns with ``zip``
   and numpy's date parsing, as before), the read from SQLite as it is now (Arrow builds the
   columns; what happens when no columnar copy exists yet), and the read of the columnar copy
   (fresh store objects each time; best of 3); all three frames must be equal;
3. times building the count cube (once per data version) and, as its baseline, one
   ``count_incidents`` per perimeter × phenomenon × month (what every request did);
4. serves the app in this process (Flask's test client, a clock around the WSGI app: server
   time, no network) logged in as the demo analyst, and times ``GET /api/counts?period=month``
   and ``GET /map`` for several month ranges — all months, the last 12, the last one and
   random ones: each range's first request (the cube is warm, the range new) and the best of R
   — next to the same requests answered the old way in the same run (``bench/counts_baseline.py``:
   ``count_incidents`` on every request; the grid counted and every figure asked one by one);
   the zone map's time is split into the counts (``zone_overview``) and the rest of the page
   (a range's first request builds the page, the next ones are served what it kept:
   :mod:`webmap.answers`);
5. prints the machine, an aligned table, and the verdicts: the columnar read under 1 s,
   ``/api/counts`` under 50 ms warm, the zone map under 150 ms warm for every range.

A missed target is printed as FAIL but is not an error: the exit status is 0 unless something
went wrong (a store, a frame or a count table that differs from its baseline).

Run it from the repository root::

    .venv/bin/python bench/counts.py                     # 1,000,000 incidents, 2,000 perimeters
    .venv/bin/python bench/counts.py --perimeters 10     # the demo's perimeters only
    .venv/bin/python bench/counts.py --incidents 3000 --perimeters 20 --requests 2

Results go to stdout (machine first, an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cli import figure_table, positive, progress
from counts_baseline import old_paths, old_read
from machine import geo_stack_line, machine_line
from mappage_data import prepare_store
from mappage_server import ServerClock
from mappage_steps import timed_calls

import webmap.maps.routes as map_routes
from mmm.counting.count import count_incidents
from mmm.counting.cube import count_cube
from mmm.demo import DEMO_PASSWORD
from mmm.store import open_store
from webmap import create_app, warm_up

TARGET_READ_S = 1.0
TARGET_COUNTS_S = 0.050
TARGET_MAP_S = 0.150


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=positive, default=1_000_000, metavar="N")
    parser.add_argument("--perimeters", type=positive, default=2_000, metavar="M",
                        help="perimeters, the demo's 10 included (default: %(default)s)")  # fmt: skip
    parser.add_argument("--requests", type=positive, default=5, metavar="R",
                        help="warm requests per figure, the best is kept (default: %(default)s)")  # fmt: skip
    parser.add_argument("--workdir", type=Path, metavar="DIR",
                        help="keep the store here and reuse it (default: a temporary directory)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=20240601, metavar="S")
    return parser.parse_args(argv)


def seconds_of(work: Callable[[], Any], repeats: int = 1) -> tuple[float, Any]:
    """Best wall time of ``repeats`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def first_read(url: str) -> list[tuple[str, float]]:
    """Seconds of the three first reads (see the module), each on a fresh store object."""
    store_file = Path(url.removeprefix("sqlite:///"))
    for old in store_file.parent.glob(f"{store_file.name}.incidents-*.arrow"):
        old.unlink()
    progress("first read: rows, as before")
    before_s, before = seconds_of(lambda: old_read(open_store(url)))
    progress("first read: rows, Arrow columns (no columnar copy yet)")
    rows_s, rows = seconds_of(lambda: open_store(url)._read_incidents())
    open_store(url).incidents()  # writes the columnar copy
    progress("first read: the columnar copy")
    file_s, found = seconds_of(lambda: open_store(url).incidents(), repeats=3)
    for frame in (rows, found):
        pd.testing.assert_frame_equal(frame, before)
    return [("rows → zip + numpy (before)", before_s), ("rows → Arrow columns", rows_s),
            ("the columnar copy (now)", file_s)]  # fmt: skip


def counting(url: str, repeats: int) -> tuple[float, float]:
    """Seconds of building the count cube, and of one ``count_incidents`` by month."""
    store = open_store(url)
    incidents, perimeters = store.incidents(), store.perimeters()
    progress("count cube")
    cube_s, _ = seconds_of(lambda: count_cube(open_store(url)))
    progress("count_incidents by month (the per-request baseline)")
    count_s, _ = seconds_of(lambda: count_incidents(incidents, perimeters, period="month"), repeats)
    return cube_s, count_s


class Server:
    """The app in this process, logged in as the demo analyst, with a clock on its requests."""

    def __init__(self, url: str) -> None:
        self.app = create_app({"MMM_STORE": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        self.clock = ServerClock(self.app.wsgi_app)
        self.app.wsgi_app = self.clock  # type: ignore[method-assign]
        self.client = self.app.test_client()
        login = {"name": "analist", "password": DEMO_PASSWORD}
        if self.client.post("/login", data=login).status_code != 302:
            raise RuntimeError("the demo analyst cannot log in")
        warm_up(self.app)

    def get(self, path: str) -> tuple[float, bytes]:
        answer = self.client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"GET {path}: {answer.status_code}")
        return self.clock.seconds[path.split("?")[0]][-1], answer.data

    def best(self, path: str, repeats: int) -> tuple[float, float, bytes]:
        """The first request's server seconds, the best of ``repeats`` more, and the body."""
        first, body = self.get(path)
        return first, min(self.get(path)[0] for _ in range(repeats)), body


def ranges(months: list[str], rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """(label, first, last): every month, the last 12, the last one, three random ranges."""
    chosen = [("all months", months[0], months[-1]),
              ("last 12 months", months[max(len(months) - 12, 0)], months[-1]),
              ("last month", months[-1], months[-1])]  # fmt: skip
    for _ in range(3):
        a, b = sorted(rng.choice(len(months), size=2, replace=True))
        chosen.append((f"{months[a]} to {months[b]}", months[a], months[b]))
    return chosen


def serving(url: str, args: argparse.Namespace) -> tuple[list[tuple[str, str, str]], dict]:
    """Rows of the table for ``/api/counts`` and the zone map, and the verdict figures."""
    server = Server(url)
    rows, worst = [], {"counts": 0.0, "map": 0.0}
    progress("/api/counts?period=month")
    path = "/api/counts?period=month"
    first, warm, body = server.best(path, args.requests)
    with old_paths():
        old_first, old_best, old_body = server.best(path, min(args.requests, 2))
    if body != old_body:
        raise RuntimeError("/api/counts answers differently from its baseline")
    worst["counts"] = warm
    rows += [(f"GET {path}: first / warm", f"{first:.3f} s / {warm:.3f} s",
              f"baseline {old_best:.3f} s (best of {min(args.requests, 2) + 1}); "
              f"{old_best / warm:,.0f}× warm; {len(body) / 1e6:.1f} MB")]  # fmt: skip
    months = list(count_cube(open_store(url)).cells.months)
    for label, a, b in ranges(months, np.random.default_rng(args.seed)):
        progress(f"/map {label}")
        path = f"/map?from={a}&to={b}"
        with timed_calls({"counts": (map_routes, "zone_overview")}) as split:
            first, warm, _ = server.best(path, args.requests)
        counts_s = split["counts"]  # only the range's first request builds the page
        with old_paths(), timed_calls({"counts": (map_routes, "zone_overview")}) as old_split:
            _, old_best, _ = server.best(path, 1)
        worst["map"] = max(worst["map"], warm)
        rows.append((f"GET /map, {label}: first / warm", f"{first:.3f} s / {warm:.3f} s",
                     f"baseline {old_best:.3f} s; counts {counts_s * 1000:.0f} ms in the first "
                     f"(baseline {old_split['counts'] / 2 * 1000:.0f} ms in each)"))  # fmt: skip
    return rows, worst


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(machine_line(memory=True))
    print(f"{geo_stack_line()}; run on {date.today().isoformat()}")
    print(f"data: demo zone, {args.incidents:,} incidents, {args.perimeters:,} perimeters, "
          f"seed {args.seed}; server time in this process (Flask test client)", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="mmm-counts-") as tmp:
        directory = args.workdir or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        url = prepare_store(directory, args.incidents, args.seed, args.perimeters)
        reads = first_read(url)
        cube_s, count_s = counting(url, args.requests)
        served, worst = serving(url, args)
    table = [(f"first read of {args.incidents:,} incidents: {label}", f"{s:.3f} s", "")
             for label, s in reads]  # fmt: skip
    table += [("count cube, once per data version", f"{cube_s:.3f} s", "read excluded"),
              ("count_incidents by month (each request before)", f"{count_s:.3f} s", "baseline"),
              *served]  # fmt: skip
    print()
    print(figure_table(table))
    verdicts = [
        ("columnar first read", reads[-1][1], TARGET_READ_S),
        ("/api/counts?period=month warm", worst["counts"], TARGET_COUNTS_S),
        ("zone map warm, slowest range", worst["map"], TARGET_MAP_S),
    ]
    print()
    for name, seconds, target in verdicts:
        verdict = "PASS" if seconds < target else "FAIL"
        print(f"target: {name} < {target * 1000:.0f} ms: {verdict} ({seconds * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
