"""Counting incidents per perimeter (or grid cell) × phenomenon × period: the in-process count,
the zone grid and the month ranges the pages choose from. The PostGIS engine
(:mod:`mmm.counting.database`) and the dask engine (:mod:`mmm.counting.cluster`, an optional
extra) give the same table and are imported where they are chosen.
"""

from mmm.counting.count import (
    COLUMNS,
    PERIODS,
    Period,
    aggregate,
    count_incidents,
    count_matrix,
    covered_counts,
    covered_mask,
    period_labels,
)
from mmm.counting.grid import (
    ZoneGrid,
    cell_ids,
    grid_counts,
    raster_counts,
    zone_cells,
    zone_grid,
)
from mmm.counting.months import (
    MonthRange,
    available_months,
    choose_range,
)

__all__ = [
    "COLUMNS",
    "MonthRange",
    "PERIODS",
    "Period",
    "ZoneGrid",
    "aggregate",
    "available_months",
    "cell_ids",
    "choose_range",
    "count_incidents",
    "count_matrix",
    "covered_counts",
    "covered_mask",
    "grid_counts",
    "period_labels",
    "raster_counts",
    "zone_cells",
    "zone_grid",
]
