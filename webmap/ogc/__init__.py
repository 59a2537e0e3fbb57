"""OGC API – Features (``/ogc``): the perimeters and their counts as layers for QGIS and GDAL."""

from webmap.ogc.routes import bp

__all__ = ["bp"]
