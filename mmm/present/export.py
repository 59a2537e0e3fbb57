"""Exports for partners and QGIS: a registry of datasets × a registry of file formats.

``.geojson`` is RFC 7946 (EPSG:4326, lon/lat, no ``crs`` member), ``.gpkg`` keeps EPSG:31370,
``.csv`` is a plain table (geometries as WKT in EPSG:31370). Counts as a map (GeoJSON or
GeoPackage) are the perimeters with one property per phenomenon. The CLI and the web app both
go through :func:`export`, and every export is written to the audit trail.

The columns of each dataset are a contract and stay as they are; after them come label columns
per language (:func:`mmm.access.labels.label_columns`): ``phenomenon_label_nl``… with the
incidents and in the counts table (with ``perimeter_label_nl``…), ``name_label_nl``… and ``status_label_nl``… with the
perimeters, and in the counts map (whose keys are phenomenon codes) a legend per language,
``phenomena_nl``: ``"burglary_dwelling: Woninginbraak; drugs: Drugs; …"``. The words of fixed
codes (a perimeter's status) come from the caller's ``words``; without them (the command line)
a code is its own label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mmm.access.audit import check_purpose
from mmm.access.labels import Words, label_columns, perimeter_words, phenomenon_words
from mmm.access.vocabulary import LANGUAGES
from mmm.counting.count import Period, count_incidents
from mmm.crs import WORKING_CRS
from mmm.io.writers import WRITERS
from mmm.store import Store


@dataclass(frozen=True)
class ExportOptions:
    """Which slice of the data an export holds (used by ``counts`` and ``incidents``)."""

    period: Period = "all"
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class ExportResult:
    """The file written and how many rows (features) it holds."""

    path: Path
    rows: int


def _perimeters(
    store: Store, fmt: str, options: ExportOptions, words: Mapping[str, Words]
) -> pd.DataFrame:
    frame = store.perimeters()
    frame.insert(len(frame.columns) - 1, "area_km2", (frame.geometry.area / 1e6).round(4))
    return label_columns(frame, {"name": perimeter_words(store), "status": words.get("status", {})})


def _incidents(
    store: Store, fmt: str, options: ExportOptions, words: Mapping[str, Words]
) -> pd.DataFrame:
    frame = store.incidents(start=options.start, end=options.end)
    frame["occurred"] = frame["occurred"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    frame["date_to"] = frame["date_to"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    frame = label_columns(frame, {"phenomenon": phenomenon_words(store)})
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=WORKING_CRS
    )


def _counts(
    store: Store, fmt: str, options: ExportOptions, words: Mapping[str, Words]
) -> pd.DataFrame:
    perimeters = store.perimeters()
    incidents = store.incidents(start=options.start, end=options.end)
    phenomenon_names = phenomenon_words(store)
    if fmt == "csv":
        table = count_incidents(
            incidents, perimeters, period=options.period, start=options.start, end=options.end
        )
        return label_columns(
            table, {"perimeter": perimeter_words(store), "phenomenon": phenomenon_names}
        )
    table = count_incidents(
        incidents, perimeters, period="all", start=options.start, end=options.end
    )
    wide = table.pivot_table(index="perimeter", columns="phenomenon", values="count", aggfunc="sum")
    phenomena = sorted(store.phenomena()["code"])
    wide = wide.reindex(index=perimeters["name"], columns=phenomena).fillna(0).astype(int)
    wide["total"] = wide.sum(axis=1)
    out = perimeters[["id", "name", "geometry"]].join(wide, on="name")
    for language in LANGUAGES:
        names = phenomenon_names[language]
        out[f"phenomena_{language}"] = "; ".join(f"{c}: {names.get(c, c)}" for c in phenomena)
    return out[[c for c in out.columns if c != "geometry"] + ["geometry"]]


#: What can be exported: name → function building the frame for a format (and the words of
#: its fixed codes, see the module).
DATASETS: dict[str, Callable[[Store, str, ExportOptions, Mapping[str, Words]], pd.DataFrame]] = {
    "perimeters": _perimeters,
    "incidents": _incidents,
    "counts": _counts,
}


def export(
    store: Store,
    dataset: str,
    path: str | Path,
    *,
    options: ExportOptions = ExportOptions(),
    actor: str = "cli",
    purpose: str = "analysis",
    words: Mapping[str, Words] | None = None,
) -> ExportResult:
    """Write ``dataset`` (``perimeters``, ``incidents`` or ``counts``) to ``path``.

    The format follows the suffix: ``.geojson``/``.json``, ``.gpkg`` or ``.csv``. ``words``
    gives, per coded column (``status``), the labels in each language (see the module).

    Raises
    ------
    ValueError
        For an unknown dataset or suffix; the message lists the possible ones.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if dataset not in DATASETS:
        raise ValueError(f"unknown export {dataset!r}: choose one of {', '.join(DATASETS)}")
    if fmt not in WRITERS:
        raise ValueError(
            f"{path.name}: unsupported format; use one of {', '.join('.' + f for f in WRITERS)}"
        )
    check_purpose(purpose)
    frame = DATASETS[dataset](store, fmt, options, words or {})
    WRITERS[fmt](frame, path, dataset)
    detail = {
        "purpose": check_purpose(purpose),
        "file": path.name,
        "rows": len(frame),
        "period": options.period,
        "from": str(options.start or ""),
        "to": str(options.end or ""),
    }
    store.record(actor, "export", dataset, "", detail)
    return ExportResult(path, len(frame))
