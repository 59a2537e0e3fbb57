"""``mmm phenomenon add|list|set``: the zone's own phenomena, as data in its store.

Each phenomenon is a code with a label per language, a weight in the multi-phenomenon hotspot
score and, when the zone sets one, its suppression threshold (counts below it are hidden from
partners; without one the ``MMM_SUPPRESS_*`` settings decide). Thin click commands around
:mod:`mmm.store.phenomena`; every change is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from mmm.access.vocabulary import LANGUAGES
from mmm.cli.common import cli_actor, command_store


def _label_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for language in reversed(LANGUAGES):
        f = click.option(f"--label-{language}", metavar="TEXT", help=f"The label in {language}.")(f)
    return f


def _labels(options: dict[str, str | None]) -> dict[str, str]:
    return {lang: value for lang in LANGUAGES if (value := options.get(f"label_{lang}"))}


@click.group("phenomenon")
def phenomenon_group() -> None:
    """The zone's phenomena: codes, labels, hotspot weights and suppression thresholds."""


@phenomenon_group.command("add")
@click.argument("code")
@_label_options
@click.option(
    "--threshold",
    type=int,
    metavar="N",
    help="Partners see counts below N as '<N' (default: the MMM_SUPPRESS_* settings).",
)
@click.option(
    "--weight", type=float, default=1.0, show_default=True, help="Weight in the hotspot score."
)
@click.pass_context
def phenomenon_add_cmd(
    ctx: click.Context, code: str, threshold: int | None, weight: float, **labels: str | None
) -> None:
    """Add the phenomenon CODE (lower-case letters, digits, underscores) with its labels."""
    store = command_store(ctx)
    store.add_phenomenon(
        code, _labels(labels), weight=weight, threshold=threshold, actor=cli_actor()
    )
    click.echo(f"Added phenomenon {code!r}")


@phenomenon_group.command("set")
@click.argument("code")
@_label_options
@click.option("--threshold", type=int, metavar="N", help="Partners see counts below N as '<N'.")
@click.option(
    "--default-threshold",
    is_flag=True,
    help="Remove the zone's threshold: the MMM_SUPPRESS_* settings decide again.",
)
@click.option("--weight", type=float, help="Weight in the hotspot score (0–100).")
@click.pass_context
def phenomenon_set_cmd(
    ctx: click.Context,
    code: str,
    threshold: int | None,
    default_threshold: bool,
    weight: float | None,
    **labels: str | None,
) -> None:
    """Change the labels, threshold or weight of the phenomenon CODE (the rest stays)."""
    store = command_store(ctx)
    store.set_phenomenon(
        code,
        _labels(labels),
        weight=weight,
        threshold=threshold,
        clear_threshold=default_threshold,
        actor=cli_actor(),
    )
    click.echo(f"Changed phenomenon {code!r}")


@phenomenon_group.command("list")
@click.pass_context
def phenomenon_list_cmd(ctx: click.Context) -> None:
    """The phenomena: code, weight, the threshold that applies (and where it comes from), labels."""
    from mmm.access.rules import thresholds_of
    from mmm.settings import thresholds

    settings = ctx.find_root().obj["settings"]
    store = command_store(ctx)
    table = store.phenomenon_table()
    if table.empty:
        click.echo("No phenomena yet: add one with `mmm phenomenon add CODE --label-nl …`.")
        return
    applied = thresholds_of(store, settings.suppress_below, thresholds(settings))
    stored = store.phenomenon_thresholds()
    click.echo(f"{'code':<24} {'weight':>6} {'threshold':<18} labels (nl / fr / de / en)")
    for row in table.itertuples():
        origin = "zone" if row.code in stored else "setting"
        limit = f"{applied[row.code]} ({origin})"
        labels = " / ".join(getattr(row, f"label_{lang}") or "–" for lang in LANGUAGES)
        click.echo(f"{row.code:<24} {row.weight:>6g} {limit:<18} {labels}")
