"""Recent change as CompStat reads it: the last 7 and 28 days and the year to date, against the
window just before and the same window a year earlier, with an exact Poisson test.

Why: a weekly meeting asks "what changed?" before "where is it bad?". A count that went from 3
to 6 doubled, but two Poisson counts that small differ that much by chance more often than not;
the test says whether a change is larger than chance would make it.

The windows, for a reference day ``R`` (default: the last day with a dated incident — data
arrive late, so "today" would look like a drop):

- ``7d``: ``R − 6 … R``; ``28d``: ``R − 27 … R``; ``ytd``: 1 January of ``R``'s year ``… R``;
- ``previous``: as many days just before the window;
- ``last_year``: the same calendar days a year earlier (29 February becomes 28 February), so
  a year-to-date window and its comparison may differ by a day in a leap year.

The test: counts ``a`` (window of ``t₁`` days) and ``b`` (comparison, ``t₂`` days), each
Poisson. Under "the same rate per day", given ``n = a + b`` incidents in both, ``a`` is binomial
``(n, t₁ / (t₁ + t₂))`` — the conditional test of two Poisson rates (Przyborowski & Wileński
1940), exact at any count, so small counts get no normal approximation. The p-value is
two-sided (the binomial outcomes no more likely than ``a``, as ``scipy.stats.binomtest``).
With many places × phenomena, about one test in twenty is "significant" at 0.05 by chance;
``q`` is the Benjamini–Hochberg adjusted p-value over all tests of the same window and
comparison, and a change is called **significant** when ``q ≤ alpha``.

Incidents count by the day of ``occurred`` (a window's start), in a perimeter that covers them;
undated incidents are in no window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.counting.count import covered_mask
from mmm.errors import NotFound
from mmm.store import Store
from mmm.temporal.tables import ZONE

#: The windows, shortest first, and the comparisons.
WINDOWS = ("7d", "28d", "ytd")
COMPARISONS = ("previous", "last_year")
#: The phenomenon code of the row that adds up every phenomenon.
ALL = ""
#: Columns of :attr:`RecentChange.table`.
COLUMNS = (
    "area",
    "phenomenon",
    "window",
    "comparison",
    "current",
    "compared",
    "days",
    "days_compared",
    "change",
    "change_pct",
    "rate_ratio",
    "p",
    "q",
    "significant",
    "direction",
)


@dataclass(frozen=True)
class Span:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days it holds."""
        return (self.end - self.start).days + 1


