"""The basemap served by the app itself (``MMM_BASEMAP``): pages point at it, tiles come back
with cache headers, a missing tile is a 404, and only for logged-in users."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from mmm.demo import DEMO_PASSWORD
from mmm.io.basemap import BasemapUnusable
from tests.helpers import png_bytes, write_mbtiles
from tests.webmap.conftest import make_app
from tests.webmap.pages import foreign_urls

GREEN = png_bytes(0, 255, 0)
TEMPLATE = "/tiles/{z}/{x}/{y}"


@pytest.fixture(scope="module")
def tiles_app(demo_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("basemap") / "demostad.mbtiles"
    tiles = {(0, 0, 0): png_bytes(255, 0, 0), (1, 1, 0): GREEN, (14, 8374, 10874): GREEN}
    write_mbtiles(path, tiles, attribution='<a href="https://gis.example">© Stad Demostad</a>')
    return make_app(demo_store_url, MMM_BASEMAP=str(path))


def _client(app: Flask, name: str = "wijkinspecteur"):
    client = app.test_client()
    answer = client.post("/login", data={"name": name, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    return client


@pytest.mark.parametrize("url", ["/map", "/perimeters/1", "/hotspots"])
def test_the_map_pages_take_their_tiles_from_the_app(tiles_app, url):
    page = _client(tiles_app, "analist").get(url).get_data(as_text=True)
    assert TEMPLATE in page and "Stad Demostad" in page  # the file's attribution, as text
    assert "gis.example" not in page and foreign_urls(page) == []


def test_the_editor_draws_on_the_same_tiles(tiles_app):
    page = _client(tiles_app).get("/perimeters/new").get_data(as_text=True)
    assert re.search(r'"tiles":\s*"/tiles/\{z\}/\{x\}/\{y\}"', page)


def test_a_tile_comes_back_as_png_with_cache_headers(tiles_app):
    client = _client(tiles_app, "partner")
    answer = client.get("/tiles/1/1/1")  # XYZ y 1 is the TMS row 0 of zoom 1
    assert answer.status_code == 200 and answer.data == GREEN
    assert answer.mimetype == "image/png"
    assert answer.headers["Cache-Control"] == "private, max-age=86400"
    etag = answer.headers["ETag"]
    again = client.get("/tiles/1/1/1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/tiles/14/8374/5509").data == GREEN  # 2¹⁴ − 1 − 10874


def test_a_missing_tile_is_an_empty_404(tiles_app):
    client = _client(tiles_app)
    for url in ("/tiles/1/1/0", "/tiles/1/7/0", "/tiles/15/0/0"):
        answer = client.get(url)
        assert (answer.status_code, answer.data) == (404, b"")
        assert answer.headers["Cache-Control"] == "private, max-age=86400"


def test_tiles_need_a_login(tiles_app):
    answer = tiles_app.test_client().get("/tiles/1/1/1")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_without_a_basemap_there_are_no_tiles(login):
    assert login("officer").get("/tiles/0/0/0").status_code == 404
    assert TEMPLATE not in login("officer").get("/map").get_data(as_text=True)


def test_a_wrong_basemap_stops_the_app(demo_store_url, tmp_path):
    with pytest.raises(BasemapUnusable, match="no such file"):
        make_app(demo_store_url, MMM_BASEMAP=str(tmp_path / "missing.mbtiles"))
