"""User administration, for admins only: list, create, reset passwords, (de)activate."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from webmap.admin import routes  # noqa: E402,F401  (registers the views on bp)
