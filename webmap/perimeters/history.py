"""A perimeter's version history as the perimeter page shows it: who, when, what changed."""

from __future__ import annotations

from mmm.perimeters.geometry import area_change_pct
from mmm.store.perimeter_rows import PerimeterVersion, display_actor
from webmap.vocabulary import local_time


def history_rows(versions: list[PerimeterVersion]) -> list[dict[str, object]]:
    """One row per version, newest first, with the area change against the version before."""
    rows: list[dict[str, object]] = []
    before: PerimeterVersion | None = None
    for v in versions:
        change: float | None = None if before is None else v.area_m2 - before.area_m2
        pct: float | None = None if before is None else area_change_pct(before.area_m2, v.area_m2)
        rows.append(
            {
                "version": v.version,
                "who": display_actor(v.actor),
                "when": local_time(v.at),
                "name": v.fields.name,
                "status": v.fields.status,
                "start_date": v.fields.start_date,
                "area_ha": v.area_m2 / 1e4,
                "change_m2": change,
                "change_pct": pct,
                "current": v is versions[-1],
            }
        )
        before = v
    return rows[::-1]
