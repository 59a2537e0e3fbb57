"""Import a zone's street network: read → validate → replace the stored segments, with a report.

The rules are those of a perimeter import: the CRS is the file's own (or ``--crs`` for a file
that declares none, never guessed), every rejected row is reported with its reason, and the
stored set changes in one audited transaction — here it is *replaced* as a whole, so a zone
re-imports a newer Road Register (Wegenregister), GRB or OpenStreetMap extract without mixing
two of them. Segments keep their name and a stable id: the file's own (``--id COL``, or a usual
id column) or, without one, an id derived from the line itself, the same on every re-import of
an unchanged line.
"""

from __future__ import annotations

import hashlib
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

#: Usual names of the street-name column: OpenStreetMap, Road Register (left street name), GRB.
STREET_NAME_NAMES = ("name", "straatnaam", "streetname", "street", "naam", "nom", "lstrnm")
#: Usual names of a segment id column: ours, Road Register (WS_OIDN), OpenStreetMap.
SEGMENT_ID_NAMES = ("segment_id", "ws_oidn", "wegsegmentid", "osm_id", "id")

NOT_A_LINE = "not a line"
ZERO_LENGTH = "line of zero length"
SAME_LINE_TWICE = "the same line twice in the file"
LONG_ID = f"id longer than {NAME_CHARS:,} characters"


