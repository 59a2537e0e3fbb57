"""Words of the plan pages that come from data codes (sections, statuses, steps, verdicts).

The core (:mod:`mmm.plans`) keeps English codes; they are marked here so they get translated.
A report or meeting page about a plan uses the same dictionaries.
"""

from flask_babel import lazy_gettext as _l

SECTION_NAMES = {
    "problem": _l("Problem definition"),
    "objective_analysis": _l("Objective analysis and monitoring"),
    "subjective_analysis": _l("Subjective analysis and monitoring"),
    "preventive": _l("Preventive approach (structural measures, information)"),
    "repressive": _l("Repressive approach (actions)"),
    "victims": _l("Attention for victims"),
    "communication": _l("Communication to residents"),
    "involvement": _l("Involvement of partners (training, information, consultation)"),
}
PLAN_STATUS_NAMES = {"draft": _l("draft"), "active": _l("active"), "closed": _l("closed")}
APPROACH_NAMES = {
    "preventive": _l("preventive"),
    "repressive": _l("repressive"),
    "victims": _l("victims"),
    "communication": _l("communication"),
    "other": _l("other"),
}
ACTION_STATUS_NAMES = {
    "planned": _l("planned"),
    "ongoing": _l("ongoing"),
    "done": _l("done"),
    "cancelled": _l("cancelled"),
}
STEP_NAMES = {
    "planned": _l("Plan"),
    "do": _l("Do"),
    "check": _l("Check"),
    "act": _l("Act"),
    "closed": _l("Closed"),
}
TREND_NAMES = {
    "rising": _l("rising"),
    "falling": _l("falling"),
    "stable": _l("no significant trend"),
    "too_short": _l("too few months"),
    "not_shown": _l("not shown (small numbers)"),
}
HOTSPOT_NAMES = {
    "hot": _l("hotspot"),
    "not_hot": _l("no hotspot"),
    "insufficient_data": _l("insufficient data"),
    "not_computed": _l("not computed"),
}
INDICATOR_STATUS_NAMES = {
    "no_data": _l("no data yet"),
    "on_track": _l("on track"),
    "off_track": _l("not on track"),
    "achieved": _l("achieved"),
    "missed": _l("missed"),
    "not_shown": _l("not shown (small numbers)"),
}
COMPARISON_NAMES = {"at_most": _l("at most"), "at_least": _l("at least")}
UNIT_NAMES = {"percent": "%", "count": _l("count"), "score": _l("score")}
#: Survey indicators the zone's surveys usually carry; other codes are shown as they are.
SURVEY_INDICATOR_NAMES = {
    "feeling_unsafe": _l("Feels unsafe often or always (%)"),
    "satisfaction_neighbourhood": _l("Satisfied with the neighbourhood (%)"),
    "complaints_nuisance": _l("Complaints about nuisance"),
    "complaints_noise": _l("Complaints about noise"),
    "complaints_litter": _l("Complaints about litter"),
}
#: The readings of a Check (mmm.evaluate): the WDQ as Bowers & Johnson read it.
WDQ_READINGS = {
    "diffusion of benefits, larger than the direct effect": _l(
        "diffusion of benefits, larger than the direct effect"
    ),
    "diffusion of benefits": _l("diffusion of benefits"),
    "no displacement or diffusion": _l("no displacement or diffusion"),
    "displacement, smaller than the direct effect": _l(
        "displacement, smaller than the direct effect"
    ),
    "displacement, larger than the direct effect": _l(
        "displacement, larger than the direct effect"
    ),
}


def survey_label(code: str) -> str:
    """A survey indicator's display name: translated when known, else the code in words."""
    known = SURVEY_INDICATOR_NAMES.get(code)
    return str(known) if known is not None else code.replace("_", " ")
