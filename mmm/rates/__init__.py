"""Rates per 1,000 residents (dwellings, …): denominators spread onto perimeters and grid cells,
raw rates and their Empirical Bayes smoothing, global and local, as GeoDa computes it.

One module per task:

- :mod:`~mmm.rates.areal` — a value per source polygon (statistical sectors) areal-weighted
  onto target polygons;
- :mod:`~mmm.rates.smoothing` — raw rates and the global and local (spatial) EB rates;
- :mod:`~mmm.rates.tables` — the rates of the store's perimeters and grid cells for a period.

The denominators themselves are imported by :mod:`mmm.io.denominators`
(``mmm import denominators``) and kept by :mod:`mmm.store.denominators`.
"""

from mmm.rates.areal import areal_weighting
from mmm.rates.smoothing import PER, Rates, empirical_bayes, raw_rates
from mmm.rates.tables import (
    NEIGHBOUR_M,
    cell_rates,
    grid_neighbours,
    perimeter_denominators,
    perimeter_neighbours,
    perimeter_rates,
)

__all__ = [
    "NEIGHBOUR_M",
    "PER",
    "Rates",
    "areal_weighting",
    "cell_rates",
    "empirical_bayes",
    "grid_neighbours",
    "perimeter_denominators",
    "perimeter_neighbours",
    "perimeter_rates",
    "raw_rates",
]
