"""Users of the app: who they are, their role, their language; passwords only as hashes.

The core keeps users so that the CLI (``mmm user add``) and the web app share them. Passwords
are hashed with scrypt (werkzeug); a plain password is never stored, logged or put in an audit
event.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from mmm.errors import MMMError, NotFound
from mmm.store import Store, schema
from mmm.store.base import now_iso

ROLES = ("admin", "analyst", "officer", "partner")
LANGUAGES = ("nl", "fr", "de", "en")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class User:
    """A user as the app needs it (never with the password hash)."""

    id: int
    name: str
    role: str
    partner: str | None
    language: str
    active: bool


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
        For an unknown role or language, a name already taken, a short password, or a partner
        user without organisation.
    """
    name = name.strip()
    if role not in ROLES:
        raise MMMError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise MMMError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if role == "partner" and not partner:
        raise MMMError("a partner user needs --partner ORG (the organisation they work for)")
    if len(password) < MIN_PASSWORD:
        raise MMMError(f"the password needs at least {MIN_PASSWORD} characters")
    if not name:
        raise MMMError("the user name is empty")
    with store.engine.begin() as conn:
        taken = conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first()
        if taken is not None:
            raise MMMError(f"a user {name!r} already exists")
        result = conn.execute(
            insert(schema.users),
            {
                "name": name,
                "password_hash": generate_password_hash(password, method="scrypt"),
                "role": role,
                "partner": partner,
                "language": language,
                "active": 1,
                "created_at": now_iso(),
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        store.write_audit(conn, actor, "create", "user", str(key[0]), {"role": role})
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
    return _user(row)


def user_names(store: Store) -> set[str]:
    """Names of all users."""
    with store.engine.connect() as conn:
        return set(conn.execute(select(schema.users.c.name)).scalars())


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The active user with this name and password, else ``None`` (no hint which was wrong)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name.strip())).first()
    if row is None or not row.active or not check_password_hash(row.password_hash, password):
        return None
    return _user(row)


def set_language(store: Store, user_id: int, language: str) -> None:
    """Remember the user's interface language."""
    if language not in LANGUAGES:
        raise MMMError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    with store.engine.begin() as conn:
        conn.execute(
            update(schema.users).where(schema.users.c.id == user_id).values(language=language)
        )


def _user(row: object) -> User:
    return User(
        id=int(row.id),  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        role=row.role,  # type: ignore[attr-defined]
        partner=row.partner,  # type: ignore[attr-defined]
        language=row.language,  # type: ignore[attr-defined]
        active=bool(row.active),  # type: ignore[attr-defined]
    )
