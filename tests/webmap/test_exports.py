"""Downloads for analysts and admins, audited; refused to the other roles."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyogrio
import pytest


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_geojson_counts_download_parses_and_is_audited(login, app, role):
    response = login(role).post("/exports/counts.geojson", data={"purpose": "analysis"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(response.get_data())
    assert "crs" not in doc and len(doc["features"]) == 10
    assert doc["features"][0]["properties"]["total"] > 0
    from webmap.extensions import get_store

    with app.app_context():
        events = get_store().audit_events()
    last = events[events["action"] == "export"].iloc[-1]
    assert last["actor"].startswith("web:") and last["entity"] == "counts"


def test_csv_and_gpkg_downloads(login, tmp_path):
    client = login("analyst")
    csv = client.post("/exports/counts.csv", data={"purpose": "analysis"}).get_data()
    table = pd.read_csv(io.BytesIO(csv))
    assert list(table.columns[:4]) == ["perimeter", "phenomenon", "period", "count"]
    gpkg = tmp_path / "p.gpkg"
    gpkg.write_bytes(client.post("/exports/perimeters.gpkg", data={"purpose": "analysis"}).data)
    assert pyogrio.read_info(gpkg)["crs"] == "EPSG:31370"


@pytest.mark.parametrize("role", ["officer", "partner"])
def test_other_roles_may_not_export(login, role):
    client = login(role)
    assert client.get("/exports/").status_code == 403
    assert client.post("/exports/counts.geojson", data={"purpose": "analysis"}).status_code == 403
    assert "/exports/" not in client.get("/map").get_data(as_text=True)


def test_incidents_are_not_a_bulk_download(login):
    assert login("admin").post("/exports/incidents.csv").status_code == 404
