"""``mmm when`` and ``mmm compstat``: when incidents happen, and what changed recently.

Thin click commands around :func:`mmm.temporal.tables.store_when_tables` (one weekday × hour
table per place and phenomenon, with a *no time* column and how many incidents had a known
moment, a window spread over its hours, no time of day or no date) and
:func:`mmm.temporal.compstat.store_recent_change` (the last 7 and 28 days and the year to date
against the days before and a year earlier, exact Poisson test); ``--out`` writes either as one
CSV. Only aggregates are printed, no incident rows. numpy, pandas and scipy load when a command
runs: ``--help`` stays light.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mmm.cli.common import DATE, command_store, day_range

if TYPE_CHECKING:
    from mmm.temporal.compstat import RecentChange
    from mmm.temporal.tables import WhenTable


@click.command("when")
@click.option(
    "--perimeter",
    "perimeters",
    multiple=True,
    metavar="NAME",
    help="A perimeter (repeat; default: the zone as a whole).",
)
@click.option(
    "--phenomenon",
    "phenomena",
    multiple=True,
    metavar="P",
    help="Phenomenon code (repeat; default: every phenomenon).",
)
@click.option("--from", "start", type=DATE, help="First day (inclusive), YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every table as one CSV (area, phenomenon, weekday, hour, incidents).",
)
@click.pass_context
def when_cmd(
    ctx: click.Context,
    perimeters: tuple[str, ...],
    phenomena: tuple[str, ...],
    start: datetime | None,
    end: datetime | None,
    out: Path | None,
) -> None:
    """When it happens: incidents per weekday × hour (aoristic over known windows)."""
    from mmm.temporal.tables import long_table, store_when_tables

    first, last = day_range(start, end)
    if out is not None and out.suffix.lower() != ".csv":
        raise click.BadParameter(f"{out.name}: write a .csv file", param_hint="--out")
    tables = store_when_tables(
        command_store(ctx),
        perimeters=tuple(dict.fromkeys(perimeters)),
        phenomena=tuple(dict.fromkeys(phenomena)),
        start=first,
        end=last,
    )
    click.echo(
        "Incidents per weekday (rows) and hour (columns, 0 = 00:00–00:59). An incident known "
        "only within a window counts for the share of its window in each hour (aoristic); one "
        "without a time of day (stored at 00:00:00) is in 'no time', never at midnight."
    )
    for table in tables:
        print_table(table)
    if out is not None:
        from mmm.io.writers import write_csv

        frame = long_table(tables)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(frame, out)
        click.echo(f"Wrote {len(frame):,} rows to {out}")


def print_table(table: WhenTable) -> None:
    """One place × phenomenon: a heading with its counts, then weekdays × hours and no time."""
    import pandas as pd

    from mmm.temporal.tables import WEEKDAYS

    h = table.hours
    place = f"in {table.area}" if table.area else "in the zone"
    period = f"{table.start or '…'} – {table.end or '…'}"
    click.echo("")
    click.echo(
        f"{table.phenomenon} {place}, {period}: {h.dated:,} dated incident{'s' * (h.dated != 1)}"
        f" — {h.exact:,} at a "
        f"known moment, {h.windows:,} spread over their window, {int(h.no_time.sum()):,} "
        f"without a time of day; {h.undated:,} undated (in no period, no hour)"
    )
    if h.reversed:
        click.echo(
            f"  {h.reversed:,} of them had a window ending before its start: read at the "
            "start, as if no window were given"
        )
    frame = pd.DataFrame(h.weights, index=[d.capitalize() for d in WEEKDAYS])
    frame.columns = [f"{c:02d}" for c in frame.columns]
    frame["no time"] = h.no_time
    click.echo(frame.to_string(float_format=lambda v: f"{v:.1f}"))


@click.command("compstat")
@click.option(
    "--on",
    "reference",
    type=DATE,
    help="The last day of every window (default: the last day with a dated incident).",
)
@click.option(
    "--perimeter",
    "perimeters",
    multiple=True,
    metavar="NAME",
    help="A perimeter (repeat; default: every perimeter that is not archived). The zone as a "
    "whole always comes first.",
)
@click.option(
    "--phenomenon",
    "phenomena",
    multiple=True,
    metavar="P",
    help="Phenomenon code (repeat; default: every phenomenon).",
)
@click.option(
    "--alpha",
    type=float,
    default=0.05,
    show_default=True,
    help="False discovery rate at which a change is called significant.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the whole table as CSV (one row per place × phenomenon × window × "
    "comparison).",
)
@click.pass_context
def compstat_cmd(
    ctx: click.Context,
    reference: datetime | None,
    perimeters: tuple[str, ...],
    phenomena: tuple[str, ...],
    alpha: float,
    out: Path | None,
) -> None:
    """Recent change: last 7 and 28 days and year to date against before and a year earlier."""
    from mmm.cli.common import to_day
    from mmm.temporal.compstat import store_recent_change

    if out is not None and out.suffix.lower() != ".csv":
        raise click.BadParameter(f"{out.name}: write a .csv file", param_hint="--out")
    found = store_recent_change(
        command_store(ctx),
        perimeters=tuple(dict.fromkeys(perimeters)),
        phenomena=tuple(dict.fromkeys(phenomena)),
        reference=to_day(reference),
        alpha=alpha,
    )
    print_change(found, given=reference is not None)
    if out is not None:
        from mmm.io.writers import write_csv

        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(found.table, out)
        click.echo(f"Wrote {len(found.table):,} rows to {out}")


def print_change(found: RecentChange, *, given: bool) -> None:
    """The windows in words, then per place a table: phenomena down, windows across."""
    import pandas as pd

    names = {"7d": "last 7 days", "28d": "last 28 days", "ytd": "year to date"}
    which = "" if given else " (the last day with a dated incident)"
    click.echo(
        f"Recent change to {found.reference}{which}: each window against the days just before "
        "and the same days a year earlier; exact Poisson test (conditional binomial), * = "
        f"significant, Benjamini–Hochberg q ≤ {found.alpha:g} over every place × phenomenon of "
        "that window and comparison."
    )
    for window, parts in found.spans.items():
        now, before, year = parts["current"], parts["previous"], parts["last_year"]
        click.echo(
            f"  {names[window]}: {now.start} – {now.end}; before: {before.start} – "
            f"{before.end}; a year earlier: {year.start} – {year.end}"
        )
    table = found.table
    for area, rows in table.groupby("area", sort=False):
        click.echo("")
        click.echo(f"{area or 'The zone'}")
        out = {}
        for code, mine in rows.groupby("phenomenon", sort=False):
            cells: dict[str, str] = {}
            for row in mine.itertuples():
                head = "7d" if row.window == "7d" else row.window
                cells[head] = str(row.current)
                kind = "before" if row.comparison == "previous" else "year ago"
                mark = "*" if row.significant else ""
                cells[f"{head} vs {kind}"] = (
                    f"{row.compared} ({row.change:+d}, p {row.p:.3f}){mark}"
                )
            out[code or "all phenomena"] = cells
        click.echo(pd.DataFrame(out).T.to_string())
