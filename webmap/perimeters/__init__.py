"""Perimeter pages: the list, and one page per perimeter with map, table and charts."""

from flask import Blueprint

bp = Blueprint("perimeters", __name__, url_prefix="/perimeters")

from webmap.perimeters import routes  # noqa: E402,F401
