"""Row validation rules shared by every import, vectorised over whole columns.

Each rule marks rows with a *reason*; a row keeps the first reason it gets, and every rejected
row is reported with it — nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from mmm.crs import WORKING_CRS
from mmm.errors import ImportRejected
from mmm.limits import CONTROL, CONTROL_IN_TEXT, DESCRIPTION_CHARS, MAX_VERTICES, NAME_CHARS

MISSING_COORDINATES = "missing coordinates"
NON_NUMERIC_COORDINATES = "non-numeric coordinates"
EMPTY_GEOMETRY = "empty geometry"
NOT_A_POINT = "not a point"
NOT_A_POLYGON = "not a polygon"
UNREPAIRABLE = "invalid geometry that cannot be repaired"
OUTSIDE_CRS = "coordinates outside the area of the CRS"
OUTSIDE_ZONE = "outside the zone"
MISSING_PHENOMENON = "missing phenomenon"
UNPARSEABLE_DATE = "unparseable date"
MISSING_ID = "missing id"
DUPLICATE_ID_IN_FILE = "duplicate id in the file"
DUPLICATE_ID_STORED = "duplicate id already stored"
MISSING_NAME = "missing name"
DUPLICATE_NAME_IN_FILE = "duplicate name in the file"
DUPLICATE_NAME_STORED = "name already stored"
LONG_NAME = f"name longer than {NAME_CHARS:,} characters"
CONTROL_IN_NAME = "control character in the name"
LONG_DESCRIPTION = f"description longer than {DESCRIPTION_CHARS:,} characters"
CONTROL_IN_DESCRIPTION = "control character in the description"
CONTROL_IN_PHENOMENON = "control character in the phenomenon"
TOO_MANY_VERTICES = f"more than {MAX_VERTICES:,} vertices"
UNPARSEABLE_END_DATE = "unparseable end date"
END_WITHOUT_START = "end date without a start date"
END_BEFORE_START = "end date before the start date"
_DAY_END = np.timedelta64(86_399, "s")  # a day's last second

#: Day-first formats of Belgian exports, tried after ISO 8601.
_DAY_FIRST_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y",
)
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


class Reasons:
    """One reason slot per row; the first rule that fails a row names its reason."""

    def __init__(self, n: int) -> None:
        self.values = np.full(n, None, dtype=object)

    def flag(self, mask: np.ndarray, reason: str) -> None:
        """Give ``reason`` to the rows in ``mask`` that have none yet."""
        self.values[np.asarray(mask, dtype=bool) & self.ok] = reason

    @property
    def ok(self) -> np.ndarray:
        """Rows that no rule has rejected (so far)."""
        return pd.isna(self.values)


def present(values: np.ndarray) -> np.ndarray:
    """An object array with every missing value (None, NaN, NA) as ``None``, for shapely."""
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out)] = None
    return out


def find_column(
    columns: Iterable[str], given: str | None, candidates: Sequence[str], what: str, flag: str
) -> str | None:
    """The column to use for ``what``: the one given, else the first known name (any case).

    Raises
    ------
    ImportRejected
        When the given column does not exist; the message lists the file's columns.
    """
    cols = list(columns)
    if given is not None:
        if given not in cols:
            raise ImportRejected(
                f"no column {given!r} for the {what} ({flag}); columns in the file: {', '.join(cols)}"
            )
        return given
    lowered = {c.lower(): c for c in cols}
    for name in candidates:
        if name in lowered:
            return lowered[name]
    return None


def is_blank(values: pd.Series) -> np.ndarray:
    """Missing or whitespace-only cells."""
    text = values.astype("string").str.strip()
    return (text.isna() | (text == "")).to_numpy(dtype=bool)


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from a column of text, accepting a decimal comma (``152345,67``).

    Returns the values (NaN where not a number) and a mask of cells that were not blank but
    still not a number.
    """
    if pd.api.types.is_numeric_dtype(values):
        nums = values.to_numpy(dtype=float)
        return nums, np.zeros(len(nums), dtype=bool)
    try:  # fast path: every cell a plain number (or null), as in a clean export
        nums = pc.cast(pa.array(values), pa.float64()).to_numpy(zero_copy_only=False)
        return nums.astype(float), np.zeros(len(nums), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    text = values.astype("string").str.strip()
    comma = text.str.match(_DECIMAL_COMMA).fillna(False).to_numpy(dtype=bool)
    text = text.where(~comma, text.str.replace(",", ".", regex=False))
    nums = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(nums) & ~is_blank(values)
    nums[bad] = np.nan
    return nums, bad


def points_from_xy_columns(
    frame: pd.DataFrame, xcol: str, ycol: str, reasons: Reasons
) -> tuple[np.ndarray, np.ndarray]:
    """x/y from two columns; rejects blank and non-numeric coordinates."""
    x, bad_x = parse_numbers(frame[xcol])
    y, bad_y = parse_numbers(frame[ycol])
    reasons.flag(bad_x | bad_y, NON_NUMERIC_COORDINATES)
    reasons.flag(~np.isfinite(x) | ~np.isfinite(y), MISSING_COORDINATES)
    return x, y


def geometries_from_wkt(values: pd.Series, reasons: Reasons) -> np.ndarray:
    """Geometries from a WKT column; blank cells are empty geometries, bad WKT is rejected."""
    blank = is_blank(values)
    text = values.astype("string").fillna("").to_numpy(dtype=object)
    geoms = shapely.from_wkt(np.where(blank, None, text), on_invalid="ignore")
    reasons.flag(blank, EMPTY_GEOMETRY)
    reasons.flag(pd.isna(geoms) & ~blank, "unreadable WKT")
    return geoms


def points_from_geometries(geoms: np.ndarray, reasons: Reasons) -> tuple[np.ndarray, np.ndarray]:
    """x/y of point geometries (a one-point MultiPoint counts as a point)."""
    missing = pd.isna(geoms)
    geoms = present(geoms)
    empty = missing | shapely.is_empty(geoms)
    reasons.flag(empty, EMPTY_GEOMETRY)
    kind = shapely.get_type_id(geoms)
    single_multi = (kind == 4) & (shapely.get_num_geometries(geoms) == 1)
    geoms = np.where(single_multi, shapely.get_geometry(geoms, 0), geoms)
    reasons.flag(~empty & (shapely.get_type_id(geoms) != 0), NOT_A_POINT)
    ok = reasons.ok
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    x[ok] = shapely.get_x(geoms[ok])
    y[ok] = shapely.get_y(geoms[ok])
    return x, y


def to_working_crs(
    x: np.ndarray, y: np.ndarray, crs: CRS, reasons: Reasons
) -> tuple[np.ndarray, np.ndarray]:
    """Reproject to EPSG:31370; points the transformation cannot map are rejected."""
    if crs == WORKING_CRS:
        return x, y
    transformer = Transformer.from_crs(crs, WORKING_CRS, always_xy=True)
    ok = reasons.ok
    tx = np.full_like(x, np.nan)
    ty = np.full_like(y, np.nan)
    tx[ok], ty[ok] = transformer.transform(x[ok], y[ok])
    reasons.flag(~(np.isfinite(tx) & np.isfinite(ty)), OUTSIDE_CRS)
    return tx, ty


def parse_dates(
    values: pd.Series, reasons: Reasons, *, reason: str = UNPARSEABLE_DATE
) -> np.ndarray:
    """Dates (``datetime64[s]``, NaT = undated) from ISO 8601 or day-first Belgian formats.

    A blank cell is *undated*, not an error; a cell that is not blank and matches no format is
    rejected with ``reason`` (an unparseable date).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return _naive(pd.Series(values)).to_numpy(dtype="datetime64[s]")
    text = values.astype("string").str.strip()
    blank = is_blank(values)
    parsed = _naive(pd.to_datetime(text, format="ISO8601", errors="coerce"))
    for fmt in _DAY_FIRST_FORMATS:
        todo = parsed.isna().to_numpy() & ~blank
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    result = parsed.to_numpy(dtype="datetime64[s]")
    reasons.flag(np.isnat(result) & ~blank, reason)
    return result


def parse_window_ends(values: pd.Series, start: np.ndarray, reasons: Reasons) -> np.ndarray:
    """The ends of the windows incidents are known to lie in (``--date-to``; NaT: none).

    An end written without a time is the end of that day (23:59:59): "between Friday and
    Monday" includes Monday. Rejected: an end that is not a date, one without a start date, and
    one before its start.
    """
    ends = parse_dates(values, reasons, reason=UNPARSEABLE_END_DATE)
    if not pd.api.types.is_datetime64_any_dtype(values):
        day_only = ~values.astype("string").str.contains(":", regex=False).fillna(False)
        ends = np.where(day_only.to_numpy(dtype=bool) & ~np.isnat(ends), ends + _DAY_END, ends)
    given = ~np.isnat(ends)
    reasons.flag(given & np.isnat(start), END_WITHOUT_START)
    reasons.flag(given & ~np.isnat(start) & (ends < start), END_BEFORE_START)
    return ends


def _naive(stamps: pd.Series) -> pd.Series:
    """Local Belgian time without a time zone (that is how the rest of the data is kept)."""
    stamps = pd.Series(stamps)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("Europe/Brussels").dt.tz_localize(None)
    return stamps.astype("datetime64[s]")


def content_ids(frame: pd.DataFrame) -> np.ndarray:
    """Stable ids from a row's contents, for files without an id column."""
    hashes = pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy()
    return np.char.add("row-", np.char.mod("%016x", hashes)).astype(object)


def check_ids(ids: np.ndarray, stored: set[str], reasons: Reasons) -> None:
    """Reject blank ids, repeats inside the file (the first stays) and ids already stored."""
    series = pd.Series(ids, dtype="string").str.strip()
    reasons.flag((series.isna() | (series == "")).to_numpy(), MISSING_ID)
    ok = reasons.ok
    repeated = np.zeros(len(series), dtype=bool)
    repeated[ok] = series[ok].duplicated(keep="first").to_numpy()
    reasons.flag(repeated, DUPLICATE_ID_IN_FILE)
    reasons.flag(series.isin(stored).to_numpy(dtype=bool), DUPLICATE_ID_STORED)


def outside(x: np.ndarray, y: np.ndarray, zone: BaseGeometry, distance: float) -> np.ndarray:
    """Points farther than ``distance`` metres from ``zone`` (no point objects are built)."""
    finite = np.isfinite(x) & np.isfinite(y)
    result = np.zeros(len(x), dtype=bool)
    margin = shapely.buffer(zone, distance) if distance > 0 else zone
    shapely.prepare(margin)
    result[finite] = ~shapely.intersects_xy(margin, x[finite], y[finite])
    return result


def polygons(geoms: np.ndarray, reasons: Reasons) -> tuple[np.ndarray, list[int]]:
    """Keep (multi)polygons, repairing invalid ones with ``make_valid``.

    Returns the geometries (repaired where needed) and the row positions that were repaired.
    A repair that leaves no polygonal part is rejected.
    """
    missing = pd.isna(geoms)
    geoms = present(geoms)
    empty = missing | shapely.is_empty(geoms)
    reasons.flag(empty, EMPTY_GEOMETRY)
    kind = shapely.get_type_id(geoms)
    reasons.flag(~np.isin(kind, (3, 6)), NOT_A_POLYGON)
    out = geoms.copy()
    invalid = reasons.ok & ~shapely.is_valid(geoms)
    repaired: list[int] = []
    for pos in np.flatnonzero(invalid):  # loop over the few invalid perimeters, not incidents
        fixed = polygonal_part(shapely.make_valid(geoms[pos]))
        if fixed is None:
            reasons.values[pos] = UNREPAIRABLE
        else:
            out[pos] = fixed
            repaired.append(int(pos))
    return out, repaired


def polygonal_part(geom: BaseGeometry) -> BaseGeometry | None:
    """The (multi)polygon inside what ``make_valid`` returned, or ``None`` if there is none."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if not merged.is_empty else None


def has_control(values: pd.Series, *, multiline: bool = False) -> np.ndarray:
    """Rows whose text holds a control character (:data:`mmm.limits.CONTROL`; ``multiline``:
    tab and line breaks allowed)."""
    pattern = (CONTROL_IN_TEXT if multiline else CONTROL).pattern
    found = values.astype("string").str.contains(pattern, regex=True)
    return found.fillna(False).to_numpy(dtype=bool)


def check_descriptions(values: pd.Series, reasons: Reasons) -> np.ndarray:
    """Descriptions stripped (missing: empty); too long ones and control characters rejected."""
    text = values.astype("string").fillna("").str.strip()
    reasons.flag((text.str.len() > DESCRIPTION_CHARS).to_numpy(dtype=bool), LONG_DESCRIPTION)
    reasons.flag(has_control(text, multiline=True), CONTROL_IN_DESCRIPTION)
    return text.to_numpy(dtype=object)


def check_vertices(geoms: np.ndarray, reasons: Reasons) -> None:
    """Reject geometries of more than :data:`mmm.limits.MAX_VERTICES` vertices."""
    reasons.flag(shapely.get_num_coordinates(present(geoms)) > MAX_VERTICES, TOO_MANY_VERTICES)


def check_names(names: pd.Series, stored: set[str], reasons: Reasons) -> np.ndarray:
    """Names stripped; blank, too long, repeated (in the file) and already stored names are
    rejected, and names holding a control character."""
    text = names.astype("string").str.strip()
    reasons.flag((text.isna() | (text == "")).to_numpy(), MISSING_NAME)
    reasons.flag((text.str.len() > NAME_CHARS).fillna(False).to_numpy(dtype=bool), LONG_NAME)
    reasons.flag(has_control(text), CONTROL_IN_NAME)
    ok = reasons.ok
    repeated = np.zeros(len(text), dtype=bool)
    repeated[ok] = text[ok].duplicated(keep="first").to_numpy()
    reasons.flag(repeated, DUPLICATE_NAME_IN_FILE)
    reasons.flag(text.isin(stored).to_numpy(dtype=bool), DUPLICATE_NAME_STORED)
    return text.fillna("").to_numpy(dtype=object)
