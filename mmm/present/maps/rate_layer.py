"""The zone map's rate layer: perimeters coloured by incidents per 1,000 residents (dwellings…).

Why: counts favour the perimeters where many people live; a project group compares rates. The
layer takes its counts from the figures the zone map already shows the reader (one
:data:`~mmm.present.overview.FigureRow` per perimeter: released for a partner), so it never shows
more than the map does. Staff see the rate smoothed towards the neighbours (local Empirical
Bayes, perimeters within 500 m; the popup also gives the raw and the globally smoothed rate);
a partner sees raw rates of released counts only, and a hidden count gives no rate (see
:mod:`mmm.present.rates` for why no smoothed rate is shown to a partner).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
from branca.utilities import color_brewer

from mmm.present.maps.numbers import numbers_for
from mmm.present.maps.overlays import Overlay
from mmm.present.overview import FigureRow
from mmm.present.style import Translate
from mmm.rates.smoothing import empirical_bayes
from mmm.rates.tables import perimeter_neighbours

#: Five classes of rate, light to dark (a ramp no other layer of the zone map uses).
RATE_COLOURS = color_brewer("YlGnBu", 6)[1:]


def rate_layer(
    perimeters: gpd.GeoDataFrame,
    current: Sequence[FigureRow],
    denominators: np.ndarray,
    *,
    column: int,
    label: str,
    kind: str,
    smoothed: bool,
    translate: Translate,
) -> Overlay:
    """The overlay of the rates of figure column ``column`` (0: all phenomena, ``label``)."""
    _ = translate
    fmt = numbers_for(_)
    figures = [row[column] if column < len(row) else None for row in current]
    counts = np.array(
        [np.nan if f is None or f.number is None else f.number for f in figures], dtype=float
    )
    base = np.asarray(denominators, dtype=float)
    rates = empirical_bayes(np.nan_to_num(counts), np.where(np.isnan(counts), np.nan, base),
                            perimeter_neighbours(perimeters.geometry.values))  # fmt: skip
    shown = rates.local_eb if smoothed and rates.local_eb is not None else rates.raw
    breaks = _breaks(shown)
    what = _("smoothed towards the neighbours") if smoothed else _("released counts only")
    title = _("%(phenomenon)s per 1,000 %(kind)s") % {"phenomenon": label, "kind": kind}
    legend = (
        f"<h4>{html.escape(title)}</h4>"
        + "".join(
            f'<div><i style="background:{c}"></i>{fmt.decimal(lo)} – {fmt.decimal(hi)}</div>'
            for c, lo, hi in zip(RATE_COLOURS, [0.0, *breaks[:-1]], breaks, strict=False)
        )
        + f"<small>{html.escape(what)}</small>"
    )
    layer = Overlay(title, legend)
    for i, (name, geometry) in enumerate(
        zip(perimeters["name"].astype(str), perimeters.geometry, strict=True)
    ):
        value = shown[i]
        colour = "#b8bec6" if value != value else RATE_COLOURS[int(np.searchsorted(breaks, value))]
        facts = [
            _("%(count)s incidents, %(base)s %(kind)s")
            % {
                "count": "–" if (figure := figures[i]) is None else fmt.figure(figure),
                "base": fmt.integer(base[i]),
                "kind": kind,
            },
            _("%(rate)s per 1,000") % {"rate": fmt.decimal(rates.raw[i])},
        ]
        if smoothed and rates.local_eb is not None:
            facts.append(
                _("smoothed towards the zone: %(rate)s") % {"rate": fmt.decimal(rates.global_eb[i])}
            )
            facts.append(
                _("smoothed towards the neighbours: %(rate)s")
                % {"rate": fmt.decimal(rates.local_eb[i])}
            )
        popup = (
            f'<div class="mmm-popup"><strong>{html.escape(name)}</strong><br>'
            f"{html.escape(title)}<br>{'<br>'.join(html.escape(f) for f in facts)}</div>"
        )
        style = {"color": "#30415a", "weight": 1, "fillColor": colour, "fillOpacity": 0.75}
        layer.add_shape(geometry, style, popup)
    return layer


def _breaks(values: np.ndarray) -> list[float]:
    """Upper bounds of up to five classes: the quintiles of the rates shown (the last: the
    highest)."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return [0.0]
    bounds = np.unique(np.quantile(finite, [0.2, 0.4, 0.6, 0.8, 1.0]))
    return [float(b) for b in bounds]
