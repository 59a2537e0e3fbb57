"""Hour × weekday tables: hand-built incidents land where a person would put them, and random
windows spread exactly as a minute-by-minute loop spreads them (Ashby & Bowers 2013)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from mmm.temporal import week_hours

NAT = None


def _frame(rows: list[tuple[str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "occurred": pd.to_datetime([r[0] for r in rows], format="ISO8601"),
            "date_to": pd.to_datetime([r[1] for r in rows], format="ISO8601"),
        }
    )


def test_a_known_moment_is_one_incident_in_its_hour_of_its_weekday() -> None:
    table = week_hours(_frame([("2024-01-01 14:30", NAT), ("2024-01-07 23:59:59", NAT)]))
    assert table.weights[0, 14] == 1 and table.weights[6, 23] == 1  # Monday, Sunday
    assert table.weights.sum() == 2 and table.exact == 2 and table.windows == 0
    assert table.no_time.sum() == 0 and table.undated == 0 and table.total == 2


def test_no_time_of_day_is_counted_as_such_never_at_midnight() -> None:
    table = week_hours(_frame([("2024-01-02", NAT), ("2024-01-02 00:00:00", NAT), (NAT, NAT)]))
    assert table.weights.sum() == 0  # nothing in hour 0
    assert table.no_time.tolist() == [0, 2, 0, 0, 0, 0, 0]  # Tuesday, no time
    assert table.undated == 1 and table.dated == 2 and table.total == 3
    assert table.by_weekday()[1] == 2 and table.by_hour().sum() == 0


def test_a_window_spreads_its_weight_over_the_hours_it_covers() -> None:
    table = week_hours(_frame([("2024-01-01 22:00", "2024-01-02 02:00")]))
    expected = np.zeros((7, 24))
    expected[0, 22] = expected[0, 23] = expected[1, 0] = expected[1, 1] = 0.25
    np.testing.assert_allclose(table.weights, expected)
    assert table.windows == 1 and table.exact == 0
    half = week_hours(_frame([("2024-01-03 22:30", "2024-01-03 23:30")]))
    assert half.weights[2, 22] == pytest.approx(0.5) and half.weights[2, 23] == pytest.approx(0.5)


def test_a_window_of_dates_runs_to_the_end_of_its_last_day() -> None:
    # Saturday and Sunday, no times: 48 hours, 1/48 in each hour of the weekend.
    table = week_hours(_frame([("2024-01-06", "2024-01-07")]))
    np.testing.assert_allclose(table.weights[5:], np.full((2, 24), 1 / 48))
    assert table.weights[:5].sum() == 0 and table.no_time.sum() == 0
    # One day given as its own window: the whole day, not midnight.
    day = week_hours(_frame([("2024-01-03", "2024-01-03")]))
    np.testing.assert_allclose(day.weights[2], np.full(24, 1 / 24))
    # A start with a time and an end without: from the time to the end of that day.
    evening = week_hours(_frame([("2024-01-03 20:00", "2024-01-03")]))
    np.testing.assert_allclose(evening.weights[2, 20:], np.full(4, 0.25))


def test_a_window_of_weeks_covers_every_hour() -> None:
    table = week_hours(_frame([("2024-01-01", "2024-01-14")]))  # two whole weeks
    np.testing.assert_allclose(table.weights, np.full((7, 24), 1 / 168))
    assert table.weights.sum() == pytest.approx(1.0)


def test_a_window_that_ends_before_it_starts_is_read_at_its_start_and_reported() -> None:
    rows = [("2024-01-01 14:30", "2024-01-01 10:00"), ("2024-01-02", "2024-01-01")]
    table = week_hours(_frame(rows))
    assert table.weights[0, 14] == 1 and table.no_time[1] == 1
    assert table.reversed == 2 and table.windows == 0 and table.exact == 1


def test_without_a_date_to_column_every_incident_is_a_moment() -> None:
    frame = pd.DataFrame(
        {"occurred": pd.to_datetime(["2024-01-01 10:15", "2024-01-01"], format="ISO8601")}
    )
    table = week_hours(frame)
    assert table.weights[0, 10] == 1 and table.no_time[0] == 1 and table.windows == 0


def _minute_loop(rows: list[tuple[datetime, datetime | None]]) -> np.ndarray:
    """The reference: walk each window minute by minute, 1/minutes into (weekday, hour)."""
    out = np.zeros((7, 24))
    for start, end in rows:
        if end is None:
            out[start.weekday(), start.hour] += 1
            continue
        minutes = int((end - start).total_seconds() // 60)
        for m in range(minutes):
            t = start + timedelta(minutes=m)
            out[t.weekday(), t.hour] += 1 / minutes
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_windows_match_a_minute_by_minute_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows: list[tuple[datetime, datetime | None]] = []
    for _ in range(80):
        start = datetime(1969, 12, 20) + timedelta(minutes=int(rng.integers(1, 60 * 24 * 400)))
        if start.hour == start.minute == 0:
            start += timedelta(minutes=7)  # a known moment, never 00:00:00
        length = int(rng.integers(1, 60 * 24 * 9)) if rng.random() < 0.7 else 0
        rows.append((start, start + timedelta(minutes=length) if length else None))
    frame = _frame([(s.isoformat(), e.isoformat() if e else None) for s, e in rows])
    # An end at exactly 00:00:00 means "that whole day": make the reference say the same.
    ref_rows = [
        (s, e + timedelta(days=1) if e is not None and e.hour == e.minute == 0 else e)
        for s, e in rows
    ]
    table = week_hours(frame)
    np.testing.assert_allclose(table.weights, _minute_loop(ref_rows), atol=1e-9)
    assert table.weights.sum() == pytest.approx(len(rows))


def test_an_end_at_the_last_second_is_the_end_of_that_day() -> None:
    """How the import stores ``--date-to 2024-01-07``: 23:59:59; the window takes whole days."""
    table = week_hours(_frame([("2024-01-06", "2024-01-07 23:59:59")]))
    np.testing.assert_allclose(table.weights[5:], np.full((2, 24), 1 / 48))
