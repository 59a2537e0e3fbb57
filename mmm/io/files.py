"""Read and write files with pyogrio (GDAL): CSV, GeoPackage, Shapefile (also zipped), GeoJSON.

Reading gives a :class:`Source`: the attribute columns exactly as in the file, the geometries
(if the format has them) and the CRS the file declares. Validation happens elsewhere
(:mod:`mmm.io.validate`), so every format goes through the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from mmm.crs import WEB_CRS, WORKING_CRS
from mmm.errors import ImportRejected


@dataclass
class Source:
    """What a file holds: attributes as read, geometries (or ``None``) and declared CRS."""

    name: str
    frame: pd.DataFrame
    geometry: np.ndarray | None
    crs: CRS | None
    is_table: bool  # a CSV or other table without a geometry column

    def __len__(self) -> int:
        return len(self.frame)


def read_source(path: str | Path, *, layer: str | None = None) -> Source:
    """Read ``path`` (any GDAL vector format) without interpreting its rows.

    CSV columns are all read as text, so a malformed number is reported per row, not guessed.

    Raises
    ------
    ImportRejected
        When the file is missing, unreadable, or has several layers and none was chosen.
    """
    path = Path(path)
    if not path.exists():
        raise ImportRejected(f"{path}: no such file")
    try:
        chosen = _choose_layer(path, layer)
        is_csv = path.suffix.lower() in (".csv", ".txt")
        frame = pyogrio.read_dataframe(path, layer=chosen, read_geometry=not is_csv, use_arrow=True)
    except (DataSourceError, DataLayerError) as exc:
        reason = _first_line(exc).replace(str(path.parent) + "/", "")  # no server paths
        raise ImportRejected(f"{path.name}: cannot read the file ({reason})") from None
    if isinstance(frame, gpd.GeoDataFrame):
        crs = frame.crs
        geometry = np.asarray(frame.geometry.values, dtype=object)
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        return Source(path.name, frame, geometry, crs, is_table=False)
    return Source(path.name, pd.DataFrame(frame), None, None, is_table=True)


def _choose_layer(path: Path, layer: str | None) -> str | int:
    layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    if layer is not None:
        if layer not in layers:
            raise ImportRejected(
                f"{path.name}: no layer {layer!r}; layers in the file: {', '.join(layers)}"
            )
        return layer
    if len(layers) > 1:
        raise ImportRejected(
            f"{path.name} has {len(layers)} layers ({', '.join(layers)}): choose one with --layer"
        )
    return 0


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


#: Output formats by file suffix: GDAL driver, and the CRS the file is written in.
FORMATS: dict[str, tuple[str, CRS]] = {
    ".geojson": ("GeoJSON", WEB_CRS),
    ".json": ("GeoJSON", WEB_CRS),
    ".gpkg": ("GPKG", WORKING_CRS),
}


def write_geofile(frame: gpd.GeoDataFrame, path: str | Path, *, layer: str) -> Path:
    """Write ``frame`` as GeoJSON (RFC 7946: EPSG:4326, lon/lat, no ``crs`` member) or GeoPackage.

    Raises
    ------
    ValueError
        For a suffix that is not a geographic format (``.geojson``, ``.json``, ``.gpkg``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: unsupported format {suffix!r}")
    driver, crs = FORMATS[suffix]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()  # GDAL would otherwise refuse or append
    out = frame.to_crs(crs)
    options = {"RFC7946": "YES", "WRITE_NAME": "NO"} if driver == "GeoJSON" else {}
    pyogrio.write_dataframe(out, path, layer=layer, driver=driver, layer_options=options)
    return path
