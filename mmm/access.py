"""Who may do what — decided here, in one place, and asked by every route and command.

Roles: ``admin`` (everything), ``analyst`` (all data, exports), ``officer`` (all maps and
perimeters, incident points inside a perimeter, no bulk exports), ``partner`` (aggregated maps
only; scoping to the partner's own perimeters and phenomena comes with the partner module).
"""

from __future__ import annotations

from mmm.errors import AccessDenied
from mmm.users import User

#: action → roles allowed to do it.
RULES: dict[str, frozenset[str]] = {
    "view_map": frozenset({"admin", "analyst", "officer", "partner"}),
    "view_perimeter": frozenset({"admin", "analyst", "officer", "partner"}),
    "view_incidents": frozenset({"admin", "analyst", "officer"}),
    "export": frozenset({"admin", "analyst"}),
}


def can(user: User, action: str) -> bool:
    """Whether ``user`` may do ``action`` (an unknown action is never allowed)."""
    return user.active and user.role in RULES.get(action, frozenset())


def require(user: User, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may do ``action``."""
    if not can(user, action):
        raise AccessDenied(f"the role {user.role!r} may not {action.replace('_', ' ')}")
