"""The perimeter page's chart: incidents per month and phenomenon, as a Vega-Lite spec.

Why Vega-Lite: tooltips, a legend that highlights one phenomenon on click and export to PNG/SVG
come for free, and its three scripts are vendored like Leaflet (served by the app itself). The
colours per phenomenon are those of the perimeter map (:data:`mmm.present.style.CATEGORICAL`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mmm.present.style import CATEGORICAL, Translate, untranslated


def timeseries_spec(
    table: pd.DataFrame, phenomena: dict[str, str], *, translate: Translate = untranslated
) -> dict[str, Any]:
    """A Vega-Lite spec of incidents per month, one line per phenomenon, for vega-embed.

    Why Vega-Lite: tooltips, a legend that highlights one phenomenon on click and export to
    PNG/SVG come for free, and its three scripts are vendored like Leaflet. The spec has no
    ``$schema`` URL, and its embed options (``usermeta``) drop the actions that open another
    site (the Vega editor), so ``vegaEmbed(element, spec)`` needs nothing else.

    Parameters
    ----------
    table
        Wide (index: phenomenon codes, columns: months ``YYYY-MM``, values: counts) or long
        with ``phenomenon``, ``period`` (or ``month``) and ``count`` (e.g.
        ``count_incidents(..., period="month")``; perimeters are summed).
    phenomena
        Code → display label, in display order; phenomena without incidents are left out.
    translate
        Translates the titles and the action menu.
    """
    _ = translate
    if {"phenomenon", "count"} <= set(table.columns):
        month = "month" if "month" in table.columns else "period"
        table = table.pivot_table(
            index="phenomenon", columns=month, values="count", aggfunc="sum", fill_value=0
        )
    # Missing phenomena count 0; a NaN cell (a suppressed count) stays out of the chart.
    wide = table.reindex(index=list(phenomena), fill_value=0)
    keep = [code for code in phenomena if wide.loc[code].sum() > 0] or list(phenomena)
    colours = [CATEGORICAL[list(phenomena).index(c) % len(CATEGORICAL)] for c in keep]
    long = (
        wide.loc[keep]
        .rename_axis(index="code", columns="month")
        .stack()
        .reset_index(name="n")
        .dropna(subset=["n"])
    )
    values = pd.DataFrame(
        {"month": long["month"].astype(str), "phenomenon": long["code"].map(phenomena),
         "count": long["n"].astype(int)}
    ).to_dict(orient="records")  # fmt: skip
    month_t, count_t, phen_t = _("Month"), _("Incidents"), _("Phenomenon")
    actions = {"export": True, "source": False, "compiled": False, "editor": False}
    i18n = {"CLICK_TO_VIEW_ACTIONS": _("Click to view actions"),
            "PNG_ACTION": _("Save as PNG"), "SVG_ACTION": _("Save as SVG")}  # fmt: skip
    # fmt: off
    return {
        "description": _("Incidents per month and phenomenon"),
        "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "params": [{"name": "pick", "bind": "legend",
                    "select": {"type": "point", "fields": ["phenomenon"]}}],
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": month_t,
                  "axis": {"labelAngle": -45}},
            "y": {"field": "count", "type": "quantitative", "title": count_t},
            "color": {"field": "phenomenon", "type": "nominal", "title": phen_t,
                      "scale": {"domain": [phenomena[c] for c in keep], "range": colours},
                      "legend": {"orient": "bottom", "columns": 2}},
            "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.15},
            "tooltip": [{"field": "month", "title": month_t},
                        {"field": "phenomenon", "title": phen_t},
                        {"field": "count", "type": "quantitative", "title": count_t}],
        },
        "usermeta": {"embedOptions": {"mode": "vega-lite", "actions": actions, "i18n": i18n}},
    }
    # fmt: on
