"""The plan page's two charts, side by side on one time axis: incidents and survey figures.

Vega-Lite specs (the app serves vega-embed itself, see :mod:`mmm.present.charts`). Both charts share
the monitoring window as their x domain, so a month on the left lines up with a survey period
on the right. A suppressed count (NaN) is left out of the incidents chart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mmm.present.charts import embed_options, hidden_layer, hidden_points
from mmm.present.style import CATEGORICAL, Translate, untranslated


def _domain(months: tuple[str, ...]) -> list[str]:
    return [
        pd.Period(months[0], "M").start_time.date().isoformat(),
        pd.Period(months[-1], "M").end_time.date().isoformat(),
    ]


def incidents_spec(
    chart: pd.DataFrame,
    labels: dict[str, str],
    *,
    start_month: str,
    shown: pd.DataFrame | None = None,
    translate: Translate = untranslated,
) -> dict[str, Any]:
    """Incidents per month and phenomenon, with a rule where the plan starts.

    Parameters
    ----------
    chart
        Phenomenon × month (``YYYY-MM``) floats, NaN where not shown
        (:attr:`mmm.plans.visible.MonitoringView.chart`).
    labels
        Phenomenon code → display label.
    start_month
        The plan's first month.
    shown
        The same table as shown (:attr:`~mmm.plans.visible.MonitoringView.months_text`): a
        month not shown breaks its line and gets a marker on the axis, explained in the legend.
    """
    _ = translate
    codes = list(chart.index)
    values = [
        {"month": f"{m}-15", "phenomenon": labels.get(c, c), "count": None if pd.isna(n) else int(n)}
        for c, row in chart.iterrows() for m, n in row.items()
    ]  # fmt: skip
    marks = [] if shown is None else hidden_points(chart, shown, labels, lambda m: f"{m}-15")
    month_t, count_t, phen_t = _("Month"), _("Incidents"), _("Phenomenon")
    start = f"{start_month}-01"
    colours = [CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(codes))]
    x = {"field": "month", "type": "temporal", "title": month_t,
         "scale": {"domain": _domain(tuple(chart.columns))},
         "axis": {"format": "%Y-%m", "labelAngle": -45}}  # fmt: skip
    color = {"field": "phenomenon", "type": "nominal", "title": phen_t,
             "scale": {"domain": [labels.get(c, c) for c in codes], "range": colours},
             "legend": {"orient": "bottom", "columns": 2}}  # fmt: skip
    # fmt: off
    return {
        "description": _("Incidents per month in the perimeter, before and since the plan"),
        "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {"data": {"values": values},
             "mark": {"type": "line", "point": True, "strokeWidth": 2,
                      "invalid": "break-paths-filter-domains"},
             "encoding": {
                 "x": x,
                 "y": {"field": "count", "type": "quantitative", "title": count_t},
                 "color": color,
                 "tooltip": [{"field": "month", "type": "temporal", "format": "%Y-%m",
                              "title": month_t},
                             {"field": "phenomenon", "title": phen_t},
                             {"field": "count", "type": "quantitative", "title": count_t}]}},
            {"data": {"values": [{"start": start, "label": _("Start of the plan")}]},
             "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555"},
             "encoding": {"x": {"field": "start", "type": "temporal"}}},
            *([hidden_layer(marks, x, color, translate)] if marks else []),
        ],
        "usermeta": embed_options(translate),
    }
    # fmt: on


def survey_spec(
    surveys: pd.DataFrame,
    labels: dict[str, str],
    *,
    months: tuple[str, ...],
    start_month: str,
    translate: Translate = untranslated,
) -> dict[str, Any]:
    """Survey percentages per indicator over time (points at the end of each period).

    Parameters
    ----------
    surveys
        Rows of :func:`mmm.plans.visible.survey_view` for one perimeter; only ``percent``
        figures are drawn (counts and scores have other scales: the table shows them).
    labels
        Indicator code → display label.
    months
        The monitoring window (the shared x domain).
    """
    _ = translate
    shares = surveys[(surveys["unit"] == "percent") & surveys["value"].notna()]
    values = [
        {"end": end.isoformat(), "period": period, "indicator": labels.get(code, code),
         "value": float(value)}
        for end, period, code, value in shares[
            ["period_end", "period", "indicator", "value"]
        ].itertuples(index=False)
    ]  # fmt: skip
    period_t, value_t, ind_t = _("Period"), _("Share of respondents (%)"), _("Indicator")
    # fmt: off
    return {
        "description": _("Survey results in the perimeter"),
        "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {"data": {"values": values},
             "mark": {"type": "line", "point": {"size": 60}, "strokeWidth": 2},
             "encoding": {
                 "x": {"field": "end", "type": "temporal", "title": period_t,
                       "scale": {"domain": _domain(months)},
                       "axis": {"format": "%Y-%m", "labelAngle": -45}},
                 "y": {"field": "value", "type": "quantitative", "title": value_t,
                       "scale": {"domain": [0, 100]}},
                 "color": {"field": "indicator", "type": "nominal", "title": ind_t,
                           "legend": {"orient": "bottom", "columns": 1}},
                 "tooltip": [{"field": "period", "title": period_t},
                             {"field": "indicator", "title": ind_t},
                             {"field": "value", "type": "quantitative", "title": value_t}]}},
            {"data": {"values": [{"start": f"{start_month}-01"}]},
             "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555"},
             "encoding": {"x": {"field": "start", "type": "temporal"}}},
        ],
        "usermeta": embed_options(translate),
    }
    # fmt: on
