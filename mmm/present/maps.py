"""Folium maps of the zone and of one perimeter, and the perimeter's chart, with local assets.

Why: police zones run the app on closed networks, so a page loads Leaflet, its plugins and the
chart library from the app itself (:class:`Assets`, filled by ``tools/vendor.py``), never from a
CDN; a tile basemap is an option. Folium's defaults pull jQuery, Bootstrap, Font Awesome and
more from CDNs, so each element's ``default_js``/``default_css`` is replaced by local URLs and
no Folium feature needing the others is used (Folium's popups need jQuery, branca's legends
d3): popups, tooltips, legends and the grid are a little plain JavaScript on Leaflet instead.

Maps weigh what the screen shows, not what the database holds: the zone map carries the
perimeters (geometry sent once, shared by every phenomenon's layer), their counts and the grid
cells; incidents appear only on a perimeter's map. The browser gets EPSG:4326 coordinates
rounded to 6 decimals (about 0.1 m). Interface text goes through ``translate`` (English source
strings; the app passes Flask-Babel's ``gettext``); names and labels from the data are escaped.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from branca.utilities import color_brewer
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from mmm.access.disclosure import label as suppressed_label
from mmm.access.disclosure import suppress_matrix
from mmm.crs import WEB_CRS, WORKING_CRS

Translate = Callable[[str], str]
DECIMALS = 6  # degrees: about 0.1 m, plenty for a screen and light to send
MAX_ZOOM = 19  # without it (no tile layer) Leaflet.markercluster draws nothing
CLASSES = color_brewer("YlOrRd", 6)[1:]  # 5 count classes; the palest is too close to white
#: Colours per phenomenon (Tableau 10), by position in the ``phenomena`` mapping.
CATEGORICAL = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


def _same(text: str) -> str:
    return text


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


# -- building blocks ---------------------------------------------------------------------------
def _json(value: Any) -> str:
    """Compact JSON that is safe inside a ``<script>`` element and inside a Jinja template.

    No ``</script>`` or ``<!--``; and no ``{{``, ``{%`` or ``{#``: branca renders each element's
    script as a Jinja template, so a perimeter named ``{{ … }}`` would otherwise be evaluated
    on the server. ``\\u007b`` and friends are the same characters to JavaScript.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


def _unbrace(text: str) -> str:
    """A name that cannot open a Jinja tag: an invisible zero-width space after each "{"."""
    return text.replace("{", "{\u200b")


@cache
def _to_web() -> Transformer:
    return Transformer.from_crs(WORKING_CRS, WEB_CRS, always_xy=True)


def _lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _to_web().transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.round(lon, DECIMALS), np.round(lat, DECIMALS)


def _web(geoms: Any, *, simplify_m: float = 0.0) -> np.ndarray:
    """EPSG:31370 geometries to EPSG:4326 (lon, lat), rounded; optionally simplified first."""
    geoms = np.asarray(geoms, dtype=object)
    if simplify_m:
        geoms = shapely.simplify(geoms, simplify_m, preserve_topology=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(_lonlat(xy[:, 0], xy[:, 1])))


def _geojson(geom: BaseGeometry) -> Any:
    return json.loads(shapely.to_geojson(_web([geom])[0]))


def _bounds(geom: BaseGeometry) -> list[list[float]]:
    """Leaflet bounds ``[[south, west], [north, east]]`` of a geometry in EPSG:31370."""
    west, south, east, north = shapely.bounds(_web([geom])[0]).tolist()
    return [[south, west], [north, east]]


class _Script(MacroElement):
    """A snippet of JavaScript placed in the map's script, in the order elements are added."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Script"
        self.code = code


class _JsLayer(Layer):
    """A layer our script builds (``expression``), declared so folium's LayerControl lists it."""

    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.expression }};"
        "{% endmacro %}"
    )

    def __init__(self, expression: str, name: str, *, overlay: bool, show: bool) -> None:
        super().__init__(name=_unbrace(html.escape(name)), overlay=overlay, control=True, show=show)
        self._name = "MmmLayer"
        self.expression = expression


class _Cluster(MarkerCluster):
    """Clustered incident points from columnar data: one small JS loop, no Python markers."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (P) {
  var cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false});
  function text(m) {
    var t = P.t[m.mmmI];
    return '<b>' + P.labels[P.k[m.mmmI]] + '</b><br>' + (t === null ? P.undated
      : new Date(t * 60000).toISOString().slice(0, 16).replace('T', ' '));
  }
  var markers = new Array(P.k.length);
  for (var i = 0; i < P.k.length; i++) {
    markers[i] = L.circleMarker([P.lat[i], P.lon[i]], {radius: 7, weight: 1.5, color: '#fff',
      fillColor: P.colours[P.k[i]], fillOpacity: 0.9}).bindPopup(text);
    markers[i].mmmI = i;
  }
  cluster.addLayers(markers);
  return cluster;
})({{ this.data }});
{% endmacro %}"""
    )

    def __init__(self, data: str, name: str, assets: Assets) -> None:
        super().__init__(name=html.escape(name), overlay=True, control=True, show=True)
        self._name = "MmmCluster"
        self.data = data
        self.default_js = [("markerclusterjs", assets.markercluster_js)]
        self.default_css = [
            ("markerclustercss", assets.markercluster_css),
            ("markerclusterdefaultcss", assets.markercluster_default_css),
        ]


