"""In Chromium: every map page draws the streets, their names and the perimeters' names, finds a
street, and asks nothing of another host; the offline dossier and the printed report carry
their streets; a narrow screen folds the legend; partners get no grid and no segments.

Screenshots of every map page go to ``build/browser/`` (``map-<page>.png`` as it opens,
``map-<page>-street.png`` after a street search).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from werkzeug.serving import make_server

from mmm.demo import (
    DEMO_PASSWORD,
    add_demo_partners,
    add_demo_plans,
    add_demo_users,
    build_demo,
    load_demo,
)
from mmm.present.maps.streets import tile_range
from mmm.store import open_store
from tests.browser.conftest import ARTIFACTS
from tests.helpers import png_bytes, write_mbtiles
from webmap import create_app

PAGES = {
    "zone-map": "/map?from=2025-01&to=2025-12",
    "perimeter": "/perimeters/1?from=2025-01&to=2025-12",
    "editor": "/perimeters/1/edit",
    "hotspots": "/hotspots",
    "plan": "/plans/1",
    "report": "/reports/plans/1",
    "meeting": "/meeting/walk?perimeter=1&plan=1",
}
STREET_NAMES = frozenset(str(n) for n in build_demo().streets["name"])
#: True when a street tile's canvas has a line on it (a pixel that is not transparent).
DRAWN_JS = """() => Array.from(document.querySelectorAll('.mmm-street-tile canvas')).some(c => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
  return false;
})"""
VISIBLE_JS = """els => els.filter(e => e.offsetParent !== null &&
  getComputedStyle(e).visibility !== 'hidden').map(e => e.textContent)"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live app on the demo store with its plans, and a basemap file of zoom 14 only."""
    folder = Path(tmp_path_factory.mktemp("map-pages"))
    store = open_store(f"sqlite:///{folder / 'demo.sqlite'}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_plans(store)
    add_demo_users(store)
    bounds = store.zone().geometry.buffer(12_000).bounds  # wider than any view of the tests
    store.close()
    paper = png_bytes(244, 241, 232)
    tiles = {(14, x, 2**14 - 1 - y): paper for x, y in tile_range(bounds, 14)}
    basemap = write_mbtiles(folder / "demostad.mbtiles", tiles, minzoom="14", maxzoom="14")
    app = create_app(
        {
            "MMM_STORE": f"sqlite:///{folder / 'demo.sqlite'}",
            "SECRET_KEY": "browser-map-pages",
            "MMM_BASEMAP": str(basemap),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class Watch:
    """What a tab asked for and what went wrong in it."""

    def __init__(self, tab: Page) -> None:
        self.urls: list[str] = []
        self.problems: list[str] = []
        tab.on("request", lambda r: self.urls.append(r.url))
        tab.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        tab.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        tab.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))

    def hosts(self) -> set[str]:
        return {urlsplit(u).netloc for u in self.urls if u.startswith("http")}


def _open(
    browser: Browser, url: str, path: str, *, name: str = "analist", **context
) -> tuple[Page, Watch]:
    tab = browser.new_context(viewport={"width": 1400, "height": 900}, **context).new_page()
    watch = Watch(tab)
    tab.goto(f"{url}/login")
    tab.fill("#name", name)
    tab.fill("#password", DEMO_PASSWORD)
    tab.click("#submit")
    tab.wait_for_url(f"{url}/**")
    tab.goto(f"{url}{path}")
    return tab, watch


def _wait_for_streets(tab: Page) -> None:
    tab.wait_for_selector(".mmm-street-tile canvas")
    tab.wait_for_function(DRAWN_JS)


@pytest.mark.parametrize("page_name", list(PAGES))
def test_a_map_page_draws_streets_and_names_and_finds_a_street(browser, app_url, page_name):
    tab, watch = _open(browser, app_url, PAGES[page_name])
    try:
        _wait_for_streets(tab)
        perimeter_names = tab.locator(".leaflet-tooltip.mmm-plabel").evaluate_all(VISIBLE_JS)
        assert perimeter_names, "no perimeter name is written on the map"
        if page_name == "zone-map":
            assert len(perimeter_names) >= 8  # labels that do not pile up still show most
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"map-{page_name}.png"))

        search = tab.locator(".mmm-search input:visible").first
        search.fill("stationsstr")
        tab.locator(".mmm-search li button:visible").first.wait_for()
        assert tab.locator(".mmm-search li button:visible").first.inner_text() == "Stationsstraat"
        search.press("Enter")  # the map zooms to it, and its name is written first
        tab.wait_for_function(
            "() => Array.from(document.querySelectorAll('.mmm-street-label'))"
            ".some(e => e.textContent === 'Stationsstraat' && e.offsetParent !== null)"
        )
        names = set(tab.locator(".mmm-street-label").evaluate_all(VISIBLE_JS))
        assert len(names) >= 5 and names <= STREET_NAMES
        tab.screenshot(path=str(ARTIFACTS / f"map-{page_name}-street.png"))

        assert watch.hosts() == {urlsplit(app_url).netloc}
        tiles = [u for u in watch.urls if "/tiles/" in u]
        assert tiles and all("/tiles/14/" in u for u in tiles)  # the file's zoom, enlarged
        assert watch.problems == []
    finally:
        tab.context.close()


