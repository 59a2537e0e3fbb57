"""Reading a basemap file tile by tile: MBTiles (rows flipped) and PMTiles, and refusals."""

from __future__ import annotations

import pytest

from mmm.io.basemap import BasemapUnusable, open_basemap, plain_text
from tests.helpers import png_bytes, write_mbtiles

RED, GREEN, BLUE = png_bytes(255, 0, 0), png_bytes(0, 255, 0), png_bytes(0, 0, 255)
#: Three tiles by (zoom, column, TMS row): the TMS row 0 of zoom 1 is the southern one.
TILES = {(0, 0, 0): RED, (1, 1, 0): GREEN, (1, 0, 1): BLUE}


@pytest.fixture
def mbtiles(tmp_path):
    return write_mbtiles(
        tmp_path / "zone.mbtiles",
        TILES,
        attribution='<a href="https://gis.demostad.be">&copy; Stad Demostad</a>',
        minzoom="0",
        maxzoom="1",
    )


def test_mbtiles_tiles_in_xyz_numbering_with_the_rows_flipped(mbtiles):
    basemap = open_basemap(mbtiles)
    assert (basemap.media_type, basemap.min_zoom, basemap.max_zoom) == ("image/png", 0, 1)
    assert basemap.attribution == "© Stad Demostad"
    assert basemap.tile(0, 0, 0) == RED
    assert basemap.tile(1, 1, 1) == GREEN  # XYZ y 1 (south) is TMS row 0
    assert basemap.tile(1, 0, 0) == BLUE  # XYZ y 0 (north) is TMS row 1
    assert basemap.tile(1, 0, 1) is None  # not in the file
    assert basemap.tile(1, 2, 0) is None and basemap.tile(-1, 0, 0) is None  # no such tile


def test_pmtiles_converted_from_the_same_file_gives_the_same_tiles(mbtiles, tmp_path):
    from pmtiles.convert import mbtiles_to_pmtiles

    path = tmp_path / "zone.pmtiles"
    mbtiles_to_pmtiles(str(mbtiles), str(path), None)
    basemap = open_basemap(path)
    assert (basemap.media_type, basemap.attribution) == ("image/png", "© Stad Demostad")
    assert basemap.tile(0, 0, 0) == RED
    assert (basemap.tile(1, 1, 1), basemap.tile(1, 0, 0)) == (GREEN, BLUE)
    assert basemap.tile(1, 0, 1) is None and basemap.tile(3, 0, 0) is None


def test_the_version_changes_with_the_file(mbtiles):
    before = open_basemap(mbtiles).version
    write_mbtiles(mbtiles.with_name("other.mbtiles"), TILES)
    mbtiles.write_bytes(mbtiles.with_name("other.mbtiles").read_bytes() + b"\0" * 4096)
    assert open_basemap(mbtiles).version != before


def test_files_that_cannot_serve_as_a_basemap_are_refused(tmp_path):
    with pytest.raises(BasemapUnusable, match="no such file"):
        open_basemap(tmp_path / "missing.mbtiles")
    other = tmp_path / "tiles.zip"
    other.write_bytes(b"PK")
    with pytest.raises(BasemapUnusable, match="not an .mbtiles or .pmtiles file"):
        open_basemap(other)
    vector = write_mbtiles(tmp_path / "vector.mbtiles", {(0, 0, 0): b"\x1a\x00"}, format="pbf")
    with pytest.raises(BasemapUnusable, match="holds pbf tiles; the maps need raster tiles"):
        open_basemap(vector)
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BasemapUnusable, match="is no MBTiles file"):
        open_basemap(broken)
    fake = tmp_path / "fake.pmtiles"
    fake.write_bytes(b"PMTiles\x02" + b"\0" * 200)
    with pytest.raises(BasemapUnusable, match="no PMTiles file of version 3"):
        open_basemap(fake)


def test_an_attribution_becomes_plain_text():
    assert plain_text('<b onclick="x()">OSM</b> &amp; <script>y</script>GRB') == "OSM & yGRB"
