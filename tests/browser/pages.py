"""What the page walk checks on each page, and how it finds the pages (tests/browser/test_every_page.py).

Why a module of its own: the walk is one loop (every role × every page it can reach × three
screen sizes), the checks are many small pieces of JavaScript run in the page; kept here, the
test reads as the list of what must hold. axe-core comes from npm (``devDependencies``), copied
by ``tools/vendor.py`` to ``build/test-vendor/`` for the tests only: the app never serves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "build" / "test-vendor" / "axe-core" / "axe.min.js"

#: The screens the pages must fit: the officer's phone, the meeting room's projector, a desktop.
SIZES: dict[str, dict[str, int]] = {
    "390x844": {"width": 390, "height": 844},
    "1280x720": {"width": 1280, "height": 720},
    "1920x1080": {"width": 1920, "height": 1080},
}

#: role → the demo log-in of that role (mmm.demo.people.DEMO_USERS).
ROLES: dict[str, str] = {
    "admin": "admin",
    "analyst": "analist",
    "officer": "wijkinspecteur",
    "partner": "partner",
    "dpo": "privacy",
}

#: Links the walk does not follow: files, machine interfaces, the session's own end.
NOT_PAGES = ("/static/", "/api/", "/ogc", "/tiles/", "/login", "/logout")

#: The accessibility rules axe-core runs; a finding of these impacts fails the page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")

#: Resolves when every Vega chart of the page has drawn (or after 5 s: then the check says so).
CHARTS_DRAWN = """() => new Promise((done) => {
  const start = performance.now();
  const pending = () => [...document.querySelectorAll('script[data-chart]')]
    .filter((s) => !document.querySelector(`${s.dataset.chart} svg`)).length;
  (function wait() {
    if (!pending() || performance.now() - start > 5000) done(pending());
    else requestAnimationFrame(wait);
  })();
})"""

#: The page's width against the window's, and the elements sticking out (to say what to fix).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [...document.querySelectorAll('body *')].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !e.closest('.leaflet-container');
  }).slice(0, 4).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
    + ` (right ${Math.round(e.getBoundingClientRect().right)})`);
  return {scroll: document.documentElement.scrollWidth, width, out};
}"""

#: Tables, lists and fact panes of the meeting's slides that are wider than their box.
MEETING_CLIPPED = """() => [...document.querySelectorAll(
    '.slide table, .slide ul, .slide ol, .slide .slide-facts, .slide header')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1)
  .map((e) => `slide ${e.closest('.slide').dataset.index} ${e.tagName.toLowerCase()}.`
    + `${[...e.classList].join('.')}: ${e.scrollWidth} > ${e.clientWidth}`)"""

#: The serious and critical findings of axe-core, with up to three elements each. The maps'
#: drawing panes (thousands of SVG paths and canvas tiles: pictures, not controls) are left out;
#: their controls, legends and popups are checked.
AXE_RUN = """async ([tags, impacts]) => {
  const result = await axe.run({exclude: [['.leaflet-map-pane']]}, {resultTypes: ['violations'],
    runOnly: {type: 'tag', values: tags}});
  return result.violations.filter((v) => impacts.includes(v.impact)).map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}"""

#: Marks every control a person can see and use; radio buttons count once per group (the
#: arrow keys move inside a group). Records which ones take the focus from now on.
MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const shown = (e) => !e.disabled && !e.closest('[inert]')
    && e.checkVisibility({visibilityProperty: true})
    && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
  const controls = [...document.querySelectorAll(selector)].filter(shown);
  controls.forEach((e, i) => {
    e.dataset.kb = e.type === 'radio' && e.name ? `radio:${e.name}` : String(i);
  });
  window.__reached = new Set();
  document.addEventListener('focusin', (event) => {
    const e = event.target;
    if (e instanceof Element && e.dataset.kb) window.__reached.add(e.dataset.kb);
  });
  if (document.activeElement) document.activeElement.blur();
  return new Set(controls.map((e) => e.dataset.kb)).size;
}"""

#: What the page's content is, less the header: a role seeing a page another role saw, word
#: for word and element for element, needs its content checked only once.
CONTENT = """() => { const main = document.querySelector('main') || document.body;
  return `${main.querySelectorAll('*').length}:${main.innerText}`; }"""

#: The marked controls the Tab key never reached.
UNREACHED = """() => [...document.querySelectorAll('[data-kb]')]
  .filter((e) => !window.__reached.has(e.dataset.kb))
  .slice(0, 5).map((e) => e.outerHTML.slice(0, 120))"""


#: Back to the page as it opened (the Tab walk focused and scrolled things), for its screenshot.
UNSCROLL = """() => {
  document.activeElement?.blur();
  for (const box of document.querySelectorAll('.table-scroll, .slide-facts')) box.scrollTo(0, 0);
  window.scrollTo(0, 0);
}"""


def page_key(url: str) -> str:
    """One key per kind of page: numbers in the path and the values of the query do not count."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def slug(url: str) -> str:
    """A file name for the page's screenshot: its path and the names in its query."""
    parts = urlsplit(url)
    keys = "-".join(sorted({k for k, _ in parse_qsl(parts.query)}))
    text = (parts.path + "-" + keys).strip("/-") or "home"
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60]


def links(tab: Page, base: str) -> list[str]:
    """The app's pages the page links to (no downloads, no API, no anchors on the same page)."""
    hrefs = tab.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.href.split('#')[0])"
    )
    return [
        h
        for h in dict.fromkeys(hrefs)
        if h.startswith(base) and not urlsplit(h).path.startswith(NOT_PAGES)
    ]


@dataclass
class Findings:
    """What went wrong, page by page, to be reported all at once."""

    lines: list[str] = field(default_factory=list)

    def add(self, where: str, what: str, items: list[str]) -> None:
        """Record ``items`` (if any) as one finding about ``where``."""
        if items:
            self.lines.append(f"{where}: {what}\n    " + "\n    ".join(items))

    def report(self) -> str:
        """Everything found, one finding a paragraph."""
        return "\n".join(self.lines)
