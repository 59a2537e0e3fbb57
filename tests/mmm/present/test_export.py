"""Exports: RFC 7946 GeoJSON, GeoPackage in Lambert 72, CSV; each written to the audit trail."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from mmm.access.labels import set_label
from mmm.access.vocabulary import LANGUAGES
from mmm.io.imports import IncidentColumns, import_incidents, import_perimeters
from mmm.present.export import ExportOptions, export
from tests.helpers import write_csv


@pytest.fixture
def loaded(store, tmp_path, incidents_frame):
    per = gpd.GeoDataFrame(
        {"name": ["Station", "Markt"]},
        geometry=[box(171_900, 173_900, 172_150, 174_150), box(171_400, 173_400, 171_600, 173_600)],
        crs="EPSG:31370",
    )
    pyogrio.write_dataframe(per, tmp_path / "per.gpkg")
    import_perimeters(store, tmp_path / "per.gpkg")
    path = write_csv(tmp_path / "inc.csv", incidents_frame)
    cols = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
    import_incidents(store, path, crs="EPSG:31370", columns=cols)
    return store


def test_geojson_is_rfc7946_lon_lat_without_crs(loaded, tmp_path):
    result = export(loaded, "perimeters", tmp_path / "p.geojson")
    doc = json.loads(result.path.read_text())
    assert "crs" not in doc
    assert result.rows == 2
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0]
    assert 2.5 < lon < 6.5 and 49.4 < lat < 51.6  # lon first, in Belgium
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
    assert area2 > 0  # RFC 7946: exterior rings counter-clockwise


def test_gpkg_keeps_lambert72(loaded, tmp_path):
    export(loaded, "incidents", tmp_path / "i.gpkg")
    back = gpd.read_file(tmp_path / "i.gpkg")
    assert back.crs.to_epsg() == 31370
    assert sorted(back["source_id"]) == ["PV-1", "PV-2", "PV-3", "PV-4", "PV-5"]
    row = back.set_index("source_id").loc["PV-3"]
    assert (row.geometry.x, row.geometry.y) == (172_100.25, 174_040.0)


def test_counts_as_map_has_one_property_per_phenomenon(loaded, tmp_path):
    export(loaded, "counts", tmp_path / "c.geojson")
    props = {
        f["properties"]["name"]: f["properties"]
        for f in json.loads((tmp_path / "c.geojson").read_text())["features"]
    }
    assert props["Station"]["drugs"] == 3 and props["Station"]["vandalism"] == 1
    assert props["Station"]["burglary_dwelling"] == 0 and props["Station"]["total"] == 4
    assert props["Markt"]["burglary_dwelling"] == 1 and props["Markt"]["total"] == 1


def test_counts_csv_by_period_and_dates(loaded, tmp_path):
    options = ExportOptions(period="month", start=pd.Timestamp("2024-02-01").date())
    export(loaded, "counts", tmp_path / "c.csv", options=options)
    table = pd.read_csv(tmp_path / "c.csv")
    assert list(table.columns[:4]) == ["perimeter", "phenomenon", "period", "count"]
    assert table[["perimeter", "phenomenon", "period", "count"]].values.tolist() == [
        ["Markt", "burglary_dwelling", "2024-04", 1],
        ["Station", "drugs", "2024-02", 1],
        ["Station", "vandalism", "2024-03", 1],
    ]


def test_every_export_is_audited_and_bad_names_are_refused(loaded, tmp_path):
    export(loaded, "incidents", tmp_path / "i.csv")
    events = loaded.audit_events().query("action == 'export'")
    assert events["entity"].tolist() == ["incidents"]
    assert json.loads(events["detail"].iloc[0])["rows"] == 5
    with pytest.raises(ValueError, match="unsupported format"):
        export(loaded, "incidents", tmp_path / "i.xlsx")
    with pytest.raises(ValueError, match="unknown export"):
        export(loaded, "secrets", tmp_path / "i.csv")


def test_label_columns_per_language_come_after_the_columns_of_the_contract(loaded, tmp_path):
    set_label(loaded, "phenomenon", "drugs", "fr", "Stupéfiants")
    export(loaded, "counts", tmp_path / "c.csv", options=ExportOptions(period="all"))
    table = pd.read_csv(tmp_path / "c.csv")
    contract = ["perimeter", "phenomenon", "period", "count", "area_km2", "per_km2"]
    labels = [f"{c}_label_{lang}" for c in ("perimeter", "phenomenon") for lang in LANGUAGES]
    assert list(table.columns) == contract + labels
    drugs = table[table["phenomenon"] == "drugs"].iloc[0]
    assert (drugs["phenomenon_label_fr"], drugs["phenomenon_label_nl"]) == ("Stupéfiants", "drugs")
    words = {"status": {"nl": {"active": "actief"}, "fr": {"active": "actif"}}}
    export(loaded, "perimeters", tmp_path / "p.csv", words=words)
    perimeters = pd.read_csv(tmp_path / "p.csv")
    assert list(perimeters.columns[:3]) == ["id", "name", "description"]
    assert perimeters.columns[-1] == "wkt"
    row = perimeters.iloc[0]
    assert (row["status_label_nl"], row["status_label_fr"]) == ("actief", "actif")
    assert row["status_label_de"] == "active"  # no word given: the code is its own label
    assert row["name_label_de"] == row["name"]


def test_counts_as_map_carry_a_legend_of_their_keys_per_language(loaded, tmp_path):
    set_label(loaded, "phenomenon", "burglary_dwelling", "nl", "Woninginbraak")
    export(loaded, "counts", tmp_path / "c.geojson")
    props = json.loads((tmp_path / "c.geojson").read_text())["features"][0]["properties"]
    assert "burglary_dwelling: Woninginbraak" in props["phenomena_nl"]
    assert "burglary_dwelling: burglary_dwelling" in props["phenomena_fr"]
    assert {"drugs", "vandalism", "total"} <= set(props)  # the keys stay the codes
