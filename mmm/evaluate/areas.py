"""The four study areas of an evaluation: response R, its buffer D, control C, its buffer D_C."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry.base import BaseGeometry

from mmm.counting.count import covered_mask
from mmm.errors import InvalidGeometry

#: Overlap (m²) between a named control perimeter and ``R ∪ D`` that is still tolerated
#: (shared edges of digitised polygons).
OVERLAP_TOLERANCE_M2 = 1.0
#: The four areas, in the order of precedence on shared boundaries.
AREAS = ("R", "D", "C", "DC")


class InvalidControlArea(InvalidGeometry):
    """The control area cannot be used (it overlaps the response area or its buffer, or is
    empty)."""


# -- areas -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StudyAreas:
    """R, D, C and D_C (EPSG:31370); ``control_buffer`` is ``None`` with the zone as control."""

    response: BaseGeometry
    buffer: BaseGeometry
    control: BaseGeometry
    control_buffer: BaseGeometry | None
    buffer_m: float

    def in_order(self) -> tuple[BaseGeometry | None, ...]:
        """The geometries in the order of :data:`AREAS` (the precedence on boundaries)."""
        return (self.response, self.buffer, self.control, self.control_buffer)

    def areas_km2(self) -> dict[str, float | None]:
        """Surface of each area in km² (``None`` for an undefined D_C)."""
        return {
            name: (round(geom.area / 1e6, 4) if geom is not None else None)
            for name, geom in zip(AREAS, self.in_order(), strict=True)
        }


def study_areas(
    response: BaseGeometry,
    zone: BaseGeometry,
    *,
    buffer_m: float = 250.0,
    control: BaseGeometry | None = None,
    control_name: str = "the control perimeter",
) -> StudyAreas:
    """Build R, D, C and D_C around ``response`` (see the module docstring).

    Parameters
    ----------
    response
        The response area R (a perimeter), EPSG:31370.
    zone
        The zone outline; D, D_C and the default C are clipped to it.
    buffer_m
        Width of the buffer rings in metres (> 0).
    control
        A control perimeter; ``None`` uses the rest of the zone, ``zone − R.buffer(b)``.
    control_name
        How error messages name ``control``.

    Raises
    ------
    ValueError
        For a buffer width that is not a positive number.
    InvalidControlArea
        When ``control`` overlaps ``R ∪ D`` by more than :data:`OVERLAP_TOLERANCE_M2`, or the
        control area is empty.
    """
    if not math.isfinite(buffer_m) or buffer_m <= 0:
        raise ValueError(f"the buffer must be a positive width in metres, not {buffer_m:g}")
    grown = response.buffer(buffer_m)
    ring = grown.difference(response).intersection(zone)
    if control is None:
        rest = zone.difference(grown)
        if rest.is_empty or rest.area == 0:
            raise InvalidControlArea(
                f"the response area and its {buffer_m:g} m buffer cover the whole zone: "
                "no control area is left; choose a control perimeter or a smaller buffer"
            )
        return StudyAreas(response, ring, rest, None, buffer_m)
    if control.is_empty or control.area == 0:
        raise InvalidControlArea(f"{control_name} is empty")
    overlap = control.intersection(grown).area
    if overlap > OVERLAP_TOLERANCE_M2:
        raise InvalidControlArea(
            f"{control_name} overlaps the response area or its {buffer_m:g} m buffer "
            f"({overlap:,.0f} m²): choose a control area away from it, or a smaller buffer"
        )
    control_ring = control.buffer(buffer_m).difference(control).difference(grown)
    return StudyAreas(response, ring, control, control_ring.intersection(zone), buffer_m)


def area_codes(x: np.ndarray, y: np.ndarray, areas: StudyAreas) -> np.ndarray:
    """Index in :data:`AREAS` of the area each point falls in, ``-1`` for none.

    A point covered by several areas (on a shared boundary) goes to the first in the order
    R, D, C, D_C. Each area tests only the points no earlier area claimed.
    """
    codes = np.full(len(x), -1, dtype=np.int8)
    for code, geom in enumerate(areas.in_order()):
        if geom is None or geom.is_empty:
            continue
        free = np.flatnonzero(codes < 0)
        if not len(free):
            break
        codes[free[covered_mask(x[free], y[free], geom)]] = code
    return codes
