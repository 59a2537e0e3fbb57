"""Folium map of a multi-phenomenon hotspot run: hot cells, Gi* per phenomenon, KDE, candidates.

Why: a project group has to *see* where several problems come together before it draws a
micro-local perimeter. The map shows one thematic layer at a time (radio buttons in the layer
control, so colours never mix and the legend follows the choice):

- **Multi-phenomenon hotspots** (shown first): every cell hot for at least one phenomenon,
  coloured by how many phenomena are significantly hot there; multi-phenomenon hotspots
  (``min_hot`` or more) get a dark outline. The popup explains in words why the cell is hot:
  which phenomena, their Gi* z-scores, counts and trends.
- **Gi\\*: <phenomenon>**: the hot and cold spot classes ±1…3 (90/95/99 %, FDR-corrected when
  on) on a diverging scale.
- **Density: <phenomenon>**: the KDE raster as an image overlay.

Two overlays help to decide: the candidate perimeters (outlined, with their phenomena and
counts) and the existing perimeters (thin, for orientation); the zone outline is always drawn.

This module assembles the page; what it sends is built in
:mod:`mmm.present.maps.hotspot_payload` (only the significant cells, once each), the legends in
:mod:`mmm.present.maps.legend`, the KDE images in :mod:`mmm.present.maps.raster`, and a few
lines of JavaScript (``hotspot_script.js``) draw the layers and the popups. Everything else
follows :mod:`mmm.present.maps.leaflet`: local Leaflet only (:class:`Assets`), an optional
basemap, escaped names.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element, Figure
from shapely.geometry.base import BaseGeometry

from mmm.hotspots.results import HotspotResult
from mmm.present.maps.backdrop import NO_BACKDROP, Backdrop
from mmm.present.maps.hotspot_payload import (
    candidate_features,
    cell_columns,
    perimeter_features,
    popup_strings,
)
from mmm.present.maps.hotspot_text import phenomenon_label
from mmm.present.maps.leaflet import (
    Assets,
    JsLayer,
    Script,
    base_map,
    geojson,
    leaflet_bounds,
    safe_json,
    unbrace,
)
from mmm.present.maps.legend import (
    GI_COLOURS,
    MULTI_COLOURS,
    fixed_legend,
    gi_legend,
    kde_legend,
    multi_legend,
)
from mmm.present.maps.numbers import numbers_for
from mmm.present.maps.raster import kde_png, raster_bounds
from mmm.present.style import Translate, untranslated

#: The hotspot map's script (``hotspot_script.js`` beside this module) and its extra CSS.
_SCRIPT = Path(__file__).with_name("hotspot_script.js").read_text(encoding="utf-8")
_CSS = """<style>
#__MAP__ .mmm-legend small { display: block; max-width: 17em; color: #4a5563; margin-top: .2em; }
#__MAP__ .mmm-legend .mmm-fixed { border-top: 1px solid #ddd; margin-top: .35em; padding-top: .2em; }
#__MAP__ .mmm-ramp { width: 12em; height: .9em; border: 1px solid #999; margin: .2em 0; }
#__MAP__ .mmm-popup hr { border: 0; border-top: 1px solid #ddd; margin: .4em 0; }
#__MAP__ .mmm-popup .mmm-multi { color: #800026; font-weight: 600; }
#__MAP__ .leaflet-tooltip.mmm-plabel { background: transparent; border: 0; box-shadow: none;
  color: #0b2f57; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
