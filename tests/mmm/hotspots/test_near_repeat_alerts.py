"""Near repeats in words: the reach read from hand-built Knox tables as a person reads them, a
planted near-repeat pattern found and a random one not, and the recent alerts with their circles."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from mmm.hotspots.near_repeat import NearRepeat
from mmm.hotspots.near_repeat_alerts import (
    Reach,
    near_repeat_findings,
    near_repeat_reach,
    recent_alerts,
)

D = (0.0, 100.0, 200.0, 300.0)
T = (0, 7, 14, 21, 28)


def _table(significant: list[list[int]], distance=D, time=T) -> NearRepeat:
    flags = np.asarray(significant, dtype=bool)
    observed = np.where(flags, 30, 10)
    return NearRepeat(
        distance_bands=distance, time_bands=time, observed=observed,
        expected=np.full(flags.shape, 10.0), p=np.where(flags, 0.01, 0.5),
        events=100, pairs=4950, permutations=99, seed=1,
    )  # fmt: skip


def test_the_reach_is_the_significant_block_next_to_the_first_cell() -> None:
    table = _table([
        [1, 1, 1, 1, 1],  # same spot: left out
        [1, 1, 1, 1, 0],  # > 0–100 m: 1–7, 8–14, 15–21 days significant
        [0, 1, 1, 0, 0],  # > 100–200 m
        [0, 0, 0, 0, 1],  # > 200–300 m: a lone cell far out
    ])  # fmt: skip
    assert near_repeat_reach(table) == Reach(200.0, 21)


def test_no_reach_without_the_first_near_cell() -> None:
    only_same_spot = _table([[1, 1, 1, 1, 1], [1, 0, 1, 1, 1], [0, 1, 1, 1, 1], [0, 1, 1, 1, 1]])
    assert near_repeat_reach(only_same_spot) is None
    # Fewer pairs than expected is no raised risk, however small p is.
    fewer = _table([[0] * 5, [0, 1, 0, 0, 0], [0] * 5, [0] * 5])
    fewer = NearRepeat(**{**fewer.__dict__, "observed": np.where(fewer.p < 0.05, 1, 10)})
    assert near_repeat_reach(fewer) is None


def test_bands_without_a_zero_band_use_every_row_and_column() -> None:
    table = _table([[1, 1, 0], [1, 0, 0]], distance=(100.0, 200.0), time=(7, 14, 21))
    assert near_repeat_reach(table) == Reach(200.0, 14)
    assert near_repeat_reach(table, alpha=0.001) is None


def _burglaries(seed: int, planted: bool) -> pd.DataFrame:
    """500 background burglaries over a year in 3 km × 3 km; with ``planted``, each of 150 of them
    is followed within 10 days by one more within 150 m."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 3000, size=(500, 2))
    day = rng.integers(0, 365, 500)
    if planted:
        parents = rng.choice(500, 150, replace=False)
        angle, radius = rng.uniform(0, 2 * np.pi, 150), rng.uniform(10, 150, 150)
        child = xy[parents] + np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        xy = np.vstack([xy, child])
        day = np.concatenate([day, np.minimum(day[parents] + rng.integers(1, 11, 150), 364)])
    return pd.DataFrame(
        {
            "phenomenon": "burglary",
            "occurred": np.datetime64("2024-01-01") + day.astype("timedelta64[D]"),
            "x": 150_000 + xy[:, 0],
            "y": 170_000 + xy[:, 1],
        }
    )


def test_a_planted_pattern_is_found_and_a_random_one_is_not() -> None:
    end = date(2024, 12, 30)
    planted = near_repeat_findings(_burglaries(1, True), ["burglary"], reference=end)
    assert len(planted) == 1 and planted[0].reach is not None
    assert planted[0].reach.distance_m >= 100 and planted[0].reach.days >= 7
    assert planted[0].start == date(2023, 12, 31)
    assert planted[0].table is not None and planted[0].table.events == 650
    random = near_repeat_findings(_burglaries(2, False), ["burglary", "ghost"], reference=end)
    assert [f.phenomenon for f in random] == ["burglary"] and random[0].reach is None


def test_recent_alerts_carry_their_circle_and_last_day() -> None:
    frame = pd.DataFrame(
        {
            "phenomenon": ["burglary", "burglary", "burglary", "drugs", "burglary"],
            "occurred": pd.to_datetime(
                ["2024-12-30 10:00", "2024-12-17", "2024-12-16", "2024-12-29", None],
                format="ISO8601",
            ),
            "x": [1.0, 2.0, 3.0, 4.0, 5.0],
            "y": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    finding = near_repeat_findings(_burglaries(1, True), ["burglary"], reference=date(2024, 12, 30))
    reach = finding[0].reach
    assert reach is not None
    alerts = recent_alerts(frame, finding, reference=date(2024, 12, 30))
    assert [(a.x, a.day) for a in alerts] == [(1.0, date(2024, 12, 30)), (2.0, date(2024, 12, 17))]
    assert all(a.radius_m == reach.distance_m for a in alerts)
    assert alerts[0].until == date(2024, 12, 30) + pd.Timedelta(days=reach.days)
    assert recent_alerts(frame, [], reference=date(2024, 12, 30)) == []


def test_a_phenomenon_too_dense_for_a_page_is_said_to_be_untested(monkeypatch) -> None:
    import mmm.hotspots.near_repeat as near_repeat

    monkeypatch.setattr(near_repeat, "MAX_PAIRS", 100)  # the planted set has far more pairs
    end = date(2024, 12, 30)
    [finding] = near_repeat_findings(_burglaries(1, True), ["burglary"], reference=end)
    assert finding.table is None and finding.reach is None
    assert finding.refusal is not None and "pairs of incidents" in finding.refusal
    assert recent_alerts(_burglaries(1, True), [finding], reference=end) == []
