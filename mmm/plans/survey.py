"""Subjective monitoring: survey and consultation results per perimeter and period, from CSV.

Why a file: a zone gets these figures from the municipality's safety survey, a
resident consultation or a complaints register, as a spreadsheet. One row is one figure:

============  ========  =====================================================================
column        required  meaning
============  ========  =====================================================================
perimeter     yes       the perimeter's name, as stored (``Stationsbuurt``)
period        yes       ``2025`` (a year), ``2025-Q2``, ``2025-03`` or ``FROM:TO`` with
                        ``YYYY-MM-DD`` or ``YYYY-MM`` ends (``2025-01:2025-06``)
indicator     yes       a lower-case code: ``feeling_unsafe``, ``satisfaction_neighbourhood``,
                        ``complaints_noise``… (letters, digits, ``_``)
value         yes       a number (a decimal comma is fine)
unit          no        ``percent`` (0–100; the default when the column is absent),
                        ``count`` (a whole number ≥ 0) or ``score`` (any number)
respondents   no        how many people answered (a whole number ≥ 0); figures from fewer
                        than :data:`MIN_RESPONDENTS` are flagged when shown
source        no        the survey or register, e.g. ``Veiligheidsmonitor 2025``
============  ========  =====================================================================

Dutch, French and German column names are understood too (``periode``, ``waarde``,
``eenheid``, ``respondenten``, ``bron``…); separators ``,`` and ``;``. Rows are validated one by
one: good rows are stored in one transaction with an audit event, bad rows are reported with
their reason (the same report as an incident import, :class:`mmm.io.imports.ImportReport`). A
figure for a perimeter, period and indicator that is already stored is rejected unless
``replace`` is asked, which overwrites it. Only aggregates are kept: never a respondent.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO

import pandas as pd
from sqlalchemy import delete, insert, select

from mmm.errors import ImportRejected, InvalidPeriod
from mmm.evaluate.periods import DateRange
from mmm.io.imports import ImportReport
from mmm.limits import CONTROL, NAME_CHARS
from mmm.store import Store, schema
from mmm.store.base import now_iso

COLUMNS = ("perimeter", "period", "indicator", "value", "unit", "respondents", "source")
REQUIRED = ("perimeter", "period", "indicator", "value")
UNITS = ("percent", "count", "score")
#: Figures from fewer respondents are flagged as uncertain when shown.
MIN_RESPONDENTS = 30
_ALIASES = {
    "perimeter": ("perimeter", "périmètre", "perimetre", "perimeter_name"),
    "period": ("period", "periode", "période", "zeitraum"),
    "indicator": ("indicator", "indicateur", "indikator"),
    "value": ("value", "waarde", "valeur", "wert"),
    "unit": ("unit", "eenheid", "unité", "unite", "einheit"),
    "respondents": ("respondents", "respondenten", "répondants", "repondants", "befragte", "n"),
    "source": ("source", "bron", "quelle"),
}
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def read_survey_csv(source: str | Path | IO[bytes], *, name: str | None = None) -> pd.DataFrame:
    """Read a survey CSV (a path or an open binary file) as text columns named as
    :data:`COLUMNS` (aliases resolved); ``name`` names it in messages (default: the file name).

    Raises
    ------
    ImportRejected
        When the file cannot be read or a required column is missing.
    """
    name = name or Path(str(getattr(source, "name", source))).name
    try:
        data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    except OSError as exc:
        raise ImportRejected(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise ImportRejected(
            f"{name} is empty: the first line names the columns ({', '.join(REQUIRED)}…)"
        )
    try:
        raw = pd.read_csv(
            io.BytesIO(data), sep=None, engine="python", dtype=str, keep_default_na=False,
            encoding="utf-8-sig",
        )  # fmt: skip
    except (csv.Error, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportRejected(f"{name}: cannot be read as CSV ({exc})") from None
    return _named(raw, name)


def _named(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    lookup = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
    renamed = {
        c: lookup[str(c).strip().lower()] for c in raw.columns if str(c).strip().lower() in lookup
    }
    frame = raw.rename(columns=renamed)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ImportRejected(
            f"{source}: missing column{'s' * (len(missing) > 1)} {', '.join(missing)} "
            f"(found: {', '.join(map(str, raw.columns))}); the columns are "
            f"{', '.join(COLUMNS)}"
        )
    return frame[[c for c in COLUMNS if c in frame.columns]].astype(str)


def import_survey(
    store: Store,
    source: str | Path | IO[bytes],
    *,
    name: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """Import a survey CSV (see the module for the columns); returns what was read and stored.

    Parameters
    ----------
    source
        A path, or an open binary file (an upload) with ``name`` its file name.
    replace
        Overwrite figures already stored for the same perimeter, period and indicator (else
        those rows are rejected).
    dry_run
        Validate and report, store nothing.
    """
    name = name or Path(str(getattr(source, "name", source))).name
    frame = read_survey_csv(source, name=name)
    return import_survey_frame(
        store, frame, source=name, replace=replace, dry_run=dry_run, actor=actor
    )


def import_survey_frame(
    store: Store,
    frame: pd.DataFrame,
    *,
    source: str,
    replace: bool = False,
    dry_run: bool = False,
    actor: str = "cli",
) -> ImportReport:
    """:func:`import_survey` on rows already read (text columns named as :data:`COLUMNS`)."""
    frame = _named(frame.astype(str), source)
    shapes = store.perimeters()
    perimeters = dict(zip(shapes["name"], shapes["id"], strict=True))
    stored = _stored_keys(store)
    rows, reasons, seen = [], [], set()
    for raw in frame.to_dict(orient="records"):
        row, reason = _validate(raw, perimeters, has_unit="unit" in frame.columns)
        if row is not None:
            key = _key(row)
            if key in seen:
                row, reason = None, "duplicate perimeter, period and indicator in the file"
            elif key in stored and not replace:
                row, reason = None, "already stored (import with replace to overwrite it)"
            seen.add(key)
        reasons.append(reason)
        if row is not None:
            rows.append(row)
    bad = [i for i, r in enumerate(reasons) if r]
    rejected = frame.iloc[bad].copy()
    rejected.insert(0, "reason", [reasons[i] for i in bad])
    rejected.insert(0, "row", [i + 1 for i in bad])
    report = ImportReport(
        kind="survey",
        source=source,
        crs="",
        read=len(frame),
        imported=len(rows),
        rejected=rejected.reset_index(drop=True),
        dry_run=dry_run,
    )
    replaced = [r for r in rows if _key(r) in stored]
    if replaced:
        report.notes.append(f"{len(replaced)} stored figure(s) replaced")
    if dry_run or not rows:
        return report
    s = schema.survey_results.c
    with store.engine.begin() as conn:
        for r in replaced:
            conn.execute(
                delete(schema.survey_results).where(
                    s.perimeter_id == r["perimeter_id"],
                    s.period_start == r["period_start"],
                    s.period_end == r["period_end"],
                    s.indicator == r["indicator"],
                )
            )
        stamp = now_iso()
        conn.execute(insert(schema.survey_results), [{**r, "imported_at": stamp} for r in rows])
        detail = {
            "source": source,
            "read": report.read,
            "imported": len(rows),
            "replaced": len(replaced),
            "rejected": len(bad),
        }
        store.write_audit(conn, actor, "import", "survey_results", "", detail)
    return report


def survey_results(store: Store, *, perimeter_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Stored survey figures, by perimeter, indicator and period.

    Columns: ``perimeter_id``, ``perimeter``, ``period``, ``period_start``, ``period_end``
    (dates), ``indicator``, ``value``, ``unit``, ``respondents`` (an int, ``None`` when unknown),
    ``source``, ``few_respondents`` (fewer than :data:`MIN_RESPONDENTS`).
    """
    s, r = schema.survey_results.c, schema.perimeters.c
    query = select(
        s.perimeter_id, r.name, s.period, s.period_start, s.period_end, s.indicator, s.value,
        s.unit, s.respondents, s.source,
    ).join(schema.perimeters, s.perimeter_id == r.id)  # fmt: skip
    if perimeter_ids is not None:
        query = query.where(s.perimeter_id.in_(list(perimeter_ids)))
    columns = [
        "perimeter_id", "perimeter", "period", "period_start", "period_end", "indicator",
        "value", "unit", "respondents", "source",
    ]  # fmt: skip
    with store.engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    known = frame["respondents"].notna()
    frame["respondents"] = pd.Series(
        [int(v) if k else None for v, k in zip(frame["respondents"], known, strict=True)],
        index=frame.index,
        dtype=object,
    )
    frame["value"] = frame["value"].astype(float)
    frame["few_respondents"] = known & (frame["respondents"].where(known, 0) < MIN_RESPONDENTS)
    return frame.sort_values(["perimeter", "indicator", "period_start"], ignore_index=True)


