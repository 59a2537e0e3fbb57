"""Logging in and out, and choosing the interface language."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from webmap.auth import routes  # noqa: E402,F401  (registers the views on bp)
