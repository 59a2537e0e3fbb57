"""``mmm demo``: the fictional demo zone "PZ Demostad", into the store or as files.

A thin click command around :mod:`mmm.demo`: zone, perimeters, streets and incidents go through
the normal import path (their reports are printed like ``mmm import``'s), then the demo
partners, action plans and log-ins are added. A store that holds anything but the demo zone is refused
before anything is written (:func:`mmm.demo.demo_store_refusal`): the demo must never mix
into a real zone, nor its published password open one.
"""

from __future__ import annotations

from pathlib import Path

import click

from mmm.cli.common import cli_actor, command_store, print_import_report


@click.command("demo")
@click.option("--seed", type=int, default=20240101, show_default=True)
@click.option(
    "--write",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the demo as files (incidents.csv, perimeters.gpkg, streets.gpkg, zone.geojson) "
    "instead.",
)
@click.pass_context
def demo_cmd(ctx: click.Context, seed: int, directory: Path | None) -> None:
    """Load the fictional demo zone (deterministic) into the store."""
    from mmm import demo
    from mmm.demo.plans import add_demo_plans
    from mmm.errors import MMMError

    if directory is not None:
        for name, path in demo.write_demo_files(directory, seed=seed).items():
            click.echo(f"Wrote {name}: {path}")
        return
    store = command_store(ctx)
    refusal = demo.demo_store_refusal(store)
    if refusal:
        raise MMMError(f"{refusal}: load the demo into a store of its own (mmm --store URL demo)")
    loaded = demo.load_demo(store, seed=seed, actor=cli_actor())
    click.echo(f"Demo zone {demo.ZONE_NAME!r} (fictional, seed {seed}) → {store.url}")
    for report in (loaded.perimeters, loaded.streets, loaded.incidents):
        print_import_report(report, None)
    assigned = demo.add_demo_partners(store, actor=cli_actor())
    click.echo(f"Demo partners: {len(demo.DEMO_PARTNERS)}, assignments: {assigned}")
    click.echo(f"Demo action plans written: {add_demo_plans(store, actor=cli_actor())}")
    click.echo(f"Demo log-ins (password {demo.DEMO_PASSWORD!r}, for the demo only):")
    for name, role in demo.add_demo_users(store, actor=cli_actor()):
        click.echo(f"  {name:<16} {role}")
