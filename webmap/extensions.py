"""Flask extensions, created once and bound to an app in ``create_app``; the store per app."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import Babel
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf import CSRFProtect

from mmm.access.rules import Scope, scope_for
from mmm.access.users import LANGUAGES, User, get_user
from mmm.errors import NotFound
from mmm.store import Store, open_store

login_manager = LoginManager()
login_manager.login_view = "auth.login"
csrf = CSRFProtect()
babel = Babel()


class LoginUser(UserMixin):
    """Flask-Login's view of an :class:`mmm.access.users.User`."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        """``"<id>.<session epoch>"``: a password reset or deactivation ends older sessions."""
        return f"{self.user.id}.{self.user.session_epoch}"

    @property
    def is_active(self) -> bool:
        return self.user.active


@login_manager.user_loader
def _load_user(session_id: str) -> LoginUser | None:
    user_id, _, epoch = session_id.partition(".")
    try:
        user = get_user(get_store(), int(user_id))
    except (NotFound, ValueError):
        return None
    return LoginUser(user) if epoch == str(user.session_epoch) else None


def get_store() -> Store:
    """The app's store, opened on first use."""
    store = current_app.extensions.get("mmm_store")
    if store is None:
        store = open_store(current_app.config["MMM_STORE"])
        current_app.extensions["mmm_store"] = store
    return store


def current_scope() -> Scope:
    """What the logged-in user may see (:func:`mmm.access.rules.scope_for`), with the app's thresholds."""
    return scope_for(
        get_store(),
        current_user.user,
        threshold=current_app.config["MMM_SUPPRESS_BELOW"],
        overrides=current_app.config["MMM_SUPPRESS_OVERRIDES"],
    )


def select_locale() -> str:
    """The logged-in user's language; before login the one chosen on the login page, else nl."""
    if current_user.is_authenticated:
        return current_user.user.language
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in LANGUAGES else "nl"
