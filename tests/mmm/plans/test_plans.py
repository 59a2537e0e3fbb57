"""Action plans: CRUD with audit and versions, monitoring and targets on a hand-made dataset,
PDCA rules, the Check on the published WDD example, survey import, partner suppression."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from mmm.access.partners import add_partner, assign
from mmm.access.rules import Scope
from mmm.cli.group import cli
from mmm.crs import WORKING_CRS
from mmm.errors import MMMError, NotFound, StaleVersion
from mmm.evaluate import DateRange
from mmm.plans import (
    act_cycle,
    add_action,
    add_indicator,
    baseline_range,
    check_cycle,
    close_cycle,
    create_plan,
    cycles,
    get_plan,
    import_survey,
    indicator_status,
    indicators,
    list_plans,
    objective_monitoring,
    plan_cycle,
    plan_overview,
    remove_indicator,
    set_resource,
    start_cycle,
    survey_results,
    update_action,
    update_indicator,
    update_plan,
)
from mmm.plans.monitoring import baseline_month
from mmm.store import BatchInfo, Store

ZONE = shapely.box(0, 0, 4000, 4000)
R = shapely.box(1000, 1000, 1400, 1400)  # the plan's perimeter
CONTROL = shapely.box(3000, 3000, 3400, 3400)  # a control perimeter far from R
# One spot per study area (buffer 250 m): R, its ring D, the control C and its ring D_C.
SPOTS = {"R": (1200, 1200), "D": (1500, 1200), "C": (3200, 3200), "DC": (3500, 3200)}


def _incidents(store: Store, rows: list[tuple[str, str, str, float, float]]) -> None:
    frame = pd.DataFrame(rows, columns=["source_id", "phenomenon", "occurred", "x", "y"])
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    store.add_incidents(frame, BatchInfo("incidents", "test", "test", len(frame), 0))


@pytest.fixture
def town(store: Store) -> Store:
    """A zone with two perimeters, two partners, no incidents yet."""
    store.set_zone("Testzone", ZONE, BatchInfo("zone", "test", "test", 1, 0))
    shapes = gpd.GeoDataFrame(
        {"name": ["Centrum", "Controle"], "description": ["", ""]},
        geometry=[R, CONTROL],
        crs=WORKING_CRS,
    )
    store.add_perimeters(shapes, BatchInfo("perimeters", "test", "test", 2, 0))
    _incidents(store, [("seed", "drugs", "2020-01-01", 10, 10)])  # registers the code
    _incidents(store, [("seed2", "burglary_dwelling", "2020-01-01", 10, 10)])
    add_partner(store, "Politie", type="police")
    add_partner(store, "Preventie", type="prevention_service")
    assign(store, "Preventie", perimeter="Centrum", phenomenon="drugs", responsibility="lead")
    return store


def _plan(store: Store, **kwargs) -> int:
    args = {
        "perimeter": "Centrum",
        "zvp_period": "2020-2025",
        "title": "Veilig Centrum",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
        "phenomena": ["drugs", "burglary_dwelling"],
        "actor": "tester",
    }
    return create_plan(store, **{**args, **kwargs})


# -- CRUD, versions, audit ---------------------------------------------------------------------
def test_plan_crud_is_versioned_and_audited(town: Store) -> None:
    plan_id = _plan(town, sections={"problem": "Dealen op het plein"})
    plan = get_plan(town, plan_id)
    assert (plan.perimeter, plan.version, plan.phenomena) == (
        "Centrum",
        1,
        ("burglary_dwelling", "drugs"),
    )
    assert plan.sections["problem"] == "Dealen op het plein" and plan.sections["victims"] == ""
    new = update_plan(town, plan_id, 1, title="Veilig en leefbaar Centrum", actor="tester")
    assert new == 2 and get_plan(town, plan_id).title == "Veilig en leefbaar Centrum"
    with pytest.raises(StaleVersion, match="changed by someone else"):
        update_plan(town, plan_id, 1, title="Oude versie", actor="other")
    assert get_plan(town, plan_id).title == "Veilig en leefbaar Centrum"  # never merged
    action_id = add_action(
        town, plan_id, title="Controles", approach="repressive", owner="Politie",
        starts_on="2024-02-01", ends_on="2024-06-30", actor="tester",
    )  # fmt: skip
    assert update_action(town, action_id, 1, status="done", actor="tester") == 2
    with pytest.raises(StaleVersion):
        update_action(town, action_id, 1, status="cancelled", actor="tester")
    set_resource(town, plan_id, "Politie", hours_per_month=40, budget_eur=1000, actor="tester")
    set_resource(town, plan_id, "Preventie", hours_per_month=12.5, actor="tester")
    plan = get_plan(town, plan_id)
    assert [a.status for a in plan.actions] == ["done"]
    assert (plan.hours_per_month, plan.budget_eur) == (52.5, 1000.0)
    events = town.audit_events()
    mine = events[events["actor"] == "tester"]
    assert list(zip(mine["action"], mine["entity"], strict=True)) == [
        ("create", "action_plan"),
        ("update", "action_plan"),
        ("create", "plan_action"),
        ("update", "plan_action"),
        ("set_resource", "action_plan"),
        ("set_resource", "action_plan"),
    ]
    assert "title" in mine["detail"].iloc[1]  # which fields changed, not their text


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"zvp_period": "2025"}, MMMError, "YYYY-YYYY"),
        ({"starts_on": "2024-06-01", "ends_on": "2024-01-01"}, MMMError, "before it starts"),
        ({"ends_on": "2027-01-01"}, MMMError, "within its ZVP period"),
        ({"phenomena": []}, MMMError, "at least one phenomenon"),
        ({"phenomena": ["arson"]}, NotFound, "arson"),
        ({"perimeter": "Nergens"}, NotFound, "Nergens"),
        ({"title": " "}, MMMError, "title is empty"),
        ({"sections": {"budget": "x"}}, MMMError, "unknown section"),
    ],
)
def test_bad_plans_are_refused_and_store_nothing(town, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        _plan(town, **kwargs)
    assert list_plans(town) == []


def test_one_plan_per_perimeter_per_zvp_period(town: Store) -> None:
    _plan(town)
    with pytest.raises(MMMError, match="already has an action plan for ZVP 2020-2025"):
        _plan(town, title="Tweede")
    _plan(town, zvp_period="2026-2031", starts_on="2026-01-01", ends_on="2026-12-31")
    assert [p.zvp_period for p in list_plans(town)] == ["2020-2025", "2026-2031"]
    assert list_plans(town, perimeter_ids=frozenset({999})) == []


def test_actions_stay_inside_the_plan(town: Store) -> None:
    plan_id = _plan(town)
    with pytest.raises(MMMError, match="outside the plan"):
        add_action(town, plan_id, title="Te laat", approach="preventive", owner="Politie",
                   starts_on="2024-06-01", ends_on="2025-02-01")  # fmt: skip
    with pytest.raises(NotFound, match="no partner"):
        add_action(town, plan_id, title="X", approach="preventive", owner="Onbekend",
                   starts_on="2024-06-01", ends_on="2024-07-01")  # fmt: skip
    with pytest.raises(MMMError, match="unknown approach"):
        add_action(town, plan_id, title="X", approach="magic", owner="Politie",
                   starts_on="2024-06-01", ends_on="2024-07-01")  # fmt: skip
    assert get_plan(town, plan_id).actions == ()


# -- objective monitoring and targets on a hand-made dataset -----------------------------------
@pytest.fixture
def counted(town: Store) -> tuple[Store, int]:
    """Drugs in R: 2023-01: 4, 2023-02: 6, 2023-03: 10 (baseline); 2024-01: 2, 2024-02: 3,
    2024-03: 5; burglary in R: 5 in 2023-01, none since; plus drugs outside R that never count.
    The data end in March 2024, so March is the last month monitored."""
    rows = []
    per_month = {"2023-01": 4, "2023-02": 6, "2023-03": 10, "2024-01": 2, "2024-02": 3,
                 "2024-03": 5}  # fmt: skip
    for month, n in per_month.items():
        rows += [(f"d{month}-{i}", "drugs", f"{month}-{i + 1:02d}", *SPOTS["R"]) for i in range(n)]
        rows.append((f"out{month}", "drugs", f"{month}-15", *SPOTS["C"]))
    rows += [(f"b{i}", "burglary_dwelling", "2023-01-20", 1000, 1000 + i) for i in range(5)]  # edge
    _incidents(town, rows)
    return town, _plan(town)


def test_objective_monitoring_on_hand_checked_numbers(counted) -> None:
    store, plan_id = counted
    mon = objective_monitoring(store, get_plan(store, plan_id), with_hotspots=False)
    assert mon.start_month == "2024-01" and mon.last_month == "2024-03"
    assert mon.plan_months == ("2024-01", "2024-02", "2024-03")
    assert mon.months[0] == "2023-01" and len(mon.months) == 15
    drugs = mon.result("drugs")
    assert (drugs.count, drugs.baseline) == (10, 20)  # 2+3+5 against 4+6+10
    assert drugs.change_pct == pytest.approx(-50.0)
    assert drugs.trend == "too_short" and drugs.hotspot == "not_computed"
    burglary = mon.result("burglary_dwelling")  # 5 on R's boundary: covered, so counted
    assert (burglary.count, burglary.baseline, burglary.change_pct) == (0, 5, -100.0)
    assert mon.monthly.loc["burglary_dwelling", "2023-01"] == 5
    empty = objective_monitoring(
        store, get_plan(store, plan_id), until=date(2023, 12, 31), with_hotspots=False
    )  # nothing monitored yet: no change to show
    assert empty.last_month is None and empty.result("drugs").change_pct is None
    assert "the incidents end in 2024-03" in mon.notes[0]


def test_baseline_is_the_same_calendar_month_before_the_start() -> None:
    assert baseline_month("2024-03", "2024-01") == "2023-03"
    assert baseline_month("2025-02", "2024-07") == "2024-02"
    assert baseline_month("2025-09", "2024-07") == "2023-09"  # Sept 2024 is inside the plan
    assert baseline_range(date(2024, 7, 1), DateRange(date(2025, 1, 1), date(2025, 6, 30))) == (
        DateRange(date(2024, 1, 1), date(2024, 6, 30))
    )
    leap = DateRange(date(2025, 2, 1), date(2025, 2, 28))
    assert baseline_range(date(2024, 3, 1), leap).start == date(2024, 2, 1)
    assert baseline_range(date(2027, 6, 1), DateRange(date(2028, 2, 29), date(2028, 2, 29))) == (
        DateRange(date(2027, 2, 28), date(2027, 2, 28))  # 29 Feb in a common year → 28th
    )


def test_targets_on_hand_checked_numbers(counted, tmp_path: Path) -> None:
    store, plan_id = counted
    plan = get_plan(store, plan_id)
    add_indicator(store, plan_id, label="Drugs −40 % tegen maart", kind="incidents",
                  subject="drugs", comparison="at_most", target=-40, deadline="2024-03-31")  # fmt: skip
    add_indicator(store, plan_id, label="Drugs −60 % tegen februari", kind="incidents",
                  subject="drugs", comparison="at_most", target=-60, deadline="2024-02-29")  # fmt: skip
    add_indicator(store, plan_id, label="Onveiligheidsgevoel onder 25 %", kind="survey",
                  subject="feeling_unsafe", comparison="at_most", target=25,
                  deadline="2024-12-31")  # fmt: skip
    add_indicator(store, plan_id, label="Tevredenheid boven 60 %", kind="survey",
                  subject="satisfaction_neighbourhood", comparison="at_least", target=60,
                  deadline="2024-12-31")  # fmt: skip
    csv = tmp_path / "survey.csv"
    csv.write_text(
        "perimeter,period,indicator,value,respondents\n"
        "Centrum,2023,feeling_unsafe,31,120\n"
        'Centrum,2024-Q1,feeling_unsafe,"24,5",80\n'
        "Centrum,2025,feeling_unsafe,10,80\n"  # after the deadline: not used
    )
    import_survey(store, csv)
    mon = objective_monitoring(store, plan, with_hotspots=False)
    found = indicator_status(
        plan, indicators(store, plan_id), mon, survey_results(store), today=date(2024, 3, 15)
    )
    by_label = {s.indicator.label[:10]: s for s in found}
    march = by_label["Drugs −40 "]  # (10 − 20) / 20 = −50 % ≤ −40 %: met, deadline not passed
    assert (march.value, march.count, march.baseline, march.status) == (-50.0, 10, 20, "on_track")
    february = by_label["Drugs −60 "]  # Jan–Feb: (5 − 10) / 10 = −50 % > −60 %, deadline passed
    assert (february.value, february.measured, february.status) == (
        -50.0,
        "2024-01 – 2024-02",
        "missed",
    )
    unsafe = by_label["Onveilighe"]  # 24.5 ≤ 25; baseline the 2023 figure
    assert (unsafe.value, unsafe.baseline, unsafe.measured, unsafe.status) == (
        24.5,
        31.0,
        "2024-Q1",
        "on_track",
    )
    assert by_label["Tevredenhe"].status == "no_data"
    later = indicator_status(
        plan, indicators(store, plan_id), mon, survey_results(store), today=date(2025, 1, 2)
    )
    assert [s.status for s in later] == ["missed", "achieved", "achieved", "no_data"]
    with pytest.raises(MMMError, match="not one of the plan's phenomena"):
        add_indicator(store, plan_id, label="x", kind="incidents", subject="vandalism",
                      comparison="at_most", target=1, deadline="2024-06-30")  # fmt: skip
    with pytest.raises(MMMError, match="outside the plan"):
        add_indicator(store, plan_id, label="x", kind="survey", subject="feeling_unsafe",
                      comparison="at_most", target=1, deadline="2026-06-30")  # fmt: skip
    first = indicators(store, plan_id)[0]
    with pytest.raises(StaleVersion):
        remove_indicator(store, first.id, first.version + 1)
    remove_indicator(store, first.id, first.version, actor="tester")
    assert len(indicators(store, plan_id)) == 3


# -- PDCA cycles -------------------------------------------------------------------------------
def test_pdca_state_rules_and_dates(counted) -> None:
    store, plan_id = counted
    first = plan_cycle(store, plan_id, period_start="2024-01-01", period_end="2024-03-31",
                       planned_check="2024-04-15")  # fmt: skip
    with pytest.raises(MMMError, match="not closed yet"):
        plan_cycle(store, plan_id, period_start="2024-04-01", period_end="2024-06-30",
                   planned_check="2024-07-15")  # fmt: skip
    with pytest.raises(MMMError, match="start the cycle \\(Do\\) before its Check"):
        check_cycle(store, first, 1, on="2024-04-15")
    with pytest.raises(MMMError, match="cannot be closed without a Check"):
        close_cycle(store, first, 1, on="2024-04-15")
    version = start_cycle(store, first, 1, on="2024-01-02")
    with pytest.raises(MMMError, match="before the evaluated period ends"):
        check_cycle(store, first, version, on="2024-03-01")
    with pytest.raises(MMMError, match="the findings follow a Check"):
        act_cycle(store, first, version, on="2024-04-20", findings="x", adjustments="")
    version = check_cycle(store, first, version, on="2024-04-15")
    with pytest.raises(MMMError, match="\\(Act\\) before closing"):
        close_cycle(store, first, version, on="2024-04-30")
    with pytest.raises(MMMError, match="before the Check"):
        act_cycle(store, first, version, on="2024-04-10", findings="x", adjustments="")
    with pytest.raises(MMMError, match="findings is empty"):
        act_cycle(store, first, version, on="2024-04-20", findings=" ", adjustments="")
    with pytest.raises(StaleVersion):
        act_cycle(store, first, version - 1, on="2024-04-20", findings="x", adjustments="")
    version = act_cycle(store, first, version, on="2024-04-20", findings="Daling drugs",
                        adjustments="Meer straathoekwerk")  # fmt: skip
    with pytest.raises(MMMError, match="before its Act"):
        close_cycle(store, first, version, on="2024-04-19")
    close_cycle(store, first, version, on="2024-04-30")
    with pytest.raises(MMMError, match="start after the previous cycle"):
        plan_cycle(store, plan_id, period_start="2024-03-01", period_end="2024-06-30",
                   planned_check="2024-07-15")  # fmt: skip
    with pytest.raises(MMMError, match="planned before the period ends"):
        plan_cycle(store, plan_id, period_start="2024-04-01", period_end="2024-06-30",
                   planned_check="2024-06-15")  # fmt: skip
    with pytest.raises(MMMError, match="within the plan"):
        plan_cycle(store, plan_id, period_start="2024-04-01", period_end="2025-06-30",
                   planned_check="2025-07-15")  # fmt: skip
    second = plan_cycle(store, plan_id, period_start="2024-04-01", period_end="2024-06-30",
                        planned_check="2024-07-15")  # fmt: skip
    with pytest.raises(MMMError, match="before the previous one was closed"):
        start_cycle(store, second, 1, on="2024-04-29")
    history = cycles(store, plan_id)
    assert [(c.number, c.status) for c in history] == [(1, "closed"), (2, "planned")]
    closed = history[0]
    assert (closed.started_on, closed.checked_on, closed.acted_on, closed.closed_on) == (
        date(2024, 1, 2), date(2024, 4, 15), date(2024, 4, 20), date(2024, 4, 30),
    )  # fmt: skip
    drugs = closed.evaluation["phenomena"]["drugs"]
    assert closed.evaluation["before"] == {"from": "2023-01-01", "to": "2023-03-31"}
    assert (drugs["counts"]["Rb"], drugs["counts"]["Ra"]) == (20, 10)
    assert (drugs["counts"]["Cb"], drugs["counts"]["Ca"]) == (3, 3)  # one a month outside R
    assert not drugs["insufficient_data"]  # 30 in R over both periods (at least 20)
    steps = store.audit_events().query("entity == 'plan_cycle'")["action"].tolist()
    assert steps == ["create", "do", "check", "act", "closed", "create"]


@pytest.fixture
def worked_example(town: Store) -> tuple[Store, int]:
    """The published WDD check as incidents: control 308→318, R 207→110, the control's buffer
    150→140, R's buffer 178→157 (Wheeler & Ratcliffe 2018), before 2023-H1, after 2024-H1."""
    counts = {"R": (207, 110), "C": (308, 318), "DC": (150, 140), "D": (178, 157)}
    rows = []
    for area, (before, after) in counts.items():
        for when, n, day in (("b", before, "2023-03-15"), ("a", after, "2024-03-15")):
            rows += [(f"{area}{when}{i}", "drugs", day, *SPOTS[area]) for i in range(n)]
    _incidents(town, rows)
    plan_id = _plan(town, phenomena=["drugs"], ends_on="2024-12-31")
    return town, plan_id


