"""What every request passes besides the login: its route's access rule and the app's limits.

One call from ``create_app`` (:func:`init_app`) sets up :mod:`webmap.route_rules` (who may use
which route) and :mod:`webmap.limits` (request size, JSON bodies, translated refusals).
"""

from __future__ import annotations

from flask import Flask

from webmap import limits, route_rules


def init_app(app: Flask) -> None:
    """Register the route rules and the limits on ``app``."""
    route_rules.init_app(app)
    limits.init_app(app)
