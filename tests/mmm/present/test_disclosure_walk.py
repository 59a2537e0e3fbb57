"""The audit walks the real views: on a zone built to attack the release model it finds nothing,
and it finds the leaks as soon as the rule is switched off.

The zone (:mod:`tests.disclosure_zone`) has nested and overlapping perimeters, a partner with
one cell and months with a single hidden cell; the audit opens every range of months on the
zone map and the perimeter pages, every period of the API and meeting mode, as a partner would.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mmm.access.disclosure import Figure
from mmm.access.release import Cell, Release
from mmm.access.rules import audience_scope, partner_scope
from mmm.errors import NotFound
from mmm.present.disclosure_walk import audit_partner, collect, read_once
from mmm.store import Store, open_store
from tests import disclosure_zone

TODAY = date(2025, 1, 15)


def exact_totals(self: Release, cells: list[Cell]) -> Figure:
    """The rule switched off: a sum of several cells is shown exact, as before issue 14."""
    if len(cells) < 2:
        return Figure("exact", 0) if not cells else self._cell(*cells[0])
    rows = [(self._p[p], self._k[k], self._m[m]) for p, k, m in cells]
    return Figure("exact", int(sum(self.cells.counts[r] for r in rows)))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = Path(tmp_path_factory.mktemp("attack")) / "zone.sqlite"
    return disclosure_zone.build(open_store(f"sqlite:///{path}"))


def test_the_walk_sees_every_view_and_range(store: Store) -> None:
    scope = partner_scope(store, "Buurtwerk")
    ledger = collect(read_once(store), scope, audience_scope(store), today=TODAY)
    where = {e.where.split(" 2024")[0] for e in ledger.entries}
    assert {
        "zone map",
        "perimeter page Park",
        "perimeter page Pond",
        "perimeter page Corner",
    } <= where
    assert {f"/api/counts?period={p}" for p in ("month", "quarter", "year", "all")} <= where
    assert "meeting mode, partners in the room" in where
    ranges = {e.where for e in ledger.entries if e.where.startswith("zone map")}
    assert len(ranges) == 6  # 3 months: 3 + 2 + 1 ranges
    shown = {(p, c) for e in ledger.entries for p, c, _ in e.cells if "meeting" not in e.where}
    assert shown == {(pid, c) for pid, c in scope.pairs or ()}  # nothing outside its pairs


@pytest.mark.parametrize("partner", ["Buurtwerk", "Solo"])
def test_nothing_leaks_through_nested_and_overlapping_perimeters(
    store: Store, partner: str
) -> None:
    report = audit_partner(store, partner, today=TODAY)
    assert report.numbers > 50 and report.hidden > 0
    assert report.leaks == (), report.leaks


@pytest.mark.parametrize("partner", ["Buurtwerk", "Solo"])
def test_the_audit_fails_when_totals_are_exact_again(
    store: Store, partner: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Release, "total", exact_totals)
    report = audit_partner(store, partner, today=TODAY)
    leaks = {leak.what: (leak.low, leak.high) for leak in report.leaks}
    if partner == "Solo":
        assert leaks["Station · drugs · 2024-11"] == (3, 3)  # the single hidden month
    else:
        assert leaks["Park · vandalism · 2024-10"] == (1, 1)
        assert "Park ∖ Pond · drugs · 2024-10" in leaks  # differences of exact totals


def test_the_overlap_rule_withholds_the_smaller_perimeter(store: Store) -> None:
    from mmm.counting.cells import release

    shown = release(store, partner_scope(store, "Buurtwerk"))
    ids = dict(zip(store.perimeters()["name"], store.perimeters()["id"].astype(int), strict=True))

    def months(name: str) -> list[str]:
        return [shown.figure([ids[name]], ["drugs"], [m]).text for m in disclosure_zone.MONTHS]

    assert months("Park") == ["19", "32", "36"]
    assert months("Pond") == ["×", "6", "25"]  # Park − Pond = 3 in October
    assert months("Corner") == ["33", "36", "×"]  # Corner − Park = 1 in December


def test_an_unknown_partner_is_refused(store: Store) -> None:
    with pytest.raises(NotFound):
        audit_partner(store, "Nobody")
