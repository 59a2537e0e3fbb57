"""The zone map: phenomena per perimeter, a grid, a period selector, presentation mode."""

from webmap.maps.routes import bp

__all__ = ["bp"]
