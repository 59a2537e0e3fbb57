"""The audit log viewer: names, local time on one line, filters, pages, and an audited CSV."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from shapely.geometry import box

from mmm.demo import DEMO_PASSWORD
from mmm.store import open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests.webmap.conftest import ROLE_USERS, make_app

ROW = re.compile(r"<tr id=\"event-\d+\">\s*<td class=\"when\">(.*?)</tr>", re.S)
EVENT = re.compile(r"<tr id=\"event-(\d+)\">")


@pytest.fixture(scope="module")
def audit_app(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A copy of the demo zone with a perimeter whose name a spreadsheet would run."""
    path = Path(tmp_path_factory.mktemp("audit")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    store = open_store(f"sqlite:///{path}")
    store.create_perimeter(
        PerimeterFields("=HYPERLINK(1)", status="proposed"),
        box(151_000, 171_000, 151_200, 171_200),
        actor="web:analist",
    )
    store.close()
    return make_app(f"sqlite:///{path}")


@pytest.fixture
def as_role(audit_app: Flask) -> Callable[[str], FlaskClient]:
    def make(role: str) -> FlaskClient:
        client = audit_app.test_client()
        data = {"name": ROLE_USERS[role], "password": DEMO_PASSWORD}
        assert client.post("/login", data=data).status_code == 302
        return client

    return make


def _rows(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in ROW.findall(page)]


def test_events_read_with_names_and_local_time_on_one_line(as_role, audit_app):
    page = as_role("dpo").get("/audit/").get_data(as_text=True)
    assert "gebruiker 6" not in page and "user 6" not in page
    store = open_store(audit_app.config["MMM_STORE"])
    events = store.audit_events()
    login = events[(events["action"] == "login") & (events["actor"] == "web:privacy")].iloc[-1]
    local = datetime.fromisoformat(login["at"]).astimezone(ZoneInfo("Europe/Brussels"))
    cell = f'<td class="when"><time datetime="{login["at"]}">{local:%d-%m-%Y %H:%M:%S}</time></td>'
    assert cell in page  # the Belgian time, Dutch format, one cell (no wrapping: see its style)
    row = next(r for r in _rows(page) if r.startswith(f"{local:%d-%m-%Y %H:%M:%S}"))
    assert "privacy functionaris voor gegevensbescherming aangemeld gebruiker: privacy" in row
    created = next(r for r in _rows(page) if "=HYPERLINK(1)" in r)
    assert "analist analist aangemaakt perimeter: =HYPERLINK(1)" in created


def test_filters_by_person_role_action_purpose_and_day(as_role):
    client = as_role("admin")
    client.post("/exports/counts.csv", data={"purpose": "meeting"})
    as_role("analyst").post("/exports/perimeters.csv", data={"purpose": "evaluation"})
    by_person = _rows(client.get("/audit/?person=analist").get_data(as_text=True))
    assert by_person and all(" analist analist " in f" {r} " for r in by_person)
    by_role = _rows(client.get("/audit/?role=dpo").get_data(as_text=True))
    assert by_role and all("functionaris voor gegevensbescherming" in r for r in by_role)
    exports = _rows(client.get("/audit/?action=export").get_data(as_text=True))
    assert len(exports) >= 2 and all(" gedownload " in r for r in exports)
    meeting = _rows(client.get("/audit/?purpose=meeting").get_data(as_text=True))
    assert len(meeting) == 1 and "Voorbereiding van een partneroverleg" in meeting[0]
    today = datetime.now(ZoneInfo("Europe/Brussels")).date().isoformat()
    assert _rows(client.get(f"/audit/?from={today}&to={today}").get_data(as_text=True))
    assert not _rows(client.get("/audit/?from=2000-01-01&to=2000-01-02").get_data(as_text=True))
    for bad in ("role=chief", "action=drop", "purpose=curiosity", "from=1-2-2025",
                "from=2025-02-02&to=2025-02-01"):  # fmt: skip
        assert client.get(f"/audit/?{bad}").status_code == 400, bad


def test_pages_of_fifty(as_role):
    client = as_role("admin")
    for _ in range(60):
        client.post("/language", data={"language": "nl", "next": "/map"})
        client.get("/logout")
        client = as_role("admin")  # a login event each time
    first = client.get("/audit/?person=admin").get_data(as_text=True)
    assert len(_rows(first)) == 50 and "pagina 1 van 2" in first
    assert 'href="/audit/?page=2&amp;person=admin" rel="next"' in first
    second = client.get("/audit/?person=admin&page=2").get_data(as_text=True)
    assert 1 <= len(_rows(second)) <= 50 and 'rel="prev"' in second
    assert not set(EVENT.findall(first)) & set(EVENT.findall(second))
    assert min(map(int, EVENT.findall(first))) > max(map(int, EVENT.findall(second)))


def test_csv_of_the_filtered_view_is_audited_and_spreadsheet_safe(as_role, audit_app):
    client = as_role("dpo")
    form = {"purpose": "judicial", "filter_person": "analist"}  # why; which events
    response = client.post("/audit/audit.csv", data=form)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    shown = _rows(client.get("/audit/?person=analist").get_data(as_text=True))
    assert len(table) >= len(shown) and {r["person"] for r in table} == {"analist"}
    created = next(r for r in table if r["entity"] == "perimeter" and r["action"] == "create")
    assert created["entity_label"] == "'=HYPERLINK(1)"  # a formula made text
    assert created["action_label"] == "aangemaakt" and created["role"] == "analist"
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}", created["at_local"])
    events = open_store(audit_app.config["MMM_STORE"]).audit_events()
    last = events.iloc[-1]
    assert (last["actor"], last["action"], last["entity"]) == (
        "web:privacy",
        "export",
        "audit_events",
    )
    assert '"purpose": "judicial"' in last["detail"] and f'"rows": {len(table)}' in last["detail"]
    assert '"filters": {"person": "analist"}' in last["detail"]
    assert client.post("/audit/audit.csv", data={"filter_person": "analist"}).status_code == 400
    assert client.get("/audit/audit.csv").status_code == 405
    for role in ("analyst", "officer", "partner"):
        assert as_role(role).post("/audit/audit.csv", data=form).status_code == 403
