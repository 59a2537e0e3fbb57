"""The baselines of bench/counts.py: how the app read and counted before the count cube, run in
the same process on the same store.

* the first read: the store's rows turned into columns with ``zip`` and numpy's ISO date
  parsing, as ``Store.incidents()`` did;
* ``/api/counts``: ``count_incidents`` on every request, its table turned into JSON each time;
* the zone map: the grid counted from the incidents of the range and every figure asked of the
  release one by one, and the page built, on every request (the month cells were already kept
  per data version).

:func:`old_paths` puts the last two in place of the new ones for a ``with`` block, so the same
Flask routes answer the same requests the old way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest.mock import patch

import numpy as np
import pandas as pd
from flask import current_app
from sqlalchemy import select

import webmap.api.routes as api_routes
import webmap.maps.routes as map_routes
from mmm.access.release import Release
from mmm.access.rules import Scope, visible_counts, visible_perimeters
from mmm.counting.count import Period, count_incidents
from mmm.counting.cube import CountCube
from mmm.present.count_table import count_table
from mmm.store import Store, schema


def old_read(store: Store) -> pd.DataFrame:
    """Every incident read row by row, as ``Store.incidents()`` did before the columnar copy."""
    i = schema.incidents.c
    query = select(i.source_id, i.phenomenon, i.occurred, i.x, i.y, i.date_to)
    rows = store._plain_rows(query.order_by(i.id))
    cols = list(zip(*rows, strict=True))
    return pd.DataFrame(
        {
            "source_id": pd.array(cols[0], dtype="string"),
            "phenomenon": pd.array(cols[1], dtype="string"),
            "occurred": np.array(cols[2], dtype="datetime64[s]"),
            "x": np.asarray(cols[3], dtype=float),
            "y": np.asarray(cols[4], dtype=float),
            "date_to": np.array(cols[5], dtype="datetime64[s]"),
        }
    )


def old_count_table(
    store: Store, scope: Scope, period: Period, span: Any = None
) -> list[dict[str, Any]]:
    """``/api/counts`` as it was: every incident counted again for a staff reader."""
    if scope.thresholds is not None:
        return count_table(store, scope, period, span)
    perimeters = visible_perimeters(store.perimeters(), scope)
    table = count_incidents(store.incidents(), perimeters, period=period)
    table = visible_counts(table, perimeters, scope)
    return [
        {k: v.item() if hasattr(v, "item") else v for k, v in row.items()}
        for row in table[["perimeter", "phenomenon", "period", "count"]].to_dict(orient="records")
    ]


def _answer_every_time(question: Any, scope: Scope, make: Any) -> Any:
    """No answer kept: the JSON made again on every request."""
    return current_app.json.response(make())


def _made_every_time(question: Any, make: Any, size: Any) -> Any:
    """No page part kept: the map built again on every request."""
    return make()


def _figures_one_by_one(
    self: Release, perimeters: Any, phenomena: Any, months: Any
) -> list[tuple[Any, ...]]:
    return [self._figure_row(pid, list(phenomena), list(months)) for pid in perimeters]


def _no_kept_grid(self: CountCube, months: Any) -> None:
    return None  # zone_overview then counts the grid from the incidents of the range


@contextmanager
def old_paths() -> Iterator[None]:
    """The routes answer as before the count cube for the ``with`` block (see the module)."""
    with ExitStack() as stack:
        stack.enter_context(patch.object(api_routes, "count_table", old_count_table))
        stack.enter_context(patch.object(api_routes, "kept_json", _answer_every_time))
        stack.enter_context(patch.object(map_routes, "kept_parts", _made_every_time))
        stack.enter_context(patch.object(Release, "figure_rows", _figures_one_by_one))
        stack.enter_context(patch.object(CountCube, "grid_table", _no_kept_grid))
        yield
