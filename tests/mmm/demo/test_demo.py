"""The demo zone: deterministic, realistic enough to tour, and loadable through every import path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from mmm.counting.segments import count_segments
from mmm.demo import PHENOMENA, ZONE_NAME, Demo, build_demo, load_demo, write_demo_files
from mmm.io.files import read_source
from mmm.io.imports import IncidentColumns, import_incidents, import_perimeters, import_zone
from mmm.io.streets import import_streets
from mmm.store import Store


@pytest.fixture(scope="module")
def demo() -> Demo:
    return build_demo()


# ``store`` is the shared fixture of tests/conftest.py: an empty SQLite store in tmp_path.


def test_same_seed_same_demo_other_seed_differs(demo: Demo) -> None:
    again = build_demo()
    pd.testing.assert_frame_equal(demo.incidents, again.incidents)
    pd.testing.assert_frame_equal(demo.perimeters, again.perimeters)
    pd.testing.assert_frame_equal(demo.streets, again.streets)
    assert demo.zone.equals_exact(again.zone, tolerance=0)
    other = build_demo(seed=7)
    assert len(other.incidents) != len(demo.incidents) or not other.incidents.equals(demo.incidents)
    assert not np.array_equal(other.incidents["x"].to_numpy()[:100], demo.incidents["x"][:100])


def test_size_codes_dates_and_ids(demo: Demo) -> None:
    inc = demo.incidents
    assert list(inc.columns) == ["id", "phenomenon", "date", "x", "y"]
    assert 58_000 <= len(inc) <= 62_000
    assert set(inc["phenomenon"]) == set(PHENOMENA) and len(PHENOMENA) == 8
    assert inc["id"].is_unique and inc["id"].str.fullmatch(r"PV-202[345]-\d{6}").all()
    assert inc["date"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d").all()
    dates = pd.to_datetime(inc["date"], format="%Y-%m-%d %H:%M")
    assert dates.min() >= pd.Timestamp("2023-01-01") and dates.max() < pd.Timestamp("2026-01-01")
    assert set(dates.dt.year) == {2023, 2024, 2025}
    counts = inc["phenomenon"].value_counts()
    assert counts["traffic_injury"] > 3 * counts["street_robbery"]
    assert counts["vandalism"] > counts["street_robbery"] < counts["vehicle_crime"]


def test_zone_perimeters_and_incidents_inside(demo: Demo) -> None:
    zone = demo.zone
    assert zone.is_valid and zone.geom_type == "Polygon"
    assert len(zone.exterior.coords) > 10  # not a rectangle
    x0, y0, x1, y1 = zone.bounds
    assert 7_000 <= x1 - x0 <= 9_000 and 5_000 <= y1 - y0 <= 7_000
    per = demo.perimeters
    assert per.crs.to_epsg() == 31370
    assert list(per.columns) == ["name", "description", "geometry"]
    assert 8 <= len(per) <= 12 and per["name"].is_unique
    assert (per["description"].str.len() > 10).all()
    assert per.is_valid.all() and per.within(zone).all()
    assert (shapely.get_num_coordinates(per.geometry.values) > 5).sum() >= len(per) // 2
    inc = demo.incidents
    assert shapely.contains_xy(zone, inc["x"].to_numpy(), inc["y"].to_numpy()).all()


def test_hotspots_are_real_and_seasons_show(demo: Demo) -> None:
    inc = demo.incidents
    x, y = inc["x"].to_numpy(), inc["y"].to_numpy()
    zone_km2 = demo.zone.area / 1e6
    average = inc["phenomenon"].value_counts() / zone_km2
    multi_hot = 0
    for geom in demo.perimeters.geometry:
        inside = inc.loc[shapely.contains_xy(geom, x, y), "phenomenon"].value_counts()
        ratio = (inside / (geom.area / 1e6)) / average
        multi_hot += int((ratio >= 3).sum() >= 2)
    assert multi_hot >= 3

    month = pd.to_datetime(inc["date"], format="%Y-%m-%d %H:%M").dt.month
    burglary = month[inc["phenomenon"] == "burglary_dwelling"]
    assert burglary.isin([12, 1]).sum() > 1.5 * burglary.isin([6, 7]).sum()
    nuisance = month[inc["phenomenon"] == "public_nuisance"]
    assert nuisance.isin([6, 7]).sum() > 1.5 * nuisance.isin([12, 1]).sum()


def test_the_town_has_named_streets_inside_the_zone(demo: Demo) -> None:
    streets = demo.streets
    assert list(streets.columns) == ["segment_id", "name", "geometry"]
    assert 1_500 <= len(streets) <= 3_000 and streets["segment_id"].is_unique
    assert streets.crs.to_epsg() == 31370
    assert set(streets.geom_type) <= {"LineString", "MultiLineString"}
    assert streets.within(demo.zone.buffer(0.01)).all() and (streets.length >= 8).all()
    names = set(streets["name"])
    assert {"Stationsstraat", "Kerkstraat", "Molenstraat", "Markt", "Hoogstraat"} <= names
    assert len(names) >= 100 and all(name.strip() == name != "" for name in names)
    assert 80 <= streets.length.median() <= 200  # block faces of a town


def test_incidents_lie_along_the_streets(demo: Demo) -> None:
    inc = demo.incidents
    lines = demo.streets.geometry.values
    tree = shapely.STRtree(lines)
    points = shapely.points(inc["x"].to_numpy(), inc["y"].to_numpy())
    _, distance = tree.query_nearest(points, return_distance=True, all_matches=False)
    by = pd.Series(distance, index=inc.index).groupby(inc["phenomenon"])
    near = by.apply(lambda d: ((d >= 5.9) & (d <= 14.1)).mean())
    assert near["burglary_dwelling"] > 0.7  # house fronts, 6–14 m beside the street
    on_street = by.apply(lambda d: (d <= 3.01).mean())
    assert on_street["traffic_injury"] > 0.8
    square = shapely.box(*(np.array([200, 20, 500, 300]) + np.tile([172_000, 174_000], 2)))
    nuisance = inc[inc["phenomenon"] == "public_nuisance"]
    around = shapely.contains_xy(square, nuisance["x"].to_numpy(), nuisance["y"].to_numpy())
    assert around.sum() > 500  # the market square's terraces


def test_the_segment_counts_find_concentration(demo: Demo) -> None:
    result = count_segments(demo.incidents, demo.streets, demo.perimeters)
    zone = result.concentration.set_index("phenomenon").query("scope == 'zone'")
    assert (zone["pct_segments_50"] < 15).all() and (zone["pct_segments_50"] > 1).all()
    assert zone.loc["street_robbery", "pct_segments_50"] < 6  # Weisburd: 2.1–6.0 %
    assert (zone["not_on_street"] < 0.3 * zone["incidents"]).all()
    assert set(result.concentration["scope"]) == {"zone", *demo.perimeters["name"]}


def test_load_demo_into_empty_store_then_again(demo: Demo, store: Store) -> None:
    first = load_demo(store)
    assert len(first.incidents.rejected) == 0 and len(first.perimeters.rejected) == 0
    assert first.incidents.imported == len(demo.incidents)
    assert first.perimeters.imported == len(demo.perimeters)
    zone = store.stored_zone()
    assert zone is not None and zone.name == ZONE_NAME
    totals = store.totals()
    assert totals["incidents"] == len(demo.incidents)
    assert totals["perimeters"] == len(demo.perimeters)
    assert set(store.phenomena()["code"]) == set(PHENOMENA)
    assert first.streets.imported == len(demo.streets) == store.street_count()
    june = store.incidents(start=date(2024, 6, 1), end=date(2024, 6, 30))
    expected = demo.incidents[demo.incidents["date"].str.startswith("2024-06")]
    assert sorted(june["source_id"]) == sorted(expected["id"])
    assert (june["occurred"].dt.strftime("%Y-%m-%d %H:%M") == expected["date"].to_numpy()).all()

    second = load_demo(store)
    assert second.incidents.imported == 0 and second.perimeters.imported == 0
    assert second.incidents.reasons() == {"duplicate id already stored": len(demo.incidents)}
    assert second.perimeters.reasons() == {"name already stored": len(demo.perimeters)}
    assert second.streets.imported == store.street_count() == len(demo.streets)  # replaced
    assert store.totals()["incidents"] == len(demo.incidents)


def test_written_files_read_back_and_import(demo: Demo, store: Store, tmp_path: Path) -> None:
    paths = write_demo_files(tmp_path / "demo")
    assert {p.name for p in paths.values()} == {
        "incidents.csv", "perimeters.gpkg", "streets.gpkg", "zone.geojson"
    }  # fmt: skip
    incidents = read_source(paths["incidents"])
    assert incidents.is_table and len(incidents) == len(demo.incidents)
    assert list(incidents.frame.columns) == ["id", "phenomenon", "date", "x", "y"]
    perimeters = read_source(paths["perimeters"], layer="perimeters")
    assert len(perimeters) == len(demo.perimeters)
    assert perimeters.crs is not None and perimeters.crs.to_epsg() == 31370
    zone = read_source(paths["zone"])
    assert len(zone) == 1 and zone.crs is not None and zone.crs.to_epsg() == 4326

    assert len(import_zone(store, paths["zone"]).rejected) == 0
    assert len(import_perimeters(store, paths["perimeters"]).rejected) == 0
    streets = import_streets(store, paths["streets"])
    assert len(streets.rejected) == 0 and streets.imported == len(demo.streets)
    assert list(store.streets()["segment_id"]) == sorted(demo.streets["segment_id"].astype(str))
    report = import_incidents(
        store, paths["incidents"], crs="EPSG:31370", columns=IncidentColumns(id="id"), dry_run=True
    )
    assert len(report.rejected) == 0 and report.imported == len(demo.incidents)
    assert report.undated == 0 and not any("outside" in note for note in report.notes)
