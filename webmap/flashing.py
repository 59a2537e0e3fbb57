"""How a view reports a store change to the person who asked for it (flash messages)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from mmm.errors import MMMError


def actor() -> str:
    """The audit trail's name for the logged-in user."""
    return f"web:{current_user.user.name}"


def attempt(change: Callable[[], object], done: str) -> bool:
    """Run one store change; a refusal becomes a message and the store stays as it was."""
    try:
        change()
    except MMMError as exc:
        flash(str(exc), "error")
        return False
    flash(done, "info")
    return True


def submit(form: FlaskForm, change: Callable[[], object], done: str) -> bool:
    """Run one store change when the form is valid; else say what is wrong with the form.

    The shape of every small POST view (add an action, record findings…): a form, an
    :func:`attempt`, a message either way.
    """
    if form.validate_on_submit():
        return attempt(change, done)
    flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
    return False


def form_errors(form: FlaskForm) -> str:
    """The form's validation errors as one line: "Field: problem; Field: problem"."""
    return "; ".join(
        f"{form[name].label.text}: {', '.join(map(str, errs))}"
        for name, errs in form.errors.items()
    )
