"""An evaluation of one perimeter from the store: areas, counts per period, statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.errors import InvalidPeriod, NotFound
from mmm.evaluate.areas import AREAS, InvalidControlArea, StudyAreas, area_codes, study_areas
from mmm.evaluate.periods import DateRange, time_weight
from mmm.evaluate.statistics import (
    CONTROL_BUFFER_LEFT_OUT,
    MIN_RESPONSE,
    Evaluation,
    evaluate_counts,
)
from mmm.store import Store


# -- the evaluation of a perimeter -----------------------------------------------------------
@dataclass(frozen=True)
class EvaluationReport:
    """The evaluation of one perimeter: its areas, periods and one result per phenomenon.

    Attributes
    ----------
    perimeter
        Name of the response area R.
    control
        ``"zone"`` or the name of the control perimeter.
    buffer_m
        Width of the buffer rings.
    before, after
        The two periods.
    time_weight
        Length of ``before`` in units of ``after`` (1.0 when equal), see :func:`time_weight`.
    areas_km2
        ``R``, ``D``, ``C``, ``DC`` in km².
    results
        One :class:`Evaluation` per phenomenon, by code.
    notes
        Notes on the whole evaluation (zone outline, data coverage, period lengths, D_C).
    """

    perimeter: str
    control: str
    buffer_m: float
    before: DateRange
    after: DateRange
    time_weight: float
    areas_km2: dict[str, float | None]
    results: tuple[Evaluation, ...]
    notes: tuple[str, ...] = field(default=())

    def result(self, phenomenon: str) -> Evaluation:
        """The result of one phenomenon (``KeyError`` when it was not evaluated)."""
        for r in self.results:
            if r.phenomenon == phenomenon:
                return r
        raise KeyError(phenomenon)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document; per phenomenon :meth:`Evaluation.to_dict`."""
        return {
            "perimeter": self.perimeter,
            "control": self.control,
            "buffer_m": self.buffer_m,
            "before": {"from": self.before.start.isoformat(), "to": self.before.end.isoformat()},
            "after": {"from": self.after.start.isoformat(), "to": self.after.end.isoformat()},
            "time_weight": self.time_weight,
            "areas_km2": dict(self.areas_km2),
            "min_response": MIN_RESPONSE,
            "notes": list(self.notes),
            "phenomena": {r.phenomenon: r.to_dict() for r in self.results},
        }


def evaluate(
    store: Store,
    perimeter: str,
    *,
    before: DateRange | str,
    after: DateRange | str,
    control: str = "zone",
    buffer_m: float = 250.0,
    phenomena: Sequence[str] | None = None,
) -> EvaluationReport:
    """Evaluate a perimeter before/after against a control area, with displacement.

    Parameters
    ----------
    store
        Where the zone, perimeters and incidents are.
    perimeter
        Name of the response area R.
    before, after
        The periods (a :class:`DateRange` or ``FROM:TO`` text, see :meth:`DateRange.parse`);
        ``before`` must end before ``after`` starts.
    control
        ``"zone"`` (default: the rest of the zone outside R and its buffer) or the name of a
        perimeter that does not overlap R or its buffer.
    buffer_m
        Width of the buffer rings D and D_C in metres.
    phenomena
        Codes to evaluate (default: every phenomenon in the store).

    Returns
    -------
    EvaluationReport

    Raises
    ------
    InvalidPeriod
        For a period that cannot be read, or periods out of order.
    NotFound
        For an unknown perimeter or phenomenon, or a store without zone and data.
    InvalidControlArea
        For a control perimeter that overlaps R or its buffer (or is R itself).
    """
    before = before if isinstance(before, DateRange) else DateRange.parse(before)
    after = after if isinstance(after, DateRange) else DateRange.parse(after)
    if before.end >= after.start:
        raise InvalidPeriod(
            f"the before period ({before}) must end before the after period ({after}) starts"
        )
    zone = store.zone()
    if zone is None:
        raise NotFound("the store holds no zone outline and no data: import them first")
    shapes = store.perimeters()
    response = _perimeter(shapes, perimeter)
    notes: list[str] = []
    if zone.derived:
        notes.append(
            "no zone outline was imported: the zone is the convex hull of the data, so the "
            "control area and the buffers are clipped to that (mmm import zone)"
        )
    control_geom = None
    if control != "zone":
        if control == perimeter:
            raise InvalidControlArea("the control perimeter cannot be the response area itself")
        control_geom = _perimeter(shapes, control)
    areas = study_areas(
        response,
        zone.geometry,
        buffer_m=buffer_m,
        control=control_geom,
        control_name=f"the control perimeter {control!r}",
    )
    if control_geom is None:
        notes.append(CONTROL_BUFFER_LEFT_OUT)

    codes = _phenomena(store, phenomena)
    incidents = store.incidents()
    notes += _coverage_notes(incidents["occurred"], before, after)
    weight = time_weight(before, after)
    if weight != 1.0:
        notes.append(
            f"the periods differ in length (before {_length(before, after)[0]}, after "
            f"{_length(before, after)[1]}): the WDD compares the before counts scaled to the "
            "after period's length (Wheeler 2021); the WDQ compares within each period"
        )
    table = _count(incidents, codes, before, after, areas)
    results = []
    for i, code in enumerate(codes):
        counts: dict[str, int | None] = {
            f"{area}{when}": int(table[i, a, p])
            for a, area in enumerate(AREAS)
            for p, when in enumerate("ba")
        }
        if control_geom is None:
            counts["DCb"] = counts["DCa"] = None
        results.append(evaluate_counts(counts, phenomenon=code, time_weight=weight))
    return EvaluationReport(
        perimeter=perimeter,
        control=control,
        buffer_m=float(buffer_m),
        before=before,
        after=after,
        time_weight=weight,
        areas_km2=areas.areas_km2(),
        results=tuple(results),
        notes=tuple(notes),
    )


