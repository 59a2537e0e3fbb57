"""The slides of a meeting: one per perimeter on the agenda, with its plan's progress.

Why: a project group meets around one shared screen and walks through its perimeters. Each
slide shows the perimeter's map and, when it has an action plan, the indicators against their
targets, the open actions per partner and the next evaluation (:func:`mmm.present.report.plan_progress`);
a perimeter without a plan shows its counts per phenomenon for the last twelve months with
data (:func:`mmm.present.overview.perimeter_overview`). The scope decides what is shown: with partners
in the room, staff pass :func:`mmm.access.rules.audience_scope` so small counts are hidden there too.
An evaluation or an action whose day has passed is flagged with how late it is (:func:`lateness`):
a project group must not read a date a year in the past as if it were still to come.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from mmm.access.rules import Scope
from mmm.errors import NotFound
from mmm.present.overview import PerimeterOverview, perimeter_overview
from mmm.present.report import PlanProgress, current_plan, plan_progress, plans_of
from mmm.store import Store


@dataclass(frozen=True)
class Slide:
    """One perimeter of the meeting: its counts and, when it has one, its plan's progress."""

    perimeter: PerimeterOverview
    progress: PlanProgress | None


@dataclass(frozen=True)
class Lateness:
    """How long ago a due day passed: whole calendar months, and days (for less than a month)."""

    months: int
    days: int


def lateness(due: date | None, today: date) -> Lateness | None:
    """How late something due on ``due`` is on ``today``; ``None`` when not late (or no day).

    Months are whole calendar months (due 15 January, today 14 March: one month; 15 March: two).
    """
    if due is None or due >= today:
        return None
    months = (today.year - due.year) * 12 + today.month - due.month - (today.day < due.day)
    return Lateness(months=months, days=(today - due).days)


def meeting_slides(
    store: Store,
    scope: Scope,
    *,
    plan_ids: Iterable[int] = (),
    perimeter_ids: Iterable[int] = (),
    today: date,
    language: str = "nl",
    with_hotspots: bool = True,
) -> list[Slide]:
    """The slides of a meeting: the chosen plans first, then the chosen perimeters.

    A chosen perimeter shows its current plan (:func:`mmm.present.report.current_plan`), if any; a
    perimeter already shown through a chosen plan is not repeated. ``with_hotspots``: see
    :func:`mmm.present.report.plan_progress`.

    Raises
    ------
    NotFound
        For a plan or perimeter that does not exist or that the scope does not show.
    """
    slides: list[Slide] = []
    shown: set[int] = set()
    for plan_id in dict.fromkeys(plan_ids):
        chosen = plan_progress(
            store, plan_id, scope, today=today, language=language, with_hotspots=with_hotspots
        )
        slides.append(Slide(_overview(store, chosen.plan.perimeter_id, scope, language), chosen))
        shown.add(chosen.plan.perimeter_id)
    for perimeter_id in dict.fromkeys(perimeter_ids):
        if perimeter_id in shown:
            continue
        overview = _overview(store, perimeter_id, scope, language)
        plan = current_plan(plans_of(store, scope, perimeter_id), today)
        progress = (
            None
            if plan is None
            else plan_progress(
                store, plan.id, scope, today=today, language=language, with_hotspots=with_hotspots
            )
        )
        slides.append(Slide(overview, progress))
        shown.add(perimeter_id)
    if not slides:
        raise NotFound("choose at least one perimeter or plan for the meeting")
    return slides


def _overview(store: Store, perimeter_id: int, scope: Scope, language: str) -> PerimeterOverview:
    return perimeter_overview(store, perimeter_id, language=language, scope=scope)
