"""Action plans of the zonal security plan (ZVP) and their PDCA cycles.

One module per concern:

- :mod:`~mmm.plans.model` — the plan, its template sections, actions and resources;
- :mod:`~mmm.plans.storage` — write plans, read them with their actions and resources (audited,
  versioned);
- :mod:`~mmm.plans.actions` — write a plan's actions and resources (audited, versioned);
- :mod:`~mmm.plans.monitoring` — objective monitoring computed from the incidents;
- :mod:`~mmm.plans.survey` — subjective monitoring: survey figures imported from CSV;
- :mod:`~mmm.plans.indicators` — SMART targets with their current value and status;
- :mod:`~mmm.plans.cycles` — PDCA cycles, whose Check is :func:`mmm.evaluate.evaluate`;
- :mod:`~mmm.plans.visible` — what a reader (staff or partner) may see of the figures;
- :mod:`~mmm.plans.overview` — all of it for one plan and one reader, in one call;
- :mod:`~mmm.present.plan_charts` — the plan page's Vega-Lite charts;
- :mod:`~mmm.demo.plans` — the two demo plans.

A page, a report or a dossier about a plan calls :func:`plan_overview` with the reader's
scope: the plan, its monitoring, targets, survey figures and cycles, already filtered and
suppressed by :mod:`mmm.plans.visible`.
"""

from mmm.plans.actions import add_action, remove_resource, set_resource, update_action
from mmm.plans.cycles import (
    Cycle,
    act_cycle,
    baseline_range,
    check_cycle,
    close_cycle,
    cycles,
    get_cycle,
    next_check,
    plan_cycle,
    start_cycle,
)
from mmm.plans.indicators import (
    Indicator,
    IndicatorStatus,
    add_indicator,
    indicator_status,
    indicators,
    remove_indicator,
    update_indicator,
)
from mmm.plans.model import SECTIONS, Action, Plan, Resource
from mmm.plans.monitoring import ObjectiveMonitoring, PhenomenonMonitoring, objective_monitoring
from mmm.plans.overview import PlanOverview, plan_overview, visible_plans
from mmm.plans.storage import (
    create_plan,
    get_action,
    get_plan,
    list_plans,
    project_group,
    update_plan,
)
from mmm.plans.survey import import_survey, import_survey_frame, survey_results
from mmm.plans.visible import (
    MonitoringView,
    evaluation_view,
    indicator_view,
    may_see_plan,
    monitoring_view,
    survey_view,
    visible_phenomena,
)

__all__ = [
    "SECTIONS",
    "Action",
    "Cycle",
    "Indicator",
    "IndicatorStatus",
    "MonitoringView",
    "ObjectiveMonitoring",
    "PhenomenonMonitoring",
    "Plan",
    "PlanOverview",
    "Resource",
    "act_cycle",
    "add_action",
    "add_indicator",
    "baseline_range",
    "check_cycle",
    "close_cycle",
    "create_plan",
    "cycles",
    "evaluation_view",
    "get_action",
    "get_cycle",
    "get_plan",
    "import_survey",
    "import_survey_frame",
    "indicator_status",
    "indicator_view",
    "indicators",
    "list_plans",
    "may_see_plan",
    "monitoring_view",
    "next_check",
    "objective_monitoring",
    "plan_cycle",
    "plan_overview",
    "project_group",
    "remove_indicator",
    "update_indicator",
    "remove_resource",
    "set_resource",
    "start_cycle",
    "survey_results",
    "survey_view",
    "update_action",
    "update_plan",
    "visible_phenomena",
    "visible_plans",
]
