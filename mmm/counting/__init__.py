"""Counting incidents per perimeter (or grid cell) × phenomenon × period: the in-process count,
the month cells every partner-facing figure is made from (:mod:`mmm.counting.cells`), the zone grid and the month ranges the pages choose from; and per street segment, with how
concentrated each phenomenon is on the segments. The PostGIS engine
(:mod:`mmm.counting.database`) and the dask engine (:mod:`mmm.counting.cluster`, an optional
extra) give the same table and are imported where they are chosen.
"""

from mmm.counting.cells import (
    count_cells,
    monthly_cells,
    overlap_atoms,
    release,
)
from mmm.counting.concentration import concentration
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
from mmm.counting.segments import (
    SegmentCounts,
    count_segments,
    nearest_segments,
    segment_counts,
)

__all__ = [
    "COLUMNS",
    "MonthRange",
    "PERIODS",
    "Period",
    "SegmentCounts",
    "ZoneGrid",
    "aggregate",
    "available_months",
    "cell_ids",
    "choose_range",
    "concentration",
    "count_cells",
    "count_incidents",
    "count_matrix",
    "count_segments",
    "covered_counts",
    "covered_mask",
    "grid_counts",
    "monthly_cells",
    "overlap_atoms",
    "nearest_segments",
    "period_labels",
    "raster_counts",
    "release",
    "segment_counts",
    "zone_cells",
    "zone_grid",
]
