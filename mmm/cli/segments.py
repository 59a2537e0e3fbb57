"""``mmm segments``: incidents per street segment, and how concentrated they are.

A thin click command around :mod:`mmm.counting.segments`: the counts per segment × phenomenon
go to a CSV (``segment_id``, ``name``, ``phenomenon``, ``count``; the incidents farther than
``--snap`` from every segment in a row named "not on a street"), the concentration table —
the share of segments that holds 25 % and 50 % of each phenomenon's incidents and the Gini
coefficient, for the zone and each perimeter — is printed.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mmm.cli.common import DATE, command_store, day_range

if TYPE_CHECKING:
    import pandas as pd


@click.command("segments")
@click.option("--phenomenon", metavar="CODE", help="Only this phenomenon (default: each one).")
@click.option("--from", "start", type=DATE, help="First day (inclusive), YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option(
    "--snap",
    type=click.FloatRange(min=0.0, max=1000.0, min_open=True),
    default=25.0,
    show_default=True,
    metavar="M",
    help="Incidents within M metres of a segment count for the nearest one; farther ones are "
    "'not on a street'.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file for the counts (default: stdout, the concentration table then on stderr).",
)
@click.pass_context
def segments_cmd(
    ctx: click.Context,
    phenomenon: str | None,
    start: datetime | None,
    end: datetime | None,
    snap: float,
    out: Path | None,
) -> None:
    """Count incidents per street segment × phenomenon and print their concentration."""
    from mmm.counting.segments import segment_counts
    from mmm.io.writers import write_csv

    first, last = day_range(start, end)
    result = segment_counts(
        command_store(ctx), phenomenon=phenomenon, start=first, end=last, snap_m=snap
    )
    if out is None:
        write_csv(result.counts, sys.stdout)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(result.counts, out)
        click.echo(f"Wrote {len(result.counts):,} rows to {out}", err=True)
    click.echo(concentration_text(result.concentration, snap), err=out is None)


def concentration_text(table: pd.DataFrame, snap: float) -> str:
    """The concentration table as aligned text, with a line on what the columns mean."""
    header = ("scope", "phenomenon", "incidents", "not on a street", "segments", "25 % on",
              "50 % on", "Gini")  # fmt: skip
    cells = [
        (
            str(r.scope),
            str(r.phenomenon),
            f"{r.incidents:,}",
            f"{r.not_on_street:,}",
            f"{r.segments:,}",
            _percent(r.pct_segments_25),
            _percent(r.pct_segments_50),
            "–" if r.gini != r.gini else f"{r.gini:.2f}",
        )
        for r in table.itertuples(index=False)
    ]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(len(header))]
    lines = [
        f"Concentration on street segments (snap {snap:g} m): the share of the scope's segments "
        "that holds 25 % and 50 % of its incidents on a street",
        "",
    ]
    for row in [header, *cells]:
        lines.append(
            "  ".join(
                f"{c:<{w}}" if i < 2 else f"{c:>{w}}"
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    return "\n".join(lines)


def _percent(value: float) -> str:
    return "–" if value != value else f"{value:.1f} %"
