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
   the zone map's HTML document is under 2 MB (10^6 bytes) and it loads in under 1.5 s.

"Load s" is navigation start → the ``load`` event, or → the map drawn when that comes later.
A missed target is printed as FAIL but is not an error: the exit status is 0 unless something
went wrong (a store, a server, a page error in the browser).

Run it from the repository root::

    .venv/bin/python bench/mappage.py                             # 10k, 100k and 1M incidents
    .venv/bin/python bench/mappage.py --sizes 2000 --baseline-max 2000

Results go to stdout (machine first, aligned tables last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import http.server
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar
from unittest.mock import patch
from urllib.parse import urlsplit

import folium
import numpy as np
import pandas as pd
import shapely
from machine import cpu_model  # bench/machine.py (scripts run from bench/)
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pyproj import Transformer
from werkzeug.serving import WSGIRequestHandler, make_server

import mmm.present.maps
import webmap.maps.routes as map_routes
from mmm.counting.count import count_incidents
from mmm.counting.grid import grid_counts
from mmm.counting.months import MonthRange
from mmm.crs import WEB_CRS, WORKING_CRS
from mmm.demo.zone import (
    DEMO_PASSWORD,
    LABELS,
    VOLUMES,
    ZONE_NAME,
    Demo,
    add_demo_partners,
    add_demo_users,
    build_demo,
)
from mmm.present.maps import CATEGORICAL
from mmm.present.pdf import chromium_flags
from mmm.settings import load_settings
from mmm.store import BatchInfo, open_store
from webmap import create_app

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "webmap" / "static" / "vendor"
CHROMIUM = load_settings().chromium
#: Flags that keep Chromium off the network it cannot reach here, and quiet (shared with mmm.present.pdf).
CHROMIUM_FLAGS = chromium_flags()
VIEWPORT = {"width": 1400, "height": 900}
USER = "analist"  # the demo analyst: may see the zone map

SIZES = (10_000, 100_000, 1_000_000)
PERIOD = MonthRange("2023-01", "2025-12")  # all three years of generated dates
FIRST_DAY = np.datetime64("2023-01-01T00:00:00", "s")
DAYS = 1096  # 2023, 2024 (a leap year) and 2025
PHENOMENA = tuple(VOLUMES)
BACKGROUND_SHARE = 0.4
HOTSPOT_SIGMA_M = (120.0, 450.0)

TARGET_SIZE = 1_000_000
TARGET_BYTES = 2_000_000
TARGET_LOAD_S = 1.5
LOADS = 3
SLOW_LOAD_S = 20.0  # one load only when the first one takes longer
REPEATS = 3  # server-side timings: best of
CALIBRATION_MARKERS = 2_000
BASELINE_MAX_BUILD_S = 60.0
BASELINE_MAX_BYTES = 200_000_000
TIMEOUT_MS = 600_000.0

#: Marks the moments the map is drawn and the page painted, in ``performance.now()`` time.
MARKS_JS = """
(() => {
  const selector = '.leaflet-pane path.leaflet-interactive';
  const marks = window.__benchMarks = {drawn: null, painted: null};
  const observer = new MutationObserver(() => {
    if (marks.drawn === null && document.querySelector(selector)) {
      marks.drawn = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true});
  window.addEventListener('load', () => requestAnimationFrame(() => requestAnimationFrame(() => {
    marks.painted = performance.now();
  })));
})();
"""
MARKED_JS = "() => window.__benchMarks && window.__benchMarks.painted !== null"
TIMING_JS = """
() => {
  const n = performance.getEntriesByType('navigation')[0];
  const m = window.__benchMarks;
  return {ttfb: n.responseStart, html: n.responseEnd, load: n.loadEventEnd, drawn: m.drawn,
          painted: m.painted, bytes: n.decodedBodySize};
}
"""

T = TypeVar("T")


def progress(message: str) -> None:
    """One progress line on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def best_time(run: Callable[[], T], repeats: int = REPEATS) -> tuple[float, T]:
    """Best wall time of ``repeats`` calls of ``run``, and the last call's result."""
    best = float("inf")
    result: T
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


# -- data -------------------------------------------------------------------------------------
def generate_incidents(n: int, demo: Demo, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` incidents inside the demo zone, as ``Store.add_incidents`` takes them.

    A share is uniform over the zone, the rest falls in Gaussian hotspots (120–450 m) around
    the perimeters' centroids with uneven weights; points outside the zone are drawn again.
    Columns: ``source_id``, ``phenomenon`` (the demo's 8, in the demo's proportions),
    ``occurred`` (datetime64[s], uniform over 2023–2025), ``x``, ``y`` (EPSG:31370).
    """
    zone = demo.zone
    shapely.prepare(zone)
    centres = shapely.get_coordinates(shapely.centroid(demo.perimeters.geometry.values))
    sigma = rng.uniform(*HOTSPOT_SIGMA_M, size=len(centres))
    weights = rng.gamma(1.0, size=len(centres))
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    background = rng.random(n) < BACKGROUND_SHARE
    spot = rng.choice(len(centres), size=n, p=weights / weights.sum())
    x0, y0, x1, y1 = zone.bounds
    while len(todo):  # each round redraws only the points that fell outside the zone
        flat = background[todo]
        s = spot[todo]
        xy = centres[s] + rng.standard_normal((len(todo), 2)) * sigma[s, None]
        xy[flat] = rng.uniform((x0, y0), (x1, y1), size=(int(flat.sum()), 2))
        x[todo], y[todo] = np.round(xy[:, 0], 1), np.round(xy[:, 1], 1)
        todo = todo[~shapely.contains_xy(zone, x[todo], y[todo])]
    shares = np.asarray(list(VOLUMES.values()), dtype=float)
    codes = rng.choice(len(PHENOMENA), size=n, p=shares / shares.sum())
    seconds = rng.integers(0, DAYS * 86_400, size=n)
    return pd.DataFrame(
        {
            "source_id": "BENCH-" + pd.Series(np.arange(n)).astype(str).str.zfill(7),
            "phenomenon": np.asarray(PHENOMENA, dtype=object)[codes],
            "occurred": FIRST_DAY + seconds.astype("timedelta64[s]"),
            "x": x,
            "y": y,
        }
    )


def build_store(path: Path, demo: Demo, incidents: pd.DataFrame) -> str:
    """A fresh SQLite store at ``path``: zone, perimeters, incidents, labels, demo users.

    Returns its URL.
    """
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        store.set_zone(ZONE_NAME, demo.zone, BatchInfo("zone", "bench", "bench", 1, 0))
        perimeters = BatchInfo("perimeters", "bench", "bench", len(demo.perimeters), 0)
        store.add_perimeters(demo.perimeters, perimeters)
        store.add_incidents(incidents, BatchInfo("incidents", "bench", "bench", len(incidents), 0))
        for code, names in LABELS.items():
            for language, label in zip(("nl", "fr", "de", "en"), names, strict=True):
                store.set_label("phenomenon", code, language, label, actor="bench")
        add_demo_partners(store, actor="bench")  # partner users need their organisation
        add_demo_users(store, actor="bench")
    finally:
        store.close()
    return url


# -- serving ----------------------------------------------------------------------------------
@dataclass
class ServerClock:
    """A WSGI wrapper that records the seconds the app spends on each request, by path."""

    app: Callable[..., Iterable[bytes]]
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start = time.perf_counter()
        body = self.app(environ, start_response)
        try:
            chunks = list(body)  # the app's work is done when its body is
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        path = environ.get("PATH_INFO", "")
        self.seconds.setdefault(path, []).append(time.perf_counter() - start)
        return chunks


class _QuietRequests(WSGIRequestHandler):
    """Werkzeug's handler without the access log (progress stays readable)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serve_app(
    store_url: str, config: Mapping[str, Any] | None = None
) -> Iterator[tuple[str, ServerClock]]:
    """The real app on a free local port (werkzeug, threaded, like ``mmm serve``).

    Yields its URL and the clock of its requests. ``config`` adds to the app's settings.
    """
    app = create_app({"MMM_STORE": store_url, "SECRET_KEY": "bench", **(config or {})})
    clock = ServerClock(app.wsgi_app)
    app.wsgi_app = clock  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequests)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", clock
    finally:
        server.shutdown()
        thread.join()
        store = app.extensions.get("mmm_store")
        if store is not None:
            store.close()


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; HTML never cached (each load fetches the page again), no access log."""

    def end_headers(self) -> None:
        if self.path.endswith(".html"):
            self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """``directory`` over HTTP on a free local port; yields its URL."""
    handler = partial(_StaticHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


# -- the browser ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Load:
    """One page load, in seconds from navigation start."""

    ttfb_s: float  # first byte of the document
    html_s: float  # last byte of the document
    drawn_s: float  # the first interactive Leaflet path exists
    load_s: float  # end of the load event
    painted_s: float  # the frame after the load event
    server_s: float | None = None  # the app's own time for the document (zone map only)

    @property
    def shown_s(self) -> float:
        """Load event, or map drawn when that comes later: the figure compared."""
        return max(self.load_s, self.drawn_s)


@dataclass(frozen=True)
class PageResult:
    """Weight and load times of one page at one size."""

    document_bytes: int
    total_bytes: int
    requests: int
    first: Load
    best: Load
    loads: int


def new_context(browser: Browser) -> BrowserContext:
    """A fresh context (empty cache, no cookies) with the timing marks installed."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.add_init_script(MARKS_JS)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def log_in(page: Page, base_url: str) -> None:
    """Log in as the demo analyst; lands on the login page again, so no map is computed yet."""
    landing = "/login"
    page.goto(f"{base_url}/login?next={landing}")
    page.fill("#name", USER)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{base_url}{landing}")


def load_once(page: Page, url: str) -> Load:
    """Navigate to ``url`` and wait until the map is drawn and the page painted."""
    page.goto(url, wait_until="load")
    page.wait_for_function(MARKED_JS, polling=50)
    t = page.evaluate(TIMING_JS)
    if t["drawn"] is None:
        raise RuntimeError(f"{url}: no .leaflet-pane path.leaflet-interactive after load")
    return Load(
        ttfb_s=t["ttfb"] / 1000,
        html_s=t["html"] / 1000,
        drawn_s=t["drawn"] / 1000,
        load_s=t["load"] / 1000,
        painted_s=t["painted"] / 1000,
    )


def measure_page(
    page: Page, url: str, label: str, *, loads: int, server: ServerClock | None = None
) -> PageResult:
    """Load ``url`` up to ``loads`` times; weigh the page and every file it requested.

    The first load runs on a fresh context, so its figures are cold (server and cache). Only
    one load is made when the first takes more than ``SLOW_LOAD_S``. Subresources are weighed
    by fetching them again with the same cookies (a cached copy has no size in the browser).
    """
    problems: list[str] = []
    requested: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("request", lambda r: requested.append(r.url))
    path = urlsplit(url).path
    results: list[Load] = []
    first_bytes, subresources = 0, []
    for i in range(loads):
        before = len(server.seconds.get(path, [])) if server else 0
        load = load_once(page, url)
        if server is not None:
            load = _with_server_time(load, server.seconds[path][before:])
        progress(
            f"{label}: load {i + 1}: {load.shown_s:.3f} s (drawn {load.drawn_s:.3f} s, "
            f"server {_s(load.server_s)})"
        )
        if i == 0:
            first_bytes = int(page.evaluate(TIMING_JS)["bytes"])
            subresources = [
                u
                for u in dict.fromkeys(requested)
                if u.startswith("http") and not u.endswith("/favicon.ico")
            ]
        results.append(load)
        if problems:
            raise RuntimeError(f"{label}: the browser reported: {'; '.join(problems[:5])}")
        if load.shown_s > SLOW_LOAD_S:
            break
    others = [u for u in subresources if u != url]
    other_bytes = sum(len(page.context.request.get(u).body()) for u in others)
    return PageResult(
        document_bytes=first_bytes,
        total_bytes=first_bytes + other_bytes,
        requests=1 + len(others),
        first=results[0],
        best=min(results, key=lambda r: r.shown_s),
        loads=len(results),
    )


def _with_server_time(load: Load, seconds: list[float]) -> Load:
    if len(seconds) != 1:
        raise RuntimeError(f"expected one server request per load, saw {len(seconds)}")
    return Load(load.ttfb_s, load.html_s, load.drawn_s, load.load_s, load.painted_s, seconds[0])


def measure_zone_map(browser: Browser, store_url: str, n: int, loads: int) -> PageResult:
    """Serve the app on the store, log in, and load the zone map for the whole period."""
    with serve_app(store_url) as (base_url, clock):
        context = new_context(browser)
        try:
            page = context.new_page()
            log_in(page, base_url)
            url = f"{base_url}/map?from={PERIOD.first}&to={PERIOD.last}"
            return measure_page(page, url, f"zone map {n:,}", loads=loads, server=clock)
        finally:
            context.close()


def measure_hotspot_page(browser: Browser, store_url: str, n: int, loads: int) -> PageResult:
    """Load ``/hotspots`` with its defaults (last 12 months, 100 m cells, all phenomena).

    The first load runs the analysis (the server's figure for it is the cold run); later loads
    are answered from the per-app cache of runs, as a page reloaded in a meeting is.
    """
    with serve_app(store_url) as (base_url, clock):
        context = new_context(browser)
        try:
            page = context.new_page()
            log_in(page, base_url)
            return measure_page(
                page, f"{base_url}/hotspots", f"hotspots {n:,}", loads=loads, server=clock
            )
        finally:
            context.close()


# -- the server side, step by step ------------------------------------------------------------
@dataclass(frozen=True)
class ServerSteps:
    """Where the seconds of ``GET /map`` go, measured with no browser running.

    The request goes to the threaded server (a new thread per request, as in the browser runs)
    with a timer around each of the three calls the view makes; the best of ``REPEATS`` warm
    requests is kept. Reading, counting and the grid, the parts of ``zone_overview`` that grow
    with the incidents, are timed on their own.
    """

    read_s: float  # the first Store.incidents() of a fresh store (later ones hit its cache)
    counts_s: float  # count_incidents for the period and the one before
    grid_s: float  # grid_counts for the period
    overview_s: float  # zone_overview as a whole (the three above, perimeters, labels…)
    zone_map_s: float  # mmm.present.maps.zone_map: the Folium figure and its JSON
    render_s: float  # webmap.folium_page.parts: the figure rendered to HTML
    request_s: float  # the whole request

    @property
    def rest_s(self) -> float:
        """Flask, the login check and the Jinja page template."""
        return self.request_s - self.overview_s - self.zone_map_s - self.render_s


#: The calls ``GET /map`` makes, timed by :func:`timed_calls`: name → (module, attribute).
VIEW_CALLS = {
    "overview": (map_routes, "zone_overview"),
    "zone_map": (mmm.present.maps, "zone_map"),
    "render": (map_routes, "parts"),
}


def time_server_steps(store_url: str) -> ServerSteps:
    """Time the view's steps on the store of one size (see :class:`ServerSteps`)."""
    read_s, counts_s, grid_s = time_overview_parts(store_url)
    with serve_app(store_url, {"WTF_CSRF_ENABLED": False}) as (base_url, clock):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        form = urllib.parse.urlencode({"name": USER, "password": DEMO_PASSWORD}).encode()
        opener.open(f"{base_url}/login?next=/login", data=form).read()
        url = f"{base_url}/map?from={PERIOD.first}&to={PERIOD.last}"
        opener.open(url).read()  # the first request reads the incidents into the store's cache
        runs: list[tuple[float, dict[str, float]]] = []
        for _ in range(REPEATS):
            with timed_calls(VIEW_CALLS) as seconds:
                opener.open(url).read()  # an HTTP error status raises
            runs.append((clock.seconds["/map"][-1], seconds))
    request_s, split = min(runs, key=lambda run: run[0])
    return ServerSteps(
        read_s, counts_s, grid_s, split["overview"], split["zone_map"], split["render"], request_s
    )


def time_overview_parts(store_url: str) -> tuple[float, float, float]:
    """Seconds of reading the incidents (cold), counting them per perimeter and the grid."""
    store = open_store(store_url)
    try:
        read_s, incidents = best_time(store.incidents, repeats=1)  # a fresh store: not cached
        perimeters = store.perimeters()
        zone = store.zone()
    finally:
        store.close()
    assert zone is not None  # the store was built with one

    def counts() -> None:
        for months in (PERIOD, PERIOD.previous()):
            count_incidents(incidents, perimeters, period="all", start=months.start, end=months.end)

    counts_s, _ = best_time(counts)
    occurred = incidents["occurred"]
    in_period = incidents[
        (occurred >= pd.Timestamp(PERIOD.start))
        & (occurred < pd.Timestamp(PERIOD.end) + pd.Timedelta(days=1))
    ]
    grid_s, _ = best_time(lambda: grid_counts(in_period, zone.geometry))
    return read_s, counts_s, grid_s


@contextmanager
def timed_calls(calls: Mapping[str, tuple[object, str]]) -> Iterator[dict[str, float]]:
    """Replace each ``(owner, attribute)`` function by a timed wrapper for the ``with`` block.

    Yields a dict filled with the seconds spent in each function, by name.
    """
    seconds = dict.fromkeys(calls, 0.0)

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - start

        return wrapper

    with ExitStack() as stack:
        for name, (owner, attribute) in calls.items():
            wrapper = timed(name, getattr(owner, attribute))
            stack.enter_context(patch.object(owner, attribute, wrapper))
        yield seconds


# -- the baseline -----------------------------------------------------------------------------
@dataclass(frozen=True)
class BaselineBuild:
    """A plain Folium page written to disk, and what building it cost."""

    path: Path
    markers: int
    build_s: float  # folium objects + render to HTML, in this process
    bytes: int


def build_baseline(incidents: pd.DataFrame, demo: Demo, path: Path) -> BaselineBuild:
    """``folium.Map`` + one ``CircleMarker`` per incident, Leaflet from ``vendor/`` next to it.

    This is the map an analyst writes first. Folium's CDN scripts (jQuery, Bootstrap…) are
    replaced by the local Leaflet only, so both pages load the same library from the same kind
    of server and the comparison is about the data each page carries.
    """
    to_web = Transformer.from_crs(WORKING_CRS, WEB_CRS, always_xy=True)
    lon, lat = to_web.transform(incidents["x"].to_numpy(), incidents["y"].to_numpy())
    colour_of = {code: CATEGORICAL[i] for i, code in enumerate(PHENOMENA)}
    colours = incidents["phenomenon"].map(colour_of).tolist()
    west, south, east, north = to_web.transform_bounds(*demo.zone.bounds)
    start = time.perf_counter()
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=13, tiles=None)
    fmap.default_js = [("leaflet", "vendor/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", "vendor/leaflet/leaflet.css")]
    for y, x, colour in zip(lat.tolist(), lon.tolist(), colours, strict=True):
        folium.CircleMarker(
            [y, x], radius=3, color=colour, weight=1, fill=True, fill_opacity=0.7
        ).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    page = fmap.get_root().render()
    build_s = time.perf_counter() - start
    data = page.encode("utf-8")
    path.write_bytes(data)
    return BaselineBuild(path, len(incidents), build_s, len(data))


@dataclass(frozen=True)
class Baseline:
    """The baseline at one size: its build and page, or why it was skipped."""

    build: BaselineBuild | None = None
    page: PageResult | None = None
    skipped: str | None = None


def baseline_skip_reason(n: int, last: BaselineBuild, limit: int) -> str | None:
    """Why the baseline at ``n`` markers is out of reach, or ``None`` to try it.

    Sizes are tried in increasing order, up to the size the baseline can handle: a size is
    skipped when it is above ``limit``, when the last baseline built (``last``, the calibration
    at first) already took more than ``BASELINE_MAX_BUILD_S``, or when the page, extrapolated
    from ``last``'s bytes per marker, would weigh more than ``BASELINE_MAX_BYTES``.
    """
    if n > limit:
        return f"above --baseline-max {limit:,}"
    per_byte, per_s = last.bytes / last.markers, last.build_s / last.markers
    basis = (
        f"~{per_byte * n / 1e6:,.0f} MB and ~{per_s * n:,.0f} s to build, from "
        f"{per_byte:,.0f} B and {1e3 * per_s:.2f} ms per marker at {last.markers:,}"
    )
    if last.build_s > BASELINE_MAX_BUILD_S:
        return f"building {last.markers:,} markers already took {last.build_s:,.0f} s ({basis})"
    if per_byte * n > BASELINE_MAX_BYTES:
        return f"the page would weigh more than {BASELINE_MAX_BYTES / 1e6:g} MB ({basis})"
    return None


def measure_baseline(
    browser: Browser, build: BaselineBuild, site_url: str, n: int, loads: int
) -> PageResult:
    """Load the baseline page from the static server, like the zone map."""
    context = new_context(browser)
    try:
        page = context.new_page()
        url = f"{site_url}/{build.path.name}"
        return measure_page(page, url, f"baseline {n:,}", loads=loads)
    finally:
        context.close()


# -- output -----------------------------------------------------------------------------------
def machine_lines(browser_version: str) -> list[str]:
    """CPU, cores, memory and the versions that matter for a page's weight and speed."""
    return [
        f"machine: {cpu_model()}, {os.cpu_count()} cores, {memory_gb():.0f} GB RAM "
        f"({platform.machine()}, {platform.system()})",
        f"python {platform.python_version()}, folium {folium.__version__}, "
        f"branca {version('branca')}, flask {version('flask')}, werkzeug {version('werkzeug')}, "
        f"numpy {np.__version__}, pandas {pd.__version__}, shapely {shapely.__version__}",
        f"browser: Chromium {browser_version} ({CHROMIUM}, headless), "
        f"playwright {version('playwright')}, {leaflet_version()} (vendored)",
    ]


def memory_gb() -> float:
    """Total memory in GB from /proc/meminfo (0 when unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return 0.0


def leaflet_version() -> str:
    """``Leaflet 1.9.4``, from the vendored file's banner."""
    head = (VENDOR / "leaflet" / "leaflet.js").read_text(errors="replace")[:300]
    for word, nxt in zip(head.split(), head.split()[1:], strict=False):
        if word == "Leaflet":
            return f"Leaflet {nxt.rstrip(',')}"
    return "Leaflet (unknown version)"


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned text: the first column left, the others right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = f"{cells[0]:<{widths[0]}}"
        rest = [f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.2f} MB"


def _s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b:,.1f}×"


def _times(load: Load) -> tuple[str, ...]:
    return tuple(map(_s, (load.ttfb_s, load.html_s, load.drawn_s, load.load_s, load.painted_s)))


def _files(page: PageResult) -> tuple[str, str]:
    return f"{page.document_bytes:,}", f"{page.total_bytes:,} ({page.requests})"


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


def summary_table(results: list[SizeResult]) -> str:
    """N | zone map HTML and load | baseline HTML and load | baseline / zone map."""
    header: tuple[str, ...] = ("N incidents", "zone map HTML", "zone map load s")
    header += ("baseline HTML", "baseline load s", "HTML ratio", "load ratio")
    rows = []
    for r in results:
        zone, page = r.zone, r.baseline.page
        base_bytes, base_s = (page.document_bytes, page.best.shown_s) if page else (None, None)
        rows.append(
            (f"{r.n:,}", _mb(zone.document_bytes), _s(zone.best.shown_s))
            + ((_mb(base_bytes), _s(base_s)) if page else ("skipped", "skipped"))
            + (_ratio(base_bytes, zone.document_bytes), _ratio(base_s, zone.best.shown_s))
        )
    return format_table(header, rows)


def zone_table(results: list[SizeResult]) -> str:
    """The zone map's server time, browser milestones and bytes per size."""
    header = ("N incidents", "server 1st", "server", *TIMES, "1st load", *FILES)
    rows = [
        (f"{r.n:,}", _s(r.zone.first.server_s), _s(r.zone.best.server_s), *_times(r.zone.best))
        + (_s(r.zone.first.shown_s), *_files(r.zone))
        for r in results
    ]
    return format_table(header, rows)


def hotspot_table(results: list[SizeResult]) -> str:
    """The hotspot page: the analysis run cold, then cached; browser milestones and bytes."""
    header = ("N incidents", "server 1st (run)", "server (cached)", *TIMES, "1st load", *FILES)
    rows = [
        (f"{r.n:,}", _s(r.hotspots.first.server_s), _s(r.hotspots.best.server_s))
        + (*_times(r.hotspots.best), _s(r.hotspots.first.shown_s), *_files(r.hotspots))
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
            (f"{r.n:,}", _s(build.build_s), *_times(page.best), _s(page.first.shown_s))
            + _files(page)
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
        rows.append((f"{r.n:,}", *map(_s, (*steps, s.rest_s, s.request_s))))
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
        f"server took {_s(load.server_s)} s of it)",
    ]


def print_report(results: list[SizeResult]) -> None:
    """The tables and the verdict, on stdout."""
    for r in results:
        if r.baseline.skipped:
            print(f"baseline at {r.n:,} incidents skipped: {r.baseline.skipped}")
        for name, page in (("zone map", r.zone), ("baseline", r.baseline.page)):
            if page is not None and page.loads == 1:
                print(f"{name} at {r.n:,} incidents: one load only (it took > {SLOW_LOAD_S:g} s)")
    sections = [
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


# -- main -------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=_positive, nargs="+", default=list(SIZES), metavar="N",
        help="incident counts to run (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--baseline-max", type=_positive, default=max(SIZES), metavar="N",
        help="largest size to try the plain Folium baseline at (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--loads", type=_positive, default=LOADS, metavar="K",
        help="page loads per size, the best is reported (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=20240601, metavar="S")
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    value = int(text.replace("_", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def run_size(
    n: int,
    demo: Demo,
    browser: Browser,
    workdir: Path,
    site: tuple[Path, str],
    last_baseline: BaselineBuild,
    args: argparse.Namespace,
) -> SizeResult:
    """Build the store of ``n`` incidents, measure the zone map and (if in reach) the baseline."""
    progress(f"{n:,}: generating incidents and building the store")
    start = time.perf_counter()
    incidents = generate_incidents(n, demo, np.random.default_rng([args.seed, n]))
    store_url = build_store(workdir / f"bench-{n}.sqlite", demo, incidents)
    progress(f"{n:,}: store built in {time.perf_counter() - start:.1f} s")
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


def prepare_site(directory: Path) -> Path:
    """A directory for the baseline pages: the vendored Leaflet and an empty favicon."""
    shutil.copytree(VENDOR / "leaflet", directory / "vendor" / "leaflet")
    (directory / "favicon.ico").write_bytes(b"")  # the app's pages declare one too
    return directory


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
