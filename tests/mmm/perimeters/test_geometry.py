"""Geometry checks of the perimeter editor: refusals with a reason and a point, repairs reported."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from numpy.testing import assert_allclose
from shapely.geometry import MultiPolygon, Polygon, box

from mmm.perimeters.geometry import (
    AreaLimits,
    GeometryRefused,
    check_perimeter_geometry,
    first_crossing,
    from_geojson,
    hint_if_swapped,
    to_geojson,
    web_point,
)
from tests.helpers import ZONE

X0, Y0 = 172_000.0, 174_000.0  # the middle of the test zone (EPSG:31370)


def square(x: float = X0, y: float = Y0, size: float = 100.0) -> Polygon:
    return box(x, y, x + size, y + size)


def check(geom, **kw):
    return check_perimeter_geometry(geom, zone=kw.pop("zone", ZONE), **kw)


def test_a_plain_square_passes_unchanged():
    result = check(square())
    assert result.geometry.equals(square()) and result.notes == ()


def test_bow_tie_is_refused_with_its_crossing_point():
    bow_tie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    with pytest.raises(GeometryRefused, match="crosses itself") as caught:
        check(bow_tie)
    assert_allclose(caught.value.point, (X0 + 50, Y0 + 50))


def test_bow_tie_in_a_hole_is_refused_too():
    hole = [(X0 + 20, Y0 + 20), (X0 + 60, Y0 + 60), (X0 + 60, Y0 + 20), (X0 + 20, Y0 + 60)]
    with pytest.raises(GeometryRefused, match="crosses itself") as caught:
        check(Polygon(square().exterior.coords, [hole]))
    assert_allclose(caught.value.point, (X0 + 40, Y0 + 40))


def test_spike_is_repaired_and_reported():
    spike = Polygon(
        [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 50), (X0 + 200, Y0 + 50), (X0 + 100, Y0 + 50),
         (X0 + 100, Y0 + 100), (X0, Y0 + 100)]
    )  # fmt: skip
    result = check(spike)
    assert result.geometry.geom_type == "Polygon" and result.geometry.is_valid
    assert result.geometry.area == pytest.approx(10_000)
    assert len(result.notes) == 1 and result.notes[0].startswith("repaired: self-intersection")
    assert "0.00 %" in result.notes[0]


def test_ring_touching_itself_at_a_point_is_repaired_into_two_parts():
    figure_eight = Polygon(
        [(X0, Y0), (X0 + 100, Y0), (X0 + 50, Y0 + 50), (X0 + 100, Y0 + 100), (X0, Y0 + 100),
         (X0 + 50, Y0 + 50)]
    )  # fmt: skip
    assert first_crossing(figure_eight) is None  # touching, not crossing
    result = check(figure_eight)
    assert result.geometry.geom_type == "MultiPolygon" and len(result.geometry.geoms) == 2
    assert result.geometry.area == pytest.approx(figure_eight.area)
    assert "ring self-intersection" in result.notes[0]


def test_duplicate_vertices_are_removed_and_reported():
    coords = list(square().exterior.coords)
    doubled = Polygon([coords[0], coords[1], coords[1], coords[2], coords[3], coords[3]])
    result = check(doubled)
    assert shapely.get_num_coordinates(result.geometry) == 5
    assert result.notes == ("2 repeated vertices removed",)


def test_repair_that_changes_the_area_by_one_percent_or_more_is_refused():
    outside_hole = square(X0 + 200, Y0, 50).exterior.coords
    with pytest.raises(GeometryRefused, match="change the area by") as caught:
        check(Polygon(square().exterior.coords, [outside_hole]))
    assert caught.value.point is not None


def test_tiny_sliver_is_refused():
    sliver = box(X0, Y0, X0 + 2000, Y0 + 0.2)  # 400 m²: large enough, but 20 cm wide
    with pytest.raises(GeometryRefused, match="sliver"):
        check(sliver)
    with_sliver_part = MultiPolygon([square(), box(X0 + 300, Y0, X0 + 900, Y0 + 0.5)])
    with pytest.raises(GeometryRefused, match="part 2 of 2 is a sliver"):
        check(with_sliver_part)


def test_ring_orientation_is_accepted_either_way_and_stored_counter_clockwise():
    clockwise = Polygon(
        list(square(size=300).exterior.coords)[::-1],
        [list(square(X0 + 100, Y0 + 100).exterior.coords)],
    )
    assert not clockwise.exterior.is_ccw and clockwise.interiors[0].is_ccw
    result = check(clockwise)
    assert result.geometry.exterior.is_ccw and not result.geometry.interiors[0].is_ccw
    assert result.geometry.area == pytest.approx(300 * 300 - 100 * 100)


def test_holes_are_kept():
    holed = Polygon(square(size=300).exterior.coords, [square(X0 + 100, Y0 + 100).exterior.coords])
    result = check(holed)
    assert len(result.geometry.interiors) == 1 and result.notes == ()
    assert result.geometry.area == pytest.approx(80_000)


def test_three_d_coordinates_are_flattened_and_reported():
    raised = shapely.force_3d(square(), 35.0)
    result = check(raised)
    assert not shapely.has_z(result.geometry)
    assert result.notes == ("height (z) coordinates were dropped: perimeters are flat",)


def test_three_d_geojson_keeps_its_z_until_the_check():
    lon, lat = web_point((X0, Y0))
    ring = [[lon, lat, 12.0], [lon + 0.002, lat, 12.0], [lon + 0.002, lat + 0.002, 12.0],
            [lon, lat + 0.002, 12.0], [lon, lat, 12.0]]  # fmt: skip
    geom = from_geojson({"type": "Polygon", "coordinates": [ring]})
    assert shapely.has_z(geom)
    assert_allclose(shapely.get_coordinates(geom)[0], (X0, Y0), atol=0.2)
    assert "height (z)" in check(geom).notes[0]


def test_swapped_latitude_and_longitude_is_refused_far_outside_with_a_hint():
    web = to_geojson(square(size=200))
    swapped = {"type": "Polygon", "coordinates": [[c[::-1] for c in web["coordinates"][0]]]}
    with pytest.raises(GeometryRefused) as caught:
        check(from_geojson(swapped))
    assert "km outside the zone" in caught.value.reason
    hinted = hint_if_swapped(caught.value, swapped, ZONE)
    assert "longitude and latitude seem swapped" in hinted.reason


def test_outside_the_zone_is_refused_and_touching_it_is_allowed():
    far = square(X0 + 5000)
    with pytest.raises(GeometryRefused, match="km outside the zone"):
        check(far)
    minx, miny, maxx, maxy = ZONE.bounds
    touching = box(maxx, Y0, maxx + 100, Y0 + 100)
    assert check(touching).notes == ("100 % of it lies outside the zone",)
    half = box(maxx - 50, Y0, maxx + 50, Y0 + 100)
    assert check(half).notes == ("50 % of it lies outside the zone",)


def test_area_bounds_come_from_the_limits():
    limits = AreaLimits(min_m2=5_000, max_m2=20_000)
    with pytest.raises(GeometryRefused, match="below the minimum of 5,000 m²"):
        check(square(size=50), limits=limits)
    with pytest.raises(GeometryRefused, match="MMM_PERIMETER_MAX_AREA"):
        check(square(size=200), limits=limits)
    assert check(square(size=100), limits=limits).geometry.area == 10_000


def test_not_a_polygon_and_empty_are_refused():
    with pytest.raises(GeometryRefused, match="not a LineString"):
        check(shapely.LineString([(X0, Y0), (X0 + 10, Y0)]))
    with pytest.raises(GeometryRefused, match="empty"):
        check(Polygon())


def test_geojson_that_is_not_lon_lat_is_refused():
    lambert = json.loads(shapely.to_geojson(square()))  # metres, not degrees
    with pytest.raises(GeometryRefused, match=r"\[longitude, latitude\]"):
        from_geojson(lambert)
    with pytest.raises(GeometryRefused, match="no geometry"):
        from_geojson(None)


def test_geojson_round_trip_is_within_a_decimetre():
    back = from_geojson(to_geojson(square()))
    assert_allclose(shapely.get_coordinates(back), shapely.get_coordinates(square()), atol=0.1)
    # 6 decimals of a degree move each vertex by at most ~0.06 m: ≤ 0.2 % of a 100 m square
    assert np.isclose(back.area, 10_000, rtol=2e-3)


def test_no_zone_means_not_checked_and_said_so():
    result = check_perimeter_geometry(square(X0 + 90_000), zone=None)
    assert result.notes == ("no zone outline is stored: not checked against the zone",)
