"""The ``mmm`` command: one sub-command per user task, each a few lines around a core function.

Errors the user can act on (:class:`mmm.errors.MMMError`, unreadable files, bad values) are
printed as one line on stderr with a non-zero exit code — never as a traceback.
"""

from __future__ import annotations

import getpass
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from mmm.errors import MMMError
from mmm.settings import load_settings
from mmm.store.base import Progress

DATE = click.DateTime(formats=["%Y-%m-%d"])


class _FriendlyGroup(click.Group):
    """Turns the errors a user can act on into one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (MMMError, ValueError, OSError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted: the running import or edit was rolled back.", err=True)
            ctx.exit(130)


@click.group(cls=_FriendlyGroup)
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    help="Store URL, e.g. sqlite:///path.db (default: $MMM_STORE or sqlite:///instance/mmm.sqlite).",
)
@click.version_option(package_name="mmm-planner")
@click.pass_context
def cli(ctx: click.Context, store_url: str | None) -> None:
    """MMM Planner: micro-local, multidisciplinary, multi-phenomenon planning for a police zone."""
    settings = load_settings()
    ctx.obj = {"settings": settings, "store_url": store_url or settings.store, "store": None}


def _store(ctx: click.Context) -> Any:
    """Open the store once per command (lazily, so --help never touches it)."""
    from mmm.store import open_store

    root = ctx.find_root().obj
    if root["store"] is None:
        store = open_store(root["store_url"])
        ctx.call_on_close(store.close)
        root["store"] = store
    return root["store"]


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@contextmanager
def _progress_bar(
    rows_hint: int, min_rows: int, *, desc: str = "storing", unit: str = " rows"
) -> Iterator[Progress | None]:
    """A tqdm bar on a terminal for large runs; a no-op callback otherwise."""
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


# --------------------------------------------------------------------------- import
@cli.group("import")
def import_group() -> None:
    """Load incidents, perimeters or the zone outline from a file (CSV, GPKG, SHP, GeoJSON)."""


def _rejects_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rejects",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write rejected rows (default: FILE.rejects.csv next to the input).",
    )(f)


@import_group.command("incidents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--x", "xcol", metavar="COL", help="Column with the x (or longitude) coordinate.")
@click.option("--y", "ycol", metavar="COL", help="Column with the y (or latitude) coordinate.")
@click.option("--crs", help="CRS of a file that declares none (CSV), e.g. EPSG:31370.")
@click.option("--phenomenon", metavar="COL", help="Column with the phenomenon code.")
@click.option("--date", "datecol", metavar="COL", help="Column with the date (and time).")
@click.option("--id", "idcol", metavar="COL", help="Column with the incident id (e.g. PV number).")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@click.option("--keep-outside", is_flag=True, help="Keep rows far outside the zone outline.")
@click.option("--max-distance", type=float, metavar="M", help="Outside-zone tolerance in metres.")
@_rejects_option
@click.pass_context
def import_incidents_cmd(
    ctx: click.Context,
    file: Path,
    layer: str | None,
    xcol: str | None,
    ycol: str | None,
    crs: str | None,
    phenomenon: str | None,
    datecol: str | None,
    idcol: str | None,
    dry_run: bool,
    keep_outside: bool,
    max_distance: float | None,
    rejects: Path | None,
) -> None:
    """Import incidents from FILE; rejected rows go to a CSV with their reason."""
    from mmm.io.imports import IncidentColumns, import_incidents

    settings = ctx.find_root().obj["settings"]
    click.echo(f"Reading {file} …", err=True)
    with _progress_bar(_rough_rows(file), settings.progress_min_rows) as progress:
        report = import_incidents(
            _store(ctx),
            file,
            layer=layer,
            columns=IncidentColumns(xcol, ycol, phenomenon, datecol, idcol),
            crs=crs,
            keep_outside=keep_outside,
            max_distance_m=max_distance
            if max_distance is not None
            else settings.outside_distance_m,
            dry_run=dry_run,
            actor=_actor(),
            progress=progress,
        )
    _print_report(report, rejects or _default_rejects(file))


@import_group.command("perimeters")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--name", metavar="COL", help="Column with the perimeter name.")
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:31370.")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@_rejects_option
@click.pass_context
def import_perimeters_cmd(
    ctx: click.Context,
    file: Path,
    layer: str | None,
    name: str | None,
    crs: str | None,
    dry_run: bool,
    rejects: Path | None,
) -> None:
    """Import micro-local perimeters (polygons with a unique name) from FILE."""
    from mmm.io.imports import import_perimeters

    report = import_perimeters(
        _store(ctx), file, layer=layer, name=name, crs=crs, dry_run=dry_run, actor=_actor()
    )
    _print_report(report, rejects or _default_rejects(file))


@import_group.command("zone")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--layer", "-l", help="Layer to read (GeoPackage with several layers).")
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:31370.")
@click.pass_context
def import_zone_cmd(ctx: click.Context, file: Path, layer: str | None, crs: str | None) -> None:
    """Set the zone outline from FILE (its polygons are dissolved into one)."""
    from mmm.io.imports import import_zone

    report = import_zone(_store(ctx), file, layer=layer, crs=crs, actor=_actor())
    _print_report(report, _default_rejects(file))


def _default_rejects(file: Path) -> Path:
    return file.with_name(f"{file.stem}.rejects.csv")


def _rough_rows(file: Path) -> int:
    """A cheap row estimate to decide on a progress bar (lines of a CSV, else features)."""
    if file.suffix.lower() == ".csv":
        with file.open("rb") as fh:
            return max(
                sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1, 0
            )
    try:
        import pyogrio

        return int(pyogrio.read_info(file).get("features") or 0)
    except Exception:  # only an estimate for the progress bar; reading reports real errors
        return 0


def _print_report(report: Any, rejects_path: Path | None) -> None:
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


# --------------------------------------------------------------------------- aggregate / export
@cli.command("aggregate")
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

    if engine != "dask" and (workers is not None or scheduler is not None):
        raise click.UsageError("--workers and --scheduler need --engine dask")
    if workers is not None and scheduler is not None:
        raise click.UsageError("--workers sets up a local cluster; a --scheduler has its own")
    if engine == "dask":
        table = _aggregate_on_cluster(ctx, period, _day(start), _day(end), workers, scheduler)
    else:
        run = aggregate_in_database if engine == "database" else aggregate
        table = run(_store(ctx), period=period, start=_day(start), end=_day(end))  # type: ignore[arg-type]
    if out is None:
        table.to_csv(sys.stdout, index=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    click.echo(f"Wrote {len(table):,} rows to {out}", err=True)


def _aggregate_on_cluster(
    ctx: click.Context,
    period: str,
    start: date | None,
    end: date | None,
    workers: int | None,
    scheduler: str | None,
) -> Any:
    """``aggregate --engine dask``, with a progress bar on long runs (rows counted)."""
    from mmm.counting.cluster import aggregate_on_cluster, open_cluster

    store = _store(ctx)
    rows = store.totals()["incidents"]
    min_rows = ctx.find_root().obj["settings"].progress_min_rows
    with (
        open_cluster(workers=workers, scheduler=scheduler) as client,
        _progress_bar(rows, min_rows, desc="counting") as progress,
    ):
        return aggregate_on_cluster(
            store,
            client=client,
            period=period,  # type: ignore[arg-type]
            start=start,
            end=end,
            progress=progress,
        )


@cli.command("export")
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
    type=click.Choice(["analysis", "operations", "meeting", "evaluation", "judicial"]),
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

    options = ExportOptions(period=period, start=_day(start), end=_day(end))  # type: ignore[arg-type]
    result = export(_store(ctx), dataset, out, options=options, actor=_actor(), purpose=purpose)
    click.echo(f"Wrote {result.rows:,} {dataset} to {result.path}")


# --------------------------------------------------------------------------- users
@cli.group("user")
def user_group() -> None:
    """Manage the people who log in to the web app."""


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role", required=True, type=click.Choice(["admin", "analyst", "officer", "partner"])
)
@click.option("--partner", "partner", metavar="ORG", help="Organisation of a partner user.")
@click.option(
    "--language", default="nl", show_default=True, type=click.Choice(["nl", "fr", "de", "en"])
)
@click.pass_context
def user_add_cmd(
    ctx: click.Context, name: str, role: str, partner: str | None, language: str
) -> None:
    """Add a user; the password is asked for (or read from stdin), never given as an argument."""
    from mmm.access.users import add_user

    password = _read_password("Password")
    user = add_user(
        _store(ctx), name, password, role=role, partner=partner, language=language, actor=_actor()
    )
    click.echo(f"Added user {user.name!r} ({user.role})")


@user_group.command("list")
@click.pass_context
def user_list_cmd(ctx: click.Context) -> None:
    """List the users: name, role, language, whether they can log in, organisation."""
    from mmm.access.users import list_users

    users = list_users(_store(ctx))
    if not users:
        click.echo("No users yet: add one with `mmm user add NAME --role ROLE`.")
        return
    click.echo(f"{'name':<20} {'role':<8} {'lang':<4} {'active':<6} organisation")
    for user in users:
        active = "yes" if user.active else "no"
        click.echo(
            f"{user.name:<20} {user.role:<8} {user.language:<4} {active:<6} {user.partner or ''}"
        )


@user_group.command("reset-password")
@click.argument("name")
@click.pass_context
def user_reset_password_cmd(ctx: click.Context, name: str) -> None:
    """Give a user a new password; it is asked for (or read from stdin), never an argument."""
    from mmm.access.users import reset_password, user_by_name

    store = _store(ctx)
    user = user_by_name(store, name)
    reset_password(store, user.id, _read_password("New password"), actor=_actor())
    click.echo(f"New password set for {user.name!r}")


@user_group.command("deactivate")
@click.argument("name")
@click.pass_context
def user_deactivate_cmd(ctx: click.Context, name: str) -> None:
    """Stop a user from logging in (an open web session ends too); nothing is deleted."""
    _set_user_active(ctx, name, False)


@user_group.command("activate")
@click.argument("name")
@click.pass_context
def user_activate_cmd(ctx: click.Context, name: str) -> None:
    """Let a deactivated user log in again."""
    _set_user_active(ctx, name, True)


def _set_user_active(ctx: click.Context, name: str, active: bool) -> None:
    from mmm.access.users import set_active, user_by_name

    store = _store(ctx)
    before = user_by_name(store, name)
    after = set_active(store, before.id, active, actor=_actor())
    when = "already" if before.active == after.active else "now"
    click.echo(f"User {after.name!r} is {when} {'active' if after.active else 'inactive'}")


def _read_password(prompt: str) -> str:
    """A password from the terminal (asked twice, hidden) or the first line of stdin."""
    if sys.stdin.isatty():
        return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


# --------------------------------------------------------------------------- partners
@cli.group("partner")
def partner_group() -> None:
    """Partner organisations of the multidisciplinary approach."""


@partner_group.command("add")
@click.argument("org")
@click.option("--type", "kind", required=True, help="Partner type, e.g. prevention_service.")
@click.option("--contact", default="", help="The organisation's e-mail address (no personal one).")
@click.pass_context
def partner_add_cmd(ctx: click.Context, org: str, kind: str, contact: str) -> None:
    """Register the organisation ORG."""
    from mmm.access.partners import add_partner

    add_partner(_store(ctx), org, type=kind, contact=contact, actor=_actor())
    click.echo(f"Added partner {org!r} ({kind})")


@partner_group.command("list")
@click.pass_context
def partner_list_cmd(ctx: click.Context) -> None:
    """Partners and who does what where (CSV on stdout)."""
    from mmm.access.partners import assignments

    table = assignments(_store(ctx))
    columns = ["partner", "partner_type", "perimeter", "phenomenon", "responsibility"]
    table[columns + ["description"]].to_csv(sys.stdout, index=False)


@cli.command("assign")
@click.argument("org")
@click.option("--perimeter", required=True, metavar="NAME")
@click.option("--phenomenon", required=True, metavar="CODE")
@click.option(
    "--responsibility", required=True, type=click.Choice(["lead", "contributes", "informed"])
)
@click.option("--description", default="", help="A short description of the partner's part.")
@click.pass_context
def assign_cmd(
    ctx: click.Context,
    org: str,
    perimeter: str,
    phenomenon: str,
    responsibility: str,
    description: str,
) -> None:
    """Give partner ORG a part in a perimeter for a phenomenon."""
    from mmm.access.partners import assign

    assign(
        _store(ctx),
        org,
        perimeter=perimeter,
        phenomenon=phenomenon,
        responsibility=responsibility,
        description=description,
        actor=_actor(),
    )
    click.echo(f"{org}: {responsibility} for {phenomenon} in {perimeter}")


@cli.command("label")
@click.argument("kind", type=click.Choice(["phenomenon", "perimeter"]))
@click.argument("key")
@click.argument("label")
@click.option("--language", required=True, type=click.Choice(["nl", "fr", "de", "en"]))
@click.pass_context
def label_cmd(ctx: click.Context, kind: str, key: str, label: str, language: str) -> None:
    """Give a phenomenon (by code) or perimeter (by name) a display LABEL in one language."""
    from mmm.access.labels import set_label

    set_label(_store(ctx), kind, key, language, label, actor=_actor())
    click.echo(f"{kind} {key!r} is shown as {label!r} in {language}")


# --------------------------------------------------------------------------- demo / status / serve
@cli.command("demo")
@click.option("--seed", type=int, default=20240101, show_default=True)
@click.option(
    "--write",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the demo as files (incidents.csv, perimeters.gpkg, zone.geojson) instead.",
)
@click.pass_context
def demo_cmd(ctx: click.Context, seed: int, directory: Path | None) -> None:
    """Load the fictional demo zone (deterministic) into the store."""
    from mmm import demo

    if directory is not None:
        for name, path in demo.write_demo_files(directory, seed=seed).items():
            click.echo(f"Wrote {name}: {path}")
        return
    loaded = demo.load_demo(_store(ctx), seed=seed, actor=_actor())
    click.echo(f"Demo zone {demo.ZONE_NAME!r} (fictional, seed {seed}) → {_store(ctx).url}")
    for report in (loaded.perimeters, loaded.incidents):
        _print_report(report, None)
    assigned = demo.add_demo_partners(_store(ctx), actor=_actor())
    click.echo(f"Demo partners: {len(demo.DEMO_PARTNERS)}, assignments: {assigned}")
    from mmm.demo.plans import add_demo_plans

    click.echo(f"Demo action plans written: {add_demo_plans(_store(ctx), actor=_actor())}")
    click.echo(f"Demo log-ins (password {demo.DEMO_PASSWORD!r}, for the demo only):")
    for name, role in demo.add_demo_users(_store(ctx), actor=_actor()):
        click.echo(f"  {name:<16} {role}")


@cli.command("status")
@click.pass_context
def status_cmd(ctx: click.Context) -> None:
    """What the store holds."""
    from mmm.store.postgis import safe_url

    store = _store(ctx)
    click.echo(f"Store {safe_url(store.url)} (schema revision {store.schema_version()})")
    for name, n in store.totals().items():
        click.echo(f"  {name:<15} {n:>10,}")
    zone = store.zone()
    if zone is None:
        click.echo("  zone           none yet")
    else:
        how = "no outline imported yet" if zone.derived else "imported outline"
        click.echo(f"  zone           {zone.name} ({how}), {zone.geometry.area / 1e6:,.2f} km²")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int) -> None:
    """Run the web app on this store."""
    from webmap import create_app, warm_up

    _store(ctx)  # a store that cannot be opened (or needs `mmm db upgrade`) stops here
    app = create_app({"MMM_STORE": ctx.find_root().obj["store_url"]})
    threading.Thread(target=warm_up, args=(app,), daemon=True).start()
    click.echo(f"MMM Planner on http://{host}:{port}/  (Ctrl+C stops it)")
    app.run(host=host, port=port)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="mmm")


def _register_commands() -> None:
    """``mmm hotspots`` (with ``mmm weights``) and ``mmm evaluate`` live in their own modules."""
    from mmm.cli.db import db
    from mmm.cli.dossier import dossier
    from mmm.cli.evaluate import evaluate
    from mmm.cli.hotspots import hotspots, weights_cmd
    from mmm.cli.plans import plan_group

    cli.add_command(hotspots)
    cli.add_command(weights_cmd)
    cli.add_command(evaluate)
    cli.add_command(db)
    cli.add_command(plan_group)
    cli.add_command(dossier)


_register_commands()
