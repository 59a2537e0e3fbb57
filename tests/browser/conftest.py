"""A live app on a free local port and Debian's Chromium, driven by Playwright (no downloads)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from mmm.demo import (
    DEMO_PASSWORD,
    add_demo_partners,
    add_demo_plans,
    add_demo_users,
    load_demo,
)
from mmm.present.pdf import chromium_flags
from mmm.settings import load_settings
from mmm.store import Store, open_store
from webmap import create_app
from webmap.security import RequestHandler

CHROMIUM = load_settings().chromium
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "browser"
#: Flags that keep Chromium off the network it cannot reach here, and quiet (shared with mmm.present.pdf).
FLAGS = chromium_flags()


def demo_store(path: Path) -> Store:
    """A SQLite store at ``path`` holding the demo zone, its partners, plans and users."""
    store = open_store(f"sqlite:///{path}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_plans(store)
    add_demo_users(store)
    return store


@contextmanager
def serving(path: Path) -> Iterator[str]:
    """The app on the SQLite store at ``path``, served on a free loopback port; its URL."""
    app = create_app({"MMM_STORE": f"sqlite:///{path}", "SECRET_KEY": "browser-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One app for the read-only browser tests: the demo zone, its partners, plans and users."""
    path = Path(tmp_path_factory.mktemp("browser")) / "demo.sqlite"
    demo_store(path).close()
    with serving(path) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        f"{CHROMIUM} missing: `make test` installs Debian's chromium (make browser-deps)"
    )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Problems(list):
    """Console errors and failed requests seen by a page."""


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Problems]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    problems = Problems()
    tab.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on(
        "requestfailed",
        lambda r: (
            None
            if _left_behind(r.url, r.failure)
            else problems.append(f"failed: {r.url} {r.failure}")
        ),
    )
    tab.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    yield tab, problems
    context.close()


def _left_behind(url: str, failure: str | None) -> bool:
    """A map tile still on its way when the page was left (the browser drops it): no problem."""
    return "/map/streets/" in url and "ERR_ABORTED" in (failure or "")


def log_in(tab: Page, live_url: str, path: str = "/map", name: str = "analist") -> None:
    """Open ``path``, get sent to the login page, log in, and land back on ``path``."""
    tab.goto(f"{live_url}{path}")
    assert "/login" in tab.url
    tab.fill("#name", name)
    tab.fill("#password", DEMO_PASSWORD)
    tab.click("#submit")
    tab.wait_for_url(f"{live_url}{path}")