def test_the_check_reproduces_the_published_wdd_and_the_wdq(worked_example) -> None:
    store, plan_id = worked_example
    cycle = plan_cycle(store, plan_id, period_start="2024-01-01", period_end="2024-06-30",
                       planned_check="2024-07-10", control="Controle")  # fmt: skip
    version = start_cycle(store, cycle, 1, on="2024-01-01")
    check_cycle(store, cycle, version, on="2024-07-10")
    stored = cycles(store, plan_id)[0].evaluation
    assert stored["before"] == {"from": "2023-01-01", "to": "2023-06-30"}
    drugs = stored["phenomena"]["drugs"]
    assert drugs["counts"] == {"Rb": 207, "Ra": 110, "Db": 178, "Da": 157, "Cb": 308,
                               "Ca": 318, "DCb": 150, "DCa": 140}  # fmt: skip
    assert drugs["wdd"] == pytest.approx(-118.0)  # −97 − 10 − 21 + 10
    assert drugs["wdd_se"] == pytest.approx(math.sqrt(1568))  # the sum of the eight counts
    assert drugs["wdd_z"] == pytest.approx(-2.98, abs=0.005)
    wdq = (Fraction(157, 318) - Fraction(178, 308)) / (Fraction(110, 318) - Fraction(207, 308))
    assert drugs["wdq"] == pytest.approx(float(wdq))  # 0.258: diffusion of benefits
    assert drugs["wdq_reading"] == "diffusion of benefits"


