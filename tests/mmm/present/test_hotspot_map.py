"""The hotspot map on the demo zone: layers, popups' data, KDE images, candidates, page weight."""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib

import numpy as np
import pandas as pd
import pytest
from branca.element import Figure

from mmm.demo import build_demo
from mmm.hotspots import HotspotOptions, HotspotResult, analyse_hotspots
from mmm.present.maps import (
    Assets,
    colocation_matrix,
    hotspot_map,
    hotspot_rows,
    kde_rgba,
    png_bytes,
    warning_messages,
)
from tests.webmap.pages import foreign_urls

ASSETS = Assets.under("/static/vendor")
LABELS = {
    "drugs": "Drugs",
    "street_robbery": "Straatroof",
    "vehicle_crime": "Voertuigcriminaliteit",
}


def _mark(text: str) -> str:
    """A fake translation: shows that every interface string went through ``translate``."""
    return f"~{text}~"


@pytest.fixture(scope="module")
def demo() -> tuple[object, pd.DataFrame]:
    demo = build_demo()
    frame = demo.incidents.rename(columns={"date": "occurred"})
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    return demo, frame


@pytest.fixture(scope="module")
def result(demo) -> HotspotResult:
    zone_demo, frame = demo
    return analyse_hotspots(frame, zone_demo.zone, HotspotOptions())


@pytest.fixture(scope="module")
def page(demo, result) -> str:
    zone_demo, _frame = demo
    fmap = hotspot_map(
        result=result,
        zone=zone_demo.zone,
        perimeters=zone_demo.perimeters,
        phenomena=LABELS,
        assets=ASSETS,
        translate=_mark,
    )
    root = fmap.get_root()
    assert isinstance(root, Figure)
    return root.render()


def _payload(page: str) -> dict:
    found = re.search(r"\}\)\(map_\w+, (\{.*?\})\);\s*window\.mmmHotspots", page, re.S)
    assert found, "the hotspot script's data"
    return json.loads(found.group(1))


