"""Near repeats in words and as alerts: how far and how long the raised risk after an incident
reaches, read from the Knox table, and the recent incidents whose risk is still raised.

Why: a Knox table (:mod:`mmm.hotspots.near_repeat`) is read by an analyst; a patrol plan and a
warning to the neighbours need one sentence — "after a burglary, the risk is raised within
200 m for 14 days" — and the places where that holds now.

**The reach** (:func:`near_repeat_reach`), from the significant cells (``p < alpha`` and a Knox
ratio above 1). The *same spot* row (a first distance band of 0 m: repeat victimisation of one
address, or a double registration) and the *same day* column (a first time band of 0 days) are
left out: the sentence is about the neighbours, in the days after. Of what remains, the first
cell — the shortest distances and times — must be significant, else there is no near-repeat
pattern to state. The distance reach is the upper bound of the last distance band such that
every band up to it is significant in the first time band; the time reach the upper bound of
the last time band such that every band up to it is significant in the first distance band.
A significant cell further out, cut off from the first one, does not extend the reach: a
near-repeat pattern fades with distance and time, and a lone cell is more likely chance.

**The alerts** (:func:`recent_alerts`): the incidents of the last ``days`` days (14 by
default) up to the reference day, each with a circle of the distance reach and the last day of
its raised risk (its date plus the time reach).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from mmm.errors import LimitExceeded
from mmm.hotspots.near_repeat import NearRepeat, knox_table

#: The bands of the page's near-repeat test: the calculator's usual 100 m and 7 days, with the
#: same spot and the same day apart.
DISTANCE_BANDS = (0.0, 100.0, 200.0, 300.0, 400.0, 500.0)
TIME_BANDS = (0, 7, 14, 21, 28, 35, 42, 49, 56)
#: Days of recent incidents on the alert layer.
ALERT_DAYS = 14


@dataclass(frozen=True)
class Reach:
    """How far (metres) and how long (days) the raised risk after an incident reaches."""

    distance_m: float
    days: int


@dataclass(frozen=True, eq=False)
class NearRepeatFinding:
    """The near-repeat test of one phenomenon over a period, and its reach (``None``: the
    table shows no near-repeat pattern). ``table`` is ``None`` when the phenomenon is too dense
    to test here (more pairs than :data:`mmm.hotspots.near_repeat.MAX_PAIRS`): ``refusal``
    says so, and the page says it was not tested rather than "no pattern"."""

    phenomenon: str
    start: date
    end: date
    table: NearRepeat | None
    reach: Reach | None
    alpha: float
    refusal: str | None = None


def near_repeat_reach(table: NearRepeat, *, alpha: float = 0.05) -> Reach | None:
    """The reach of a Knox table in words (see the module), or ``None``."""
    significant = (table.p < alpha) & (table.ratio > 1)
    rows = slice(1 if table.distance_bands[0] == 0 else 0, None)
    cols = slice(1 if table.time_bands[0] == 0 else 0, None)
    near = significant[rows, cols]
    distances = table.distance_bands[rows]
    times = table.time_bands[cols]
    if near.size == 0 or not near[0, 0]:
        return None
    k = _run_length(near[:, 0])
    t = _run_length(near[0, :])
    return Reach(float(distances[k - 1]), int(times[t - 1]))


def _run_length(flags: np.ndarray) -> int:
    """How many leading values are true."""
    falses = np.flatnonzero(~flags)
    return int(falses[0]) if len(falses) else len(flags)


def near_repeat_findings(
    incidents: pd.DataFrame,
    phenomena: Sequence[str],
    *,
    reference: date,
    months: int = 12,
    permutations: int = 99,
    seed: int = 20070101,
    alpha: float = 0.05,
) -> list[NearRepeatFinding]:
    """The near-repeat test of each phenomenon over the ``months`` months up to ``reference``
    (:data:`DISTANCE_BANDS` × :data:`TIME_BANDS`), with a fixed seed so a page shows the same
    answer every time for the same data. A phenomenon with fewer than two dated incidents in
    the period gets no finding."""
    start = (pd.Timestamp(reference) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()
    days = pd.to_datetime(incidents["occurred"]).to_numpy(dtype="datetime64[D]")
    inside = ~np.isnat(days) & (days >= np.datetime64(start)) & (days <= np.datetime64(reference))
    codes = incidents["phenomenon"].astype(str).to_numpy()
    x = incidents["x"].to_numpy(dtype=float)
    y = incidents["y"].to_numpy(dtype=float)
    found = []
    for code in phenomena:
        mine = inside & (codes == code)
        if mine.sum() < 2:
            continue
        try:
            table = knox_table(
                x[mine],
                y[mine],
                days[mine].astype(np.int64),
                DISTANCE_BANDS,
                TIME_BANDS,
                permutations=permutations,
                seed=seed,
            )
        except LimitExceeded as refused:
            found.append(NearRepeatFinding(code, start, reference, None, None, alpha, str(refused)))
            continue
        reach = near_repeat_reach(table, alpha=alpha)
        found.append(NearRepeatFinding(code, start, reference, table, reach, alpha))
    return found


@dataclass(frozen=True)
class Alert:
    """A recent incident whose neighbours run a raised risk: where, when, how far, until when."""

    phenomenon: str
    x: float
    y: float
    day: date
    radius_m: float
    until: date


def recent_alerts(
    incidents: pd.DataFrame,
    findings: Sequence[NearRepeatFinding],
    *,
    reference: date,
    days: int = ALERT_DAYS,
) -> list[Alert]:
    """The incidents of the ``days`` days up to ``reference`` of every phenomenon whose finding
    has a reach, newest first, each with its risk circle and last day of raised risk."""
    first = np.datetime64(reference - timedelta(days=days - 1))
    stamp = pd.to_datetime(incidents["occurred"]).to_numpy(dtype="datetime64[D]")
    recent = ~np.isnat(stamp) & (stamp >= first) & (stamp <= np.datetime64(reference))
    codes = incidents["phenomenon"].astype(str).to_numpy()
    x = incidents["x"].to_numpy(dtype=float)
    y = incidents["y"].to_numpy(dtype=float)
    alerts = []
    for finding in findings:
        if finding.reach is None:
            continue
        for i in np.flatnonzero(recent & (codes == finding.phenomenon)):
            day = pd.Timestamp(stamp[i]).date()
            alerts.append(
                Alert(
                    finding.phenomenon,
                    float(x[i]),
                    float(y[i]),
                    day,
                    finding.reach.distance_m,
                    day + timedelta(days=finding.reach.days),
                )
            )
    return sorted(alerts, key=lambda a: (a.day, a.phenomenon), reverse=True)
