"""The zone map: perimeters as choropleths per phenomenon, the grid, popups and a legend.

Why: the zone map is where a police zone looks first, so it has to stay light whatever the
volume. It weighs what the screen shows, not what the database holds: the perimeters (geometry
sent once, shared by every phenomenon's layer), their counts and the grid cells; incidents
appear only on a perimeter's map (:mod:`mmm.present.maps.perimeter`). Partners' small counts
are suppressed before they reach the page. Interface text goes through ``translate`` (English
source strings; the app passes Flask-Babel's ``gettext``); names and labels from the data are
escaped. The page itself is built as in :mod:`mmm.present.maps.leaflet`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.access.disclosure import label as suppressed_label
from mmm.access.disclosure import suppress_matrix
from mmm.crs import WORKING_CRS
from mmm.present.maps.leaflet import Assets, JsLayer, add_script, base_map, web_geoms
from mmm.present.maps.legend import count_breaks, count_legend
from mmm.present.style import Translate, untranslated


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
    current: pd.DataFrame,
    previous: pd.DataFrame,
    grid: gpd.GeoDataFrame,
    phenomena: dict[str, str],
    selected: str | None,
    assets: Assets,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    presentation: bool = False,
    translate: Translate = untranslated,
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
    shapes = shapely.to_geojson(web_geoms(perimeters.geometry.values, simplify_m=0.5))
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
        (br, col), (gbr, gcol) = count_breaks(now[:, k]), count_breaks(cell_counts[:, k])
        title = _("%(phenomenon)s: incidents per perimeter") % {"phenomenon": label}
        gtitle = _("%(phenomenon)s: incidents per grid cell") % {"phenomenon": label}
        layers.append(
            {"name": html.escape(label), "br": br, "col": col, "gbr": gbr, "gcol": gcol,
             "legend": count_legend(title, br, col, below=_below(thresholds, codes, k)),
             "glegend": count_legend(gtitle, gbr, gcol)}
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
    fmap = base_map(zone, assets, tiles, _, font_px=20 if presentation else 13)
    data: dict[str, Any] = {
        "perimeters": {"type": "FeatureCollection", "features": features},
        "grid": {"n": cell_counts.tolist(), "c": rings},
    }
    data |= {"layers": layers, "selected": shown, "style": style}
    ns = add_script(fmap, data, zone, zone)
    for k, label in enumerate(labels):
        fmap.add_child(JsLayer(f"{ns}.layers[{k}]", label, overlay=False, show=k == shown))
    cell_m = _cell_size(grid)
    grid_name = _("Grid cells (%(size)s m)") % {"size": cell_m} if cell_m else _("Grid cells")
    fmap.add_child(JsLayer(f"{ns}.grid", grid_name, overlay=True, show=True))
    fmap.add_child(folium.LayerControl(collapsed=presentation))
    return fmap


def _cell_size(grid: gpd.GeoDataFrame) -> str | None:
    if grid.empty:
        return None
    minx, _, maxx, _ = grid.geometry.values[0].bounds
    return np.format_float_positional(round(maxx - minx, 3), trim="-")
