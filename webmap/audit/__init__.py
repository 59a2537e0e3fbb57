"""The audit log, for admins and the data protection officer."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from webmap.audit import routes  # noqa: E402,F401
