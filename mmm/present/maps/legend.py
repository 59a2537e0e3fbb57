"""Colour scales and legends of the maps, as the small HTML blocks the map scripts show.

Why a module of its own: a legend has to say exactly what the colours on the map mean, so the
scales (count classes of the zone map, hot-phenomena and Gi* classes and the KDE ramp of the
hotspot map) and the legends that explain them are kept together. Every text is escaped; the
legends travel to the page inside the scripts' data (:func:`mmm.present.maps.leaflet.safe_json`).
"""

from __future__ import annotations

import html

import numpy as np
from branca.utilities import color_brewer

from mmm.hotspots.results import HotspotResult, PhenomenonHotspots
from mmm.present.maps.numbers import Numbers
from mmm.present.maps.raster import KDE_RAMP
from mmm.present.style import Translate

#: One ramp per scale, so a colour never means two things on one map: perimeters in
#: yellow-orange-red, grid cells in purple-blue, street segments in red-purple (5 classes each;
#: the palest of each ramp is too close to white, or to a line's halo).
CLASSES = color_brewer("YlOrRd", 6)[1:]
GRID_CLASSES = color_brewer("PuBu", 6)[1:]
SEGMENT_CLASSES = color_brewer("RdPu", 7)[2:]
#: Fill of a cell hot for 1, 2, … 6+ phenomena (pale: one phenomenon; dark: many).
MULTI_COLOURS = ("#fed976", "#fd8d3c", "#e31a1c", "#bd0026", "#800026", "#4a0024")
#: Gi* class → fill (ColorBrewer RdBu: hot red, cold blue, darker = more confident).
GI_COLOURS = {
    3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7", -1: "#d1e5f0", -2: "#67a9cf", -3: "#2166ac",
}  # fmt: skip


# -- counts per perimeter and per grid cell ----------------------------------------------------
def count_breaks(
    values: np.ndarray, colours: tuple[str, ...] | list[str] = CLASSES
) -> tuple[list[int], list[str]]:
    """Upper bounds of up to ``len(colours)`` count classes, and their colours.

    Counts are skewed (a few hot places, many quiet ones), so the bounds grow geometrically
    from 1 to the maximum: ``ceil(max ** (i / k))``. A scale of ratios reads the same whatever
    the volume, and the top class holds the hottest places only. Zero has no class (white).
    With ``k`` distinct values or fewer, each is a class of its own.
    """
    k = len(colours)
    positive = np.asarray(values)[np.asarray(values) > 0]
    if not len(positive):
        return [], []
    top = int(positive.max())
    uniq = np.unique(positive)
    if len(uniq) > k:
        uniq = np.unique(np.ceil(top ** (np.arange(1, k + 1) / k) - 1e-9).clip(1, top))
    picks = np.round(np.linspace(0, k - 1, len(uniq))) if len(uniq) > 1 else [k // 2]
    return [int(b) for b in uniq], [colours[int(i)] for i in picks]


def _classes(breaks: list[int], colours: list[str], fmt: Numbers) -> list[tuple[str, str]]:
    """(colour, "low–high") of each count class, the bounds written for the reader."""
    rows, low = [], 1
    for upper, colour in zip(breaks, colours, strict=True):
        text = fmt.integer(low) if low == upper else f"{fmt.integer(low)}–{fmt.integer(upper)}"
        rows.append((colour, text))
        low = upper + 1
    return rows


def count_legend(
    title: str,
    breaks: list[int],
    colours: list[str],
    fmt: Numbers,
    *,
    below: str | None = None,
) -> str:
    """Classes of a choropleth; ``below`` ("<5") replaces the 0 class where counts are hidden."""
    rows = [("#b8bec6", below) if below else ("#ffffff", "0"), *_classes(breaks, colours, fmt)]
    items = "".join(f'<div><i style="background:{c}"></i>{t}</div>' for c, t in rows)
    return f'<div class="mmm-scale"><h4>{html.escape(title)}</h4>{items}</div>'


# -- the hotspot map ---------------------------------------------------------------------------
def _rows(items: list[tuple[str, str]]) -> str:
    return "".join(f'<div><i style="{style}"></i>{html.escape(t)}</div>' for style, t in items)


def multi_legend(result: HotspotResult, _: Translate) -> str:
    """Legend of the multi-phenomenon layer: cells by their number of hot phenomena."""
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


def gi_legend(layer: PhenomenonHotspots, label: str, fdr: bool, _: Translate) -> str:
    """Legend of one phenomenon's Gi* layer: hot and cold spot classes, or why there are none."""
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


def kde_legend(layer: PhenomenonHotspots, label: str, _: Translate, fmt: Numbers) -> str:
    """Legend of one phenomenon's density layer: the ramp, its top and the kernel."""
    title = _("%(phenomenon)s: density (KDE)") % {"phenomenon": label}
    top = layer.kde.max_density
    ramp = ", ".join(KDE_RAMP)
    unit = _("incidents per km²")
    bar = f'<div class="mmm-ramp" style="background:linear-gradient(to right, {ramp})"></div>'
    scale = f"<div>0 … {fmt.integer(top)} {html.escape(unit)}</div>"
    note = _("Quartic kernel, bandwidth %(m)s m.") % {"m": fmt.metres(layer.kde.bandwidth_m)}
    return f"<h4>{html.escape(title)}</h4>{bar}{scale}<small>{html.escape(note)}</small>"


def fixed_legend(_: Translate) -> str:
    """The lines every hotspot layer shares: candidate and existing perimeters, the zone."""
    items = [
        ("border:0;border-top:3px dashed #111;height:0", _("Candidate perimeter")),
        ("border:0;border-top:2px solid #124e8c;height:0", _("Existing perimeter")),
        ("border:0;border-top:2px dashed #1d2733;height:0", _("Zone boundary")),
    ]
    return f'<div class="mmm-fixed">{_rows(items)}</div>'


def segment_legend(
    title: str, breaks: list[int], colours: list[str], note: str, fmt: Numbers
) -> str:
    """Classes of the street segments layer, drawn as lines; ``note`` says which are shown."""
    rows = _classes(breaks, colours, fmt)
    items = "".join(f'<div><i class="line" style="background:{c}"></i>{t}</div>' for c, t in rows)
    return (
        f'<div class="mmm-scale"><h4>{html.escape(title)}</h4>{items}'
        f"<small>{html.escape(note)}</small></div>"
    )
