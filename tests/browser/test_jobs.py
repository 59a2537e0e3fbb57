"""In Chromium: a hotspot run shows its steps and a progress bar while the server works."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import ARTIFACTS, log_in

#: Every step and bar the status line shows, noted as they come where the next page can read
#: them (while the next page is on its way, this one answers no script).
WATCH = """() => { const seen = [];
  new MutationObserver(() => {
    const note = document.querySelector('.hotspot-form .busy-note');
    const bar = note && note.querySelector('progress');
    if (!bar) return;
    const step = note.querySelector('.busy-step').textContent;
    const last = seen[seen.length - 1];
    if (last && last.step === step && last.value === bar.value) return;
    seen.push({step: step, value: bar.value, max: bar.max, label: bar.getAttribute('aria-label'),
               veil: document.querySelector('.map-wrap').dataset.busy,
               map: !!document.querySelector('.map-wrap.busy')});
    sessionStorage.setItem('seen', JSON.stringify(seen));
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true});
}"""


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    yield context.new_page()
    context.close()


def test_a_hotspot_run_shows_its_steps_until_the_map_comes(tab: Page, live_url: str) -> None:
    log_in(tab, live_url, name="analist", path="/hotspots")
    held: list[Route] = []
    tab.route("**/hotspots?*", lambda route: held.append(route))  # the job's page waits here
    tab.evaluate(WATCH)
    tab.fill("input[name=cell]", "60")  # a fine grid and the co-location table: ≈1 s of work
    tab.check("input[name=colocation]")
    button = tab.locator(".hotspot-form button[type=submit]")
    button.click()
    while not held:  # the job runs, the page polls it
        tab.wait_for_timeout(20)
    shot = tab.context.new_cdp_session(tab).send("Page.captureScreenshot", {"format": "png"})
    (ARTIFACTS / "hotspots-progress.png").write_bytes(base64.b64decode(shot["data"]))
    for route in held:
        route.continue_()
    tab.wait_for_url(lambda url: "cell=60" in url)
    tab.wait_for_selector(".leaflet-pane canvas")
    assert tab.locator(".map-wrap.busy").count() == 0 and not button.is_disabled()
    seen = json.loads(tab.evaluate("() => sessionStorage.getItem('seen')"))
    steps = [s["step"] for s in seen]
    assert steps[-1] == "Klaar: de pagina wordt geopend…", steps  # then the page came
    assert all(s["label"] == "Voortgang" and s["map"] and s["veil"] == s["step"] for s in seen)
    working = [s for s in seen if s["value"] < s["max"]]
    assert working, seen  # steps before the end, each said in Dutch with its place in the run
    known = ("De feiten worden", "Hotspots van ", "Nagaan welke", "De kandidaat-perimeters")
    assert all(s["step"].startswith(known) for s in working), working
    # reading the incidents comes first, before the run knows how many steps it has; every
    # later step is counted against the whole run
    later = [s for s in working if not s["step"].startswith("De feiten worden")]
    assert all(s["max"] > 3 for s in later), later


def test_a_pdf_shows_the_printers_steps_then_downloads(tab: Page, live_url: str) -> None:
    log_in(tab, live_url, name="analist", path="/reports/")
    tab.click("text=Veilige Stationsbuurt")
    tab.select_option("form[data-pdf] select[name=purpose]", "meeting")
    button = tab.locator("#pdf")
    with tab.expect_download() as download:
        button.click()
        tab.wait_for_selector("form[data-pdf] .busy-note progress")
        assert button.is_disabled() and tab.inner_text("form[data-pdf] .busy-step")
        tab.locator("form[data-pdf]").screenshot(path=str(ARTIFACTS / "pdf-progress.png"))
    assert download.value.suggested_filename.endswith(".pdf")
    tab.wait_for_function("() => !document.querySelector('form[data-pdf] [aria-busy=true]')")
    assert not button.is_disabled() and tab.inner_text("form[data-pdf] .busy-note") == ""


def test_a_job_that_fails_says_why_and_gives_the_button_back(tab: Page, live_url: str) -> None:
    log_in(tab, live_url, name="analist", path="/reports/")
    tab.select_option("form.dossiers select[name=purpose]", "meeting")
    tab.fill("form.dossiers input[name=from]", "2031-01")  # months without data
    tab.fill("form.dossiers input[name=to]", "2031-02")
    button = tab.locator("form.dossiers tr:has-text('Stationsbuurt') button")
    button.click()
    tab.wait_for_selector("form.dossiers .busy-note.error")
    assert tab.inner_text("form.dossiers .busy-note").startswith("Kies maanden van ")
    assert not button.is_disabled() and button.get_attribute("aria-busy") is None
