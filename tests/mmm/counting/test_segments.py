"""Counts per street segment against a shapely reference, and concentration figures by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, box

from mmm.counting.concentration import concentration
from mmm.counting.segments import (
    NOT_ON_STREET,
    count_segments,
    nearest_segments,
    segment_order,
)

#: Hand-placed segments (ids as a file might give them: "2" must come before "10").
STREETS = gpd.GeoDataFrame(
    {"segment_id": ["10", "2", "7", "3"], "name": ["Markt", "Kerkstraat", "Molenstraat", "Veld"]},
    geometry=[
        LineString([(0, 0), (100, 0)]),
        LineString([(50, -50), (50, 50)]),  # crosses "10" at (50, 0)
        LineString([(200, 0), (300, 0)]),
        LineString([(0, 40), (100, 40)]),  # parallel to "10", 40 m away
    ],
    crs="EPSG:31370",
)
#: (x, y, phenomenon, the segment it belongs to with a snap of 25 m, or None)
POINTS = [
    (50.0, 0.0, "drugs", "2"),  # on the crossing: a tie at 0 m, the lower id wins
    (20.0, 20.0, "drugs", "3"),  # 20 m from "10" and from "3": a tie, "3" < "10"
    (150.0, 0.0, "drugs", None),  # 50 m from "10" and "7": beyond the snap
    (250.0, 25.0, "drugs", "7"),  # exactly at the snap distance: still on the street
    (250.0, 25.01, "vandalism", None),  # just beyond it
    (100.0, 10.0, "vandalism", "10"),  # beside the end of "10"
    (-20.0, 0.0, "vandalism", "10"),  # beyond the end of "10", 20 m from it
    (80.0, 3.0, "drugs", "10"),
    (1000.0, 1000.0, "vandalism", None),
]


def _shapely_reference(x, y, streets: gpd.GeoDataFrame, snap: float) -> list[str | None]:
    """Nearest segment per point by brute force: shapely distances, ties to the lowest id."""
    ids = streets["segment_id"].to_numpy()
    rank = {sid: pos for pos, sid in enumerate(ids[segment_order(ids)])}
    found: list[str | None] = []
    for px, py in zip(x, y, strict=True):
        dist = shapely.distance(shapely.Point(px, py), streets.geometry.values)
        best = dist.min()
        tied = [sid for sid, d in zip(ids, dist, strict=True) if d == best]
        found.append(min(tied, key=rank.__getitem__) if best <= snap else None)
    return found


def test_hand_placed_points_match_the_shapely_reference():
    x = np.array([p[0] for p in POINTS])
    y = np.array([p[1] for p in POINTS])
    expected = [p[3] for p in POINTS]
    assert _shapely_reference(x, y, STREETS, 25.0) == expected
    ids = STREETS["segment_id"].to_numpy()
    order = segment_order(ids)
    assert list(ids[order]) == ["2", "3", "7", "10"]
    found = nearest_segments(x, y, STREETS.geometry.values[order], 25.0)
    assert [ids[order][i] if i >= 0 else None for i in found] == expected


def test_text_ids_compare_as_text():
    assert list(segment_order(np.array(["b-10", "b-2", "a"]))) == [2, 0, 1]
    assert list(segment_order(np.array(["10", "9", "-1"]))) == [2, 1, 0]


@pytest.mark.parametrize("snap", [5.0, 25.0, 80.0])
def test_many_random_points_match_shapely_query_nearest(snap):
    rng = np.random.default_rng(7)
    starts = rng.uniform(0, 2_000, size=(300, 2))
    ends = starts + rng.normal(0, 120, size=(300, 2))
    lines = list(shapely.linestrings(np.stack([starts, (starts + ends) / 2 + 9, ends], axis=1)))
    lines[:20] = [MultiLineString([ln.coords, [(c[0] + 30, c[1]) for c in ln.coords]])
                  for ln in lines[:20]]  # fmt: skip
    lines[20:25] = [LineString([(0, 10 * k), (2_000, 1_700 + 10 * k)]) for k in range(5)]  # long
    lines[25] = LineString([(900, 0), (900, 2_000)])  # vertical
    lines = np.asarray(lines, dtype=object)
    x, y = rng.uniform(-100, 2_100, size=(2, 20_000))
    ends_xy = shapely.get_coordinates(lines)[:500]  # points on vertices: ties between segments
    x[:500], y[:500] = ends_xy[:, 0], ends_xy[:, 1]
    found = nearest_segments(x, y, lines, snap)
    tree = shapely.STRtree(lines)
    point, line = tree.query_nearest(shapely.points(x, y), max_distance=snap, all_matches=True)
    expected = np.full(len(x), np.iinfo(np.int64).max)
    np.minimum.at(expected, point, line)
    expected[expected == np.iinfo(np.int64).max] = -1
    assert np.array_equal(found, expected)
    assert 0 < (found >= 0).mean() < 1


def test_no_points_or_no_lines():
    assert len(nearest_segments(np.array([]), np.array([]), STREETS.geometry.values)) == 0
    empty = np.array([], dtype=object)
    assert list(nearest_segments(np.array([1.0]), np.array([1.0]), empty)) == [-1]
    nothing = np.array([LineString()], dtype=object)
    assert list(nearest_segments(np.array([1.0]), np.array([1.0]), nothing)) == [-1]


def test_concentration_by_hand():
    # 10 incidents on 5 segments [6, 2, 1, 1, 0]: the busiest holds 60 % ≥ 25 % and ≥ 50 %,
    # so 1 of 5 segments (20 %) for both; Gini over [0, 1, 1, 2, 6]:
    # 2·(1·0 + 2·1 + 3·1 + 4·2 + 5·6) / (5·10) − 6/5 = 86/50 − 1.2 = 0.52.
    assert concentration(np.array([6, 2, 1, 1, 0])) == pytest.approx((20.0, 20.0, 0.52))
    assert concentration(np.array([1, 1, 1, 1])) == pytest.approx((25.0, 50.0, 0.0))
    assert concentration(np.array([0, 0, 0, 4])) == pytest.approx((25.0, 25.0, 0.75))
    assert all(np.isnan(concentration(np.array([0, 0]))))


def test_counts_and_concentration_per_zone_and_perimeter():
    incidents = pd.DataFrame(
        {
            "phenomenon": [p[2] for p in POINTS],
            "x": [p[0] for p in POINTS],
            "y": [p[1] for p in POINTS],
        }
    )
    perimeters = gpd.GeoDataFrame(
        {"name": ["Kruispunt"]}, geometry=[box(40, -10, 110, 30)], crs="EPSG:31370"
    )
    result = count_segments(incidents, STREETS, perimeters, snap_m=25.0)
    rows = [tuple(r) for r in result.counts.itertuples(index=False)]
    assert rows == [
        ("2", "Kerkstraat", "drugs", 1),  # equal counts in the order of the ids
        ("3", "Veld", "drugs", 1),
        ("7", "Molenstraat", "drugs", 1),
        ("10", "Markt", "drugs", 1),
        ("", NOT_ON_STREET, "drugs", 1),
        ("10", "Markt", "vandalism", 2),
        ("", NOT_ON_STREET, "vandalism", 2),
    ]
    assert result.counts.groupby("phenomenon")["count"].sum().to_dict() == {
        "drugs": 5, "vandalism": 4
    }  # fmt: skip
    table = result.concentration.set_index(["scope", "phenomenon"])
    # zone, drugs: 4 of 4 segments hold 1 each → 25 % needs 1 segment (25 %), 50 % needs 2.
    zone = table.loc[("zone", "drugs")]
    assert (zone.incidents, zone.not_on_street, zone.segments) == (5, 1, 4)
    assert (zone.pct_segments_25, zone.pct_segments_50, zone.gini) == pytest.approx((25, 50, 0))
    # zone, vandalism: [2, 0, 0, 0] → one segment of four for both; Gini (4·2)·2/(4·2) − 5/4.
    vandalism = table.loc[("zone", "vandalism")]
    assert (vandalism.incidents, vandalism.not_on_street) == (4, 2)
    assert (vandalism.pct_segments_25, vandalism.gini) == pytest.approx((25, 0.75))
    # The perimeter covers (50, 0) → "2" and (80, 3) → "10" (drugs) and (100, 10) → "10"
    # (vandalism); it touches "10" and "2" only: 2 segments.
    drugs = table.loc[("Kruispunt", "drugs")]
    assert (drugs.incidents, drugs.not_on_street, drugs.segments) == (2, 0, 2)
    assert (drugs.pct_segments_25, drugs.pct_segments_50, drugs.gini) == pytest.approx((50, 50, 0))
    inside = table.loc[("Kruispunt", "vandalism")]
    assert (inside.incidents, inside.segments, inside.pct_segments_50) == (1, 2, 50.0)
    assert inside.gini == pytest.approx(0.5)  # [0, 1]: 2·2/(2·1) − 3/2
