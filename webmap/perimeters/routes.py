"""Perimeter views."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from mmm import access, charts, maps
from mmm.audit import PURPOSES, record_read
from mmm.errors import InvalidPeriod, NotFound
from mmm.overview import perimeter_overview
from mmm.partners import who_does_what
from webmap.extensions import current_scope, get_store
from webmap.folium_page import assets, parts, tiles_url
from webmap.partners.forms import RESPONSIBILITY_NAMES
from webmap.perimeters import bp
from webmap.vocabulary import purpose_names


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "view_perimeter"):
        abort(403)
    shown = access.visible_perimeters(get_store().perimeters(), current_scope())
    return render_template("perimeters/index.html", perimeters=shown)


@bp.get("/<int:perimeter_id>")
def show(perimeter_id: int) -> str | tuple[str, int]:
    user = current_user.user
    if not access.can(user, "view_perimeter"):
        abort(403)
    may_see_points = access.can(user, "view_incidents")
    purpose = request.args.get("purpose")
    show_points = may_see_points and purpose in PURPOSES  # points only with a stated purpose
    try:
        view = perimeter_overview(
            get_store(),
            perimeter_id,
            first=request.args.get("from"),
            last=request.args.get("to"),
            with_incidents=show_points,
            language=str(get_locale()),
            scope=current_scope(),
        )
    except NotFound:
        abort(404)
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    if view.incidents is not None and purpose is not None:
        detail = {"from": view.period.first, "to": view.period.last, "rows": len(view.incidents)}
        record_read(
            get_store(), f"web:{user.name}", "incidents", str(perimeter_id), purpose, detail
        )
    urls = assets()
    fmap = maps.perimeter_map(
        perimeter=(view.name, view.geometry),
        zone=view.zone,
        incidents=view.incidents,
        phenomena=view.phenomena,
        assets=urls,
        tiles_url=tiles_url(),
        translate=_,
    )
    chart = charts.timeseries_spec(view.by_month, view.phenomena, translate=_)
    scope = current_scope()
    team = who_does_what(get_store(), scope.pairs)
    team = team[team["perimeter_id"] == perimeter_id]
    return render_template(
        "perimeters/show.html",
        view=view,
        map=parts(fmap),
        chart=chart,
        chart_js=urls.chart_js,
        team=team,
        responsibilities=RESPONSIBILITY_NAMES,
        may_see_points=may_see_points,
        purposes=purpose_names(),
    )