#__MAP__ .leaflet-tooltip.mmm-plabel::before { display: none; }
</style>"""


def hotspot_map(
    *,
    result: HotspotResult,
    zone: BaseGeometry,
    perimeters: gpd.GeoDataFrame,
    phenomena: dict[str, str],
    assets: Assets,
    backdrop: Backdrop = NO_BACKDROP,
    translate: Translate = untranslated,
    presentation: bool = False,
    adoptable: bool = False,
) -> folium.Map:
    """The hotspot map of ``result``: multi-phenomenon cells, Gi* and KDE layers, candidates.

    The KDE rasters are in EPSG:31370; each is drawn as a PNG (transparent outside the study
    area) stretched over the EPSG:4326 box of the raster's corners with
    :class:`folium.raster_layers.ImageOverlay`. That is an approximate overlay, not a warp: the
    Lambert grid is slightly rotated and curved against the map's lon/lat, but at zone scale
    the error stays well below one cell, and the browser's smoothing matters more.

    Parameters
    ----------
    result
        A hotspot run (:func:`mmm.hotspots.run_hotspots`).
    zone
        The zone outline (EPSG:31370); the map fits it.
    perimeters
        Existing perimeters (``name``, polygons), drawn thin for orientation; may be empty.
    phenomena
        Code → display label; codes of the result not listed show their code.
    assets
        Local URLs of Leaflet (:meth:`Assets.under`).
    backdrop
        The basemap, streets and street search under the map (:class:`Backdrop`); none by
        default.
    translate
        Translates the English interface strings (e.g. Flask-Babel's ``gettext``).
    presentation
        For a shared screen: large fonts, thicker outlines, a collapsed layer control. The
        perimeters' names are always written above them (never two over each other).
    adoptable
        Give each candidate's popup an "adopt" button that submits the page's form
        ``adopt-<i>`` (``i``: the candidate's row), which the page provides.

    Returns
    -------
    folium.Map
        The page weight grows with the significant cells, never with the incidents. Warnings
        are not drawn on the map: show
        :func:`~mmm.present.maps.hotspot_text.warning_messages` beside it.
    """
    _ = translate
    fmt = numbers_for(_)
    o = result.options
    labels = [phenomenon_label(phenomena, code) for code in result.phenomena]
    fmap = base_map(
        zone, assets, backdrop, _, font_px=20 if presentation else 13, prefer_canvas=False
    )
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_CSS.replace("__MAP__", fmap.get_name())), name="mmm_hot_css")
    _send, cells = cell_columns(result)
    gi_legends = [
        gi_legend(la, label, o.fdr, _) for la, label in zip(result.layers, labels, strict=True)
    ]
    data: dict[str, Any] = {
        "zone": geojson(zone),
        "locale": fmt.locale,
        "cells": cells,
        "labels": [html.escape(label) for label in labels],
        "minHot": o.min_hot,
        "hotLevel": o.hot_level,
        "multiColours": list(MULTI_COLOURS),
        "giColours": {str(b): c for b, c in GI_COLOURS.items()},
        "legends": {
            "multi": multi_legend(result, _),
            "gi": gi_legends,
            "fixed": fixed_legend(_),
        },
        "candidates": {"type": "FeatureCollection", "features": candidate_features(
            result.candidates, phenomena, _, fmt, adoptable=adoptable)},
        "perimeters": {"type": "FeatureCollection", "features": perimeter_features(perimeters)},
        "text": popup_strings(result, _, fmt),
        "style": {
            "zoneWeight": 4 if presentation else 2,
            "zoneFill": 0.35 if backdrop.has_basemap else 0.9,
            "perimeterWeight": 3 if presentation else 1.5,
            "candidateWeight": 5 if presentation else 3,
        },
    }  # fmt: skip
    ns = f"mmm_{fmap.get_name()}"
    code = _SCRIPT.replace("__NS__", ns).replace("__MAP__", fmap.get_name())
    fmap.add_child(Script(code.replace("__DATA__", safe_json(data))))
    fmap.add_child(JsLayer(f"{ns}.multi", _("Multi-phenomenon hotspots"), overlay=False, show=True))
    for k, (la, label) in enumerate(zip(result.layers, labels, strict=True)):
        name = _("Gi*: %(phenomenon)s") % {"phenomenon": label}  # JsLayer unbraces it
        if la.warning is not None:
            name += " (" + _("insufficient data") + ")"
        fmap.add_child(JsLayer(f"{ns}.gi[{k}]", name, overlay=False, show=False))
    overlays = []
    for la, label in zip(result.layers, labels, strict=True):
        overlay = folium.raster_layers.ImageOverlay(
            kde_png(la.kde.density),
            bounds=raster_bounds(la.kde.bounds),
            name=html.escape(_("Density: %(phenomenon)s") % {"phenomenon": unbrace(label)}),
            overlay=False,
            show=False,
            pixelated=False,
            interactive=False,
        )
        fmap.add_child(overlay)
        overlays.append((overlay.get_name(), kde_legend(la, label, _, fmt)))
    register = ",".join(f"[{name},{safe_json(legend)}]" for name, legend in overlays)
    fmap.add_child(Script(f"{ns}.rasters([{register}]);"))
    fmap.add_child(
        JsLayer(f"{ns}.candidateLayer", _("Candidate perimeters"), overlay=True, show=True)
    )
    fmap.add_child(
        JsLayer(f"{ns}.perimeterLayer", _("Existing perimeters"), overlay=True, show=True)
    )
    fit = folium.FitBounds(leaflet_bounds(zone), padding=(10, 10))
    fit.options["animate"] = False
    fmap.add_child(fit)
    fmap.add_child(folium.LayerControl(collapsed=presentation))
    return fmap
