"""``mmm evaluate``: the before/after evaluation of a perimeter (the PDCA "Check") for analysts.

A thin click command around :func:`mmm.evaluate.evaluate`: per phenomenon the eight counts, the
WDQ, the WDD with its SE, z and p, and a verdict; ``--json`` prints the same as one JSON
document. Only aggregated counts are read and printed (no incident rows), so nothing is
audited. Registered on the ``mmm`` group by :mod:`mmm.cli.group`, which turns the core's errors
(unknown perimeter, bad period, overlapping control) into one line and exit code 1.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import click

from mmm.cli.common import command_store

if TYPE_CHECKING:  # imported when the command runs: ``mmm --help`` stays light
    from mmm.evaluate import EvaluationReport


@click.command("evaluate")
@click.option("--perimeter", required=True, metavar="NAME", help="The response area R.")
@click.option(
    "--before",
    required=True,
    metavar="FROM:TO",
    help="Period before, inclusive: YYYY-MM-DD or YYYY-MM (whole months), e.g. 2024-01:2024-06.",
)
@click.option("--after", required=True, metavar="FROM:TO", help="Period after, same form.")
@click.option(
    "--control",
    default="zone",
    show_default=True,
    metavar="NAME|zone",
    help="Control area: the rest of the zone outside R and its buffer, or a perimeter's name.",
)
@click.option(
    "--buffer",
    "buffer_m",
    type=float,
    default=250.0,
    show_default=True,
    metavar="M",
    help="Width of the buffer rings around R (and the control perimeter) in metres.",
)
@click.option(
    "--phenomenon",
    "phenomena",
    multiple=True,
    metavar="CODE",
    help="Phenomenon code to evaluate (repeat; default: all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def evaluate(
    ctx: click.Context,
    perimeter: str,
    before: str,
    after: str,
    control: str,
    buffer_m: float,
    phenomena: tuple[str, ...],
    as_json: bool,
) -> None:
    """Evaluate a perimeter before/after: control area, buffer, WDQ and WDD test."""
    from mmm.evaluate import evaluate as run

    report = run(
        command_store(ctx),
        perimeter,
        before=before,
        after=after,
        control=control,
        buffer_m=buffer_m,
        phenomena=phenomena or None,
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(report)


def _num(value: float | None, digits: int) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _km2(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.3f} km²"


def print_report(report: EvaluationReport) -> None:
    """Print the evaluation as a header, a table per phenomenon, verdicts and notes."""
    import pandas as pd

    from mmm.evaluate import COUNT_KEYS

    a = report.areas_km2
    control = "the rest of the zone" if report.control == "zone" else repr(report.control)
    click.echo(f"Evaluation of {report.perimeter!r} (response area R, {_km2(a['R'])})")
    click.echo(f"  before {report.before.start} – {report.before.end}")
    click.echo(f"  after  {report.after.start} – {report.after.end}")
    click.echo(f"  buffer D: {report.buffer_m:g} m ring around R, {_km2(a['D'])}")
    click.echo(f"  control C: {control}, {_km2(a['C'])}; its buffer D_C: {_km2(a['DC'])}")
    click.echo(
        "  WDQ (Bowers & Johnson 2003): > 0 diffusion of benefits, < 0 displacement. "
        "WDD (Wheeler & Ratcliffe 2018): ΔR − ΔC + ΔD − ΔD_C, < 0 = fewer incidents than "
        "the control predicts."
    )
    rows = []
    for r in report.results:
        row: dict[str, object] = {"phenomenon": r.phenomenon}
        row.update({k: "–" if r.counts[k] is None else r.counts[k] for k in COUNT_KEYS})
        row.update(
            {
                "WDQ": _num(r.wdq, 2),
                "WDD": _num(r.wdd, 1),
                "SE": _num(r.wdd_se, 1),
                "z": _num(r.wdd_z, 2),
                "p": _p(r.wdd_p),
            }
        )
        rows.append(row)
    if not rows:
        click.echo("\nNo phenomena to evaluate.")
        return
    click.echo("")
    click.echo(pd.DataFrame(rows).to_string(index=False))
    shared = [n for n in report.results[0].notes if all(n in r.notes for r in report.results)]
    click.echo("")
    for r in report.results:
        click.echo(f"{r.phenomenon}: {r.verdict}")
        for note in r.notes:
            if note not in shared and note not in report.notes:
                click.echo(f"  note: {note}")
    notes = list(dict.fromkeys([*report.notes, *shared]))
    if notes:
        click.echo("")
        for note in notes:
            click.echo(f"Note: {note}")
