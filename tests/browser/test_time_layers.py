"""In Chromium: the staff-only time layers draw and explain themselves — emerging hot spots and
near-repeat alerts on the hotspot map, recent change on the zone map, heat tables on a page."""

from __future__ import annotations

from tests.browser.conftest import ARTIFACTS, log_in


def _toggle(tab, text: str) -> None:
    """Tick the overlay whose label starts with ``text`` in the (hovered) layer control."""
    tab.locator(".leaflet-control-layers").first.hover()
    tab.locator(".leaflet-control-layers-overlays label", has_text=text).first.click()


def test_hotspot_map_emerging_and_near_repeat_layers(page, live_url):
    tab, problems = page
    log_in(tab, live_url, "/hotspots?from=2024-01&to=2025-12&emerging=month")
    tab.wait_for_selector(".leaflet-pane canvas")
    overlays = tab.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    emerging = [t.strip() for t in overlays if "Emerging" in t or "Opkomende" in t]
    assert len(emerging) == 8  # one per phenomenon
    _toggle(tab, emerging[1])
    legend = tab.locator(".mmm-overlay-legend")
    legend.wait_for()
    assert "(" in legend.inner_text()  # patterns with their cell counts
    cells = tab.evaluate(
        "() => Object.keys(window).filter(k => k.startsWith('mmm_extra_'))"
        ".map(k => window[k].layers.map(l => l.getLayers().length))"
    )
    assert any(n > 0 for counts in cells for n in counts)
    _toggle(tab, emerging[1])
    assert legend.count() == 0  # the legend leaves with its layer
    # The near-repeat alerts come after the emerging layers (the demo's drugs show a pattern).
    alerts = overlays[[t.strip() for t in overlays].index(emerging[-1]) + 1].strip()
    _toggle(tab, alerts)
    legend.wait_for()
    assert "14" in legend.inner_text() and " m " in legend.inner_text()
    tab.screenshot(path=str(ARTIFACTS / "hotspots-time-layers.png"))
    assert 'id="near-repeat"' in tab.content()
    assert problems == []


def test_zone_map_recent_change_and_the_heat_tables(page, live_url):
    tab, problems = page
    log_in(tab, live_url, "/map")
    tab.wait_for_selector(".leaflet-overlay-pane path")
    overlays = tab.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    change = [t.strip() for t in overlays if "28" in t]
    assert len(change) == 1
    _toggle(tab, change[0])
    legend = tab.locator(".mmm-overlay-legend")
    legend.wait_for()
    assert "28" in legend.inner_text()
    tab.goto(f"{live_url}/perimeters/")
    tab.click("text=Stationsbuurt")
    tab.wait_for_selector("table.heat")
    assert tab.locator("details.when-table[open] table.heat tbody tr").count() == 7
    assert tab.locator("section.recent-change table.change tbody tr").count() >= 2
    tab.screenshot(path=str(ARTIFACTS / "perimeter-time.png"), full_page=True)
    assert problems == []


def test_a_cell_hot_through_its_neighbours_says_so_in_its_popup(page, live_url):
    from tests.mmm.present.test_hotspot_map import _payload

    tab, problems = page
    log_in(tab, live_url, "/hotspots")
    tab.wait_for_selector(".leaflet-pane canvas")
    data = _payload(tab.content())
    cells, level = data["cells"], data["hotLevel"]
    borrowed = [
        cells["id"][i]
        for i in range(len(cells["id"]))
        for k in range(len(data["labels"]))
        if cells["b"][k][i] >= level and cells["k"][k][i] == 0
    ]
    assert borrowed  # the demo has hot cells without an incident of their own
    assert tab.evaluate(f"window.mmmHotspots.show({borrowed[0]!r})")
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    note = tab.locator(".leaflet-popup-content .mmm-borrowed").first
    assert note.inner_text() == data["text"]["neighbours"]
    assert problems == []
