"""In Chromium, as a partner: only its perimeters, small counts as "<5", no incident points."""

from __future__ import annotations

from tests.browser.conftest import ARTIFACTS, log_in


def test_partner_sees_its_perimeters_with_suppressed_counts(page, live_url):
    tab, problems = page
    log_in(tab, live_url, name="partner")
    tab.wait_for_selector(".leaflet-pane path.leaflet-interactive")
    assert tab.locator(".leaflet-pane path.leaflet-interactive").count() == 3
    assert tab.locator(".leaflet-mmmGrid-pane canvas").count() == 0  # no grid of the whole zone
    layers = tab.inner_text(".leaflet-control-layers")
    assert "Drugs" in layers and "Intrafamiliaal geweld" not in layers

    tab.select_option("select[name=phenomenon]", "drugs")  # Stadspark: December 2024 below 5
    tab.select_option("select[name=from]", "2024-12")
    tab.select_option("select[name=to]", "2024-12")
    tab.click("form.controls button[type=submit]")
    tab.wait_for_selector(".leaflet-pane path.leaflet-interactive")
    assert "<5" in tab.inner_text(".mmm-legend")  # the legend's hidden class

    tab.click("header nav >> text=Perimeters") if tab.locator(
        "header nav >> text=Perimeters"
    ).count() else tab.click("header nav a:nth-child(2)")
    tab.click("text=Winkelstraat")
    tab.wait_for_selector("#chart svg")
    assert tab.locator("select[name=purpose]").count() == 0  # no incident points to ask for
    assert "&lt;5" in tab.content() or "<5" in tab.inner_text("table.months")
    assert problems == []


def test_a_partners_chart_marks_its_hidden_months_with_their_text(page, live_url):
    """A month below the threshold is not dropped from the line: it breaks there, and the axis
    carries a marker with the table's "<5" written above it."""
    tab, problems = page
    log_in(tab, live_url, name="partner")
    tab.goto(f"{live_url}/perimeters/4?from=2023-01&to=2025-12")  # Stadspark, small months
    tab.wait_for_selector("#chart svg")
    hidden = tab.locator("table.months td", has_text="<5").count()
    assert hidden > 0
    texts = tab.eval_on_selector_all("#chart svg text", "els => els.map(e => e.textContent)")
    assert texts.count("<5") == hidden  # one "<5" on the chart for each in the table
    tab.locator("#chart").screenshot(path=str(ARTIFACTS / "partner-chart-hidden-months.png"))
    assert problems == []
