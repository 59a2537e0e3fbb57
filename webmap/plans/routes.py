"""Plan views: the list, a plan's page (monitoring, targets, actions, PDCA), writing a plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.labels import phenomenon_labels
from mmm.access.partners import partners
from mmm.errors import MMMError, NotFound, StaleVersion
from mmm.plans import (
    SECTIONS,
    Plan,
    PlanOverview,
    add_action,
    add_indicator,
    create_plan,
    get_plan,
    indicators,
    plan_overview,
    remove_indicator,
    set_resource,
    update_action,
    update_indicator,
    update_plan,
    visible_plans,
)
from mmm.present import maps
from mmm.present.plan_charts import incidents_spec, survey_spec
from webmap.extensions import current_scope, get_store
from webmap.flashing import actor, form_errors, refusal, submit
from webmap.folium_page import MapParts, assets, backdrop, parts
from webmap.partners.forms import RESPONSIBILITY_NAMES
from webmap.plans import words
from webmap.plans.forms import (
    ActForm,
    ActionForm,
    ActionStatusForm,
    CycleForm,
    IndicatorEditForm,
    IndicatorForm,
    PlanForm,
    RemoveForm,
    ResourceForm,
    StepForm,
)
from webmap.time_patterns import plan_time_parts
from webmap.vocabulary import purpose_names

bp = Blueprint("plans", __name__, url_prefix="/plans")


def require(action: str) -> None:
    """403 unless the logged-in user may ``action`` (:mod:`mmm.access.rules`)."""
    if not access.can(current_user.user, action):
        abort(403)


def back(plan_id: int) -> Response:
    """After a change: back to the plan's page (its PDCA section for cycle steps)."""
    return redirect(url_for("plans.show", plan_id=plan_id))


@bp.get("/")
def index() -> str:
    require("view_plans")
    shown = visible_plans(get_store(), current_scope())
    return render_template("plans/index.html", plans=shown, words=words)


@bp.get("/<int:plan_id>")
def show(plan_id: int) -> str:
    require("view_plans")
    try:
        view = plan_overview(get_store(), plan_id, scope=current_scope())
    except NotFound:
        abort(404)
    labels = phenomenon_labels(get_store(), str(get_locale()))
    return render_template(
        "plans/show.html",
        view=view,
        labels=labels,
        charts=_charts(view, labels),
        map=_map(view),
        chart_js=assets().chart_js,
        forms=_forms(view),
        words=words,
        survey_label=words.survey_label,
        responsibilities=RESPONSIBILITY_NAMES,
        purposes=purpose_names(),
        **plan_time_parts(view),
    )


def _map(view: PlanOverview) -> MapParts:
    """The plan's perimeter on the zone, with the streets around it (no incident points)."""
    store = get_store()
    perimeters = store.perimeters()
    geometry = perimeters.loc[perimeters["id"] == view.plan.perimeter_id].geometry.iloc[0]
    zone = store.zone()
    fmap = maps.perimeter_map(
        perimeter=(view.plan.perimeter, geometry),
        zone=geometry if zone is None else zone.geometry,
        incidents=None,
        phenomena={},
        assets=assets(),
        backdrop=backdrop(),
        translate=_,
    )
    return parts(fmap)


def _charts(view: PlanOverview, labels: dict[str, str]) -> dict[str, Any]:
    mon = view.monitored
    surveys = {code: words.survey_label(code) for code in view.surveys["indicator"].unique()}
    return {
        "incidents": incidents_spec(
            view.monitoring.chart,
            labels,
            start_month=mon.start_month,
            shown=view.monitoring.months_text if view.monitoring.suppressed else None,
            translate=_,
        ),
        "survey": survey_spec(
            view.surveys, surveys, months=mon.months, start_month=mon.start_month, translate=_
        ),
    }


