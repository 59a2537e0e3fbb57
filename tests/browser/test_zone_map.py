"""In Chromium: log in, use the zone map, open a perimeter, download a GeoJSON."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from tests.browser.conftest import ARTIFACTS, log_in


def test_zone_map_draws_switches_and_stays_on_this_host(page, live_url):
    tab, problems = page
    hosts = set()
    tab.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    log_in(tab, live_url)
    tab.wait_for_selector(".leaflet-overlay-pane path")
    assert tab.locator(".leaflet-pane path.leaflet-interactive").count() >= 10  # perimeters
    assert tab.locator(".leaflet-pane canvas").count() >= 1  # the grid, drawn on a canvas
    assert tab.locator(".leaflet-control-layers").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "zone-map.png"))

    tab.select_option("select[name=phenomenon]", "drugs")
    tab.select_option("select[name=from]", "2025-01")
    tab.select_option("select[name=to]", "2025-06")
    tab.click("form.controls button[type=submit]")
    tab.wait_for_url("**/map?phenomenon=drugs&from=2025-01&to=2025-06*")
    tab.wait_for_selector(".leaflet-overlay-pane path")
    assert tab.locator("select[name=phenomenon]").input_value() == "drugs"
    assert "2024-07" in tab.inner_text("form.controls")  # the comparison period

    tab.locator(".leaflet-interactive").first.wait_for()
    assert hosts == {urlsplit(live_url).netloc}
    assert problems == []


def test_perimeter_page_chart_and_points(page, live_url):
    tab, problems = page
    log_in(tab, live_url, name="wijkinspecteur")
    tab.click("text=Perimeters") if tab.locator("text=Perimeters").count() else tab.click(
        "header nav a:nth-child(2)"
    )
    tab.click("text=Stationsbuurt")
    tab.wait_for_selector("#chart svg")
    assert tab.locator(".marker-cluster").count() == 0  # no points before a purpose is given
    tab.select_option("select[name=purpose]", "operations")
    tab.click("form.points button[type=submit]")
    tab.wait_for_selector(".marker-cluster")
    assert tab.locator("table.months tbody tr").count() == 8
    tab.screenshot(path=str(ARTIFACTS / "perimeter.png"), full_page=True)
    assert problems == []


def test_download_geojson_from_the_exports_page(page, live_url, tmp_path):
    tab, problems = page
    log_in(tab, live_url)
    tab.goto(f"{live_url}/exports/")
    tab.select_option("select[name=purpose]", "meeting")
    with tab.expect_download() as info:
        tab.click("button[formaction$='counts.geojson']")
    target = tmp_path / "counts.geojson"
    info.value.save_as(target)
    doc = json.loads(target.read_text())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 10
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0][:2]
    assert 2.5 < lon < 6.5 and 49.4 < lat < 51.6
    # A form navigation that turns into a download is "aborted" as a page load; that is all.
    aborted = [p for p in problems if "counts.geojson" in p and "ERR_ABORTED" in p]
    assert [p for p in problems if p not in aborted] == []
