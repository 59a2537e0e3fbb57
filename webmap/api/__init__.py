"""JSON for the map and for scripts (QGIS, R…), scoped by the same rules as the pages."""

from webmap.api.routes import bp

__all__ = ["bp"]
