"""Multi-phenomenon hotspot analysis: one run over the zone grid for every phenomenon.

For each phenomenon: counts per cell over the period, a quartic KDE raster, Getis-Ord Gi*
(z, p, ArcGIS-style bins with FDR) and, for hot cells, a trend category. Across phenomena:
per cell the number of phenomena that are significantly hot, a weighted composite score, the
multi-phenomenon hotspot flag, candidate perimeters and (optionally) the co-location table.

Definitions (the CLI and the web page show the same):

- **hot** for a phenomenon: Gi* bin ≥ the level of ``confidence`` (default 95 %, bin ≥ 2), after
  the FDR correction unless it is switched off. 95 % rather than 90 % because a cell is tested
  once per phenomenon: the stricter level keeps chance hot cells out of the multi-phenomenon
  count.
- **multi-phenomenon hotspot**: a cell hot for at least ``min_hot`` phenomena (default 2).
- **composite score**: ``sum_k w_k * max(z_k, 0) / sum_k w_k`` over the phenomena with enough
  data, ``w_k`` the per-phenomenon weights (default 1 each; a zone sets them from its ZVP
  priorities): the weighted mean of the positive Gi* z-scores, so that a cold spot of one
  phenomenon does not cancel a hot spot of another.
- **insufficient data** (a warning instead of bins; z and p are still given, all bins are 0):
  fewer than ``min_incidents`` (20) incidents of the phenomenon in the study area, or fewer than
  ``min_cells_with_data`` (30) cells holding one, or all cells equal (zero variance). A study area
  of fewer than 30 cells (a zone smaller than a few cells) gives a zone-level warning and no
  bins at all.

The period: ``start``/``end`` are inclusive days. When either is given, undated incidents are
left out; without both, all incidents count (undated ones too, as ``--period all`` does) and
the trend quarters run from the first to the last dated incident's quarter.

Emerging hot spots (``emerging_step``, see :mod:`mmm.hotspots.emerging`): the space-time cube
holds, per cell and calendar month or quarter of the period, the incidents per day of the
step's part inside the period (so that February, or a partial first or last step, compares
fairly); the same distance, confidence, FDR and trend level as the rest of the run. A phenomenon
with insufficient data gets ``no_pattern`` everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.counting.grid import ZoneGrid, raster_counts, zone_grid
from mmm.errors import LimitExceeded
from mmm.hotspots.candidates import Points, candidate_perimeters
from mmm.hotspots.colocation import CoLocationTable, colocation_quotients
from mmm.hotspots.emerging import NO_PATTERN, check_steps, emerging_hotspots
from mmm.hotspots.gistar import GiStar, gi_star
from mmm.hotspots.kde import KdeRaster, kde_density
from mmm.hotspots.options import HotspotOptions, check_grid
from mmm.hotspots.results import HotspotResult, HotspotWarning, PhenomenonHotspots
from mmm.hotspots.trend import MIN_STEPS, classify_trends
from mmm.limits import MAX_MONTHS


def analyse_hotspots(
    incidents: pd.DataFrame,
    zone: BaseGeometry,
    options: HotspotOptions | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> HotspotResult:
    """Run the multi-phenomenon hotspot analysis on incidents in a zone.

    Parameters
    ----------
    incidents
        Columns ``phenomenon``, ``occurred`` (datetime64, NaT when undated), ``x``, ``y``
        (EPSG:31370), as ``Store.incidents()`` returns them.
    zone
        The zone outline (EPSG:31370): the grid's study area is the cells overlapping it.
    options
        See :class:`~mmm.hotspots.options.HotspotOptions` (default: all defaults).
    progress
        Called as ``progress(step, done, total)`` before each step, for a page that shows how
        far the run is (default: nobody listens). ``step`` is ``"grid"`` (the counts per cell),
        ``"phenomenon:<code>"`` (Gi*, KDE and trends of one phenomenon), ``"candidates"`` or
        ``"colocation"``; ``done`` of ``total`` steps are done.

    Returns
    -------
    HotspotResult

    Raises
    ------
    ValueError
        For an empty zone.
    LimitExceeded
        For a grid of more than :data:`mmm.limits.MAX_GRID_CELLS` cells over the zone.
    """
    options = options or HotspotOptions()
    report = progress or (lambda step, done, total: None)
    check_grid(zone.bounds, options.cell_m)
    frame = in_period(incidents, options.start, options.end)
    found = sorted(str(p) for p in pd.unique(frame["phenomenon"].dropna()))
    phenomena = sorted(set(options.phenomena)) if options.phenomena else found
    total = 2 + len(phenomena) + int(options.colocation)
    report("grid", 0, total)
    grid = zone_grid(zone, cell_m=options.cell_m)
    codes = pd.Index(phenomena).get_indexer(frame["phenomenon"]).astype(np.int64)
    x = frame["x"].to_numpy(dtype=float)
    y = frame["y"].to_numpy(dtype=float)
    counts = raster_counts(grid, x, y, codes, len(phenomena))

    warnings: list[HotspotWarning] = []
    if grid.n_cells < options.min_cells_with_data:
        warnings.append(
            HotspotWarning(
                "small_zone",
                f"the zone holds only {grid.n_cells} cell{'s' * (grid.n_cells != 1)} of "
                f"{options.cell_m:g} m (fewer than {options.min_cells_with_data}): too small "
                "for hotspot statistics; choose a smaller --cell",
            )
        )
    start, end, quarters, rates = _periodic(frame, grid, codes, len(phenomena), options)
    if len(quarters) < MIN_STEPS:
        warnings.append(
            HotspotWarning(
                "few_quarters",
                f"the period covers {len(quarters)} quarter{'s' * (len(quarters) != 1)}: "
                f"trends need at least {MIN_STEPS}",
            )
        )
    steps, cube = _emerging_cube(frame, grid, codes, len(phenomena), options, quarters, rates)
    made = []
    for k, code in enumerate(phenomena):
        report(f"phenomenon:{code}", 1 + k, total)
        cube_k = None if cube is None else cube[:, k]
        zone_ok = grid.n_cells >= options.min_cells_with_data
        made.append(_layer(code, counts[k], rates[:, k], cube_k, grid, options, zone_ok=zone_ok))
    layers = tuple(made)
    warnings += [la.warning for la in layers if la.warning is not None]

    hot = np.stack([la.hot for la in layers]) if layers else np.zeros((0, *grid.shape), bool)
    hot_count = hot.sum(axis=0).astype(np.int64)
    composite = _composite(layers, grid)
    multi = grid.mask & (hot_count >= options.min_hot)
    report("candidates", 1 + len(phenomena), total)
    candidates = candidate_perimeters(
        grid,
        multi,
        hot,
        Points(x, y, codes),
        phenomena,
        min_incidents=options.candidate_min_incidents,
    )
    colocation = None
    if options.colocation:
        report("colocation", 2 + len(phenomena), total)
        colocation = _colocation(frame, grid, codes, phenomena, options)
    return HotspotResult(
        options=options,
        grid=grid,
        start=start,
        end=end,
        quarters=quarters,
        steps=steps,
        layers=layers,
        hot_count=hot_count,
        composite=composite,
        multi=multi,
        candidates=candidates.kept,
        set_aside=candidates.set_aside,
        colocation=colocation,
        warnings=tuple(warnings),
    )


def in_period(incidents: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """Incidents of the inclusive period (undated ones only when the period is fully open)."""
    if start is None and end is None:
        return incidents
    occurred = pd.to_datetime(incidents["occurred"])
    keep = occurred.notna()
    if start is not None:
        keep &= occurred >= pd.Timestamp(start)
    if end is not None:
        keep &= occurred < pd.Timestamp(end) + pd.Timedelta(days=1)
    return incidents[keep.to_numpy()]


def _periodic(
    frame: pd.DataFrame,
    grid: ZoneGrid,
    codes: np.ndarray,
    k: int,
    options: HotspotOptions,
    *,
    months: int = 3,
) -> tuple[date | None, date | None, tuple[str, ...], np.ndarray]:
    """The period's bounds, its calendar steps of ``months`` months (3: quarters, 1: months)
    and the rate per day per step and cell.

    Returns ``(start, end, labels, rates)`` with ``rates`` of shape ``(steps, k, rows, cols)``;
    labels ``2024-Q1`` for quarters, ``2024-01`` for months.
    """
    occurred = pd.to_datetime(frame["occurred"]).to_numpy(dtype="datetime64[D]")
    dated = ~np.isnat(occurred)
    start = np.datetime64(options.start, "D") if options.start else None
    end = np.datetime64(options.end, "D") if options.end else None
    if dated.any():
        first_step = occurred[dated].min().astype("datetime64[M]").astype(np.int64) // months
        last_step = occurred[dated].max().astype("datetime64[M]").astype(np.int64) // months
        start = start if start is not None else np.datetime64(int(first_step) * months, "M")
        next_step = np.datetime64(int(last_step) * months + months, "M").astype("datetime64[D]")
        end = end if end is not None else next_step - 1
    if start is None or end is None:
        return None, None, (), np.zeros((0, k, *grid.shape))
    start = start.astype("datetime64[D]")
    end = end.astype("datetime64[D]")
    s0 = int(start.astype("datetime64[M]").astype(np.int64) // months)
    s1 = int(end.astype("datetime64[M]").astype(np.int64) // months)
    steps = np.arange(s0, s1 + 1)
    first = (steps * months).astype("datetime64[M]").astype("datetime64[D]")
    last = ((steps + 1) * months).astype("datetime64[M]").astype("datetime64[D]") - 1
    days = (np.minimum(last, end) - np.maximum(first, start)).astype(np.int64) + 1
    if months == 3:
        labels = tuple(f"{1970 + q // 4}-Q{q % 4 + 1}" for q in steps)
    else:
        labels = tuple(str(m) for m in (steps * months).astype("datetime64[M]"))
    step = np.full(len(codes), -1, dtype=np.int64)
    step[dated] = occurred[dated].astype("datetime64[M]").astype(np.int64) // months - s0
    ok = (step >= 0) & (step < len(steps)) & (codes >= 0)
    label = np.where(ok, step * k + codes, -1)
    x = frame["x"].to_numpy(dtype=float)
    y = frame["y"].to_numpy(dtype=float)
    counts = raster_counts(grid, x, y, label, len(steps) * k).reshape(len(steps), k, *grid.shape)
    rates = counts / days[:, None, None, None]
    return _day(start), _day(end), labels, rates


def _emerging_cube(
    frame: pd.DataFrame,
    grid: ZoneGrid,
    codes: np.ndarray,
    k: int,
    options: HotspotOptions,
    quarters: tuple[str, ...],
    rates: np.ndarray,
) -> tuple[tuple[str, ...], np.ndarray | None]:
    """The labels and the cube ``(steps, k, rows, cols)`` of incidents per day of the emerging
    analysis (``((), None)`` when it is not asked for).

    Raises
    ------
    ValueError
        With fewer than :data:`mmm.hotspots.emerging.MIN_STEPS` steps.
    LimitExceeded
        With more than :data:`mmm.limits.MAX_MONTHS` steps.
    """
    if options.emerging_step is None:
        return (), None
    if options.emerging_step == "month":
        _, _, quarters, rates = _periodic(frame, grid, codes, k, options, months=1)
    if len(quarters) > MAX_MONTHS:
        raise LimitExceeded(
            f"the period holds {len(quarters)} {options.emerging_step}s: emerging hot spots take "
            f"at most {MAX_MONTHS} steps (choose a shorter period, or --step quarter)"
        )
    check_steps(len(quarters))
    return quarters, rates


def _day(value: np.datetime64) -> date:
    return date(1970, 1, 1) + timedelta(days=int(value.astype("datetime64[D]").astype(np.int64)))


def _layer(
    code: str,
    counts: np.ndarray,
    rates: np.ndarray,
    cube: np.ndarray | None,
    grid: ZoneGrid,
    options: HotspotOptions,
    *,
    zone_ok: bool,
) -> PhenomenonHotspots:
    """Gi*, KDE, warnings, trends and (with a ``cube``) the emerging categories of one
    phenomenon."""
    mask = grid.mask
    incidents = int(counts[mask].sum())
    with_data = int((counts[mask] > 0).sum())
    gi = gi_star(
        counts, mask, cell_m=grid.cell_m, distance_m=options.neighbourhood_m, fdr=options.fdr
    )
    warning = _insufficient(code, incidents, with_data, gi, options) if zone_ok else None
    if warning is not None or not zone_ok:
        gi = replace(gi, bins=np.zeros_like(gi.bins))
    density = kde_density(counts, mask, cell_m=grid.cell_m, bandwidth_m=options.bandwidth_m)
    kde = KdeRaster(code, density, options.bandwidth_m, grid.bounds, grid.transform)
    hot = gi.bins >= options.hot_level
    trend = np.full(mask.shape, "", dtype=object)
    if hot.any() and len(rates) >= MIN_STEPS:
        hot_by_step = np.stack([_hot_in(step, grid, options) for step in rates])
        trend = classify_trends(rates, hot_by_step, hot, alpha=options.trend_alpha)
    emerging = None
    if cube is not None:  # "insufficient data": no pattern is claimed
        emerging = np.where(mask, NO_PATTERN, "").astype(object)
        if warning is None and zone_ok:
            emerging = emerging_hotspots(
                cube,
                mask,
                cell_m=grid.cell_m,
                distance_m=options.neighbourhood_m,
                time_window=options.time_window,
                level=options.hot_level,
                fdr=options.fdr,
                alpha=options.trend_alpha,
            ).category
    return PhenomenonHotspots(
        phenomenon=code,
        weight=options.weight(code),
        incidents=incidents,
        cells_with_data=with_data,
        counts=counts,
        gi=gi,
        kde=kde,
        trend=trend,
        emerging=emerging,
        hot_level=options.hot_level,
        warning=warning,
    )


def _hot_in(rate: np.ndarray, grid: ZoneGrid, options: HotspotOptions) -> np.ndarray:
    """Hot cells of one quarter alone (nothing when that quarter has too little data)."""
    if (rate[grid.mask] > 0).sum() < options.min_cells_with_data:
        return np.zeros(grid.shape, dtype=bool)
    gi = gi_star(
        rate, grid.mask, cell_m=grid.cell_m, distance_m=options.neighbourhood_m, fdr=options.fdr
    )
    return gi.bins >= options.hot_level


def _insufficient(
    code: str, incidents: int, with_data: int, gi: GiStar, options: HotspotOptions
) -> HotspotWarning | None:
    """The insufficient-data warning of one phenomenon, or ``None`` when there is enough."""
    if incidents == 0:
        return HotspotWarning("no_incidents", f"{code}: no incidents in the period", code)
    if incidents < options.min_incidents:
        return HotspotWarning(
            "few_incidents",
            f"{code}: only {incidents} incident{'s' * (incidents != 1)} in the period (fewer "
            f"than {options.min_incidents}): too few for a reliable hotspot map",
            code,
        )
    if with_data < options.min_cells_with_data:
        return HotspotWarning(
            "few_cells",
            f"{code}: incidents in only {with_data} cell{'s' * (with_data != 1)} (fewer than "
            f"{options.min_cells_with_data}): too few for a reliable hotspot map",
            code,
        )
    if gi.note is not None:
        return HotspotWarning("zero_variance", f"{code}: {gi.note}", code)
    return None


def _composite(layers: tuple[PhenomenonHotspots, ...], grid: ZoneGrid) -> np.ndarray:
    """Weighted mean of the positive Gi* z-scores over the phenomena with enough data."""
    used = [la for la in layers if la.reliable and la.weight > 0]
    total = sum(la.weight for la in used)
    score = np.zeros(grid.shape)
    for la in used:
        score += la.weight * np.maximum(la.gi.z, 0.0)
    if total > 0:
        score /= total
    return np.where(grid.mask, score, np.nan)


def _colocation(
    frame: pd.DataFrame,
    grid: ZoneGrid,
    codes: np.ndarray,
    phenomena: list[str],
    options: HotspotOptions,
) -> CoLocationTable | None:
    """Co-location quotients of the incidents in the study area (``None`` below 2 incidents)."""
    x = frame["x"].to_numpy(dtype=float)
    y = frame["y"].to_numpy(dtype=float)
    _, _, inside = grid.locate(x, y)
    keep = inside & (codes >= 0)
    if keep.sum() < 2:
        return None
    labels = np.asarray(phenomena, dtype=object)[codes[keep]]
    return colocation_quotients(
        x[keep], y[keep], labels, permutations=options.permutations, seed=options.seed
    )
