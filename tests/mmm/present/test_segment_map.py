"""The busiest street segments on the zone map and a perimeter's page, on hand-placed incidents
whose segments, ties and concentration are worked out by hand below."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from mmm.access.rules import EVERYTHING
from mmm.counting.months import MonthRange
from mmm.counting.segments import count_segments
from mmm.errors import PeriodOutOfRange
from mmm.present import maps
from mmm.present.maps.legend import SEGMENT_CLASSES
from mmm.store import BatchInfo, open_store
from tests.helpers import ZONE

#: Two segments of Dorpsstraat meet Kerkweg at the crossing (171 200, 174 000).
STREETS = gpd.GeoDataFrame(
    {"segment_id": ["10", "20", "30"], "name": ["Dorpsstraat", "Dorpsstraat", "Kerkweg"]},
    geometry=[
        LineString([(171_000, 174_000), (171_200, 174_000)]),
        LineString([(171_200, 174_000), (171_400, 174_000)]),
        LineString([(171_200, 174_000), (171_200, 174_200)]),
    ],
    crs="EPSG:31370",
)
#: (phenomenon, day, x, y, the segment by hand)
INCIDENTS = [
    *[("burglary", "2025-03-01", 171_100, 174_010, "10")] * 3,  # 10 m from segment 10
    ("burglary", "2025-03-02", 171_200, 174_000, "10"),  # on the crossing: the lowest id
    *[("drugs", "2025-04-01", 171_300, 173_990, "20")] * 2,
    ("drugs", "2025-04-02", 171_210, 174_150, "30"),  # 10 m from Kerkweg
    ("drugs", "2025-04-03", 171_300, 174_100, None),  # 100 m and 90 m away: not on a street
    ("burglary", "2024-12-01", 171_300, 174_005, "20"),  # before the period
]
PERIMETER = box(171_150, 173_950, 171_450, 174_250)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("segments") / "store.sqlite"
    s = open_store(f"sqlite:///{path}")
    s.set_zone("Testzone", ZONE, BatchInfo("zone", "test", "test", 1, 0))
    frame = gpd.GeoDataFrame(
        {"name": ["Dorpskern"], "description": [""]}, geometry=[PERIMETER], crs="EPSG:31370"
    )
    s.add_perimeters(frame, BatchInfo("perimeters", "test", "test", 1, 0))
    s.replace_streets(STREETS, BatchInfo("streets", "test", "test", 3, 0))
    incidents = pd.DataFrame(
        {
            "source_id": [f"PV-{i}" for i in range(len(INCIDENTS))],
            "phenomenon": [i[0] for i in INCIDENTS],
            "occurred": pd.to_datetime([i[1] for i in INCIDENTS]).to_numpy("datetime64[s]"),
            "x": [float(i[2]) for i in INCIDENTS],
            "y": [float(i[3]) for i in INCIDENTS],
        }
    )
    s.add_incidents(incidents, BatchInfo("incidents", "test", "test", len(incidents), 0))
    yield s
    s.close()


def _layer(store, phenomenon=None, first="2025-01", last="2025-04"):
    return maps.segment_layer(
        store, scope=EVERYTHING, first=first, last=last, phenomenon=phenomenon
    )


def test_the_layer_colours_the_busiest_segments_of_the_period(store):
    layer = _layer(store)
    labels = [line["label"] for line in layer["lines"]]
    # 10: three burglaries and the one on the crossing; 20: two drugs; 30: one drugs incident.
    assert labels == [
        "Dorpsstraat (segment 10): 4 incidents",
        "Dorpsstraat (segment 20): 2 incidents",
        "Kerkweg (segment 30): 1 incidents",
    ]
    colours = [line["colour"] for line in layer["lines"]]
    assert len(set(colours)) == 3 and colours[0] == SEGMENT_CLASSES[-1]  # busiest: darkest
    (lat, lon), _ = layer["lines"][0]["c"][0]
    assert 50 < lat < 52 and 3 < lon < 6
    assert "incidents per street segment" in layer["legend"] and "25 m" in layer["legend"]


def test_the_same_counts_as_mmm_segments(store):
    inside = store.incidents(start=MonthRange("2025-01", "2025-04").start)
    reference = count_segments(inside, store.streets(), store.perimeters().iloc[0:0]).counts
    reference = reference[reference["segment_id"] != ""].groupby("segment_id")["count"].sum()
    shown = {
        line["label"].split("segment ")[1].split(")")[0]: int(
            line["label"].split(": ")[1].split()[0]
        )
        for line in _layer(store)["lines"]
    }
    assert shown == reference.to_dict()


def test_one_phenomenon_and_the_checks(store):
    burglary = _layer(store, "burglary")["lines"]
    assert [line["label"] for line in burglary] == ["Dorpsstraat (segment 10): 4 incidents"]
    before = _layer(store, "burglary", first="2024-12", last="2024-12")["lines"]
    assert [line["label"] for line in before] == ["Dorpsstraat (segment 20): 1 incidents"]
    with pytest.raises(maps.UnknownPhenomenon):
        _layer(store, "arson")
    with pytest.raises(PeriodOutOfRange):
        _layer(store, first="2019-01", last="2019-02")


def test_a_perimeters_busiest_segments_and_concentration(store):
    phenomena = {"burglary": "Woninginbraak", "drugs": "Drugs"}
    found = maps.perimeter_segments(store, PERIMETER, MonthRange("2025-01", "2025-04"), phenomena)
    assert found is not None
    # Inside: the crossing burglary, three drugs incidents on 20 and 30, one drugs off-street.
    assert (found.incidents, found.on_street, found.segments) == (5, 4, 3)
    assert [(r.segment_id, r.count) for r in found.rows] == [("20", 2), ("10", 1), ("30", 1)]
    assert found.rows[0].share == pytest.approx(50.0)
    assert found.rows[0].phenomena == [("Drugs", 2)]
    assert found.rows[1].phenomena == [("Woninginbraak", 1)]
    # Counts 2, 1, 1 on three segments: half of the 4 lies on the busiest one, 1 of 3.
    assert found.pct_segments_50 == pytest.approx(100 / 3)


def test_no_streets_no_segments(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    try:
        geometry = box(0, 0, 1, 1)
        assert maps.perimeter_segments(s, geometry, MonthRange("2025-01", "2025-01"), {}) is None
    finally:
        s.close()
