"""Logins and sessions: logout ends the session on the server, failed logins slow down per name
and per address without telling whether a name exists, and every step is in the audit log."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mmm.demo import DEMO_PASSWORD
from mmm.store import open_store
from tests.webmap.conftest import make_app

WRONG = "not the password at all"
REFUSED = "Te veel mislukte aanmeldingen"  # the 429 message, in the default language (nl)


def _events(url: str, *actions: str) -> list[dict]:
    store = open_store(url)
    try:
        events = store.audit_events()
    finally:
        store.close()
    rows = events[events["action"].isin(actions)].to_dict("records")
    return [{**row, "detail": json.loads(row["detail"])} for row in rows]


@pytest.fixture
def strict(demo_store_url: str) -> Flask:
    """An app whose login limits are reached quickly (its own counts, in memory)."""
    return make_app(
        demo_store_url,
        MMM_LOGIN_LIMIT_NAME="3 per minute",
        MMM_LOGIN_LIMIT_ADDRESS="5 per minute",
    )


def _login(client: FlaskClient, name: str, password: str, address: str = "10.1.1.1"):
    return client.post(
        "/login",
        data={"name": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_logout_ends_the_session_on_the_server(app: Flask, demo_store_url: str) -> None:
    browser = app.test_client()
    assert _login(browser, "wijkinspecteur", DEMO_PASSWORD).status_code == 302
    cookie = browser.get_cookie("session")
    assert cookie is not None and browser.get("/map").status_code == 200
    assert browser.post("/logout").status_code == 302
    thief = app.test_client()  # someone who kept a copy of the cookie from before the logout
    thief.set_cookie("session", cookie.value)
    response = thief.get("/map")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login, logout = _events(demo_store_url, "login", "logout")[-2:]
    assert (login["action"], logout["action"]) == ("login", "logout")
    assert login["actor"] == logout["actor"] == "web:wijkinspecteur"
    assert login["detail"] == {"address": "10.1.1.1"}  # where each request came from
    assert logout["detail"] == {"address": "127.0.0.1"}


def test_failed_logins_lock_the_name_even_for_the_right_password(
    strict: Flask, demo_store_url: str
) -> None:
    client = strict.test_client()
    for _ in range(3):
        response = _login(client, "analist", WRONG)
        assert response.status_code == 200
    refused = _login(client, "analist", DEMO_PASSWORD)  # the finding: this logged straight in
    assert refused.status_code == 429 and REFUSED in refused.get_data(as_text=True)
    assert client.get("/map").status_code == 302
    other = _login(strict.test_client(), "wijkinspecteur", DEMO_PASSWORD, "10.1.1.2")
    assert other.status_code == 302  # another name from another address is not affected
    failed = _events(demo_store_url, "login_failed")[-3:]
    assert {e["detail"]["name"] for e in failed} == {"analist"}
    [locked] = _events(demo_store_url, "login_locked")[-1:]
    assert locked["detail"]["by"] == "name" and locked["detail"]["address"] == "10.1.1.1"
    assert DEMO_PASSWORD not in json.dumps(_events(demo_store_url, "login_failed"))


def test_failed_logins_lock_the_address_across_names(strict: Flask) -> None:
    client = strict.test_client()
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert _login(client, name, WRONG, "10.2.2.2").status_code == 200
    assert _login(client, "wijkinspecteur", DEMO_PASSWORD, "10.2.2.2").status_code == 429
    assert _login(client, "wijkinspecteur", DEMO_PASSWORD, "10.2.2.3").status_code == 302


def test_an_unknown_name_looks_like_a_wrong_password(strict: Flask, demo_store_url: str) -> None:
    known = _login(strict.test_client(), "privacy", WRONG, "10.3.3.3")
    unknown = _login(strict.test_client(), "nobody-here", WRONG, "10.3.3.4")
    assert known.status_code == unknown.status_code == 200

    def message(response) -> str:
        page = response.get_data(as_text=True)
        return page[page.index('class="flash') :].split("</p>")[0]

    assert message(known) == message(unknown)
    for _ in range(2):  # unknown names are counted and locked like known ones
        _login(strict.test_client(), "nobody-here", WRONG, "10.3.3.5")
    assert _login(strict.test_client(), "nobody-here", WRONG, "10.3.3.6").status_code == 429
    unknown_event = _events(demo_store_url, "login_failed")[-3]
    assert unknown_event["entity_id"] == "" and "nobody-here" not in json.dumps(unknown_event)


def test_the_address_comes_from_the_proxy_only_when_trusted(demo_store_url: str) -> None:
    forwarded = {"X-Forwarded-For": "192.0.2.9", "X-Forwarded-Proto": "https"}
    for proxies, address in ((0, "127.0.0.1"), (1, "192.0.2.9")):
        client = make_app(demo_store_url, MMM_PROXY_HOPS=proxies).test_client()
        response = client.post(
            "/login", data={"name": "analist", "password": DEMO_PASSWORD}, headers=forwarded
        )
        assert response.status_code == 302
        assert _events(demo_store_url, "login")[-1]["detail"] == {"address": address}
        assert ("Secure" in response.headers["Set-Cookie"]) is bool(proxies)


def test_next_never_leaves_the_site(client) -> None:
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(
            f"/login?next={evil}", data={"name": "analist", "password": DEMO_PASSWORD}
        )
        assert response.headers["Location"] == "/map", evil
        client.post("/logout")
