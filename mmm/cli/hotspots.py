"""``mmm hotspots`` and ``mmm weights``: the multi-phenomenon hotspot analysis.

``hotspots`` is a thin click command around :func:`mmm.hotspots.run.run_hotspots`: parse the
options, run, print a summary and write the files. ``weights`` shows or sets the zone's stored
per-phenomenon weights, which a run uses unless ``--weights`` overrides them. The analysis (and
numpy, pandas, scipy) is imported when a command runs: ``mmm --help`` stays light.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from mmm.cli.common import DATE, cli_actor, command_store, to_day

if TYPE_CHECKING:
    from mmm.hotspots.results import HotspotResult


def _weights(values: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """``("drugs=2", "vandalism=0.5")`` → ``(("drugs", 2.0), ("vandalism", 0.5))``."""
    out = []
    for value in values:
        code, sep, number = value.partition("=")
        try:
            weight = float(number)
        except ValueError:
            weight = float("nan")
        if not sep or not code.strip() or not math.isfinite(weight):
            raise click.BadParameter(
                f"{value!r}: write CODE=WEIGHT, e.g. drugs=2", param_hint="--weights"
            )
        out.append((code.strip(), weight))
    return tuple(out)


def zone_weights(
    stored: dict[str, float],
    given: tuple[tuple[str, float], ...],
    phenomena: tuple[str, ...] = (),
) -> tuple[tuple[str, float], ...]:
    """The run's weights: the zone's stored ones, overridden by those given on the command line.

    Only the analysed phenomena (all when none are chosen) keep a stored weight, so a run on a
    few phenomena is not refused for weights the user did not type; weights of 1 are left out
    (1 is the default).
    """
    merged = {
        code: w for code, w in stored.items() if w != 1.0 and (not phenomena or code in phenomena)
    }
    merged.update(given)
    return tuple(sorted(merged.items()))


@click.command("weights")
@click.argument("weights", nargs=-1, metavar="[CODE=W]...")
@click.pass_context
def weights_cmd(ctx: click.Context, weights: tuple[str, ...]) -> None:
    """Show, or set, the zone's per-phenomenon weights in the hotspot score (ZVP priorities)."""
    store = command_store(ctx)
    if weights:
        store.set_phenomenon_weights(dict(_weights(weights)), actor=cli_actor())
    stored = store.phenomenon_weights()
    if not stored:
        click.echo("No phenomena yet: import incidents first.")
    for code, weight in sorted(stored.items()):
        click.echo(f"{code:<30} {weight:g}")


