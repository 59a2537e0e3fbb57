"""The API tokens page: a user's tokens (an administrator's: everyone's), revoked from there."""

from webmap.tokens.routes import bp

__all__ = ["bp"]
