"""When incidents happen and what changed recently: time patterns of places and phenomena.

One module per task:

- :mod:`~mmm.temporal.aoristic` — incidents per weekday × hour, spreading an incident known
  only within a window over the hours of that window (Ashby & Bowers 2013); no time of day is
  counted as such, never as midnight;
- :mod:`~mmm.temporal.tables` — those tables per perimeter (or the zone) × phenomenon over a
  period, counted as a perimeter counts;
- :mod:`~mmm.temporal.compstat` — recent change (CompStat): the last 7 and 28 days and the
  year to date against the window before and the same window a year earlier, with an exact
  Poisson test.

The same layer as :mod:`mmm.counting` and :mod:`mmm.hotspots`: it reads plain incident frames
and polygons (EPSG:31370) and returns plain data; pages and commands present it.
"""

from mmm.temporal.aoristic import WeekHours, empty_week, spread, week_hours
from mmm.temporal.compstat import (
    ALL,
    COMPARISONS,
    WINDOWS,
    RecentChange,
    Span,
    poisson_test,
    recent_change,
    spans,
    store_recent_change,
)
from mmm.temporal.tables import (
    WEEKDAYS,
    ZONE,
    WhenTable,
    long_table,
    store_when_tables,
    when_tables,
)

__all__ = [
    "ALL",
    "COMPARISONS",
    "WEEKDAYS",
    "WINDOWS",
    "ZONE",
    "RecentChange",
    "Span",
    "WeekHours",
    "WhenTable",
    "empty_week",
    "long_table",
    "poisson_test",
    "recent_change",
    "spans",
    "spread",
    "store_recent_change",
    "store_when_tables",
    "week_hours",
    "when_tables",
]
