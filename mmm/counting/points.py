"""Which points each polygon covers, for thousands of polygons at once, on every core.

Why: counting incidents per perimeter is the zone's most repeated computation (a million
incidents, thousands of perimeters). :class:`PointIndex` sorts the points once by a row of a
coarse grid, then by x (two 16-bit radix sorts: linear time). For a group of polygons,
:meth:`PointIndex.pairs` finds, in each row a polygon's bounding box crosses, the run of points
within the box's x-range (two binary searches), and tests every such (polygon, point) pair with one vectorised, prepared
``intersects_xy`` (for points, *intersects* is *covers*: a point on the boundary counts). No
point geometry is built and no Python loop runs per polygon or point. The groups run on several
threads: GEOS and numpy release the GIL while they work, so every core counts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import shapely

#: Grid rows at most; fewer for fewer points (about the square root of their number).
MAX_ROWS = 4096
#: Steps x is rounded to in the sort key (16 bits).
STEPS = 65_536
#: Candidate (polygon, point) pairs a group of polygons is cut to, at most (bounds the memory).
GROUP_PAIRS = 1_000_000
#: … and at least (below that, handing a group to a thread costs more than it saves).
MIN_GROUP_PAIRS = 20_000

T = TypeVar("T")


def workers() -> int:
    """Threads for counting: the cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


class PointIndex:
    """Points sorted by grid row, then x (see the module).

    ``order[i]`` is the position, in the points as given, of the ``i``-th sorted point; the
    positions :meth:`pairs` returns are positions in that sorted order, so ``order[pos]`` are
    the points as given. Points with a missing coordinate are covered by nothing.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        finite = np.isfinite(x) & np.isfinite(y)
        given = None if finite.all() else np.flatnonzero(finite)
        xf, yf = (x, y) if given is None else (x[given], y[given])
        self.rows = int(np.clip(np.sqrt(len(xf)), 1, MAX_ROWS))
        self.x0 = float(xf.min()) if len(xf) else 0.0
        self.y0 = float(yf.min()) if len(xf) else 0.0
        x_span = float(xf.max()) - self.x0 if len(xf) else 1.0
        y_span = float(yf.max()) - self.y0 if len(xf) else 1.0
        self.height = max(y_span, 1e-9) / self.rows
        self.step = max(x_span, 1e-9) / (STEPS - 1)
        # The sort key: the row, then x rounded down to one of STEPS steps: two stable 16-bit
        # sorts (radix sorts, linear time). A run of keys holds every point of a box's x-range
        # and at most a step more on each side; the exact test (intersects_xy) comes after.
        row, step = self._row(yf), self._step(xf - self.x0)
        sort = np.argsort(step, kind="stable")
        sort = sort[np.argsort(row[sort], kind="stable")]
        self.key = row[sort].astype(np.int64) * STEPS + step[sort]
        self.order = sort if given is None else given[sort]
        self.xs, self.ys = xf[sort], yf[sort]

    def __len__(self) -> int:
        return len(self.xs)

    def _row(self, values: np.ndarray) -> np.ndarray:
        found = np.floor((np.asarray(values, dtype=float) - self.y0) / self.height)
        return np.clip(np.nan_to_num(found, nan=0.0), 0, self.rows - 1).astype(np.uint16)

    def _step(self, offsets: np.ndarray) -> np.ndarray:
        found = np.floor(np.asarray(offsets, dtype=float) / self.step)
        return np.clip(np.nan_to_num(found, nan=0.0), 0, STEPS - 1).astype(np.uint16)

    def _runs(self, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per polygon and grid row its box crosses: the polygon, and where the run of points
        in the box's x-range starts and stops."""
        lo = self._row(bounds[:, 1]).astype(np.int64)
        rows = self._row(bounds[:, 3]).astype(np.int64) - lo + 1
        poly = np.repeat(np.arange(len(bounds)), rows)
        row = lo[poly] + np.arange(len(poly)) - np.repeat(np.cumsum(rows) - rows, rows)
        low = self._step(bounds[poly, 0] - self.x0).astype(np.int64)
        high = self._step(bounds[poly, 2] - self.x0).astype(np.int64)
        first = np.searchsorted(self.key, row * STEPS + low, side="left")
        stop = np.searchsorted(self.key, row * STEPS + high, side="right")
        return poly, first, stop

    def pairs(self, geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (polygon, point) where ``geometries[polygon]`` covers the point.

        Returns two int64 arrays: the polygon's index in ``geometries`` and the point's sorted
        position; grouped by polygon (in order) and, per polygon, positions ascending.
        """
        geometries = np.asarray(geometries, dtype=object)
        usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
        empty = np.empty(0, dtype=np.int64)
        if not len(self) or not usable.any():
            return empty, empty
        kept = np.flatnonzero(usable)
        bounds = shapely.bounds(geometries[kept])
        poly, first, stop = self._runs(bounds)
        lengths = stop - first
        total = int(lengths.sum())
        if total == 0:
            return empty, empty
        owner = np.repeat(poly, lengths)
        pos = np.arange(total) + np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
        xs, ys = self.xs[pos], self.ys[pos]
        inside = (ys >= bounds[owner, 1]) & (ys <= bounds[owner, 3])
        inside &= (xs >= bounds[owner, 0]) & (xs <= bounds[owner, 2])
        owner, pos = owner[inside], pos[inside]
        shapely.prepare(geometries[kept])
        hit = shapely.intersects_xy(geometries[kept][owner], self.xs[pos], self.ys[pos])
        return kept[owner[hit]], pos[hit]

    def groups(self, geometries: np.ndarray, threads: int | None = None) -> list[slice]:
        """Consecutive groups of ``geometries`` for :func:`in_groups`: a few per thread, none
        above :data:`GROUP_PAIRS` candidate pairs (estimated from their runs)."""
        geometries = np.asarray(geometries, dtype=object)
        if not len(geometries) or not len(self):
            return [slice(0, len(geometries))] if len(geometries) else []
        bounds = shapely.bounds(geometries)
        bounds = np.where(np.isfinite(bounds), bounds, [self.x0, self.y0, self.x0, self.y0])
        poly, first, stop = self._runs(bounds)
        weight = np.cumsum(np.bincount(poly, weights=stop - first, minlength=len(geometries)) + 1)
        parts = 4 * (workers() if threads is None else threads)
        size = max(min(GROUP_PAIRS, weight[-1] / parts), MIN_GROUP_PAIRS)
        ends = np.searchsorted(weight, np.arange(1, int(weight[-1] // size) + 1) * size)
        cuts = sorted({0, *(int(e) + 1 for e in ends if e + 1 < len(geometries))})
        return [slice(a, b) for a, b in zip(cuts, [*cuts[1:], len(geometries)], strict=True)]


def in_groups(
    work: Callable[[slice], T], groups: Sequence[slice], *, threads: int | None = None
) -> list[T]:
    """``[work(g) for g in groups]`` on ``threads`` threads (default: the cores), in order.

    ``work`` must only read shared data, or write the rows of a result that its group owns.
    """
    threads = workers() if threads is None else threads
    if threads <= 1 or len(groups) <= 1:
        return [work(g) for g in groups]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="mmm-count") as pool:
        return list(pool.map(work, groups))
