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

Weight: only cells with a non-zero Gi* class for some phenomenon are sent, once each (four
corners in EPSG:4326), with one small array per phenomenon (class, z, p, count, trend). A few
lines of JavaScript (``hotspot_script.js``) draw the layers and build the popups from those
numbers and from interface strings translated here; no English sentence of the core reaches
the page. Everything else follows :mod:`mmm.present.maps`: local Leaflet only (:class:`Assets`), an
optional basemap, escaped names.
"""

from __future__ import annotations

import base64
import html
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure
from branca.utilities import color_brewer
from shapely.geometry.base import BaseGeometry

from mmm.crs import WORKING_CRS
from mmm.hotspots.results import HotspotResult, PhenomenonHotspots
from mmm.hotspots.trend import TRENDS
from mmm.present.maps import (
    Assets,
    Translate,
    _base_map,
    _bounds,
    _geojson,
    _JsLayer,
    _json,
    _lonlat,
    _same,
    _Script,
    _unbrace,
    _web,
)

__all__ = [
    "GI_COLOURS",
    "MULTI_COLOURS",
    "colocation_matrix",
    "hotspot_map",
    "hotspot_rows",
    "kde_png",
    "kde_rgba",
    "png_bytes",
    "warning_messages",
]

#: Fill of a cell hot for 1, 2, … 6+ phenomena (pale: one phenomenon; dark: many).
MULTI_COLOURS = ("#fed976", "#fd8d3c", "#e31a1c", "#bd0026", "#800026", "#4a0024")
#: Gi* class → fill (ColorBrewer RdBu: hot red, cold blue, darker = more confident).
GI_COLOURS = {
    3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7", -1: "#d1e5f0", -2: "#67a9cf", -3: "#2166ac",
}  # fmt: skip
#: The KDE colour ramp (light to dark); transparency rises with the density as well.
KDE_RAMP = tuple(color_brewer("YlOrRd", 9))
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


# -- PNG rasters -------------------------------------------------------------------------------
def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an ``(height, width, 4)`` uint8 RGBA array as a PNG file (no Pillow needed).

    The smallest valid PNG: signature, ``IHDR`` (8-bit RGBA, no interlace), one zlib-compressed
    ``IDAT`` chunk whose rows each start with filter byte 0, and ``IEND``; every chunk carries
    its CRC-32 (PNG specification, ISO/IEC 15948). Row 0 is the top of the image.
    """
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or 0 in rgba.shape[:2]:
        raise ValueError(f"expected a non-empty (height, width, 4) array, got {rgba.shape}")
    height, width = rgba.shape[:2]
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgba.reshape(height, -1)], axis=1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9))
        + chunk(b"IEND", b"")
    )


def kde_rgba(density: np.ndarray, top: float | None = None) -> np.ndarray:
    """Colour a density raster: :data:`KDE_RAMP` from 0 to ``top`` (default: its maximum).

    The alpha channel rises with the density (``0.9 * sqrt(d / top)``), so low densities fade
    into the map; 0, NaN (outside the study area) and a raster without density are fully
    transparent. Returns a uint8 ``(rows, cols, 4)`` array, row 0 = north as the raster.
    """
    density = np.asarray(density, dtype=float)
    finite = np.isfinite(density)
    top = float(np.nanmax(density, initial=0.0)) if top is None else float(top)
    t = np.zeros(density.shape)
    if top > 0:
        t[finite] = np.clip(density[finite] / top, 0.0, 1.0)
    ramp = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in KDE_RAMP], dtype=float)
    stops = np.linspace(0.0, 1.0, len(ramp))
    rgb = np.stack([np.interp(t, stops, ramp[:, j]) for j in range(3)], axis=-1)
    alpha = np.where(finite & (t > 0), 255 * 0.9 * np.sqrt(t), 0.0)
    return np.dstack([rgb, alpha]).round().astype(np.uint8)


