"""HTML → PDF with Debian's Chromium, driven by Playwright's sync API, for printable reports.

Why Chromium: a report's map is Leaflet, drawn by JavaScript; an engine without a browser
(WeasyPrint) would print an empty box. It is the Chromium the browser tests drive — Debian's
(``MMM_CHROMIUM``), never a browser build Playwright downloads — so the flags to start it live
here, once (:func:`chromium_flags`), for the app, the tests and the benchmarks.

Chromium is heavy (about 200 MB and a few seconds a page), so printing goes through a
:class:`PrintQueue`: one Chromium at a time, a few requests waiting their turn, and any further
one refused at once with :class:`PrinterBusy` ("try again") instead of piling up.

The caller hands over one self-contained document (scripts and styles inlined, see
:mod:`mmm.present.inline`), loaded with ``set_content``: Chromium needs no session with the app, and
every request the page would still make is refused, except to the origins the caller allows
(a configured tile server). So a name in the data can never make the server's browser fetch
anything. The page is laid out for print before its scripts run, and printed only once every
Leaflet map on it has drawn.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mmm.errors import MMMError

#: Flags that keep a headless Chromium off the network it cannot (or must not) reach, and quiet.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Width of an A4 page less 12 mm margins on each side, in CSS pixels (96 per inch): the map is
#: laid out at the width it is printed at, so Leaflet fits it to the right box.
PRINT_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)
PRINT_HEIGHT_PX = round((297 - 2 * 12) / 25.4 * 96)

#: True once every Leaflet map on the page has drawn its vector layer (SVG paths or a canvas).
_MAPS_DRAWN = """() => Array.from(document.querySelectorAll('.leaflet-container')).every(
  m => m.querySelector('.leaflet-map-pane svg path, .leaflet-map-pane canvas'))"""
#: Two animation frames: a canvas renderer paints on the frame after its layers were added.
_TWO_FRAMES = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
  () => done(true))))"""


class PdfError(MMMError):
    """A PDF could not be made (no Chromium, or the page did not finish drawing)."""


class PrinterBusy(MMMError):
    """Chromium is printing and the queue is full: try again in a moment.

    Not a :class:`PdfError`: nothing is wrong with the page, and a web view answers it with
    503 and ``Retry-After`` rather than with the reason a PDF failed.
    """


class PrintQueue:
    """One print at a time; at most ``waiting`` more wait their turn, any further one is refused.

    Parameters
    ----------
    waiting
        How many requests may wait while one prints (the ``MMM_PDF_QUEUE`` setting).
    """

    def __init__(self, waiting: int) -> None:
        if waiting < 0:
            raise ValueError(f"the PDF queue cannot hold {waiting} requests")
        self.waiting = waiting
        self._places = threading.BoundedSemaphore(1 + waiting)
        self._printer = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for the printer (when a place in the queue is free) and hold it.

        Raises
        ------
        PrinterBusy
            At once, when one request prints and ``waiting`` more are queued.
        """
        if not self._places.acquire(blocking=False):
            raise PrinterBusy(
                f"the PDF printer is busy ({1 + self.waiting} requests in hand): try again"
            )
        try:
            with self._printer:
                yield
        finally:
            self._places.release()


def chromium_flags() -> list[str]:
    """Flags to launch Chromium headless: :data:`CHROMIUM_FLAGS`, ``--no-sandbox`` as root.

    Chromium refuses to start as root with its sandbox on (a container, CI); as any other
    user the sandbox stays on.
    """
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (["--no-sandbox"] if root else []) + list(CHROMIUM_FLAGS)


def find_chromium(executable: str) -> str:
    """The path of the Chromium to run (``executable`` may be a name on ``PATH``).

    Raises
    ------
    PdfError
        When there is no such program, with what to install or set.
    """
    found = shutil.which(executable) or (executable if Path(executable).is_file() else None)
    if found is None:
        raise PdfError(
            f"Chromium was not found at {executable!r}: install Debian's chromium "
            "(apt-get install chromium) or set MMM_CHROMIUM to its path"
        )
    return found


def html_to_pdf(
    html: str,
    *,
    chromium: str = "/usr/bin/chromium",
    allow_origins: Iterable[str] = (),
    timeout_s: float = 30.0,
    queue: PrintQueue | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> bytes:
    """Print a self-contained HTML document to an A4 PDF; returns the PDF's bytes.

    Parameters
    ----------
    html
        The whole document, its scripts and styles inlined (:func:`mmm.present.inline.inline_assets`).
        Its ``@page`` CSS rules (size, margins) win over the A4 default.
    chromium
        Path or name of the Chromium program (the ``MMM_CHROMIUM`` setting).
    allow_origins
        Origins (``https://wmts.zone.local``) the page may still load from, e.g. the tile
        server of ``MMM_TILES_URL``; every other request is refused.
    timeout_s
        How long the page may take to load and draw its maps, in seconds.
    queue
        The queue Chromium runs through (one at a time); ``None``: print at once.
    progress
        ``progress(step, done, total)`` (default: nobody listens): ``"queue"`` while the
        request waits for the printer, ``"print"`` once Chromium prints it (steps 0 and 1 of 2).

    Raises
    ------
    PdfError
        When Chromium is missing or cannot start, or the page does not finish in time.
    PrinterBusy
        When ``queue`` is full.
    """
    executable = find_chromium(chromium)
    allowed = {_origin(o) for o in allow_origins}
    report = progress or (lambda step, done, total: None)
    report("queue", 0, 2)
    # Playwright's sync API refuses a thread with a running asyncio loop (an async server, a
    # notebook, another sync Playwright session): a thread of its own never has one.
    with (
        queue.turn() if queue is not None else nullcontext(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="mmm-pdf") as pool,
    ):
        report("print", 1, 2)
        return pool.submit(_print, html, executable, allowed, timeout_s * 1000).result()


def _print(html: str, executable: str, allowed: set[str], timeout_ms: float) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=chromium_flags())
            try:
                page = browser.new_page(
                    viewport={"width": PRINT_WIDTH_PX, "height": PRINT_HEIGHT_PX}
                )
                page.route("**/*", lambda route: _only(route, allowed))
                page.emulate_media(media="print")  # laid out for print before the maps fit
                page.set_content(html, wait_until="load", timeout=timeout_ms)
                page.wait_for_function(_MAPS_DRAWN, timeout=timeout_ms)
                page.evaluate(_TWO_FRAMES)
                return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfError(f"Chromium ({executable}) could not print the page: {first_line}") from exc


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _only(route: Any, allowed: set[str]) -> None:
    """Let a request through only to an allowed origin (``data:`` never reaches here)."""
    if _origin(route.request.url) in allowed:
        route.continue_()
    else:
        route.abort("blockedbyclient")
