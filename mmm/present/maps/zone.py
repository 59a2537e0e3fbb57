"""The zone map: perimeters as choropleths per phenomenon, the grid, popups and a legend.

Why: the zone map is where a police zone looks first, so it has to stay light whatever the
volume. It weighs what the screen shows, not what the database holds: the perimeters (geometry
sent once, shared by every phenomenon's layer), their counts and the grid cells; incidents
appear only on a perimeter's map (:mod:`mmm.present.maps.perimeter`). The counts arrive as
figures already released for the reader (:mod:`mmm.access.release`): a partner's hidden ones
never reach the page, and neither do phenomena it is not assigned. Interface text goes through
``translate`` (English source strings; the app passes Flask-Babel's ``gettext``); names and
labels from the data are escaped. The page itself is built as in :mod:`mmm.present.maps.leaflet`.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.access.disclosure import WITHHELD, Figure, change
from mmm.crs import WORKING_CRS
from mmm.present.maps.backdrop import NO_BACKDROP, Backdrop
from mmm.present.maps.leaflet import Assets, JsLayer, add_script, base_map, web_geoms
from mmm.present.maps.legend import GRID_CLASSES, count_breaks, count_legend
from mmm.present.maps.numbers import Numbers, numbers_for
from mmm.present.overview import FigureRow
from mmm.present.style import Translate, untranslated


def _below(rows: list[FigureRow], k: int, _: Translate) -> str | None:
    """The grey class of layer ``k``: which hidden figures it stands for ("<5", "×")."""
    hidden = {f.text for row in rows if (f := row[k]) is not None and f.shade < 0}
    if not hidden:
        return None
    texts = sorted(hidden - {WITHHELD}) + ([WITHHELD] if WITHHELD in hidden else [])
    return _("hidden: %(what)s") % {"what": ", ".join(texts)}


def _change(
    now: Figure | None, before: Figure | None, _: Translate, fmt: Numbers
) -> tuple[str, str]:
    """Text and CSS class of the change against the previous period ("–": not exact)."""
    found = None if now is None or before is None else change(now, before)
    if found is None:
        return "–", ""
    if found.percent is None:
        return (_("new"), "up") if found.difference else ("–", "")
    if found.difference == 0:
        return f"0 ({fmt.percent(0)})", ""
    css = "up" if found.difference > 0 else "down"
    return f"{fmt.signed(found.difference)} ({fmt.percent(found.percent, signed=True)})", css


def _popup(
    name: str,
    labels: list[str],
    now: FigureRow,
    before: FigureRow,
    url: str | None,
    _: Translate,
    fmt: Numbers,
) -> str:
    """A perimeter's figures per phenomenon (first row: all) and their change; a link.

    Phenomena the reader is not assigned in this perimeter (``None``) are left out.
    """
    rows = []
    for i, label in enumerate(labels):
        figure = now[i]
        if figure is None:
            continue
        text, css = _change(figure, before[i], _, fmt)
        rows.append(
            f'<tr class="{"all" if i == 0 else ""}"><td>{html.escape(label)}</td>'
            f'<td class="num">{html.escape(fmt.figure(figure))}</td>'
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
    rings = web_geoms(shapely.get_exterior_ring(np.asarray(grid.geometry.values, dtype=object)))
    sizes = shapely.get_num_coordinates(rings) - 1
    keep = np.ones(int(sizes.sum() + len(sizes)), dtype=bool)
    keep[np.cumsum(sizes + 1) - 1] = False  # drop each ring's closing point
    latlon = shapely.get_coordinates(rings)[keep][:, ::-1].ravel()
    return counts, [c.tolist() for c in np.split(latlon, 2 * np.cumsum(sizes)[:-1])]


def zone_map(
    *,
    zone: BaseGeometry,
    perimeters: gpd.GeoDataFrame,
    current: list[FigureRow],
    previous: list[FigureRow],
    grid: gpd.GeoDataFrame | None,
    phenomena: dict[str, str],
    selected: str | None,
    assets: Assets,
    backdrop: Backdrop = NO_BACKDROP,
    presentation: bool = False,
    translate: Translate = untranslated,
    perimeter_url: Callable[[int], str] | None = None,
    segments_url: str | None = None,
) -> folium.Map:
    """The zone map: perimeters as choropleths per phenomenon, the grid, popups and a legend.

    One layer per phenomenon plus "All phenomena", as radio buttons in the layer control: the
    choropleths cover each other exactly, so one shows at a time (``selected`` first) and the
    legend follows it. Every perimeter's name and count stay written on it; where two names
    would cover each other, the busier perimeter keeps its label. The grid overlay
    (semi-transparent, under the perimeters) follows the same phenomenon, so patterns outside
    the perimeters stay visible; it has a ramp and a legend section of its own, as the street
    segments layer has (off at first, fetched from ``segments_url``). A perimeter's popup lists
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
        One :data:`~mmm.present.overview.FigureRow` per row of ``perimeters`` (all phenomena,
        then one per code of ``phenomena``), for the chosen months and for as many months just
        before (:func:`mmm.present.overview.zone_overview`): the map only shows them, hidden
        ones in grey, and a change only between two exact figures. ``None`` (a phenomenon the
        reader is not assigned there) is left out of the popup and the layer.
    grid
        :func:`mmm.counting.grid.grid_counts` of the chosen months (a column per code); may be
        empty. ``None`` for a reader who may not see the grid: the map then offers no grid.
    phenomena
        Code → display label, in display order. "All phenomena" sums only these codes.
    selected
        The phenomenon shown first, or ``None`` for all of them.
    assets
        Local URLs of Leaflet (:meth:`Assets.under`).
    backdrop
        The basemap, streets and street search under the map (:class:`Backdrop`); none by
        default.
    presentation
        For a shared screen: large fonts and labels, thicker outlines, a folded layer control.
    translate
        Translates the English interface strings (e.g. Flask-Babel's ``gettext``).
    perimeter_url
        Perimeter id → URL of its page, linked from the popups.
    segments_url
        URL (with the period in its query) of the busiest street segments
        (:func:`mmm.present.maps.segments.segment_layer`, ``&phenomenon=code`` added); ``None``:
        no segments layer (partners: segment counts are never released to them).

    Raises
    ------
    ValueError
        When ``selected`` is not a key of ``phenomena``.
    """
    _ = functools.cache(translate)  # the same few strings for every popup: translate once
    fmt = numbers_for(_)
    if selected is not None and selected not in phenomena:
        raise ValueError(f"unknown phenomenon {selected!r}")
    codes, labels = list(phenomena), [_("All phenomena"), *phenomena.values()]
    if perimeters.crs is not None and not WORKING_CRS.equals(perimeters.crs):
        perimeters = perimeters.to_crs(WORKING_CRS)
    names = [str(n) for n in perimeters["name"]]
    urls: list[str | None] = [None] * len(names)
    if perimeter_url is not None and "id" in perimeters:
        urls = [perimeter_url(int(pid)) for pid in perimeters["id"]]
    shapes = shapely.to_geojson(web_geoms(perimeters.geometry.values, simplify_m=0.5))
    areas = shapely.area(np.asarray(perimeters.geometry.values, dtype=object))
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(shapes[i]),
            "properties": {
                "name": html.escape(name),
                "n": [None if f is None else f.shade for f in current[i]],
                "t": [None if f is None else fmt.figure(f) for f in current[i]],
                "popup": _popup(name, labels, current[i], previous[i], urls[i], _, fmt),
                "area": round(float(areas[i]) / 1e6, 4),  # km²: breaks ties between labels
            },
        }
        for i, name in enumerate(names)
    ]
    rings: list[Any]
    if grid is None:
        cell_counts, rings = np.zeros((0, len(labels)), dtype=np.int64), []
    else:
        cell_counts, rings = _grid_payload(grid, codes)
    layers = []
    for k, label in enumerate(labels):
        shades = np.array([f.shade for row in current if (f := row[k]) is not None], dtype=int)
        (br, col) = count_breaks(shades)
        (gbr, gcol) = count_breaks(cell_counts[:, k], GRID_CLASSES)
        title = _("%(phenomenon)s: incidents per perimeter") % {"phenomenon": label}
        gtitle = _("%(phenomenon)s: incidents per grid cell") % {"phenomenon": label}
        layers.append(
            {"name": html.escape(label), "code": codes[k - 1] if k else "",
             "br": br, "col": col, "gbr": gbr, "gcol": gcol,
             "legend": count_legend(title, br, col, fmt, below=_below(current, k, _)),
             "glegend": count_legend(gtitle, gbr, gcol, fmt)}
        )  # fmt: skip
    shown = 0 if selected is None else 1 + codes.index(selected)
    style = {
        "weight": 4 if presentation else 2,
        "zoneWeight": 4 if presentation else 2,
        "zoneFill": 0.35 if backdrop.has_basemap else 0.9,
        "suppressed": "#b8bec6",
    }
    fmap = base_map(zone, assets, backdrop, _, font_px=20 if presentation else 13)
    data: dict[str, Any] = {
        "locale": fmt.locale,
        "perimeters": {"type": "FeatureCollection", "features": features},
        "grid": {"n": cell_counts.tolist(), "c": rings},
        "gridLayer": grid is not None,
        "segments": segments_url,
    }
    data |= {"layers": layers, "selected": shown, "style": style}
    ns = add_script(fmap, data, zone, zone)
    for k, label in enumerate(labels):
        fmap.add_child(JsLayer(f"{ns}.layers[{k}]", label, overlay=False, show=k == shown))
    if grid is not None:
        cell_m = _cell_size(grid, fmt)
        grid_name = _("Grid cells (%(size)s m)") % {"size": cell_m} if cell_m else _("Grid cells")
        fmap.add_child(JsLayer(f"{ns}.grid", grid_name, overlay=True, show=True))
    if segments_url is not None:
        name = _("Busiest street segments")
        fmap.add_child(JsLayer(f"{ns}.segments", name, overlay=True, show=False))
    fmap.add_child(folium.LayerControl(collapsed=presentation))
    return fmap


def _cell_size(grid: gpd.GeoDataFrame, fmt: Numbers) -> str | None:
    """A grid cell's width in metres, for the layer's name ("200", "12,5")."""
    if grid.empty:
        return None
    minx, _, maxx, _ = grid.geometry.values[0].bounds
    return fmt.metres(maxx - minx)
