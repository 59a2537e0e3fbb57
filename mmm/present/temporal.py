"""What the perimeter page, the plan page and the progress report show of *when* incidents
happen — one heat table (weekdays × hours, and *no time*) per phenomenon — and of recent change
(the last 7 and 28 days and the year to date against before and a year earlier).

Why here: :mod:`mmm.temporal` returns weights and a long table; a page needs short texts with a
shade class, the counts a table's note explains (known moment, spread over a window, no time
of day, undated), and the change table laid out per phenomenon. The sentences themselves are in
the template partials (``webmap/templates/temporal/``), translated there.

**Staff only.** The release model (:mod:`mmm.access.release`) knows perimeter × phenomenon ×
month cells and nothing finer; an hour × weekday table splits a month's count into 168 (often
fractional) cells that no threshold protects, a 7- or 28-day window cuts across months, and
two periods' figures could be subtracted to single out one incident. Pages and the report
therefore build these only for a reader whose scope has no thresholds (staff), never for a
partner or a meeting with partners present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from mmm.store import Store
from mmm.temporal.aoristic import WeekHours
from mmm.temporal.compstat import ALL, RecentChange
from mmm.temporal.tables import when_tables

#: Shade classes of a heat table's cells: 0 (none) to this (the busiest hour).
SHADES = 5


@dataclass(frozen=True)
class HeatTable:
    """One phenomenon's weekday × hour table as a page shows it.

    Attributes
    ----------
    phenomenon
        Its code.
    cells
        7 rows (Monday first) × 24 hours of ``(weight, shade)``: the incidents (fractions where
        windows were spread; the page shows one decimal in the reader's locale) and the class
        0…:data:`SHADES` relative to the busiest hour.
    no_time
        Per weekday, the dated incidents without a time of day.
    exact, windows, untimed, undated, reversed
        How the incidents were read (see :class:`mmm.temporal.aoristic.WeekHours`).
    start, end
        The period's first and last day.
    """

    phenomenon: str
    cells: list[list[tuple[float, int]]]
    no_time: list[int]
    exact: int
    windows: int
    untimed: int
    undated: int
    reversed: int
    start: date | None
    end: date | None

    @property
    def dated(self) -> int:
        """Dated incidents: in an hour or in *no time*."""
        return self.exact + self.windows + self.untimed


def heat_table(
    phenomenon: str, hours: WeekHours, start: date | None, end: date | None
) -> HeatTable:
    """The page's form of one :class:`~mmm.temporal.aoristic.WeekHours`."""
    top = float(hours.weights.max()) if hours.weights.size else 0.0
    shades = np.zeros(hours.weights.shape, dtype=int)
    if top > 0:
        shades = np.ceil(SHADES * hours.weights / top).astype(int)
    cells = [
        [(float(v), int(s)) for v, s in zip(row, shade_row, strict=True)]
        for row, shade_row in zip(hours.weights, shades, strict=True)
    ]
    return HeatTable(
        phenomenon=phenomenon,
        cells=cells,
        no_time=[int(n) for n in hours.no_time],
        exact=hours.exact,
        windows=hours.windows,
        untimed=int(hours.no_time.sum()),
        undated=hours.undated,
        reversed=hours.reversed,
        start=start,
        end=end,
    )


def place_heat_tables(
    store: Store,
    geometry: BaseGeometry,
    phenomena: Sequence[str],
    *,
    start: date | None,
    end: date | None,
    name: str = "",
) -> list[HeatTable]:
    """The heat tables of one perimeter (``geometry``) for ``phenomena`` over a period, those
    without any incident left out (a page of empty tables says nothing)."""
    tables = when_tables(store.incidents(), [(name, geometry)], phenomena, start=start, end=end)
    return [heat_table(t.phenomenon, t.hours, start, end) for t in tables if t.hours.total > 0]


@dataclass(frozen=True)
class ChangeCell:
    """One window × comparison of a recent-change row, as a page shows it."""

    current: int
    compared: int
    change: int
    p: float
    direction: str  # "up", "down" or "" (not significant)


def change_rows(found: RecentChange, area: str, phenomena: Sequence[str]) -> list[dict[str, Any]]:
    """The recent-change table of one place (``area``: a perimeter's name, or
    :data:`mmm.temporal.tables.ZONE`), all phenomena first: ``{"phenomenon": code ("" for all),
    "cells": {(window, comparison): ChangeCell}}`` per row. Empty when the table has no row of
    the place (a perimeter archived since it was computed)."""
    table = found.table
    mine = table[(table["area"] == area).to_numpy()]
    cells: dict[str, dict[tuple[str, str], ChangeCell]] = {}
    for r in zip(
        mine["phenomenon"].astype(str), mine["window"], mine["comparison"], mine["current"],
        mine["compared"], mine["change"], mine["p"], mine["direction"], strict=True,
    ):  # fmt: skip
        code, window, comparison, current, compared, difference, p, direction = r
        cells.setdefault(code, {})[(window, comparison)] = ChangeCell(
            int(current), int(compared), int(difference), float(p), str(direction)
        )
    return [
        {"phenomenon": code, "cells": cells[code]} for code in [ALL, *phenomena] if code in cells
    ]
