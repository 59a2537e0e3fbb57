"""``/tokens``: the API tokens a user may see — their own; an administrator's: everyone's.

Tokens are made with ``mmm token create`` (the secret is shown once, there); here they are
listed (never the secret) and revoked, which :mod:`mmm.access.tokens` audits. A token of
someone else is "not found" for whoever may not revoke it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.tokens import list_tokens, revoke_token
from mmm.errors import NotFound
from webmap.extensions import get_store
from webmap.flashing import actor, form_errors
from webmap.tokens.forms import RevokeForm

bp = Blueprint("tokens", __name__, url_prefix="/tokens")


@bp.get("")
def index() -> str:
    me = current_user.user
    everyone = access.can(me, "manage_users")
    return render_template(
        "tokens/index.html",
        tokens=list_tokens(get_store(), None if everyone else me),
        everyone=everyone,
        form=RevokeForm(),
    )


@bp.post("/revoke")
def revoke() -> Response:
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
        return redirect(url_for("tokens.index"))
    try:
        token = revoke_token(
            get_store(), int(form.token_id.data or 0), actor=actor(), by=current_user.user
        )
    except NotFound:
        flash(_("There is no such token among yours."), "error")
    else:
        flash(
            _("The token %(name)s is revoked: it no longer opens anything.", name=token.name),
            "info",
        )
    return redirect(url_for("tokens.index"))
