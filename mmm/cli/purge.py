"""``mmm purge``: remove the incidents past the zone's retention date.

A thin click command around :func:`mmm.store.retention.purge_incidents`: ``--dry-run`` shows
what would go; the removal itself is one transaction, audited with counts only.
"""

from __future__ import annotations

from datetime import datetime

import click

from mmm.cli.common import DATE, cli_actor, command_store


@click.command("purge")
@click.option(
    "--before",
    required=True,
    type=DATE,
    metavar="DATE",
    help="The retention date (YYYY-MM-DD): incidents that ended before this day are removed.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be removed; remove nothing.")
@click.pass_context
def purge_cmd(ctx: click.Context, before: datetime, dry_run: bool) -> None:
    """Remove the incidents older than the retention date (their window's end, else their
    date); undated incidents are kept. Audited with counts only."""
    from mmm.store.retention import purge_incidents

    done = purge_incidents(command_store(ctx), before.date(), dry_run=dry_run, actor=cli_actor())
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {done.removed:,} incidents that ended before {done.before.isoformat()}")
    for code, n in done.per_phenomenon.items():
        click.echo(f"  {code:<28} {n:>10,}")
    if done.per_year:
        years = ", ".join(f"{year}: {n:,}" for year, n in done.per_year.items())
        click.echo(f"  per year: {years}")
    click.echo(
        f"Kept {done.kept:,} incidents ({done.undated:,} of them undated, which no date places before it)"
    )
    if dry_run:
        click.echo("dry run: nothing was removed")
