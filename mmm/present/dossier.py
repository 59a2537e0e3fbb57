"""What a meeting dossier holds: one perimeter, its counts, its partners and its plans.

Why: the project group archives a dossier with the minutes of each meeting, and opens it
later on any laptop, offline. :func:`perimeter_dossier` gathers its contents with the core
functions the app's pages use — the perimeter's counts per phenomenon per month
(:func:`mmm.present.overview.perimeter_overview`), who does what (:func:`mmm.access.partners.who_does_what`)
and the progress of each plan of the perimeter (:func:`mmm.present.report.plan_progress`) — under one
reader's :class:`~mmm.access.rules.Scope`. The web layer renders it as one HTML file whose Leaflet,
scripts and styles are inlined (:func:`mmm.present.inline.inline_assets`), so nothing is fetched
when it opens; :func:`record_download` writes the audit event every download needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from mmm.access.audit import check_purpose
from mmm.access.partners import who_does_what
from mmm.access.rules import Scope
from mmm.present.overview import PerimeterOverview, perimeter_overview
from mmm.present.report import PlanProgress, plan_progress, plans_of
from mmm.store import Store


@dataclass(frozen=True)
class Dossier:
    """The contents of one perimeter's meeting dossier.

    Attributes
    ----------
    perimeter
        Name, description, geometry, zone and the counts per phenomenon per month
        (``by_month_text``: numbers, or ``"<5"`` for a restricted scope).
    team
        Who does what in the perimeter: partners, phenomena, responsibilities, descriptions.
    plans
        The progress of each of the perimeter's plans, by ZVP period.
    made_on
        The day the dossier was made (the targets' status is read on it).
    """

    perimeter: PerimeterOverview
    team: pd.DataFrame
    plans: list[PlanProgress]
    made_on: date


def perimeter_dossier(
    store: Store,
    perimeter_id: int,
    scope: Scope,
    *,
    today: date,
    first: str | None = None,
    last: str | None = None,
    language: str = "nl",
    progress: Callable[[str, int, int], None] | None = None,
) -> Dossier:
    """Gather the dossier of perimeter ``perimeter_id`` as a reader with ``scope`` may see it.

    Parameters
    ----------
    first, last
        The months of the counts table (``YYYY-MM``); by default the last twelve with data.
    today
        The day the dossier is made for.
    language
        Of the phenomenon labels.
    progress
        ``progress(step, done, total)`` before each step (default: nobody listens): ``"counts"``
        (the perimeter's counts), ``"team"`` (who does what), then ``"plan"`` once per plan.

    Raises
    ------
    NotFound
        For an unknown perimeter, or one the scope does not show.
    InvalidPeriod
        For months that are not ``YYYY-MM`` or out of order.
    """
    report = progress or (lambda step, done, total: None)
    report("counts", 0, 2)
    overview = perimeter_overview(
        store, perimeter_id, first=first, last=last, language=language, scope=scope
    )
    plans = plans_of(store, scope, perimeter_id)
    total = 2 + len(plans)
    report("team", 1, total)
    team = who_does_what(store, scope.pairs)
    progresses = []
    for done, plan in enumerate(plans, start=2):
        report("plan", done, total)
        progresses.append(plan_progress(store, plan.id, scope, today=today, language=language))
    return Dossier(
        perimeter=overview,
        team=team[team["perimeter_id"] == perimeter_id].reset_index(drop=True),
        plans=progresses,
        made_on=today,
    )


def record_download(
    store: Store, actor: str, what: str, key: str, purpose: str, detail: dict[str, Any]
) -> None:
    """Audit a report or dossier that leaves the app: who, what, why (a purpose is required).

    Raises
    ------
    MMMError
        When ``purpose`` is not one of :data:`mmm.access.audit.PURPOSES`.
    """
    store.record(actor, "export", what, key, {**detail, "purpose": check_purpose(purpose)})
