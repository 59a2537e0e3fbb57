"""The who-does-what views: matrix, per partner, CSV; admins add partners and assignments."""

from __future__ import annotations

import io

import pandas as pd
from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.labels import label_columns, perimeter_words, phenomenon_labels, phenomenon_words
from mmm.access.partners import (
    add_partner,
    assign,
    matrix,
    partner_types,
    partners,
    unassign,
    who_does_what,
)
from mmm.io.writers import csv_bytes
from webmap.extensions import current_scope, get_store
from webmap.flashing import actor, submit
from webmap.partners.forms import RESPONSIBILITY_NAMES, AssignForm, PartnerForm, UnassignForm
from webmap.vocabulary import PARTNER_TYPE_NAMES, in_every_language, partner_type_choices

bp = Blueprint("partners", __name__, url_prefix="/partners")

CSV_COLUMNS = [
    "perimeter",
    "phenomenon",
    "partner",
    "partner_type",
    "responsibility",
    "description",
]


def _visible() -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The assignments, perimeters and phenomena this user may see."""
    store, scope = get_store(), current_scope()
    table = who_does_what(store, scope.pairs)
    shown = access.visible_perimeters(store.perimeters(), scope)
    labels = phenomenon_labels(store, current_user.user.language)
    codes = scope.phenomena(list(labels))
    return table, list(shown["name"]), {c: labels[c] for c in codes}


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "view_assignments"):
        abort(403)
    table, names, phenomena = _visible()
    forms = None
    if access.can(current_user.user, "manage_partners"):
        forms = _forms(names, phenomena)
    return render_template(
        "partners/index.html",
        cells=matrix(table, names, list(phenomena)),
        phenomena=phenomena,
        by_partner=table.groupby("partner", sort=True),
        responsibilities=RESPONSIBILITY_NAMES,
        forms=forms,
        unassign_form=UnassignForm(),
    )


def _forms(names: list[str], phenomena: dict[str, str]) -> dict[str, object]:
    store = get_store()
    partner_form, assign_form = PartnerForm(), AssignForm()
    partner_form.type.choices = partner_type_choices(partner_types(store))
    assign_form.partner.choices = list(partners(store)["name"])
    assign_form.perimeter.choices = names
    assign_form.phenomenon.choices = list(phenomena.items())
    return {"partner": partner_form, "assign": assign_form}


@bp.get("/who-does-what.csv")
def csv() -> Response:
    if not access.can(current_user.user, "view_assignments"):
        abort(403)
    table, _names, _phen = _visible()
    store = get_store()
    words = {
        "perimeter": perimeter_words(store),
        "phenomenon": phenomenon_words(store),
        "partner_type": in_every_language(PARTNER_TYPE_NAMES),
        "responsibility": in_every_language(RESPONSIBILITY_NAMES),
    }
    data = csv_bytes(label_columns(table[CSV_COLUMNS], words))
    return send_file(
        io.BytesIO(data), mimetype="text/csv", as_attachment=True, download_name="wie-doet-wat.csv"
    )


@bp.post("/add")
def add() -> Response:
    if not access.can(current_user.user, "manage_partners"):
        abort(403)
    form = PartnerForm()
    form.type.choices = partner_type_choices(partner_types(get_store()))
    submit(
        form,
        lambda: add_partner(
            get_store(),
            form.name.data or "",
            type=form.type.data or "",
            contact=form.contact.data or "",
            actor=actor(),
        ),
        _("Partner added."),
    )
    return redirect(url_for("partners.index"))


@bp.post("/assign")
def add_assignment() -> Response:
    if not access.can(current_user.user, "manage_partners"):
        abort(403)
    form = AssignForm()
    table, names, phenomena = _visible()
    form.partner.choices = list(partners(get_store())["name"])
    form.perimeter.choices = names
    form.phenomenon.choices = list(phenomena)
    submit(
        form,
        lambda: assign(
            get_store(),
            form.partner.data or "",
            perimeter=form.perimeter.data or "",
            phenomenon=form.phenomenon.data or "",
            responsibility=form.responsibility.data or "",
            description=form.description.data or "",
            actor=actor(),
        ),
        _("Assignment saved."),
    )
    return redirect(url_for("partners.index"))


@bp.post("/unassign")
def remove_assignment() -> Response:
    if not access.can(current_user.user, "manage_partners"):
        abort(403)
    form = UnassignForm()
    submit(
        form,
        lambda: unassign(
            get_store(),
            form.partner.data or "",
            perimeter=form.perimeter.data or "",
            phenomenon=form.phenomenon.data or "",
            actor=actor(),
        ),
        _("Assignment removed."),
    )
    return redirect(url_for("partners.index"))
