"""Import the denominators of rates: residents, dwellings… per polygon or per perimeter.

Two shapes of file, one rule set (those of every import: the CRS is the file's own or
``--crs``, never guessed; every rejected row is reported with its reason; the stored rows
change in one audited transaction):

- **a polygon layer** (statistical sectors: a GeoPackage, Shapefile, GeoJSON or a CSV with
  WKT) with a value per polygon — the rates areal-weight it onto perimeters and grid cells
  (:mod:`mmm.rates.areal`). Polygons keep the file's id (``--id COL`` or a usual id column such
  as ``cd_sector``), else one derived from the polygon itself;
- **a table of values per perimeter** (``--perimeter COL``, or a file without geometry and a
  usual name column): each row names a stored perimeter.

Each import *replaces* every stored denominator of its ``--kind`` (default ``residents``), so a
new year's figures never mix with the last. Values must be numbers of 0 or more.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mmm.crs import WORKING_CRS
from mmm.errors import ImportRejected
from mmm.io import validate as v
from mmm.io.files import Source, read_source
from mmm.io.imports import (
    ImportReport,
    _bounds_xy,
    _crs_name,
    _no_column,
    _rejected_rows,
    _source_crs,
    _source_geometries,
)
from mmm.limits import NAME_CHARS
from mmm.store import BatchInfo, Store

#: Usual names of a polygon id column: ours, Statbel's statistical sectors, generic.
ID_NAMES = ("source_id", "cd_sector", "sector", "sector_id", "code", "id")
#: Usual names of the perimeter column of a table of values per perimeter.
PERIMETER_NAMES = ("perimeter", "perimeter_name", "name", "naam", "nom")
#: A kind is a short lowercase word: residents, dwellings, households…
KIND = re.compile(r"[a-z][a-z0-9_]{0,49}")

BAD_VALUE = "value missing, not a number, or below 0"
NOT_A_POLYGON = "not a polygon"
UNKNOWN_PERIMETER = "no stored perimeter of that name"
REPEATED = "the same id or perimeter twice in the file"


def import_denominators(
    store: Store,
    path: str | Path,
    *,
    value: str,
    kind: str = "residents",
    perimeter: str | None = None,
    id: str | None = None,
    layer: str | None = None,
    crs: str | None = None,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Replace the stored denominators of ``kind`` by a file's (see the module).

    Raises
    ------
    ImportRejected
        For an unreadable file, a bad kind, a missing value (or perimeter) column, or a file
        none of whose rows passed the rules (the stored denominators are then kept).
    """
    source = read_source(path, layer=layer)
    return import_denominator_source(
        store, source, value=value, kind=kind, perimeter=perimeter, id=id, crs=crs,
        dry_run=dry_run, actor=actor,
    )  # fmt: skip


