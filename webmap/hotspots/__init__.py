"""Multi-phenomenon hotspots: the Gi*/KDE map with its parameters, tables and downloads."""

from webmap.hotspots.routes import bp

__all__ = ["bp"]
