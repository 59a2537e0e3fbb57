"""Recent change: the windows of a reference day as a person would count them, the exact
Poisson test against a hand-summed binomial, and the table's counts, q-values and verdicts."""

from __future__ import annotations

from datetime import date, timedelta
from math import comb

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from mmm.temporal import ALL, ZONE, poisson_test, recent_change, spans


def test_windows_of_a_reference_day() -> None:
    w = spans(date(2024, 3, 10))
    assert (w["7d"]["current"].start, w["7d"]["current"].end) == (
        date(2024, 3, 4),
        date(2024, 3, 10),
    )
    assert (w["7d"]["previous"].start, w["7d"]["previous"].end) == (
        date(2024, 2, 26),
        date(2024, 3, 3),
    )
    assert (w["7d"]["last_year"].start, w["7d"]["last_year"].end) == (
        date(2023, 3, 4),
        date(2023, 3, 10),
    )
    assert w["28d"]["current"].start == date(2024, 2, 12) and w["28d"]["current"].days == 28
    assert w["28d"]["previous"].end == date(2024, 2, 11) and w["28d"]["previous"].days == 28
    ytd = w["ytd"]
    assert (ytd["current"].start, ytd["current"].days) == (date(2024, 1, 1), 70)
    assert (ytd["previous"].start, ytd["previous"].end) == (date(2023, 10, 23), date(2023, 12, 31))
    assert (ytd["last_year"].start, ytd["last_year"].end) == (date(2023, 1, 1), date(2023, 3, 10))
    assert ytd["last_year"].days == 69  # no 29 February in 2023
    leap = spans(date(2024, 2, 29))
    assert leap["7d"]["last_year"].end == date(2023, 2, 28)


def _two_sided(a: int, b: int, t1: float, t2: float) -> float:
    """The reference: sum, by hand, the binomial outcomes no more likely than ``a``."""
    n, share = a + b, t1 / (t1 + t2)
    pmf = [comb(n, k) * share**k * (1 - share) ** (n - k) for k in range(n + 1)]
    return min(1.0, sum(v for v in pmf if v <= pmf[a] * (1 + 1e-7)))


def test_the_exact_test_on_small_counts() -> None:
    assert poisson_test(10, 2) == pytest.approx(158 / 4096)  # 2 × (66 + 12 + 1) / 2¹²
    assert poisson_test(0, 0) == 1.0
    assert poisson_test(3, 6) == pytest.approx(_two_sided(3, 6, 1, 1))  # doubling: not significant
    assert poisson_test(3, 6) > 0.5
    rng = np.random.default_rng(4)
    for _ in range(40):
        a, b = (int(v) for v in rng.integers(0, 40, 2))
        t1, t2 = (float(v) for v in rng.integers(5, 370, 2))
        if a + b:
            assert poisson_test(a, b, t1, t2) == pytest.approx(_two_sided(a, b, t1, t2), rel=1e-9)


def _incidents() -> pd.DataFrame:
    """Burglaries in a square: 12 in the last 7 days to 2024-03-10, 1 the week before, 2 a year
    earlier; drugs outside the square; one undated."""
    rows = []
    for i in range(12):
        rows.append(("burglary", date(2024, 3, 4) + timedelta(days=i % 7), 50, 50))
    rows.append(("burglary", date(2024, 2, 28), 50, 50))
    rows += [("burglary", date(2023, 3, 5), 50, 50), ("burglary", date(2023, 3, 9), 50, 50)]
    rows += [("drugs", date(2024, 3, 10), 500, 500), ("drugs", date(2021, 1, 1), 500, 500)]
    frame = pd.DataFrame(rows, columns=["phenomenon", "occurred", "x", "y"])
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    undated = pd.DataFrame(
        {"phenomenon": ["burglary"], "occurred": [pd.NaT], "x": [50.0], "y": [50.0]}
    )
    return pd.concat([frame, undated], ignore_index=True)


def test_the_table_counts_tests_and_judges() -> None:
    found = recent_change(_incidents(), [(ZONE, None), ("Square", box(0, 0, 100, 100))],
                          ["burglary", "drugs"])  # fmt: skip
    assert found.reference == date(2024, 3, 10)  # the last dated incident
    t = found.table.set_index(["area", "phenomenon", "window", "comparison"])
    row = t.loc[("Square", "burglary", "7d", "previous")]
    assert (row["current"], row["compared"], row["change"]) == (12, 1, 11)
    assert row["p"] == pytest.approx(_two_sided(12, 1, 7, 7))
    assert row["rate_ratio"] == pytest.approx(12.0) and row["change_pct"] == pytest.approx(1100)
    year = t.loc[("Square", "burglary", "7d", "last_year")]
    assert (year["current"], year["compared"]) == (12, 2)
    assert t.loc[("Square", "drugs", "7d", "previous")]["current"] == 0  # outside the square
    assert t.loc[("", "drugs", "7d", "previous")]["current"] == 1
    total = t.loc[("", ALL, "ytd", "previous")]
    assert total["current"] == 14 and total["days"] == 70 and total["days_compared"] == 70
    ytd_year = t.loc[("Square", "burglary", "ytd", "last_year")]
    assert ytd_year["days_compared"] == 69 and ytd_year["compared"] == 2
    assert ytd_year["p"] == pytest.approx(_two_sided(13, 2, 70, 69))
    # q: Benjamini–Hochberg over the six rows of each window × comparison, by hand.
    for _key, group in found.table.groupby(["window", "comparison"]):
        p = group["p"].to_numpy()
        order = np.argsort(p)
        m = len(p)
        ranked = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
        expected = np.empty(m)
        expected[order] = np.minimum(ranked, 1)
        np.testing.assert_allclose(group["q"].to_numpy(), expected)
    assert row["significant"] and row["direction"] == "up"
    flat = t.loc[("Square", "drugs", "7d", "previous")]
    assert not flat["significant"] and flat["direction"] == ""
    assert set(found.significant("7d")["area"]) <= {"", "Square"}
    assert len(found.table) == 2 * 3 * 3 * 2  # areas × (all + 2) × windows × comparisons


def test_nothing_dated_is_said_plainly() -> None:
    frame = pd.DataFrame({"phenomenon": ["a"], "occurred": [pd.NaT], "x": [0.0], "y": [0.0]})
    with pytest.raises(ValueError, match="no dated incident"):
        recent_change(frame, [(ZONE, None)], ["a"])
    with pytest.raises(ValueError, match="alpha"):
        recent_change(_incidents(), [(ZONE, None)], ["a"], alpha=1.5)


def test_the_vectorised_test_equals_scipys_binomial_test_case_by_case() -> None:
    from scipy.stats import binomtest

    from mmm.temporal.compstat import poisson_tests

    rng = np.random.default_rng(11)
    a = rng.integers(0, 3000, 400) * (rng.random(400) < 0.5) + rng.integers(0, 30, 400)
    b = rng.integers(0, 3000, 400) * (rng.random(400) < 0.5) + rng.integers(0, 30, 400)
    t1 = rng.integers(1, 400, 400).astype(float)
    t2 = np.where(rng.random(400) < 0.5, t1, rng.integers(1, 400, 400))
    got = poisson_tests(a, b, t1, t2)
    for i in range(400):
        n = int(a[i] + b[i])
        want = 1.0 if n == 0 else binomtest(int(a[i]), n, t1[i] / (t1[i] + t2[i])).pvalue
        assert got[i] == pytest.approx(want, rel=1e-9, abs=1e-300), (a[i], b[i], t1[i], t2[i])
