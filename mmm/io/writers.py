"""File writers, one per format: the registry that exports, the hotspot downloads and the CLI
share, so a format is added (or fixed) in one place.

``.geojson``/``.json`` are RFC 7946 (EPSG:4326, lon/lat, no ``crs`` member), ``.gpkg`` keeps
EPSG:31370, ``.csv`` is a plain table with geometries as WKT in EPSG:31370.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from mmm.io.files import write_geofile


def _write_csv(frame: pd.DataFrame, path: Path, layer: str) -> Path:
    if isinstance(frame, gpd.GeoDataFrame):
        frame = (
            pd.DataFrame(frame)
            .assign(wkt=shapely.to_wkt(frame.geometry.values, rounding_precision=2))
            .drop(columns=frame.geometry.name)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def _write_geo(frame: pd.DataFrame, path: Path, layer: str) -> Path:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ValueError(f"{layer} as a table can only be written as .csv")
    return write_geofile(frame, path, layer=layer)


#: How it can be written: format (file suffix without dot) → writer.
WRITERS: dict[str, Callable[[pd.DataFrame, Path, str], Path]] = {
    "geojson": _write_geo,
    "json": _write_geo,
    "gpkg": _write_geo,
    "csv": _write_csv,
}
