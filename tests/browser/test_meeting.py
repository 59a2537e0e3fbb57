"""In Chromium: walk through a meeting with the keyboard, download a PDF report and a dossier,
and open the dossier offline."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from mmm.demo import DEMO_PASSWORD

DRAWN = ".slide.current .leaflet-map-pane canvas"


@pytest.fixture(scope="module")
def plans_url(live_url: str) -> str:
    """The shared live app: its demo store has the demo action plans."""
    return live_url


def _log_in(tab: Page, url: str, path: str) -> None:
    tab.goto(f"{url}{path}")
    tab.fill("#name", "analist")
    tab.fill("#password", DEMO_PASSWORD)
    tab.click("#submit")
    tab.wait_for_url(f"{url}{path}")


def _real(problems: list[str], download: str) -> list[str]:
    """The problems, less Chromium's "aborted" for a navigation that became a download."""
    return [p for p in problems if not (download in p and p.endswith("net::ERR_ABORTED"))]


def _position(tab: Page) -> str:
    return tab.inner_text("#position").strip()


def test_walk_through_a_meeting_then_print_the_report(page, plans_url, tmp_path) -> None:
    tab, problems = page
    _log_in(tab, plans_url, "/meeting/")
    tab.check("input[name=plan] >> nth=0")
    tab.check("input[name=plan] >> nth=1")
    tab.check("label.choice:has-text('Winkelstraat') input")
    tab.click("#start")
    tab.wait_for_selector(DRAWN)
    assert tab.locator("header.top").count() == 0  # no app navigation on the shared screen
    assert _position(tab) == "1 / 3"
    first = tab.inner_text(".slide.current h1")
    size = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 22  # large type

    tab.keyboard.press("ArrowRight")
    assert _position(tab) == "2 / 3"
    second = tab.inner_text(".slide.current h1")
    assert second != first
    tab.keyboard.press("PageDown")
    assert _position(tab) == "3 / 3"
    assert tab.inner_text(".slide.current h1") == "Winkelstraat"
    tab.keyboard.press("ArrowRight")  # the last slide stays
    assert _position(tab) == "3 / 3"
    tab.keyboard.press("PageUp")
    tab.keyboard.press("ArrowLeft")
    assert _position(tab) == "1 / 3" and tab.inner_text(".slide.current h1") == first
    tab.click("#next")
    assert _position(tab) == "2 / 3"
    # Every slide's map was laid out while hidden: the one shown now is drawn and sized.
    box = tab.locator(".slide.current .folium-map").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    assert tab.locator(".slide.current .leaflet-map-pane canvas").count() >= 1
    assert tab.locator(".slide:not(.current)").evaluate_all(
        "els => els.every(e => getComputedStyle(e).visibility === 'hidden')"
    )

    tab.goto(f"{plans_url}/reports/")
    tab.click("text=Veilige Stationsbuurt")
    tab.wait_for_selector(".report-map .leaflet-map-pane canvas")
    tab.select_option("select[name=purpose]", "meeting")
    with tab.expect_download() as download:
        tab.click("#pdf")
    target = tmp_path / "report.pdf"
    download.value.save_as(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) >= 2
    assert "Veilige Stationsbuurt" in reader.pages[0].extract_text()
    assert _real(problems, ".pdf") == []


def test_the_dossier_opens_offline(page, plans_url, tmp_path) -> None:
    tab, problems = page
    _log_in(tab, plans_url, "/reports/")
    tab.select_option("select[name=purpose]", "meeting")
    with tab.expect_download() as download:
        tab.click("tr:has-text('Stationsbuurt') button")
    target = tmp_path / "dossier.html"
    download.value.save_as(target)
    tab.context.set_offline(True)
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(target.as_uri())
    tab.wait_for_selector(".report-map .leaflet-map-pane canvas")
    assert "Veilige Stationsbuurt" in tab.inner_text("body")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    tab.context.set_offline(False)
    assert _real(problems, "dossier.html") == []
