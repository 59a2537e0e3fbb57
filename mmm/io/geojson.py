"""RFC 7946 GeoJSON of perimeters for the JSON API (EPSG:4326, lon/lat, no ``crs`` member)."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd

from mmm.crs import WEB_CRS


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
