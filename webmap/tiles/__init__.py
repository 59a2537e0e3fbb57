"""The basemap's tiles, served from the app's own host (``MMM_BASEMAP``: MBTiles or PMTiles)."""

from webmap.tiles.routes import basemap, bp

__all__ = ["basemap", "bp"]
