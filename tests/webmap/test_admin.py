"""User admin pages: admins create users, reset passwords, (de)activate; everybody else gets 403.

The demo app is shared by the whole session: every test makes users with its own unique names
and checks the store, not page wording (flash messages get translated; core errors do not).
"""

from __future__ import annotations

import re
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mmm.access.users import User, list_users, user_by_name
from mmm.demo import DEMO_PASSWORD
from mmm.store import Store
from webmap.extensions import get_store

PASSWORD = "first-pass-123"


def _store(app: Flask) -> Store:
    with app.app_context():
        return get_store()


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _user(app: Flask, name: str) -> User:
    return user_by_name(_store(app), name)


def _can_log_in(app: Flask, name: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"name": name, "password": password})
    return response.status_code == 302


def _create(client: FlaskClient, name: str, **fields: str):
    data = {
        "name": name,
        "role": "officer",
        "partner": "",
        "language": "nl",
        "password": PASSWORD,
        "repeat": PASSWORD,
        **fields,
    }
    return client.post("/admin/users", data=data)


def _audit_size(app: Flask) -> int:
    return len(_store(app).audit_events())


def _no_secrets_in_audit(app: Flask, *passwords: str) -> None:
    text = _store(app).audit_events().to_string()
    assert "scrypt" not in text
    for password in passwords:
        assert password not in text


def _changes(app: Flask):
    """The audit trail less the log-ins, logouts and failed logins the tests make."""
    events = _store(app).audit_events()
    return events[~events["action"].str.startswith(("login", "logout"))]


def _flash(page: str, category: str) -> bool:
    return f'class="flash {category}"' in page


def test_admin_sees_every_user_and_the_create_form(login):
    page = login("admin").get("/admin/users").get_data(as_text=True)
    for name in ("admin", "analist", "wijkinspecteur", "partner", "ocmw"):
        assert f">{name}</a>" in page
    assert "OCMW Demostad" in page  # the organisation column, and an option of the select
    assert '<option value="Preventiedienst Demostad">' in page
    assert 'name="repeat"' in page and 'type="password"' in page
    assert "scrypt" not in page


def test_admin_creates_a_user_who_can_then_log_in(app, login):
    admin = login("admin")
    name = _unique("nieuw")
    response = _create(admin, name, role="analyst", language="fr")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    user = _user(app, name)
    assert (user.role, user.partner, user.language, user.active) == ("analyst", None, "fr", True)
    assert _can_log_in(app, name, PASSWORD)
    assert _flash(admin.get("/admin/users").get_data(as_text=True), "info")
    event = _changes(app).iloc[-1]
    assert (event["actor"], event["action"], event["entity"], event["entity_id"]) == (
        "web:admin",
        "create",
        "user",
        str(user.id),
    )
    _no_secrets_in_audit(app, PASSWORD)


def test_a_partner_user_gets_an_existing_organisation(app, login):
    admin = login("admin")
    name = _unique("ocmw")
    response = _create(admin, name, role="partner", partner="OCMW Demostad")
    assert response.status_code == 302
    assert _user(app, name).partner == "OCMW Demostad"
    assert _can_log_in(app, name, PASSWORD)


@pytest.mark.parametrize(
    "fields,core_message",
    [
        ({"role": "partner", "partner": ""}, "needs an organisation"),
        ({"role": "partner", "partner": "Nowhere Inc."}, None),  # not an option of the select
        ({"role": "officer", "partner": "OCMW Demostad"}, "only partner users"),
        ({"password": "short", "repeat": "short"}, "minstens 12 tekens"),  # translated (nl)
        ({"password": "Wachtwoord2024", "repeat": "Wachtwoord2024"}, "te gangbaar"),
        ({"name": "anneke", "password": "Anneke-de-baas", "repeat": "Anneke-de-baas"}, "naam"),
        ({"repeat": "something-else"}, None),  # the passwords differ
        ({"role": "chief"}, None),
        ({"name": "analist"}, "already exists"),
    ],
)
def test_refused_users_show_a_message_and_change_nothing(app, login, fields, core_message):
    admin = login("admin")
    fields = dict(fields)
    name = fields.pop("name", None) or _unique("fout")
    users, events = list_users(_store(app)), _audit_size(app)
    response = _create(admin, name, **fields)
    assert response.status_code == 200  # the form again, with what was typed (but no password)
    page = response.get_data(as_text=True)
    assert _flash(page, "error")
    if core_message:
        assert core_message in page
    assert f'value="{name}"' in page and PASSWORD not in page
    assert list_users(_store(app)) == users and _audit_size(app) == events


def test_reset_password_replaces_the_old_one_and_ends_open_sessions(app, login):
    admin = login("admin")
    name = _unique("reset")
    _create(admin, name)
    user = _user(app, name)
    theirs = app.test_client()
    assert theirs.post("/login", data={"name": name, "password": PASSWORD}).status_code == 302
    assert theirs.get("/map").status_code == 200
    assert admin.get(f"/admin/users/{user.id}").status_code == 200
    response = admin.post(
        f"/admin/users/{user.id}/password",
        data={"password": "second-pass-456", "repeat": "second-pass-456"},
    )
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert _flash(admin.get(response.headers["Location"]).get_data(as_text=True), "info")
    assert not _can_log_in(app, name, PASSWORD)
    assert _can_log_in(app, name, "second-pass-456")
    assert theirs.get("/map").status_code == 302  # the session opened with the old password
    event = _changes(app).iloc[-1]
    assert (event["action"], event["entity_id"], event["detail"]) == (
        "reset_password",
        str(user.id),
        "{}",
    )
    _no_secrets_in_audit(app, PASSWORD, "second-pass-456")


