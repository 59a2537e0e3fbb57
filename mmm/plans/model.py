"""The nouns of an action plan: the plan with its template sections, actions, resources.

Plain frozen dataclasses, read from the store by :mod:`mmm.plans.storage`; a report, a dossier
or a web page takes them as they are. Codes (statuses, approaches) stay English here; the web
layer translates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: The free-text sections of the ZVP action-plan template, in the template's order. The
#: resources (hours, budget) and the project group are structured: see :class:`Resource` and
#: :func:`mmm.plans.storage.project_group`.
SECTIONS: tuple[str, ...] = (
    "problem",
    "objective_analysis",
    "subjective_analysis",
    "preventive",
    "repressive",
    "victims",
    "communication",
    "involvement",
)
PLAN_STATUSES = ("draft", "active", "closed")
#: Where an action belongs in the template.
APPROACHES = ("preventive", "repressive", "victims", "communication", "other")
ACTION_STATUSES = ("planned", "ongoing", "done", "cancelled")


@dataclass(frozen=True)
class Action:
    """One action of a plan: who carries it (a partner organisation), when, how far it is."""

    id: int
    plan_id: int
    title: str
    approach: str
    owner_id: int
    owner: str
    starts_on: date
    ends_on: date
    status: str
    version: int

    @property
    def is_open(self) -> bool:
        """Planned or ongoing (what a meeting walks through)."""
        return self.status in ("planned", "ongoing")


@dataclass(frozen=True)
class Resource:
    """Capacity a partner puts into a plan: hours per month and a budget (euro)."""

    partner_id: int
    partner: str
    hours_per_month: float
    budget_eur: float
    note: str


@dataclass(frozen=True)
class Plan:
    """An action plan for one perimeter in one ZVP period.

    Attributes
    ----------
    id, version
        Identity and the version an edit must name (optimistic locking).
    perimeter_id, perimeter
        The perimeter (id and name) the plan is for.
    zvp_period
        The zonal security plan period, e.g. ``"2025-2030"``; one plan per perimeter per period.
    title, zvp_objective
        A short title and the strategic/operational ZVP objective the plan serves.
    starts_on, ends_on
        The plan's run; the baseline of the monitoring lies before ``starts_on``.
    status
        ``draft``, ``active`` or ``closed``.
    phenomena
        The phenomenon codes the plan covers (sorted).
    sections
        Section code (see :data:`SECTIONS`) → text.
    actions, resources
        The plan's actions (by start date) and the capacity per partner (by partner name).
    updated_at
        When it was last changed (UTC, ISO 8601).
    """

    id: int
    perimeter_id: int
    perimeter: str
    zvp_period: str
    title: str
    zvp_objective: str
    starts_on: date
    ends_on: date
    status: str
    phenomena: tuple[str, ...]
    sections: dict[str, str]
    version: int
    updated_at: str
    actions: tuple[Action, ...] = field(default=())
    resources: tuple[Resource, ...] = field(default=())

    @property
    def hours_per_month(self) -> float:
        """Hours per month all partners together put in."""
        return float(sum(r.hours_per_month for r in self.resources))

    @property
    def budget_eur(self) -> float:
        """The plan's budget: the partners' budgets added up."""
        return float(sum(r.budget_eur for r in self.resources))

    def open_actions(self) -> tuple[Action, ...]:
        """Actions still planned or ongoing."""
        return tuple(a for a in self.actions if a.is_open)
