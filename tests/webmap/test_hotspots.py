"""The hotspot page: who sees it, its parameters, the cache and the audited downloads."""

from __future__ import annotations

import json

import pytest

from mmm.hotspots import HotspotOptions
from mmm.store import open_store
from tests.webmap.pages import foreign_urls


@pytest.mark.parametrize("role", ["admin", "analyst", "officer"])
def test_staff_see_the_map_and_the_fdr_note(login, role):
    response = login(role).get("/hotspots")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "window.mmmHotspots" in page and "L.imageOverlay(" in page  # the map and its rasters
    assert 'class="fdr-note"' in page
    assert "Kandidaat 1" in page  # a candidate perimeter, in the map and in the table
    assert 'data-cell="100mE' in page  # the multi-phenomenon hotspot table
    assert foreign_urls(page) == []
    assert len(page.encode()) < 2_000_000
    downloads = "/hotspots/cells.geojson" in page
    assert downloads == (role in {"admin", "analyst"})


@pytest.mark.parametrize("role", ["partner", "dpo"])
def test_partners_and_the_dpo_may_not(login, role):
    client = login(role)
    assert client.get("/hotspots").status_code == 403
    assert (
        client.post("/hotspots/candidates.geojson", data={"purpose": "analysis"}).status_code == 403
    )


@pytest.mark.parametrize(
    "query",
    [
        "cell=20",
        "cell=abc",
        "cell=nan",
        "cell=100&distance=50",
        "cell=100&distance=9000",
        "min_hot=0",
        "min_hot=9",
        "min_hot=1.5",
        "phenomenon=drugs&min_hot=2",
        "phenomenon=nonsense",
        "w_drugs=-1",
        "w_drugs=x",
        "fdr=maybe",
        "confidence=80",
        "from=2025-13",
        "from=2025-06&to=2025-01",
    ],
)
def test_bad_parameters_get_a_400_with_a_message(login, query):
    response = login("analyst").get(f"/hotspots?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<p class="error">' in page and "Traceback" not in page


def test_parameters_show_in_the_form_and_change_the_run(login):
    client = login("analyst")
    query = (
        "cell=200&distance=400&from=2025-01&to=2025-06&phenomenon=drugs&phenomenon=vandalism"
        "&phenomenon=street_robbery&min_hot=2&w_drugs=2&fdr=0&confidence=99&colocation=1"
    )
    response = client.get(f"/hotspots?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="cell" value="200"' in page and 'name="distance" value="400"' in page
    assert "<option selected>2025-01</option>" in page
    assert "<option selected>2025-06</option>" in page
    assert 'value="drugs" checked' in page and 'value="burglary_dwelling" >' in page
    assert 'name="w_drugs" value="2"' in page
    assert '<option value="0" selected>' in page and '<option value="99" selected>' in page
    assert 'class="data clq"' in page  # the co-location table was asked for
    assert "2025-01-01 – 2025-06-30" in page
    assert '<ul class="warnings"' in page  # two quarters: too short for trends, and it says so
    assert 'class="fdr-note"' in page
    assert page.count('name="phenomenon" value="vandalism"') == 1  # the checkbox
    downloads = page[page.index('<form method="post" class="exports">') :]
    assert "phenomenon=vandalism" in downloads  # the same run, in each download's address


def test_results_are_cached_per_data_version_and_parameters(app, login):
    from webmap.extensions import get_store
    from webmap.hotspots.routes import cached_result

    with app.app_context():
        store = get_store()
        options = HotspotOptions(cell_m=150.0)
        first = cached_result(store, options)
        assert cached_result(store, HotspotOptions(cell_m=150.0)) is first
        assert cached_result(store, HotspotOptions(cell_m=150.0, min_hot=3)) is not first
    client = login("officer")
    client.get("/hotspots?cell=150")
    size = len(app.extensions["mmm_hotspots"])
    assert client.get("/hotspots?cell=150").status_code == 200
    assert len(app.extensions["mmm_hotspots"]) == size  # the reload ran nothing new


def test_downloads_need_a_purpose_and_are_audited(app, login, demo_store_url):
    client = login("analyst")
    analysis, meeting = {"purpose": "analysis"}, {"purpose": "meeting"}
    assert client.post("/hotspots/candidates.geojson").status_code == 400
    assert client.post("/hotspots/nonsense.geojson", data=analysis).status_code == 404
    assert login("officer").post("/hotspots/cells.csv", data=analysis).status_code == 403
    response = client.post("/hotspots/candidates.geojson?from=2025-01&to=2025-12", data=meeting)
    assert response.status_code == 200
    doc = json.loads(response.data)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) >= 1
    props = doc["features"][0]["properties"]
    assert props["name"] == "Kandidaat 1" and props["n_phenomena"] >= 2
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0][:2]
    assert 2.5 < lon < 6.5 and 49.4 < lat < 51.6
    cells = client.post("/hotspots/cells.csv?cell=200&phenomenon=drugs&min_hot=1", data=analysis)
    assert cells.status_code == 200
    header = cells.get_data(as_text=True).splitlines()[0].split(",")
    assert {"phenomenon", "count", "gi_z", "gi_p", "gi_bin", "wkt"} <= set(header)
    labels = [f"phenomenon_label_{lang}" for lang in ("nl", "fr", "de", "en")]
    assert header[-len(labels) - 1 : -1] == labels  # after the cells' own columns, before wkt
    store = open_store(demo_store_url)
    events = store.audit_events()
    store.close()
    last = events[events["action"] == "export"].iloc[-1]
    assert last["entity"] == "hotspot_cells" and last["actor"] == "web:analist"
    assert "analysis" in str(last["detail"])


