"""PDF printing through one bounded queue: one Chromium at a time, ``MMM_PDF_QUEUE`` requests
waiting, any further one answered at once with 503 "busy, try again" (six PDFs at once used to
start six Chromiums: 1.1 GB). The report page sends its PDF form through a script that shows
the wait; the script is a static file (no inline script under the Content-Security-Policy)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mmm.demo import DEMO_PASSWORD
from tests.webmap.conftest import make_app

WAITING = 1
REQUESTS = 1 + WAITING + 2


@pytest.fixture
def queue_app(demo_store_url: str) -> Flask:
    return make_app(demo_store_url, MMM_PDF_QUEUE=WAITING)


def _analyst(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert (
        client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    return client


def test_beyond_the_queue_503_within_it_all_print_one_chromium_at_a_time(
    queue_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    lock = threading.Lock()
    running, most, started = [0], [0], []

    def fake_chromium(html: str, *args: Any) -> bytes:
        """Stands in for launching Chromium: counts how many run at once."""
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            started.append(html)
        release.wait(20)
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return b"%PDF-1.7 fake"

    monkeypatch.setattr("mmm.present.pdf._print", fake_chromium)
    clients = [_analyst(queue_app) for _ in range(REQUESTS)]
    answers: list[Any] = []

    def ask(client: FlaskClient) -> None:
        answers.append(
            client.post(
                "/reports/plans/1.pdf",
                data={"purpose": "meeting"},
                headers={"Accept": "application/pdf, application/json;q=0.9"},
            )
        )

    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while sum(a.status_code == 503 for a in answers) < REQUESTS - 1 - WAITING:
        assert time.monotonic() < deadline, [a.status_code for a in answers]
        time.sleep(0.02)
    release.set()
    for t in threads:
        t.join(30)

    codes = sorted(a.status_code for a in answers)
    assert codes == [200] * (1 + WAITING) + [503] * (REQUESTS - 1 - WAITING)
    assert most[0] == 1 and len(started) == 1 + WAITING
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["Retry-After"] == "10"
    assert busy.get_json() == {
        "error": "busy",
        "reason": "De PDF-printer is bezig met andere rapporten. Probeer het zo dadelijk opnieuw.",
    }
    done = next(a for a in answers if a.status_code == 200)
    assert done.mimetype == "application/pdf" and done.data.startswith(b"%PDF")


def test_a_busy_printer_is_a_translated_page_for_a_browser(
    queue_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mmm.present.pdf import PrinterBusy

    def busy(*args: Any, **kwargs: Any) -> bytes:
        raise PrinterBusy("the PDF printer is busy")

    monkeypatch.setattr("webmap.reports.making.to_pdf", busy)
    page = _analyst(queue_app).post("/reports/plans/1.pdf", data={"purpose": "meeting"})
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "De PDF-printer is bezig" in page.get_data(as_text=True)


def test_the_report_page_loads_the_waiting_script_from_a_file(queue_app: Flask) -> None:
    client = _analyst(queue_app)
    page = client.get("/reports/plans/1").get_data(as_text=True)
    assert '<script src="/static/busy.js" defer></script>' in page
    assert "data-pdf" in page and "De PDF wordt gemaakt" in page
    script = client.get("/static/busy.js")
    assert script.status_code == 200 and b"form[data-pdf]" in script.data