def test_control_cannot_be_the_plans_own_perimeter(town: Store) -> None:
    plan_id = _plan(town)
    with pytest.raises(MMMError, match="own perimeter"):
        plan_cycle(store := town, plan_id, period_start="2024-01-01", period_end="2024-03-31",
                   planned_check="2024-04-01", control="Centrum")  # fmt: skip
    with pytest.raises(NotFound, match="Elders"):
        plan_cycle(store, plan_id, period_start="2024-01-01", period_end="2024-03-31",
                   planned_check="2024-04-01", control="Elders")  # fmt: skip


# -- survey import -----------------------------------------------------------------------------
def test_survey_import_good_and_bad_rows(town: Store, tmp_path: Path) -> None:
    csv = tmp_path / "enquete.csv"
    csv.write_text(
        "Perimeter;Periode;Indicator;Waarde;Eenheid;Respondenten;Bron\n"
        "Centrum;2024;feeling_unsafe;27,5;percent;150;Veiligheidsmonitor\n"
        "Centrum;2024-01:2024-06;complaints_noise;12;count;;Klachtenregister\n"
        "Nergens;2024;feeling_unsafe;20;percent;10;x\n"
        "Centrum;2024-Q5;feeling_unsafe;20;percent;10;x\n"
        "Centrum;2024;Feeling Unsafe;20;percent;10;x\n"
        "Centrum;2024;satisfaction;veel;percent;10;x\n"
        "Centrum;2024;satisfaction;120;percent;10;x\n"
        "Centrum;2024;complaints_litter;2,5;count;;x\n"
        "Centrum;2024;satisfaction;60;percent;tien;x\n"
        "Centrum;2024;satisfaction;60;ratio;10;x\n"
        "Centrum;2024;feeling_unsafe;28;percent;150;dubbel\n"
    )
    report = import_survey(town, csv, actor="tester")
    assert (report.read, report.imported) == (11, 2)
    assert report.rejected["row"].tolist() == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert report.rejected["reason"].tolist() == [
        "unknown perimeter",
        "unreadable period (write 2025, 2025-Q2, 2025-03 or FROM:TO)",
        "the indicator is not a lower-case code (letters, digits, _)",
        "non-numeric value",
        "a percentage outside 0–100",
        "a count that is not a whole number of 0 or more",
        "respondents is not a whole number of 0 or more",
        "unknown unit (choose percent, count, score)",
        "duplicate perimeter, period and indicator in the file",
    ]
    stored = survey_results(town)
    assert stored[["indicator", "value", "unit", "respondents"]].values.tolist() == [
        ["complaints_noise", 12.0, "count", None],
        ["feeling_unsafe", 27.5, "percent", 150],
    ]
    assert stored["period_start"].tolist() == [date(2024, 1, 1), date(2024, 1, 1)]
    assert stored["period_end"].tolist() == [date(2024, 6, 30), date(2024, 12, 31)]
    audit = town.audit_events().query("entity == 'survey_results'")
    assert len(audit) == 1 and '"rejected": 9' in audit["detail"].iloc[0]
    again = import_survey(town, csv, actor="tester")  # the good rows are stored already
    assert again.imported == 0 and "already stored" in again.rejected["reason"].iloc[0]
    csv.write_text("perimeter,period,indicator,value\nCentrum,2024,feeling_unsafe,22\n")
    replaced = import_survey(town, csv, replace=True, actor="tester")
    assert replaced.imported == 1 and replaced.notes == ["1 stored figure(s) replaced"]
    assert survey_results(town)["value"].tolist() == [12.0, 22.0]


