"""How good were last period's hotspots? Hit rate and Predictive Accuracy Index per phenomenon.

Why: a perimeter is drawn on past incidents and kept for a year or more. If the hotspots of one
period hardly catch the incidents of the next, the hotspots are not stable enough to build a
perimeter on; if a small area catches a large share, they are.

For a split day ``s`` inside the period: the hot cells (Gi*, same options) of the incidents
*before* ``s``, and the incidents *from* ``s`` on (to the period's end), per phenomenon::

    hit rate = n / N
    PAI      = (n / N) / (a / A)

``n`` incidents of the later period inside the hot cells, ``N`` inside the study area, ``a`` the
hot cells' area and ``A`` the study area's (whole cells). PAI > 1 means the hot cells catch more
than their share of the area; 1 is what a random choice of cells would give.

Reference
---------
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for predicting
spatial patterns of crime. *Security Journal* 21, 4–28.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.counting.grid import raster_counts
from mmm.hotspots.analysis import analyse_hotspots, in_period
from mmm.hotspots.options import HotspotOptions
from mmm.hotspots.results import PredictiveAccuracy


def predictive_accuracy(
    incidents: pd.DataFrame, zone: BaseGeometry, options: HotspotOptions
) -> tuple[PredictiveAccuracy, ...]:
    """Hit rate and PAI per phenomenon for the split day ``options.split``.

    Parameters
    ----------
    incidents
        As for :func:`mmm.hotspots.analysis.analyse_hotspots` (``occurred`` is needed).
    zone
        The zone outline in EPSG:31370.
    options
        The hotspot options; ``split`` must be set and lie after ``start`` and not after
        ``end``. The earlier period is ``[start, split)``, the later ``[split, end]``.

    Raises
    ------
    ValueError
        When ``split`` is missing or outside the period.
    """
    split = options.split
    if split is None:
        raise ValueError("a split day is needed to measure the hit rate and PAI")
    if options.start is not None and split <= options.start:
        raise ValueError(f"the split day {split} must come after the start {options.start}")
    if options.end is not None and split > options.end:
        raise ValueError(f"the split day {split} must not come after the end {options.end}")
    before = replace(options, end=split - timedelta(days=1), split=None, colocation=False)
    earlier = analyse_hotspots(incidents, zone, before)
    later = in_period(incidents, split, options.end)
    phenomena = list(earlier.phenomena)
    codes = pd.Index(phenomena).get_indexer(later["phenomenon"]).astype(np.int64)
    grid = earlier.grid
    after = raster_counts(
        grid, later["x"].to_numpy(float), later["y"].to_numpy(float), codes, len(phenomena)
    )
    cell_km2 = grid.cell_m**2 / 1e6
    study = grid.n_cells * cell_km2
    out = []
    for k, layer in enumerate(earlier.layers):
        hot = layer.hot & grid.mask
        n_total = int(after[k][grid.mask].sum())
        hits = int(after[k][hot].sum())
        area = int(hot.sum()) * cell_km2
        hit_rate = hits / n_total if n_total else float("nan")
        pai = hit_rate / (area / study) if n_total and area else float("nan")
        note = None
        if layer.warning is not None:
            note = f"before {split}: {layer.warning.message}"
        elif not hot.any():
            note = f"no hot cells before {split}"
        elif n_total == 0:
            note = f"no incidents from {split} on"
        out.append(
            PredictiveAccuracy(
                phenomenon=layer.phenomenon,
                split=split,
                hot_cells=int(hot.sum()),
                hot_area_km2=area,
                study_area_km2=study,
                hits=hits,
                incidents_after=n_total,
                hit_rate=hit_rate,
                pai=pai,
                note=note,
            )
        )
    return tuple(out)
