"""Import incidents, perimeters and the zone outline: read → validate → store, with a report.

Every import is one transaction. Rows that fail a rule are not stored; they are returned in the
:class:`ImportReport` with their reason (and written to a rejects CSV by :func:`write_rejects`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from mmm.crs import WORKING_CRS, missing_crs_error, parse_crs
from mmm.errors import ImportRejected
from mmm.io import validate as v
from mmm.io.crosswalk import Crosswalk, resolve_phenomena
from mmm.io.files import Source, read_source
from mmm.io.writers import write_csv
from mmm.store import BatchInfo, Progress, Store

X_NAMES = ("x", "x_lambert", "lambert_x", "x_coord", "xcoord", "longitude", "lon", "lng")
Y_NAMES = ("y", "y_lambert", "lambert_y", "y_coord", "ycoord", "latitude", "lat")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom")
PHENOMENON_NAMES = ("phenomenon", "fenomeen", "phenomene", "phénomène", "category", "categorie")
DATE_NAMES = ("date", "datum", "occurred", "feitdatum", "date_fait", "datetime")
ID_NAMES = ("id", "incident_id", "pv", "pv_nummer", "pv_number", "source_id")
NAME_NAMES = ("name", "naam", "nom", "perimeter")
DESCRIPTION_NAMES = ("description", "beschrijving", "omschrijving")


@dataclass
class ImportReport:
    """What an import read, stored and rejected (with reasons), and what it noticed."""

    kind: str
    source: str
    crs: str
    read: int
    imported: int
    rejected: pd.DataFrame
    undated: int = 0
    notes: list[str] = field(default_factory=list)
    #: The perimeter notes as codes and values (``("overlap", {"first": …})``), for a page
    #: that words them in its reader's language; ``notes`` words them in English.
    facts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    dry_run: bool = False
    batch_id: int | None = None

    def reasons(self) -> dict[str, int]:
        """Rejected rows per reason, most frequent first."""
        return dict(Counter(self.rejected["reason"]).most_common()) if len(self.rejected) else {}


@dataclass(frozen=True)
class IncidentColumns:
    """Which columns hold what; ``None`` means: look for a usual name."""

    x: str | None = None
    y: str | None = None
    phenomenon: str | None = None
    date: str | None = None
    id: str | None = None
    date_to: str | None = None  # the end of a window the incident lies in (no usual name)


def import_incidents(
    store: Store,
    path: str | Path,
    *,
    layer: str | None = None,
    columns: IncidentColumns = IncidentColumns(),
    crs: str | None = None,
    keep_outside: bool = False,
    max_distance_m: float = 1000.0,
    dry_run: bool = False,
    actor: str = "cli",
    progress: Progress | None = None,
    crosswalk: Crosswalk | None = None,
) -> ImportReport:
    """Import the incidents of a file (any GDAL format) into ``store``.

    Parameters
    ----------
    crs
        The file's CRS when it declares none (a CSV); refused when it contradicts the file.
    keep_outside
        Keep rows more than ``max_distance_m`` metres outside the zone outline instead of
        rejecting them.
    dry_run
        Validate and report, store nothing.
    crosswalk
        How the file's values become the zone's phenomena (:mod:`mmm.io.crosswalk`);
        ``None``: the values are stored as they are written (the caller's are codes).
    """
    source = read_source(path, layer=layer)
    return import_incident_source(
        store,
        source,
        columns=columns,
        crs=crs,
        keep_outside=keep_outside,
        max_distance_m=max_distance_m,
        dry_run=dry_run,
        actor=actor,
        progress=progress,
        crosswalk=crosswalk,
    )


def import_incident_source(
    store: Store,
    source: Source,
    *,
    columns: IncidentColumns = IncidentColumns(),
    crs: str | None = None,
    keep_outside: bool = False,
    max_distance_m: float = 1000.0,
    dry_run: bool = False,
    actor: str = "cli",
    progress: Progress | None = None,
    crosswalk: Crosswalk | None = None,
) -> ImportReport:
    """Validate and store incidents already read (see :func:`import_incidents`)."""
    frame = source.frame
    reasons = v.Reasons(len(frame))
    notes: list[str] = []
    x, y = _incident_coordinates(source, columns, reasons)
    src_crs = _source_crs(source, crs, x, y)
    x, y = v.to_working_crs(x, y, src_crs, reasons)

    phen_col = v.find_column(
        frame.columns, columns.phenomenon, PHENOMENON_NAMES, "phenomenon", "--phenomenon"
    )
    if phen_col is None:
        raise ImportRejected(_no_column("phenomenon", "--phenomenon", frame))
    date_col = v.find_column(frame.columns, columns.date, DATE_NAMES, "date", "--date")
    if date_col is None:
        raise ImportRejected(_no_column("date", "--date", frame))
    id_col = v.find_column(frame.columns, columns.id, ID_NAMES, "id", "--id")

    phenomena = frame[phen_col].astype("string").str.strip()
    reasons.flag(v.is_blank(frame[phen_col]), v.MISSING_PHENOMENON)
    reasons.flag(v.has_control(phenomena), v.CONTROL_IN_PHENOMENON)
    if crosswalk is not None:
        codes, phenomenon_notes = resolve_phenomena(phenomena, crosswalk, reasons)
        phenomena = pd.Series(codes, dtype="string")
        notes += phenomenon_notes
    occurred = v.parse_dates(frame[date_col], reasons)
    ends = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[s]")
    if columns.date_to is not None:
        end_col = v.find_column(frame.columns, columns.date_to, (), "end date", "--date-to")
        ends = v.parse_window_ends(frame[str(end_col)], occurred, reasons)

    zone = store.stored_zone()
    if zone is None:
        notes.append(
            "no zone outline stored: the zone is the convex hull of the data, so no row was "
            "checked for lying outside it (load one with: mmm import zone FILE)"
        )
    elif keep_outside:
        n_out = int((v.outside(x, y, zone.geometry, max_distance_m) & reasons.ok).sum())
        notes.append(
            f"{n_out} rows lie more than {max_distance_m:g} m outside the zone; kept (--keep-outside)"
        )
    else:
        reasons.flag(
            v.outside(x, y, zone.geometry, max_distance_m),
            f"{v.OUTSIDE_ZONE} (more than {max_distance_m:g} m)",
        )

    if id_col is None:
        ids = v.content_ids(frame)
        notes.append("no id column (--id): ids were derived from each row's contents")
    else:
        ids = frame[id_col].astype("string").str.strip().to_numpy(dtype=object, na_value=None)
    candidates = ids[reasons.ok]
    v.check_ids(ids, store.incident_ids(str(i) for i in candidates if i is not None), reasons)

    ok = reasons.ok
    valid = pd.DataFrame(
        {
            "source_id": ids[ok],
            "phenomenon": phenomena.to_numpy(dtype=object)[ok],
            "occurred": occurred[ok],
            "date_to": ends[ok],
            "x": x[ok],
            "y": y[ok],
        }
    )
    report = ImportReport(
        kind="incidents",
        source=source.name,
        crs=_crs_name(src_crs),
        read=len(frame),
        imported=len(valid),
        rejected=_rejected_rows(frame, reasons),
        undated=int(np.isnat(valid["occurred"].to_numpy()).sum()),
        notes=notes,
        dry_run=dry_run,
    )
    if not dry_run:
        batch = BatchInfo("incidents", source.name, actor, report.read, len(report.rejected))
        report.batch_id = store.add_incidents(valid, batch, progress=progress)
    return report


def _incident_coordinates(
    source: Source, columns: IncidentColumns, reasons: v.Reasons
) -> tuple[np.ndarray, np.ndarray]:
    frame = source.frame
    if (columns.x is None) != (columns.y is None):
        raise ImportRejected("give both --x and --y, or neither")
    if columns.x is not None or source.is_table:
        xcol = v.find_column(frame.columns, columns.x, X_NAMES, "x coordinate", "--x")
        ycol = v.find_column(frame.columns, columns.y, Y_NAMES, "y coordinate", "--y")
        if xcol is not None and ycol is not None:
            return v.points_from_xy_columns(frame, xcol, ycol, reasons)
        wkt = v.find_column(frame.columns, None, WKT_NAMES, "geometry", "")
        if wkt is None:
            raise ImportRejected(
                "no coordinates: give the x/y columns with --x COL --y COL, or provide a WKT "
                f"column; columns in the file: {', '.join(map(str, frame.columns))}"
            )
        return v.points_from_geometries(v.geometries_from_wkt(frame[wkt], reasons), reasons)
    assert source.geometry is not None
    return v.points_from_geometries(source.geometry, reasons)


def _source_crs(source: Source, given: str | None, x: np.ndarray, y: np.ndarray) -> CRS:
    """The CRS declared by the file, or given by the user; never guessed."""
    declared = source.crs
    if given is not None:
        user = parse_crs(given)
        if declared is not None and not CRS.from_user_input(declared).equals(user):
            raise ImportRejected(
                f"--crs {given} contradicts the file's own CRS ({_crs_name(declared)}); "
                "leave out --crs to use the file's"
            )
        return user
    if declared is None:
        raise missing_crs_error(x, y)
    return CRS.from_user_input(declared)


def _crs_name(crs: CRS | str) -> str:
    crs = CRS.from_user_input(crs)
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def _no_column(what: str, flag: str, frame: pd.DataFrame) -> str:
    return (
        f"no {what} column found: name it with {flag} COL; "
        f"columns in the file: {', '.join(map(str, frame.columns))}"
    )


def _rejected_rows(frame: pd.DataFrame, reasons: v.Reasons) -> pd.DataFrame:
    """The rejected rows as read, with their 1-based row number and reason in front."""
    bad = ~reasons.ok
    rows = frame.loc[bad].copy()
    rows.insert(0, "reason", reasons.values[bad])
    rows.insert(0, "row", np.flatnonzero(bad) + 1)
    return rows.reset_index(drop=True)


def write_rejects(report: ImportReport, path: str | Path) -> Path | None:
    """Write the rejected rows (with ``row`` and ``reason``) to a CSV; nothing when none."""
    if not len(report.rejected):
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(report.rejected, path)
    return path


def import_perimeters(
    store: Store,
    path: str | Path,
    *,
    layer: str | None = None,
    name: str | None = None,
    crs: str | None = None,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Import micro-local perimeters ((multi)polygons with a unique name) from a file.

    Invalid geometries are repaired with ``make_valid`` and reported; overlaps between
    perimeters (new or stored) are allowed and reported.
    """
    source = read_source(path, layer=layer)
    return import_perimeter_source(store, source, name=name, crs=crs, dry_run=dry_run, actor=actor)


def import_perimeter_source(
    store: Store,
    source: Source,
    *,
    name: str | None = None,
    crs: str | None = None,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Validate and store perimeters already read (see :func:`import_perimeters`)."""
    frame = source.frame
    reasons = v.Reasons(len(frame))
    geoms = _source_geometries(source, reasons)
    src_crs = _source_crs(source, crs, *_bounds_xy(geoms))
    name_col = v.find_column(frame.columns, name, NAME_NAMES, "perimeter name", "--name")
    if name_col is None:
        raise ImportRejected(_no_column("name", "--name", frame))
    names = v.check_names(frame[name_col], store.perimeter_names(), reasons)
    desc_col = v.find_column(frame.columns, None, DESCRIPTION_NAMES, "description", "")
    descriptions = (
        v.check_descriptions(frame[desc_col], reasons)
        if desc_col
        else np.full(len(frame), "", dtype=object)
    )
    v.check_vertices(geoms, reasons)
    geoms, repaired = v.polygons(geoms, reasons)
    ok = reasons.ok
    valid = gpd.GeoDataFrame(
        {"name": names[ok], "description": descriptions[ok]},
        geometry=list(geoms[ok]),
        crs=src_crs,
    ).to_crs(WORKING_CRS)
    facts: list[tuple[str, dict[str, Any]]] = [
        ("repaired", {"name": str(names[pos]), "row": pos + 1}) for pos in repaired if ok[pos]
    ]
    facts += overlap_facts(valid, store.perimeters())
    report = ImportReport(
        kind="perimeters",
        source=source.name,
        crs=_crs_name(src_crs),
        read=len(frame),
        imported=len(valid),
        rejected=_rejected_rows(frame, reasons),
        notes=[_note(code, values) for code, values in facts],
        facts=facts,
        dry_run=dry_run,
    )
    if not dry_run:
        batch = BatchInfo("perimeters", source.name, actor, report.read, len(report.rejected))
        report.batch_id = store.add_perimeters(valid, batch)
    return report


def _source_geometries(source: Source, reasons: v.Reasons) -> np.ndarray:
    if source.geometry is not None:
        return source.geometry
    wkt = v.find_column(source.frame.columns, None, WKT_NAMES, "geometry", "")
    if wkt is None:
        raise ImportRejected(
            f"{source.name} has no geometry: use a GeoPackage, Shapefile, GeoJSON, or a CSV "
            "with a WKT column"
        )
    return v.geometries_from_wkt(source.frame[wkt], reasons)


def _bounds_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Corner coordinates of the geometries, to suggest a CRS when none is declared."""
    b = shapely.bounds(v.present(geoms))
    return np.concatenate([b[:, 0], b[:, 2]]), np.concatenate([b[:, 1], b[:, 3]])


def _note(code: str, values: dict[str, Any]) -> str:
    """A perimeter import's fact in English (the CLI's report)."""
    if code == "repaired":
        return (
            f"repaired invalid geometry of {values['name']!r} (row {values['row']}) with make_valid"
        )
    return (
        f"overlap: {values['first']!r} and {values['second']!r} share {values['area']:,.0f} m² "
        "(allowed; incidents there count in both)"
    )


def overlap_facts(
    new: gpd.GeoDataFrame, stored: gpd.GeoDataFrame
) -> list[tuple[str, dict[str, Any]]]:
    """One ``("overlap", {first, second, area})`` per pair of overlapping perimeters (new with
    new, new with stored; ``area`` in m²)."""
    everything = pd.concat([new[["name", "geometry"]], stored[["name", "geometry"]]])
    geoms = everything.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms[: len(new)], predicate="overlaps")
    notes: list[tuple[str, dict[str, Any]]] = []
    for i, j in zip(left, right, strict=True):
        if j < len(new) and j <= i:
            continue  # each pair of new perimeters once
        area = float(shapely.area(shapely.intersection(geoms[i], geoms[j])))
        names = {
            "first": str(everything["name"].iloc[i]),
            "second": str(everything["name"].iloc[j]),
        }
        notes.append(("overlap", {**names, "area": area}))
    return notes


def import_zone(
    store: Store,
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    actor: str = "cli",
) -> ImportReport:
    """Store the zone outline: the (multi)polygons of the file, dissolved into one."""
    source = read_source(path, layer=layer)
    reasons = v.Reasons(len(source))
    geoms = _source_geometries(source, reasons)
    src_crs = _source_crs(source, crs, *_bounds_xy(geoms))
    geoms, repaired = v.polygons(geoms, reasons)
    ok = reasons.ok
    if not ok.any():
        raise ImportRejected(f"{source.name} holds no polygon to use as the zone outline")
    outline = gpd.GeoSeries([shapely.union_all(geoms[ok])], crs=src_crs).to_crs(WORKING_CRS)[0]
    notes = [f"row {pos + 1}: invalid geometry repaired with make_valid" for pos in repaired]
    if ok.sum() > 1:
        notes.append(f"{int(ok.sum())} features dissolved into one outline")
    notes.append(f"zone area {outline.area / 1e6:,.2f} km²")
    report = ImportReport(
        kind="zone",
        source=source.name,
        crs=_crs_name(src_crs),
        read=len(source),
        imported=1,
        rejected=_rejected_rows(source.frame, reasons),
        notes=notes,
    )
    batch = BatchInfo("zone", source.name, actor, report.read, len(report.rejected))
    report.batch_id = store.set_zone(Path(source.name).stem, outline, batch)
    return report
