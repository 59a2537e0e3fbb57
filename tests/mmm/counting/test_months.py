"""Month ranges: a requested range must lie within the data's months and hold at most 120."""

from __future__ import annotations

import pandas as pd
import pytest

from mmm.counting.months import MonthRange, choose_range
from mmm.errors import InvalidPeriod, PeriodOutOfRange
from mmm.limits import MAX_MONTHS

DATA = [str(p) for p in pd.period_range("2023-01", "2025-12", freq="M")]


def test_a_range_inside_the_data_and_the_defaults() -> None:
    assert choose_range(DATA, "2024-02", "2024-05") == MonthRange("2024-02", "2024-05")
    assert choose_range(DATA, None, None) == MonthRange("2025-12", "2025-12")
    assert choose_range(DATA, "2025-06", None) == MonthRange("2025-06", "2025-12")


@pytest.mark.parametrize(
    "first,last", [("0001-01", "9999-12"), ("2022-12", "2023-03"), ("2025-10", "2026-01")]
)
def test_a_range_beyond_the_data_is_refused_naming_what_may_be_chosen(first, last) -> None:
    with pytest.raises(PeriodOutOfRange, match="choose months from 2023-01 to 2025-12") as caught:
        choose_range(DATA, first, last)
    assert (caught.value.first, caught.value.last, caught.value.months) == (
        "2023-01",
        "2025-12",
        MAX_MONTHS,
    )


def test_more_than_120_months_are_refused_even_when_the_data_covers_them() -> None:
    long = [str(p) for p in pd.period_range("2010-01", "2025-12", freq="M")]
    assert choose_range(long, "2016-01", "2025-12").months == 120
    with pytest.raises(PeriodOutOfRange, match="at most 120"):
        choose_range(long, "2015-12", "2025-12")


def test_without_data_the_last_120_months_may_be_chosen() -> None:
    now = pd.Timestamp.today().to_period("M")
    assert choose_range([], str(now - 119), str(now)).months == 120
    with pytest.raises(PeriodOutOfRange):
        choose_range([], str(now - 120), str(now))


def test_malformed_and_reversed_months_stay_invalid_periods() -> None:
    for first, last in [("2024-13", None), ("99999-01", None), ("2025-06", "2025-01")]:
        with pytest.raises(InvalidPeriod):
            choose_range(DATA, first, last)
