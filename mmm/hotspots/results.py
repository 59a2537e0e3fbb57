"""The typed results of a hotspot run: what maps, popups, files and the CLI read.

Every array is a raster ``(rows, cols)`` over :attr:`HotspotResult.grid` (row 0 = north); every
geometry is in EPSG:31370. :meth:`HotspotResult.cells` is the ``--cells-out`` table,
:meth:`HotspotResult.hotspot_cells` holds what a popup explains, and each layer's
:attr:`PhenomenonHotspots.kde` is a raster with bounds and affine transform for an image overlay.
:class:`PredictiveAccuracy` holds the hit rate and PAI of a split day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from mmm.counting.grid import ZoneGrid
from mmm.crs import WORKING_CRS
from mmm.hotspots.colocation import CoLocationTable
from mmm.hotspots.gistar import GiStar
from mmm.hotspots.kde import KdeRaster
from mmm.hotspots.options import HotspotOptions


@dataclass(frozen=True)
class HotspotWarning:
    """Why a result should not be read as a confident map.

    ``kind`` is one of ``small_zone``, ``no_incidents``, ``few_incidents``, ``few_cells``,
    ``zero_variance``, ``few_quarters``; ``phenomenon`` is ``None`` for zone-level warnings.
    """

    kind: str
    message: str
    phenomenon: str | None = None


@dataclass(frozen=True, eq=False)
class PhenomenonHotspots:
    """Everything computed for one phenomenon on the grid (arrays ``(rows, cols)``, north up).

    Attributes
    ----------
    phenomenon
        Code.
    weight
        Its weight in the composite score.
    incidents
        Incidents in the study area in the period.
    cells_with_data
        Study-area cells holding at least one.
    counts
        int64 counts per cell.
    gi
        Gi* z, p (uncorrected) and bins (all 0 when ``warning`` is set).
    kde
        The density raster.
    trend
        Trend category of each hot cell (``new``, ``intensifying``, ``persistent``,
        ``diminishing``), ``""`` elsewhere; see :mod:`mmm.hotspots.trend`.
    emerging
        Emerging hot spot category of each study-area cell (one of
        :data:`mmm.hotspots.emerging.CATEGORIES`, ``""`` outside), or ``None`` when the run did
        not ask for it.
    hot_level
        The bin a cell needs to count as hot.
    warning
        Why this phenomenon has no bins (insufficient data), or ``None``.
    """

    phenomenon: str
    weight: float
    incidents: int
    cells_with_data: int
    counts: np.ndarray
    gi: GiStar
    kde: KdeRaster
    trend: np.ndarray
    hot_level: int
    warning: HotspotWarning | None = None
    emerging: np.ndarray | None = None

    @property
    def hot(self) -> np.ndarray:
        """Boolean ``(rows, cols)``: significantly hot at the chosen level."""
        return self.gi.bins >= self.hot_level

    @property
    def cold(self) -> np.ndarray:
        """Boolean ``(rows, cols)``: significantly cold at the chosen level."""
        return self.gi.bins <= -self.hot_level

    @property
    def through_neighbours(self) -> np.ndarray:
        """Boolean ``(rows, cols)``: hot with no incident in the cell itself — its neighbours
        alone make it hot (Gi* sums the cell *and* the cells around it)."""
        return self.hot & (self.counts == 0)

    @property
    def reliable(self) -> bool:
        """``True`` when there was enough data for bins."""
        return self.warning is None


@dataclass(frozen=True)
class PredictiveAccuracy:
    """Hit rate and PAI of one phenomenon's hotspots before ``split`` for the incidents after.

    Computed by :func:`mmm.hotspots.accuracy.predictive_accuracy`, which defines the figures.

    Attributes
    ----------
    phenomenon
        Code.
    split
        First day of the later period.
    hot_cells
        Hot cells of the earlier period.
    hot_area_km2, study_area_km2
        ``a`` and ``A``.
    hits
        ``n``: later incidents in the hot cells.
    incidents_after
        ``N``: later incidents in the study area.
    hit_rate
        ``n / N`` (NaN when ``N`` is 0).
    pai
        ``(n / N) / (a / A)`` (NaN when ``N`` or ``a`` is 0).
    note
        Why the figures are missing or weak (no hot cells, no later incidents,
        insufficient data before the split), else ``None``.
    """

    phenomenon: str
    split: date
    hot_cells: int
    hot_area_km2: float
    study_area_km2: float
    hits: int
    incidents_after: int
    hit_rate: float
    pai: float
    note: str | None = None


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """A multi-phenomenon hotspot run (arrays ``(rows, cols)`` on :attr:`grid`, north up).

    Attributes
    ----------
    options
        The parameters of the run.
    grid
        The zone grid: cell size, bounds, affine transform and study-area mask.
    start, end
        The period analysed (``None`` when open and no dated incident bounds it).
    quarters
        Labels (``2024-Q1``…) of the quarters used for the trends.
    steps
        Labels (``2024-01``… or ``2024-Q1``…) of the time steps of the emerging analysis, empty
        when it was not asked for.
    layers
        One :class:`PhenomenonHotspots` per phenomenon, sorted by code.
    hot_count
        Number of phenomena hot in each cell.
    composite
        Weighted composite score per cell (NaN outside the study area).
    multi
        Multi-phenomenon hotspot cells (``hot_count >= min_hot``).
    candidates
        Candidate perimeters a person can defend (see
        :func:`mmm.hotspots.candidates.candidate_perimeters`): counts inside their own polygon.
    set_aside
        Outlines of hot cells left out for holding fewer than ``candidate_min_incidents``
        incidents of their phenomena inside the polygon, with ``reason`` (``None``: not drawn).
    colocation
        Co-location quotients when asked for, else ``None``.
    warnings
        Zone-level and per-phenomenon warnings.
    accuracy
        Hit rate and PAI per phenomenon when ``options.split`` is set.
    """

    options: HotspotOptions
    grid: ZoneGrid
    start: date | None
    end: date | None
    quarters: tuple[str, ...]
    layers: tuple[PhenomenonHotspots, ...]
    hot_count: np.ndarray
    composite: np.ndarray
    multi: np.ndarray
    candidates: gpd.GeoDataFrame
    colocation: CoLocationTable | None = None
    warnings: tuple[HotspotWarning, ...] = ()
    accuracy: tuple[PredictiveAccuracy, ...] = ()
    steps: tuple[str, ...] = ()
    set_aside: gpd.GeoDataFrame | None = None

    @property
    def phenomena(self) -> tuple[str, ...]:
        """The phenomenon codes analysed, in layer order."""
        return tuple(layer.phenomenon for layer in self.layers)

    def layer(self, phenomenon: str) -> PhenomenonHotspots:
        """The layer of one phenomenon (``KeyError`` when it was not analysed)."""
        for layer in self.layers:
            if layer.phenomenon == phenomenon:
                return layer
        raise KeyError(phenomenon)

    def cells(self) -> gpd.GeoDataFrame:
        """One row per study-area cell × phenomenon (the ``--cells-out`` table), EPSG:31370.

        Columns: ``cell``, ``phenomenon``, ``count``, ``kde`` (incidents per km²), ``gi_z``,
        ``gi_p`` (two-sided, uncorrected), ``gi_bin`` (FDR-corrected when on), ``hot``,
        ``trend``, ``through_neighbours`` (hot with no incident in the cell itself: only its
        neighbours make it hot), ``hot_phenomena`` (phenomena hot in the cell), ``composite``,
        ``multi_hotspot``, with an emerging run ``emerging`` (one of
        :data:`mmm.hotspots.emerging.CATEGORIES`), and the cell square as ``geometry``. Rows run
        phenomenon by phenomenon, each north to south, west to east.
        """
        mask = self.grid.mask
        ids = self.grid.cell_ids()
        boxes = self.grid.boxes()
        k = len(self.layers)
        frame = pd.DataFrame(
            {
                "cell": np.tile(ids, k),
                "phenomenon": np.repeat(np.asarray(self.phenomena, dtype=object), len(ids)),
                "count": _stack([la.counts[mask] for la in self.layers], np.int64),
                "kde": _stack([la.kde.density[mask] for la in self.layers], float),
                "gi_z": _stack([la.gi.z[mask] for la in self.layers], float),
                "gi_p": _stack([la.gi.p[mask] for la in self.layers], float),
                "gi_bin": _stack([la.gi.bins[mask] for la in self.layers], np.int64),
                "hot": _stack([la.hot[mask] for la in self.layers], bool),
                "trend": _stack([la.trend[mask] for la in self.layers], object),
                "through_neighbours": _stack(
                    [la.through_neighbours[mask] for la in self.layers], bool
                ),
                "hot_phenomena": np.tile(self.hot_count[mask], k),
                "composite": np.tile(self.composite[mask], k),
                "multi_hotspot": np.tile(self.multi[mask], k),
            }
        )
        emerging = [la.emerging[mask] for la in self.layers if la.emerging is not None]
        if self.options.emerging_step is not None:
            frame["emerging"] = _stack(emerging, object)
        return gpd.GeoDataFrame(frame, geometry=np.tile(boxes, k), crs=WORKING_CRS)

    def hotspot_cells(self) -> gpd.GeoDataFrame:
        """One row per cell hot for at least one phenomenon, with what a map popup needs.

        Columns: ``cell``, ``hot_phenomena`` (how many), ``phenomena`` (codes hot there,
        strongest z first), ``composite``, ``multi_hotspot``, ``through_neighbours`` (the codes
        hot there with no incident in the cell itself, comma-separated), ``why`` (one English
        sentence), then per phenomenon ``count_<code>``, ``z_<code>``, ``p_<code>``,
        ``bin_<code>`` and ``trend_<code>``; the cell square as ``geometry`` (EPSG:31370). Sorted by
        ``hot_phenomena`` then ``composite``, highest first.
        """
        where = self.grid.mask & (self.hot_count > 0)
        frame = pd.DataFrame(
            {
                "cell": self.grid.cell_ids(where),
                "hot_phenomena": self.hot_count[where],
                "composite": self.composite[where],
                "multi_hotspot": self.multi[where],
            }
        )
        codes = self.phenomena
        if codes:
            hot = np.stack([la.hot[where] for la in self.layers])
            z = np.stack([la.gi.z[where] for la in self.layers])
            counts = np.stack([la.counts[where] for la in self.layers])
            trends = np.stack([la.trend[where] for la in self.layers])
        names, borrowed, why = [], [], []
        for i in range(len(frame)):  # one sentence per hot cell (a loop over cells, not incidents)
            order = [k for k in np.argsort(-z[:, i], kind="stable") if hot[k, i]]
            names.append(", ".join(codes[k] for k in order))
            borrowed.append(", ".join(codes[k] for k in order if counts[k, i] == 0))
            why.append(_why([(codes[k], z[k, i], int(counts[k, i]), trends[k, i]) for k in order]))
        frame.insert(2, "phenomena", names)
        frame["through_neighbours"] = borrowed
        frame["why"] = why
        for la in self.layers:
            code = la.phenomenon
            frame[f"count_{code}"] = la.counts[where]
            frame[f"z_{code}"] = la.gi.z[where]
            frame[f"p_{code}"] = la.gi.p[where]
            frame[f"bin_{code}"] = la.gi.bins[where].astype(np.int64)
            frame[f"trend_{code}"] = la.trend[where]
        frame = gpd.GeoDataFrame(frame, geometry=self.grid.boxes(where), crs=WORKING_CRS)
        rank = np.lexsort((-frame["composite"].to_numpy(), -frame["hot_phenomena"].to_numpy()))
        return frame.iloc[rank].reset_index(drop=True)


def _why(hot: list[tuple[str, float, int, str]]) -> str:
    """``Hot for 2 phenomena: drugs (z = 4.12, 35 incidents, intensifying); …``; a phenomenon
    with no incident in the cell says ``hot through its neighbours only``."""
    parts = [
        f"{code} (z = {z:.2f}, {count} incident{'s' * (count != 1)}{', ' + trend if trend else ''}"
        f"{', hot through its neighbours only' if count == 0 else ''})"
        for code, z, count, trend in hot
    ]
    n = len(hot)
    return f"Hot for {n} phenomen{'a' if n != 1 else 'on'}: " + "; ".join(parts)


def _stack(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype=dtype)