def test_the_segments_layer_and_a_narrow_screen(browser, app_url):
    tab, watch = _open(browser, app_url, PAGES["zone-map"])
    try:
        _wait_for_streets(tab)
        tab.locator(".leaflet-control-layers-overlays label", has_text="segment").click()
        tab.wait_for_selector(".leaflet-mmmSegments-pane path")
        assert tab.locator(".leaflet-mmmSegments-pane path").count() == 100
        assert tab.locator(".mmm-legend .mmm-scale").count() == 3  # perimeters, cells, segments
        tab.screenshot(path=str(ARTIFACTS / "map-zone-map-segments.png"))
        assert watch.problems == []
    finally:
        tab.context.close()

    tab, watch = _open(browser, app_url, PAGES["zone-map"], is_mobile=True, has_touch=True)
    try:
        tab.set_viewport_size({"width": 390, "height": 844})
        tab.reload()
        _wait_for_streets(tab)
        tab.wait_for_selector(".legend-toggle")
        assert not tab.locator(".mmm-legend").is_visible()  # folded behind its button
        assert tab.locator(".leaflet-control-layers-expanded").count() == 0
        tab.screenshot(path=str(ARTIFACTS / "map-zone-map-narrow.png"))
        tab.click(".legend-toggle")
        assert tab.locator(".mmm-legend").is_visible()
        assert watch.problems == []
    finally:
        tab.context.close()


def test_a_partners_map_offers_no_grid_and_no_segments(browser, app_url):
    tab, watch = _open(browser, app_url, PAGES["zone-map"], name="partner")
    try:
        _wait_for_streets(tab)
        overlays = tab.inner_text(".leaflet-control-layers-overlays")
        assert "200 m" not in overlays and "segment" not in overlays.lower()
        assert tab.locator(".mmm-legend .mmm-scale").count() == 1  # perimeters only
        tab.screenshot(path=str(ARTIFACTS / "map-zone-map-partner.png"))
        assert watch.problems == []
    finally:
        tab.context.close()


def test_the_dossier_and_the_printed_report_carry_their_streets(browser, app_url, tmp_path):
    tab, watch = _open(browser, app_url, "/reports/")
    try:
        tab.select_option("select[name=purpose]", "meeting")
        with tab.expect_download() as download:
            tab.click("tr:has-text('Stationsbuurt') button")
        target = tmp_path / "dossier.html"
        download.value.save_as(target)

        tab.goto(f"{app_url}{PAGES['report']}")
        token = tab.get_attribute('meta[name="csrf-token"]', "content")
        printed = tab.context.request.post(  # the report page's PDF form, as the browser sends it
            f"{app_url}/reports/plans/1.pdf", form={"purpose": "meeting", "csrf_token": token}
        )
        assert printed.ok and printed.headers["content-type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.body())).pages)
        assert any(name in text for name in STREET_NAMES)  # names along the printed streets
    finally:
        tab.context.close()

    offline = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    try:
        tab = offline.new_page()
        watch = Watch(tab)
        tab.goto(target.as_uri())
        _wait_for_streets(tab)
        tab.wait_for_selector(".mmm-street-label")
        tab.locator(".mmm-search input").fill("stationsstr")  # its own index, no server
        tab.locator(".mmm-search li button").first.wait_for()
        tab.screenshot(path=str(ARTIFACTS / "map-dossier-offline.png"))
        assert [u for u in watch.urls if not u.startswith(("file:", "data:"))] == []
        assert watch.problems == []
    finally:
        offline.close()