def _perimeter(shapes: pd.DataFrame, name: str) -> BaseGeometry:
    found = shapes[shapes["name"] == name]
    if found.empty:
        names = ", ".join(map(repr, shapes["name"].head(12)))
        more = " …" if len(shapes) > 12 else ""
        known = f": choose one of {names}{more}" if len(shapes) else ": none are stored"
        raise NotFound(f"no perimeter named {name!r}{known}")
    geom: BaseGeometry = found.geometry.iloc[0]
    return geom


def _phenomena(store: Store, wanted: Sequence[str] | None) -> list[str]:
    known = [str(c) for c in store.phenomena()["code"]]
    if not wanted:
        return known
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NotFound(
            f"unknown phenomenon {', '.join(map(repr, unknown))}: choose from {', '.join(known)}"
        )
    return list(dict.fromkeys(wanted))


def _length(before: DateRange, after: DateRange) -> tuple[str, str]:
    if before.months is not None and after.months is not None:
        return f"{before.months} months", f"{after.months} months"
    return f"{before.days} days", f"{after.days} days"


def _coverage_notes(occurred: pd.Series, before: DateRange, after: DateRange) -> list[str]:
    dated = pd.to_datetime(occurred).dropna()
    if dated.empty:
        return ["the store holds no dated incidents"]
    first, last = dated.min().date(), dated.max().date()
    notes = []
    if before.start < first:
        notes.append(
            f"the incidents start on {first}, after the before period starts ({before.start}): "
            "the before counts may be incomplete"
        )
    if after.end > last:
        notes.append(
            f"the incidents end on {last}, before the after period ends ({after.end}): "
            "the after counts may be incomplete"
        )
    return notes


def _count(
    incidents: pd.DataFrame,
    codes: list[str],
    before: DateRange,
    after: DateRange,
    areas: StudyAreas,
) -> np.ndarray:
    """Counts as an array ``(phenomenon, area, period)``; one vectorised pass per area."""
    stamps = pd.to_datetime(incidents["occurred"]).to_numpy(dtype="datetime64[s]")
    period = np.full(len(incidents), -1, dtype=np.int8)
    for p, rng in enumerate((before, after)):
        start = np.datetime64(rng.start, "s")
        stop = np.datetime64(rng.end, "s") + np.timedelta64(1, "D")
        period[(stamps >= start) & (stamps < stop)] = p  # NaT compares False: undated left out
    found, uniques = incidents["phenomenon"].factorize()  # -1 for a missing code
    lookup = np.append(pd.Index(codes).get_indexer(pd.Index(uniques, dtype=object)), -1)
    phen = lookup[found]  # the index in ``codes``, -1 when not evaluated
    keep = np.flatnonzero((period >= 0) & (phen >= 0))
    x = incidents["x"].to_numpy(dtype=float)[keep]
    y = incidents["y"].to_numpy(dtype=float)[keep]
    area = area_codes(x, y, areas).astype(np.int64)
    inside = area >= 0
    n_areas = len(AREAS)
    key = (phen[keep].astype(np.int64) * n_areas + area) * 2 + period[keep]
    flat = np.bincount(key[inside], minlength=len(codes) * n_areas * 2)
    return flat.reshape(len(codes), n_areas, 2)
