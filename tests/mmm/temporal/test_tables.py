"""Hour × weekday tables per place: counted as a perimeter counts (boundary included), by the
day of ``occurred`` for the period, undated incidents reported in every table of their place."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from shapely.geometry import box

from mmm.temporal import ZONE, long_table, when_tables

SQUARE = box(0, 0, 100, 100)


def _incidents() -> pd.DataFrame:
    rows = [  # phenomenon, occurred, date_to, x, y
        ("burglary", "2024-03-04 10:20", None, 50, 50),  # Monday 10h, inside
        ("burglary", "2024-03-05", None, 100, 30),  # Tuesday, no time, on the boundary
        ("burglary", "2024-03-06 22:00", "2024-03-07 02:00", 10, 10),  # a window, inside
        ("burglary", None, None, 20, 20),  # undated, inside
        ("burglary", "2024-05-01 12:00", None, 50, 50),  # after the period
        ("burglary", "2024-03-04 09:00", None, 500, 500),  # outside the square
        ("drugs", "2024-03-04 10:00", None, 50, 50),
    ]
    frame = pd.DataFrame(rows, columns=["phenomenon", "occurred", "date_to", "x", "y"])
    for column in ("occurred", "date_to"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame


def test_a_perimeter_table_counts_what_the_perimeter_covers_in_the_period() -> None:
    start, end = date(2024, 3, 1), date(2024, 3, 31)
    tables = when_tables(
        _incidents(), [("Square", SQUARE), (ZONE, None)], ["burglary", "drugs"],
        start=start, end=end,
    )  # fmt: skip
    assert [(t.area, t.phenomenon) for t in tables] == [
        ("Square", "burglary"), ("Square", "drugs"), ("", "burglary"), ("", "drugs"),
    ]  # fmt: skip
    square = tables[0].hours
    assert square.exact == 1 and square.weights[0, 10] == 1
    assert square.no_time.tolist() == [0, 1, 0, 0, 0, 0, 0]  # the boundary counts
    assert square.windows == 1 and square.weights[2, 22] == 0.25 and square.weights[3, 1] == 0.25
    assert square.undated == 1 and square.total == 4  # May is outside the period
    zone = tables[2].hours
    assert zone.exact == 2 and zone.weights[0, 9] == 1 and zone.total == 5
    assert tables[1].hours.exact == 1 and tables[1].start == start and tables[1].end == end


def test_long_table_has_every_hour_no_time_and_undated() -> None:
    tables = when_tables(_incidents(), [("Square", SQUARE)], ["burglary"])
    frame = long_table(tables)
    assert len(frame) == 7 * 24 + 7 + 1
    assert list(frame.columns) == ["area", "phenomenon", "weekday", "hour", "incidents"]
    assert frame["incidents"].sum() == tables[0].hours.total == 5
    monday_10 = frame[(frame["weekday"] == "mon") & (frame["hour"] == "10")]
    assert monday_10["incidents"].item() == 1
    assert frame[frame["hour"] == "no time"]["incidents"].tolist() == [0, 1, 0, 0, 0, 0, 0]
    assert frame[frame["hour"] == "undated"]["incidents"].item() == 1
    assert np.isclose(frame[frame["weekday"] == "thu"]["incidents"].sum(), 0.5)
