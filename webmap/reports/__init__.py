"""Reports: a plan's printable progress report (and its PDF), a perimeter's meeting dossier."""

from webmap.reports.routes import bp

__all__ = ["bp"]
