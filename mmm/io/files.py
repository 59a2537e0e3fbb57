"""Read and write files with pyogrio (GDAL): CSV, GeoPackage, Shapefile (also zipped), GeoJSON.

Reading gives a :class:`Source`: the attribute columns exactly as in the file, the geometries
(if the format has them) and the CRS the file declares. Validation happens elsewhere
(:mod:`mmm.io.validate`), so every format goes through the same rules. A plain CSV — the usual
police export of a million rows — is read by Arrow's CSV reader instead of GDAL's, to the same
frame in a fraction of the time (:func:`read_plain_csv`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
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
    plain = read_plain_csv(path) if layer is None else None
    if plain is not None:
        return Source(path.name, plain, None, None, is_table=True)
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


def read_plain_csv(path: Path) -> pd.DataFrame | None:
    """A plain comma-separated UTF-8 file read with Arrow's multi-threaded CSV reader: the same
    frame GDAL gives (every column text, empty cells ``""``), several times faster.

    ``None`` — and GDAL reads the file — for anything but the plain case, where the two could
    differ: another suffix, a ``.csvt`` type file beside it, a header GDAL would read otherwise
    (another separator, an empty, repeated or numeric name), rows of another length, text that
    is not UTF-8, a carriage return inside a value.
    """
    if path.suffix.lower() != ".csv" or path.with_suffix(".csvt").exists():
        return None
    with path.open("rb") as handle:
        header = handle.readline()
    if not header.strip() or any(sep in header for sep in (b";", b"\t", b"|")):
        return None
    try:
        table = pacsv.read_csv(path, read_options=_CSV_READ, parse_options=_CSV_PARSE,
                               convert_options=_CSV_CONVERT)  # fmt: skip
    except (pa.ArrowInvalid, OSError):
        return None  # a short or long row, an encoding: GDAL decides what they mean
    if table.num_rows == 0 or any(t != pa.string() for t in table.schema.types):
        return None
    names = [str(v).strip() for v in table.slice(0, 1).to_pylist()[0].values()]
    if len(set(names)) != len(names) or "" in names or any(_NUMBER.match(n) for n in names):
        return None
    body = table.slice(1)
    if any(pc.any(pc.match_substring(column, "\r")).as_py() for column in body.columns):
        return None  # GDAL turns a CRLF inside a quoted value into LF
    return body.rename_columns(names).to_pandas(types_mapper=_TEXT.get)


#: How :func:`read_plain_csv` reads: the header as the first row, so every column is text.
_CSV_READ = pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24)
_CSV_PARSE = pacsv.ParseOptions(delimiter=",", newlines_in_values=True, ignore_empty_lines=True)
_CSV_CONVERT = pacsv.ConvertOptions(
    check_utf8=True,
    strings_can_be_null=False,
    quoted_strings_can_be_null=False,
    null_values=[],
    true_values=[],
    false_values=[],
)
_TEXT = {pa.string(): pd.StringDtype(na_value=np.nan)}
#: A header cell GDAL would take for data (then it names the columns field_1, field_2…).
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


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
