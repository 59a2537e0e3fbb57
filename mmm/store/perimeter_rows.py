"""What the store keeps of an edited perimeter: its fields, each saved version, and conflicts.

Why a module of its own: the store (``perimeters.py``) writes and reads these, the editor
(:mod:`mmm.perimeters.edit`) builds and checks them, and neither should import the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from mmm.errors import MMMError, StaleVersion

#: A perimeter's life: proposed (e.g. by an officer or from a hotspot), active, archived.
STATUSES = ("proposed", "active", "archived")


@dataclass(frozen=True)
class PerimeterFields:
    """The editable fields of a perimeter besides its geometry."""

    name: str
    description: str = ""
    status: str = "proposed"
    start_date: str | None = None  # ISO 'YYYY-MM-DD'


@dataclass(frozen=True)
class PerimeterVersion:
    """One saved version of a perimeter (geometry in EPSG:31370, area in m²)."""

    perimeter_id: int
    version: int
    fields: PerimeterFields
    geometry: BaseGeometry
    actor: str
    at: str  # ISO 8601, UTC
    area_m2: float


class PerimeterChanged(StaleVersion):
    """An edit based on an old version: someone else saved the perimeter in between.

    The message names who changed it and when, so the person can reload and redo the edit;
    the two edits are never merged.
    """

    def __init__(self, latest: PerimeterVersion, based_on: int) -> None:
        self.latest = latest
        self.based_on = based_on
        super().__init__(
            f"changed by {display_actor(latest.actor)} at {display_time(latest.at)} (now "
            f"version {latest.version}, your edit was based on version {based_on}) — reload"
        )


def display_actor(actor: str) -> str:
    """A user name as people know it (the audit trail writes web users as ``web:NAME``)."""
    return actor.removeprefix("web:")


def display_time(at: str) -> str:
    """An ISO 8601 UTC time as ``YYYY-MM-DD HH:MM UTC``."""
    return f"{at[:10]} {at[11:16]} UTC" if len(at) >= 16 else at


class DuplicateName(MMMError):
    """Another perimeter (possibly archived) already has this name."""
