"""JSON for the map and for scripts (QGIS, R…), scoped by the same rules as the pages."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from webmap.api import routes  # noqa: E402,F401
