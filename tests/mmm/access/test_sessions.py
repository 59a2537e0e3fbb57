"""Server-side web sessions: logout ends one, a reset or deactivation all; logins audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from mmm.access.sessions import (
    MAX_AGE,
    end_session,
    record_failure,
    session_user,
    start_session,
)
from mmm.access.users import add_user, reset_password, set_active
from mmm.store import schema

PASSWORD = "paard batterij nietje"


def _events(store, action: str) -> list[dict]:
    events = store.audit_events()
    rows = events[events["action"] == action]
    return [{**row, "detail": json.loads(row["detail"])} for row in rows.to_dict("records")]


def test_a_session_lives_until_logout(store) -> None:
    user = add_user(store, "anna", PASSWORD, role="analyst")
    token = start_session(store, user, address="10.0.0.7")
    other = start_session(store, user, address="10.0.0.8")  # another browser
    assert session_user(store, token) == user
    end_session(store, token, user, address="10.0.0.7")
    assert session_user(store, token) is None  # the old cookie is refused
    assert session_user(store, other) == user  # the other browser stays logged in
    assert session_user(store, "made-up") is None
    [login, _] = _events(store, "login")
    [logout] = _events(store, "logout")
    assert [login[k] for k in ("actor", "entity", "entity_id")] == [
        "web:anna",
        "user",
        str(user.id),
    ]
    assert login["detail"] == logout["detail"] == {"address": "10.0.0.7"}
    with store.engine.connect() as conn:  # the store keeps digests, never the token itself
        stored = [r.token_hash for r in conn.execute(schema.web_sessions.select())]
    assert token not in stored and other not in stored


def test_reset_deactivation_and_age_end_sessions(store) -> None:
    add_user(store, "boss", PASSWORD, role="admin")
    user = add_user(store, "anna", PASSWORD, role="analyst")
    token = start_session(store, user, address="a")
    reset_password(store, user.id, "nog een ander wachtwoord", actor="cli")
    assert session_user(store, token) is None
    user = set_active(store, user.id, True, actor="cli")  # unchanged: same epoch as after reset
    token = start_session(store, user, address="a")
    set_active(store, user.id, False, actor="cli")
    assert session_user(store, token) is None
    user = set_active(store, user.id, True, actor="cli")
    token = start_session(store, user, address="a")
    old = (datetime.now(UTC) - MAX_AGE - timedelta(minutes=1)).isoformat(timespec="seconds")
    with store.engine.begin() as conn:
        conn.execute(update(schema.web_sessions).values(started_at=old))
    assert session_user(store, token) is None


def test_failures_name_only_existing_users(store) -> None:
    user = add_user(store, "anna", PASSWORD, role="analyst")
    record_failure(store, "anna", address="10.0.0.7", locked=None)
    record_failure(store, "my-secret-password", address="10.0.0.7", locked="address")
    known, unknown = _events(store, "login_failed")
    assert (known["actor"], known["entity_id"]) == ("web", str(user.id))
    assert known["detail"] == {"address": "10.0.0.7", "name": "anna"}
    assert unknown["entity_id"] == "" and unknown["detail"] == {
        "address": "10.0.0.7",
        "name_known": False,
    }
    [locked] = _events(store, "login_locked")
    assert locked["detail"]["by"] == "address"
    assert "my-secret-password" not in store.audit_events().to_string()
