"""Whole-month ranges, as the pages and the editor choose them: the months the data covers, a
requested range checked against them, and the comparison range of the same length just before.

A requested range must lie within the months the data covers (with no dated data: the
:data:`~mmm.limits.MAX_MONTHS` months up to this one) and hold at most ``MAX_MONTHS`` months:
a range of ten thousand years once cost a page minutes and a gigabyte.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from mmm.errors import InvalidPeriod, PeriodOutOfRange
from mmm.limits import MAX_MONTHS


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

    def month_list(self) -> list[str]:
        """Every month of the range, ``YYYY-MM``, oldest first."""
        return [str(p) for p in pd.period_range(self.first, self.last, freq="M")]

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
    """The requested range, checked against the data; by default the latest month with data.

    Parameters
    ----------
    months
        The months the data covers (:func:`available_months`), oldest first.
    first, last
        ``YYYY-MM``; a missing ``last`` is the latest month with data, a missing ``first`` is
        ``last``.

    Raises
    ------
    InvalidPeriod
        For a month that is not ``YYYY-MM`` or a range that ends before it starts.
    PeriodOutOfRange
        For a range outside the months the data covers, or longer than
        :data:`~mmm.limits.MAX_MONTHS` months.
    """
    earliest, latest = _span(months)
    last = _month(last) if last else latest
    first = _month(first) if first else last
    start, end = pd.Period(first, "M"), pd.Period(last, "M")
    if start > end:
        raise InvalidPeriod(f"the period starts ({first}) after it ends ({last})")
    chosen = MonthRange(first, last)
    outside = start < pd.Period(earliest, "M") or end > pd.Period(latest, "M")
    if outside or chosen.months > MAX_MONTHS:
        raise PeriodOutOfRange(
            f"choose months from {earliest} to {latest}, at most {MAX_MONTHS} at once "
            f"(asked: {first} to {last})",
            earliest,
            latest,
            MAX_MONTHS,
        )
    return chosen


def _span(months: list[str]) -> tuple[str, str]:
    """The first and last month that may be chosen: the data's, else the last MAX_MONTHS."""
    if months:
        return months[0], months[-1]
    now = pd.Timestamp.today().to_period("M")
    return str(now - (MAX_MONTHS - 1)), str(now)


def _month(text: str) -> str:
    try:
        return str(pd.Period(text, "M"))
    except (ValueError, TypeError):
        raise InvalidPeriod(f"{text!r} is not a month (YYYY-MM)") from None
