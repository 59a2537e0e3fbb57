"""Street tiles, street search and the backdrop under every map, checked against an independent
projection (pyproj to Web Mercator, then the XYZ tile formula) and hand-placed streets."""

from __future__ import annotations

import base64
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import CRS, Transformer
from shapely.geometry import LineString

from mmm.io.basemap import open_basemap
from mmm.io.files import Source
from mmm.io.streets import import_street_source
from mmm.present.maps import backdrop as bd
from mmm.present.maps import streets as st
from tests.helpers import png_bytes, write_mbtiles

TO_MERCATOR = Transformer.from_crs("EPSG:31370", "EPSG:3857", always_xy=True)
R = 6_378_137.0

LINES = {
    "1": ("Kerkstraat", LineString([(171_100, 174_000), (171_700, 174_000)])),
    "2": ("Kerkstraat", LineString([(171_700, 174_000), (171_700, 174_400)])),
    "3": ("Kerkstraat", LineString([(176_000, 179_000), (176_300, 179_000)])),  # another village
    "4": ("Sint-Jansplein", LineString([(171_200, 174_200), (171_260, 174_260)])),
    "5": ("", LineString([(171_300, 174_300), (171_500, 174_300)])),  # a path without a name
    "6": ("Kort", LineString([(171_400, 174_100), (171_401, 174_100)])),  # 1 m long
    "7": ("Stationsstraat", LineString([(171_050, 173_950), (171_080, 173_950)])),
}


def _frame(lines: dict = LINES) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"segment_id": list(lines), "name": [n for n, _ in lines.values()]},
        geometry=[g for _, g in lines.values()],
        crs="EPSG:31370",
    )


def _source(frame: gpd.GeoDataFrame) -> Source:
    """Streets as ``mmm import streets`` reads them from a file."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    attributes = pd.DataFrame({"id": frame["segment_id"], "name": frame["name"]})
    return Source("streets.gpkg", attributes, geoms, CRS.from_epsg(31370), is_table=False)


@pytest.fixture(scope="module")
def network() -> st.StreetNetwork:
    return st.StreetNetwork(_frame(), version=7)


def _tile_of(x: float, y: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding an EPSG:31370 point (the slippy-map formula, via lon/lat)."""
    to_web = Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True)
    lon, lat = to_web.transform(x, y)
    n = 2**z
    tx = int((lon + 180) / 360 * n)
    ty = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return tx, ty


def _decode(tile: dict) -> list[tuple[str | None, np.ndarray]]:
    """The tile's lines as (name, absolute integer coordinates)."""
    out = []
    for line in tile["l"]:
        steps = np.asarray(line[1:], dtype=np.int64).reshape(-1, 2)
        out.append((None if line[0] < 0 else tile["n"][line[0]], np.cumsum(steps, axis=0)))
    return out


def test_a_tile_holds_its_streets_at_their_place_to_a_quarter_pixel(network):
    z = 16
    tx, ty = _tile_of(171_400, 174_000, z)
    lines = _decode(network.tile(z, tx, ty))
    size = 2 * math.pi * R / 2**z
    west, north = -math.pi * R + tx * size, math.pi * R - ty * size
    mx, my = TO_MERCATOR.transform(np.array([171_100.0, 171_700.0]), np.array([174_000.0] * 2))
    expected = np.column_stack([(mx - west) / size * 1024, (north - my) / size * 1024])
    first = next(c for name, c in lines if name == "Kerkstraat" and len(c) == 2)
    assert np.abs(first - expected).max() <= 0.5  # rounded to integers of a quarter pixel
    names = [name for name, _ in lines]
    assert None in names  # the unnamed path is drawn, without a label
    assert "Kort" not in names  # shorter than a pixel at zoom 16 (≈ 1.5 m)
    assert set(names) == {"Kerkstraat", "Sint-Jansplein", None}  # the rest lies outside


def test_tiles_outside_the_zooms_or_the_world_are_empty(network):
    assert network.tile(st.MIN_ZOOM - 1, 0, 0) == {"n": [], "l": []}
    assert network.tile(st.MAX_ZOOM + 1, 0, 0) == {"n": [], "l": []}
    assert network.tile(16, 2**16, 0) == {"n": [], "l": []}
    assert network.tile(16, 0, 0) == {"n": [], "l": []}  # far from Belgium


def test_a_tile_is_simplified_to_its_pixels():
    wiggle = LineString([(171_000 + 10 * i, 174_000 + (i % 2) * 0.8) for i in range(101)])
    net = st.StreetNetwork(_frame({"1": ("Kronkelweg", wiggle)}), version=1)
    z = 13
    coarse = [c for x, y in st.tile_range(wiggle.bounds, z) for _, c in _decode(net.tile(z, x, y))]
    assert coarse and all(len(c) == 2 for c in coarse)  # a 0.8 m wiggle is not a 12 m pixel
    fine = [c for x, y in st.tile_range(wiggle.bounds, 19) for _, c in _decode(net.tile(19, x, y))]
    assert max(len(c) for c in fine) > 50  # at 0.2 m a pixel, the wiggle shows


