"""Zone map views."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.errors import InvalidPeriod, NotFound
from mmm.present import maps
from mmm.present.overview import zone_overview
from webmap.extensions import current_scope, get_store
from webmap.folium_page import assets, parts, tiles_attribution, tiles_url

bp = Blueprint("maps", __name__)


@bp.get("/")
def home() -> Response:
    return redirect(url_for("maps.zone"))


@bp.get("/map")
def zone() -> str | tuple[str, int]:
    if not access.can(current_user.user, "view_map"):
        abort(403)
    selected = request.args.get("phenomenon") or None
    presentation = request.args.get("presentation") == "1"
    try:
        view = zone_overview(
            get_store(),
            first=request.args.get("from"),
            last=request.args.get("to"),
            language=str(get_locale()),
            scope=current_scope(),
        )
    except NotFound:
        return render_template("maps/empty.html"), 404
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    if selected is not None and selected not in view.phenomena:
        abort(400, _("Unknown phenomenon."))
    fmap = maps.zone_map(
        zone=view.zone,
        perimeters=view.perimeters,
        current=view.current,
        previous=view.previous,
        grid=view.grid if access.can(current_user.user, "view_grid") else view.grid.iloc[0:0],
        phenomena=view.phenomena,
        selected=selected,
        assets=assets(),
        tiles_url=tiles_url(),
        tiles_attribution=tiles_attribution(),
        presentation=presentation,
        translate=_,
        perimeter_url=lambda pid: url_for("perimeters.show", perimeter_id=pid),
    )
    return render_template(
        "maps/zone.html", view=view, map=parts(fmap), selected=selected, presentation=presentation
    )
