"""Before and after periods: inclusive date ranges, whole months, and their length ratio."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from mmm.errors import InvalidPeriod

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- periods ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days, ``start`` to ``end``."""

    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> DateRange:
        """Read ``FROM:TO``; each side is ``YYYY-MM-DD`` or ``YYYY-MM`` (a whole month).

        A month as ``FROM`` means its first day, as ``TO`` its last day: ``2024-01:2024-06`` is
        1 January to 30 June 2024. Both ends are included.

        Raises
        ------
        InvalidPeriod
            For any other form, an impossible date, or a range that ends before it starts.
        """
        parts = str(text).strip().split(":")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InvalidPeriod(
                f"{text!r} is not a period: write FROM:TO with YYYY-MM-DD or YYYY-MM, "
                "e.g. 2024-01:2024-06"
            )
        start, end = _day(parts[0].strip(), last=False), _day(parts[1].strip(), last=True)
        if start > end:
            raise InvalidPeriod(f"the period {text!r} starts after it ends")
        return cls(start, end)

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int | None:
        """Number of calendar months when the range is whole months, else ``None``."""
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        if self.start.day != 1 or self.end.day != last:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


def _day(text: str, *, last: bool) -> date:
    month = _MONTH.match(text)
    try:
        if month:
            year, mon = int(month.group(1)), int(month.group(2))
            day = calendar.monthrange(year, mon)[1] if last else 1
            return date(year, mon, day)
        if _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass  # e.g. month 13 or 31 February: reported below
    raise InvalidPeriod(f"{text!r} is not a date (YYYY-MM-DD) or a month (YYYY-MM)")


def time_weight(before: DateRange, after: DateRange) -> float:
    """Length of ``before`` in units of ``after``: months when both are whole months, else days.

    1.0 for periods of equal length (e.g. January–June of two years, 182 and 181 days).
    """
    b, a = before.months, after.months
    if b is not None and a is not None:
        return b / a
    return before.days / after.days
