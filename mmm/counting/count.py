"""Counts per perimeter × phenomenon × period: the objective analysis of every action plan.

An incident counts for a perimeter when the perimeter *covers* it (boundary included); an
incident inside two overlapping perimeters counts in both. The work is vectorised and runs on
every core (:mod:`mmm.counting.points`): incidents are sorted by grid row and x once, the
perimeters look only at the incidents in their bounding boxes and test them with a prepared
``intersects_xy`` (for points, *intersects* is *covers*). No Python loop runs over incidents or
perimeters, and no point geometry is built. Counts are additive, so the same function can run
per partition of the incidents and the results be summed.
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

from mmm.counting.points import PointIndex, in_groups
from mmm.store import Store

Period = Literal["month", "quarter", "year", "all"]
PERIODS: tuple[str, ...] = ("month", "quarter", "year", "all")
COLUMNS = ["perimeter", "phenomenon", "period", "count", "area_km2", "per_km2"]


def period_labels(occurred: pd.Series | np.ndarray, period: Period) -> np.ndarray:
    """Label each date with its period: ``2024-03``, ``2024-Q1``, ``2024`` or ``all``.

    Undated values (NaT) get ``all`` only for ``period="all"``; otherwise ``None``.
    """
    if period == "all":
        return np.full(len(occurred), "all", dtype=object)
    codes, names = period_codes(occurred, period)
    labels = np.array([*names, None], dtype=object)
    return labels[codes]  # code -1 (undated) picks the None at the end


def period_codes(occurred: pd.Series | np.ndarray, period: Period) -> tuple[np.ndarray, list[str]]:
    """Each date's period as a code into the sorted period labels (``-1``: undated), and the
    labels (``2024-03``, ``2024-Q1``, ``2024``; ``all`` for every date, dated or not).

    Linear time: the periods are numbered from the dates' months, never sorted or hashed.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    if period == "all":
        return np.zeros(len(occurred), dtype=np.int64), ["all"]
    stamps = np.asarray(pd.to_datetime(occurred), dtype="datetime64[s]")
    undated = np.isnat(stamps)
    months = stamps.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    year, month = months // 12 + 1970, months % 12 + 1
    if period == "year":
        keys = year
    elif period == "quarter":
        keys = year * 10 + (month - 1) // 3 + 1
    else:
        keys = year * 100 + month
    keys[undated] = -1
    dated = keys[~undated]
    if not len(dated):
        return keys, []
    low = int(dated.min())
    present = np.bincount(dated - low) > 0
    lookup = np.cumsum(present) - 1
    codes = np.full(len(keys), -1, dtype=np.int64)
    codes[~undated] = lookup[dated - low]
    return codes, [str(_label(int(k) + low, period)) for k in np.flatnonzero(present)]


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
    return keyed_counts(PointIndex(x, y), keys, n_keys, geometries)


def keyed_counts(
    index: PointIndex,
    keys: np.ndarray,
    n_keys: int,
    geometries: np.ndarray,
    *,
    threads: int | None = None,
) -> np.ndarray:
    """:func:`covered_counts` on points already indexed (``keys`` in the points' given order).

    Groups of perimeters are counted on ``threads`` threads (default: every core); each writes
    only its own rows of the result.
    """
    geometries = np.asarray(geometries, dtype=object)
    ks = np.asarray(keys, dtype=np.int64)[index.order]
    counts = np.zeros((len(geometries), n_keys), dtype=np.int64)

    def count(group: slice) -> None:
        owner, pos = index.pairs(geometries[group])
        size = (group.stop - group.start) * n_keys
        found = np.bincount(owner * n_keys + ks[pos], minlength=size)
        counts[group] = found.reshape(-1, n_keys)

    if n_keys:
        in_groups(count, index.groups(geometries, threads), threads=threads)
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
    codes, names = period_codes(occurred[keep], period)
    keep[keep] = codes >= 0  # undated incidents are in no month, quarter or year
    per_codes, per_names = codes[codes >= 0], np.asarray(names, dtype=object)
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
