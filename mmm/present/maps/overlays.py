"""Extra layers any of the app's maps can take: recent change on the zone map, near-repeat
alerts and emerging hot spots on the hotspot and perimeter maps.

Why a module of its own: the map builders (:mod:`~mmm.present.maps.zone`,
:mod:`~mmm.present.maps.hotspot`, :mod:`~mmm.present.maps.perimeter`) draw what every reader of
a page may see; these layers are for staff only (see :mod:`mmm.present.temporal`), so the views
add them to a map already built — one call — only for a reader allowed to see them. Each layer
is an overlay (a checkbox in the layer control, off at first): a GeoJSON collection
(EPSG:4326) whose features carry their style, their circle (points: radius in metres) and an
escaped popup; ``overlay_script.js`` draws them and shows the legends of the layers that are on
in a box of their own, so the map's own legend keeps explaining its base layer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.present.maps.leaflet import JsLayer, Script, safe_json, web_geoms

_SCRIPT = Path(__file__).with_name("overlay_script.js").read_text(encoding="utf-8")


@dataclass
class Overlay:
    """One extra layer: its name in the layer control, legend (HTML, escaped), features."""

    name: str
    legend: str
    features: list[dict[str, Any]] = field(default_factory=list)

    def add_shape(self, geometry: BaseGeometry, style: dict[str, Any], popup: str) -> None:
        """A polygon (EPSG:31370) with its Leaflet path style and popup (escaped HTML)."""
        self.add_shapes([geometry], [style], [popup])

    def add_shapes(
        self,
        geometries: Sequence[BaseGeometry] | np.ndarray,
        styles: Sequence[dict[str, Any]],
        popups: Sequence[str],
    ) -> None:
        """Many polygons at once (one coordinate transformation for all of them)."""
        if not len(geometries):
            return
        shapes = shapely.to_geojson(web_geoms(geometries, simplify_m=0.5))
        for shape, style, popup in zip(shapes, styles, popups, strict=True):
            self.features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(shape),
                    "properties": {"style": style, "popup": popup},
                }
            )

    def add_circle(self, x: float, y: float, circle: dict[str, Any], popup: str) -> None:
        """A circle around ``(x, y)`` (EPSG:31370): Leaflet ``L.circle`` options, radius in m."""
        point = json.loads(shapely.to_geojson(web_geoms([shapely.Point(x, y)])[0]))
        self.features.append(
            {"type": "Feature", "geometry": point, "properties": {"circle": circle, "popup": popup}}
        )


def add_overlays(fmap: folium.Map, layers: list[Overlay]) -> None:
    """Add ``layers`` to a built map (before it is rendered), each listed in its layer control.

    The map's layer control (one is added when it has none) moves after the new layers: folium
    writes each element's script in the order added, and the control's script names every
    layer, so it has to come after them.
    """
    if not layers:
        return
    controls = [c for c in fmap._children.values() if isinstance(c, folium.LayerControl)]
    for control in controls:
        del fmap._children[control.get_name()]
    ns = f"mmm_extra_{fmap.get_name()}_{len(fmap._children)}"  # one per call
    data = {
        "layers": [
            {"features": {"type": "FeatureCollection", "features": la.features},
             "legend": la.legend}
            for la in layers
        ]
    }  # fmt: skip
    code = _SCRIPT.replace("__NS__", ns).replace("__MAP__", fmap.get_name())
    fmap.add_child(Script(code.replace("__DATA__", safe_json(data))))
    for k, layer in enumerate(layers):
        fmap.add_child(JsLayer(f"{ns}.layers[{k}]", layer.name, overlay=True, show=False))
    for control in controls or [folium.LayerControl(collapsed=True)]:
        fmap.add_child(control)
