"""Export views: a page with the purpose form and one download route (POST); every download is
audited.

The counts take a period: ``from`` and ``to`` (``YYYY-MM``, the months with data; none: all of
them) and, for the CSV table, ``period`` (``month``, ``quarter``, ``year`` or ``all``). Every file
gets label columns per language after its own columns (:mod:`mmm.present.export`).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.audit import PURPOSES
from mmm.counting.count import PERIODS
from mmm.counting.months import available_months, choose_range
from mmm.errors import InvalidPeriod
from mmm.present.export import ExportOptions, export
from webmap.extensions import get_store
from webmap.vocabulary import STATUS_NAMES, in_every_language, purpose_names

bp = Blueprint("exports", __name__, url_prefix="/exports")

#: What the UI offers: dataset → formats (incident rows are not offered as a bulk download).
OFFERED = {"perimeters": ("geojson", "gpkg", "csv"), "counts": ("geojson", "gpkg", "csv")}
#: How the counts of a CSV are split in time (codes: mmm.counting.count.PERIODS).
PERIOD_NAMES = {
    "month": _l("per month"),
    "quarter": _l("per quarter"),
    "year": _l("per year"),
    "all": _l("the whole period"),
}
MIMETYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "export"):
        abort(403)
    months = available_months(get_store().incidents())
    return render_template(
        "exports/index.html",
        offered=OFFERED,
        purposes=purpose_names(),
        months=months,
        periods=PERIOD_NAMES,
    )


@bp.post("/<dataset>.<fmt>")
def download(dataset: str, fmt: str) -> Response:
    """One download; its purpose comes in the POST body with the CSRF token (see macros.html)."""
    if not access.can(current_user.user, "export"):
        abort(403)
    if fmt not in OFFERED.get(dataset, ()):
        abort(404)
    purpose = request.form.get("purpose")
    if purpose not in PURPOSES:
        abort(400, _("Choose why you download this data (the purpose is logged)."))
    with tempfile.TemporaryDirectory() as tmp:
        result = export(
            get_store(),
            dataset,
            Path(tmp) / f"{dataset}.{fmt}",
            options=_options() if dataset == "counts" else ExportOptions(),
            actor=f"web:{current_user.user.name}",
            purpose=purpose,
            words={"status": in_every_language(STATUS_NAMES)},
        )
        data = result.path.read_bytes()
    return send_file(
        io.BytesIO(data),
        mimetype=MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"{dataset}.{fmt}",
    )


def _options() -> ExportOptions:
    """The period of a counts download, from the form (400 with the reason when it is wrong)."""
    period = request.form.get("period") or "all"
    if period not in PERIODS:
        abort(400, _("Choose how the counts are split in time."))
    first, last = request.form.get("from") or None, request.form.get("to") or None
    if first is None and last is None:
        return ExportOptions(period=period)  # type: ignore[arg-type]
    months = available_months(get_store().incidents())
    try:
        chosen = choose_range(months, first or (months[0] if months else None), last)
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    return ExportOptions(period=period, start=chosen.start, end=chosen.end)  # type: ignore[arg-type]
