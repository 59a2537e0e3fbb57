"""The audit log viewer, for admins and the data protection officer.

Filters by person, role, action, purpose and local date range (GET, so a filtered view can be
bookmarked), fifty events a page, newest first; each event with the person's name and role,
its local date-time on one line, and its action, object and details in the reader's language.
The filtered view downloads as CSV (``POST /audit/audit.csv``, with a purpose like any other
download); the download is itself an audit event.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.audit import PURPOSES
from mmm.access.audit_view import (
    AuditFilter,
    actors,
    audit_page,
    audit_rows,
    plan_titles,
)
from mmm.access.labels import perimeter_labels, phenomenon_labels
from mmm.access.vocabulary import ROLES
from mmm.io.writers import csv_bytes
from webmap.audit.words import (
    ACTION_NAMES,
    Names,
    action_name,
    actor_name,
    detail_items,
    details_text,
    entity_name,
)
from webmap.extensions import get_store
from webmap.flashing import actor
from webmap.vocabulary import PARTNER_TYPE_NAMES, ROLE_NAMES, local_time, name_of, purpose_names

bp = Blueprint("audit", __name__, url_prefix="/audit")

#: The query keys of the filters.
FILTER_KEYS = ("person", "role", "action", "purpose", "from", "to")
#: The download form sends the filters as hidden fields with this prefix: its own ``purpose``
#: is why the file is downloaded, not which events it holds.
FORM_PREFIX = "filter_"


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "view_audit"):
        abort(403)
    store = get_store()
    filters, chosen = _filters(request.args)
    found = audit_page(store, filters, page=request.args.get("page", 1, type=int) or 1)
    return render_template(
        "audit/index.html",
        rows=_shown(found.rows),
        found=found,
        chosen=chosen,
        people=actors(store),
        roles=ROLES,
        actions=_actions(),
        purposes=purpose_names(),
        query={k: v for k, v in chosen.items() if v},
    )


@bp.post("/audit.csv")
def download() -> Response:
    """The filtered view as CSV (spreadsheet-safe cells), audited with its purpose."""
    if not access.can(current_user.user, "view_audit"):
        abort(403)
    purpose = request.form.get("purpose")
    if purpose not in PURPOSES:
        abort(400, _("Choose why you download this data (the purpose is logged)."))
    store = get_store()
    filters, chosen = _filters(request.form, prefix=FORM_PREFIX)
    rows = audit_rows(store, filters)
    table = pd.DataFrame(_csv_rows(_shown(rows)), columns=CSV_COLUMNS)
    detail: dict[str, Any] = {"purpose": purpose, "rows": len(table), "file": "audit.csv"}
    detail["filters"] = {key: value for key, value in chosen.items() if value}
    store.record(actor(), "export", "audit_events", "", detail)
    return send_file(
        io.BytesIO(csv_bytes(table)),
        mimetype="text/csv",
        as_attachment=True,
        download_name="audit.csv",
    )


#: The CSV's columns: the stored codes and times, and what the page shows beside them.
CSV_COLUMNS = [
    "id",
    "at_utc",
    "at_local",
    "person",
    "role",
    "action",
    "action_label",
    "entity",
    "entity_id",
    "entity_label",
    "purpose",
    "purpose_label",
    "details",
]


def _filters(
    values: MultiDict[str, str], *, prefix: str = ""
) -> tuple[AuditFilter, dict[str, str]]:
    """The filters of a request (400 for a value that cannot be one), and the values as given."""
    chosen = {key: (values.get(prefix + key) or "").strip() for key in FILTER_KEYS}
    if chosen["role"] and chosen["role"] not in ROLES:
        abort(400)
    if chosen["action"] and chosen["action"] not in _actions():
        abort(400)
    if chosen["purpose"] and chosen["purpose"] not in PURPOSES:
        abort(400)
    first, last = _day(chosen["from"]), _day(chosen["to"])
    if first and last and first > last:
        abort(400, _("The first day comes after the last one."))
    filters = AuditFilter(
        person=chosen["person"] or None,
        role=chosen["role"] or None,
        action=chosen["action"] or None,
        purpose=chosen["purpose"] or None,
        first=first,
        last=last,
    )
    return filters, chosen


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(400, _("Choose the days as YYYY-MM-DD."))


def _actions() -> dict[str, str]:
    """Action code → name, for every action the trail can hold, sorted by name."""
    names = {code: action_name(code) for code in ACTION_NAMES}
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))


def _shown(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The events as the page shows them: names, local time, words for the codes."""
    store, locale = get_store(), get_locale()
    phenomena = phenomenon_labels(store, str(locale))
    names = Names(phenomena, perimeter_labels(store, str(locale)), plan_titles(store))
    purposes = purpose_names()
    shown = []
    for event in rows.to_dict(orient="records"):
        purpose = event["detail"].get("purpose")
        items = detail_items(event["detail"], names)
        shown.append(
            {
                **event,
                "entity_name": event["entity_name"] or _code_name(event, phenomena),
                "when": local_time(event["local"]),
                "who": actor_name(event["person"], event["actor"]),
                "action_label": action_name(event["action"]),
                "entity_label": entity_name(event["entity"]),
                "purpose_label": "" if purpose is None else purposes.get(purpose, purpose),
                "items": items,
            }
        )
    return shown


def _code_name(event: dict[str, Any], phenomena: dict[str, str]) -> str | None:
    """The name of an object the trail keeps by its code (a phenomenon, a partner type)."""
    code = str(event["entity_id"] or "")
    if event["entity"] == "phenomenon":
        return phenomena.get(code, code)
    if event["entity"] == "partner_type":
        return name_of(PARTNER_TYPE_NAMES, code)
    return None


def _csv_rows(shown: list[dict[str, Any]]) -> list[list[Any]]:
    """One CSV row per event (see :data:`CSV_COLUMNS`)."""
    return [
        [
            e["id"],
            e["at"],
            e["when"],
            e["who"],
            "" if e["role"] is None else str(ROLE_NAMES.get(e["role"], e["role"])),
            e["action"],
            e["action_label"],
            e["entity"],
            e["entity_id"],
            e["entity_name"] or e["entity_label"],
            e["detail"].get("purpose", ""),
            e["purpose_label"],
            details_text(e["items"]),
        ]
        for e in shown
    ]
