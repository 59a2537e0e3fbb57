"""Importing incidents, perimeters and the zone: formats, CRSs, every reject reason, atomicity."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

from mmm.errors import CRSMissing, ImportRejected
from mmm.io import validate as v
from mmm.io.imports import IncidentColumns, import_incidents, import_perimeters, import_zone
from mmm.store import Store, incidents
from tests.helpers import ZONE, write_csv

COLS = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")


def _as_points(frame: pd.DataFrame, crs: str = "EPSG:31370") -> gpd.GeoDataFrame:
    src = gpd.GeoDataFrame(
        frame.drop(columns=["x", "y"]),
        geometry=gpd.points_from_xy(frame["x"], frame["y"]),
        crs="EPSG:31370",
    )
    return src.to_crs(crs)


def _stored_xy(store: Store) -> pd.DataFrame:
    return store.incidents().set_index("source_id").sort_index()[["x", "y"]]


# --------------------------------------------------------------------------- formats
def test_csv_with_xy_columns(store, tmp_path, incidents_frame):
    path = write_csv(tmp_path / "inc.csv", incidents_frame)
    report = import_incidents(store, path, crs="EPSG:31370", columns=COLS)
    assert (report.read, report.imported, len(report.rejected), report.undated) == (5, 5, 0, 1)
    stored = store.incidents().set_index("source_id")
    assert stored.loc["PV-3", "x"] == pytest.approx(172_100.25)
    assert stored.loc["PV-1", "occurred"] == pd.Timestamp("2024-01-15 10:00")
    assert pd.isna(stored.loc["PV-5", "occurred"])
    assert sorted(store.phenomena()["code"]) == ["burglary_dwelling", "drugs", "vandalism"]


def test_csv_columns_found_by_usual_names_semicolon_and_decimal_comma(store, tmp_path):
    text = "PV;X;Y;Fenomeen;Datum\nA;172000,5;174000,25;drugs;15/01/2024\n"
    path = tmp_path / "excel.csv"
    path.write_text(text, encoding="utf-8")
    report = import_incidents(store, path, crs="31370")
    assert report.imported == 1
    row = store.incidents().iloc[0]
    assert (row.source_id, row.phenomenon, row.x, row.y) == ("A", "drugs", 172000.5, 174000.25)
    assert row.occurred == pd.Timestamp("2024-01-15")


def test_csv_with_wkt_column(store, tmp_path, incidents_frame):
    frame = incidents_frame.assign(
        wkt=[f"POINT ({x} {y})" for x, y in zip(incidents_frame.x, incidents_frame.y, strict=True)]
    ).drop(columns=["x", "y"])
    path = write_csv(tmp_path / "wkt.csv", frame)
    report = import_incidents(store, path, crs="EPSG:31370")
    assert report.imported == 5
    assert _stored_xy(store).loc["PV-2"].tolist() == [172_050.5, 174_020.0]


@pytest.mark.parametrize(
    "suffix,driver", [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile"), (".geojson", "GeoJSON")]
)
def test_geo_formats_read_their_own_crs(store, tmp_path, incidents_frame, suffix, driver):
    path = tmp_path / f"inc{suffix}"
    pyogrio.write_dataframe(_as_points(incidents_frame, "EPSG:3812"), path, driver=driver)
    report = import_incidents(store, path)
    assert report.imported == 5
    assert report.crs == "EPSG:3812"
    expected = incidents_frame.set_index("id").sort_index()[["x", "y"]]
    np.testing.assert_allclose(_stored_xy(store).to_numpy(), expected.to_numpy(), atol=0.01)


def test_zipped_shapefile(store, tmp_path, incidents_frame):
    shp = tmp_path / "shp" / "inc.shp"
    shp.parent.mkdir()
    pyogrio.write_dataframe(_as_points(incidents_frame), shp)
    archive = tmp_path / "inc.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.parent.iterdir():
            zf.write(part, part.name)
    assert import_incidents(store, archive).imported == 5


def test_geojson_with_legacy_crs_member(store, tmp_path):
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "G1", "phenomenon": "drugs", "date": "2024-05-01"},
                "geometry": {"type": "Point", "coordinates": [172000.0, 174000.0]},
            }
        ],
    }
    path = tmp_path / "legacy.geojson"
    path.write_text(json.dumps(doc))
    report = import_incidents(store, path)
    assert report.crs == "EPSG:31370"
    assert _stored_xy(store).loc["G1"].tolist() == [172000.0, 174000.0]


def test_gpkg_with_several_layers_needs_layer(store, tmp_path, incidents_frame):
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(_as_points(incidents_frame), path, layer="a")
    pyogrio.write_dataframe(_as_points(incidents_frame), path, layer="b", append=True)
    with pytest.raises(ImportRejected, match="2 layers"):
        import_incidents(store, path)
    with pytest.raises(ImportRejected, match="no layer 'c'"):
        import_incidents(store, path, layer="c")
    assert import_incidents(store, path, layer="b").imported == 5


# --------------------------------------------------------------------------- CRS
def test_inputs_in_31370_3812_4326_agree_within_a_centimetre(tmp_path, incidents_frame):
    from mmm.store import open_store

    results = {}
    for epsg in (31370, 3812, 4326):
        t = Transformer.from_crs(31370, epsg, always_xy=True)
        x, y = t.transform(incidents_frame.x.to_numpy(), incidents_frame.y.to_numpy())
        path = write_csv(tmp_path / f"in{epsg}.csv", incidents_frame.assign(x=x, y=y))
        s = open_store(f"sqlite:///{tmp_path / f'{epsg}.sqlite'}")
        import_incidents(s, path, crs=f"EPSG:{epsg}", columns=COLS)
        results[epsg] = _stored_xy(s).to_numpy()
        s.close()
    np.testing.assert_allclose(results[3812], results[31370], atol=0.01, rtol=0)
    np.testing.assert_allclose(results[4326], results[31370], atol=0.01, rtol=0)


@pytest.mark.parametrize(
    "epsg,expected", [(31370, "EPSG:31370"), (3812, "EPSG:3812"), (4326, "EPSG:4326")]
)
def test_csv_without_crs_is_refused_with_a_suggestion(
    store, tmp_path, incidents_frame, epsg, expected
):
    t = Transformer.from_crs(31370, epsg, always_xy=True)
    x, y = t.transform(incidents_frame.x.to_numpy(), incidents_frame.y.to_numpy())
    path = write_csv(tmp_path / "nocrs.csv", incidents_frame.assign(x=x, y=y))
    with pytest.raises(CRSMissing, match="pass --crs") as err:
        import_incidents(store, path)
    assert expected in str(err.value)
    assert store.totals()["incidents"] == 0


def test_crs_that_contradicts_the_file_is_refused(store, tmp_path, incidents_frame):
    path = tmp_path / "inc.gpkg"
    pyogrio.write_dataframe(_as_points(incidents_frame, "EPSG:4326"), path)
    with pytest.raises(ImportRejected, match="contradicts"):
        import_incidents(store, path, crs="EPSG:31370")


def test_unknown_crs_is_a_clear_error(store, tmp_path, incidents_frame):
    path = write_csv(tmp_path / "inc.csv", incidents_frame)
    with pytest.raises(ImportRejected, match="unknown CRS"):
        import_incidents(store, path, crs="EPSG:999999")


# --------------------------------------------------------------------------- reject reasons
def _import_rows(store, tmp_path, rows, **kwargs):
    frame = pd.DataFrame(rows, columns=["id", "phenomenon", "date", "x", "y"])
    path = write_csv(tmp_path / "rows.csv", frame)
    return import_incidents(store, path, crs="EPSG:31370", columns=COLS, **kwargs)


GOOD = ["OK", "drugs", "2024-01-01", "172000", "174000"]


@pytest.mark.parametrize(
    "row,reason",
    [
        (["R", "drugs", "2024-01-01", "", "174000"], v.MISSING_COORDINATES),
        (["R", "drugs", "2024-01-01", "abc", "174000"], v.NON_NUMERIC_COORDINATES),
        (["R", "drugs", "2024-01-01", "172000", "1.7e"], v.NON_NUMERIC_COORDINATES),
        (["R", "", "2024-01-01", "172000", "174000"], v.MISSING_PHENOMENON),
        (["R", "drugs", "2024-13-45", "172000", "174000"], v.UNPARSEABLE_DATE),
        (["R", "drugs", "gisteren", "172000", "174000"], v.UNPARSEABLE_DATE),
        (["", "drugs", "2024-01-01", "172000", "174000"], v.MISSING_ID),
        (["OK", "drugs", "2024-02-01", "172001", "174001"], v.DUPLICATE_ID_IN_FILE),
    ],
)
def test_each_reject_reason(store, tmp_path, row, reason):
    report = _import_rows(store, tmp_path, [GOOD, row])
    assert report.imported == 1
    assert report.rejected[["row", "reason"]].values.tolist() == [[2, reason]]
    assert report.rejected["id"].tolist() == [row[0]]  # the row as read, to fix and reload


def test_empty_geometry_and_non_point_are_rejected(store, tmp_path):
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "phenomenon": ["drugs"] * 3, "date": ["2024-01-01"] * 3},
        geometry=[Point(172000, 174000), None, LineString([(172000, 174000), (172010, 174010)])],
        crs="EPSG:31370",
    )
    path = tmp_path / "geoms.gpkg"
    pyogrio.write_dataframe(frame, path, geometry_type="Unknown")
    report = import_incidents(store, path)
    assert report.imported == 1
    assert report.reasons() == {v.EMPTY_GEOMETRY: 1, v.NOT_A_POINT: 1}


def test_duplicate_id_already_stored_and_reimport_adds_nothing(store, tmp_path, incidents_frame):
    path = write_csv(tmp_path / "inc.csv", incidents_frame)
    import_incidents(store, path, crs="EPSG:31370", columns=COLS)
    before = store.totals()
    again = import_incidents(store, path, crs="EPSG:31370", columns=COLS)
    assert again.imported == 0
    assert again.reasons() == {v.DUPLICATE_ID_STORED: 5}
    assert store.totals()["incidents"] == before["incidents"]


def test_without_id_column_reimport_is_still_idempotent(store, tmp_path, incidents_frame):
    path = write_csv(tmp_path / "noid.csv", incidents_frame.drop(columns=["id"]))
    first = import_incidents(store, path, crs="EPSG:31370")
    assert first.imported == 5
    assert any("no id column" in note for note in first.notes)
    assert import_incidents(store, path, crs="EPSG:31370").imported == 0
    assert store.totals()["incidents"] == 5


def test_outside_zone_is_rejected_unless_kept(store, tmp_path):
    _set_zone(store, tmp_path)
    rows = [
        GOOD,
        ["NEAR", "drugs", "2024-01-01", str(173_000 + 900), "174000"],  # 900 m outside: kept
        ["FAR", "drugs", "2024-01-01", str(173_000 + 1500), "174000"],  # 1.5 km outside
    ]
    dry = _import_rows(store, tmp_path, rows, dry_run=True)
    assert dry.rejected["id"].tolist() == ["FAR"]
    assert dry.rejected["reason"].iloc[0].startswith(v.OUTSIDE_ZONE)
    assert store.totals()["incidents"] == 0  # a dry run stores nothing
    tight = _import_rows(store, tmp_path, rows, dry_run=True, max_distance_m=500)
    assert tight.rejected["id"].tolist() == ["NEAR", "FAR"]
    kept = _import_rows(store, tmp_path, rows, keep_outside=True)
    assert kept.imported == 3
    assert any("kept" in note for note in kept.notes)


def test_without_zone_the_summary_says_the_zone_is_the_hull(store, tmp_path):
    report = _import_rows(store, tmp_path, [GOOD])
    assert any("convex hull" in note for note in report.notes)
    zone = store.zone()
    assert zone is not None and zone.derived


# --------------------------------------------------------------------------- atomicity
def test_a_failure_half_way_leaves_the_store_as_before(store, tmp_path, monkeypatch):
    n = 2 * incidents.INSERT_CHUNK + 10
    frame = pd.DataFrame(
        {
            "id": [f"PV-{i}" for i in range(n)],
            "phenomenon": "drugs",
            "date": "2024-01-01",
            "x": np.linspace(171_100, 172_900, n),
            "y": 174_000.0,
        }
    )
    path = write_csv(tmp_path / "big.csv", frame)
    import_incidents(
        store,
        write_csv(tmp_path / "one.csv", frame.head(1).assign(id="X")),
        crs="31370",
        columns=COLS,
    )
    before = (store.totals(), store.incidents())
    calls = {"n": 0}
    real = type(store)._insert_rows

    def failing(self, conn, table, names, rows):
        calls["n"] += 1
        if calls["n"] == 2:  # the first chunk went in, the second breaks
            raise OSError("disk full (injected)")
        return real(self, conn, table, names, rows)

    monkeypatch.setattr(type(store), "_insert_rows", failing)
    with pytest.raises(OSError, match="injected"):
        import_incidents(store, path, crs="31370", columns=COLS)
    assert calls["n"] == 2
    assert store.totals() == before[0]
    pd.testing.assert_frame_equal(store.incidents(), before[1])
    monkeypatch.undo()
    assert import_incidents(store, path, crs="31370", columns=COLS).imported == n


# --------------------------------------------------------------------------- perimeters and zone
def _set_zone(store, tmp_path):
    path = tmp_path / "zone.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs="EPSG:31370"), path)
    return import_zone(store, path)


def _perimeter_file(tmp_path, names, geoms, crs="EPSG:31370", name="per.gpkg"):
    path = tmp_path / name
    frame = gpd.GeoDataFrame({"naam": names}, geometry=geoms, crs=crs)
    pyogrio.write_dataframe(frame, path, geometry_type="Unknown")
    return path


def test_perimeters_names_repairs_overlaps_and_rejects(store, tmp_path):
    bowtie = Polygon([(172000, 174000), (172300, 174300), (172300, 174000), (172000, 174300)])
    path = _perimeter_file(
        tmp_path,
        ["Station", "Markt", "Bowtie", "Station", "", "Lijn", "Leeg"],
        [
            box(171_900, 173_900, 172_150, 174_150),
            box(172_100, 173_900, 172_400, 174_150),  # overlaps Station by 50 m
            bowtie,
            box(0, 0, 1, 1),
            box(0, 0, 1, 1),
            LineString([(172000, 174000), (172300, 174300)]),
            None,
        ],
    )
    report = import_perimeters(store, path)
    assert report.imported == 3
    assert report.reasons() == {
        v.DUPLICATE_NAME_IN_FILE: 1,
        v.MISSING_NAME: 1,
        v.NOT_A_POLYGON: 1,
        v.EMPTY_GEOMETRY: 1,
    }
    assert any("repaired" in n and "Bowtie" in n for n in report.notes)
    assert any("overlap" in n and "Station" in n and "Markt" in n for n in report.notes)
    stored = store.perimeters().set_index("name")
    assert stored.loc["Bowtie"].geometry.is_valid
    assert stored.loc["Bowtie"].geometry.area == pytest.approx(2 * 0.5 * 300 * 150)
    again = import_perimeters(store, path)
    assert again.imported == 0 and again.reasons()[v.DUPLICATE_NAME_STORED] == 3


def test_perimeters_are_reprojected(store, tmp_path):
    square = box(172_000, 174_000, 172_100, 174_100)
    path = _perimeter_file(
        tmp_path,
        ["Sq"],
        gpd.GeoSeries([square], crs=31370).to_crs(4326),
        crs="EPSG:4326",
        name="p.geojson",
    )
    import_perimeters(store, path)
    stored = store.perimeters().geometry.iloc[0]
    assert stored.area == pytest.approx(10_000, rel=1e-4)
    np.testing.assert_allclose(stored.bounds, square.bounds, atol=0.01)


def test_zone_dissolves_features_and_replaces_the_previous(store, tmp_path):
    path = tmp_path / "zone2.gpkg"
    parts = [box(171_000, 173_000, 172_000, 175_000), box(172_000, 173_000, 173_000, 175_000)]
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=parts, crs="EPSG:31370"), path)
    _set_zone(store, tmp_path)
    report = import_zone(store, path)
    assert any("dissolved" in n for n in report.notes)
    zone = store.zone()
    assert not zone.derived and zone.geometry.area == pytest.approx(ZONE.area)
    assert len(store.audit_events().query("entity == 'zone'")) == 2


def test_missing_file_and_unreadable_file(store, tmp_path):
    with pytest.raises(ImportRejected, match="no such file"):
        import_incidents(store, tmp_path / "nope.csv")
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not a geopackage")
    with pytest.raises(ImportRejected, match="cannot read"):
        import_incidents(store, bad)


def test_missing_columns_are_named(store, tmp_path, incidents_frame):
    path = write_csv(tmp_path / "inc.csv", incidents_frame.drop(columns=["phenomenon"]))
    with pytest.raises(ImportRejected, match="--phenomenon"):
        import_incidents(store, path, crs="31370")
    full = write_csv(tmp_path / "full.csv", incidents_frame)
    with pytest.raises(ImportRejected, match="no column 'nope'"):
        import_incidents(store, full, crs="31370", columns=IncidentColumns(date="nope"))
