"""The zone map: phenomena per perimeter, a grid, a period selector, presentation mode."""

from flask import Blueprint

bp = Blueprint("maps", __name__)

from webmap.maps import routes  # noqa: E402,F401
