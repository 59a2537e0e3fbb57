"""The MMM Planner web app (Flask): thin views on top of the ``mmm`` core.

``create_app(test_config=None)`` builds the app: settings from ``MMM_*`` environment variables,
the session key from ``MMM_SECRET_KEY`` or ``instance/secret_key``, one blueprint per user task.
Every route needs a login except the login page and static files (one guard, below).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from mmm.errors import StoreError
from mmm.settings import load_settings, thresholds
from webmap import bearer, formats, safeguards, security
from webmap.extensions import babel, csrf, login_manager, select_locale

#: Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
#: Paths that answer scripts (the JSON API, OGC API – Features): errors and refusals in JSON.
JSON_PATHS = ("/api/", "/ogc")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: settings from ``MMM_*`` env vars, overridden by ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    settings = load_settings()
    app.config.update(
        MMM_STORE=settings.store,
        MMM_TILES_URL=settings.tiles_url,
        MMM_SUPPRESS_BELOW=settings.suppress_below,
        MMM_SUPPRESS_OVERRIDES=thresholds(settings),
        MMM_PERIMETER_MIN_AREA=settings.perimeter_min_area_m2,
        MMM_PERIMETER_MAX_AREA=settings.perimeter_max_area_m2,
        MMM_CHROMIUM=settings.chromium,
        SECRET_KEY=settings.secret_key or None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    security.init_app(app)  # headers, session cookie, login limits (webmap.security)
    login_manager.init_app(app)
    bearer.init_app(app)  # API tokens on /api and /ogc (webmap.bearer)
    app.before_request(_require_login)  # before the CSRF check: anonymous requests get 401/login
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    formats.install(app)
    _register_blueprints(app)
    app.context_processor(_template_helpers)
    for code in (400, 403, 404, 405):  # JSON routes get JSON errors (see _error_page)
        app.register_error_handler(code, _error_page)
    app.register_error_handler(StoreError, _store_unavailable)
    safeguards.init_app(app)  # route access rules, request limits (webmap.safeguards)
    return app


def _store_unavailable(error: StoreError) -> tuple[Any, int]:
    """A 503 when the store cannot be opened (e.g. behind the newest schema revision).

    The reason (what to run) goes to the server's log for the administrator, not to whoever
    asked: it names the store. Nothing is cached, so the app recovers as soon as the store is
    fixed (``mmm db upgrade``), without a restart.
    """
    from flask import g, render_template
    from flask_babel import gettext as _

    current_app.logger.error("the store cannot be opened: %s", error)
    g._login_user = login_manager.anonymous_user()  # loading the user would need the store
    message = _(
        "The data store cannot be opened. An administrator finds the reason and what to do in "
        "the server's log."
    )
    if request.path.startswith(JSON_PATHS):
        return {"error": message}, 503
    title = _("MMM Planner is not available")
    return render_template("error.html", title=title, message=message), 503


def _error_page(error: HTTPException) -> tuple[str, int]:
    """A translated page for the errors a user can meet (not Werkzeug's English one)."""
    from flask import render_template
    from flask_babel import gettext as _

    titles = {
        400: _("This request cannot be answered"),
        403: _("Your role does not give access to this page"),
        404: _("Page not found"),
        405: _("This address cannot be opened this way"),
    }
    code = error.code or 500
    if request.path.startswith(JSON_PATHS):
        return {"error": str(error.description)}, code  # type: ignore[return-value]
    default = error.description == type(error).description
    message = "" if default else str(error.description)
    if code == 405:  # e.g. a download link: they are forms that state the purpose (a POST)
        message = _(
            "Downloads and incident points start from the form on their page, where you state the purpose."
        )
    return render_template("error.html", title=titles[code], message=message), code


def _template_helpers() -> dict[str, Any]:
    """``can(action)`` and the language list, for every template."""
    from mmm import access
    from webmap import vocabulary
    from webmap.auth.forms import LANGUAGE_NAMES

    def can(action: str) -> bool:
        return bool(current_user.is_authenticated and access.can(current_user.user, action))

    return {
        "can": can,
        "languages": list(LANGUAGE_NAMES.items()),
        "get_locale": get_locale,
        "role_names": vocabulary.ROLE_NAMES,
        "status_names": vocabulary.STATUS_NAMES,
        "dataset_names": vocabulary.DATASET_NAMES,
    }


def warm_up(app: Flask) -> None:
    """Read the incidents and count them into the store's count cube before the first visitor
    does (:func:`mmm.counting.cube.count_cube`; a second for a million rows), then the recent
    change of the zone map (seconds for thousands of perimeters) and the near-repeat test of
    every phenomenon (about a second each at a million incidents), which staff pages show, and
    last each kind of reader's default pages (:mod:`webmap.ahead`). A request that comes
    meanwhile waits for this work instead of doing it a second time."""
    from mmm.counting.cube import count_cube
    from webmap.ahead import build_ahead
    from webmap.extensions import get_store
    from webmap.time_patterns import near_repeats, recent_change

    with app.app_context():
        store = get_store()
        count_cube(store)
        recent_change()
        near_repeats(list(store.phenomena()["code"]))
    build_ahead(app)


def _register_blueprints(app: Flask) -> None:
    from webmap.admin import bp as admin_bp
    from webmap.api import bp as api_bp
    from webmap.audit import bp as audit_bp
    from webmap.auth import bp as auth_bp
    from webmap.exports import bp as exports_bp
    from webmap.hotspots import bp as hotspots_bp
    from webmap.jobs import bp as jobs_bp
    from webmap.maps import bp as maps_bp
    from webmap.meeting import bp as meeting_bp
    from webmap.ogc import bp as ogc_bp
    from webmap.partners import bp as partners_bp
    from webmap.perimeters import bp as perimeters_bp
    from webmap.plans import bp as plans_bp
    from webmap.reports import bp as reports_bp
    from webmap.tiles import bp as tiles_bp
    from webmap.tokens import bp as tokens_bp

    blueprints = (auth_bp, maps_bp, perimeters_bp, partners_bp, exports_bp, api_bp, audit_bp)
    for bp in (*blueprints, admin_bp, hotspots_bp, plans_bp, tiles_bp):
        app.register_blueprint(bp)
    for bp in (reports_bp, meeting_bp):  # reports and meeting mode (mmm.present.report)
        app.register_blueprint(bp)
    for bp in (ogc_bp, tokens_bp):  # OGC API – Features, and the API tokens page
        app.register_blueprint(bp)
    app.register_blueprint(jobs_bp)  # the status of slow work and the file it made (webmap.jobs)


def _require_login() -> Response | None:
    """The one guard: anything but the public endpoints sends an anonymous visitor to log in."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith(JSON_PATHS):  # scripts get a status, not a login page
        challenge = {"WWW-Authenticate": 'Bearer realm="MMM Planner"'}  # a token, or a session
        return Response('{"error": "login required"}', 401, challenge, "application/json")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _instance_secret(instance: Path) -> str:
    """A random session key kept in ``instance/secret_key`` (created on first start, mode 600)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
