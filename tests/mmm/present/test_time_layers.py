"""The staff-only map layers: recent change outlines the perimeters that changed significantly,
coloured by direction, with escaped popups; overlays join a built map before its layer control."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from mmm.present.maps.change_layer import COLOURS, change_layer
from mmm.present.maps.overlays import Overlay, add_overlays
from mmm.temporal import ZONE, recent_change

UP, DOWN, CALM = (
    box(170_000, 170_000, 170_100, 170_100),
    box(171_000, 171_000, 171_100, 171_100),
    box(172_000, 172_000, 172_100, 172_100),
)


def _incidents() -> pd.DataFrame:
    """To 2024-03-31: 20 burglaries in UP in the last 28 days (none before), 20 in DOWN only
    before; 1 and 1 in CALM."""
    rows = []
    for i in range(20):
        rows.append(("burglary", date(2024, 3, 31) - timedelta(days=i), 170_050, 170_050))
        rows.append(("burglary", date(2024, 3, 3) - timedelta(days=i), 171_050, 171_050))
    rows += [
        ("burglary", date(2024, 3, 30), 172_050, 172_050),
        ("burglary", date(2024, 2, 1), 172_050, 172_050),
    ]
    frame = pd.DataFrame(rows, columns=["phenomenon", "occurred", "x", "y"])
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    return frame


def _perimeters() -> gpd.GeoDataFrame:
    names = ["Up <b>street</b>", "Down", "Calm"]
    return gpd.GeoDataFrame({"name": names}, geometry=[UP, DOWN, CALM], crs=31370)


def test_the_layer_outlines_significant_changes_by_direction() -> None:
    shapes = _perimeters()
    found = recent_change(
        _incidents(),
        [(ZONE, None), *zip(shapes["name"], shapes.geometry, strict=True)],
        ["burglary"],
    )
    layer = change_layer(shapes, found, {"burglary": "Inbraak"}, lambda s: s)
    assert len(layer.features) == 2  # Calm did not change significantly
    up, down = layer.features
    assert up["properties"]["style"]["color"] == COLOURS["up"]
    assert down["properties"]["style"]["color"] == COLOURS["down"]
    popup = up["properties"]["popup"]
    assert "Up &lt;b&gt;street&lt;/b&gt;" in popup and "<b>street" not in popup
    assert "Inbraak: 20 against 0 in the 28 days before" in popup
    assert "3/4/24 – 3/31/24" in layer.legend  # English dates: the translator says "en"
    lon, lat = up["geometry"]["coordinates"][0][0]
    assert 2 < lon < 7 and 49 < lat < 52


def test_overlays_come_before_the_layer_control() -> None:
    fmap = folium.Map(location=[50.8, 4.4], zoom_start=12)
    fmap.add_child(folium.LayerControl())
    layer = Overlay("Recent", "<h4>legend</h4>")
    layer.add_circle(170_050.0, 170_050.0, {"radius": 200, "color": "#b2182b"}, "<b>x</b>")
    add_overlays(fmap, [layer])
    page = fmap.get_root().render()
    controls = [c for c in fmap._children.values() if isinstance(c, folium.LayerControl)]
    assert len(controls) == 1
    name = re.search(r"var (mmm_extra_\w+) = \(function", page)
    assert name is not None
    assert page.index(name.group(1) + ".layers[0]") < page.index("L.control.layers")
    data = json.loads(re.search(r"\}\)\((\w+), (\{.*\})\);", page).group(2))
    feature = data["layers"][0]["features"]["features"][0]
    assert feature["properties"]["circle"]["radius"] == 200
    assert feature["geometry"]["type"] == "Point"


def test_emerging_layers_draw_every_patterned_cell_with_its_name() -> None:
    import numpy as np

    from mmm.hotspots import CATEGORIES, HotspotOptions, analyse_hotspots
    from mmm.present.maps.emerging_layer import (
        COLOURS,
        category_names,
        emerging_layers,
        emerging_rows,
    )
    from tests.mmm.hotspots.test_analysis import ZONE as SYNTHETIC
    from tests.mmm.hotspots.test_analysis import synthetic_incidents

    def mark(text: str) -> str:
        return f"~{text}~"

    names = category_names(mark)
    assert list(names) == list(CATEGORIES) and len(set(names.values())) == 17
    assert set(COLOURS) == set(CATEGORIES) - {"no_pattern"}
    result = analyse_hotspots(
        synthetic_incidents(), SYNTHETIC, HotspotOptions(emerging_step="month")
    )
    layers = emerging_layers(result, {"drugs": "Drugs"}, mark)
    assert [la.name for la in layers] == [
        f"~Emerging hot spots: {p}~" for p in ("burglary", "Drugs", "nuisance")
    ]
    mask = result.grid.mask
    for layer, overlay in zip(result.layers, layers, strict=True):
        codes = layer.emerging[mask]
        patterned = codes[codes != "no_pattern"]
        assert len(overlay.features) == len(patterned) > 0
        fills = [f["properties"]["style"]["fillColor"] for f in overlay.features]
        assert sorted(fills) == sorted(COLOURS[c] for c in patterned)
        for code in set(patterned):
            assert f"{names[code]} ({int((patterned == code).sum())})" in overlay.legend
        assert "~No pattern detected~" not in overlay.legend
    rows = emerging_rows(result, {}, mark)
    assert [r["label"] for r in rows] == ["burglary", "drugs", "nuisance"]
    total = sum(n for _, _, n in rows[1]["patterns"])
    assert total == int(mask.sum())
    nothing = analyse_hotspots(synthetic_incidents(), SYNTHETIC, HotspotOptions())
    assert emerging_layers(nothing, {}, mark) == [] and not np.any(
        [la.emerging is not None for la in nothing.layers]
    )
