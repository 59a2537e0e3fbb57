"""User administration, for admins only: list, create, reset passwords, (de)activate."""

from webmap.admin.routes import bp

__all__ = ["bp"]
