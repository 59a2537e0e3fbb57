"""In Chromium: the hotspot page draws the multi-phenomenon cells, opens a popup, switches layers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.browser.conftest import ARTIFACTS, log_in


def test_multi_phenomenon_hotspots_are_drawn_and_explained(page, live_url):
    tab, problems = page
    hosts = set()
    tab.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    log_in(tab, live_url, "/hotspots")
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
    assert re.search(r"\d,\d\d", text) and not re.search(r"\d\.\d\d", text), text  # nl: 3,14
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

    # Switch to the drugs Gi* layer (radio 0: multi, 1…8: Gi*, 9…16: KDE, phenomena by code:
    # burglary_dwelling, drugs, …) and to its KDE raster: the legend follows.
    tab.evaluate("() => { window.mmmHotspots.map.closePopup(); window.mmmHotspots.home(); }")
    legend = tab.locator(".mmm-legend h4").first
    multi_title = legend.inner_text()
    radios = tab.locator(".leaflet-control-layers-base label")
    tab.locator(".leaflet-control-layers").hover()
    radios.nth(2).click()
    assert legend.inner_text() != multi_title and "Drugs" in legend.inner_text()
    radios.nth(1 + 8 + 1).click()
    tab.wait_for_selector("img.leaflet-image-layer")
    assert tab.locator(".mmm-legend .mmm-ramp").count() == 1 and "Drugs" in legend.inner_text()
    tab.screenshot(path=str(ARTIFACTS / "hotspots-kde.png"))
    radios.first.click()
    assert legend.inner_text() == multi_title
    assert hosts == {urlsplit(live_url).netloc}
    assert problems == []
