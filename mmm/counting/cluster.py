"""Counting past one machine (``mmm aggregate --engine dask``): the same counts, per partition.

Counts are additive: cut the incidents into partitions, count each partition with the
vectorised core of :func:`mmm.counting.count.count_incidents` wherever it lies, and the partial
counts summed are the counts of the whole. This module runs that with dask.distributed. The
partitions go to the workers of a :class:`distributed.Client` — the cores of this machine (a
:class:`distributed.LocalCluster`) or a remote dask cluster given by its scheduler address; the
code is the same, only the client differs (:func:`open_cluster`). Each worker counts its
partitions in-process; the partial counts (integer codes, small to send) are summed in a tree
on the workers, so only the final non-zero counts come back.

The result is the table ``count_incidents`` gives on all incidents at once, row for row and
dtype for dtype (the test suite checks it, on perimeter boundaries and overlaps too). Filtering
by date and the undated rule are per row, so every partition applies them on its own.

dask is an optional extra (``pip install 'mmm-planner[dask]'``): importing this module works
without it, using it raises an :class:`~mmm.errors.MMMError` that says what to install.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mmm.counting.count import COLUMNS, PERIODS, Period, count_incidents, count_matrix
from mmm.errors import MMMError
from mmm.store import Store
from mmm.store.base import Progress

if TYPE_CHECKING:
    from distributed import Client, Future

#: Rows per partition when the incidents arrive as one in-memory DataFrame (≈ 100 MB): large
#: enough that what every partition pays once (a pass over all perimeters) stays small.
PARTITION_ROWS = 2_000_000
#: How many partial counts one summing task adds up (the fan-in of the reduction tree).
FAN_IN = 8
KEYS = ["perimeter", "phenomenon", "period"]
INSTALL_HINT = "the dask engine needs the optional extra: pip install 'mmm-planner[dask]'"


def count_incidents_on_cluster(
    incidents: Any,
    perimeters: gpd.GeoDataFrame,
    *,
    client: Client,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
    partition_rows: int = PARTITION_ROWS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """:func:`mmm.counting.count.count_incidents`, with the incidents counted in partitions on a cluster.

    Parameters
    ----------
    incidents
        Either a pandas DataFrame (columns ``phenomenon``, ``occurred``, ``x``, ``y`` in
        EPSG:31370, as for ``count_incidents``), cut into partitions of ``partition_rows`` rows
        and sent to the workers; or a dask DataFrame with the same columns (e.g.
        ``dask.dataframe.read_parquet`` of files the workers can read), or a dask-geopandas
        GeoDataFrame with ``phenomenon``, ``occurred`` and point geometries in the perimeters'
        CRS. A dask collection is counted partition by partition where the workers read it:
        its data never passes through this process, so it may exceed this machine's memory.
    perimeters
        GeoDataFrame with ``name`` and polygons in EPSG:31370; sent once to every worker.
    client
        A connected :class:`distributed.Client` (see :func:`open_cluster`).
    period, start, end
        As for ``count_incidents``: ``month``, ``quarter``, ``year`` or ``all`` (undated
        incidents count only with ``all``); inclusive dates.
    partition_rows
        Rows per partition for a pandas ``incidents`` (a dask collection keeps its own).
    progress
        Called with (done, total) as partitions finish: rows for a pandas ``incidents``,
        partitions for a dask collection (whose length is only known once it is read).

    Returns
    -------
    The same DataFrame as ``count_incidents``: ``perimeter``, ``phenomenon``, ``period``,
    ``count``, ``area_km2``, ``per_km2``, zero rows left out, sorted.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    if partition_rows <= 0:
        raise ValueError(f"partition_rows must be a positive number of rows, got {partition_rows}")
    geometries = np.asarray(perimeters.geometry.values, dtype=object)
    # WKB, not the shapely objects: each task rebuilds its own geometries, because GEOS prepared
    # geometries must not be shared between the threads of one worker.
    wkb = client.scatter(shapely.to_wkb(geometries), broadcast=True, hash=False)
    options = {"period": period, "start": start, "end": end}
    partials, sizes = _count_partitions(incidents, perimeters, client, wkb, options, partition_rows)
    total = _sum_in_tree(client, partials)
    if progress is not None:
        from distributed import as_completed

        size_of = {future.key: size for future, size in zip(partials, sizes, strict=True)}
        done = 0
        progress(done, sum(sizes))
        for future in as_completed(partials):
            done += size_of[future.key]
            progress(done, sum(sizes))
    summed: _Partial = total.result()
    if not len(summed.count):  # count_incidents's own empty table, with its column types
        return count_incidents(_no_incidents(), perimeters, period=period, start=start, end=end)
    return _with_names_and_density(summed, perimeters, geometries)


