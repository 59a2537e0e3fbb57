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


class TextRefused(MMMError, ValueError):
    """A text that cannot be stored: too long, or holding control characters (see mmm.limits)."""


class PeriodOutOfRange(MMMError, ValueError):
    """A month range outside the months the data covers, or longer than the limit.

    ``first`` and ``last`` are the months that may be chosen, so a page can say them.
    """

    def __init__(self, message: str, first: str, last: str, months: int) -> None:
        super().__init__(message)
        self.first = first
        self.last = last
        self.months = months


class LimitExceeded(MMMError, ValueError):
    """A request beyond one of the limits of :mod:`mmm.limits` (e.g. a hotspot grid too fine)."""
