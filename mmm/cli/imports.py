"""``mmm import …``: load incidents, perimeters, the zone outline or its streets from a file.

Thin click commands around :mod:`mmm.io.imports`: each prints the import report (read, imported,
rejected per reason, notes) and writes the rejected rows to a CSV next to the input.
"""

from __future__ import annotations

from pathlib import Path

import click

from mmm.cli.common import (
    cli_actor,
    command_store,
    default_rejects,
    print_import_report,
    progress_bar,
    rejects_option,
)


@click.group("import")
def import_group() -> None:
    """Load incidents, perimeters, the zone outline or its streets from a file (CSV, GPKG, SHP,
    GeoJSON)."""


@import_group.command("incidents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--x", "xcol", metavar="COL", help="Column with the x (or longitude) coordinate.")
@click.option("--y", "ycol", metavar="COL", help="Column with the y (or latitude) coordinate.")
@click.option("--crs", help="CRS of a file that declares none (CSV), e.g. EPSG:31370.")
@click.option("--phenomenon", metavar="COL", help="Column with the phenomenon code.")
@click.option(
    "--date",
    "datecol",
    metavar="COL",
    help="Column with the date (and time); for an incident known only within a window, its "
    "start: counting by period uses it.",
)
@click.option(
    "--date-to",
    "datetocol",
    metavar="COL",
    help="Column with the end of the window an incident lies in (e.g. a burglary between "
    "leaving and coming home); kept for the time analyses. A day without a time ends at "
    "23:59:59.",
)
@click.option(
    "--map",
    "mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="CSV source,phenomenon mapping the file's values (labels or offence codes; case and "
    "accents ignored) to the zone's phenomena; rows of unmapped values are rejected.",
)
@click.option(
    "--unmapped",
    metavar="CODE",
    help="File the rows of unmapped values under this phenomenon of the zone (e.g. other) "
    "instead of rejecting them.",
)
@click.option("--id", "idcol", metavar="COL", help="Column with the incident id (e.g. PV number).")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@click.option("--keep-outside", is_flag=True, help="Keep rows far outside the zone outline.")
@click.option("--max-distance", type=float, metavar="M", help="Outside-zone tolerance in metres.")
@rejects_option
@click.pass_context
def import_incidents_cmd(
    ctx: click.Context,
    file: Path,
    layer: str | None,
    xcol: str | None,
    ycol: str | None,
    crs: str | None,
    phenomenon: str | None,
    datecol: str | None,
    datetocol: str | None,
    mapping: Path | None,
    unmapped: str | None,
    idcol: str | None,
    dry_run: bool,
    keep_outside: bool,
    max_distance: float | None,
    rejects: Path | None,
) -> None:
    """Import incidents from FILE; rejected rows go to a CSV with their reason.

    Every value of the phenomenon column must be one of the zone's phenomena (its code or a
    label) or be mapped to one with --map; without --map, other values refuse the import and
    a mapping file to fill in is written next to the rejects.
    """
    from mmm.errors import ImportRejected
    from mmm.io.crosswalk import UnknownPhenomena, crosswalk, write_mapping_template
    from mmm.io.imports import IncidentColumns, import_incidents

    settings = ctx.find_root().obj["settings"]
    store = command_store(ctx)
    walk = crosswalk(store.phenomenon_table(), mapping=mapping, unmapped=unmapped)
    rejects = rejects or default_rejects(file)
    click.echo(f"Reading {file} …", err=True)
    with progress_bar(_rough_rows(file), settings.progress_min_rows) as progress:
        try:
            report = import_incidents(
                store,
                file,
                layer=layer,
                columns=IncidentColumns(xcol, ycol, phenomenon, datecol, idcol, datetocol),
                crs=crs,
                keep_outside=keep_outside,
                max_distance_m=max_distance
                if max_distance is not None
                else settings.outside_distance_m,
                dry_run=dry_run,
                actor=cli_actor(),
                progress=progress,
                crosswalk=walk,
            )
        except UnknownPhenomena as exc:
            path = write_mapping_template(
                exc.template, rejects.with_name(f"{file.stem}.mapping.csv")
            )
            raise ImportRejected(
                f"{exc}. Nothing was imported. A mapping file to fill in: {path} (the phenomenon "
                f"column; see mmm phenomenon list), then: mmm import incidents … --map {path}"
            ) from None
    print_import_report(report, rejects)


@import_group.command("perimeters")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--name", metavar="COL", help="Column with the perimeter name.")
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:31370.")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@rejects_option
@click.pass_context
def import_perimeters_cmd(
    ctx: click.Context,
    file: Path,
    layer: str | None,
    name: str | None,
    crs: str | None,
    dry_run: bool,
    rejects: Path | None,
) -> None:
    """Import micro-local perimeters (polygons with a unique name) from FILE."""
    from mmm.io.imports import import_perimeters

    report = import_perimeters(
        command_store(ctx),
        file,
        layer=layer,
        name=name,
        crs=crs,
        dry_run=dry_run,
        actor=cli_actor(),
    )
    print_import_report(report, rejects or default_rejects(file))


@import_group.command("zone")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:31370.")
@click.pass_context
def import_zone_cmd(ctx: click.Context, file: Path, layer: str | None, crs: str | None) -> None:
    """Set the zone outline from FILE (its polygons are dissolved into one)."""
    from mmm.io.imports import import_zone

    report = import_zone(command_store(ctx), file, layer=layer, crs=crs, actor=cli_actor())
    print_import_report(report, default_rejects(file))


@import_group.command("streets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--name", metavar="COL", help="Column with the street name.")
@click.option(
    "--id",
    "idcol",
    metavar="COL",
    help="Column with the segment id to keep (default: a usual id column, else derived from "
    "each line).",
)
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:31370.")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@rejects_option
@click.pass_context
def import_streets_cmd(
    ctx: click.Context,
    file: Path,
    layer: str | None,
    name: str | None,
    idcol: str | None,
    crs: str | None,
    dry_run: bool,
    rejects: Path | None,
) -> None:
    """Replace the zone's street segments by the lines of FILE (e.g. a Road Register extract)."""
    from mmm.io.streets import import_streets

    report = import_streets(
        command_store(ctx),
        file,
        layer=layer,
        name=name,
        id=idcol,
        crs=crs,
        max_distance_m=ctx.find_root().obj["settings"].outside_distance_m,
        dry_run=dry_run,
        actor=cli_actor(),
    )
    print_import_report(report, rejects or default_rejects(file))


def _rough_rows(file: Path) -> int:
    """A cheap row estimate to decide on a progress bar (lines of a CSV, else features)."""
    if file.suffix.lower() == ".csv":
        with file.open("rb") as fh:
            return max(
                sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1, 0
            )
    try:
        import pyogrio

        return int(pyogrio.read_info(file).get("features") or 0)
    except Exception:  # only an estimate for the progress bar; reading reports real errors
        return 0