def _png(data: bytes) -> np.ndarray:
    """Decode a PNG written by :func:`png_bytes` (8-bit RGBA, filter 0), checking its CRCs."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(tag + body) & 0xFFFFFFFF
        chunks[tag] = body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 6) and b"IEND" in chunks
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(height, width, 4)


def test_png_round_trip() -> None:
    rgba = np.random.default_rng(1).integers(0, 256, (7, 5, 4)).astype(np.uint8)
    assert np.array_equal(_png(png_bytes(rgba)), rgba)
    with pytest.raises(ValueError):
        png_bytes(np.zeros((3, 3, 3), np.uint8))


def test_kde_colours_are_transparent_outside_the_zone_and_at_zero() -> None:
    density = np.array([[np.nan, 0.0], [5.0, 10.0]])
    rgba = kde_rgba(density)
    assert rgba[0, 0, 3] == 0 and rgba[0, 1, 3] == 0
    assert 0 < rgba[1, 0, 3] < rgba[1, 1, 3]
    assert kde_rgba(np.full((2, 2), np.nan))[..., 3].max() == 0


def test_page_is_offline_and_light(page: str) -> None:
    assert foreign_urls(page) == []
    assert "/static/vendor/leaflet/leaflet.js" in page
    assert len(page.encode()) < 2_000_000
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_layers_in_the_control(page: str, result: HotspotResult) -> None:
    assert "~Multi-phenomenon hotspots~" in page
    for code in result.phenomena:
        label = LABELS.get(code, code)
        assert "~Gi*: %(phenomenon)s~".replace("%(phenomenon)s", label) in page
        assert "~Density: %(phenomenon)s~".replace("%(phenomenon)s", label) in page
    assert "~Candidate perimeters~" in page and "~Existing perimeters~" in page


def test_a_multi_phenomenon_cell_carries_why_it_is_hot(page: str, result: HotspotResult) -> None:
    data = _payload(page)
    cells, level = data["cells"], data["hotLevel"]
    table = result.hotspot_cells().set_index("cell")
    multi = [i for i, n in enumerate(cells["n"]) if n >= data["minHot"]]
    assert len(multi) == int(result.multi.sum()) >= 10
    i = max(multi, key=lambda j: cells["s"][j])  # the strongest one
    row = table.loc[cells["id"][i]]
    hot = [k for k in range(len(data["labels"])) if cells["b"][k][i] >= level]
    assert len(hot) == cells["n"][i] == row["hot_phenomena"] >= 2
    for k in hot:
        code = result.phenomena[k]
        assert data["labels"][k] == LABELS.get(code, code)
        assert cells["z"][k][i] == pytest.approx(row[f"z_{code}"], abs=0.005)
        assert cells["k"][k][i] == row[f"count_{code}"]
    assert any(data["labels"][k] in LABELS.values() for k in hot)
    text = data["text"]  # the popup's words: translated here, the numbers filled in by the script
    assert text["hotN"] == "~Hot for {n} phenomena~"
    assert text["neighbours"] == "~no incident in this cell: hot through its neighbours only~"
    assert text["trends"][1:] == ["~new~", "~intensifying~", "~persistent~", "~diminishing~"]
    assert "Hot for 5 phenomena:" not in page  # not the core's English ``why`` sentence


def test_only_significant_cells_are_sent(page: str, result: HotspotResult) -> None:
    cells = _payload(page)["cells"]
    significant = np.zeros(result.grid.shape, bool)
    for layer in result.layers:
        significant |= layer.gi.bins != 0
    assert len(cells["id"]) == int((significant & result.grid.mask).sum()) < result.grid.n_cells
    assert all(any(b[i] for b in cells["b"]) for i in range(len(cells["id"])))
    lat, lon = cells["c"][0][0], cells["c"][0][1]
    assert 49.4 < lat < 51.6 and 2.5 < lon < 6.5


def test_kde_overlays_are_png_data_urls(page: str, result: HotspotResult) -> None:
    urls = re.findall(r'L\.imageOverlay\(\s*"data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(urls) == len(result.layers)
    rows, cols = result.grid.shape
    for encoded, layer in zip(urls, result.layers, strict=True):
        image = _png(base64.b64decode(encoded))
        assert image.shape == (rows, cols, 4)
        assert (image[~result.grid.mask, 3] == 0).all()  # transparent outside the zone
        assert image[..., 3].max() > 200  # and clearly coloured at the peak
        assert np.argmax(image[..., 3]) == np.nanargmax(layer.kde.density)
    bounds = re.findall(r'L\.imageOverlay\(\s*"data:[^"]+",\s*(\[\[[^\]]+\],\s*\[[^\]]+\]\])', page)
    (south, west), (north, east) = json.loads(bounds[0])
    assert 49.4 < south < north < 51.6 and 2.5 < west < east < 6.5


def test_candidates_with_popups(page: str, result: HotspotResult) -> None:
    features = _payload(page)["candidates"]["features"]
    assert len(features) == len(result.candidates) >= 1
    first = features[0]["properties"]
    assert first["name"] == result.candidates.iloc[0]["name"]
    assert "~A proposal, not a perimeter yet" in first["popup"]
    codes = result.candidates.iloc[0]["phenomena"].split(", ")
    assert any(LABELS.get(c, c) in first["popup"] for c in codes)
    perimeters = _payload(page)["perimeters"]["features"]
    assert len(perimeters) == 10 and perimeters[0]["properties"]["name"]


def test_presentation_mode(demo, result: HotspotResult) -> None:
    zone_demo, _frame = demo
    fmap = hotspot_map(
        result=result,
        zone=zone_demo.zone,
        perimeters=zone_demo.perimeters.iloc[0:0],
        phenomena={},
        assets=ASSETS,
        presentation=True,
    )
    page = fmap.get_root().render()
    style = _payload(page)["style"]
    assert style["candidateWeight"] > 3
    assert '"collapsed": true' in page


def test_tables_and_warnings(demo, result: HotspotResult) -> None:
    rows = hotspot_rows(result, LABELS, _mark, top=5)
    assert len(rows) == 5
    assert [r["hot"] for r in rows] == sorted((r["hot"] for r in rows), reverse=True)
    label, z, count, trend, borrowed = rows[0]["phenomena"][0]
    assert z > 3 and count > 0 and trend.startswith("~") and not borrowed
    every = [p for r in hotspot_rows(result, LABELS, _mark, top=10_000) for p in r["phenomena"]]
    assert any(p[4] for p in every)  # the demo has cells hot through their neighbours only
    assert all(p[4] == (p[2] == 0) for p in every)
    assert rows[0]["incidents"] == sum(p[2] for p in rows[0]["phenomena"])
    assert warning_messages(result, LABELS, _mark) == []
    assert colocation_matrix(result, LABELS) is None

    zone_demo, frame = demo
    few = frame[frame["phenomenon"] == "drugs"].tail(12)
    small = analyse_hotspots(
        pd.concat([few, frame[frame["phenomenon"] == "vandalism"]]),
        zone_demo.zone,
        HotspotOptions(start=pd.Timestamp("2025-10-01").date(), colocation=True, permutations=9),
    )
    texts = warning_messages(small, LABELS, _mark)
    assert (
        "~Drugs: too few incidents in the period for a reliable hotspot map (12, fewer than 20).~"
        in texts
    )
    assert any(t.startswith("~Trends") and "covers 1." in t for t in texts)
    matrix = colocation_matrix(small, LABELS)
    assert matrix is not None and len(matrix["rows"]) == len(matrix["labels"]) == 2


def test_no_hot_cells_still_draws_a_map(demo) -> None:
    zone_demo, frame = demo
    empty = analyse_hotspots(frame.head(0), zone_demo.zone)
    page = hotspot_map(
        result=empty,
        zone=zone_demo.zone,
        perimeters=zone_demo.perimeters,
        phenomena={},
        assets=ASSETS,
    )
    html = page.get_root().render()
    assert "No hot cells for these parameters" in html
    assert _payload(html)["cells"]["id"] == []


def test_names_from_the_data_are_never_run_as_templates(demo, result: HotspotResult) -> None:
    """branca compiles rendered scripts as Jinja templates: "{{ 7*7 }}" in a name must stay text."""
    zone_demo, _frame = demo
    perimeters = zone_demo.perimeters.copy()
    perimeters.loc[perimeters.index[0], "name"] = "P{% if 1 %}yes{% endif %}{# c #}"
    labels = {code: f"L{{{{ 'evaluated' ~ 7*7 }}}}{code}" for code in result.phenomena}
    fmap = hotspot_map(
        result=result,
        zone=zone_demo.zone,
        perimeters=perimeters,
        phenomena=labels,
        assets=ASSETS,
    )
    page = fmap.get_root().render()
    assert "evaluated49" not in page and "Pyes" not in page
    data = _payload(page)
    assert data["labels"][0] == "L{{ &#x27;evaluated&#x27; ~ 7*7 }}" + result.phenomena[0]
    names = {f["properties"]["name"] for f in data["perimeters"]["features"]}
    assert "P{% if 1 %}yes{% endif %}{# c #}" in names
