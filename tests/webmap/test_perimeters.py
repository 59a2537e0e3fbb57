"""Perimeter pages: table per month, chart, share and density; incident points by role."""

from __future__ import annotations

import re

import pytest

from tests.webmap.pages import foreign_urls


def _station_id(app) -> int:
    from webmap.extensions import get_store

    with app.app_context():
        frame = get_store().perimeters()
    return int(frame.loc[frame["name"] == "Stationsbuurt", "id"].iloc[0])


def test_list_links_every_perimeter_the_role_may_see(login, app):
    page = login("analyst").get("/perimeters/").get_data(as_text=True)
    assert len(re.findall(r'href="/perimeters/\d+"', page)) == 10
    assert f'href="/perimeters/{_station_id(app)}"' in page
    partner = login("partner").get("/perimeters/").get_data(as_text=True)
    assert len(re.findall(r'href="/perimeters/\d+"', partner)) == 3  # its assignments only


def test_perimeter_page_content(login, app):
    response = login("analyst").get(f"/perimeters/{_station_id(app)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Stationsbuurt" in page
    assert "2025-12" in page and "2025-01" in page  # the last 12 months as columns
    assert "Drugs" in page and "vega" in page.lower()
    assert foreign_urls(page) == []


@pytest.mark.parametrize("role,points", [("officer", True), ("analyst", True), ("partner", False)])
def test_incident_points_only_for_roles_allowed_and_with_a_purpose(login, app, role, points):
    client = login(role)
    plain = client.get(f"/perimeters/{_station_id(app)}").get_data(as_text=True)
    assert "markerClusterGroup" not in plain  # never without a stated purpose
    assert ('name="purpose"' in plain) is points
    page = client.post(f"/perimeters/{_station_id(app)}", data={"purpose": "operations"})
    text = page.get_data(as_text=True)
    assert "markerClusterGroup" in text if points else "markerClusterGroup" not in text


def test_viewing_incident_points_is_logged_with_its_purpose(login, app):
    import json

    from webmap.extensions import get_store

    login("officer").post(f"/perimeters/{_station_id(app)}", data={"purpose": "meeting"})
    with app.app_context():
        events = get_store().audit_events()
    read = events[events["action"] == "read"].iloc[-1]
    assert read["actor"] == "web:wijkinspecteur" and read["entity"] == "incidents"
    detail = json.loads(read["detail"])
    assert detail["purpose"] == "meeting" and detail["rows"] > 0


def test_unknown_perimeter_is_404(login):
    assert login("officer").get("/perimeters/99999").status_code == 404


def test_perimeter_page_lists_its_project_group(login, app):
    page = login("officer").get(f"/perimeters/{_station_id(app)}").get_data(as_text=True)
    assert "Preventiedienst Demostad" in page and "OCMW Demostad" in page
    assert "Woonmaatschappij De Linde" not in page  # works in another perimeter
