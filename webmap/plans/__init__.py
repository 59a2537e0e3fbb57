"""Action plans and their PDCA cycles: list, write, monitor, evaluate; survey figures."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from webmap.plans import cycles, routes, surveys  # noqa: E402,F401
