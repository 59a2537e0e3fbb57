"""How late a passed evaluation or action is, as meeting mode flags it."""

from __future__ import annotations

from datetime import date

from mmm.present import Lateness, lateness


def test_a_day_still_to_come_or_today_is_not_late() -> None:
    assert lateness(date(2026, 3, 14), date(2026, 3, 14)) is None
    assert lateness(date(2026, 5, 1), date(2026, 3, 14)) is None
    assert lateness(None, date(2026, 3, 14)) is None


def test_whole_calendar_months_and_days() -> None:
    due = date(2026, 1, 15)
    assert lateness(due, date(2026, 1, 16)) == Lateness(months=0, days=1)
    assert lateness(due, date(2026, 2, 14)) == Lateness(months=0, days=30)
    assert lateness(due, date(2026, 2, 15)) == Lateness(months=1, days=31)
    assert lateness(due, date(2026, 5, 14)) == Lateness(months=3, days=119)
    assert lateness(due, date(2027, 1, 15)) == Lateness(months=12, days=365)
    assert lateness(date(2025, 12, 31), date(2026, 2, 28)).months == 1  # no 31 February
