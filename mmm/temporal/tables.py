"""Hour × weekday tables per perimeter (or the zone) and phenomenon, over a period.

Why a module of its own: :mod:`mmm.temporal.aoristic` reads the moments of any set of
incidents; the pages, the report and ``mmm when`` need them per place and phenomenon, counted
as every other figure of a perimeter is counted — an incident belongs to a perimeter that
*covers* it (boundary included, :func:`mmm.counting.count.covered_mask`) and to a period by the
day of ``occurred`` (a window's start, as the monthly counts use it).

Undated incidents belong to no period, but they are not dropped: each table counts those of its
place and phenomenon (whatever the period), so the page can say how many are in no hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.counting.count import covered_mask
from mmm.errors import NotFound
from mmm.store import Store
from mmm.temporal.aoristic import DAY_HOURS, WeekHours, week_hours

#: The area name of a table over the whole zone.
ZONE = ""
#: Weekday codes, Monday first (the rows of every table and of the CSV).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, eq=False)
class WhenTable:
    """One place × phenomenon: its :class:`~mmm.temporal.aoristic.WeekHours` over a period.

    ``area`` is a perimeter's name, or :data:`ZONE` for the zone as a whole; ``start`` and
    ``end`` are the inclusive days of the period (``None``: open).
    """

    area: str
    phenomenon: str
    start: date | None
    end: date | None
    hours: WeekHours


def when_tables(
    incidents: pd.DataFrame,
    areas: Iterable[tuple[str, BaseGeometry | None]],
    phenomena: Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
) -> list[WhenTable]:
    """One table per area × phenomenon, in the order given.

    Parameters
    ----------
    incidents
        ``phenomenon``, ``occurred`` (datetime64, NaT = undated), ``x``, ``y`` (EPSG:31370) and,
        when the store keeps windows, ``date_to``.
    areas
        ``(name, polygon)`` pairs; a polygon of ``None`` is the zone: every incident.
    phenomena
        The phenomenon codes, one table each per area.
    start, end
        Inclusive days of the period (``None``: open); undated incidents are counted as such
        in every table of their place and phenomenon.
    """
    x = incidents["x"].to_numpy(dtype=float)
    y = incidents["y"].to_numpy(dtype=float)
    out = []
    for name, geometry in areas:
        # the place first: a perimeter holds a few thousand of a zone's million incidents,
        # so dates and codes are read for those only
        mine = incidents if geometry is None else incidents[covered_mask(x, y, geometry)]
        occurred = pd.to_datetime(mine["occurred"])
        keep = occurred.notna().to_numpy().copy()
        if start is not None:
            keep &= (occurred >= pd.Timestamp(start)).to_numpy()
        if end is not None:
            keep &= (occurred < pd.Timestamp(end) + pd.Timedelta(days=1)).to_numpy()
        keep |= occurred.isna().to_numpy()
        codes = mine["phenomenon"].astype(str).to_numpy()
        for code in phenomena:
            out.append(WhenTable(name, code, start, end, week_hours(mine[keep & (codes == code)])))
    return out


def store_when_tables(
    store: Store,
    *,
    perimeters: Sequence[str] = (),
    phenomena: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> list[WhenTable]:
    """:func:`when_tables` on what a store holds: the named perimeters (none: the zone as a
    whole) × the given phenomena (none: every phenomenon of the store).

    Raises
    ------
    NotFound
        For a perimeter name or phenomenon code the store does not know (the message lists
        what it knows).
    """
    shapes = store.perimeters()
    by_name = dict(zip(shapes["name"].astype(str), shapes.geometry.values, strict=True))
    unknown = [name for name in perimeters if name not in by_name]
    if unknown:
        raise NotFound(
            f"no perimeter named {', '.join(map(repr, unknown))}; known: "
            f"{', '.join(sorted(by_name)) or 'none yet'}"
        )
    known = sorted(store.phenomena()["code"].astype(str))
    missing = [code for code in phenomena if code not in known]
    if missing:
        raise NotFound(
            f"unknown phenomenon code {', '.join(missing)}; known: {', '.join(known) or 'none yet'}"
        )
    areas: list[tuple[str, BaseGeometry | None]] = [(n, by_name[n]) for n in perimeters]
    return when_tables(
        store.incidents(),
        areas or [(ZONE, None)],
        list(phenomena) or known,
        start=start,
        end=end,
    )


def long_table(tables: Sequence[WhenTable]) -> pd.DataFrame:
    """Every table as rows for a CSV: ``area``, ``phenomenon``, ``weekday`` (``mon``…,
    empty for undated), ``hour`` (0–23; ``no time``; ``undated``) and ``incidents`` (a weight:
    fractions where windows were spread)."""
    frames = []
    for t in tables:
        h = t.hours
        weekday = np.repeat(np.asarray(WEEKDAYS, dtype=object), DAY_HOURS)
        hour = np.tile(np.arange(DAY_HOURS).astype(str).astype(object), 7)
        frames.append(
            pd.DataFrame(
                {
                    "area": t.area,
                    "phenomenon": t.phenomenon,
                    "weekday": [*weekday, *WEEKDAYS, ""],
                    "hour": [*hour, *(["no time"] * 7), "undated"],
                    "incidents": [*np.round(h.weights.ravel(), 4), *h.no_time, h.undated],
                }
            )
        )
    columns = ["area", "phenomenon", "weekday", "hour", "incidents"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
