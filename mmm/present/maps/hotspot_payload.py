"""The data the hotspot map's script draws: cells, candidates, perimeters, popup strings.

Why: the page's weight is decided here. Only cells with a non-zero Gi* class for some
phenomenon are sent, once each (four corners in EPSG:4326), with one small array per phenomenon
(class, z, p, count, trend); ``hotspot_script.js`` builds the popups in the browser from those
numbers and from the interface strings translated here. Names from the data are escaped.
"""

from __future__ import annotations

import html
import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from mmm.crs import WORKING_CRS
from mmm.hotspots.results import HotspotResult
from mmm.hotspots.trend import TRENDS
from mmm.present.maps.hotspot_text import phenomenon_label, trend_names
from mmm.present.maps.leaflet import lonlat, web_geoms
from mmm.present.maps.numbers import Numbers
from mmm.present.style import Translate


def popup_strings(result: HotspotResult, _: Translate, fmt: Numbers) -> dict[str, Any]:
    """Interface strings of the popups, translated; ``{n}``-style slots filled in JavaScript
    (numbers written there by ``Intl.NumberFormat`` in :attr:`Numbers.locale`)."""
    o = result.options

    def esc(text: str) -> str:
        return html.escape(text)

    return {
        "hot1": esc(_("Hot for 1 phenomenon")),
        "hotN": esc(_("Hot for %(n)s phenomena") % {"n": "{n}"}),
        "multi": esc(_("multi-phenomenon hotspot")),
        "why": esc(
            _(
                "This cell and the cells within %(distance)s m around it hold significantly "
                "more incidents than the zone as a whole, for:"
            )
            % {"distance": fmt.metres(o.neighbourhood_m)}
        ),
        "head": [esc(_("Phenomenon")), esc(_("Incidents")), "z", esc(_("Trend"))],
        "trends": ["", *(esc(trend_names(_)[t]) for t in TRENDS)],  # payload: index 1…4
        "hotSpot": esc(_("hot spot, %(confidence)s %% confidence") % {"confidence": "{c}"}),
        "coldSpot": esc(_("cold spot, %(confidence)s %% confidence") % {"confidence": "{c}"}),
        "notSig": esc(_("not significant")),
        "zp": esc(_("Gi* z = %(z)s, p = %(p)s (uncorrected)") % {"z": "{z}", "p": "{p}"}),
        "count": esc(_("%(n)s incidents in this cell") % {"n": "{n}"}),
        "neighbours": esc(_("no incident in this cell: hot through its neighbours only")),
        "composite": esc(_("Composite score %(score)s") % {"score": "{s}"}),
        "cell": esc(_("Cell %(id)s") % {"id": "{id}"}),
        "insufficient": esc(_("insufficient data")),
        "conf": ["", "90", "95", "99"],
    }


def cell_columns(result: HotspotResult) -> tuple[np.ndarray, dict[str, Any]]:
    """The cells to send (non-zero Gi* class for some phenomenon) and their columns."""
    grid = result.grid
    bins = np.stack([la.gi.bins for la in result.layers]) if result.layers else None
    send = grid.mask & (bins != 0).any(axis=0) if bins is not None else grid.mask & False
    ix, iy = grid.indices()
    c = grid.cell_m
    x0, y0 = ix[send] * c, iy[send] * c
    xs = np.column_stack([x0, x0 + c, x0 + c, x0])
    ys = np.column_stack([y0, y0, y0 + c, y0 + c])
    lon, lat = lonlat(xs.ravel(), ys.ravel())
    corners = np.column_stack([lat, lon]).reshape(len(x0), 8)
    trend_index = {t: i + 1 for i, t in enumerate(TRENDS)}
    columns: dict[str, Any] = {
        "c": corners.tolist(),
        "id": grid.cell_ids(send).tolist(),
        "n": result.hot_count[send].tolist(),
        "s": np.round(np.nan_to_num(result.composite[send]), 2).tolist(),
        "b": [la.gi.bins[send].tolist() for la in result.layers],
        "z": [np.round(la.gi.z[send], 2).tolist() for la in result.layers],
        "p": [[float(f"{v:.2g}") for v in la.gi.p[send]] for la in result.layers],
        "k": [la.counts[send].tolist() for la in result.layers],
        "t": [[trend_index.get(str(t), 0) for t in la.trend[send]] for la in result.layers],
    }
    return send, columns


def candidate_features(
    cands: gpd.GeoDataFrame,
    phenomena: dict[str, str],
    _: Translate,
    fmt: Numbers,
    *,
    adoptable: bool = False,
) -> list[Any]:
    """Candidate polygons as GeoJSON features with a translated popup each."""
    if cands.empty:
        return []
    shapes = shapely.to_geojson(web_geoms(cands.geometry.values))
    note = html.escape(
        _("A proposal, not a perimeter yet: adopting it makes it a proposed perimeter.")
        if adoptable
        else _("A proposal, not a perimeter yet: the project group decides on it.")
    )
    phenomenon, incidents = html.escape(_("Phenomenon")), html.escape(_("Incidents"))
    head = f"<tr><th>{phenomenon}</th><th class='num'>{incidents}</th></tr>"
    kind = html.escape(_("candidate perimeter"))
    adopt_text = html.escape(_("Adopt as a proposed perimeter"))
    features = []
    for i, rec in enumerate(cands.drop(columns=cands.geometry.name).to_dict("records")):
        codes = [c for c in str(rec["phenomena"]).split(", ") if c]
        rows = "".join(
            f"<tr><td>{html.escape(phenomenon_label(phenomena, c))}</td>"
            f'<td class="num">{fmt.integer(int(rec[f"count_{c}"]))}</td></tr>'
            for c in codes
        )
        facts = _("%(cells)s hot cells, %(area)s ha") % {
            "cells": fmt.integer(int(rec["cells"])),
            "area": fmt.decimal(float(rec["area_ha"]), 1),
        }
        name = html.escape(str(rec["name"]))
        adopt = f'<br><button type="submit" form="adopt-{i}">{adopt_text}</button>'
        adopt = adopt if adoptable else ""
        popup = (
            f'<div class="mmm-popup"><strong>{name}</strong> '
            f"({kind})<br>{html.escape(facts)}"
            f"<table><thead>{head}</thead><tbody>{rows}</tbody></table><small>{note}</small>"
            f"{adopt}</div>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapes[i]),
                "properties": {"name": name, "popup": popup},
            }
        )
    return features


def perimeter_features(perimeters: gpd.GeoDataFrame) -> list[Any]:
    """Existing perimeters as GeoJSON features (simplified to 0.5 m) with their escaped name."""
    if perimeters is None or perimeters.empty:
        return []
    if perimeters.crs is not None and not WORKING_CRS.equals(perimeters.crs):
        perimeters = perimeters.to_crs(WORKING_CRS)
    shapes = shapely.to_geojson(web_geoms(perimeters.geometry.values, simplify_m=0.5))
    names = [html.escape(str(n)) for n in perimeters["name"]]
    return [
        {
            "type": "Feature",
            "geometry": json.loads(s),
            "properties": {"name": n},
        }
        for s, n in zip(shapes, names, strict=True)
    ]
