"""Who does what where: the partner × perimeter × phenomenon matrix, editable by admins."""

from flask import Blueprint

bp = Blueprint("partners", __name__, url_prefix="/partners")

from webmap.partners import routes  # noqa: E402,F401
