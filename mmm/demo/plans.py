"""Two fictional action plans for the demo zone, each with a closed and an open PDCA cycle.

Why: the tour, ``make demo`` and the web tests need plans that show every part — sections,
actions per partner, resources, targets, survey figures, a closed cycle with its Check and Act,
and an open one. Everything is invented; the Checks are computed from the demo incidents like
any other. Call :func:`add_demo_plans` after :func:`mmm.demo.zone.load_demo` and
:func:`mmm.demo.people.add_demo_partners`; a second call adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mmm.access.partners import add_partner, partners
from mmm.plans.actions import add_action, set_resource
from mmm.plans.cycles import act_cycle, check_cycle, close_cycle, plan_cycle, start_cycle
from mmm.plans.indicators import add_indicator
from mmm.plans.storage import create_plan, list_plans
from mmm.plans.survey import import_survey_frame
from mmm.store import Store

#: The police zone's own services own the repressive actions: a partner like the others.
POLICE = "Politiezone Demostad"
ZVP = "2020-2025"

#: Survey figures (Veiligheidsmonitor, resident consultation, complaints register).
SURVEY_ROWS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("Stationsbuurt", "2023", "feeling_unsafe", "38", "percent", "212", "Veiligheidsmonitor"),
    ("Stationsbuurt", "2024", "feeling_unsafe", "34", "percent", "198", "Veiligheidsmonitor"),
    ("Stationsbuurt", "2025", "feeling_unsafe", "29", "percent", "205", "Veiligheidsmonitor"),
    ("Stationsbuurt", "2023", "satisfaction_neighbourhood", "52", "percent", "212", "Veiligheidsmonitor"),
    ("Stationsbuurt", "2024", "satisfaction_neighbourhood", "55", "percent", "198", "Veiligheidsmonitor"),
    ("Stationsbuurt", "2025", "satisfaction_neighbourhood", "58", "percent", "205", "Veiligheidsmonitor"),
    ("Stationsbuurt", "2024-01:2024-06", "complaints_nuisance", "14", "count", "", "Klachtenregister"),
    ("Stationsbuurt", "2024-07:2024-12", "complaints_nuisance", "11", "count", "", "Klachtenregister"),
    ("Stationsbuurt", "2025-01:2025-06", "complaints_nuisance", "9", "count", "", "Klachtenregister"),
    ("Stationsbuurt", "2025-07:2025-12", "complaints_nuisance", "3", "count", "", "Klachtenregister"),
    ("Sociale woonwijk De Linde", "2023", "feeling_unsafe", "31", "percent", "140", "Veiligheidsmonitor"),
    ("Sociale woonwijk De Linde", "2024", "feeling_unsafe", "30", "percent", "131", "Veiligheidsmonitor"),
    ("Sociale woonwijk De Linde", "2025-Q2", "feeling_unsafe", "27", "percent", "24", "Bewonersbevraging"),
    ("Sociale woonwijk De Linde", "2024", "satisfaction_neighbourhood", "60", "percent", "131", "Veiligheidsmonitor"),
    ("Sociale woonwijk De Linde", "2025-Q2", "satisfaction_neighbourhood", "63", "percent", "24", "Bewonersbevraging"),
)  # fmt: skip


@dataclass(frozen=True)
class _Step:
    """A cycle of a demo plan: its period and the dates of the steps taken so far."""

    period: tuple[str, str]
    planned_check: str
    started: str
    checked: str | None = None
    acted: tuple[str, str, str] | None = None  # date, findings, adjustments
    closed: str | None = None


_PLANS = (
    {
        "perimeter": "Stationsbuurt",
        "title": "Veilige Stationsbuurt",
        "zvp_objective": "ZVP-doelstelling 2: drugsoverlast en straatcriminaliteit in de "
        "stationsomgeving terugdringen",
        "starts_on": "2024-07-01",
        "ends_on": "2025-12-31",
        "phenomena": ("drugs", "public_nuisance", "street_robbery"),
        "sections": {
            "problem": "Dealen rond het stationsplein, overlast bij de fietsenstalling en "
            "straatroof op reizigers 's avonds.",
            "objective_analysis": "Maandelijkse tellingen per fenomeen in de perimeter, "
            "vergeleken met dezelfde maanden vóór de start; hotspotstatus per kwartaal.",
            "subjective_analysis": "Veiligheidsmonitor (onveiligheidsgevoel, tevredenheid) en "
            "het klachtenregister van de stad.",
            "preventive": "Straathoekwerk, betere verlichting van de fietsenstalling, "
            "cameratoezicht op het plein.",
            "repressive": "Gerichte controles op dealen en zichtbare patrouilles in de avonduren.",
            "victims": "Slachtoffers van straatroof krijgen binnen 48 uur contact van "
            "slachtofferbejegening.",
            "communication": "Bewonersbrief per kwartaal en een infoavond per jaar.",
            "involvement": "Gezamenlijke briefing voor straathoekwerkers en wijkinspecteurs; "
            "overleg met de NMBS.",
        },
        "actions": (
            (
                "Gerichte controles drugsdealen stationsplein",
                "repressive",
                POLICE,
                "2024-07-01",
                "2025-12-31",
                "ongoing",
            ),
            (
                "Straathoekwerk en doorverwijzing naar hulpverlening",
                "preventive",
                "Preventiedienst Demostad",
                "2024-07-01",
                "2025-12-31",
                "ongoing",
            ),
            (
                "Betere verlichting fietsenstalling",
                "preventive",
                "Preventiedienst Demostad",
                "2024-09-01",
                "2024-12-31",
                "done",
            ),
            (
                "Contact met slachtoffers van straatroof binnen 48 uur",
                "victims",
                POLICE,
                "2024-07-01",
                "2025-12-31",
                "ongoing",
            ),
            (
                "Bewonersbrief en infoavond",
                "communication",
                "Preventiedienst Demostad",
                "2024-10-01",
                "2025-11-30",
                "planned",
            ),
            (
                "Spreekuur OCMW in het stationsgebouw",
                "preventive",
                "OCMW Demostad",
                "2025-03-01",
                "2025-12-31",
                "planned",
            ),
        ),  # fmt: skip
        "resources": (
            (POLICE, 120.0, 0.0, "patrouilles en controles"),
            ("Preventiedienst Demostad", 60.0, 15000.0, "straathoekwerk, verlichting"),
            ("OCMW Demostad", 16.0, 0.0, "spreekuur"),
        ),
        "indicators": (
            (
                "Straatroof −20 % tegenover de basislijn tegen eind 2025",
                "incidents",
                "street_robbery",
                "at_most",
                -20.0,
                "2025-12-31",
            ),
            (
                "Drugsfeiten −10 % tegenover de basislijn tegen eind 2025",
                "incidents",
                "drugs",
                "at_most",
                -10.0,
                "2025-12-31",
            ),
            (
                "Onveiligheidsgevoel onder 30 %",
                "survey",
                "feeling_unsafe",
                "at_most",
                30.0,
                "2025-12-31",
            ),
        ),  # fmt: skip
        "cycles": (
            _Step(
                ("2024-07-01", "2024-12-31"),
                "2025-01-20",
                "2024-07-01",
                "2025-01-20",
                (
                    "2025-01-27",
                    "Minder straatroof dan in dezelfde maanden vóór de start; "
                    "de drugsoverlast verschuift deels naar de Kanaalzone.",
                    "Controles uitbreiden tot het jaagpad; straathoekwerk ook in de Kanaalzone.",
                ),
                "2025-02-03",
            ),
            _Step(("2025-01-01", "2025-06-30"), "2025-07-15", "2025-02-03"),
        ),  # fmt: skip
    },
    {
        "perimeter": "Sociale woonwijk De Linde",
        "title": "Samen sterk in De Linde",
        "zvp_objective": "ZVP-doelstelling 4: intrafamiliaal geweld vroeger opsporen en "
        "vandalisme in sociale woonwijken verminderen",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "phenomena": ("burglary_dwelling", "intrafamily_violence", "vandalism"),
        "sections": {
            "problem": "Vandalisme aan gemeenschappelijke delen, woninginbraken in de "
            "wintermaanden en een hoog aantal meldingen van intrafamiliaal geweld.",
            "objective_analysis": "Maandelijkse tellingen per fenomeen in de wijk.",
            "subjective_analysis": "Veiligheidsmonitor en een bewonersbevraging in het voorjaar.",
            "preventive": "Snelle herstelling van vandalisme, inbraakpreventieadvies, "
            "laagdrempelig aanspreekpunt voor intrafamiliaal geweld.",
            "repressive": "Gerichte patrouilles in de donkere maanden.",
            "victims": "Doorverwijzing naar het Family Justice Center.",
            "communication": "Wijkkrant en aanwezigheid op het wijkfeest.",
            "involvement": "Vorming voor huisbewaarders over signalen van intrafamiliaal geweld.",
        },
        "actions": (
            (
                "Herstel van vandalisme binnen 48 uur",
                "preventive",
                "Woonmaatschappij De Linde",
                "2025-01-01",
                "2025-12-31",
                "ongoing",
            ),
            (
                "Aanspreekpunt intrafamiliaal geweld in het wijkhuis",
                "victims",
                "OCMW Demostad",
                "2025-02-01",
                "2025-12-31",
                "ongoing",
            ),
            (
                "Inbraakpreventieadvies aan huis",
                "preventive",
                POLICE,
                "2025-09-01",
                "2025-12-31",
                "planned",
            ),
            (
                "Patrouilles in de donkere maanden",
                "repressive",
                POLICE,
                "2025-01-01",
                "2025-03-31",
                "done",
            ),
        ),  # fmt: skip
        "resources": (
            (POLICE, 40.0, 0.0, "patrouilles en preventieadvies"),
            ("OCMW Demostad", 24.0, 5000.0, "aanspreekpunt"),
            ("Woonmaatschappij De Linde", 30.0, 20000.0, "herstellingen"),
        ),
        "indicators": (
            (
                "Vandalisme −15 % tegenover de basislijn tegen eind 2025",
                "incidents",
                "vandalism",
                "at_most",
                -15.0,
                "2025-12-31",
            ),
            (
                "Onveiligheidsgevoel onder 25 %",
                "survey",
                "feeling_unsafe",
                "at_most",
                25.0,
                "2025-12-31",
            ),
        ),  # fmt: skip
        "cycles": (
            _Step(
                ("2025-01-01", "2025-06-30"),
                "2025-07-10",
                "2025-01-06",
                "2025-07-10",
                (
                    "2025-07-17",
                    "Vandalisme daalt niet significant; het aanspreekpunt wordt goed gevonden.",
                    "Herstellingen sneller melden via de huisbewaarders.",
                ),
                "2025-07-24",
            ),
            _Step(("2025-07-01", "2025-12-31"), "2026-01-15", "2025-07-24"),
        ),  # fmt: skip
    },
)


def add_demo_plans(store: Store, *, actor: str = "demo") -> int:
    """Write the demo plans that do not exist yet, with their cycles and the survey figures.

    Returns the number of plans written (0 on a second call).
    """
    if POLICE not in set(partners(store)["name"]):
        add_partner(store, POLICE, type="police", actor=actor)
    survey = pd.DataFrame(
        SURVEY_ROWS,
        columns=["perimeter", "period", "indicator", "value", "unit", "respondents", "source"],
    )
    import_survey_frame(store, survey, source="demo-survey", replace=True, actor=actor)
    existing = {(p.perimeter, p.zvp_period) for p in list_plans(store)}
    written = 0
    for spec in _PLANS:
        if (spec["perimeter"], ZVP) not in existing:
            _write(store, spec, actor)
            written += 1
    return written


def _write(store: Store, spec: dict, actor: str) -> None:
    plan_id = create_plan(
        store,
        perimeter=spec["perimeter"],
        zvp_period=ZVP,
        title=spec["title"],
        starts_on=spec["starts_on"],
        ends_on=spec["ends_on"],
        phenomena=spec["phenomena"],
        zvp_objective=spec["zvp_objective"],
        sections=spec["sections"],
        status="active",
        actor=actor,
    )
    for title, approach, owner, start, end, status in spec["actions"]:
        add_action(
            store, plan_id, title=title, approach=approach, owner=owner,
            starts_on=start, ends_on=end, status=status, actor=actor,
        )  # fmt: skip
    for partner, hours, budget, note in spec["resources"]:
        set_resource(
            store, plan_id, partner, hours_per_month=hours, budget_eur=budget, note=note,
            actor=actor,
        )  # fmt: skip
    for label, kind, subject, comparison, target, deadline in spec["indicators"]:
        add_indicator(
            store, plan_id, label=label, kind=kind, subject=subject, comparison=comparison,
            target=target, deadline=deadline, actor=actor,
        )  # fmt: skip
    for step in spec["cycles"]:
        _cycle(store, plan_id, step, actor)


def _cycle(store: Store, plan_id: int, step: _Step, actor: str) -> None:
    cycle_id = plan_cycle(
        store,
        plan_id,
        period_start=step.period[0],
        period_end=step.period[1],
        planned_check=step.planned_check,
        actor=actor,
    )
    version = start_cycle(store, cycle_id, 1, on=step.started, actor=actor)
    if step.checked:
        version = check_cycle(store, cycle_id, version, on=step.checked, actor=actor)
    if step.acted:
        on, findings, adjustments = step.acted
        version = act_cycle(
            store, cycle_id, version, on=on, findings=findings, adjustments=adjustments,
            actor=actor,
        )  # fmt: skip
    if step.closed:
        close_cycle(store, cycle_id, version, on=step.closed, actor=actor)
