"""``mmm token …``: API tokens for scripts and QGIS (create, list, revoke).

Thin click commands around :mod:`mmm.access.tokens`. The secret is printed once, by
``mmm token create``, and never again: the store keeps only its hash.
"""

from __future__ import annotations

import click

from mmm.cli.common import cli_actor, command_store

#: As :data:`mmm.access.tokens.DEFAULT_DAYS` and ``MAX_DAYS`` (a test keeps them equal).
DEFAULT_DAYS = 365
MAX_DAYS = 3650


@click.group("token")
def token_group() -> None:
    """API tokens: scripts and QGIS log in to /api and /ogc with one."""


@token_group.command("create")
@click.argument("name")
@click.option("--user", "user_name", required=True, metavar="USER", help="The user it acts for.")
@click.option(
    "--expires",
    "days",
    default=DEFAULT_DAYS,
    show_default=True,
    type=click.IntRange(1, MAX_DAYS),
    metavar="DAYS",
    help="Days until the token stops working.",
)
@click.pass_context
def token_create_cmd(ctx: click.Context, name: str, user_name: str, days: int) -> None:
    """Make a token NAME for a user and print it once: it acts with that user's role and scope."""
    from mmm.access.tokens import create_token
    from mmm.access.users import user_by_name

    store = command_store(ctx)
    token, secret = create_token(
        store, user_by_name(store, user_name), name, days=days, actor=cli_actor()
    )
    click.echo(
        f"Token {token.id} {token.name!r} for {token.user_name!r}, until {token.expires_at}:"
    )
    click.echo(secret)
    click.echo(
        "It is shown only now (the store keeps its hash): send it as "
        "'Authorization: Bearer <token>'.",
        err=True,
    )


@token_group.command("list")
@click.option("--user", "user_name", metavar="USER", help="Only this user's tokens.")
@click.pass_context
def token_list_cmd(ctx: click.Context, user_name: str | None) -> None:
    """List the tokens (never their secrets): id, user, name, state, expiry, last use."""
    from mmm.access.tokens import list_tokens
    from mmm.access.users import user_by_name

    store = command_store(ctx)
    tokens = list_tokens(store, user_by_name(store, user_name) if user_name else None)
    if not tokens:
        click.echo("No API tokens: make one with `mmm token create NAME --user USER`.")
        return
    click.echo(f"{'id':>4} {'user':<16} {'state':<8} {'expires (UTC)':<16} {'last used':<16} name")
    for t in tokens:
        expires, used = (
            _minute(t.expires_at),
            _minute(t.last_used_at) if t.last_used_at else "never",
        )
        click.echo(f"{t.id:>4} {t.user_name:<16} {t.state():<8} {expires:<16} {used:<16} {t.name}")


@token_group.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
@click.pass_context
def token_revoke_cmd(ctx: click.Context, token_id: int) -> None:
    """Revoke the token ID (see `mmm token list`): it is refused from now on."""
    from mmm.access.tokens import revoke_token

    token = revoke_token(command_store(ctx), token_id, actor=cli_actor())
    click.echo(f"Token {token.id} {token.name!r} of {token.user_name!r} is revoked")


def _minute(iso: str) -> str:
    """An ISO time of the store as ``YYYY-MM-DD HH:MM`` (UTC)."""
    return iso[:16].replace("T", " ")
