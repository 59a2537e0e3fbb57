"""Login, logout, CSRF, cookies, and the rule that every route needs a login."""

from __future__ import annotations

import re

from flask import Flask

from mmm.demo import DEMO_PASSWORD
from webmap import PUBLIC_ENDPOINTS


def _example_url(rule) -> str:
    """A concrete URL for a rule, with plausible values for its variables."""
    values = {"perimeter_id": 1, "dataset": "counts", "fmt": "csv", "filename": "app.css"}
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(values.get(name, "x")), url)
    return url


def test_every_route_but_login_and_static_needs_a_login(app: Flask, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(_example_url(rule), method=method)
            if rule.rule.startswith(("/api/", "/ogc")):  # scripts get a status, not a redirect
                assert response.status_code == 401, (rule.rule, method, response.status_code)
                assert "Bearer" in response.headers.get("WWW-Authenticate", ""), rule.rule
                continue
            assert response.status_code == 302, (rule.rule, method, response.status_code)
            assert response.headers["Location"].startswith("/login"), rule.rule
            checked += 1
    assert checked >= 8  # the walk really covered the app's routes


def test_login_page_and_static_are_public(client):
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_wrong_password_is_refused_without_saying_which(client):
    response = client.post("/login", data={"name": "analist", "password": "nope-nope"})
    assert response.status_code == 200
    assert "Unknown user name or wrong password" in response.get_data(as_text=True) or (
        "Onbekende gebruikersnaam" in response.get_data(as_text=True)
    )
    assert client.get("/map").status_code == 302


def test_login_redirects_to_next_but_never_off_site(client):
    ok = client.post(
        "/login?next=/perimeters/", data={"name": "analist", "password": DEMO_PASSWORD}
    )
    assert ok.headers["Location"] == "/perimeters/"
    client.post("/logout")
    evil = client.post(
        "/login?next=https://evil.example/", data={"name": "analist", "password": DEMO_PASSWORD}
    )
    assert evil.headers["Location"] == "/map"


def test_logout_ends_the_session(login):
    client = login("officer")
    assert client.get("/map").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/map").status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_posts_without_csrf_token_are_refused(csrf_app: Flask):
    client = csrf_app.test_client()
    response = client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    assert response.status_code == 400  # no token: refused before any password check
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"name": "analist", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    map_page = client.get("/map").get_data(as_text=True)
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', map_page)
    assert client.post("/logout").status_code == 400  # logging out needs the token too


def test_language_switch_is_remembered_per_user(login):
    client = login("officer")
    response = client.post("/language", data={"language": "fr", "next": "/perimeters/"})
    assert response.headers["Location"] == "/perimeters/"
    assert '<html lang="fr">' in client.get("/perimeters/").get_data(as_text=True)
    client.post("/language", data={"language": "nl", "next": "/map"})
    assert '<html lang="nl">' in client.get("/perimeters/").get_data(as_text=True)
