"""One route: a tile of the zone's basemap file (``MMM_BASEMAP``), for any logged-in user.

Why the app serves them itself: on a closed network there is no tile server, and tiles from the
app's host need no exception in the pages' Content-Security-Policy. The file is opened when the
app starts (a wrong path stops it with the reason) and read tile by tile
(:mod:`mmm.io.basemap`). A tile is cached by the browser for a day (``private``: only behind the
login) and revalidated by its ETag; a tile the file lacks is an empty 404, cached as well, so
the map does not ask again while it pans.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from mmm.io.basemap import Basemap, open_basemap
from mmm.settings import load_settings

bp = Blueprint("tiles", __name__, url_prefix="/tiles")

#: Seconds a browser keeps a tile before it asks again (with its ETag).
TILE_MAX_AGE = 86_400


@bp.record_once
def _open(state: BlueprintSetupState) -> None:
    """Open the basemap file with the app (``MMM_BASEMAP`` of the app's config or settings)."""
    app = state.app
    path = app.config.setdefault("MMM_BASEMAP", load_settings().basemap)
    app.extensions["mmm_basemap"] = open_basemap(path) if path else None


def basemap() -> Basemap | None:
    """The app's basemap, or ``None`` when ``MMM_BASEMAP`` is not set."""
    found: Basemap | None = current_app.extensions.get("mmm_basemap")
    return found


@bp.get("/<int:z>/<int:x>/<int:y>")
def tile(z: int, x: int, y: int) -> Response:
    """The tile z/x/y (XYZ numbering) with its media type, or an empty 404."""
    found = basemap()
    data = None if found is None else found.tile(z, x, y)
    if found is None or data is None:
        response = Response(status=404)
    else:
        response = Response(data, mimetype=found.media_type)
        response.set_etag(found.version)
        response = response.make_conditional(request)
    response.headers["Cache-Control"] = f"private, max-age={TILE_MAX_AGE}"
    return response
