"""Who may see and do what — decided here, in one place, and asked by every route and command.

Roles: ``admin`` (everything), ``analyst`` (all data, exports), ``officer`` (all maps and
perimeters, incident points inside a perimeter, no bulk exports), ``partner`` (only the
perimeters × phenomena its organisation is assigned to, as aggregates, small counts suppressed),
``dpo`` (the data protection officer: the audit log, and the maps as aggregates).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from mmm.access.users import User
from mmm.errors import AccessDenied
from mmm.store import Store

#: action → roles allowed to do it.
RULES: dict[str, frozenset[str]] = {
    "view_map": frozenset({"admin", "analyst", "officer", "partner", "dpo"}),
    "view_perimeter": frozenset({"admin", "analyst", "officer", "partner", "dpo"}),
    "view_incidents": frozenset({"admin", "analyst", "officer"}),
    "view_grid": frozenset({"admin", "analyst", "officer"}),
    # Counts per street segment (the zone map's segments layer, a perimeter's busiest
    # segments): finer than any released cell, with no disclosure rule of their own — staff only.
    "view_segments": frozenset({"admin", "analyst", "officer"}),
    # A perimeter's share of the zone and its density against the zone's: zone totals, which a
    # partner (who sees only its own perimeters × phenomena) may not read.
    "view_zone_comparisons": frozenset({"admin", "analyst", "officer", "dpo"}),
    "view_hotspots": frozenset({"admin", "analyst", "officer"}),
    # When it happens, recent change, near-repeat alerts (mmm.temporal, mmm.present.temporal):
    # hours, 7-day windows and recent incident places are finer than the month cells the
    # release model protects, so only staff see them.
    "view_time_patterns": frozenset({"admin", "analyst", "officer"}),
    "set_weights": frozenset({"admin", "analyst"}),
    "view_assignments": frozenset({"admin", "analyst", "officer", "partner"}),
    "export": frozenset({"admin", "analyst"}),
    "manage_partners": frozenset({"admin"}),
    "view_audit": frozenset({"admin", "dpo"}),
    "manage_users": frozenset({"admin"}),
    # Perimeter editor: analysts and admins draw, edit, archive and import perimeters;
    # neighbourhood officers only propose (status "proposed", see perimeter_edit_refusal);
    # partners and the DPO never edit. The history names staff, so partners do not see it.
    "propose_perimeter": frozenset({"admin", "analyst", "officer"}),
    "edit_perimeter": frozenset({"admin", "analyst"}),
    "import_perimeters": frozenset({"admin", "analyst"}),
    "view_perimeter_history": frozenset({"admin", "analyst", "officer", "dpo"}),
    # Action plans (mmm.plans). Partners read the plans of their perimeters, figures
    # suppressed (mmm.plans.visible); the DPO reads nothing operational. Analysts and admins
    # write plans, targets, resources, surveys and run the PDCA steps; neighbourhood officers,
    # who sit in the project groups, write actions and record a cycle's findings (Act).
    "view_plans": frozenset({"admin", "analyst", "officer", "partner"}),
    "edit_plans": frozenset({"admin", "analyst"}),
    "edit_actions": frozenset({"admin", "analyst", "officer"}),
    "record_findings": frozenset({"admin", "analyst", "officer"}),
    "import_surveys": frozenset({"admin", "analyst"}),
    # Reports (mmm.present.report): partners read and print the progress report of their plans (their
    # scope, small counts suppressed). The meeting dossier (a file that leaves the app) and
    # meeting mode (the shared screen) are run by the zone's staff; the screen hides small
    # counts whenever partners sit in the room (audience_scope).
    "view_reports": frozenset({"admin", "analyst", "officer", "partner"}),
    "download_dossier": frozenset({"admin", "analyst", "officer"}),
    "run_meeting": frozenset({"admin", "analyst", "officer"}),
}


def can(user: User, action: str) -> bool:
    """Whether ``user`` may do ``action`` (an unknown action is never allowed)."""
    return user.active and user.role in RULES.get(action, frozenset())


def require(user: User, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may do ``action``."""
    if not can(user, action):
        raise AccessDenied(f"the role {user.role!r} may not {action.replace('_', ' ')}")