def import_denominator_source(
    store: Store,
    source: Source,
    *,
    value: str,
    kind: str = "residents",
    perimeter: str | None = None,
    id: str | None = None,
    crs: str | None = None,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Validate and store denominators already read (see :func:`import_denominators`)."""
    if not KIND.fullmatch(kind):
        raise ImportRejected(
            f"--kind {kind!r}: a lowercase word of letters, digits and _ (e.g. residents)"
        )
    frame = source.frame
    v.find_column(frame.columns, value, (), "value", "--value")  # refuses a missing column
    reasons = v.Reasons(len(frame))
    text = frame[value].astype("string").str.strip().str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    reasons.flag(~(np.isfinite(values) & (values >= 0)), BAD_VALUE)
    by_perimeter = perimeter is not None or (
        source.geometry is None
        and v.find_column(frame.columns, None, ("wkt", "geometry", "geom"), "geometry", "") is None
    )
    notes: list[str] = []
    if by_perimeter:
        valid, crs_name = _per_perimeter(store, frame, perimeter, values, reasons), "–"
    else:
        valid, crs_name = _polygons(source, id, crs, values, reasons, notes)
    stored = len(store.denominators(kind))
    if stored:
        verb = "would replace" if dry_run else "replaced"
        notes.append(f"{verb} the {stored:,} {kind} rows stored before")
    report = ImportReport(
        kind=f"denominators ({kind})",
        source=source.name,
        crs=crs_name,
        read=len(frame),
        imported=len(valid),
        rejected=_rejected_rows(frame, reasons),
        notes=notes,
        dry_run=dry_run,
    )
    if dry_run:
        return report
    if not len(valid):
        raise ImportRejected(
            f"no row of {source.name} passed the rules: the stored {kind} denominators were kept"
        )
    batch = BatchInfo("denominators", source.name, actor, report.read, len(report.rejected))
    report.batch_id = store.replace_denominators(kind, valid, batch)
    return report


def _per_perimeter(
    store: Store, frame: pd.DataFrame, given: str | None, values: np.ndarray, reasons: v.Reasons
) -> pd.DataFrame:
    """Rows naming a stored perimeter: ``source_id`` (the name), ``value``, ``perimeter_id``."""
    column = v.find_column(frame.columns, given, PERIMETER_NAMES, "perimeter", "--perimeter")
    if column is None:
        raise ImportRejected(_no_column("perimeter name", "--perimeter", frame))
    names = frame[column].astype("string").str.strip()
    reasons.flag((names.isna() | (names == "")).to_numpy(), v.MISSING_NAME)
    stored = store.perimeters()
    ids = dict(zip(stored["name"].astype(str), stored["id"].astype(int), strict=True))
    known = names.map(lambda n: n in ids if isinstance(n, str) else False).to_numpy(dtype=bool)
    reasons.flag(~known, UNKNOWN_PERIMETER)
    _repeats(names.fillna("").to_numpy(dtype=object), reasons)
    ok = reasons.ok
    chosen = names.to_numpy(dtype=object)[ok]
    return pd.DataFrame(
        {
            "source_id": chosen,
            "value": values[ok],
            "perimeter_id": [ids[n] for n in chosen],
        }
    )


def _polygons(
    source: Source,
    given_id: str | None,
    crs: str | None,
    values: np.ndarray,
    reasons: v.Reasons,
    notes: list[str],
) -> tuple[gpd.GeoDataFrame, str]:
    """Valid polygons in EPSG:31370 with their id and value, and the source CRS's name."""
    frame = source.frame
    geoms = _source_geometries(source, reasons)
    src_crs = _source_crs(source, crs, *_bounds_xy(geoms))
    v.check_vertices(geoms, reasons)
    geoms = v.present(geoms)
    reasons.flag(pd.isna(geoms) | shapely.is_empty(geoms), v.EMPTY_GEOMETRY)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    reasons.flag(~polygonal, NOT_A_POLYGON)
    ok = reasons.ok
    fixed = np.full(len(geoms), None, dtype=object)
    fixed[ok] = [v.polygonal_part(shapely.make_valid(g)) for g in geoms[ok]]
    reasons.flag(pd.isna(fixed), NOT_A_POLYGON)
    ok = reasons.ok
    moved = np.full(len(geoms), None, dtype=object)
    if ok.any():
        moved[ok] = np.asarray(
            gpd.GeoSeries(list(fixed[ok]), crs=src_crs).to_crs(WORKING_CRS).values, dtype=object
        )
    finite = np.zeros(len(geoms), dtype=bool)
    finite[ok] = np.isfinite(shapely.bounds(moved[ok])).all(axis=1)
    reasons.flag(~finite, v.OUTSIDE_CRS)
    id_col = v.find_column(frame.columns, given_id, ID_NAMES, "id", "--id")
    if id_col is None:
        ids = np.array(
            ["" if g is None else hashlib.sha1(shapely.to_wkb(g)).hexdigest()[:16] for g in moved],
            dtype=object,
        )
        notes.append("no id column (--id): each polygon's id was derived from its shape")
    else:
        text = frame[id_col].astype("string").str.strip().str.removesuffix(".0")
        reasons.flag((text.isna() | (text == "")).to_numpy(), v.MISSING_ID)
        long = (text.str.len() > NAME_CHARS).fillna(False).to_numpy(dtype=bool)
        reasons.flag(long, f"id longer than {NAME_CHARS:,} characters")
        ids = text.fillna("").to_numpy(dtype=object)
    _repeats(ids, reasons)
    ok = reasons.ok
    valid = gpd.GeoDataFrame(
        {"source_id": ids[ok], "value": values[ok]}, geometry=list(moved[ok]), crs=WORKING_CRS
    )
    overlap = _overlap_share(valid.geometry.values)
    if overlap > 0.01:
        notes.append(
            f"the polygons overlap ({overlap:.0%} of their area): areal weighting counts an "
            "overlapping area's residents twice — use a layer whose polygons do not overlap"
        )
    return valid, _crs_name(src_crs)


def _repeats(keys: np.ndarray, reasons: v.Reasons) -> None:
    """Reject every row whose key (id or perimeter name) appears twice among the good rows."""
    ok = reasons.ok
    seen = pd.Series(keys[ok]).duplicated(keep=False).to_numpy()
    repeated = np.zeros(len(keys), dtype=bool)
    repeated[np.flatnonzero(ok)[seen]] = True
    reasons.flag(repeated, REPEATED)


def _overlap_share(geoms: np.ndarray) -> float:
    """The share of the polygons' total area that lies in more than one of them."""
    if len(geoms) < 2:
        return 0.0
    total = float(shapely.area(geoms).sum())
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    shared = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum()
    return float(shared) / total if total > 0 else 0.0
