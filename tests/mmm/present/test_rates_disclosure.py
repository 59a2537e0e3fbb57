"""A partner's rates on the perimeter page come from released figures only: the disclosure walk
sees them, finds nothing, and a hidden figure gives no rate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mmm.access.rules import EVERYTHING, audience_scope, partner_scope
from mmm.counting.months import MonthRange
from mmm.io.denominators import import_denominators
from mmm.present.disclosure_walk import audit_partner, collect, read_once
from mmm.present.rates import perimeter_rate_table
from mmm.store import Store, open_store
from tests import disclosure_zone

TODAY = date(2025, 1, 15)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = Path(tmp_path_factory.mktemp("rates-attack"))
    built = disclosure_zone.build(open_store(f"sqlite:///{folder / 'zone.sqlite'}"))
    table = folder / "residents.csv"
    names = list(disclosure_zone.PERIMETERS)
    pd.DataFrame({"perimeter": names, "residents": [4000, 300, 900, 2500]}).to_csv(
        table, index=False
    )
    import_denominators(built, table, value="residents")
    return built


def test_the_walk_sees_the_rates_and_nothing_leaks(store: Store) -> None:
    scope = partner_scope(store, "Buurtwerk")
    ledger = collect(read_once(store), scope, audience_scope(store), today=TODAY)
    pages = [e for e in ledger.entries if e.where.startswith("perimeter page Park")]
    totals = [e for e in pages if len({m for _, _, m in e.cells}) > 1]
    # Each page's period figure is handed out twice: the page's table, then its rates.
    assert len(totals) >= 2 and len(totals) % 2 == 0
    report = audit_partner(store, "Buurtwerk", today=TODAY)
    assert report.leaks == (), report.leaks


def test_a_hidden_figure_gives_no_rate(store: Store) -> None:
    ids = dict(zip(store.perimeters()["name"], store.perimeters()["id"].astype(int), strict=True))
    scope = partner_scope(store, "Buurtwerk")
    october = MonthRange("2024-10", "2024-10")
    pond = perimeter_rate_table(store, ids["Pond"], ["drugs"], october, scope)
    assert pond is not None and not pond.smoothed and pond.denominator == 300
    assert pond.rows[0].count == "×" and pond.rows[0].rate is None  # withheld: Park − Pond = 3
    park = perimeter_rate_table(store, ids["Park"], ["drugs"], october, scope)
    assert park is not None and park.rows[0].count == "19"
    assert park.rows[0].rate == pytest.approx(1000 * 19 / 4000)
    staff = perimeter_rate_table(store, ids["Pond"], ["drugs"], october, EVERYTHING)
    assert staff is not None and staff.smoothed and staff.rows[0].rate is not None
