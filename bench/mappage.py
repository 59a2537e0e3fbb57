"""Benchmark: weight and Chromium load time of the zone map, against a plain Folium map.

What it measures, and why
-------------------------
The zone map is the page every user opens first. Its design rule is that a map weighs what the
screen shows, not what the database holds: perimeters, their counts and aggregated grid cells,
never one object per incident. This script checks that the rule holds as the store grows, and
shows what it saves against the map an analyst would write first: ``folium.Map`` plus one
``folium.CircleMarker`` per incident (about 495 bytes and 0.5–1 ms of Python per marker). For
each size N (10k, 100k and 1M incidents by default) it

1. builds a SQLite store in a temporary directory with the demo zone outline and its 10
   perimeters (:func:`mmm.demo.zone.build_demo`), N seeded incidents inside the zone (uniform
   background plus Gaussian hotspots around the perimeters; the demo's 8 phenomena; dates over
   2023–2025) written with ``Store.add_incidents``, the phenomenon labels and the demo users;
2. serves the real app (:func:`webmap.create_app`, werkzeug in a thread), logs in with
   Playwright in Debian's Chromium and loads ``/map?from=2023-01&to=2025-12`` (all three years,
   the worst case) several times; per load it reads the Navigation Timing of the document and
   two marks set by a small init script: when ``.leaflet-pane path.leaflet-interactive`` first
   exists (the map is drawn) and the frame after the ``load`` event (the page is painted).
   The server's own time per request is measured by a WSGI wrapper. The first load (cold
   server, cold browser cache) is reported on its own; the figures compared are the best load;
3. shows where the server's time goes, with no browser running: warm ``GET /map`` requests
   to the same threaded server with a timer around each call the view makes
   (``zone_overview``, ``zone_map``, rendering the figure; the rest is Flask, the login check
   and the page template), and the parts of ``zone_overview`` that grow with N on their own
   (the first, uncached read of the incidents, the counts per perimeter for the period and the
   one before, the grid);
   Then it loads the hotspot page ``/hotspots`` with its defaults the same way: the first
   load runs the Gi* analysis on the server, the later ones come from its cache of runs;
4. builds the baseline (in this process, timed: build + render), writes it next to a copy of
   the vendored Leaflet (no CDN, like the app), serves it with ``http.server`` and loads it
   the same way. Sizes are tried in increasing order up to what the baseline can handle: a
   size is skipped, with the reason printed, once a smaller build took more than 60 s or when
   its page, extrapolated from the last build's bytes per marker, would pass 200 MB;
5. prints the machine, aligned tables and the verdict on the targets: at 1,000,000 incidents
   the zone map's HTML document is under 2 MB (10^6 bytes) and it loads in under 1.5 s;
6. streets (``mappage_streets.py``): before the pages above are loaded, it times the frames of
   the perimeter editor while it is dragged and zoomed, imports 20,000 street segments into
   the store (``--segments``), weighs the street tiles of the zone map's first view (HTML +
   tiles under 2 MB), and times the editor's frames again, with the streets.

"Load s" is navigation start → the ``load`` event, or → the map drawn when that comes later.
A missed target is printed as FAIL but is not an error: the exit status is 0 unless something
went wrong (a store, a server, a page error in the browser).

The parts live next to this script: ``mappage_data.py`` (incidents and store),
``mappage_server.py`` (the app and a static server), ``mappage_browser.py`` (loads in Chromium),
``mappage_steps.py`` (the server's steps), ``mappage_baseline.py`` (the plain Folium map) and
``mappage_report.py`` (tables and verdict).

Run it from the repository root::

    .venv/bin/python bench/mappage.py                             # 10k, 100k and 1M incidents
    .venv/bin/python bench/mappage.py --sizes 2000 --baseline-max 2000

Results go to stdout (machine first, aligned tables last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# helpers in bench/ (scripts run from bench/, which is then first on sys.path)
from cli import positive, progress
from mappage_baseline import (
    Baseline,
    BaselineBuild,
    baseline_skip_reason,
    build_baseline,
    measure_baseline,
    prepare_site,
)
from mappage_browser import CHROMIUM, CHROMIUM_FLAGS, measure_hotspot_page, measure_zone_map
from mappage_data import PERIOD, build_store, generate_incidents
from mappage_report import SizeResult, machine_lines, print_report
from mappage_server import serve_directory
from mappage_steps import time_server_steps
from mappage_streets import SEGMENTS, measure_streets, streets_table
from playwright.sync_api import Browser, sync_playwright

from mmm.demo import Demo, build_demo

SIZES = (10_000, 100_000, 1_000_000)
LOADS = 3
CALIBRATION_MARKERS = 2_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=positive, nargs="+", default=list(SIZES), metavar="N",
        help="incident counts to run (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--baseline-max", type=positive, default=max(SIZES), metavar="N",
        help="largest size to try the plain Folium baseline at (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--loads", type=positive, default=LOADS, metavar="K",
        help="page loads per size, the best is reported (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--segments", type=positive, default=SEGMENTS, metavar="M",
        help="street segments imported for the streets' figures (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=20240601, metavar="S")
    return parser.parse_args(argv)


def run_size(
    n: int,
    demo: Demo,
    browser: Browser,
    workdir: Path,
    site: tuple[Path, str],
    last_baseline: BaselineBuild,
    args: argparse.Namespace,
) -> SizeResult:
    """Build the store of ``n`` incidents, measure the streets, the zone map and (if in reach)
    the baseline."""
    progress(f"{n:,}: generating incidents and building the store")
    start = time.perf_counter()
    incidents = generate_incidents(n, demo, np.random.default_rng([args.seed, n]))
    store_url = build_store(workdir / f"bench-{n}.sqlite", demo, incidents)
    progress(f"{n:,}: store built in {time.perf_counter() - start:.1f} s")
    rng = np.random.default_rng([args.seed, 7])
    streets = measure_streets(browser, store_url, demo, rng, args.segments)
    print(f"\nStreets at {n:,} incidents and {args.segments:,} segments (mappage_streets.py)")
    print(streets_table(n, args.segments, *streets), flush=True)
    zone = measure_zone_map(browser, store_url, n, args.loads)
    progress(f"{n:,}: the hotspot page")
    hotspots = measure_hotspot_page(browser, store_url, n, args.loads)
    progress(f"{n:,}: timing the server steps")
    steps = time_server_steps(store_url)
    skipped = baseline_skip_reason(n, last_baseline, args.baseline_max)
    if skipped:
        progress(f"{n:,}: baseline skipped: {skipped}")
        return SizeResult(n, zone, hotspots, steps, Baseline(skipped=skipped))
    directory, site_url = site
    progress(f"{n:,}: building the baseline ({n:,} CircleMarkers)")
    build = build_baseline(incidents, demo, directory / f"baseline-{n}.html")
    progress(f"{n:,}: baseline built in {build.build_s:.1f} s, {build.bytes / 1e6:,.1f} MB")
    page = measure_baseline(browser, build, site_url, n, args.loads)
    return SizeResult(n, zone, hotspots, steps, Baseline(build, page))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted(set(args.sizes))
    progress("building the demo zone and perimeters")
    demo = build_demo()
    results: list[SizeResult] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="mmm-bench-") as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for line in machine_lines(browser.version):
            print(line)
        print(
            f"data: demo zone and {len(demo.perimeters)} perimeters; sizes "
            f"{', '.join(f'{n:,}' for n in sizes)}; period {PERIOD.first} to {PERIOD.last}; "
            f"seed {args.seed}; best of {args.loads} loads; baseline up to {args.baseline_max:,}",
            flush=True,
        )
        workdir = Path(tmp)
        site = prepare_site(workdir / "site")
        progress(f"calibrating the baseline on {CALIBRATION_MARKERS:,} markers")
        sample = generate_incidents(CALIBRATION_MARKERS, demo, np.random.default_rng(args.seed))
        last = build_baseline(sample, demo, workdir / "calibration.html")
        with serve_directory(site) as site_url:
            for n in sizes:
                result = run_size(n, demo, browser, workdir, (site, site_url), last, args)
                results.append(result)
                last = result.baseline.build or last
        browser.close()
    print_report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
