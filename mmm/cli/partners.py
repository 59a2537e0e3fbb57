"""``mmm partner …`` and ``mmm assign``: partner organisations and who does what where.

Thin click commands around :mod:`mmm.access.partners`: register an organisation, list the
assignments as CSV, and give an organisation its part in a perimeter for a phenomenon.
"""

from __future__ import annotations

import sys

import click

from mmm.cli.common import cli_actor, command_store


@click.group("partner")
def partner_group() -> None:
    """Partner organisations of the multidisciplinary approach."""


@partner_group.command("add")
@click.argument("org")
@click.option("--type", "kind", required=True, help="Partner type, e.g. prevention_service.")
@click.option("--contact", default="", help="The organisation's e-mail address (no personal one).")
@click.pass_context
def partner_add_cmd(ctx: click.Context, org: str, kind: str, contact: str) -> None:
    """Register the organisation ORG."""
    from mmm.access.partners import add_partner

    add_partner(command_store(ctx), org, type=kind, contact=contact, actor=cli_actor())
    click.echo(f"Added partner {org!r} ({kind})")


@partner_group.command("list")
@click.pass_context
def partner_list_cmd(ctx: click.Context) -> None:
    """Partners and who does what where (CSV on stdout)."""
    from mmm.access.partners import assignments
    from mmm.io.writers import write_csv

    table = assignments(command_store(ctx))
    columns = ["partner", "partner_type", "perimeter", "phenomenon", "responsibility"]
    write_csv(table[columns + ["description"]], sys.stdout)


@click.command("assign")
@click.argument("org")
@click.option("--perimeter", required=True, metavar="NAME")
@click.option("--phenomenon", required=True, metavar="CODE")
@click.option(
    "--responsibility", required=True, type=click.Choice(["lead", "contributes", "informed"])
)
@click.option("--description", default="", help="A short description of the partner's part.")
@click.pass_context
def assign_cmd(
    ctx: click.Context,
    org: str,
    perimeter: str,
    phenomenon: str,
    responsibility: str,
    description: str,
) -> None:
    """Give partner ORG a part in a perimeter for a phenomenon."""
    from mmm.access.partners import assign

    assign(
        command_store(ctx),
        org,
        perimeter=perimeter,
        phenomenon=phenomenon,
        responsibility=responsibility,
        description=description,
        actor=cli_actor(),
    )
    click.echo(f"{org}: {responsibility} for {phenomenon} in {perimeter}")
