"""Audit of sensitive reads: who looked at incident-level data or exported, when, what, and why.

Changes are audited where they happen (the store writes an event in the same transaction);
reads of incident-level data and exports are recorded here with a *purpose* chosen from a
short list, as the zone's data protection officer asks. No personal data goes into an event.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mmm.access.vocabulary import PURPOSES
from mmm.errors import MMMError
from mmm.store import Store


def check_purpose(purpose: str | None) -> str:
    """The purpose code, or an error naming the valid ones.

    Raises
    ------
    MMMError
        When ``purpose`` is missing or not in :data:`PURPOSES`.
    """
    if purpose not in PURPOSES:
        raise MMMError(f"choose a purpose: {', '.join(PURPOSES)}")
    return str(purpose)


def record_read(
    store: Store, actor: str, what: str, key: str, purpose: str, detail: dict[str, Any]
) -> None:
    """Log that ``actor`` viewed incident-level data (``what``/``key``) for ``purpose``."""
    store.record(actor, "read", what, key, {**detail, "purpose": check_purpose(purpose)})


def recent_events(store: Store, *, limit: int = 500, action: str | None = None) -> pd.DataFrame:
    """The newest audit events first (optionally one action: read, export, import…)."""
    events = store.audit_events()
    if action:
        events = events[events["action"] == action]
    return events.iloc[::-1].head(limit)
