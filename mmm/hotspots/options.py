"""The parameters of a hotspot run: cell size, period, phenomena, confidence, weights, options.

What each parameter means for the result (hot, multi-phenomenon hotspot, composite score,
insufficient data, the period) is set out in :mod:`mmm.hotspots.analysis`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from mmm.errors import LimitExceeded
from mmm.hotspots.gistar import CONFIDENCE_BINS
from mmm.limits import MAX_GRID_CELLS, MAX_NEIGHBOURHOOD_CELLS


@dataclass(frozen=True)
class HotspotOptions:
    """Parameters of a hotspot run (hashable: usable as a cache key for rendered maps).

    Attributes
    ----------
    cell_m
        Cell size in metres (default 100).
    distance_m
        Gi* neighbourhood distance D in metres, centre to centre; ``None``: 2 cells.
    start, end
        First and last day (inclusive) of the period; ``None``: open.
    phenomena
        Phenomenon codes to analyse; empty: every phenomenon in the data.
    min_hot
        Hot phenomena needed for a multi-phenomenon hotspot (default 2).
    confidence
        90, 95 or 99: the Gi* confidence at which a cell counts as hot (default 95).
    fdr
        Correct the Gi* bins for the False Discovery Rate (default on, as ArcGIS).
    weights
        ``(code, weight)`` pairs for the composite score; phenomena not named weigh 1.
    kde_bandwidth_m
        KDE bandwidth in metres; ``None``: 3 cells.
    min_incidents, min_cells_with_data
        Below these a phenomenon gets an "insufficient data" warning instead of bins.
    colocation
        Also compute the co-location quotients (a Monte Carlo test: the slowest part).
    permutations, seed
        Monte Carlo permutations and seed of the co-location test.
    trend_alpha
        Significance level of the Mann-Kendall trend test.
    split
        A day inside the period: also measure how well the hotspots *before* it predicted the
        incidents *from* it on (hit rate and PAI, see :mod:`mmm.hotspots.accuracy`).
    emerging_step
        ``"month"`` or ``"quarter"``: also classify every cell into Esri's 17 emerging hot spot
        categories over time steps of that length (:mod:`mmm.hotspots.emerging`); ``None``: not.
    time_window
        Previous time steps in the space-time neighbourhood of the emerging analysis (default 1).
    candidate_min_incidents
        Incidents of its proposed phenomena a candidate perimeter needs inside its own polygon
        (``--min-incidents``, default 10; see :mod:`mmm.hotspots.candidates`).
    """

    cell_m: float = 100.0
    distance_m: float | None = None
    start: date | None = None
    end: date | None = None
    phenomena: tuple[str, ...] = ()
    min_hot: int = 2
    confidence: int = 95
    fdr: bool = True
    weights: tuple[tuple[str, float], ...] = ()
    kde_bandwidth_m: float | None = None
    min_incidents: int = 20
    min_cells_with_data: int = 30
    colocation: bool = False
    permutations: int = 99
    seed: int = 20240101
    trend_alpha: float = 0.05
    split: date | None = None
    emerging_step: str | None = None
    time_window: int = 1
    candidate_min_incidents: int = 10

    def __post_init__(self) -> None:
        if not (self.cell_m > 0 and math.isfinite(self.cell_m)):
            raise ValueError(f"the cell size must be positive (and finite), got {self.cell_m!r} m")
        if self.distance_m is not None and not self.distance_m > 0:
            raise ValueError(f"the Gi* distance must be positive, got {self.distance_m!r} m")
        if self.kde_bandwidth_m is not None and not self.kde_bandwidth_m > 0:
            raise ValueError(f"the KDE bandwidth must be positive, got {self.kde_bandwidth_m!r}")
        reach = MAX_NEIGHBOURHOOD_CELLS * self.cell_m
        for what, metres in (
            ("Gi* distance", self.distance_m),
            ("KDE bandwidth", self.kde_bandwidth_m),
        ):
            if metres is not None and metres > reach:
                raise LimitExceeded(
                    f"the {what} of {metres:g} m reaches more than {MAX_NEIGHBOURHOOD_CELLS} "
                    f"cells of {self.cell_m:g} m: choose at most {reach:g} m, or larger cells"
                )
        if self.confidence not in CONFIDENCE_BINS:
            raise ValueError(f"confidence must be 90, 95 or 99 (%), got {self.confidence!r}")
        if self.min_hot < 1:
            raise ValueError(f"--min-hot must be at least 1, got {self.min_hot}")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")
        for code, weight in self.weights:
            if not np.isfinite(weight) or weight < 0:
                raise ValueError(f"the weight of {code!r} must be 0 or more, got {weight!r}")
        if self.permutations < 0:
            raise ValueError(f"permutations must be 0 or more, got {self.permutations}")
        if self.emerging_step not in (None, "month", "quarter"):
            raise ValueError(f"the step must be month or quarter, got {self.emerging_step!r}")
        if self.candidate_min_incidents < 0:
            raise ValueError(
                f"--min-incidents must be 0 or more, got {self.candidate_min_incidents}"
            )
        if self.time_window < 0:
            raise ValueError(f"the time window must be 0 or more steps, got {self.time_window}")

    @property
    def neighbourhood_m(self) -> float:
        """Gi* distance D in metres (2 cells unless given)."""
        return self.distance_m if self.distance_m is not None else 2.0 * self.cell_m

    @property
    def bandwidth_m(self) -> float:
        """KDE bandwidth in metres (3 cells unless given)."""
        return self.kde_bandwidth_m if self.kde_bandwidth_m is not None else 3.0 * self.cell_m

    @property
    def hot_level(self) -> int:
        """The Gi* bin a cell needs to count as hot: 1, 2 or 3 for 90, 95 or 99 %."""
        return CONFIDENCE_BINS[self.confidence]

    def weight(self, code: str) -> float:
        """The composite-score weight of phenomenon ``code`` (1 when not given)."""
        return dict(self.weights).get(code, 1.0)


def grid_cells(bounds: tuple[float, float, float, float], cell_m: float) -> float:
    """Cells of a grid of ``cell_m`` metres over ``bounds`` (the zone's bounding box), aligned
    as :func:`mmm.counting.grid.zone_cells` aligns them (infinite for a vanishing cell)."""
    minx, miny, maxx, maxy = bounds
    spans = [(maxx / cell_m, minx / cell_m), (maxy / cell_m, miny / cell_m)]
    if not all(math.isfinite(v) for pair in spans for v in pair):
        return math.inf
    cols, rows = (max(math.ceil(hi) - math.floor(lo), 1) for hi, lo in spans)
    return float(cols * rows)


def smallest_cell(bounds: tuple[float, float, float, float]) -> int:
    """The smallest whole number of metres whose grid over ``bounds`` stays within
    :data:`~mmm.limits.MAX_GRID_CELLS`."""
    minx, miny, maxx, maxy = bounds
    cell = max(math.floor(math.sqrt((maxx - minx) * (maxy - miny) / MAX_GRID_CELLS)), 1)
    while grid_cells(bounds, cell) > MAX_GRID_CELLS:
        cell += 1
    return cell


def check_grid(bounds: tuple[float, float, float, float], cell_m: float) -> None:
    """Refuse a grid of more than :data:`~mmm.limits.MAX_GRID_CELLS` cells over ``bounds``.

    Raises
    ------
    LimitExceeded
        Saying the size of the zone and the smallest cell size allowed for it.
    """
    n = grid_cells(bounds, cell_m)
    if n > MAX_GRID_CELLS:
        minx, miny, maxx, maxy = bounds
        size = f"{(maxx - minx) / 1000:.1f} × {(maxy - miny) / 1000:.1f} km"
        raise LimitExceeded(
            f"cells of {cell_m:g} m over this zone ({size}) make a grid of {n:,.0f} cells, more "
            f"than {MAX_GRID_CELLS:,}: choose a cell size of at least {smallest_cell(bounds)} m"
        )
