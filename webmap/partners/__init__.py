"""Who does what where: the partner × perimeter × phenomenon matrix, editable by admins."""

from webmap.partners.routes import bp

__all__ = ["bp"]