def test_tile_bytes_are_json_or_gzip_and_cached(network):
    import gzip
    import json

    tx, ty = _tile_of(171_400, 174_000, 16)
    plain = network.tile_bytes(16, tx, ty, gzipped=False)
    assert json.loads(plain) == network.tile(16, tx, ty)
    assert gzip.decompress(network.tile_bytes(16, tx, ty, gzipped=True)) == plain
    assert network.tile_bytes(16, tx, ty, gzipped=False) is plain  # from the cache


def test_tile_range_and_fit_zoom_agree_with_the_tile_formula():
    bounds = (171_100.0, 173_900.0, 171_900.0, 174_400.0)
    keys = st.tile_range(bounds, 15)
    corners = [_tile_of(x, y, 15) for x in bounds[::2] for y in bounds[1::2]]
    assert {c for c in corners} <= set(keys)
    xs, ys = zip(*keys, strict=True)
    assert set(keys) == {
        (x, y) for x in range(min(xs), max(xs) + 1) for y in range(min(ys), max(ys) + 1)
    }
    # 800 m × 500 m of ground is ≈ 1270 × 790 Mercator metres; in 700 × 420 px that is ≈ 1.9 m a
    # pixel, and zoom 16 (≈ 2.39 Mercator m a pixel) is the closest that fits.
    assert st.fit_zoom(bounds, 700, 420) == 16
    assert st.fit_zoom(bounds, 300, 200) == 15


def test_search_ignores_case_accents_and_hyphens_and_ranks_prefixes_first(network):
    found = network.search("kerk")
    assert [p["name"] for p in found] == ["Kerkstraat (1/2)", "Kerkstraat (2/2)"]  # west to east
    (south, west), (north, east) = found[0]["bounds"]
    assert south < north and west < east and 50 < south < 52 and 3 < west < 6
    assert len(found[0]["lines"]["features"]) == 2  # segments 1 and 2 make one place
    assert [p["name"] for p in network.search("SINT JANS")] == ["Sint-Jansplein"]
    assert [p["name"] for p in network.search("sintjan")] == ["Sint-Jansplein"]
    assert [p["name"] for p in network.search("straat")][:1] == ["Kerkstraat (1/2)"]
    assert [p["name"] for p in network.search("stationsstr")] == ["Stationsstraat"]
    assert network.search("k") == []  # two letters at least
    assert network.search("Molenstraat") == []
    assert all(p.label for p in network.places)  # a street without a name is not a place


def test_places_around_a_perimeter(network):
    names = {p["name"] for p in network.places_around((171_000, 173_900, 171_800, 174_500))}
    assert names == {"Kerkstraat (1/2)", "Sint-Jansplein", "Kort", "Stationsstraat"}
    place = next(p for p in network.places_around((171_000, 173_900, 171_800, 174_500)))
    assert set(place) == {"name", "bounds", "key"}  # carried by the page: no lines


def test_the_network_is_kept_per_data_version(store, tmp_path):
    assert st.street_network(store) is None
    import_street_source(store, _source(_frame()))
    first = st.street_network(store)
    assert first is not None and len(first) == len(LINES)
    assert st.street_network(store) is first
    import_street_source(store, _source(_frame(dict(list(LINES.items())[:2]))))
    second = st.street_network(store)
    assert second is not first and len(second) == 2 and second.version > first.version


def test_a_carried_backdrop_holds_tiles_places_and_basemap_images(network, tmp_path):
    perimeter = (171_150.0, 173_950.0, 171_750.0, 174_350.0)
    zoom = st.fit_zoom(perimeter, *bd.CARRIED_MAP_PX)
    green = png_bytes(0, 255, 0)
    tiles = {}
    for x, y in st.tile_range(perimeter, 14):
        tiles[(14, x, 2**14 - 1 - y)] = green  # TMS rows
    path = write_mbtiles(tmp_path / "b.mbtiles", tiles, maxzoom="14", attribution="© Demostad")
    carried = bd.carried(perimeter, network, open_basemap(path))
    assert carried.streets is None and carried.tiles is None  # nothing to fetch
    zooms = {int(k.split("/")[0]) for k in carried.street_tiles}
    assert zooms == set(range(zoom - 1, max(zooms) + 1)) and zoom + 1 in zooms  # closest last
    assert len(carried.street_tiles) <= st.INLINE_TILE_LIMIT
    assert {p["name"] for p in carried.places} >= {"Kerkstraat (1/2)", "Sint-Jansplein"}
    assert carried.images and {k.split("/")[0] for k in carried.images} == {"14"}  # native
    assert next(iter(carried.images.values())) == (
        "data:image/png;base64," + base64.b64encode(green).decode()
    )
    data = carried.script_data()
    assert (data["maxNative"], data["attribution"]) == (14, "© Demostad")
    assert data["images"] == dict(carried.images) and data["tiles"] is None
    assert carried.has_basemap


def test_the_served_backdrop_points_at_routes_only():
    served = bd.Backdrop(tiles="/tiles/{z}/{x}/{y}", streets="/s/{z}/{x}/{y}?v=3", search="/q")
    data = served.script_data()
    assert data["streetTiles"] is None and data["places"] is None and data["images"] is None
    assert (data["minZoom"], data["labelZoom"], data["maxZoom"]) == (12, 15, 19)
    assert not bd.Backdrop().has_basemap


def test_our_css_and_script_open_no_jinja_tag():
    css, js = bd.folium_code()  # raises when they do: branca would evaluate it
    assert css.startswith("<style>") and "MmmBackdrop" in js
