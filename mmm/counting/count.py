"""Counts per perimeter × phenomenon × period: the objective analysis of every action plan.

An incident counts for a perimeter when the perimeter *covers* it (boundary included); an
incident inside two overlapping perimeters counts in both. The work is vectorised: incidents
are sorted by x once, each perimeter looks only at the slice inside its bounding box and tests
it with a prepared ``intersects_xy`` (for points, *intersects* is *covers*). The loop runs over
perimeters, never over incidents, and no point geometry is built. Counts are additive, so the
same function can run per partition of the incidents and the results be summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.store import Store

Period = Literal["month", "quarter", "year", "all"]
PERIODS: tuple[str, ...] = ("month", "quarter", "year", "all")
COLUMNS = ["perimeter", "phenomenon", "period", "count", "area_km2", "per_km2"]


def period_labels(occurred: pd.Series | np.ndarray, period: Period) -> np.ndarray:
    """Label each date with its period: ``2024-03``, ``2024-Q1``, ``2024`` or ``all``.

    Undated values (NaT) get ``all`` only for ``period="all"``; otherwise ``None``.
    """
    stamps = pd.DatetimeIndex(pd.to_datetime(occurred))
    if period == "all":
        return np.full(len(stamps), "all", dtype=object)
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    year = stamps.year.to_numpy()
    undated = stamps.isna()
    if period == "year":
        keys = year
    elif period == "quarter":
        keys = year * 10 + (stamps.month.to_numpy() - 1) // 3 + 1
    else:
        keys = year * 100 + stamps.month.to_numpy()
    keys = np.where(undated, -1, np.nan_to_num(keys, nan=-1)).astype(np.int64)
    uniq, inverse = np.unique(keys, return_inverse=True)
    names = np.array([_label(int(k), period) for k in uniq], dtype=object)
    return names[inverse]


def _label(key: int, period: str) -> str | None:
    if key < 0:
        return None
    if period == "year":
        return f"{key:04d}"
    if period == "quarter":
        return f"{key // 10:04d}-Q{key % 10}"
    return f"{key // 100:04d}-{key % 100:02d}"


def covered_counts(
    x: np.ndarray, y: np.ndarray, keys: np.ndarray, n_keys: int, geometries: np.ndarray
) -> np.ndarray:
    """Count points per (geometry, key): a ``len(geometries) × n_keys`` integer matrix.

    Parameters
    ----------
    x, y
        Point coordinates (metres, same CRS as the geometries).
    keys
        An integer in ``[0, n_keys)`` per point (e.g. phenomenon × period).
    geometries
        Polygons; a point on a boundary counts (covers semantics).
    """
    order = np.argsort(x)  # stability does not matter for counts; quicksort is 2× faster
    xs, ys, ks = x[order], y[order], keys[order]
    bounds = shapely.bounds(geometries)
    lo = np.searchsorted(xs, bounds[:, 0], side="left")
    hi = np.searchsorted(xs, bounds[:, 2], side="right")
    counts = np.zeros((len(geometries), n_keys), dtype=np.int64)
    for i, geom in enumerate(geometries):  # one pass per perimeter, vectorised inside
        if lo[i] == hi[i] or geom is None or geom.is_empty:
            continue
        ys_slice = ys[lo[i] : hi[i]]
        cand = np.flatnonzero((ys_slice >= bounds[i, 1]) & (ys_slice <= bounds[i, 3])) + lo[i]
        if not len(cand):
            continue
        shapely.prepare(geom)
        inside = cand[shapely.intersects_xy(geom, xs[cand], ys[cand])]
        counts[i] = np.bincount(ks[inside], minlength=n_keys)
    return counts


def covered_mask(x: np.ndarray, y: np.ndarray, geometry: BaseGeometry) -> np.ndarray:
    """Which points ``geometry`` covers (boundary included), testing only its bounding box."""
    minx, miny, maxx, maxy = geometry.bounds
    candidates = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
    mask = np.zeros(len(x), dtype=bool)
    shapely.prepare(geometry)
    mask[candidates] = shapely.intersects_xy(geometry, x[candidates], y[candidates])
    return mask


def count_incidents(
    incidents: pd.DataFrame,
    perimeters: gpd.GeoDataFrame,
    *,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Counts per perimeter × phenomenon × period (zero rows left out).

    Parameters
    ----------
    incidents
        Columns ``phenomenon``, ``occurred`` (datetime64, NaT = undated), ``x``, ``y``
        (EPSG:31370).
    perimeters
        GeoDataFrame with ``name`` and polygons in EPSG:31370.
    period
        ``month``, ``quarter``, ``year`` or ``all``. Undated incidents count only with ``all``.
    start, end
        Inclusive dates; when given, undated incidents are left out.

    Returns
    -------
    DataFrame with ``perimeter``, ``phenomenon``, ``period``, ``count``, ``area_km2`` and
    ``per_km2`` (count per km² of the perimeter), sorted by perimeter, phenomenon, period.
    """
    matrix = count_matrix(
        incidents,
        np.asarray(perimeters.geometry.values, dtype=object),
        period=period,
        start=start,
        end=end,
    )
    return _long_table(matrix, perimeters)


