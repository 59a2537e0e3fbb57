"""How a view reports a store change to the person who asked for it (flash messages).

The core refuses a change with an English sentence (the CLI shows it as it is); a page says it
in the reader's language: :func:`refusal` recognises the core's sentences (:data:`REFUSALS`,
their values kept) and words them again, and a stale version or a vanished row by its class.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from mmm.errors import MMMError, NotFound, StaleVersion

#: The core's refusals of the changes the pages make (plans, actions, indicators, PDCA cycles,
#: partners, users), as patterns of its English sentence → the sentence in the reader's words;
#: ``%(a)s``… take the pattern's groups (dates, names, numbers as the person typed them).
REFUSALS = {
    r"the action runs (\S+) – (\S+), outside the plan \((\S+) – (\S+)\)": _l(
        "The action runs %(a)s – %(b)s, outside the plan (%(c)s – %(d)s)."
    ),
    r"hours per month and budget are numbers of 0 or more": _l(
        "Hours per month and budget are numbers of 0 or more."
    ),
    r"the deadline (\S+) lies outside the plan \((\S+) – (\S+)\)": _l(
        "The deadline %(a)s lies outside the plan (%(b)s – %(c)s)."
    ),
    r"the target (.+) is not a (?:usable )?number": _l("The target %(a)s is not a number."),
    r"the cycle's period \((\S+) – (\S+)\) must lie within the plan \((\S+) – (\S+)\)": _l(
        "The cycle's period (%(a)s – %(b)s) must lie within the plan (%(c)s – %(d)s)."
    ),
    r"the Check \((\S+)\) is planned before the period ends \((\S+)\)": _l(
        "The Check (%(a)s) is planned before the period ends (%(b)s)."
    ),
    r"the buffer is a positive width in metres, e\.g\. 250": _l(
        "The buffer is a positive width in metres, e.g. 250."
    ),
    r"the control area cannot be the plan's own perimeter": _l(
        "The control area cannot be the plan's own perimeter."
    ),
    r"the plan has a cycle that is not closed yet: close it first": _l(
        "The plan has a cycle that is not closed yet: close it first."
    ),
    r"the period must start after the previous cycle's period \((\S+)\)": _l(
        "The period must start after the previous cycle's period (%(a)s)."
    ),
    r"the cycle cannot start \((\S+)\) before the previous one was closed": _l(
        "The cycle cannot start (%(a)s) before the previous one was closed."
    ),
    r"the Check \((\S+)\) cannot come before the start \((\S+)\) or before the evaluated "
    r"period ends \((\S+)\)": _l(
        "The Check (%(a)s) cannot come before the start (%(b)s) or before the evaluated period "
        "ends (%(c)s)."
    ),
    r"the Act \((\S+)\) cannot come before the Check \((\S+)\)": _l(
        "The Act (%(a)s) cannot come before the Check (%(b)s)."
    ),
    r"a cycle cannot be closed without a Check: run the Check first": _l(
        "A cycle cannot be closed without a Check: run the Check first."
    ),
    r"the cycle cannot be closed \((\S+)\) before its Act \((\S+)\)": _l(
        "The cycle cannot be closed (%(a)s) before its Act (%(b)s)."
    ),
    r"'(.+)' already has an action plan for ZVP (\S+) \(plan (\d+)\): edit that one": _l(
        "%(a)s already has an action plan for ZVP %(b)s (plan %(c)s): edit that one."
    ),
    r"the partner name is empty": _l("The partner's name is empty."),
    r"a partner '(.+)' already exists": _l("A partner %(a)s already exists."),
    r"'(.+)' is not an e-mail address \(use the organisation's\)": _l(
        "%(a)s is not an e-mail address (use the organisation's)."
    ),
    r"you cannot deactivate your own account \(ask another admin\)": _l(
        "You cannot deactivate your own account (ask another administrator)."
    ),
    r"'(.+)' is the last active admin: .*": _l(
        "%(a)s is the last active administrator: activate or add another administrator "
        "first, or nobody can manage users any more."
    ),
    r".+ ends \((\S+)\) before it starts \((\S+)\)": _l(
        "The end (%(a)s) comes before the start (%(b)s)."
    ),
}
_PATTERNS = [(re.compile(pattern), sentence) for pattern, sentence in REFUSALS.items()]
_SLOTS = "abcd"


def refusal(error: MMMError) -> str:
    """The core's refusal in the reader's language; a sentence no pattern knows stays as the
    core wrote it (better than none: it says what to fix)."""
    if isinstance(error, StaleVersion):
        return _(
            "Someone else changed this since you opened it: reload the page, then make your "
            "change again."
        )
    if isinstance(error, NotFound):
        return _("What you chose no longer exists: reload the page and choose again.")
    text = str(error)
    for pattern, sentence in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return str(sentence) % dict(zip(_SLOTS, found.groups(), strict=False))
    return text


def actor() -> str:
    """The audit trail's name for the logged-in user."""
    return f"web:{current_user.user.name}"


def attempt(change: Callable[[], object], done: str) -> bool:
    """Run one store change; a refusal becomes a message and the store stays as it was."""
    try:
        change()
    except MMMError as exc:
        flash(refusal(exc), "error")
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
