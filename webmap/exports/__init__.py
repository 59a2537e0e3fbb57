"""Downloads for QGIS and partners: perimeters and counts as GeoJSON, GeoPackage and CSV."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from webmap.exports import routes  # noqa: E402,F401
