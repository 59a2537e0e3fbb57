"""Logging in and out, and choosing the interface language."""

from webmap.auth.routes import bp

__all__ = ["bp"]
