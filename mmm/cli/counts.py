"""``mmm aggregate`` and ``mmm export``: counts per perimeter, and data for QGIS and partners.

``aggregate`` counts in this process (:mod:`mmm.counting.count`), in the database
(:mod:`mmm.counting.database`) or on a dask cluster (:mod:`mmm.counting.cluster`); ``export``
writes perimeters, incidents or counts through :mod:`mmm.present.export`, audited with its
purpose.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mmm.cli.common import DATE, PURPOSES, cli_actor, command_store, day_range, progress_bar

if TYPE_CHECKING:
    import pandas as pd


@click.command("aggregate")
@click.option(
    "--period",
    type=click.Choice(["month", "quarter", "year", "all"]),
    default="month",
    show_default=True,
)
@click.option("--from", "start", type=DATE, help="First day (inclusive), YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV file to write.")
@click.option(
    "--engine",
    type=click.Choice(["memory", "database", "dask"]),
    default="memory",
    show_default=True,
    help="Count in this process, in the database (PostGIS stores only), or in partitions on "
    "a dask cluster (needs the dask extra).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="--engine dask: worker processes of the local cluster (default: the cores here).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="--engine dask: a running dask scheduler (tcp://host:8786) instead of a local cluster.",
)
@click.pass_context
def aggregate_cmd(
    ctx: click.Context,
    period: str,
    start: datetime | None,
    end: datetime | None,
    out: Path | None,
    engine: str,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Count incidents per perimeter × phenomenon × period (CSV to --out or stdout)."""
    from mmm.counting.count import aggregate
    from mmm.counting.database import aggregate_in_database
    from mmm.io.writers import write_csv

    if engine != "dask" and (workers is not None or scheduler is not None):
        raise click.UsageError("--workers and --scheduler need --engine dask")
    if workers is not None and scheduler is not None:
        raise click.UsageError("--workers sets up a local cluster; a --scheduler has its own")
    first, last = day_range(start, end)
    if engine == "dask":
        table = _aggregate_on_cluster(ctx, period, first, last, workers, scheduler)
    else:
        run = aggregate_in_database if engine == "database" else aggregate
        table = run(
            command_store(ctx),
            period=period,  # type: ignore[arg-type]
            start=first,
            end=last,
        )
    if out is None:
        write_csv(table, sys.stdout)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(table, out)
    click.echo(f"Wrote {len(table):,} rows to {out}", err=True)


def _aggregate_on_cluster(
    ctx: click.Context,
    period: str,
    start: date | None,
    end: date | None,
    workers: int | None,
    scheduler: str | None,
) -> pd.DataFrame:
    """``aggregate --engine dask``, with a progress bar on long runs (rows counted)."""
    from mmm.counting.cluster import aggregate_on_cluster, open_cluster

    store = command_store(ctx)
    rows = store.totals()["incidents"]
    min_rows = ctx.find_root().obj["settings"].progress_min_rows
    with (
        open_cluster(workers=workers, scheduler=scheduler) as client,
        progress_bar(rows, min_rows, desc="counting") as progress,
    ):
        return aggregate_on_cluster(
            store,
            client=client,
            period=period,  # type: ignore[arg-type]
            start=start,
            end=end,
            progress=progress,
        )


@click.command("export")
@click.argument("dataset", type=click.Choice(["perimeters", "incidents", "counts"]))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .geojson (RFC 7946), .gpkg (EPSG:31370) or .csv.",
)
@click.option(
    "--period",
    type=click.Choice(["month", "quarter", "year", "all"]),
    default="all",
    show_default=True,
    help="Period of counts in a CSV (maps always hold the totals).",
)
@click.option("--from", "start", type=DATE, help="First day (inclusive), YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option(
    "--purpose",
    default="analysis",
    show_default=True,
    type=click.Choice(PURPOSES),
    help="Why the data leaves the store (written to the audit log).",
)
@click.pass_context
def export_cmd(
    ctx: click.Context,
    dataset: str,
    out: Path,
    period: str,
    start: datetime | None,
    end: datetime | None,
    purpose: str,
) -> None:
    """Export perimeters, incidents or counts for QGIS and partners."""
    from mmm.present.export import ExportOptions, export

    first, last = day_range(start, end)
    options = ExportOptions(
        period=period,  # type: ignore[arg-type]
        start=first,
        end=last,
    )
    result = export(
        command_store(ctx), dataset, out, options=options, actor=cli_actor(), purpose=purpose
    )
    click.echo(f"Wrote {result.rows:,} {dataset} to {result.path}")