#: The maps' own script (``map_script.js`` beside this module): zone outline, scale, legend;
#: then the perimeter's outline or the choropleth layers, the grid and the legend.
_MAP_JS = (Path(__file__).with_name("map_script.js")).read_text(encoding="utf-8")


def _base_map(
    geom: BaseGeometry,
    assets: Assets,
    tiles: tuple[str | None, str | None],
    _: Translate,
    *,
    font_px: int,
    prefer_canvas: bool = False,
) -> folium.Map:
    """An empty map fitted to ``geom``: local Leaflet only, our CSS, the optional basemap."""
    (south, west), (north, east) = _bounds(geom)
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        tiles=None,
        zoom_start=14,
        prefer_canvas=prefer_canvas,
        attribution_control=bool(tiles[0]),
    )
    fmap.options["maxZoom"] = MAX_ZOOM
    fmap.default_js = [("leaflet", assets.leaflet_js)]  # no jQuery, Bootstrap, awesome-markers
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    if tiles[0]:
        folium.TileLayer(
            tiles=tiles[0],
            attr=tiles[1] or "&nbsp;",
            name=html.escape(_("Basemap")),
            overlay=True,
            max_zoom=MAX_ZOOM,
        ).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_css(fmap.get_name(), font_px)), name="mmm_css")
    return fmap


