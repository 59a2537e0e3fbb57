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


def test_counts_export_takes_a_period(login, app):
    client = login("analyst")
    form = {"purpose": "analysis", "from": "2025-04", "to": "2025-06", "period": "month"}
    table = pd.read_csv(io.BytesIO(client.post("/exports/counts.csv", data=form).get_data()))
    assert sorted(table["period"].unique()) == ["2025-04", "2025-05", "2025-06"]
    whole = pd.read_csv(
        io.BytesIO(client.post("/exports/counts.csv", data={**form, "period": "all"}).get_data())
    )
    assert whole["count"].sum() == table["count"].sum()  # the same months, not split
    from webmap.extensions import get_store

    with app.app_context():
        events = get_store().audit_events()
    detail = json.loads(events[events["action"] == "export"].iloc[-1]["detail"])
    assert (detail["period"], detail["from"], detail["to"]) == ("all", "2025-04-01", "2025-06-30")
    page = client.get("/exports/").get_data(as_text=True)
    assert '<select name="from">' in page and '<option value="quarter"' in page
    for bad in ({"period": "week"}, {"from": "2025-06", "to": "2025-04"}, {"from": "1990-01"}):
        assert client.post("/exports/counts.csv", data={**form, **bad}).status_code == 400, bad


def test_exports_have_a_label_column_per_language(login):
    client = login("admin")
    data = client.post("/exports/perimeters.csv", data={"purpose": "analysis"}).get_data()
    table = pd.read_csv(io.BytesIO(data))
    assert list(table.columns[:2]) == ["id", "name"]  # the columns of the contract first
    active = table[table["status"] == "active"].iloc[0]
    labels = [active[f"status_label_{lang}"] for lang in ("nl", "fr", "de", "en")]
    assert labels == ["actief", "actif", "aktiv", "active"]
    who = pd.read_csv(io.BytesIO(client.get("/partners/who-does-what.csv").get_data()))
    assert list(who.columns[:6]) == [
        "perimeter", "phenomenon", "partner", "partner_type", "responsibility", "description"
    ]  # fmt: skip
    lead = who[who["responsibility"] == "lead"].iloc[0]
    assert (lead["responsibility_label_nl"], lead["responsibility_label_en"]) != ("lead", "lead")
    assert lead["responsibility_label_en"] == "lead"
    assert set(who["partner_type_label_fr"]) & {"Commune", "Service de prévention"}