@click.command("hotspots")
@click.option(
    "--cell",
    "cell_m",
    type=float,
    default=100.0,
    show_default=True,
    metavar="M",
    help="Cell size in metres.",
)
@click.option(
    "--distance",
    "distance_m",
    type=float,
    metavar="M",
    help="Gi* neighbourhood in metres, centre to centre (default: 2 cells).",
)
@click.option("--from", "start", type=DATE, help="First day (inclusive), YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option(
    "--phenomenon",
    "phenomena",
    multiple=True,
    metavar="P",
    help="Phenomenon code to analyse (repeat; default: all).",
)
@click.option(
    "--min-hot",
    type=int,
    default=2,
    show_default=True,
    metavar="N",
    help="Hot phenomena a cell needs to be a multi-phenomenon hotspot.",
)
@click.option(
    "--confidence",
    type=click.Choice(["90", "95", "99"]),
    default="95",
    show_default=True,
    help="Gi* confidence (%) at which a cell counts as hot.",
)
@click.option("--no-fdr", is_flag=True, help="No False Discovery Rate correction of the bins.")
@click.option(
    "--weights",
    "weights",
    multiple=True,
    metavar="CODE=W",
    help="Weight of a phenomenon in the composite score (repeat; default: the zone's stored "
    "weights, see `mmm weights`, else 1).",
)
@click.option(
    "--kde-bandwidth",
    "kde_bandwidth_m",
    type=float,
    metavar="M",
    help="KDE bandwidth in metres (default: 3 cells).",
)
@click.option(
    "--colocation", is_flag=True, help="Print the co-location quotients of every pair of phenomena."
)
@click.option(
    "--permutations",
    type=int,
    default=99,
    show_default=True,
    metavar="N",
    help="Random relabellings of the co-location test.",
)
@click.option(
    "--split",
    type=DATE,
    help="Also measure hit rate and PAI: hotspots before this day, incidents from it.",
)
@click.option(
    "--emerging",
    is_flag=True,
    help="Also sort every cell into Esri's 17 emerging hot/cold spot patterns (space-time Gi*, "
    "FDR per step, Mann-Kendall); --cells-out gets a column `emerging`.",
)
@click.option(
    "--step",
    type=click.Choice(["month", "quarter"]),
    default="month",
    show_default=True,
    help="Time step of --emerging (at least 10 steps in the period).",
)
@click.option(
    "--time-window",
    type=int,
    default=1,
    show_default=True,
    metavar="K",
    help="Previous time steps in each bin's space-time neighbourhood (--emerging).",
)
@click.option(
    "--min-incidents",
    "min_incidents",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    metavar="N",
    help="Incidents of its phenomena a candidate perimeter needs inside its own polygon "
    "(counted as the adopted perimeter will count them); fewer: set aside, and said so.",
)
@click.option(
    "--cells-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one row per cell × phenomenon: .gpkg, .geojson or .csv (WKT).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the candidate perimeters: .geojson or .gpkg (or .csv).",
)
@click.pass_context
def hotspots(
    ctx: click.Context,
    cell_m: float,
    distance_m: float | None,
    start: datetime | None,
    end: datetime | None,
    phenomena: tuple[str, ...],
    min_hot: int,
    confidence: str,
    no_fdr: bool,
    weights: tuple[str, ...],
    kde_bandwidth_m: float | None,
    colocation: bool,
    permutations: int,
    split: datetime | None,
    emerging: bool,
    step: str,
    time_window: int,
    min_incidents: int,
    cells_out: Path | None,
    out: Path | None,
) -> None:
    """Find multi-phenomenon hotspots (Gi* with FDR) and draw candidate perimeters."""
    from mmm.hotspots.options import HotspotOptions
    from mmm.hotspots.run import run_hotspots

    for name in ("step", "time_window"):
        if not emerging and ctx.get_parameter_source(name) != ParameterSource.DEFAULT:
            raise click.UsageError(f"--{name.replace('_', '-')} goes with --emerging")
    for path in (cells_out, out):
        _check_suffix(path)
    store = command_store(ctx)
    options = HotspotOptions(
        cell_m=cell_m,
        distance_m=distance_m,
        start=to_day(start),
        end=to_day(end),
        phenomena=tuple(dict.fromkeys(phenomena)),
        min_hot=min_hot,
        confidence=int(confidence),
        fdr=not no_fdr,
        weights=zone_weights(store.phenomenon_weights(), _weights(weights), phenomena),
        kde_bandwidth_m=kde_bandwidth_m,
        colocation=colocation,
        permutations=permutations,
        split=to_day(split),
        emerging_step=step if emerging else None,
        time_window=time_window,
        candidate_min_incidents=min_incidents,
    )
    result = run_hotspots(store, options)
    zone = store.zone()
    print_summary(result, zone.name if zone is not None else "the zone")
    for path, frame, what in (
        (cells_out, result.cells, "hotspot_cells"),
        (out, lambda: result.candidates, "hotspot_candidates"),
    ):
        if path is None:
            continue
        from mmm.io.writers import WRITERS

        table = frame()
        WRITERS[path.suffix.lower().lstrip(".")](table, path, what)
        store.record(cli_actor(), "export", what, "", {"file": path.name, "rows": len(table)})
        click.echo(f"Wrote {len(table):,} rows to {path}")


def _check_suffix(path: Path | None) -> None:
    from mmm.io.writers import WRITERS

    if path is not None and path.suffix.lower().lstrip(".") not in WRITERS:
        raise click.BadParameter(
            f"{path.name}: use one of {', '.join('.' + s for s in WRITERS)}",
            param_hint="--cells-out / --out",
        )