def import_streets(
    store: Store,
    path: str | Path,
    *,
    layer: str | None = None,
    name: str | None = None,
    id: str | None = None,
    crs: str | None = None,
    max_distance_m: float = 1000.0,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Replace the zone's street segments by the lines of a file (any GDAL format).

    Parameters
    ----------
    store
        The store whose streets are replaced.
    path, layer
        The file, and its layer when it has several.
    name, id
        The columns of the street name and of the segment id (default: a usual name; without
        an id column each line gets an id derived from its coordinates).
    crs
        The file's CRS when it declares none (a CSV with WKT); refused when it contradicts it.
    max_distance_m
        With a stored zone outline, segments lying wholly farther than this outside it are
        rejected (an extract of a larger area keeps only the zone's streets).
    dry_run
        Validate and report, store nothing.
    actor
        Who the audit trail names.

    Raises
    ------
    ImportRejected
        For an unreadable file, a missing name or id column, or a file none of whose lines
        passed the rules (the stored streets are then kept as they were).
    """
    source = read_source(path, layer=layer)
    return import_street_source(
        store,
        source,
        name=name,
        id=id,
        crs=crs,
        max_distance_m=max_distance_m,
        dry_run=dry_run,
        actor=actor,
    )


def import_street_source(
    store: Store,
    source: Source,
    *,
    name: str | None = None,
    id: str | None = None,
    crs: str | None = None,
    max_distance_m: float = 1000.0,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Validate and store street segments already read (see :func:`import_streets`)."""
    frame = source.frame
    reasons = v.Reasons(len(frame))
    geoms = _source_geometries(source, reasons)
    src_crs = _source_crs(source, crs, *_bounds_xy(geoms))
    name_col = v.find_column(frame.columns, name, STREET_NAME_NAMES, "street name", "--name")
    if name_col is None:
        raise ImportRejected(_no_column("street name", "--name", frame))
    id_col = v.find_column(frame.columns, id, SEGMENT_ID_NAMES, "segment id", "--id")
    names = _street_names(frame[name_col], reasons)
    v.check_vertices(geoms, reasons)
    geoms = _lines(geoms, reasons)
    geoms = _to_working_crs(geoms, src_crs, reasons)
    notes = _outside_zone(store, geoms, max_distance_m, reasons)
    if id_col is None:
        ids = _line_ids(geoms, reasons)
        notes.append(
            "no id column (--id): each segment's id was derived from its line (the same on "
            "every re-import of an unchanged line)"
        )
    else:
        ids = _file_ids(frame[id_col], reasons)
    ok = reasons.ok
    valid = gpd.GeoDataFrame(
        {"segment_id": ids[ok], "name": names[ok]}, geometry=list(geoms[ok]), crs=WORKING_CRS
    )
    unnamed = int((valid["name"] == "").sum())
    if unnamed:
        notes.append(f"{unnamed:,} segments have no street name (kept, unnamed)")
    stored = store.street_count()
    if stored:
        verb = "would replace" if dry_run else "replaced"
        notes.append(f"{verb} the {stored:,} segments stored before")
    report = ImportReport(
        kind="streets",
        source=source.name,
        crs=_crs_name(src_crs),
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
            f"no line of {source.name} passed the rules ({_reasons_line(report)}): "
            "the stored streets were kept"
        )
    batch = BatchInfo("streets", source.name, actor, report.read, len(report.rejected))
    report.batch_id = store.replace_streets(valid, batch)
    return report


def _street_names(values: pd.Series, reasons: v.Reasons) -> np.ndarray:
    """Names stripped (a missing one is empty: unnamed segments are kept); too long names and
    control characters are rejected."""
    text = values.astype("string").str.strip().fillna("")
    reasons.flag((text.str.len() > NAME_CHARS).to_numpy(dtype=bool), v.LONG_NAME)
    reasons.flag(v.has_control(text), v.CONTROL_IN_NAME)
    return text.to_numpy(dtype=object)


def _lines(geoms: np.ndarray, reasons: v.Reasons) -> np.ndarray:
    """Keep (multi)lines of some length; empty geometries, other types and points are rejected."""
    missing = pd.isna(geoms)
    geoms = v.present(geoms)
    empty = missing | shapely.is_empty(geoms)
    reasons.flag(empty, v.EMPTY_GEOMETRY)
    reasons.flag(~np.isin(shapely.get_type_id(geoms), (1, 5)), NOT_A_LINE)
    reasons.flag(~(shapely.length(geoms) > 0), ZERO_LENGTH)
    return geoms


def _to_working_crs(geoms: np.ndarray, crs: object, reasons: v.Reasons) -> np.ndarray:
    """The lines in EPSG:31370; lines the transformation cannot map are rejected."""
    out = np.full(len(geoms), None, dtype=object)
    ok = reasons.ok
    if ok.any():
        moved = gpd.GeoSeries(list(geoms[ok]), crs=crs).to_crs(WORKING_CRS)
        out[ok] = np.asarray(moved.values, dtype=object)
    finite = np.zeros(len(geoms), dtype=bool)
    finite[ok] = np.isfinite(shapely.bounds(out[ok])).all(axis=1)
    reasons.flag(~finite, v.OUTSIDE_CRS)
    return out


def _outside_zone(
    store: Store, geoms: np.ndarray, distance: float, reasons: v.Reasons
) -> list[str]:
    """Reject segments wholly farther than ``distance`` from the stored zone outline."""
    zone = store.stored_zone()
    if zone is None:
        return [
            "no zone outline stored: no segment was checked for lying outside it (load one "
            "with: mmm import zone FILE)"
        ]
    margin = shapely.buffer(zone.geometry, distance) if distance > 0 else zone.geometry
    shapely.prepare(margin)
    ok = reasons.ok
    far = np.zeros(len(geoms), dtype=bool)
    far[ok] = ~shapely.intersects(margin, geoms[ok])
    reasons.flag(far, f"{v.OUTSIDE_ZONE} (more than {distance:g} m)")
    return []


def _file_ids(values: pd.Series, reasons: v.Reasons) -> np.ndarray:
    """The file's segment ids as text (whole numbers without ``.0``); blank, too long and
    repeated ids are rejected (the first of a repeat stays)."""
    if pd.api.types.is_float_dtype(values):
        finite = values.dropna()
        if (finite == finite.round()).all():
            values = values.astype("Int64")
    text = values.astype("string").str.strip()
    reasons.flag((text.str.len() > NAME_CHARS).fillna(False).to_numpy(dtype=bool), LONG_ID)
    ids = text.to_numpy(dtype=object, na_value=None)
    v.check_ids(ids, set(), reasons)
    return ids


def _line_ids(geoms: np.ndarray, reasons: v.Reasons) -> np.ndarray:
    """An id per line from its coordinates rounded to the centimetre: ``seg-`` and 12 hex digits.

    A line given twice gets the same id; the second is rejected.
    """
    ids = np.full(len(geoms), None, dtype=object)
    ok = np.flatnonzero(reasons.ok)
    coords, index = shapely.get_coordinates(geoms[ok], return_index=True)
    cuts = np.searchsorted(index, np.arange(1, len(ok)))
    for pos, part in zip(ok, np.split(np.round(coords, 2) + 0.0, cuts), strict=True):
        ids[pos] = "seg-" + hashlib.blake2b(part.tobytes(), digest_size=6).hexdigest()
    repeated = np.zeros(len(geoms), dtype=bool)
    repeated[ok] = pd.Series(ids[ok]).duplicated(keep="first").to_numpy()
    reasons.flag(repeated, SAME_LINE_TWICE)
    return ids


def _reasons_line(report: ImportReport) -> str:
    """``reason: n, …`` of a report's rejected rows."""
    return ", ".join(f"{reason}: {n:,}" for reason, n in report.reasons().items()) or "no rows"
