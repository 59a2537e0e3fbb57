"""Zone map views, and what every map page fetches: street tiles, street search, and the zone
map's busiest street segments (staff only, :mod:`mmm.present.maps.segments`)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.errors import InvalidPeriod, NotFound, PeriodOutOfRange
from mmm.present import maps
from mmm.present.overview import ZoneOverview, zone_overview
from webmap.answers import kept_parts
from webmap.extensions import current_scope, get_store
from webmap.folium_page import MapParts, assets, backdrop, rendered
from webmap.time_patterns import add_zone_layers

#: Seconds a browser keeps a street tile; its URL names the data version, so an import that
#: changes the streets gives new URLs rather than stale tiles.
STREET_TILE_MAX_AGE = 86_400
#: The longest street search text taken.
SEARCH_MAX = 100

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
    first, last = request.args.get("from"), request.args.get("to")
    try:
        view, fmap = zone_parts(selected, first, last, presentation)
    except NotFound:
        return render_template("maps/empty.html"), 404
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    return render_template(
        "maps/zone.html",
        view=view,
        map=fmap.nonced(),
        selected=selected,
        presentation=presentation,
    )


def zone_parts(
    selected: str | None, first: str | None, last: str | None, presentation: bool
) -> tuple[ZoneOverview, MapParts]:
    """The zone map's figures and rendered map for the logged-in reader, kept per state of the
    data (:mod:`webmap.answers`): the same for every reader with the same rights, scope and
    language."""
    return kept_parts(
        ("zone", selected, first, last, presentation),
        lambda: _zone_parts(selected, first, last, presentation),
        lambda found: found[1].size,
    )


def _zone_parts(
    selected: str | None, first: str | None, last: str | None, presentation: bool
) -> tuple[ZoneOverview, MapParts]:
    """The zone map's figures and rendered map, built for the logged-in reader."""
    view = zone_overview(
        get_store(), first=first, last=last, language=str(get_locale()), scope=current_scope()
    )
    if selected is not None and selected not in view.phenomena:
        abort(400, _("Unknown phenomenon."))
    fmap = maps.zone_map(
        zone=view.zone,
        perimeters=view.perimeters,
        current=view.current,
        previous=view.previous,
        grid=view.grid if access.can(current_user.user, "view_grid") else None,
        phenomena=view.phenomena,
        selected=selected,
        assets=assets(),
        backdrop=backdrop(),
        presentation=presentation,
        translate=_,
        perimeter_url=lambda pid: url_for("perimeters.show", perimeter_id=pid),
        segments_url=_segments_url(view.period.first, view.period.last),
    )
    add_zone_layers(fmap, view, selected)
    return view, rendered(fmap)


def _segments_url(first: str, last: str) -> str | None:
    """Where the zone map fetches its busiest street segments; ``None`` for partners."""
    if not access.can(current_user.user, "view_segments"):
        return None
    return url_for("maps.segments") + "?" + urlencode({"from": first, "to": last})


@bp.get("/map/streets/<int:z>/<int:x>/<int:y>")
def street_tile(z: int, x: int, y: int) -> Response:
    """One street tile (:meth:`mmm.present.maps.StreetNetwork.tile`), gzip-compressed when the
    browser takes it; an empty tile when no streets are stored."""
    network = maps.street_network(get_store())
    gzipped = "gzip" in request.accept_encodings
    if network is None:
        body, gzipped = b'{"n":[],"l":[]}', False
    else:
        body = network.tile_bytes(z, x, y, gzipped=gzipped)
    response = Response(body, mimetype="application/json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"private, max-age={STREET_TILE_MAX_AGE}"
    return response


@bp.get("/map/streets/search")
def street_search() -> Response:
    """The streets whose name holds ``q`` (:meth:`mmm.present.maps.StreetNetwork.search`)."""
    text = request.args.get("q", "")[:SEARCH_MAX]
    network = maps.street_network(get_store())
    return jsonify([] if network is None else network.search(text))


@bp.get("/map/segments")
def segments() -> Response:
    """The zone map's busiest street segments of a period and phenomenon (staff only)."""
    if not access.can(current_user.user, "view_segments"):
        abort(403)
    try:
        layer = maps.segment_layer(
            get_store(),
            scope=current_scope(),
            first=request.args.get("from"),
            last=request.args.get("to"),
            phenomenon=request.args.get("phenomenon") or None,
            language=str(get_locale()),
            translate=_,
        )
    except (InvalidPeriod, PeriodOutOfRange):
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    except maps.UnknownPhenomenon:
        abort(400, _("Unknown phenomenon."))
    return jsonify(layer)
