"""The purpose of a sensitive read comes in a POST with the CSRF token: a link another site puts
in front of an officer (``?purpose=judicial``) writes nothing to the audit log and shows nothing."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from mmm.demo import DEMO_PASSWORD
from mmm.store import open_store

#: Every route that takes a purpose (but the PDF: Chromium is slow), and a role that may use it.
READS = {
    "/perimeters/1": "officer",
    "/exports/counts.csv": "analyst",
    "/exports/perimeters.geojson": "analyst",
    "/hotspots/candidates.geojson": "analyst",
    "/reports/perimeters/1/dossier.html": "analyst",
}


def _reads_and_exports(url: str) -> int:
    store = open_store(url)
    try:
        events = store.audit_events()
    finally:
        store.close()
    return int(events["action"].isin(["read", "export"]).sum())


def _token(client: FlaskClient, page: str) -> str:
    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)[1]


@pytest.mark.parametrize("path", sorted(READS))
def test_a_purpose_in_the_query_string_logs_and_shows_nothing(login, demo_store_url, path):
    role = READS[path]
    before = _reads_and_exports(demo_store_url)
    response = login(role).get(f"{path}?purpose=judicial")
    assert _reads_and_exports(demo_store_url) == before
    if path.startswith("/perimeters/"):  # the page, without the points
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "markerClusterGroup" not in page
    else:  # a download is a POST only
        assert response.status_code == 405
        assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_the_pdf_is_a_post_too(login) -> None:
    assert login("analyst").get("/reports/plans/1.pdf?purpose=judicial").status_code == 405


@pytest.mark.parametrize("path", sorted(READS))
def test_a_post_without_the_csrf_token_is_refused(csrf_app, demo_store_url, path):
    role_names = {"officer": "wijkinspecteur", "analyst": "analist"}
    client = csrf_app.test_client()
    token = _token(client, "/login")
    name = role_names[READS[path]]
    data = {"name": name, "password": DEMO_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    before = _reads_and_exports(demo_store_url)
    assert client.post(path, data={"purpose": "judicial"}).status_code == 400
    assert _reads_and_exports(demo_store_url) == before
    token = _token(client, "/perimeters/")  # every page has the token (base.html)
    response = client.post(path, data={"purpose": "judicial", "csrf_token": token})
    assert response.status_code == 200
    assert _reads_and_exports(demo_store_url) == before + 1
    last = open_store(demo_store_url).audit_events().iloc[-1]
    assert '"purpose": "judicial"' in last["detail"] and last["actor"] == f"web:{name}"
    if path.startswith("/perimeters/"):
        assert "markerClusterGroup" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "page", ["/perimeters/1", "/exports/", "/hotspots", "/reports/", "/plans/1", "/reports/plans/1"]
)
def test_the_purpose_forms_post_with_the_token(login, page) -> None:
    html = login("analyst").get(page).get_data(as_text=True)
    forms = [f for f in re.findall(r"<form.*?</form>", html, re.S) if 'name="purpose"' in f]
    assert forms, page
    for form in forms:
        assert 'method="post"' in form and 'name="csrf_token"' in form, page
