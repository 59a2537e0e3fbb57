"""Slow work as jobs through the app: the hotspot run, the dossier and the PDF report.

The page's script asks with ``X-MMM-Job: 1`` and follows ``/jobs/<id>``; only the job's owner
gets an answer, a file is handed over once, a plain form POST still gets its file directly.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from mmm.demo import DEMO_PASSWORD
from mmm.plans import list_plans
from mmm.store import open_store
from tests.webmap.conftest import make_app
from webmap.jobs.runner import JobRunner

JOB = {"X-MMM-Job": "1"}


def follow(client: FlaskClient, started: TestResponse) -> tuple[dict[str, Any], list[dict]]:
    """Poll a started job to its end: (the last status, every status seen)."""
    assert started.status_code == 202, started.get_data(as_text=True)
    address = started.get_json()["status"]
    assert started.headers["Location"] == address and address.startswith("/jobs/")
    seen: list[dict] = []
    deadline = time.monotonic() + 120
    while not seen or seen[-1]["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, seen[-1:]
        answer = client.get(address)
        assert answer.status_code == 200 and answer.mimetype == "application/json"
        seen.append(answer.get_json())
        time.sleep(0.02)
    return seen[-1], seen


@pytest.mark.parametrize("path", ["/jobs/abc", "/jobs/abc/result"])
def test_a_job_needs_a_login(app: Flask, path: str) -> None:
    response = app.test_client().get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_hotspot_run_is_a_job_that_opens_its_page(login) -> None:
    analyst, partner = login("analyst"), login("partner")
    query = "cell=175&min_hot=2"
    started = analyst.post(f"/hotspots/compute?{query}", headers=JOB)
    address = started.get_json()["status"]
    assert partner.get(address).status_code == 404  # someone else's job: as if none
    last, seen = follow(analyst, started)
    assert last["state"] == "done" and last["url"] == f"/hotspots?{query}", last
    assert last["done"] == last["total"] > 3 and last["label"] == "Voortgang"
    running = [s for s in seen if s["state"] in ("queued", "running")]
    assert all(s["step"] and 0 <= s["done"] <= s["total"] for s in running), running
    page = analyst.get(last["url"])  # the run is cached: the page shows it
    assert page.status_code == 200 and 'name="cell" value="175"' in page.get_data(as_text=True)
    assert analyst.get(f"{address}/result").status_code == 404  # a page, not a file


def test_bad_parameters_are_refused_before_any_job(login) -> None:
    refused = login("analyst").post("/hotspots/compute?cell=5", headers=JOB)
    assert refused.status_code == 400 and refused.get_json()["reason"]
    assert login("partner").post("/hotspots/compute", headers=JOB).status_code == 403


def test_the_dossier_is_a_job_whose_file_is_handed_over_once(login, demo_store_url) -> None:
    analyst, officer = login("analyst"), login("officer")
    url = "/reports/perimeters/1/dossier.html"
    started = analyst.post(url, data={"purpose": "meeting"}, headers=JOB)
    last, seen = follow(analyst, started)
    assert last["state"] == "done" and last["filename"].startswith("dossier-"), last
    steps = [s["step"] for s in seen if s["state"] == "running"]
    assert all(isinstance(step, str) and step for step in steps)
    download = last["download"]
    assert officer.get(download).status_code == 404  # not the officer's file
    file = analyst.get(download)
    assert file.status_code == 200 and file.mimetype == "text/html"
    assert "attachment" in file.headers["Content-Disposition"]
    assert "Veilige Stationsbuurt" in file.get_data(as_text=True)
    assert analyst.get(download).status_code == 404  # once
    assert "download" not in analyst.get(started.get_json()["status"]).get_json()
    last_event = open_store(demo_store_url).audit_events().iloc[-1]
    assert (last_event["actor"], last_event["entity"]) == ("web:analist", "dossier")


def test_a_job_that_cannot_finish_says_why(login) -> None:
    analyst = login("analyst")
    url = "/reports/perimeters/1/dossier.html"
    started = analyst.post(url, data={"purpose": "meeting", "from": "x"}, headers=JOB)
    last, _seen = follow(analyst, started)
    assert last["state"] == "failed" and "JJJJ-MM" in last["message"], last  # in Dutch
    missing = analyst.post(
        "/reports/perimeters/9999/dossier.html", data={"purpose": "meeting"}, headers=JOB
    )
    last, _seen = follow(analyst, missing)
    assert last["state"] == "failed" and last["message"], last
    # the purpose is checked before any job starts, as for the plain form
    assert analyst.post(url, data={}, headers=JOB).status_code == 400


def test_the_pdf_report_is_a_job_with_the_printers_steps(login, demo_store_url) -> None:
    plan = {p.perimeter: p.id for p in list_plans(open_store(demo_store_url))}["Stationsbuurt"]
    analyst = login("analyst")
    started = analyst.post(f"/reports/plans/{plan}.pdf", data={"purpose": "meeting"}, headers=JOB)
    last, seen = follow(analyst, started)
    assert last["state"] == "done" and last["filename"].endswith(".pdf"), last
    assert "De PDF wordt gemaakt…" in {s["step"] for s in seen}  # Chromium takes seconds
    file = analyst.get(last["download"])
    assert file.mimetype == "application/pdf" and file.data.startswith(b"%PDF")


def test_a_full_queue_is_refused_with_a_reason(demo_store_url: str) -> None:
    app = make_app(demo_store_url)
    app.extensions["mmm_jobs"] = JobRunner(max_pending=0)
    client = app.test_client()
    client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    refused = client.post("/hotspots/compute", headers=JOB)
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert refused.get_json()["reason"]


def test_starting_work_needs_the_csrf_token_and_the_status_does_not(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    assert token is not None
    form = {"name": "analist", "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=form).status_code == 302
    assert client.post("/hotspots/compute?cell=200", headers=JOB).status_code == 400
    page = client.get("/reports/").get_data(as_text=True)
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert found is not None
    headers = {**JOB, "X-CSRFToken": found.group(1)}
    last, _seen = follow(client, client.post("/hotspots/compute?cell=200", headers=headers))
    assert last["state"] == "done"
