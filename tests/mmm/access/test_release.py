"""The release model: month cells, what a partner may ask for, overlaps, and the ledger."""

from __future__ import annotations

import numpy as np
import pytest

from mmm.access.disclosure import Figure
from mmm.access.release import MonthlyCells, Overlap, Release, recording
from mmm.access.rules import EVERYTHING, Scope
from mmm.errors import AccessDenied

MONTHS = ("2024-10", "2024-11", "2024-12")
# Perimeter 2 lies inside perimeter 1; perimeter 3 overlaps nothing.
COUNTS = np.array(
    [
        [[18, 7, 4], [30, 31, 32]],  # 1: drugs, intrafamily violence
        [[16, 6, 3], [12, 28, 29]],  # 2
        [[9, 9, 9], [7, 12, 40]],  # 3
    ]
)
OUTSIDE_2 = COUNTS[0] - COUNTS[1]  # what 1 covers and 2 does not: drugs 2, 1, 1
CELLS = MonthlyCells(
    perimeters=(1, 2, 3),
    phenomena=("drugs", "intrafamily_violence"),
    months=MONTHS,
    counts=COUNTS,
    overlaps=(Overlap(1, 2, ((1, 2),), OUTSIDE_2[None]),),
)
THRESHOLDS = {"drugs": 5, "intrafamily_violence": 10}
PARTNER = Scope(
    pairs=frozenset({(1, "drugs"), (2, "drugs"), (2, "intrafamily_violence"), (3, "drugs")}),
    thresholds=THRESHOLDS,
)


def test_small_cells_read_below_their_phenomenons_threshold() -> None:
    shown = Release(CELLS, PARTNER)
    assert shown.figure([1], ["drugs"], ["2024-12"]) == Figure("below", 5)
    assert shown.figure([3], ["drugs"], ["2024-11"]) == Figure("exact", 9)
    audience = Release(CELLS, Scope(pairs=None, thresholds=THRESHOLDS))
    assert audience.figure([3], ["intrafamily_violence"], ["2024-10"]).text == "<10"


def test_a_range_with_a_hidden_month_is_a_lower_bound() -> None:
    shown = Release(CELLS, PARTNER)
    assert shown.figure([1], ["drugs"], MONTHS).text == "≥25"
    assert shown.figure([1], ["drugs"], MONTHS[:2]).text == "25"
    assert shown.figure([3], ["drugs"], MONTHS).text == "27"


def test_the_smaller_of_nested_perimeters_is_withheld_where_the_difference_is_small() -> None:
    shown = Release(CELLS, PARTNER)
    # 2 holds 16 of 1's 18 drug incidents in October: 18 − 16 = 2 would be a small count.
    assert shown.figure([2], ["drugs"], ["2024-10"]).text == "×"
    assert shown.figure([1], ["drugs"], ["2024-10"]).text == "18"
    # Intrafamily violence outside 2 is 18, 3, 3: only October (18) releases 2's cell.
    ifv = [shown.figure([2], ["intrafamily_violence"], [m]).text for m in MONTHS]
    assert ifv == ["12", "×", "×"]


def test_pairs_outside_the_scope_cannot_be_asked_for() -> None:
    shown = Release(CELLS, PARTNER)
    assert not shown.shows(1, "intrafamily_violence")
    with pytest.raises(AccessDenied):
        shown.figure([1], ["drugs", "intrafamily_violence"], MONTHS)


def test_staff_read_every_cell_exact() -> None:
    shown = Release(CELLS, EVERYTHING)
    assert not shown.suppressed
    assert shown.figure([2], ["drugs"], MONTHS) == Figure("exact", 25)
    assert shown.figure([1, 3], ["drugs", "intrafamily_violence"], ["2024-12"]).value == 85


def test_months_outside_the_data_hold_nothing() -> None:
    shown = Release(CELLS, PARTNER)
    assert shown.figure([3], ["drugs"], ["2023-01", "2023-02"]) == Figure("exact", 0)
    assert shown.figure([3], ["drugs"], ["2023-01", "2024-10"]) == Figure("exact", 9)


def test_the_ledger_writes_down_every_figure_with_its_cells() -> None:
    shown = Release(CELLS, PARTNER)
    shown.figure([3], ["drugs"], ["2024-10"])  # not recorded: no recording open
    with recording() as ledger:
        ledger.where = "page"
        shown.figure([1], ["drugs"], MONTHS[1:])
    (entry,) = ledger.entries
    assert entry.where == "page" and entry.figure == Figure("at_least", 7)
    assert entry.cells == ((1, "drugs", "2024-11"), (1, "drugs", "2024-12"))
