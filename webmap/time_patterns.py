"""What the pages add about time — when it happens, recent change, near repeats (staff only) —
and about rates (every reader; a partner's from released counts only).

Why one helper: the perimeter page, the plan page and the progress report show the same heat
tables, and the zone map the same recent-change layer, under the same rule — only a reader with
the ``view_time_patterns`` right whose figures are not suppressed (see
:mod:`mmm.present.temporal` for why partners never get them) — so the rule is written once and
each view adds one line. The recent-change table (every perimeter × phenomenon, so that its
false discovery rate is the same on every page) and each phenomenon's near-repeat test (the
zone's last twelve months, 99 shuffles with a fixed seed: a second or less per phenomenon) are
computed once per data version.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import folium
from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from mmm import access
from mmm.counting.months import MonthRange
from mmm.hotspots.near_repeat_alerts import (
    ALERT_DAYS,
    Alert,
    NearRepeatFinding,
    near_repeat_findings,
    recent_alerts,
)
from mmm.hotspots.results import HotspotResult
from mmm.plans import PlanOverview
from mmm.present.maps.alert_layer import alert_layer
from mmm.present.maps.change_layer import change_layer
from mmm.present.maps.emerging_layer import emerging_layers, emerging_rows
from mmm.present.maps.overlays import add_overlays
from mmm.present.maps.rate_layer import rate_layer
from mmm.present.overview import PerimeterOverview, ZoneOverview
from mmm.present.rates import kind_name, perimeter_rate_table, preferred_kind
from mmm.present.temporal import change_rows, place_heat_tables
from mmm.rates.tables import perimeter_denominators
from mmm.temporal.compstat import RecentChange, store_recent_change
from webmap.answers import kept_for_all
from webmap.extensions import current_scope, get_store

#: One recent-change computation at a time (seconds for thousands of perimeters).
_RECENT_CHANGE_LOCK = threading.Lock()
#: What a kept heat table weighs (:mod:`webmap.answers`): 7 × 25 cells and their texts.
HEAT_TABLE_SIZE = 8_000
#: One near-repeat test at a time (up to a second per phenomenon).
_NEAR_REPEAT_LOCK = threading.Lock()


def may_see_time_patterns(suppressed: bool) -> bool:
    """Staff whose page is not suppressed (a partner's always is)."""
    return not suppressed and access.can(current_user.user, "view_time_patterns")


def time_parts(
    area: str,
    geometry: BaseGeometry,
    phenomena: Sequence[str],
    *,
    start: date | None,
    end: date | None,
    suppressed: bool,
) -> dict[str, Any]:
    """The template variables of a perimeter's time sections: ``when`` (heat tables over the
    period) and ``change`` (``(rows, table)`` of its recent change, or ``None``), both ``None``
    when the reader may not see them."""
    if not may_see_time_patterns(suppressed):
        return {"when": None, "change": None}
    tables = kept_for_all(
        ("heat tables", area, tuple(phenomena), start, end),
        lambda: place_heat_tables(get_store(), geometry, list(phenomena), start=start, end=end),
        lambda found: HEAT_TABLE_SIZE * len(found),
    )
    found = recent_change()
    rows = [] if found is None else change_rows(found, area, list(phenomena))
    return {"when": tables, "change": (rows, found) if rows else None}


def plan_time_parts(view: PlanOverview) -> dict[str, Any]:
    """:func:`time_parts` of a plan: its perimeter × its visible phenomena over the months of
    its monitoring window (a year before the start to the last month monitored)."""
    months = view.monitored.months
    if not months or not may_see_time_patterns(view.monitoring.suppressed):
        return {"when": None, "change": None}
    shapes = get_store().perimeters()
    geometry = shapes[shapes["id"] == view.plan.perimeter_id].geometry.iloc[0]
    period = MonthRange(months[0], months[-1])
    return time_parts(
        view.plan.perimeter,
        geometry,
        view.phenomena,
        start=period.start,
        end=period.end,
        suppressed=False,
    )


def recent_change() -> RecentChange | None:
    """The store's recent-change table (zone and every perimeter that is not archived),
    computed once per data and perimeter version; ``None`` without a dated incident."""
    store = get_store()
    key = (store.data_version(), store.perimeters_version())
    cache: dict[str, Any] = current_app.extensions.setdefault("mmm_recent_change", {})
    with _RECENT_CHANGE_LOCK:  # one request computes it, the others wait for its answer
        if cache.get("key") != key:
            try:
                found = store_recent_change(store)
            except ValueError:  # no dated incident: nothing recent to compare
                found = None
            cache.update(key=key, value=found)
        value: RecentChange | None = cache["value"]
    return value


def add_zone_layers(fmap: folium.Map, view: ZoneOverview, selected: str | None) -> None:
    """The zone map's extra overlays: the rate of the selected phenomenon (every reader: a
    partner's of released counts only) and, for staff whose map is not suppressed, "changed
    significantly in the last 28 days"."""
    layers = []
    kind = preferred_kind(get_store())
    if kind is not None and len(view.perimeters):
        column = 0 if selected is None else 1 + list(view.phenomena).index(selected)
        label = _("All phenomena") if selected is None else view.phenomena[selected]
        base = perimeter_denominators(get_store(), kind, view.perimeters)
        layers.append(
            rate_layer(view.perimeters, view.current, base, column=column, label=label,
                       kind=kind_name(kind, _), smoothed=not view.suppressed, translate=_)
        )  # fmt: skip
    if may_see_time_patterns(current_scope().thresholds is not None):
        found = recent_change()
        if found is not None:
            layers.append(change_layer(view.perimeters, found, view.phenomena, _))
    add_overlays(fmap, layers)


def hotspot_time_parts(
    fmap: folium.Map, result: HotspotResult, phenomena: dict[str, str]
) -> dict[str, Any]:
    """Add the hotspot map's extra layers (the emerging patterns of a run that asked for them,
    the near-repeat alerts of its phenomena) and return the page's variables for them:
    ``emerging`` (the summary rows, or ``None``) and ``near_repeat`` (see
    :func:`near_repeat_parts`)."""
    add_overlays(fmap, emerging_layers(result, phenomena, _))
    shown = {code: phenomena.get(code, code) for code in result.phenomena}
    return {
        "emerging": emerging_rows(result, phenomena, _) if result.steps else None,
        **near_repeat_parts(fmap, shown),
    }


def near_repeats(codes: Sequence[str]) -> tuple[list[NearRepeatFinding], list[Alert], date | None]:
    """The near-repeat findings of ``codes`` over the zone's last twelve months, the alerts of
    the last :data:`~mmm.hotspots.near_repeat_alerts.ALERT_DAYS` days and the reference day
    (the last dated incident; ``None`` without one). Each phenomenon is tested, and the alerts
    of each set of phenomena found, once per data version."""
    store = get_store()
    cache: dict[Any, Any] = current_app.extensions.setdefault("mmm_near_repeats", {})
    with _NEAR_REPEAT_LOCK:  # one test at a time; a second asker waits for its answer
        version = store.data_version()
        if cache.get("version") != version:
            cache.clear()
            incidents = store.incidents()
            dated = incidents["occurred"].dropna()
            cache.update(version=version, reference=None if dated.empty else dated.max().date())
        reference: date | None = cache["reference"]
        if reference is None:
            return [], [], None
        todo = [c for c in codes if c not in cache]
        if todo:
            found = near_repeat_findings(store.incidents(), todo, reference=reference)
            cache.update({finding.phenomenon: finding for finding in found})
            for code in todo:
                cache.setdefault(code, None)
        findings = [cache[c] for c in codes if cache.get(c) is not None]
        asked = ("alerts", *codes)  # the same phenomena on every perimeter page: found once
        if asked not in cache:
            cache[asked] = recent_alerts(store.incidents(), findings, reference=reference)
        return findings, cache[asked], reference


def near_repeat_parts(
    fmap: folium.Map,
    phenomena: dict[str, str],
    *,
    near: BaseGeometry | None = None,
    suppressed: bool = False,
) -> dict[str, Any]:
    """Add the near-repeat alert layer to ``fmap`` (the alerts whose circle reaches ``near``,
    or all) and return ``near_repeat``: ``(findings, reference)`` for the page's sentences, or
    ``None`` when the reader may not see them."""
    if not may_see_time_patterns(suppressed):
        return {"near_repeat": None}
    findings, alerts, reference = near_repeats(list(phenomena))
    if reference is None:
        return {"near_repeat": None}
    if near is not None:
        alerts = [a for a in alerts if near.distance(Point(a.x, a.y)) <= a.radius_m]
    if any(f.reach is not None for f in findings):
        add_overlays(
            fmap,
            [alert_layer(alerts, findings, phenomena, _, reference=reference, days=ALERT_DAYS)],
        )
    return {"near_repeat": (findings, reference, len(alerts))}


def rate_parts(view: PerimeterOverview) -> dict[str, Any]:
    """The perimeter page's rates (``rates``: :class:`mmm.present.rates.RateTable` or ``None``):
    for every reader — a partner's only from its released counts, without smoothing."""
    table = perimeter_rate_table(
        get_store(), view.id, list(view.phenomena), view.period, current_scope()
    )
    return {"rates": table, "rate_kind": None if table is None else kind_name(table.kind, _)}
