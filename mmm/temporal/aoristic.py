"""When it happens: incidents per hour of the week, aoristic where the moment is a window.

Why: patrols and a project group's actions are planned by the hour and the day; a table of
weekday × hour is how analysts read it. Many incidents — a burglary found on coming home, a
car broken into overnight — are only known to lie within a *window* (``occurred`` to
``date_to``). Placing them at the window's start piles them onto the hour the victim left; the
aoristic method (Ratcliffe 2002; Ashby & Bowers 2013) spreads each incident's weight of 1 over
the hours its window covers, in proportion to the minutes of each hour inside it.

How each incident is read (the rules the table's notes report):

- **undated** (``occurred`` empty): counted as undated, in no hour and no weekday;
- **a known moment** (no ``date_to``, a time of day other than exactly 00:00:00): weight 1 in
  its hour of its weekday;
- **no time of day** (no ``date_to``, stored at exactly 00:00:00): counted per weekday in the
  *no time* column, never at midnight. The store keeps a date without a time as 00:00:00, so an
  incident genuinely registered at 00:00:00 sharp is read the same way — the convention of the
  "midnight spike" in police records (Ratcliffe 2002), and the safe side of it;
- **a window** (``date_to`` given): from ``occurred`` to ``date_to``; an end at exactly
  00:00:00 is a date without a time, and so is one at 23:59:59 (how ``mmm import incidents
  --date-to`` stores a day without a time), so the window runs to the end of that day (a start
  at 00:00:00 is the start of its day, as it is). The weight of each hour of the week is the share
  of the window inside it; a window of a week or more covers every hour (evenly per whole week).
  A window that ends before it starts is not spread: it counts at ``occurred`` by the rules
  above, and the table says how many did (``reversed``).

The computation is vectorised: with ``F_j(t)`` the time before ``t`` spent in hour-of-week
``j`` (whole weeks plus the part of the current one), an incident's weight in ``j`` is
``(F_j(end) − F_j(start)) / (end − start)``; windows are handled in blocks, so a million
incidents never build a million × 168 matrix at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Hours of a day and of a week; weekday 0 is Monday.
DAY_HOURS, WEEK_HOURS = 24, 168
#: A Monday at midnight: hours of the week are counted from it.
_MONDAY = np.datetime64("1970-01-05T00:00:00", "s")
#: Windows spread per block (rows of the block × 168 weights at once).
BLOCK = 20_000


@dataclass(frozen=True, eq=False)
class WeekHours:
    """Incidents per weekday × hour, with what could not be placed in an hour.

    Attributes
    ----------
    weights
        ``(7, 24)`` floats: row = weekday (0 Monday … 6 Sunday), column = hour (0 = 00:00–00:59);
        an incident with a known moment adds 1 to one cell, one with a window spreads 1 over
        the cells of its window.
    no_time
        ``(7,)`` ints: dated incidents without a time of day (and without a window), per weekday.
    undated
        Incidents without a date.
    exact
        Incidents placed at a known moment.
    windows
        Incidents spread over a window.
    reversed
        Of ``exact`` and ``no_time``: those whose ``date_to`` came before ``occurred`` (read as
        if no window were given).
    """

    weights: np.ndarray
    no_time: np.ndarray
    undated: int
    exact: int
    windows: int
    reversed: int = 0

    @property
    def dated(self) -> int:
        """Incidents with a date: those in an hour (``exact`` + ``windows``) and ``no_time``."""
        return self.exact + self.windows + int(self.no_time.sum())

    @property
    def total(self) -> int:
        """Every incident the table accounts for."""
        return self.dated + self.undated

    def by_hour(self) -> np.ndarray:
        """``(24,)``: the weights per hour of the day, weekdays added."""
        return np.asarray(self.weights.sum(axis=0))

    def by_weekday(self) -> np.ndarray:
        """``(7,)``: the weights per weekday plus the weekday's incidents without a time."""
        return np.asarray(self.weights.sum(axis=1) + self.no_time)


