"""In Chromium: the zone map in Dutch — perimeters reached with the keyboard, numbers written the
Dutch way in its popups, and a street search box whose placeholder fits on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page

from mmm.store import BatchInfo
from tests.browser.conftest import ARTIFACTS, demo_store, log_in, serving

#: How many Tab presses may pass before a perimeter has the focus (header, form, map controls).
MAX_TABS = 120


@pytest.fixture(scope="module")
def own_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo zone with residents per perimeter, so the zone map has a rate layer whose
    popups hold decimals ("12,3 per 1.000") and thousands ("1.234 inwoners"). A store of its
    own: these tests switch the analyst's language, which is stored with the user."""
    path = Path(tmp_path_factory.mktemp("rates")) / "demo.sqlite"
    store = demo_store(path)
    ids = [int(i) for i in store.perimeters()["id"]]
    residents = pd.DataFrame(
        {"source_id": [f"p{i}" for i in ids],
         "value": [1_234.0 + 977 * k for k in range(len(ids))],
         "perimeter_id": ids}
    )  # fmt: skip
    store.replace_denominators(
        "residents", residents, BatchInfo("denominators", "residents.csv", "test", len(ids), 0)
    )
    store.close()
    with serving(path) as url:
        yield url


def _in_language(tab: Page, language: str) -> None:
    """Switch the interface language with the header's form (folded in a menu on a phone)."""
    tab.evaluate(
        "l => { const s = document.querySelector('#language'); s.value = l; s.form.submit(); }",
        language,
    )
    tab.wait_for_selector(f'html[lang="{language}"]')


def test_a_perimeter_is_reached_with_tab_and_opened_with_enter(page, own_url):
    tab, problems = page
    log_in(tab, own_url)
    _in_language(tab, "nl")
    tab.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive")
    focused = None
    for _ in range(MAX_TABS):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(
            "() => { const e = document.activeElement; return e && e.matches("
            "'path.leaflet-interactive') ? e.getAttribute('aria-label') : null; }"
        )
        if focused:
            break
    assert focused, f"no perimeter reached in {MAX_TABS} Tab presses"
    name = re.sub(r" \([^)]*\)$", "", focused)  # "Stationsbuurt (119)": name and count
    assert re.search(r" \(\d[\d.]*\)$", focused) and name
    assert tab.locator(".leaflet-popup").count() == 0
    tab.keyboard.press("Enter")
    popup = tab.locator(".leaflet-popup-content .mmm-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert name in text and "Fenomeen" in text  # its popup, in Dutch
    assert "\u00a0%" in text and not re.search(r"\d %", text)  # "+12 %", never split
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "zone-map-keyboard-popup.png"))
    tab.keyboard.press("Escape")
    assert problems == []


def test_the_rate_popup_writes_dutch_decimals(browser: Browser, own_url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    try:
        log_in(tab, own_url)
        _in_language(tab, "nl")
        tab.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive")
        before = tab.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
        tab.locator(".leaflet-control-layers label", has_text="per 1.000").first.click()
        paths = tab.locator(".leaflet-overlay-pane path.leaflet-interactive")
        assert paths.count() > before  # the rate layer's shapes, drawn over the choropleth
        shape = paths.last.bounding_box()  # a rate shape: a click on it opens its popup
        assert shape is not None
        tab.mouse.click(shape["x"] + shape["width"] / 2, shape["y"] + shape["height"] / 2)
        popup = tab.locator(".leaflet-popup-content .mmm-popup")
        popup.wait_for()
        tab.wait_for_timeout(300)  # the popup's fade-in, for the screenshot
        text = popup.inner_text()
        assert re.search(r"\d,\d per 1\.000", text), text  # decimal comma, thousands dot
        assert re.search(r"\d\.\d{3} inwoners", text), text  # "2.211 inwoners"
        assert not re.search(r"\d\.\d per|\d,\d{3} inwoners", text), text
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "zone-map-rate-popup-nl.png"))
        legend = tab.locator(".mmm-overlay-legend").inner_text()
        assert re.search(r"\d,\d – \d", legend) and not re.search(r"\d\.\d –", legend), legend
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_street_search_placeholder_fits_on_a_phone(browser: Browser, own_url, language):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        log_in(tab, own_url)
        _in_language(tab, language)
        box = tab.locator(".mmm-search input")
        box.wait_for()
        room, text = tab.evaluate(
            "() => { const i = document.querySelector('.mmm-search input'), s = getComputedStyle(i);"
            " const c = document.createElement('canvas').getContext('2d'); c.font = s.font;"
            " return [i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),"
            " c.measureText(i.placeholder).width]; }"
        )
        assert text <= room, f"placeholder {text:.0f} px in a box of {room:.0f} px"
        search = box.bounding_box()
        layers = tab.locator(".leaflet-control-layers").bounding_box()
        assert search and layers
        above = search["y"] >= layers["y"] + layers["height"]  # under the folded layer list
        assert above or search["x"] + search["width"] <= layers["x"]
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"zone-map-search-390-{language}.png"))
    finally:
        context.close()
