"""The Leaflet page under every map: local assets, safe inline data, coordinates, our elements.

Why: police zones run the app on closed networks, so a page loads Leaflet, its plugins and the
chart library from the app itself (:class:`Assets`, filled by ``tools/vendor.py``), never from a
CDN; a tile basemap is an option. Folium's defaults pull jQuery, Bootstrap, Font Awesome and
more from CDNs, so each element's ``default_js``/``default_css`` is replaced by local URLs and
no Folium feature needing the others is used (Folium's popups need jQuery, branca's legends
d3): popups, tooltips, legends and the grid are a little plain JavaScript on Leaflet instead
(:class:`Script`, :class:`JsLayer`, and ``map_script.js`` beside this module).

The browser gets EPSG:4326 coordinates rounded to 6 decimals (about 0.1 m). Text from the data
(a phenomenon label, a perimeter name) put into an element goes through :func:`safe_json` or
:func:`unbrace`: branca renders each element's script, then compiles that output once more as a
Jinja template (``MacroElement.render`` → ``Element(script)``), so a "{{", "{%" or "{#" coming
from the data would otherwise be *evaluated on the server*.
"""

from __future__ import annotations

import dataclasses
import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from mmm.crs import WEB_CRS, WORKING_CRS
from mmm.present.maps.backdrop import Backdrop, folium_code
from mmm.present.maps.streets import MAX_ZOOM
from mmm.present.style import Translate

DECIMALS = 6  # degrees: about 0.1 m, plenty for a screen and light to send


@dataclass(frozen=True)
class Assets:
    """URLs of the front-end files the app serves itself (see ``tools/vendor.py``)."""

    leaflet_js: str
    leaflet_css: str
    markercluster_js: str
    markercluster_css: str
    markercluster_default_css: str
    vega_js: str
    vega_lite_js: str
    vega_embed_js: str

    @classmethod
    def under(cls, base_url: str) -> Assets:
        """The vendored layout under ``base_url`` (e.g. ``/static/vendor``)."""
        b = base_url.rstrip("/")
        mc = f"{b}/leaflet.markercluster"
        return cls(
            leaflet_js=f"{b}/leaflet/leaflet.js",
            leaflet_css=f"{b}/leaflet/leaflet.css",
            markercluster_js=f"{mc}/leaflet.markercluster.js",
            markercluster_css=f"{mc}/MarkerCluster.css",
            markercluster_default_css=f"{mc}/MarkerCluster.Default.css",
            vega_js=f"{b}/vega/vega.min.js",
            vega_lite_js=f"{b}/vega-lite/vega-lite.min.js",
            vega_embed_js=f"{b}/vega-embed/vega-embed.min.js",
        )

    @property
    def urls(self) -> tuple[str, ...]:
        """Every URL, in field order."""
        return dataclasses.astuple(self)

    @property
    def chart_js(self) -> tuple[str, str, str]:
        """Scripts a chart page loads, in this order, before calling ``vegaEmbed``."""
        return (self.vega_js, self.vega_lite_js, self.vega_embed_js)


# -- safe text for folium ----------------------------------------------------------------------
def safe_json(value: Any) -> str:
    """Compact JSON that is safe inside a ``<script>`` element and inside a Jinja template.

    No ``</script>`` or ``<!--``; and no ``{{``, ``{%`` or ``{#``: branca renders each element's
    script as a Jinja template, so a perimeter named ``{{ … }}`` would otherwise be evaluated
    on the server. ``\\u007b`` and friends are the same characters to JavaScript.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


def unbrace(text: str) -> str:
    """A name that cannot open a Jinja tag: an invisible zero-width space after each "{"."""
    return text.replace("{", "{\u200b")


# -- coordinates -------------------------------------------------------------------------------
@cache
def _to_web() -> Transformer:
    return Transformer.from_crs(WORKING_CRS, WEB_CRS, always_xy=True)


def lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:31370 coordinates to EPSG:4326 longitudes and latitudes, rounded."""
    lon, lat = _to_web().transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.round(lon, DECIMALS), np.round(lat, DECIMALS)


def web_geoms(geoms: Any, *, simplify_m: float = 0.0) -> np.ndarray:
    """EPSG:31370 geometries to EPSG:4326 (lon, lat), rounded; optionally simplified first."""
    geoms = np.asarray(geoms, dtype=object)
    if simplify_m:
        geoms = shapely.simplify(geoms, simplify_m, preserve_topology=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(lonlat(xy[:, 0], xy[:, 1])))


def geojson(geom: BaseGeometry) -> Any:
    """A geometry in EPSG:31370 as a GeoJSON mapping in EPSG:4326, rounded."""
    return json.loads(shapely.to_geojson(web_geoms([geom])[0]))


def leaflet_bounds(geom: BaseGeometry) -> list[list[float]]:
    """Leaflet bounds ``[[south, west], [north, east]]`` of a geometry in EPSG:31370."""
    west, south, east, north = shapely.bounds(web_geoms([geom])[0]).tolist()
    return [[south, west], [north, east]]


