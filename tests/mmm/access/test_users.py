"""Users and roles: hashed passwords, validation, and the one place that decides access."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from mmm import access
from mmm.access.partners import add_partner, set_partner_active
from mmm.access.users import (
    add_user,
    authenticate,
    get_user,
    list_users,
    reset_password,
    set_active,
    set_language,
    user_by_name,
)
from mmm.errors import AccessDenied, MMMError, NotFound


def test_password_is_hashed_and_checked(store):
    user = add_user(store, "anna", "correct horse", role="analyst")
    assert (user.name, user.role, user.language, user.active) == ("anna", "analyst", "nl", True)
    with store.engine.connect() as conn:  # what the database itself holds, on either backend
        stored = conn.execute(text("select password_hash from users")).scalar_one()
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
        ({"role": "partner"}, "needs an organisation"),
        ({"role": "officer", "language": "es"}, "unknown language"),
    ],
)
def test_bad_users_are_refused(store, kwargs, message):
    with pytest.raises(MMMError, match=message):
        add_user(store, "bob", "long enough!", **kwargs)


def test_short_password_and_duplicate_name(store):
    with pytest.raises(MMMError, match="at least 12"):
        add_user(store, "bob", "short", role="officer")
    add_user(store, "bob", "long enough!", role="officer")
    with pytest.raises(MMMError, match="already exists"):
        add_user(store, "bob", "long enough!", role="admin")


def test_language_is_remembered(store):
    user = add_user(store, "eva", "long enough!", role="officer", language="de")
    set_language(store, user.id, "fr")
    assert get_user(store, user.id).language == "fr"


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("admin", set(access.RULES)),
        ("analyst", set(access.RULES) - {"manage_partners", "manage_users", "view_audit"}),
        (
            "officer",
            {
                "view_map",
                "view_perimeter",
                "view_incidents",
                "view_grid",
                "view_zone_comparisons",
                "view_time_patterns",  # hour x weekday, recent change, near repeats: staff only
                "view_segments",  # counts per street segment: finer than any released cell
                "view_assignments",
                "view_hotspots",
                "propose_perimeter",  # proposes perimeters; analysts make them active
                "view_perimeter_history",
                "view_plans",
                "edit_actions",  # sits in the project group: actions and the Act findings
                "record_findings",
                "view_reports",
                "download_dossier",
                "run_meeting",
            },
        ),
        (
            "partner",
            {"view_map", "view_perimeter", "view_assignments", "view_plans", "view_reports"},
        ),
        (
            "dpo",
            {
                "view_map",
                "view_perimeter",
                "view_zone_comparisons",
                "view_audit",
                "view_perimeter_history",
            },
        ),
    ],
)
def test_access_rules_per_role(store, role, allowed):
    if role == "partner":
        add_partner(store, "OCMW", type="social_services")
    user = add_user(
        store, role, "long enough!", role=role, partner="OCMW" if role == "partner" else None
    )
    assert {a for a in access.RULES if access.can(user, a)} == allowed
    assert not access.can(user, "drop_database")
    if "export" not in allowed:
        with pytest.raises(AccessDenied):
            access.require(user, "export")


# --------------------------------------------------------------------------- user admin
def _no_secrets(store, *passwords: str) -> None:
    """Neither a password nor any password hash appears in the audit trail."""
    text = store.audit_events().to_string()
    assert "scrypt" not in text and "password_hash" not in text
    for password in passwords:
        assert password not in text


def test_partner_user_needs_a_registered_active_organisation(store):
    with pytest.raises(MMMError, match="no partner organisation named 'Nowhere'"):
        add_user(store, "pia", "long enough!", role="partner", partner="Nowhere")
    add_partner(store, "OCMW", type="social_services")
    set_partner_active(store, "OCMW", False)
    with pytest.raises(MMMError, match="inactive"):
        add_user(store, "pia", "long enough!", role="partner", partner="OCMW")
    with pytest.raises(MMMError, match="only partner users"):
        add_user(store, "olaf", "long enough!", role="officer", partner="OCMW")
    assert list_users(store) == []  # nothing half-made
    assert "user" not in set(store.audit_events()["entity"])
    set_partner_active(store, "OCMW", True)
    pia = add_user(store, "pia", "long enough!", role="partner", partner=" OCMW ")
    assert (pia.role, pia.partner) == ("partner", "OCMW")
    created = store.audit_events().iloc[-1]
    assert (created["action"], created["entity"], created["entity_id"]) == (
        "create",
        "user",
        str(pia.id),
    )
    assert '"partner": "OCMW"' in created["detail"]


def test_list_users_by_name_without_hashes(store):
    add_partner(store, "OCMW", type="social_services")
    add_user(store, "zoe", "long enough!", role="officer", language="fr")
    add_user(store, "adam", "long enough!", role="partner", partner="OCMW")
    users = list_users(store)
    assert [(u.name, u.role, u.partner, u.language, u.active) for u in users] == [
        ("adam", "partner", "OCMW", "nl", True),
        ("zoe", "officer", None, "fr", True),
    ]
    assert not any(hasattr(u, "password_hash") for u in users)
    assert user_by_name(store, " zoe ") == users[1]
    with pytest.raises(NotFound):
        user_by_name(store, "nobody")


def test_reset_password_replaces_the_old_one_and_is_audited(store):
    user = add_user(store, "anna", "first password", role="analyst")
    reset_password(store, user.id, "second password", actor="web:boss")
    assert authenticate(store, "anna", "first password") is None
    after = authenticate(store, "anna", "second password")
    assert after == replace(user, session_epoch=user.session_epoch + 1)  # older sessions end
    event = store.audit_events().iloc[-1]
    assert (event["actor"], event["action"], event["entity"], event["entity_id"]) == (
        "web:boss",
        "reset_password",
        "user",
        str(user.id),
    )
    assert event["detail"] == "{}"
    _no_secrets(store, "first password", "second password")


def test_reset_password_refusals_change_nothing(store):
    user = add_user(store, "anna", "first password", role="analyst")
    before = len(store.audit_events())
    with pytest.raises(MMMError, match="at least 12"):
        reset_password(store, user.id, "short", actor="cli")
    with pytest.raises(NotFound):
        reset_password(store, user.id + 99, "long enough!", actor="cli")
    assert authenticate(store, "anna", "first password") == user
    assert len(store.audit_events()) == before


def test_deactivate_and_activate(store):
    add_user(store, "boss", "long enough!", role="admin")
    user = add_user(store, "olaf", "long enough!", role="officer")
    off = set_active(store, user.id, False, actor="web:boss")
    assert off.active is False and get_user(store, user.id).active is False
    assert authenticate(store, "olaf", "long enough!") is None
    assert not access.can(off, "view_map")  # and every rule says no to an inactive user
    assert [u.active for u in list_users(store) if u.name == "olaf"] == [False]
    on = set_active(store, user.id, True, actor="web:boss")
    assert on.active is True
    assert on.session_epoch == off.session_epoch == user.session_epoch + 1  # only leaving ends
    assert authenticate(store, "olaf", "long enough!") == on
    events = store.audit_events()
    mine = events[events["entity_id"] == str(user.id)]
    assert list(mine["action"]) == ["create", "deactivate", "activate"]
    assert list(mine["actor"].iloc[1:]) == ["web:boss", "web:boss"]
    _no_secrets(store, "long enough!")


def test_setting_the_same_state_again_changes_nothing(store):
    user = add_user(store, "olaf", "long enough!", role="officer")
    before = len(store.audit_events())
    assert set_active(store, user.id, True, actor="cli").active is True
    assert len(store.audit_events()) == before
    with pytest.raises(NotFound):
        set_active(store, user.id + 99, False, actor="cli")


def test_an_admin_cannot_deactivate_themself(store):
    add_user(store, "other", "long enough!", role="admin")
    me = add_user(store, "me", "long enough!", role="admin")
    with pytest.raises(MMMError, match="your own account"):
        set_active(store, me.id, False, actor="web:me", actor_id=me.id)
    assert get_user(store, me.id).active is True


def test_the_last_active_admin_cannot_be_deactivated(store):
    first = add_user(store, "first", "long enough!", role="admin")
    second = add_user(store, "second", "long enough!", role="admin")
    set_active(store, second.id, False, actor="cli")
    with pytest.raises(MMMError, match="last active admin"):  # the inactive one does not count
        set_active(store, first.id, False, actor="cli")
    assert get_user(store, first.id).active is True
    set_active(store, second.id, True, actor="cli")
    set_active(store, first.id, False, actor="cli")  # now another admin is left
    assert [u.name for u in list_users(store) if u.role == "admin" and u.active] == ["second"]
