"""Meeting mode: a full-screen walk through the perimeters of a meeting, for a shared screen."""

from flask import Blueprint

bp = Blueprint("meeting", __name__, url_prefix="/meeting")

from webmap.meeting import routes  # noqa: E402,F401
