"""In Chromium: the header on a laptop and a phone, a map's legend on a phone, meeting mode on a
projector, and the busy state of work that takes a while."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import ARTIFACTS, log_in

ONE_ROW = """() => { const h = document.querySelector('header.top');
  return {height: h.getBoundingClientRect().height, compact: h.classList.contains('compact'),
          fits: h.scrollWidth <= h.clientWidth}; }"""


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    yield context.new_page()
    context.close()


class Held:
    """Requests held back until released: the page shows its busy state meanwhile."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def __call__(self, route: Route) -> None:
        self.routes.append(route)

    def release(self) -> None:
        for route in self.routes:
            route.continue_()
        self.routes.clear()


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_administrators_header_is_one_row_on_a_laptop(tab: Page, live_url: str, language):
    log_in(tab, live_url, name="admin")
    try:
        tab.click("details.account > summary")
        tab.select_option("#language", language)  # sends the form: the page comes back in it
        tab.wait_for_selector(f'html[lang="{language}"]')
        header = tab.evaluate(ONE_ROW)
        assert header["fits"] and header["height"] < 60, header
        if language == "nl":  # Dutch, the zone's language, shows every link beside the name
            assert not header["compact"] and tab.locator("header nav a").first.is_visible()
        tab.click("details.account > summary")
        assert tab.locator(".account-panel button").is_visible()
        tab.keyboard.press("Escape")
        assert not tab.locator("#language").is_visible()
    finally:  # the language is the user's own, kept in the store the other tests share
        if tab.locator("#language").input_value() != "nl":
            tab.click("details.account > summary")
            tab.select_option("#language", "nl")
            tab.wait_for_selector('html[lang="nl"]')


def test_on_a_phone_the_menu_folds_and_opens_with_the_keyboard(tab: Page, live_url: str):
    tab.set_viewport_size({"width": 390, "height": 844})
    log_in(tab, live_url, name="analist")
    nav = tab.locator("header nav")
    assert not nav.is_visible() and tab.evaluate(ONE_ROW)["compact"]
    toggle = tab.locator("header .menu-toggle")
    toggle.focus()
    tab.keyboard.press("Enter")
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert tab.locator("#language").is_visible()  # the account's part is in the open menu
    tab.keyboard.press("Escape")
    assert not nav.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    # Widened to a laptop, the same page shows its links in the header again.
    tab.set_viewport_size({"width": 1366, "height": 768})
    tab.wait_for_function(
        "() => !document.querySelector('header.top').classList.contains('compact')"
    )
    assert nav.is_visible() and not toggle.is_visible()


def test_on_a_phone_the_legend_folds_behind_a_button(tab: Page, live_url: str):
    tab.set_viewport_size({"width": 390, "height": 844})
    log_in(tab, live_url, name="analist", path="/hotspots")
    legend, button = tab.locator(".mmm-legend"), tab.locator(".legend-toggle")
    button.wait_for()
    assert not legend.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not tab.locator(".leaflet-control-layers-list").is_visible()
    button.click()
    assert legend.is_visible() and button.get_attribute("aria-expanded") == "true"
    tab.set_viewport_size({"width": 1366, "height": 768})
    tab.goto(f"{live_url}/hotspots")
    assert (
        tab.locator(".mmm-legend").is_visible() and not tab.locator(".legend-toggle").is_visible()
    )


def test_meeting_mode_fits_a_projector_and_scrolls_with_the_keys(tab: Page, live_url: str):
    tab.set_viewport_size({"width": 1280, "height": 720})
    log_in(tab, live_url, name="wijkinspecteur", path="/meeting/")
    for box in tab.locator(".meeting-choose input[name=plan]").all():
        box.check()
    tab.click("#start")
    tab.wait_for_selector(".slide.current .leaflet-map-pane canvas")
    late = tab.locator(".slide.current header .late")
    if late.count():  # the plan's next evaluation has passed: how late, in Dutch
        assert "evaluatie" in late.inner_text() and "te laat" in late.inner_text()
    clipped = tab.evaluate(
        """() => [...document.querySelectorAll('.slide th, .slide td, .slide li, .slide h1')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)"""
    )
    assert clipped == []
    pane = tab.locator(".slide.current .slide-facts")
    overflow = pane.evaluate("e => e.scrollHeight - e.clientHeight")
    if overflow > 0:  # more than fits: ↓ scrolls the facts, → still goes to the next slide
        assert tab.locator(".slide.current .more-hint").is_visible()
        tab.keyboard.press("ArrowDown")
        tab.wait_for_function(
            "() => document.querySelector('.slide.current .slide-facts').scrollTop > 0"
        )
        tab.keyboard.press("End")
        tab.keyboard.press("Home")
        assert pane.evaluate("e => e.scrollTop") == 0
    tab.keyboard.press("ArrowRight")
    assert tab.inner_text("#position").startswith("2 /")


def test_recomputing_the_hotspots_shows_that_it_is_working(tab: Page, live_url: str):
    log_in(tab, live_url, name="analist", path="/hotspots")
    # What the page shows once its form is sent, noted where the next page can read it: while
    # the next page is on its way this one answers no script (it is still painted).
    tab.evaluate(
        """() => window.addEventListener('submit', () => {
        const b = document.querySelector('.hotspot-form button[type=submit]');
        sessionStorage.setItem('sent', JSON.stringify({
          veil: document.querySelector('.map-wrap.busy')?.dataset.busy, disabled: b.disabled,
          busy: b.getAttribute('aria-busy'),
          note: document.querySelector('.hotspot-form .busy-note')?.textContent}));
        })"""
    )
    held = Held()
    tab.route("**/hotspots?*", held)
    tab.fill("input[name=cell]", "150")
    tab.click(".hotspot-form button[type=submit]", no_wait_after=True)
    while not held.routes:  # the server is "computing": the request is held back
        tab.wait_for_timeout(20)
    shot = tab.context.new_cdp_session(tab).send("Page.captureScreenshot", {"format": "png"})
    (ARTIFACTS / "hotspots-busy.png").write_bytes(base64.b64decode(shot["data"]))
    held.release()
    tab.wait_for_url(lambda url: "cell=150" in url)
    tab.wait_for_selector(".leaflet-pane canvas")
    sent = json.loads(tab.evaluate("() => sessionStorage.getItem('sent')"))
    assert sent["disabled"] and sent["busy"] == "true", sent
    assert "hotspots" in sent["veil"] and sent["note"] == sent["veil"], sent
    button = tab.locator(".hotspot-form button[type=submit]")
    assert tab.locator(".map-wrap.busy").count() == 0 and not button.is_disabled()


def test_a_dossier_download_is_busy_until_the_file_comes(tab: Page, live_url: str):
    log_in(tab, live_url, name="analist", path="/reports/")
    held = Held()
    tab.route("**/dossier.html", held)
    tab.select_option("form.dossiers select[name=purpose]", "meeting")
    button = tab.locator("form.dossiers tr:has-text('Stationsbuurt') button")
    button.click()
    tab.wait_for_selector("form.dossiers .busy-note:not(:empty)")
    assert button.is_disabled() and button.get_attribute("aria-busy") == "true"
    with tab.expect_download() as download:
        held.release()
    assert download.value.suggested_filename.endswith(".html")
    tab.wait_for_function("() => !document.querySelector('form.dossiers [aria-busy=true]')")
    assert not button.is_disabled() and tab.inner_text("form.dossiers .busy-note") == ""
