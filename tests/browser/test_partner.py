"""In Chromium, as a partner: only its perimeters, small counts as "<5", no incident points."""

from __future__ import annotations

from mmm.demo import DEMO_PASSWORD


def test_partner_sees_its_perimeters_with_suppressed_counts(page, live_url):
    tab, problems = page
    tab.goto(f"{live_url}/login")
    tab.fill("#name", "partner")
    tab.fill("#password", DEMO_PASSWORD)
    tab.click("#submit")
    tab.wait_for_url(f"{live_url}/map")
    tab.wait_for_selector(".leaflet-pane path.leaflet-interactive")
    assert tab.locator(".leaflet-pane path.leaflet-interactive").count() == 3
    assert tab.locator(".leaflet-pane canvas").count() == 0  # no grid of the whole zone
    layers = tab.inner_text(".leaflet-control-layers")
    assert "Drugs" in layers and "Intrafamiliaal geweld" not in layers

    tab.select_option("select[name=phenomenon]", "drugs")  # Stadspark: December 2024 below 5
    tab.select_option("select[name=from]", "2024-12")
    tab.select_option("select[name=to]", "2024-12")
    tab.click("form.controls button[type=submit]")
    tab.wait_for_selector(".leaflet-pane path.leaflet-interactive")
    assert "<5" in tab.inner_text(".leaflet-bottom.leaflet-right")  # the legend's hidden class

    tab.click("header nav >> text=Perimeters") if tab.locator(
        "header nav >> text=Perimeters"
    ).count() else tab.click("header nav a:nth-child(2)")
    tab.click("text=Winkelstraat")
    tab.wait_for_selector("#chart svg")
    assert tab.locator("select[name=purpose]").count() == 0  # no incident points to ask for
    assert "&lt;5" in tab.content() or "<5" in tab.inner_text("table.months")
    assert problems == []