def year_earlier(day: date) -> date:
    """The same calendar day a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def spans(reference: date) -> dict[str, dict[str, Span]]:
    """Every window of ``reference``: ``{"7d": {"current": …, "previous": …, "last_year": …},
    "28d": …, "ytd": …}``."""
    out = {}
    for name in WINDOWS:
        if name == "ytd":
            start = date(reference.year, 1, 1)
        else:
            start = reference - timedelta(days=int(name[:-1]) - 1)
        current = Span(start, reference)
        before_end = start - timedelta(days=1)
        out[name] = {
            "current": current,
            "previous": Span(before_end - timedelta(days=current.days - 1), before_end),
            "last_year": Span(year_earlier(start), year_earlier(reference)),
        }
    return out


def poisson_test(a: int, b: int, t1: float = 1.0, t2: float = 1.0) -> float:
    """Two-sided exact p-value that counts ``a`` (exposure ``t1``) and ``b`` (exposure ``t2``)
    come from the same Poisson rate (see :func:`poisson_tests`; 1 when both are 0)."""
    return float(poisson_tests(np.array([a]), np.array([b]), np.array([t1]), np.array([t2]))[0])


def poisson_tests(a: np.ndarray, b: np.ndarray, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
    """:func:`poisson_test` for arrays at once: the binomial test of ``a`` in ``a + b`` at
    ``t1 / (t1 + t2)``, two-sided as ``scipy.stats.binomtest`` (the outcomes no more likely than
    ``a``, with its relative tolerance of 1e-7), vectorised.

    The binomial probabilities rise to the mode and fall after it, so the outcomes on the far
    side of the mode no more likely than ``a`` form a tail; its edge is found by a binary
    search run for every test at once (about ``log₂ n`` steps), not by one call per test.
    """
    from scipy.stats import binom

    a = np.asarray(a, dtype=np.int64)
    n = a + np.asarray(b, dtype=np.int64)
    t1, t2 = np.asarray(t1, dtype=float), np.asarray(t2, dtype=float)
    share = t1 / (t1 + t2)
    limit = binom.pmf(a, n, share) * (1 + 1e-7)
    expected = n * share
    low = a < expected  # the other tail lies above the mode: its first k with pmf <= limit
    lo = np.where(low, np.ceil(expected), -1).astype(np.int64)
    hi = np.where(low, n + 1, np.floor(expected)).astype(np.int64)
    while (busy := lo < hi).any():
        mid = np.where(low, (lo + hi) // 2, (lo + hi + 1) // 2)
        below = binom.pmf(mid, n, share) <= limit  # outside 0…n the pmf is 0: always below
        lo = np.where(busy & low & ~below, mid + 1, np.where(busy & ~low & below, mid, lo))
        hi = np.where(busy & low & below, mid, np.where(busy & ~low & ~below, mid - 1, hi))
    upper = binom.cdf(a, n, share) + binom.sf(lo - 1, n, share)
    lower = binom.cdf(lo, n, share) + binom.sf(a - 1, n, share)
    p = np.minimum(np.where(low, upper, lower), 1.0)
    return np.where((n == 0) | (a == expected), 1.0, p)


@dataclass(frozen=True, eq=False)
class RecentChange:
    """The CompStat table of a reference day.

    Attributes
    ----------
    reference
        The last day of every window.
    spans
        The windows (:func:`spans`).
    alpha
        The level of ``significant`` (on ``q``).
    table
        One row per area × phenomenon (``""``: all phenomena) × window × comparison, in
        :data:`COLUMNS`: the counts, the days of each window, ``change`` (``current −
        compared``), ``change_pct`` (NaN when ``compared`` is 0), ``rate_ratio`` (per day; NaN
        when ``compared`` is 0), ``p`` (exact, two-sided), ``q`` (Benjamini–Hochberg over the
        rows of the same window and comparison), ``significant`` (``q ≤ alpha``) and
        ``direction`` (``up``, ``down`` or ``""`` when not significant).
    """

    reference: date
    spans: dict[str, dict[str, Span]]
    alpha: float
    table: pd.DataFrame

    def significant(self, window: str = "28d") -> pd.DataFrame:
        """The significant rows of one window (both comparisons), strongest first."""
        rows = self.table[(self.table["window"] == window) & self.table["significant"]]
        return rows.sort_values(["q", "area", "phenomenon"]).reset_index(drop=True)


def recent_change(
    incidents: pd.DataFrame,
    areas: Iterable[tuple[str, BaseGeometry | None]],
    phenomena: Sequence[str],
    *,
    reference: date | None = None,
    alpha: float = 0.05,
) -> RecentChange:
    """The CompStat table of ``areas`` (``(name, polygon)``; a polygon of ``None`` is the whole
    zone) × ``phenomena`` (and :data:`ALL`: these phenomena together).

    Raises
    ------
    ValueError
        When there is no dated incident to take the reference day from, or for an ``alpha``
        outside (0, 1).
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha!r}")
    days = pd.to_datetime(incidents["occurred"]).to_numpy(dtype="datetime64[D]")
    dated = ~np.isnat(days)
    if reference is None:
        if not dated.any():
            raise ValueError("no dated incident: there is no recent period to compare")
        reference = pd.Timestamp(days[dated].max()).date()
    windows = spans(reference)
    earliest = min(s.start for w in windows.values() for s in w.values())
    keep = dated & (days >= np.datetime64(earliest)) & (days <= np.datetime64(reference))
    subset = incidents[keep]
    day = days[keep]
    x = subset["x"].to_numpy(dtype=float)
    y = subset["y"].to_numpy(dtype=float)
    index = {code: k for k, code in enumerate(phenomena)}
    codes = subset["phenomenon"].astype(str).map(lambda c: index.get(c, -1)).to_numpy(np.int64)
    rows = []
    for name, geometry in areas:
        inside = np.ones(len(subset), bool) if geometry is None else covered_mask(x, y, geometry)
        for code in [ALL, *phenomena]:
            mine = inside & (codes >= 0 if code == ALL else codes == index[code])
            rows += _rows(name, code, day[mine], windows)
    table = pd.DataFrame(rows, columns=list(COLUMNS[:-4]))
    table["p"] = poisson_tests(
        table["current"].to_numpy(),
        table["compared"].to_numpy(),
        table["days"].to_numpy(),
        table["days_compared"].to_numpy(),
    )
    return RecentChange(reference, windows, alpha, _judge(table, alpha))


