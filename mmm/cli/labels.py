"""``mmm label``: the display name of a phenomenon or perimeter in one interface language.

A thin click command around :func:`mmm.access.labels.set_label`; where no label is given, the
display falls back to the phenomenon's code or the perimeter's name.
"""

from __future__ import annotations

import click

from mmm.access.vocabulary import LANGUAGES
from mmm.cli.common import cli_actor, command_store


@click.command("label")
@click.argument("kind", type=click.Choice(["phenomenon", "perimeter"]))
@click.argument("key")
@click.argument("label")
@click.option("--language", required=True, type=click.Choice(LANGUAGES))
@click.pass_context
def label_cmd(ctx: click.Context, kind: str, key: str, label: str, language: str) -> None:
    """Give a phenomenon (by code) or perimeter (by name) a display LABEL in one language."""
    from mmm.access.labels import set_label

    set_label(command_store(ctx), kind, key, language, label, actor=cli_actor())
    click.echo(f"{kind} {key!r} is shown as {label!r} in {language}")
