"""The hotspot map's emerging hot spot layers: one overlay per phenomenon, its legend, the names
of the 17 patterns in the reader's language, and the page's summary table.

Why a module of its own: :mod:`mmm.hotspots.emerging` gives a code per cell; the page needs a
colour per code that reads at a glance (hot patterns in reds, cold ones in blues, the strongest
patterns darkest, as in ArcGIS's Emerging Hot Spot Analysis), names in the user's language and a
legend that lists only the patterns the layer shows. Cells without a pattern are not sent.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from mmm.hotspots.emerging import CATEGORIES, NO_PATTERN, PATTERNS
from mmm.hotspots.results import HotspotResult
from mmm.present.maps.hotspot_text import phenomenon_label
from mmm.present.maps.numbers import numbers_for
from mmm.present.maps.overlays import Overlay
from mmm.present.style import Translate

#: Fill per pattern (hot: reds, cold: blues; Esri's order: new … historical).
HOT_COLOURS = (
    "#fcae91",
    "#fb6a4a",
    "#de2d26",
    "#a50f15",
    "#fdd0a2",
    "#fd8d3c",
    "#c51b8a",
    "#8c6bb1",
)
COLD_COLOURS = (
    "#bdd7e7",
    "#6baed6",
    "#3182bd",
    "#08519c",
    "#c7e9c0",
    "#74c476",
    "#1c9099",
    "#9ebcda",
)
COLOURS = {
    **{f"{p}_hot": c for p, c in zip(PATTERNS, HOT_COLOURS, strict=True)},
    **{f"{p}_cold": c for p, c in zip(PATTERNS, COLD_COLOURS, strict=True)},
}


def category_names(_: Translate) -> dict[str, str]:
    """Every code of :data:`mmm.hotspots.emerging.CATEGORIES` → its name in the user's language."""
    names = [
        _("New hot spot"),
        _("Consecutive hot spot"),
        _("Intensifying hot spot"),
        _("Persistent hot spot"),
        _("Diminishing hot spot"),
        _("Sporadic hot spot"),
        _("Oscillating hot spot"),
        _("Historical hot spot"),
        _("New cold spot"),
        _("Consecutive cold spot"),
        _("Intensifying cold spot"),
        _("Persistent cold spot"),
        _("Diminishing cold spot"),
        _("Sporadic cold spot"),
        _("Oscillating cold spot"),
        _("Historical cold spot"),
        _("No pattern detected"),
    ]
    return dict(zip(CATEGORIES, names, strict=True))


def emerging_counts(result: HotspotResult) -> dict[str, dict[str, int]]:
    """Per phenomenon of an emerging run, the study-area cells of each category found."""
    mask = result.grid.mask
    out = {}
    for layer in result.layers:
        if layer.emerging is None:
            continue
        codes, counts = np.unique(layer.emerging[mask].astype(str), return_counts=True)
        found = dict(zip(codes.tolist(), counts.tolist(), strict=True))
        out[layer.phenomenon] = {c: int(found[c]) for c in CATEGORIES if c in found}
    return out


def emerging_rows(
    result: HotspotResult, phenomena: dict[str, str], translate: Translate
) -> list[dict[str, Any]]:
    """The page's summary: per phenomenon its label and ``[(name, colour, cells), …]`` of the
    patterns found (``no_pattern`` last, without a colour)."""
    names = category_names(translate)
    return [
        {
            "label": phenomenon_label(phenomena, code),
            "patterns": [(names[c], COLOURS.get(c, ""), n) for c, n in found.items()],
        }
        for code, found in emerging_counts(result).items()
    ]


def emerging_layers(
    result: HotspotResult, phenomena: dict[str, str], translate: Translate
) -> list[Overlay]:
    """One overlay per phenomenon of an emerging run: its patterned cells and their legend."""
    _ = translate
    if not result.steps:
        return []
    names = category_names(_)
    fmt = numbers_for(_)
    grid = result.grid
    boxes = grid.boxes(grid.mask)
    ids = grid.cell_ids()
    o = result.options
    note = _(
        "%(n)s steps (%(first)s – %(last)s); hot or cold at %(confidence)s %% in a step; trend: "
        "Mann-Kendall on the z-scores."
    ) % {
        "n": len(result.steps),
        "first": result.steps[0],
        "last": result.steps[-1],
        "confidence": o.confidence,
    }
    layers = []
    counts = emerging_counts(result)
    for layer in result.layers:
        if layer.emerging is None:
            continue
        label = phenomenon_label(phenomena, layer.phenomenon)
        title = _("Emerging hot spots: %(phenomenon)s") % {"phenomenon": label}
        found = counts[layer.phenomenon]
        rows = "".join(
            f'<div><i style="background:{COLOURS[c]}"></i>{html.escape(names[c])} ({fmt.integer(n)})</div>'
            for c, n in found.items()
            if c != NO_PATTERN
        )
        if not rows:
            rows = f"<div>{html.escape(names[NO_PATTERN])}</div>"
        legend = f"<h4>{html.escape(title)}</h4>{rows}<small>{html.escape(note)}</small>"
        overlay = Overlay(title, legend)
        codes = layer.emerging[grid.mask].astype(str)
        cells = np.flatnonzero((codes != NO_PATTERN) & (codes != ""))
        overlay.add_shapes(
            boxes[cells],
            [
                {
                    "color": "#ffffff",
                    "weight": 0.4,
                    "fillColor": COLOURS[codes[i]],
                    "fillOpacity": 0.8,
                }
                for i in cells
            ],
            [
                f'<div class="mmm-popup"><strong>{html.escape(label)}</strong>: '
                f"{html.escape(names[codes[i]])}<br><small>{html.escape(str(ids[i]))}</small></div>"
                for i in cells
            ],
        )
        layers.append(overlay)
    return layers
