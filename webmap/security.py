"""What every response carries for safety, and the session cookie's flags.

- ``Content-Security-Policy``: scripts only from this app or inline with the request's nonce
  (:func:`csp_nonce`; the templates put it on each inline ``<script>``, and
  :func:`webmap.folium_page.parts` on Folium's), no inline event handlers, no plugins, no
  framing (``frame-ancestors 'none'``), forms and requests only to this app, images also from
  the tile server of ``MMM_TILES_URL``. Inline *styles* stay allowed: Folium and Leaflet write
  them, and a style cannot run code.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.
- ``Cache-Control: no-store`` on everything but the static files, the basemap's tiles and the
  street tiles (which say ``private`` themselves, :mod:`webmap.tiles`, :mod:`webmap.maps`): pages, ``/api`` answers and downloads hold
  data that must not stay in a shared or browser cache.
- The session cookie is ``Secure`` when the request came over HTTPS (``MMM_SECURE_COOKIES=auto``)
  or always (``on``); behind a reverse proxy, ``MMM_PROXY_HOPS`` says how many proxies'
  ``X-Forwarded-For``/``-Proto`` headers to believe (the address also keys the login limits).
- ``mmm serve`` answers with ``Server: MMM Planner`` (:class:`RequestHandler`), not Werkzeug's
  name and version.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Response

from mmm.settings import load_settings
from webmap.auth import throttle

SECURE_COOKIES = ("auto", "on")
SERVER = "MMM Planner"


def init_app(app: Flask) -> None:
    """Settings (unless the app's config has them), the headers, the cookie, the login limits.

    Raises
    ------
    ValueError
        For an ``MMM_SECURE_COOKIES`` other than ``auto`` or ``on``.
    """
    settings = load_settings()
    app.config.setdefault("MMM_SECURE_COOKIES", settings.secure_cookies)
    app.config.setdefault("MMM_PROXY_HOPS", settings.proxy_hops)
    app.config.setdefault("MMM_LOGIN_LIMIT_NAME", settings.login_limit_name)
    app.config.setdefault("MMM_LOGIN_LIMIT_ADDRESS", settings.login_limit_address)
    app.config.setdefault("MMM_LOGIN_LIMIT_STORAGE", settings.login_limit_storage)
    if app.config["MMM_SECURE_COOKIES"] not in SECURE_COOKIES:
        raise ValueError(
            f"MMM_SECURE_COOKIES={app.config['MMM_SECURE_COOKIES']!r}: choose auto or on"
        )
    proxies = int(app.config["MMM_PROXY_HOPS"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.session_interface = SessionCookies()
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    throttle.init_app(app)


def csp_nonce() -> str:
    """This request's script nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def content_security_policy() -> str:
    """The policy of this request (with its nonce and the tile server, if any)."""
    images = ["'self'", "data:"]
    tiles = urlsplit(current_app.config.get("MMM_TILES_URL") or "")
    if tiles.scheme and tiles.netloc:  # "{s}.tiles.example" → "*.tiles.example"
        images.append(f"{tiles.scheme}://{tiles.netloc.replace('{s}', '*')}")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {' '.join(images)}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint not in ("static", "tiles.tile", "maps.street_tile"):
        response.headers["Cache-Control"] = "no-store"
    return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie session, ``Secure`` over HTTPS (or always: ``on``)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """``Secure`` when the setting says ``on``, or the request came over HTTPS."""
        return app.config["MMM_SECURE_COOKIES"] == "on" or request.is_secure


class RequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler, naming the app in ``Server`` instead of itself."""

    def version_string(self) -> str:
        """The ``Server`` header's value."""
        return SERVER
