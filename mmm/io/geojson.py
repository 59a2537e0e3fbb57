"""RFC 7946 GeoJSON for the browser (EPSG:4326, lon/lat, no ``crs`` member): perimeters for the
JSON API, and the streets a map shows at a zoom level."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from mmm.crs import WEB_CRS, WORKING_CRS


def perimeter_features(perimeters: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One Feature per perimeter: ``id``, ``name``, ``description``, ``status``, ``version``…"""
    web = perimeters.to_crs(WEB_CRS)
    columns = ["id", "name", "description", "status", "version", "start_date", "geometry"]
    collection = json.loads(
        web[[c for c in columns if c in web.columns]].to_json(drop_id=True, to_wgs84=False)
    )
    for feature in collection["features"]:
        feature["id"] = feature["properties"]["id"]
    return list(collection["features"])


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection around ``features``."""
    return {"type": "FeatureCollection", "features": features}


#: Metres per screen pixel at zoom 0 in Web Mercator at Belgium's latitude (about 50.8° N).
_METRES_PER_PIXEL_Z0 = 156_543.034 * float(np.cos(np.radians(50.8)))


def street_features(
    streets: gpd.GeoDataFrame,
    *,
    zoom: int,
    bbox: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """The street segments a map shows at ``zoom``: simplified to its pixels, as GeoJSON.

    What the browser gets stays small at every zoom: a segment is simplified with a tolerance
    of one screen pixel (about 12 m at zoom 13, 0.75 m at zoom 17), a segment shorter than two
    pixels is left out, and the coordinates keep only the decimals a pixel needs.

    Parameters
    ----------
    streets
        ``segment_id``, ``name`` and lines in EPSG:31370 (:meth:`Store.streets`).
    zoom
        The map's zoom level (Web Mercator, 0–22).
    bbox
        ``(west, south, east, north)`` in degrees (EPSG:4326): only the segments that cross it.

    Returns
    -------
    dict
        An RFC 7946 FeatureCollection (lon/lat): one Feature per segment, its ``id`` the
        segment id and its properties ``name``.
    """
    pixel = _METRES_PER_PIXEL_Z0 / 2**zoom
    geoms = np.asarray(streets.geometry.values, dtype=object)
    keep = shapely.length(geoms) >= 2 * pixel
    if bbox is not None:
        corners = pyproj.Transformer.from_crs(WEB_CRS, WORKING_CRS, always_xy=True)
        view = shapely.box(*corners.transform_bounds(*bbox))
        keep &= shapely.intersects(geoms, view)
    simple = shapely.simplify(geoms[keep], pixel, preserve_topology=False)
    web = np.asarray(gpd.GeoSeries(simple, crs=WORKING_CRS).to_crs(WEB_CRS).values, dtype=object)
    decimals = 5 if zoom < 16 else 6  # 1.1 m, then 0.11 m
    ids = streets["segment_id"].to_numpy(dtype=object)[keep]
    names = streets["name"].to_numpy(dtype=object)[keep]
    features = [
        {
            "type": "Feature",
            "id": str(sid),
            "properties": {"name": str(name)},
            "geometry": _rounded(geom, decimals),
        }
        for sid, name, geom in zip(ids, names, web, strict=True)
    ]
    return feature_collection(features)


def _rounded(line: Any, decimals: int) -> dict[str, Any]:
    """A (multi)line's GeoJSON geometry with rounded coordinates."""
    parts = [
        np.round(shapely.get_coordinates(p), decimals).tolist() for p in shapely.get_parts(line)
    ]
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}
