"""``mmm dossier``: write a perimeter's meeting dossier (one self-contained HTML file).

The dossier is the web app's page (same template, words and translations as the download on
``/reports/``), rendered here without a server: the command builds the app for the store and
renders inside a request context, like ``mmm serve`` starts it. The file is written atomically
and its download is audited with its purpose, as on the web.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import click

from mmm.access.vocabulary import LANGUAGES
from mmm.cli.common import PURPOSES, cli_actor, command_store
from mmm.errors import NotFound


@click.command("dossier")
@click.option("--perimeter", "name", required=True, help="The perimeter's name.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@click.option("--from", "first", metavar="YYYY-MM", help="First month of the counts table.")
@click.option("--to", "last", metavar="YYYY-MM", help="Last month of the counts table.")
@click.option("--language", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@click.option("--purpose", type=click.Choice(PURPOSES), default="meeting", show_default=True)
@click.pass_context
def dossier(
    ctx: click.Context,
    name: str,
    out: Path,
    first: str | None,
    last: str | None,
    language: str,
    purpose: str,
) -> None:
    """Write the meeting dossier of a perimeter: map, counts per month, partners, plans."""
    from flask_babel import force_locale

    from mmm.access.rules import EVERYTHING
    from mmm.present.dossier import perimeter_dossier, record_download
    from webmap import create_app
    from webmap.reports.render import dossier_page

    store = command_store(ctx)
    shapes = store.perimeters()
    match = shapes[shapes["name"] == name]
    if match.empty:
        raise NotFound(f"no perimeter named {name!r} (see `mmm status` or the perimeters page)")
    perimeter_id = int(match["id"].iloc[0])
    found = perimeter_dossier(
        store, perimeter_id, EVERYTHING, today=date.today(), first=first, last=last,
        language=language,
    )  # fmt: skip
    app = create_app({"MMM_STORE": store.url, "SECRET_KEY": "mmm-dossier (no sessions)"})
    with app.test_request_context("/"), force_locale(language):
        html = dossier_page(found)
    _write_atomically(out, html)
    period = found.perimeter.period
    detail = {"format": "html", "from": period.first, "to": period.last}
    record_download(store, cli_actor(), "dossier", str(perimeter_id), purpose, detail)
    click.echo(f"Dossier of {name!r} ({period.first} – {period.last}) written to {out}")


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
