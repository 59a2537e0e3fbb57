"""The disclosure audit passes for every partner of the demo zone (all views, all periods).

The demo's partners see perimeters where some months hold few incidents, Winkelstraat and
Marktplein overlap, and partners sit in meetings about every perimeter: the audit must find
every hidden count as wide open as "below the threshold".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mmm.demo import DEMO_PARTNERS, add_demo_partners, add_demo_plans, add_demo_users, load_demo
from mmm.present.disclosure_walk import audit_partner
from mmm.store import Store, open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = Path(tmp_path_factory.mktemp("audit")) / "demo.sqlite"
    store = open_store(f"sqlite:///{path}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_plans(store)
    add_demo_users(store)
    return store


@pytest.mark.parametrize("partner", [name for name, *_ in DEMO_PARTNERS])
def test_no_demo_partner_can_recover_a_hidden_count(store: Store, partner: str) -> None:
    report = audit_partner(
        store, partner, overrides={"intrafamily_violence": 10}, today=date(2025, 6, 15)
    )
    assert report.hidden > 0 and report.numbers > report.constraints > 0
    assert report.leaks == (), report.leaks[:3]
