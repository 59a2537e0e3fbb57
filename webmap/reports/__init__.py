"""Reports: a plan's printable progress report (and its PDF), a perimeter's meeting dossier."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from webmap.reports import routes  # noqa: E402,F401