def kde_png(density: np.ndarray) -> str:
    """The density raster as a ``data:image/png;base64,…`` URL (see :func:`kde_rgba`)."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(kde_rgba(density))).decode()


def _raster_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    """Leaflet bounds of a raster in EPSG:31370: the box around its four corners in 4326."""
    minx, miny, maxx, maxy = bounds
    lon, lat = _lonlat(np.array([minx, maxx, maxx, minx]), np.array([miny, miny, maxy, maxy]))
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


# -- safe text for folium ----------------------------------------------------------------------
# branca renders each element's script, then compiles that output once more as a Jinja template
# (``MacroElement.render`` → ``Element(script)``): a "{{", "{%" or "{#" coming from the data (a
# phenomenon label, a perimeter name) would be *evaluated on the server*. Two guards:
# -- texts -------------------------------------------------------------------------------------
def _metres(value: float) -> str:
    return np.format_float_positional(round(float(value), 1), trim="-")


def _label(phenomena: dict[str, str], code: str) -> str:
    return phenomena.get(code, code)


def warning_messages(
    result: HotspotResult, phenomena: dict[str, str], translate: Translate = _same
) -> list[str]:
    """The result's insufficient-data warnings as sentences in the user's language.

    Built from the result's numbers (not from the core's English messages), one per warning,
    in the result's order; an unknown kind falls back to the core's message.
    """
    _ = translate
    o = result.options
    out = []
    for w in result.warnings:
        name = _label(phenomena, w.phenomenon) if w.phenomenon else ""
        layer = result.layer(w.phenomenon) if w.phenomenon in result.phenomena else None
        values = {
            "phenomenon": name,
            "min_incidents": o.min_incidents,
            "min_cells": o.min_cells_with_data,
            "incidents": layer.incidents if layer else 0,
            "cells": layer.cells_with_data if layer else result.grid.n_cells,
            "size": _metres(o.cell_m),
            "quarters": len(result.quarters),
        }
        texts = {
            "small_zone": _(
                "The zone holds too few cells of %(size)s m for hotspot statistics (%(cells)s, "
                "fewer than %(min_cells)s). Choose a smaller cell size."
            ),
            "no_incidents": _("%(phenomenon)s: no incidents in the period."),
            "few_incidents": _(
                "%(phenomenon)s: too few incidents in the period for a reliable hotspot map "
                "(%(incidents)s, fewer than %(min_incidents)s)."
            ),
            "few_cells": _(
                "%(phenomenon)s: incidents in too few cells for a reliable hotspot map "
                "(%(cells)s, fewer than %(min_cells)s)."
            ),
            "zero_variance": _(
                "%(phenomenon)s: every cell holds the same count, so no place stands out."
            ),
            "few_quarters": _(
                "Trends (new, intensifying, persistent, diminishing) need at least 4 quarters; "
                "this period covers %(quarters)s. Choose a longer period for them."
            ),
        }
        out.append(texts[w.kind] % values if w.kind in texts else w.message)
    return out


def hotspot_rows(
    result: HotspotResult,
    phenomena: dict[str, str],
    translate: Translate = _same,
    *,
    top: int = 20,
) -> list[dict[str, Any]]:
    """The ``top`` multi-phenomenon hotspot cells for a table, by hot phenomena then score.

    Each row: ``cell`` (id), ``hot`` (how many phenomena), ``composite`` (score),
    ``phenomena`` (``[(label, z, count, trend), …]``, strongest z first, the trend translated)
    and ``incidents`` (of its hot phenomena).
    """
    trends = _trend_names(translate)
    table = result.hotspot_cells()
    table = table[table["multi_hotspot"]].head(top)
    rows = []
    for rec in table.to_dict("records"):
        codes = [c for c in str(rec["phenomena"]).split(", ") if c]
        parts = [
            (
                _label(phenomena, c),
                float(rec[f"z_{c}"]),
                int(rec[f"count_{c}"]),
                trends.get(str(rec[f"trend_{c}"]), ""),
            )
            for c in codes
        ]
        rows.append(
            {
                "cell": rec["cell"],
                "hot": int(rec["hot_phenomena"]),
                "composite": float(rec["composite"]),
                "phenomena": parts,
                "incidents": sum(p[2] for p in parts),
            }
        )
    return rows


def colocation_matrix(result: HotspotResult, phenomena: dict[str, str]) -> dict[str, Any] | None:
    """The co-location quotients as a matrix for a page table, or ``None`` when not computed.

    Returns ``labels`` (rows A and columns B, in the table's order), ``rows`` (per A, per B:
    ``(clq, p, pattern)`` with pattern ``colocated``, ``isolated``, ``not significant`` or
    ``""`` where undefined), ``permutations`` and ``alpha``.
    """
    table = result.colocation
    if table is None:
        return None
    frame = table.to_frame()
    k = len(table.phenomena)
    cells = [
        (float(c), float(p), str(pattern) if np.isfinite(c) else "")
        for c, p, pattern in zip(frame["clq"], frame["p_value"], frame["pattern"], strict=True)
    ]
    return {
        "labels": [_label(phenomena, code) for code in table.phenomena],
        "rows": [cells[a * k : (a + 1) * k] for a in range(k)],
        "permutations": table.permutations,
        "alpha": table.alpha,
    }


def _trend_names(_: Translate) -> dict[str, str]:
    """Trend category (:data:`mmm.hotspots.trend.TRENDS`) → its name in the user's language."""
    names = [_("new"), _("intensifying"), _("persistent"), _("diminishing")]
    return dict(zip(TRENDS, names, strict=True))


