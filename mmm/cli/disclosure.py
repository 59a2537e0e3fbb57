"""``mmm disclosure-audit``: can a partner recover a hidden count from what it is shown?

A thin command around :func:`mmm.present.disclosure_walk.audit_partner`: it opens every view the
partner's users can open, for every period, and checks each hidden count with a linear
program (:mod:`mmm.access.disclosure_audit`). Exit code 1 when a hidden count leaks.
"""

from __future__ import annotations

import json

import click

from mmm.cli.common import command_store


@click.command("disclosure-audit")
@click.option("--partner", "org", required=True, metavar="ORG", help="The partner organisation.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def disclosure_audit_cmd(ctx: click.Context, org: str, as_json: bool) -> None:
    """Check that nothing partner ORG's users can be shown gives a hidden count back."""
    from mmm.present.disclosure_walk import audit_partner
    from mmm.settings import thresholds

    settings = ctx.find_root().obj["settings"]
    report = audit_partner(
        command_store(ctx), org, threshold=settings.suppress_below, overrides=thresholds(settings)
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{org}: {report.numbers} numbers collected ({report.constraints} distinct "
            f"constraints), {report.hidden} hidden counts checked, {len(report.leaks)} leaks "
            f"({report.seconds:.1f} s)"
        )
        for leak in report.leaks:
            high = "∞" if leak.high is None else leak.high
            click.echo(
                f"LEAK {leak.what}: the figures allow only {leak.low}…{high}, not 0…"
                f"{leak.threshold - 1} (shown in: {'; '.join(leak.views)})"
            )
    if report.leaks:
        ctx.exit(1)
