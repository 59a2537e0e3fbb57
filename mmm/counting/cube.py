"""The count cube: every count a page or the API shows, counted once per data version.

Why: a zone map, a perimeter page and ``/api/counts`` used to count the incidents again on
every request — a second each on a million incidents, and fifty users make fifty requests.
Counts are additive over months, so one pass over the incidents can hold all of them:

* the month cells perimeter × phenomenon × month, with the overlaps
  (:class:`~mmm.access.release.MonthlyCells`: every figure a reader is shown is made from them by
  a :class:`~mmm.access.release.Release`), and per perimeter × phenomenon the undated incidents
  (they count in the period ``all``);
* per phenomenon × month, every dated incident of the zone (a perimeter page's comparison);
* the zone grid × phenomenon × month (:class:`MonthGrid`: the zone map's grid cells).

:func:`count_cube` computes the cube of a store once per state of its data — the newest import
batch (incidents, perimeters, the zone outline) and the newest perimeter version (an edit) — on
one thread while the others wait for it, and shares it read-only. A view then slices it (sums of
months): exactly the counts a recount of the incidents gives, in microseconds to milliseconds.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mmm.access.release import MonthlyCells, Release
from mmm.access.rules import Scope
from mmm.counting.count import COLUMNS as _COUNT_COLUMNS
from mmm.counting.count import Period
from mmm.counting.grid import cell_rows, cell_table, zone_cells
from mmm.counting.month_cells import Coded, cells_and_undated, code_incidents
from mmm.counting.points import PointIndex
from mmm.store import Store

#: Side (m) of the zone map's grid cells, the grid the cube keeps.
GRID_CELL_M = 200.0
#: Releases kept per cube (one per reader scope: staff, and each partner organisation).
RELEASES_KEPT = 64
#: The columns of :meth:`CountCube.table` (those of a count table without the areas).
TABLE_COLUMNS = _COUNT_COLUMNS[:4]


@dataclass(frozen=True, eq=False)
class MonthGrid:
    """Incidents per zone grid cell × phenomenon × month, kept sparse.

    ``keys`` (``cell row × len(phenomena) + code``) and ``counts`` list the non-zero entries
    month after month; those of month ``m`` are ``offsets[m]:offsets[m + 1]``. ``present``
    tells, per phenomenon × month, whether a dated incident with coordinates exists anywhere:
    a grid table has a column for each such phenomenon of its months.
    """

    cell_m: float
    ix: np.ndarray
    iy: np.ndarray
    phenomena: tuple[str, ...]
    offsets: np.ndarray
    keys: np.ndarray
    counts: np.ndarray
    present: np.ndarray

    def table(self, months: np.ndarray) -> gpd.GeoDataFrame:
        """:func:`mmm.counting.grid.grid_counts` of the dated incidents of ``months``
        (contiguous month indices), from the kept entries."""
        n_codes = len(self.phenomena)
        counts = np.zeros((len(self.ix), n_codes), dtype=np.int64)
        shown = np.zeros(n_codes, dtype=bool)
        if len(months):
            lo, hi = self.offsets[months[0]], self.offsets[months[-1] + 1]
            found = np.bincount(self.keys[lo:hi], weights=self.counts[lo:hi], minlength=counts.size)
            counts = found.round().astype(np.int64).reshape(counts.shape)
            shown = np.asarray(self.present[:, months].any(axis=1), dtype=bool)
        names = sorted(code for code, on in zip(self.phenomena, shown, strict=True) if on)
        order = [self.phenomena.index(code) for code in names]
        return cell_table(self.ix, self.iy, counts[:, order], names, self.cell_m)


@dataclass(frozen=True, eq=False)
class CountCube:
    """Every count of a store's data at one state (see the module); read-only once built.

    ``undated[p, k]`` counts the undated incidents of ``phenomena[k]`` perimeter ``p`` covers
    (``phenomena`` extends ``cells.phenomena`` with codes only undated incidents have);
    ``zone[k, m]`` counts the dated incidents of ``phenomena[k]`` in ``cells.months[m]``.
    """

    key: tuple[int, int]
    perimeters: gpd.GeoDataFrame
    cells: MonthlyCells
    phenomena: tuple[str, ...]
    undated: np.ndarray
    zone: np.ndarray
    grid: MonthGrid | None
    _releases: OrderedDict[object, Release] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def month_indices(self, months: Iterable[str]) -> np.ndarray:
        """Indices of those of ``months`` the data covers, in the order given."""
        at = {month: i for i, month in enumerate(self.cells.months)}
        return np.array([at[m] for m in months if m in at], dtype=np.int64)

    def release(self, scope: Scope) -> Release:
        """The :class:`~mmm.access.release.Release` of the cells for ``scope`` (kept)."""
        thresholds = None if scope.thresholds is None else tuple(sorted(scope.thresholds.items()))
        key = (scope.pairs, thresholds)
        with self._lock:
            found = self._releases.get(key)
            if found is not None:
                self._releases.move_to_end(key)
                return found
        made = Release(self.cells, scope)
        with self._lock:
            self._releases[key] = made
            while len(self._releases) > RELEASES_KEPT:
                self._releases.popitem(last=False)
        return made

    def phenomenon_totals(self, perimeter_id: int | None, months: Iterable[str]) -> pd.Series:
        """Dated incidents per phenomenon code over ``months``: in one perimeter, or in the
        whole zone (``None``)."""
        chosen = self.month_indices(months)
        if perimeter_id is None:
            values = self.zone[:, chosen].sum(axis=1)
        else:
            row = self.cells.perimeters.index(perimeter_id)
            values = np.zeros(len(self.phenomena), dtype=np.int64)
            values[: len(self.cells.phenomena)] = self.cells.counts[row][:, chosen].sum(axis=1)
        return pd.Series(values, index=list(self.phenomena), dtype=np.int64)

    def grid_table(self, months: Iterable[str]) -> gpd.GeoDataFrame | None:
        """The zone grid of ``months`` (whole months the data covers), ``None`` without a zone."""
        return None if self.grid is None else self.grid.table(self.month_indices(months))

    def table(
        self, perimeters: pd.DataFrame, period: Period, months: list[str] | None = None
    ) -> pd.DataFrame:
        """:func:`mmm.counting.count.count_incidents` of ``perimeters`` (rows of the cube's,
        with ``id`` and ``name``), without the area columns; ``months``: only the incidents of
        those months (undated ones left out), by default all of them."""
        at = {pid: i for i, pid in enumerate(self.cells.perimeters)}
        rows = np.array([at[int(pid)] for pid in perimeters["id"]], dtype=np.int64)
        names = np.asarray(perimeters["name"], dtype=object)
        chosen = self.month_indices(self.cells.months if months is None else months)
        labels = [_period_label(self.cells.months[m], period) for m in chosen]
        periods = sorted(set(labels)) or (["all"] if period == "all" else [])
        group = np.zeros((len(chosen), len(periods)), dtype=np.int64)
        group[np.arange(len(chosen)), [periods.index(label) for label in labels]] = 1
        n_cells = len(self.cells.phenomena)
        counts = np.zeros((len(rows), len(self.phenomena), len(periods)), dtype=np.int64)
        counts[:, :n_cells] = self.cells.counts[rows][:, :, chosen] @ group
        if period == "all" and months is None and len(rows):
            counts[:, :, 0] += self.undated[rows]
        by_name = np.argsort(names, kind="stable")
        by_code = np.argsort(np.asarray(self.phenomena, dtype=object), kind="stable")
        counts = counts[by_name][:, by_code]
        p, k, t = np.nonzero(counts)
        return pd.DataFrame(
            {
                "perimeter": names[by_name][p],
                "phenomenon": np.asarray(self.phenomena, dtype=object)[by_code][k],
                "period": np.asarray(periods, dtype=object)[t],
                "count": counts[p, k, t],
            },
            columns=TABLE_COLUMNS,
        )


def _period_label(month: str, period: Period) -> str:
    """The label of the period ``month`` (``YYYY-MM``) falls in, as the count tables write it."""
    if period == "month":
        return month
    if period == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month[:4] if period == "year" else "all"


def build_cube(
    incidents: pd.DataFrame,
    perimeters: gpd.GeoDataFrame,
    phenomena: list[str],
    zone: BaseGeometry | None,
    *,
    key: tuple[int, int] = (0, 0),
) -> CountCube:
    """The cube of ``incidents`` (``phenomenon``, ``occurred``, ``x``, ``y``) in ``perimeters``
    (``id``, polygons) and the grid over ``zone``; ``phenomena`` come first in the cells."""
    coded = code_incidents(incidents, phenomena)
    ids = [int(pid) for pid in perimeters["id"]]
    geometries = np.asarray(perimeters.geometry.values, dtype=object)
    cells, undated = cells_and_undated(coded, ids, geometries, PointIndex(coded.x, coded.y))
    n_months = len(coded.months)
    dated = coded.dated
    zone_counts = np.bincount(
        coded.k[dated] * n_months + coded.m[dated], minlength=len(coded.codes) * n_months
    ).reshape(len(coded.codes), n_months)
    grid = None if zone is None or zone.is_empty else month_grid(coded, zone, GRID_CELL_M)
    return CountCube(key, perimeters, cells, coded.codes, undated, zone_counts, grid)


def month_grid(coded: Coded, zone: BaseGeometry, cell_m: float) -> MonthGrid:
    """The :class:`MonthGrid` of the dated incidents of ``coded`` over ``zone``."""
    ix, iy = zone_cells(zone, cell_m=cell_m)
    n_codes, n_months = len(coded.codes), len(coded.months)
    usable = coded.dated & np.isfinite(coded.x) & np.isfinite(coded.y)
    k, m = coded.k[usable], coded.m[usable]
    present = np.bincount(k * n_months + m, minlength=n_codes * n_months) > 0
    rows = cell_rows(ix, iy, coded.x[usable], coded.y[usable], cell_m)
    hit = rows >= 0
    per_month = len(ix) * n_codes
    entries, counts = np.unique(
        m[hit] * per_month + rows[hit] * n_codes + k[hit], return_counts=True
    )
    offsets = np.searchsorted(entries, np.arange(n_months + 1) * per_month)
    return MonthGrid(
        cell_m=cell_m,
        ix=ix,
        iy=iy,
        phenomena=coded.codes,
        offsets=offsets,
        keys=entries % max(per_month, 1),
        counts=counts.astype(np.int64),
        present=present.reshape(n_codes, n_months),
    )


# -- one cube per store, per state of its data ------------------------------------------
_CUBES: weakref.WeakKeyDictionary[Store, CountCube] = weakref.WeakKeyDictionary()
_BUILDING: weakref.WeakKeyDictionary[Store, threading.Lock] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def data_key(store: Store) -> tuple[int, int]:
    """The state of a store's counts: its newest import batch and newest perimeter version."""
    return store.data_state()


def count_cube(store: Store) -> CountCube:
    """The count cube of ``store`` as its data is now (see the module).

    Computed by the first caller after a change while other callers wait for it (they do not
    compute it a second time); kept until the data changes again.
    """
    key = data_key(store)
    cube = _CUBES.get(store)
    if cube is not None and cube.key == key:
        return cube
    with _GUARD:
        lock = _BUILDING.setdefault(store, threading.Lock())
    with lock:
        cube = _CUBES.get(store)
        key = data_key(store)  # read before the data: a change meanwhile makes it stale
        if cube is None or cube.key != key:
            zone = store.zone()
            cube = build_cube(
                store.incidents(),
                store.perimeters(),
                list(store.phenomena()["code"]),
                None if zone is None else zone.geometry,
                key=key,
            )
            _CUBES[store] = cube
        return cube
