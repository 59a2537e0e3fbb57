"""Counting inside PostGIS (``mmm aggregate --engine database``): the same table, computed by SQL.

:func:`mmm.counting.count.aggregate` reads every incident into the process and counts there; on a
PostGIS store the server can count instead (``ST_Covers`` + ``GROUP BY``) and send back only the
non-zero counts — useful when the incidents are many and the app server is small. Both give
identical rows (the test suite checks it); area and density are computed here from the same
perimeter geometries, with the same rounding, as the in-process path.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import shapely

from mmm.counting.count import COLUMNS, PERIODS
from mmm.errors import StoreError
from mmm.store import Store


def aggregate_in_database(
    store: Store, *, period: str = "month", start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Counts per perimeter × phenomenon × period, computed by the PostGIS server.

    Same parameters and columns as :func:`mmm.counting.count.aggregate`.

    Raises
    ------
    StoreError
        When ``store`` is not a PostGIS store (SQLite counts in the process only).
    ValueError
        For an unknown period.
    """
    from mmm.store.postgis import PostGISStore

    if not isinstance(store, PostGISStore):
        raise StoreError(
            "counting in the database needs a PostGIS store (--store postgresql://…); "
            "this store is SQLite: use --engine memory"
        )
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    counts = store.count_covered(period=period, start=start, end=end)
    perimeters = store.perimeters()
    area_km2 = pd.Series(
        shapely.area(np.asarray(perimeters.geometry.values, dtype=object)) / 1e6,
        index=perimeters["name"].to_numpy(),
    )
    table = counts.assign(area_km2=np.round(area_km2.reindex(counts["perimeter"]).to_numpy(), 4))
    table["per_km2"] = np.round(table["count"] / table["area_km2"].where(table["area_km2"] > 0), 2)
    return table.sort_values(["perimeter", "phenomenon", "period"], ignore_index=True)[COLUMNS]