def _forms(view: PlanOverview) -> dict[str, Any]:
    """The forms this user may use on the page (none for partners)."""
    user, forms = current_user.user, dict[str, Any]()
    names = list(partners(get_store())["name"])
    if access.can(user, "edit_actions"):
        action = ActionForm(starts_on=view.plan.starts_on, ends_on=view.plan.ends_on)
        action.owner.choices = names
        _label(action.approach, words.APPROACH_NAMES)
        _label(action.status, words.ACTION_STATUS_NAMES)
        status = ActionStatusForm()
        _label(status.status, words.ACTION_STATUS_NAMES)
        forms.update(action=action, action_status=status)
    if access.can(user, "edit_plans"):
        resource = ResourceForm()
        resource.partner.choices = names
        forms.update(resource=resource, indicator=_indicator_form(view), remove=RemoveForm())
        forms["indicator_edit"] = IndicatorEditForm()
        forms.update(cycle=_cycle_form(view), step=StepForm(on=date.today()))
    if access.can(user, "record_findings"):
        forms["act"] = ActForm(on=date.today())
    return forms


def _label(field: Any, names: dict[str, Any]) -> None:
    field.choices = [(code, str(names[code])) for code in names]


def _indicator_form(view: PlanOverview) -> IndicatorForm:
    form = IndicatorForm(deadline=view.plan.ends_on)
    labels = phenomenon_labels(get_store(), str(get_locale()))
    known = sorted(set(words.SURVEY_INDICATOR_NAMES) | set(view.surveys["indicator"]))
    form.subject.choices = [
        (f"incidents:{c}", _("Incidents vs baseline (%%): %(name)s", name=labels.get(c, c)))
        for c in view.plan.phenomena
    ] + [(f"survey:{c}", _("Survey: %(name)s", name=words.survey_label(c))) for c in known]
    _label(form.comparison, words.COMPARISON_NAMES)
    return form


def _cycle_form(view: PlanOverview) -> CycleForm:
    form = CycleForm()
    names = [n for n in get_store().perimeters()["name"] if n != view.plan.perimeter]
    form.control.choices = [("zone", _("the rest of the zone")), *[(n, n) for n in names]]
    return form


# -- writing a plan ----------------------------------------------------------------------------
def _plan_form(form: PlanForm) -> PlanForm:
    store = get_store()
    form.perimeter.choices = list(store.perimeters()["name"])
    labels = phenomenon_labels(store, str(get_locale()))
    form.phenomena.choices = list(labels.items())
    _label(form.status, words.PLAN_STATUS_NAMES)
    return form


def _plan_fields(form: PlanForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "",
        "zvp_objective": form.zvp_objective.data or "",
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "status": form.status.data or "draft",
        "phenomena": form.phenomena.data or [],
        "sections": {name: form[name].data or "" for name in SECTIONS},
    }


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    require("edit_plans")
    form = _plan_form(PlanForm())
    if form.validate_on_submit():
        try:
            plan_id = create_plan(
                get_store(),
                perimeter=form.perimeter.data or "",
                zvp_period=form.zvp_period.data or "",
                actor=actor(),
                **_plan_fields(form),
            )
        except MMMError as exc:
            flash(refusal(exc), "error")
        else:
            flash(_("Action plan saved."), "info")
            return back(plan_id)
    elif request.method == "POST":
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
    return render_template("plans/edit.html", form=form, plan=None, sections=SECTIONS)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id: int) -> str | Response | tuple[str, int]:
    require("edit_plans")
    try:
        plan = get_plan(get_store(), plan_id)
    except NotFound:
        abort(404)
    if request.method == "GET":
        data = {**plan.sections, "phenomena": list(plan.phenomena), "version": plan.version}
        form = PlanForm(obj=plan, data=data)
    else:
        form = PlanForm()
    _plan_form(form)
    form.perimeter.choices = [plan.perimeter]  # identity: shown, not changed
    form.perimeter.data = plan.perimeter
    form.zvp_period.data = plan.zvp_period
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
            update_plan(get_store(), plan_id, version, actor=actor(), **_plan_fields(form))
        except StaleVersion as exc:
            flash(refusal(exc), "error")
            return render_template("plans/edit.html", form=form, plan=plan, sections=SECTIONS), 409
        except (MMMError, ValueError) as exc:
            flash(refusal(exc) if isinstance(exc, MMMError) else str(exc), "error")
        else:
            flash(_("Action plan saved."), "info")
            return back(plan_id)
    elif request.method == "POST":
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
    return render_template("plans/edit.html", form=form, plan=plan, sections=SECTIONS)


