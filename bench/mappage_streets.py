"""The streets part of bench/mappage.py: a street network of 20,000 segments in the demo zone,
what the zone map fetches of it for its first view, and how the perimeter editor keeps up while
it is panned and zoomed — with the streets, and without them (the baseline, in the same run).

Why these figures: the streets come as tiles (:mod:`mmm.present.maps.streets`), so the zone map's
HTML does not grow with them; what its first view costs is the street tiles it asks for (their
bytes as sent, gzip-compressed, and their count) and the time until they are drawn. The editor
must stay fluid while a perimeter is drawn: the frames Chromium paints during a scripted
sequence of drags and wheel zooms are timed with ``requestAnimationFrame``, first on the store
without streets, then after the streets are imported.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from cli import format_table, progress, seconds_cell
from mappage_browser import log_in, new_context
from mappage_data import PERIOD
from mappage_server import serve_app
from playwright.sync_api import Browser, Page

from mmm.crs import WORKING_CRS
from mmm.demo import Demo
from mmm.store import BatchInfo, open_store

SEGMENTS = 20_000
#: Street names: a lattice row or column gets one of these with its own number.
_STEMS = ("Kerk", "Molen", "School", "Stations", "Beek", "Bos", "Veld", "Dorps", "Linde", "Kouter")

#: Records every animation frame's time (an init script: it runs before the page's own).
FRAMES_JS = """
window.__frames = [];
(function tick(t) { window.__frames.push(t); requestAnimationFrame(tick); })(0);
"""
#: True once the street tiles of the view have drawn a line.
STREETS_DRAWN_JS = """() => document.querySelectorAll('.mmm-street-tile canvas').length > 0 &&
  !document.querySelector('.mmm-streets .leaflet-tile:not(.leaflet-tile-loaded)')"""


def generate_streets(demo: Demo, n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """``n`` segments between neighbouring nodes of a jittered lattice over the zone.

    The lattice is as fine as ``n`` needs (about 80 m at 20,000 in the demo zone); every row and
    column of it is one street, so a name holds many segments, as in a road register.
    """
    minx, miny, maxx, maxy = demo.zone.bounds
    shapely.prepare(demo.zone)
    area = shapely.area(demo.zone)
    spacing = 0.95 * np.sqrt(area / (n / 2))  # a little finer: enough edges inside the zone
    xs, ys = np.arange(minx, maxx + spacing, spacing), np.arange(miny, maxy + spacing, spacing)
    gx, gy = np.meshgrid(xs, ys)
    nodes = np.column_stack([gx.ravel(), gy.ravel()]) + rng.normal(0, 0.12 * spacing, (gx.size, 2))
    index = np.arange(gx.size).reshape(gx.shape)
    rows, cols = np.indices(gx.shape)
    a = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    b = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    street = np.concatenate([rows[:, :-1].ravel(), 10_000 + cols[:-1, :].ravel()])
    middle = (nodes[a] + nodes[b]) / 2
    inside = shapely.contains_xy(demo.zone, middle[:, 0], middle[:, 1])
    chosen = np.sort(
        rng.choice(np.flatnonzero(inside), size=min(n, int(inside.sum())), replace=False)
    )
    lines = shapely.linestrings(
        np.stack([nodes[a[chosen]], middle[chosen], nodes[b[chosen]]], axis=1)
    )
    names = [f"{_STEMS[s % len(_STEMS)]}straat {s // len(_STEMS) + 1}" for s in street[chosen]]
    return gpd.GeoDataFrame(
        {"segment_id": [str(i) for i in range(1, len(chosen) + 1)], "name": names},
        geometry=lines,
        crs=WORKING_CRS,
    )


def add_streets(store_url: str, streets: gpd.GeoDataFrame) -> None:
    """Store the segments (one import batch, as ``mmm import streets`` makes)."""
    store = open_store(store_url)
    try:
        store.replace_streets(
            streets, BatchInfo("streets", "bench-streets", "bench", len(streets), 0)
        )
    finally:
        store.close()


@dataclass(frozen=True)
class StreetTiles:
    """The street tiles of the zone map's first view."""

    tiles: int
    sent_bytes: int  # as sent: gzip-compressed JSON
    json_bytes: int  # uncompressed
    drawn_s: float  # navigation start → every tile of the view drawn
    after_html_s: float  # the document's last byte → every tile drawn
    document_bytes: int


@dataclass(frozen=True)
class Frames:
    """Frame times (ms) while the editor is dragged and zoomed."""

    frames: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    long: int  # frames over 50 ms (a stutter a hand notices)


