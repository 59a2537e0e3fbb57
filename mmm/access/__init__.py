"""Who may see and do what: users and roles, partners and their scopes, disclosure control
(the release model and its audit), labels in each language, and the audit trail.

Views and commands ask here before they call the core (``access.can(user, "export")``); the
rules themselves are in :mod:`mmm.access.rules`.
"""

from mmm.access.rules import (
    EVERYTHING,
    RULES,
    Scope,
    audience_scope,
    can,
    partner_scope,
    perimeter_edit_refusal,
    require,
    scope_for,
    visible_counts,
    visible_perimeters,
)

__all__ = [
    "EVERYTHING",
    "RULES",
    "Scope",
    "audience_scope",
    "can",
    "partner_scope",
    "perimeter_edit_refusal",
    "require",
    "scope_for",
    "visible_counts",
    "visible_perimeters",
]
