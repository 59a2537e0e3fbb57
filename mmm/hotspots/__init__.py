"""Multi-phenomenon hotspots: grid counts, KDE, Getis-Ord Gi* with FDR, co-location, trends,
candidate perimeters and the predictive accuracy of last period's hotspots.

One module per task:

- :mod:`~mmm.hotspots.gistar` — Gi* by 2-D convolution (equals esda's analytical Gi*), bins, FDR;
- :mod:`~mmm.hotspots.kde` — binned quartic KDE rasters;
- :mod:`~mmm.hotspots.colocation` — co-location quotients with a Monte Carlo test;
- :mod:`~mmm.hotspots.trend` — Mann-Kendall and the new / intensifying / persistent /
  diminishing categories;
- :mod:`~mmm.hotspots.emerging` — Esri's 17 emerging hot and cold spot categories from a
  space-time cube (space-time Gi*, FDR per step, Mann-Kendall on the z-scores);
- :mod:`~mmm.hotspots.near_repeat` — the near-repeat Knox table with Monte Carlo p-values;
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
from mmm.hotspots.emerging import (
    CATEGORIES,
    EmergingHotspots,
    classify_emerging,
    emerging_hotspots,
    space_time_gi_star,
)
from mmm.hotspots.gistar import GiStar, benjamini_hochberg, distance_band, gi_bins, gi_star
from mmm.hotspots.kde import KdeRaster, kde_density, quartic_kernel
from mmm.hotspots.near_repeat import NearRepeat, knox_table, store_near_repeats
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
    "CATEGORIES",
    "CoLocationTable",
    "EmergingHotspots",
    "GiStar",
    "HotspotOptions",
    "HotspotResult",
    "HotspotWarning",
    "KdeRaster",
    "MannKendall",
    "NearRepeat",
    "PhenomenonHotspots",
    "PredictiveAccuracy",
    "analyse_hotspots",
    "benjamini_hochberg",
    "candidate_perimeters",
    "classify_emerging",
    "classify_trends",
    "colocation_quotients",
    "distance_band",
    "emerging_hotspots",
    "gi_bins",
    "gi_star",
    "kde_density",
    "knox_table",
    "mann_kendall",
    "predictive_accuracy",
    "quartic_kernel",
    "run_hotspots",
    "space_time_gi_star",
    "store_near_repeats",
]