def measure_street_tiles(browser: Browser, store_url: str) -> StreetTiles:
    """Load the zone map once (cold cache) and weigh the street tiles it fetches."""
    with serve_app(store_url) as (base_url, _clock):
        context = new_context(browser)
        try:
            page = context.new_page()
            log_in(page, base_url)
            responses = []
            page.on("response", lambda r: responses.append(r) if "/map/streets/" in r.url else None)
            page.goto(f"{base_url}/map?from={PERIOD.first}&to={PERIOD.last}", wait_until="load")
            page.wait_for_function(STREETS_DRAWN_JS, polling=50)
            drawn = page.evaluate("performance.now()") / 1000
            html_end = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
            document = page.evaluate(
                "performance.getEntriesByType('navigation')[0].decodedBodySize"
            )
            sent = sum(r.request.sizes()["responseBodySize"] for r in responses)
            plain = sum(len(r.body()) for r in responses)
            return StreetTiles(
                len(responses), sent, plain, drawn, drawn - html_end / 1000, int(document)
            )
        finally:
            context.close()


def measure_editor(browser: Browser, store_url: str) -> Frames:
    """Open the editor of perimeter 1, then drag the map about and zoom in and out by wheel."""
    with serve_app(store_url) as (base_url, _clock):
        context = new_context(browser)
        context.add_init_script(FRAMES_JS)
        try:
            page = context.new_page()
            log_in(page, base_url)
            page.goto(f"{base_url}/perimeters/1/edit", wait_until="load")
            page.wait_for_timeout(1500)  # tiles of the first view in
            return _frames(page)
        finally:
            context.close()


def _frames(page: Page) -> Frames:
    box = page.locator("#editor-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = page.evaluate("window.__frames.length")
    for dx, dy in ((300, 0), (0, 200), (-300, -200)):
        page.mouse.move(cx, cy)
        page.mouse.down()
        for step in range(1, 21):
            page.mouse.move(cx + dx * step / 20, cy + dy * step / 20)
        page.mouse.up()
    for delta in (-300, -300, 300, 300):  # two zooms in, two out
        page.mouse.wheel(0, delta)
        page.wait_for_timeout(400)
    frames = page.evaluate(f"window.__frames.slice({start})")
    gaps = np.diff(np.asarray(frames, dtype=float))
    return Frames(
        frames=len(gaps),
        p50_ms=float(np.percentile(gaps, 50)),
        p95_ms=float(np.percentile(gaps, 95)),
        max_ms=float(gaps.max()),
        long=int((gaps > 50).sum()),
    )


def measure_streets(
    browser: Browser, store_url: str, demo: Demo, rng: np.random.Generator, segments: int
) -> tuple[StreetTiles, Frames, Frames]:
    """The editor without streets, then with ``segments`` of them, and the zone map's tiles."""
    progress("streets: the editor without streets (baseline)")
    before = measure_editor(browser, store_url)
    streets = generate_streets(demo, segments, rng)
    add_streets(store_url, streets)
    progress(f"streets: {len(streets):,} segments stored; the zone map's street tiles")
    tiles = measure_street_tiles(browser, store_url)
    progress("streets: the editor with the streets")
    after = measure_editor(browser, store_url)
    return tiles, before, after


def streets_table(n: int, segments: int, tiles: StreetTiles, before: Frames, after: Frames) -> str:
    """Figures of one size as an aligned table."""
    rows = [
        ("zone map HTML", f"{tiles.document_bytes:,} B", f"{n:,} incidents, {segments:,} segments"),
        ("street tiles, first view", f"{tiles.tiles}", "requests"),
        ("street tiles, as sent (gzip)", f"{tiles.sent_bytes:,} B", f"JSON {tiles.json_bytes:,} B"),
        (
            "HTML + street tiles",
            f"{tiles.document_bytes + tiles.sent_bytes:,} B",
            "target < 2,000,000 B",
        ),
        ("streets drawn", f"{seconds_cell(tiles.after_html_s)} s", "after the HTML's last byte"),
        ("  from navigation start", f"{seconds_cell(tiles.drawn_s)} s", "a fresh app: cold counts"),
    ]
    for label, f in (("editor without streets", before), ("editor with streets", after)):
        rows.append(
            (label, f"p95 {f.p95_ms:.1f} ms", f"{f.frames} frames, p50 {f.p50_ms:.1f} ms, "
             f"max {f.max_ms:.1f} ms, {f.long} over 50 ms")
        )  # fmt: skip
    ratio = after.p95_ms / before.p95_ms if before.p95_ms else float("nan")
    rows.append(("editor p95 frame, with / without", f"{ratio:.2f}×", "1.00× = no cost"))
    return format_table(("figure", "value", "note"), rows, align="<><")
