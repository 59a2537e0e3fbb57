"""API tokens: shown once and kept hashed, refused once revoked or expired or for an inactive
user, every use and refusal audited without the secret — on SQLite and PostGIS."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from mmm.access import tokens
from mmm.access.tokens import (
    create_token,
    get_token,
    list_tokens,
    may_revoke,
    revoke_token,
    token_user,
)
from mmm.access.users import add_user, set_active
from mmm.cli import tokens as cli_tokens
from mmm.errors import AccessDenied, MMMError, NotFound
from mmm.store import schema

PASSWORD = "paard batterij nietje"
REQUEST = {"method": "GET", "path": "/api/counts", "address": "10.0.0.7"}


def _events(store, action: str) -> list[dict]:
    events = store.audit_events()
    rows = events[events["action"] == action]
    return [{**row, "detail": json.loads(row["detail"])} for row in rows.to_dict("records")]


def test_a_token_acts_as_its_user_and_only_its_hash_is_kept(store) -> None:
    anna = add_user(store, "anna", PASSWORD, role="analyst")
    token, secret = create_token(store, anna, "QGIS laptop", days=30, actor="cli:root")
    assert secret.startswith("mmm_") and len(secret) >= 40
    assert (token.name, token.user_name, token.state()) == ("QGIS laptop", "anna", "active")
    assert token.expires_at > token.created_at
    found, user = token_user(store, secret, REQUEST)
    assert (found.id, user) == (token.id, anna)
    assert get_token(store, token.id).last_used_at is not None
    with store.engine.connect() as conn:  # the store keeps the digest, never the secret
        stored = [tuple(r) for r in conn.execute(schema.api_tokens.select())]
    assert not [cell for row in stored for cell in row if secret in str(cell)]
    [made] = [e for e in _events(store, "create") if e["entity"] == "api_token"]
    [use] = _events(store, "token_use")
    assert (made["actor"], made["entity"], made["entity_id"]) == (
        "cli:root",
        "api_token",
        str(token.id),
    )
    assert (use["actor"], use["entity_id"], use["detail"]) == ("token:anna", str(token.id), REQUEST)
    assert secret not in store.audit_events().to_string()


def test_revoked_expired_unknown_and_deactivated_are_refused_and_audited(store) -> None:
    add_user(store, "boss", PASSWORD, role="admin")
    anna = add_user(store, "anna", PASSWORD, role="analyst")
    revoked, revoked_secret = create_token(store, anna, "old script", actor="cli")
    expired, expired_secret = create_token(store, anna, "last year", actor="cli")
    kept, kept_secret = create_token(store, anna, "QGIS", actor="cli")
    assert revoke_token(store, revoked.id, actor="cli").state() == "revoked"
    with store.engine.begin() as conn:
        expire = update(schema.api_tokens).where(schema.api_tokens.c.id == expired.id)
        conn.execute(expire.values(expires_at="2020-01-01T00:00:00+00:00"))
    for secret in (revoked_secret, expired_secret, "mmm_made-up"):
        with pytest.raises(AccessDenied, match="API token refused"):
            token_user(store, secret, REQUEST)
    set_active(store, anna.id, False, actor="cli")
    with pytest.raises(AccessDenied, match="user deactivated"):
        token_user(store, kept_secret, REQUEST)
    reasons = [(e["entity_id"], e["detail"]["reason"]) for e in _events(store, "token_refused")]
    assert reasons == [
        (str(revoked.id), "revoked"),
        (str(expired.id), "expired"),
        ("", "unknown token"),
        (str(kept.id), "user deactivated"),
    ]
    assert not _events(store, "token_use")
    assert [t.state() for t in list_tokens(store, anna)] == ["active", "expired", "revoked"]


def test_who_may_revoke_and_what_a_token_needs(store) -> None:
    boss = add_user(store, "boss", PASSWORD, role="admin")
    anna = add_user(store, "anna", PASSWORD, role="analyst")
    ben = add_user(store, "ben", PASSWORD, role="officer")
    token, _ = create_token(store, anna, "QGIS", actor="cli")
    assert may_revoke(anna, token) and may_revoke(boss, token) and not may_revoke(ben, token)
    with pytest.raises(NotFound):  # the same answer as for a token that does not exist
        revoke_token(store, token.id, actor="web:ben", by=ben)
    assert revoke_token(store, token.id, actor="web:anna", by=anna).state() == "revoked"
    assert revoke_token(store, token.id, actor="web:boss", by=boss).state() == "revoked"
    assert len(_events(store, "revoke")) == 1  # revoking twice changes nothing
    assert [t.user_name for t in list_tokens(store)] == ["anna"]
    assert list_tokens(store, ben) == []
    for name, days in (("", 30), ("x" * 101, 30), ("a\x00b", 30), ("ok", 0), ("ok", 3651)):
        with pytest.raises(MMMError):
            create_token(store, anna, name, days=days, actor="cli")
    inactive = set_active(store, ben.id, False, actor="cli")
    with pytest.raises(MMMError, match="deactivated"):
        create_token(store, inactive, "x", actor="cli")


def test_the_commands_light_constants_are_the_cores() -> None:
    assert (cli_tokens.DEFAULT_DAYS, cli_tokens.MAX_DAYS) == (tokens.DEFAULT_DAYS, tokens.MAX_DAYS)
