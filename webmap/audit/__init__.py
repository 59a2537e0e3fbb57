"""The audit log, for admins and the data protection officer."""

from webmap.audit.routes import bp

__all__ = ["bp"]
