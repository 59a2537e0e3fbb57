"""Web sessions kept on the server, and the audit of logins, failures, lockouts and logouts.

Why on the server: a signed cookie alone stays valid until it expires, so logging out could
not end it. Each login gets a random token (the web app keeps it in its signed cookie); the
store keeps only its SHA-256 with the user and the user's ``session_epoch``. A token is
refused once it is ended (logout), once the user's epoch moved on (a password reset or a
deactivation), for an inactive user, and :data:`MAX_AGE` after the login.

The audit events (entity ``user``) say who, when and from which address; never a password.
A failed login names the user only when the name tried is a user's: a name that is not one
is recorded as unknown, without its text, because it is often a password typed in the wrong
field.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from mmm.access.users import User, user_from_row
from mmm.store import Store, schema
from mmm.store.base import now_iso

#: A login lasts a working day at most; then the person logs in again.
MAX_AGE = timedelta(hours=12)


def start_session(store: Store, user: User, *, address: str) -> str:
    """Open a session for ``user`` (after the password was checked); returns its token.

    Writes a ``login`` event, and drops the rows of sessions ended or expired before it.
    """
    token = secrets.token_urlsafe(32)
    s = schema.web_sessions.c
    with store.engine.begin() as conn:
        conn.execute(delete(schema.web_sessions).where(s.started_at < _oldest_valid()))
        conn.execute(delete(schema.web_sessions).where(s.ended_at.is_not(None)))
        conn.execute(
            insert(schema.web_sessions),
            {
                "token_hash": _digest(token),
                "user_id": user.id,
                "session_epoch": user.session_epoch,
                "started_at": now_iso(),
            },
        )
        detail = {"address": address}
        store.write_audit(conn, f"web:{user.name}", "login", "user", str(user.id), detail)
    return token


def session_user(store: Store, token: str) -> User | None:
    """The user of a valid session, else ``None`` (ended, expired, reset, deactivated).

    One query: every request of a logged-in browser asks."""
    s, u = schema.web_sessions.c, schema.users.c
    query = (
        select(schema.users)
        .join_from(schema.web_sessions, schema.users, s.user_id == u.id)
        .where(s.token_hash == _digest(token), s.ended_at.is_(None))
        .where(s.started_at >= _oldest_valid(), s.session_epoch == u.session_epoch)
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    user = user_from_row(row)
    return user if user.active else None


def end_session(store: Store, token: str, user: User, *, address: str) -> None:
    """Log out: the token is refused from now on; writes a ``logout`` event."""
    ended = schema.web_sessions.c.token_hash == _digest(token)
    with store.engine.begin() as conn:
        conn.execute(update(schema.web_sessions).where(ended).values(ended_at=now_iso()))
        detail = {"address": address}
        store.write_audit(conn, f"web:{user.name}", "logout", "user", str(user.id), detail)


def record_failure(store: Store, name: str, *, address: str, locked: str | None) -> None:
    """Audit a failed login (and the lockout it started, if it did).

    Parameters
    ----------
    name
        The name tried: recorded only when it is a user's name (see the module's text).
    address
        The client's address.
    locked
        ``None``, or what the failure locked ("name" or "address"): a ``login_locked`` event
        follows the ``login_failed`` one.
    """
    u = schema.users.c
    with store.engine.begin() as conn:
        user_id = conn.execute(select(u.id).where(u.name == name.strip())).scalar_one_or_none()
        key = "" if user_id is None else str(user_id)
        detail: dict[str, object] = {"address": address}
        detail |= {"name": name.strip()} if key else {"name_known": False}
        store.write_audit(conn, "web", "login_failed", "user", key, detail)
        if locked:
            store.write_audit(conn, "web", "login_locked", "user", key, {**detail, "by": locked})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _oldest_valid() -> str:
    """The earliest ``started_at`` of a session still valid now (ISO text compares in order)."""
    return (datetime.now(UTC) - MAX_AGE).isoformat(timespec="seconds")
