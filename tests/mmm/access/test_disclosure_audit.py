"""The disclosure audit on cases built by hand: it finds what subtraction gives back, and only that.

Each case runs the same figures twice: through the release model, and through a release whose
totals are exact (the rule switched off, as before issue 14). The audit must find the hidden
count in the second and nothing in the first.
"""

from __future__ import annotations

import numpy as np

from mmm.access.disclosure import Figure
from mmm.access.disclosure_audit import Atoms, AuditReport, audit
from mmm.access.release import Cell, MonthlyCells, Overlap, Release, recording
from mmm.access.rules import Scope

MONTHS = ("2024-10", "2024-11", "2024-12")
CODES = ("drugs",)
THRESHOLDS = {"drugs": 5}
NAMES = {1: "Park", 2: "Pond", 3: "Station"}


class ExactTotals(Release):
    """The rule switched off: every sum of several cells is shown exact."""

    def total(self, cells: list[Cell]) -> Figure:
        if len(cells) < 2:
            return super().total(cells)
        rows = [(self._p[p], self._k[k], self._m[m]) for p, k, m in cells]
        return Figure("exact", int(sum(self.cells.counts[r] for r in rows)))


def _cells(counts: list[list[int]], overlaps: tuple[Overlap, ...] = ()) -> MonthlyCells:
    ids = tuple(range(1, len(counts) + 1))
    array = np.array(counts)[:, None, :]
    return MonthlyCells(ids, CODES, MONTHS, array, overlaps)


def _atoms(members: list[set[int]], counts: list[list[int]]) -> Atoms:
    return Atoms(tuple(frozenset(m) for m in members), np.array(counts)[:, None, :], CODES, MONTHS)


def _run(kind: type[Release], cells: MonthlyCells, atoms: Atoms, asks: list) -> AuditReport:
    pairs = frozenset((pid, "drugs") for pid in cells.perimeters)
    shown = kind(cells, Scope(pairs=pairs, thresholds=THRESHOLDS))
    with recording() as ledger:
        for where, pids, months in asks:
            ledger.where = where
            shown.figure(pids, CODES, months)
    return audit(ledger.entries, atoms, THRESHOLDS, NAMES, reader="test")


def _each_month(pids: list[int]) -> list:
    return [(f"month {m}", pids, [m]) for m in MONTHS]


def test_a_period_total_beside_its_months() -> None:
    """/perimeters/4?from=2024-10&to=2024-12 showed 29 next to 18, 7 and "<5": December = 4."""
    cells, atoms = _cells([[18, 7, 4]]), _atoms([{1}], [[18, 7, 4]])
    asks = [*_each_month([1]), ("period", [1], list(MONTHS))]
    old = _run(ExactTotals, cells, atoms, asks)
    (leak,) = old.leaks
    assert (leak.what, leak.low, leak.high) == ("Park · drugs · 2024-12", 4, 4)
    assert "period" in leak.views
    new = _run(Release, cells, atoms, asks)
    assert new.hidden == 1 and new.leaks == ()


def test_two_ranges_that_differ_by_a_hidden_month() -> None:
    cells, atoms = _cells([[18, 7, 4]]), _atoms([{1}], [[18, 7, 4]])
    asks = [("Nov–Dec", [1], ["2024-11", "2024-12"]), ("Nov", [1], ["2024-11"])]
    assert [x.low for x in _run(ExactTotals, cells, atoms, asks).leaks] == [4]
    assert _run(Release, cells, atoms, asks).leaks == ()


def test_a_quarter_against_its_months() -> None:
    """/api/counts?period=quarter gave 2024-Q4 = 29 while period=month hid December."""
    cells, atoms = _cells([[18, 7, 4]]), _atoms([{1}], [[18, 7, 4]])
    asks = [*_each_month([1]), ("quarter", [1], list(MONTHS))]
    assert _run(ExactTotals, cells, atoms, asks).leaks
    assert _run(Release, cells, atoms, asks).leaks == ()


def test_a_partner_with_one_cell_of_two_hidden_months() -> None:
    """Two hidden months: their exact sum (5) pins neither to a point, yet narrows both."""
    cells, atoms = _cells([[3, 2, 11]]), _atoms([{1}], [[3, 2, 11]])
    asks = [*_each_month([1]), ("Oct–Nov", [1], ["2024-10", "2024-11"])]
    leaks = _run(ExactTotals, cells, atoms, asks).leaks
    assert [(x.low, x.high) for x in leaks] == [(1, 4), (1, 4)]  # 0 is ruled out for both
    assert _run(Release, cells, atoms, asks).leaks == ()


def test_a_month_with_a_single_hidden_cell_among_perimeters() -> None:
    """All phenomena of a perimeter, or several perimeters, summed: still one hidden cell."""
    cells = _cells([[18, 7, 4], [30, 20, 10]])
    atoms = _atoms([{1}, {2}], [[18, 7, 4], [30, 20, 10]])
    asks = [*_each_month([1]), *_each_month([2]), ("December, both", [1, 2], ["2024-12"])]
    assert [x.what for x in _run(ExactTotals, cells, atoms, asks).leaks] == [
        "Park · drugs · 2024-12"
    ]
    assert _run(Release, cells, atoms, asks).leaks == ()


def test_nested_perimeters_do_not_give_the_difference_area_away() -> None:
    """The pond lies in the park: 18 − 16 would be the 2 incidents around the pond."""
    park, pond = [18, 27, 31], [16, 6, 25]
    around = [p - q for p, q in zip(park, pond, strict=True)]  # 2, 21, 6
    overlap = Overlap(1, 2, ((1, 2),), np.array([around])[:, None, :])
    cells = _cells([park, pond], (overlap,))
    atoms = _atoms([{1}, {1, 2}], [around, pond])
    asks = [*_each_month([1]), *_each_month([2])]
    without_rule = _cells([park, pond])  # the same numbers with the overlap not detected
    leaks = _run(Release, without_rule, atoms, asks).leaks
    assert [(x.what, x.low, x.high) for x in leaks] == [("Park ∖ Pond · drugs · 2024-10", 2, 2)]
    report = _run(Release, cells, atoms, asks)
    assert report.leaks == () and report.hidden == 1  # the 2 around the pond


def test_partly_overlapping_perimeters_are_checked_on_each_side() -> None:
    """Station and park share a square; in December the park's own part holds 3 incidents."""
    shared, park_only, station_only = [27, 27, 27], [20, 20, 3], [30, 31, 1]
    park = [a + b for a, b in zip(shared, park_only, strict=True)]  # 47, 47, 30
    station = [a + b for a, b in zip(shared, station_only, strict=True)]  # 57, 58, 28
    overlap = Overlap(3, 1, ((3, 1), (1, 3)), np.array([station_only, park_only])[:, None, :])
    counts = [park, [0, 0, 0], station]
    atoms = _atoms([{1}, {1, 3}, {3}, {2}], [park_only, shared, station_only, [0, 0, 0]])
    asks = [*_each_month([1]), *_each_month([3]), ("quarter", [1], list(MONTHS))]
    without_rule = _run(Release, _cells(counts), atoms, asks).leaks
    assert [(x.what, x.low) for x in without_rule] == [("Park ∖ Station · drugs · 2024-12", 2)]
    report = _run(Release, _cells(counts, (overlap,)), atoms, asks)
    assert report.leaks == () and report.hidden == 2  # both sides hold few in December
