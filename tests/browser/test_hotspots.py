"""In Chromium: the hotspot page draws the multi-phenomenon cells, opens a popup, switches layers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from mmm.demo import DEMO_PASSWORD, add_demo_partners, add_demo_users, load_demo
from mmm.store import open_store
from tests.browser.conftest import ARTIFACTS
from webmap import create_app


@pytest.fixture(scope="module")
def hotspot_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live app with the hotspot blueprint (registered here until create_app does it)."""
    path = Path(tmp_path_factory.mktemp("hotspots")) / "demo.sqlite"
    store = open_store(f"sqlite:///{path}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_users(store)
    store.close()
    app = create_app({"MMM_STORE": f"sqlite:///{path}", "SECRET_KEY": "browser-tests"})
    if "hotspots" not in app.blueprints:
        from webmap.hotspots import bp

        app.register_blueprint(bp)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _log_in(tab, url: str) -> None:
    tab.goto(f"{url}/hotspots")
    assert "/login" in tab.url
    tab.fill("#name", "analist")
    tab.fill("#password", DEMO_PASSWORD)
    tab.click("#submit")
    tab.wait_for_url(f"{url}/hotspots")


def test_multi_phenomenon_hotspots_are_drawn_and_explained(page, hotspot_url):
    tab, problems = page
    hosts = set()
    tab.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    _log_in(tab, hotspot_url)
    tab.wait_for_selector(".leaflet-pane canvas")
    assert tab.locator(".mmm-legend").inner_text().count("\n") >= 3  # classes of the legend
    cells = tab.evaluate("window.mmmHotspots.multi.getLayers().length")
    assert cells > 100
    assert tab.locator(".leaflet-control-layers-base input").count() >= 1 + 2 * 8
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "hotspots.png"))  # the page as it opens

    # Click the strongest multi-phenomenon hotspot: its popup says why, in the page's language.
    first = tab.locator("table.hotspots tbody a").first
    first.click()
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "z" in text and any(ch.isdigit() for ch in text)
    assert tab.locator(".leaflet-popup-content tbody tr").count() >= 2  # two or more phenomena
    tab.wait_for_timeout(300)  # the popup's fade-in
    tab.screenshot(path=str(ARTIFACTS / "hotspots-popup.png"))

    # A click on the map itself, where a hot cell is, also opens a popup.
    tab.evaluate("() => { window.mmmHotspots.map.closePopup(); }")
    point = tab.evaluate(
        """() => { const api = window.mmmHotspots, map = api.map;
        const cell = api.multi.getLayers().slice(-1)[0];
        const p = map.latLngToContainerPoint(cell.getCenter());
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }"""
    )
    tab.mouse.click(point[0], point[1])
    popup.wait_for()
    assert "z" in popup.inner_text()

    # Switch to the drugs Gi* layer and to a KDE raster: the legend follows.
    tab.evaluate("() => { window.mmmHotspots.map.closePopup(); window.mmmHotspots.home(); }")
    tab.locator(".leaflet-control-layers").hover()
    tab.locator(".leaflet-control-layers-base label", has_text="Gi*").nth(1).click()
    assert "Gi*" in tab.locator(".mmm-legend").inner_text()
    tab.locator(".leaflet-control-layers-base label", has_text="Drugs").nth(1).click()
    tab.wait_for_selector("img.leaflet-image-layer")
    assert "km²" in tab.locator(".mmm-legend").inner_text()
    tab.screenshot(path=str(ARTIFACTS / "hotspots-kde.png"))
    tab.locator(".leaflet-control-layers-base label").first.click()
    assert tab.locator(".mmm-legend h4").first.inner_text() == "Multi-phenomenon hotspots"
    assert hosts == {urlsplit(hotspot_url).netloc}
    assert problems == []
