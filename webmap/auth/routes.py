"""Login, logout and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from mmm.access.users import authenticate, set_language
from webmap.auth.forms import LanguageForm, LoginForm
from webmap.extensions import LoginUser, get_store

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.args.get("lang"):
        session["lang"] = request.args["lang"]
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(get_store(), form.name.data or "", form.password.data or "")
        if user is None:
            flash(_("Unknown user name or wrong password."), "error")
        else:
            login_user(LoginUser(user))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        set_language(get_store(), current_user.user.id, form.language.data or "nl")
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None) -> str:
    """Only redirect within this site (no open redirect to another host)."""
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("maps.zone")
