"""The user admin pages: list and create users, reset a password, (de)activate — admins only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.partners import partners
from mmm.access.passwords import MIN_LENGTH, WeakPassword
from mmm.access.users import (
    User,
    add_user,
    get_user,
    list_users,
    reset_password,
    set_active,
)
from mmm.errors import MMMError, NotFound
from webmap.admin.forms import ActiveForm, NewUserForm, PasswordForm
from webmap.auth.forms import LANGUAGE_NAMES
from webmap.extensions import get_store
from webmap.flashing import actor, attempt, form_errors
from webmap.vocabulary import ROLE_NAMES

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> None:
    """Every admin route, GET and POST: 403 for anyone who may not manage users."""
    if not access.can(current_user.user, "manage_users"):
        abort(403)


@bp.route("/users", methods=["GET", "POST"])
def users() -> str | Response:
    form = _new_user_form()
    if form.validate_on_submit():
        try:
            user = add_user(
                get_store(),
                form.name.data or "",
                form.password.data or "",
                role=form.role.data or "",
                partner=form.partner.data or None,
                language=form.language.data or "nl",
                actor=actor(),
            )
        except MMMError as exc:
            flash(_refusal(exc), "error")
        else:
            flash(_("User %(name)s added.", name=user.name), "info")
            return redirect(url_for("admin.users"))
    elif form.is_submitted():
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
    return render_template(
        "admin/users.html",
        users=list_users(get_store()),
        form=form,
        language_names=LANGUAGE_NAMES,
        min_password=MIN_LENGTH,
    )


@bp.get("/users/<int:user_id>")
def user(user_id: int) -> str:
    target = _target(user_id)
    return render_template(
        "admin/user.html",
        user=target,
        password_form=PasswordForm(),
        active_form=ActiveForm(active="0" if target.active else "1"),
        is_self=target.id == current_user.user.id,
        language_names=LANGUAGE_NAMES,
        min_password=MIN_LENGTH,
    )


@bp.post("/users/<int:user_id>/password")
def password(user_id: int) -> Response:
    target = _target(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(get_store(), target.id, form.password.data or "", actor=actor())
        except MMMError as exc:
            flash(_refusal(exc), "error")
        else:
            flash(_("New password set for %(name)s.", name=target.name), "info")
    else:
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/users/<int:user_id>/active")
def active(user_id: int) -> Response:
    target = _target(user_id)
    form = ActiveForm()
    if form.validate_on_submit():
        wanted = form.active.data == "1"
        if wanted:
            done = _("%(name)s can log in again.", name=target.name)
        else:
            done = _("%(name)s can no longer log in.", name=target.name)
        attempt(
            lambda: set_active(
                get_store(), target.id, wanted, actor=actor(), actor_id=current_user.user.id
            ),
            done,
        )
    else:
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
    return redirect(url_for("admin.user", user_id=target.id))


def _refusal(error: MMMError) -> str:
    """What the store said, in the user's language when it is a password rule."""
    if not isinstance(error, WeakPassword):
        return str(error)
    return {
        "short": _("The password needs at least %(n)s characters.", n=MIN_LENGTH),
        "name": _("The password may not contain the user name."),
        "common": _(
            "This password is too common (attackers try it early, or it repeats a short "
            "part): choose another, e.g. a few unrelated words."
        ),
    }[error.reason]


def _new_user_form() -> NewUserForm:
    """The create form, with translated role and language names and the active organisations."""
    form = NewUserForm()
    form.role.choices = [(code, str(name)) for code, name in ROLE_NAMES.items()]
    form.language.choices = list(LANGUAGE_NAMES.items())
    table = partners(get_store())
    form.partner.choices = [("", "—"), *table.loc[table["active"] == 1, "name"]]
    return form


def _target(user_id: int) -> User:
    try:
        return get_user(get_store(), user_id)
    except NotFound:
        abort(404)
