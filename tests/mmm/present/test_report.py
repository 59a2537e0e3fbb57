"""A plan's progress for the report, the dossier and meeting mode: what each reader sees."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mmm.access.rules import EVERYTHING, audience_scope, scope_for
from mmm.access.users import user_by_name
from mmm.demo import add_demo_partners, add_demo_plans, add_demo_users, load_demo
from mmm.errors import NotFound
from mmm.plans import list_plans, plan_overview
from mmm.present.meeting import meeting_slides
from mmm.present.report import current_plan, plan_progress, plans_of
from mmm.store import Store, open_store

TODAY = date(2025, 6, 15)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = Path(tmp_path_factory.mktemp("report")) / "demo.sqlite"
    store = open_store(f"sqlite:///{path}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_plans(store)
    add_demo_users(store)
    return store


def _plan(store: Store, perimeter: str) -> int:
    return next(p.id for p in list_plans(store) if p.perimeter == perimeter)


def _shown_counts(progress) -> list[str]:
    """Every count a reader reads: monthly, totals, indicator baselines, Checks."""
    m = progress.monitoring
    texts = [str(v) for v in m.months_text.to_numpy().ravel()]
    texts += [str(v) for v in m.summary[["baseline", "count"]].to_numpy().ravel()]
    texts += [str(s.baseline) for s in progress.indicators if s.indicator.kind == "incidents"]
    texts += [r.before for c in progress.cycles for r in c.checks]
    texts += [r.after for c in progress.cycles for r in c.checks]
    return [t for t in texts if t != "None"]


def test_a_partner_reads_no_suppressed_figure(store: Store) -> None:
    partner = user_by_name(store, "partner")
    # A threshold of 20 so that the demo's monthly counts include some to hide.
    scope = scope_for(store, partner, threshold=20, overrides={"intrafamily_violence": 25})
    plan_id = _plan(store, "Stationsbuurt")
    progress = plan_progress(store, plan_id, scope, today=TODAY)
    staff = plan_progress(store, plan_id, EVERYTHING, today=TODAY)
    assert progress.suppressed and not staff.suppressed
    allowed = {c for p, c in scope.pairs if p == progress.plan.perimeter_id}
    assert set(progress.phenomena) == allowed & set(staff.phenomena)
    assert set(progress.phenomena) < set(staff.phenomena)  # some of the plan is not theirs
    small = 0
    for text in _shown_counts(progress):
        if re.fullmatch(r"<\d+", text):
            small += 1
            continue
        number = re.fullmatch(r"≥?(\d+)", text)
        assert number is not None, text
        assert int(number.group(1)) >= 20, text
    assert small > 0  # small monthly counts exist: they were hidden, not left out
    assert any(int(t) < 20 for t in _shown_counts(staff) if t.isdigit())
    # A partner's Check carries no zone figure.
    rows = [r for c in progress.cycles for r in c.checks]
    assert rows and all(r.wdd is None and r.wdd_z is None and r.wdq is None for r in rows)


def test_staff_read_every_figure_of_the_plans_overview(store: Store) -> None:
    plan_id = _plan(store, "Stationsbuurt")
    progress = plan_progress(store, plan_id, EVERYTHING, today=TODAY)
    overview = plan_overview(store, plan_id, today=TODAY)
    assert list(progress.phenomena) == list(overview.plan.phenomena)
    assert progress.monitoring.months_text.equals(overview.monitoring.months_text)
    closed = progress.cycles[0]
    stored = overview.cycles[0].evaluation
    assert closed.status == "closed" and stored is not None
    for row in closed.checks:
        result = stored["phenomena"][row.phenomenon]
        assert row.before == str(result["counts"]["Rb"])
        assert row.after == str(result["counts"]["Ra"])
        assert row.wdd == result["wdd"]
        significant = result["wdd_p"] is not None and result["wdd_p"] < 0.05
        assert (row.verdict != "no_significant_change") == (
            significant or result["insufficient_data"]
        )
    assert progress.next_check == overview.next_check
    owners = {a.owner for a in progress.plan.actions if a.status in ("planned", "ongoing")}
    assert set(progress.open_actions) == owners
    assert all(a.is_open for items in progress.open_actions.values() for a in items)


def test_a_plan_the_partner_may_not_see_is_not_found(store: Store) -> None:
    scope = scope_for(store, user_by_name(store, "partner"))
    hidden = [p for p in list_plans(store) if p not in plans_of(store, scope, p.perimeter_id)]
    assert hidden
    with pytest.raises(NotFound):
        plan_progress(store, hidden[0].id, scope, today=TODAY)
    with pytest.raises(NotFound):
        plan_progress(store, 9999, EVERYTHING, today=TODAY)


def test_the_current_plan_is_the_active_one_running_today(store: Store) -> None:
    plans = list_plans(store)
    assert current_plan([], TODAY) is None
    plan = current_plan(plans, TODAY)
    assert plan is not None and plan.starts_on <= TODAY <= plan.ends_on
    assert current_plan(plans, date(2040, 1, 1)) == max(plans, key=lambda p: p.starts_on)


def test_meeting_slides_follow_the_agenda_without_repeating_a_perimeter(store: Store) -> None:
    linde, station = _plan(store, "Sociale woonwijk De Linde"), _plan(store, "Stationsbuurt")
    ids = dict(zip(store.perimeters()["name"], store.perimeters()["id"], strict=True))
    without_plan = next(n for n in ids if n not in {"Sociale woonwijk De Linde", "Stationsbuurt"})
    slides = meeting_slides(
        store,
        audience_scope(store),
        plan_ids=[linde],
        perimeter_ids=[ids["Sociale woonwijk De Linde"], ids[without_plan], ids["Stationsbuurt"]],
        today=TODAY,
    )
    names = [s.perimeter.name for s in slides]
    assert names == ["Sociale woonwijk De Linde", without_plan, "Stationsbuurt"]
    assert slides[0].progress is not None and slides[0].progress.plan.id == linde
    assert slides[1].progress is None
    assert slides[2].progress is not None and slides[2].progress.plan.id == station
    assert all(
        s.perimeter.suppressed and s.progress is None or s.progress.suppressed for s in slides
    )
    with pytest.raises(NotFound):
        meeting_slides(store, EVERYTHING, today=TODAY)


def test_the_audience_scope_hides_small_counts_everywhere(store: Store) -> None:
    scope = audience_scope(store, threshold=5, overrides={"intrafamily_violence": 10})
    assert scope.pairs is None
    assert scope.thresholds is not None
    assert scope.thresholds["intrafamily_violence"] == 10 and scope.thresholds["drugs"] == 5