def aggregate_on_cluster(
    store: Store,
    *,
    client: Client,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """:func:`mmm.counting.count.aggregate` counted on a cluster: the store's incidents are read here,
    then cut into partitions for the workers (see :func:`count_incidents_on_cluster`)."""
    incidents = store.incidents(start=start, end=end)
    return count_incidents_on_cluster(
        incidents,
        store.perimeters(),
        client=client,
        period=period,
        start=start,
        end=end,
        progress=progress,
    )


@contextmanager
def open_cluster(
    *, workers: int | None = None, scheduler: str | None = None, timeout: float = 10.0
) -> Iterator[Client]:
    """A dask client: on a new local cluster of ``workers`` processes, or on a remote scheduler.

    Parameters
    ----------
    workers
        Worker processes of the local cluster, one thread each (default: the cores of this
        machine). Ignored with ``scheduler``: a remote cluster brings its own workers.
    scheduler
        Address of a running dask scheduler, e.g. ``tcp://10.0.0.5:8786``. Its workers need
        ``mmm-planner[dask]`` installed (the same version), since they run its counting.
    timeout
        Seconds to wait for the scheduler before giving up.

    Raises
    ------
    MMMError
        When dask is not installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MMMError(INSTALL_HINT) from exc
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except OSError as exc:
            raise MMMError(
                f"cannot reach the dask scheduler at {scheduler} ({exc}); start one with "
                f"`dask scheduler` and its workers with `dask worker {scheduler}`, or leave "
                "the scheduler out to count on this machine"
            ) from exc
        with client:
            yield client
        return
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 0:
        raise ValueError(f"workers must be a positive number, got {n}")
    # Everything on the loopback interface, the status page on a free port: several runs (and
    # users) of one machine never collide, and nothing listens on the network.
    local = {"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}
    with (
        LocalCluster(n_workers=n, threads_per_worker=1, **local) as cluster,
        Client(cluster) as client,
    ):
        yield client


# -- partitions -------------------------------------------------------------------------------
def _count_partitions(
    incidents: Any,
    perimeters: gpd.GeoDataFrame,
    client: Client,
    wkb: Future,
    options: dict[str, Any],
    partition_rows: int,
) -> tuple[list[Future], list[int]]:
    """One future per partition, each resolving to that partition's partial counts, and the
    size of each partition for the progress: its rows, or 1 when they are not known yet."""
    if isinstance(incidents, pd.DataFrame):
        chunks = [
            incidents.iloc[i : i + partition_rows]
            for i in range(0, max(len(incidents), 1), partition_rows)
        ]
        scattered = client.scatter(chunks, hash=False)
        futures = client.map(_partial_counts, scattered, wkb=wkb, pure=False, **options)
        return list(futures), [len(chunk) for chunk in chunks]
    try:
        import dask
    except ImportError as exc:
        raise MMMError(INSTALL_HINT) from exc
    if not hasattr(incidents, "to_delayed"):
        raise TypeError(
            f"incidents must be a pandas or dask DataFrame, not {type(incidents).__name__}"
        )
    _check_crs(incidents, perimeters)
    count = dask.delayed(_partial_counts, pure=True)
    # Reading a partition and counting it are one task chain: a partition is freed once counted.
    parts = incidents.to_delayed()
    futures = client.compute([count(part, wkb=wkb, **options) for part in parts])
    return list(futures), [1] * len(parts)


def _check_crs(incidents: Any, perimeters: gpd.GeoDataFrame) -> None:
    crs = getattr(incidents, "crs", None)
    if crs is not None and perimeters.crs is not None and crs != perimeters.crs:
        raise ValueError(
            f"the incidents are in {crs.to_string()} and the perimeters in "
            f"{perimeters.crs.to_string()}: reproject the incidents with .to_crs() first"
        )


@dataclass(frozen=True)
class _Partial:
    """Non-zero counts of some incidents, small to send: integer codes and the names they index.

    ``phenomena`` and ``periods`` are sorted names; row ``i`` counts ``count[i]`` incidents of
    ``phenomena[phenomenon[i]]`` in ``periods[period[i]]`` covered by the perimeter at position
    ``perimeter[i]`` (positions, not names: two perimeters may share a name).
    """

    phenomena: np.ndarray
    periods: np.ndarray
    perimeter: np.ndarray
    phenomenon: np.ndarray
    period: np.ndarray
    count: np.ndarray


def _partial_counts(
    part: pd.DataFrame,
    *,
    wkb: np.ndarray,
    period: Period,
    start: date | None,
    end: date | None,
) -> _Partial:
    """Count one partition with :func:`mmm.counting.count.count_matrix`, the core of
    :func:`~mmm.counting.count.count_incidents`; the result stays as integer codes: building and
    sorting the named table per partition would cost more than counting it.
    """
    matrix = count_matrix(
        _xy_columns(part),
        shapely.from_wkb(wkb),  # this task's own geometries, prepared by this task only
        period=period,
        start=start,
        end=end,
    )
    counts, n_per = matrix.counts, max(len(matrix.periods), 1)
    rows, cols = np.nonzero(counts)
    return _Partial(
        phenomena=matrix.phenomena,
        periods=np.asarray(matrix.periods, dtype=object),
        perimeter=rows.astype(np.int64),
        phenomenon=(cols // n_per).astype(np.int64),
        period=(cols % n_per).astype(np.int64),
        count=counts[rows, cols],
    )


def _xy_columns(part: pd.DataFrame) -> pd.DataFrame:
    """The partition with ``x`` and ``y``: taken from point geometries when it has none."""
    if "x" in part.columns and "y" in part.columns:
        return part
    if not isinstance(part, gpd.GeoDataFrame):
        raise ValueError("incidents need x and y columns, or point geometries")
    geometry = part.geometry.values
    if len(geometry) and not (shapely.get_type_id(geometry) == 0).all():
        raise ValueError("incident geometries must be points")
    return pd.DataFrame(
        {
            "phenomenon": part["phenomenon"],
            "occurred": part["occurred"],
            "x": shapely.get_x(geometry),
            "y": shapely.get_y(geometry),
        },
        index=part.index,
    )


# -- summing ----------------------------------------------------------------------------------
def _sum_in_tree(client: Client, partials: Sequence[Future]) -> Future:
    """Sum the partial counts on the workers, ``FAN_IN`` at a time, down to one future."""
    level = list(partials)
    while len(level) > 1:
        level = [
            client.submit(_sum_partials, *level[i : i + FAN_IN], pure=False)
            for i in range(0, len(level), FAN_IN)
        ]
    if len(partials) == 1:  # still summed once: one row per key, in count_incidents's order
        return client.submit(_sum_partials, level[0], pure=False)
    return level[0]


def _sum_partials(*partials: _Partial) -> _Partial:
    """Add up partial counts: codes onto the union of names, then one integer key per row."""
    phenomena = np.unique(np.concatenate([p.phenomena for p in partials]))
    periods = np.unique(np.concatenate([p.periods for p in partials]))
    n_phen, n_per = max(len(phenomena), 1), max(len(periods), 1)
    keys = np.concatenate(
        [
            (p.perimeter * n_phen + np.searchsorted(phenomena, p.phenomena)[p.phenomenon]) * n_per
            + np.searchsorted(periods, p.periods)[p.period]
            for p in partials
        ]
    )
    # sorted keys: perimeter position, then phenomenon, then period — count_incidents's order
    unique, inverse = np.unique(keys, return_inverse=True)
    count = np.zeros(len(unique), dtype=np.int64)
    np.add.at(count, inverse, np.concatenate([p.count for p in partials]))
    return _Partial(
        phenomena=phenomena,
        periods=periods,
        perimeter=unique // (n_phen * n_per),
        phenomenon=unique // n_per % n_phen,
        period=unique % n_per,
        count=count,
    )


def _with_names_and_density(
    summed: _Partial, perimeters: gpd.GeoDataFrame, geometries: np.ndarray
) -> pd.DataFrame:
    """Codes back to names, with area and density rounded as ``count_incidents`` does."""
    area_km2 = shapely.area(geometries) / 1e6
    table = pd.DataFrame(
        {
            "perimeter": perimeters["name"].to_numpy()[summed.perimeter],
            "phenomenon": summed.phenomena[summed.phenomenon],
            "period": summed.periods[summed.period],
            "count": summed.count,
            "area_km2": np.round(area_km2[summed.perimeter], 4),
        }
    )
    table["per_km2"] = np.round(table["count"] / table["area_km2"].where(table["area_km2"] > 0), 2)
    return table.sort_values(KEYS, ignore_index=True)[COLUMNS]


def _no_incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "phenomenon": pd.array([], dtype="string"),
            "occurred": pd.to_datetime(pd.Series([], dtype="datetime64[s]")),
            "x": np.array([], dtype=float),
            "y": np.array([], dtype=float),
        }
    )
