"""Export views: a page with the purpose form and one download route (POST); every download is
audited."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.audit import PURPOSES
from mmm.present.export import export
from webmap.extensions import get_store
from webmap.vocabulary import purpose_names

bp = Blueprint("exports", __name__, url_prefix="/exports")

#: What the UI offers: dataset → formats (incident rows are not offered as a bulk download).
OFFERED = {"perimeters": ("geojson", "gpkg", "csv"), "counts": ("geojson", "gpkg", "csv")}
MIMETYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "export"):
        abort(403)
    return render_template("exports/index.html", offered=OFFERED, purposes=purpose_names())


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
            actor=f"web:{current_user.user.name}",
            purpose=purpose,
        )
        data = result.path.read_bytes()
    return send_file(
        io.BytesIO(data),
        mimetype=MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"{dataset}.{fmt}",
    )
