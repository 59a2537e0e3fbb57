"""Multi-phenomenon hotspots: the Gi*/KDE map with its parameters, tables and downloads."""

from flask import Blueprint

bp = Blueprint("hotspots", __name__)

from webmap.hotspots import routes  # noqa: E402,F401
