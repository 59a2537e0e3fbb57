"""Security headers on every response, a script nonce per request, the cookie's Secure flag, and
no framework name in ``Server``."""

from __future__ import annotations

import re
import threading
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.webmap.conftest import make_app
from webmap.security import RequestHandler

TEMPLATES = Path(__file__).resolve().parents[2] / "webmap" / "templates"


def _policy(response) -> dict[str, str]:
    directives = response.headers["Content-Security-Policy"].split(";")
    return {d.split()[0]: d.strip() for d in directives}


@pytest.mark.parametrize("role", ["officer", "analyst"])
def test_every_kind_of_response_has_the_headers(login, app, role) -> None:
    client = login(role)
    station = "/perimeters/1"
    responses = {
        "login page": app.test_client().get("/login"),
        "zone map": client.get("/map"),
        "perimeter page": client.get(station),
        "points": client.post(station, data={"purpose": "operations"}),
        "api": client.get("/api/perimeters"),
        "not found": client.get("/nothing-here"),
        "static": client.get("/static/app.css"),
    }
    for what, response in responses.items():
        policy = _policy(response)
        assert policy["frame-ancestors"] == "frame-ancestors 'none'", what
        assert re.fullmatch(r"script-src 'self' 'nonce-[\w-]{20,}'", policy["script-src"]), what
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in str(policy)
        assert policy["object-src"] == "object-src 'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff", what
        assert response.headers["Referrer-Policy"] == "same-origin", what
        stored = response.headers.get("Cache-Control", "")
        assert ("no-store" in stored) is (what != "static"), (what, stored)


def test_each_inline_script_carries_this_requests_nonce(login) -> None:
    client = login("analyst")
    nonces = []
    for path in ("/map", "/perimeters/1", "/hotspots", "/reports/plans/1", "/plans/1"):
        response = client.get(path)
        assert response.status_code == 200, path
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
        nonces.append(nonce)
        page = response.get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>", page)
        inline = [a for a in scripts if "src=" not in a and "application/json" not in a]
        assert inline, path  # each has a map (the plan page: its perimeter's) and its script
        assert all(f'nonce="{nonce}"' in attributes for attributes in inline), path
        assert not re.search(r"\son[a-z]+=", page), path  # no inline event handlers
    assert len(set(nonces)) == len(nonces)  # a new nonce for every request


def test_no_template_has_an_inline_handler_or_a_script_without_nonce() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+=\"", text), template
        assert "<script>" not in text, template


def test_the_tile_server_may_serve_images(demo_store_url: str) -> None:
    app = make_app(demo_store_url, MMM_TILES_URL="https://{s}.wmts.zone.example/{z}/{x}/{y}.png")
    policy = _policy(app.test_client().get("/login"))
    assert policy["img-src"] == "img-src 'self' data: https://*.wmts.zone.example"


def test_the_session_cookie_is_secure_over_https_or_when_set_on(demo_store_url: str) -> None:
    credentials = {"name": "analist", "password": "demo-mmm-2024"}

    def cookie(base_url: str, **config: object) -> str:
        client = make_app(demo_store_url, **config).test_client()
        return client.post("/login", data=credentials, base_url=base_url).headers["Set-Cookie"]

    assert "Secure" not in cookie("http://localhost")
    assert "Secure" in cookie("https://localhost")
    assert "Secure" in cookie("http://localhost", MMM_SECURE_COOKIES="on")
    assert "HttpOnly" in cookie("https://localhost") and "SameSite=Lax" in cookie("http://x")
    with pytest.raises(ValueError, match="MMM_SECURE_COOKIES='yes'"):
        make_app(demo_store_url, MMM_SECURE_COOKIES="yes")


def test_the_server_header_names_the_app_not_the_framework(app) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/login") as response:
            assert response.headers.get_all("Server") == ["MMM Planner"]
            assert "no-store" in response.headers["Cache-Control"]
    finally:
        server.shutdown()
