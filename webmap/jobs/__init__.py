"""Slow work as jobs: a bounded in-process runner, the status a page polls, the file made once.

``runner.py`` runs and keeps the jobs (no Flask), ``job.py`` is one job and what it ends with,
``web.py`` lets a view start one in place of waiting, ``routes.py`` answers ``/jobs/<id>``.
"""

from webmap.jobs.routes import bp

__all__ = ["bp"]
