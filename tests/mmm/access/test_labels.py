"""Labels per language for phenomena and perimeters, with fallback to code and name."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from mmm.access.labels import perimeter_labels, phenomenon_labels, set_label
from mmm.errors import MMMError, NotFound
from mmm.io.imports import import_incidents, import_perimeters
from tests.helpers import write_csv


@pytest.fixture
def stocked(store, tmp_path, incidents_frame):
    write_csv(tmp_path / "i.csv", incidents_frame)
    import_incidents(store, tmp_path / "i.csv", crs="31370")
    frame = gpd.GeoDataFrame({"name": ["Station"]}, geometry=[box(0, 0, 1, 1)], crs=31370)
    pyogrio.write_dataframe(frame, tmp_path / "p.gpkg")
    import_perimeters(store, tmp_path / "p.gpkg")
    return store


def test_labels_per_language_with_fallback(stocked):
    set_label(stocked, "phenomenon", "drugs", "fr", "Drogues")
    set_label(stocked, "phenomenon", "drugs", "fr", "Stupéfiants")  # replaces
    set_label(stocked, "perimeter", "Station", "fr", "Quartier de la gare")
    fr = phenomenon_labels(stocked, "fr")
    assert fr["drugs"] == "Stupéfiants" and fr["vandalism"] == "vandalism"
    assert phenomenon_labels(stocked, "nl")["drugs"] == "drugs"
    pid = int(stocked.perimeters()["id"].iloc[0])
    assert perimeter_labels(stocked, "fr") == {pid: "Quartier de la gare"}
    assert perimeter_labels(stocked, "de") == {pid: "Station"}
    assert (stocked.audit_events()["action"] == "label").sum() == 3


@pytest.mark.parametrize(
    "args,error",
    [
        (("phenomenon", "nope", "fr", "x"), NotFound),
        (("perimeter", "Nowhere", "fr", "x"), NotFound),
        (("phenomenon", "drugs", "es", "x"), MMMError),
        (("phenomenon", "drugs", "fr", "  "), MMMError),
        (("street", "drugs", "fr", "x"), MMMError),
    ],
)
def test_bad_labels_are_refused(stocked, args, error):
    with pytest.raises(error):
        set_label(stocked, *args)
