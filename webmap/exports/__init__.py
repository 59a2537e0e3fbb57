"""Downloads for QGIS and partners: perimeters and counts as GeoJSON, GeoPackage and CSV."""

from webmap.exports.routes import bp

__all__ = ["bp"]
