"""The month cells counted from incidents: perimeter × phenomenon × month, the undated incidents
per perimeter, and the overlaps — the computation behind :mod:`mmm.counting.cube`.

Why a module of its own: the cube (which keeps the result per data version) and the month cells'
store-level functions (:mod:`mmm.counting.cells`) both use it. Incidents are first turned into
integer codes (:func:`code_incidents`), then counted for every perimeter in one pass on every
core (:func:`mmm.counting.count.keyed_counts`). Two perimeters overlap when they share ground
or a dated incident; the counts of what each covers and the other does not are what
:class:`mmm.access.release.Release` checks before it releases the smaller one's cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from mmm.access.release import MonthlyCells, Overlap
from mmm.counting.points import PointIndex, in_groups

#: Below this area (m²) a difference or intersection is a drawing artefact, not ground.
AREA_EPSILON_M2 = 0.01


@dataclass(frozen=True, eq=False)
class Coded:
    """Incidents as integer codes: the shared first step of the cells and the cube.

    ``codes`` are the phenomena: those given, then those of dated incidents not given (sorted),
    then those only undated incidents have (sorted); the month cells use the first
    ``cell_codes`` of them. ``k`` is each incident's code, ``m`` its month in ``months`` (every
    month from the first to the last dated incident), ``len(months)`` when undated.
    """

    codes: tuple[str, ...]
    cell_codes: int
    months: tuple[str, ...]
    k: np.ndarray
    m: np.ndarray
    x: np.ndarray
    y: np.ndarray

    @property
    def dated(self) -> np.ndarray:
        return self.m < len(self.months)


def code_incidents(incidents: pd.DataFrame, phenomena: list[str]) -> Coded:
    """The :class:`Coded` form of ``incidents`` (``phenomenon``, ``occurred``, ``x``, ``y``)."""
    stamps = np.asarray(pd.to_datetime(incidents["occurred"]), dtype="datetime64[s]")
    month = stamps.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    dated = ~np.isnat(stamps)
    first = int(month[dated].min()) if dated.any() else 0
    n_months = int(month[dated].max()) - first + 1 if dated.any() else 0
    months = tuple(
        f"{(first + i) // 12 + 1970:04d}-{(first + i) % 12 + 1:02d}" for i in range(n_months)
    )
    m = np.where(dated, month - first, n_months).astype(np.int64)
    found, names = pd.factorize(incidents["phenomenon"])
    names = np.asarray(names, dtype=object)
    in_dated = np.zeros(len(names), dtype=bool)
    in_dated[np.unique(found[dated])] = True
    given = list(dict.fromkeys(phenomena))
    extra = sorted(set(names[in_dated]) - set(given))
    cell_codes = [*given, *extra]
    codes = [*cell_codes, *sorted(set(names[~in_dated]) - set(cell_codes))]
    k = pd.Index(codes).get_indexer(names)[found] if len(found) else found.astype(np.int64)
    x, y = incidents["x"].to_numpy(dtype=float), incidents["y"].to_numpy(dtype=float)
    return Coded(tuple(codes), len(cell_codes), months, k.astype(np.int64), m, x, y)


def cells_and_undated(
    coded: Coded, ids: list[int], geometries: np.ndarray, index: PointIndex
) -> tuple[MonthlyCells, np.ndarray]:
    """The month cells of :func:`count_cells` and, per perimeter × code (all ``coded.codes``),
    the undated incidents it covers; ``index`` indexes ``coded``'s points.

    One pass over groups of perimeters, on every core: each group's covered points are counted
    and, for perimeters that touch another one, kept to find the overlaps.
    """
    geometries = np.asarray(geometries, dtype=object)
    n_codes, n_months = len(coded.codes), len(coded.months)
    n_keys = n_codes * (n_months + 1)
    keys = (coded.k * (n_months + 1) + coded.m)[index.order]
    dated = coded.dated[index.order]
    pairs = _touching(geometries)
    touching = np.zeros(len(geometries), dtype=bool)
    touching[[i for pair in pairs for i in pair]] = True
    found = np.zeros((len(geometries), n_keys), dtype=np.int64)

    def count(group: slice) -> tuple[np.ndarray, np.ndarray]:
        owner, pos = index.pairs(geometries[group])
        size = (group.stop - group.start) * n_keys
        found[group] = np.bincount(owner * n_keys + keys[pos], minlength=size).reshape(-1, n_keys)
        kept = touching[group][owner] & dated[pos]  # an undated incident is in no cell
        return owner[kept] + group.start, pos[kept]

    parts = in_groups(count, index.groups(geometries)) if n_keys else []
    per_month = found.reshape(len(ids), n_codes, n_months + 1)
    k = coded.cell_codes
    counts = np.ascontiguousarray(per_month[:, :k, :n_months])
    members = _split(parts, len(geometries))
    cell_keys = (coded.k * n_months + coded.m)[index.order]
    return (
        MonthlyCells(
            tuple(int(i) for i in ids),
            coded.codes[:k],
            coded.months,
            counts,
            _overlaps(ids, geometries, pairs, members, cell_keys, counts),
        ),
        np.ascontiguousarray(per_month[:, :, n_months]),
    )


def _split(parts: list[tuple[np.ndarray, np.ndarray]], n: int) -> list[np.ndarray]:
    """Per polygon ``0 … n - 1``: the positions paired with it (pairs grouped by polygon)."""
    empty = np.empty(0, dtype=np.int64)
    owner = np.concatenate([o for o, _ in parts]) if parts else empty
    pos = np.concatenate([p for _, p in parts]) if parts else empty
    bounds = np.searchsorted(owner, np.arange(n + 1))
    return [pos[bounds[i] : bounds[i + 1]] for i in range(n)]


def _overlaps(
    ids: list[int],
    geometries: np.ndarray,
    pairs: list[tuple[int, int]],
    members: list[np.ndarray],
    keys: np.ndarray,
    counts: np.ndarray,
) -> tuple[Overlap, ...]:
    """Pairs of perimeters that share ground or dated incidents, with their difference counts.

    ``members[i]``: the sorted positions of the dated points perimeter ``i`` covers; ``keys``
    their cells (``code × months + month``); ``counts``: the month cells. What one perimeter
    covers and the other does not is its cells minus those of the shared incidents.
    """
    if not pairs:
        return ()
    left, right = (np.array(side) for side in zip(*pairs, strict=True))
    shared, left_only, right_only = _pair_areas(geometries[left], geometries[right])
    shape = counts.shape[1:]
    n_keys = shape[0] * shape[1]
    found = []
    for n, (i, j) in enumerate(pairs):
        small_set, big_set = sorted((members[i], members[j]), key=len)
        both = small_set[_in_sorted(small_set, big_set)]
        if not shared[n] and not len(both):
            continue
        in_both = np.bincount(keys[both], minlength=n_keys).reshape(shape)
        own = {i: (counts[i] - in_both, left_only[n]), j: (counts[j] - in_both, right_only[n])}
        gi, gj = geometries[i], geometries[j]
        big, small = (i, j) if (gi.area, -ids[i]) >= (gj.area, -ids[j]) else (j, i)
        sides, differences = [], []
        for a, b in ((big, small), (small, big)):
            only, ground = own[a]
            if ground or only.any():
                sides.append((int(ids[a]), int(ids[b])))
                differences.append(only)
        found.append(
            Overlap(
                int(ids[big]), int(ids[small]), tuple(sides), np.asarray(differences, dtype=int)
            )
        )
    return tuple(found)


def _pair_areas(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: whether the two share ground, and whether each has ground the other lacks."""

    def areas(group: slice) -> np.ndarray:
        a, b = left[group], right[group]
        return np.stack(
            [
                shapely.area(shapely.intersection(a, b)),
                shapely.area(shapely.difference(a, b)),
                shapely.area(shapely.difference(b, a)),
            ]
        )

    step = max(len(left) // 8, 64)  # GEOS releases the GIL: a few groups per core
    groups = [slice(s, min(s + step, len(left))) for s in range(0, len(left), step)]
    found = np.concatenate(in_groups(areas, groups), axis=1) > AREA_EPSILON_M2
    return found[0], found[1], found[2]


def _in_sorted(values: np.ndarray, within: np.ndarray) -> np.ndarray:
    """Which of the sorted ``values`` are in the sorted ``within``."""
    if not len(within):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(within, values), len(within) - 1)
    return within[at] == values


def _touching(geometries: np.ndarray) -> list[tuple[int, int]]:
    """Index pairs ``i < j`` of geometries that intersect (share at least a point)."""
    if len(geometries) < 2:
        return []
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="intersects")
    return sorted({(int(a), int(b)) for a, b in zip(left, right, strict=True) if a < b})
