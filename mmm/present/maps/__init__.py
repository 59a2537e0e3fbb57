"""The app's Folium maps (zone, perimeter, hotspots), what lies under them, and the texts shown
beside the hotspot map.

Every map loads Leaflet from the app itself, never from a CDN (:class:`Assets`), and escapes
text from the data against branca's Jinja rendering (:mod:`mmm.present.maps.leaflet`). The
modules split the work: :mod:`~mmm.present.maps.zone`, :mod:`~mmm.present.maps.perimeter` and
:mod:`~mmm.present.maps.hotspot` build the maps; :mod:`~mmm.present.maps.backdrop` draws the
basemap, the streets and the street search under every one of them, from the street tiles and
search of :mod:`~mmm.present.maps.streets`; :mod:`~mmm.present.maps.segments` counts the busiest
street segments; legends, the hotspot map's payload, its page texts and the KDE images each
have a module of their own.
"""

from mmm.present.maps.backdrop import Backdrop, carried, page_assets
from mmm.present.maps.hotspot import hotspot_map
from mmm.present.maps.hotspot_text import colocation_matrix, hotspot_rows, warning_messages
from mmm.present.maps.leaflet import Assets
from mmm.present.maps.legend import GI_COLOURS, MULTI_COLOURS
from mmm.present.maps.perimeter import perimeter_map
from mmm.present.maps.raster import kde_png, kde_rgba, png_bytes
from mmm.present.maps.segments import (
    PerimeterSegments,
    UnknownPhenomenon,
    perimeter_segments,
    segment_layer,
)
from mmm.present.maps.streets import StreetNetwork, street_network
from mmm.present.maps.zone import zone_map

__all__ = [
    "GI_COLOURS",
    "MULTI_COLOURS",
    "Assets",
    "Backdrop",
    "PerimeterSegments",
    "StreetNetwork",
    "UnknownPhenomenon",
    "carried",
    "colocation_matrix",
    "hotspot_map",
    "hotspot_rows",
    "kde_png",
    "kde_rgba",
    "page_assets",
    "perimeter_map",
    "perimeter_segments",
    "png_bytes",
    "segment_layer",
    "street_network",
    "warning_messages",
    "zone_map",
]
