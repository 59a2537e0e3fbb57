"""The perimeter upload form (the editor itself saves through the JSON API)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField

#: What the upload accepts: GeoJSON, GeoPackage, a zipped Shapefile.
SUFFIXES = ["geojson", "json", "gpkg", "zip"]


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[
            FileRequired(),
            FileAllowed(SUFFIXES, _l("A GeoJSON, a GeoPackage or a zipped Shapefile.")),
        ],
    )
    dry_run = BooleanField(_l("Only check, store nothing"))
    submit = SubmitField(_l("Import"))