# -- actions, resources, targets ---------------------------------------------------------------
def _plan(plan_id: int) -> Plan:
    try:
        return get_plan(get_store(), plan_id)
    except NotFound:
        abort(404)


def _belongs(item_id: int, ids: set[int]) -> None:
    """A 404 for an action or target of another plan: the URL's plan is the one changed."""
    if item_id not in ids:
        abort(404)


@bp.post("/<int:plan_id>/actions")
def add_action_view(plan_id: int) -> Response:
    require("edit_actions")
    form = ActionForm()
    form.owner.choices = list(partners(get_store())["name"])
    submit(
        form,
        lambda: add_action(
            get_store(), plan_id, title=form.title.data or "",
            approach=form.approach.data or "", owner=form.owner.data or "",
            starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            status=form.status.data or "planned", actor=actor(),
        ),
        _("Action added."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/actions/<int:action_id>")
def update_action_view(plan_id: int, action_id: int) -> Response:
    require("edit_actions")
    _belongs(action_id, {a.id for a in _plan(plan_id).actions})
    form = ActionStatusForm()
    submit(
        form,
        lambda: update_action(
            get_store(), action_id, int(form.version.data or 0),
            status=form.status.data, actor=actor(),
        ),
        _("Action saved."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/resources")
def resource_view(plan_id: int) -> Response:
    require("edit_plans")
    form = ResourceForm()
    form.partner.choices = list(partners(get_store())["name"])
    submit(
        form,
        lambda: set_resource(
            get_store(), plan_id, form.partner.data or "",
            hours_per_month=form.hours_per_month.data or 0.0,
            budget_eur=form.budget_eur.data or 0.0, note=form.note.data or "",
            actor=actor(),
        ),
        _("Resources saved."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/indicators")
def add_indicator_view(plan_id: int) -> Response:
    require("edit_plans")
    form = IndicatorForm()
    form.subject.choices = [request.form.get("subject", "")]  # checked by mmm.plans
    form.comparison.choices = list(words.COMPARISON_NAMES)
    kind, _sep, subject = (form.subject.data or "").partition(":")
    submit(
        form,
        lambda: add_indicator(
            get_store(), plan_id, label=form.label.data or "", kind=kind, subject=subject,
            comparison=form.comparison.data or "", target=form.target.data or 0.0,
            deadline=form.deadline.data, actor=actor(),
        ),
        _("Target added."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/indicators/<int:indicator_id>")
def update_indicator_view(plan_id: int, indicator_id: int) -> Response:
    require("edit_plans")
    _belongs(indicator_id, {i.id for i in indicators(get_store(), plan_id)})
    form = IndicatorEditForm()
    submit(
        form,
        lambda: update_indicator(
            get_store(), indicator_id, int(form.version.data or 0),
            label=form.label.data or "", target=form.target.data or 0.0,
            deadline=form.deadline.data, actor=actor(),
        ),
        _("Target saved."),
    )  # fmt: skip
    return back(plan_id)


@bp.post("/<int:plan_id>/indicators/<int:indicator_id>/remove")
def remove_indicator_view(plan_id: int, indicator_id: int) -> Response:
    require("edit_plans")
    _belongs(indicator_id, {i.id for i in indicators(get_store(), plan_id)})
    form = RemoveForm()
    submit(
        form,
        lambda: remove_indicator(
            get_store(), indicator_id, int(form.version.data or 0), actor=actor()
        ),
        _("Target removed."),
    )
    return back(plan_id)
