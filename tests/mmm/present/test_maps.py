"""Map pages: local assets only, one layer per phenomenon, popups, weight, roles, the chart."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from mmm.access.disclosure import Figure
from mmm.access.release import Release
from mmm.access.rules import EVERYTHING
from mmm.counting.cells import count_cells
from mmm.counting.count import count_incidents, covered_mask
from mmm.counting.grid import grid_counts
from mmm.counting.months import MonthRange
from mmm.demo import build_demo
from mmm.present import charts, maps
from mmm.present.overview import zone_figures

BASE = "/static/vendor"
ASSETS = maps.Assets.under(BASE)
FIRST, LAST, BEFORE = "2025-01-01", "2025-06-30", "2024-07-01"
LABELS = {
    "burglary_dwelling": "Woninginbraak", "drugs": "Drugs", "intrafamily_violence": "IFG",
    "public_nuisance": "Overlast", "street_robbery": "Straatroof", "traffic_injury": "Verkeer",
    "vandalism": "Vandalisme", "vehicle_crime": "Voertuigcriminaliteit",
}  # fmt: skip


@dataclass(frozen=True)
class Zone:
    zone: object
    perimeters: gpd.GeoDataFrame
    incidents: pd.DataFrame


def _window(incidents: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    occurred = incidents["occurred"]
    return incidents[(occurred >= first) & (occurred < pd.Timestamp(last) + pd.Timedelta(days=1))]


@pytest.fixture(scope="module")
def demo() -> Zone:
    d = build_demo()
    incidents = d.incidents.assign(occurred=pd.to_datetime(d.incidents["date"]))
    perimeters = d.perimeters.assign(id=np.arange(1, len(d.perimeters) + 1))
    return Zone(d.zone, perimeters, incidents[["phenomenon", "occurred", "x", "y"]])


def _zone_page(demo: Zone, incidents: pd.DataFrame | None = None, **options) -> str:
    incidents = demo.incidents if incidents is None else incidents
    ids = [int(i) for i in demo.perimeters["id"]]
    geometries = np.asarray(demo.perimeters.geometry.values, dtype=object)
    shown = Release(count_cells(incidents, ids, geometries, list(LABELS)), EVERYTHING)
    current = zone_figures(shown, ids, list(LABELS), MonthRange(FIRST[:7], LAST[:7]))
    previous = zone_figures(shown, ids, list(LABELS), MonthRange(BEFORE[:7], "2024-12"))
    fmap = maps.zone_map(
        zone=demo.zone,
        perimeters=demo.perimeters,
        current=current,
        previous=previous,
        grid=grid_counts(_window(incidents, FIRST, LAST), demo.zone),
        phenomena=LABELS,
        assets=ASSETS,
        **{"selected": "drugs", "perimeter_url": lambda pid: f"/perimeters/{pid}", **options},
    )
    return fmap.get_root().render()


@pytest.fixture(scope="module")
def page(demo: Zone) -> str:
    return _zone_page(demo)


def _unescaped(page: str) -> str:
    """The page with the JSON escapes of inline data undone, so links in popups are seen."""
    return page.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')


def _references(page: str) -> list[str]:
    text = _unescaped(page)
    found = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", text)
    found += re.findall(r"""url\(\s*["']?([^"')]*)""", text)
    return found


def _assert_local(page: str, allowed: tuple[str, ...] = ()) -> None:
    refs = _references(page)
    assert refs, "the page loads nothing?"
    for ref in refs:
        assert ref.startswith((BASE + "/", "/perimeters/", *allowed)), ref
    hosts = re.findall(r"(?:https?:)?//[\w.-]+", page)
    assert not [h for h in hosts if not any(h in a for a in allowed)], hosts


def _data(page: str) -> dict:
    """The data our script hands to the map (the last argument of the inline IIFE)."""
    match = re.search(r"\}\)\(map_\w+, (\{.*\})\);", page)
    assert match
    return json.loads(match.group(1))


def test_zone_map_references_only_local_assets(page: str) -> None:
    _assert_local(page)
    for url in (ASSETS.leaflet_js, ASSETS.leaflet_css):
        assert url in page
    for dropped in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert dropped not in page.lower()
    assert '"maxZoom": 19' in page


def test_tiles_url_is_the_only_other_host(demo: Zone) -> None:
    tiles = "https://tiles.police.example/wmts/{z}/{x}/{y}.png"
    backdrop = maps.Backdrop(tiles=tiles, attribution="PZ Demostad", native_zooms=(8, 16))
    page = _zone_page(demo, backdrop=backdrop)
    assert tiles in page
    _assert_local(page, allowed=(tiles, "https://tiles.police.example"))


def test_one_layer_per_phenomenon_plus_all_and_the_grid(page: str) -> None:
    control = re.search(r"base_layers : \{(.*?)\},\s*overlays :\s*\{(.*?)\}", page, re.S)
    assert control
    base = re.findall(r'"([^"]+)" : ', control.group(1))
    overlays = re.findall(r'"([^"]+)" : ', control.group(2))
    assert base == ["All phenomena", *LABELS.values()]
    assert overlays == ["Grid cells (200 m)"]
    layers = _data(page)["layers"]
    assert [layer["name"] for layer in layers] == base
    assert _data(page)["selected"] == 1 + list(LABELS).index("drugs")


def test_legend_and_choropleth_classes(page: str) -> None:
    data = _data(page)
    drugs = data["layers"][1 + list(LABELS).index("drugs")]
    counts = [
        f["properties"]["n"][1 + list(LABELS).index("drugs")]
        for f in data["perimeters"]["features"]
    ]
    assert drugs["br"][-1] == max(counts)  # the top class ends at the maximum
    assert drugs["br"] == sorted(drugs["br"]) and len(drugs["col"]) == len(drugs["br"])
    assert "Drugs: incidents per perimeter" in drugs["legend"]
    assert "Drugs: incidents per grid cell" in drugs["glegend"]
    assert "mmm-legend" in page


def test_popups_list_counts_and_change_against_previous_period(demo: Zone, page: str) -> None:
    features = {
        f["properties"]["name"]: f["properties"] for f in _data(page)["perimeters"]["features"]
    }
    assert len(features) == len(demo.perimeters)
    station = features["Stationsbuurt"]
    current = count_incidents(demo.incidents, demo.perimeters, period="all", start=FIRST, end=LAST)
    previous = count_incidents(
        demo.incidents, demo.perimeters, period="all", start=BEFORE, end="2024-12-31"
    )

    def n(table: pd.DataFrame) -> int:
        rows = table[(table.perimeter == "Stationsbuurt") & (table.phenomenon == "drugs")]
        return int(rows["count"].sum())

    now, before = n(current), n(previous)
    change = (
        f"{now - before:+d} ({100 * (now - before) / before:+.0f}\u00a0%)"
        if now != before
        else "0 (0\u00a0%)"
    )
    row = re.search(
        r"<td>Drugs</td><td class=\"num\">(\d+)</td><td class=\"num \w*\">([^<]*)<",
        station["popup"],
    )
    assert row and int(row.group(1)) == now and html.unescape(row.group(2)) == change
    assert 'href="/perimeters/1"' in station["popup"]
    assert station["n"][0] == int(current[current.perimeter == "Stationsbuurt"]["count"].sum())


def test_new_and_unchanged_in_popups() -> None:
    perimeters = gpd.GeoDataFrame(
        {"id": [7, 8], "name": ["A <b>", "B"]},
        geometry=[box(172_000, 174_000, 172_100, 174_100), box(172_200, 174_000, 172_300, 174_100)],
        crs=31370,
    )

    def row(*counts: int) -> tuple[Figure, ...]:
        return tuple(Figure("exact", n) for n in (sum(counts), *counts))

    table = [row(5, 0), row(3, 2)]
    previous = [row(0, 0), row(4, 2)]
    fmap = maps.zone_map(
        zone=box(171_900, 173_900, 172_400, 174_200),
        perimeters=perimeters,
        current=table,
        previous=previous,
        grid=gpd.GeoDataFrame({"cell": [], "total": []}, geometry=[], crs=31370),
        phenomena={"drugs": "Drugs", "theft": "Theft"},
        selected=None,
        assets=ASSETS,
        translate=lambda s: {"new": "nieuw"}.get(s, s),
    )
    page = fmap.get_root().render()
    popups = [f["properties"]["popup"] for f in _data(page)["perimeters"]["features"]]
    assert "nieuw" in popups[0] and "A &lt;b&gt;" in popups[0]
    nbsp = "\u00a0"  # Belgian typography: a non-breaking space before "%"
    assert f"-1 (-25{nbsp}%)" in popups[1] and f"0 (0{nbsp}%)" in popups[1]
    assert f"-1 (-17{nbsp}%)" in popups[1]
    assert "A <b>" not in _unescaped(page)  # names are escaped everywhere
    assert "Grid cells" in page
    with pytest.raises(ValueError, match="unknown phenomenon"):
        maps.zone_map(
            zone=box(0, 0, 1, 1), perimeters=perimeters, current=table, previous=table,
            grid=gpd.GeoDataFrame(geometry=[], crs=31370), phenomena={"drugs": "Drugs"},
            selected="theft", assets=ASSETS,
        )  # fmt: skip


def test_weight_does_not_grow_with_incidents(demo: Zone, page: str) -> None:
    tenfold = pd.concat([demo.incidents] * 10, ignore_index=True)
    heavy = _zone_page(demo, tenfold)
    assert abs(len(heavy) - len(page)) / len(page) < 0.05
    assert len(page) < 250_000


def test_presentation_mode_enlarges_text_and_labels(demo: Zone, page: str) -> None:
    shown = _zone_page(demo, presentation=True)
    assert "font-size: 13px" in page and "font-size: 20px" not in page
    assert "font-size: 20px" in shown
    assert "permanent: true" in page and "permanent: true" in shown  # names always written
    assert _data(shown)["style"]["weight"] > _data(page)["style"]["weight"]


def test_perimeter_map_with_and_without_incidents(demo: Zone) -> None:
    row = demo.perimeters.iloc[0]
    months = _window(demo.incidents, FIRST, LAST)
    inside = months[covered_mask(months.x.to_numpy(), months.y.to_numpy(), row.geometry)]
    inside = pd.concat([inside, inside.head(1).assign(occurred=pd.NaT)])  # one undated
    shown = (
        maps.perimeter_map(
            perimeter=row, zone=demo.zone, incidents=inside, phenomena=LABELS, assets=ASSETS
        )
        .get_root()
        .render()
    )
    _assert_local(shown)
    assert "markerClusterGroup" in shown and ASSETS.markercluster_js in shown
    points = json.loads(re.search(r"\}\)\((\{\"lat\".*\})\);", shown).group(1))
    assert len(points["lat"]) == len(points["lon"]) == len(points["k"]) == len(inside)
    assert points["t"][-1] is None and all(isinstance(t, int) for t in points["t"][:-1])
    assert len(shown) < 40 * len(inside) + 30_000  # columnar points, tens of bytes each

    hidden = maps.perimeter_map(
        perimeter=(row["name"], row.geometry), zone=demo.zone, incidents=None,
        phenomena=LABELS, assets=ASSETS,
    ).get_root().render()  # fmt: skip
    _assert_local(hidden)
    assert "markerClusterGroup" not in hidden and "markercluster" not in hidden
    assert '"lat"' not in hidden and "circleMarker" not in hidden
    assert len(hidden) < 40_000  # Leaflet's setup and the backdrop's script (≈ 15 kB)


def test_timeseries_spec_is_local_and_complete(demo: Zone) -> None:
    months = _window(demo.incidents, FIRST, LAST)
    wide = pd.crosstab(months["phenomenon"], months["occurred"].dt.strftime("%Y-%m"))
    spec = charts.timeseries_spec(wide, LABELS, translate=str.upper)
    text = json.dumps(spec)
    assert "$schema" not in spec and "http" not in text
    (line,) = spec["layer"]  # nothing hidden: no marker layer
    assert sum(v["count"] for v in line["data"]["values"]) == len(months)
    assert spec["usermeta"]["embedOptions"]["actions"]["editor"] is False
    assert line["encoding"]["x"]["title"] == "MONTH"
    long = count_incidents(months, demo.perimeters, period="month")
    from_long = charts.timeseries_spec(long, LABELS)
    assert sum(v["count"] for v in from_long["layer"][0]["data"]["values"]) == long["count"].sum()


def test_a_hidden_month_is_a_gap_with_a_marker_in_the_legend() -> None:
    numbers = pd.DataFrame(
        {"2024-10": [18.0, 3.0], "2024-11": [7.0, 12.0], "2024-12": [np.nan, 9.0]},
        index=["drugs", "vandalism"],
    )
    shown = (
        numbers.astype(object)
        .where(numbers.notna(), "<5")
        .map(lambda v: v if isinstance(v, str) else str(int(v)))
    )
    spec = charts.timeseries_spec(numbers, {"drugs": "Drugs", "vandalism": "Vandalism"},
                                  shown=shown)  # fmt: skip
    line, marks = spec["layer"]
    values = {(v["phenomenon"], v["month"]): v["count"] for v in line["data"]["values"]}
    assert values[("Drugs", "2024-12")] is None  # the line breaks there, it does not skip it
    assert line["mark"]["invalid"] == "break-paths-filter-domains"
    assert marks["data"]["values"] == [
        {"month": "2024-12", "phenomenon": "Drugs", "shown": "<5",
         "hidden": "not shown (small numbers)"}
    ]  # fmt: skip
    triangles, texts = marks["layer"]
    assert triangles["encoding"]["shape"]["legend"] is not None  # explained in the legend
    assert texts["mark"]["type"] == "text"  # "<5" written at the month, not only a tooltip
    assert texts["encoding"]["text"]["field"] == "shown"


def _vendor_module():
    path = Path(__file__).resolve().parents[3] / "tools" / "vendor.py"
    spec = importlib.util.spec_from_file_location("vendor", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_asset_url_is_a_file_tools_vendor_copies() -> None:
    vendor = _vendor_module()
    copied = {
        f"{BASE}/{package}/{dest}" for package, files in vendor.FILES.items() for _, dest in files
    }
    for url in ASSETS.urls:
        assert url in copied, url
    package = json.loads((Path(vendor.ROOT) / "package.json").read_text())
    assert set(vendor.FILES) == set(package["dependencies"])
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in package["dependencies"].values())


def test_importing_maps_leaves_flask_out() -> None:
    code = "import sys, mmm.present.maps, mmm.counting.grid; sys.exit(1 if 'flask' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_names_are_never_evaluated_as_templates() -> None:
    """branca renders scripts as Jinja templates: a name with "{{ }}" must stay text."""
    zone = box(0, 0, 1000, 1000)
    perimeters = gpd.GeoDataFrame(
        {"id": [1], "name": ["X{{ 7*7 }}Y"]}, geometry=[box(100, 100, 400, 400)], crs=31370
    )
    empty = [(Figure("exact", 0), Figure("exact", 0))]
    grid = gpd.GeoDataFrame({"cell": []}, geometry=[], crs=31370)
    fmap = maps.zone_map(
        zone=zone, perimeters=perimeters, current=empty, previous=empty, grid=grid,
        phenomena={"drugs": "A{{ 6*7 }}B"}, selected=None, assets=ASSETS,
    )  # fmt: skip
    page = fmap.get_root().render()
    assert "X49Y" not in page and "A42B" not in page
