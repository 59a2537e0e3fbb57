"""``mmm user …``: the people who log in to the web app (add, list, passwords, (de)activate).

Thin click commands around :mod:`mmm.access.users`. A password is never an argument: it is asked
for on a terminal (twice, hidden) or read from the first line of stdin, and it must meet the
rules of :mod:`mmm.access.passwords` (12 characters or more, not the user's name, not common);
a refusal is one line naming the rule.
"""

from __future__ import annotations

import click

from mmm.access.vocabulary import LANGUAGES, ROLES
from mmm.cli.common import cli_actor, command_store, read_password


@click.group("user")
def user_group() -> None:
    """Manage the people who log in to the web app."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--partner", "partner", metavar="ORG", help="Organisation of a partner user.")
@click.option("--language", default="nl", show_default=True, type=click.Choice(LANGUAGES))
@click.pass_context
def user_add_cmd(
    ctx: click.Context, name: str, role: str, partner: str | None, language: str
) -> None:
    """Add a user; the password (12+ characters, not the name, not a common one) is asked for
    or read from stdin, never given as an argument."""
    from mmm.access.users import add_user

    password = read_password("Password")
    user = add_user(
        command_store(ctx),
        name,
        password,
        role=role,
        partner=partner,
        language=language,
        actor=cli_actor(),
    )
    click.echo(f"Added user {user.name!r} ({user.role})")


@user_group.command("list")
@click.pass_context
def user_list_cmd(ctx: click.Context) -> None:
    """List the users: name, role, language, whether they can log in, organisation."""
    from mmm.access.users import list_users

    users = list_users(command_store(ctx))
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

    store = command_store(ctx)
    user = user_by_name(store, name)
    reset_password(store, user.id, read_password("New password"), actor=cli_actor())
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

    store = command_store(ctx)
    before = user_by_name(store, name)
    after = set_active(store, before.id, active, actor=cli_actor())
    when = "already" if before.active == after.active else "now"
    click.echo(f"User {after.name!r} is {when} {'active' if after.active else 'inactive'}")
