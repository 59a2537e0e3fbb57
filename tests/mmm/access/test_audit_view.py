"""The audit viewer's query (both backends): filters in the database, pages, names, local days."""

from __future__ import annotations

import json
from datetime import date

import pytest
from shapely.geometry import box
from sqlalchemy import insert

from mmm.access.audit_view import AuditFilter, actors, audit_page, audit_rows, utc_bounds
from mmm.access.users import add_user
from mmm.store import schema
from mmm.store.perimeter_rows import PerimeterFields

PASSWORD = "een-lang-wachtwoord-42"


def _event(store, at: str, actor: str, action: str, entity: str, key: str, **detail) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            insert(schema.audit_events),
            {"at": at, "actor": actor, "action": action, "entity": entity, "entity_id": key,
             "detail": json.dumps(detail, sort_keys=True)},
        )  # fmt: skip


@pytest.fixture
def trail(store):
    """Three people and the command line, with events on both sides of a Belgian midnight."""
    anna = add_user(store, "anna", PASSWORD, role="analyst")
    add_user(store, "piet", PASSWORD, role="officer")
    add_user(store, "dora", PASSWORD, role="dpo")
    kerk = store.create_perimeter(
        PerimeterFields("Kerkplein", status="active"), box(0, 0, 100, 100), actor="cli"
    )
    start = len(store.audit_events())
    _event(
        store,
        "2025-03-01T22:30:00+00:00",
        "web:anna",
        "read",
        "incidents",
        str(kerk.perimeter_id),
        purpose="analysis",
    )  # 23:30 in Brussels: 1 March
    _event(
        store, "2025-03-01T23:30:00+00:00", "web:anna", "export", "counts", "", purpose="meeting"
    )  # 00:30 in Brussels: 2 March
    _event(
        store,
        "2025-03-02T10:00:00+00:00",
        "token:piet",
        "read",
        "incidents",
        "1",
        purpose="operations",
        note='"purpose": "analysis"',
    )  # the text, not the purpose
    _event(store, "2025-03-03T10:00:00+00:00", "web:dora", "login", "user", str(anna.id))
    _event(store, "2025-03-04T10:00:00+00:00", "cli", "create", "perimeter",
           str(kerk.perimeter_id))  # fmt: skip
    return store, start


def _ids(found) -> list[str]:
    return [f"{a} {b}" for a, b in zip(found["actor"], found["action"], strict=True)]


def test_filters_by_person_role_action_and_purpose(trail):
    store, _ = trail
    assert _ids(audit_rows(store, AuditFilter(person="anna"))) == [
        "web:anna export",
        "web:anna read",
    ]
    assert _ids(audit_rows(store, AuditFilter(person="piet"))) == ["token:piet read"]
    assert _ids(audit_rows(store, AuditFilter(role="officer"))) == ["token:piet read"]
    assert audit_rows(store, AuditFilter(role="admin")).empty  # nobody has it
    assert _ids(audit_rows(store, AuditFilter(action="read"))) == [
        "token:piet read",
        "web:anna read",
    ]
    assert _ids(audit_rows(store, AuditFilter(purpose="analysis"))) == ["web:anna read"]
    cli = audit_rows(store, AuditFilter(person="cli"))
    assert set(cli["actor"]) == {"cli"} and cli["role"].isna().all()


def test_days_are_belgian_days(trail):
    store, _ = trail
    first = audit_rows(store, AuditFilter(first=date(2025, 3, 1), last=date(2025, 3, 1)))
    assert _ids(first) == ["web:anna read"]  # 23:30 local; the export at 00:30 is the 2nd
    second = audit_rows(store, AuditFilter(first=date(2025, 3, 2), last=date(2025, 3, 2)))
    assert _ids(second) == ["token:piet read", "web:anna export"]
    assert utc_bounds(date(2025, 7, 1), date(2025, 7, 1)) == (
        "2025-06-30T22:00:00+00:00",  # summer time: UTC+2
        "2025-07-01T22:00:00+00:00",
    )


def test_rows_carry_names_roles_and_local_times(trail):
    store, _ = trail
    march = AuditFilter(first=date(2025, 3, 1), last=date(2025, 3, 31))
    rows = audit_rows(store, march).set_index("action")
    login = rows.loc["login"]
    assert (login["person"], login["role"], login["entity_name"]) == ("dora", "dpo", "anna")
    assert rows.loc["create", "entity_name"] == "Kerkplein"
    assert rows.loc["export", "local"].isoformat() == "2025-03-02T00:30:00+01:00"
    assert rows.loc["export", "detail"] == {"purpose": "meeting"}
    assert {"anna", "piet", "dora", "cli"} <= set(actors(store))


def test_pages_newest_first(trail):
    store, start = trail
    for i in range(120):
        _event(store, f"2025-04-01T10:{i // 60:02d}:{i % 60:02d}+00:00", "cli", "set", "zone", "1")
    total = start + 5 + 120
    first = audit_page(store, AuditFilter(), page=1, size=50)
    assert (first.total, first.pages, len(first.rows)) == (total, -(-total // 50), 50)
    assert list(first.rows["id"]) == sorted(first.rows["id"], reverse=True)
    last = audit_page(store, AuditFilter(), page=999, size=50)
    assert last.page == first.pages and len(last.rows) == total - 50 * (first.pages - 1)
    seen = {
        int(i) for p in range(1, first.pages + 1)
        for i in audit_page(store, AuditFilter(), page=p, size=50).rows["id"]
    }  # fmt: skip
    assert len(seen) == total
    only = audit_page(store, AuditFilter(action="set"), page=2, size=50)
    assert (only.total, only.pages, len(only.rows)) == (120, 3, 50)
