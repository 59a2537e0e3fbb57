"""The command line of the benchmark scripts: positive-integer options, progress on stderr and
aligned tables on stdout (shared by the scripts in bench/)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def positive(text: str) -> int:
    """An option's value as a positive integer (``1_000_000`` is fine)."""
    value = int(text.replace("_", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def progress(message: str) -> None:
    """One progress line on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def format_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None
) -> str:
    """Aligned text under a rule; ``align`` holds ``<`` (left) or ``>`` (right) per column.

    By default the first column is left-aligned and the others right-aligned.
    """
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    sides = align or "<" + ">" * (len(header) - 1)

    def line(cells: Sequence[str]) -> str:
        padded = (f"{c:{side}{w}}" for c, side, w in zip(cells, sides, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def figure_table(rows: Sequence[tuple[str, str, str]]) -> str:
    """Rows of (figure, value, note) as aligned text: figures left, values right, notes left."""
    return format_table(("figure", "value", "note"), rows, align="<><")


def seconds_cell(seconds: float | None) -> str:
    """Seconds with three decimals, or ``–`` when not measured."""
    return "–" if seconds is None else f"{seconds:.3f}"
