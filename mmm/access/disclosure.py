"""What a partner is shown of a count: the figure and the rules that make it.

The unit of release is one *cell*: a perimeter × a phenomenon × a calendar month
(:mod:`mmm.access.release`). A cell below its phenomenon's threshold is shown as ``"<5"`` (the
threshold's own number); a cell of the smaller of two overlapping perimeters may be *withheld*
(``"×"``) when the difference of the two would be a small number. Every other number a partner
sees — a range of months, a quarter, a year, all phenomena, a total, a change, a chart point —
is a :class:`Figure` computed from cells by :func:`aggregate`:

* exact when every cell in it is released;
* otherwise a lower bound ``"≥M"``, ``M`` the sum of its released cells — so two figures can
  never be subtracted to give a hidden cell back — and then no change or percentage
  (:func:`change` answers ``None``).

Staff see every figure exact. Thresholds are per phenomenon: the one the zone stored with it
(``mmm phenomenon set --threshold``) first, else the settings ``MMM_SUPPRESS_OVERRIDES`` (e.g.
higher for intrafamily violence) and ``MMM_SUPPRESS_BELOW``
(:func:`mmm.access.rules.thresholds_of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: How a figure is known: ``exact``; ``at_least`` its ``value``; ``below`` its ``value`` (one
#: cell under the threshold); ``withheld`` (one cell kept back for an overlap).
Kind = Literal["exact", "at_least", "below", "withheld"]

#: The text of a withheld cell (its legend says why).
WITHHELD = "×"


def label(threshold: int) -> str:
    """How a suppressed count is shown: ``<5`` for a threshold of 5."""
    return f"<{threshold}"


@dataclass(frozen=True)
class Figure:
    """One number as a reader is shown it.

    Attributes
    ----------
    kind
        See :data:`Kind`.
    value
        The count (``exact``), the lower bound (``at_least``), the threshold (``below``) or 0
        (``withheld``).
    """

    kind: Kind
    value: int

    @property
    def exact(self) -> bool:
        """Whether the figure is the count itself."""
        return self.kind == "exact"

    @property
    def number(self) -> int | None:
        """The count when exact, else ``None``."""
        return self.value if self.kind == "exact" else None

    @property
    def text(self) -> str:
        """``"12"``, ``"≥12"``, ``"<5"`` or ``"×"``."""
        if self.kind == "at_least":
            return f"≥{self.value}"
        if self.kind == "below":
            return label(self.value)
        if self.kind == "withheld":
            return WITHHELD
        return str(self.value)

    @property
    def shade(self) -> int:
        """The number a map may colour by: the count or a lower bound above 0; else ``-1``
        (hidden: "<5", "×", and "≥0", which says nothing)."""
        known = self.kind == "exact" or (self.kind == "at_least" and self.value > 0)
        return self.value if known else -1

    def __str__(self) -> str:
        return self.text


#: A zero that is known to be zero (no month of the data in the range).
NOTHING = Figure("exact", 0)


def aggregate(cells: Iterable[Figure]) -> Figure:
    """The figure of a sum of released cells (see the module).

    One cell is shown as itself; several are exact when all are, else ``≥`` the sum of the
    exact ones; none is an exact 0.
    """
    parts = list(cells)
    if len(parts) == 1:
        return parts[0]
    known = sum(p.value for p in parts if p.exact)
    if all(p.exact for p in parts):
        return Figure("exact", known)
    return Figure("at_least", known)


@dataclass(frozen=True)
class Change:
    """The change of a figure against an earlier one: absolute, and in percent (``None`` from 0)."""

    difference: int
    percent: float | None


def change(now: Figure, before: Figure) -> Change | None:
    """The change from ``before`` to ``now``; ``None`` unless both are exact."""
    if now.number is None or before.number is None:
        return None
    diff = now.number - before.number
    return Change(diff, 100 * diff / before.number if before.number else None)