def _strings(result: HotspotResult, _: Translate) -> dict[str, Any]:
    """Interface strings of the popups, translated; ``{n}``-style slots filled in JavaScript."""
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
            % {"distance": _metres(o.neighbourhood_m)}
        ),
        "head": [esc(_("Phenomenon")), esc(_("Incidents")), "z", esc(_("Trend"))],
        "trends": ["", *(esc(_trend_names(_)[t]) for t in TRENDS)],  # payload: index 1…4
        "hotSpot": esc(_("hot spot, %(confidence)s %% confidence") % {"confidence": "{c}"}),
        "coldSpot": esc(_("cold spot, %(confidence)s %% confidence") % {"confidence": "{c}"}),
        "notSig": esc(_("not significant")),
        "zp": esc(_("Gi* z = %(z)s, p = %(p)s (uncorrected)") % {"z": "{z}", "p": "{p}"}),
        "count": esc(_("%(n)s incidents in this cell") % {"n": "{n}"}),
        "composite": esc(_("Composite score %(score)s") % {"score": "{s}"}),
        "cell": esc(_("Cell %(id)s") % {"id": "{id}"}),
        "insufficient": esc(_("insufficient data")),
        "conf": ["", "90", "95", "99"],
    }


# -- legends -----------------------------------------------------------------------------------
def _rows(items: list[tuple[str, str]]) -> str:
    return "".join(f'<div><i style="{style}"></i>{html.escape(t)}</div>' for style, t in items)


def _multi_legend(result: HotspotResult, _: Translate) -> str:
    o = result.options
    top = int(result.hot_count.max(initial=0))
    items = []
    for n in range(1, min(top, len(MULTI_COLOURS)) + 1):
        text = _("1 phenomenon") if n == 1 else _("%(n)s phenomena") % {"n": n}
        if n == len(MULTI_COLOURS) and top > n:
            text = _("%(n)s or more phenomena") % {"n": n}
        if n < o.min_hot:
            text = _("%(text)s (not multi)") % {"text": text}
        border = "2px solid #2b0010" if n >= o.min_hot else "1px solid #999"
        items.append((f"background:{MULTI_COLOURS[n - 1]};border:{border}", text))
    title = _("Multi-phenomenon hotspots")
    note = _(
        "Cells hot for at least one phenomenon (Gi*, %(confidence)s %% confidence), by the number "
        "of hot phenomena; a dark outline marks a multi-phenomenon hotspot (%(n)s or more)."
    ) % {"confidence": o.confidence, "n": o.min_hot}
    if top == 0:
        items = [("background:#fff", _("No hot cells for these parameters"))]
    elif top < o.min_hot:
        items.append(("background:#fff", _("No multi-phenomenon hotspot for these parameters")))
    return f"<h4>{html.escape(title)}</h4>{_rows(items)}<small>{html.escape(note)}</small>"


def _gi_legend(layer: PhenomenonHotspots, label: str, fdr: bool, _: Translate) -> str:
    heading = _("%(phenomenon)s: Gi* hot and cold spots") % {"phenomenon": label}
    title = f"<h4>{html.escape(heading)}</h4>"
    if layer.warning is not None:
        insufficient = _("Insufficient data: no classes.")
        return f"{title}<small>{html.escape(insufficient)}</small>"
    hot = _("hot spot, %(confidence)s %% confidence")
    cold = _("cold spot, %(confidence)s %% confidence")
    items = [
        (f"background:{GI_COLOURS[sign * level]}", text % {"confidence": conf})
        for sign, text in ((1, hot), (-1, cold))
        for level, conf in (
            ((3, 99), (2, 95), (1, 90)) if sign > 0 else ((1, 90), (2, 95), (3, 99))
        )
    ]
    note = (
        _("Classes corrected for the False Discovery Rate; z and p are not.")
        if fdr
        else _("No FDR correction.")
    )
    return f"{title}{_rows(items)}<small>{html.escape(note)}</small>"


