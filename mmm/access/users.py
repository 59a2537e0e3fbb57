"""Users of the app: who they are, their role, their language; passwords only as hashes.

The core keeps users so that the CLI (``mmm user …``) and the web app (``/admin/users``) share
them. Passwords are hashed with scrypt (werkzeug); a plain password (or its hash) is never
stored, logged or put in an audit event, and every new one meets the rules of
:mod:`mmm.access.passwords`. Users are deactivated, never deleted: their audit trail keeps
pointing at them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from mmm.access.passwords import check_password
from mmm.access.vocabulary import LANGUAGES, ROLES
from mmm.errors import MMMError, NotFound
from mmm.store import Store, schema
from mmm.store.base import now_iso


@dataclass(frozen=True)
class User:
    """A user as the app needs it (never with the password hash)."""

    id: int
    name: str
    role: str
    partner: str | None
    language: str
    active: bool
    #: Web sessions carry it; one issued before the last password reset or deactivation
    #: carries an older number and is refused.
    session_epoch: int = 0


def add_user(
    store: Store,
    name: str,
    password: str,
    *,
    role: str,
    partner: str | None = None,
    language: str = "nl",
    actor: str = "cli",
) -> User:
    """Create a user.

    Raises
    ------
    MMMError
        For an unknown role or language, a name already taken, a password that breaks a rule
        of :func:`mmm.access.passwords.check_password`, a partner user without organisation or
        with one that is not a registered, active partner, or an organisation given for a user
        who is not a partner.
    """
    name = name.strip()
    partner = partner.strip() if partner else None
    if role not in ROLES:
        raise MMMError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise MMMError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if role == "partner" and not partner:
        raise MMMError(
            "a partner user needs an organisation (the one they work for: --partner ORG)"
        )
    if role != "partner" and partner:
        raise MMMError(f"only partner users belong to an organisation (not a {role} user)")
    if not name:
        raise MMMError("the user name is empty")
    check_password(password, name=name)
    with store.engine.begin() as conn:
        taken = conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first()
        if taken is not None:
            raise MMMError(f"a user {name!r} already exists")
        if partner:
            _check_organisation(conn, partner)
        result = conn.execute(
            insert(schema.users),
            {
                "name": name,
                "password_hash": _hash(password),
                "role": role,
                "partner": partner,
                "language": language,
                "active": 1,
                "created_at": now_iso(),
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        detail = {"role": role, "partner": partner} if partner else {"role": role}
        store.write_audit(conn, actor, "create", "user", str(key[0]), detail)
    return get_user(store, int(key[0]))


def get_user(store: Store, user_id: int) -> User:
    """The user with this id.

    Raises
    ------
    NotFound
        When there is none.
    """
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return user_from_row(row)


def user_by_name(store: Store, name: str) -> User:
    """The user called ``name``.

    Raises
    ------
    NotFound
        When there is none.
    """
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name.strip())).first()
    if row is None:
        raise NotFound(f"no user named {name.strip()!r}")
    return user_from_row(row)


def list_users(store: Store) -> list[User]:
    """All users, active or not, by name (without their password hashes)."""
    u = schema.users.c
    columns = (u.id, u.name, u.role, u.partner, u.language, u.active, u.session_epoch)
    with store.engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(u.name)).all()
    return [user_from_row(row) for row in rows]


def reset_password(store: Store, user_id: int, new_password: str, *, actor: str) -> None:
    """Give the user a new password (the old one stops working at once, so do open sessions).

    The audit event says who reset whose password and when, never the password or its hash.

    Raises
    ------
    NotFound
        When there is no such user.
    MMMError
        For a password that breaks a rule of :func:`mmm.access.passwords.check_password`.
    """
    with store.engine.begin() as conn:
        check_password(new_password, name=_row(conn, user_id).name)
        conn.execute(
            update(schema.users)
            .where(schema.users.c.id == user_id)
            .values(
                password_hash=_hash(new_password),
                session_epoch=schema.users.c.session_epoch + 1,
            )
        )
        store.write_audit(conn, actor, "reset_password", "user", str(user_id), {})


def set_active(
    store: Store, user_id: int, active: bool, *, actor: str, actor_id: int | None = None
) -> User:
    """Activate or deactivate a user; returns the user as it is now.

    A deactivated user cannot log in, and a session they already have is refused on its next
    request (the web app reloads the user on every request) and stays refused after a later
    activation: the deactivation bumps the user's ``session_epoch``. Nothing is deleted. Setting the
    state a user already has changes nothing and writes no audit event.

    Parameters
    ----------
    actor
        Who does it, for the audit trail (``"web:NAME"``, ``"cli:LOGIN"``).
    actor_id
        The id of the logged-in user who does it (web): they cannot deactivate themself.

    Raises
    ------
    NotFound
        When there is no such user.
    MMMError
        When an admin would deactivate their own account, or the last active admin.
    """
    u = schema.users.c
    with store.engine.begin() as conn:
        row = _row(conn, user_id)
        if bool(row.active) == active:
            return user_from_row(row)
        if not active:
            if actor_id is not None and actor_id == user_id:
                raise MMMError("you cannot deactivate your own account (ask another admin)")
            if row.role == "admin":
                others = conn.execute(
                    select(func.count())
                    .select_from(schema.users)
                    .where((u.role == "admin") & (u.active == 1) & (u.id != user_id))
                ).scalar_one()
                if not others:
                    raise MMMError(
                        f"{row.name!r} is the last active admin: activate or add another admin "
                        "first, or nobody can manage users any more"
                    )
        epoch = u.session_epoch + (0 if active else 1)
        conn.execute(
            update(schema.users)
            .where(u.id == user_id)
            .values(active=int(active), session_epoch=epoch)
        )
        action = "activate" if active else "deactivate"
        store.write_audit(conn, actor, action, "user", str(user_id), {"active": active})
    return get_user(store, user_id)


def user_names(store: Store) -> set[str]:
    """Names of all users."""
    with store.engine.connect() as conn:
        return set(conn.execute(select(schema.users.c.name)).scalars())


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The active user with this name and password, else ``None`` (no hint which was wrong).

    The same work either way: for an unknown name the password is checked against a hash of
    nothing, so the time taken does not tell whether the name exists.
    """
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name.strip())).first()
    matches = check_password_hash(_dummy_hash() if row is None else row.password_hash, password)
    if row is None or not row.active or not matches:
        return None
    return user_from_row(row)


