"""The streets under every map page: tiles and search served by the app, the segments layer for
staff only, the pages that carry their streets (dossier, the copy for the PDF), the basemap's
native zooms."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from flask import Flask

from mmm.demo import DEMO_PASSWORD
from mmm.present.maps.streets import tile_range
from tests.helpers import png_bytes, write_mbtiles
from tests.webmap.conftest import make_app
from tests.webmap.pages import foreign_urls

#: A zoom-15 tile in the middle of Demostad (its Stationsbuurt).
CENTRE = (172_000.0, 173_800.0, 172_001.0, 173_801.0)
MAP_PAGES = ["/map", "/perimeters/1", "/perimeters/1/edit", "/hotspots", "/plans/1",
             "/reports/plans/1", "/meeting/walk?perimeter=1"]  # fmt: skip


def _tile_url() -> str:
    ((x, y),) = tile_range(CENTRE, 15)
    return f"/map/streets/15/{x}/{y}"


def _backdrop(page: str) -> dict:
    """The backdrop data of a page: what ``MmmBackdrop.add`` is given."""
    found = re.search(r"MmmBackdrop\.add\(\w+, (\{.*?\})\);", page)
    if found is None:  # the editor hands it over in its JSON block
        block = re.search(
            r'<script type="application/json" id="editor-data">(.*?)</script>', page, re.S
        )
        assert block is not None, "the page has no backdrop"
        return json.loads(block.group(1))["backdrop"]
    return json.loads(found.group(1))


@pytest.mark.parametrize("path", MAP_PAGES)
def test_every_map_page_draws_the_streets_from_the_app(login, path):
    page = login("analyst").get(path).get_data(as_text=True)
    data = _backdrop(page)
    assert re.fullmatch(r"/map/streets/\{z\}/\{x\}/\{y\}\?v=\d+", data["streets"])
    assert data["search"] == "/map/streets/search"
    assert data["streetTiles"] is None  # served pages fetch what the view needs
    assert foreign_urls(page) == []


def test_a_street_tile_is_json_gzip_when_taken_and_kept_by_the_browser(login):
    client = login("partner")  # reference data: any logged-in user
    plain = client.get(_tile_url(), headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.mimetype == "application/json"
    tile = plain.get_json()
    assert tile["l"] and "Stationsstraat" in tile["n"]
    assert plain.headers["Cache-Control"] == "private, max-age=86400"
    assert "Accept-Encoding" in plain.headers["Vary"]
    zipped = client.get(_tile_url(), headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.data)) == tile
    assert len(zipped.data) < len(plain.data)
    assert client.get("/map/streets/3/4/2").get_json() == {"n": [], "l": []}  # too far out


def test_street_tiles_and_search_need_a_login(app: Flask):
    for url in (_tile_url(), "/map/streets/search?q=kerk"):
        answer = app.test_client().get(url)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_street_search(login):
    client = login("officer")
    found = client.get("/map/streets/search?q=kerkstr").get_json()
    assert found and found[0]["name"].startswith("Kerkstraat")
    (south, west), (north, east) = found[0]["bounds"]
    assert 50.5 < south <= north < 51.2 and 4.3 < west <= east < 5.0
    assert found[0]["lines"]["type"] == "FeatureCollection"
    assert client.get("/map/streets/search?q=zzzz").get_json() == []
    assert client.get("/map/streets/search").get_json() == []
    assert client.get("/map/streets/search?q=" + "k" * 5000).status_code == 200  # cut short


def test_the_segments_layer_is_for_staff_only(login):
    analyst = login("analyst")
    page = analyst.get("/map?from=2025-01&to=2025-12").get_data(as_text=True)
    assert '"segments":"/map/segments?from=2025-01&to=2025-12"' in page.replace("\\u0026", "&")
    layer = analyst.get("/map/segments?from=2025-01&to=2025-12&phenomenon=drugs").get_json()
    assert len(layer["lines"]) == 100 and "Drugs" in layer["legend"]
    assert analyst.get("/map/segments?from=2025-01&to=2025-12&phenomenon=x").status_code == 400
    assert analyst.get("/map/segments?from=2025-13&to=2025-12").status_code == 400
    partner = login("partner")
    assert partner.get("/map/segments?from=2025-01&to=2025-12").status_code == 403
    partner_page = partner.get("/map?from=2025-01&to=2025-12").get_data(as_text=True)
    assert '"segments":null' in partner_page and '"gridLayer":false' in partner_page
    overlays = re.search(r"overlays :\s*\{(.*?)\}", partner_page, re.S).group(1)
    assert "Grid" not in overlays and "segment" not in overlays  # nothing to toggle


def test_the_perimeter_page_lists_its_busiest_segments_for_staff(login):
    staff = login("officer").get("/perimeters/1?from=2025-01&to=2025-12").get_data(as_text=True)
    table = re.search(r'<table class="data segments">(.*?)</table>', staff, re.S)
    assert table is not None and table.group(1).count("<tr>") == 11  # the head and 10 segments
    partner = login("partner").get("/perimeters/1").get_data(as_text=True)
    assert 'id="segments"' not in partner


def test_the_dossier_carries_its_streets_and_search(login):
    answer = login("analyst").post(
        "/reports/perimeters/1/dossier.html", data={"purpose": "meeting"}
    )
    page = answer.get_data(as_text=True)
    data = _backdrop(page)
    assert data["streets"] is None and data["search"] is None  # nothing to fetch offline
    assert len(data["streetTiles"]) > 10 and any(t["l"] for t in data["streetTiles"].values())
    assert any(p["name"].startswith("Stationsstraat") for p in data["places"])


@pytest.fixture(scope="module")
def basemap_app(demo_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The demo zone with an MBTiles basemap of zoom 14 only."""
    path = tmp_path_factory.mktemp("basemap") / "demostad.mbtiles"
    bounds = (168_000.0, 171_000.0, 176_000.0, 177_000.0)
    tiles = {(14, x, 2**14 - 1 - y): png_bytes(200, 220, 200) for x, y in tile_range(bounds, 14)}
    write_mbtiles(path, tiles, minzoom="14", maxzoom="14", attribution="© Stad Demostad")
    return make_app(demo_store_url, MMM_BASEMAP=str(path))


def test_the_basemap_is_enlarged_beyond_its_zooms_and_carried_for_print(basemap_app):
    client = basemap_app.test_client()
    client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    data = _backdrop(client.get("/perimeters/1").get_data(as_text=True))
    assert (data["tiles"], data["minNative"], data["maxNative"]) == ("/tiles/{z}/{x}/{y}", 14, 14)
    dossier = client.post("/reports/perimeters/1/dossier.html", data={"purpose": "meeting"})
    carried = _backdrop(dossier.get_data(as_text=True))
    assert carried["tiles"] is None and carried["images"]
    assert all(k.startswith("14/") for k in carried["images"])
    assert all(v.startswith("data:image/png;base64,") for v in carried["images"].values())
