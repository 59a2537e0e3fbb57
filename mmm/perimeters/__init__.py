"""Micro-local perimeters: geometry checks (validity, size, the crossing point of a bow-tie) and
editing with versions, history and audit (:mod:`mmm.perimeters.edit`: create, edit, split,
archive, adopt), shared by the browser editor, the API and the CLI.
"""

from mmm.perimeters.geometry import (
    AreaLimits,
    GeometryRefused,
    area_change_pct,
    check_perimeter_geometry,
    from_geojson,
    to_geojson,
    web_point,
)

__all__ = [
    "AreaLimits",
    "GeometryRefused",
    "area_change_pct",
    "check_perimeter_geometry",
    "from_geojson",
    "to_geojson",
    "web_point",
]