def perimeter_edit_refusal(
    user: User, new_status: str, old_status: str | None = None
) -> str | None:
    """Why ``user`` may not save a perimeter as ``new_status`` (``old_status``: ``None`` when new).

    ``None`` means allowed. Analysts and admins may save any status; an officer may create or
    edit a *proposed* perimeter and keep it proposed; every other role may not edit at all.
    """
    if can(user, "edit_perimeter"):
        return None
    if not can(user, "propose_perimeter"):
        return f"the role {user.role!r} may not edit perimeters"
    if old_status not in (None, "proposed"):
        return (
            f"this perimeter is {old_status}: only an analyst or an administrator may change it "
            "(officers edit proposed perimeters)"
        )
    if new_status != "proposed":
        return (
            "officers propose perimeters: save it with the status 'proposed'; an analyst or an "
            "administrator makes it active"
        )
    return None


@dataclass(frozen=True)
class Scope:
    """The data a user may see: ``None`` means everything (no restriction of that kind)."""

    pairs: frozenset[tuple[int, str]] | None  # (perimeter id, phenomenon code) allowed
    thresholds: Mapping[str, int] | None  # small-count suppression per phenomenon

    @property
    def perimeter_ids(self) -> frozenset[int] | None:
        """Perimeters with at least one visible phenomenon."""
        return None if self.pairs is None else frozenset(p for p, _ in self.pairs)

    def phenomena(self, codes: list[str]) -> list[str]:
        """The codes among ``codes`` visible in at least one perimeter."""
        if self.pairs is None:
            return codes
        seen = {c for _, c in self.pairs}
        return [c for c in codes if c in seen]


#: The scope of staff roles: nothing hidden.
EVERYTHING = Scope(pairs=None, thresholds=None)


def scope_for(
    store: Store, user: User, *, threshold: int = 5, overrides: Mapping[str, int] | None = None
) -> Scope:
    """The scope of ``user``: everything for staff, the organisation's assignments for partners.

    Parameters
    ----------
    threshold
        Counts below it are suppressed for partners (default 5).
    overrides
        A higher (or lower) threshold per phenomenon code, e.g. ``{"intrafamily_violence": 10}``.
    """
    if user.role != "partner":
        return EVERYTHING
    return partner_scope(store, str(user.partner), threshold=threshold, overrides=overrides)


def partner_scope(
    store: Store,
    partner: str,
    *,
    threshold: int = 5,
    overrides: Mapping[str, int] | None = None,
) -> Scope:
    """What the users of the organisation ``partner`` may see (see :func:`scope_for`)."""
    from mmm.access.partners import partner_pairs

    pairs = partner_pairs(store, partner)
    return Scope(pairs=pairs, thresholds=thresholds_of(store, threshold, overrides))


def audience_scope(
    store: Store, *, threshold: int = 5, overrides: Mapping[str, int] | None = None
) -> Scope:
    """Every perimeter and phenomenon, small counts suppressed as for partners.

    For a screen or a document staff show to partners (meeting mode with partners in the
    room): what partners may not read must not be shown to them either.
    """
    return Scope(pairs=None, thresholds=thresholds_of(store, threshold, overrides))


def thresholds_of(
    store: Store, threshold: int = 5, overrides: Mapping[str, int] | None = None
) -> dict[str, int]:
    """The suppression threshold of every phenomenon: the zone's own (``mmm phenomenon set
    --threshold``) first, else the override of the settings, else ``threshold``.

    The settings (``MMM_SUPPRESS_BELOW``, ``MMM_SUPPRESS_OVERRIDES``) are the defaults; a
    threshold stored with the phenomenon wins, so a phenomenon the zone named itself is
    protected as the zone decided whatever the server's settings say.
    """
    return {
        code: int((overrides or {}).get(code, threshold)) if stored is None else stored
        for code, stored in store.phenomenon_codes().items()
    }


def visible_perimeters(perimeters: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The perimeters (rows with an ``id``) the scope shows."""
    ids = scope.perimeter_ids
    return perimeters if ids is None else perimeters[perimeters["id"].isin(ids)]


def visible_counts(table: pd.DataFrame, perimeters: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows of a count table (``perimeter`` name, ``phenomenon``…) the scope shows."""
    if scope.pairs is None or table.empty:
        return table
    ids = dict(zip(perimeters["name"], perimeters["id"], strict=True))
    keys = zip(table["perimeter"].map(ids), table["phenomenon"], strict=True)
    keep = [(int(p), c) in scope.pairs if pd.notna(p) else False for p, c in keys]
    return table[keep]
