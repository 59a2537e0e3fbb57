"""Importing a zone's streets: formats, CRSs, ids, every reject reason, replacement, atomicity."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, MultiLineString, Point, box

from mmm.errors import ImportRejected
from mmm.io import streets as st
from mmm.io import validate as v
from mmm.io.imports import import_zone, write_rejects
from mmm.store import Store
from tests.helpers import ZONE

LINES = [
    LineString([(171_100, 174_000), (172_000, 174_000)]),
    LineString([(172_000, 174_000), (172_000, 174_900)]),
    MultiLineString([[(172_000, 174_000), (172_500, 173_500)], [(172_600, 173_400), (172_700, 173_300)]]),
]  # fmt: skip


def _write(tmp_path, frame: dict, geoms: list, crs="EPSG:31370", name="streets.gpkg"):
    path = tmp_path / name
    data = gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:31370").to_crs(crs)
    pyogrio.write_dataframe(data, path, geometry_type="Unknown")
    return path


def _set_zone(store: Store, tmp_path) -> None:
    path = tmp_path / "zone.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs="EPSG:31370"), path)
    import_zone(store, path)


def test_lines_keep_their_name_and_the_files_id(store, tmp_path):
    path = _write(
        tmp_path,
        {"WS_OIDN": [17, 4, 250], "straatnaam": ["Stationsstraat", "Kerkstraat", "Molenstraat"]},
        LINES,
    )
    report = st.import_streets(store, path)
    assert (report.kind, report.read, report.imported, len(report.rejected)) == ("streets", 3, 3, 0)
    assert report.crs == "EPSG:31370" and report.batch_id is not None
    stored = store.streets().set_index("segment_id")
    assert list(stored.index) == ["17", "250", "4"]  # sorted as text; the ids as the file has them
    assert stored.loc["4", "name"] == "Kerkstraat"
    assert stored.loc["250"].geometry.equals(LINES[2]) and stored.crs.to_epsg() == 31370
    event = store.audit_events().iloc[-1]
    assert (event.action, event.entity) == ("import", "streets")
    assert json.loads(event.detail) == {
        "source": "streets.gpkg", "read": 3, "imported": 3, "rejected": 0, "replaced": 0
    }  # fmt: skip


def test_geojson_in_4326_is_reprojected_and_a_float_id_column_stays_whole(store, tmp_path):
    path = _write(
        tmp_path,
        {"name": ["A", "B", "C"], "segment_id": [1.0, 2.0, 3.0]},
        LINES,
        crs="EPSG:4326",
        name="streets.geojson",
    )
    report = st.import_streets(store, path)
    assert report.crs == "EPSG:4326" and report.imported == 3
    stored = store.streets().set_index("segment_id")
    assert list(stored.index) == ["1", "2", "3"]
    back = np.asarray(stored.geometry.get_coordinates())
    assert np.allclose(back, gpd.GeoSeries(LINES).get_coordinates(), atol=0.01)


def test_without_an_id_column_ids_come_from_the_line_and_stay_the_same(store, tmp_path):
    first = _write(tmp_path, {"naam": ["A", "B", "C"]}, LINES)
    report = st.import_streets(store, first)
    assert any("derived from its line" in note for note in report.notes)
    ids = list(store.streets()["segment_id"])
    assert all(i.startswith("seg-") and len(i) == 16 for i in ids) and len(set(ids)) == 3
    moved = [LINES[0], LINES[1], LineString([(171_100, 174_100), (172_000, 174_100)])]
    again = _write(tmp_path, {"naam": ["A", "B", "D"]}, moved, name="again.gpkg")
    st.import_streets(store, again)
    later = list(store.streets()["segment_id"])
    assert len(set(ids) & set(later)) == 2  # unchanged lines keep their ids, a new line gets one
    twice = _write(tmp_path, {"naam": ["A", "A bis"]}, [LINES[0], LINES[0]], name="twice.gpkg")
    report = st.import_streets(store, twice, dry_run=True)
    assert report.reasons() == {st.SAME_LINE_TWICE: 1}


def test_each_reject_reason_with_its_row(store, tmp_path):
    _set_zone(store, tmp_path)
    far = LineString([(190_000, 190_000), (190_100, 190_000)])
    rows = [
        (1, "Goed", LINES[0], None),
        (2, "Punt", Point(172_000, 174_000), st.NOT_A_LINE),
        (3, "Nul", LineString([(172_000, 174_000), (172_000, 174_000)]), st.ZERO_LENGTH),
        (4, "x" * 201, LINES[1], v.LONG_NAME),
        (5, "Kerk\x07straat", LINES[1], v.CONTROL_IN_NAME),
        (1, "Dubbel", LINES[2], v.DUPLICATE_ID_IN_FILE),
        (7, "Ver", far, f"{v.OUTSIDE_ZONE} (more than 1000 m)"),
        (8, "Vlak", box(172_000, 174_000, 172_100, 174_100), st.NOT_A_LINE),
        (9, "", LineString([(171_200, 173_200), (171_300, 173_200)]), None),
    ]
    path = _write(
        tmp_path,
        {"id": [r[0] for r in rows], "name": [r[1] for r in rows]},
        [r[2] for r in rows],
    )
    report = st.import_streets(store, path)
    expected = {pos + 1: r[3] for pos, r in enumerate(rows) if r[3]}
    assert dict(zip(report.rejected["row"], report.rejected["reason"], strict=True)) == expected
    assert report.imported == 2 and "1 segments have no street name (kept, unnamed)" in report.notes
    assert sorted(store.streets()["segment_id"]) == ["1", "9"]
    written = write_rejects(report, tmp_path / "rejects.csv")
    assert written is not None and len(pd.read_csv(written)) == len(expected)


def test_a_blank_id_is_rejected(store, tmp_path):
    path = _write(tmp_path, {"id": ["a", " "], "name": ["A", "B"]}, LINES[:2])
    assert st.import_streets(store, path, dry_run=True).reasons() == {v.MISSING_ID: 1}


def test_a_reimport_replaces_the_whole_set_and_says_so(store, tmp_path):
    st.import_streets(store, _write(tmp_path, {"id": [1, 2, 3], "name": list("ABC")}, LINES))
    newer = _write(tmp_path, {"id": [7, 8], "name": ["X", "Y"]}, LINES[:2], name="newer.gpkg")
    dry = st.import_streets(store, newer, dry_run=True)
    assert "would replace the 3 segments stored before" in dry.notes
    assert store.street_count() == 3
    report = st.import_streets(store, newer)
    assert "replaced the 3 segments stored before" in report.notes
    assert list(store.streets()["segment_id"]) == ["7", "8"]
    assert json.loads(store.audit_events().iloc[-1].detail)["replaced"] == 3


def test_a_failure_half_way_leaves_the_streets_as_before(store, tmp_path, monkeypatch):
    from mmm.store import streets as tables

    st.import_streets(store, _write(tmp_path, {"id": [1, 2, 3], "name": list("ABC")}, LINES))
    before = (store.streets(), store.audit_events(), store.data_version())
    real, calls = tables.insert, {"n": 0}

    def failing(table):
        calls["n"] += 1
        if calls["n"] == 2:  # the first chunk went in, the second breaks
            raise OSError("disk full (injected)")
        return real(table)

    monkeypatch.setattr(tables, "STREET_CHUNK", 1)
    monkeypatch.setattr(tables, "insert", failing)
    newer = _write(tmp_path, {"id": [7, 8], "name": ["X", "Y"]}, LINES[:2], name="newer.gpkg")
    with pytest.raises(OSError, match="injected"):
        st.import_streets(store, newer)
    assert calls["n"] == 2
    pd.testing.assert_frame_equal(store.streets(), before[0])
    pd.testing.assert_frame_equal(store.audit_events(), before[1])
    assert store.data_version() == before[2]


def test_a_file_without_one_good_line_keeps_the_stored_streets(store, tmp_path):
    st.import_streets(store, _write(tmp_path, {"id": [1, 2, 3], "name": list("ABC")}, LINES))
    bad = _write(tmp_path, {"id": [5], "name": ["P"]}, [Point(172_000, 174_000)], name="bad.gpkg")
    with pytest.raises(ImportRejected, match="not a line: 1.*stored streets were kept"):
        st.import_streets(store, bad)
    assert store.street_count() == 3


def test_missing_columns_are_named(store, tmp_path):
    path = _write(tmp_path, {"label": ["A", "B", "C"]}, LINES)
    with pytest.raises(ImportRejected, match="no street name column.*--name.*label"):
        st.import_streets(store, path)
    with pytest.raises(ImportRejected, match="no column 'nr' for the segment id"):
        st.import_streets(store, path, name="label", id="nr")
    assert st.import_streets(store, path, name="label").imported == 3


def test_streets_for_a_map_are_simplified_per_zoom_and_cut_to_the_view():
    from mmm.io.geojson import street_features

    wavy = LineString([(171_000 + 10 * i, 174_000 + (i % 2) * 0.8) for i in range(101)])
    short = LineString([(172_500, 173_500), (172_505, 173_500)])
    far = LineString([(180_000, 180_000), (180_500, 180_000)])
    streets = gpd.GeoDataFrame(
        {"segment_id": ["1", "2", "3"], "name": ["Kronkelweg", "Kort", "Ver"]},
        geometry=[wavy, short, far],
        crs="EPSG:31370",
    )
    low = street_features(streets, zoom=13)  # ~12 m a pixel: the 5 m segment is left out
    assert [f["id"] for f in low["features"]] == ["1", "3"]
    assert len(low["features"][0]["geometry"]["coordinates"]) == 2  # the 0.8 m wiggle is gone
    assert low["features"][0]["properties"] == {"name": "Kronkelweg"}
    lon, lat = low["features"][0]["geometry"]["coordinates"][0]
    assert 2 < lon < 7 and 49 < lat < 52 and lon == round(lon, 5)
    view = tuple(gpd.GeoSeries([ZONE], crs="EPSG:31370").to_crs("EPSG:4326").total_bounds)
    high = street_features(streets, zoom=18, bbox=view)
    assert [f["id"] for f in high["features"]] == ["1", "2"]  # "3" lies outside the view
    assert len(high["features"][0]["geometry"]["coordinates"]) == 101
