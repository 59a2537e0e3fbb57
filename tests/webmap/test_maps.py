"""The zone map page: per role, phenomenon and period selection, offline, light."""

from __future__ import annotations

import pytest

from tests.webmap.pages import foreign_urls


@pytest.mark.parametrize("role", ["admin", "analyst", "officer", "partner"])
def test_zone_map_for_every_role(login, role):
    response = login(role).get("/map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Stationsbuurt" in page and "leaflet" in page.lower()
    assert foreign_urls(page) == []  # nothing is fetched from another host


def test_dutch_labels_and_latest_month_by_default(login):
    page = login("officer").get("/map").get_data(as_text=True)
    assert "Woninginbraak" in page  # the demo's Dutch phenomenon label
    assert "<option selected>2025-12</option>" in page


def test_phenomenon_and_period_selection(login):
    client = login("analyst")
    page = client.get("/map?phenomenon=drugs&from=2025-01&to=2025-06").get_data(as_text=True)
    assert '<option value="drugs" selected>' in page
    assert (
        "<option selected>2025-01</option>" in page and "<option selected>2025-06</option>" in page
    )
    assert "2024-07" in page and "2024-12" in page  # the comparison period is named
    assert client.get("/map?phenomenon=nonsense").status_code == 400
    assert client.get("/map?from=2025-13").status_code == 400
    assert client.get("/map?from=2025-06&to=2025-01").status_code == 400


def test_zone_map_carries_no_incident_markers(login):
    """Weight follows perimeters and grid cells (bounded by the zone), never the incidents."""
    page = login("officer").get("/map?from=2023-01&to=2025-12").get_data(as_text=True)
    assert len(page.encode()) < 2_000_000
    assert "circleMarker" not in page and "L.marker(" not in page


def test_presentation_mode(login):
    page = login("officer").get("/map?presentation=1").get_data(as_text=True)
    assert 'class="presentation"' in page


def test_a_basemap_only_when_configured(demo_store_url):
    from webmap import create_app

    tiles = "https://wmts.zone.local/tiles/{z}/{x}/{y}.png"
    app = create_app(
        {
            "TESTING": True,
            "MMM_STORE": demo_store_url,
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
            "MMM_TILES_URL": tiles,
        }
    )
    client = app.test_client()
    client.post("/login", data={"name": "wijkinspecteur", "password": "demo-mmm-2024"})
    page = client.get("/map").get_data(as_text=True)
    assert tiles in page
    assert {u.split("/")[2] for u in foreign_urls(page)} <= {"wmts.zone.local"}


def test_warm_up_fills_the_incident_cache_the_count_cube_and_the_near_repeats(demo_store_url):
    from mmm.counting.cube import count_cube
    from webmap import create_app, warm_up
    from webmap.extensions import get_store

    app = create_app({"TESTING": True, "MMM_STORE": demo_store_url, "SECRET_KEY": "t"})
    warm_up(app)
    with app.app_context():
        store = get_store()
        cached = store._incidents_cache
        cube = count_cube(store)
        codes = set(store.phenomena()["code"])
    assert cached is not None and len(cached.frame) > 50_000
    assert cube.key == (store.data_version(), store.perimeters_version())
    assert int(cube.cells.counts.sum()) > 0
    tested = app.extensions["mmm_near_repeats"]
    assert tested["version"] == store.data_version() and codes <= set(tested)
