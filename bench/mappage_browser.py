"""Loading pages in Chromium for bench/mappage.py: a fresh context with two timing marks, the
demo analyst's log-in, and the loads of one page with their milestones and weight."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cli import progress, seconds_cell
from mappage_data import PERIOD
from mappage_server import USER, ServerClock, serve_app
from playwright.sync_api import Browser, BrowserContext, Page

from mmm.demo import DEMO_PASSWORD
from mmm.present.pdf import chromium_flags
from mmm.settings import load_settings

CHROMIUM = load_settings().chromium
#: Flags that keep Chromium off the network it cannot reach here, and quiet (shared with
#: mmm.present.pdf).
CHROMIUM_FLAGS = chromium_flags()
VIEWPORT = {"width": 1400, "height": 900}
SLOW_LOAD_S = 20.0  # one load only when the first one takes longer
TIMEOUT_MS = 600_000.0

#: Marks the moments the map is drawn and the page painted, in ``performance.now()`` time.
MARKS_JS = """
(() => {
  const selector = '.leaflet-pane path.leaflet-interactive';
  const marks = window.__benchMarks = {drawn: null, painted: null};
  const observer = new MutationObserver(() => {
    if (marks.drawn === null && document.querySelector(selector)) {
      marks.drawn = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true});
  window.addEventListener('load', () => requestAnimationFrame(() => requestAnimationFrame(() => {
    marks.painted = performance.now();
  })));
})();
"""
MARKED_JS = "() => window.__benchMarks && window.__benchMarks.painted !== null"
TIMING_JS = """
() => {
  const n = performance.getEntriesByType('navigation')[0];
  const m = window.__benchMarks;
  return {ttfb: n.responseStart, html: n.responseEnd, load: n.loadEventEnd, drawn: m.drawn,
          painted: m.painted, bytes: n.decodedBodySize};
}
"""


@dataclass(frozen=True)
class Load:
    """One page load, in seconds from navigation start."""

    ttfb_s: float  # first byte of the document
    html_s: float  # last byte of the document
    drawn_s: float  # the first interactive Leaflet path exists
    load_s: float  # end of the load event
    painted_s: float  # the frame after the load event
    server_s: float | None = None  # the app's own time for the document (zone map only)

    @property
    def shown_s(self) -> float:
        """Load event, or map drawn when that comes later: the figure compared."""
        return max(self.load_s, self.drawn_s)


@dataclass(frozen=True)
class PageResult:
    """Weight and load times of one page at one size."""

    document_bytes: int
    total_bytes: int
    requests: int
    first: Load
    best: Load
    loads: int


def new_context(browser: Browser) -> BrowserContext:
    """A fresh context (empty cache, no cookies) with the timing marks installed."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.add_init_script(MARKS_JS)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def log_in(page: Page, base_url: str) -> None:
    """Log in as the demo analyst; lands on the login page again, so no map is computed yet."""
    landing = "/login"
    page.goto(f"{base_url}/login?next={landing}")
    page.fill("#name", USER)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{base_url}{landing}")


def load_once(page: Page, url: str) -> Load:
    """Navigate to ``url`` and wait until the map is drawn and the page painted."""
    page.goto(url, wait_until="load")
    page.wait_for_function(MARKED_JS, polling=50)
    t = page.evaluate(TIMING_JS)
    if t["drawn"] is None:
        raise RuntimeError(f"{url}: no .leaflet-pane path.leaflet-interactive after load")
    return Load(
        ttfb_s=t["ttfb"] / 1000,
        html_s=t["html"] / 1000,
        drawn_s=t["drawn"] / 1000,
        load_s=t["load"] / 1000,
        painted_s=t["painted"] / 1000,
    )


def measure_page(
    page: Page, url: str, label: str, *, loads: int, server: ServerClock | None = None
) -> PageResult:
    """Load ``url`` up to ``loads`` times; weigh the page and every file it requested.

    The first load runs on a fresh context, so its figures are cold (server and cache). Only
    one load is made when the first takes more than ``SLOW_LOAD_S``. Subresources are weighed
    by fetching them again with the same cookies (a cached copy has no size in the browser).
    """
    problems: list[str] = []
    requested: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on(
        "requestfailed",
        lambda r: (
            None
            if "/map/streets/" in r.url and "ERR_ABORTED" in (r.failure or "")  # left by a reload
            else problems.append(f"failed: {r.url} {r.failure}")
        ),
    )
    page.on("request", lambda r: requested.append(r.url))
    path = urlsplit(url).path
    results: list[Load] = []
    first_bytes, subresources = 0, []
    for i in range(loads):
        before = len(server.seconds.get(path, [])) if server else 0
        load = load_once(page, url)
        if server is not None:
            load = _with_server_time(load, server.seconds[path][before:])
        progress(
            f"{label}: load {i + 1}: {load.shown_s:.3f} s (drawn {load.drawn_s:.3f} s, "
            f"server {seconds_cell(load.server_s)})"
        )
        if i == 0:
            first_bytes = int(page.evaluate(TIMING_JS)["bytes"])
            subresources = [
                u
                for u in dict.fromkeys(requested)
                if u.startswith("http") and not u.endswith("/favicon.ico")
            ]
        results.append(load)
        if problems:
            raise RuntimeError(f"{label}: the browser reported: {'; '.join(problems[:5])}")
        if load.shown_s > SLOW_LOAD_S:
            break
    others = [u for u in subresources if u != url]
    other_bytes = sum(len(page.context.request.get(u).body()) for u in others)
    return PageResult(
        document_bytes=first_bytes,
        total_bytes=first_bytes + other_bytes,
        requests=1 + len(others),
        first=results[0],
        best=min(results, key=lambda r: r.shown_s),
        loads=len(results),
    )


def _with_server_time(load: Load, seconds: list[float]) -> Load:
    if len(seconds) != 1:
        raise RuntimeError(f"expected one server request per load, saw {len(seconds)}")
    return Load(load.ttfb_s, load.html_s, load.drawn_s, load.load_s, load.painted_s, seconds[0])


def measure_zone_map(browser: Browser, store_url: str, n: int, loads: int) -> PageResult:
    """Serve the app on the store, log in, and load the zone map for the whole period."""
    with serve_app(store_url) as (base_url, clock):
        context = new_context(browser)
        try:
            page = context.new_page()
            log_in(page, base_url)
            url = f"{base_url}/map?from={PERIOD.first}&to={PERIOD.last}"
            return measure_page(page, url, f"zone map {n:,}", loads=loads, server=clock)
        finally:
            context.close()


def measure_hotspot_page(browser: Browser, store_url: str, n: int, loads: int) -> PageResult:
    """Load ``/hotspots`` with its defaults (last 12 months, 100 m cells, all phenomena).

    The first load runs the analysis (the server's figure for it is the cold run); later loads
    are answered from the per-app cache of runs, as a page reloaded in a meeting is.
    """
    with serve_app(store_url) as (base_url, clock):
        context = new_context(browser)
        try:
            page = context.new_page()
            log_in(page, base_url)
            return measure_page(
                page, f"{base_url}/hotspots", f"hotspots {n:,}", loads=loads, server=clock
            )
        finally:
            context.close()
