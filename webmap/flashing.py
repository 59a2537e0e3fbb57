"""How a view reports a store change to the person who asked for it (flash messages)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
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


def form_errors(form: FlaskForm) -> str:
    """The form's validation errors as one line: "Field: problem; Field: problem"."""
    return "; ".join(
        f"{form[name].label.text}: {', '.join(map(str, errs))}"
        for name, errs in form.errors.items()
    )