def _rows(
    area: str, code: str, day: np.ndarray, windows: dict[str, dict[str, Span]]
) -> list[tuple[object, ...]]:
    """The six rows (3 windows × 2 comparisons) of one area × phenomenon, without ``p``."""

    def count(span: Span) -> int:
        return int(((day >= np.datetime64(span.start)) & (day <= np.datetime64(span.end))).sum())

    out: list[tuple[object, ...]] = []
    for name in WINDOWS:
        current = windows[name]["current"]
        a = count(current)
        for kind in COMPARISONS:
            other = windows[name][kind]
            b = count(other)
            t1, t2 = current.days, other.days
            ratio = (a / t1) / (b / t2) if b else float("nan")
            percent = 100.0 * (a - b) / b if b else float("nan")
            out.append((area, code, name, kind, a, b, t1, t2, a - b, percent, ratio))
    return out


def _judge(table: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Add ``q`` (Benjamini–Hochberg per window × comparison), ``significant``, ``direction``."""
    from scipy.stats import false_discovery_control

    q = np.ones(len(table))
    for _, index in table.groupby(["window", "comparison"]).groups.items():
        positions = table.index.get_indexer(index)
        q[positions] = false_discovery_control(table["p"].to_numpy()[positions])
    table = table.assign(q=q)
    significant = (table["q"] <= alpha) & (table["change"] != 0)
    direction = np.where(significant, np.where(table["change"] > 0, "up", "down"), "")
    return table.assign(significant=significant, direction=direction)


def store_recent_change(
    store: Store,
    *,
    perimeters: Sequence[str] = (),
    phenomena: Sequence[str] = (),
    reference: date | None = None,
    alpha: float = 0.05,
) -> RecentChange:
    """:func:`recent_change` on a store: the zone (area :data:`~mmm.temporal.tables.ZONE`) and
    the named perimeters — none named: every perimeter that is not archived — × the given
    phenomena (none: every phenomenon of the store).

    Raises
    ------
    NotFound
        For a perimeter name or phenomenon code the store does not know.
    ValueError
        As :func:`recent_change`.
    """
    shapes = store.perimeters()
    by_name = dict(zip(shapes["name"].astype(str), shapes.geometry.values, strict=True))
    unknown = [name for name in perimeters if name not in by_name]
    if unknown:
        raise NotFound(
            f"no perimeter named {', '.join(map(repr, unknown))}; known: "
            f"{', '.join(sorted(by_name)) or 'none yet'}"
        )
    known = sorted(store.phenomena()["code"].astype(str))
    missing = [code for code in phenomena if code not in known]
    if missing:
        raise NotFound(
            f"unknown phenomenon code {', '.join(missing)}; known: {', '.join(known) or 'none yet'}"
        )
    active = shapes[shapes["status"] != "archived"]["name"].astype(str).tolist()
    names = list(perimeters) or active
    areas: list[tuple[str, BaseGeometry | None]] = [(ZONE, None)]
    areas += [(name, by_name[name]) for name in names]
    return recent_change(
        store.incidents(), areas, list(phenomena) or known, reference=reference, alpha=alpha
    )