def _kde_legend(layer: PhenomenonHotspots, label: str, _: Translate) -> str:
    title = _("%(phenomenon)s: density (KDE)") % {"phenomenon": label}
    top = layer.kde.max_density
    ramp = ", ".join(KDE_RAMP)
    unit = _("incidents per km²")
    bar = f'<div class="mmm-ramp" style="background:linear-gradient(to right, {ramp})"></div>'
    scale = f"<div>0 … {top:,.0f} {html.escape(unit)}</div>"
    note = _("Quartic kernel, bandwidth %(m)s m.") % {"m": _metres(layer.kde.bandwidth_m)}
    return f"<h4>{html.escape(title)}</h4>{bar}{scale}<small>{html.escape(note)}</small>"


def _fixed_legend(_: Translate) -> str:
    items = [
        ("border:0;border-top:3px dashed #111;height:0", _("Candidate perimeter")),
        ("border:0;border-top:2px solid #124e8c;height:0", _("Existing perimeter")),
        ("border:0;border-top:2px dashed #1d2733;height:0", _("Zone boundary")),
    ]
    return f'<div class="mmm-fixed">{_rows(items)}</div>'


# -- payload -----------------------------------------------------------------------------------
def _cells(result: HotspotResult) -> tuple[np.ndarray, dict[str, Any]]:
    """The cells to send (non-zero Gi* class for some phenomenon) and their columns."""
    grid = result.grid
    bins = np.stack([la.gi.bins for la in result.layers]) if result.layers else None
    send = grid.mask & (bins != 0).any(axis=0) if bins is not None else grid.mask & False
    ix, iy = grid.indices()
    c = grid.cell_m
    x0, y0 = ix[send] * c, iy[send] * c
    xs = np.column_stack([x0, x0 + c, x0 + c, x0])
    ys = np.column_stack([y0, y0, y0 + c, y0 + c])
    lon, lat = _lonlat(xs.ravel(), ys.ravel())
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


