"""Counts per street segment: each incident goes to the nearest segment within the snap distance.

Why: analysts think in street segments as well as in polygons — half of a phenomenon's
incidents typically fall on a few percent of the segments (the law of crime concentration,
Weisburd 2015). An incident within ``snap_m`` metres (default 25) of a segment is assigned to
the nearest one; one farther from every segment is counted as *not on a street*, never dropped.
Two segments equally near (a point on a crossing) give the incident to the lower segment id:
ids compare as numbers when every id is a whole number, else as text.

The assignment is vectorised and needs no point geometries: the segments are cut into their
straight edges, each edge is listed in the cells of a grid (cells about as wide as the snap
distance) that its bounding box, grown by the snap distance, touches, and every incident is
measured against the edges of its own cell only — with numpy, in chunks, by the same formula as
GEOS's point-to-segment distance, so the result equals ``geopandas.sjoin_nearest(max_distance=…)``
(``bench/segments.py`` checks it on a million incidents).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mmm.counting.concentration import concentration_table
from mmm.errors import MMMError
from mmm.store import Store

#: The default snap distance in metres (``mmm segments --snap``).
SNAP_M = 25.0
#: The ``name`` of the rows counting the incidents farther than the snap distance.
NOT_ON_STREET = "not on a street"
#: The columns of :attr:`SegmentCounts.counts` (and of the CSV ``mmm segments`` writes).
COLUMNS = ["segment_id", "name", "phenomenon", "count"]

_CHUNK = 1 << 17  # incidents measured at once: a few MB of candidate pairs
_MAX_CELLS = 1 << 22  # the grid grows its cells beyond this (a very large extract)
_NO_OWNER = np.iinfo(np.int64).max


def segment_order(ids: np.ndarray) -> np.ndarray:
    """Positions that sort segment ids: as numbers when every id is a whole number, else as text."""
    text = pd.Series(ids, dtype="string")
    if len(text) and text.str.fullmatch(r"-?\d{1,18}").all():
        return np.argsort(text.astype("int64").to_numpy(), kind="stable")
    return np.argsort(text.to_numpy(dtype=object).astype(str), kind="stable")


def nearest_segments(
    x: np.ndarray, y: np.ndarray, lines: np.ndarray, snap_m: float = SNAP_M
) -> np.ndarray:
    """For each point, the position in ``lines`` of the nearest line within ``snap_m`` metres.

    Parameters
    ----------
    x, y
        Point coordinates (metres, the lines' CRS).
    lines
        (Multi)line geometries; of two equally near lines the one at the lower position wins.
    snap_m
        The largest distance at which a point still belongs to a line (inclusive).

    Returns
    -------
    numpy.ndarray
        ``int64`` positions into ``lines``; ``-1`` for a point farther than ``snap_m`` from all.
    """
    return snap_to_segments(x, y, lines, snap_m, points=False)[0]


def snap_to_segments(
    x: np.ndarray, y: np.ndarray, lines: np.ndarray, snap_m: float, *, points: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`nearest_segments`, and the nearest point of that line to each point.

    Returns
    -------
    tuple of numpy.ndarray
        The positions into ``lines`` (``-1``: none within ``snap_m``), and the x and y of the
        nearest point on that line (NaN where there is none, or when ``points`` is false).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    found = np.full(len(x), -1, dtype=np.int64)
    on_x, on_y = np.full(len(x), np.nan), np.full(len(x), np.nan)
    lines = np.asarray(lines, dtype=object)
    if not len(x) or not (shapely.get_num_coordinates(lines) > 1).any():
        return found, on_x, on_y  # no points, or no line with an edge
    grid = _EdgeGrid(lines, float(snap_m))
    for start in range(0, len(x), _CHUNK):
        part = slice(start, min(start + _CHUNK, len(x)))
        found[part], slot = grid.nearest(x[part], y[part], points)
        if points:
            on_x[part], on_y[part] = grid.projection(x[part], y[part], slot)
    return found, on_x, on_y


class _EdgeGrid:
    """The straight edges of some lines, listed per grid cell (see the module's docstring)."""

    def __init__(self, lines: np.ndarray, snap_m: float) -> None:
        parts, owner = shapely.get_parts(np.asarray(lines, dtype=object), return_index=True)
        coords, part = shapely.get_coordinates(parts, return_index=True)
        same = part[1:] == part[:-1]  # consecutive vertices of one part make an edge
        a, b, owner = coords[:-1][same], coords[1:][same], owner[part[:-1][same]]
        lo, hi = np.minimum(a, b) - snap_m, np.maximum(a, b) + snap_m
        self.snap = snap_m
        self.x0, self.y0 = lo.min(axis=0)
        width, height = hi.max(axis=0) - (self.x0, self.y0)
        # Cells as wide as the snap distance and half an edge (each edge is then listed in a
        # few cells, each point measured against a dozen edges), never more than _MAX_CELLS.
        typical = float(np.median(np.max(hi - lo, axis=1))) - 2.0 * snap_m
        self.cell = max(snap_m, typical / 2.0, 1.0, float(np.sqrt(width * height / _MAX_CELLS)))
        self.nx = int(width // self.cell) + 1
        self.ny = ny = int(height // self.cell) + 1
        edge, cell = self._cover(a, b)
        order = np.argsort(cell, kind="stable")
        self.starts = np.searchsorted(cell[order], np.arange(self.nx * ny + 1))
        slot = edge[order]
        self.ax, self.ay = a[slot, 0], a[slot, 1]
        self.bx, self.by = b[slot, 0], b[slot, 1]
        self.dx, self.dy = self.bx - self.ax, self.by - self.ay
        self.len2 = self.dx * self.dx + self.dy * self.dy
        self.length = np.sqrt(self.len2)
        self.owner = owner[slot].astype(np.int64)

    def _cover(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(edge, cell) of every cell a point within the snap distance of an edge can lie in.

        Column by column: where the edge runs through the column (grown by the snap distance
        on both sides), it spans some rows; grown by the snap distance too, those rows hold
        every point that near. A long diagonal edge is then listed in a band of cells along
        it, not in its whole bounding box.
        """
        snap, margin = self.snap, 1e-6 * self.cell  # the margin keeps rounding on the safe side
        i0, _ = self._cells(np.minimum(a[:, 0], b[:, 0]) - snap, a[:, 1])
        i1, _ = self._cells(np.maximum(a[:, 0], b[:, 0]) + snap, a[:, 1])
        edge = np.repeat(np.arange(len(a)), i1 - i0 + 1)  # one row per (edge, column)
        column = (
            i0[edge]
            + np.arange(len(edge))
            - np.repeat(np.cumsum(i1 - i0 + 1) - (i1 - i0 + 1), i1 - i0 + 1)
        )
        left = self.x0 + column * self.cell - snap - margin
        right = left + self.cell + 2 * (snap + margin)
        ax, ay, bx, by = a[edge, 0], a[edge, 1], b[edge, 0], b[edge, 1]
        x_lo = np.clip(left, np.minimum(ax, bx), np.maximum(ax, bx))
        x_hi = np.clip(right, np.minimum(ax, bx), np.maximum(ax, bx))
        dx = bx - ax
        with np.errstate(invalid="ignore", divide="ignore"):
            y_lo = np.where(dx != 0, ay + (x_lo - ax) / dx * (by - ay), ay)
            y_hi = np.where(dx != 0, ay + (x_hi - ax) / dx * (by - ay), by)
        vertical = dx == 0
        y_lo[vertical], y_hi[vertical] = ay[vertical], by[vertical]
        _, j0 = self._cells(x_lo, np.minimum(y_lo, y_hi) - snap - margin)
        _, j1 = self._cells(x_lo, np.maximum(y_lo, y_hi) + snap + margin)
        j0, j1 = np.maximum(j0, 0), np.minimum(j1, self.ny - 1)
        tall = np.maximum(j1 - j0 + 1, 0)
        which = np.repeat(np.arange(len(edge)), tall)  # one row per (edge, cell)
        row = j0[which] + np.arange(len(which)) - np.repeat(np.cumsum(tall) - tall, tall)
        return edge[which], row * self.nx + column[which]

    def _cells(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = np.floor((x - self.x0) / self.cell).astype(np.int64)
        j = np.floor((y - self.y0) / self.cell).astype(np.int64)
        return i, j

    def nearest(self, x: np.ndarray, y: np.ndarray, points: bool) -> tuple[np.ndarray, np.ndarray]:
        """:func:`nearest_segments` for one chunk of points, and (when ``points``) the edge of
        each line that is nearest (``-1``: none)."""
        found = np.full(len(x), -1, dtype=np.int64)
        nearest_slot = np.full(len(x), -1, dtype=np.int64)
        i, j = self._cells(x, y)
        inside = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
        key = np.where(inside, j * self.nx + i, 0)
        first_slot = self.starts[key]
        n = np.where(inside, self.starts[key + 1] - first_slot, 0)
        if not n.any():
            return found, nearest_slot
        ends = np.cumsum(n)
        pt = np.repeat(np.arange(len(x)), n)
        slot = np.arange(ends[-1]) - np.repeat(ends - n - first_slot, n)
        dist = self._distances(x[pt], y[pt], slot)
        has = np.flatnonzero(n)
        first = (ends - n)[has]
        best = np.repeat(np.minimum.reduceat(dist, first), n[has])
        owner = np.where(dist == best, self.owner[slot], _NO_OWNER)
        lowest = np.minimum.reduceat(owner, first)
        near = best[first] <= self.snap
        found[has[near]] = lowest[near]
        if points:  # the first pair of each point that is at the best distance on that line
            winners = np.flatnonzero(owner == np.repeat(lowest, n[has]))
            nearest_slot[has[near]] = slot[winners[np.searchsorted(winners, first)]][near]
        return found, nearest_slot

    def projection(
        self, x: np.ndarray, y: np.ndarray, slot: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The nearest point of edge ``slot`` to each point (NaN where ``slot`` is -1)."""
        px, py = np.full(len(x), np.nan), np.full(len(x), np.nan)
        has = slot >= 0
        s = slot[has]
        dx, dy, len2 = self.dx[s], self.dy[s], self.len2[s]
        with np.errstate(invalid="ignore", divide="ignore"):
            r = ((x[has] - self.ax[s]) * dx + (y[has] - self.ay[s]) * dy) / len2
        r = np.clip(np.nan_to_num(r), 0.0, 1.0)
        px[has], py[has] = self.ax[s] + r * dx, self.ay[s] + r * dy
        return px, py

    def _distances(self, px: np.ndarray, py: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """Point to edge distances, computed as GEOS's ``Distance::pointToSegment`` does (so a
        tie or the snap limit is decided exactly as shapely would)."""
        qx, qy = px - self.ax[slot], py - self.ay[slot]
        dx, dy, len2 = self.dx[slot], self.dy[slot], self.len2[slot]
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (qx * dx + qy * dy) / len2
            across = np.abs((qx * dy - qy * dx) / len2) * self.length[slot]
        to_a = np.sqrt(qx * qx + qy * qy)
        ex, ey = px - self.bx[slot], py - self.by[slot]
        to_b = np.sqrt(ex * ex + ey * ey)
        return np.where((len2 == 0) | (r <= 0), to_a, np.where(r >= 1, to_b, across))


@dataclass(frozen=True)
class SegmentCounts:
    """Incidents per street segment × phenomenon, and how concentrated they are.

    ``counts`` has :data:`COLUMNS`: one row per segment and phenomenon with at least one
    incident (sorted by phenomenon, most incidents first), and per phenomenon one row with an
    empty ``segment_id`` and the name :data:`NOT_ON_STREET` for the incidents farther than the
    snap distance — the counts of a phenomenon add up to its incidents. Equal counts follow the
    segment ids' order. ``concentration`` is
    :func:`mmm.counting.concentration.concentration_table`'s, for the zone and each perimeter.
    """

    counts: pd.DataFrame
    concentration: pd.DataFrame
    snap_m: float


def count_segments(
    incidents: pd.DataFrame,
    streets: gpd.GeoDataFrame,
    perimeters: gpd.GeoDataFrame,
    *,
    snap_m: float = SNAP_M,
) -> SegmentCounts:
    """Counts per segment × phenomenon and their concentration (zone and each perimeter).

    Parameters
    ----------
    incidents
        ``phenomenon``, ``x``, ``y`` (EPSG:31370): every incident counts, dated or not.
    streets
        ``segment_id``, ``name`` and (multi)lines in EPSG:31370 (:meth:`Store.streets`).
    perimeters
        ``name`` and polygons in EPSG:31370; a perimeter's figures use the incidents it covers.
    snap_m
        Incidents farther than this from every segment are not on a street.
    """
    x, y = incidents["x"].to_numpy(dtype=float), incidents["y"].to_numpy(dtype=float)
    segment = assign_segments(x, y, streets, snap_m)
    order = segment_order(streets["segment_id"].to_numpy(dtype=object))
    codes, phenomena = pd.factorize(incidents["phenomenon"].astype(str), sort=True)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    counts = _count_table(streets, rank, segment, codes, np.asarray(phenomena, dtype=object))
    table = concentration_table(
        streets, perimeters, x, y, segment, codes, np.asarray(phenomena, dtype=object)
    )
    return SegmentCounts(counts, table, snap_m)


def assign_segments(
    x: np.ndarray, y: np.ndarray, streets: gpd.GeoDataFrame, snap_m: float = SNAP_M
) -> np.ndarray:
    """Each point's row in ``streets``: the nearest segment within ``snap_m``, a tie going to
    the lower segment id (:func:`segment_order`); ``-1`` when none is that near."""
    order = segment_order(streets["segment_id"].to_numpy(dtype=object))
    lines = np.asarray(streets.geometry.values, dtype=object)[order]
    nearest = nearest_segments(x, y, lines, snap_m)
    return np.where(nearest >= 0, order[np.maximum(nearest, 0)], -1)


def _count_table(
    streets: gpd.GeoDataFrame,
    rank: np.ndarray,
    segment: np.ndarray,
    codes: np.ndarray,
    phenomena: np.ndarray,
) -> pd.DataFrame:
    """The long table of :class:`SegmentCounts` (``segment == -1``: not on a street); equal
    counts follow the segment ids' order (``rank``)."""
    n_seg = len(streets)
    slot = np.where(segment >= 0, segment, n_seg)  # the last column: not on a street
    matrix = np.bincount(codes * (n_seg + 1) + slot, minlength=len(phenomena) * (n_seg + 1))
    matrix = matrix.reshape(len(phenomena), n_seg + 1)
    rows, cols = np.nonzero(matrix)
    count = matrix[rows, cols].astype(np.int64)
    first = np.lexsort((np.append(rank, n_seg)[cols], -count, cols == n_seg, rows))
    rows, cols, count = rows[first], cols[first], count[first]
    ids = np.append(streets["segment_id"].to_numpy(dtype=object), "")
    names = np.append(streets["name"].to_numpy(dtype=object), NOT_ON_STREET)
    return pd.DataFrame(
        {
            "segment_id": ids[cols],
            "name": names[cols],
            "phenomenon": phenomena[rows],
            "count": count,
        }
    )


def segment_counts(
    store: Store,
    *,
    phenomenon: str | None = None,
    start: date | None = None,
    end: date | None = None,
    snap_m: float = SNAP_M,
) -> SegmentCounts:
    """:func:`count_segments` on the store's incidents, streets and perimeters.

    Parameters
    ----------
    phenomenon
        Only this phenomenon's incidents (default: each phenomenon on its own).
    start, end
        Inclusive days; when either is given, undated incidents are left out.

    Raises
    ------
    MMMError
        When no streets are stored (``mmm import streets``) or the phenomenon is unknown.
    """
    streets = store.streets()
    if not len(streets):
        raise MMMError("no streets are stored: import them first with mmm import streets FILE")
    incidents = store.incidents(start=start, end=end)
    if phenomenon is not None:
        known = set(store.phenomena()["code"])
        if phenomenon not in known:
            raise MMMError(
                f"unknown phenomenon {phenomenon!r}; known: {', '.join(sorted(known)) or 'none'}"
            )
        incidents = incidents[(incidents["phenomenon"] == phenomenon).to_numpy()]
    return count_segments(incidents, streets, store.perimeters(), snap_m=snap_m)
