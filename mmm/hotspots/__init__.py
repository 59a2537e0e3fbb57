"""Multi-phenomenon hotspots: grid counts, KDE, Getis-Ord Gi* with FDR, co-location, trends,
candidate perimeters and the predictive accuracy of last period's hotspots.

One module per task:

- :mod:`~mmm.hotspots.gistar` — Gi* by 2-D convolution (equals esda's analytical Gi*), bins, FDR;
- :mod:`~mmm.hotspots.kde` — binned quartic KDE rasters;
- :mod:`~mmm.hotspots.colocation` — co-location quotients with a Monte Carlo test;
- :mod:`~mmm.hotspots.trend` — Mann-Kendall and the new / intensifying / persistent /
  diminishing categories;
- :mod:`~mmm.hotspots.candidates` — hot cells dissolved into candidate perimeters;
- :mod:`~mmm.hotspots.options` — the parameters of a run;
- :mod:`~mmm.hotspots.analysis` — the run over all phenomena (multi-phenomenon logic);
- :mod:`~mmm.hotspots.results` — its typed results (tables for files and popups, rasters,
  hit rate and PAI);
- :mod:`~mmm.hotspots.accuracy` — hit rate and PAI for a split day;
- :mod:`~mmm.hotspots.run` — the same on what a store holds.

All arrays are rasters over :class:`mmm.counting.grid.ZoneGrid` (row 0 = north), all geometries
are in EPSG:31370.
"""

from mmm.hotspots.accuracy import predictive_accuracy
from mmm.hotspots.analysis import analyse_hotspots
from mmm.hotspots.candidates import candidate_perimeters
from mmm.hotspots.colocation import CoLocationTable, colocation_quotients
from mmm.hotspots.gistar import GiStar, benjamini_hochberg, distance_band, gi_bins, gi_star
from mmm.hotspots.kde import KdeRaster, kde_density, quartic_kernel
from mmm.hotspots.options import HotspotOptions
from mmm.hotspots.results import (
    HotspotResult,
    HotspotWarning,
    PhenomenonHotspots,
    PredictiveAccuracy,
)
from mmm.hotspots.run import run_hotspots
from mmm.hotspots.trend import MannKendall, classify_trends, mann_kendall

__all__ = [
    "CoLocationTable",
    "GiStar",
    "HotspotOptions",
    "HotspotResult",
    "HotspotWarning",
    "KdeRaster",
    "MannKendall",
    "PhenomenonHotspots",
    "PredictiveAccuracy",
    "analyse_hotspots",
    "benjamini_hochberg",
    "candidate_perimeters",
    "classify_trends",
    "colocation_quotients",
    "distance_band",
    "gi_bins",
    "gi_star",
    "kde_density",
    "mann_kendall",
    "predictive_accuracy",
    "quartic_kernel",
    "run_hotspots",
]
