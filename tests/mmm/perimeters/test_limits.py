"""A perimeter's limits on every path: at most 10,000 vertices, names ≤ 200 and descriptions
≤ 2,000 characters, no control characters — in the geometry check, the API's parsing, the
store (so the command and the forms get them too) and the file import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from mmm.errors import TextRefused
from mmm.io.imports import import_perimeters
from mmm.limits import MAX_VERTICES
from mmm.perimeters.edit import FieldRefused, parse_feature
from mmm.perimeters.geometry import (
    GeometryRefused,
    check_perimeter_geometry,
    from_geojson,
    to_geojson,
)
from mmm.store import Store, open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests.helpers import ZONE

SQUARE = box(172_000, 174_000, 172_100, 174_100)


def _circle(vertices: int) -> shapely.Polygon:
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    ring = np.column_stack([172_000 + 200 * np.cos(angles), 174_000 + 200 * np.sin(angles)])
    return shapely.Polygon(ring)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'limits.sqlite'}")
    yield s
    s.close()


def test_a_perimeter_of_more_than_10000_vertices_is_refused_saying_so() -> None:
    assert check_perimeter_geometry(_circle(MAX_VERTICES - 1), zone=ZONE).geometry.is_valid
    with pytest.raises(GeometryRefused, match=r"10,001 vertices, more than the 10,000"):
        check_perimeter_geometry(_circle(MAX_VERTICES), zone=ZONE)  # + the closing vertex


def test_the_api_refuses_a_huge_polygon_before_projecting_it() -> None:
    huge = to_geojson(_circle(1_000_000))
    with pytest.raises(GeometryRefused, match="1,000,001 vertices"):
        from_geojson(huge)


def _feature(**props: object) -> dict[str, object]:
    return {"type": "Feature", "geometry": to_geojson(SQUARE), "properties": props}


@pytest.mark.parametrize(
    "props,reason",
    [
        ({"name": "x" * 201}, "the name is longer than 200 characters"),
        ({"name": "Station\x00buurt"}, r"the name holds a control character \(U\+0000\)"),
        ({"name": "Markt", "description": "d" * 2001}, "longer than 2,000 characters"),
        ({"name": "Markt", "description": "a\x00b"}, "the description holds a control"),
    ],
)
def test_the_api_refuses_long_or_control_character_fields(props, reason) -> None:
    with pytest.raises(FieldRefused, match=reason):
        parse_feature(_feature(**props), edit=False)


def test_a_description_with_line_breaks_is_fine() -> None:
    draft = parse_feature(_feature(name="Markt", description="one\ntwo\tthree"), edit=False)
    assert draft.fields.description == "one\ntwo\tthree"


@pytest.mark.parametrize(
    "fields",
    [
        PerimeterFields("Station\x00buurt"),
        PerimeterFields("x" * 201),
        PerimeterFields("M", "d" * 2001),
    ],
)
def test_the_store_refuses_them_on_every_write(store: Store, fields: PerimeterFields) -> None:
    with pytest.raises(TextRefused):
        store.create_perimeter(fields, SQUARE, actor="cli")
    made = store.create_perimeter(PerimeterFields("Markt"), SQUARE, actor="cli")
    with pytest.raises(TextRefused):
        store.update_perimeter(made.perimeter_id, fields, SQUARE, based_on=1, actor="cli")
    assert store.perimeter_history(made.perimeter_id)[-1].version == 1


def test_an_import_rejects_such_rows_with_a_reason(store: Store, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "name": ["Good", "Bad\x07name", "x" * 201, "Long text", "Spiky"],
            "description": ["", "", "", "d" * 2001, ""],
        },
        geometry=[SQUARE, SQUARE, SQUARE, SQUARE, _circle(MAX_VERTICES + 5)],
        crs=31370,
    )
    path = tmp_path / "perimeters.gpkg"
    pyogrio.write_dataframe(frame, path)
    report = import_perimeters(store, path)
    assert report.imported == 1 and list(store.perimeters()["name"]) == ["Good"]
    assert report.rejected["reason"].tolist() == [
        "control character in the name",
        "name longer than 200 characters",
        "description longer than 2,000 characters",
        "more than 10,000 vertices",
    ]
