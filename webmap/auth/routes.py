"""Login, logout and the language switch.

A login is refused (429) while its name or address is locked by too many failed tries
(:mod:`webmap.auth.throttle`), before the password is looked at; a wrong name and a wrong
password get the same message after the same work. Logins, failures, lockouts and logouts are
audited by :mod:`mmm.access.sessions`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from mmm.access.sessions import end_session, record_failure, start_session
from mmm.access.users import authenticate, set_language
from webmap.auth.forms import LanguageForm, LoginForm
from webmap.auth.throttle import throttle
from webmap.extensions import LoginUser, get_store

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if request.args.get("lang"):
        session["lang"] = request.args["lang"]
    form = LoginForm()
    if form.validate_on_submit():
        name, address = form.name.data or "", _address()
        if throttle().locked(name, address):
            message = _(
                "Too many failed logins with this name or from this address. Wait a few "
                "minutes and try again, or ask an administrator."
            )
            flash(message, "error")
            return render_template("auth/login.html", form=form), 429
        store = get_store()
        user = authenticate(store, name, form.password.data or "")
        if user is None:
            locked = throttle().failed(name, address)
            record_failure(store, name, address=address, locked=locked)
            flash(_("Unknown user name or wrong password."), "error")
        else:
            token = start_session(store, user, address=address)
            login_user(LoginUser(user, token))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """End the session on the server too: the cookie is refused from now on."""
    end_session(get_store(), current_user.token, current_user.user, address=_address())
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        set_language(get_store(), current_user.user.id, form.language.data or "nl")
    return redirect(_safe_next(request.form.get("next")))


def _address() -> str:
    """The client's address (the proxy's, unless ``MMM_PROXY_HOPS`` says to look past it)."""
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    """Only redirect within this site (no open redirect to another host; browsers read
    ``/\\host`` as ``//host``)."""
    if target and not urlsplit(target).netloc and target.startswith("/") and "\\" not in target:
        return target
    return url_for("maps.zone")
