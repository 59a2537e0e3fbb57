"""The denominators table family on both backends: a kind is replaced as a whole, polygons and
per-perimeter values read back as stored, other kinds untouched, every import audited."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from mmm.store import BatchInfo, Store


def _batch(source: str) -> BatchInfo:
    return BatchInfo("denominators", source, "test", 2, 0)


def test_kinds_are_replaced_as_a_whole(store: Store) -> None:
    sectors = gpd.GeoDataFrame(
        {"source_id": ["A", "B"], "value": [1200.0, 800.0]},
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
        crs=31370,
    )
    store.replace_denominators("residents", sectors, _batch("sectors.gpkg"))
    store.set_zone("Z", box(0, 0, 200, 100), BatchInfo("zone", "z", "test", 1, 0))
    store.add_perimeters(
        gpd.GeoDataFrame({"name": ["Markt"], "description": [""]}, geometry=[box(0, 0, 50, 50)],
                         crs=31370),
        BatchInfo("perimeters", "p", "test", 1, 0),
    )  # fmt: skip
    pid = int(store.perimeters()["id"].iloc[0])
    per = pd.DataFrame({"source_id": ["Markt"], "value": [300.0], "perimeter_id": [pid]})
    store.replace_denominators("dwellings", per, _batch("woningen.csv"))
    assert store.denominator_kinds() == ["dwellings", "residents"]
    read = store.denominators("residents")
    assert read["source_id"].tolist() == ["A", "B"] and read["value"].tolist() == [1200.0, 800.0]
    assert read.geometry.iloc[1].equals(box(100, 0, 200, 100)) and read["perimeter_id"].isna().all()
    dwellings = store.denominators("dwellings")
    assert dwellings["perimeter_id"].tolist() == [pid] and dwellings.geometry.isna().all()

    again = sectors.iloc[:1].assign(value=[999.0])
    store.replace_denominators("residents", again, _batch("sectors-2025.gpkg"))
    assert store.denominators("residents")["value"].tolist() == [999.0]
    assert store.denominators("dwellings")["value"].tolist() == [300.0]  # another kind: kept
    events = store.audit_events()
    mine = events[events["entity"] == "denominators"]
    assert len(mine) == 3
    assert store.denominators("households").empty
