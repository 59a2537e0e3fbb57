"""API tokens in the web app: ``Authorization: Bearer …`` on ``/api`` and ``/ogc`` acts as the
token's user (same role and partner scope, no CSRF token needed, every use audited, no cookie),
refused tokens get 401, and the ``/tokens`` page lists and revokes them.

On a copy of the demo zone (the tests make tokens and a perimeter).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from shapely.geometry import box
from sqlalchemy import update

from mmm.access.tokens import create_token, list_tokens, revoke_token
from mmm.access.users import user_by_name
from mmm.demo import DEMO_PASSWORD
from mmm.perimeters.geometry import to_geojson
from mmm.store import Store, open_store, schema
from tests.webmap.conftest import ROLE_USERS, make_app


@pytest.fixture(scope="module")
def store_url(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("tokens")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def store(store_url: str) -> Store:
    return open_store(store_url)


@pytest.fixture(scope="module")
def app(store_url: str) -> Flask:
    return make_app(store_url, WTF_CSRF_ENABLED=True)  # as in production


@pytest.fixture
def token_for(store: Store) -> Callable[[str], tuple[int, str]]:
    """``token_for(role)`` → (id, secret) of a new token of that role's demo user."""

    def make(role: str) -> tuple[int, str]:
        user = user_by_name(store, ROLE_USERS.get(role, role))
        token, secret = create_token(store, user, f"test {role}", actor="test")
        return token.id, secret

    return make


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _log_in(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert csrf is not None
    data = {"name": ROLE_USERS[role], "password": DEMO_PASSWORD, "csrf_token": csrf.group(1)}
    assert client.post("/login", data=data).status_code == 302
    return client


def _csrf(client: FlaskClient) -> str:
    page = client.get("/tokens").get_data(as_text=True)
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page
    )
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_a_token_reads_the_api_exactly_as_its_users_session(app, token_for, role) -> None:
    _, secret = token_for(role)
    script, browser = app.test_client(), _log_in(app, role)
    for path in ("/api/perimeters", "/api/counts?period=quarter", "/api/perimeters/1"):
        by_token = script.get(path, headers=_bearer(secret))
        by_session = browser.get(path)
        assert by_token.status_code == by_session.status_code, path
        assert by_token.get_json() == by_session.get_json(), path
        assert "Set-Cookie" not in by_token.headers  # a script gets no session
    if role == "partner":  # the partner's scope, small counts suppressed
        counts = script.get("/api/counts?period=month", headers=_bearer(secret)).get_json()
        assert any(isinstance(row["count"], str) for row in counts)
        assert (
            len(script.get("/api/perimeters", headers=_bearer(secret)).get_json()["features"]) < 10
        )


def test_writes_need_no_csrf_token_with_a_token_but_do_with_a_session(app, token_for) -> None:
    _, secret = token_for("analyst")
    geometry = to_geojson(box(171_500, 173_500, 171_650, 173_620))
    body = {"type": "Feature", "geometry": geometry, "properties": {"name": "Per script"}}
    made = app.test_client().post("/api/perimeters", json=body, headers=_bearer(secret))
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["properties"]["changed_by"] == "analist"
    browser = _log_in(app, "analyst")
    body["properties"]["name"] = "Per browser"
    assert browser.post("/api/perimeters", json=body).status_code == 400  # CSRF
    # A session cookie decides whom a request acts as, and then its CSRF token is needed too.
    assert browser.post("/api/perimeters", json=body, headers=_bearer(secret)).status_code == 400
    _, partner = token_for("partner")  # a token does not lift its user's role
    assert (
        app.test_client().post("/api/perimeters", json=body, headers=_bearer(partner)).status_code
        == 403
    )


def test_refused_tokens_get_401_and_tokens_open_only_the_api(app, store, token_for) -> None:
    revoked, revoked_secret = token_for("analyst")
    expired, expired_secret = token_for("analyst")
    revoke_token(store, revoked, actor="test")
    with store.engine.begin() as conn:
        old = update(schema.api_tokens).where(schema.api_tokens.c.id == expired)
        conn.execute(old.values(expires_at="2020-01-01T00:00:00+00:00"))
    client = app.test_client()
    for secret in (revoked_secret, expired_secret, "mmm_made-up", ""):
        for path in ("/api/counts", "/ogc/collections"):
            answer = client.get(path, headers=_bearer(secret))
            assert answer.status_code == 401, (secret, path)
            assert answer.get_json() == {"error": "login required"}
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    _, secret = token_for("admin")
    assert client.get("/map", headers=_bearer(secret)).status_code == 302  # to the login page
    assert client.get("/tokens", headers=_bearer(secret)).status_code == 302


def test_every_use_is_audited_without_the_secret(app, store, token_for) -> None:
    token_id, secret = token_for("officer")
    app.test_client().get("/api/counts?period=year", headers=_bearer(secret))
    app.test_client().get("/api/counts", headers=_bearer(secret + "x"))
    events = store.audit_events()
    uses = events[(events["action"] == "token_use") & (events["entity_id"] == str(token_id))]
    [use] = [json.loads(detail) for detail in uses["detail"]]
    assert use == {"method": "GET", "path": "/api/counts", "address": "127.0.0.1"}
    assert uses["actor"].tolist() == ["token:wijkinspecteur"]
    refused = events[events["action"] == "token_refused"]
    assert json.loads(refused["detail"].iloc[-1])["reason"] == "unknown token"
    assert secret not in events.to_string()


def test_the_tokens_page_lists_and_revokes(app, store, token_for) -> None:
    partner_token, partner_secret = token_for("partner")
    officer_token, _ = token_for("officer")
    partner = _log_in(app, "partner")
    page = partner.get("/tokens").get_data(as_text=True)
    assert "<h1>API-tokens</h1>" in page  # the demo partner reads Dutch
    assert "test partner" in page and "test officer" not in page
    assert partner_secret not in page
    csrf = _csrf(partner)
    refused = partner.post("/tokens/revoke", data={"token_id": officer_token, "csrf_token": csrf})
    assert refused.status_code == 302
    states = {t.id: t.state() for t in list_tokens(store)}
    assert states[officer_token] == "active"  # not the partner's to revoke
    partner.post("/tokens/revoke", data={"token_id": partner_token, "csrf_token": csrf})
    assert {t.id: t.state() for t in list_tokens(store)}[partner_token] == "revoked"
    assert partner.post("/tokens/revoke", data={"token_id": officer_token}).status_code == 400

    admin = _log_in(app, "admin")
    page = admin.get("/tokens").get_data(as_text=True)
    assert "test officer" in page and "wijkinspecteur" in page
    admin.post("/tokens/revoke", data={"token_id": officer_token, "csrf_token": _csrf(admin)})
    assert {t.id: t.state() for t in list_tokens(store)}[officer_token] == "revoked"
