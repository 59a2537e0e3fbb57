"""PDCA views: plan a cycle, then its steps Do, Check, Act and close (each one audited POST)."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from mmm.plans import act_cycle, check_cycle, close_cycle, cycles, plan_cycle, start_cycle
from webmap.extensions import get_store
from webmap.flashing import actor, submit
from webmap.plans.forms import ActForm, CycleForm, StepForm
from webmap.plans.routes import back, bp, require

#: step → (the core function, the access rule it needs).
STEPS = {
    "start": (start_cycle, "edit_plans"),
    "check": (check_cycle, "edit_plans"),
    "close": (close_cycle, "edit_plans"),
}


def _of_plan(plan_id: int, cycle_id: int) -> None:
    """A 404 for a cycle of another plan: the URL's plan is the one changed."""
    if cycle_id not in {c.id for c in cycles(get_store(), plan_id)}:
        abort(404)


@bp.post("/<int:plan_id>/cycles")
def new_cycle(plan_id: int) -> Response:
    require("edit_plans")
    form = CycleForm()
    form.control.choices = [form.control.data or "zone"]  # checked by mmm.plans
    submit(
        form,
        lambda: plan_cycle(
            get_store(), plan_id, period_start=form.period_start.data,
            period_end=form.period_end.data, planned_check=form.planned_check.data,
            control=form.control.data or "zone", buffer_m=form.buffer_m.data or 0.0,
            actor=actor(),
        ),
        _("Cycle planned."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/cycles/<int:cycle_id>/act")
def act(plan_id: int, cycle_id: int) -> Response:
    require("record_findings")
    _of_plan(plan_id, cycle_id)
    form = ActForm()
    submit(
        form,
        lambda: act_cycle(
            get_store(), cycle_id, int(form.version.data or 0), on=form.on.data,
            findings=form.findings.data or "", adjustments=form.adjustments.data or "",
            actor=actor(),
        ),
        _("Findings and adjustments saved."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/cycles/<int:cycle_id>/<step>")
def step(plan_id: int, cycle_id: int, step: str) -> Response:
    if step not in STEPS:
        abort(404)
    change, rule = STEPS[step]
    require(rule)
    _of_plan(plan_id, cycle_id)
    form = StepForm()
    done = {
        "start": _("Cycle started (Do)."),
        "check": _("Check computed and saved."),
        "close": _("Cycle closed."),
    }
    submit(
        form,
        lambda: change(
            get_store(), cycle_id, int(form.version.data or 0), on=form.on.data,
            actor=actor(),
        ),
        done[step],
    )  # fmt: skip
    return back(plan_id)
