"""The CSV import part of bench/aggregate.py: generated rows written to a CSV, imported into a
fresh SQLite (and PostGIS) store, split approximately into read, validate and store phases; and
the same import into another fresh SQLite store the old way (:func:`old_import_path`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
from cli import progress
from synthetic import CRS, generate_incidents, zone_outline

import mmm.io.files
import mmm.store.base
import mmm.store.incidents
from mmm.io.files import read_source
from mmm.io.imports import IncidentColumns, import_incident_source, import_incidents
from mmm.store import BatchInfo, Store, open_store


@dataclass(frozen=True)
class ImportTiming:
    """Seconds of one CSV import, and of its phases measured on their own."""

    rows: int
    total_s: float
    read_s: float
    validate_s: float
    before_s: float | None = None  # the same import the old way (SQLite only)

    @property
    def store_s(self) -> float:
        return max(self.total_s - self.read_s - self.validate_s, 0.0)


def write_incident_csv(frame: pd.DataFrame, path: Path) -> Path:
    """The incidents as a police export would have them: id, phenomenon, ISO date, x, y (cm)."""
    ids = np.char.mod("PV-%08d", np.arange(len(frame))).astype(object)
    dates = np.datetime_as_string(frame["occurred"].to_numpy(dtype="datetime64[s]"), unit="s")
    pd.DataFrame(
        {
            "id": ids,
            "phenomenon": frame["phenomenon"],
            "date": dates,
            "x": frame["x"].round(2),
            "y": frame["y"].round(2),
        }
    ).to_csv(path, index=False)
    return path


def bench_import(
    rows: int, rng: np.random.Generator, workdir: Path, postgis_url: str | None = None
) -> tuple[ImportTiming, ImportTiming | None]:
    """Time ``import_incidents`` of a fresh CSV into a fresh SQLite store (one run), and into
    a fresh PostGIS store at ``postgis_url`` when one is given.

    Read and validate are timed on their own (``read_source``, then a dry run on the same
    source); the store phase is what remains of the full import, so the split is approximate.
    """
    progress(f"import: writing {rows:,} rows to a CSV")
    path = write_incident_csv(generate_incidents(rows, rng), workdir / "incidents.csv")
    on_sqlite = _timed_import(open_store(f"sqlite:///{workdir / 'bench.sqlite'}"), path, rows)
    progress("import: the old way")
    with old_import_path():
        before = _timed_import(open_store(f"sqlite:///{workdir / 'before.sqlite'}"), path, rows)
    on_sqlite = ImportTiming(**{**on_sqlite.__dict__, "before_s": before.total_s})
    if postgis_url is None:
        return on_sqlite, None
    progress("import into PostGIS")
    return on_sqlite, _timed_import(open_store(postgis_url), path, rows)


def _timed_import(store: Store, path: Path, rows: int) -> ImportTiming:
    try:
        store.set_zone("bench area", zone_outline(), BatchInfo("zone", "bench", "bench", 1, 0))
        columns = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
        progress("import: read")
        start = time.perf_counter()
        source = read_source(path)
        read_s = time.perf_counter() - start
        progress("import: validate (dry run)")
        start = time.perf_counter()
        import_incident_source(store, source, columns=columns, crs=CRS, dry_run=True)
        validate_s = time.perf_counter() - start
        progress("import: full import")
        start = time.perf_counter()
        report = import_incidents(store, path, crs=CRS, columns=columns, actor="bench")
        total_s = time.perf_counter() - start
    finally:
        store.close()
    if report.imported != rows:
        raise RuntimeError(f"imported {report.imported} of {rows} rows: {report.reasons()}")
    return ImportTiming(rows, total_s, read_s, validate_s)


def import_rows(imp: ImportTiming) -> list[tuple[str, str, str]]:
    """The SQLite import lines of the side-by-side table: the total, its phases, the old way."""
    rate = imp.rows / imp.total_s
    found = [
        (f"CSV import of {imp.rows:,} rows, total", f"{imp.total_s:.3f} s", f"{rate:,.0f} rows/s"),
        ("  read (read_source: Arrow's CSV reader)", f"{imp.read_s:.3f} s", "timed on its own"),
        ("  validate (dry run)", f"{imp.validate_s:.3f} s", "timed on its own"),
        ("  store (total − read − validate)", f"{imp.store_s:.3f} s", "approximate"),
    ]
    if imp.before_s is not None:
        old = imp.rows / imp.before_s
        found.append(("  the same import the old way (baseline)", f"{imp.before_s:.3f} s",
                      f"{old:,.0f} rows/s; now {imp.before_s / imp.total_s:.1f}× faster"))  # fmt: skip
    return found


def _old_iso_seconds(values: pd.Series) -> np.ndarray:
    """How ``Store.add_incidents`` wrote dates before: numpy's ``datetime_as_string``."""
    arr = pd.to_datetime(values).to_numpy(dtype="datetime64[s]")
    text = np.datetime_as_string(arr, unit="s").astype(object)
    text[np.isnat(arr)] = None
    return text


@contextmanager
def old_import_path() -> Iterator[None]:
    """For the ``with`` block, import as before: GDAL reads the CSV (the Arrow reader steps
    aside), one row per INSERT statement, dates written by numpy."""
    with ExitStack() as stack:
        stack.enter_context(patch.object(mmm.io.files, "read_plain_csv", lambda path: None))
        stack.enter_context(patch.object(mmm.store.base, "ROWS_PER_INSERT", 1))
        stack.enter_context(patch.object(mmm.store.incidents, "_iso_seconds", _old_iso_seconds))
        yield


def postgis_import_row(imp: ImportTiming) -> tuple[str, str, str]:
    """The PostGIS import line of the side-by-side table."""
    rate = imp.rows / imp.total_s
    return (
        f"CSV import of {imp.rows:,} rows into PostGIS, total",
        f"{imp.total_s:.3f} s",
        f"{rate:,.0f} rows/s (store ≈ {imp.store_s:.3f} s)",
    )
