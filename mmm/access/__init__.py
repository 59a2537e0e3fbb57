"""Who may see and do what: users and roles, partners and their scopes, disclosure control
(the release model and its audit), labels in each language, and the audit trail.

Views and commands ask here before they call the core (``access.can(user, "export")``); the
rules themselves are in :mod:`mmm.access.rules`. The names below load on first use (PEP 562),
so that importing :mod:`mmm.access.vocabulary` for the command's choices loads nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    """The public names of :mod:`mmm.access.rules`, imported when first asked for."""
    if name in __all__:
        return getattr(importlib.import_module("mmm.access.rules"), name)
    raise AttributeError(f"module 'mmm.access' has no attribute {name!r}")