def _candidates(
    cands: gpd.GeoDataFrame, phenomena: dict[str, str], _: Translate, *, adoptable: bool = False
) -> list[Any]:
    """Candidate polygons as GeoJSON features with a translated popup each."""
    if cands.empty:
        return []
    shapes = shapely.to_geojson(_web(cands.geometry.values))
    note = html.escape(
        _(
            "A proposal, not a perimeter yet: download the candidates and adopt them with "
            "“mmm import perimeters” or redraw them in the perimeter editor."
        )
    )
    phenomenon, incidents = html.escape(_("Phenomenon")), html.escape(_("Incidents"))
    head = f"<tr><th>{phenomenon}</th><th class='num'>{incidents}</th></tr>"
    kind = html.escape(_("candidate perimeter"))
    adopt_text = html.escape(_("Adopt as a proposed perimeter"))
    features = []
    for i, rec in enumerate(cands.drop(columns=cands.geometry.name).to_dict("records")):
        codes = [c for c in str(rec["phenomena"]).split(", ") if c]
        rows = "".join(
            f"<tr><td>{html.escape(_label(phenomena, c))}</td>"
            f'<td class="num">{int(rec[f"count_{c}"])}</td></tr>'
            for c in codes
        )
        facts = _("%(cells)s hot cells, %(area)s ha") % {
            "cells": rec["cells"],
            "area": f"{rec['area_ha']:.1f}",
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


def _perimeters(perimeters: gpd.GeoDataFrame) -> list[Any]:
    if perimeters is None or perimeters.empty:
        return []
    if perimeters.crs is not None and not WORKING_CRS.equals(perimeters.crs):
        perimeters = perimeters.to_crs(WORKING_CRS)
    shapes = shapely.to_geojson(_web(perimeters.geometry.values, simplify_m=0.5))
    names = [html.escape(str(n)) for n in perimeters["name"]]
    return [
        {
            "type": "Feature",
            "geometry": json.loads(s),
            "properties": {"name": n},
        }
        for s, n in zip(shapes, names, strict=True)
    ]


# -- the map -----------------------------------------------------------------------------------
def hotspot_map(
    *,
    result: HotspotResult,
    zone: BaseGeometry,
    perimeters: gpd.GeoDataFrame,
    phenomena: dict[str, str],
    assets: Assets,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    translate: Translate = _same,
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
    tiles_url, tiles_attribution
        An optional basemap; none by default.
    translate
        Translates the English interface strings (e.g. Flask-Babel's ``gettext``).
    presentation
        For a shared screen: large fonts, thicker outlines, a collapsed layer control.
    adoptable
        Give each candidate's popup an "adopt" button that submits the page's form
        ``adopt-<i>`` (``i``: the candidate's row), which the page provides.

    Returns
    -------
    folium.Map
        The page weight grows with the significant cells, never with the incidents. Warnings
        are not drawn on the map: show :func:`warning_messages` beside it.
    """
    _ = translate
    o = result.options
    labels = [_label(phenomena, code) for code in result.phenomena]
    fmap = _base_map(
        zone,
        assets,
        (tiles_url, tiles_attribution),
        _,
        font_px=20 if presentation else 13,
        prefer_canvas=False,
    )
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_CSS.replace("__MAP__", fmap.get_name())), name="mmm_hot_css")
    _send, cells = _cells(result)
    gi_legends = [
        _gi_legend(la, label, o.fdr, _) for la, label in zip(result.layers, labels, strict=True)
    ]
    data: dict[str, Any] = {
        "zone": _geojson(zone),
        "cells": cells,
        "labels": [html.escape(label) for label in labels],
        "minHot": o.min_hot,
        "hotLevel": o.hot_level,
        "multiColours": list(MULTI_COLOURS),
        "giColours": {str(b): c for b, c in GI_COLOURS.items()},
        "legends": {
            "multi": _multi_legend(result, _),
            "gi": gi_legends,
            "fixed": _fixed_legend(_),
        },
        "candidates": {"type": "FeatureCollection", "features": _candidates(
            result.candidates, phenomena, _, adoptable=adoptable)},
        "perimeters": {"type": "FeatureCollection", "features": _perimeters(perimeters)},
        "text": _strings(result, _),
        "style": {
            "zoneWeight": 4 if presentation else 2,
            "zoneFill": 0.35 if tiles_url else 0.9,
            "perimeterWeight": 3 if presentation else 1.5,
            "candidateWeight": 5 if presentation else 3,
            "labels": presentation,
        },
    }  # fmt: skip
    ns = f"mmm_{fmap.get_name()}"
    code = _SCRIPT.replace("__NS__", ns).replace("__MAP__", fmap.get_name())
    fmap.add_child(_Script(code.replace("__DATA__", _json(data))))
    fmap.add_child(
        _JsLayer(f"{ns}.multi", _("Multi-phenomenon hotspots"), overlay=False, show=True)
    )
    for k, (la, label) in enumerate(zip(result.layers, labels, strict=True)):
        name = _("Gi*: %(phenomenon)s") % {"phenomenon": label}  # _JsLayer unbraces it
        if la.warning is not None:
            name += " (" + _("insufficient data") + ")"
        fmap.add_child(_JsLayer(f"{ns}.gi[{k}]", name, overlay=False, show=False))
    overlays = []
    for la, label in zip(result.layers, labels, strict=True):
        overlay = folium.raster_layers.ImageOverlay(
            kde_png(la.kde.density),
            bounds=_raster_bounds(la.kde.bounds),
            name=html.escape(_("Density: %(phenomenon)s") % {"phenomenon": _unbrace(label)}),
            overlay=False,
            show=False,
            pixelated=False,
            interactive=False,
        )
        fmap.add_child(overlay)
        overlays.append((overlay.get_name(), _kde_legend(la, label, _)))
    register = ",".join(f"[{name},{_json(legend)}]" for name, legend in overlays)
    fmap.add_child(_Script(f"{ns}.rasters([{register}]);"))
    fmap.add_child(
        _JsLayer(f"{ns}.candidateLayer", _("Candidate perimeters"), overlay=True, show=True)
    )
    fmap.add_child(
        _JsLayer(f"{ns}.perimeterLayer", _("Existing perimeters"), overlay=True, show=True)
    )
    fit = folium.FitBounds(_bounds(zone), padding=(10, 10))
    fit.options["animate"] = False
    fmap.add_child(fit)
    fmap.add_child(folium.LayerControl(collapsed=presentation))
    return fmap
