"""The few exceptions the core raises.

The CLI and the web views turn each of them into one clear message (or status code);
a traceback reaching a user is a bug.
"""


class MMMError(Exception):
    """Base class: anything the user can act on."""


class ImportRejected(MMMError):
    """A whole file cannot be imported (unreadable, wrong columns, unknown CRS…)."""


class CRSMissing(ImportRejected):
    """The file carries no CRS and none was given."""


class InvalidPeriod(MMMError, ValueError):
    """A month range that is not ``YYYY-MM`` to ``YYYY-MM`` in order."""


class InvalidGeometry(MMMError):
    """A geometry cannot be used (wrong type, empty, not repairable)."""


class StaleVersion(MMMError):
    """An edit was based on a version that is no longer the current one."""


class NotFound(MMMError):
    """The requested object does not exist (or may not be seen)."""


class AccessDenied(MMMError):
    """The user's role does not allow this."""


class StoreError(MMMError):
    """The store cannot be opened or used (bad URL, unreachable server…)."""
