"""``mmm near-repeat``: the near-repeat (Knox) test of one phenomenon, as Ratcliffe's Near Repeat
Calculator reports it.

A thin click command around :func:`mmm.hotspots.near_repeat.store_near_repeats`: parse the bands,
run, print the observed, expected and Knox-ratio tables (rows = distance, columns = days) and
their reading in words (:func:`mmm.hotspots.near_repeat_alerts.near_repeat_reach`), or one JSON
document with ``--json`` (its ``reach``: ``distance_m`` and ``days``, or null). Only counts of pairs are printed, no incident rows, so
nothing is audited. numpy, pandas and scipy load when the command runs: ``--help`` stays light.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

import click

from mmm.cli.common import DATE, command_store, day_range

if TYPE_CHECKING:
    from mmm.hotspots.near_repeat import NearRepeat


def _numbers(text: str, param: str) -> tuple[float, ...]:
    """``"0,100,200"`` → ``(0.0, 100.0, 200.0)``."""
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r}: write upper bounds separated by commas, e.g. 0,100,200", param_hint=param
        ) from None


@click.command("near-repeat")
@click.option("--phenomenon", required=True, metavar="P", help="Phenomenon code, e.g. burglary.")
@click.option(
    "--distance-bands",
    default="0,100,200,300,400,500",
    show_default=True,
    metavar="M,M,…",
    help="Upper bounds in metres; a pair counts in the first band at least its distance "
    "(0 = the same spot).",
)
@click.option(
    "--time-bands",
    default="0,7,14,21,28,35,42,49,56",
    show_default=True,
    metavar="D,D,…",
    help="Upper bounds in whole days; a pair counts in the first band at least its days apart "
    "(0 = the same day).",
)
@click.option("--from", "start", type=DATE, help="First day (inclusive), YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option(
    "--permutations",
    type=int,
    default=999,
    show_default=True,
    metavar="N",
    help="Shuffles of the dates for the p-values.",
)
@click.option("--seed", type=int, help="Seed of the shuffles (default: a fresh one, printed).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def near_repeat_cmd(
    ctx: click.Context,
    phenomenon: str,
    distance_bands: str,
    time_bands: str,
    start: datetime | None,
    end: datetime | None,
    permutations: int,
    seed: int | None,
    as_json: bool,
) -> None:
    """Near repeats: are incidents close in space also close in time (Knox test)?"""
    from mmm.hotspots.near_repeat import store_near_repeats
    from mmm.hotspots.near_repeat_alerts import near_repeat_reach

    first, last = day_range(start, end)
    days = _numbers(time_bands, "--time-bands")
    if any(d != int(d) for d in days):
        raise click.BadParameter(f"{time_bands!r}: whole days", param_hint="--time-bands")
    table, undated = store_near_repeats(
        command_store(ctx),
        phenomenon,
        _numbers(distance_bands, "--distance-bands"),
        tuple(int(d) for d in days),
        start=first,
        end=last,
        permutations=permutations,
        seed=seed,
    )
    reach = near_repeat_reach(table)
    if as_json:
        period = {"from": first and first.isoformat(), "to": last and last.isoformat()}
        document = {"phenomenon": phenomenon, **period, "undated": undated, **table.to_dict()}
        document["reach"] = None if reach is None else asdict(reach)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    print_table(table, phenomenon, undated)
    click.echo("")
    if reach is None:
        click.echo(
            "In words: no near-repeat pattern — the nearest cell (the first distance band beyond "
            "the same spot, the first time band after the same day) is not significant."
        )
    else:
        click.echo(
            f"In words: after a {phenomenon} incident, the risk nearby is raised within "
            f"{reach.distance_m:g} m for {reach.days} days (the significant cells next to the "
            "first one, p < 0.05; the same spot and the same day left out)."
        )


def print_table(table: NearRepeat, phenomenon: str, undated: int) -> None:
    """Print the observed, expected and Knox-ratio tables, labelled as the calculator does."""
    import pandas as pd

    def frame(values: object) -> pd.DataFrame:
        out = pd.DataFrame(values, index=table.distance_labels(), columns=table.time_labels())
        out.index.name = "distance \\ time apart"
        return out

    left_out = f" ({undated:,} undated left out)" if undated else ""
    click.echo(
        f"Near repeats of {phenomenon}: {table.events:,} dated incidents{left_out}, "
        f"{table.pairs:,} pairs"
    )
    click.echo(
        "Rows: distance between the two incidents of a pair; columns: days between their "
        "dates. A pair counts in the first band whose upper bound is at least its distance "
        f"(days); pairs beyond {table.distance_bands[-1]:g} m or {table.time_bands[-1]} days "
        "count only in the expected values."
    )
    click.echo("\nObserved pairs")
    click.echo(frame(table.observed).to_string())
    click.echo("\nExpected pairs without space-time interaction (the mean over shuffled dates)")
    click.echo(frame(table.expected).to_string(float_format=lambda v: f"{v:.1f}"))
    cells = [
        [
            f"{ratio:.2f} (p {p:.3f}){'*' if p < 0.05 and ratio > 1 else ''}"
            if ratio == ratio
            else "–"
            for ratio, p in zip(ratio_row, p_row, strict=True)
        ]
        for ratio_row, p_row in zip(table.ratio, table.p, strict=True)
    ]
    click.echo(
        f"\nKnox ratio observed / expected and p-value ({table.permutations} shuffles of the "
        f"dates, seed {table.seed}); * = more pairs than chance, p < 0.05"
    )
    click.echo(frame(cells).to_string())