def set_language(store: Store, user_id: int, language: str) -> None:
    """Remember the user's interface language."""
    if language not in LANGUAGES:
        raise MMMError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    with store.engine.begin() as conn:
        conn.execute(
            update(schema.users).where(schema.users.c.id == user_id).values(language=language)
        )


def _hash(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    """A hash made like a user's, checked for an unknown name (no password matches it)."""
    return _hash(secrets.token_hex(16))


def _check_organisation(conn: Connection, partner: str) -> None:
    """A partner user's organisation must be a registered, active partner."""
    p = schema.partners.c
    row = conn.execute(select(p.active).where(p.name == partner)).first()
    if row is None:
        raise MMMError(
            f"no partner organisation named {partner!r}: register it first (mmm partner add)"
        )
    if not row.active:
        raise MMMError(f"the partner organisation {partner!r} is inactive")


def _row(conn: Connection, user_id: int) -> Any:
    """The users row with this id (with its hash: for this module only)."""
    row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return row


def user_from_row(row: object) -> User:
    """A :class:`User` of a row of ``users`` (as this module or a join selects it)."""
    return User(
        id=int(row.id),  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        role=row.role,  # type: ignore[attr-defined]
        partner=row.partner,  # type: ignore[attr-defined]
        language=row.language,  # type: ignore[attr-defined]
        active=bool(row.active),  # type: ignore[attr-defined]
        session_epoch=int(row.session_epoch),  # type: ignore[attr-defined]
    )
