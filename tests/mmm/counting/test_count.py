"""Counting per perimeter × phenomenon × period: boundaries, overlaps, periods, reference."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from mmm.counting.count import COLUMNS, count_incidents, covered_counts, period_labels


def _incidents(rows):
    frame = pd.DataFrame(rows, columns=["phenomenon", "occurred", "x", "y"])
    frame["occurred"] = pd.to_datetime(frame["occurred"], format="ISO8601")
    return frame


def _perimeters(named):
    return gpd.GeoDataFrame({"name": list(named)}, geometry=list(named.values()), crs="EPSG:31370")


def _counts(table):
    return {(r.perimeter, r.phenomenon, r.period): r.count for r in table.itertuples(index=False)}


def test_boundary_and_vertex_count_and_outside_does_not():
    square = box(0, 0, 100, 100)
    inc = _incidents(
        [
            ("drugs", "2024-01-05", 50, 50),  # inside
            ("drugs", "2024-01-06", 100, 50),  # on an edge
            ("drugs", "2024-01-07", 0, 0),  # on a vertex
            ("drugs", "2024-01-08", 100.001, 50),  # just outside
        ]
    )
    table = count_incidents(inc, _perimeters({"Sq": square}), period="all")
    assert _counts(table) == {("Sq", "drugs", "all"): 3}


def test_overlapping_perimeters_both_count_and_holes_do_not():
    ring = Polygon(
        [(0, 0), (100, 0), (100, 100), (0, 100)], [[(40, 40), (60, 40), (60, 60), (40, 60)]]
    )
    inc = _incidents(
        [
            ("drugs", "2024-01-05", 90, 50),  # in A and in B
            ("drugs", "2024-01-05", 50, 50),  # in A's hole, in B
            ("vandalism", "2024-01-05", 10, 10),  # only in A
        ]
    )
    table = count_incidents(inc, _perimeters({"A": ring, "B": box(45, 0, 200, 100)}), period="all")
    assert _counts(table) == {
        ("A", "drugs", "all"): 1,
        ("A", "vandalism", "all"): 1,
        ("B", "drugs", "all"): 2,
    }


def test_period_labels():
    dates = pd.to_datetime(
        pd.Series(["2024-03-31 23:59", "2024-04-01", None, "2023-12-01"]), format="ISO8601"
    )
    assert list(period_labels(dates, "month")) == ["2024-03", "2024-04", None, "2023-12"]
    assert list(period_labels(dates, "quarter")) == ["2024-Q1", "2024-Q2", None, "2023-Q4"]
    assert list(period_labels(dates, "year")) == ["2024", "2024", None, "2023"]
    assert list(period_labels(dates, "all")) == ["all"] * 4
    with pytest.raises(ValueError, match="unknown period"):
        period_labels(dates, "week")  # type: ignore[arg-type]


def test_undated_only_with_all_and_from_to_inclusive():
    sq = _perimeters({"Sq": box(0, 0, 10, 10)})
    inc = _incidents(
        [
            ("drugs", "2024-01-01 00:00", 5, 5),
            ("drugs", "2024-01-31 23:59", 5, 5),
            ("drugs", "2024-02-01 00:00", 5, 5),
            ("drugs", None, 5, 5),
        ]
    )
    assert _counts(count_incidents(inc, sq, period="month")) == {
        ("Sq", "drugs", "2024-01"): 2,
        ("Sq", "drugs", "2024-02"): 1,
    }
    assert _counts(count_incidents(inc, sq, period="all")) == {("Sq", "drugs", "all"): 4}
    jan = count_incidents(inc, sq, period="all", start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert _counts(jan) == {("Sq", "drugs", "all"): 2}


def test_columns_density_and_zero_rows_left_out():
    per = _perimeters({"Big": box(0, 0, 1000, 1000), "Empty": box(5000, 5000, 5100, 5100)})
    inc = _incidents([("drugs", "2024-05-01", 10, 10)] * 3)
    table = count_incidents(inc, per, period="year")
    assert list(table.columns) == COLUMNS
    assert table.to_dict("records") == [
        {
            "perimeter": "Big",
            "phenomenon": "drugs",
            "period": "2024",
            "count": 3,
            "area_km2": 1.0,
            "per_km2": 3.0,
        }
    ]


def test_no_incidents_gives_an_empty_table():
    table = count_incidents(_incidents([]), _perimeters({"Sq": box(0, 0, 1, 1)}), period="month")
    assert list(table.columns) == COLUMNS and table.empty


def test_matches_geopandas_sjoin_on_random_data():
    rng = np.random.default_rng(7)
    n = 20_000
    x, y = rng.uniform(0, 5000, n), rng.uniform(0, 5000, n)
    centres = rng.uniform(0, 5000, (60, 2))
    geoms = gpd.points_from_xy(centres[:, 0], centres[:, 1]).buffer(rng.uniform(100, 600, 60))
    per = gpd.GeoDataFrame({"name": [f"P{i}" for i in range(60)]}, geometry=geoms, crs=31370)
    keys = rng.integers(0, 5, n)
    ours = covered_counts(x, y, keys, 5, np.asarray(per.geometry.values))
    points = gpd.GeoDataFrame({"k": keys}, geometry=gpd.points_from_xy(x, y), crs=31370)
    joined = gpd.sjoin(points, per, predicate="intersects")
    ref = np.zeros_like(ours)
    np.add.at(ref, (joined["index_right"].to_numpy(), joined["k"].to_numpy()), 1)
    np.testing.assert_array_equal(ours, ref)
    assert ours.sum() > 1000  # the comparison is not vacuous
