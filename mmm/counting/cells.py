"""The month cells of a store — perimeter × phenomenon × month — and where perimeters overlap.

Why here: :class:`mmm.access.release.Release` decides what a reader is shown, but counting
incidents per perimeter is this package's job. :func:`monthly_cells` gives the cells of the
store's count cube (:mod:`mmm.counting.cube`: every perimeter, archived ones too — their pages
stay reachable — for every month of the data, counted once per data version); a page then sums
cells, it never counts incidents again. An incident counts where the perimeter *covers* it, as
everywhere.

:func:`overlap_atoms` splits overlapping perimeters into the areas each combination of them
covers: the disclosure audit's unknowns.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.access.disclosure_audit import Atoms
from mmm.access.release import MonthlyCells, Release
from mmm.access.rules import Scope
from mmm.counting.count import covered_mask
from mmm.counting.cube import count_cube
from mmm.counting.month_cells import AREA_EPSILON_M2, cells_and_undated, code_incidents
from mmm.counting.points import PointIndex
from mmm.store import Store


def release(store: Store, scope: Scope) -> Release:
    """The :class:`~mmm.access.release.Release` of ``store``'s cells for a reader's ``scope``
    (kept with the store's count cube: :func:`mmm.counting.cube.count_cube`)."""
    return count_cube(store).release(scope)


def monthly_cells(store: Store) -> MonthlyCells:
    """Every perimeter × phenomenon × month count of the store, with the overlaps (kept per
    data version: :func:`mmm.counting.cube.count_cube`)."""
    return count_cube(store).cells


def count_cells(
    incidents: pd.DataFrame, ids: list[int], geometries: np.ndarray, phenomena: list[str]
) -> MonthlyCells:
    """The month cells of ``incidents`` in the perimeters ``ids`` (polygons ``geometries``).

    Parameters
    ----------
    incidents
        Columns ``phenomenon``, ``occurred`` (datetime64; undated incidents are in no month),
        ``x``, ``y`` (EPSG:31370).
    phenomena
        The codes, in the order of the cells (codes of incidents not listed are added).
    """
    coded = code_incidents(incidents, phenomena)
    return cells_and_undated(coded, ids, geometries, PointIndex(coded.x, coded.y))[0]


def overlap_atoms(store: Store, perimeter_ids: Iterable[int]) -> Atoms:
    """The areas the perimeters ``perimeter_ids`` split each other into, with their counts.

    A perimeter that overlaps none of the others is one atom; a group of overlapping ones is
    split into every combination of them that covers ground or an incident (the intersection,
    each one's own part…). Counts are per atom × phenomenon × month, as in
    :func:`monthly_cells`.
    """
    cells = monthly_cells(store)
    wanted = sorted(set(perimeter_ids) & set(cells.perimeters))
    row = {pid: i for i, pid in enumerate(cells.perimeters)}
    groups = _groups(wanted, [(o.larger, o.smaller) for o in cells.overlaps])
    members: list[frozenset[int]] = []
    counts: list[np.ndarray] = []
    alone = [g[0] for g in groups if len(g) == 1]
    members += [frozenset([pid]) for pid in alone]
    counts += [cells.counts[row[pid]] for pid in alone]
    together = [g for g in groups if len(g) > 1]
    if together:
        shapes = store.perimeters().set_index("id").geometry
        incidents = store.incidents()
        dated = incidents[incidents["occurred"].notna().to_numpy()]
        month_of = pd.to_datetime(dated["occurred"]).dt.strftime("%Y-%m")
        m_idx = pd.Index(cells.months).get_indexer(month_of)
        k_idx = pd.Index(cells.phenomena).get_indexer(dated["phenomenon"])
        x, y = dated["x"].to_numpy(dtype=float), dated["y"].to_numpy(dtype=float)
        for group in together:
            found = _group_atoms(group, [shapes[pid] for pid in group], x, y, k_idx, m_idx, cells)
            members += list(found)
            counts += list(found.values())
    shape = (0, len(cells.phenomena), len(cells.months))
    return Atoms(
        members=tuple(members),
        counts=np.asarray(counts, dtype=np.int64) if counts else np.zeros(shape, dtype=np.int64),
        phenomena=cells.phenomena,
        months=cells.months,
    )


def _groups(ids: list[int], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of ``ids`` linked by ``pairs`` (pairs with an id outside are ignored)."""
    parent = {pid: pid for pid in ids}

    def root(pid: int) -> int:
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    for a, b in pairs:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for pid in ids:
        groups.setdefault(root(pid), []).append(pid)
    return list(groups.values())


def _group_atoms(
    group: list[int],
    shapes: list[BaseGeometry],
    x: np.ndarray,
    y: np.ndarray,
    k_idx: np.ndarray,
    m_idx: np.ndarray,
    cells: MonthlyCells,
) -> dict[frozenset[int], np.ndarray]:
    """Atom → counts for one group of overlapping perimeters (see :func:`overlap_atoms`)."""
    regions: list[tuple[frozenset[int], BaseGeometry]] = []
    for pid, shape in zip(group, shapes, strict=True):
        split, rest = [], shape
        for members, region in regions:
            for part, who in ((region & shape, members | {pid}), (region - shape, members)):
                if part.area > AREA_EPSILON_M2:
                    split.append((who, part))
            rest = rest - region
        if rest.area > AREA_EPSILON_M2:
            split.append((frozenset([pid]), rest))
        regions = split
    inside = np.column_stack([covered_mask(x, y, s) for s in shapes])
    shape = (len(cells.phenomena), len(cells.months))
    atoms = {who: np.zeros(shape, dtype=np.int64) for who, _ in regions}
    covered = inside.any(axis=1)
    for bits in {tuple(r) for r in inside[covered]}:
        who = frozenset(pid for pid, on in zip(group, bits, strict=True) if on)
        atoms.setdefault(who, np.zeros(shape, dtype=np.int64))
        rows = covered & (inside == np.array(bits)).all(axis=1)
        np.add.at(atoms[who], (k_idx[rows], m_idx[rows]), 1)
    return dict(sorted(atoms.items(), key=lambda item: sorted(item[0])))