def empty_week() -> WeekHours:
    """The table of no incidents."""
    return WeekHours(np.zeros((7, DAY_HOURS)), np.zeros(7, dtype=np.int64), 0, 0, 0)


def week_hours(incidents: pd.DataFrame) -> WeekHours:
    """The weekday × hour table of ``incidents`` (see the module for the rules).

    Parameters
    ----------
    incidents
        Column ``occurred`` (datetime64, NaT when undated) and, when the store keeps windows,
        ``date_to`` (datetime64, NaT when the moment is known); other columns are ignored.
    """
    occurred = _seconds(incidents["occurred"])
    if "date_to" in incidents.columns:
        date_to = _seconds(incidents["date_to"])
    else:
        date_to = np.full(len(occurred), np.datetime64("NaT"), dtype="datetime64[s]")
    dated = ~np.isnat(occurred)
    end = np.where(_at_midnight(date_to), date_to + np.timedelta64(1, "D"), date_to)
    end = np.where(_last_second(end), end + np.timedelta64(1, "s"), end)
    has_window = dated & ~np.isnat(date_to)
    window = has_window & (end > occurred)
    reversed_ = has_window & ~window & (date_to != occurred)
    moment = dated & ~window
    untimed = moment & _at_midnight(occurred)
    exact = moment & ~untimed

    weights = np.zeros(WEEK_HOURS)
    hours = _week_hours(occurred[exact])
    np.add.at(weights, np.floor(hours).astype(np.int64) % WEEK_HOURS, 1.0)
    starts, ends = _week_hours(occurred[window]), _week_hours(end[window])
    for lo in range(0, len(starts), BLOCK):
        weights += spread(starts[lo : lo + BLOCK], ends[lo : lo + BLOCK])
    days = _week_hours(occurred[untimed]) // DAY_HOURS % 7
    return WeekHours(
        weights=weights.reshape(7, DAY_HOURS),
        no_time=np.bincount(days.astype(np.int64), minlength=7).astype(np.int64),
        undated=int((~dated).sum()),
        exact=int(exact.sum()),
        windows=int(window.sum()),
        reversed=int(reversed_.sum()),
    )


def spread(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The summed aoristic weights ``(168,)`` of windows ``[start, end)`` in hours since a
    Monday 00:00 (``end > start``); each window adds 1 in all."""
    if len(start) == 0:
        return np.zeros(WEEK_HOURS)
    slots = np.arange(WEEK_HOURS, dtype=float)
    week_s, rest_s = np.divmod(start, WEEK_HOURS)
    week_e, rest_e = np.divmod(end, WEEK_HOURS)
    inside = (week_e - week_s)[:, None] + (
        np.clip(rest_e[:, None] - slots, 0.0, 1.0) - np.clip(rest_s[:, None] - slots, 0.0, 1.0)
    )
    return np.asarray((inside / (end - start)[:, None]).sum(axis=0))


def _seconds(values: pd.Series) -> np.ndarray:
    return np.asarray(pd.to_datetime(values).to_numpy(dtype="datetime64[s]"))


def _at_midnight(stamps: np.ndarray) -> np.ndarray:
    """Dated values at exactly 00:00:00 (NaT: ``False``)."""
    ok = ~np.isnat(stamps)
    out = np.zeros(len(stamps), dtype=bool)
    out[ok] = stamps[ok] == stamps[ok].astype("datetime64[D]")
    return out


def _last_second(stamps: np.ndarray) -> np.ndarray:
    """Dated values at exactly 23:59:59: how the import stores the end of a day without a time
    (``mmm import incidents --date-to``); the window then runs to the next midnight."""
    ok = ~np.isnat(stamps)
    out = np.zeros(len(stamps), dtype=bool)
    out[ok] = (stamps[ok] - stamps[ok].astype("datetime64[D]")) == np.timedelta64(86_399, "s")
    return out


def _week_hours(stamps: np.ndarray) -> np.ndarray:
    """Hours (float) since the Monday 1970-01-05 00:00 (negative before it)."""
    return (stamps - _MONDAY).astype(np.int64) / 3600.0
