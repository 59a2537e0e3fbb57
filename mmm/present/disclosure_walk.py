"""Every number one partner's users can be shown, collected by running the views themselves.

Why here: the audit (:mod:`mmm.access.disclosure_audit`) must see what the pages show, not
what someone believes they show. So this module calls the very functions the pages call —
:func:`~mmm.present.overview.zone_overview` and
:func:`~mmm.present.overview.perimeter_overview` for every range of whole months a partner can
choose (with the perimeter page's rates, :func:`~mmm.present.rates.perimeter_rate_table`),
:func:`~mmm.present.count_table.count_table` for every period of ``/api/counts`` and
every span of the OGC API's ``counts`` collection,
:func:`~mmm.present.report.plan_progress` for every plan it may open (the plan page, the
progress report and its PDF show that overview), and
:func:`~mmm.present.meeting.meeting_slides` with partners in the room (every perimeter and
plan: its users may sit in any meeting) — inside a :func:`mmm.access.release.recording`, which
writes down every figure handed out.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from mmm.access.disclosure_audit import AuditReport, audit
from mmm.access.partners import partners
from mmm.access.release import Ledger, recording
from mmm.access.rules import Scope, audience_scope, partner_scope, visible_perimeters
from mmm.counting.cells import overlap_atoms, release
from mmm.counting.count import PERIODS
from mmm.counting.months import MonthRange
from mmm.errors import NotFound
from mmm.plans import visible_plans
from mmm.present.count_table import count_table
from mmm.present.meeting import meeting_slides
from mmm.present.overview import perimeter_overview, zone_overview
from mmm.present.rates import perimeter_rate_table
from mmm.present.report import plan_progress
from mmm.store import Store

#: The store reads every view makes; the walk makes each once (see :func:`read_once`).
READS = (
    "perimeters", "zone", "phenomena", "labels", "data_version", "perimeters_version",
    "denominator_kinds", "denominators",
)  # fmt: skip


def audit_partner(
    store: Store,
    partner: str,
    *,
    threshold: int = 5,
    overrides: Mapping[str, int] | None = None,
    today: date | None = None,
) -> AuditReport:
    """Collect what the users of ``partner`` can be shown and audit it (see the module).

    Parameters
    ----------
    threshold, overrides
        The app's thresholds (``MMM_SUPPRESS_BELOW``, ``MMM_SUPPRESS_OVERRIDES``).
    today
        The day the plans' targets are read on (default: today).

    Raises
    ------
    NotFound
        For an organisation that is not a registered partner.
    """
    if partner not in set(partners(store)["name"]):
        raise NotFound(f"no partner organisation {partner!r}")
    start = time.perf_counter()
    store = read_once(store)
    scope = partner_scope(store, partner, threshold=threshold, overrides=overrides)
    audience = audience_scope(store, threshold=threshold, overrides=overrides)
    ledger = collect(store, scope, audience, today=today or date.today())
    shown = {pid for entry in ledger.entries for pid, _, _ in entry.cells}
    perimeters = store.perimeters()
    names = dict(zip(perimeters["id"].astype(int), perimeters["name"], strict=True))
    thresholds = scope.thresholds or {}
    report = audit(ledger.entries, overlap_atoms(store, shown), thresholds, names, reader=partner)
    return replace(report, seconds=time.perf_counter() - start)


def collect(store: Store, scope: Scope, audience: Scope, *, today: date) -> Ledger:
    """Run every view a reader with ``scope`` can open, and meeting mode for ``audience``.

    Give it :func:`read_once` of the store: it opens thousands of pages.
    """
    months = release(store, scope).months
    ranges = [(first, last) for i, first in enumerate(months) for last in months[i:]]
    with recording() as ledger:
        for first, last in ranges:
            ledger.where = f"zone map {first}..{last}"
            zone_overview(store, first=first, last=last, scope=scope)
            ledger.where = f"/ogc counts {first}..{last}"
            count_table(store, scope, "all", MonthRange(first, last))
        shown = visible_perimeters(store.perimeters(), scope)
        for pid, name in zip(shown["id"].astype(int), shown["name"], strict=True):
            for first, last in ranges:
                ledger.where = f"perimeter page {name} {first}..{last}"
                view = perimeter_overview(store, pid, first=first, last=last, scope=scope)
                perimeter_rate_table(store, pid, list(view.phenomena), view.period, scope)
        for period in PERIODS:
            ledger.where = f"/api/counts?period={period}"
            count_table(store, scope, period)  # type: ignore[arg-type]
        for plan in visible_plans(store, scope):
            ledger.where = f"plan {plan.id} (page, progress report)"
            plan_progress(store, plan.id, scope, today=today, with_hotspots=False)
        ledger.where = "meeting mode, partners in the room"
        every = [int(pid) for pid in store.perimeters()["id"]]
        plans = [plan.id for plan in visible_plans(store, audience)]
        if every:
            meeting_slides(
                store, audience, plan_ids=plans, perimeter_ids=every, today=today,
                with_hotspots=False,
            )  # fmt: skip
    return ledger


def read_once(store: Store) -> Store:
    """A copy of ``store`` that reads each of :data:`READS` once and hands out copies.

    The walk opens thousands of pages on a store nothing writes to meanwhile; reading the
    perimeters and labels for each of them would take most of its time.
    """
    snapshot = copy.copy(store)
    for name in READS:
        setattr(snapshot, name, _copies(functools.cache(getattr(store, name))))
    return snapshot


def _copies(read: Callable[..., object]) -> Callable[..., object]:
    def fresh(*args: object) -> object:
        found = read(*args)
        return found.copy() if hasattr(found, "copy") else found

    return fresh
