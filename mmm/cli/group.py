"""The ``mmm`` command: the root group, with one sub-command (or group) per user task.

The commands live in one module per task and are registered here; none of them imports this
module back. Errors the user can act on (:class:`mmm.errors.MMMError`, unreadable files, bad
values) are printed as one line on stderr with exit code 1 — never as a traceback. Anything
else is a bug: one line too (exit code 2) saying so, with the traceback under ``mmm --debug``.
"""

from __future__ import annotations

from typing import Any

import click

from mmm.cli.counts import aggregate_cmd, export_cmd
from mmm.cli.db import db, status_cmd
from mmm.cli.demo import demo_cmd
from mmm.cli.disclosure import disclosure_audit_cmd
from mmm.cli.dossier import dossier
from mmm.cli.evaluate import evaluate
from mmm.cli.hotspots import hotspots, weights_cmd
from mmm.cli.imports import import_group
from mmm.cli.init import init_cmd
from mmm.cli.labels import label_cmd
from mmm.cli.near_repeat import near_repeat_cmd
from mmm.cli.partners import assign_cmd, partner_group
from mmm.cli.phenomena import phenomenon_group
from mmm.cli.plans import plan_group
from mmm.cli.purge import purge_cmd
from mmm.cli.rates import denominators_cmd, rates_cmd
from mmm.cli.segments import segments_cmd
from mmm.cli.serve import serve_cmd
from mmm.cli.temporal import compstat_cmd, when_cmd
from mmm.cli.tokens import token_group
from mmm.cli.users import user_group
from mmm.errors import MMMError
from mmm.settings import load_settings


class _FriendlyGroup(click.Group):
    """Turns the errors a user can act on into one line and exit code 1, any other into one
    line and exit code 2 (the traceback with ``--debug``)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (MMMError, ValueError, OSError) as exc:
            click.echo(f"Error: {_first_line(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted: the running import or edit was rolled back.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"Error: {type(exc).__name__}: {_first_line(exc)} (unexpected: run again with "
                "mmm --debug for the details, and report it)",
                err=True,
            )
            ctx.exit(2)


def _first_line(exc: BaseException) -> str:
    """The first line of an error's message (GEOS and GDAL messages run on)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@click.group(cls=_FriendlyGroup)
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    help="Store URL, e.g. sqlite:///path.db (default: $MMM_STORE or sqlite:///instance/mmm.sqlite).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
@click.version_option(package_name="mmm-planner")
@click.pass_context
def cli(ctx: click.Context, store_url: str | None, debug: bool) -> None:
    """MMM Planner: micro-local, multidisciplinary, multi-phenomenon planning for a police zone."""
    settings = load_settings()
    ctx.obj = {"settings": settings, "store_url": store_url or settings.store, "store": None}


for _command in (
    init_cmd,
    import_group,
    phenomenon_group,
    purge_cmd,
    aggregate_cmd,
    segments_cmd,
    export_cmd,
    user_group,
    token_group,
    partner_group,
    assign_cmd,
    disclosure_audit_cmd,
    label_cmd,
    demo_cmd,
    status_cmd,
    serve_cmd,
    hotspots,
    weights_cmd,
    near_repeat_cmd,
    when_cmd,
    compstat_cmd,
    rates_cmd,
    evaluate,
    db,
    plan_group,
    dossier,
):
    cli.add_command(_command)
import_group.add_command(denominators_cmd)  # mmm import denominators (mmm.cli.rates)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="mmm")
