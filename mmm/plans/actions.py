"""Write a plan's actions and resources; every write audited and atomic.

An action is carried by one partner and runs inside its plan's dates; it is never deleted (a
dropped one is ``cancelled``). A resource line is what one partner puts into a plan: hours per
month and a budget. Plans and these lines are read by :mod:`mmm.plans.storage`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, insert

from mmm.access.partners import partner_id
from mmm.errors import MMMError, NotFound
from mmm.plans.model import ACTION_STATUSES, APPROACHES, Plan
from mmm.plans.rows import as_date, check_order, choice, text, versioned_update
from mmm.plans.storage import get_action, get_plan
from mmm.store import Store, schema


# -- actions -----------------------------------------------------------------------------------
def add_action(
    store: Store,
    plan_id: int,
    *,
    title: str,
    approach: str,
    owner: str,
    starts_on: date | str,
    ends_on: date | str,
    status: str = "planned",
    actor: str = "cli",
) -> int:
    """Add an action to a plan, carried by the partner ``owner`` (by name); returns its id.

    Raises
    ------
    MMMError
        For an empty title, an unknown approach or status, or dates out of order or outside
        the plan's run.
    NotFound
        For an unknown plan or partner.
    """
    plan = get_plan(store, plan_id)
    values = _action_values(store, plan, title, approach, owner, starts_on, ends_on, status)
    with store.engine.begin() as conn:
        key = conn.execute(
            insert(schema.plan_actions), {**values, "plan_id": plan_id, "version": 1}
        ).inserted_primary_key
        assert key is not None
        detail = {"plan": plan_id, "owner": values["owner_id"], "status": values["status"]}
        store.write_audit(conn, actor, "create", "plan_action", str(key[0]), detail)
    return int(key[0])


def update_action(
    store: Store,
    action_id: int,
    version: int,
    *,
    title: str | None = None,
    approach: str | None = None,
    owner: str | None = None,
    starts_on: date | str | None = None,
    ends_on: date | str | None = None,
    status: str | None = None,
    actor: str = "cli",
) -> int:
    """Change an action still at ``version`` (``None`` keeps a field); returns the new version.

    Actions are never deleted: a dropped one gets the status ``cancelled``, so the plan's
    history stays readable.

    Raises
    ------
    StaleVersion, MMMError, NotFound
        As :func:`update_plan` and :func:`add_action`.
    """
    action = get_action(store, action_id)
    plan = get_plan(store, action.plan_id)
    values = _action_values(
        store,
        plan,
        action.title if title is None else title,
        action.approach if approach is None else approach,
        action.owner if owner is None else owner,
        action.starts_on if starts_on is None else starts_on,
        action.ends_on if ends_on is None else ends_on,
        action.status if status is None else status,
    )
    with store.engine.begin() as conn:
        new = versioned_update(conn, schema.plan_actions, action_id, version, values, "action")
        detail = {"plan": plan.id, "status": values["status"]}
        store.write_audit(conn, actor, "update", "plan_action", str(action_id), detail)
    return new


def _action_values(
    store: Store,
    plan: Plan,
    title: str,
    approach: str,
    owner: str,
    starts_on: date | str,
    ends_on: date | str,
    status: str,
) -> dict[str, Any]:
    start, end = as_date(starts_on, "the action's start"), as_date(ends_on, "the action's end")
    check_order(start, end, "the action")
    if start < plan.starts_on or end > plan.ends_on:
        raise MMMError(
            f"the action runs {start} – {end}, outside the plan ({plan.starts_on} – {plan.ends_on})"
        )
    return {
        "title": text(title, "the action's title", required=True, limit=300, multiline=False),
        "approach": choice(approach, APPROACHES, "approach"),
        "owner_id": partner_id(store, owner),
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "status": choice(status, ACTION_STATUSES, "action status"),
    }


# -- resources ---------------------------------------------------------------------------------
def set_resource(
    store: Store,
    plan_id: int,
    partner: str,
    *,
    hours_per_month: float,
    budget_eur: float = 0.0,
    note: str = "",
    actor: str = "cli",
) -> None:
    """Set what ``partner`` puts into a plan (replacing what it had): hours/month and euro.

    Raises
    ------
    MMMError
        For negative or non-finite hours or budget.
    NotFound
        For an unknown plan or partner.
    """
    get_plan(store, plan_id)
    pid = partner_id(store, partner)
    hours, budget = float(hours_per_month), float(budget_eur)
    if not (0 <= hours < 10_000) or not (0 <= budget < 1e10):
        raise MMMError("hours per month and budget are numbers of 0 or more")
    r = schema.plan_resources.c
    with store.engine.begin() as conn:
        conn.execute(delete(schema.plan_resources).where(r.plan_id == plan_id, r.partner_id == pid))
        conn.execute(
            insert(schema.plan_resources),
            {
                "plan_id": plan_id,
                "partner_id": pid,
                "hours_per_month": hours,
                "budget_eur": budget,
                "note": text(note, "the note", limit=500),
            },
        )
        detail = {"plan": plan_id, "hours_per_month": hours, "budget_eur": budget}
        store.write_audit(conn, actor, "set_resource", "action_plan", str(plan_id), detail)


def remove_resource(store: Store, plan_id: int, partner: str, *, actor: str = "cli") -> None:
    """Remove a partner's line from the plan's resources.

    Raises
    ------
    NotFound
        When the partner has no resource line in the plan.
    """
    pid = partner_id(store, partner)
    r = schema.plan_resources.c
    with store.engine.begin() as conn:
        gone = conn.execute(
            delete(schema.plan_resources).where(r.plan_id == plan_id, r.partner_id == pid)
        ).rowcount
        if not gone:
            raise NotFound(f"{partner!r} has no resources in plan {plan_id}")
        detail = {"plan": plan_id, "partner": pid}
        store.write_audit(conn, actor, "remove_resource", "action_plan", str(plan_id), detail)
