"""The disclosure audit: can the numbers a reader is shown give a hidden count back?

Why: the release model (:mod:`mmm.access.release`) is meant to make every hidden count
unrecoverable, but "meant to" is not a proof. The audit takes every figure the views handed one
reader (a :class:`~mmm.access.release.Ledger`), writes each as a linear constraint on the
unknown counts, and asks a solver how well the constraints pin down each *hidden count*:

* the unknowns are the counts of each **atom** × phenomenon × month — an atom is a perimeter,
  or, where perimeters overlap, each area a combination of them covers (:class:`Atoms`);
* an exact figure is ``Σ cells = n``, a lower bound ``Σ cells ≥ M``, a ``"<5"`` cell
  ``0 ≤ cell ≤ 4``; a withheld cell says nothing; every count is a whole number ≥ 0;
* a hidden count is any cell the reader is shown (alone or in a sum) whose true count is below
  its threshold ``N``, and any area two overlapping perimeters do not share whose true count is
  below ``N`` (the difference the overlap rule protects);
* for each hidden count the solver (``scipy.optimize.linprog``, HiGHS, integer unknowns) finds
  the smallest and the largest value the figures allow. A reader who only knows "below N"
  must see the whole range ``0 … N−1``: an interval that starts above 0 or ends below ``N−1``
  is a **leak**.

Before solving, constraints that pin one unknown are folded into its bounds and those every
non-negative count meets are dropped; what remains falls apart into small independent groups,
and only a hidden count inside such a group needs the solver.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mmm.access.release import Cell, Published
from mmm.errors import MMMError


@dataclass(frozen=True)
class Atoms:
    """The unknowns' areas: which perimeters cover each atom, and its true counts.

    ``counts[a, k, m]``: incidents of ``phenomena[k]`` in ``months[m]`` that exactly the
    perimeters ``members[a]`` cover (from :func:`mmm.counting.cells.overlap_atoms`).
    """

    members: tuple[frozenset[int], ...]
    counts: np.ndarray
    phenomena: tuple[str, ...]
    months: tuple[str, ...]


@dataclass(frozen=True)
class Leak:
    """A hidden count the figures pin down more than "below its threshold"."""

    what: str
    threshold: int
    low: int
    high: int | None  # None: no upper bound
    views: tuple[str, ...]  # where the figures that pin it were shown (a few)


@dataclass(frozen=True)
class AuditReport:
    """What the audit found for one reader."""

    reader: str
    numbers: int  # figures collected from the views
    constraints: int  # distinct linear constraints they make
    hidden: int  # hidden counts checked
    leaks: tuple[Leak, ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "reader": self.reader,
            "numbers": self.numbers,
            "constraints": self.constraints,
            "hidden": self.hidden,
            "seconds": round(self.seconds, 2),
            "leaks": [
                {"what": x.what, "threshold": x.threshold, "low": x.low, "high": x.high,
                 "views": list(x.views)}
                for x in self.leaks
            ],
        }  # fmt: skip


@dataclass
class _Row:
    coef: dict[int, int]
    sense: str  # "eq", "ge" or "le"
    rhs: int
    views: set[str] = field(default_factory=set)


def audit(
    entries: Sequence[Published],
    atoms: Atoms,
    thresholds: Mapping[str, int],
    names: Mapping[int, str],
    *,
    reader: str,
) -> AuditReport:
    """Check every hidden count behind ``entries`` (see the module).

    Parameters
    ----------
    entries
        The figures the views handed the reader (:attr:`Ledger.entries`).
    atoms
        The atoms of every perimeter in ``entries``, with their true counts.
    thresholds
        The reader's threshold per phenomenon.
    names
        Perimeter id → name, for the report.
    reader
        Who the figures were for (the report's title).

    Raises
    ------
    MMMError
        When the true counts break a figure: the figures were not made from these counts.
    """
    start = time.perf_counter()
    unknowns = _Unknowns(atoms)
    rows = _rows(entries, unknowns)
    hidden = _hidden(entries, unknowns, thresholds, names)
    truth = unknowns.truth()  # every unknown is numbered by now
    for row in rows:
        if not _holds(row, truth):
            raise MMMError(f"a figure shown at {sorted(row.views)[0]} does not match the data")
    bounds = _Bounds(len(truth), rows)
    leaks = []
    for what, limit, form in hidden:  # the true count is never part of the report
        low, high = bounds.interval(form)
        if low > 0 or (high is not None and high < limit - 1):
            leaks.append(Leak(what, limit, low, high, bounds.views(form)))
    return AuditReport(
        reader=reader,
        numbers=len(entries),
        constraints=len(rows),
        hidden=len(hidden),
        leaks=tuple(leaks),
        seconds=time.perf_counter() - start,
    )


class _Unknowns:
    """Numbering of the unknowns: (atom, phenomenon, month) → column."""

    def __init__(self, atoms: Atoms) -> None:
        self.atoms = atoms
        self._k = {c: i for i, c in enumerate(atoms.phenomena)}
        self._m = {m: i for i, m in enumerate(atoms.months)}
        self.of: dict[int, list[int]] = {}
        for a, members in enumerate(atoms.members):
            for pid in members:
                self.of.setdefault(pid, []).append(a)
        self.index: dict[tuple[int, int, int], int] = {}

    def column(self, atom: int, k: int, m: int) -> int:
        return self.index.setdefault((atom, k, m), len(self.index))

    def cell(self, cell: Cell) -> list[int]:
        """The unknowns a cell sums."""
        pid, code, month = cell
        k, m = self._k[code], self._m[month]
        return [self.column(a, k, m) for a in self.of.get(pid, [])]

    def area(self, inside: int, outside: int, code: str, month: str) -> list[int]:
        """The unknowns of the area ``inside`` covers and ``outside`` does not."""
        k, m = self._k[code], self._m[month]
        return [
            self.column(a, k, m)
            for a, members in enumerate(self.atoms.members)
            if inside in members and outside not in members
        ]

    def truth(self) -> np.ndarray:
        values = np.zeros(len(self.index), dtype=np.int64)
        for (a, k, m), col in self.index.items():
            values[col] = self.atoms.counts[a, k, m]
        return values


def _rows(entries: Sequence[Published], unknowns: _Unknowns) -> list[_Row]:
    """One constraint per distinct figure (a withheld cell makes none)."""
    found: dict[tuple[Any, ...], _Row] = {}
    for entry in entries:
        fig = entry.figure
        if fig.kind == "withheld" or not entry.cells:
            continue
        coef: Counter[int] = Counter()
        for cell in entry.cells:
            coef.update(unknowns.cell(cell))
        sense, rhs = {"exact": ("eq", fig.value), "at_least": ("ge", fig.value)}.get(
            fig.kind, ("le", fig.value - 1)
        )
        key = (tuple(sorted(coef.items())), sense, rhs)
        row = found.setdefault(key, _Row(dict(coef), sense, rhs))
        if len(row.views) < 3:
            row.views.add(entry.where)
    return list(found.values())


def _holds(row: _Row, values: np.ndarray) -> bool:
    total = sum(c * int(values[v]) for v, c in row.coef.items())
    return {"eq": total == row.rhs, "ge": total >= row.rhs, "le": total <= row.rhs}[row.sense]


def _hidden(
    entries: Sequence[Published],
    unknowns: _Unknowns,
    thresholds: Mapping[str, int],
    names: Mapping[int, str],
) -> list[tuple[str, int, list[int]]]:
    """The hidden counts: (label, threshold, the unknowns they sum) — see the module."""
    atoms = unknowns.atoms
    k_of = {c: i for i, c in enumerate(atoms.phenomena)}
    m_of = {m: i for i, m in enumerate(atoms.months)}
    shown = sorted({cell for entry in entries for cell in entry.cells})
    found = []
    for pid, code, month in shown:
        limit = thresholds.get(code, 0)
        rows = unknowns.of.get(pid, [])
        value = int(atoms.counts[rows, k_of[code], m_of[month]].sum())
        if value < limit:
            what = f"{names.get(pid, pid)} · {code} · {month}"
            found.append((what, limit, unknowns.cell((pid, code, month))))
    perimeters = {pid for pid, _, _ in shown}
    pairs = {(a, b) for a in perimeters for b in _partners(atoms, a) & perimeters}
    for inside, outside in sorted(pairs):
        for code, month in sorted({(c, m) for p, c, m in shown if p in (inside, outside)}):
            limit = thresholds.get(code, 0)
            form = unknowns.area(inside, outside, code, month)
            value = sum(
                int(atoms.counts[a, k_of[code], m_of[month]])
                for a, members in enumerate(atoms.members)
                if inside in members and outside not in members
            )
            if form and value < limit:
                what = f"{names.get(inside, inside)} ∖ {names.get(outside, outside)}"
                found.append((f"{what} · {code} · {month}", limit, form))
    return found


def _partners(atoms: Atoms, pid: int) -> set[int]:
    """The perimeters ``pid`` shares an atom with (it overlaps them)."""
    return {other for members in atoms.members if pid in members for other in members} - {pid}


class _Bounds:
    """The unknowns' bounds after folding the simple rows in, and the rows that remain."""

    def __init__(self, n: int, rows: list[_Row]) -> None:
        self.lb = np.zeros(n)
        self.ub = np.full(n, math.inf)
        self.rows = rows
        active = self._fold(list(rows))
        self.active = active
        parent = list(range(n))

        def root(v: int) -> int:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for row in active:
            first, *rest = row.coef
            for v in rest:
                parent[root(v)] = root(first)
        self.root = root
        self.in_rows = {v for row in active for v in row.coef}

    def _fold(self, rows: list[_Row]) -> list[_Row]:
        """Fold rows with one free unknown into its bounds; drop rows that always hold."""
        changed = True
        while changed:
            changed, keep = False, []
            for row in rows:
                free = {v: c for v, c in row.coef.items() if self.lb[v] < self.ub[v]}
                rhs = row.rhs - sum(c * self.lb[v] for v, c in row.coef.items() if v not in free)
                low = sum(c * self.lb[v] for v, c in free.items())
                high = sum(c * self.ub[v] for v, c in free.items())
                if not free or (row.sense == "ge" and rhs <= low):
                    continue  # holds for every count the bounds allow
                if row.sense == "le" and high <= rhs:
                    continue
                if len(free) == 1:
                    ((v, c),) = free.items()
                    if row.sense in ("eq", "le"):
                        self.ub[v] = min(self.ub[v], math.floor(rhs / c))
                    if row.sense in ("eq", "ge"):
                        self.lb[v] = max(self.lb[v], math.ceil(rhs / c))
                    changed = True
                    continue
                keep.append(row)
            rows = keep
        return rows

    def interval(self, form: list[int]) -> tuple[int, int | None]:
        """The smallest and largest sum of ``form`` the rows allow (``None``: no largest)."""
        linked = {v for v in form if v in self.in_rows}
        if not linked:
            high = float(self.ub[form].sum())
            return int(self.lb[form].sum()), None if math.isinf(high) else int(high)
        groups = {self.root(v) for v in linked}
        rows = [r for r in self.active if self.root(next(iter(r.coef))) in groups]
        return _solve(form, rows, self.lb, self.ub)

    def views(self, form: list[int]) -> tuple[str, ...]:
        """Where the figures that touch ``form`` were shown (a few, for the report)."""
        seen = set(form)
        found = sorted({w for r in self.rows if seen & set(r.coef) for w in r.views})
        return tuple(found[:5])


def _solve(
    form: list[int], rows: list[_Row], lb: np.ndarray, ub: np.ndarray
) -> tuple[int, int | None]:
    """Minimise and maximise ``Σ form`` over whole numbers meeting ``rows`` (HiGHS)."""
    from scipy.optimize import linprog

    columns = sorted({v for r in rows for v in r.coef} | set(form))
    at = {v: i for i, v in enumerate(columns)}
    eq = [r for r in rows if r.sense == "eq"]
    ub_rows = [r for r in rows if r.sense != "eq"]

    def matrix(chosen: list[_Row], sign: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
        if not chosen:
            return None, None
        a = np.zeros((len(chosen), len(columns)))
        b = np.zeros(len(chosen))
        for i, r in enumerate(chosen):
            flip = -1 if sign and r.sense == "ge" else 1
            for v, c in r.coef.items():
                a[i, at[v]] = flip * c
            b[i] = flip * r.rhs
        return a, b

    a_eq, b_eq = matrix(eq, False)
    a_ub, b_ub = matrix(ub_rows, True)
    bounds = [(lb[v], None if math.isinf(ub[v]) else ub[v]) for v in columns]
    c = np.zeros(len(columns))
    for v in form:
        c[at[v]] += 1
    ends: list[int | None] = []
    for sign in (1, -1):
        result = linprog(
            sign * c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
            integrality=np.ones(len(columns)), method="highs",
        )  # fmt: skip
        if result.status != 0 and sign < 0:  # the true counts meet the rows: unbounded
            ends.append(None)
        elif result.status != 0:
            raise MMMError(f"the audit's solver failed: {result.message}")
        else:
            ends.append(round(sign * result.fun))
    low, high = ends
    return int(low or 0), high
