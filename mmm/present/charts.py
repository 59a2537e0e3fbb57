"""The perimeter page's chart: incidents per month and phenomenon, as a Vega-Lite spec.

Why Vega-Lite: tooltips, a legend that highlights one phenomenon on click and export to PNG/SVG
come for free, and its three scripts are vendored like Leaflet (served by the app itself). The
colours per phenomenon are those of the perimeter map (:data:`mmm.present.style.CATEGORICAL`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mmm.present.style import CATEGORICAL, Translate, untranslated


def timeseries_spec(
    table: pd.DataFrame,
    phenomena: dict[str, str],
    *,
    shown: pd.DataFrame | None = None,
    translate: Translate = untranslated,
) -> dict[str, Any]:
    """A Vega-Lite spec of incidents per month, one line per phenomenon, for vega-embed.

    Why Vega-Lite: tooltips, a legend that highlights one phenomenon on click and export to
    PNG/SVG come for free, and its three scripts are vendored like Leaflet. The spec has no
    ``$schema`` URL, and its embed options (``usermeta``) drop the actions that open another
    site (the Vega editor), so ``vegaEmbed(element, spec)`` needs nothing else.

    Parameters
    ----------
    table
        Wide (index: phenomenon codes, columns: months ``YYYY-MM``, values: counts, NaN where
        a count is not shown) or long with ``phenomenon``, ``period`` (or ``month``) and
        ``count`` (e.g. ``count_incidents(..., period="month")``; perimeters are summed).
    phenomena
        Code → display label, in display order; phenomena without incidents are left out.
    shown
        The wide table as shown (``"<5"``, ``"×"`` where ``table`` is NaN): a hidden month
        breaks its line and gets a marker on the axis, explained in the legend.
    translate
        Translates the titles and the action menu.
    """
    _ = translate
    if {"phenomenon", "count"} <= set(table.columns):
        month = "month" if "month" in table.columns else "period"
        table = table.pivot_table(
            index="phenomenon", columns=month, values="count", aggfunc="sum", fill_value=0
        )
    wide = table.reindex(index=list(phenomena), fill_value=0)
    keep = [c for c in phenomena if wide.loc[c].sum() > 0 or wide.loc[c].isna().any()]
    keep = keep or list(phenomena)
    colours = [CATEGORICAL[list(phenomena).index(c) % len(CATEGORICAL)] for c in keep]
    values = [
        {"month": str(month), "phenomenon": phenomena[code],
         "count": None if pd.isna(n) else int(n)}
        for code in keep for month, n in wide.loc[code].items()
    ]  # fmt: skip
    marks = [] if shown is None else hidden_points(wide.loc[keep], shown, phenomena, str)
    month_t, count_t, phen_t = _("Month"), _("Incidents"), _("Phenomenon")
    x = {"field": "month", "type": "ordinal", "title": month_t, "axis": {"labelAngle": -45}}
    color = {"field": "phenomenon", "type": "nominal", "title": phen_t,
             "scale": {"domain": [phenomena[c] for c in keep], "range": colours},
             "legend": {"orient": "bottom", "columns": 2}}  # fmt: skip
    # fmt: off
    line = {
        "data": {"values": values},
        "params": [{"name": "pick", "bind": "legend",
                    "select": {"type": "point", "fields": ["phenomenon"]}}],
        "mark": {"type": "line", "point": True, "strokeWidth": 2,
                 "invalid": "break-paths-filter-domains"},
        "encoding": {
            "x": x,
            "y": {"field": "count", "type": "quantitative", "title": count_t},
            "color": color,
            "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.15},
            "tooltip": [{"field": "month", "title": month_t},
                        {"field": "phenomenon", "title": phen_t},
                        {"field": "count", "type": "quantitative", "title": count_t}],
        },
    }
    return {
        "description": _("Incidents per month and phenomenon"),
        "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [line, *([hidden_layer(marks, x, color, translate)] if marks else [])],
        "usermeta": embed_options(translate),
    }
    # fmt: on


def embed_options(translate: Translate) -> dict[str, Any]:
    """vega-embed's options: export only (no link to another site), the menu translated."""
    _ = translate
    actions = {"export": True, "source": False, "compiled": False, "editor": False}
    i18n = {"CLICK_TO_VIEW_ACTIONS": _("Click to view actions"),
            "PNG_ACTION": _("Save as PNG"), "SVG_ACTION": _("Save as SVG")}  # fmt: skip
    return {"embedOptions": {"mode": "vega-lite", "actions": actions, "i18n": i18n}}


def hidden_points(
    numbers: pd.DataFrame,
    shown: pd.DataFrame,
    labels: Mapping[str, str],
    month: Callable[[str], str],
) -> list[dict[str, Any]]:
    """The months a chart may not draw: NaN in ``numbers``, with their text from ``shown``.

    ``month`` turns ``YYYY-MM`` into the chart's x value.
    """
    return [
        {"month": month(str(m)), "phenomenon": labels.get(str(code), str(code)),
         "shown": str(shown.loc[code, m])}
        for code, row in numbers.iterrows() for m, n in row.items() if pd.isna(n)
    ]  # fmt: skip


def hidden_layer(
    marks: list[dict[str, Any]],
    x: dict[str, Any],
    color: dict[str, Any],
    translate: Translate = untranslated,
) -> dict[str, Any]:
    """Markers on the x axis for months whose count is not shown, each with its text.

    A month a partner may not see is not left out of the chart: its line breaks there, and a
    triangle on the axis carries what the table says (``"<5"``, ``"×"``) written above it, in
    the phenomenon's colour, explained in the legend and the tooltip.
    """
    _ = translate
    what = _("not shown (small numbers)")
    tooltip = [{"field": "month", "title": _("Month"),
                **({"type": "temporal", "format": "%Y-%m"} if x["type"] == "temporal" else {})},
               {"field": "phenomenon", "title": _("Phenomenon")},
               {"field": "shown", "title": _("Incidents")}]  # fmt: skip
    # fmt: off
    return {
        "data": {"values": [{**m, "hidden": what} for m in marks]},
        "encoding": {
            "x": {**x, "title": None},
            "y": {"value": {"expr": "height"}},
            "color": color,
            "tooltip": tooltip,
        },
        "layer": [
            {"mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 70,
                      "yOffset": -6},
             "encoding": {"shape": {"field": "hidden", "type": "nominal", "title": None,
                                    "scale": {"range": ["triangle-up"]},
                                    "legend": {"orient": "bottom", "symbolFillColor": "#777"}}}},
            {"mark": {"type": "text", "baseline": "bottom", "yOffset": -14, "fontSize": 11,
                      "fontWeight": "bold"},
             "encoding": {"text": {"field": "shown", "type": "nominal"}}},
        ],
    }
    # fmt: on
