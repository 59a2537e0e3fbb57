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

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np

from mmm.access.disclosure import NOTHING, Figure, Kind, aggregate
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

    def figure_rows(
        self, perimeters: Sequence[int], phenomena: Sequence[str], months: Iterable[str]
    ) -> list[tuple[Figure | None, ...]]:
        """Per perimeter: the figure of every phenomenon of ``phenomena`` it shows, then one per
        phenomenon (``None`` where it is not shown) — each as :meth:`figure` gives it, for
        thousands of perimeters at once (a zone map) from arrays of the cells.

        While a :func:`recording` is open they are asked one by one, so that the ledger holds
        every figure with its cells, as :meth:`figure` writes them.
        """
        pids, codes, spans = list(perimeters), list(phenomena), list(months)
        if _LEDGER.get() is not None:
            return [self._figure_row(pid, codes, spans) for pid in pids]
        m = [self._m[month] for month in spans if month in self._m]
        k = [self._k.get(code, -1) for code in codes]
        known = np.array([i >= 0 for i in k], dtype=bool)
        p = [self._p.get(pid, -1) for pid in pids]
        shape = (len(pids), len(codes), len(m))
        state = np.full(shape, _RELEASED, dtype=np.int8)
        counts = np.zeros(shape, dtype=np.int64)
        rows, cols = np.array([i >= 0 for i in p], dtype=bool), np.flatnonzero(known)
        if rows.any() and len(cols) and m:
            chosen = np.ix_(np.array(p)[rows], np.array(k)[cols], np.array(m))
            state[np.ix_(rows, known)] = self._state[chosen]
            counts[np.ix_(rows, known)] = self.cells.counts[chosen]
        released = state == _RELEASED
        sums, exact = (counts * released).sum(axis=2), released.all(axis=2)
        shows = np.array([[self.shows(pid, code) for code in codes] for pid in pids], dtype=bool)
        shows = shows.reshape(len(pids), len(codes))
        cells = np.where(known, len(m), 0)  # cells in the figure of one perimeter × phenomenon
        mine = shows & known
        totals = zip(
            (mine * cells).sum(axis=1).tolist(),
            (sums * mine).sum(axis=1).tolist(),
            (exact | ~mine).all(axis=1).tolist(),
            strict=True,
        )
        made: dict[tuple[str, int], Figure] = {}  # figures are immutable: one of each is enough

        def figure(kind: Kind, value: int) -> Figure:
            found = made.get((kind, value))
            if found is None:
                found = made[(kind, value)] = Figure(kind, value)
            return found

        if len(m) == 1:  # each perimeter × phenomenon is one cell, shown as the cell is
            limits = [int(self._limits[i]) if i >= 0 else 0 for i in k]
            kinds: dict[int, Kind] = {_RELEASED: "exact", _BELOW: "below", _WITHHELD: "withheld"}
            each = [
                [figure(kinds[st], n if st == _RELEASED else lim if st == _BELOW else 0)
                 for st, n, lim in zip(row_state, row_counts, limits, strict=True)]
                for row_state, row_counts in zip(
                    state[..., 0].tolist(), counts[..., 0].tolist(), strict=True)
            ]  # fmt: skip
        else:
            each = [
                [figure("exact" if e else "at_least", v) if n else NOTHING
                 for n, v, e in zip(cells.tolist(), row_sums, row_exact, strict=True)]
                for row_sums, row_exact in zip(sums.tolist(), exact.tolist(), strict=True)
            ]  # fmt: skip
        result = []
        for row, row_shows, row_mine, (n, total, all_exact) in zip(
            each, shows.tolist(), mine.tolist(), totals, strict=True
        ):
            if n == 1:  # one phenomenon of one month: the total is that cell
                whole = row[row_mine.index(True)]
            else:
                whole = figure("exact" if all_exact else "at_least", total) if n else NOTHING
            result.append(
                (whole, *(f if on else None for f, on in zip(row, row_shows, strict=True)))
            )
        return result

    def _figure_row(
        self, pid: int, codes: list[str], months: list[str]
    ) -> tuple[Figure | None, ...]:
        """One row of :meth:`figure_rows`, every figure asked of :meth:`figure` (and recorded)."""
        mine = [c for c in codes if self.shows(pid, c)]
        each = {c: self.figure([pid], [c], months) for c in mine}
        return (self.figure([pid], mine, months), *(each.get(c) for c in codes))

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