def print_summary(result: HotspotResult, zone_name: str) -> None:
    """Print what a run found: per phenomenon, warnings, multi-phenomenon cells, candidates."""
    import pandas as pd

    from mmm.hotspots.trend import TRENDS

    o = result.options
    period = f"{result.start or '…'} – {result.end or '…'}"
    click.echo(
        f"Hotspots in {zone_name}: {result.grid.n_cells:,} cells of {o.cell_m:g} m, "
        f"period {period} ({len(result.quarters)} quarters)"
    )
    click.echo(
        f"Gi* within {o.neighbourhood_m:g} m (the cell itself included), FDR correction "
        f"{'on' if o.fdr else 'off'}, hot = {o.confidence} % confidence or more; "
        "z and p are uncorrected, only the bins are FDR-corrected"
    )
    rows = []
    for la in result.layers:
        trend = pd.Series(la.trend[la.hot]).value_counts()
        rows.append(
            {
                "phenomenon": la.phenomenon,
                "incidents": la.incidents,
                "cells>0": la.cells_with_data,
                "hot": int(la.hot.sum()),
                "cold": int(la.cold.sum()),
                **{t: int(trend.get(t, 0)) for t in TRENDS},
                "weight": la.weight,
                "note": "insufficient data" if la.warning else "",
            }
        )
    if rows:
        click.echo("")
        click.echo(pd.DataFrame(rows).to_string(index=False))
    for warning in result.warnings:
        click.echo(f"warning: {warning.message}")
    if result.steps:
        print_emerging(result)

    multi = result.hotspot_cells()
    multi = multi[multi["multi_hotspot"]]
    click.echo("")
    click.echo(
        f"Multi-phenomenon hotspots (hot for {o.min_hot} or more phenomena): {len(multi):,} cells"
    )
    for row in multi.head(5).itertuples():
        click.echo(f"  {row.cell}  composite {row.composite:.2f}  {row.why}")
    if len(multi) > 5:
        click.echo(f"  … and {len(multi) - 5:,} more (--cells-out writes them all)")
    borrowed = int(sum(la.through_neighbours.sum() for la in result.layers))
    if borrowed:
        click.echo(
            f"  {borrowed:,} hot cell × phenomenon pair{'s' * (borrowed != 1)} hold no incident "
            "of their own: hot through their neighbours only (column through_neighbours)"
        )
    print_candidates(result)

    if o.colocation:
        click.echo("")
        if result.colocation is None:
            click.echo("Co-location: fewer than 2 incidents in the study area")
        else:
            table = result.colocation.to_frame()
            click.echo(
                f"Co-location quotients A → B ({result.colocation.permutations} permutations; "
                "1 = as expected, > 1 B is found next to A more often)"
            )
            click.echo(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))

    if result.accuracy:
        click.echo("")
        click.echo(f"Hit rate and PAI: hotspots before {o.split}, incidents from it on")
        table = pd.DataFrame([asdict(a) for a in result.accuracy]).drop(columns="split")
        table["note"] = table["note"].fillna("")
        click.echo(table.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}"))


def print_candidates(result: HotspotResult) -> None:
    """Print the candidates kept and, one line each, the outlines set aside and why."""
    cands = result.candidates
    click.echo(
        f"Candidate perimeters: {len(cands)} (each holds at least "
        f"{result.options.candidate_min_incidents} incidents of its phenomena inside its own "
        "polygon, counted as the adopted perimeter will count them)"
    )
    for row in cands.itertuples():
        click.echo(f"  {row.name:<13} {row.area_ha:>7.2f} ha  {row.cells:>4} cells  {row.counts}")
    aside = result.set_aside
    if aside is not None and len(aside):
        click.echo(f"Set aside: {len(aside)} outline{'s' * (len(aside) != 1)} of hot cells")
        for row in aside.itertuples():
            click.echo(f"  {row.area_ha:>7.2f} ha  {row.cells:>4} cells  {row.reason}")


def print_emerging(result: HotspotResult) -> None:
    """Print how many cells of each phenomenon fall into each emerging pattern."""
    import pandas as pd

    from mmm.hotspots.emerging import CATEGORIES

    o = result.options
    unit = o.emerging_step or "step"
    window = f"the {o.time_window} previous {unit}{'s' * (o.time_window != 1)}"
    click.echo("")
    click.echo(
        f"Emerging hot and cold spots over {len(result.steps)} {unit}s "
        f"({result.steps[0]} – {result.steps[-1]}): space-time Gi* within "
        f"{o.neighbourhood_m:g} m and {window}, hot/cold = {o.confidence} % confidence in a "
        f"{unit} (FDR per {unit}: {'on' if o.fdr else 'off'}), trend = Mann-Kendall on the "
        f"z-scores at {o.trend_alpha:g}"
    )
    mask = result.grid.mask
    counts = {
        la.phenomenon: pd.Series(la.emerging[mask]).value_counts()
        for la in result.layers
        if la.emerging is not None
    }
    seen = [c for c in CATEGORIES if any(c in found.index for found in counts.values())]
    rows = [
        {"phenomenon": code, **{c: int(found.get(c, 0)) for c in seen}}
        for code, found in counts.items()
    ]
    if rows:
        click.echo(pd.DataFrame(rows).to_string(index=False))
