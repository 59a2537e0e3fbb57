"""Failed logins slow down: per user name and per client address, counted in a moving window.

Only failures count. Once a name or an address has used up one of its limits
(``MMM_LOGIN_LIMIT_NAME``, ``MMM_LOGIN_LIMIT_ADDRESS``, e.g. "5 per minute; 20 per hour"),
every login with it is refused (429) until the window moves on — also with the right
password, so guessing on stops paying. An unknown name is counted like a known one.

Why the ``limits`` library (the one Flask-Limiter is built on) and not Flask-Limiter's
decorator: the view must know when a failure *starts* a lockout, to audit that once rather than
every refused try, and each app needs its own counts (the tests build many apps in one
process). Counts live in ``MMM_LOGIN_LIMIT_STORAGE``: ``memory://`` keeps them in the process
(one ``mmm serve``); several processes share ``redis://…`` or ``memcached://…``.
"""

from __future__ import annotations

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

#: The two things failures are counted by.
KEYS = ("name", "address")


class LoginThrottle:
    """The app's counts of failed logins, per name and per address."""

    def __init__(self, storage: str, *, per_name: str, per_address: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self._limits: dict[str, list[RateLimitItem]] = {
            "name": parse_many(per_name),
            "address": parse_many(per_address),
        }

    def locked(self, name: str, address: str) -> bool:
        """Whether a name or an address has used up one of its limits (refuse the login)."""
        return bool(self._exhausted(name, address))

    def failed(self, name: str, address: str) -> str | None:
        """Count a failed login; returns what it locked ("name", "address") or ``None``."""
        values = self._values(name, address)
        for key in KEYS:
            for limit in self._limits[key]:
                self._limiter.hit(limit, key, values[key])
        exhausted = self._exhausted(name, address)
        return exhausted[0] if exhausted else None

    def _exhausted(self, name: str, address: str) -> list[str]:
        values = self._values(name, address)
        return [
            key
            for key in KEYS
            if any(not self._limiter.test(limit, key, values[key]) for limit in self._limits[key])
        ]

    @staticmethod
    def _values(name: str, address: str) -> dict[str, str]:
        return {"name": name.strip().lower(), "address": address}


def init_app(app: Flask) -> None:
    """Give ``app`` its own counts (``app.extensions["mmm_login_throttle"]``), as configured."""
    app.extensions["mmm_login_throttle"] = LoginThrottle(
        app.config["MMM_LOGIN_LIMIT_STORAGE"],
        per_name=app.config["MMM_LOGIN_LIMIT_NAME"],
        per_address=app.config["MMM_LOGIN_LIMIT_ADDRESS"],
    )


def throttle() -> LoginThrottle:
    """The current app's counts."""
    found: LoginThrottle = current_app.extensions["mmm_login_throttle"]
    return found
