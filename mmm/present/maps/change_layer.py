"""The zone map's "changed significantly in the last 28 days" layer (staff only).

Why: the zone map shows where incidents are; a weekly meeting first asks where they *changed*.
This overlay outlines the perimeters with at least one significant change in the last 28 days
(:mod:`mmm.temporal.compstat`: exact Poisson test, Benjamini–Hochberg over every perimeter ×
phenomenon) — against the 28 days before or the same days a year earlier — red for increases,
blue for decreases, purple when both; the popup lists each change with its counts and p-value,
the legend names the zone-wide changes too. Staff only: 28-day counts are no released month
cells (:mod:`mmm.present.temporal` says why), so the view adds it only for them.
"""

from __future__ import annotations

import html
from typing import Any

import geopandas as gpd

from mmm.present.maps.numbers import Numbers, numbers_for
from mmm.present.maps.overlays import Overlay
from mmm.present.style import Translate
from mmm.temporal.compstat import ALL, RecentChange
from mmm.temporal.tables import ZONE

#: Outline and fill of a perimeter whose significant changes are all up, all down, or both.
COLOURS = {"up": "#b2182b", "down": "#2166ac", "both": "#762a83"}


def change_layer(
    perimeters: gpd.GeoDataFrame,
    change: RecentChange,
    phenomena: dict[str, str],
    translate: Translate,
    *,
    window: str = "28d",
) -> Overlay:
    """The overlay of the perimeters (``name``, polygons in EPSG:31370) whose counts changed
    significantly in ``window``; ``phenomena`` maps codes to labels (others are left out)."""
    _ = translate
    fmt = numbers_for(_)
    found = change.significant(window)
    found = found[found["phenomenon"].isin([ALL, *phenomena])]
    span = change.spans[window]["current"]
    title = _("Changed significantly in the last 28 days")
    zone_rows = found[found["area"] == ZONE]
    zone_text = "; ".join(_sentence(r, phenomena, _, fmt) for r in zone_rows.itertuples())
    whole = _("The zone as a whole")
    legend = (
        f"<h4>{html.escape(title)}</h4>"
        + "".join(
            f'<div><i style="background:{COLOURS[k]}"></i>{html.escape(text)}</div>'
            for k, text in (
                ("up", _("more incidents")),
                ("down", _("fewer incidents")),
                ("both", _("more of one phenomenon, fewer of another")),
            )
        )
        + "<small>"
        + html.escape(
            _(
                "%(first)s – %(last)s against the 28 days before and the same days a year "
                "earlier; exact Poisson test, false discovery rate %(alpha)s over every "
                "perimeter and phenomenon."
            )
            % {
                "first": fmt.day(span.start),
                "last": fmt.day(span.end),
                "alpha": fmt.significant(change.alpha),
            }
        )
        + "</small>"
        + (f"<small>{html.escape(whole)}: {html.escape(zone_text)}</small>" if zone_text else "")
    )
    layer = Overlay(title, legend)
    by_area = {str(area): rows for area, rows in found.groupby("area", sort=False)}
    for name, geometry in zip(perimeters["name"].astype(str), perimeters.geometry, strict=True):
        rows = by_area.get(name)  # one grouping, not a filter per perimeter (2,000 on a map)
        if rows is None:
            continue
        kinds = set(rows["direction"])
        colour = COLOURS["both" if len(kinds) > 1 else kinds.pop()]
        items = "".join(
            f"<li>{html.escape(_sentence(r, phenomena, _, fmt))}</li>" for r in rows.itertuples()
        )
        popup = (
            f'<div class="mmm-popup"><strong>{html.escape(name)}</strong>'
            f"<br>{html.escape(title)}<ul>{items}</ul></div>"
        )
        style = {"color": colour, "weight": 3, "fillColor": colour, "fillOpacity": 0.25}
        layer.add_shape(geometry, style, popup)
    return layer


def _sentence(row: Any, phenomena: dict[str, str], _: Translate, fmt: Numbers) -> str:
    """``Burglary: 239 against 188 in the 28 days before (+27 %, p = 0.015)``, with the
    reader's separators (``p = 0,015`` in Dutch)."""
    code = str(row.phenomenon)
    label = _("All phenomena") if code == ALL else phenomena.get(code, code)
    before = (
        _("in the 28 days before")
        if row.comparison == "previous"
        else _("in the same days a year earlier")
    )
    pct = row.change_pct
    change = "" if pct != pct else f"{fmt.percent(pct, signed=True)}, "
    return _("%(phenomenon)s: %(now)s against %(then)s %(when)s (%(change)sp = %(p)s)") % {
        "phenomenon": label,
        "now": fmt.integer(row.current),
        "then": fmt.integer(row.compared),
        "when": before,
        "change": change,
        "p": fmt.p_value(row.p),
    }
