"""File writers, one per format: the registry that exports, the hotspot downloads and the CLI
share, so a format is added (or fixed) in one place.

``.geojson``/``.json`` are RFC 7946 (EPSG:4326, lon/lat, no ``crs`` member), ``.gpkg`` keeps
EPSG:31370, ``.csv`` is a plain table with geometries as WKT in EPSG:31370.

Every CSV that leaves the app goes through :func:`write_csv`: a spreadsheet reads a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (CSV
injection: a perimeter named ``=HYPERLINK(…)`` would run in a partner's Excel). Such a text cell
gets a leading ``'``, which spreadsheets show as text; numbers (and text that is only a number,
such as ``-3``) are left as they are, so number columns stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import geopandas as gpd
import pandas as pd
import shapely

from mmm.io.files import write_geofile

#: A text cell starting with one of these is a formula (or hides one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names pass :func:`safe_cell`.

    Number, boolean and date columns are left as they are; in a column of mixed values (a count
    column holding ``"<5"``) only the text is looked at.
    """
    out = pd.DataFrame(frame).copy()
    for name in out.columns:
        column = out[name]
        if not (
            pd.api.types.is_numeric_dtype(column)
            or pd.api.types.is_bool_dtype(column)
            or pd.api.types.is_datetime64_any_dtype(column)
        ):
            out[name] = column.astype(object).map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, target: Path | TextIO) -> None:
    """Write ``frame`` (no index) as CSV to a file or an open text stream, spreadsheet-safe."""
    spreadsheet_safe(frame).to_csv(target, index=False)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as spreadsheet-safe UTF-8 CSV, for a download."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8")


def _write_csv(frame: pd.DataFrame, path: Path, layer: str) -> Path:
    if isinstance(frame, gpd.GeoDataFrame):
        frame = (
            pd.DataFrame(frame)
            .assign(wkt=shapely.to_wkt(frame.geometry.values, rounding_precision=2))
            .drop(columns=frame.geometry.name)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, path)
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
