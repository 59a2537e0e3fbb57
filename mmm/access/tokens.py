"""API tokens: how a script or QGIS logs in to ``/api`` and ``/ogc`` without a browser.

A token is a random secret (``mmm_`` and 43 URL-safe characters: 256 bits) shown once, when it is
made (``mmm token create``); the store keeps only its SHA-256, with the user it acts for, its
name, when it was made and when it expires. A request that carries it
(``Authorization: Bearer …``) acts as that user: the same role, the same partner scope, nothing
more. A token is refused once it is revoked, after it expires, and while its user is inactive.
It lasts :data:`DEFAULT_DAYS` unless made for fewer or more days (at most :data:`MAX_DAYS`):
a credential in a script must not live for ever.

Every use is audited (entity ``api_token``, its id: who, which request, from which address), and
so is every refused token; the secret itself never goes into an event or a log. Tokens are
revoked, never deleted: the audit trail keeps pointing at them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from mmm.access.rules import can
from mmm.access.users import User, get_user
from mmm.errors import AccessDenied, MMMError, NotFound
from mmm.limits import check_text
from mmm.store import Store, schema
from mmm.store.base import now_iso

#: The start of every secret: a leaked one is recognisable (and searchable) as ours.
PREFIX = "mmm_"
#: How long a token lasts unless made for another number of days.
DEFAULT_DAYS = 365
#: The longest a token may last (ten years).
MAX_DAYS = 3650
#: The most characters of a token's name.
NAME_CHARS = 100


@dataclass(frozen=True)
class ApiToken:
    """A token as listed: never its secret nor the secret's hash."""

    id: int
    user_id: int
    user_name: str
    name: str
    created_at: str
    expires_at: str
    revoked_at: str | None
    last_used_at: str | None

    def state(self, now: str | None = None) -> str:
        """``active``, ``expired`` or ``revoked`` at ``now`` (ISO time; default: now)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= (now or now_iso()) else "active"


def create_token(
    store: Store, user: User, name: str, *, days: int = DEFAULT_DAYS, actor: str
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it and its secret (to show once: it is not kept).

    Parameters
    ----------
    name
        What the token is for ("QGIS laptop"): it names the token in lists and the audit trail.
    days
        How long it lasts, 1 to :data:`MAX_DAYS`.
    actor
        Who made it, for the audit trail.

    Raises
    ------
    MMMError
        For an empty or too long name, a number of days out of range, or an inactive user.
    """
    name = check_text(name.strip(), "the token's name", limit=NAME_CHARS)
    if not name:
        raise MMMError("the token's name is empty: say what it is for (e.g. 'QGIS laptop')")
    if not 1 <= days <= MAX_DAYS:
        raise MMMError(f"a token lasts 1 to {MAX_DAYS} days, not {days}")
    if not user.active:
        raise MMMError(f"the user {user.name!r} is deactivated: activate them first")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = (now + timedelta(days=days)).isoformat(timespec="seconds")
    with store.engine.begin() as conn:
        result = conn.execute(
            insert(schema.api_tokens),
            {
                "token_hash": _digest(secret),
                "user_id": user.id,
                "name": name,
                "created_at": now.isoformat(timespec="seconds"),
                "expires_at": expires,
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        detail = {"user": user.name, "name": name, "expires_at": expires}
        store.write_audit(conn, actor, "create", "api_token", str(key[0]), detail)
    return get_token(store, int(key[0])), secret


def list_tokens(store: Store, user: User | None = None) -> list[ApiToken]:
    """The tokens of ``user`` (``None``: everyone's), newest first, revoked and expired too."""
    query = _token_query().order_by(schema.api_tokens.c.id.desc())
    if user is not None:
        query = query.where(schema.api_tokens.c.user_id == user.id)
    with store.engine.connect() as conn:
        return [_token(row) for row in conn.execute(query).all()]


def get_token(store: Store, token_id: int) -> ApiToken:
    """The token with this id.

    Raises
    ------
    NotFound
        When there is none.
    """
    query = _token_query().where(schema.api_tokens.c.id == token_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no API token {token_id}")
    return _token(row)


def may_revoke(user: User, token: ApiToken) -> bool:
    """Whether ``user`` may see and revoke ``token``: its own user, or an administrator."""
    return user.active and (token.user_id == user.id or can(user, "manage_users"))


def revoke_token(store: Store, token_id: int, *, actor: str, by: User | None = None) -> ApiToken:
    """Revoke a token: it is refused from now on (revoking one already revoked changes nothing).

    Parameters
    ----------
    by
        The web app's user asking (:func:`may_revoke`); ``None`` for the command line.

    Raises
    ------
    NotFound
        When there is no such token, or ``by`` may not see it (the same answer for both).
    """
    token = get_token(store, token_id)
    if by is not None and not may_revoke(by, token):
        raise NotFound(f"no API token {token_id}")
    if token.revoked_at is not None:
        return token
    t = schema.api_tokens.c
    with store.engine.begin() as conn:
        conn.execute(update(schema.api_tokens).where(t.id == token_id).values(revoked_at=now_iso()))
        detail = {"user": token.user_name, "name": token.name}
        store.write_audit(conn, actor, "revoke", "api_token", str(token_id), detail)
    return get_token(store, token_id)


def token_user(store: Store, secret: str, request: dict[str, Any]) -> tuple[ApiToken, User]:
    """The token and the user a request's secret acts for; the use is audited either way.

    Parameters
    ----------
    secret
        What followed ``Bearer`` in the request's ``Authorization`` header.
    request
        What the audit event says about the request (method, path, client address).

    Raises
    ------
    AccessDenied
        For a secret that is no token's, a revoked or expired token, or an inactive user
        (audited as ``token_refused`` with the reason; the secret is never written).
    """
    t = schema.api_tokens.c
    with store.engine.connect() as conn:
        row = conn.execute(_token_query().where(t.token_hash == _digest(secret))).first()
    token = None if row is None else _token(row)
    user = None if token is None else _user_of(store, token)
    now = now_iso()
    reason = _refusal(token, user, now)
    with store.engine.begin() as conn:
        if reason is not None:
            key = "" if token is None else str(token.id)
            detail = {**request, "reason": reason}
            store.write_audit(conn, "api", "token_refused", "api_token", key, detail)
        else:
            assert token is not None
            conn.execute(update(schema.api_tokens).where(t.id == token.id).values(last_used_at=now))
            actor = f"token:{token.user_name}"
            store.write_audit(conn, actor, "token_use", "api_token", str(token.id), request)
    if reason is not None:
        raise AccessDenied(f"API token refused: {reason}")
    assert token is not None and user is not None
    return token, user


def _user_of(store: Store, token: ApiToken) -> User | None:
    try:
        return get_user(store, token.user_id)
    except NotFound:
        return None


def _refusal(token: ApiToken | None, user: User | None, now: str) -> str | None:
    """Why a token may not be used ``now`` (``None``: it may)."""
    if token is None:
        return "unknown token"
    state = token.state(now)
    if state != "active":
        return state
    return None if user is not None and user.active else "user deactivated"


def _token_query() -> Any:
    t, u = schema.api_tokens.c, schema.users.c
    columns = (t.id, t.user_id, u.name.label("user_name"), t.name, t.created_at, t.expires_at)
    joined = schema.api_tokens.join(schema.users, t.user_id == u.id)
    return select(*columns, t.revoked_at, t.last_used_at).select_from(joined)


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=int(row.id),
        user_id=int(row.user_id),
        user_name=row.user_name,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
