"""The count table ``/api/counts`` serves: perimeter × phenomenon × period, for one reader.

Staff get :func:`mmm.counting.count.count_incidents` as it is (zero rows left out; ``all``
includes undated incidents), sliced from the store's count cube
(:func:`mmm.counting.cube.count_cube`: counted once per data version, not per request). A partner gets every perimeter × phenomenon it is assigned, for
every period of the data, each a figure made from the released month cells
(:class:`mmm.access.release.Release`): a quarter, a year or ``all`` is exact only when each of
its months is released, else ``"≥M"`` — so ``period=quarter`` never gives back a month that
``period=month`` hides. Zeros are rows too (a missing row would say "0").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mmm.access.rules import Scope, visible_counts, visible_perimeters
from mmm.counting.count import Period
from mmm.counting.cube import count_cube
from mmm.counting.months import MonthRange
from mmm.store import Store

COLUMNS = ["perimeter", "phenomenon", "period", "count"]


def count_table(
    store: Store, scope: Scope, period: Period, span: MonthRange | None = None
) -> list[dict[str, Any]]:
    """Rows ``{perimeter, phenomenon, period, count}`` (``count``: a number or a text).

    ``span``: only the incidents of these months (undated ones left out), e.g. the span an
    OGC API request asks for (:mod:`mmm.present.ogc`); by default every month.
    """
    cube = count_cube(store)
    perimeters = visible_perimeters(cube.perimeters, scope)
    if scope.thresholds is None:
        months = None if span is None else span.month_list()
        table = visible_counts(cube.table(perimeters, period, months), perimeters, scope)
        return [
            {k: v.item() if hasattr(v, "item") else v for k, v in row.items()}
            for row in table[COLUMNS].to_dict(orient="records")
        ]
    shown = cube.release(scope)
    groups: dict[str, list[str]] = {}
    for month in shown.months:
        if span is None or span.first <= month <= span.last:
            groups.setdefault(period_of(month, period), []).append(month)
    rows = []
    for pid, name in zip(perimeters["id"], perimeters["name"], strict=True):
        for code in sorted(c for c in shown.cells.phenomena if shown.shows(int(pid), c)):
            for label, in_period in groups.items():
                figure = shown.figure([int(pid)], [code], in_period)
                count: Any = figure.number if figure.exact else figure.text
                rows.append({"perimeter": str(name), "phenomenon": code, "period": label,
                             "count": count})  # fmt: skip
    return sorted(rows, key=lambda r: (r["perimeter"], r["phenomenon"], r["period"]))


def period_of(month: str, period: Period) -> str:
    """The label of the period a month ``YYYY-MM`` falls in: ``2024-03``, ``2024-Q1``, ``2024``
    or ``all`` (as :func:`mmm.counting.count.period_labels`)."""
    if period == "month":
        return month
    if period == "quarter":
        return f"{month[:4]}-Q{(pd.Period(month, 'M').month - 1) // 3 + 1}"
    return month[:4] if period == "year" else "all"