@dataclass(frozen=True)
class CountMatrix:
    """Counts per perimeter (rows, in the order given) × phenomenon and period (columns).

    Column ``j`` counts ``phenomena[j // len(periods)]`` in ``periods[j % len(periods)]``; both
    name lists are sorted. Kept as integer codes so partial counts (one partition of the
    incidents) can be added up before any name table is built.
    """

    counts: np.ndarray
    phenomena: np.ndarray
    periods: np.ndarray


def count_matrix(
    incidents: pd.DataFrame,
    geometries: np.ndarray,
    *,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
) -> CountMatrix:
    """The counting core of :func:`count_incidents`, shared with the partitioned engines.

    Same ``incidents`` columns, ``period`` and inclusive ``start``/``end`` as there;
    ``geometries`` are the perimeters' polygons (EPSG:31370) as a numpy array.
    """
    occurred = pd.to_datetime(incidents["occurred"])
    keep = np.ones(len(incidents), dtype=bool)
    if start is not None:
        keep &= (occurred >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        keep &= (occurred < pd.Timestamp(end) + pd.Timedelta(days=1)).to_numpy()
    if period == "all":  # one period: no labels to build for a million rows
        per_codes, per_names = np.zeros(int(keep.sum()), dtype=np.int64), np.array(["all"])
    else:
        labels = period_labels(occurred[keep], period)
        dated = pd.notna(labels)
        keep[keep] = dated
        per_codes, per_names = pd.factorize(labels[dated], sort=True)
    # Factorize the Series itself: turning an Arrow-backed column into objects costs more.
    phen_codes, phen_names = incidents["phenomenon"][keep].factorize(sort=True)
    n_per = max(len(per_names), 1)
    counts = covered_counts(
        incidents["x"].to_numpy(dtype=float)[keep],
        incidents["y"].to_numpy(dtype=float)[keep],
        phen_codes.astype(np.int64) * n_per + per_codes,
        len(phen_names) * n_per,
        geometries,
    )
    return CountMatrix(counts, np.asarray(phen_names, dtype=object), np.asarray(per_names))


def _long_table(matrix: CountMatrix, perimeters: gpd.GeoDataFrame) -> pd.DataFrame:
    counts, phen_names, per_names = matrix.counts, matrix.phenomena, matrix.periods
    n_per = max(len(per_names), 1)
    rows, cols = np.nonzero(counts)
    area_km2 = shapely.area(np.asarray(perimeters.geometry.values, dtype=object)) / 1e6
    table = pd.DataFrame(
        {
            "perimeter": perimeters["name"].to_numpy()[rows],
            "phenomenon": phen_names[cols // n_per] if len(cols) else [],
            "period": per_names[cols % n_per] if len(cols) else [],
            "count": counts[rows, cols],
            "area_km2": np.round(area_km2[rows], 4),
        }
    )
    table["per_km2"] = np.round(table["count"] / table["area_km2"].where(table["area_km2"] > 0), 2)
    return table.sort_values(["perimeter", "phenomenon", "period"], ignore_index=True)[COLUMNS]


def aggregate(
    store: Store,
    *,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """:func:`count_incidents` on everything in ``store`` (see there for the columns)."""
    incidents = store.incidents(start=start, end=end)
    return count_incidents(incidents, store.perimeters(), period=period, start=start, end=end)
