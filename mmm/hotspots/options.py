"""The parameters of a hotspot run: cell size, period, phenomena, confidence, weights, options.

What each parameter means for the result (hot, multi-phenomenon hotspot, composite score,
insufficient data, the period) is set out in :mod:`mmm.hotspots.analysis`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from mmm.hotspots.gistar import CONFIDENCE_BINS


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

    def __post_init__(self) -> None:
        if not self.cell_m > 0:
            raise ValueError(f"the cell size must be positive, got {self.cell_m!r} m")
        if self.distance_m is not None and not self.distance_m > 0:
            raise ValueError(f"the Gi* distance must be positive, got {self.distance_m!r} m")
        if self.kde_bandwidth_m is not None and not self.kde_bandwidth_m > 0:
            raise ValueError(f"the KDE bandwidth must be positive, got {self.kde_bandwidth_m!r}")
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
