"""``mmm plan …``: list action plans, show one plan's progress, import survey figures.

Thin click commands around :mod:`mmm.plans`, registered on the ``mmm`` group by
:mod:`mmm.cli.group`, which turns the core's errors into one line and exit code 1. Writing plans
and running PDCA steps happens in the web app, where the project group works; the command line
covers what an analyst scripts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from mmm.cli.common import cli_actor, command_store, default_rejects, rejects_option


@click.group("plan")
def plan_group() -> None:
    """Action plans: list them, show their progress, import survey figures."""


@plan_group.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """One line per plan: id, perimeter, ZVP period, status, run, phenomena."""
    from mmm.plans import list_plans

    for p in list_plans(command_store(ctx)):
        click.echo(
            f"{p.id:>4}  {p.perimeter:<28} ZVP {p.zvp_period}  {p.status:<7} "
            f"{p.starts_on} – {p.ends_on}  {', '.join(p.phenomena)}"
        )


@plan_group.command("show")
@click.argument("plan_id", type=int)
@click.pass_context
def show_cmd(ctx: click.Context, plan_id: int) -> None:
    """Monitoring, targets and PDCA cycles of plan PLAN_ID (figures computed now)."""
    from mmm.plans import (
        cycles,
        get_plan,
        indicator_status,
        indicators,
        objective_monitoring,
        survey_results,
    )

    store = command_store(ctx)
    plan = get_plan(store, plan_id)
    mon = objective_monitoring(store, plan)
    click.echo(f"{plan.title} — {plan.perimeter}, ZVP {plan.zvp_period} ({plan.status})")
    click.echo(f"monitored {mon.start_month} to {mon.last_month or '(no data yet)'}")
    click.echo(f"  {'phenomenon':<22}{'baseline':>9}{'since':>7}{'change':>9}  trend     hotspot")
    for m in mon.phenomena:
        change = "—" if m.change_pct is None else f"{m.change_pct:+.1f}%"
        click.echo(
            f"  {m.phenomenon:<22}{m.baseline:>9}{m.count:>7}{change:>9}  {m.trend:<9} "
            f"{m.hotspot} ({m.hot_cells} cells)"
        )
    for note in mon.notes:
        click.echo(f"  note: {note}")
    statuses = indicator_status(
        plan, indicators(store, plan_id), mon, survey_results(store), today=date.today()
    )
    for s in statuses:
        value = "—" if s.value is None else f"{s.value:.1f}"
        click.echo(
            f"target: {s.indicator.label}: {value} (target {s.indicator.target:g}) {s.status}"
        )
    for c in cycles(store, plan_id):
        click.echo(f"cycle {c.number}: {c.period} {c.status}")


@plan_group.command("import-survey")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite figures already stored.")
@click.option("--dry-run", is_flag=True, help="Validate and report, store nothing.")
@rejects_option
@click.pass_context
def import_survey_cmd(
    ctx: click.Context, file: Path, replace: bool, dry_run: bool, rejects: Path | None
) -> None:
    """Import survey figures per perimeter and period from a CSV FILE."""
    from mmm.io.imports import write_rejects
    from mmm.plans import import_survey

    report = import_survey(
        command_store(ctx), file, replace=replace, dry_run=dry_run, actor=cli_actor()
    )
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} survey figures from {report.source}")
    click.echo(f"  read      {report.read:>8,}")
    click.echo(f"  imported  {report.imported:>8,}")
    written = write_rejects(report, rejects or default_rejects(file))
    click.echo(f"  rejected  {len(report.rejected):>8,}" + (f"   → {written}" if written else ""))
    for reason, n in report.reasons().items():
        click.echo(f"    {reason:<60} {n:>5,}")
    for note in report.notes:
        click.echo(f"  note: {note}")
