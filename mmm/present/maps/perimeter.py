"""The perimeter map: one perimeter, zoomed in, with its incidents where the role allows it.

Why: the perimeter page is where single incidents may be seen, and only there. Points travel as
columns that a few lines of JavaScript turn into clustered circle markers (:class:`_Cluster`),
so a perimeter with thousands of incidents stays a light page; for roles that may not see
incidents, the page holds no incident data at all. The page itself is built as in
:mod:`mmm.present.maps.leaflet`.
"""

from __future__ import annotations

import html
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.plugins import MarkerCluster
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from mmm.present.maps.backdrop import NO_BACKDROP, Backdrop
from mmm.present.maps.leaflet import (
    Assets,
    add_script,
    base_map,
    geojson,
    lonlat,
    safe_json,
)
from mmm.present.maps.numbers import numbers_for
from mmm.present.style import CATEGORICAL, Translate, untranslated


class _Cluster(MarkerCluster):
    """Clustered incident points from columnar data: one small JS loop, no Python markers."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (P) {
  var cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false});
  var when = new Intl.DateTimeFormat(P.locale, {dateStyle: 'short', timeStyle: 'short',
    timeZone: 'UTC'});  // the minutes are the recorded local time, kept as they are
  function text(m) {
    var t = P.t[m.mmmI];
    return '<b>' + P.labels[P.k[m.mmmI]] + '</b><br>' + (t === null ? P.undated
      : when.format(new Date(t * 60000)));
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


def perimeter_map(
    *,
    perimeter: pd.Series | tuple[str, BaseGeometry],
    zone: BaseGeometry,
    incidents: pd.DataFrame | None,
    phenomena: dict[str, str],
    assets: Assets,
    backdrop: Backdrop = NO_BACKDROP,
    translate: Translate = untranslated,
) -> folium.Map:
    """One perimeter, zoomed in; its incidents as clustered points when the caller allows it.

    Points travel as columns (latitude, longitude, phenomenon index, minute) that a few lines
    of JavaScript turn into circle markers in a Leaflet.markercluster group: about 30 bytes per
    incident and no Python object per point. Colours per phenomenon follow the position in
    ``phenomena`` (:data:`~mmm.present.style.CATEGORICAL`), as in
    :func:`mmm.present.charts.timeseries_spec`.

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
    assets, backdrop, translate
        As for :func:`~mmm.present.maps.zone.zone_map`. The perimeter's name stays written
        above it.
    """
    _ = translate
    fmt = numbers_for(_)
    if isinstance(perimeter, tuple):
        name, geometry = str(perimeter[0]), perimeter[1]
    else:
        name, geometry = str(perimeter["name"]), perimeter.geometry
    fmap = base_map(geometry, assets, backdrop, _, font_px=13, prefer_canvas=True)
    data: dict[str, Any] = {"perimeter": geojson(geometry), "name": html.escape(name)}
    data["style"] = {"zoneWeight": 2, "zoneFill": 0.35 if backdrop.has_basemap else 0.9}
    if incidents is not None:
        codes = list(phenomena)
        extra = sorted(set(incidents["phenomenon"].astype(str)) - set(codes))
        labels = [*phenomena.values(), *extra]
        colours = [CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(labels))]
        kinds = pd.Categorical(incidents["phenomenon"].astype(str), categories=codes + extra)
        k = np.asarray(kinds.codes, dtype=np.int64)
        lon, lat = lonlat(incidents["x"].to_numpy(), incidents["y"].to_numpy())
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
            "locale": fmt.locale,
        }
        fmap.add_child(_Cluster(safe_json(points), _("Incidents"), assets))
        counts = np.bincount(k, minlength=len(labels))
        rows = "".join(
            f'<div><i class="dot" style="background:{colours[i]}"></i>'
            f"{html.escape(labels[i])} ({fmt.integer(int(counts[i]))})</div>"
            for i in np.flatnonzero(counts)
        )
        title = _("Incidents") if rows else _("No incidents in this period")
        data["legend"] = f'<div class="mmm-scale"><h4>{html.escape(title)}</h4>{rows}</div>'
    if incidents is not None or backdrop.has_basemap or backdrop.streets or backdrop.street_tiles:
        fmap.add_child(folium.LayerControl(collapsed=True))
    add_script(fmap, data, zone, geometry, top_px=36)  # room for the name above it
    return fmap