@pytest.mark.parametrize(
    "password,repeat,core_message",
    [
        ("short", "short", "minstens 12 tekens"),
        ("azertyuiop123", "azertyuiop123", "te gangbaar"),
        ("long-enough-1", "long-enough-2", None),
    ],
)
def test_a_refused_reset_keeps_the_old_password(app, login, password, repeat, core_message):
    admin = login("admin")
    name = _unique("keep")
    _create(admin, name)
    user, events = _user(app, name), _audit_size(app)
    response = admin.post(
        f"/admin/users/{user.id}/password", data={"password": password, "repeat": repeat}
    )
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert _flash(page, "error")
    if core_message:
        assert core_message in page
    assert _audit_size(app) == events and _can_log_in(app, name, PASSWORD)


def test_deactivated_user_cannot_log_in_and_an_open_session_ends(app, login):
    admin = login("admin")
    name = _unique("weg")
    _create(admin, name)
    user = _user(app, name)
    theirs = app.test_client()  # a session opened before the deactivation
    assert theirs.post("/login", data={"name": name, "password": PASSWORD}).status_code == 302
    assert theirs.get("/map").status_code == 200

    response = admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert _user(app, name).active is False
    assert not _can_log_in(app, name, PASSWORD)
    refused = theirs.get("/map")  # the next request of the open session
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert theirs.get("/api/perimeters").status_code == 401
    page = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert 'name="active" type="hidden" value="1"' in page  # the button now activates

    admin.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert _user(app, name).active is True
    assert _can_log_in(app, name, PASSWORD)
    assert theirs.get("/map").status_code == 302  # the old session stays ended
    events = _changes(app)
    mine = events[(events["entity"] == "user") & (events["entity_id"] == str(user.id))]
    assert list(mine["action"]) == ["create", "deactivate", "activate"]
    assert set(mine["actor"]) == {"web:admin"}


def test_an_admin_cannot_deactivate_themself(app, login):
    admin = login("admin")
    me = _user(app, "admin")
    page = admin.get(f"/admin/users/{me.id}").get_data(as_text=True)
    assert 'name="active"' not in page  # no button for one's own account
    response = admin.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert _flash(page, "error") and "uw eigen account niet deactiveren" in page  # Dutch
    assert _user(app, "admin").active is True
    assert admin.get("/admin/users").status_code == 200  # still logged in


def test_unknown_user_is_404_for_an_admin(login):
    admin = login("admin")
    assert admin.get("/admin/users/999999").status_code == 404
    data = {"password": "long-enough-1", "repeat": "long-enough-1"}
    assert admin.post("/admin/users/999999/password", data=data).status_code == 404
    assert admin.post("/admin/users/999999/active", data={"active": "0"}).status_code == 404


def _admin_rules(app: Flask):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]
    assert {rule.endpoint for rule in rules} == {
        "admin.users",
        "admin.user",
        "admin.password",
        "admin.active",
    }
    return rules


@pytest.mark.parametrize("who", ["analyst", "officer", "partner", "ocmw"])
def test_every_admin_route_is_403_for_other_roles(app, login, who):
    client = login(who)
    victim = _user(app, "wijkinspecteur" if who == "analyst" else "analist")  # not themself
    users, events = list_users(_store(app)), _audit_size(app)
    data = {  # what each form would need to change something
        "name": _unique("sneaky"),
        "role": "admin",
        "language": "nl",
        "password": "taken-over-1",
        "repeat": "taken-over-1",
        "active": "0",
    }
    checked = 0
    for rule in _admin_rules(app):
        for user_id in (victim.id, 999999):  # an unknown id is 403 too: nothing to probe
            url = rule.rule.replace("<int:user_id>", str(user_id))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, data=data)
                assert response.status_code == 403, (who, url, method)
                assert victim.name not in response.get_data(as_text=True)
                checked += 1
    assert checked >= 10
    assert list_users(_store(app)) == users and _audit_size(app) == events
    assert _can_log_in(app, victim.name, DEMO_PASSWORD)


def test_admin_routes_need_a_login(client):
    for url in ("/admin/users", "/admin/users/1"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.post("/admin/users/1/active", data={"active": "0"}).status_code == 302


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_admin_posts_without_csrf_token_are_refused(csrf_app: Flask):
    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    login = {"name": "admin", "password": DEMO_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    name = _unique("csrf")
    form = {"name": name, "role": "officer", "partner": "", "language": "nl"}
    form |= {"password": PASSWORD, "repeat": PASSWORD}
    assert client.post("/admin/users", data=form).status_code == 400
    assert name not in {u.name for u in list_users(_store(csrf_app))}
    officer = _user(csrf_app, "wijkinspecteur")
    refused = client.post(f"/admin/users/{officer.id}/active", data={"active": "0"})
    assert refused.status_code == 400 and _user(csrf_app, "wijkinspecteur").active is True
    refused = client.post(
        f"/admin/users/{officer.id}/password",
        data={"password": "taken-over-1", "repeat": "taken-over-1"},
    )
    assert refused.status_code == 400

    page = client.get("/admin/users").get_data(as_text=True)
    assert client.post("/admin/users", data={**form, "csrf_token": _token(page)}).status_code == 302
    assert _user(csrf_app, name).role == "officer"
