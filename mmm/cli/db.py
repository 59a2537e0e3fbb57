"""The store itself: ``mmm status`` (what it holds) and ``mmm db …`` (upgrades, copies, backups).

``mmm db upgrade`` brings a store's schema to the newest revision; ``mmm db copy`` copies a
store into an empty one (e.g. SQLite to PostGIS), verified by row counts and checksums;
``mmm db backup`` and ``mmm db restore`` (:mod:`mmm.store.backup`) save a store while the app
runs and fill an empty one from that, verified by the same checksums.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from mmm.cli.common import command_store


@click.command("status")
@click.pass_context
def status_cmd(ctx: click.Context) -> None:
    """What the store holds."""
    from mmm.store.urls import safe_url

    store = command_store(ctx)
    click.echo(f"Store {safe_url(store.url)} (schema revision {store.schema_version()})")
    for name, n in store.totals().items():
        click.echo(f"  {name:<15} {n:>10,}")
    zone = store.zone()
    if zone is None:
        click.echo("  zone           none yet")
    else:
        how = "no outline imported yet" if zone.derived else "imported outline"
        click.echo(f"  zone           {zone.name} ({how}), {zone.geometry.area / 1e6:,.2f} km²")


@click.group("db")
def db() -> None:
    """Schema upgrades, copies between stores, backups and restores."""


@db.command("upgrade")
@click.option(
    "--store", "store_url", metavar="URL", help="Store to upgrade (default: mmm --store)."
)
@click.pass_context
def upgrade_cmd(ctx: click.Context, store_url: str | None) -> None:
    """Bring the store's schema to this version's newest revision (one transaction)."""
    from mmm.store import migrate, migration_engine
    from mmm.store.urls import safe_url

    url = store_url or ctx.find_root().obj["store_url"]
    engine = migration_engine(url)
    try:
        done = migrate.upgrade(engine, safe_url(url))
    finally:
        engine.dispose()
    if done.before is None:
        click.echo(f"Created the store {safe_url(url)} at schema revision {done.after}")
        return
    if done.adopted:
        click.echo(f"Recorded schema revision {done.before} for a store from before revisions")
    if done.before == done.after:
        click.echo(f"The store {safe_url(url)} is already at schema revision {done.after}")
    else:
        click.echo(f"Upgraded {safe_url(url)} from schema revision {done.before} to {done.after}")


@db.command("copy")
@click.option("--from", "source", required=True, metavar="URL", help="Store to copy from.")
@click.option("--to", "target", required=True, metavar="URL", help="Empty store to copy into.")
def copy_cmd(source: str, target: str) -> None:
    """Copy every table into an empty store, verified by row counts and checksums."""
    from mmm.store.copy import copy_store
    from mmm.store.urls import safe_url

    start = time.perf_counter()
    with _table_progress() as progress:
        copied = copy_store(source, target, progress=progress)
    seconds = time.perf_counter() - start
    click.echo(f"Copied {safe_url(source)} to {safe_url(target)} in {seconds:.1f} s")
    click.echo(f"  {'table':<20} {'rows':>12}  checksum (same on both sides)")
    for table in copied:
        click.echo(f"  {table.table:<20} {table.rows:>12,}  {table.checksum}")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup_cmd(ctx: click.Context, file: Path) -> None:
    """Back the store up into FILE while the app runs (SQLite's online backup, pg_dump for
    PostGIS), with FILE.checksums.json beside it."""
    from mmm.store.backup import backup_store, checksums_path
    from mmm.store.urls import safe_url

    url = ctx.find_root().obj["store_url"]
    start = time.perf_counter()
    with _table_progress() as progress:
        pages = (lambda done, total: progress("pages", done, total)) if progress else None
        taken = backup_store(url, file, progress=pages)
    seconds = time.perf_counter() - start
    click.echo(
        f"Backed up {safe_url(url)} (schema revision {taken.revision}) to {file} "
        f"in {seconds:.1f} s; checksums in {checksums_path(file)}"
    )
    _print_tables(taken.tables)


@db.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore_cmd(ctx: click.Context, file: Path) -> None:
    """Restore the backup FILE into the store, which must be empty; every table is checked
    against FILE.checksums.json (the checksums of mmm db copy)."""
    from mmm.store.backup import restore_store
    from mmm.store.urls import safe_url

    url = ctx.find_root().obj["store_url"]
    start = time.perf_counter()
    taken, restored = restore_store(file, url)
    seconds = time.perf_counter() - start
    click.echo(
        f"Restored {file} (taken {taken.taken_at}, schema revision {taken.revision}) into "
        f"{safe_url(url)} in {seconds:.1f} s"
    )
    _print_tables(restored)


def _print_tables(tables: list[Any]) -> None:
    click.echo(f"  {'table':<20} {'rows':>12}  checksum (the same in the backup and the store)")
    for table in tables:
        click.echo(f"  {table.table:<20} {table.rows:>12,}  {table.checksum}")


@contextmanager
def _table_progress() -> Iterator[Any]:
    """A tqdm bar per large table on a terminal (as ``mmm import`` shows), else nothing."""
    from mmm.settings import load_settings

    min_rows = load_settings().progress_min_rows
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(table: str, done: int, total: int) -> None:
        if total < min_rows:
            return
        if table not in bars:
            bars[table] = tqdm(total=total, unit=" rows", desc=table, file=sys.stderr)
        bars[table].update(done - bars[table].n)

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()
