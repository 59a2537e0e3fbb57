"""Meeting mode: a full-screen walk through the perimeters of a meeting, for a shared screen."""

from webmap.meeting.routes import bp

__all__ = ["bp"]
