"""The release model: which month cells a reader is shown, and every figure made from them.

Why one model: a partner reads counts on the zone map, a perimeter page, a plan, a progress
report, the API and a meeting screen. If each view summed what it needed in its own way, two
views (or two periods of one view) could be subtracted to give a hidden count back. So every
view asks a :class:`Release` for its figures, and a release knows one thing: the cells.

* A **cell** is a perimeter × a phenomenon × a calendar month of the data (:class:`MonthlyCells`).
* A cell below its phenomenon's threshold is ``below`` (``"<5"``).
* Of two perimeters that overlap, the **smaller** one's cell is ``withheld`` (``"×"``) in a
  month where an area one of them covers and the other does not holds fewer incidents than the
  threshold: otherwise the difference of the two released counts would be that small count
  (:class:`Overlap`; the rule does not depend on who reads, so readers cannot combine views).
* Every other figure — several months, a quarter, a year, all phenomena — is
  :func:`mmm.access.disclosure.aggregate` of its cells: exact only when all are released.
* Pairs outside the reader's scope are absent: asking for one raises :class:`AccessDenied`.

Staff (a scope without thresholds) get every figure exact from the same cells. While a
:func:`recording` is open, every figure handed out is written to its :class:`Ledger` with the
cells it covers: that is how the disclosure audit (:mod:`mmm.access.disclosure_audit`) sees
exactly what the views show.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np

from mmm.access.disclosure import NOTHING, Figure, aggregate
from mmm.access.rules import Scope
from mmm.errors import AccessDenied

#: A cell: (perimeter id, phenomenon code, month ``YYYY-MM``).
Cell = tuple[int, str, str]

_RELEASED, _BELOW, _WITHHELD = 0, 1, 2


@dataclass(frozen=True)
class Overlap:
    """Two perimeters that share ground, and the areas only one of them covers.

    Attributes
    ----------
    larger, smaller
        Perimeter ids (by area; the smaller one's cells are withheld when needed).
    sides
        ``(inside, outside)`` perimeter ids of each difference area that exists (an area of
        its own, or incidents in it): ``inside`` covers it, ``outside`` does not. A perimeter
        nested in the other has one side.
    differences
        Incidents per side × phenomenon × month (``len(sides) × K × M``), in the order of
        :class:`MonthlyCells`.
    """

    larger: int
    smaller: int
    sides: tuple[tuple[int, int], ...]
    differences: np.ndarray


@dataclass(frozen=True)
class MonthlyCells:
    """The counts every figure is made from: perimeter × phenomenon × month, and the overlaps.

    ``counts[p, k, m]`` counts the incidents ``perimeters[p]`` covers, of ``phenomena[k]``,
    dated in ``months[m]`` (every month from the first to the last dated incident).
    """

    perimeters: tuple[int, ...]
    phenomena: tuple[str, ...]
    months: tuple[str, ...]
    counts: np.ndarray
    overlaps: tuple[Overlap, ...] = ()


@dataclass(frozen=True)
class Published:
    """One figure a view handed out: where, which cells it covers, and what it showed."""

    where: str
    cells: tuple[Cell, ...]
    figure: Figure


@dataclass
class Ledger:
    """The figures handed out while a :func:`recording` was open; ``where`` labels the next."""

    entries: list[Published] = field(default_factory=list)
    where: str = ""


_LEDGER: ContextVar[Ledger | None] = ContextVar("mmm_release_ledger", default=None)


@contextmanager
def recording() -> Iterator[Ledger]:
    """Write every figure any :class:`Release` hands out in this block to the yielded ledger."""
    ledger = Ledger()
    token = _LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        _LEDGER.reset(token)


class Release:
    """The figures one reader may be shown (see the module).

    Parameters
    ----------
    cells
        The month cells of the store (:func:`mmm.counting.cells.monthly_cells`).
    scope
        The reader's scope: its pairs limit what may be asked for, its thresholds hide small
        cells (``None``: staff, every figure exact).
    """

    def __init__(self, cells: MonthlyCells, scope: Scope) -> None:
        self.cells = cells
        self.scope = scope
        self._p = {pid: i for i, pid in enumerate(cells.perimeters)}
        self._k = {code: i for i, code in enumerate(cells.phenomena)}
        self._m = {month: i for i, month in enumerate(cells.months)}
        self._state = np.zeros(cells.counts.shape, dtype=np.int8)
        if scope.thresholds is not None:
            limits = np.array([scope.thresholds.get(c, 0) for c in cells.phenomena], dtype=int)
            self._limits = limits
            self._state[cells.counts < limits[None, :, None]] = _BELOW
            for overlap in cells.overlaps:
                small = (overlap.differences < limits[None, :, None]).any(axis=0)
                self._state[self._p[overlap.smaller]][small] = _WITHHELD
        else:
            self._limits = np.zeros(len(cells.phenomena), dtype=int)

    @property
    def months(self) -> list[str]:
        """The months of the data, oldest first."""
        return list(self.cells.months)

    @property
    def suppressed(self) -> bool:
        """Whether small cells are hidden (a partner, or partners in the room)."""
        return self.scope.thresholds is not None

    def shows(self, perimeter_id: int, phenomenon: str) -> bool:
        """Whether the reader may see this perimeter × phenomenon at all."""
        return self.scope.pairs is None or (perimeter_id, phenomenon) in self.scope.pairs

    def figure(
        self, perimeters: Iterable[int], phenomena: Iterable[str], months: Iterable[str]
    ) -> Figure:
        """The figure of the incidents of ``phenomena`` in ``perimeters`` over ``months``.

        Months outside the data hold no incident (an exact 0). A perimeter or phenomenon the
        store does not know counts 0 too.

        Raises
        ------
        AccessDenied
            For a perimeter × phenomenon outside the reader's scope.
        """
        pids, codes = list(perimeters), list(phenomena)
        for pid in pids:
            for code in codes:
                if not self.shows(pid, code):
                    raise AccessDenied(f"perimeter {pid} × {code} is not in the reader's scope")
        spans = [m for m in months if m in self._m]
        cells = [
            (pid, code, month)
            for pid in pids
            if pid in self._p
            for code in codes
            if code in self._k
            for month in spans
        ]
        shown = self.total(cells)
        ledger = _LEDGER.get()
        if ledger is not None:
            ledger.entries.append(Published(ledger.where, tuple(cells), shown))
        return shown

    def total(self, cells: list[Cell]) -> Figure:
        """The figure of a sum of known cells: :func:`mmm.access.disclosure.aggregate` of them."""
        return aggregate(self._cell(*cell) for cell in cells) if cells else NOTHING

    def _cell(self, pid: int, code: str, month: str) -> Figure:
        p, k, m = self._p[pid], self._k[code], self._m[month]
        state = self._state[p, k, m]
        if state == _BELOW:
            return Figure("below", int(self._limits[k]))
        if state == _WITHHELD:
            return Figure("withheld", 0)
        return Figure("exact", int(self.cells.counts[p, k, m]))
