"""The report of bench/mappage.py: the machine and versions, one table per page measured, the
server's steps, and the verdict on the targets."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version

import folium
import numpy as np
import pandas as pd
import shapely
from cli import format_table, seconds_cell
from machine import machine_line
from mappage_baseline import Baseline, leaflet_version
from mappage_browser import CHROMIUM, SLOW_LOAD_S, Load, PageResult
from mappage_data import PERIOD
from mappage_steps import ServerSteps
from timing import REPEATS

TARGET_SIZE = 1_000_000
TARGET_BYTES = 2_000_000
TARGET_LOAD_S = 1.5
TIMES = ("TTFB", "HTML end", "drawn", "load", "painted")
FILES = ("document B", "all files B (requests)")


@dataclass(frozen=True)
class SizeResult:
    """Everything measured at one size."""

    n: int
    zone: PageResult
    hotspots: PageResult
    steps: ServerSteps
    baseline: Baseline


def machine_lines(browser_version: str) -> list[str]:
    """CPU, cores, memory and the versions that matter for a page's weight and speed."""
    return [
        machine_line(memory=True),
        f"python {platform.python_version()}, folium {folium.__version__}, "
        f"branca {version('branca')}, flask {version('flask')}, werkzeug {version('werkzeug')}, "
        f"numpy {np.__version__}, pandas {pd.__version__}, shapely {shapely.__version__}",
        f"browser: Chromium {browser_version} ({CHROMIUM}, headless), "
        f"playwright {version('playwright')}, {leaflet_version()} (vendored)",
    ]


def _mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.2f} MB"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b:,.1f}×"


def _times(load: Load) -> tuple[str, ...]:
    milestones = (load.ttfb_s, load.html_s, load.drawn_s, load.load_s, load.painted_s)
    return tuple(map(seconds_cell, milestones))


def _files(page: PageResult) -> tuple[str, str]:
    return f"{page.document_bytes:,}", f"{page.total_bytes:,} ({page.requests})"


def summary_table(results: list[SizeResult]) -> str:
    """N | zone map HTML and load | baseline HTML and load | baseline / zone map."""
    header: tuple[str, ...] = ("N incidents", "zone map HTML", "zone map load s")
    header += ("baseline HTML", "baseline load s", "HTML ratio", "load ratio")
    rows = []
    for r in results:
        zone, page = r.zone, r.baseline.page
        base_bytes, base_s = (page.document_bytes, page.best.shown_s) if page else (None, None)
        rows.append(
            (f"{r.n:,}", _mb(zone.document_bytes), seconds_cell(zone.best.shown_s))
            + ((_mb(base_bytes), seconds_cell(base_s)) if page else ("skipped", "skipped"))
            + (_ratio(base_bytes, zone.document_bytes), _ratio(base_s, zone.best.shown_s))
        )
    return format_table(header, rows)


def zone_table(results: list[SizeResult]) -> str:
    """The zone map's server time, browser milestones and bytes per size."""
    header = ("N incidents", "server 1st", "server", *TIMES, "1st load", *FILES)
    rows = [
        (f"{r.n:,}", seconds_cell(r.zone.first.server_s), seconds_cell(r.zone.best.server_s))
        + (*_times(r.zone.best), seconds_cell(r.zone.first.shown_s), *_files(r.zone))
        for r in results
    ]
    return format_table(header, rows)


def hotspot_table(results: list[SizeResult]) -> str:
    """The hotspot page: the analysis run cold, then cached; browser milestones and bytes."""
    header = ("N incidents", "server 1st (run)", "server (cached)", *TIMES, "1st load", *FILES)
    rows = [
        (f"{r.n:,}", seconds_cell(r.hotspots.first.server_s))
        + (seconds_cell(r.hotspots.best.server_s), *_times(r.hotspots.best))
        + (seconds_cell(r.hotspots.first.shown_s), *_files(r.hotspots))
        for r in results
    ]
    return format_table(header, rows)


def baseline_table(results: list[SizeResult]) -> str:
    """The baseline's build time, browser milestones and bytes per size (or why skipped)."""
    header = ("N incidents", "build+render", *TIMES, "1st load", *FILES)
    rows = []
    for r in results:
        build, page = r.baseline.build, r.baseline.page
        if build is None or page is None:
            rows.append((f"{r.n:,}", "skipped", *[""] * (len(header) - 2)))
            continue
        rows.append(
            (f"{r.n:,}", seconds_cell(build.build_s), *_times(page.best))
            + (seconds_cell(page.first.shown_s), *_files(page))
        )
    return format_table(header, rows)


def steps_table(results: list[SizeResult]) -> str:
    """Where the server's time goes, per size."""
    header: tuple[str, ...] = ("N incidents", "read cold", "counts", "grid", "overview")
    header += ("zone_map", "render", "rest", "request")
    rows = []
    for r in results:
        s = r.steps
        steps = (s.read_s, s.counts_s, s.grid_s, s.overview_s, s.zone_map_s, s.render_s)
        rows.append((f"{r.n:,}", *map(seconds_cell, (*steps, s.rest_s, s.request_s))))
    return format_table(header, rows)


def verdict_lines(results: list[SizeResult]) -> list[str]:
    """PASS/FAIL against the targets, at 1M incidents or else at the largest size run."""
    at = next((r for r in results if r.n == TARGET_SIZE), None)
    lines = []
    if at is None:
        at = max(results, key=lambda r: r.n)
        lines.append(f"targets are for {TARGET_SIZE:,} incidents; checked at {at.n:,} instead")
    weight, load = at.zone.document_bytes, at.zone.best
    return [
        *lines,
        f"target: zone map HTML < {TARGET_BYTES / 1e6:g} MB at {at.n:,} incidents: "
        f"{'PASS' if weight < TARGET_BYTES else 'FAIL'} ({_mb(weight)})",
        f"target: zone map load < {TARGET_LOAD_S:g} s at {at.n:,} incidents: "
        f"{'PASS' if load.shown_s < TARGET_LOAD_S else 'FAIL'} ({load.shown_s:.3f} s; the "
        f"server took {seconds_cell(load.server_s)} s of it)",
    ]


def print_report(results: list[SizeResult]) -> None:
    """The tables and the verdict, on stdout."""
    for r in results:
        if r.baseline.skipped:
            print(f"baseline at {r.n:,} incidents skipped: {r.baseline.skipped}")
        for name, page in (("zone map", r.zone), ("baseline", r.baseline.page)):
            if page is not None and page.loads == 1:
                print(f"{name} at {r.n:,} incidents: one load only (it took > {SLOW_LOAD_S:g} s)")
    sections: list[tuple[str, Callable[[list[SizeResult]], str]]] = [
        ("Zone map vs plain Folium (one CircleMarker per incident); best load", summary_table),
        (
            f"Zone map /map?from={PERIOD.first}&to={PERIOD.last}: seconds from navigation "
            "start (best load), bytes",
            zone_table,
        ),
        ("Hotspot page /hotspots (defaults: last 12 months, 100 m cells, all phenomena): "
         "seconds from navigation start (best load), bytes", hotspot_table),
        ("Baseline: build+render in Python; seconds from navigation start (best load)",
         baseline_table),
        (
            f"Server side of /map, seconds, no browser running: the best of {REPEATS} warm "
            "requests split by the view's calls (read cold, counts, grid: parts of overview, "
            "timed alone; rest = Flask, login check, Jinja template)",
            steps_table,
        ),
    ]  # fmt: skip
    for title, table in sections:
        print()
        print(title)
        print(table(results))
    print()
    for line in verdict_lines(results):
        print(line)
