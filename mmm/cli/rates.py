"""``mmm import denominators`` and ``mmm rates``: what rates divide by, and the rates.

Thin click commands around :func:`mmm.io.denominators.import_denominators` (a polygon layer,
or a value per perimeter, replacing the stored rows of one kind) and
:func:`mmm.rates.tables.perimeter_rates` / :func:`~mmm.rates.tables.cell_rates` (counts of a
period per 1,000 of the denominator, raw and Empirical Bayes smoothed, global and local).
geopandas, shapely and the rest load when a command runs: ``--help`` stays light.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from mmm.cli.common import (
    DATE,
    cli_actor,
    command_store,
    day_range,
    default_rejects,
    print_import_report,
    rejects_option,
)


@click.command("denominators")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--value", required=True, metavar="COL", help="Column with the number (residents…).")
@click.option(
    "--kind",
    default="residents",
    show_default=True,
    metavar="K",
    help="What the numbers count: residents, dwellings, households… (replaces that kind).",
)
@click.option(
    "--perimeter",
    metavar="COL",
    help="Column naming a stored perimeter: one value per perimeter instead of polygons.",
)
@click.option("--id", "idcol", metavar="COL", help="Column with each polygon's id (cd_sector…).")
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--crs", help="CRS of a file that declares none (CSV with WKT), e.g. EPSG:31370.")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@rejects_option
@click.pass_context
def denominators_cmd(
    ctx: click.Context,
    file: Path,
    value: str,
    kind: str,
    perimeter: str | None,
    idcol: str | None,
    layer: str | None,
    crs: str | None,
    dry_run: bool,
    rejects: Path | None,
) -> None:
    """Import what rates divide by (residents per statistical sector, or per perimeter)."""
    from mmm.io.denominators import import_denominators

    report = import_denominators(
        command_store(ctx),
        file,
        value=value,
        kind=kind,
        perimeter=perimeter,
        id=idcol,
        layer=layer,
        crs=crs,
        dry_run=dry_run,
        actor=cli_actor(),
    )
    print_import_report(report, rejects or default_rejects(file))


@click.command("rates")
@click.option("--kind", default="residents", show_default=True, metavar="K", help="Denominator.")
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
    "--cell",
    "cell_m",
    type=float,
    metavar="M",
    help="Rates per grid cell of M metres instead of per perimeter (needs a polygon layer).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the whole table: .csv (per perimeter), or .gpkg / .geojson / .csv (cells).",
)
@click.pass_context
def rates_cmd(
    ctx: click.Context,
    kind: str,
    phenomena: tuple[str, ...],
    start: datetime | None,
    end: datetime | None,
    cell_m: float | None,
    out: Path | None,
) -> None:
    """Rates per 1,000 (raw, Empirical Bayes global and local) per perimeter or grid cell."""
    from mmm.io.writers import WRITERS
    from mmm.rates.tables import cell_rates, perimeter_rates

    if out is not None and out.suffix.lower().lstrip(".") not in WRITERS:
        raise click.BadParameter(f"{out.name}: use .csv, .gpkg or .geojson", param_hint="--out")
    first, last = day_range(start, end)
    store = command_store(ctx)
    known = sorted(store.phenomena()["code"].astype(str))
    unknown = sorted(set(phenomena) - set(known))
    if unknown:
        raise click.BadParameter(
            f"unknown phenomenon code {', '.join(unknown)}; known: {', '.join(known)}",
            param_hint="--phenomenon",
        )
    codes = list(dict.fromkeys(phenomena)) or known
    if cell_m is None:
        table = perimeter_rates(store, kind, codes, start=first, end=last)
    else:
        table = cell_rates(store, kind, codes, cell_m=cell_m, start=first, end=last)
    period = f"{first or '…'} – {last or '…'}"
    around = "the 8 surrounding cells" if cell_m else "perimeters within 500 m"
    click.echo(
        f"Rates per 1,000 {kind}, {period}: raw, Empirical Bayes towards the zone's rate "
        f"(eb_global) and towards the neighbours' (eb_local: {around}), as GeoDa computes "
        "them; no rate where the denominator is 0."
    )
    shown = table.drop(columns=[c for c in ("geometry", "perimeter_id") if c in table.columns])
    if cell_m is not None:
        shown = shown[shown["count"] > 0].sort_values("eb_local", ascending=False).head(20)
        click.echo(
            f"The 20 cells of {cell_m:g} m with the highest local EB rate (of {len(table):,} "
            "rows; --out writes them all):"
        )
    click.echo(shown.to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep="–"))
    if out is not None:
        WRITERS[out.suffix.lower().lstrip(".")](table, out, "rates")
        click.echo(f"Wrote {len(table):,} rows to {out}")
