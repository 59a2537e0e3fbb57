"""The app's Folium maps (zone, perimeter, hotspots) and the texts shown beside the hotspot map.

Every map loads Leaflet from the app itself, never from a CDN (:class:`Assets`), and escapes
text from the data against branca's Jinja rendering (:mod:`mmm.present.maps.leaflet`). The
modules split the work: :mod:`~mmm.present.maps.zone`, :mod:`~mmm.present.maps.perimeter` and
:mod:`~mmm.present.maps.hotspot` build the maps; legends, the hotspot map's payload, its page
texts and the KDE images each have a module of their own.
"""

from mmm.present.maps.hotspot import hotspot_map
from mmm.present.maps.hotspot_text import colocation_matrix, hotspot_rows, warning_messages
from mmm.present.maps.leaflet import Assets
from mmm.present.maps.legend import GI_COLOURS, MULTI_COLOURS
from mmm.present.maps.perimeter import perimeter_map
from mmm.present.maps.raster import kde_png, kde_rgba, png_bytes
from mmm.present.maps.zone import zone_map

__all__ = [
    "GI_COLOURS",
    "MULTI_COLOURS",
    "Assets",
    "colocation_matrix",
    "hotspot_map",
    "hotspot_rows",
    "kde_png",
    "kde_rgba",
    "perimeter_map",
    "png_bytes",
    "warning_messages",
    "zone_map",
]