@pytest.fixture
def zone_weights(demo_store_url):
    """The demo store's stored weights, put back as they were after the test."""
    store = open_store(demo_store_url)
    before = store.phenomenon_weights()
    yield store
    store.set_phenomenon_weights(before, actor="test")
    store.close()


def test_analysts_save_the_zone_weights_and_the_page_defaults_to_them(login, zone_weights):
    client = login("analyst")
    page = client.get("/hotspots").get_data(as_text=True)
    assert 'action="/hotspots/weights"' in page
    response = client.post("/hotspots/weights", data={"w_drugs": "3", "w_vandalism": "0,5"})
    assert response.status_code == 302
    assert zone_weights.phenomenon_weights()["drugs"] == 3.0
    assert zone_weights.phenomenon_weights()["vandalism"] == 0.5
    assert zone_weights.audit_events()["action"].iloc[-1] == "set_weights"

    page = client.get("/hotspots").get_data(as_text=True)
    assert "new analyses use them" in page or "nieuwe analyses gebruiken ze" in page
    assert 'name="w_drugs" value="3"' in page  # the run's default now
    assert 'name="w_drugs" value="1"' in client.get("/hotspots?w_drugs=1").get_data(as_text=True)


def test_a_bad_zone_weight_changes_nothing(login, zone_weights):
    before = zone_weights.phenomenon_weights()
    client = login("admin")
    response = client.post(
        "/hotspots/weights", data={"w_drugs": "2", "w_vandalism": "-1"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert 'class="flash error"' in response.get_data(as_text=True)
    assert zone_weights.phenomenon_weights() == before


@pytest.mark.parametrize("role", ["officer", "partner", "dpo"])
def test_only_analysts_and_admins_set_the_zone_weights(login, role, zone_weights):
    client = login(role)
    assert client.post("/hotspots/weights", data={"w_drugs": "5"}).status_code == 403
    assert zone_weights.phenomenon_weights()["drugs"] == 1.0
    if role == "officer":
        assert 'action="/hotspots/weights"' not in client.get("/hotspots").get_data(as_text=True)
