"""Whole-month ranges, as the pages and the editor choose them: the months the data covers, a
requested range clipped to them, and the comparison range of the same length just before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from mmm.errors import InvalidPeriod


@dataclass(frozen=True)
class MonthRange:
    """An inclusive range of whole months, ``YYYY-MM`` to ``YYYY-MM``."""

    first: str
    last: str

    @property
    def start(self) -> date:
        """First day of the first month."""
        return pd.Period(self.first, "M").start_time.date()

    @property
    def end(self) -> date:
        """Last day of the last month."""
        return pd.Period(self.last, "M").end_time.date()

    @property
    def months(self) -> int:
        """How many months the range holds."""
        return (pd.Period(self.last, "M") - pd.Period(self.first, "M")).n + 1

    def previous(self) -> MonthRange:
        """The range of the same length just before this one."""
        first = pd.Period(self.first, "M") - self.months
        return MonthRange(str(first), str(pd.Period(self.first, "M") - 1))


def available_months(incidents: pd.DataFrame) -> list[str]:
    """Every month from the first to the last dated incident (``YYYY-MM``)."""
    dated = pd.to_datetime(incidents["occurred"]).dropna()
    if dated.empty:
        return []
    span = pd.period_range(dated.min().to_period("M"), dated.max().to_period("M"), freq="M")
    return [str(p) for p in span]


def choose_range(months: list[str], first: str | None, last: str | None) -> MonthRange:
    """The requested range clipped to the data; by default the latest month with data.

    Raises
    ------
    InvalidPeriod
        For a month that is not ``YYYY-MM`` or a range that ends before it starts.
    """
    latest = months[-1] if months else str(pd.Timestamp.today().to_period("M"))
    last = _month(last) if last else latest
    first = _month(first) if first else last
    if first > last:
        raise InvalidPeriod(f"the period starts ({first}) after it ends ({last})")
    return MonthRange(first, last)


def _month(text: str) -> str:
    try:
        return str(pd.Period(text, "M"))
    except (ValueError, TypeError):
        raise InvalidPeriod(f"{text!r} is not a month (YYYY-MM)") from None
