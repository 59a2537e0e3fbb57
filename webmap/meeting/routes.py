"""Meeting mode: choose the perimeters or plans of a meeting, then walk through them."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from mmm import access
from mmm.errors import NotFound
from mmm.plans import visible_plans
from mmm.present.meeting import lateness, meeting_slides
from webmap.extensions import current_scope, get_store
from webmap.reports.render import area_map, merged_header, words

bp = Blueprint("meeting", __name__, url_prefix="/meeting")


def _allow() -> None:
    if not access.can(current_user.user, "run_meeting"):
        abort(403)


def _ids(name: str) -> list[int]:
    try:
        return [int(v) for v in request.args.getlist(name)]
    except ValueError:
        abort(400, _("Choose perimeters and plans from the list."))


@bp.get("/")
def choose() -> str:
    _allow()
    scope = current_scope()
    return render_template(
        "meeting/choose.html",
        plans=visible_plans(get_store(), scope),
        perimeters=access.visible_perimeters(get_store().perimeters(), scope),
        words=words(),
    )


@bp.get("/walk")
def walk() -> str:
    _allow()
    scope = current_scope()
    if request.args.get("partners", "1") == "1":  # partners in the room: hide small counts
        scope = access.audience_scope(
            get_store(),
            threshold=current_app.config["MMM_SUPPRESS_BELOW"],
            overrides=current_app.config["MMM_SUPPRESS_OVERRIDES"],
        )
    try:
        slides = meeting_slides(
            get_store(),
            scope,
            plan_ids=_ids("plan"),
            perimeter_ids=_ids("perimeter"),
            today=date.today(),
            language=str(get_locale()),
        )
    except NotFound:
        abort(404, _("Choose at least one perimeter or plan that exists."))
    maps = [area_map(s.perimeter.name, s.perimeter.geometry, s.perimeter.zone) for s in slides]
    return render_template(
        "meeting/walk.html",
        slides=list(zip(slides, maps, strict=True)),
        header=merged_header([m.header for m in maps]),
        suppressed=scope.thresholds is not None,
        words=words(),
        late=lateness,
    )