def test_survey_file_without_required_columns_is_refused(town: Store, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("wijk,jaar,cijfer\nCentrum,2024,3\n")
    with pytest.raises(MMMError, match="missing columns perimeter, period, indicator, value"):
        import_survey(town, csv)
    assert survey_results(town).empty


def test_the_example_survey_file_imports_cleanly(store: Store) -> None:
    from mmm.demo import load_demo

    load_demo(store)
    example = Path(__file__).resolve().parents[3] / "data" / "survey-example.csv"
    report = import_survey(store, example, dry_run=True)
    assert report.imported == report.read > 0 and report.rejected.empty


def test_cli_import_survey_writes_a_rejects_file(town: Store, runner, tmp_path: Path) -> None:
    csv = tmp_path / "s.csv"
    csv.write_text("perimeter,period,indicator,value\nCentrum,2024,feeling_unsafe,22\nX,2024,a,1\n")
    result = runner.invoke(cli, ["--store", town.url, "plan", "import-survey", str(csv)])
    assert result.exit_code == 0, result.output
    assert "imported         1" in result.output and "unknown perimeter" in result.output
    assert (tmp_path / "s.rejects.csv").read_text().splitlines()[1].startswith("2,unknown")


# -- what a partner sees -----------------------------------------------------------------------
def test_partner_view_hides_other_phenomena_and_small_counts(counted) -> None:
    store, plan_id = counted
    partner = Scope(
        pairs=frozenset({(int(get_plan(store, plan_id).perimeter_id), "drugs")}),
        thresholds={"drugs": 5, "burglary_dwelling": 5},
    )
    staff = plan_overview(store, plan_id, with_hotspots=False)
    seen = plan_overview(store, plan_id, scope=partner, with_hotspots=False)
    assert staff.phenomena == ("burglary_dwelling", "drugs") and seen.phenomena == ("drugs",)
    row = seen.monitoring.summary.loc["drugs"]
    # plan months 2, 3, 5 and baseline months 4, 6, 10: a total with a suppressed part is
    # shown as its visible part, so the part cannot be recovered by subtraction
    assert (row["count"], row["baseline"]) == ("≥5", "≥16")
    assert math.isnan(row["change_pct"])  # not derivable from hidden counts
    months = seen.monitoring.months_text.loc["drugs"]
    assert (months["2024-01"], months["2024-02"], months["2024-03"]) == ("<5", "<5", "5")
    assert math.isnan(seen.monitoring.chart.loc["drugs", "2024-01"])
    assert staff.monitoring.summary.loc["drugs", "count"] == "10"
    other = Scope(pairs=frozenset({(999, "drugs")}), thresholds={"drugs": 5})
    with pytest.raises(NotFound):
        plan_overview(store, plan_id, scope=other, with_hotspots=False)


def test_a_target_is_adjusted_with_its_version_and_audited(counted) -> None:
    store, plan_id = counted
    target = add_indicator(store, plan_id, label="Drugs −40 %", kind="incidents",
                           subject="drugs", comparison="at_most", target=-40,
                           deadline="2024-03-31")  # fmt: skip
    assert update_indicator(store, target, 1, target=-30, deadline="2024-06-30", actor="t") == 2
    (adjusted,) = indicators(store, plan_id)
    assert (adjusted.label, adjusted.target, adjusted.deadline, adjusted.kind) == (
        "Drugs −40 %",
        -30.0,
        date(2024, 6, 30),
        "incidents",
    )
    with pytest.raises(StaleVersion):  # someone adjusted it meanwhile: nothing is written
        update_indicator(store, target, 1, target=-99, deadline="2024-06-30", actor="t")
    with pytest.raises(MMMError, match="outside the plan"):
        update_indicator(store, target, 2, target=-10, deadline="2030-01-01", actor="t")
    assert indicators(store, plan_id)[0].target == -30.0
    event = store.audit_events().query("entity == 'plan_indicator'").iloc[-1]
    assert (event["action"], event["actor"]) == ("update", "t")