def _add_script(fmap: folium.Map, data: dict[str, Any], zone: BaseGeometry, fit: Any) -> str:
    """Add :data:`_MAP_JS` with ``data``; returns the JS name of its result."""
    ns = f"mmm_{fmap.get_name()}"
    data = {"zone": _geojson(zone), **data}
    code = _MAP_JS.replace("__NS__", ns).replace("__MAP__", fmap.get_name())
    fmap.add_child(_Script(code.replace("__DATA__", _json(data))))
    fit_bounds = folium.FitBounds(_bounds(fit), padding=(10, 10))
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
{m} .mmm-label, {m} .leaflet-control-layers, {m} .leaflet-popup-content {{ font-size: {px}px; }}
{m} .leaflet-tooltip.mmm-label {{ font-weight: 600; }}
{m} .mmm-popup table {{ border-collapse: collapse; margin: .3em 0; }}
{m} .mmm-popup th, {m} .mmm-popup td {{ padding: .1em .5em; border-bottom: 1px solid #ddd; }}
{m} .mmm-popup .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
{m} .mmm-popup .up {{ color: #b2182b; }} {m} .mmm-popup .down {{ color: #1a7837; }}
{m} .mmm-popup tr.all td {{ font-weight: 600; }}
</style>"""


# -- classes, legends, popups ------------------------------------------------------------------
def _breaks(values: np.ndarray, k: int = len(CLASSES)) -> tuple[list[int], list[str]]:
    """Upper bounds of up to ``k`` count classes, and their colours.

    Counts are skewed (a few hot places, many quiet ones), so the bounds grow geometrically
    from 1 to the maximum: ``ceil(max ** (i / k))``. A scale of ratios reads the same whatever
    the volume, and the top class holds the hottest places only. Zero has no class (white).
    With ``k`` distinct values or fewer, each is a class of its own.
    """
    positive = np.asarray(values)[np.asarray(values) > 0]
    if not len(positive):
        return [], []
    top = int(positive.max())
    uniq = np.unique(positive)
    if len(uniq) > k:
        uniq = np.unique(np.ceil(top ** (np.arange(1, k + 1) / k) - 1e-9).clip(1, top))
    picks = np.round(np.linspace(0, len(CLASSES) - 1, len(uniq))) if len(uniq) > 1 else [2]
    return [int(b) for b in uniq], [CLASSES[int(i)] for i in picks]


def _legend(title: str, breaks: list[int], colours: list[str], *, below: str | None = None) -> str:
    """Classes of a choropleth; ``below`` ("<5") replaces the 0 class where counts are hidden."""
    rows, low = [("#b8bec6", below) if below else ("#ffffff", "0")], 1
    for upper, colour in zip(breaks, colours, strict=True):
        rows.append((colour, f"{low}" if low == upper else f"{low}–{upper}"))
        low = upper + 1
    items = "".join(f'<div><i style="background:{c}"></i>{t}</div>' for c, t in rows)
    return f"<h4>{html.escape(title)}</h4>{items}"


def _below(thresholds: Mapping[str, int] | None, codes: list[str], k: int) -> str | None:
    """The "<N" class of layer ``k`` (0: all phenomena, never suppressed as a whole)."""
    if thresholds is None or k == 0:
        return None
    return suppressed_label(thresholds.get(codes[k - 1], 0))


def _matrix(table: pd.DataFrame, names: list[str], codes: list[str]) -> np.ndarray:
    """Counts as a perimeters × (all, *codes) integer matrix; "all" sums only ``codes``."""
    if table.empty:
        counts = np.zeros((len(names), len(codes)), dtype=np.int64)
    else:
        wide = table.pivot_table(
            index="perimeter", columns="phenomenon", values="count", aggfunc="sum"
        )
        counts = wide.reindex(index=names, columns=codes).fillna(0).to_numpy(dtype=np.int64)
    return np.column_stack([counts.sum(axis=1), counts]).astype(np.int64)


def _change(now: int, before: int, _: Translate) -> tuple[str, str]:
    """Text and CSS class of the change against the previous period (``-1``: suppressed)."""
    if now < 0 or before < 0:
        return "–", ""
    if before == 0:
        return (_("new"), "up") if now else ("–", "")
    diff = now - before
    if diff == 0:
        return "0 (0 %)", ""
    return f"{diff:+d} ({100 * diff / before:+.0f} %)", "up" if diff > 0 else "down"


def _popup(
    name: str,
    labels: list[str],
    now: np.ndarray,
    before: np.ndarray,
    shown: np.ndarray,
    url: str | None,
    _: Translate,
) -> str:
    """A perimeter's counts per phenomenon (first row: all) and their change; a link.

    ``shown`` is the text of each count (a number, or "<5" where suppressed).
    """
    rows = []
    for i, label in enumerate(labels):
        text, css = _change(int(now[i]), int(before[i]), _)
        rows.append(
            f'<tr class="{"all" if i == 0 else ""}"><td>{html.escape(label)}</td>'
            f'<td class="num">{html.escape(str(shown[i]))}</td>'
            f'<td class="num {css}">{html.escape(text)}</td></tr>'
        )
    head = "".join(
        f'<th class="{css}">{html.escape(t)}</th>'
        for t, css in [(_("Phenomenon"), ""), (_("Count"), "num"), (_("Change"), "num")]
    )
    note = html.escape(_("Change: compared with the same number of months just before."))
    link_text = html.escape(_("Open the perimeter page"))
    link = f'<a href="{html.escape(url)}">{link_text}</a>' if url else ""
    return (
        f'<div class="mmm-popup"><strong>{html.escape(name)}</strong><table><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table><small>{note}</small><br>{link}</div>"
    )


def _grid_payload(grid: gpd.GeoDataFrame, codes: list[str]) -> tuple[np.ndarray, list[Any]]:
    """Counts per cell × (all, *codes), and cells as flat ``[lat, lon, lat, lon, …]`` rings."""
    counts = grid.reindex(columns=codes, fill_value=0).to_numpy(dtype=np.int64)
    counts = np.column_stack([counts.sum(axis=1), counts]).astype(np.int64)
    if grid.empty:
        return counts, []
    rings = _web(shapely.get_exterior_ring(np.asarray(grid.geometry.values, dtype=object)))
    sizes = shapely.get_num_coordinates(rings) - 1
    keep = np.ones(int(sizes.sum() + len(sizes)), dtype=bool)
    keep[np.cumsum(sizes + 1) - 1] = False  # drop each ring's closing point
    latlon = shapely.get_coordinates(rings)[keep][:, ::-1].ravel()
    return counts, [c.tolist() for c in np.split(latlon, 2 * np.cumsum(sizes)[:-1])]


def zone_map(
    *,
    zone: BaseGeometry,
    perimeters: gpd.GeoDataFrame,
    current: pd.DataFrame,
    previous: pd.DataFrame,
    grid: gpd.GeoDataFrame,
    phenomena: dict[str, str],
    selected: str | None,
    assets: Assets,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    presentation: bool = False,
    translate: Translate = _same,
    perimeter_url: Callable[[int], str] | None = None,
    thresholds: Mapping[str, int] | None = None,
) -> folium.Map:
    """The zone map: perimeters as choropleths per phenomenon, the grid, popups and a legend.

    One layer per phenomenon plus "All phenomena", as radio buttons in the layer control: the
    choropleths cover each other exactly, so one shows at a time (``selected`` first) and the
    legend follows it. The grid overlay (semi-transparent, under the perimeters) follows the
    same phenomenon, so patterns outside the perimeters stay visible. A perimeter's popup lists
    its counts per phenomenon and the change against the previous period (absolute and %,
    "new" when the previous count was 0) and links to its page. The page grows with the
    perimeters and grid cells, never with the incidents.

    Parameters
    ----------
    zone
        Zone outline (EPSG:31370); the map fits its bounds.
    perimeters
        ``name`` and polygons (EPSG:31370); with an ``id`` column, popups link to
        ``perimeter_url(id)``.
    current, previous
        Counts from ``count_incidents(..., period="all")`` for the chosen months and for as
        many months just before (columns ``perimeter``, ``phenomenon``, ``count``…).
    grid
        :func:`mmm.counting.grid.grid_counts` of the chosen months (a column per code); may be empty.
    phenomena
        Code → display label, in display order. "All phenomena" sums only these codes.
    selected
        The phenomenon shown first, or ``None`` for all of them.
    assets
        Local URLs of Leaflet (:meth:`Assets.under`).
    tiles_url, tiles_attribution
        An optional basemap (e.g. an internal WMTS) and its attribution; none by default.
    presentation
        For a shared screen: large fonts, permanent name labels, thicker outlines.
    translate
        Translates the English interface strings (e.g. Flask-Babel's ``gettext``).
    perimeter_url
        Perimeter id → URL of its page, linked from the popups.

    Raises
    ------
    ValueError
        When ``selected`` is not a key of ``phenomena``.
    """
    _ = translate
    if selected is not None and selected not in phenomena:
        raise ValueError(f"unknown phenomenon {selected!r}")
    codes, labels = list(phenomena), [_("All phenomena"), *phenomena.values()]
    if perimeters.crs is not None and not WORKING_CRS.equals(perimeters.crs):
        perimeters = perimeters.to_crs(WORKING_CRS)
    names = [str(n) for n in perimeters["name"]]
    now, before = _matrix(current, names, codes), _matrix(previous, names, codes)
    text = now.astype(str)
    if thresholds is not None:  # partners: small counts never reach the browser
        now, text = suppress_matrix(now, codes, thresholds)
        before, _unused = suppress_matrix(before, codes, thresholds)
    urls: list[str | None] = [None] * len(names)
    if perimeter_url is not None and "id" in perimeters:
        urls = [perimeter_url(int(pid)) for pid in perimeters["id"]]
    shapes = shapely.to_geojson(_web(perimeters.geometry.values, simplify_m=0.5))
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(shapes[i]),
            "properties": {
                "name": html.escape(name),
                "n": now[i].tolist(),
                "t": text[i].tolist(),
                "popup": _popup(name, labels, now[i], before[i], text[i], urls[i], _),
            },
        }
        for i, name in enumerate(names)
    ]
    cell_counts, rings = _grid_payload(grid, codes)
    layers = []
    for k, label in enumerate(labels):
        (br, col), (gbr, gcol) = _breaks(now[:, k]), _breaks(cell_counts[:, k])
        title = _("%(phenomenon)s: incidents per perimeter") % {"phenomenon": label}
        gtitle = _("%(phenomenon)s: incidents per grid cell") % {"phenomenon": label}
        layers.append(
            {"name": html.escape(label), "br": br, "col": col, "gbr": gbr, "gcol": gcol,
             "legend": _legend(title, br, col, below=_below(thresholds, codes, k)),
             "glegend": _legend(gtitle, gbr, gcol)}
        )  # fmt: skip
    shown = 0 if selected is None else 1 + codes.index(selected)
    style = {
        "weight": 4 if presentation else 2,
        "zoneWeight": 4 if presentation else 2,
        "zoneFill": 0.35 if tiles_url else 0.9,
        "permanent": presentation,
        "suppressed": "#b8bec6",
    }
    tiles = (tiles_url, tiles_attribution)
    fmap = _base_map(zone, assets, tiles, _, font_px=20 if presentation else 13)
    data: dict[str, Any] = {
        "perimeters": {"type": "FeatureCollection", "features": features},
        "grid": {"n": cell_counts.tolist(), "c": rings},
    }
    data |= {"layers": layers, "selected": shown, "style": style}
    ns = _add_script(fmap, data, zone, zone)
    for k, label in enumerate(labels):
        fmap.add_child(_JsLayer(f"{ns}.layers[{k}]", label, overlay=False, show=k == shown))
    cell_m = _cell_size(grid)
    grid_name = _("Grid cells (%(size)s m)") % {"size": cell_m} if cell_m else _("Grid cells")
    fmap.add_child(_JsLayer(f"{ns}.grid", grid_name, overlay=True, show=True))
    fmap.add_child(folium.LayerControl(collapsed=presentation))
    return fmap


def _cell_size(grid: gpd.GeoDataFrame) -> str | None:
    if grid.empty:
        return None
    minx, _, maxx, _ = grid.geometry.values[0].bounds
    return np.format_float_positional(round(maxx - minx, 3), trim="-")


def perimeter_map(
    *,
    perimeter: pd.Series | tuple[str, BaseGeometry],
    zone: BaseGeometry,
    incidents: pd.DataFrame | None,
    phenomena: dict[str, str],
    assets: Assets,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    translate: Translate = _same,
) -> folium.Map:
    """One perimeter, zoomed in; its incidents as clustered points when the caller allows it.

    Points travel as columns (latitude, longitude, phenomenon index, minute) that a few lines
    of JavaScript turn into circle markers in a Leaflet.markercluster group: about 30 bytes per
    incident and no Python object per point. Colours per phenomenon follow the position in
    ``phenomena`` (:data:`CATEGORICAL`), as in :func:`timeseries_spec`.

    Parameters
    ----------
    perimeter
        ``(name, geometry)`` or a perimeters row (``name``, ``geometry``), EPSG:31370.
    zone
        Zone outline (EPSG:31370), drawn for context.
    incidents
        ``x``, ``y`` (EPSG:31370), ``phenomenon``, ``occurred`` of the incidents to show (the
        caller filters perimeter and period), or ``None`` for roles that may not see incidents:
        then the page holds no incident data at all.
    phenomena
        Code → display label; codes not listed are shown by their code.
    assets, tiles_url, tiles_attribution, translate
        As for :func:`zone_map`.
    """
    _ = translate
    if isinstance(perimeter, tuple):
        name, geometry = str(perimeter[0]), perimeter[1]
    else:
        name, geometry = str(perimeter["name"]), perimeter.geometry
    tiles = (tiles_url, tiles_attribution)
    fmap = _base_map(geometry, assets, tiles, _, font_px=13, prefer_canvas=True)
    data: dict[str, Any] = {"perimeter": _geojson(geometry), "name": html.escape(name)}
    data["style"] = {"zoneWeight": 2, "zoneFill": 0.35 if tiles_url else 0.9}
    if incidents is not None:
        codes = list(phenomena)
        extra = sorted(set(incidents["phenomenon"].astype(str)) - set(codes))
        labels = [*phenomena.values(), *extra]
        colours = [CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(labels))]
        kinds = pd.Categorical(incidents["phenomenon"].astype(str), categories=codes + extra)
        k = np.asarray(kinds.codes, dtype=np.int64)
        lon, lat = _lonlat(incidents["x"].to_numpy(), incidents["y"].to_numpy())
        occurred = pd.to_datetime(incidents["occurred"])
        minutes = occurred.to_numpy("datetime64[m]").astype(np.int64).astype(object)
        minutes[occurred.isna().to_numpy()] = None  # undated: null in JSON
        points = {
            "lat": lat.tolist(),
            "lon": lon.tolist(),
            "k": k.tolist(),
            "t": minutes.tolist(),
            "labels": [html.escape(label) for label in labels],
            "colours": colours,
            "undated": html.escape(_("undated")),
        }
        fmap.add_child(_Cluster(_json(points), _("Incidents"), assets))
        counts = np.bincount(k, minlength=len(labels))
        rows = "".join(
            f'<div><i class="dot" style="background:{colours[i]}"></i>'
            f"{html.escape(labels[i])} ({counts[i]})</div>"
            for i in np.flatnonzero(counts)
        )
        title = _("Incidents") if rows else _("No incidents in this period")
        data["legend"] = f"<h4>{html.escape(title)}</h4>{rows}"
        fmap.add_child(folium.LayerControl(collapsed=True))
    _add_script(fmap, data, zone, geometry)
    return fmap