def parse_period(text: str) -> tuple[date, date]:
    """First and last day of a survey period: ``2025``, ``2025-Q2``, ``2025-03`` or ``FROM:TO``.

    Raises
    ------
    InvalidPeriod
        For any other form.
    """
    text = text.strip()
    if _YEAR.match(text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    quarter = _QUARTER.match(text)
    if quarter:
        year, q = int(quarter.group(1)), int(quarter.group(2))
        text = f"{year}-{3 * q - 2:02d}:{year}-{3 * q:02d}"
    elif _MONTH.match(text):
        text = f"{text}:{text}"
    rng = DateRange.parse(text)
    return rng.start, rng.end


def _validate(
    raw: dict[str, str], perimeters: dict[str, int], *, has_unit: bool
) -> tuple[dict[str, object] | None, str]:
    """One row → the values to store, or ``None`` and the reason it is rejected."""
    name = raw["perimeter"].strip()
    if not name:
        return None, "missing perimeter"
    if name not in perimeters:
        return None, "unknown perimeter"
    if not raw["period"].strip():
        return None, "missing period"
    try:
        start, end = parse_period(raw["period"])
    except InvalidPeriod:
        return None, "unreadable period (write 2025, 2025-Q2, 2025-03 or FROM:TO)"
    indicator = raw["indicator"].strip()
    if not indicator:
        return None, "missing indicator"
    if not _CODE.match(indicator):
        return None, "the indicator is not a lower-case code (letters, digits, _)"
    unit = raw.get("unit", "").strip().lower() if has_unit else "percent"
    if not unit:
        return None, "missing unit"
    if unit not in UNITS:
        return None, f"unknown unit (choose {', '.join(UNITS)})"
    text = raw["value"].strip().replace(",", ".")
    if not text:
        return None, "missing value"
    try:
        value = float(text)
    except ValueError:
        return None, "non-numeric value"
    if not math.isfinite(value):
        return None, "non-numeric value"
    if unit == "percent" and not 0 <= value <= 100:
        return None, "a percentage outside 0–100"
    if unit == "count" and (value < 0 or value != int(value)):
        return None, "a count that is not a whole number of 0 or more"
    source = raw.get("source", "").strip()
    if CONTROL.search(source):
        return None, "control character in the source"
    respondents = _respondents(raw.get("respondents", ""))
    if respondents == -1:
        return None, "respondents is not a whole number of 0 or more"
    row: dict[str, object] = {
        "perimeter_id": perimeters[name],
        "period": raw["period"].strip()[:21],
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "indicator": indicator,
        "value": value,
        "unit": unit,
        "respondents": respondents,
        "source": source[:NAME_CHARS],
    }
    return row, ""


def _respondents(text: str) -> int | None:
    """``None`` when empty, the number, or -1 when it is not a whole number ≥ 0."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else -1


def _stored_keys(store: Store) -> set[tuple[object, ...]]:
    s = schema.survey_results.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.perimeter_id, s.period_start, s.period_end, s.indicator))
        return {tuple(r) for r in rows}


def _key(row: dict[str, object]) -> tuple[object, ...]:
    return (row["perimeter_id"], row["period_start"], row["period_end"], row["indicator"])
