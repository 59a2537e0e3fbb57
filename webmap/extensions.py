"""Flask extensions, created once and bound to an app in ``create_app``; the store per app."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_babel import Babel
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf import CSRFProtect

from mmm.access.rules import Scope, scope_for
from mmm.access.sessions import session_user
from mmm.access.users import LANGUAGES, User
from mmm.store import Store, open_store


class TokenAwareCSRF(CSRFProtect):
    """Flask-WTF's CSRF check, except for a request that logged in with an API token
    (:mod:`webmap.bearer`): a browser never sends one by itself, so it cannot be forged."""

    def protect(self, apply_exemptions: bool = False) -> None:
        if current_user.is_authenticated and "api_token" in g:
            return
        super().protect(apply_exemptions=apply_exemptions)


login_manager = LoginManager()
login_manager.login_view = "auth.login"
csrf = TokenAwareCSRF()
babel = Babel()


class LoginUser(UserMixin):
    """Flask-Login's view of an :class:`mmm.access.users.User` in one server-side session."""

    def __init__(self, user: User, token: str) -> None:
        self.user = user
        self.token = token

    def get_id(self) -> str:
        """The session's token (:mod:`mmm.access.sessions`): logging out ends it on the server."""
        return self.token

    @property
    def is_active(self) -> bool:
        return self.user.active


@login_manager.user_loader
def _load_user(token: str) -> LoginUser | None:
    user = session_user(get_store(), token)
    return None if user is None else LoginUser(user, token)


def get_store() -> Store:
    """The app's store, opened on first use."""
    store = current_app.extensions.get("mmm_store")
    if store is None:
        store = open_store(current_app.config["MMM_STORE"])
        current_app.extensions["mmm_store"] = store
    return store


def current_scope() -> Scope:
    """What the logged-in user may see (:func:`mmm.access.rules.scope_for`), with the app's
    thresholds; read once per request (a page asks several times)."""
    if "mmm_scope" not in g:
        g.mmm_scope = scope_for(
            get_store(),
            current_user.user,
            threshold=current_app.config["MMM_SUPPRESS_BELOW"],
            overrides=current_app.config["MMM_SUPPRESS_OVERRIDES"],
        )
    scope: Scope = g.mmm_scope
    return scope


def select_locale() -> str:
    """The logged-in user's language; before login the one chosen on the login page, else nl."""
    if current_user.is_authenticated:
        return current_user.user.language
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in LANGUAGES else "nl"
