"""Users and roles: hashed passwords, validation, and the one place that decides access."""

from __future__ import annotations

import sqlite3

import pytest

from mmm import access
from mmm.errors import AccessDenied, MMMError
from mmm.users import add_user, authenticate, get_user, set_language


def test_password_is_hashed_and_checked(store, tmp_path):
    user = add_user(store, "anna", "correct horse", role="analyst")
    assert (user.name, user.role, user.language, user.active) == ("anna", "analyst", "nl", True)
    raw = sqlite3.connect(tmp_path / "store.sqlite").execute("select password_hash from users")
    stored = raw.fetchone()[0]
    assert "correct horse" not in stored and stored.startswith("scrypt:")
    assert authenticate(store, "anna", "correct horse") == user
    assert authenticate(store, "anna", "wrong horse!") is None
    assert authenticate(store, "nobody", "correct horse") is None
    events = store.audit_events()
    assert "correct horse" not in events.to_string()


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"role": "chief"}, "unknown role"),
        ({"role": "partner"}, "needs --partner"),
        ({"role": "officer", "language": "es"}, "unknown language"),
    ],
)
def test_bad_users_are_refused(store, kwargs, message):
    with pytest.raises(MMMError, match=message):
        add_user(store, "bob", "long enough", **kwargs)


def test_short_password_and_duplicate_name(store):
    with pytest.raises(MMMError, match="at least 8"):
        add_user(store, "bob", "short", role="officer")
    add_user(store, "bob", "long enough", role="officer")
    with pytest.raises(MMMError, match="already exists"):
        add_user(store, "bob", "long enough", role="admin")


def test_language_is_remembered(store):
    user = add_user(store, "eva", "long enough", role="officer", language="de")
    set_language(store, user.id, "fr")
    assert get_user(store, user.id).language == "fr"


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("admin", set(access.RULES)),
        ("analyst", set(access.RULES) - {"manage_partners", "view_audit"}),
        (
            "officer",
            {"view_map", "view_perimeter", "view_incidents", "view_grid", "view_assignments"},
        ),
        ("partner", {"view_map", "view_perimeter", "view_assignments"}),
    ],
)
def test_access_rules_per_role(store, role, allowed):
    user = add_user(
        store, role, "long enough", role=role, partner="OCMW" if role == "partner" else None
    )
    assert {a for a in access.RULES if access.can(user, a)} == allowed
    assert not access.can(user, "drop_database")
    if "export" not in allowed:
        with pytest.raises(AccessDenied):
            access.require(user, "export")
