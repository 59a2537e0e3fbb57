"""The web app on a PostGIS store: the same pages and the same numbers as on SQLite."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from mmm.demo import DEMO_PASSWORD
from webmap import create_app


def _analyst(store_url: str) -> FlaskClient:
    app = create_app(
        {"TESTING": True, "MMM_STORE": store_url, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    response = client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture(scope="module")
def both(sqlite_demo_url, postgis_demo_url) -> dict[str, FlaskClient]:
    """An analyst logged in to the demo zone, once on each backend."""
    return {"sqlite": _analyst(sqlite_demo_url), "postgis": _analyst(postgis_demo_url)}


def test_zone_map_on_postgis(both):
    page = both["postgis"].get("/map?from=2023-01&to=2025-12")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "leaflet" in text.lower()
    names = [
        f["properties"]["name"]
        for f in both["sqlite"].get("/api/perimeters").get_json()["features"]
    ]
    assert len(names) == 10 and all(name in text for name in names)


@pytest.mark.parametrize("period", ["month", "quarter", "year", "all"])
def test_api_counts_are_the_same_on_both_backends(both, period):
    def records(backend: str) -> list[tuple]:
        response = both[backend].get(f"/api/counts?period={period}")
        assert response.status_code == 200
        return sorted(tuple(sorted(r.items())) for r in response.get_json())

    on_postgis = records("postgis")
    assert len(on_postgis) > 50
    assert on_postgis == records("sqlite")


def test_perimeter_api_and_page_on_postgis(both):
    doc = both["postgis"].get("/api/perimeters").get_json()
    assert doc == both["sqlite"].get("/api/perimeters").get_json()
    first = doc["features"][0]["properties"]["id"]
    assert both["postgis"].get(f"/perimeters/{first}").status_code == 200
