"""The JSON API: RFC 7946 perimeters and counts, scoped and suppressed like the pages."""

from __future__ import annotations

import pytest


def test_perimeters_as_rfc7946(login):
    doc = login("analyst").get("/api/perimeters").get_json()
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 10
    feature = doc["features"][0]
    assert {"id", "name", "status", "version"} <= set(feature["properties"])
    lon, lat = feature["geometry"]["coordinates"][0][0][:2]
    assert 2.5 < lon < 6.5 and 49.4 < lat < 51.6


def test_one_perimeter_and_404s(login):
    client = login("officer")
    first = client.get("/api/perimeters").get_json()["features"][0]
    one = client.get(f"/api/perimeters/{first['properties']['id']}").get_json()
    assert one["type"] == "Feature" and one["properties"]["name"] == first["properties"]["name"]
    missing = client.get("/api/perimeters/99999")
    assert missing.status_code == 404 and missing.is_json


def test_partner_sees_its_perimeters_only_and_never_a_small_count(login):
    client = login("partner")
    names = {f["properties"]["name"] for f in client.get("/api/perimeters").get_json()["features"]}
    assert names == {"Stationsbuurt", "Stadspark", "Winkelstraat"}
    all_ids = {
        f["properties"]["name"]: f["properties"]["id"]
        for f in login("analyst").get("/api/perimeters").get_json()["features"]
    }
    assert client.get(f"/api/perimeters/{all_ids['Marktplein']}").status_code == 404
    records = client.get("/api/counts?period=month").get_json()
    assert {r["perimeter"] for r in records} <= names
    assert {(r["perimeter"], r["phenomenon"]) for r in records} <= {
        ("Stationsbuurt", "drugs"),
        ("Stationsbuurt", "public_nuisance"),
        ("Stadspark", "drugs"),
        ("Stadspark", "public_nuisance"),
        ("Winkelstraat", "street_robbery"),
    }
    assert any(r["count"] == "<5" for r in records)
    assert all(
        r["count"] == "<5" or (isinstance(r["count"], int) and r["count"] >= 5) for r in records
    )


@pytest.mark.parametrize(
    "period,label", [("month", "2025-12"), ("quarter", "2025-Q4"), ("year", "2025"), ("all", "all")]
)
def test_counts_by_period(login, period, label):
    records = login("analyst").get(f"/api/counts?period={period}").get_json()
    assert set(records[0]) == {"perimeter", "phenomenon", "period", "count"}
    assert label in {r["period"] for r in records}
    assert all(isinstance(r["count"], int) for r in records)


def test_bad_period_and_no_login(login, client):
    assert login("analyst").get("/api/counts?period=week").status_code == 400
    response = client.get("/api/counts")
    assert response.status_code == 401 and response.is_json
