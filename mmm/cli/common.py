"""What the ``mmm`` sub-commands share: the store, the actor, dates, progress and import reports.

Every command module imports from here, never from the group that registers it, so the modules
form no import loop. Nothing heavy is imported at module level (only :mod:`click` and the
standard library): ``mmm --help`` and every ``--help`` stay fast, and the store, pandas and the
geo stack load when a command runs.
"""

from __future__ import annotations

import getpass
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mmm.access.vocabulary import PURPOSES as PURPOSE_LABELS

if TYPE_CHECKING:  # imported when a command runs
    from mmm.io.imports import ImportReport
    from mmm.store import Progress, Store

DATE = click.DateTime(formats=["%Y-%m-%d"])
"""A ``YYYY-MM-DD`` option value (``--from``, ``--to``, ``--split``)."""

PURPOSES = tuple(PURPOSE_LABELS)
"""Why data leaves the store: the codes of :data:`mmm.access.vocabulary.PURPOSES`."""


def command_store(ctx: click.Context) -> Store:
    """The store of the running command, opened on first use and closed with the command.

    Parameters
    ----------
    ctx
        The command's context; the store URL comes from the ``mmm`` group's ``--store``.

    Returns
    -------
    Store
        The same store for every call within one command (lazily, so ``--help`` never opens it).
    """
    from mmm.store import open_store

    root = ctx.find_root().obj
    if root["store"] is None:
        store = open_store(root["store_url"])
        ctx.call_on_close(store.close)
        root["store"] = store
    return root["store"]


def cli_actor() -> str:
    """The audit log's actor for the command line: ``cli:`` and the login name, else ``cli``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def read_password(prompt: str) -> str:
    """A password from the terminal (asked twice, hidden) or the first line of stdin.

    Never an argument: it would stay in the shell's history and in the process list.
    """
    if sys.stdin.isatty():
        return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


def to_day(value: datetime | None) -> date | None:
    """The day of a :data:`DATE` option value (``None`` stays ``None``)."""
    return value.date() if value is not None else None


def day_range(start: datetime | None, end: datetime | None) -> tuple[date | None, date | None]:
    """The days of ``--from`` and ``--to``.

    Raises
    ------
    click.BadParameter
        When ``--to`` lies before ``--from`` (the count would silently be empty).
    """
    first, last = to_day(start), to_day(end)
    if first is not None and last is not None and last < first:
        raise click.BadParameter(
            f"{last} lies before --from {first}: the period would be empty", param_hint="--to"
        )
    return first, last


@contextmanager
def progress_bar(
    rows_hint: int, min_rows: int, *, desc: str = "storing", unit: str = " rows"
) -> Iterator[Progress | None]:
    """A tqdm bar on a terminal for large runs; a no-op callback otherwise.

    Parameters
    ----------
    rows_hint
        The expected number of rows (the callback corrects the total).
    min_rows
        Fewer rows than this get no bar (setting ``progress_min_rows``).
    desc, unit
        The bar's label and unit.

    Yields
    ------
    Progress or None
        A ``(done, total)`` callback, or ``None`` when no bar is shown.
    """
    if rows_hint < min_rows or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    size = shutil.get_terminal_size((80, 24))  # a fresh pty may report 0 × 0: tqdm then hides
    with tqdm(
        total=rows_hint,
        unit=unit,
        desc=desc,
        file=sys.stderr,
        ncols=size.columns,
        nrows=size.lines,
    ) as bar:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield update


def rejects_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--rejects`` option of the commands that import a file."""
    return click.option(
        "--rejects",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write rejected rows (default: FILE.rejects.csv next to the input).",
    )(f)


def default_rejects(file: Path) -> Path:
    """Where rejected rows go without ``--rejects``: ``FILE.rejects.csv`` next to the input."""
    return file.with_name(f"{file.stem}.rejects.csv")


def print_import_report(report: ImportReport, rejects_path: Path | None) -> None:
    """Print what an import read, stored and rejected, and write the rejected rows.

    Parameters
    ----------
    report
        The import's report.
    rejects_path
        The CSV file for the rejected rows (none are written when ``None``).
    """
    from mmm.io.imports import write_rejects

    verb = "Would import" if report.dry_run else "Imported"
    click.echo(f"{verb} {report.kind} from {report.source} (CRS {report.crs})")
    click.echo(f"  read      {report.read:>10,}")
    undated = f"   (undated: {report.undated:,})" if report.kind == "incidents" else ""
    click.echo(f"  imported  {report.imported:>10,}{undated}")
    written = write_rejects(report, rejects_path) if rejects_path else None
    target = f"   → {written}" if written else ""
    click.echo(f"  rejected  {len(report.rejected):>10,}{target}")
    for reason, n in report.reasons().items():
        click.echo(f"    {reason:<40} {n:>8,}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    if report.dry_run:
        click.echo("  dry run: nothing was stored")