# -- elements ----------------------------------------------------------------------------------
class _Text(Element):
    """Text placed in the figure as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class Script(MacroElement):
    """A snippet of JavaScript placed in the map's script, in the order elements are added.

    It places its code itself: branca would wrap it in an ``Element`` whose text it compiles as
    a Jinja template — a third of a second for the megabytes of a zone map's data."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Script"
        self.code = code

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        assert isinstance(figure, Figure)  # a map's root is always a branca Figure
        figure.script.add_child(_Text(self.code), name=self.get_name())
        return ""  # as a MacroElement: its parts went to the figure


class JsLayer(Layer):
    """A layer our script builds (``expression``), declared so folium's LayerControl lists it."""

    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.expression }};"
        "{% endmacro %}"
    )

    def __init__(self, expression: str, name: str, *, overlay: bool, show: bool) -> None:
        super().__init__(name=unbrace(html.escape(name)), overlay=overlay, control=True, show=show)
        self._name = "MmmLayer"
        self.expression = expression


#: The maps' own script (``map_script.js`` beside this module): zone outline, scale, legend;
#: then the perimeter's outline or the choropleth layers, the grid and the legend.
_MAP_JS = (Path(__file__).with_name("map_script.js")).read_text(encoding="utf-8")


def base_map(
    geom: BaseGeometry,
    assets: Assets,
    backdrop: Backdrop,
    _: Translate,
    *,
    font_px: int,
    prefer_canvas: bool = False,
) -> folium.Map:
    """An empty map fitted to ``geom``: local Leaflet only, our CSS, the backdrop (basemap,
    streets, street search; :mod:`mmm.present.maps.backdrop`), listed in a layer control."""
    (south, west), (north, east) = leaflet_bounds(geom)
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        tiles=None,
        zoom_start=14,
        prefer_canvas=prefer_canvas,
        attribution_control=backdrop.has_basemap,
    )
    fmap.options["maxZoom"] = MAX_ZOOM  # without it Leaflet.markercluster draws nothing
    fmap.default_js = [("leaflet", assets.leaflet_js)]  # no jQuery, Bootstrap, awesome-markers
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_css(fmap.get_name(), font_px)), name="mmm_css")
    css, js = folium_code()
    root.header.add_child(Element(css), name="mmm_backdrop")
    name = f"mmm_backdrop_{fmap.get_name()}"
    data = safe_json(backdrop.script_data(_))
    fmap.add_child(Script(f"{js}\nvar {name} = MmmBackdrop.add({fmap.get_name()}, {data});"))
    if backdrop.has_basemap:
        fmap.add_child(JsLayer(f"{name}.basemap", _("Basemap"), overlay=True, show=True))
    if backdrop.streets or backdrop.street_tiles:
        fmap.add_child(JsLayer(f"{name}.streets", _("Streets"), overlay=True, show=True))
    return fmap


def add_script(
    fmap: folium.Map, data: dict[str, Any], zone: BaseGeometry, fit: Any, *, top_px: int = 10
) -> str:
    """Add :data:`_MAP_JS` with ``data``, fitted to ``fit`` with ``top_px`` free above it (a
    label); returns the JS name of its result."""
    ns = f"mmm_{fmap.get_name()}"
    data = {"zone": geojson(zone), **data}
    code = _MAP_JS.replace("__NS__", ns).replace("__MAP__", fmap.get_name())
    fmap.add_child(Script(code.replace("__DATA__", safe_json(data))))
    fit_bounds = folium.FitBounds(
        leaflet_bounds(fit), padding_top_left=(10, top_px), padding_bottom_right=(10, 10)
    )
    fit_bounds.options["animate"] = False  # no zoom animation from the initial view on load
    fmap.add_child(fit_bounds)
    return ns


def _css(map_id: str, px: int) -> str:
    m = f"#{map_id}"
    return f"""<style>
{m} {{ background: #e9ecef; }}
{m} .mmm-legend {{ background: rgba(255,255,255,.94); padding: .4em .6em; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font: {px}px/1.35 system-ui, sans-serif; color: #1d2733; }}
{m} .mmm-legend h4 {{ margin: .3em 0 .2em; font-size: 1em; }}
{m} .mmm-legend i {{ display: inline-block; width: 1.3em; height: .95em; margin-right: .45em;
  border: 1px solid #666; vertical-align: -.1em; }}
{m} .mmm-legend i.dot {{ border-radius: 50%; width: .95em; }}
{m} .mmm-legend i.line {{ height: .3em; border: 0; vertical-align: .2em; }}
{m} .mmm-legend small {{ display: block; max-width: 17em; color: #4a5563; }}
{m} .leaflet-tooltip.mmm-plabel {{ font-size: {px}px; }}
{m} .mmm-label, {m} .leaflet-control-layers, {m} .leaflet-popup-content {{ font-size: {px}px; }}
{m} .leaflet-tooltip.mmm-label {{ font-weight: 600; }}
{m} .mmm-popup table {{ border-collapse: collapse; margin: .3em 0; }}
{m} .mmm-popup th, {m} .mmm-popup td {{ padding: .1em .5em; border-bottom: 1px solid #ddd; }}
{m} .mmm-popup .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
{m} .mmm-popup .up {{ color: #b2182b; }} {m} .mmm-popup .down {{ color: #1a7837; }}
{m} .mmm-popup tr.all td {{ font-weight: 600; }}
{m} path.leaflet-interactive:focus {{ outline: none; }}
{m} path.leaflet-interactive:focus-visible {{ stroke: #0b57d0; stroke-width: 5px; }}
</style>"""
