"""``mmm init``: a new, empty zone store with its name, languages, phenomena and first admin.

The start of a real zone (the demo stays in a store of its own, ``mmm demo``): the schema of
this version, the zone's profile, the standard phenomena with their labels in four languages
(:data:`mmm.io.crosswalk.STANDARD_PHENOMENA`; change them with ``mmm phenomenon``), and one
admin whose password is asked for (or read from stdin) and must meet the password rules.
Everything that can be refused is checked before the store is touched.
"""

from __future__ import annotations

import click

from mmm.access.vocabulary import LANGUAGES
from mmm.cli.common import cli_actor, read_password

#: The longest user name the ``users`` table holds.
USER_NAME_CHARS = 100


@click.command("init")
@click.argument("target", required=False, metavar="[PATH|URL]")
@click.option("--name", required=True, help="The zone's name, e.g. 'PZ Voorbeeld'.")
@click.option(
    "--languages",
    default="nl",
    show_default=True,
    help="The zone's interface languages, comma-separated, the default first (e.g. nl,fr).",
)
@click.option("--admin", default="admin", show_default=True, help="The first admin's user name.")
@click.pass_context
def init_cmd(ctx: click.Context, target: str | None, name: str, languages: str, admin: str) -> None:
    """Make a new zone store at PATH (SQLite file) or URL (postgresql://…; the database must
    exist and be empty), default: mmm --store. The admin's password is asked for."""
    from mmm.access.passwords import check_password
    from mmm.access.users import add_user
    from mmm.errors import MMMError
    from mmm.io.crosswalk import standard_phenomena
    from mmm.limits import NAME_CHARS, check_text
    from mmm.store import open_store
    from mmm.store.backup import refuse_filled, sqlite_path, store_url
    from mmm.store.urls import safe_url

    url = store_url(target) if target else ctx.find_root().obj["store_url"]
    chosen = tuple(part.strip() for part in languages.split(",") if part.strip())
    if not chosen or set(chosen) - set(LANGUAGES) or len(set(chosen)) != len(chosen):
        raise MMMError(
            f"--languages {languages}: give some of {', '.join(LANGUAGES)}, each once, the "
            "default first (e.g. nl,fr)"
        )
    if not name.strip() or not admin.strip():
        raise MMMError("the zone's name (--name) and the admin's (--admin) may not be empty")
    check_text(name, "the zone's name", limit=NAME_CHARS)
    check_text(admin, "the admin's name", limit=USER_NAME_CHARS)
    if url.startswith("sqlite:///") and sqlite_path(url).exists():
        raise MMMError(f"{sqlite_path(url)} exists already: mmm init makes a new store only")
    password = read_password(f"Password for {admin}")
    check_password(password, name=admin)  # every refusal comes before the store is made
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            refuse_filled(conn, safe_url(url), "mmm init makes a zone")
        actor = cli_actor()
        store.set_zone_profile(name, chosen, actor=actor)
        phenomena = standard_phenomena()
        for row in phenomena.itertuples(index=False):
            labels = {lang: getattr(row, f"label_{lang}") for lang in LANGUAGES}
            store.add_phenomenon(row.code, labels, actor=actor)
        add_user(store, admin, password, role="admin", language=chosen[0], actor=actor)
    finally:
        store.close()
    click.echo(f"Zone {name!r} ({', '.join(chosen)}) made in {safe_url(url)}")
    click.echo(
        f"  phenomena  {len(phenomena):>4}  (mmm phenomenon list; add your own with mmm phenomenon add)"
    )
    click.echo(f"  admin      {admin}")
    click.echo(f"Next: export MMM_STORE={safe_url(url)}   then mmm import zone FILE")
