"""Areal weighting: a value given per source polygon, spread onto other polygons by area.

Why: residents are counted per statistical sector, incidents per perimeter or grid cell; a
perimeter cuts sectors. Areal weighting gives each target the sum over the sources of the
source's value times the share of the source's area inside the target,
``Σ_s v_s · |s ∩ t| / |s|`` — exact when the residents of each sector are spread evenly over
it, and never more than the sources hold (a partition of targets gets back exactly the total of
the sources it covers). The pairs of polygons that meet come from an STR-tree, the areas of
their intersections from one vectorised call.
"""

from __future__ import annotations

import numpy as np
import shapely


def areal_weighting(sources: np.ndarray, values: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The value of each target polygon (EPSG:31370 metres, like the sources).

    Parameters
    ----------
    sources
        Source polygons (e.g. statistical sectors); a source of no area gives nothing.
    values
        One number per source (residents, dwellings…).
    targets
        Target polygons (perimeters, grid cells).

    Returns
    -------
    numpy.ndarray
        One float per target.
    """
    sources = np.asarray(sources, dtype=object)
    targets = np.asarray(targets, dtype=object)
    values = np.asarray(values, dtype=float)
    out = np.zeros(len(targets))
    if not len(sources) or not len(targets):
        return out
    area = shapely.area(sources)
    tree = shapely.STRtree(sources)
    target_i, source_i = tree.query(targets, predicate="intersects")
    shared = shapely.area(shapely.intersection(targets[target_i], sources[source_i]))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(area[source_i] > 0, shared / area[source_i], 0.0)
    np.add.at(out, target_i, values[source_i] * share)
    return out
