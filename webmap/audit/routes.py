"""Audit log view: the newest events, optionally one kind of action."""

from __future__ import annotations

import json

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from mmm import access
from mmm.access.audit import recent_events
from webmap.extensions import get_store
from webmap.vocabulary import purpose_names

bp = Blueprint("audit", __name__, url_prefix="/audit")

ACTIONS = ("read", "export", "import", "create", "update", "archive", "assign", "unassign", "label")


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "view_audit"):
        abort(403)
    action = request.args.get("action") or None
    if action is not None and action not in ACTIONS:
        abort(400)
    events = recent_events(get_store(), action=action)
    rows = [
        {**event, "detail": json.loads(event["detail"] or "{}")}
        for event in events.to_dict(orient="records")
    ]
    return render_template(
        "audit/index.html", rows=rows, actions=ACTIONS, action=action, purposes=purpose_names()
    )
