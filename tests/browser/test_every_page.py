"""Every page each role can reach, on a phone (390×844), a projector (1280×720) and a desktop
(1920×1080): the page is no wider than the window, meeting mode clips no table or list, no
console error or failed request, no serious or critical axe-core finding, and the Tab key
reaches every control (on the folded and the unfolded layout). A page whose content another
role already showed at that size, element for element, has its content checked once. A screenshot of each page at each size goes to build/browser/pages/.

The pages are found as a person finds them: from the zone map, following every link of the app
the role is shown (plus meeting mode, reached through its form, and the presentation views).
One browser and one live app for the whole walk; each page is loaded once per size.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import ARTIFACTS, log_in
from tests.browser.pages import (
    AXE,
    AXE_RUN,
    AXE_TAGS,
    CHARTS_DRAWN,
    CONTENT,
    FAILING_IMPACTS,
    MARK_CONTROLS,
    MEETING_CLIPPED,
    OVERFLOW,
    ROLES,
    SIZES,
    UNREACHED,
    UNSCROLL,
    Findings,
    links,
    page_key,
    slug,
)

SHOTS = ARTIFACTS / "pages"
#: The Tab walk runs on the folded (phone) and the unfolded layout; 1920 px lays out as 1280 px.
KEYBOARD_SIZES = ("390x844", "1280x720")
#: Pages no link leads to: views chosen with a form's options.
PRESENTATION_VIEWS = ("/map?presentation=1", "/hotspots?presentation=1")


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} missing: `make install` runs npm ci and tools/vendor.py"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=SIZES["1280x720"])
    yield context
    context.close()


#: (size, content) of the pages axe-core and the Tab walk checked already, for every role.
CHECKED: set[tuple[str, int]] = set()


class Walk:
    """One role's tab, the checks run on each page it opens, and what they found."""

    def __init__(self, tab: Page, role: str, axe: str) -> None:
        self.tab, self.role, self.axe = tab, role, axe
        self.header_checked: set[str] = set()  # sizes at which this role's header was checked
        self.findings = Findings()
        self.problems: list[str] = []
        tab.on("console", lambda m: self._problem(f"console: {m.text}", m.type == "error"))
        tab.on("pageerror", lambda e: self._problem(f"page error: {e}", True))
        # Leaving a page cancels what it still loads (map tiles): net::ERR_ABORTED is no fault.
        tab.on(
            "requestfailed",
            lambda r: self._problem(
                f"failed: {r.url} {r.failure}", "ERR_ABORTED" not in (r.failure or "")
            ),
        )
        tab.on("response", lambda r: self._problem(f"HTTP {r.status}: {r.url}", r.status >= 400))

    def _problem(self, text: str, bad: bool) -> None:
        if bad:
            self.problems.append(text)

    def visit(self, url: str, size: str) -> None:
        """Open ``url`` at ``size`` and run every check on it."""
        tab, where = self.tab, f"{self.role} {size} {url}"
        self.problems.clear()
        response = tab.goto(url)
        assert response is not None
        if response.status >= 400:
            self.findings.add(where, "answered", [str(response.status)])
            return
        undrawn = tab.evaluate(CHARTS_DRAWN)
        self.findings.add(where, "charts not drawn", [str(undrawn)] if undrawn else [])
        width = tab.evaluate(OVERFLOW)
        if width["scroll"] > width["width"]:
            self.findings.add(
                where, f"page {width['scroll']} px wide in {width['width']} px", width["out"]
            )
        if "/meeting/walk" in url:
            self.findings.add(where, "clipped in meeting mode", tab.evaluate(MEETING_CLIPPED))
        content = (size, hash(tab.evaluate(CONTENT)))
        if content not in CHECKED or size not in self.header_checked:
            CHECKED.add(content)
            self.header_checked.add(size)
            tab.evaluate(self.axe)
            self.findings.add(where, "axe-core", tab.evaluate(AXE_RUN, [AXE_TAGS, FAILING_IMPACTS]))
            if size in KEYBOARD_SIZES:
                self._keyboard(where)
        tab.evaluate(UNSCROLL)
        tab.screenshot(path=str(SHOTS / f"{self.role}-{slug(url)}-{size}.png"), full_page=True)
        self.findings.add(where, "console or requests", list(self.problems))

    def _keyboard(self, where: str) -> None:
        """Tab through the page: every visible control must take the focus."""
        controls = self.tab.evaluate(MARK_CONTROLS)
        presses, unreached = controls + 3, ["?"]
        for _ in range(presses):
            self.tab.keyboard.press("Tab")
        # Scrolling boxes take the focus too (they are not counted): go on while some are left.
        while presses < 2 * controls + 40 and (unreached := self.tab.evaluate(UNREACHED)):
            for _ in range(10):
                self.tab.keyboard.press("Tab")
            presses += 10
        self.findings.add(where, "not reached with Tab", unreached)

    def discover(self, base: str) -> list[str]:
        """Every kind of page the role reaches from the zone map (checked at 1280×720 on the way)."""
        queue, seen = [f"{base}/map"], {}
        while queue:
            url = queue.pop(0)
            if page_key(url) in seen:
                continue
            seen[page_key(url)] = url
            self.visit(url, "1280x720")
            found = links(self.tab, base)
            if url.endswith("/meeting/"):
                found.append(self._meeting(base))
            if url.endswith("/map"):  # the presentation views of the pages the role is shown
                shown = {urlsplit(u).path for u in found + [url]}
                found += [base + v for v in PRESENTATION_VIEWS if urlsplit(v).path in shown]
            queue += [u for u in found if page_key(u) not in seen]
        return list(seen.values())

    def _meeting(self, base: str) -> str:
        """Meeting mode with every plan and perimeter of the choice page, partners present."""
        boxes = self.tab.eval_on_selector_all(
            ".meeting-choose input[type=checkbox][name=plan], "
            ".meeting-choose input[type=checkbox][name=perimeter]",
            "els => els.map(e => [e.name, e.value])",
        )
        return f"{base}/meeting/walk?{urlencode([*map(tuple, boxes), ('partners', '1')])}"


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_every_screen_and_is_accessible(
    context: BrowserContext, live_url: str, axe_source: str, role: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = context.new_page()
    walk = Walk(tab, role, axe_source)
    log_in(tab, live_url, name=ROLES[role])
    pages = walk.discover(live_url)
    assert len(pages) >= 5, pages
    for size, viewport in SIZES.items():
        if size == "1280x720":
            continue  # checked while discovering
        tab.set_viewport_size(viewport)
        for url in pages:
            walk.visit(url, size)
    assert not walk.findings.lines, walk.findings.report()


def test_the_login_page_fits_every_screen(browser: Browser, live_url: str, axe_source: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)
        walk = Walk(context.new_page(), "anonymous", axe_source)
        walk.visit(f"{live_url}/login", size)
        context.close()
        assert not walk.findings.lines, walk.findings.report()
