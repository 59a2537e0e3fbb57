"""Export views: a page of links and one download route; every download is audited."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import abort, render_template, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.export import export
from webmap.exports import bp
from webmap.extensions import get_store

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
    return render_template("exports/index.html", offered=OFFERED)


@bp.get("/<dataset>.<fmt>")
def download(dataset: str, fmt: str) -> Response:
    if not access.can(current_user.user, "export"):
        abort(403)
    if fmt not in OFFERED.get(dataset, ()):
        abort(404)
    with tempfile.TemporaryDirectory() as tmp:
        result = export(
            get_store(),
            dataset,
            Path(tmp) / f"{dataset}.{fmt}",
            actor=f"web:{current_user.user.name}",
        )
        data = result.path.read_bytes()
    return send_file(
        io.BytesIO(data),
        mimetype=MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"{dataset}.{fmt}",
    )
