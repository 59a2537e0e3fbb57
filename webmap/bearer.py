"""``Authorization: Bearer …`` on ``/api`` and ``/ogc``: scripts and QGIS log in with a token.

A request without a session cookie that carries an API token (:mod:`mmm.access.tokens`) acts as
the token's user, with the same role and partner scope as on the pages; every use is audited
there. The token is the login and the proof of intent at once: a browser never sends it by
itself, so another site cannot forge such a request, and the CSRF check is skipped for it — for
it only (:class:`webmap.extensions.TokenAwareCSRF`). A session cookie, when there is one, is
what the request acts as (and it needs its CSRF token). A refused token (unknown, expired,
revoked, its user deactivated) leaves the request anonymous: 401. Other paths ignore tokens.
"""

from __future__ import annotations

from flask import Flask, Request, g

from mmm.access.tokens import token_user
from mmm.errors import AccessDenied
from webmap.extensions import LoginUser, get_store, login_manager

#: The paths a token opens (the JSON API and OGC API – Features).
TOKEN_PATHS = ("/api/", "/ogc")


def init_app(app: Flask) -> None:
    """Let Flask-Login ask :func:`load_token_user` when a request has no session."""
    login_manager.request_loader(load_token_user)


def load_token_user(request: Request) -> LoginUser | None:
    """The user of the request's API token, or ``None`` (no token, or a refused one)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not request.path.startswith(TOKEN_PATHS):
        return None
    audit = {"method": request.method, "path": request.path, "address": request.remote_addr}
    try:
        token, user = token_user(get_store(), secret.strip(), audit)
    except AccessDenied:
        return None
    g.api_token = token.id
    return LoginUser(user, "")
