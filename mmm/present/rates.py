"""What a perimeter page shows of rates: per phenomenon the count, the rate per 1,000 of the
zone's denominator and — for staff — its Empirical Bayes smoothed values.

Why here: :mod:`mmm.rates` computes on counts; a page must take its counts where every other
figure on it comes from. Staff get :func:`mmm.rates.tables.perimeter_rates` (every perimeter's
counts, so the smoothing can borrow from the others). **A partner gets rates only from released
counts**: the numerator is the :class:`~mmm.access.release.Release` figure of the perimeter ×
phenomenon × months the page shows; a figure that is not exact (``"<5"``, ``"×"``) gives no
rate, and no smoothed rate is shown at all — a smoothed rate mixes in the other perimeters'
counts and the zone's total, hidden ones included, and with the published reference rate it
could be solved back to the hidden count. The denominators themselves (residents per statistical
sector) are public statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mmm.access.rules import Scope
from mmm.counting.cells import release
from mmm.counting.months import MonthRange
from mmm.present.style import Translate
from mmm.rates.tables import perimeter_denominators, perimeter_rates
from mmm.store import Store


@dataclass(frozen=True)
class RateRow:
    """One phenomenon: the count as shown, its rate and smoothed rates per 1,000 (``None``:
    not shown)."""

    phenomenon: str
    count: str
    rate: float | None
    eb_global: float | None = None
    eb_local: float | None = None


@dataclass(frozen=True)
class RateTable:
    """A perimeter's rates over a period: the denominator's kind and value, one row per
    phenomenon, and whether smoothed rates are given (staff only)."""

    kind: str
    denominator: float
    rows: list[RateRow]
    smoothed: bool


def kind_name(kind: str, _: Translate) -> str:
    """A denominator's kind in the reader's language (the usual ones; others as stored)."""
    names = {
        "residents": _("residents"),
        "dwellings": _("dwellings"),
        "households": _("households"),
    }
    return names.get(kind, kind)


def preferred_kind(store: Store) -> str | None:
    """The denominator a page uses: residents when stored, else the first kind, else none."""
    kinds = store.denominator_kinds()
    if not kinds:
        return None
    return "residents" if "residents" in kinds else kinds[0]


def perimeter_rate_table(
    store: Store,
    perimeter_id: int,
    phenomena: Sequence[str],
    period: MonthRange,
    scope: Scope,
) -> RateTable | None:
    """The rates of one perimeter for a reader (see the module); ``None`` without denominators
    or without a denominator for this perimeter."""
    kind = preferred_kind(store)
    if kind is None:
        return None
    shapes = store.perimeters()
    mine = shapes[shapes["id"] == perimeter_id]
    denominator = float(perimeter_denominators(store, kind, mine)[0]) if len(mine) else float("nan")
    if np.isnan(denominator):  # no value for this perimeter
        return None
    if scope.thresholds is None:
        table = perimeter_rates(store, kind, list(phenomena), start=period.start, end=period.end)
        table = table[table["perimeter_id"] == perimeter_id]
        rows = [
            RateRow(str(r.phenomenon), str(r.count), _number(r.rate), _number(r.eb_global),
                    _number(r.eb_local))
            for r in table.itertuples()
        ]  # fmt: skip
        return RateTable(kind, denominator, rows, smoothed=True)
    shown = release(store, scope)
    months = period.month_list()
    rows = []
    for code in phenomena:
        figure = shown.figure([perimeter_id], [code], months)
        rate = None
        if figure.number is not None and denominator > 0:
            rate = 1000.0 * figure.number / denominator
        rows.append(RateRow(code, figure.text, rate))
    return RateTable(kind, denominator, rows, smoothed=False)


def _number(value: float) -> float | None:
    return None if value != value else float(value)
