"""Belgian coordinate reference systems.

Everything is stored and computed in EPSG:31370 (Belgian Lambert 72, metres). Inputs are
reprojected on import; GeoJSON exports and the browser get EPSG:4326 (lon, lat).
"""

from __future__ import annotations

import numpy as np
from pyproj import CRS

from mmm.errors import CRSMissing, ImportRejected

WORKING_CRS = CRS.from_epsg(31370)
WEB_CRS = CRS.from_epsg(4326)

#: Rough bounding boxes of Belgium (with a margin) in the CRSs a Belgian export is likely in.
_BELGIAN_EXTENTS: dict[str, tuple[float, float, float, float, str]] = {
    "EPSG:31370": (0.0, 0.0, 320_000.0, 260_000.0, "Belgian Lambert 72, metres"),
    "EPSG:3812": (480_000.0, 480_000.0, 820_000.0, 780_000.0, "Belgian Lambert 2008, metres"),
    "EPSG:4326": (2.0, 49.0, 7.0, 52.0, "WGS 84, longitude/latitude in degrees"),
}


def parse_crs(text: str) -> CRS:
    """Turn a user-given CRS (``31370``, ``EPSG:31370``, a WKT or PROJ string) into a CRS.

    Raises
    ------
    ImportRejected
        When pyproj does not recognise it.
    """
    candidate = text.strip()
    if candidate.isdigit():
        candidate = f"EPSG:{candidate}"
    try:
        return CRS.from_user_input(candidate)
    except Exception:  # pyproj raises CRSError, sometimes others for garbage
        raise ImportRejected(
            f"unknown CRS {text!r}: give an EPSG code such as EPSG:31370, EPSG:3812 or EPSG:4326"
        ) from None


def suggest_crs(x: np.ndarray, y: np.ndarray) -> list[str]:
    """Name the Belgian CRSs whose usual extent contains the (finite) coordinates.

    Only a *suggestion* for an error message: the CRS of a file is never guessed silently.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return []
    xs, ys = x[ok], y[ok]
    lo_x, hi_x = np.nanpercentile(xs, [1, 99])
    lo_y, hi_y = np.nanpercentile(ys, [1, 99])
    return [
        f"{code} ({label})"
        for code, (x0, y0, x1, y1, label) in _BELGIAN_EXTENTS.items()
        if x0 <= lo_x and hi_x <= x1 and y0 <= lo_y and hi_y <= y1
    ]


def missing_crs_error(x: np.ndarray, y: np.ndarray) -> CRSMissing:
    """The error for a file without CRS, with a suggestion from its coordinate ranges."""
    hints = suggest_crs(x, y)
    finite = np.isfinite(x) & np.isfinite(y)
    ranges = ""
    if finite.any():
        ranges = (
            f" (x {np.nanmin(x[finite]):.6g}…{np.nanmax(x[finite]):.6g},"
            f" y {np.nanmin(y[finite]):.6g}…{np.nanmax(y[finite]):.6g})"
        )
    advice = (
        f"the coordinates{ranges} look like {' or '.join(hints)}"
        if hints
        else f"the coordinates{ranges} match none of EPSG:31370, EPSG:3812, EPSG:4326"
    )
    return CRSMissing(f"the file has no coordinate reference system: pass --crs; {advice}")
